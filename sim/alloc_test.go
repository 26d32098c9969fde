package sim

import (
	"runtime"
	"testing"
)

// TestAllocationsPerCycleDoNotGrowWithRounds checks that a run reuses its
// per-cycle storage (proofs, ballots, correct lists, queue buckets): 200
// more rounds of 1,010 nodes allocate less than 2 KB a round, where one
// fresh correct list a cycle alone would be 16 KB.
func TestAllocationsPerCycleDoNotGrowWithRounds(t *testing.T) {
	allocated := func(rounds int) uint64 {
		cfg := benchConfig(1_000, rounds)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, err := Run(cfg, Options{Seed: 1, Rounds: rounds}); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	short, long := allocated(100), allocated(300)
	if perRound := (int64(long) - int64(short)) / 200; perRound > 2048 {
		t.Errorf("each extra round allocates %d bytes (100 rounds: %d, 300 rounds: %d), want at most 2048", perRound, short, long)
	}
}
