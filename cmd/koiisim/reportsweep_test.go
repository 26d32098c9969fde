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
	os.Remove(filepath.Join(dir, "summary.csv"))
	if code := run([]string{"report", dir}, &out, &errb); code != exitUsage || !bytes.Contains(errb.Bytes(), []byte("has not finished")) {
		t.Errorf("an unfinished sweep: exit %d: %s", code, errb.String())
	}
}
