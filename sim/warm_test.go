package sim

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestWarmChangesNothing: engine.warm only loads what events are about
// to touch, so a run with it off gives the same result, row for row,
// under random options and behaviours.
func TestWarmChangesNothing(t *testing.T) {
	trials := 60
	if testing.Short() {
		trials = 10
	}
	saved := warmBatch
	defer func() { warmBatch = saved }()
	for trial := 0; trial < trials; trial++ {
		rng := rand.New(rand.NewPCG(uint64(trial), 7))
		cfg := randomConfig(rng)
		rounds := 1 + rng.IntN(80)
		warmBatch = 16
		warm, warmRows := runRows(t, cfg, uint64(trial), rounds)
		warmBatch = 0
		cold, coldRows := runRows(t, cfg, uint64(trial), rounds)
		if !reflect.DeepEqual(warm, cold) || !reflect.DeepEqual(warmRows, coldRows) {
			t.Fatalf("trial %d: warming changed the run", trial)
		}
	}
}
