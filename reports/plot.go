package reports

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"image/color"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// okabeIto is the Okabe-Ito palette, distinguishable by colour-blind
// readers, in slot order: honest is always slot 0 (blue). Black is kept
// for the run as a whole.
var okabeIto = []color.NRGBA{
	{0x00, 0x72, 0xB2, 0xff}, // blue
	{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	{0x00, 0x9E, 0x73, 0xff}, // bluish green
	{0xE6, 0x9F, 0x00, 0xff}, // orange
	{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	{0xB8, 0x9F, 0x00, 0xff}, // yellow, darkened to read on white
}

// slotDashes and slotGlyphs give each slot its own dash pattern and
// marker, so lines stay apart in greyscale prints.
var slotDashes = [][]vg.Length{
	nil,
	{vg.Points(6), vg.Points(3)},
	{vg.Points(1.5), vg.Points(2)},
	{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)},
	{vg.Points(3), vg.Points(3)},
	{vg.Points(10), vg.Points(3)},
	{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2), vg.Points(1.5), vg.Points(2)},
}

var slotGlyphs = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.TriangleGlyph{}, draw.SquareGlyph{}, draw.CrossGlyph{},
	draw.PlusGlyph{}, draw.RingGlyph{}, draw.PyramidGlyph{},
}

// fixedSlots are the classes of the built-in scenarios, so they look the
// same in every report whatever else runs beside them.
var fixedSlots = map[string]int{"honest": 0, "faulty": 1, "honest-slow": 5, "faulty-slow": 2}

// Styles maps class names to a colour, a dash pattern and a marker,
// deterministically: honest is always blue and solid; the built-in
// classes have fixed slots; any other class takes the slot a hash of its
// name picks, or the next free one among the classes of the report, in
// name order. The same class set always gets the same styles.
type Styles struct{ slot map[string]int }

// NewStyles assigns styles to the classes of one report.
func NewStyles(classes []string) *Styles {
	s := &Styles{slot: map[string]int{}}
	used := map[int]bool{}
	names := append([]string(nil), classes...)
	sort.Strings(names)
	for _, c := range names {
		if k, ok := fixedSlots[c]; ok {
			s.slot[c] = k
			used[k] = true
		}
	}
	n := len(okabeIto)
	for _, c := range names {
		if _, ok := s.slot[c]; ok {
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(c))
		k := 1 + int(h.Sum32()%uint32(n-1)) // slot 0 is honest's
		for i := 0; i < n-1 && used[k]; i++ {
			k = 1 + k%(n-1)
		}
		s.slot[c] = k
		used[k] = true
	}
	return s
}

// Colour returns the class's colour as #rrggbb, black for the run ("").
func (s *Styles) Colour(key string) string {
	c := s.colour(key)
	return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
}

func (s *Styles) colour(key string) color.NRGBA {
	k, ok := s.slot[key]
	if key == "" || !ok {
		return color.NRGBA{0x22, 0x22, 0x22, 0xff}
	}
	return okabeIto[k%len(okabeIto)]
}

// slotStyle splits a slot into its colour, dash and marker indices. The
// first seven slots take the same index for all three; past them the
// dash pattern shifts by one for every round of colours and the marker
// by one for every round of dashes, so each of 7 × 7 × 7 slots is its
// own combination and no line of a crowded panel looks like another.
func slotStyle(k int) (colour, dash, glyph int) {
	n := len(okabeIto)
	colour = k % n
	dash = (colour + k/n) % n
	glyph = (colour + k/(n*n)) % n
	return colour, dash, glyph
}

func (s *Styles) lineStyle(key string, alt bool) draw.LineStyle {
	ls := draw.LineStyle{Color: s.colour(key), Width: vg.Points(1.6)}
	if k, ok := s.slot[key]; ok && key != "" {
		_, d, _ := slotStyle(k)
		ls.Dashes = slotDashes[d]
	}
	if alt {
		// The second run of a comparison keeps its class's colour and
		// dashes (so the class still reads in greyscale) but is thinner
		// and lighter.
		ls.Width = vg.Points(0.9)
		ls.Color = lighten(s.colour(key))
	}
	return ls
}

