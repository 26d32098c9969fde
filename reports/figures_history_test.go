package reports

import (
	"math"
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

// TestHistoryFiguresShareTimeAndSayWhenEmpty: every stake panel spans the
// run's rounds, also for a class with no staked node at first (its line
// starts later, its axis does not), and a money panel that is zero at
// every round's end says so instead of drawing flat lines.
func TestHistoryFiguresShareTimeAndSayWhenEmpty(t *testing.T) {
	nan := math.NaN()
	h := &HistoryData{
		Sets:   []string{"honest", "whale"},
		Rounds: []int{0, 1, 2, 3},
		Series: map[string]map[string][]float64{},
		Delays: &sim.Delays{WorkToPayout: []int64{0, 0, 4}, PayoutToClaim: []int64{0, 4}},
	}
	for _, set := range h.Sets {
		m := map[string][]float64{}
		for _, c := range historyDrawn {
			m[c] = []float64{0, 0, 0, 0}
		}
		for _, c := range []string{"stake_p10_koii", "stake_p50_koii", "stake_p90_koii"} {
			m[c] = []float64{10, 10, 9, 9}
			if set == "whale" {
				m[c] = []float64{nan, nan, 5, 5}
			}
		}
		h.Series[set] = m
	}
	figs := historyFigures(h)
	for _, p := range figs[1].Panels {
		if p.XMin != 0 || p.XMax != 3 {
			t.Errorf("stake panel %s spans [%v, %v]; want the run's rounds [0, 3]", p.Title, p.XMin, p.XMax)
		}
	}
	for _, p := range figs[0].Panels {
		if p.Empty == "" {
			t.Errorf("money panel %q is zero everywhere but draws flat lines", p.Title)
		}
	}
}
