package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSensitivityDesignsShardAndReport: a sobol and a morris sweep are
// point designs like any other: two shards merged give the bytes of one
// machine's sweep, and the report draws the sensitivity figure and
// table.
func TestSensitivityDesignsShardAndReport(t *testing.T) {
	for _, design := range []string{"sobol", "morris"} {
		args := []string{"sweep", "faulty-submitters", "--rounds", "8", "--design", design, "--points", "4", "--replicates", "2",
			"--sweep", "rules.slash_fraction=0:0.7", "--sweep", "populations.faulty.behaviour.invalid=0.05:0.3", "-q"}
		one := t.TempDir()
		if code, out, errs := koiisim(t, append(args, "--out", one, "--report")...); code != 0 {
			t.Fatalf("%s: exit %d: %s\n%s", design, code, errs, out)
		}
		shared := t.TempDir()
		for _, sh := range []string{"0/2", "1/2"} {
			if code, _, errs := koiisim(t, append(args, "--out", shared, "--shard", sh)...); code != 0 {
				t.Fatalf("%s shard %s: exit %d: %s", design, sh, code, errs)
			}
		}
		merged := t.TempDir()
		if code, _, errs := koiisim(t, "merge", shared, "--out", merged); code != 0 {
			t.Fatalf("%s merge: exit %d: %s", design, code, errs)
		}
		for _, f := range []string{"summary.csv", "cells.csv"} {
			a, _ := os.ReadFile(filepath.Join(one, f))
			b, _ := os.ReadFile(filepath.Join(merged, f))
			if len(a) == 0 || !bytes.Equal(a, b) {
				t.Errorf("%s: %s differs between one machine and two shards merged", design, f)
			}
		}
		page, err := os.ReadFile(filepath.Join(one, "report.html"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(page), `id="fig-sensitivity"`) || !strings.Contains(string(page), `id="sensitivity"`) {
			t.Errorf("%s: the report has no sensitivity figure or table", design)
		}
		// 4 base samples of k+2 points, or 4 trajectories of k+1.
		want := map[string]int{"sobol": 16, "morris": 12}[design]
		summary, _ := os.ReadFile(filepath.Join(one, "summary.csv"))
		if n := strings.Count(string(summary), "\n") - 1; n != want {
			t.Errorf("%s: %d points, want %d", design, n, want)
		}
	}
}
