package experiment

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/koiisim/koiisim/scenarios"
)

func testBase(t *testing.T) *scenarios.Scenario {
	t.Helper()
	s, _, err := scenarios.Resolve(writeScenario(t, testScenario), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestReplicatesDoNotDependOnWorkers: Replicates returns the runs in
// seed order with the same figures for one worker or four, each equal
// to RunOne with that seed.
func TestReplicatesDoNotDependOnWorkers(t *testing.T) {
	s := testBase(t)
	seeds := []uint64{ReplicateSeed(s, 0), ReplicateSeed(s, 1), ReplicateSeed(s, 2), 7}
	one, err := Replicates(context.Background(), s, seeds, 1)
	if err != nil {
		t.Fatal(err)
	}
	four, err := Replicates(context.Background(), s, seeds, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i, seed := range seeds {
		alone, err := RunOne(context.Background(), s, seed, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(one[i].Figures, alone.Figures) || !reflect.DeepEqual(four[i].Figures, alone.Figures) {
			t.Errorf("replicate %d (seed %d): figures differ between 1 worker, 4 workers and RunOne", i, seed)
		}
	}
}

// TestReplicateSeedIsTheCellSeed: replicate r of a scenario has the
// seed of cell r of its one-point plan, whichever command runs it.
func TestReplicateSeedIsTheCellSeed(t *testing.T) {
	path := writeScenario(t, testScenario)
	p := newPlan(t, path, Spec{Vary: []scenarios.Dimension{}, Design: new(scenarios.Design), Replicates: 3})
	s := testBase(t)
	for r := range 3 {
		if got, want := ReplicateSeed(s, r), p.Cell(r).Seed; got != want {
			t.Errorf("replicate %d: ReplicateSeed %d, cell seed %d", r, got, want)
		}
	}
}

// TestRunOneFilesDependOnSeedNotOnScenarioSeed: the files of a run with
// seed S are the same whatever seed the scenario carried, so a replicate
// and `koiisim run --seed S` write the same bytes.
func TestRunOneFilesDependOnSeedNotOnScenarioSeed(t *testing.T) {
	s := testBase(t)
	other := Seeded(s, s.Seed+1)
	a, b := t.TempDir(), t.TempDir()
	for _, c := range []struct {
		s   *scenarios.Scenario
		dir string
	}{{s, a}, {other, b}} {
		if _, err := RunOne(context.Background(), c.s, 99, Options{Files: &Files{Dir: c.dir, Version: "test", Replay: "r"}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"scenario.yaml", "summary.json", "rounds.csv", "nodes.csv"} {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if len(x) == 0 || string(x) != string(y) {
			t.Errorf("%s differs with the scenario's seed", f)
		}
	}
}
