package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func optimizeArgs(dir string, workers string) []string {
	return []string{"optimize", "best-whale", "--maximize", "whale.net_profit",
		"--vary", "populations.whale.count=1:150", "--vary", "rules.slash_fraction=0.1:0.9",
		"--rounds", "15", "--replicates", "2", "--max-evals", "8", "--workers", workers, "--out", dir}
}

// TestOptimizeIsTheSameForAnyWorkers: the candidates, their figures and
// the best are identical with one worker and with three.
func TestOptimizeIsTheSameForAnyWorkers(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	outA := koiisimOK(t, optimizeArgs(a, "1")...)
	outB := koiisimOK(t, optimizeArgs(b, "3")...)
	ca, _ := os.ReadFile(filepath.Join(a, "candidates.csv"))
	cb, _ := os.ReadFile(filepath.Join(b, "candidates.csv"))
	if len(ca) == 0 || string(ca) != string(cb) {
		t.Errorf("candidates differ:\n%s\n%s", ca, cb)
	}
	if strings.ReplaceAll(outA, a, "") != strings.ReplaceAll(outB, b, "") {
		t.Errorf("outputs differ:\n%s\n%s", outA, outB)
	}
}

// TestOptimizeRoundsIntegerDimensions: an integer dimension's candidates
// are whole numbers, a decimal one's are not all whole, and each
// candidate appears once.
func TestOptimizeRoundsIntegerDimensions(t *testing.T) {
	dir := t.TempDir()
	koiisimOK(t, optimizeArgs(dir, "2")...)
	data, _ := os.ReadFile(filepath.Join(dir, "candidates.csv"))
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) < 3 || lines[0] != "candidate,populations.whale.count,rules.slash_fraction,mean,sd,ci_low,ci_high,n" {
		t.Fatalf("candidates.csv:\n%s", data)
	}
	seen := map[string]bool{}
	fractional := false
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if strings.Contains(f[1], ".") {
			t.Errorf("integer dimension got %s", f[1])
		}
		fractional = fractional || strings.Contains(f[2], ".")
		key := f[1] + "," + f[2]
		if seen[key] {
			t.Errorf("candidate %s run twice", key)
		}
		seen[key] = true
		if f[7] != "2" {
			t.Errorf("candidate %s has %s replicates, want 2", key, f[7])
		}
	}
	if !fractional {
		t.Error("no decimal value in the decimal dimension")
	}
}

// TestOptimizeUsageErrors: bad flags exit 2 with what is wrong.
func TestOptimizeUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"optimize", "best-whale", "--vary", "rules.slash_fraction=0.1:0.9"}, "exactly one of --maximize"},
		{[]string{"optimize", "best-whale", "--maximize", "whale.net_profit"}, "at least one --vary"},
		{[]string{"optimize", "best-whale", "--maximize", "whale.nope", "--vary", "rules.slash_fraction=0.1:0.9"}, "whale.nope"},
		{[]string{"optimize", "best-whale", "--maximize", "whale.net_profit", "--vary", "rules.slash_fraction=0.9:0.1"}, "LO < HI"},
		{[]string{"optimize", "best-whale", "--maximize", "whale.net_profit", "--vary", "rules.slash_fraction=0.1:2"}, "does not load"},
		{[]string{"optimize", "best-whale", "--maximize", "whale.net_profit", "--vary", "rules.slash_fraction=0.1:0.9", "--replicates", "1"}, "--replicates"},
	} {
		code, _, errs := koiisim(t, tc.args...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}

// TestOptimizeResumesFromItsJournal: a search stopped by its budget and
// run again with a larger one, and a search whose journal was cut in the
// middle of a line (a kill), both end with the candidates.csv, journal
// and output of one uninterrupted search, running only the candidates
// not in the journal.
func TestOptimizeResumesFromItsJournal(t *testing.T) {
	whole := t.TempDir()
	want := koiisimOK(t, optimizeArgs(whole, "2")...)
	wantCSV, _ := os.ReadFile(filepath.Join(whole, "candidates.csv"))
	wantJournal, _ := os.ReadFile(filepath.Join(whole, journalFile))
	if lines := strings.Count(string(wantJournal), "\n"); lines != 9 {
		t.Fatalf("journal has %d lines, want a head and 8 candidates:\n%s", lines, wantJournal)
	}
	same := func(name, dir, out string) {
		t.Helper()
		csv, _ := os.ReadFile(filepath.Join(dir, "candidates.csv"))
		journal, _ := os.ReadFile(filepath.Join(dir, journalFile))
		if string(csv) != string(wantCSV) || string(journal) != string(wantJournal) {
			t.Errorf("%s: candidates.csv or the journal differ from one search's:\n%s\n%s", name, csv, journal)
		}
		if strings.ReplaceAll(out, dir, "DIR") != strings.ReplaceAll(want, whole, "DIR") {
			t.Errorf("%s: output differs:\n%s\nwant\n%s", name, out, want)
		}
	}

	extended := t.TempDir()
	short := optimizeArgs(extended, "2")
	short[len(short)-5] = "4" // --max-evals 4
	koiisimOK(t, short...)
	code, out, errs := koiisim(t, optimizeArgs(extended, "2")...)
	if code != exitOK || !strings.Contains(errs, "4 candidates already evaluated") || strings.Count(errs, "optimize: candidate ") != 4 {
		t.Fatalf("extended search: exit %d, want 0, 4 candidates recalled and 4 run:\n%s", code, errs)
	}
	same("budget 4 then 8", extended, out)

	killed := t.TempDir()
	cut := len(wantJournal) - 20 // inside the last candidate's line
	if err := os.WriteFile(filepath.Join(killed, journalFile), wantJournal[:cut], 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = koiisim(t, optimizeArgs(killed, "1")...)
	if code != exitOK || !strings.Contains(errs, "7 candidates already evaluated") || strings.Count(errs, "optimize: candidate ") != 1 {
		t.Fatalf("resumed search: exit %d, want 0, 7 candidates recalled and 1 run:\n%s", code, errs)
	}
	same("cut journal", killed, out)
}

// TestOptimizeRefusesAnotherSearchsJournal: a journal left by a search
// with other settings is refused with exit 2, naming what differs, and
// is left as it was.
func TestOptimizeRefusesAnotherSearchsJournal(t *testing.T) {
	dir := t.TempDir()
	koiisimOK(t, optimizeArgs(dir, "2")...)
	before, _ := os.ReadFile(filepath.Join(dir, journalFile))
	for _, tc := range []struct {
		change []string
		want   string
	}{
		{[]string{"--replicates", "3"}, "its --replicates was 2"},
		{[]string{"--rounds", "16"}, "its scenario's sha256 was"},
		{[]string{"--set", "rules.claim_every=2"}, "its scenario's sha256 was"},
		{[]string{"--vary", "rules.unstake_cooldown=1:5"}, "its dimensions were --vary populations.whale.count=1:150 --vary rules.slash_fraction=0.1:0.9"},
	} {
		code, _, errs := koiisim(t, append(optimizeArgs(dir, "2"), tc.change...)...)
		if code != exitUsage || !strings.Contains(errs, tc.want) || !strings.Contains(errs, "use another --out") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.change, code, errs, tc.want)
		}
	}
	args := optimizeArgs(dir, "2")
	args[2] = "--minimize"
	if code, _, errs := koiisim(t, args...); code != exitUsage || !strings.Contains(errs, "its objective was --maximize whale.net_profit") {
		t.Errorf("--minimize: exit %d, stderr %q; want 2 naming the objective", code, errs)
	}
	after, _ := os.ReadFile(filepath.Join(dir, journalFile))
	if string(after) != string(before) {
		t.Error("a refused search changed the journal")
	}
	os.WriteFile(filepath.Join(dir, journalFile), []byte("{\"not\": \"a journal\"}\n"), 0o644)
	if code, _, errs := koiisim(t, optimizeArgs(dir, "2")...); code != exitUsage || !strings.Contains(errs, "journal.jsonl:1 is not a koiisim optimize journal") {
		t.Errorf("a foreign file: exit %d, stderr %q; want 2 and the file's line", code, errs)
	}
}

