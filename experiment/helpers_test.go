package experiment

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/koiisim/koiisim/reports"
	"github.com/koiisim/koiisim/scenarios"
)

// testScenario is a small task with a 2 × 3 grid and 3 replicates: 18
// cells of a few milliseconds each.
const testScenario = `name: exp-test
description: A small task for experiment tests.
seed: 5
rounds: 12
task: {total_bounty: 1000}
populations:
  - {name: honest, count: 30, stake: {dist: uniform, min: 5, max: 20}}
  - {name: cheats, class: faulty, count: 6, stake: 10, behaviour: {kind: faulty, invalid: 0.3}}
sweep:
  replicates: 3
  vary:
    - {path: rules.slash_fraction, values: [0.1, 0.5]}
    - {path: populations.cheats.count, from: 2, to: 6, steps: 3}
`

// writeScenario writes text to a file in a temporary directory.
func writeScenario(t testing.TB, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "scenario.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// newPlan resolves the scenario at path with sets and plans spec's
// experiment over it.
func newPlan(t testing.TB, path string, spec Spec) *Plan {
	t.Helper()
	base, _, err := scenarios.Resolve(path, spec.Overrides())
	if err != nil {
		t.Fatal(err)
	}
	spec.Base, spec.Arg = base, path
	p, err := NewPlan(spec)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// run runs a plan's shard into dir and fails the test on an error.
func run(t testing.TB, p *Plan, dir string, workers int, shard Shard, format string) Outcome {
	t.Helper()
	r := &Runner{Plan: p, Dir: dir, Workers: workers, Shard: shard, Format: format, Version: "test", Parquet: reports.NewParquetTable}
	out, err := r.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// files reads every file under dir by its relative path, leaving out
// shard manifests, which only sharded runs write.
func files(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if strings.HasPrefix(rel, "shard-") {
			return nil
		}
		b, err := os.ReadFile(path)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameFiles fails the test unless two directories hold the same files
// with the same bytes.
func sameFiles(t testing.TB, what string, a, b map[string][]byte) {
	t.Helper()
	var names []string
	for n := range a {
		names = append(names, n)
	}
	for n := range b {
		if _, ok := a[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	bad := 0
	for _, n := range names {
		if !bytes.Equal(a[n], b[n]) {
			if bad++; bad <= 5 {
				_, inA := a[n]
				_, inB := b[n]
				t.Errorf("%s: %s differs (in first: %v, in second: %v)", what, n, inA, inB)
			}
		}
	}
	if len(a) == 0 {
		t.Errorf("%s: no files", what)
	}
}