// lighten blends a colour 40% of the way to white.
func lighten(c color.NRGBA) color.NRGBA {
	mix := func(v uint8) uint8 { return uint8((int(v)*3 + 255*2) / 5) }
	return color.NRGBA{mix(c.R), mix(c.G), mix(c.B), c.A}
}

// otherFill is the marker of the same shape with the other fill, for
// the second run of a comparison: hollow where the class's is filled
// and the reverse. Crosses and pluses have no fill to swap.
func otherFill(g draw.GlyphDrawer) draw.GlyphDrawer {
	switch g.(type) {
	case draw.CircleGlyph:
		return draw.RingGlyph{}
	case draw.RingGlyph:
		return draw.CircleGlyph{}
	case draw.TriangleGlyph:
		return draw.PyramidGlyph{}
	case draw.PyramidGlyph:
		return draw.TriangleGlyph{}
	case draw.SquareGlyph:
		return draw.BoxGlyph{}
	case draw.BoxGlyph:
		return draw.SquareGlyph{}
	}
	return g
}

func (s *Styles) glyph(key string, alt bool) draw.GlyphStyle {
	g := draw.GlyphStyle{Color: s.colour(key), Radius: vg.Points(2.6), Shape: draw.BoxGlyph{}}
	if k, ok := s.slot[key]; ok && key != "" {
		_, _, m := slotStyle(k)
		g.Shape = slotGlyphs[m]
	}
	if alt {
		g.Shape = otherFill(g.Shape)
		g.Radius = vg.Points(3)
	}
	return g
}

func withAlpha(c color.NRGBA, a uint8) color.NRGBA { c.A = a; return c }

// Figure sizes: the width of every figure, the height of one row of
// panels, and the strips for the title and the legend.
const (
	figWidth  = 17 * vg.Centimeter
	rowHeight = 7.5 * vg.Centimeter
	titleH    = 0.9 * vg.Centimeter
	pngDPI    = 110
)

var (
	sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
	boldFont = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
)

func textStyle(f font.Font, size vg.Length) text.Style {
	return text.Style{Color: color.Black, Font: font.From(f, size), Handler: plot.DefaultTextHandler}
}

// Render draws a figure as PNG ("png") or SVG ("svg").
func Render(f Figure, st *Styles, format string) ([]byte, error) {
	rows := len(f.Panels)
	cols := max(f.Cols, 1)
	rows = (rows + cols - 1) / cols
	legend := legendEntries(f, st)
	w := figWidth
	h := titleH + rowHeight*vg.Length(rows) + legendHeight(legend, w)
	if rows > 1 {
		h = titleH + 6*vg.Centimeter*vg.Length(rows) + legendHeight(legend, w)
	}
	var c interface {
		vg.CanvasWriterTo
	}
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(pngDPI), vgimg.UseBackgroundColor(color.White))}
	case "svg":
		c = vgsvg.New(w, h)
	default:
		return nil, fmt.Errorf("reports: unknown figure format %q", format)
	}
	if err := draw1(f, st, legend, draw.New(c), rows, cols); err != nil {
		return nil, fmt.Errorf("figure %s: %w", f.Name, err)
	}
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return nil, err
	}
	if format == "svg" {
		return bytes.ReplaceAll(b.Bytes(), []byte("font-family:Liberation Sans;"), []byte("font-family:"+svgFontStack+";")), nil
	}
	return b.Bytes(), nil
}

// svgFontStack is the font an SVG asks for: Liberation Sans, which the
// layout was measured with, then faces with the same metrics (Arimo,
// Arial, Helvetica), then the generic family, so a browser without the
// first never falls back to an arbitrary wider face.
const svgFontStack = "'Liberation Sans', Arimo, Arial, Helvetica, sans-serif"

type legendEntry struct {
	label  string
	thumbs []plot.Thumbnailer
}

