package experiment

import (
	"os"
	"path/filepath"
	"testing"
)

// The readers of an output directory, fuzzed: whatever the bytes of a
// manifest or a cell file, reading returns a result or an error, never
// a panic. `make fuzz-all` runs each.

// FuzzReadManifest reads a manifest and rebuilds the plan it records.
func FuzzReadManifest(f *testing.F) {
	f.Add([]byte(`{"tool":"koiisim","scenario_sha256":"ab","design":{"kind":"grid","points":1,"replicates":2,"vary":[]},"points":[{"values":[],"sha256":"0123456789abcdef0123"}],"cells":2,"done":"0-1","complete":true}`))
	f.Add([]byte(`{"tool":"koiisim","scenario_sha256":"ab","design":{"kind":"lhs","replicates":1000000000},"cells":-1}`))
	f.Add([]byte(`{"tool":"koiisim"`))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, ManifestFile), data, 0o644); err != nil {
			t.Fatal(err)
		}
		ms, names, err := readManifests(dir)
		if err != nil {
			return
		}
		for _, n := range names {
			p, err := planOf(ms[n])
			if err != nil {
				continue
			}
			for i := range min(p.Cells(), 16) {
				p.Cell(i)
			}
		}
	})
}

// FuzzReadCell reads a cell file as the cell it should be.
func FuzzReadCell(f *testing.F) {
	c := Cell{Index: 0, Point: 0, Replicate: 1, Seed: 7, PointHash: "0123456789abcdef0123456789abcdef"}
	f.Add([]byte(`{"point_sha256":"0123456789abcdef0123456789abcdef","replicate":1,"seed":7,"metrics":{"run.events":"12"}}`))
	f.Add([]byte(`{"point_sha256":1}`))
	f.Add([]byte("\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		st := store{dir: t.TempDir()}
		os.MkdirAll(filepath.Join(st.dir, CellsDir), 0o755)
		if err := os.WriteFile(st.path(c), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if r, err := st.read(c); err == nil && (r.PointHash != c.PointHash || r.Replicate != c.Replicate || r.Seed != c.Seed) {
			t.Errorf("read another cell's result as this one's: %+v", r)
		}
	})
}