// TestOptimizeInterruptedBySIGINT: SIGINT stops a search with exit 130,
// the candidates that finished kept and the command to resume printed;
// the resumed search ends where an uninterrupted one does.
func TestOptimizeInterruptedBySIGINT(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the CLI as a subprocess")
	}
	slow := func(dir string) []string {
		return []string{"optimize", "koii-baseline", "--minimize", "faulty.net_profit", "--vary", "rules.slash_fraction=0.1:0.9",
			"--rounds", "150", "--replicates", "2", "--workers", "1", "--max-evals", "6", "--out", dir}
	}
	whole := t.TempDir()
	want := koiisimOK(t, slow(whole)...)
	wantCSV, _ := os.ReadFile(filepath.Join(whole, "candidates.csv"))

	dir := filepath.Join(t.TempDir(), "interrupted")
	cmd, _, errb := subprocess(t, slow(dir)...)
	interruptAfterLines(t, cmd, errb, filepath.Join(dir, journalFile), 3)
	if !strings.Contains(errb.String(), "stopped by SIGINT; the ") || !strings.Contains(errb.String(), "koiisim optimize koii-baseline") {
		t.Errorf("stderr does not say what is kept and how to resume:\n%s", errb)
	}
	out := koiisimOK(t, slow(dir)...)
	csv, _ := os.ReadFile(filepath.Join(dir, "candidates.csv"))
	if string(csv) != string(wantCSV) || strings.ReplaceAll(out, dir, "DIR") != strings.ReplaceAll(want, whole, "DIR") {
		t.Errorf("the resumed search differs from one search:\n%s\n%s", out, csv)
	}
}

// TestOptimizeRefusesASearchTooBigForMemory: the memory check takes the
// largest candidate the box allows (here the top of a count dimension,
// whatever the other dimension), times the runs at once, and refuses
// before anything runs or is written.
func TestOptimizeRefusesASearchTooBigForMemory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, _, errs := koiisim(t, "optimize", "koii-baseline", "--minimize", "faulty.net_profit",
		"--vary", "rules.slash_fraction=0.1:0.5", "--vary", "populations.honest.count=100:200000",
		"--max-memory", "1GiB", "--out", dir)
	if code != exitUsage || !strings.Contains(errs, "memory limit") || !strings.Contains(errs, "2 runs at once") {
		t.Errorf("exit %d, stderr %q; want 2 and the memory limit", code, errs)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("a refused search created its directory")
	}
	// The bottom of the box alone fits: the refusal came from the top.
	koiisimOK(t, "optimize", "koii-baseline", "--minimize", "faulty.net_profit",
		"--vary", "rules.slash_fraction=0.1:0.5", "--vary", "populations.honest.count=100:200",
		"--max-memory", "1GiB", "--rounds", "5", "--max-evals", "2", "--out", dir)
}
