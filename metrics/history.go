package metrics

import (
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/koiisim/koiisim/sim"
)

// historyField is one figure of a class at a round's end: a column of
// history.csv and, as <name>_final and <name>_mean, a class metric.
type historyField struct {
	name, unit, doc string
	get             func(*sim.ClassState) Value
}

var historyFields = []historyField{
	{"active", "nodes", "nodes that could act in the round (joined, online, staked above the minimum)", func(c *sim.ClassState) Value { return count(c.Active) }},
	{"staked", "nodes", "nodes that have joined and not withdrawn", func(c *sim.ClassState) Value { return count(c.Staked) }},
	{"stake", "KOII", "stake of the staked nodes", func(c *sim.ClassState) Value { return money(c.Stake) }},
	{"stake_p10", "KOII", "10th percentile (nearest rank) of the staked nodes' stake", func(c *sim.ClassState) Value { return ofStaked(c, money(c.StakeP10)) }},
	{"stake_p50", "KOII", "median (nearest rank) of the staked nodes' stake", func(c *sim.ClassState) Value { return ofStaked(c, money(c.StakeP50)) }},
	{"stake_p90", "KOII", "90th percentile (nearest rank) of the staked nodes' stake", func(c *sim.ClassState) Value { return ofStaked(c, money(c.StakeP90)) }},
	{"stake_gini", "fraction", "Gini coefficient of the staked nodes' stake", func(c *sim.ClassState) Value { return ofStaked(c, number(c.StakeGini)) }},
	{"pending_proofs", "submissions", "proofs landed in cycles not yet settled (work waiting for its payout)", func(c *sim.ClassState) Value { return count(c.PendingProofs) }},
	{"vesting", "KOII", "paid rewards still locked (vesting_rounds)", func(c *sim.ClassState) Value { return money(c.Vesting) }},
	{"claimable", "KOII", "vested rewards not yet claimed", func(c *sim.ClassState) Value { return money(c.Claimable) }},
	{"voter_rewards", "KOII", "slash shares received as false voters, not yet claimed", func(c *sim.ClassState) Value { return money(c.VoterRewards) }},
	{"rewards_to_date", "KOII", "rewards credited by payouts so far", func(c *sim.ClassState) Value { return money(c.Rewards) }},
	{"claimed", "KOII", "rewards and voter rewards moved to balances by claims so far (before the claim fee)", func(c *sim.ClassState) Value { return money(c.Claimed) }},
	{"withdrawn_to_date", "KOII", "stake returned to stopped nodes so far", func(c *sim.ClassState) Value { return money(c.Withdrawn) }},
	{"slashed_to_date", "KOII", "stake taken by slashes so far", func(c *sim.ClassState) Value { return money(c.Slashed) }},
	{"forfeited_to_date", "KOII", "pending rewards lost to slashes so far (slash_pending)", func(c *sim.ClassState) Value { return money(c.Forfeited) }},
	{"clawed_back_to_date", "KOII", "rewards late detection took back from pending and claimable so far", func(c *sim.ClassState) Value { return money(c.ClawedBack) }},
	{"fraud_lost_to_date", "KOII", "fraudulent rewards late detection found already claimed so far (lost to the task)", func(c *sim.ClassState) Value { return money(c.FraudLost) }},
}

// ofStaked is v, a figure of the class's staked nodes' stakes, or
// missing when the class has no staked node (before it joins, after all
// of it withdrew): a quantile of no stakes is undefined, not zero.
func ofStaked(c *sim.ClassState, v Value) Value {
	if c.Staked == 0 {
		return Value{Missing: true}
	}
	return v
}

// number is a real figure, missing when NaN.
func number(x float64) Value {
	if math.IsNaN(x) {
		return Value{Missing: true}
	}
	return Value{Number: x}
}

// HistoryMetrics are the class figures a run with a history has: each
// column of history.csv at the last round (_final) and averaged over the
// rounds where it is defined (_mean, money in KOII).
var HistoryMetrics = func() []Metric {
	var out []Metric
	for _, f := range historyFields {
		out = append(out, Metric{f.name + "_final", f.unit, f.doc + ", at the end of the last round"})
	}
	for _, f := range historyFields {
		out = append(out, Metric{f.name + "_mean", f.unit, f.doc + ", mean over rounds"})
	}
	return out
}()

