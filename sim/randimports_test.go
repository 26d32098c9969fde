package sim

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// randPackages are the random sources whose draws are not named streams:
// importing one outside the stream code is how global or unkeyed
// randomness gets into a run.
var randPackages = map[string]bool{
	"math/rand":             true,
	"math/rand/v2":          true,
	"golang.org/x/exp/rand": true,
}

// streamCode is the one file, relative to the module root, that may
// import them: every draw comes from the streams it defines.
const streamCode = "sim/rng.go"

// TestOnlyTheStreamCodeImportsMathRand checks that no non-test Go file
// of the module but sim/rng.go imports math/rand, math/rand/v2 or
// golang.org/x/exp/rand, so every draw of a run or a sweep design comes
// from a named stream (docs/model.md §10). Test files may use them for
// random test inputs with fixed seeds.
func TestOnlyTheStreamCodeImportsMathRand(t *testing.T) {
	root, err := filepath.Abs("..") // sim/ sits at the module's root
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod above sim/: %v", err)
	}
	fset := token.NewFileSet()
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			// What the go command ignores, and build outputs.
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "bin" || name == "out") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if randPackages[p] && rel != streamCode {
				t.Errorf("%s: imports %q; draws must come from the named streams of %s (sim.NamedStream outside a run), never another source", fset.Position(imp.Pos()), p, streamCode)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("checked only %d Go files under %s: the walk missed the module", checked, root)
	}
}
