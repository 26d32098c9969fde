package reports

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/koiisim/koiisim/internal/input"
	"github.com/koiisim/koiisim/metrics"
)

// SweepData is what `koiisim sweep` wrote into its directory, as the
// report reads it: the design from manifest.json and one row per point
// of summary.csv (mean, sd, 95% CI and n of each metric over the point's
// replicates).
type SweepData struct {
	Dir      string
	Manifest SweepManifest
	Dims     []string // the swept --set paths, in design order
	Points   []SweepPoint
	YScale   Scale // how metric axes are scaled: ScaleAuto unless the reader asks
	// Unit holds each point's unit coordinates for a morris design (the
	// caller redraws them from the manifest's design and seed), which
	// say which field each step of a trajectory moved.
	Unit [][]float64
}

// SweepManifest is the part of a sweep's manifest.json a report reads.
type SweepManifest struct {
	Tool        string `json:"tool"`
	Version     string `json:"version"`
	Scenario    string `json:"scenario"`
	Description string `json:"description"`
	Hash        string `json:"scenario_sha256"`
	Seed        uint64 `json:"seed"`
	Rounds      int    `json:"rounds"`
	Classes     []string
	Design      struct {
		Kind       string `json:"kind"`
		Points     int    `json:"points"`
		Replicates int    `json:"replicates"`
		Vary       []struct {
			Path   string   `json:"path"`
			Values []string `json:"values"`
			From   string   `json:"from"`
			To     string   `json:"to"`
			Steps  int      `json:"steps"`
		} `json:"vary"`
	} `json:"design"`
	Metrics   []string          `json:"metrics"`
	Units     map[string]string `json:"units"`
	Cells     int               `json:"cells"`
	CellsDone int               `json:"cells_done"`
	Complete  bool              `json:"complete"`
}

// SweepPoint is one point of a sweep: its values and each metric's
// estimate over its replicates.
type SweepPoint struct {
	Index  int
	Values []string  // one per dimension, as written
	Num    []float64 // the values as numbers, NaN when not a number
	Stats  map[string]metrics.Estimate
}

// IsSweepDir reports whether dir holds a sweep's outputs.
func IsSweepDir(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "manifest.json"))
	return err == nil
}

// unfinished is the error for an experiment directory whose manifest
// does not say complete.
func unfinished(dir string, done, cells int) error {
	return fmt.Errorf("%s: the experiment has not finished (%d of %d cells done, tables not written); run the same sweep or run --replicates command again with --out %s to finish it", dir, done, cells, dir)
}

// ReadSweep reads manifest.json and summary.csv from dir.
func ReadSweep(dir string) (*SweepData, error) {
	b, err := input.ReadFile(filepath.Join(dir, "manifest.json"), input.MaxManifest)
	if err != nil {
		return nil, err
	}
	s := &SweepData{Dir: dir}
	if err := json.Unmarshal(b, &s.Manifest); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "manifest.json"), err)
	}
	m := &s.Manifest
	if m.Tool != "koiisim" || m.Hash == "" {
		return nil, fmt.Errorf("%s: not a koiisim sweep manifest", filepath.Join(dir, "manifest.json"))
	}
	summary := filepath.Join(dir, "summary.csv")
	if _, err := os.Stat(summary); err != nil || !m.Complete {
		return nil, unfinished(dir, m.CellsDone, m.Cells)
	}
	for _, v := range m.Design.Vary {
		s.Dims = append(s.Dims, v.Path)
	}
	need := append([]string{"point"}, s.Dims...)
	for _, metric := range m.Metrics {
		need = append(need, metric+".mean", metric+".ci_low", metric+".ci_high", metric+".n")
	}
	err = eachCSVRow(summary, need, func(get func(string) string) error {
		idx, err := strconv.Atoi(get("point"))
		if err != nil {
			return err
		}
		p := SweepPoint{Index: idx, Stats: map[string]metrics.Estimate{}}
		for _, d := range s.Dims {
			v := get(d)
			p.Values = append(p.Values, v)
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				x = math.NaN()
			}
			p.Num = append(p.Num, x)
		}
		for _, metric := range m.Metrics {
			var e metrics.Estimate
			var n float64
			for _, f := range []struct {
				col string
				dst *float64
			}{{".mean", &e.Mean}, {".sd", &e.SD}, {".ci_low", &e.Lo}, {".ci_high", &e.Hi}, {".n", &n}} {
				x, err := parseFloat(get(metric + f.col))
				if err != nil {
					return fmt.Errorf("column %s%s: %w", metric, f.col, err)
				}
				*f.dst = x
			}
			e.N = int(n)
			p.Stats[metric] = e
		}
		s.Points = append(s.Points, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(s.Points) == 0 {
		return nil, fmt.Errorf("%s: no points", summary)
	}
	return s, nil
}

// numericDims are the indices of the dimensions whose every value is a
// number: the ones a figure can put on an axis.
func (s *SweepData) numericDims() []int {
	var out []int
	for d := range s.Dims {
		ok := true
		for _, p := range s.Points {
			if math.IsNaN(p.Num[d]) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, d)
		}
	}
	return out
}

