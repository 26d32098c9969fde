package sim

import (
	"runtime"
	"testing"
)

// liveBytes builds and runs an engine of n honest nodes (and n/100
// faulty) for 30 rounds (the live heap no longer grows by then), so every per-cycle store has grown, and
// returns the heap that is live with the engine still held.
func liveBytes(t *testing.T, n int) uint64 {
	t.Helper()
	cfg := benchConfig(n, 30)
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	e, err := newEngine(cfg, Options{Seed: 1, Rounds: 30, MaxEvents: DefaultMaxEvents})
	if err != nil {
		t.Fatal(err)
	}
	e.run()
	res := e.result()
	runtime.GC()
	runtime.ReadMemStats(&m1)
	runtime.KeepAlive(e)
	runtime.KeepAlive(res)
	return m1.HeapAlloc - min(m0.HeapAlloc, m1.HeapAlloc)
}

// TestMemoryEstimateCoversTheEngine measures the live heap per node of
// engines of two sizes (the difference cancels what does not grow with
// nodes) and holds BytesPerNode to it: never below, at most 1.5 times.
func TestMemoryEstimateCoversTheEngine(t *testing.T) {
	if testing.Short() || raceEnabled {
		// Single-threaded: nothing for the race detector to find, and it
		// makes the runs ten times slower.
		t.Skip("runs engines of 10,000 and 40,000 nodes for 30 rounds")
	}
	const small, large = 10_000, 40_000
	a, b := liveBytes(t, small), liveBytes(t, large)
	nodes := float64((large + large/100) - (small + small/100))
	measured := float64(b-min(a, b)) / nodes
	est := float64(BytesPerNode(benchConfig(1, 6)))
	t.Logf("live heap %.0f bytes a node; BytesPerNode %.0f", measured, est)
	if est < measured || est > 1.5*measured {
		t.Errorf("BytesPerNode = %.0f, want within [1, 1.5] x the measured %.0f bytes a node", est, measured)
	}
}
