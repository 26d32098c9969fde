package reports

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/koiisim/koiisim/sim"
)

// HistoryData is what a run with --history wrote: history.csv's columns
// that figures draw, per set (each class, then "total"), and delays.csv.
type HistoryData struct {
	Sets   []string // classes in the run's order, then "total"
	Rounds []int
	Series map[string]map[string][]float64 // set -> column -> value per round
	Delays *sim.Delays
}

// historyDrawn are the history.csv columns the figures draw.
var historyDrawn = []string{"vesting_koii", "claimable_koii", "voter_rewards_koii", "stake_p10_koii", "stake_p50_koii", "stake_p90_koii"}

// readHistory reads history.csv and delays.csv in dir, or returns nil
// when the run wrote no history.
func readHistory(dir string) (*HistoryData, error) {
	path := filepath.Join(dir, "history.csv")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	h := &HistoryData{}
	var err error
	if h.Rounds, h.Sets, h.Series, err = readClassSeries(path, "round", historyDrawn); err != nil {
		return nil, err
	}
	if h.Delays, err = readDelays(filepath.Join(dir, "delays.csv")); err != nil {
		return nil, err
	}
	return h, nil
}

// historyFigures draws a run's history: the money locked and claimable
// over time, the stake quantile bands and the reward delays. A replicate
// set has no history (replicates do not write it), so these figures are
// of one run.
func historyFigures(h *HistoryData) []Figure {
	idx := thin(len(h.Rounds))
	x := make([]float64, len(idx))
	for i, j := range idx {
		x[i] = float64(h.Rounds[j])
	}
	key := func(set string) string {
		if set == "total" {
			return ""
		}
		return set
	}
	locked := Panel{Title: "Locked (paid, vesting)", XLabel: "round", YLabel: "KOII (class total)", YFromZero: true}
	claimable := Panel{Title: "Claimable, not yet claimed", XLabel: "round", YLabel: "KOII (class total)", YFromZero: true}
	for _, set := range h.Sets {
		m := h.Series[set]
		locked.Series = append(locked.Series, Series{Label: set, Key: key(set), X: x, Y: pick(m["vesting_koii"], idx)})
		owed := make([]float64, len(idx))
		for i, j := range idx {
			owed[i] = m["claimable_koii"][j] + m["voter_rewards_koii"][j]
		}
		claimable.Series = append(claimable.Series, Series{Label: set, Key: key(set), X: x, Y: owed})
	}
	// A pipeline that never holds money (no vesting; claims every round)
	// says so instead of drawing flat lines at zero.
	if flatZero(locked) {
		locked.Empty = "nothing vesting in this run"
	}
	if flatZero(claimable) {
		claimable.Empty = "nothing left unclaimed"
	}
	money := Figure{Name: "locked-money", Title: "Money in the reward pipeline", Cols: 2, Panels: []Panel{locked, claimable},
		Caption: "At the end of each round, rewards paid but still vesting (left) and vested rewards and voter rewards not yet claimed (right), per class and in total (black), in KOII."}

	bands := Figure{Name: "stake-quantiles", Title: "Stake of the staked nodes, by class",
		Caption: "At the end of each round, the median stake of the class's staked nodes (line) and its 10th to 90th percentile (band), in KOII; slashes pull the band down, leavers drop out of it."}
	if len(h.Sets) > 3 {
		bands.Cols = 2
	}
	for _, set := range h.Sets {
		m := h.Series[set]
		bands.Panels = append(bands.Panels, Panel{Title: set, XLabel: "round", YLabel: "stake per node (KOII)", YFromZero: true,
			XMin: x[0], XMax: x[len(x)-1],
			Series: []Series{{Label: set + " median", Key: key(set), X: x, Y: pick(m["stake_p50_koii"], idx),
				Lo: pick(m["stake_p10_koii"], idx), Hi: pick(m["stake_p90_koii"], idx)}}})
	}

	delays := Figure{Name: "time-to-payment", Title: "Time to payment, per reward", Cols: 2,
		Caption: "How many rewards (one per node and paid cycle) took each number of rounds from the cycle's work to its payout (left), and from the payout to the claim that moved it to the node's balance (right); rewards still unclaimed at the end are not counted on the right."}
	for _, d := range []struct {
		title string
		hist  []int64
	}{{"Work to payout", h.Delays.WorkToPayout}, {"Payout to claim", h.Delays.PayoutToClaim}} {
		lo := 0
		for lo < len(d.hist)-1 && d.hist[lo] == 0 {
			lo++
		}
		hist := d.hist[lo:]
		if len(hist) == 0 {
			hist = []int64{0}
		}
		edges := make([]float64, len(hist)+1)
		counts := make([]float64, len(hist))
		for i := range edges {
			edges[i] = float64(lo+i) - 0.5
		}
		for i, n := range hist {
			counts[i] = float64(n)
		}
		delays.Panels = append(delays.Panels, Panel{Title: d.title, Kind: HistPanel, XLabel: "rounds", YLabel: "rewards", YFromZero: true,
			Series: []Series{{Label: d.title, X: edges, Y: counts}}})
	}
	return []Figure{money, bands, delays}
}

// readDelays reads delays.csv back into histograms.
func readDelays(path string) (*sim.Delays, error) {
	d := &sim.Delays{}
	err := eachCSVRow(path, []string{"delay", "rounds", "rewards"}, func(get func(string) string) error {
		rounds, err1 := strconv.Atoi(get("rounds"))
		n, err2 := strconv.ParseInt(get("rewards"), 10, 64)
		if err1 != nil || err2 != nil || rounds < 0 || rounds > sim.MaxRounds || n < 0 {
			return fmt.Errorf("%q rounds and %q rewards are not counts", get("rounds"), get("rewards"))
		}
		var h *[]int64
		switch get("delay") {
		case "work_to_payout":
			h = &d.WorkToPayout
		case "payout_to_claim":
			h = &d.PayoutToClaim
		default:
			return fmt.Errorf("delay %q is neither work_to_payout nor payout_to_claim", get("delay"))
		}
		for len(*h) <= rounds {
			*h = append(*h, 0)
		}
		(*h)[rounds] += n
		return nil
	})
	return d, err
}
