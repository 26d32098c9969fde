package reports

import (
	"fmt"
	"github.com/koiisim/koiisim/metrics"
	"testing"
)

// syntheticSweep is a grid sweep built in memory: each dimension's values
// in dims, every combination a point, and metrics computed by f from the
// point's numbers (mean f, a ±1 interval, n = 3).
func syntheticSweep(paths []string, dims [][]float64, metricPaths []string, f func(metric string, x []float64) float64) *SweepData {
	s := &SweepData{Dims: paths}
	m := &s.Manifest
	m.Tool, m.Hash, m.Design.Kind, m.Design.Replicates = "koiisim", "ab", "grid", 3
	m.Metrics = metricPaths
	m.Classes = []string{"honest", "faulty"}
	for _, p := range paths {
		m.Design.Vary = append(m.Design.Vary, struct {
			Path   string   `json:"path"`
			Values []string `json:"values"`
			From   string   `json:"from"`
			To     string   `json:"to"`
			Steps  int      `json:"steps"`
		}{Path: p})
	}
	idx := make([]int, len(dims))
	for n := 0; ; n++ {
		pt := SweepPoint{Index: n, Stats: map[string]metrics.Estimate{}}
		for d, i := range idx {
			pt.Num = append(pt.Num, dims[d][i])
			pt.Values = append(pt.Values, g3(dims[d][i]))
		}
		for _, metric := range metricPaths {
			y := f(metric, pt.Num)
			pt.Stats[metric] = metrics.Estimate{Mean: y, SD: 1, Lo: y - 1, Hi: y + 1, N: 3}
		}
		s.Points = append(s.Points, pt)
		d := len(idx) - 1
		for d >= 0 {
			idx[d]++
			if idx[d] < len(dims[d]) {
				break
			}
			idx[d] = 0
			d--
		}
		if d < 0 {
			break
		}
	}
	m.Design.Points = len(s.Points)
	return s
}

// TestSweepLinesAllDrawn: a grid with twelve values of its second
// parameter draws twelve lines in every panel, each in the legend, each
// with its own colour, dash and marker combination: none is dropped.
func TestSweepLinesAllDrawn(t *testing.T) {
	var second []float64
	for i := range 12 {
		second = append(second, float64(i+1))
	}
	s := syntheticSweep([]string{"rules.slash_fraction", "rules.audit_sample"},
		[][]float64{{0, 0.5, 1}, second}, []string{"faulty.net_profit"},
		func(_ string, x []float64) float64 { return x[0] * x[1] })
	figs := SweepFigures(s, nil)
	st := SweepStyles(s)
	for _, f := range figs {
		if f.Panels[0].Kind != LinePanel {
			continue
		}
		for _, p := range f.Panels {
			if len(p.Series) != 12 {
				t.Errorf("%s/%s: %d lines, want 12", f.Name, p.Title, len(p.Series))
			}
		}
		if n := len(legendEntries(f, st)); n != 12 {
			t.Errorf("%s: %d legend entries, want 12", f.Name, n)
		}
		seen := map[string]string{}
		for _, ser := range f.Panels[0].Series {
			ls, g := st.lineStyle(ser.Key, false), st.glyph(ser.Key, false)
			k := fmt.Sprintf("%v %v %T", ls.Color, ls.Dashes, g.Shape)
			if other, ok := seen[k]; ok {
				t.Errorf("%s and %s share a style: %s", other, ser.Label, k)
			}
			seen[k] = ser.Label
		}
	}
}

// TestHeatmapFacetsOtherFields: over three swept fields, the break-even
// heatmap has one panel per value of the third, each holding that
// value's own means; nothing is averaged over a setting the figure does
// not show.
func TestHeatmapFacetsOtherFields(t *testing.T) {
	s := syntheticSweep([]string{"rules.slash_fraction", "rules.audit_sample", "rules.initiator_share"},
		[][]float64{{0, 0.5, 1}, {1, 2}, {0, 1}}, []string{"faulty.net_profit"},
		func(_ string, x []float64) float64 { return 10*x[2] - 5 + x[0] })
	var heat *Figure
	figs := SweepFigures(s, nil)
	for i := range figs {
		if figs[i].Panels[0].Kind == HeatPanel {
			heat = &figs[i]
		}
	}
	if heat == nil {
		t.Fatal("no heatmap")
	}
	if len(heat.Panels) != 2 {
		t.Fatalf("%d heatmap panels, want one per initiator_share value (2)", len(heat.Panels))
	}
	for k, p := range heat.Panels {
		want := 10*float64(k) - 5
		if p.Title != "initiator_share = "+g3(float64(k)) {
			t.Errorf("panel %d titled %q", k, p.Title)
		}
		for i := range p.Heat.Y {
			for j, x := range p.Heat.X {
				if got := p.Heat.Z[i][j]; got != want+x {
					t.Errorf("panel %d at (%v, %v): %v, want %v", k, x, p.Heat.Y[i], got, want+x)
				}
			}
		}
	}
}