// legendEntries are the figure's series labels, once each, in panel
// order; histograms and heatmaps have panel titles and colour bars
// instead.
func legendEntries(f Figure, st *Styles) []legendEntry {
	var out []legendEntry
	seen := map[string]bool{}
	for _, p := range f.Panels {
		if p.Kind == BarPanel {
			for _, s := range p.Series {
				if !seen[s.Label] {
					seen[s.Label] = true
					out = append(out, legendEntry{s.Label, []plot.Thumbnailer{&plotter.Polygon{Color: withAlpha(st.colour(s.Key), 190)}}})
				}
			}
			continue
		}
		if p.Kind != LinePanel || p.Empty != "" {
			continue
		}
		for _, s := range p.Series {
			if seen[s.Label] {
				continue
			}
			seen[s.Label] = true
			label := s.Label
			if over := hiddenUnder(f, s.Label); over != "" {
				label += " (identical to " + over + ", drawn under it)"
			}
			ls := st.lineStyle(s.Key, s.Alt)
			line := &plotter.Line{LineStyle: ls}
			sc := &plotter.Scatter{GlyphStyle: st.glyph(s.Key, s.Alt)}
			thumbs := []plot.Thumbnailer{line, sc}
			if s.Points {
				thumbs = []plot.Thumbnailer{sc}
			} else if s.Lo != nil {
				thumbs = append([]plot.Thumbnailer{&plotter.Polygon{Color: withAlpha(st.colour(s.Key), 50)}}, thumbs...)
			}
			out = append(out, legendEntry{label, thumbs})
		}
	}
	return out
}

// hiddenUnder names the series drawn later over the one labelled label
// with exactly the same points, in every line panel where label has a
// line; "" when its line shows somewhere.
func hiddenUnder(f Figure, label string) string {
	over := ""
	for _, p := range f.Panels {
		if p.Kind != LinePanel || p.Empty != "" {
			continue
		}
		for i, s := range p.Series {
			if s.Label != label || len(s.Y) == 0 {
				continue
			}
			found := ""
			for _, o := range p.Series[i+1:] {
				if o.Points == s.Points && slices.Equal(o.X, s.X) && slices.Equal(o.Y, s.Y) {
					found = o.Label
					break
				}
			}
			if found == "" || (over != "" && over != found) {
				return ""
			}
			over = found
		}
	}
	return over
}

var (
	legendText  = textStyle(sansFont, 9)
	legendThumb = vg.Points(28)
	legendPadX  = vg.Points(14)
	legendRowH  = vg.Points(14)
)

// legendLayout places entries left to right, wrapping at width w, and
// returns each entry's row and x offset.
func legendLayout(es []legendEntry, w vg.Length) (rows []int, xs []vg.Length, n int) {
	x, row := vg.Length(0), 0
	for _, e := range es {
		ew := legendThumb + legendText.Width(" "+e.label) + legendPadX
		if x > 0 && x+ew > w {
			row++
			x = 0
		}
		rows, xs = append(rows, row), append(xs, x)
		x += ew
	}
	if len(es) > 0 {
		n = row + 1
	}
	return rows, xs, n
}

func legendHeight(es []legendEntry, w vg.Length) vg.Length {
	_, _, n := legendLayout(es, w-2*legendPadX)
	if n == 0 {
		return 0
	}
	return legendRowH*vg.Length(n) + vg.Points(6)
}

