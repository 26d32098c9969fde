package reports

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update is the package's -update flag: `go test ./reports -update`
// rewrites the golden files under testdata/ (review the diff).
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run 'go test ./reports -update' to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; if the change is intended, run 'go test ./reports -update' and review the diff", name)
	}
}
