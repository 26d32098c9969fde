package reports

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// testCoalitions are the non-honest classes of the testdata sweeps'
// scenario, as the report command finds them (model.Config.HonestClasses).
var testCoalitions = []string{"faulty", "faulty-slow"}

func readSweep(t *testing.T, name string) *SweepData {
	t.Helper()
	s, err := ReadSweep(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSweepFiguresGolden: the numbers of every sweep figure, for a sweep
// over one parameter and over two (lines per value of the second, and
// the break-even heatmaps).
func TestSweepFiguresGolden(t *testing.T) {
	for _, name := range []string{"sweep-1d", "sweep-2d"} {
		s := readSweep(t, name)
		var b bytes.Buffer
		if err := WriteData(&b, SweepFigures(s, testCoalitions)); err != nil {
			t.Fatal(err)
		}
		golden(t, name+".figures", b.Bytes())
	}
}

// TestSweepLinesMatchSummary: each line point is the point's mean in
// summary.csv, with its CI; a 2-d grid has one line per value of the
// second parameter, and heatmaps only for the non-honest classes.
func TestSweepLinesMatchSummary(t *testing.T) {
	s := readSweep(t, "sweep-2d")
	figs := SweepFigures(s, testCoalitions)
	var heat []string
	for _, f := range figs {
		if f.Panels[0].Kind == HeatPanel {
			heat = append(heat, f.Name)
			continue
		}
		for _, p := range f.Panels {
			if len(p.Series) != 3 {
				t.Errorf("%s/%s: %d lines, want one per audit_sample value (3)", f.Name, p.Title, len(p.Series))
			}
		}
	}
	if got := strings.Join(heat, ","); got != "sweep-heatmap-faulty,sweep-heatmap-faulty-slow" {
		t.Errorf("heatmaps %s", got)
	}
	heat = heat[:0]
	for _, f := range SweepFigures(s, nil) {
		if f.Panels[0].Kind == HeatPanel {
			heat = append(heat, f.Name)
		}
	}
	if got := strings.Join(heat, ","); got != "sweep-heatmap-honest,sweep-heatmap-faulty,sweep-heatmap-faulty-slow" {
		t.Errorf("with the scenario unknown, heatmaps %s, want every class", got)
	}
	var np Panel
	for _, f := range figs {
		if f.Name == "sweep-net-profit" {
			np = f.Panels[1]
		}
	}
	if np.Title != "faulty" {
		t.Fatalf("second net profit panel is %q", np.Title)
	}
	for _, ser := range np.Series {
		for i, x := range ser.X {
			found := false
			for _, p := range s.Points {
				if p.Num[0] == x && "audit_sample = "+p.Values[1] == ser.Label {
					e := p.Stats["faulty.net_profit"]
					if ser.Y[i] != e.Mean || ser.Lo[i] != e.Lo || ser.Hi[i] != e.Hi {
						t.Errorf("%s at %v: %v [%v, %v], summary %+v", ser.Label, x, ser.Y[i], ser.Lo[i], ser.Hi[i], e)
					}
					found = true
				}
			}
			if !found {
				t.Errorf("%s at %v: no such point", ser.Label, x)
			}
		}
	}
}

// TestSweepReportWellFormed: the sweep page parses, holds every figure
// and a table of points per metric group, and stays offline.
func TestSweepReportWellFormed(t *testing.T) {
	t.Parallel() // rendering figures is the slow part; two cores
	s := readSweep(t, "sweep-2d")
	figs := SweepFigures(s, testCoalitions)
	rendered, err := WriteFigures(t.TempDir(), figs, SweepStyles(s))
	if err != nil {
		t.Fatal(err)
	}
	rep := SweepReport(s, rendered, testCoalitions, ReportOptions{Generator: "koiisim test"})
	page, err := rep.HTML()
	if err != nil {
		t.Fatal(err)
	}
	els := parsePage(t, page)
	checkOffline(t, els)
	ids := map[string]bool{}
	for _, e := range els {
		ids[e.attr["id"]] = true
	}
	for _, f := range figs {
		if !ids["fig-"+f.Name] {
			t.Errorf("no figure %s", f.Name)
		}
	}
	for _, id := range []string{"points-run", "points-honest", "points-faulty", "points-faulty-slow", "points-total"} {
		if !ids[id] {
			t.Errorf("no table %s", id)
		}
	}
	if !bytes.Contains(page, []byte("net profit turns to a loss between slash_fraction")) {
		t.Error("the break-even frontier is not stated in words")
	}
}

func TestReadSweepUnfinished(t *testing.T) {
	dir := t.TempDir()
	b := []byte(`{"tool":"koiisim","scenario_sha256":"ab","cells":10,"cells_done":4}`)
	if err := writeFile(dir, "manifest.json", b); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadSweep(dir); err == nil || !strings.Contains(err.Error(), "4 of 10 cells") {
		t.Errorf("an unfinished sweep: %v", err)
	}
}
