package reports

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/koiisim/koiisim/metrics"
)

// A Figure is the data of one picture, separate from its drawing: the
// numbers each line, band, bar or cell shows, so tests can check them
// (golden files of figure data, not pixels) and Render can draw them.
type Figure struct {
	Name    string // file stem under plots/, [a-z0-9-]+
	Title   string
	Caption string // one sentence: what the figure shows
	Panels  []Panel
	Cols    int // panels per row; 0 or 1 stacks them
}

// PanelKind says how a panel draws its series.
type PanelKind int

// Panel kinds.
const (
	LinePanel PanelKind = iota // lines, with 95% CI bands where Lo/Hi are set
	HistPanel                  // histograms: X holds len(Y)+1 bin edges
	HeatPanel                  // a heatmap of Heat, with its zero contour
	BarPanel                   // horizontal bars, one group per category, with interval whiskers
)

// Panel is one set of axes in a figure.
type Panel struct {
	Title          string
	XLabel, YLabel string // with units
	Kind           PanelKind
	Series         []Series
	Heat           *Heat
	Categories     []string // a bar panel's categories, bottom to top; each series holds one value per category
	Diagonal       bool     // draw the line y = x (a Lorenz curve's equality line)
	YFromZero      bool     // the y axis starts at 0 (counts, shares)
	ZeroLine       bool     // mark y = 0 (break-even) and keep it in range
	// LogY draws the y axis on a log scale: for a metric whose values
	// span decades (rates near zero). Values at or below zero are not
	// drawn, and bands are cut at a tenth of the smallest positive value.
	LogY bool
	// XMin and XMax, when XMax > XMin, fix the x axis: panels of one
	// figure that share a time axis (a class that joined late has no
	// values at first, and its own range would start later than the
	// others').
	XMin, XMax float64
	// Empty, when set, is drawn instead of the series, which are zero
	// everywhere ("no slashes in this run"): flat lines at zero look like
	// a finding and tell nothing.
	Empty string
}

// flatZero reports whether every value a line panel would draw is zero
// (or undefined).
func flatZero(p Panel) bool {
	if p.Kind != LinePanel || len(p.Series) == 0 {
		return false
	}
	for _, s := range p.Series {
		for _, vs := range [][]float64{s.Y, s.Lo, s.Hi} {
			for _, v := range vs {
				if v != 0 && !math.IsNaN(v) {
					return false
				}
			}
		}
	}
	return true
}

// markEmpty replaces each panel of f that is zero everywhere with the
// note "no <what> in this run", what being the panel's title in lower
// case or noun when given; a figure that is empty in every panel says
// so in its caption.
func (a *aligned) markEmpty(f *Figure, noun string) {
	where := "in this run"
	if a.multi {
		where = "in these runs"
	}
	all := true
	for i := range f.Panels {
		p := &f.Panels[i]
		if !flatZero(*p) {
			all = false
			continue
		}
		what := noun
		if what == "" {
			what = strings.ToLower(p.Title)
		}
		p.Empty = "no " + what + " " + where
	}
	if all && noun != "" {
		f.Caption += " No " + noun + " " + where + "."
	}
}

// Series is one line (or histogram) of a panel.
type Series struct {
	Label string
	Key   string // the class it belongs to, for its colour; "" for the whole run
	Alt   bool   // the second run of a comparison: drawn thinner and lighter
	// Points draws markers with error bars at each point, no line (points
	// of a random or lhs design, which do not lie on lines).
	Points bool
	X, Y   []float64
	Lo     []float64 // the 95% CI of Y at each X; nil without replicates
	Hi     []float64
}

// Heat is a grid of values over two parameters: Z[i][j] at (X[j], Y[i]),
// NaN where a point is missing. Contour marks where Z crosses Level.
type Heat struct {
	X, Y    []float64
	Z       [][]float64
	ZLabel  string
	Level   float64
	Contour bool
	// Span, when positive, is the distance from Level to either end of
	// the colour scale, shared by the panels of one figure so a colour
	// means the same in each.
	Span float64
}

// maxLinePoints bounds the points of a line; longer series are thinned
// (cumulative series sampled, counts averaged over bins).
const maxLinePoints = 1000

// countBins is the number of bins per-cycle counts are averaged into, so
// spikes of single cycles do not hide the trend.
const countBins = 100

