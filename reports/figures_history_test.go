package reports

import (
	"slices"
	"testing"

	"github.com/koiisim/koiisim/sim"
)

// TestHistoryFiguresDrawTheHistory: the stake figure's band is the
// 10th to 90th percentile around the median, the locked-money figure
// draws vesting and claimable plus voter rewards, and the delay
// histograms have one bar per round from the shortest delay.
func TestHistoryFiguresDrawTheHistory(t *testing.T) {
	h := &HistoryData{
		Sets:   []string{"honest", "total"},
		Rounds: []int{0, 1, 2},
		Series: map[string]map[string][]float64{},
		Delays: &sim.Delays{WorkToPayout: []int64{0, 0, 7, 1}, PayoutToClaim: []int64{0, 3, 4}},
	}
	for i, set := range h.Sets {
		m := map[string][]float64{}
		for j, c := range historyDrawn {
			m[c] = []float64{float64(i + j), float64(i + j + 1), float64(i + j + 2)}
		}
		h.Series[set] = m
	}
	figs := historyFigures(h)
	if len(figs) != 3 || figs[0].Name != "locked-money" || figs[1].Name != "stake-quantiles" || figs[2].Name != "time-to-payment" {
		t.Fatalf("figures %v", figs)
	}
	claim := figs[0].Panels[1].Series[1] // total
	m := h.Series["total"]
	if claim.Key != "" || claim.Y[2] != m["claimable_koii"][2]+m["voter_rewards_koii"][2] {
		t.Errorf("claimable series %+v", claim)
	}
	band := figs[1].Panels[0].Series[0]
	hm := h.Series["honest"]
	if !slices.Equal(band.Y, hm["stake_p50_koii"]) || !slices.Equal(band.Lo, hm["stake_p10_koii"]) || !slices.Equal(band.Hi, hm["stake_p90_koii"]) {
		t.Errorf("stake band %+v", band)
	}
	wp := figs[2].Panels[0].Series[0]
	if !slices.Equal(wp.X, []float64{1.5, 2.5, 3.5}) || !slices.Equal(wp.Y, []float64{7, 1}) {
		t.Errorf("work-to-payout bars: edges %v, counts %v", wp.X, wp.Y)
	}
}