// unit returns a metric path's unit from the manifest, or from the
// metric tables.
func (s *SweepData) unit(path string) string {
	if u, ok := s.Manifest.Units[path]; ok {
		return u
	}
	name := path[strings.LastIndexByte(path, '.')+1:]
	for _, m := range append(append([]metrics.Metric(nil), metrics.RunMetrics...), metrics.ClassMetrics...) {
		if m.Name == name {
			return m.Unit
		}
	}
	return ""
}

// shortDim is a dimension's path without its section, for legends.
func shortDim(path string) string { return path[strings.LastIndexByte(path, '.')+1:] }

// SweepCoalitions are the classes whose net profit a sweep's break-even
// figures follow: those named in coalitions when given (the non-honest
// classes of the scenario, model.Config.HonestClasses), else, when the
// scenario is unknown, every class.
func (s *SweepData) SweepCoalitions(coalitions []string) []string {
	var out []string
	for _, c := range s.Manifest.Classes {
		ok := coalitions == nil || slices.Contains(coalitions, c)
		if ok && slices.Contains(s.Manifest.Metrics, c+".net_profit") {
			out = append(out, c)
		}
	}
	return out
}

// SweepFigures builds a sweep's figures: each metric against the first
// numeric swept parameter, with a line (and 95% CI band) per value of
// the other parameters, run metrics in one figure and each class metric
// in a figure with a panel per class; and for two numeric parameters, a
// heatmap of each coalition's net profit with its break-even contour.
func SweepFigures(s *SweepData, coalitions []string) []Figure {
	num := s.numericDims()
	if len(num) == 0 {
		return nil
	}
	xd := num[0]
	var figs []Figure
	groups := map[string][]string{} // metric name -> paths, for class metrics
	var names []string
	var runPaths []string
	for _, m := range s.Manifest.Metrics {
		prefix, name, _ := strings.Cut(m, ".")
		if prefix == "run" {
			runPaths = append(runPaths, m)
			continue
		}
		if _, ok := groups[name]; !ok {
			names = append(names, name)
		}
		groups[name] = append(groups[name], m)
	}
	others := fmt.Sprintf(", one line per value of %s", s.otherDimsText(xd))
	switch {
	case s.Manifest.Design.Kind != "grid" && len(s.Dims) > 1:
		others = fmt.Sprintf(", each point of the %s design drawn alone (%s vary between points too)", s.Manifest.Design.Kind, s.otherDimsText(xd))
	case s.Manifest.Design.Kind != "grid":
		others = fmt.Sprintf(", each point of the %s design drawn alone", s.Manifest.Design.Kind)
	case len(s.Dims) == 1:
		others = ""
	}
	ci := fmt.Sprintf(" Shaded bands are 95%% confidence intervals over %d replicates per point.", s.Manifest.Design.Replicates)
	if s.Manifest.Design.Kind != "grid" {
		ci = fmt.Sprintf(" Error bars are 95%% confidence intervals over %d replicates per point.", s.Manifest.Design.Replicates)
	}
	if s.Manifest.Design.Replicates < 2 {
		ci = " One replicate per point, so no confidence intervals."
	}
	if len(runPaths) > 0 {
		f := Figure{Name: "sweep-run", Title: "The run against " + shortDim(s.Dims[xd]), Cols: 2,
			Caption: fmt.Sprintf("Run-wide metrics at each value of %s%s.%s", s.Dims[xd], others, ci)}
		for _, m := range runPaths {
			f.Panels = append(f.Panels, s.metricPanel(m, xd, m))
		}
		if len(f.Panels) == 1 {
			f.Cols = 1
		}
		figs = append(figs, f)
	}
	for _, name := range names {
		paths := groups[name]
		f := Figure{Name: "sweep-" + strings.ReplaceAll(name, "_", "-"), Title: name + " by class against " + shortDim(s.Dims[xd]), Cols: 2,
			Caption: fmt.Sprintf("%s (%s) of each class at each value of %s%s.%s", name, unitLabel(s.unit(paths[0])), s.Dims[xd], others, ci)}
		for _, m := range paths {
			class := m[:strings.LastIndexByte(m, '.')]
			f.Panels = append(f.Panels, s.metricPanel(m, xd, class))
		}
		if len(f.Panels) == 1 {
			f.Cols = 1
		}
		figs = append(figs, f)
	}
	if f, ok := SensitivityFigure(s); ok {
		figs = append([]Figure{f}, figs...)
	}
	if len(num) >= 2 && s.Manifest.Design.Kind == "grid" {
		for _, c := range s.SweepCoalitions(coalitions) {
			figs = append(figs, s.heatFigure(c+".net_profit", num[0], num[1], c))
		}
	}
	return figs
}

