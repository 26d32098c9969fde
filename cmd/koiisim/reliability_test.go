package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/koiisim/koiisim/internal/input"
	"github.com/koiisim/koiisim/internal/outdir"
	"github.com/koiisim/koiisim/scenarios"
)

// hostileName is a file name a shell would split, expand, comment out
// or run if a printed command did not quote it.
const hostileName = "a b`id`#c!d~e$HOME'f\"g\nh;i&j(k)*.yaml"

// pasted runs a printed koiisim command line with sh -c, koiisim being
// a shell function that prints its arguments, and returns them.
func pasted(t *testing.T, line string) []string {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on this machine")
	}
	out, err := exec.Command(sh, "-c", `koiisim() { printf '%s\0' "$@"; }; `+line).Output()
	if err != nil {
		t.Fatalf("sh -c %q: %v", line, err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
}

// TestPrintedReplayCommandSurvivesAShell runs a scenario from a file
// with a hostile name and pastes the replay command its summary.json
// records into a shell: the scenario path and the overrides must arrive
// as they were given.
func TestPrintedReplayCommandSurvivesAShell(t *testing.T) {
	dir := t.TempDir()
	src, _ := scenarios.BuiltinSource("faulty-submitters")
	path := filepath.Join(dir, hostileName)
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	set := "description=x y`z`#!~ ok"
	out := filepath.Join(dir, "out")
	if code, _, stderr := koiisim(t, "run", path, "--rounds", "3", "--seed", "5", "--set", set, "--out", out, "-q"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct{ Replay string }
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	want := []string{"run", path, "--seed", "5", "--rounds", "3", "--set", set}
	if got := pasted(t, sum.Replay); !slices.Equal(got, want) {
		t.Errorf("replay %s reached the shell as %q, want %q", sum.Replay, got, want)
	}
}

// TestPrintedResumeCommandSurvivesAShell pastes the command an
// interrupted sweep prints to resume.
func TestPrintedResumeCommandSurvivesAShell(t *testing.T) {
	args := []string{hostileName, "--sweep", "rules.slash_fraction=0.1:0.9:3", "--set", "name=`x`!#~", "--metrics", "honest.*"}
	out := "out dir/~#!`y`\n"
	line := commandLine("sweep", args, out)
	want := append(append([]string{"sweep"}, args...), "--out", out)
	if got := pasted(t, line); !slices.Equal(got, want) {
		t.Errorf("resume %s reached the shell as %q, want %q", line, got, want)
	}
}

// TestCommandsRefuseAnOutputDirectoryInUse: run, run --replicates,
// sweep, merge and report each refuse, with exit code 2 and the holder's
// process id, a directory another command holds.
func TestCommandsRefuseAnOutputDirectoryInUse(t *testing.T) {
	dir := t.TempDir()
	sweepDir := filepath.Join(dir, "sweep")
	if code, _, stderr := koiisim(t, "sweep", "faulty-submitters", "--rounds", "3", "--sweep", "rules.slash_fraction=0.2,0.4", "--out", sweepDir, "-q"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	busy := filepath.Join(dir, "busy")
	if err := os.MkdirAll(busy, 0o755); err != nil {
		t.Fatal(err)
	}
	held, err := outdir.Acquire(busy)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	heldSweep, err := outdir.Acquire(sweepDir)
	if err != nil {
		t.Fatal(err)
	}
	defer heldSweep.Release()
	pid := fmt.Sprint(os.Getpid())
	for _, args := range [][]string{
		{"run", "faulty-submitters", "--rounds", "3", "--out", busy},
		{"run", "faulty-submitters", "--rounds", "3", "--replicates", "2", "--out", busy},
		{"sweep", "faulty-submitters", "--rounds", "3", "--sweep", "rules.slash_fraction=0.2,0.4", "--out", busy},
		{"sweep", "faulty-submitters", "--rounds", "3", "--sweep", "rules.slash_fraction=0.2,0.4", "--shard", "0/2", "--out", busy},
		{"merge", sweepDir, "--out", busy},
		{"merge", sweepDir},
		{"report", sweepDir},
	} {
		code, _, stderr := koiisim(t, args...)
		if code != exitUsage || !strings.Contains(stderr, "in use by koiisim process "+pid) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 naming process %s", strings.Join(args, " "), code, stderr, pid)
		}
	}
}

// TestConcurrentSweepsIntoOneDirectoryNeverBothSucceed starts two sweeps
// of different seeds into one directory at the same moment: one runs,
// the other is refused, and what the directory holds is one experiment.
func TestConcurrentSweepsIntoOneDirectoryNeverBothSucceed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mix")
	codes := make(chan int, 2)
	start := make(chan struct{})
	for _, seed := range []string{"1", "2"} {
		go func() {
			<-start
			code, _, _ := koiisim(t, "sweep", "faulty-submitters", "--rounds", "5", "--seed", seed,
				"--sweep", "rules.slash_fraction=0.1:0.9:5", "--replicates", "2", "--workers", "1", "--out", dir, "-q")
			codes <- code
		}()
	}
	close(start)
	a, b := <-codes, <-codes
	if min(a, b) != exitOK || max(a, b) != exitUsage {
		t.Fatalf("exit codes %d and %d; want one 0 and one 2", a, b)
	}
	var m struct{ Seed uint64 }
	mb, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(mb, &m)
	y, err := os.ReadFile(filepath.Join(dir, "scenario.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(y), fmt.Sprintf("\nseed: %d\n", m.Seed)) {
		t.Errorf("scenario.yaml and manifest.json (seed %d) record different runs:\n%s", m.Seed, y)
	}
	cells, _ := os.ReadDir(filepath.Join(dir, "cells"))
	if len(cells) != 10 {
		t.Errorf("cells/ holds %d files, want the 10 of one sweep", len(cells))
	}
}

// TestFailedRunIsRefusedByReportAndCompare: a run that stops after
// replacing scenario.yaml (here nodes.csv cannot be written) leaves the
// directory marked incomplete; report and compare refuse it with exit 2
// and say how to fix it, and a run that finishes clears the mark.
func TestFailedRunIsRefusedByReportAndCompare(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	ok := func(args ...string) {
		t.Helper()
		if code, _, stderr := koiisim(t, args...); code != 0 {
			t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
	}
	ok("run", "faulty-submitters", "--rounds", "3", "--seed", "1", "--out", dir, "-q")
	other := filepath.Join(t.TempDir(), "other")
	ok("run", "faulty-submitters", "--rounds", "3", "--seed", "2", "--out", other, "-q")
	// nodes.csv, the last file, cannot be written: a directory is in
	// its way.
	os.Remove(filepath.Join(dir, "nodes.csv"))
	if err := os.MkdirAll(filepath.Join(dir, "nodes.csv", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := koiisim(t, "run", "faulty-submitters", "--rounds", "3", "--seed", "2", "--out", dir, "-q"); code == 0 {
		t.Fatal("the run whose nodes.csv is a directory succeeded")
	}
	os.RemoveAll(filepath.Join(dir, "nodes.csv"))
	if err := os.WriteFile(filepath.Join(dir, "nodes.csv"), []byte("id\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"report", dir}, {"compare", dir, other}, {"compare", other, dir}} {
		code, _, stderr := koiisim(t, args...)
		if code != exitUsage || !strings.Contains(stderr, dir+" is incomplete") || !strings.Contains(stderr, "koiisim run faulty-submitters --seed 2 --rounds 3") {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 saying the directory is incomplete and how to rerun it", strings.Join(args, " "), code, stderr)
		}
	}
	ok("run", "faulty-submitters", "--rounds", "3", "--seed", "2", "--out", dir, "-q")
	ok("report", dir)
}

// TestTablesAreWrittenBeforeTheManifestSaysComplete: a sweep whose
// tables cannot be written (summary.csv is a directory) must not leave a
// manifest that claims completion, nor the table's temporary file.
func TestTablesAreWrittenBeforeTheManifestSaysComplete(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sweep")
	args := []string{"sweep", "faulty-submitters", "--rounds", "3", "--sweep", "rules.slash_fraction=0.2,0.4", "--out", dir, "-q"}
	if code, _, stderr := koiisim(t, args...); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	os.Remove(filepath.Join(dir, "summary.csv"))
	if err := os.MkdirAll(filepath.Join(dir, "summary.csv", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := koiisim(t, args...); code == 0 {
		t.Fatal("the sweep succeeded with summary.csv a directory")
	}
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Complete bool }
	json.Unmarshal(b, &m)
	if m.Complete {
		t.Error("manifest.json says complete though summary.csv was not written")
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*")); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
	if code, _, stderr := koiisim(t, "report", dir); code != exitUsage || !strings.Contains(stderr, "has not finished") {
		t.Errorf("report of the unfinished sweep: exit %d, %q; want exit 2 saying it has not finished", code, stderr)
	}
}

// TestResumeRemovesTemporaryFilesOfKilledWrites: temporary files that a
// kill -9 left in a sweep, a replicate set, a merge or a run directory
// are gone after the next command on it.
func TestResumeRemovesTemporaryFilesOfKilledWrites(t *testing.T) {
	base := t.TempDir()
	sweep := filepath.Join(base, "sweep")
	reps := filepath.Join(base, "reps")
	runDir := filepath.Join(base, "run")
	shards := filepath.Join(base, "shards")
	cmds := [][]string{
		{"sweep", "faulty-submitters", "--rounds", "3", "--sweep", "rules.slash_fraction=0.2,0.4", "--out", sweep, "-q"},
		{"run", "faulty-submitters", "--rounds", "3", "--replicates", "2", "--out", reps, "-q"},
		{"run", "faulty-submitters", "--rounds", "3", "--out", runDir, "-q"},
		{"sweep", "faulty-submitters", "--rounds", "3", "--sweep", "rules.slash_fraction=0.2,0.4", "--shard", "0/1", "--out", shards, "-q"},
	}
	leftovers := map[string][]string{
		sweep:  {".cells.csv.tmp-1", ".summary.csv.tmp-2", ".manifest.json.tmp-3", ".scenario.yaml.tmp-4", "cells/.0123456789abcdef-0.json.tmp-5"},
		reps:   {".summary.parquet.tmp-1", "rep-0/.rounds.csv.tmp-2", "rep-1/.summary.json.tmp-3"},
		runDir: {".summary.json.tmp-1", ".rounds.csv.tmp-2", ".nodes.csv.tmp-3", ".scenario.yaml.tmp-4"},
	}
	for _, args := range cmds {
		if code, _, stderr := koiisim(t, args...); code != 0 {
			t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
	}
	for dir, names := range leftovers {
		for _, n := range names {
			os.WriteFile(filepath.Join(dir, n), []byte("cut short"), 0o600)
		}
	}
	os.WriteFile(filepath.Join(shards, ".cells.csv.tmp-9"), []byte("cut short"), 0o600)
	for _, args := range append(cmds[:3:3], []string{"merge", shards}) {
		if code, _, stderr := koiisim(t, args...); code != 0 {
			t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
	}
	filepath.WalkDir(base, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp-") {
			t.Errorf("left behind: %s", p)
		}
		return nil
	})
}

// TestFailedRenameLeavesNoTemporaryFile: run --trace naming a directory
// fails when the finished trace is renamed into place; its temporary
// file must not stay behind.
func TestFailedRenameLeavesNoTemporaryFile(t *testing.T) {
	base := t.TempDir()
	traceDir := filepath.Join(base, "trace")
	if err := os.MkdirAll(filepath.Join(traceDir, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := koiisim(t, "run", "faulty-submitters", "--rounds", "3", "--out", filepath.Join(base, "out"), "-q", "--trace", traceDir); code == 0 {
		t.Fatal("run --trace DIR succeeded")
	}
	if tmp, _ := filepath.Glob(filepath.Join(base, ".*.tmp-*")); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

// within runs a command and fails the test if it has not ended in 10 s
// (a FIFO opened for reading blocks until a writer comes).
func within(t *testing.T, args ...string) (int, string) {
	t.Helper()
	type result struct {
		code   int
		stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, _, stderr := koiisim(t, args...)
		done <- result{code, stderr}
	}()
	select {
	case r := <-done:
		return r.code, r.stderr
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still running after 10 s", strings.Join(args, " "))
	}
	return 0, ""
}

// TestReadersRefuseWhatIsNotARegularFile puts a FIFO where each reader
// expects a file: each command is refused at once with exit code 2.
func TestReadersRefuseWhatIsNotARegularFile(t *testing.T) {
	base := t.TempDir()
	fifo := func(path string) string {
		os.Remove(path)
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		return path
	}
	runDir := filepath.Join(base, "run")
	sweepDir := filepath.Join(base, "sweep")
	cellDir := filepath.Join(base, "cell")
	sweep := []string{"sweep", "faulty-submitters", "--rounds", "3", "--sweep", "rules.slash_fraction=0.2,0.4", "-q", "--out"}
	for _, args := range [][]string{
		{"run", "faulty-submitters", "--rounds", "3", "-q", "--out", runDir},
		append(sweep, sweepDir), append(sweep, cellDir),
	} {
		if code, _, stderr := koiisim(t, args...); code != 0 {
			t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
	}
	fifo(filepath.Join(runDir, "summary.json"))
	fifo(filepath.Join(sweepDir, "manifest.json"))
	cells, _ := filepath.Glob(filepath.Join(cellDir, "cells", "*.json"))
	fifo(cells[0])
	for _, args := range [][]string{
		{"run", fifo(filepath.Join(base, "scenario.yaml")), "--out", filepath.Join(base, "x")},
		{"lint", filepath.Join(base, "scenario.yaml")},
		{"check", "faulty-submitters", "--baseline", fifo(filepath.Join(base, "baseline.json"))},
		{"check", "faulty-submitters", "--baseline", "/dev/zero"},
		{"report", runDir},
		{"compare", runDir, runDir},
		{"report", sweepDir},
		{"merge", sweepDir},
		append(sweep, sweepDir),
		{"merge", cellDir, "--out", filepath.Join(base, "merged")},
		append(sweep, cellDir),
	} {
		code, stderr := within(t, args...)
		if code != exitUsage || !strings.Contains(stderr, "not a regular file") {
			t.Errorf("%s: exit %d, %q; want exit 2 saying it is not a regular file", strings.Join(args, " "), code, stderr)
		}
	}
}

// TestReadersRefuseFilesPastTheirLimit: a baseline or a cell larger
// than its limit is refused by size, naming the file, before it is read.
func TestReadersRefuseFilesPastTheirLimit(t *testing.T) {
	base := t.TempDir()
	sparse := func(path string, size int64) string {
		f, err := os.Create(path)
		if err == nil {
			err = f.Truncate(size)
			f.Close()
		}
		if err != nil {
			t.Fatal(err)
		}
		return path
	}
	cellDir := filepath.Join(base, "cell")
	sweep := []string{"sweep", "faulty-submitters", "--rounds", "3", "--sweep", "rules.slash_fraction=0.2,0.4", "-q", "--out", cellDir}
	if code, _, stderr := koiisim(t, sweep...); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	cells, _ := filepath.Glob(filepath.Join(cellDir, "cells", "*.json"))
	sparse(cells[0], input.MaxCell+1)
	baseline := sparse(filepath.Join(base, "baseline.json"), input.MaxBaseline+1)
	for _, c := range []struct {
		args []string
		file string
	}{
		{[]string{"check", "faulty-submitters", "--baseline", baseline}, baseline},
		{sweep, cells[0]},
		{[]string{"merge", cellDir, "--out", filepath.Join(base, "merged")}, cells[0]},
	} {
		code, stderr := within(t, c.args...)
		if code != exitUsage || !strings.Contains(stderr, filepath.Base(c.file)) || !strings.Contains(stderr, "larger than") || strings.Contains(stderr, "replay:") {
			t.Errorf("%s: exit %d, %q; want exit 2 naming %s as too large, and no replay hint (the model did not fail)", strings.Join(c.args, " "), code, stderr, c.file)
		}
	}
}

// TestBaselineBeyondTheRoundsLimitIsRefused: a baseline file is input
// like a scenario: one claiming more rounds or replicates than a
// scenario may have is refused before anything runs.
func TestBaselineBeyondTheRoundsLimitIsRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "b.json")
	if code, _, stderr := koiisim(t, "baseline", "faulty-submitters", "--rounds", "3", "-o", path); code != 0 {
		t.Fatalf("baseline: exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(path)
	for _, c := range []struct{ field, from, to string }{
		{"rounds", `"rounds": 3,`, `"rounds": 1000000000,`},
		{"replicates", `"replicates": 1,`, `"replicates": 1000000000,`},
	} {
		if !strings.Contains(string(b), c.from) {
			t.Fatalf("the baseline has no %s", c.from)
		}
		os.WriteFile(path, []byte(strings.Replace(string(b), c.from, c.to, 1)), 0o644)
		code, stderr := within(t, "check", "faulty-submitters", "--baseline", path)
		if code != exitUsage || !strings.Contains(stderr, path) || !strings.Contains(stderr, c.field+" 1000000000") {
			t.Errorf("baseline with %s: exit %d, %q; want exit 2 naming the file and its %s", c.to, code, stderr, c.field)
		}
	}
	if code, _, stderr := koiisim(t, "baseline", "faulty-submitters", "--rounds", "1000000000", "-o", path); code != exitUsage || !strings.Contains(stderr, "--rounds") {
		t.Errorf("baseline --rounds 1000000000: exit %d, %q; want exit 2 naming --rounds", code, stderr)
	}
}

// TestWorkBeyondTheMemoryLimitIsRefused: a run, a replicate set or a
// sweep whose memory estimate passes --max-memory is refused before
// anything is allocated, with exit 2 naming the limit and the estimate.
func TestWorkBeyondTheMemoryLimitIsRefused(t *testing.T) {
	out := filepath.Join(t.TempDir(), "o")
	big := "populations.honest.count=2000000"
	for _, args := range [][]string{
		{"run", "koii-baseline", "--set", big, "--max-memory", "1GiB", "--out", out},
		{"run", "koii-baseline", "--set", big, "--replicates", "2", "--max-memory", "1GiB", "--out", out},
		{"sweep", "koii-baseline", "--sweep", "populations.honest.count=100,2000000", "--max-memory", "1GiB", "--out", out},
		{"sweep", "koii-baseline", "--sweep", "populations.honest.count=100000,200000", "--workers", "8", "--max-memory", "1GiB", "--out", out},
	} {
		code, stderr := within(t, args...)
		if code != exitUsage || !strings.Contains(stderr, "memory limit") || !strings.Contains(stderr, "--max-memory") || !strings.Contains(stderr, "GiB") {
			t.Errorf("%s: exit %d, %q; want exit 2 naming the memory limit and the estimate", strings.Join(args, " "), code, stderr)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a refused command created %s", out)
	}
	if code, _, stderr := koiisim(t, "run", "faulty-submitters", "--rounds", "2", "--max-memory", "1GiB", "--out", out, "-q"); code != 0 {
		t.Errorf("a small run under --max-memory 1GiB: exit %d: %s", code, stderr)
	}
}

// TestEditedCellIsRefused: the manifest records each cell's checksum, so
// a well-formed cell whose value was edited is refused when a resume or
// a merge reads it, naming the file.
func TestEditedCellIsRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sweep")
	args := []string{"sweep", "faulty-submitters", "--rounds", "3", "--sweep", "rules.slash_fraction=0.2,0.4", "-q", "--out", dir}
	if code, _, stderr := koiisim(t, args...); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	cells, _ := filepath.Glob(filepath.Join(dir, "cells", "*.json"))
	b, _ := os.ReadFile(cells[0])
	edited := regexp.MustCompile(`"run.events":"[0-9]+"`).ReplaceAll(b, []byte(`"run.events":"1"`))
	if bytes.Equal(edited, b) {
		t.Fatalf("no run.events in %s", b)
	}
	os.WriteFile(cells[0], edited, 0o644)
	for _, a := range [][]string{args, {"merge", dir, "--out", filepath.Join(t.TempDir(), "merged")}} {
		code, _, stderr := koiisim(t, a...)
		if code != exitUsage || !strings.Contains(stderr, filepath.Base(cells[0])) || !strings.Contains(stderr, "changed") {
			t.Errorf("%s: exit %d, %q; want exit 2 naming the edited cell", strings.Join(a, " "), code, stderr)
		}
	}
}
