package metrics

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDelayStatsMatchTheSortedDelays: the histogram's nearest-rank
// quantiles, mean and maximum are those of the delays listed one by one
// and sorted.
func TestDelayStatsMatchTheSortedDelays(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 200 {
		hist := make([]int64, rng.IntN(12))
		var all []int
		for d := range hist {
			if rng.IntN(3) > 0 {
				hist[d] = rng.Int64N(5)
			}
			for range hist[d] {
				all = append(all, d)
			}
		}
		s := DelayStats(hist)
		if int(s.N) != len(all) {
			t.Fatalf("trial %d: N %d, %d delays", trial, s.N, len(all))
		}
		if len(all) == 0 {
			continue
		}
		slices.Sort(all)
		rank := func(p int) int { return all[(p*len(all)+99)/100-1] }
		sum := 0
		for _, d := range all {
			sum += d
		}
		if s.P50 != rank(50) || s.P90 != rank(90) || s.Max != all[len(all)-1] || s.Sum != float64(sum) {
			t.Fatalf("trial %d: %+v, delays %v", trial, s, all)
		}
	}
}