// WriteData writes the figures' numbers as text, the form of the golden
// files: fixed float formatting (6 significant digits), one line per
// point.
func WriteData(w io.Writer, figs []Figure) error {
	var b strings.Builder
	for _, f := range figs {
		fmt.Fprintf(&b, "figure %s: %s\n  caption: %s\n", f.Name, f.Title, f.Caption)
		for _, p := range f.Panels {
			fmt.Fprintf(&b, "  panel %q x=%q y=%q\n", p.Title, p.XLabel, p.YLabel)
			if p.Empty != "" {
				fmt.Fprintf(&b, "    empty: %s\n", p.Empty)
			}
			for _, s := range p.Series {
				fmt.Fprintf(&b, "    series %q key=%q alt=%v markers=%v points=%d\n", s.Label, s.Key, s.Alt, s.Points, len(s.Y))
				for i := range s.X {
					fmt.Fprintf(&b, "      %s", g6(s.X[i]))
					if i < len(s.Y) {
						fmt.Fprintf(&b, " %s", g6(s.Y[i]))
					}
					if s.Lo != nil && i < len(s.Lo) {
						fmt.Fprintf(&b, " [%s, %s]", g6(s.Lo[i]), g6(s.Hi[i]))
					}
					b.WriteByte('\n')
				}
			}
			if h := p.Heat; h != nil {
				fmt.Fprintf(&b, "    heat z=%q level=%s contour=%v\n      x:", h.ZLabel, g6(h.Level), h.Contour)
				for _, x := range h.X {
					b.WriteString(" " + g6(x))
				}
				for i, row := range h.Z {
					fmt.Fprintf(&b, "\n      y=%s:", g6(h.Y[i]))
					for _, z := range row {
						b.WriteString(" " + g6(z))
					}
				}
				b.WriteByte('\n')
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fixed formats x with prec decimals, without a negative zero.
func fixed(x float64, prec int) string {
	s := strconv.FormatFloat(x, 'f', prec, 64)
	if strings.Trim(s, "-0.") == "" {
		return s[strings.IndexByte(s, '0'):]
	}
	return s
}

// g6 formats a float with 6 significant digits, "NaN" for NaN, and no
// negative zero.
func g6(x float64) string {
	if x == 0 {
		return "0"
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}

// RunFigures builds the figures of a run, or of a replicate set (the
// same scenario under several seeds): lines are then the replicates'
// mean with a 95% CI band.
func RunFigures(runs []*RunData) []Figure {
	a := align(runs)
	rewards := a.cumulativeFigure("cumulative-rewards", "rewards_koii", "Cumulative rewards per node",
		"KOII per node", "Bounty each class earned so far, per node of the class, by the cycle it was earned for.")
	a.markEmpty(&rewards, "rewards")
	slashes := a.cumulativeFigure("cumulative-slashes", "slashed_koii", "Cumulative slashes per node",
		"KOII per node", "Stake each class lost to slashes so far, per node of the class; a flat line means nobody in the class was slashed.")
	a.markEmpty(&slashes, "slashes")
	figs := []Figure{rewards, slashes}
	if co := a.coalitions(); len(co) > 0 {
		figs = append(figs, a.coalitionFigure(co))
	}
	figs = append(figs, a.countsFigure(), a.profitHistogram(), a.lorenzFigure())
	if len(runs) == 1 && runs[0].History != nil {
		figs = append(figs, historyFigures(runs[0].History)...)
	}
	return figs
}

// aligned is a replicate set on a common cycle axis and class list.
type aligned struct {
	runs    []*RunData
	classes []string
	cycles  []int
	index   []map[int]int // per run: cycle -> row
	multi   bool
}

func align(runs []*RunData) *aligned {
	a := &aligned{runs: runs, multi: len(runs) > 1}
	seenC, seenK := map[string]bool{}, map[int]bool{}
	for _, r := range runs {
		for _, c := range r.Classes {
			if !seenC[c] {
				seenC[c] = true
				a.classes = append(a.classes, c)
			}
		}
		idx := map[int]int{}
		for i, k := range r.Cycles {
			idx[k] = i
			if !seenK[k] {
				seenK[k] = true
				a.cycles = append(a.cycles, k)
			}
		}
		a.index = append(a.index, idx)
	}
	slices.Sort(a.cycles)
	return a
}

// coalitions are the classes that are not honest in any replicate.
func (a *aligned) coalitions() []string {
	var out []string
	for _, c := range a.classes {
		for _, r := range a.runs {
			if h, ok := r.Honest[c]; ok && !h {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// column returns, per run, the class's column on the common cycle axis;
// cycles a run does not have are NaN.
func (a *aligned) column(class, col string) [][]float64 {
	out := make([][]float64, len(a.runs))
	for ri, r := range a.runs {
		v := make([]float64, len(a.cycles))
		src := r.Rounds[class][col]
		for i, k := range a.cycles {
			v[i] = math.NaN()
			if j, ok := a.index[ri][k]; ok && src != nil {
				v[i] = src[j]
			}
		}
		out[ri] = v
	}
	return out
}

// startedColumn is column with the drain rounds (rows of cycles that
// never started, which carry only fees) left out as NaN: per-cycle
// counts are about cycles that ran.
func (a *aligned) startedColumn(class, col string) [][]float64 {
	out := a.column(class, col)
	started := a.column(class, "started")
	for ri := range out {
		for i, s := range started[ri] {
			if s != 1 {
				out[ri][i] = math.NaN()
			}
		}
	}
	return out
}

// cumsum is the running sum, carrying the last value over missing ones.
func cumsum(v []float64) []float64 {
	out := make([]float64, len(v))
	var s float64
	for i, x := range v {
		if !math.IsNaN(x) {
			s += x
		}
		out[i] = s
	}
	return out
}

// summarize turns per-run series into a Series: with one run the run's
// values, with several their mean and 95% CI at each point. keep selects
// the points drawn.
func (a *aligned) summarize(label, key string, x []float64, perRun [][]float64) Series {
	s := Series{Label: label, Key: key, X: x, Y: make([]float64, len(x))}
	if a.multi {
		s.Lo, s.Hi = make([]float64, len(x)), make([]float64, len(x))
	}
	vals := make([]float64, len(perRun))
	for i := range x {
		for r := range perRun {
			vals[r] = perRun[r][i]
		}
		e := metrics.Summarize(vals)
		s.Y[i] = e.Mean
		if a.multi {
			s.Lo[i], s.Hi[i] = e.Lo, e.Hi
		}
	}
	return s
}

// thin returns the indices of at most maxLinePoints points of n, evenly
// spaced, always with the first and the last.
func thin(n int) []int {
	step := (n + maxLinePoints - 1) / maxLinePoints
	if step < 1 {
		step = 1
	}
	var out []int
	for i := 0; i < n; i += step {
		out = append(out, i)
	}
	if n > 0 && out[len(out)-1] != n-1 {
		out = append(out, n-1)
	}
	return out
}

func pick(v []float64, idx []int) []float64 {
	out := make([]float64, len(idx))
	for i, j := range idx {
		out[i] = v[j]
	}
	return out
}

func (a *aligned) cycleAxis(idx []int) []float64 {
	out := make([]float64, len(idx))
	for i, j := range idx {
		out[i] = float64(a.cycles[j])
	}
	return out
}

func (a *aligned) classNodes(ri int, class string) float64 {
	return a.runs[ri].Values[class+".nodes"]
}

func (a *aligned) cumulativeFigure(name, col, title, ylabel, caption string) Figure {
	idx := thin(len(a.cycles))
	x := a.cycleAxis(idx)
	p := Panel{XLabel: "cycle", YLabel: ylabel, YFromZero: true}
	for _, c := range a.classes {
		per := a.column(c, col)
		for ri := range per {
			n := a.classNodes(ri, c)
			cs := cumsum(per[ri])
			for i := range cs {
				cs[i] /= n
			}
			per[ri] = pick(cs, idx)
		}
		p.Series = append(p.Series, a.summarize(c, c, x, per))
	}
	return Figure{Name: name, Title: title + a.ciNote(), Caption: caption + a.ciCaption(), Panels: []Panel{p}}
}

func (a *aligned) ciNote() string {
	if a.multi {
		return fmt.Sprintf(" (mean of %d replicates, 95%% CI)", len(a.runs))
	}
	return ""
}

func (a *aligned) ciCaption() string {
	if a.multi {
		return fmt.Sprintf(" Lines are the mean of %d replicates; shaded bands their 95%% confidence interval.", len(a.runs))
	}
	return ""
}

// coalitionFigure draws each non-honest class's share of all stake and
// its cumulative net profit.
func (a *aligned) coalitionFigure(co []string) Figure {
	idx := thin(len(a.cycles))
	x := a.cycleAxis(idx)
	share := Panel{Title: "Share of all stake", XLabel: "cycle", YLabel: "stake share (fraction)", YFromZero: true}
	profit := Panel{Title: "Cumulative net profit", XLabel: "cycle", YLabel: "KOII (class total)", ZeroLine: true}
	totals := make([][]float64, len(a.runs))
	for ri := range a.runs {
		totals[ri] = make([]float64, len(a.cycles))
		for _, c := range a.classes {
			st := a.column(c, "stake_koii")[ri]
			for i, v := range st {
				if !math.IsNaN(v) {
					totals[ri][i] += v
				}
			}
		}
	}
	for _, c := range co {
		st := a.column(c, "stake_koii")
		np := a.column(c, "net_profit_koii")
		for ri := range st {
			for i := range st[ri] {
				st[ri][i] /= totals[ri][i]
			}
			st[ri] = pick(st[ri], idx)
			np[ri] = pick(cumsum(np[ri]), idx)
		}
		share.Series = append(share.Series, a.summarize(c, c, x, st))
		profit.Series = append(profit.Series, a.summarize(c, c, x, np))
	}
	return Figure{
		Name: "coalitions", Title: "Non-honest classes: stake share and net profit" + a.ciNote(),
		Caption: "For each class with nodes that do not behave honestly, its share of all stake when each cycle settled (left) and its net profit so far in KOII (right); a falling profit line means the behaviour costs more than it earns." + a.ciCaption(),
		Panels:  []Panel{share, profit}, Cols: 2,
	}
}

// binned averages per-run per-cycle values over consecutive bins of
// cycles, returning the bins' mid cycles and the means.
func (a *aligned) binned(per [][]float64) ([]float64, [][]float64, int) {
	n := len(a.cycles)
	w := (n + countBins - 1) / countBins
	if w < 1 {
		w = 1
	}
	var x []float64
	for s := 0; s < n; s += w {
		e := min(s+w, n)
		x = append(x, float64(a.cycles[s]+a.cycles[e-1])/2)
	}
	out := make([][]float64, len(per))
	for ri, v := range per {
		for s := 0; s < n; s += w {
			e := min(s+w, n)
			var sum float64
			k := 0
			for _, y := range v[s:e] {
				if !math.IsNaN(y) {
					sum += y
					k++
				}
			}
			m := math.NaN()
			if k > 0 {
				m = sum / float64(k)
			}
			out[ri] = append(out[ri], m)
		}
	}
	return x, out, w
}

// countsFigure draws per-cycle counts of submissions by outcome, per
// class, and the run's rejected lists and unpaid cycles.
func (a *aligned) countsFigure() Figure {
	var panels []Panel
	var w int
	ylabel := func(unit string) string { return unit + " per cycle" }
	for _, m := range []struct{ col, title string }{
		{"approved", "Approved submissions"},
		{"slashed_count", "Slashed submissions"},
		{"missing", "Missing submissions"},
		{"late", "Late submissions"},
	} {
		var p Panel
		for _, c := range a.classes {
			var x []float64
			var per [][]float64
			x, per, w = a.binned(a.startedColumn(c, m.col))
			p.Series = append(p.Series, a.summarize(c, c, x, per))
		}
		p.Title, p.XLabel, p.YLabel, p.YFromZero = m.title, "cycle", ylabel("submissions"), true
		panels = append(panels, p)
	}
	sumClasses := func(cols ...string) [][]float64 {
		out := make([][]float64, len(a.runs))
		for ri := range a.runs {
			out[ri] = make([]float64, len(a.cycles))
			for i := range out[ri] {
				out[ri][i] = math.NaN()
			}
		}
		for _, c := range a.classes {
			for _, col := range cols {
				for ri, v := range a.startedColumn(c, col) {
					for i, y := range v {
						if math.IsNaN(y) {
							continue
						}
						if math.IsNaN(out[ri][i]) {
							out[ri][i] = 0
						}
						out[ri][i] += y
					}
				}
			}
		}
		return out
	}
	x, per, _ := a.binned(sumClasses("lists_rejected", "lists_chain_rejected"))
	panels = append(panels, Panel{Title: "Rejected lists", XLabel: "cycle", YLabel: ylabel("lists"), YFromZero: true,
		Series: []Series{a.summarize("all classes", "", x, per)}})
	// unpaid is the cycle's, repeated on each class's row: take the first.
	un := a.startedColumn(a.classes[0], "unpaid")
	x, per, _ = a.binned(un)
	panels = append(panels, Panel{Title: "Unpaid cycles", XLabel: "cycle", YLabel: ylabel("cycles"), YFromZero: true,
		Series: []Series{a.summarize("all classes", "", x, per)}})
	cap := "Per cycle: submissions approved, slashed, missing (no proof in the window) and late, by class; lists rejected by votes or by the chain; and cycles that went unpaid."
	if w > 1 {
		cap = fmt.Sprintf("Per cycle, averaged over bins of %d cycles: submissions approved, slashed, missing (no proof in the window) and late, by class; lists rejected by votes or by the chain; and the fraction of cycles that went unpaid.", w)
	}
	f := Figure{Name: "per-cycle-counts", Title: "What happened in each cycle" + a.ciNote(), Caption: cap + a.ciCaption(), Panels: panels, Cols: 2}
	a.markEmpty(&f, "")
	return f
}

// histBins is the number of bins of the net profit histograms.
const histBins = 30

// profitHistogram draws the distribution of per-node net profit, one
// panel per class on a common x axis.
func (a *aligned) profitHistogram() Figure {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range a.runs {
		for _, n := range r.Nodes {
			lo, hi = math.Min(lo, n.Net), math.Max(hi, n.Net)
		}
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	if hi-lo < 1e-9 {
		pad := math.Max(math.Abs(lo)*0.05, 0.5)
		lo, hi = lo-pad, hi+pad
	}
	edges := make([]float64, histBins+1)
	for i := range edges {
		edges[i] = lo + (hi-lo)*float64(i)/histBins
	}
	f := Figure{Name: "net-profit-histogram", Title: "Net profit per node, by class" + a.ciNote(),
		Caption: "How many nodes of each class ended the run with each net profit (rewards and voter income less slashes, forfeits, fees and costs), in KOII; all panels share the x axis." + a.ciCaption()}
	if len(a.classes) > 3 {
		f.Cols = 2 // many classes: two columns keep the figure on a page
	}
	for _, c := range a.classes {
		per := make([][]float64, len(a.runs))
		for ri, r := range a.runs {
			counts := make([]float64, histBins)
			for _, n := range r.Nodes {
				if n.Class != c {
					continue
				}
				b := int((n.Net - lo) / (hi - lo) * histBins)
				b = max(0, min(b, histBins-1))
				counts[b]++
			}
			per[ri] = counts
		}
		s := a.summarize(c, c, edges[:histBins], per)
		s.X = edges
		f.Panels = append(f.Panels, Panel{Title: c, Kind: HistPanel, XLabel: "net profit per node (KOII)", YLabel: "nodes", YFromZero: true, Series: []Series{s}})
	}
	return f
}

// lorenzGrid is the population fractions a Lorenz curve is drawn at.
var lorenzGrid = func() []float64 {
	g := make([]float64, 101)
	for i := range g {
		g[i] = float64(i) / 100
	}
	return g
}()

// lorenzFigure draws the Lorenz curve of rewards over all nodes and per
// class, each labelled with its Gini coefficient.
func (a *aligned) lorenzFigure() Figure {
	p := Panel{XLabel: "fraction of nodes, poorest first", YLabel: "fraction of rewards", Diagonal: true, YFromZero: true}
	curve := func(label, key string, keep func(NodeData) bool) {
		per := make([][]float64, len(a.runs))
		ginis := make([]float64, len(a.runs))
		any := false
		for ri, r := range a.runs {
			var xs []float64
			for _, n := range r.Nodes {
				if keep(n) {
					xs = append(xs, math.Max(n.Rewards, 0))
				}
			}
			per[ri] = metrics.Lorenz(xs, lorenzGrid)
			ginis[ri] = metrics.Gini(xs)
			if per[ri] == nil {
				per[ri] = make([]float64, len(lorenzGrid))
				for i := range per[ri] {
					per[ri][i] = math.NaN()
				}
			} else {
				any = true
			}
		}
		if !any {
			return
		}
		g := metrics.Summarize(ginis)
		gs := "Gini " + fixed(g.Mean, 3)
		if g.HasCI() {
			gs += " ± " + fixed(g.HalfWidth(), 3)
		}
		p.Series = append(p.Series, a.summarize(label+" ("+gs+")", key, lorenzGrid, per))
	}
	curve("all nodes", "", func(NodeData) bool { return true })
	for _, c := range a.classes {
		curve(c, c, func(n NodeData) bool { return n.Class == c })
	}
	return Figure{Name: "lorenz-rewards", Title: "Lorenz curve of rewards" + a.ciNote(),
		Caption: "The share of all rewards earned by the poorest fraction of nodes, over all nodes and within each class; the dashed diagonal is perfect equality, and the Gini coefficient in the legend is 0 for equal rewards and near 1 when few nodes earn everything." + a.ciCaption(),
		Panels:  []Panel{p}}
}
