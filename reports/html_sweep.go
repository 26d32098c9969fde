package reports

import (
	"fmt"
	"strings"
)

// SweepReport builds the report of a sweep; figs are its rendered
// figures, coalitions as for SweepFigures.
func SweepReport(s *SweepData, figs []RenderedFigure, coalitions []string, o ReportOptions) *Report {
	m := &s.Manifest
	rep := &Report{Kind: "sweep", FiguresFirst: true, Title: m.Scenario + ": sweep", Description: m.Description, Figures: figs, Generator: o.Generator}
	if len(s.Dims) == 0 {
		// Replicates of one point, with no per-replicate rounds to draw.
		rep.Kind, rep.Title = "replicates", m.Scenario+": replicates"
	}
	var dims []string
	for _, v := range m.Design.Vary {
		switch {
		case len(v.Values) > 0:
			dims = append(dims, fmt.Sprintf("%s ∈ {%s}", v.Path, strings.Join(v.Values, ", ")))
		case v.Steps > 0:
			dims = append(dims, fmt.Sprintf("%s from %s to %s in %d steps", v.Path, v.From, v.To, v.Steps))
		default:
			dims = append(dims, fmt.Sprintf("%s in [%s, %s]", v.Path, v.From, v.To))
		}
	}
	rep.Meta = []KV{
		{Key: "scenario", Value: m.Scenario},
		{Key: "scenario sha256", Value: m.Hash, Code: true},
		{Key: "seed", Value: fmt.Sprintf("%d (each cell's seed derives from its point's scenario hash and its replicate)", m.Seed)},
		{Key: "rounds", Value: fmt.Sprint(m.Rounds)},
		{Key: "design", Value: fmt.Sprintf("%s of %s × %s", m.Design.Kind, plural(len(s.Points), "point", "points"), plural(m.Design.Replicates, "replicate", "replicates"))},
		{Key: "parameters", Value: strings.Join(dims, "; ")},
		{Key: "cells", Value: fmt.Sprintf("%d of %d done", m.CellsDone, m.Cells)},
		{Key: "simulated by", Value: m.Tool + " " + m.Version},
	}
	for _, c := range s.SweepCoalitions(coalitions) {
		metric := c + ".net_profit"
		lo, hi := SweepPoint{}, SweepPoint{}
		first := true
		for _, p := range s.Points {
			e := p.Stats[metric]
			if first || e.Mean < lo.Stats[metric].Mean {
				lo = p
			}
			if first || e.Mean > hi.Stats[metric].Mean {
				hi = p
			}
			first = false
		}
		rep.Highlights = append(rep.Highlights, fmt.Sprintf("%s's net profit ranges from %s KOII (at %s) to %s KOII (at %s).",
			c, fmtEstimate(lo.Stats[metric], "KOII"), s.pointText(lo), fmtEstimate(hi.Stats[metric], "KOII"), s.pointText(hi)))
	}
	for _, c := range s.SweepCoalitions(coalitions) {
		if brs := s.BreakEvens(c + ".net_profit"); len(brs) > 0 {
			rep.Highlights = append(rep.Highlights, c+" net profit "+s.BreakEvenText(brs)+".")
		}
	}
	for _, v := range o.Verdicts {
		rep.Highlights = append(rep.Highlights, v.Text)
		rep.Tables = append(rep.Tables, v.Table)
	}
	if len(rep.Highlights) == 0 {
		rep.Highlights = []string{fmt.Sprintf("%d points, each run %s.", len(s.Points), plural(m.Design.Replicates, "time", "times"))}
	}
	// One table of points per metric prefix: the run, then each class.
	var prefixes []string
	byPrefix := map[string][]string{}
	for _, metric := range m.Metrics {
		prefix := metric[:strings.LastIndexByte(metric, '.')]
		if _, ok := byPrefix[prefix]; !ok {
			prefixes = append(prefixes, prefix)
		}
		byPrefix[prefix] = append(byPrefix[prefix], metric)
	}
	ci := fmt.Sprintf("mean ± the half-width of the 95%% confidence interval over %s", plural(m.Design.Replicates, "replicate", "replicates"))
	for _, prefix := range prefixes {
		title := "Points: class " + prefix
		switch prefix {
		case "run":
			title = "Points: the run as a whole"
		case "total":
			title = "Points: all nodes"
		}
		t := DataTable{ID: "points-" + slugID(prefix), Title: title, Note: "One row per point of the design; each cell is the " + ci + "; money in KOII, rates in percent."}
		t.Head = append([]string{"point"}, shortDims(s.Dims)...)
		for _, metric := range byPrefix[prefix] {
			t.Head = append(t.Head, fmt.Sprintf("%s (%s)", metric[len(prefix)+1:], unitLabel(s.unit(metric))))
		}
		if len(s.Points) > maxTablePoints {
			t.Note += fmt.Sprintf(" The first %d of %d points; summary.csv has them all.", maxTablePoints, len(s.Points))
		}
		for _, p := range s.Points[:min(len(s.Points), maxTablePoints)] {
			cells := append([]string{fmt.Sprint(p.Index)}, p.Values...)
			for _, metric := range byPrefix[prefix] {
				cells = append(cells, fmtEstimate(p.Stats[metric], s.unit(metric)))
			}
			t.Rows = append(t.Rows, Row{Cells: cells})
		}
		rep.Tables = append(rep.Tables, t)
	}
	rep.Tables = append(rep.Tables, SensitivityTables(s)...)
	if t := s.BreakEvenTable(coalitions); t != nil {
		rep.Tables = append(rep.Tables, *t)
	}
	rep.Scenario, rep.ScenarioSrc = o.Scenario, o.ScenarioSrc
	return rep
}

// maxTablePoints bounds the rows of a table of points, so a sweep of
// thousands of points still gives a page a browser opens at once.
const maxTablePoints = 500

func (s *SweepData) pointText(p SweepPoint) string {
	var parts []string
	for d, v := range p.Values {
		parts = append(parts, shortDim(s.Dims[d])+" = "+v)
	}
	return strings.Join(parts, ", ")
}

func shortDims(dims []string) []string {
	out := make([]string, len(dims))
	for i, d := range dims {
		out[i] = shortDim(d)
	}
	return out
}

// slugID makes a class name fit an HTML id.
func slugID(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}
