package experiment

import (
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// TestSweepNamesHistoryMetrics: a sweep can name the history's figures
// (final value, mean over rounds, delays) as metrics; they come with
// their units and a value in every point, and a point's summary mean is
// the mean of its cells.
func TestSweepNamesHistoryMetrics(t *testing.T) {
	metrics := []string{"total.vesting_final", "faulty.stake_gini_mean", "run.work_to_payout_p50"}
	p := newPlan(t, writeScenario(t, testScenario), Spec{Metrics: metrics})
	if !slices.Equal(p.Metrics, metrics) {
		t.Fatalf("plan metrics %v, want %v", p.Metrics, metrics)
	}
	for m, unit := range map[string]string{"total.vesting_final": "KOII", "faulty.stake_gini_mean": "fraction", "run.work_to_payout_p50": "rounds"} {
		if got := Unit(m); got != unit {
			t.Errorf("Unit(%s) = %q, want %q", m, got, unit)
		}
	}
	dir := t.TempDir()
	run(t, p, dir, 2, Shard{}, "csv")
	cells := readCSV(t, filepath.Join(dir, "cells.csv"))
	col := slices.Index(cells[0], "run.work_to_payout_p50")
	gini := slices.Index(cells[0], "faulty.stake_gini_mean")
	if col < 0 || gini < 0 {
		t.Fatalf("cells.csv header %v has no history metric", cells[0])
	}
	for _, r := range cells[1:] {
		// Every cycle of this task pays two rounds after its work.
		if r[col] != "2" {
			t.Fatalf("cell %v: work_to_payout_p50 %q, want 2", r[:3], r[col])
		}
		if g, err := strconv.ParseFloat(r[gini], 64); err != nil || g < 0 || g >= 1 {
			t.Fatalf("cell %v: stake_gini_mean %q is not a Gini coefficient", r[:3], r[gini])
		}
	}
}
