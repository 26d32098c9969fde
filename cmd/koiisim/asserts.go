package main

import (
	"fmt"

	"github.com/koiisim/koiisim/reports"
	"github.com/koiisim/koiisim/scenarios"
)

// assertPathProblems checks that every assertion names a metric path the
// scenario's runs have; each problem is located in the file.
func assertPathProblems(s *scenarios.Scenario) []string {
	if len(s.Asserts) == 0 {
		return nil
	}
	paths := reports.Paths(s.Config.Classes())
	var out []string
	for i, a := range s.Asserts {
		if err := reports.UnknownMetric(a.Metric, paths); err != nil {
			p := scenarios.AssertionPath(i, "metric")
			out = append(out, fmt.Sprintf("%s: %s: %v", scenarios.Locate(s, p), p, err))
		}
	}
	return out
}

// runChecks evaluates the scenario's assertions on one run or replicate
// set (get), prints them, writes the JUnit file if asked, and returns
// the exit code: 3 when any failed.
func runChecks(e *env, cmd string, s *scenarios.Scenario, get reports.Lookup, junit string) int {
	if len(s.Asserts) == 0 {
		if junit != "" {
			return writeJUnit(e, cmd, junit, "koiisim "+cmd+" "+s.Name, nil)
		}
		return exitOK
	}
	rs := reports.Check(s.Asserts, "", get)
	fmt.Fprintln(e.stdout)
	reports.PrintChecks(e.stdout, rs)
	if junit != "" {
		if code := writeJUnit(e, cmd, junit, "koiisim "+cmd+" "+s.Name, reports.ChecksAsJUnit(rs)); code != exitOK {
			return code
		}
	}
	if n := reports.Failed(rs); n > 0 {
		fmt.Fprintf(e.stdout, "%d of %d assertions failed\n", n, len(rs))
		return exitInvariant
	}
	return exitOK
}