// draw1 lays the figure out: its title, a legend strip under it (so the
// legend never covers data), then the panels in a grid.
func draw1(f Figure, st *Styles, legend []legendEntry, dc draw.Canvas, rows, cols int) error {
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	top := dc.Max.Y
	ts := textStyle(boldFont, 12)
	ts.XAlign, ts.YAlign = draw.XCenter, draw.YTop
	dc.FillText(ts, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: top - vg.Points(6)}, f.Title)
	top -= titleH
	lh := legendHeight(legend, dc.Max.X-dc.Min.X)
	if lh > 0 {
		lrow, lx, _ := legendLayout(legend, dc.Max.X-dc.Min.X-2*legendPadX)
		for i, e := range legend {
			l := plot.NewLegend()
			l.TextStyle = legendText
			l.ThumbnailWidth = legendThumb
			l.Top, l.Left = true, true
			l.Add(e.label, e.thumbs...)
			y := top - legendRowH*vg.Length(lrow[i])
			sub := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: dc.Min.X + legendPadX + lx[i], Y: y - legendRowH},
				Max: vg.Point{X: dc.Max.X, Y: y},
			}}
			l.Draw(sub)
		}
		top -= lh
	}
	body := dc
	body.Max.Y = top
	plots := make([][]*plot.Plot, rows)
	var bars []*plot.Plot
	for i := range plots {
		plots[i] = make([]*plot.Plot, cols)
	}
	for i, p := range f.Panels {
		pl, bar, err := panelPlot(p, st)
		if err != nil {
			return err
		}
		plots[i/cols][i%cols] = pl
		bars = append(bars, bar)
	}
	// A heatmap's colour bar takes a strip at the right of the body.
	var bar *plot.Plot
	for _, b := range bars {
		if b != nil {
			bar = b
		}
	}
	if bar != nil {
		strip := body
		strip.Min.X = body.Max.X - 3.2*vg.Centimeter
		body.Max.X = strip.Min.X - 0.3*vg.Centimeter
		strip.Max.X -= 1.4 * vg.Centimeter
		strip.Min.Y += vg.Centimeter
		strip.Max.Y -= 0.3 * vg.Centimeter
		bar.Draw(strip)
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Centimeter * 0.5, PadY: vg.Centimeter * 0.4,
		PadTop: vg.Points(2), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(10)}
	canvases := plot.Align(plots, tiles, body)
	for _, pn := range f.Panels {
		if pn.LogY {
			// plot.Align pads a log axis beside a linear one into
			// overlapping canvases; each panel lays itself out in its
			// own tile instead.
			for i := range canvases {
				for j := range canvases[i] {
					canvases[i][j] = tiles.At(body, j, i)
				}
			}
			break
		}
	}
	for i := range plots {
		for j, p := range plots[i] {
			if p == nil {
				continue
			}
			p.Draw(canvases[i][j])
			if k := i*cols + j; k < len(f.Panels) && f.Panels[k].Empty != "" {
				// The note goes on the canvas, not into the plot, so its
				// width never takes room from the panel's layout.
				c := canvases[i][j]
				ts := textStyle(sansFont, 10)
				ts.Color = color.Gray{Y: 0x55}
				ts.XAlign, ts.YAlign = draw.XCenter, draw.YCenter
				c.FillText(ts, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2}, f.Panels[k].Empty)
			}
		}
	}
	return nil
}

func newPlot() *plot.Plot {
	p := plot.New()
	p.Title.TextStyle.Font = font.From(boldFont, 10.5)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sansFont, 9.5)
		a.Tick.Label.Font = font.From(sansFont, 8.5)
		a.Tick.Length = vg.Points(4)
	}
	p.X.Label.Padding = vg.Points(2)
	p.X.Tick.Marker = trimmedTicks{}
	p.Y.Tick.Marker = trimmedTicks{}
	p.Legend.TextStyle.Font = font.From(sansFont, 9)
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 0xe4}
	g.Horizontal.Color = color.Gray{Y: 0xe4}
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Width = vg.Points(0.5)
	p.Add(g)
	return p
}

// trimmedTicks are gonum's default ticks with trailing zeros cut from
// their labels: counts read 50, not 50.00.
type trimmedTicks struct{}

func (trimmedTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		if l := ts[i].Label; strings.Contains(l, ".") && !strings.ContainsAny(l, "eE") {
			ts[i].Label = strings.TrimSuffix(strings.TrimRight(l, "0"), ".")
		}
	}
	distinctLabels(ts)
	return ts
}

// logTicks are a log axis's ticks inside its range only: each power of
// ten labelled, 2 to 9 times it unlabelled. (gonum's LogTicks may place
// a labelled tick past the range, whose label then squeezes the panel.)
type logTicks struct{}

