package experiment

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/koiisim/koiisim/reports"
	"github.com/koiisim/koiisim/scenarios"
)

// The outputs of a sweep: 18 cells, the tables and the manifest.
func TestSweepWritesItsTables(t *testing.T) {
	p := newPlan(t, writeScenario(t, testScenario), Spec{})
	if p.Cells() != 18 || len(p.Points) != 6 {
		t.Fatalf("%d cells of %d points, want 18 of 6", p.Cells(), len(p.Points))
	}
	dir := t.TempDir()
	out := run(t, p, dir, 2, Shard{}, "parquet")
	if out.Ran != 18 || !out.Complete {
		t.Fatalf("outcome %+v", out)
	}
	rows := readCSV(t, filepath.Join(dir, "cells.csv"))
	if len(rows) != 19 || strings.Join(rows[0][:5], ",") != "point,replicate,seed,rules.slash_fraction,populations.cheats.count" {
		t.Fatalf("cells.csv: %d rows, header %v", len(rows), rows[0])
	}
	sum := readCSV(t, filepath.Join(dir, "summary.csv"))
	if len(sum) != 7 || sum[0][3] != "honest.net_profit.mean" || sum[1][1] != "0.1" || sum[1][2] != "2" || sum[2][2] != "4" {
		t.Fatalf("summary.csv: %d rows, header %v, first rows %v %v", len(sum), sum[0][:4], sum[1][:3], sum[2][:3])
	}
	var m Manifest
	b, _ := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err := json.Unmarshal(b, &m); err != nil || !m.Complete || m.Done != "0-17" || m.Cells != 18 || m.Units["faulty.net_profit"] != "KOII" {
		t.Fatalf("manifest: %v %+v", err, m)
	}
	for _, f := range []string{"cells.parquet", "summary.parquet"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// The same results for one worker and four, byte for byte.
func TestWorkersDoNotChangeResults(t *testing.T) {
	path := writeScenario(t, testScenario)
	one, four := t.TempDir(), t.TempDir()
	run(t, newPlan(t, path, Spec{}), one, 1, Shard{}, "parquet")
	run(t, newPlan(t, path, Spec{}), four, 4, Shard{}, "parquet")
	sameFiles(t, "workers 1 vs 4", files(t, one), files(t, four))
}

// Shards 0/3, 1/3 and 2/3, merged, equal the unsharded sweep byte for
// byte: in three directories, and in one they share.
func TestShardsMergeToTheWholeSweep(t *testing.T) {
	path := writeScenario(t, testScenario)
	whole := t.TempDir()
	run(t, newPlan(t, path, Spec{}), whole, 2, Shard{}, "parquet")
	want := files(t, whole)

	var dirs []string
	shared := t.TempDir()
	for i := range 3 {
		d := t.TempDir()
		out := run(t, newPlan(t, path, Spec{}), d, 1, Shard{i, 3}, "parquet")
		if out.Share != 6 || out.Ran != 6 {
			t.Fatalf("shard %d/3: %+v", i, out)
		}
		if _, err := os.Stat(filepath.Join(d, "cells.csv")); err == nil {
			t.Error("a shard must not write the tables")
		}
		dirs = append(dirs, d)
		run(t, newPlan(t, path, Spec{}), shared, 2, Shard{i, 3}, "parquet")
	}
	merged := filepath.Join(t.TempDir(), "merged")
	if _, _, err := Merge(dirs, merged, MergeOptions{Version: "test", Parquet: reports.NewParquetTable}); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "three shard directories merged", want, files(t, merged))
	if _, _, err := Merge([]string{shared}, shared, MergeOptions{Version: "test", Parquet: reports.NewParquetTable}); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "one shared directory merged", want, files(t, shared))
}

// Shards that start together in one directory, as array tasks do, do
// not take each other's files for a stranger's.
func TestShardsStartTogetherInOneDirectory(t *testing.T) {
	path := writeScenario(t, testScenario)
	whole := t.TempDir()
	run(t, newPlan(t, path, Spec{}), whole, 2, Shard{}, "csv")
	for trial := range 10 {
		dir := t.TempDir()
		errs := make(chan error, 3)
		for i := range 3 {
			p := newPlan(t, path, Spec{})
			go func() {
				r := &Runner{Plan: p, Dir: dir, Workers: 1, Shard: Shard{i, 3}, Format: "csv", Version: "test"}
				_, err := r.Run(context.Background())
				errs <- err
			}()
		}
		for range 3 {
			if err := <-errs; err != nil {
				t.Fatalf("trial %d: %v", trial, err)
			}
		}
		if _, _, err := Merge([]string{dir}, dir, MergeOptions{Version: "test", Parquet: reports.NewParquetTable}); err != nil {
			t.Fatal(err)
		}
		sameFiles(t, "shards started together", files(t, whole), files(t, dir))
	}
}

