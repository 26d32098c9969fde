package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/koiisim/koiisim/metrics"
)

// maxSensitivityPanels bounds the panels of the sensitivity figure; its
// caption names the metrics left to the tables.
const maxSensitivityPanels = 8

// sensitivityOf computes a metric's indices over a morris or sobol
// sweep, nil for another design or when the unit coordinates a morris
// analysis needs are not at hand.
func (s *SweepData) sensitivityOf(metric string) []metrics.Sensitivity {
	y := make([]float64, len(s.Points))
	for i, p := range s.Points {
		y[i] = p.Stats[metric].Mean
	}
	switch s.Manifest.Design.Kind {
	case "sobol":
		return metrics.SobolIndices(y, len(s.Dims), metric)
	case "morris":
		if len(s.Unit) != len(s.Points) {
			return nil
		}
		return metrics.MorrisIndices(y, s.Unit, len(s.Dims), metric)
	}
	return nil
}

// sensitivityNames are the two indices' names for the design.
func (s *SweepData) sensitivityNames() (a, b string) {
	if s.Manifest.Design.Kind == "sobol" {
		return "S1 (first order)", "ST (total order)"
	}
	return "mu* (mean |effect|)", "sigma (sd of effects)"
}

// SensitivityFigure is a morris or sobol sweep's bar chart: for each
// metric, each swept field's two indices with their 95% bootstrap
// intervals, fields from the most to the least influential (a tornado).
func SensitivityFigure(s *SweepData) (Figure, bool) {
	kind := s.Manifest.Design.Kind
	if kind != "morris" && kind != "sobol" {
		return Figure{}, false
	}
	an, bn := s.sensitivityNames()
	f := Figure{Name: "sensitivity", Title: "Sensitivity of each metric to the swept fields", Cols: 2}
	var left []string
	for _, m := range s.Manifest.Metrics {
		idx := s.sensitivityOf(m)
		if idx == nil {
			continue
		}
		if len(f.Panels) == maxSensitivityPanels {
			left = append(left, m)
			continue
		}
		order := make([]int, len(idx))
		for i := range order {
			order[i] = i
		}
		// Least influential first: bars are drawn bottom up.
		for i := 1; i < len(order); i++ {
			for j := i; j > 0 && less(idx[order[j]].B, idx[order[j-1]].B); j-- {
				order[j], order[j-1] = order[j-1], order[j]
			}
		}
		p := Panel{Kind: BarPanel, Title: m, XLabel: "index"}
		if kind == "morris" {
			p.XLabel = m[strings.LastIndexByte(m, '.')+1:] + " per full range (" + s.unit(m) + ")"
		}
		sa := Series{Label: an, Key: "index-a"}
		sb := Series{Label: bn, Key: "index-b"}
		for _, d := range order {
			p.Categories = append(p.Categories, shortDim(s.Dims[d]))
			sa.Y, sa.Lo, sa.Hi = append(sa.Y, idx[d].A), append(sa.Lo, idx[d].ALo), append(sa.Hi, idx[d].AHi)
			sb.Y, sb.Lo, sb.Hi = append(sb.Y, idx[d].B), append(sb.Lo, idx[d].BLo), append(sb.Hi, idx[d].BHi)
		}
		p.Series = []Series{sb, sa}
		if !slices.ContainsFunc(sa.Y, func(v float64) bool { return !math.IsNaN(v) }) {
			p.Empty = "no indices: undefined or constant"
		}
		f.Panels = append(f.Panels, p)
	}
	if len(f.Panels) == 0 {
		return Figure{}, false
	}
	if len(f.Panels) == 1 {
		f.Cols = 1
	}
	groups := "trajectories"
	what := "mu*, the mean absolute elementary effect (the metric's change when a field moves across its whole range, one field at a time), and sigma, the spread of those effects (interactions and curvature)"
	if kind == "sobol" {
		groups = "base samples"
		what = "the first-order index S1 (the share of the metric's variance a field explains alone; Saltelli 2010) and the total-order index ST (alone and with every interaction; Jansen 1999)"
	}
	f.Caption = fmt.Sprintf("For each metric, %s of each swept field, over the %s design's %d %s (each point the mean of %d replicates); bars are 95%% bootstrap intervals, fields ordered by %s.",
		what, kind, s.Manifest.Design.Points, groups, s.Manifest.Design.Replicates, strings.Fields(bn)[0])
	if len(left) > 0 {
		f.Caption += fmt.Sprintf(" Panels for the first %d metrics; the sensitivity tables hold all, with %s.", maxSensitivityPanels, strings.Join(left, ", "))
	}
	return f, true
}

func less(a, b float64) bool { return a < b || math.IsNaN(a) && !math.IsNaN(b) }

// SensitivityTables are a morris or sobol sweep's indices, one table per
// metric prefix (the run, each class), nil for another design.
func SensitivityTables(s *SweepData) []DataTable {
	kind := s.Manifest.Design.Kind
	if kind != "morris" && kind != "sobol" {
		return nil
	}
	an, bn := s.sensitivityNames()
	t := DataTable{ID: "sensitivity", Title: "Sensitivity indices",
		Note: fmt.Sprintf("Each metric's indices for each swept field with their 95%% bootstrap intervals; %s over %d %s.", kind, s.Manifest.Design.Points, map[string]string{"morris": "trajectories", "sobol": "base samples"}[kind]),
		Head: []string{"metric", "field", an, bn, "used"}}
	for _, m := range s.Manifest.Metrics {
		for _, x := range s.sensitivityOf(m) {
			t.Rows = append(t.Rows, Row{Cells: []string{m, s.Dims[x.Dim], intervalText(x.A, x.ALo, x.AHi), intervalText(x.B, x.BLo, x.BHi), fmt.Sprint(x.Groups)}})
		}
	}
	return []DataTable{t}
}

func intervalText(v, lo, hi float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	if math.IsNaN(lo) {
		return g3(v)
	}
	return fmt.Sprintf("%s [%s, %s]", g3(v), g3(lo), g3(hi))
}