func (s *SweepData) otherDimsText(xd int) string {
	var o []string
	for d, p := range s.Dims {
		if d != xd {
			o = append(o, p)
		}
	}
	return strings.Join(o, " and ")
}

// linesAlong groups the points into lines along dimension xd, one per
// combination of the other dimensions' values (one line of every point
// when byOthers is false), each sorted by xd, in the order lines first
// come.
func (s *SweepData) linesAlong(xd int, byOthers bool) (keys []string, lines map[string][]SweepPoint) {
	lines = map[string][]SweepPoint{}
	for _, pt := range s.Points {
		k := ""
		if byOthers {
			k = s.lineKey(pt, xd)
		}
		if _, ok := lines[k]; !ok {
			keys = append(keys, k)
		}
		lines[k] = append(lines[k], pt)
	}
	for _, pts := range lines {
		sort.SliceStable(pts, func(a, b int) bool { return pts[a].Num[xd] < pts[b].Num[xd] })
	}
	return keys, lines
}

// lineKey is the label of a point's line: the values of the dimensions
// other than xd.
func (s *SweepData) lineKey(p SweepPoint, xd int) string {
	var parts []string
	for d, v := range p.Values {
		if d != xd {
			parts = append(parts, shortDim(s.Dims[d])+" = "+v)
		}
	}
	return strings.Join(parts, ", ")
}

// metricPanel draws metric m against dimension xd: for a grid, a line per
// combination of the other dimensions' values; for random and lhs
// designs, each point with its interval.
func (s *SweepData) metricPanel(m string, xd int, title string) Panel {
	unit := s.unit(m)
	p := Panel{Title: title, XLabel: s.Dims[xd], YLabel: m[strings.LastIndexByte(m, '.')+1:] + " (" + unitLabel(unit) + ")"}
	scale := 1.0
	if unit == "fraction" {
		scale = 100
	}
	if strings.HasSuffix(m, "net_profit") || strings.HasSuffix(m, "return_on_stake") {
		p.ZeroLine = true
	}
	grid := s.Manifest.Design.Kind == "grid"
	keys, lines := s.linesAlong(xd, grid)
	for _, k := range keys {
		pts := lines[k]
		ser := Series{Label: k, Key: k, Points: !grid}
		if !grid {
			ser.Key = pointsKey
		}
		switch {
		case k == "" && grid:
			ser.Label = "mean over replicates, 95% CI"
		case k == "":
			ser.Label = "each point: mean and 95% CI"
		}
		hasCI := false
		for _, pt := range pts {
			e := pt.Stats[m]
			ser.X = append(ser.X, pt.Num[xd])
			ser.Y = append(ser.Y, scale*e.Mean)
			ser.Lo = append(ser.Lo, scale*e.Lo)
			ser.Hi = append(ser.Hi, scale*e.Hi)
			hasCI = hasCI || !math.IsNaN(e.Lo)
		}
		if !hasCI {
			ser.Lo, ser.Hi = nil, nil
		}
		p.Series = append(p.Series, ser)
	}
	p.LogY = s.YScale.logFor(p)
	// Start at zero what cannot be negative: rates and counts whose
	// means are all at least zero (a return on stake can be negative).
	if !p.ZeroLine && unit != "KOII" {
		p.YFromZero = true
		for _, ser := range p.Series {
			for _, y := range ser.Y {
				if y < 0 {
					p.YFromZero = false
				}
			}
		}
	}
	return p
}

