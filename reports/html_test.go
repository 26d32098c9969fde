package reports

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// xmlElem is an element of a parsed page: its name, attributes, path of
// ancestors and text.
type xmlElem struct {
	name  string
	attr  map[string]string
	stack []string
}

// parsePage parses an XHTML-compatible page with encoding/xml in strict
// mode: any unclosed or misnested tag, bad entity or attribute fails.
func parsePage(t *testing.T, page []byte) []xmlElem {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict = true
	var out []xmlElem
	var stack []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the report is not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := xmlElem{name: tok.Name.Local, attr: map[string]string{}, stack: append([]string(nil), stack...)}
			for _, a := range tok.Attr {
				e.attr[a.Name.Local] = a.Value
			}
			out = append(out, e)
			stack = append(stack, tok.Name.Local+"#"+e.attr["id"])
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed elements at the end: %v", stack)
	}
	return out
}

// checkOffline fails on anything a browser would fetch or run: scripts,
// external stylesheets, frames, and src/href values that leave the page
// other than relative links to the plots.
func checkOffline(t *testing.T, els []xmlElem) {
	t.Helper()
	for _, e := range els {
		switch e.name {
		case "script", "link", "iframe", "object", "embed", "img":
			t.Errorf("the report has a <%s> element", e.name)
		}
		for k, v := range e.attr {
			if (k == "src" || k == "href") && (strings.Contains(v, "://") || strings.HasPrefix(v, "//")) {
				t.Errorf("<%s %s=%q> would reach the network", e.name, k, v)
			}
			if strings.HasPrefix(k, "on") {
				t.Errorf("<%s %s> is a script handler", e.name, k)
			}
		}
	}
}

func buildRunReport(t *testing.T, set string) (*Report, []Figure, []byte, string) {
	t.Helper()
	runs := readSet(t, set)
	dir := t.TempDir()
	figs := RunFigures(runs)
	rendered, err := WriteFigures(dir, figs, NewStyles(runs[0].Classes))
	if err != nil {
		t.Fatal(err)
	}
	rep := RunReport(runs, rendered, ReportOptions{Generator: "koiisim test"})
	page, err := rep.HTML()
	if err != nil {
		t.Fatal(err)
	}
	return rep, figs, page, dir
}

// TestRunReportWellFormed: the page parses as XML, holds every figure as
// inline SVG inside its <figure> with a caption, both tables, the
// scenario, and nothing that reaches the network.
func TestRunReportWellFormed(t *testing.T) {
	t.Parallel() // rendering figures is the slow part; two cores
	for _, set := range []string{"run-small", "replicates"} {
		t.Run(set, func(t *testing.T) {
			rep, figs, page, dir := buildRunReport(t, set)
			els := parsePage(t, page)
			checkOffline(t, els)
			ids := map[string]bool{}
			svgIn := map[string]int{}
			captions := map[string]int{}
			for _, e := range els {
				if id := e.attr["id"]; id != "" {
					if ids[id] {
						t.Errorf("id %q twice", id)
					}
					ids[id] = true
				}
				for _, anc := range e.stack {
					if strings.HasPrefix(anc, "figure#fig-") {
						if e.name == "svg" {
							svgIn[anc]++
						}
						if e.name == "figcaption" {
							captions[anc]++
						}
					}
				}
			}
			for _, f := range figs {
				key := "figure#fig-" + f.Name
				if svgIn[key] != 1 || captions[key] != 1 {
					t.Errorf("figure %s: %d inline svg, %d captions; want 1 and 1", f.Name, svgIn[key], captions[key])
				}
				for _, ext := range []string{"png", "svg"} {
					if st, err := os.Stat(filepath.Join(dir, "plots", f.Name+"."+ext)); err != nil || st.Size() < 1000 {
						t.Errorf("plots/%s.%s: %v", f.Name, ext, err)
					}
				}
			}
			for _, id := range []string{"what-ran", "classes", "run-figures", "figures", "scenario"} {
				if !ids[id] {
					t.Errorf("no section #%s", id)
				}
			}
			for _, c := range readSet(t, set)[0].Classes {
				if !bytes.Contains(page, []byte("<th scope=\"col\" class=\"num\">"+c+"</th>")) {
					t.Errorf("the class table has no column %s", c)
				}
			}
			if set == "replicates" {
				if !bytes.Contains(page, []byte(" ± ")) {
					t.Error("replicates: no mean ± CI in the tables")
				}
				if rep.Scenario != "" {
					t.Error("replicates have no scenario.yaml, so no scenario text")
				}
			} else if !strings.Contains(rep.Scenario, "name: faulty-submitters") || !bytes.Contains(page, []byte("name: faulty-submitters")) {
				t.Error("run-small: the scenario.yaml it holds is not in the page")
			}
			if f, c := bytes.Index(page, []byte(`id="figures"`)), bytes.Index(page, []byte(`id="classes"`)); f < 0 || f > c {
				t.Error("a run report shows its figures before the long tables")
			}
			if !bytes.Contains(page, []byte("@media print")) {
				t.Error("no print styles")
			}
		})
	}
}

// TestRunReportIsDeterministic: the same inputs give the same page and
// the same figure files, byte for byte.
func TestRunReportIsDeterministic(t *testing.T) {
	t.Parallel() // rendering figures is the slow part; two cores
	_, figs, a, d1 := buildRunReport(t, "run-small")
	_, _, b, d2 := buildRunReport(t, "run-small")
	if !bytes.Equal(a, b) {
		t.Error("two reports of the same run differ")
	}
	for _, f := range figs {
		for _, ext := range []string{"png", "svg"} {
			x, _ := os.ReadFile(filepath.Join(d1, "plots", f.Name+"."+ext))
			y, _ := os.ReadFile(filepath.Join(d2, "plots", f.Name+"."+ext))
			if !bytes.Equal(x, y) {
				t.Errorf("plots/%s.%s differs between two renderings", f.Name, ext)
			}
		}
	}
}

func TestFormatValues(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		unit string
		want string
	}{
		{9999.999396223, "KOII", "9,999.9994"},
		{-133.614884805, "KOII", "−133.6149"},
		{-0.00001, "KOII", "0.0000"},
		{0.5650228, "fraction", "56.50%"},
		{-0.9134, "fraction", "−91.34%"},
		{1009204, "submissions", "1,009,204"},
		{1000, "rounds", "1,000"},
		{2.5, "rounds", "2.50"},
		{nan(), "KOII", "–"},
	} {
		if got := fmtValue(tc.x, tc.unit); got != tc.want {
			t.Errorf("fmtValue(%v, %s) = %q, want %q", tc.x, tc.unit, got, tc.want)
		}
	}
}
