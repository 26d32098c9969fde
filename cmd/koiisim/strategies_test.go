package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunWritesStrategiesAndVerdict: a run with learners writes
// strategies.csv (one row per started cycle), strategies.png and the
// verdict in summary.json; a run without learners writes none of them.
func TestRunWritesStrategiesAndVerdict(t *testing.T) {
	dir := t.TempDir()
	out := koiisimOK(t, "run", "inspection-game", "--rounds", "150", "--quiet", "--out", dir)
	if !strings.Contains(out, "strategies: over the last 150 cycles") {
		t.Errorf("no strategies line in:\n%s", out)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "strategies.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(csv), "\n"); n != 151 {
		t.Errorf("strategies.csv has %d lines, want a header and 150 rows", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "strategies.png")); err != nil {
		t.Error(err)
	}
	var s struct {
		Equilibrium *struct {
			Window    int     `json:"window"`
			Tolerance float64 `json:"tolerance"`
			Audit     *struct {
				Equilibrium *float64 `json:"equilibrium"`
			} `json:"audit"`
		} `json:"equilibrium"`
	}
	data, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	if s.Equilibrium == nil || s.Equilibrium.Window != 150 || s.Equilibrium.Tolerance != 0.05 || s.Equilibrium.Audit == nil || *s.Equilibrium.Audit.Equilibrium != 0.2036 {
		t.Errorf("summary.json equilibrium: %s", data)
	}

	plain := t.TempDir()
	koiisimOK(t, "run", "faulty-submitters", "--rounds", "5", "--quiet", "--out", plain)
	if _, err := os.Stat(filepath.Join(plain, "strategies.csv")); err == nil {
		t.Error("a run without learners wrote strategies.csv")
	}
	data, _ = os.ReadFile(filepath.Join(plain, "summary.json"))
	if strings.Contains(string(data), "equilibrium") {
		t.Error("a run without learners has an equilibrium verdict")
	}
}