// pointsKey is the style key of the points of a random or lhs design.
const pointsKey = "each point"

// SweepStyles styles the lines of a sweep's panels: each combination of
// the other parameters' values takes the palette's slots in the order
// the points come (not by name: these are parameter values, not
// classes), honest's blue last.
func SweepStyles(s *SweepData) *Styles {
	// The two indices of a sensitivity figure: blue and orange.
	st := &Styles{slot: map[string]int{"index-a": 0, "index-b": 3}}
	if s.Manifest.Design.Kind != "grid" {
		st.slot[pointsKey] = 1
		return st
	}
	num := s.numericDims()
	if len(num) == 0 {
		return st
	}
	n := len(okabeIto)
	lines := 0
	for _, p := range s.Points {
		k := s.lineKey(p, num[0])
		if _, ok := st.slot[k]; !ok {
			// Slots 1..6, then honest's 0, then on past the palette
			// (slotStyle gives those new dash and marker combinations).
			i := lines
			lines++
			st.slot[k] = i + 1
			if i+1 == n {
				st.slot[k] = 0
			} else if i+1 > n {
				st.slot[k] = i
			}
		}
	}
	return st
}

// heatFigure is metric m over two numeric dimensions (x, y), one panel
// per combination of the other dimensions' values, on one colour scale,
// with the zero contour drawn where the sweep certifies a break-even.
func (s *SweepData) heatFigure(m string, xd, yd int, class string) Figure {
	cap := fmt.Sprintf("The %s class's mean net profit in KOII at each combination of %s and %s; purple cells lose, orange cells gain, and the thick black line follows zero where the sweep certifies a break-even.", class, s.Dims[xd], s.Dims[yd])
	keys, facets := s.heatFacets(xd, yd)
	if len(s.Dims) > 2 {
		cap += fmt.Sprintf(" One panel per value of %s.", s.otherDimsText2(xd, yd))
	}
	brs := s.BreakEvens(m)
	if len(brs) > 0 {
		cap += " Break-even: net profit " + s.BreakEvenText(brs) + "."
	} else {
		cap += " No break-even is certified: nowhere does the 95% interval exclude zero on both sides of a sign change."
	}
	f := Figure{Name: "sweep-heatmap-" + class, Title: class + " net profit: break-even frontier", Caption: cap}
	span := 0.0
	for _, k := range keys {
		h := s.heatOf(facets[k], m, xd, yd)
		for _, b := range brs {
			if b.Axis == xd || b.Axis == yd {
				h.Contour = h.Contour || facetHolds(b.Fixed, k)
			}
		}
		for _, row := range h.Z {
			for _, z := range row {
				if !math.IsNaN(z) {
					span = math.Max(span, math.Abs(z))
				}
			}
		}
		f.Panels = append(f.Panels, Panel{Kind: HeatPanel, Title: k, XLabel: s.Dims[xd], YLabel: s.Dims[yd], Heat: h})
	}
	for i := range f.Panels {
		f.Panels[i].Heat.Span = span
	}
	if len(f.Panels) > 1 {
		f.Cols = 2
	}
	return f
}

// facetHolds reports whether a bracket's fixed settings ("a = 1, b = 2")
// include every setting of a facet ("b = 2").
func facetHolds(fixed, facet string) bool {
	if facet == "" {
		return true
	}
	have := strings.Split(fixed, ", ")
	for _, kv := range strings.Split(facet, ", ") {
		if !slices.Contains(have, kv) {
			return false
		}
	}
	return true
}

func (s *SweepData) otherDimsText2(xd, yd int) string {
	var o []string
	for d, p := range s.Dims {
		if d != xd && d != yd {
			o = append(o, p)
		}
	}
	return strings.Join(o, " and ")
}

func g3(x float64) string { return strconv.FormatFloat(x, 'g', 3, 64) }
