package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run the CLI as a subprocess of the test binary
// (KOIISIM_TEST_MAIN=1), so it can be killed like a real process.
func TestMain(m *testing.M) {
	if os.Getenv("KOIISIM_TEST_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// sweepScenario is a small task with a 2 × 2 grid of 3 replicates.
const sweepScenario = `name: cli-sweep
description: A small sweep for CLI tests.
seed: 3
rounds: 12
task: {total_bounty: 1000}
populations:
  - {name: honest, count: 25, stake: {dist: uniform, min: 5, max: 20}}
  - {name: auditors, role: auditor, class: auditors, count: 5, stake: 10}
  - {name: cheats, class: faulty, count: 5, stake: 10, behaviour: {kind: faulty, invalid: 0.3}}
sweep:
  replicates: 3
  vary:
    - {path: rules.slash_fraction, values: [0.2, 0.7]}
    - {path: populations.auditors.count, values: [0, 10]}
`

func scenarioFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sweep.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// tree reads every file under dir by relative path, without shard
// manifests (only sharded runs write them).
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if !strings.HasPrefix(rel, "shard-") {
			b, _ := os.ReadFile(p)
			out[rel] = string(b)
		}
		return nil
	})
	return out
}

func sameTree(t *testing.T, what string, a, b map[string]string) {
	t.Helper()
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%s: %d files vs %d", what, len(a), len(b))
	}
	for name, content := range a {
		if b[name] != content {
			t.Errorf("%s: %s differs", what, name)
		}
	}
}