func (logTicks) Ticks(min, max float64) []plot.Tick {
	var ts []plot.Tick
	for e := math.Floor(math.Log10(min)); e <= math.Ceil(math.Log10(max)); e++ {
		for m := 1.0; m < 10; m++ {
			v := m * math.Pow(10, e)
			if v < min || v > max {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 {
				t.Label = strconv.FormatFloat(v, 'g', -1, 64)
			}
			ts = append(ts, t)
		}
	}
	return ts
}

// distinctLabels rewrites the labels of major ticks with as many decimals
// as it takes for no two to read the same: a narrow range far from
// zero (7.899 to 7.914) would otherwise label every tick 7.9.
func distinctLabels(ts []plot.Tick) {
	same := func() bool {
		seen := map[string]bool{}
		for _, t := range ts {
			if t.Label == "" {
				continue
			}
			if seen[t.Label] {
				return true
			}
			seen[t.Label] = true
		}
		return false
	}
	for prec := 1; prec <= 12 && same(); prec++ {
		for i := range ts {
			if ts[i].Label != "" {
				ts[i].Label = strconv.FormatFloat(ts[i].Value, 'f', prec, 64)
			}
		}
	}
}

// finite splits a series into runs of points where x, y (and the band,
// when band is true) are all finite.
func finite(s Series, band bool) [][]int {
	var out [][]int
	var cur []int
	for i := range s.Y {
		ok := !math.IsNaN(s.X[i]) && !math.IsNaN(s.Y[i]) && !math.IsInf(s.Y[i], 0)
		if band {
			ok = ok && !math.IsNaN(s.Lo[i]) && !math.IsNaN(s.Hi[i])
		}
		if ok {
			cur = append(cur, i)
		} else if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// markerCount is how many markers a line carries: enough to tell lines
// apart in greyscale, few enough not to hide the line.
const markerCount = 8

// panelPlot draws one panel: the plot, and for a heatmap its colour
// bar.
func panelPlot(pn Panel, st *Styles) (*plot.Plot, *plot.Plot, error) {
	if pn.Empty != "" {
		return emptyPlot(pn)
	}
	p := newPlot()
	p.Title.Text = pn.Title
	p.X.Label.Text = pn.XLabel
	p.Y.Label.Text = pn.YLabel
	var bar *plot.Plot
	var err error
	if pn.LogY {
		pn.Series = logSafe(pn.Series)
		pn.YFromZero, pn.ZeroLine = false, false
	}
	switch pn.Kind {
	case LinePanel:
		err = addLinePanel(p, pn, st)
	case HistPanel:
		addHistograms(p, pn, st)
	case BarPanel:
		err = barPlot(p, pn, st)
	case HeatPanel:
		bar, err = heatPlot(p, pn.Heat)
	}
	if err != nil {
		return nil, nil, err
	}
	if pn.ZeroLine {
		addZeroLine(p)
	}
	fitAxes(p, pn)
	return p, bar, nil
}

// addLinePanel draws a line panel: the diagonal when asked, the 95% CI
// bands under everything, the point series, then the lines with their
// markers on top.
func addLinePanel(p *plot.Plot, pn Panel, st *Styles) error {
	if pn.Diagonal {
		addDiagonal(p)
	}
	for _, s := range pn.Series {
		if s.Lo == nil || s.Points {
			continue
		}
		if err := addBand(p, s, pn.YFromZero, st); err != nil {
			return err
		}
	}
	for _, s := range pn.Series {
		if !s.Points {
			continue
		}
		if err := addPoints(p, s, st); err != nil {
			return err
		}
	}
	for si, s := range pn.Series {
		if s.Points {
			continue
		}
		if err := addLine(p, s, si, st); err != nil {
			return err
		}
	}
	return nil
}

// addDiagonal draws y = x over [0, 1] (a Lorenz curve's equality line)
// and fixes the axes to the unit square.
func addDiagonal(p *plot.Plot) {
	d := plotter.NewFunction(func(x float64) float64 { return x })
	d.XMin, d.XMax = 0, 1
	d.Color = color.Gray{Y: 0x88}
	d.Width = vg.Points(1)
	d.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(d)
	p.X.Min, p.X.Max, p.Y.Max = 0, 1, 1
}

// addBand shades a series' 95% CI band, one polygon per finite run.
func addBand(p *plot.Plot, s Series, fromZero bool, st *Styles) error {
	for _, run := range finite(s, true) {
		pts := make(plotter.XYs, 0, 2*len(run))
		for _, i := range run {
			pts = append(pts, plotter.XY{X: s.X[i], Y: s.Hi[i]})
		}
		for k := len(run) - 1; k >= 0; k-- {
			i := run[k]
			lo := s.Lo[i]
			if fromZero {
				// Counts, shares and sums that cannot be negative: a
				// t-interval of few replicates may reach below zero;
				// the band stops at the axis.
				lo = math.Max(lo, 0)
			}
			pts = append(pts, plotter.XY{X: s.X[i], Y: lo})
		}
		poly, err := plotter.NewPolygon(pts)
		if err != nil {
			return err
		}
		poly.Color = withAlpha(st.colour(s.Key), 50)
		poly.LineStyle.Width = 0
		p.Add(poly)
	}
	return nil
}

// addLine draws series si as a line, one per finite run, with markers.
func addLine(p *plot.Plot, s Series, si int, st *Styles) error {
	for _, run := range finite(s, false) {
		pts := make(plotter.XYs, len(run))
		for k, i := range run {
			pts[k] = plotter.XY{X: s.X[i], Y: s.Y[i]}
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		l.LineStyle = st.lineStyle(s.Key, s.Alt)
		p.Add(l)
		sc, err := plotter.NewScatter(markers(pts, si))
		if err != nil {
			return err
		}
		sc.GlyphStyle = st.glyph(s.Key, s.Alt)
		p.Add(sc)
	}
	return nil
}

// markers picks markerCount evenly spaced points of a line, shifted per
// series (si) so lines that coincide still show each marker; a line of
// one point is its own marker.
func markers(pts plotter.XYs, si int) plotter.XYs {
	if len(pts) == 1 {
		return pts
	}
	var mk plotter.XYs
	for m := 0; m < markerCount; m++ {
		k := int((float64(m) + 0.5 + float64(si%3)/3) / markerCount * float64(len(pts)-1))
		mk = append(mk, pts[min(k, len(pts)-1)])
	}
	return mk
}

// addHistograms draws each series as a histogram, with 95% CI error
// bars on its non-empty bins when it has them.
func addHistograms(p *plot.Plot, pn Panel, st *Styles) {
	for _, s := range pn.Series {
		h := &plotter.Histogram{FillColor: withAlpha(st.colour(s.Key), 110), LineStyle: st.lineStyle(s.Key, s.Alt)}
		h.LineStyle.Dashes = nil
		h.LineStyle.Width = vg.Points(0.8)
		for i := range s.Y {
			h.Bins = append(h.Bins, plotter.HistogramBin{Min: s.X[i], Max: s.X[i+1], Weight: s.Y[i]})
		}
		if len(s.X) > 1 {
			h.Width = s.X[1] - s.X[0]
		}
		p.Add(h)
		if s.Lo == nil {
			continue
		}
		var xys plotter.XYs
		var errs plotter.YErrors
		for i := range s.Y {
			if math.IsNaN(s.Lo[i]) || s.Y[i] == 0 {
				continue
			}
			xys = append(xys, plotter.XY{X: (s.X[i] + s.X[i+1]) / 2, Y: s.Y[i]})
			errs = append(errs, struct{ Low, High float64 }{s.Y[i] - s.Lo[i], s.Hi[i] - s.Y[i]})
		}
		if len(xys) > 0 {
			p.Add(&plotter.YErrorBars{XYs: xys, YErrors: errs, LineStyle: draw.LineStyle{Color: color.Black, Width: vg.Points(0.7)}, CapWidth: vg.Points(3)})
		}
	}
}

// addZeroLine draws y = 0 dashed and keeps it in the y range.
func addZeroLine(p *plot.Plot) {
	z := plotter.NewFunction(func(float64) float64 { return 0 })
	z.Color = color.Gray{Y: 0x55}
	z.Width = vg.Points(0.8)
	z.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(z)
	p.Y.Min, p.Y.Max = math.Min(p.Y.Min, 0), math.Max(p.Y.Max, 0)
}

// fitAxes settles the axis ranges: from zero when the panel asks, at
// least a 1% window around a flat line, and never an empty range.
func fitAxes(p *plot.Plot, pn Panel) {
	if pn.YFromZero && pn.Kind != HeatPanel {
		p.Y.Min = 0
		if p.Y.Max <= p.Y.Min {
			p.Y.Max = p.Y.Min + 1
		}
	}
	// A range within float noise of its level (money summed in floats
	// that is the same in every replicate) would blow rounding up into
	// visible wiggles: show at least a 1% window around it.
	if pn.Kind == LinePanel {
		level := math.Max(math.Abs(p.Y.Max), math.Abs(p.Y.Min))
		if span := p.Y.Max - p.Y.Min; level > 0 && span < 1e-6*level {
			mid := (p.Y.Max + p.Y.Min) / 2
			p.Y.Min, p.Y.Max = mid-0.005*level, mid+0.005*level
			if pn.YFromZero {
				p.Y.Min = math.Max(p.Y.Min, 0)
			}
		}
	}
	if pn.XMax > pn.XMin {
		p.X.Min, p.X.Max = pn.XMin, pn.XMax
	}
	if p.X.Max <= p.X.Min {
		p.X.Min, p.X.Max = p.X.Min-0.5, p.X.Max+0.5
	}
	if p.Y.Max <= p.Y.Min {
		p.Y.Min, p.Y.Max = p.Y.Min-0.5, p.Y.Max+0.5
	}
	if pn.LogY && p.Y.Min > 0 {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{}
	}
}

// barPlot draws a bar panel: for each category (a row, bottom to top)
// one horizontal bar per series from zero to its value, side by side,
// with a whisker for its interval; undefined values draw no bar.
func barPlot(p *plot.Plot, pn Panel, st *Styles) error {
	n := len(pn.Series)
	h := 0.8 / float64(max(n, 1))
	var ticks []plot.Tick
	for c, name := range pn.Categories {
		ticks = append(ticks, plot.Tick{Value: float64(c), Label: name})
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Min, p.Y.Max = -0.6, float64(len(pn.Categories))-0.4
	p.X.Min = 0
	for si, s := range pn.Series {
		var xys plotter.XYs
		var errs plotter.XErrors
		for c := range pn.Categories {
			if c >= len(s.Y) || math.IsNaN(s.Y[c]) {
				continue
			}
			y := float64(c) + (float64(si)-float64(n-1)/2)*h
			poly, err := plotter.NewPolygon(plotter.XYs{{X: 0, Y: y - h/2}, {X: s.Y[c], Y: y - h/2}, {X: s.Y[c], Y: y + h/2}, {X: 0, Y: y + h/2}})
			if err != nil {
				return err
			}
			poly.Color = withAlpha(st.colour(s.Key), 190)
			poly.LineStyle.Width = 0
			p.Add(poly)
			if s.Lo != nil && !math.IsNaN(s.Lo[c]) && !math.IsNaN(s.Hi[c]) {
				xys = append(xys, plotter.XY{X: s.Y[c], Y: y})
				errs = append(errs, struct{ Low, High float64 }{s.Y[c] - s.Lo[c], s.Hi[c] - s.Y[c]})
			}
		}
		if len(xys) > 0 {
			p.Add(&plotter.XErrorBars{XYs: xys, XErrors: errs, LineStyle: draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)}, CapWidth: vg.Points(3)})
		}
	}
	p.Y.Label.Text = ""
	return nil
}

// emptyPlot is a panel with nothing to draw: its title and a light
// frame; draw1 writes the note saying why in its middle.
func emptyPlot(pn Panel) (*plot.Plot, *plot.Plot, error) {
	p := plot.New()
	p.Title.TextStyle.Font = font.From(boldFont, 10.5)
	p.Title.Text = pn.Title
	// Axes without lines, ticks or labels rather than hidden ones, so
	// plot.Align lays the panel out like its neighbours.
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.LineStyle.Width = 0
		a.Tick.Marker = plot.ConstantTicks(nil)
		a.Tick.Label.Font = font.From(sansFont, 8.5)
		a.Label.TextStyle.Font = font.From(sansFont, 9.5)
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	frame, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 1, Y: 1}, {X: 0, Y: 1}, {X: 0, Y: 0}})
	if err != nil {
		return nil, nil, err
	}
	frame.Color = color.Gray{Y: 0xd0}
	frame.Width = vg.Points(0.8)
	p.Add(frame)
	return p, nil, nil
}

