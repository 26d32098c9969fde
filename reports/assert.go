package reports

import (
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/scenarios"
)

// CheckResult is one assertion evaluated on one run, replicate set or
// sweep point.
type CheckResult struct {
	Name     string
	Metric   string
	Point    string // the sweep point's label; empty for a run
	Op       scenarios.Op
	Stat     scenarios.Stat
	Bound    float64
	Observed float64 // the compared statistic; NaN when undefined
	N        int     // replicates behind it
	Pass     bool
}

// Lookup returns a metric's estimate over the replicates of a run (one
// replicate: the value, with no interval).
type Lookup func(path string) (metrics.Estimate, bool)

// FiguresLookup is the Lookup of one run's figures.
func FiguresLookup(f *metrics.Figures) Lookup {
	values := map[string]metrics.Value{}
	for _, p := range metrics.Flatten(f) {
		values[p.Path] = p.Value
	}
	one := func(path string) ([]float64, bool) {
		v, ok := values[path]
		return []float64{v.Float()}, ok
	}
	return func(path string) (metrics.Estimate, bool) {
		if e, ok := metrics.ProportionEstimate(path, one); ok {
			return e, true
		}
		v, ok := values[path]
		if !ok {
			return metrics.Estimate{}, false
		}
		return metrics.Summarize([]float64{v.Float()}), true
	}
}

// Check evaluates assertions against one run's metrics. A statistic
// with no interval (a single replicate) is the mean; an undefined metric
// (a rate over zero cases) fails every comparison but !=.
func Check(asserts []scenarios.Assertion, point string, get Lookup) []CheckResult {
	out := make([]CheckResult, 0, len(asserts))
	for _, a := range asserts {
		r := CheckResult{Name: a.Name, Metric: a.Metric, Point: point, Op: a.Op, Stat: a.Stat, Bound: a.Value, Observed: math.NaN()}
		if e, ok := get(a.Metric); ok {
			r.N = e.N
			r.Observed = e.Mean
			if e.HasCI() {
				switch a.Stat {
				case scenarios.StatCILow:
					r.Observed = e.Lo
				case scenarios.StatCIHigh:
					r.Observed = e.Hi
				}
			}
		}
		r.Pass = a.Op.Holds(r.Observed, a.Value)
		out = append(out, r)
	}
	return out
}

// Failed counts the failed checks.
func Failed(rs []CheckResult) int {
	n := 0
	for _, r := range rs {
		if !r.Pass {
			n++
		}
	}
	return n
}

// PrintChecks writes one line per check: PASS or FAIL, its name, and the
// observed statistic against the bound.
func PrintChecks(w io.Writer, rs []CheckResult) {
	for _, r := range rs {
		verdict := "PASS"
		if !r.Pass {
			verdict = "FAIL"
		}
		at := ""
		if r.Point != "" {
			at = " at " + r.Point
		}
		fmt.Fprintf(w, "%s  %s%s: %s %s = %s, want %s %s\n", verdict, r.Name, at, r.Metric, r.Stat, formatObserved(r.Observed), r.Op, strconv.FormatFloat(r.Bound, 'g', -1, 64))
	}
}

func formatObserved(x float64) string {
	if math.IsNaN(x) {
		return "undefined"
	}
	return strconv.FormatFloat(x, 'g', 10, 64)
}

// UnknownMetric returns an error for a path that is not one of paths,
// naming up to five paths near it, or nil when it is one.
func UnknownMetric(path string, paths []string) error {
	for _, p := range paths {
		if p == path {
			return nil
		}
	}
	names := scenarios.Nearest(path, paths, 5)
	return fmt.Errorf("unknown metric path %q; near it: %s (all paths: koiisim sweep --metrics list, or summary.json's keys)", path, strings.Join(names, ", "))
}

// JUnit test-report types (the subset CI systems read).
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Output    string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

// JUnitCase is one test case of a JUnit report.
type JUnitCase struct {
	Name    string
	Failure string // empty: passed
	Output  string
}

// ChecksAsJUnit turns check results into JUnit test cases.
func ChecksAsJUnit(rs []CheckResult) []JUnitCase {
	out := make([]JUnitCase, 0, len(rs))
	for _, r := range rs {
		name := r.Name
		if r.Point != "" {
			name += " at " + r.Point
		}
		line := fmt.Sprintf("%s %s = %s, want %s %s", r.Metric, r.Stat, formatObserved(r.Observed), r.Op, strconv.FormatFloat(r.Bound, 'g', -1, 64))
		c := JUnitCase{Name: name, Output: line}
		if !r.Pass {
			c.Failure = line
		}
		out = append(out, c)
	}
	return out
}