// koiisimOK runs the CLI in-process and fails on a non-zero exit.
func koiisimOK(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := koiisim(t, args...)
	if code != 0 {
		t.Fatalf("koiisim %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// A sweep from the CLI: the design line, a table of the points, the
// files; the same for 1 and 4 workers; shards merged equal the whole.
func TestSweepCommand(t *testing.T) {
	path := scenarioFile(t, sweepScenario)
	one, four := filepath.Join(t.TempDir(), "one"), filepath.Join(t.TempDir(), "four")
	out := koiisimOK(t, "sweep", path, "--workers", "1", "--out", one, "--format", "parquet", "--metrics", "faulty.net_profit,faulty.missed_detection_rate")
	for _, want := range []string{"grid over rules.slash_fraction × populations.auditors.count: 4 points × 3 replicates = 12 cells, 1 workers",
		"point  rules.slash_fraction populations.auditors.count faulty.net_profit", "summary.parquet"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	koiisimOK(t, "sweep", path, "--workers", "4", "--out", four, "--format", "parquet", "--metrics", "faulty.net_profit,faulty.missed_detection_rate", "-q")
	want := tree(t, one)
	sameTree(t, "workers 1 vs 4", want, tree(t, four))

	shared := filepath.Join(t.TempDir(), "shared")
	for _, s := range []string{"0/3", "1/3", "2/3"} {
		out := koiisimOK(t, "sweep", path, "--shard", s, "--out", shared, "--format", "parquet", "--metrics", "faulty.net_profit,faulty.missed_detection_rate")
		if !strings.Contains(out, "shard "+s+" done: 4 cells") {
			t.Errorf("shard %s says:\n%s", s, out)
		}
	}
	out = koiisimOK(t, "merge", shared)
	if !strings.Contains(out, "merged 12 cells of cli-sweep") {
		t.Errorf("merge says:\n%s", out)
	}
	sameTree(t, "shards merged vs whole", want, tree(t, shared))
}

// Shards from the environment of a Slurm array task and of a
// Kubernetes Indexed Job pod.
func TestSweepShardFromEnvironment(t *testing.T) {
	path := scenarioFile(t, sweepScenario)
	dir := t.TempDir()
	t.Setenv("SLURM_ARRAY_TASK_ID", "5")
	t.Setenv("SLURM_ARRAY_TASK_MIN", "4")
	t.Setenv("SLURM_ARRAY_TASK_COUNT", "2")
	if out := koiisimOK(t, "sweep", path, "--out", dir); !strings.Contains(out, "shard: 1/2 (from SLURM_ARRAY_TASK_ID): 6 cells") {
		t.Errorf("Slurm task 5 of 4-5:\n%s", out)
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "")
	t.Setenv("JOB_COMPLETION_INDEX", "0")
	t.Setenv("KOIISIM_SHARD_COUNT", "2")
	if out := koiisimOK(t, "sweep", path, "--out", dir); !strings.Contains(out, "shard: 0/2 (from JOB_COMPLETION_INDEX): 6 cells") {
		t.Errorf("Kubernetes index 0 of 2:\n%s", out)
	}
	if out := koiisimOK(t, "merge", dir); !strings.Contains(out, "merged 12 cells") {
		t.Errorf("merge:\n%s", out)
	}
}

// Bad flags and specs are usage errors (exit 2) that say what to fix.
func TestSweepUsageErrors(t *testing.T) {
	path := scenarioFile(t, sweepScenario)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--sweep", "rules.slash_fraction"}, "PATH=V1,V2"},
		{[]string{"--sweep", "rules.slash_fraction=0.1,,0.2"}, "empty value"},
		{[]string{"--sweep", "rules.slash_fraction=0.1:0.9"}, "a grid needs steps"},
		{[]string{"--sweep", "rules.slash_fraction=0.1:0.9:1"}, "must be in [2,"},
		{[]string{"--sweep", "rules.slash_fraction=0.5,1.5"}, "sweep point 1 (rules.slash_fraction=1.5)"},
		{[]string{"--sweep", "populations.nobody.count=1,2"}, `no item named "nobody"`},
		{[]string{"--sweep", "rules.audit_sample=1.5"}, "whole number"},
		{[]string{"--design", "halton"}, "grid, random, lhs, morris or sobol"},
		{[]string{"--design", "lhs"}, "needs points"},
		{[]string{"--shard", "3/3"}, "0 <= I < N"},
		{[]string{"--metrics", "faulty.net_proft"}, "closest: faulty.net_profit"},
		{[]string{"--workers", "0"}, "--workers"},
		{[]string{"--format", "xlsx"}, "csv or parquet"},
		{[]string{"--replicates", "0"}, "--replicates"},
	} {
		code, _, errs := koiisim(t, append([]string{"sweep", path, "--out", t.TempDir()}, tc.args...)...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
	if code, _, errs := koiisim(t, "merge", t.TempDir()); code != 2 || !strings.Contains(errs, "holds no koiisim sweep") {
		t.Errorf("merge of an empty directory: exit %d: %s", code, errs)
	}
	out := koiisimOK(t, "sweep", path, "--metrics", "list")
	if !strings.Contains(out, "faulty.net_profit") || !strings.Contains(out, "KOII") {
		t.Errorf("--metrics list:\n%s", out)
	}
	out = koiisimOK(t, "sweep", path, "--dry-run", "--sweep", "rules.slash_fraction=0.1:0.3:3")
	if !strings.Contains(out, "2      0.3") || strings.Contains(out, "wrote") {
		t.Errorf("--dry-run:\n%s", out)
	}
}

// subprocess starts the CLI as a real process.
func subprocess(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "KOIISIM_TEST_MAIN=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out, &errb
}

// interruptAfterLines sends SIGINT to cmd once the file at path has n
// lines, and checks that it exits 130; it skips the test when the
// command finished before the signal.
func interruptAfterLines(t *testing.T, cmd *exec.Cmd, errb *bytes.Buffer, path string, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if data, _ := os.ReadFile(path); strings.Count(string(data), "\n") >= n {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitSIGINT {
		if err == nil {
			t.Skip("the command finished before the signal")
		}
		t.Fatalf("exit %v, want 130; stderr:\n%s", err, errb)
	}
}

// waitForCells waits until dir/cells holds at least n results.
func waitForCells(t *testing.T, dir string, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(filepath.Join(dir, "cells"))
		k := 0
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".json") && !strings.HasPrefix(e.Name(), ".") {
				k++
			}
		}
		if k >= n {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no %d cells in %s after a minute", n, dir)
}

// heavySweep has cells long enough to kill a sweep in the middle.
const heavySweep = `name: heavy
description: Cells of a few tens of milliseconds, to interrupt.
rounds: 60
populations:
  - {name: honest, count: 400, stake: 10}
  - {name: cheats, class: faulty, count: 20, stake: 10, behaviour: {kind: faulty, invalid: 0.2}}
sweep:
  replicates: 8
  vary:
    - {path: rules.slash_fraction, values: [0.1, 0.4, 0.7]}
`

// A sweep killed with SIGKILL part way, with a temporary file of a cell
// it was writing, then run again, equals a sweep run in one go.
func TestSweepKilledAndResumed(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the CLI as a subprocess")
	}
	path := scenarioFile(t, heavySweep)
	whole := filepath.Join(t.TempDir(), "whole")
	koiisimOK(t, "sweep", path, "--out", whole, "-q")

	dir := filepath.Join(t.TempDir(), "killed")
	cmd, _, _ := subprocess(t, "sweep", path, "--out", dir, "--workers", "1", "-q")
	waitForCells(t, dir, 3)
	cmd.Process.Kill() // SIGKILL: no handler runs
	cmd.Wait()
	if _, err := os.Stat(filepath.Join(dir, "summary.csv")); err == nil {
		t.Skip("the sweep finished before it was killed; nothing to resume")
	}
	// What a write cut short leaves: a temporary file of a cell that is
	// not done, which must not pass for its result.
	var tmp string
	entries, _ := os.ReadDir(filepath.Join(whole, "cells"))
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(dir, "cells", e.Name())); err != nil {
			tmp = filepath.Join(dir, "cells", "."+e.Name()+".tmp-42")
			break
		}
	}
	os.WriteFile(tmp, []byte(`{"point_sha256":`), 0o644)
	out := koiisimOK(t, "sweep", path, "--out", dir)
	if !strings.Contains(out, "resumed: ") {
		t.Errorf("the rerun does not say it resumed:\n%s", out)
	}
	if _, err := os.Stat(tmp); err == nil {
		t.Errorf("the temporary file %s is still there", tmp)
	}
	sameTree(t, "killed and resumed vs one go", tree(t, whole), tree(t, dir))
}

// SIGINT stops a sweep cleanly: exit 130, the manifest records the
// cells done, and the message says how to resume.
func TestSweepInterruptedBySIGINT(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the CLI as a subprocess")
	}
	path := scenarioFile(t, heavySweep)
	dir := filepath.Join(t.TempDir(), "interrupted")
	cmd, _, errb := subprocess(t, "sweep", path, "--out", dir, "--workers", "1", "-q")
	waitForCells(t, dir, 2)
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		if err == nil {
			t.Skip("the sweep finished before the signal")
		}
		t.Fatalf("exit %v, want 130; stderr:\n%s", err, errb)
	}
	if !strings.Contains(errb.String(), "stopped by SIGINT") || !strings.Contains(errb.String(), "koiisim sweep "+path+" --out "+dir) {
		t.Errorf("stderr does not say how to resume:\n%s", errb)
	}
	m, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if !strings.Contains(string(m), `"complete": false`) {
		t.Errorf("manifest after SIGINT:\n%s", m)
	}
	koiisimOK(t, "sweep", path, "--out", dir, "-q")
	whole := filepath.Join(t.TempDir(), "whole")
	koiisimOK(t, "sweep", path, "--out", whole, "-q")
	sameTree(t, "interrupted and resumed vs one go", tree(t, whole), tree(t, dir))
}