// DelayMetrics are the run figures of the reward pipeline's delays, per
// node-cycle paid a reward (nearest-rank quantiles, in rounds).
var DelayMetrics = []Metric{
	{"work_to_payout_mean", "rounds", "mean rounds from a cycle's work to the payout that credited the reward"},
	{"work_to_payout_p50", "rounds", "median rounds from work to payout"},
	{"work_to_payout_p90", "rounds", "90th percentile of rounds from work to payout"},
	{"work_to_payout_max", "rounds", "most rounds from work to payout"},
	{"payout_to_claim_mean", "rounds", "mean rounds from a reward's payout to the claim that moved it to the balance"},
	{"payout_to_claim_p50", "rounds", "median rounds from payout to claim"},
	{"payout_to_claim_p90", "rounds", "90th percentile of rounds from payout to claim"},
	{"payout_to_claim_max", "rounds", "most rounds from payout to claim"},
	{"rewards_paid", "rewards", "node-cycles credited a reward"},
	{"rewards_unclaimed", "rewards", "of those, rewards not claimed when the run ended"},
	{"rewards_forfeited", "rewards", "of those, rewards a slash took before they vested (slash_pending)"},
	{"rewards_clawed_back", "rewards", "of those, rewards late detection found before they were claimed"},
}

// HistoryColumns are the columns of history.csv: one row per round per
// class, then a row for the total (class "total"). Money is KOII, exact
// decimals in CSV, doubles in Parquet.
var HistoryColumns = func() []Column {
	cols := []Column{{"round", KindInt}, {"class", KindText}}
	for _, f := range historyFields {
		switch f.unit {
		case "KOII":
			cols = append(cols, Column{f.name + "_koii", KindFloat})
		case "fraction":
			cols = append(cols, Column{f.name, KindFloat})
		default:
			cols = append(cols, Column{f.name, KindInt})
		}
	}
	return cols
}()

// HistoryWriter streams history.csv (and its Parquet twin) as rounds end
// and keeps the final value and running mean of each figure, so a run's
// memory does not grow with its rounds.
type HistoryWriter struct {
	tables []TableWriter
	names  []string // class names, then "total"
	row    []Field
	stats  HistoryStats
}

// NewHistoryWriter writes the header to csvOut and returns a writer of
// the rows; extra, when not nil, is a second table of HistoryColumns
// that gets every row too (the caller's Parquet table: this package
// writes no Parquet).
func NewHistoryWriter(csvOut io.Writer, extra TableWriter, classes []string) (*HistoryWriter, error) {
	t, err := NewCSVTable(csvOut, HistoryColumns)
	if err != nil {
		return nil, err
	}
	h := &HistoryWriter{tables: []TableWriter{t}, names: append(append([]string(nil), classes...), "total")}
	if extra != nil {
		h.tables = append(h.tables, extra)
	}
	return h, nil
}

// Write writes one round's rows, one per class and the total.
func (h *HistoryWriter) Write(s *sim.RoundState) error {
	h.stats.Observe(s)
	for ci := range s.Classes {
		c := &s.Classes[ci]
		h.row = append(h.row[:0], IntField(s.Round), TextField(h.names[ci]))
		for _, f := range historyFields {
			h.row = append(h.row, valueField(f.get(c)))
		}
		for _, t := range h.tables {
			if err := t.Write(h.row); err != nil {
				return err
			}
		}
	}
	return nil
}

// Close finishes the tables.
func (h *HistoryWriter) Close() error {
	for _, t := range h.tables {
		if err := t.Close(); err != nil {
			return err
		}
	}
	return nil
}

// Stats returns the figures kept so far.
func (h *HistoryWriter) Stats() *HistoryStats { return &h.stats }

func valueField(v Value) Field {
	switch {
	case v.Missing:
		return Field{Null: true, Num: math.NaN()}
	case v.IsMoney:
		return Field{Text: v.Money.String(), Num: v.Money.KOII()}
	}
	return Field{Text: formatNumber(v.Number), Num: v.Number, Int: int64(v.Number)}
}

// HistoryStats keep, per class and for the total, each history figure's
// value at the last round seen and its sum over the rounds where it was
// defined: what HistoryMetrics report.
type HistoryStats struct {
	final [][]Value
	sum   [][]float64
	n     [][]int
}

// Observe takes in one round's state.
func (h *HistoryStats) Observe(s *sim.RoundState) {
	if h.final == nil {
		for range s.Classes {
			h.final = append(h.final, make([]Value, len(historyFields)))
			h.sum = append(h.sum, make([]float64, len(historyFields)))
			h.n = append(h.n, make([]int, len(historyFields)))
		}
	}
	for ci := range s.Classes {
		for j, f := range historyFields {
			v := f.get(&s.Classes[ci])
			h.final[ci][j] = v
			if !v.Missing {
				h.sum[ci][j] += v.Float()
				h.n[ci][j]++
			}
		}
	}
}

