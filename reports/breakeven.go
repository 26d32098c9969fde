package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/koiisim/koiisim/metrics"
)

// Bracket is a break-even a sweep certifies: along swept dimension Axis,
// with the other dimensions held at Fixed, metric's 95% interval lies
// wholly on one side of zero at From and wholly on the other at To
// (the nearest such points; points in between straddle zero). The
// crossing is somewhere in [From, To]; where exactly the sweep cannot
// say (`koiisim frontier` finds it).
type Bracket struct {
	Axis     int
	Fixed    string // "audit_sample = 5, ..." or "" with one dimension
	From, To float64
	Up       bool // the metric turns positive as the axis grows
}

// BreakEvens (docs/model.md §14.2) searches every numeric dimension of a grid sweep for the
// brackets where metric changes sign, in dimension then line order.
func (s *SweepData) BreakEvens(metric string) []Bracket {
	if s.Manifest.Design.Kind != "grid" {
		return nil
	}
	var out []Bracket
	for _, ax := range s.numericDims() {
		keys, lines := s.linesAlong(ax, true)
		for _, k := range keys {
			pts := lines[k]
			last, lastSide := 0.0, 0
			for _, p := range pts {
				side := decidedSide(p.Stats[metric])
				if side == 0 {
					continue
				}
				if lastSide != 0 && side != lastSide {
					out = append(out, Bracket{Axis: ax, Fixed: k, From: last, To: p.Num[ax], Up: side > 0})
				}
				last, lastSide = p.Num[ax], side
			}
		}
	}
	return out
}

// decidedSide is +1 when the estimate's 95% interval lies above zero, −1
// below it, and 0 when it touches or straddles zero or is unavailable
// (a single replicate decides nothing).
func decidedSide(e metrics.Estimate) int {
	switch {
	case !e.HasCI():
		return 0
	case e.Lo > 0:
		return 1
	case e.Hi < 0:
		return -1
	}
	return 0
}

// BracketText says where a bracket lies, in the sweep's words.
func (s *SweepData) BracketText(b Bracket) string {
	dir := "turns to a loss"
	if b.Up {
		dir = "turns to a gain"
	}
	t := fmt.Sprintf("%s between %s = %s and %s", dir, shortDim(s.Dims[b.Axis]), g3(b.From), g3(b.To))
	if b.Fixed != "" {
		t += " when " + b.Fixed
	}
	return t
}

// maxBracketsInWords bounds the brackets a caption or highlight spells
// out; the report's break-even table lists them all.
const maxBracketsInWords = 4

// BreakEvenText states a metric's brackets in one clause each, saying
// how many more the table holds.
func (s *SweepData) BreakEvenText(brs []Bracket) string {
	var parts []string
	for _, b := range brs[:min(len(brs), maxBracketsInWords)] {
		parts = append(parts, s.BracketText(b))
	}
	t := strings.Join(parts, "; ")
	if n := len(brs) - maxBracketsInWords; n > 0 {
		t += fmt.Sprintf("; and %d more in the break-even table", n)
	}
	return t
}

// BreakEvenTable lists every certified bracket of the coalitions' net
// profit, nil when there is none.
func (s *SweepData) BreakEvenTable(coalitions []string) *DataTable {
	t := &DataTable{ID: "break-even", Title: "Break-even brackets",
		Note: "Where a class's net profit changes sign along one swept field with the others held: its 95% interval excludes zero at both ends of the bracket, on opposite sides. The crossing lies between them; koiisim frontier finds it to a chosen precision.",
		Head: []string{"class", "field", "from", "to", "direction", "other fields"}}
	for _, c := range s.SweepCoalitions(coalitions) {
		for _, b := range s.BreakEvens(c + ".net_profit") {
			dir := "loss above"
			if b.Up {
				dir = "gain above"
			}
			t.Rows = append(t.Rows, Row{Cells: []string{c, s.Dims[b.Axis], g3(b.From), g3(b.To), dir, b.Fixed}})
		}
	}
	if len(t.Rows) == 0 {
		return nil
	}
	return t
}

// heatFacets groups the points by the values of every dimension other
// than xd and yd, in the order they first come: one heatmap panel each,
// so no cell averages over a setting the figure does not show.
func (s *SweepData) heatFacets(xd, yd int) (keys []string, facets map[string][]SweepPoint) {
	facets = map[string][]SweepPoint{}
	for _, p := range s.Points {
		var parts []string
		for d, v := range p.Values {
			if d != xd && d != yd {
				parts = append(parts, shortDim(s.Dims[d])+" = "+v)
			}
		}
		k := strings.Join(parts, ", ")
		if _, ok := facets[k]; !ok {
			keys = append(keys, k)
		}
		facets[k] = append(facets[k], p)
	}
	return keys, facets
}

// heatOf grids metric m's means over the values of dimensions xd and yd
// of pts, which hold at most one point per cell.
func (s *SweepData) heatOf(pts []SweepPoint, m string, xd, yd int) *Heat {
	uniq := func(d int) []float64 {
		var v []float64
		for _, p := range s.Points {
			v = append(v, p.Num[d])
		}
		slices.Sort(v)
		return slices.Compact(v)
	}
	h := &Heat{X: uniq(xd), Y: uniq(yd), ZLabel: strings.NewReplacer(".", " ", "_", " ").Replace(m) + " (KOII)"}
	h.Z = make([][]float64, len(h.Y))
	for i := range h.Y {
		h.Z[i] = make([]float64, len(h.X))
		for j := range h.X {
			h.Z[i][j] = math.NaN()
		}
	}
	for _, p := range pts {
		j, _ := slices.BinarySearch(h.X, p.Num[xd])
		i, _ := slices.BinarySearch(h.Y, p.Num[yd])
		h.Z[i][j] = p.Stats[m].Mean
	}
	return h
}
