package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/koiisim/koiisim/internal/atomicfile"
	"github.com/koiisim/koiisim/metrics"
)

// Report is the content of an HTML report: a run's, a sweep's or a
// comparison's. It renders to one XHTML-compatible file that works
// offline: figures inlined as SVG, styles inline, no script, no fetch.
type Report struct {
	Kind        string // "run", "sweep" or "comparison"
	Title       string
	Description string
	Meta        []KV     // what ran: scenario, hash, seed, versions, replay
	Highlights  []string // a few sentences a newcomer reads first
	Tables      []DataTable
	Figures     []RenderedFigure
	// FiguresFirst puts the figures before the tables (runs and sweeps:
	// the curves are what a reader looks at first).
	FiguresFirst bool
	Scenario     string // the resolved scenario YAML, "" when unknown
	ScenarioSrc  string // where it came from, or why it is missing
	Generator    string // "koiisim <version>"
}

// KV is one labelled value of the report's header table.
type KV struct {
	Key, Value string
	Code       bool // monospace (hashes, commands)
}

// DataTable is one table of the report.
type DataTable struct {
	ID, Title, Note string
	Head            []string
	Rows            []Row
}

// Row is one table row; Doc, when set, is shown under the first cell.
type Row struct {
	Cells []string
	Doc   string
	Class string // CSS class of the row ("total", "group")
}

// RenderedFigure is a figure drawn for the report.
type RenderedFigure struct {
	Figure
	Number int
	SVG    template.HTML
}

// svgHeader matches what gonum's SVG canvas writes before the root
// element, and the root's fixed size, which the page replaces by a
// responsive width.
var (
	svgProlog = regexp.MustCompile(`(?s)^.*?<svg `)
	svgSize   = regexp.MustCompile(`^<svg width="[^"]*" height="[^"]*"`)
)

// inlineSVG turns a standalone SVG file into an element for the page:
// no XML prolog or comment, a width that follows the page, and a label
// for screen readers.
func inlineSVG(svg []byte, label string) template.HTML {
	s := svgProlog.ReplaceAllString(string(svg), "<svg ")
	s = svgSize.ReplaceAllString(s, `<svg class="fig" role="img" aria-label="`+template.HTMLEscapeString(label)+`"`)
	return template.HTML(s)
}

// WriteFigures renders each figure as PNG and SVG under dir/plots and
// returns them ready for the report, numbered from 1.
func WriteFigures(dir string, figs []Figure, st *Styles) ([]RenderedFigure, error) {
	pd := filepath.Join(dir, "plots")
	if err := os.MkdirAll(pd, 0o755); err != nil {
		return nil, err
	}
	var out []RenderedFigure
	for i, f := range figs {
		png, err := Render(f, st, "png")
		if err != nil {
			return nil, err
		}
		svg, err := Render(f, st, "svg")
		if err != nil {
			return nil, err
		}
		if err := atomicfile.WriteFile(filepath.Join(pd, f.Name+".png"), png); err != nil {
			return nil, err
		}
		if err := atomicfile.WriteFile(filepath.Join(pd, f.Name+".svg"), svg); err != nil {
			return nil, err
		}
		out = append(out, RenderedFigure{Figure: f, Number: i + 1, SVG: inlineSVG(svg, f.Title)})
	}
	return out, nil
}

