package main

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/koiisim/koiisim/experiment"
	"github.com/koiisim/koiisim/internal/input"
	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/reports"
	"github.com/koiisim/koiisim/scenarios"
)

// assertPathProblems checks that every assertion names a metric path the
// scenario's runs have; each problem is located in the file.
func assertPathProblems(s *scenarios.Scenario) []string {
	if len(s.Asserts) == 0 {
		return nil
	}
	paths := metrics.Paths(s.Config.Classes())
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
	return printChecks(e, cmd, s, reports.Check(s.Asserts, "", get), junit)
}

// printChecks prints check results, writes them as JUnit if asked, and
// returns 3 when any failed.
func printChecks(e *env, cmd string, s *scenarios.Scenario, rs []reports.CheckResult, junit string) int {
	if len(rs) > 0 {
		fmt.Fprintln(e.stdout)
		reports.PrintChecks(e.stdout, rs)
	}
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

// finish is what run and sweep do once their files are written: draw
// the report (--report) and evaluate the assert: section (--junit).
type finish struct {
	junit  string
	report bool
}

// single finishes a single run whose figures are f.
func (fin finish) single(e *env, s *scenarios.Scenario, dir string, f *metrics.Figures) int {
	if fin.report {
		if code := writeReport(e, dir); code != exitOK {
			return code
		}
	}
	return runChecks(e, "run", s, reports.FiguresLookup(f), fin.junit)
}

// summary finishes a replicate set or a whole sweep in dir: the checks
// read its summary.csv, each assertion on every point its where: admits.
func (fin finish) summary(e *env, cmd string, s *scenarios.Scenario, dir string) int {
	if fin.report {
		if code := writeReport(e, dir); code != exitOK {
			return code
		}
	}
	if len(s.Asserts) == 0 && fin.junit == "" {
		return exitOK
	}
	f, err := input.OpenTable(filepath.Join(dir, experiment.SummaryTable+".csv"))
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim %s: reading the summary for the assertions: %v\n", cmd, err)
		return exitRuntime
	}
	points, err := reports.ReadSummaryPoints(f)
	f.Close()
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim %s: %v\n", cmd, err)
		return exitRuntime
	}
	rs := reports.CheckPoints(s.Asserts, points)
	for _, a := range s.Asserts {
		if len(a.Where) > 0 && !slices.ContainsFunc(rs, func(r reports.CheckResult) bool { return r.Name == a.Name }) {
			fmt.Fprintf(e.stderr, "koiisim %s: warning: assertion %q checked no point: no point has %v\n", cmd, a.Name, a.Where)
		}
	}
	return printChecks(e, cmd, s, rs, fin.junit)
}

// addAssertMetrics makes sure the plan's summary reports every metric
// the assertions check.
func addAssertMetrics(p *experiment.Plan, s *scenarios.Scenario) {
	for _, a := range s.Asserts {
		if !slices.Contains(p.Metrics, a.Metric) {
			p.Metrics = append(p.Metrics, a.Metric)
		}
	}
}
