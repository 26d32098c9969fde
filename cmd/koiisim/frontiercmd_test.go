package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