// HTML renders the report.
func (r *Report) HTML() ([]byte, error) {
	var b bytes.Buffer
	if err := reportTemplate.Execute(&b, r); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

var reportTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>{{.Title}}</title>
<style>` + reportCSS + `</style>
</head>
<body>
<header>
<p class="kind">koiisim {{.Kind}} report</p>
<h1>{{.Title}}</h1>
{{if .Description}}<p class="desc">{{.Description}}</p>{{end}}
</header>
<nav><a href="#what-ran">What ran</a>{{if and .Figures .FiguresFirst}} · <a href="#figures">Figures</a>{{end}}{{range .Tables}} · <a href="#{{.ID}}">{{.Title}}</a>{{end}}{{if and .Figures (not .FiguresFirst)}} · <a href="#figures">Figures</a>{{end}} · <a href="#scenario">Scenario</a></nav>
<main>
<section id="what-ran">
<h2>What ran</h2>
<table class="meta">
<tbody>
{{range .Meta}}<tr><th scope="row">{{.Key}}</th><td>{{if .Code}}<code>{{.Value}}</code>{{else}}{{.Value}}{{end}}</td></tr>
{{end}}</tbody>
</table>
{{if .Highlights}}<h3>In short</h3>
<ul class="highlights">
{{range .Highlights}}<li>{{.}}</li>
{{end}}</ul>{{end}}
</section>
{{if .FiguresFirst}}{{if .Figures}}<section id="figures">
<h2>Figures</h2>
{{range .Figures}}<figure id="fig-{{.Name}}">
{{.SVG}}
<figcaption><strong>Figure {{.Number}}. {{.Title}}.</strong> {{.Caption}} <span class="files">(<a href="plots/{{.Name}}.png">PNG</a>, <a href="plots/{{.Name}}.svg">SVG</a>)</span></figcaption>
</figure>
{{end}}</section>
{{end}}{{end}}{{range .Tables}}{{$t := .}}<section id="{{.ID}}">
<h2>{{.Title}}</h2>
{{if .Note}}<p class="note">{{.Note}}</p>{{end}}
<div class="scroll">
<table class="data">
<thead><tr>{{range $i, $h := .Head}}<th scope="col"{{if $i}} class="num"{{end}}>{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}{{if eq .Class "group"}}<tr class="group"><th scope="rowgroup" colspan="{{len $t.Head}}">{{index .Cells 0}}</th></tr>
{{else}}<tr{{if or .Class .Doc}} class="{{.Class}}{{if .Doc}} hasdoc{{end}}"{{end}}>{{range $i, $c := .Cells}}{{if $i}}<td class="num">{{$c}}</td>{{else}}<th scope="row">{{$c}}</th>{{end}}{{end}}</tr>
{{if .Doc}}<tr class="doc"><td colspan="{{len .Cells}}">{{.Doc}}</td></tr>
{{end}}{{end}}{{end}}</tbody>
</table>
</div>
</section>
{{end}}{{if not .FiguresFirst}}{{if .Figures}}<section id="figures">
<h2>Figures</h2>
{{range .Figures}}<figure id="fig-{{.Name}}">
{{.SVG}}
<figcaption><strong>Figure {{.Number}}. {{.Title}}.</strong> {{.Caption}} <span class="files">(<a href="plots/{{.Name}}.png">PNG</a>, <a href="plots/{{.Name}}.svg">SVG</a>)</span></figcaption>
</figure>
{{end}}</section>
{{end}}{{end}}<section id="scenario">
<h2>Scenario</h2>
<p class="note">{{.ScenarioSrc}}</p>
{{if .Scenario}}<pre class="yaml">{{.Scenario}}</pre>{{end}}
</section>
</main>
<footer><p>Written by {{.Generator}}. This page is self-contained: it loads nothing from the network and needs no script.</p></footer>
</body>
</html>
`))

const reportCSS = `
:root { --ink: #1d1d1f; --muted: #5a5a60; --rule: #d6d6da; --band: #f4f5f7; --accent: #0072b2; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0 auto; max-width: 70rem; padding: 1.5rem 2rem 3rem; color: var(--ink); background: #fff;
  font-family: "Liberation Sans", "Helvetica Neue", Arial, sans-serif; line-height: 1.45; }
header .kind { margin: 0; color: var(--muted); text-transform: uppercase; letter-spacing: .06em; font-size: .8rem; }
h1 { margin: .2rem 0 .4rem; font-size: 1.9rem; }
h2 { margin: 2.2rem 0 .6rem; font-size: 1.35rem; border-bottom: 2px solid var(--rule); padding-bottom: .2rem; }
h3 { margin: 1.2rem 0 .4rem; font-size: 1.05rem; }
.desc { margin: 0 0 .6rem; font-size: 1.05rem; color: var(--muted); }
nav { font-size: .9rem; padding: .5rem 0; border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); }
nav a, figcaption a { color: var(--accent); }
code, pre { font-family: "Liberation Mono", Menlo, Consolas, monospace; font-size: .85rem; }
table { border-collapse: collapse; }
table.meta th { text-align: left; font-weight: 600; padding: .2rem 1.2rem .2rem 0; vertical-align: top; white-space: nowrap; }
table.meta td { padding: .2rem 0; overflow-wrap: break-word; }
.scroll { overflow-x: auto; width: min(calc(100vw - 2rem), 84rem); margin-left: 50%; transform: translateX(-50%); }
table.data { width: 100%; font-size: .88rem; font-variant-numeric: tabular-nums; }
table.data th, table.data td { padding: .25rem .6rem; border-bottom: 1px solid var(--rule); }
table.data thead th { text-align: left; border-bottom: 2px solid var(--ink); vertical-align: bottom; }
table.data th.num, table.data td.num { text-align: right; white-space: nowrap; }
table.data tbody th { text-align: left; font-weight: 600; }
table.data tr.doc td { border-bottom: 1px solid var(--rule); color: var(--muted); font-size: .78rem; padding-top: 0; }
table.data tr.hasdoc th, table.data tr.hasdoc td { border-bottom: none; }
table.data tr.total { background: var(--band); }
table.data tr.same th, table.data tr.same td { color: var(--muted); font-weight: normal; }
table.data tr.group th { padding-top: 1rem; font-size: .95rem; color: var(--accent); border-bottom: 1px solid var(--ink); }
.note { color: var(--muted); font-size: .9rem; }
ul.highlights li { margin: .2rem 0; }
figure { margin: 1.6rem 0; page-break-inside: avoid; break-inside: avoid; }
svg.fig { display: block; width: 100%; max-width: 60rem; height: auto; margin: 0 auto; }
figcaption { font-size: .92rem; margin-top: .4rem; max-width: 60rem; margin-left: auto; margin-right: auto; }
pre.yaml { background: var(--band); padding: .8rem 1rem; overflow: auto; max-height: 32rem; border: 1px solid var(--rule); }
footer { margin-top: 3rem; color: var(--muted); font-size: .8rem; border-top: 1px solid var(--rule); }
@media (max-width: 40rem) { body { padding: 1rem; } h1 { font-size: 1.5rem; } }
@media print {
  @page { margin: 1.5cm; }
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  .scroll { width: auto; margin-left: 0; transform: none; }
  nav, .files { display: none; }
  h2 { page-break-after: avoid; break-after: avoid; }
  table.data { font-size: 8.5pt; }
  .scroll { overflow: visible; }
  pre.yaml { max-height: none; overflow: visible; white-space: pre-wrap; font-size: 7.5pt; }
  svg.fig { max-width: 17cm; }
  a { color: inherit; text-decoration: none; }
}
`

// formatting of figures for tables

// fmtValue formats a metric value by its unit: money with 4 decimals,
// fractions as percentages, counts as integers with thousands
// separators, other numbers with 3 significant decimals.
func fmtValue(x float64, unit string) string {
	if math.IsNaN(x) {
		return "–"
	}
	switch unit {
	case "KOII":
		return group(fixed(x, 4))
	case "fraction":
		return group(fixed(100*x, 2)) + "%"
	case "rounds", "days":
		if x != math.Trunc(x) {
			return group(fixed(x, 2))
		}
	}
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return group(strconv.FormatInt(int64(x), 10))
	}
	return group(fixed(x, 3))
}

// fmtEstimate formats a mean with its CI half-width, or the value alone
// with one replicate.
func fmtEstimate(e metrics.Estimate, unit string) string {
	if !e.HasCI() {
		return fmtValue(e.Mean, unit)
	}
	if e.Trials > 0 {
		// A proportion's interval is not symmetric: both ends.
		return fmtValue(e.Mean, unit) + " [" + fmtValue(e.Lo, unit) + ", " + fmtValue(e.Hi, unit) + "]"
	}
	hw := e.HalfWidth()
	if hw <= negligible(e.Mean, 0) || fmtValue(hw, unit) == fmtValue(0, unit) {
		return fmtValue(e.Mean, unit) // the replicates agree to the digits shown
	}
	if unit != "KOII" && unit != "fraction" && unit != "rounds" && unit != "days" {
		return fmtValue(e.Mean, "") + " ± " + fmtValue(hw, "")
	}
	return fmtValue(e.Mean, unit) + " ± " + fmtValue(hw, unit)
}

// group puts thousands separators into the integer part of a decimal.
func group(s string) string {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String() + frac
	if neg {
		out = "−" + out
	}
	return out
}

// unitLabel is how a unit reads in a table's unit column.
func unitLabel(unit string) string {
	if unit == "fraction" {
		return "%"
	}
	return unit
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
