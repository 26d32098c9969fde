package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/koiisim/koiisim/scenarios"
)

// Verdict is what a sweep's report says of one assertion checked at
// every point: a sentence naming the settings under which it holds and
// fails, and a table of every point's checked value.
type Verdict struct {
	Name  string
	Text  string
	Table DataTable
}

// Verdicts describes each assertion of rs (CheckPoints over points) in
// words: at how many points it holds, and the shortest conjunctions of
// swept settings (one value, then two, then three) under which it holds
// at every point they select, and likewise where it fails. dims are the
// swept paths in design order. When no short conjunction describes a
// point (designs whose values are all distinct, such as random or lhs),
// the sentence names the points instead. Nothing is averaged: each point
// is judged by its own statistic, as the assertion asks.
func Verdicts(rs []CheckResult, points []SummaryPoint, dims []string) []Verdict {
	byLabel := map[string]SummaryPoint{}
	for _, p := range points {
		byLabel[p.Label] = p
	}
	var names []string
	groups := map[string][]CheckResult{}
	for _, r := range rs {
		if r.Point == "" {
			continue
		}
		if _, ok := groups[r.Name]; !ok {
			names = append(names, r.Name)
		}
		groups[r.Name] = append(groups[r.Name], r)
	}
	var out []Verdict
	for _, name := range names {
		g := groups[name]
		pass, fail := splitResults(g, byLabel)
		first := g[0]
		what := fmt.Sprintf("%s %s %s %s (%s)", first.Metric, statLabel(first.Stat), first.Op, formatBound(first.Bound), statMeaning(first.Stat))
		var b strings.Builder
		fmt.Fprintf(&b, "«%s», %s, holds at %d of %d points", name, what, len(pass), len(g))
		if len(pass) > 0 && len(fail) > 0 {
			fmt.Fprintf(&b, ": %s", describeSet(pass, fail, dims))
			fmt.Fprintf(&b, "; it fails %s", describeSet(fail, pass, dims))
		}
		b.WriteString(".")
		if lo, hi, ok := observedRange(g, true); ok {
			fmt.Fprintf(&b, " Where it holds, the checked value lies between %s and %s", formatBound(lo), formatBound(hi))
			if lo2, hi2, ok := observedRange(g, false); ok {
				fmt.Fprintf(&b, "; where it fails, between %s and %s", formatBound(lo2), formatBound(hi2))
			}
			b.WriteString(".")
		} else if lo, hi, ok := observedRange(g, false); ok {
			fmt.Fprintf(&b, " The checked value lies between %s and %s.", formatBound(lo), formatBound(hi))
		}
		t := DataTable{ID: "assert-" + slugID(name), Title: "Assertion at each point: " + name,
			Note: fmt.Sprintf("%s, judged at each point on its own replicates.", what)}
		t.Head = append([]string{"point"}, shortDims(dims)...)
		t.Head = append(t.Head, first.Metric+" "+statLabel(first.Stat), "n", "verdict")
		for _, r := range g[:min(len(g), maxTablePoints)] {
			cells := []string{r.Point}
			p := byLabel[r.Point]
			for _, d := range dims {
				cells = append(cells, p.Values[d])
			}
			verdict := "FAIL"
			if r.Pass {
				verdict = "PASS"
			}
			cells = append(cells, formatBound(r.Observed), fmt.Sprint(r.N), verdict)
			t.Rows = append(t.Rows, Row{Cells: cells})
		}
		if len(g) > maxTablePoints {
			t.Note += fmt.Sprintf(" The first %d of %d points.", maxTablePoints, len(g))
		}
		out = append(out, Verdict{Name: name, Text: b.String(), Table: t})
	}
	return out
}

// splitResults returns the swept values of the points where the results
// passed and failed.
func splitResults(g []CheckResult, byLabel map[string]SummaryPoint) (pass, fail []map[string]string) {
	for _, r := range g {
		v := byLabel[r.Point].Values
		if r.Pass {
			pass = append(pass, v)
		} else {
			fail = append(fail, v)
		}
	}
	return pass, fail
}

// setting is one swept path at one value.
type setting struct{ path, value string }