// WriteJUnit writes one JUnit test suite named suite.
func WriteJUnit(w io.Writer, suite string, cases []JUnitCase) error {
	s := junitSuite{Name: suite, Tests: len(cases)}
	for _, c := range cases {
		jc := junitCase{Name: c.Name, Classname: suite, Output: c.Output}
		if c.Failure != "" {
			jc.Failure = &junitFailure{Message: c.Failure, Body: c.Failure}
			s.Failures++
		}
		s.Cases = append(s.Cases, jc)
	}
	doc := junitSuites{Tests: s.Tests, Failures: s.Failures, Suites: []junitSuite{s}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// SummaryPoint is one row of a replicate set's or sweep's summary.csv:
// the point's label, its swept values by --set path, and its metrics.
type SummaryPoint struct {
	Label  string
	Values map[string]string
	Get    Lookup
}

// ReadSummaryPoints parses summary.csv (point, one column per swept
// path, then METRIC.mean, .sd, .ci_low, .ci_high and .n per metric)
// into points whose Lookup gives each metric's estimate.
func ReadSummaryPoints(r io.Reader) ([]SummaryPoint, error) {
	recs, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("summary.csv: %v", err)
	}
	if len(recs) == 0 || len(recs[0]) == 0 || recs[0][0] != "point" {
		return nil, fmt.Errorf("summary.csv: no header starting with point")
	}
	head := recs[0]
	col := map[string]int{}
	var dims []int
	for i, h := range head[1:] {
		i++
		switch stat := h[strings.LastIndexByte(h, '.')+1:]; stat {
		case "mean", "sd", "ci_low", "ci_high", "n":
			col[h] = i
		default:
			dims = append(dims, i)
		}
	}
	num := func(rec []string, name string) float64 {
		i, ok := col[name]
		if !ok || i >= len(rec) || rec[i] == "" {
			return math.NaN()
		}
		x, err := strconv.ParseFloat(rec[i], 64)
		if err != nil {
			return math.NaN()
		}
		return x
	}
	var out []SummaryPoint
	for _, rec := range recs[1:] {
		rec := rec
		p := SummaryPoint{Label: "point " + rec[0], Values: map[string]string{}}
		var parts []string
		for _, i := range dims {
			if i < len(rec) {
				p.Values[head[i]] = rec[i]
				parts = append(parts, head[i]+"="+rec[i])
			}
		}
		if len(parts) > 0 {
			p.Label += " (" + strings.Join(parts, ", ") + ")"
		}
		p.Get = func(path string) (metrics.Estimate, bool) {
			if _, ok := col[path+".mean"]; !ok {
				return metrics.Estimate{}, false
			}
			return metrics.Estimate{Mean: num(rec, path+".mean"), SD: num(rec, path+".sd"), Lo: num(rec, path+".ci_low"),
				Hi: num(rec, path+".ci_high"), N: int(num(rec, path+".n"))}, true
		}
		out = append(out, p)
	}
	return out, nil
}

// Matches reports whether the point has every value of where: equal as
// text, or as numbers (0.70 matches 0.7).
func (p SummaryPoint) Matches(where map[string]string) bool {
	for k, want := range where {
		got, ok := p.Values[k]
		if !ok {
			return false
		}
		if got == want {
			continue
		}
		a, errA := strconv.ParseFloat(got, 64)
		b, errB := strconv.ParseFloat(want, 64)
		if errA != nil || errB != nil || a != b {
			return false
		}
	}
	return true
}

// CheckPoints evaluates each assertion on every point its where: admits
// (a replicate set is one point with no values: where is ignored there).
func CheckPoints(asserts []scenarios.Assertion, points []SummaryPoint) []CheckResult {
	var out []CheckResult
	for _, a := range asserts {
		for _, p := range points {
			label := p.Label
			if len(p.Values) == 0 {
				label = ""
			} else if !p.Matches(a.Where) {
				continue
			}
			out = append(out, Check([]scenarios.Assertion{a}, label, p.Get)...)
		}
	}
	return out
}
