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