// maxConjunction is the most settings a described condition joins, and
// maxDescribedValues the most distinct values a path may have for the
// conditions to be worth stating (past it each value is one point).
const (
	maxConjunction     = 3
	maxDescribedValues = 12
)

// describeSet names the points of in (none of out) as the minimal
// conjunctions of settings that select only points of in, each at least
// one; points no such conjunction reaches are named by their values.
func describeSet(in, out []map[string]string, dims []string) string {
	values := map[string][]string{}
	for _, p := range append(slices.Clone(in), out...) {
		for _, d := range dims {
			if !slices.Contains(values[d], p[d]) {
				values[d] = append(values[d], p[d])
			}
		}
	}
	var conds [][]setting
	if describable(values, dims) {
		conds = minimalConditions(in, out, dims, values)
	}
	covered := make([]bool, len(in))
	var parts []string
	for _, c := range conds {
		for i, p := range in {
			if matches(p, c) {
				covered[i] = true
			}
		}
		var words []string
		for _, s := range c {
			words = append(words, shortDim(s.path)+" = "+s.value)
		}
		parts = append(parts, "wherever "+strings.Join(words, " and "))
	}
	var rest []string
	for i, p := range in {
		if !covered[i] {
			var words []string
			for _, d := range dims {
				words = append(words, shortDim(d)+" = "+p[d])
			}
			rest = append(rest, "("+strings.Join(words, ", ")+")")
		}
	}
	if len(rest) > 0 {
		if len(rest) > 8 {
			rest = append(rest[:8], fmt.Sprintf("and %d more", len(rest)-8))
		}
		parts = append(parts, "at "+strings.Join(rest, ", "))
	}
	return strings.Join(parts, "; ")
}

func describable(values map[string][]string, dims []string) bool {
	for _, d := range dims {
		if len(values[d]) > maxDescribedValues {
			return false
		}
	}
	return len(dims) > 0
}

// minimalConditions returns, shortest first, every conjunction of up to
// maxConjunction settings that selects at least one point of in and no
// point of out, and that contains no shorter such conjunction.
func minimalConditions(in, out []map[string]string, dims []string, values map[string][]string) [][]setting {
	var found [][]setting
	var walk func(start int, cur []setting, size int)
	walk = func(start int, cur []setting, size int) {
		if len(cur) == size {
			for _, f := range found {
				if subset(f, cur) {
					return
				}
			}
			selects := false
			for _, p := range in {
				if matches(p, cur) {
					selects = true
					break
				}
			}
			if !selects {
				return
			}
			for _, p := range out {
				if matches(p, cur) {
					return
				}
			}
			found = append(found, slices.Clone(cur))
			return
		}
		for d := start; d < len(dims); d++ {
			for _, v := range values[dims[d]] {
				walk(d+1, append(cur, setting{dims[d], v}), size)
			}
		}
	}
	for size := 1; size <= min(maxConjunction, len(dims)); size++ {
		walk(0, nil, size)
	}
	return found
}

func matches(p map[string]string, c []setting) bool {
	for _, s := range c {
		if p[s.path] != s.value {
			return false
		}
	}
	return true
}

// subset reports whether every setting of a is in b.
func subset(a, b []setting) bool {
	for _, s := range a {
		if !slices.Contains(b, s) {
			return false
		}
	}
	return true
}

func observedRange(g []CheckResult, pass bool) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, r := range g {
		if r.Pass == pass && !math.IsNaN(r.Observed) {
			lo, hi, ok = min(lo, r.Observed), max(hi, r.Observed), true
		}
	}
	return lo, hi, ok
}

func statLabel(s scenarios.Stat) string {
	if s == scenarios.StatMean {
		return "mean"
	}
	return s.String()
}

func statMeaning(s scenarios.Stat) string {
	switch s {
	case scenarios.StatCIHigh:
		return "the upper end of its 95% confidence interval"
	case scenarios.StatCILow:
		return "the lower end of its 95% confidence interval"
	}
	return "the mean over the point's replicates"
}

func formatBound(x float64) string {
	if math.IsNaN(x) {
		return "undefined"
	}
	return fmt.Sprintf("%.4g", x)
}
