package reports

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/koiisim/koiisim/metrics"
)

// RunComparison is two runs (or replicate sets) side by side, metric by
// metric: A and B with their 95% intervals, B − A with its Welch
// interval and p-value.
type RunComparison struct {
	NameA, NameB string
	A, B         []*RunData
	Rows         []CompareRow
}

// CompareRow is one metric of a comparison.
type CompareRow struct {
	Path, Unit string
	A, B       metrics.Estimate
	Test       metrics.Welch
}

// Equal reports whether both sides hold the same value in every run
// (nothing to look at).
func (r CompareRow) Equal() bool {
	same := func(x, y float64) bool {
		return (math.IsNaN(x) && math.IsNaN(y)) || math.Abs(x-y) <= negligible(x, y)
	}
	flat := func(e metrics.Estimate) bool { return e.N < 2 || e.SD <= negligible(e.Mean, 0) }
	return same(r.A.Mean, r.B.Mean) && flat(r.A) && flat(r.B)
}

// CompareRuns lines up every metric the two sides report: run figures, the
// total, then each class (A's classes first, then B's others).
func CompareRuns(nameA, nameB string, a, b []*RunData) *RunComparison {
	c := &RunComparison{NameA: nameA, NameB: nameB, A: a, B: b}
	classes := align(append(append([]*RunData(nil), a...), b...)).classes
	add := func(prefix string, ms []metrics.Metric) {
		for _, m := range ms {
			p := prefix + "." + m.Name
			_, inA := a[0].Values[p]
			_, inB := b[0].Values[p]
			if !inA && !inB {
				continue
			}
			xa, xb := values(a, p), values(b, p)
			c.Rows = append(c.Rows, CompareRow{Path: p, Unit: m.Unit, A: metrics.Summarize(xa), B: metrics.Summarize(xb), Test: metrics.WelchTest(xa, xb)})
		}
	}
	add("run", metrics.RunMetrics)
	add("total", metrics.ClassMetrics)
	for _, cl := range classes {
		add(cl, metrics.ClassMetrics)
	}
	return c
}

func values(runs []*RunData, path string) []float64 {
	xs := make([]float64, len(runs))
	for i, r := range runs {
		v, ok := r.Values[path]
		if !ok {
			v = math.NaN()
		}
		xs[i] = v
	}
	return xs
}

// negligible is the float noise of sums of money in KOII: a spread or
// difference this small is zero.
func negligible(x, y float64) float64 {
	return 1e-12 * math.Max(1, math.Max(math.Abs(x), math.Abs(y)))
}

// side describes one side of a comparison in a line.
func side(name string, runs []*RunData) string {
	m := runs[0].Meta
	if len(runs) == 1 {
		return fmt.Sprintf("%s: %s, seed %d, one run (no confidence intervals)", name, m.Scenario, m.Seed)
	}
	return fmt.Sprintf("%s: %s, %d replicates", name, m.Scenario, len(runs))
}

// diffCI formats B − A's interval, or says why there is none.
func (r CompareRow) diffCI() string {
	switch {
	case r.Test.OK:
		return "[" + fmtDiff(r.Test.Lo, r.Unit) + ", " + fmtDiff(r.Test.Hi, r.Unit) + "]"
	case r.A.N == 0 && r.B.N == 0:
		return "n/a: undefined in both"
	case r.A.N == 0:
		return "n/a: undefined in A"
	case r.B.N == 0:
		return "n/a: undefined in B"
	case r.A.N < 2 && r.B.N < 2:
		return "n/a: single runs"
	default:
		return "n/a: a single run"
	}
}

func (r CompareRow) pValue() string {
	if !r.Test.OK || math.IsNaN(r.Test.P) {
		return "n/a"
	}
	if r.Test.P < 0.0001 {
		return "<0.0001"
	}
	return fixed(r.Test.P, 4)
}

