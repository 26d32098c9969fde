package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Readers of what koiisim wrote, fuzzed: whatever the bytes, they
// return data or an error, never panic. `make fuzz-all` runs each.

// FuzzReadBaseline feeds baseline files to ReadBaseline.
func FuzzReadBaseline(f *testing.F) {
	f.Add([]byte(`{"tool":"koiisim","rounds":3,"replicates":1,"metrics":{"run.events":{"values":[1]}}}`))
	f.Add([]byte(`{"tool":"koiisim","rounds":-1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if b, err := ReadBaseline(data); err == nil && (b.Tool != "koiisim" || b.Rounds < 1 || b.Replicates < 1) {
			t.Errorf("accepted a baseline without tool, rounds or replicates: %+v", b)
		}
	})
}

// seedFile adds the bytes of a testdata file as a seed, when present.
func seedFile(f *testing.F, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatalf("seed %s: %v", path, err)
	}
	return b
}

// FuzzReadRun writes summary.json, rounds.csv and nodes.csv from the
// input and reads the directory back as a run.
func FuzzReadRun(f *testing.F) {
	dir := filepath.Join("testdata", "run-small")
	f.Add(seedFile(f, filepath.Join(dir, "summary.json")), seedFile(f, filepath.Join(dir, "rounds.csv")), seedFile(f, filepath.Join(dir, "nodes.csv")))
	f.Add([]byte(`{"tool":"x","run":{},"total":{}}`), []byte("cycle,class\n1,a\n"), []byte("id\n"))
	f.Fuzz(func(t *testing.T, summary, rounds, nodes []byte) {
		d := t.TempDir()
		for name, b := range map[string][]byte{"summary.json": summary, "rounds.csv": rounds, "nodes.csv": nodes} {
			if err := os.WriteFile(filepath.Join(d, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		ReadRunSet(d)
	})
}

// FuzzReadSweep writes manifest.json and summary.csv from the input and
// reads the directory back as a sweep.
func FuzzReadSweep(f *testing.F) {
	dir := filepath.Join("testdata", "sweep-1d")
	f.Add(seedFile(f, filepath.Join(dir, "manifest.json")), seedFile(f, filepath.Join(dir, "summary.csv")))
	f.Add([]byte(`{"tool":"koiisim","scenario_sha256":"x","complete":true,"design":{"vary":[{"path":"a"}]},"metrics":["m"]}`), []byte("point,a,m.mean,m.ci_low,m.ci_high,m.n\n0,x,1,0,2,3\n"))
	f.Fuzz(func(t *testing.T, manifest, summary []byte) {
		d := t.TempDir()
		os.WriteFile(filepath.Join(d, "manifest.json"), manifest, 0o644)
		os.WriteFile(filepath.Join(d, "summary.csv"), summary, 0o644)
		ReadSweep(d)
	})
}

// FuzzReadSummaryPoints feeds summary.csv tables to the reader that
// assertions over replicate sets and sweeps use.
func FuzzReadSummaryPoints(f *testing.F) {
	f.Add(seedFile(f, filepath.Join("testdata", "sweep-1d", "summary.csv")))
	f.Add([]byte("point\n0\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ReadSummaryPoints(bytes.NewReader(data))
	})
}
