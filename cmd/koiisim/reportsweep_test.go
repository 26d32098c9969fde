package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestReportSweep: report DIR on a sweep's directory draws its curves
// and break-even heatmaps and writes report.html.
func TestReportSweep(t *testing.T) {
	t.Parallel() // rendering figures is the slow part; two cores
	dir := copyRun(t, "sweep-2d")
	var out, errb bytes.Buffer
	if code := run([]string{"report", dir}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, f := range []string{"report.html", "plots/sweep-net-profit.svg", "plots/sweep-heatmap-faulty.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	// With its base scenario beside it, the page shows the scenario and
	// takes the non-honest classes from its behaviours.
	var yaml bytes.Buffer
	if code := run([]string{"show", "faulty-submitters", "--set", "populations.honest.count=20"}, &yaml, &errb); code != exitOK {
		t.Fatalf("show: %s", errb.String())
	}
	os.WriteFile(filepath.Join(dir, "scenario.yaml"), yaml.Bytes(), 0o644)
	if code := run([]string{"report", dir}, &out, &errb); code != exitOK {
		t.Fatalf("with scenario.yaml: exit %d: %s", code, errb.String())
	}
	page, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	if !bytes.Contains(page, []byte("count: 20")) || !bytes.Contains(page, []byte(`id="fig-sweep-heatmap-faulty-slow"`)) {
		t.Error("the sweep report should show scenario.yaml and a heatmap per non-honest class")
	}
	os.Remove(filepath.Join(dir, "summary.csv"))
	if code := run([]string{"report", dir}, &out, &errb); code != exitUsage || !bytes.Contains(errb.Bytes(), []byte("has not finished")) {
		t.Errorf("an unfinished sweep: exit %d: %s", code, errb.String())
	}
}

// TestSweepReportStatesWhereAssertionsHold: a sweep of takeover-and-leave
// over unstake_cooldown writes a report whose verdict says, with the 95%
// bound the assertion checks, that the takeover loses money exactly
// where the whale's stake stays locked until the fraud is found. The
// sweep exits 3: the assertion fails at the other point.
func TestSweepReportStatesWhereAssertionsHold(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "tl")
	var out, errb bytes.Buffer
	if code := run([]string{"sweep", "takeover-and-leave", "--sweep", "rules.unstake_cooldown=0,25", "--replicates", "3", "--out", dir, "--report"}, &out, &errb); code != exitInvariant {
		t.Fatalf("exit %d, want 3 (the assertion fails at one point): %s", code, errb.String())
	}
	page, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	want := "holds at 1 of 2 points: wherever unstake_cooldown = 25; it fails wherever unstake_cooldown = 0."
	if !bytes.Contains(page, []byte(want)) || !bytes.Contains(page, []byte("upper end of its 95% confidence interval")) {
		t.Errorf("the report does not state the verdict %q", want)
	}
}
