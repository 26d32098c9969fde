package experiment

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/scenarios"
)

// defaultClass and defaultRun are the metrics a summary reports when
// none are chosen: what each class earned and lost and how well audits
// told valid from invalid work, then the run's health.
var (
	defaultClass = []string{"net_profit", "missed_detection_rate", "false_slash_rate", "slashed", "rewards", "return_on_stake"}
	defaultRun   = []string{"run.unpaid_rate", "run.wrong_lists", "run.bounty_paid", "run.burned"}
)

// DefaultMetrics returns the default summary metrics for a scenario
// with these classes: each class figure for every class and the total
// (net_profit of every class first), then the run's figures.
func DefaultMetrics(classes []string) []string {
	var out []string
	for _, m := range defaultClass {
		for _, c := range append(slices.Clone(classes), "total") {
			out = append(out, c+"."+m)
		}
	}
	return append(out, defaultRun...)
}

// SelectMetrics expands metric paths and patterns (path.Match syntax:
// faulty.*, *.net_profit) against the paths of a run with these classes,
// keeping the order given and dropping repeats. "all" selects every
// path; no pattern selects the defaults. A path or pattern that matches
// nothing is an *InputError listing the closest paths.
func SelectMetrics(patterns, classes []string) ([]string, error) {
	all := metrics.Paths(classes)
	if len(patterns) == 0 {
		return DefaultMetrics(classes), nil
	}
	var out []string
	seen := map[string]bool{}
	var bad []string
	for _, p := range patterns {
		if p == "all" {
			p = "*"
		}
		n := 0
		for _, m := range all {
			if ok, _ := path.Match(p, m); ok {
				n++
				if !seen[m] {
					seen[m] = true
					out = append(out, m)
				}
			}
		}
		if n == 0 {
			bad = append(bad, fmt.Sprintf("%q matches no metric%s", p, closest(p, all)))
		}
	}
	if len(bad) > 0 {
		return nil, inputErrorf("%s; --metrics list prints every metric of the scenario", strings.Join(bad, "; "))
	}
	return out, nil
}

// closest names the three paths nearest to p by edit distance.
func closest(p string, paths []string) string {
	near := scenarios.Nearest(p, paths, 3)
	if len(near) == 0 {
		return ""
	}
	return " (closest: " + strings.Join(near, ", ") + ")"
}

// Unit returns the unit of a metric path ("KOII", "fraction", ...), or
// "" for a path no metric has.
func Unit(p string) string {
	m, _ := metrics.LookupMetric(p)
	return m.Unit
}