// addPoints draws a series as markers with 95% CI error bars.
func addPoints(p *plot.Plot, s Series, st *Styles) error {
	var xys plotter.XYs
	var errs plotter.YErrors
	for _, run := range finite(s, false) {
		for _, i := range run {
			xys = append(xys, plotter.XY{X: s.X[i], Y: s.Y[i]})
			lo, hi := 0.0, 0.0
			if s.Lo != nil && !math.IsNaN(s.Lo[i]) && !math.IsNaN(s.Hi[i]) {
				lo, hi = s.Y[i]-s.Lo[i], s.Hi[i]-s.Y[i]
			}
			errs = append(errs, struct{ Low, High float64 }{lo, hi})
		}
	}
	if len(xys) == 0 {
		return nil
	}
	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return err
	}
	sc.GlyphStyle = st.glyph(s.Key, s.Alt)
	p.Add(sc)
	if s.Lo != nil {
		ls := st.lineStyle(s.Key, s.Alt)
		ls.Dashes = nil
		ls.Width = vg.Points(0.8)
		p.Add(&plotter.YErrorBars{XYs: xys, YErrors: errs, LineStyle: ls, CapWidth: vg.Points(4)})
	}
	return nil
}

// heatGrid adapts Heat to plotter.GridXYZ.
type heatGrid struct{ h *Heat }

