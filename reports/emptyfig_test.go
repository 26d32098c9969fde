package reports

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestFlatZeroPanelSaysSo: a run where nobody was slashed gets a
// cumulative-slashes panel that says "no slashes in this run" instead of
// flat lines at zero drawn as if they were informative; per-cycle
// panels with nothing in them say so too.
func TestFlatZeroPanelSaysSo(t *testing.T) {
	runs, err := ReadRunSet(filepath.Join("testdata", "run-small"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		for _, cols := range r.Rounds {
			for i := range cols["slashed_koii"] {
				cols["slashed_koii"][i] = 0
			}
		}
	}
	found := false
	for _, f := range RunFigures(runs) {
		if f.Name != "cumulative-slashes" {
			continue
		}
		found = true
		if p := f.Panels[0]; p.Empty != "no slashes in this run" {
			t.Errorf("panel note %q", p.Empty)
		}
		if !strings.Contains(f.Caption, "No slashes in this run") {
			t.Errorf("caption %q", f.Caption)
		}
		if n := len(legendEntries(f, NewStyles(runs[0].Classes))); n != 0 {
			t.Errorf("%d legend entries for lines not drawn", n)
		}
	}
	if !found {
		t.Fatal("no cumulative-slashes figure")
	}
}

// TestIdenticalLinesNamedInLegend: two series with the same values draw
// one line over the other; the legend says which one is hidden.
func TestIdenticalLinesNamedInLegend(t *testing.T) {
	same := []float64{1, 2, 3}
	f := Figure{Name: "x", Panels: []Panel{{Kind: LinePanel, Series: []Series{
		{Label: "faulty", Key: "faulty", X: []float64{0, 1, 2}, Y: same},
		{Label: "faulty-slow", Key: "faulty-slow", X: []float64{0, 1, 2}, Y: append([]float64(nil), same...)},
		{Label: "honest", Key: "honest", X: []float64{0, 1, 2}, Y: []float64{1, 2, 4}},
	}}}}
	es := legendEntries(f, NewStyles([]string{"faulty", "faulty-slow", "honest"}))
	if len(es) != 3 || es[0].label != "faulty (identical to faulty-slow, drawn under it)" || es[1].label != "faulty-slow" || es[2].label != "honest" {
		var got []string
		for _, e := range es {
			got = append(got, e.label)
		}
		t.Errorf("legend %q", got)
	}
}

// TestColourBarLabelHasNoDot: the colour bar's label is set vertically,
// where PNG rendering drops a lone full stop ("faultynet_profit"): it
// reads "faulty net profit (KOII)" instead of the metric path.
func TestColourBarLabelHasNoDot(t *testing.T) {
	s := readSweep(t, "sweep-2d")
	for _, f := range SweepFigures(s, nil) {
		if f.Name == "sweep-heatmap-faulty" {
			if got := f.Panels[0].Heat.ZLabel; got != "faulty net profit (KOII)" {
				t.Errorf("colour bar label %q", got)
			}
			return
		}
	}
	t.Fatal("no heatmap of faulty")
}