// Merging shards that are not all done says which are missing.
func TestMergeNamesMissingShards(t *testing.T) {
	path := writeScenario(t, testScenario)
	a, b := t.TempDir(), t.TempDir()
	run(t, newPlan(t, path, Spec{}), a, 1, Shard{0, 3}, "csv")
	run(t, newPlan(t, path, Spec{}), b, 1, Shard{2, 3}, "csv")
	_, _, err := Merge([]string{a, b}, t.TempDir(), MergeOptions{})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "6 of 18 cells are not done") || !strings.Contains(err.Error(), "shards 1/3") {
		t.Fatalf("merge of 2 of 3 shards: %v", err)
	}
	other := t.TempDir()
	run(t, newPlan(t, path, Spec{Sets: []string{"seed=6"}}), other, 1, Shard{1, 3}, "csv")
	if _, _, err := Merge([]string{a, b, other}, t.TempDir(), MergeOptions{}); !errors.As(err, &ie) || !strings.Contains(err.Error(), "different experiments") {
		t.Fatalf("merge of shards of two experiments: %v", err)
	}
}

// CheckMergeable says what Merge would, and writes nothing: a merge that
// waits looks with it before it takes the output directory.
func TestCheckMergeableOnlyReads(t *testing.T) {
	path := writeScenario(t, testScenario)
	a, b := t.TempDir(), t.TempDir()
	run(t, newPlan(t, path, Spec{}), a, 1, Shard{0, 2}, "csv")
	before := files(t, a)
	if err := CheckMergeable([]string{a, b}, MergeOptions{}); !errors.Is(err, ErrIncomplete) {
		t.Fatalf("one shard of two, and an empty directory: %v, want ErrIncomplete", err)
	}
	run(t, newPlan(t, path, Spec{}), b, 1, Shard{1, 2}, "csv")
	if err := CheckMergeable([]string{a, b}, MergeOptions{}); err != nil {
		t.Fatalf("both shards: %v", err)
	}
	sameFiles(t, "shard 0/2 before and after CheckMergeable", before, files(t, a))
}

// A sweep interrupted after some cells and run again equals one run in
// one go; a temporary file left by a killed write is not a result, and
// the rerun removes it.
func TestInterruptedSweepResumes(t *testing.T) {
	path := writeScenario(t, testScenario)
	whole := t.TempDir()
	run(t, newPlan(t, path, Spec{}), whole, 2, Shard{}, "csv")

	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	r := &Runner{Plan: newPlan(t, path, Spec{}), Dir: dir, Workers: 2, Format: "csv", Version: "test",
		Progress: func(done, _ int) {
			if done == 5 {
				cancel()
			}
		}}
	out, err := r.Run(ctx)
	if !errors.Is(err, ErrInterrupted) || out.Complete {
		t.Fatalf("interrupted run: %+v, %v", out, err)
	}
	var m Manifest
	b, _ := os.ReadFile(filepath.Join(dir, ManifestFile))
	if json.Unmarshal(b, &m) != nil || m.Complete || m.CellsDone < 5 || m.CellsDone >= 18 {
		t.Fatalf("manifest after the interruption: %+v", m)
	}
	if _, err := os.Stat(filepath.Join(dir, "cells.csv")); err == nil {
		t.Fatal("an interrupted sweep must not write the tables")
	}
	// A killed write of a cell that is not done: a temporary file with
	// half a result.
	p := newPlan(t, path, Spec{})
	var victim Cell
	for i := range p.Cells() {
		if c := p.Cell(i); !(store{dir: dir}).has(c) {
			victim = c
			break
		}
	}
	tmp := filepath.Join(dir, CellsDir, "."+victim.Name()+".tmp-12345")
	os.WriteFile(tmp, []byte(`{"point_sha256":"`), 0o644)
	out = run(t, p, dir, 3, Shard{}, "csv")
	if out.Resumed != m.CellsDone || out.Ran != 18-m.CellsDone {
		t.Errorf("resume: %+v; want %d resumed and %d run", out, m.CellsDone, 18-m.CellsDone)
	}
	if _, err := os.Stat(tmp); err == nil {
		t.Error("the leftover temporary file is still there")
	}
	sameFiles(t, "interrupted and resumed vs one go", files(t, whole), files(t, dir))
}