func (g heatGrid) Dims() (c, r int)   { return len(g.h.X), len(g.h.Y) }
func (g heatGrid) Z(c, r int) float64 { return g.h.Z[r][c] }
func (g heatGrid) X(c int) float64    { return g.h.X[c] }
func (g heatGrid) Y(r int) float64    { return g.h.Y[r] }

// heatPalette is Moreland's purple-orange diverging map: colour-blind
// safe, with the light midpoint at zero.
func heatPalette() palette.Palette { return moreland.SmoothPurpleOrange().Palette(255) }

// heatPlot draws the heatmap with a diverging scale symmetric around the
// contour level, so the level sits at the light midpoint, and the contour
// as a thick black line. It returns the colour bar as its own plot.
func heatPlot(p *plot.Plot, h *Heat) (*plot.Plot, error) {
	lim := 0.0
	for _, row := range h.Z {
		for _, z := range row {
			if !math.IsNaN(z) {
				lim = math.Max(lim, math.Abs(z-h.Level))
			}
		}
	}
	if h.Span > 0 {
		lim = h.Span
	}
	if lim == 0 {
		lim = 1
	}
	pal := heatPalette()
	hm := plotter.NewHeatMap(heatGrid{h}, pal)
	hm.Min, hm.Max = h.Level-lim, h.Level+lim
	hm.NaN = color.Gray{Y: 0xcc}
	p.Add(hm)
	// The grid's points, so a reader sees where the values were measured.
	var pts plotter.XYs
	for i, y := range h.Y {
		for j, x := range h.X {
			if !math.IsNaN(h.Z[i][j]) {
				pts = append(pts, plotter.XY{X: x, Y: y})
			}
		}
	}
	if len(pts) > 0 && len(pts) <= 400 {
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: color.Gray{Y: 0x33}, Radius: vg.Points(1.3), Shape: draw.CircleGlyph{}}
		p.Add(sc)
	}
	if h.Contour && len(h.X) >= 2 && len(h.Y) >= 2 {
		c := plotter.NewContour(heatGrid{h}, []float64{h.Level}, nil)
		c.LineStyles = []draw.LineStyle{{Color: color.Black, Width: vg.Points(2.5)}}
		c.Min, c.Max = hm.Min, hm.Max
		p.Add(c)
	}
	bar := plot.New()
	bar.Y.Label.TextStyle.Font = font.From(sansFont, 9.5)
	bar.Y.Tick.Label.Font = font.From(sansFont, 8.5)
	cm := moreland.SmoothPurpleOrange()
	cm.SetMin(hm.Min)
	cm.SetMax(hm.Max)
	bar.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true, Colors: 64})
	bar.HideX()
	bar.Y.Label.Text = h.ZLabel
	bar.Y.Padding = 0
	bar.X.Padding = 0
	return bar, nil
}
