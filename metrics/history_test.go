package metrics

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/koiisim/koiisim/sim"
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

// TestStakeQuantilesOfNoStakedNodeAreUndefined: before a class joins, or
// once all of it has withdrawn, its stake quantiles and Gini are
// undefined (empty in history.csv, a gap in the figure), not zero.
func TestStakeQuantilesOfNoStakedNodeAreUndefined(t *testing.T) {
	c := &sim.ClassState{}
	for _, f := range historyFields {
		v := f.get(c)
		switch f.name {
		case "stake_p10", "stake_p50", "stake_p90", "stake_gini":
			if !v.Missing {
				t.Errorf("%s of a class with no staked node is %v; want missing", f.name, v)
			}
		}
	}
	c.Staked = 1
	if v := historyFields[3].get(c); v.Missing {
		t.Errorf("%s of a staked class is missing", historyFields[3].name)
	}
}
