package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/koiisim/koiisim/scenarios"
)

// TestBuiltinGoldens pins every output byte of every built-in: a short
// run of each (40 rounds, seed 3) is hashed file by file, its event trace
// included, against testdata/builtins.sha256. A move or a refactor must
// leave this file unchanged; a rule change shows here which built-ins it
// touches, and is committed with the regenerated file (-update).
func TestBuiltinGoldens(t *testing.T) {
	var b strings.Builder
	for _, info := range scenarios.Builtins() {
		name := info.Name
		dir := t.TempDir()
		trace := filepath.Join(dir, "trace.csv")
		code, _, errs := koiisim(t, "run", name, "--rounds", "40", "--seed", "3", "--quiet", "--out", dir, "--trace", trace)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, errs)
		}
		for _, f := range []string{"summary.json", "rounds.csv", "nodes.csv", "trace.csv"} {
			data, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%x  %s/%s\n", sha256.Sum256(data), name, f)
		}
	}
	golden(t, "builtins.sha256", b.String())
}
