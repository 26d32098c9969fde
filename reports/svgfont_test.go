package reports

import (
	"regexp"
	"strings"
	"testing"
)

// TestSVGFontStackHasFallbacks: every font an SVG names comes with
// metric-compatible and generic fallbacks, so a browser without
// Liberation Sans does not substitute an arbitrary wider face.
func TestSVGFontStackHasFallbacks(t *testing.T) {
	s := syntheticSweep([]string{"rules.slash_fraction"}, [][]float64{{0, 0.5, 1}}, []string{"faulty.net_profit"},
		func(_ string, x []float64) float64 { return x[0] })
	svg, err := Render(SweepFigures(s, nil)[0], SweepStyles(s), "svg")
	if err != nil {
		t.Fatal(err)
	}
	fams := regexp.MustCompile(`font-family:([^;"]*)`).FindAllStringSubmatch(string(svg), -1)
	if len(fams) == 0 {
		t.Fatal("no font-family in the SVG")
	}
	for _, f := range fams {
		if !strings.HasSuffix(strings.TrimSpace(f[1]), "sans-serif") || !strings.Contains(f[1], "Arial") {
			t.Fatalf("font-family %q has no fallback stack", f[1])
		}
	}
}

// TestParameterRowWrapsAtWords: the header table of a report breaks its
// values between words (a long hash still breaks when it must), never
// in the middle of every word as break-all did.
func TestParameterRowWrapsAtWords(t *testing.T) {
	s := readSweep(t, "sweep-2d")
	page, err := SweepReport(s, nil, nil, ReportOptions{Generator: "koiisim test"}).HTML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(page), "break-all") || !strings.Contains(string(page), "overflow-wrap: break-word") {
		t.Error("the header table's values break mid-word (word-break: break-all)")
	}
}
