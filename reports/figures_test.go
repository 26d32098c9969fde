package reports

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readSet(t *testing.T, dir string) []*RunData {
	t.Helper()
	runs, err := ReadRunSet(filepath.Join("testdata", dir))
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

// TestRunFiguresGolden: the numbers every figure of a single run draws.
func TestRunFiguresGolden(t *testing.T) {
	runs := readSet(t, "run-small")
	if len(runs) != 1 {
		t.Fatalf("run-small: %d runs, want 1", len(runs))
	}
	var b bytes.Buffer
	if err := WriteData(&b, RunFigures(runs)); err != nil {
		t.Fatal(err)
	}
	golden(t, "run-small.figures", b.Bytes())
}

// TestReplicateFiguresGolden: with replicates, lines are means with a
// 95% CI at every point.
func TestReplicateFiguresGolden(t *testing.T) {
	runs := readSet(t, "replicates")
	if len(runs) != 3 {
		t.Fatalf("replicates: %d runs, want 3", len(runs))
	}
	figs := RunFigures(runs)
	var b bytes.Buffer
	if err := WriteData(&b, figs); err != nil {
		t.Fatal(err)
	}
	golden(t, "replicates.figures", b.Bytes())
	for _, f := range figs {
		for _, p := range f.Panels {
			for _, s := range p.Series {
				if s.Lo == nil {
					t.Errorf("%s/%s: no CI band with 3 replicates", f.Name, s.Label)
				}
			}
		}
	}
}

// TestFiguresAgreeWithSummary: the last point of each cumulative line is
// the summary's class total per node, and the histograms count every
// node once.
func TestFiguresAgreeWithSummary(t *testing.T) {
	runs := readSet(t, "run-small")
	r := runs[0]
	figs := map[string]Figure{}
	for _, f := range RunFigures(runs) {
		figs[f.Name] = f
	}
	for name, metric := range map[string]string{"cumulative-rewards": "rewards", "cumulative-slashes": "slashed"} {
		for _, s := range figs[name].Panels[0].Series {
			last := s.Y[len(s.Y)-1]
			want := r.Values[s.Key+"."+metric] / r.Values[s.Key+".nodes"]
			if math.Abs(last-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("%s %s: last point %v, summary per node %v", name, s.Key, last, want)
			}
		}
	}
	co := figs["coalitions"]
	for _, s := range co.Panels[1].Series {
		last := s.Y[len(s.Y)-1]
		if want := r.Values[s.Key+".net_profit"]; math.Abs(last-want) > 1e-6 {
			t.Errorf("coalition %s: cumulative net profit ends at %v, summary says %v", s.Key, last, want)
		}
	}
	total := 0.0
	for _, p := range figs["net-profit-histogram"].Panels {
		n := 0.0
		for _, y := range p.Series[0].Y {
			n += y
		}
		if want := r.Values[p.Series[0].Key+".nodes"]; n != want {
			t.Errorf("histogram %s counts %v nodes, the class has %v", p.Title, n, want)
		}
		total += n
	}
	if total != float64(len(r.Nodes)) {
		t.Errorf("histograms count %v nodes, nodes.csv has %d", total, len(r.Nodes))
	}
	for _, s := range figs["lorenz-rewards"].Panels[0].Series {
		want := r.Values["total.gini_rewards"]
		if s.Key != "" {
			want = r.Values[s.Key+".gini_rewards"]
		}
		if got := fixed(want, 3); !strings.Contains(s.Label, "Gini "+got) {
			t.Errorf("Lorenz series %q: label should carry the summary's Gini %s", s.Label, got)
		}
	}
}

// TestCoalitionsAreTheNonHonestClasses: a class is followed as a
// coalition when any of its nodes behaves other than honestly.
func TestCoalitionsAreTheNonHonestClasses(t *testing.T) {
	r := readSet(t, "run-small")[0]
	got := strings.Join(r.Coalitions(), ",")
	if got != "faulty,faulty-slow" {
		t.Errorf("coalitions %q, want faulty,faulty-slow", got)
	}
}

func TestThinKeepsEndsAndBound(t *testing.T) {
	for _, n := range []int{0, 1, 2, 999, 1000, 1001, 5000, 100003} {
		idx := thin(n)
		if len(idx) > maxLinePoints+1 {
			t.Errorf("thin(%d): %d points", n, len(idx))
		}
		if n > 0 && (idx[0] != 0 || idx[len(idx)-1] != n-1) {
			t.Errorf("thin(%d) drops an end: %v...%v", n, idx[0], idx[len(idx)-1])
		}
	}
}

// TestReadRunSetErrors: a directory without outputs is an error that
// names it; a damaged rounds.csv names the file and line.
func TestReadRunSetErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadRunSet(dir); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("empty dir: %v", err)
	}
	for _, f := range []string{"summary.json", "nodes.csv"} {
		b, _ := os.ReadFile(filepath.Join("testdata", "run-small", f))
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "rounds.csv"), []byte("cycle,class\n0,honest\n"), 0o644)
	if _, err := ReadRunSet(dir); err == nil || !strings.Contains(err.Error(), "rounds.csv") {
		t.Errorf("rounds.csv without columns: %v", err)
	}
}

func TestNaturalOrder(t *testing.T) {
	// Digit runs compare as numbers; equal numbers fall back to bytes.
	want := []string{"a", "rep-1", "rep-1b", "rep-02", "rep-2", "rep-10"}
	for i := range want {
		for j := range want {
			if naturalLess(want[i], want[j]) != (i < j) {
				t.Errorf("naturalLess(%q, %q) = %v", want[i], want[j], !(i < j))
			}
		}
	}
}

func nan() float64 { return math.NaN() }

func writeFile(dir, name string, b []byte) error {
	return os.WriteFile(filepath.Join(dir, name), b, 0o644)
}
