package experiment

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/koiisim/koiisim/reports"
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
	all := reports.Paths(classes)
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

// closest names up to three paths nearest to p by edit distance.
func closest(p string, paths []string) string {
	type scored struct {
		path string
		d    int
	}
	var s []scored
	for _, c := range paths {
		s = append(s, scored{c, editDistance(p, c)})
	}
	slices.SortFunc(s, func(a, b scored) int { return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.path, b.path)) })
	var names []string
	for _, c := range s[:min(3, len(s))] {
		if c.d <= max(3, len(p)/2) {
			names = append(names, c.path)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " (closest: " + strings.Join(names, ", ") + ")"
}

// editDistance is the Levenshtein distance over bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Unit returns the unit of a metric path ("KOII", "fraction", ...), or
// "" for a path no metric has.
func Unit(p string) string {
	group, name, _ := strings.Cut(p, ".")
	list := reports.ClassMetrics
	if group == "run" {
		list = reports.RunMetrics
	}
	for _, m := range list {
		if m.Name == name {
			return m.Unit
		}
	}
	return ""
}
