package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestAdaptiveSweepSameForAnyWorkersAndShards: a sweep of a scenario
// with learners writes the same files with one worker, with three, and
// as two shards merged (each cell's learners see only their own run).
func TestAdaptiveSweepSameForAnyWorkersAndShards(t *testing.T) {
	args := []string{"sweep", "inspection-game", "--sweep", "populations.auditors.behaviour.eta=0.01,0.05",
		"--replicates", "2", "--rounds", "60", "--metrics", "cheats.net_profit,auditors.net_profit", "-q"}
	one, three, shared := filepath.Join(t.TempDir(), "one"), filepath.Join(t.TempDir(), "three"), filepath.Join(t.TempDir(), "shared")
	koiisimOK(t, append(args, "--workers", "1", "--out", one)...)
	koiisimOK(t, append(args, "--workers", "3", "--out", three)...)
	want := tree(t, one)
	if !strings.Contains(want["cells.csv"], "0,1,") {
		t.Fatalf("cells.csv lacks its cells:\n%s", want["cells.csv"])
	}
	sameTree(t, "workers 1 vs 3", want, tree(t, three))
	for _, s := range []string{"0/2", "1/2"} {
		koiisimOK(t, append(args, "--shard", s, "--out", shared)...)
	}
	koiisimOK(t, "merge", shared)
	sameTree(t, "shards merged vs whole", want, tree(t, shared))
}
