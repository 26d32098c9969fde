package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/koiisim/koiisim/scenarios"
)

// TestFrontierFindsSybilCrossing: in the sybil validation scenario the
// whale's bounty share under equal split is m / (m + n) for m sybils
// beside n honest nodes, so it crosses 1/4 at m = n/3: 23.33 for
// n = 70 and 11.67 for n = 35. frontier brackets each between the
// whole numbers around it, and traces both across the honest count.
func TestFrontierFindsSybilCrossing(t *testing.T) {
	sybil := filepath.Join("..", "..", "scenarios", "validation", "sybil.yaml")
	dir := t.TempDir()
	code, out, errs := koiisim(t, "frontier", sybil, "--metric", "whale.bounty_share", "--target", "0.25",
		"--vary", "populations.whale.count=1:70", "--vary", "populations.honest.count=35:70:2", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errs, out)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"35 [11, 12]", "70 [23, 24]", "rises through the target"} {
		if !strings.Contains(flat, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	csv, err := os.ReadFile(filepath.Join(dir, "frontier.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(csv), "35,11,12,") || !strings.Contains(string(csv), "70,23,24,") {
		t.Errorf("frontier.csv:\n%s", csv)
	}
	for _, f := range []string{"probes.csv", "plots/frontier.png", "plots/frontier.svg"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	code, _, errs = koiisim(t, "frontier", sybil, "--metric", "whale.bounty_share", "--target", "0.9", "--vary", "populations.whale.count=1:70", "--out", t.TempDir())
	if code != 0 {
		t.Errorf("no crossing: exit %d: %s", code, errs)
	}
	if code, _, errs := koiisim(t, "frontier", sybil, "--metric", "whale.bounty_shar", "--vary", "populations.whale.count=1:70"); code != 2 || !strings.Contains(errs, "whale.bounty_share") {
		t.Errorf("a mistyped metric: exit %d: %s", code, errs)
	}
}

// frontierArgs is a two-dimensional frontier search of the sybil case.
func frontierArgs(dir string) []string {
	return []string{"frontier", filepath.Join("..", "..", "scenarios", "validation", "sybil.yaml"), "--metric", "whale.bounty_share",
		"--target", "0.25", "--vary", "populations.whale.count=1:70", "--vary", "populations.honest.count=35:70:2", "--out", dir}
}

// TestFrontierResumesFromItsReplicates: a search whose replicate journal
// was cut inside a line (a kill part way) runs only the replicates it
// lacks and writes what one uninterrupted search writes, byte for byte
// (the journal too: the search asks for the same values in the same
// order);
// a search that finds every value in the journal runs none.
func TestFrontierResumesFromItsReplicates(t *testing.T) {
	whole := t.TempDir()
	want := koiisimOK(t, frontierArgs(whole)...)
	journal, err := os.ReadFile(filepath.Join(whole, replicateFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(string(journal), "\n")
	if lines < 20 {
		t.Fatalf("the journal has %d lines", lines)
	}
	same := func(name, dir, out string) {
		t.Helper()
		for _, f := range []string{"frontier.csv", "probes.csv", replicateFile} {
			a, _ := os.ReadFile(filepath.Join(whole, f))
			b, _ := os.ReadFile(filepath.Join(dir, f))
			if string(a) != string(b) {
				t.Errorf("%s: %s differs from one search's", name, f)
			}
		}
		if strings.ReplaceAll(out, dir, "DIR") != strings.ReplaceAll(want, whole, "DIR") {
			t.Errorf("%s: output differs:\n%s\nwant\n%s", name, out, want)
		}
	}

	cut := t.TempDir()
	half := strings.Index(string(journal[len(journal)/2:]), "\n") + len(journal)/2 + 10 // ten bytes into a line
	os.WriteFile(filepath.Join(cut, replicateFile), journal[:half], 0o644)
	code, out, errs := koiisim(t, frontierArgs(cut)...)
	if code != exitOK || !strings.Contains(errs, "replicate values already run") || !strings.Contains(errs, "run\n") {
		t.Fatalf("resumed: exit %d, want 0, values recalled and some run:\n%s", code, errs)
	}
	same("cut journal", cut, out)

	code, out, errs = koiisim(t, frontierArgs(cut)...)
	if code != exitOK || strings.Contains(errs, " run\n") {
		t.Errorf("all recalled: exit %d, want 0 and no replicate run:\n%s", code, errs)
	}
	same("all recalled", cut, out)
}

// TestFrontierRefusesAForeignJournal: a replicate journal of another
// koiisim version, or a file that is not one, is refused with exit 2.
func TestFrontierRefusesAForeignJournal(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, replicateFile), []byte(`{"journal":"koiisim replicate values","version":"0.0.1"}`+"\n"), 0o644)
	if code, _, errs := koiisim(t, frontierArgs(dir)...); code != exitUsage || !strings.Contains(errs, "written by koiisim 0.0.1") {
		t.Errorf("another version: exit %d, stderr %q", code, errs)
	}
	os.WriteFile(filepath.Join(dir, replicateFile), []byte("{}\n"), 0o644)
	if code, _, errs := koiisim(t, frontierArgs(dir)...); code != exitUsage || !strings.Contains(errs, "replicates.jsonl:1 is not a koiisim replicate journal") {
		t.Errorf("not a journal: exit %d, stderr %q", code, errs)
	}
}

// TestFrontierAxisIsWholeAsWritten: an axis is whole-numbered when both
// ends are written without a decimal point or exponent, as a sweep's
// range is (scenarios.Dimension.Integer): 0.0:1.0 searches a fraction.
func TestFrontierAxisIsWholeAsWritten(t *testing.T) {
	for spec, whole := range map[string]bool{
		"populations.whale.count=1:70":   true,
		"rules.slash_fraction=0:1":       true,
		"rules.slash_fraction=0.0:1.0":   false,
		"rules.slash_fraction=0:1.0":     false,
		"rules.slash_fraction=0:0.5":     false,
		"populations.honest.count=35:70": true,
	} {
		a, err := parseFrontierAxis(spec, false)
		if err != nil || a.integer != whole {
			t.Errorf("%s: integer %v, err %v; want %v", spec, a.integer, err, whole)
		}
		d, err := scenarios.ParseDimension(spec)
		if err != nil || d.Integer() != whole {
			t.Errorf("%s: a sweep's dimension says %v, err %v; want %v", spec, d.Integer(), err, whole)
		}
	}
}

// TestFrontierInterruptedBySIGINT: SIGINT stops a search with exit 130,
// the replicates that finished kept and the command to resume printed;
// the resumed search writes what an uninterrupted one does.
func TestFrontierInterruptedBySIGINT(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the CLI as a subprocess")
	}
	slow := func(dir string) []string {
		return []string{"frontier", "koii-baseline", "--metric", "faulty.net_profit", "--target", "0",
			"--vary", "rules.slash_fraction=0.0:1.0", "--rounds", "60", "--max-replicates", "30", "--workers", "1", "--out", dir}
	}
	whole := t.TempDir()
	koiisimOK(t, slow(whole)...)
	dir := filepath.Join(t.TempDir(), "interrupted")
	cmd, _, errb := subprocess(t, slow(dir)...)
	interruptAfterLines(t, cmd, errb, filepath.Join(dir, replicateFile), 30)
	if !strings.Contains(errb.String(), "stopped by SIGINT; the ") || !strings.Contains(errb.String(), "koiisim frontier koii-baseline") {
		t.Errorf("stderr does not say what is kept and how to resume:\n%s", errb)
	}
	koiisimOK(t, slow(dir)...)
	for _, f := range []string{"frontier.csv", "probes.csv", replicateFile} {
		a, _ := os.ReadFile(filepath.Join(whole, f))
		b, _ := os.ReadFile(filepath.Join(dir, f))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s of the resumed search differs from one search's", f)
		}
	}
}