// Resuming a directory written by another version of koiisim works,
// with a warning.
func TestResumeWarnsOfAnotherVersion(t *testing.T) {
	path := writeScenario(t, testScenario)
	dir := t.TempDir()
	run(t, newPlan(t, path, Spec{}), dir, 2, Shard{}, "csv")
	r := &Runner{Plan: newPlan(t, path, Spec{}), Dir: dir, Workers: 1, Format: "csv", Version: "test-2"}
	out, err := r.Run(context.Background())
	if err != nil || out.Resumed != 18 || len(out.Warnings) != 1 || !strings.Contains(out.Warnings[0], "written by koiisim test, this is test-2") {
		t.Errorf("%+v, %v", out, err)
	}
}

// A directory holding another experiment is refused, and so is one
// holding other files.
func TestRefusesAnotherExperiment(t *testing.T) {
	path := writeScenario(t, testScenario)
	dir := t.TempDir()
	run(t, newPlan(t, path, Spec{}), dir, 2, Shard{}, "csv")
	for name, spec := range map[string]Spec{
		"another scenario": {Sets: []string{"rules.audit_sample=2"}},
		"another seed":     {Sets: []string{"seed=99"}},
		"another design":   {Replicates: 4},
	} {
		r := &Runner{Plan: newPlan(t, path, spec), Dir: dir, Workers: 1, Format: "csv"}
		_, err := r.Run(context.Background())
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "records another experiment") {
			t.Errorf("%s: %v", name, err)
		}
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
	r := &Runner{Plan: newPlan(t, path, Spec{}), Dir: other, Workers: 1, Format: "csv"}
	if _, err := r.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "no koiisim manifest") {
		t.Errorf("a directory of other files: %v", err)
	}
}

// A point that makes an invalid scenario is named with its values and
// the problem, before anything runs.
func TestInvalidPointIsNamed(t *testing.T) {
	path := writeScenario(t, testScenario)
	base, _, _ := scenarios.Resolve(path, nil)
	_, err := NewPlan(Spec{Base: base, Arg: path, Vary: []scenarios.Dimension{{Path: "rules.slash_fraction", Values: []string{"0.5", "2"}}}})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "sweep point 1 (rules.slash_fraction=2)") || !strings.Contains(err.Error(), "must be a fraction") {
		t.Fatalf("%v", err)
	}
	_, err = NewPlan(Spec{Base: base, Arg: path, Vary: []scenarios.Dimension{{Path: "populations.nobody.count", Values: []string{"1"}}}})
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), `no item named "nobody"`) {
		t.Fatalf("%v", err)
	}
	_, err = NewPlan(Spec{Base: base, Arg: path, Vary: []scenarios.Dimension{{Path: "rules.slash_fraction", From: "0", To: "1"}}})
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "a grid needs steps") {
		t.Fatalf("%v", err)
	}
	_, err = NewPlan(Spec{Base: base, Arg: path, Metrics: []string{"faulty.net_proft"}})
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "faulty.net_profit") {
		t.Fatalf("%v", err)
	}
}

// A point of a sweep runs what the base scenario with the point's --set
// runs: same seeds, same results, whatever else the sweep holds.
func TestPointEqualsTheScenarioWithItsSets(t *testing.T) {
	path := writeScenario(t, testScenario)
	sweep, single := t.TempDir(), t.TempDir()
	run(t, newPlan(t, path, Spec{}), sweep, 2, Shard{}, "csv")
	p := newPlan(t, path, Spec{Sets: []string{"rules.slash_fraction=0.5", "populations.cheats.count=4"}, Vary: []scenarios.Dimension{}})
	run(t, p, single, 2, Shard{}, "csv")
	a := readCSV(t, filepath.Join(sweep, "cells.csv"))
	b := readCSV(t, filepath.Join(single, "cells.csv"))
	// Point 4 of the sweep is slash_fraction 0.5, count 4; drop its
	// point and parameter columns to compare.
	for r := range 3 {
		got, want := b[1+r][3:], a[1+4*3+r][5:]
		if a[1+4*3+r][3] != "0.5" || a[1+4*3+r][4] != "4" || strings.Join(got, ",") != strings.Join(want, ",") || b[1+r][2] != a[1+4*3+r][2] {
			t.Errorf("replicate %d: single %v\nsweep %v", r, b[1+r], a[1+4*3+r])
		}
	}
}

