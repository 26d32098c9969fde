package reports

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/koiisim/koiisim/metrics"
)

// TestCompareTextGolden: a single run against a replicate set prints A,
// B with its CI, the difference, and says that no CI or test exists
// with a single run.
func TestCompareTextGolden(t *testing.T) {
	a, b := readSet(t, "run-small"), readSet(t, "replicates")
	c := CompareRuns("testdata/run-small", "testdata/replicates", a, b)
	var out bytes.Buffer
	if err := c.WriteText(&out, false); err != nil {
		t.Fatal(err)
	}
	golden(t, "compare.txt", out.Bytes())
	if !strings.Contains(out.String(), "n/a: a single run") {
		t.Error("a single run must say its CI is not available")
	}
	if strings.Contains(out.String(), "[") {
		t.Error("no interval may be printed when one side is a single run")
	}
}

// TestCompareWelchPerMetric: with replicates on both sides every row
// carries Welch's test of the replicates' values; a set against itself
// differs nowhere.
func TestCompareWelchPerMetric(t *testing.T) {
	b := readSet(t, "replicates")
	self := CompareRuns("b", "b", b, b)
	for _, r := range self.Rows {
		if r.Test.OK && r.Test.P != 1 {
			t.Errorf("%s: a set against itself has p = %v", r.Path, r.Test.P)
		}
	}
	// Shift one metric of a copy and check the row against WelchTest.
	shifted := make([]*RunData, len(b))
	for i, r := range b {
		cp := *r
		cp.Values = map[string]float64{}
		for k, v := range r.Values {
			cp.Values[k] = v
		}
		cp.Values["honest.rewards"] += 10 + float64(i)
		shifted[i] = &cp
	}
	c := CompareRuns("b", "shifted", b, shifted)
	found := false
	for _, r := range c.Rows {
		if r.Path != "honest.rewards" {
			continue
		}
		found = true
		want := metrics.WelchTest(values(b, r.Path), values(shifted, r.Path))
		if r.Test != want || !(r.Test.Diff > 10 && r.Test.Diff < 12) || r.Equal() {
			t.Errorf("honest.rewards: %+v, want %+v", r.Test, want)
		}
		if r.diffCI() == "" || !strings.HasPrefix(r.diffCI(), "[") {
			t.Errorf("replicates on both sides must give an interval, got %q", r.diffCI())
		}
	}
	if !found {
		t.Error("no honest.rewards row")
	}
}

// TestCompareReportWellFormed: the HTML comparison parses, has its table
// and overlaid figures (A and B series in each panel), and stays
// offline.
func TestCompareReportWellFormed(t *testing.T) {
	t.Parallel() // rendering figures is the slow part; two cores
	a, b := readSet(t, "run-small"), readSet(t, "replicates")
	c := CompareRuns("testdata/run-small", "testdata/replicates", a, b)
	figs := c.CompareFigures("compare-replicates-")
	if len(figs) < 2 {
		t.Fatalf("%d overlaid figures", len(figs))
	}
	for _, f := range figs {
		for _, p := range f.Panels {
			na, nb := seriesBySide(p)
			if na == 0 || nb == 0 {
				t.Errorf("%s: %d A and %d B series", f.Name, na, nb)
			}
		}
	}
	rendered, err := WriteFigures(t.TempDir(), figs, NewStyles(append(a[0].Classes, b[0].Classes...)))
	if err != nil {
		t.Fatal(err)
	}
	page, err := c.Report(rendered, ReportOptions{Generator: "koiisim test"}).HTML()
	if err != nil {
		t.Fatal(err)
	}
	els := parsePage(t, page)
	checkOffline(t, els)
	svgs := 0
	for _, e := range els {
		if e.name == "svg" {
			svgs++
		}
	}
	if svgs != len(figs) {
		t.Errorf("%d inline svg, want %d", svgs, len(figs))
	}
	if !bytes.Contains(page, []byte(`id="metrics"`)) || !bytes.Contains(page, []byte("Welch")) {
		t.Error("no metrics table")
	}
}

func TestEqualIgnoresFloatNoise(t *testing.T) {
	r := CompareRow{A: metrics.Estimate{Mean: 600, N: 1}, B: metrics.Estimate{Mean: 600 + 1e-13, SD: 1e-14, N: 3}}
	if !r.Equal() {
		t.Error("600 and 600+1e-13 are the same money")
	}
	r.B.Mean = 600.000000001
	if r.Equal() {
		t.Error("one ROE is a difference")
	}
	_ = math.Pi
}

// TestCompareFiguresKeepAOneSidedFigure: when only A has non-honest
// classes, the coalition figure is still drawn, with A's series alone,
// and its title and caption say that B has none; when both have them it
// overlays both.
func TestCompareFiguresKeepAOneSidedFigure(t *testing.T) {
	a := readSet(t, "run-small")
	if co := align(a).coalitions(); len(co) == 0 {
		t.Fatal("testdata/run-small has no non-honest class to compare")
	}
	honest := make([]*RunData, len(a))
	for i, r := range a {
		cp := *r
		cp.Honest = map[string]bool{}
		for _, c := range r.Classes {
			cp.Honest[c] = true
		}
		honest[i] = &cp
	}
	coalitions := func(figs []Figure) *Figure {
		for i := range figs {
			if strings.HasSuffix(figs[i].Name, "coalitions") {
				return &figs[i]
			}
		}
		return nil
	}
	for _, tc := range []struct {
		name           string
		a, b           []*RunData
		title, caption string
		wantA, wantB   bool
	}{
		{"A only", a, honest, "— A only", "B has no class for this figure", true, false},
		{"B only", honest, a, "— B only", "A has no class for this figure", false, true},
		{"both", a, a, "— A against B", "A is drawn in each class's colour", true, true},
	} {
		f := coalitions(CompareRuns("a", "b", tc.a, tc.b).CompareFigures("c-"))
		if f == nil {
			t.Errorf("%s: no coalition figure", tc.name)
			continue
		}
		if !strings.HasSuffix(f.Title, tc.title) || !strings.HasPrefix(f.Caption, tc.caption) {
			t.Errorf("%s: title %q, caption %q", tc.name, f.Title, f.Caption)
		}
		for _, p := range f.Panels {
			na, nb := seriesBySide(p)
			if (na > 0) != tc.wantA || (nb > 0) != tc.wantB {
				t.Errorf("%s: panel %q has %d A and %d B series", tc.name, p.Title, na, nb)
			}
		}
	}
	if f := coalitions(CompareRuns("a", "b", honest, honest).CompareFigures("c-")); f != nil {
		t.Error("a coalition figure with no non-honest class on either side")
	}
}

// seriesBySide counts a comparison panel's series of A (drawn plain) and
// of B (Alt).
func seriesBySide(p Panel) (a, b int) {
	for _, s := range p.Series {
		if s.Alt {
			b++
		} else {
			a++
		}
	}
	return a, b
}