// run --replicates: the summary of each metric, and each replicate's
// files equal to a plain run with the replicate's seed.
func TestRunReplicates(t *testing.T) {
	path := scenarioFile(t, sweepScenario)
	dir := filepath.Join(t.TempDir(), "reps")
	out := koiisimOK(t, "run", path, "--replicates", "4", "--out", dir, "--metrics", "faulty.net_profit,faulty.invalid")
	for _, want := range []string{"replicates: 4", "faulty.net_profit", "95% CI", "rep-3"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	cells, err := os.ReadFile(filepath.Join(dir, "cells.csv"))
	if err != nil {
		t.Fatal(err)
	}
	seed := strings.Split(strings.Split(string(cells), "\n")[3], ",")[2] // replicate 2
	single := filepath.Join(t.TempDir(), "single")
	koiisimOK(t, "run", path, "--seed", seed, "--out", single, "-q")
	for _, f := range []string{"summary.json", "rounds.csv", "nodes.csv", "scenario.yaml"} {
		a, _ := os.ReadFile(filepath.Join(dir, "rep-2", f))
		b, _ := os.ReadFile(filepath.Join(single, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("rep-2/%s differs from 'koiisim run --seed %s'", f, seed)
		}
	}
	out = koiisimOK(t, "run", path, "--ci-width", "faulty.invalid=4", "--out", filepath.Join(t.TempDir(), "adaptive"))
	if !strings.Contains(out, "stopped when every half-width was below its bound: faulty.invalid") {
		t.Errorf("--ci-width:\n%s", out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--ci-width", "faulty.invalid"}, "METRIC=HALFWIDTH"},
		{[]string{"--ci-width", "faulty.invalid=-1"}, "positive"},
		{[]string{"--ci-width", "faulty.*=1"}, "one metric path"},
		{[]string{"--replicates", "5", "--max-replicates", "10"}, "goes with --ci-width"},
		{[]string{"--ci-width", "faulty.invalid=1", "--replicates", "5", "--max-replicates", "4"}, "--max-replicates"},
	} {
		code, _, errs := koiisim(t, append([]string{"run", path, "--out", t.TempDir()}, tc.args...)...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}

// Resuming into a directory of another experiment is refused with exit
// code 2 and a way out.
func TestSweepRefusesAnotherExperiment(t *testing.T) {
	path := scenarioFile(t, sweepScenario)
	dir := filepath.Join(t.TempDir(), "sweep")
	koiisimOK(t, "sweep", path, "--out", dir, "-q")
	for _, args := range [][]string{{"--set", "rules.audit_sample=2"}, {"--seed", "9"}, {"--replicates", "2"}, {"--sweep", "rules.slash_fraction=0.2,0.8"}} {
		code, _, errs := koiisim(t, append([]string{"sweep", path, "--out", dir, "-q"}, args...)...)
		if code != 2 || !strings.Contains(errs, "records another experiment") || !strings.Contains(errs, "use another --out") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
}