// The confidence interval of a metric whose mean is known covers it at
// the nominal rate over many experiments: each cheat's work is invalid
// with probability 0.3 in each of 10 cycles, so faulty.invalid of 10
// cheats is Binomial(100, 0.3), of mean 30. Over trials experiments of
// 5 replicates each, the count of intervals covering 30 is binomial;
// the test allows three of its standard errors, with fixed seeds.
func TestCICoversAKnownMean(t *testing.T) {
	if testing.Short() {
		t.Skip("1,600 runs")
	}
	const trials, reps, trueMean = 320, 5, 30.0
	path := writeScenario(t, `name: known-mean
description: Cheats whose invalid proofs are Binomial(100, 0.3).
rounds: 10
rules: {slash_fraction: 0}
populations:
  - {name: honest, count: 5, stake: 10, submit_delay: 0}
  - {name: cheats, class: faulty, count: 10, stake: 10, submit_delay: 0, behaviour: {kind: faulty, invalid: 0.3}}
`)
	covered := 0
	for s := range trials {
		p := newPlan(t, path, Spec{Sets: []string{"seed=" + strconv.Itoa(s)}, Replicates: reps, Metrics: []string{"faulty.invalid", "faulty.valid"}})
		dir := t.TempDir()
		run(t, p, dir, 2, Shard{}, "csv")
		rows := readCSV(t, filepath.Join(dir, "cells.csv"))
		for _, r := range rows[1:] {
			inv, _ := strconv.Atoi(r[3])
			val, _ := strconv.Atoi(r[4])
			if inv+val != 100 {
				t.Fatalf("seed %d: %d valid + %d invalid proofs, want 100: the known mean does not hold", s, val, inv)
			}
		}
		sum := readCSV(t, filepath.Join(dir, "summary.csv"))
		lo, _ := strconv.ParseFloat(sum[1][3], 64)
		hi, _ := strconv.ParseFloat(sum[1][4], 64)
		if lo <= trueMean && trueMean <= hi {
			covered++
		}
	}
	rate := float64(covered) / trials
	se := math.Sqrt(0.95 * 0.05 / trials)
	t.Logf("the interval covered the true mean in %d of %d experiments (%.3f)", covered, trials, rate)
	if math.Abs(rate-0.95) > 3*se {
		t.Errorf("the 95%% interval covered the true mean in %d of %d experiments (%.3f); want 0.95 ± %.3f", covered, trials, rate, 3*se)
	}
}

// Adaptive replicates stop at the first prefix whose interval is narrow
// enough, the same for any number of workers, and say so when the
// maximum comes first.
func TestAdaptiveReplicatesStopDeterministically(t *testing.T) {
	path := writeScenario(t, testScenario)
	rule := &StopRule{Widths: []Width{{Metric: "faulty.invalid", HalfWidth: 1.5}}, Max: 60}
	var first AdaptiveOutcome
	var firstFiles map[string][]byte
	for _, workers := range []int{1, 4} {
		p := newPlan(t, path, Spec{Vary: []scenarios.Dimension{}, Replicates: 3, Stop: rule, Metrics: []string{"faulty.invalid"}})
		dir := t.TempDir()
		out, err := (&Runner{Plan: p, Dir: dir, Workers: workers, Format: "csv", Version: "test"}).RunAdaptive(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("workers %d: stopped after %d replicates, half-width %.3f", workers, out.Replicates, out.HalfWidths[0])
		if !out.Met || out.Replicates < 3 || out.Replicates >= 60 || !(out.HalfWidths[0] < 1.5) {
			t.Fatalf("workers %d: %+v", workers, out)
		}
		sum := readCSV(t, filepath.Join(dir, "summary.csv"))
		if sum[1][5] != strconv.Itoa(out.Replicates) {
			t.Errorf("summary n %s, want %d", sum[1][5], out.Replicates)
		}
		// The files beyond the stopping point may differ (in flight or
		// not); the tables and manifest may not.
		f := files(t, dir)
		for name := range f {
			if strings.HasPrefix(name, CellsDir) {
				delete(f, name)
			}
		}
		if firstFiles == nil {
			first, firstFiles = out, f
			continue
		}
		if out.Replicates != first.Replicates {
			t.Errorf("workers %d stopped at %d, workers 1 at %d", workers, out.Replicates, first.Replicates)
		}
		sameFiles(t, "adaptive, workers 1 vs 4", firstFiles, f)
	}
	p := newPlan(t, path, Spec{Vary: []scenarios.Dimension{}, Replicates: 2, Stop: &StopRule{Widths: []Width{{Metric: "faulty.net_profit", HalfWidth: 1e-9}}, Max: 4}})
	out, err := (&Runner{Plan: p, Dir: t.TempDir(), Workers: 2, Format: "csv"}).RunAdaptive(context.Background())
	if err != nil || out.Met || out.Replicates != 4 {
		t.Errorf("an unreachable width: %+v, %v; want 4 replicates, not met", out, err)
	}
}

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