func (r CompareRow) diff() string {
	if math.IsNaN(r.Test.Diff) {
		return "–"
	}
	s := fmtDiff(r.Test.Diff, r.Unit)
	if !strings.HasPrefix(s, "−") && r.Test.Diff != 0 && s != "0" && strings.Trim(s, "0.%,") != "" {
		s = "+" + s
	}
	return s
}

// fmtDiff formats a difference like a value, but a difference of money
// too small for 4 decimals in ROE-exact KOII (9 decimals), so a real
// difference of a few ROE does not read as 0.0000.
func fmtDiff(x float64, unit string) string {
	if unit == "KOII" && x != 0 && math.Abs(x) < 5e-5 {
		return group(fixed(x, 9))
	}
	return fmtValue(x, unit)
}

// WriteText writes the comparison as a plain table: the metrics that
// differ, or all of them. The metric column is left-aligned, the
// numbers right-aligned.
func (c *RunComparison) WriteText(w io.Writer, all bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "A = %s\n    %s\nB = %s\n    %s\n\n", c.A[0].setDir(len(c.A)), side("A", c.A), c.B[0].setDir(len(c.B)), side("B", c.B))
	rows := [][]string{{"metric", "unit", "A", "B", "B − A", "95% CI of B − A", "p (Welch)"}}
	hidden := 0
	for _, r := range c.Rows {
		if !all && r.Equal() {
			hidden++
			continue
		}
		rows = append(rows, []string{r.Path, unitLabel(r.Unit), fmtEstimate(r.A, r.Unit), fmtEstimate(r.B, r.Unit), r.diff(), r.diffCI(), r.pValue()})
	}
	width := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			width[i] = max(width[i], utf8.RuneCountInString(cell))
		}
	}
	for _, row := range rows {
		for i, cell := range row {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(cell))
			switch {
			case i == 0:
				b.WriteString(cell + pad)
			case i == 1:
				b.WriteString("  " + cell + pad)
			default:
				b.WriteString("  " + pad + cell)
			}
		}
		b.WriteByte('\n')
	}
	if hidden > 0 {
		fmt.Fprintf(&b, "\n%d metrics are the same in A and B and are not shown (--all shows them).\n", hidden)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// CompareFigures overlays A and B (thinner, lighter) per class: cumulative
// rewards and slashes per node, and the net profit of the non-honest
// classes. A figure only one side has (the non-honest classes, when the
// other has none) is drawn with that side alone, and its title and
// caption say so: a figure is never dropped for want of a partner.
func (c *RunComparison) CompareFigures(prefix string) []Figure {
	fa, fb := RunFigures(c.A), RunFigures(c.B)
	find := func(figs []Figure, name string) *Figure {
		for i := range figs {
			if figs[i].Name == name {
				return &figs[i]
			}
		}
		return nil
	}
	var out []Figure
	for _, name := range []string{"cumulative-rewards", "cumulative-slashes", "coalitions"} {
		x, y := find(fa, name), find(fb, name)
		if x == nil && y == nil {
			continue
		}
		first := x
		if first == nil {
			first = y
		}
		f := Figure{Name: prefix + name, Cols: first.Cols}
		for i := range first.Panels {
			p := first.Panels[i]
			p.Series = nil
			if x != nil && i < len(x.Panels) {
				for _, s := range x.Panels[i].Series {
					s.Label += " (A)"
					p.Series = append(p.Series, s)
				}
			}
			if y != nil && i < len(y.Panels) {
				for _, s := range y.Panels[i].Series {
					s.Label += " (B)"
					s.Alt = true
					p.Series = append(p.Series, s)
				}
			}
			f.Panels = append(f.Panels, p)
		}
		base, _, _ := strings.Cut(first.Title, " (mean of")
		switch {
		case y == nil:
			f.Title = base + " — A only"
			f.Caption = "B has no class for this figure (every class of B behaves honestly), so only A is drawn, in each class's colour. " + firstSentence(x.Caption)
		case x == nil:
			f.Title = base + " — B only"
			f.Caption = "A has no class for this figure (every class of A behaves honestly), so only B is drawn, thinner and lighter with the class's marker in the other fill. " + firstSentence(y.Caption)
		default:
			f.Title = base + " — A against B"
			f.Caption = "A is drawn in each class's colour, B thinner and lighter with the class's marker in the other fill (hollow for filled); each class keeps its colour and dashes. " + firstSentence(x.Caption)
		}
		out = append(out, f)
	}
	return out
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// Report builds the HTML comparison; figs are the rendered overlays.
func (c *RunComparison) Report(figs []RenderedFigure, o ReportOptions) *Report {
	ma, mb := c.A[0].Meta, c.B[0].Meta
	rep := &Report{Kind: "comparison", Figures: figs, Generator: o.Generator,
		Title:       fmt.Sprintf("%s against %s", filepath.Base(c.A[0].setDir(len(c.A))), filepath.Base(c.B[0].setDir(len(c.B)))),
		Description: "Every metric of A and B side by side, with the difference B − A, its 95% confidence interval and Welch's t-test p-value.",
	}
	rep.Meta = []KV{
		{Key: "A", Value: side(c.A[0].setDir(len(c.A)), c.A)},
		{Key: "A scenario sha256", Value: ma.Hash, Code: true},
		{Key: "A replay", Value: ma.Replay, Code: true},
		{Key: "B", Value: side(c.B[0].setDir(len(c.B)), c.B)},
		{Key: "B scenario sha256", Value: mb.Hash, Code: true},
		{Key: "B replay", Value: mb.Replay, Code: true},
		{Key: "simulated by", Value: ma.Tool + " " + ma.Version + " (A), " + mb.Tool + " " + mb.Version + " (B)"},
	}
	if ma.Hash == mb.Hash {
		rep.Highlights = append(rep.Highlights, "A and B ran the same scenario (the same sha256); they differ only in seeds or replicates.")
	} else {
		rep.Highlights = append(rep.Highlights, "A and B ran different scenarios (their sha256 differ): see each one's replay command.")
	}
	sig := 0
	for _, r := range c.Rows {
		if r.Test.OK && r.Test.P < 0.05 && !r.Equal() {
			sig++
		}
	}
	if len(c.A) < 2 || len(c.B) < 2 {
		rep.Highlights = append(rep.Highlights, "At least one side is a single run, so differences have no confidence interval or test: run replicates (--replicates) on both sides to get them.")
	} else {
		rep.Highlights = append(rep.Highlights, fmt.Sprintf("%d of %d metrics differ at the 5%% level (Welch's t-test, not corrected for multiple comparisons).", sig, len(c.Rows)))
	}
	t := DataTable{ID: "metrics", Title: "Metrics side by side",
		Note: "A and B as mean ± the half-width of the 95% interval over replicates (a single run has none); B − A with its 95% interval on Welch–Satterthwaite degrees of freedom; p is the two-sided Welch t-test.",
		Head: []string{"metric", "unit", "A", "B", "B − A", "95% CI of B − A", "p"}}
	group := ""
	for _, r := range c.Rows {
		g := r.Path[:strings.LastIndexByte(r.Path, '.')]
		if g != group {
			group = g
			title := "class " + g
			if g == "run" {
				title = "the run as a whole"
			} else if g == "total" {
				title = "all nodes"
			}
			t.Rows = append(t.Rows, Row{Cells: []string{title}, Class: "group"})
		}
		cls := ""
		if r.Equal() {
			cls = "same"
		}
		t.Rows = append(t.Rows, Row{Cells: []string{r.Path, unitLabel(r.Unit), fmtEstimate(r.A, r.Unit), fmtEstimate(r.B, r.Unit), r.diff(), r.diffCI(), r.pValue()}, Class: cls})
	}
	rep.Tables = []DataTable{t}
	rep.ScenarioSrc = "The scenarios are in A's and B's own reports (koiisim report DIR)."
	return rep
}

// setDir is the directory a run set was read from: the run's own, or
// the parent of its replicates.
func (r *RunData) setDir(n int) string {
	if n > 1 {
		return filepath.Dir(r.Dir)
	}
	return r.Dir
}