// AddHistory adds the history figures (HistoryMetrics per class and in
// total, DelayMetrics for the run) to f.
func AddHistory(f *Figures, h *HistoryStats, d *sim.Delays) {
	f.History = true
	put := func(m map[string]Value, ci int) {
		for j, fl := range historyFields {
			if h.final == nil {
				m[fl.name+"_final"], m[fl.name+"_mean"] = Value{Missing: true}, Value{Missing: true}
				continue
			}
			m[fl.name+"_final"] = h.final[ci][j]
			m[fl.name+"_mean"] = ratio(h.sum[ci][j], float64(h.n[ci][j]))
		}
	}
	for ci := range f.Class {
		put(f.Class[ci], ci)
	}
	put(f.Total, len(f.Class))
	wp, pc := DelayStats(d.WorkToPayout), DelayStats(d.PayoutToClaim)
	for _, s := range []struct {
		prefix string
		st     HistogramStats
	}{{"work_to_payout", wp}, {"payout_to_claim", pc}} {
		f.Run[s.prefix+"_mean"] = ratio(s.st.Sum, float64(s.st.N))
		for name, q := range map[string]int{"_p50": s.st.P50, "_p90": s.st.P90, "_max": s.st.Max} {
			if s.st.N == 0 {
				f.Run[s.prefix+name] = Value{Missing: true}
			} else {
				f.Run[s.prefix+name] = count(q)
			}
		}
	}
	f.Run["rewards_paid"] = count(int(wp.N))
	f.Run["rewards_unclaimed"] = count(int(d.Unclaimed))
	f.Run["rewards_forfeited"] = count(int(d.Forfeited))
	f.Run["rewards_clawed_back"] = count(int(d.ClawedBack))
}

// HistogramStats summarise a histogram of delays in rounds: counts N,
// the sum of the delays, nearest-rank quantiles and the largest delay.
type HistogramStats struct {
	N             int64
	Sum           float64
	P50, P90, Max int
}

// DelayStats summarises hist, where hist[d] counts delays of d rounds.
func DelayStats(hist []int64) HistogramStats {
	var s HistogramStats
	for d, n := range hist {
		s.N += n
		s.Sum += float64(d) * float64(n)
		if n > 0 {
			s.Max = d
		}
	}
	rank := func(p int64) int { // the smallest d with ceil(p/100 * N) delays at or below it
		need := (p*s.N + 99) / 100
		var cum int64
		for d, n := range hist {
			cum += n
			if cum >= need && cum > 0 {
				return d
			}
		}
		return 0
	}
	s.P50, s.P90 = rank(50), rank(90)
	return s
}

// DelaysColumns are the columns of delays.csv: for each delay (kind
// work_to_payout or payout_to_claim) and number of rounds, how many
// rewards (node-cycles) took that long.
var DelaysColumns = []Column{{"delay", KindText}, {"rounds", KindInt}, {"rewards", KindInt}}

// WriteDelays writes delays.csv: every non-zero count of both
// histograms, in order of delay.
func WriteDelays(w io.Writer, d *sim.Delays) error {
	t, err := NewCSVTable(w, DelaysColumns)
	if err != nil {
		return err
	}
	for _, h := range []struct {
		name string
		hist []int64
	}{{"work_to_payout", d.WorkToPayout}, {"payout_to_claim", d.PayoutToClaim}} {
		for r, n := range h.hist {
			if n == 0 {
				continue
			}
			if err := t.Write([]Field{TextField(h.name), IntField(r), {Text: strconv.FormatInt(n, 10), Int: n, Num: float64(n)}}); err != nil {
				return err
			}
		}
	}
	return t.Close()
}

// metrics returns the run and class metrics f has: the history's too
// when the run kept one, and the equilibrium's when it had learners.
func (f *Figures) metrics() (run, class []Metric) {
	run, class = RunMetrics, ClassMetrics
	if f.History {
		run = append(append([]Metric(nil), run...), DelayMetrics...)
		class = append(append([]Metric(nil), class...), HistoryMetrics...)
	}
	if f.Strategies {
		run = append(append([]Metric(nil), run...), StrategyMetrics...)
	}
	return run, class
}

// NeedsHistory reports whether any of the metric paths is a figure only
// a run with a history has (HistoryMetrics, DelayMetrics).
func NeedsHistory(paths []string) bool {
	for _, p := range paths {
		group, name, _ := strings.Cut(p, ".")
		list := HistoryMetrics
		if group == "run" {
			list = DelayMetrics
		}
		for _, m := range list {
			if m.Name == name {
				return true
			}
		}
	}
	return false
}

// LookupMetric returns the metric a path names (run figures for the
// group "run", class figures otherwise), history and equilibrium figures
// included.
func LookupMetric(path string) (Metric, bool) {
	group, name, _ := strings.Cut(path, ".")
	lists := [][]Metric{ClassMetrics, HistoryMetrics}
	if group == "run" {
		lists = [][]Metric{RunMetrics, DelayMetrics, StrategyMetrics}
	}
	for _, l := range lists {
		for _, m := range l {
			if m.Name == name {
				return m, true
			}
		}
	}
	return Metric{}, false
}
