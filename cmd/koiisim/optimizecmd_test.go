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
