package sim

import (
	"math"
	"math/bits"
	"slices"

	"github.com/koiisim/koiisim/model"
)

// RoundState is the state of the money at the end of one round
// (docs/model.md §9.4), per class and in total: streamed through
// Options.OnRound once per round, in round order. Its slice is reused
// after the callback returns.
type RoundState struct {
	Round int
	// Classes holds one entry per class, by class index, then the total
	// over all nodes.
	Classes []ClassState
}

// ClassState is one class's accounts at the end of a round. Amounts are
// ROE; "to date" figures are sums from the start of the run.
type ClassState struct {
	Active int // nodes that could act in the round (joined, online, staked above the minimum)
	Staked int // nodes that have joined and not withdrawn: the population of the stake figures

	Stake model.ROE // sum of the staked nodes' stake
	// StakeP10, StakeP50 and StakeP90 are nearest-rank quantiles of the
	// staked nodes' stake: the ceil(p*n)-th smallest; 0 with no staked
	// node.
	StakeP10, StakeP50, StakeP90 model.ROE
	// StakeGini is the Gini coefficient of the staked nodes' stake, from
	// exact integer sums over the sorted stakes; NaN with no staked node
	// or a zero sum.
	StakeGini float64

	PendingProofs int       // proofs landed in cycles not yet settled: work waiting for its payout
	Vesting       model.ROE // paid rewards still locked (the ledger's pending, vesting_rounds)
	Claimable     model.ROE // vested rewards not yet claimed
	VoterRewards  model.ROE // slash shares received as a false voter, not yet claimed

	Rewards   model.ROE // credited by payouts, to date
	Claimed   model.ROE // claimable rewards and voter rewards moved to balances, to date (before the claim fee)
	Withdrawn model.ROE // stake returned to stopped nodes, to date
	Slashed   model.ROE // stake taken by slashes, to date
	Forfeited model.ROE // pending rewards lost to slashes (slash_pending), to date
	// ClawedBack is what late detection took back from pending and
	// claimable rewards, and FraudLost what it found already claimed,
	// to date.
	ClawedBack, FraudLost model.ROE
}

// Delays are the per node-cycle delays of the reward pipeline, in rounds
// (docs/model.md §5, §9.4): histograms indexed by the delay, so memory grows
// with the longest delay, not with the run.
type Delays struct {
	// WorkToPayout counts rewards by rounds from the cycle's work round
	// to the round its payout credited the node.
	WorkToPayout []int64
	// PayoutToClaim counts rewards by rounds from their payout to the
	// round the node claimed them.
	PayoutToClaim []int64
	Unclaimed     int64 // rewards paid but not claimed when the run ended
	Forfeited     int64 // rewards lost to a slash before they vested (slash_pending)
	ClawedBack    int64 // rewards late detection found before they were claimed
}

// history follows a run for Options.OnRound: the per-class sums at each
// round's end and the reward delays. A nil *history is off: its methods
// do nothing, so the engine calls them unconditionally.
type history struct {
	e     *engine
	state RoundState
	delay Delays

	unclaimed [][]paidRewards // per node: rewards paid and not yet claimed, oldest first

	// The stake order, kept from round to round: only the nodes whose
	// stake or membership changed are sorted again and merged in.
	last   []model.ROE    // per node: stake at the last round's end, -1 when not staked
	dirty  []bool         // per node: changed since the last round's end
	moved  [][]int32      // per set: its nodes that changed
	sets   []stakeOrder   // one per class, then the total
	cached []stakeFigures // per set: the stake figures, recomputed only when the set changed
}

// paidRewards are the rewards one node was paid in one round, all
// unlocking in the same round.
type paidRewards struct {
	paid, unlock int32
	count        int32
}

// stakeOrder is a set of staked nodes sorted by (stake, node).
type stakeOrder struct {
	nodes []int32
	spare []int32
}

type stakeFigures struct {
	staked        int
	sum           model.ROE
	p10, p50, p90 model.ROE
	gini          float64
}

func newHistory(e *engine) *history {
	if e.opt.OnRound == nil {
		return nil
	}
	n, k := len(e.nodes), len(e.classes)
	h := &history{
		e:         e,
		state:     RoundState{Classes: make([]ClassState, k+1)},
		unclaimed: make([][]paidRewards, n),
		last:      make([]model.ROE, n),
		dirty:     make([]bool, n),
		moved:     make([][]int32, k+1),
		sets:      make([]stakeOrder, k+1),
		cached:    make([]stakeFigures, k+1),
	}
	for i := range h.last {
		h.last[i] = -1
	}
	return h
}

// rewarded records a reward for node from cycle's work, credited in
// this round and unlocking in round unlock.
func (h *history) rewarded(node int32, cycle, unlock int) {
	if h == nil {
		return
	}
	r := h.e.round
	h.delay.WorkToPayout = bump(h.delay.WorkToPayout, r-cycle, 1)
	q := h.unclaimed[node]
	if k := len(q) - 1; k >= 0 && q[k].paid == int32(r) && q[k].unlock == int32(unlock) {
		q[k].count++
		return
	}
	h.unclaimed[node] = append(q, paidRewards{paid: int32(r), unlock: int32(unlock), count: 1})
}

// forfeited records that a slash took the node's pending rewards: every
// reward not vested by this round is lost.
func (h *history) forfeited(node int32) {
	if h == nil {
		return
	}
	q := h.unclaimed[node]
	k := len(q)
	for k > 0 && int(q[k-1].unlock) > h.e.round {
		k--
		h.delay.Forfeited += int64(q[k].count)
	}
	h.unclaimed[node] = q[:k]
}

// discovered records that late detection found the node's reward paid
// in round paid to be fraudulent: if that reward is not claimed yet, it
// never will be (the clawback takes its amount, docs/model.md §5); one
// already claimed stays counted as claimed, its amount lost to the task.
func (h *history) discovered(node int32, paid int) {
	if h == nil {
		return
	}
	q := h.unclaimed[node]
	for k := range q {
		if int(q[k].paid) != paid {
			continue
		}
		h.delay.ClawedBack++
		if q[k].count--; q[k].count == 0 {
			h.unclaimed[node] = append(q[:k], q[k+1:]...)
		}
		return
	}
}

// claimed records that the node claimed in round r: every reward that
// has vested by r, since a claim takes all that is claimable.
func (h *history) claimed(node int32, r int) {
	if h == nil {
		return
	}
	q := h.unclaimed[node]
	k := 0
	for k < len(q) && int(q[k].unlock) <= r {
		h.delay.PayoutToClaim = bump(h.delay.PayoutToClaim, r-int(q[k].paid), int64(q[k].count))
		k++
	}
	h.unclaimed[node] = append(q[:0], q[k:]...)
}

// bump adds n to the count of delay d, growing the histogram to hold d.
func bump(hist []int64, d int, n int64) []int64 {
	for len(hist) <= d {
		hist = append(hist, 0)
	}
	hist[d] += n
	return hist
}

// delays returns the delays at the end of the run, or nil when off.
func (h *history) delays() *Delays {
	if h == nil {
		return nil
	}
	d := h.delay
	for _, q := range h.unclaimed {
		for _, p := range q {
			d.Unclaimed += int64(p.count)
		}
	}
	return &d
}

// endRound sends the state at the end of round r to Options.OnRound.
func (h *history) endRound(r int) {
	if h == nil || r < 0 {
		return
	}
	e := h.e
	k := len(e.classes)
	for i := range h.state.Classes {
		h.state.Classes[i] = ClassState{}
	}
	for i := range e.nodes {
		n := &e.nodes[i]
		st := &e.stats[i]
		c := &h.state.Classes[n.Class]
		if e.active(n, r) {
			c.Active++
		}
		c.Vesting += n.Pending
		c.Claimable += n.Claimable
		c.VoterRewards += n.VoterReward
		c.Rewards += st.Rewards + e.flows[i].rewards
		c.Claimed += st.Claimed + e.flows[i].claimed
		c.Withdrawn += st.Withdrawn
		c.Slashed += st.Slash
		c.Forfeited += st.Forfeited
		c.ClawedBack += st.ClawedBack
		c.FraudLost += st.FraudLost
		stake := model.ROE(-1)
		if n.Joined && !n.Withdrawn {
			stake = n.Stake
		}
		if stake != h.last[i] {
			h.last[i] = stake
			h.dirty[i] = true
			h.moved[n.Class] = append(h.moved[n.Class], int32(i))
			h.moved[k] = append(h.moved[k], int32(i))
		}
	}
	for _, cyc := range e.ring {
		if cyc.inUse && cyc.started && !cyc.settled {
			for ci := range cyc.counters {
				h.state.Classes[ci].PendingProofs += cyc.counters[ci].Valid + cyc.counters[ci].Invalid
			}
		}
	}
	total := &h.state.Classes[k]
	for ci := range k {
		c := &h.state.Classes[ci]
		total.Active += c.Active
		total.PendingProofs += c.PendingProofs
		total.Vesting += c.Vesting
		total.Claimable += c.Claimable
		total.VoterRewards += c.VoterRewards
		total.Rewards += c.Rewards
		total.Claimed += c.Claimed
		total.Withdrawn += c.Withdrawn
		total.Slashed += c.Slashed
		total.Forfeited += c.Forfeited
		total.ClawedBack += c.ClawedBack
		total.FraudLost += c.FraudLost
	}
	for s := range h.sets {
		if len(h.moved[s]) > 0 {
			h.sets[s].update(h.moved[s], h.dirty, h.last)
			h.cached[s] = h.sets[s].figures(h.last)
		}
		f := &h.cached[s]
		c := &h.state.Classes[s]
		c.Staked, c.Stake, c.StakeP10, c.StakeP50, c.StakeP90, c.StakeGini = f.staked, f.sum, f.p10, f.p50, f.p90, f.gini
	}
	for _, i := range h.moved[k] { // every moved node is in the total's set
		h.dirty[i] = false
	}
	for s := range h.moved {
		h.moved[s] = h.moved[s][:0]
	}
	h.state.Round = r
	if err := e.opt.OnRound(&h.state); err != nil && e.err == nil {
		e.err = err
	}
}

// update brings the order up to date: the nodes that did not move keep
// their relative order, the moved ones still staked are sorted and
// merged in. stake is per node, -1 for a node that is not staked. The
// cost is linear in the set plus m log m for m moved nodes.
func (o *stakeOrder) update(moved []int32, dirty []bool, stake []model.ROE) {
	kept := o.spare[:0]
	for _, i := range o.nodes {
		if !dirty[i] {
			kept = append(kept, i)
		}
	}
	start := len(kept)
	for _, i := range moved {
		if stake[i] >= 0 {
			kept = append(kept, i)
		}
	}
	in := kept[start:]
	less := func(a, b int32) int {
		if stake[a] != stake[b] {
			if stake[a] < stake[b] {
				return -1
			}
			return 1
		}
		return int(a) - int(b)
	}
	slices.SortFunc(in, less)
	// Merge kept[:start] and in into o.nodes' storage.
	out := o.nodes[:0]
	a, b := kept[:start], in
	for len(a) > 0 && len(b) > 0 {
		if less(a[0], b[0]) <= 0 {
			out = append(out, a[0])
			a = a[1:]
		} else {
			out = append(out, b[0])
			b = b[1:]
		}
	}
	out = append(append(out, a...), b...)
	o.nodes, o.spare = out, kept
}

// figures computes the sum, the nearest-rank quantiles and the Gini
// coefficient of the set's stakes: sum_i (2i - n - 1) x_(i) / (n sum x)
// with i from 1, in 128-bit integers, rounded once to a float64 at the
// division.
func (o *stakeOrder) figures(stake []model.ROE) stakeFigures {
	n := len(o.nodes)
	f := stakeFigures{staked: n, gini: math.NaN()}
	if n == 0 {
		return f
	}
	var whi, wlo uint64 // sum of i * x_(i)
	for j, i := range o.nodes {
		x := uint64(stake[i])
		f.sum += stake[i]
		hi, lo := bits.Mul64(uint64(j+1), x)
		var carry uint64
		wlo, carry = bits.Add64(wlo, lo, 0)
		whi += hi + carry
	}
	q := func(p int) model.ROE { // the ceil(p/100 * n)-th smallest
		rank := (p*n + 99) / 100
		return stake[o.nodes[max(rank, 1)-1]]
	}
	f.p10, f.p50, f.p90 = q(10), q(50), q(90)
	if f.sum == 0 {
		return f
	}
	// numerator = 2 * sum(i x_(i)) - (n+1) * sum(x), non-negative for
	// sorted x; denominator = n * sum(x).
	nhi, nlo := whi<<1|wlo>>63, wlo<<1
	shi, slo := bits.Mul64(uint64(n+1), uint64(f.sum))
	var borrow uint64
	nlo, borrow = bits.Sub64(nlo, slo, 0)
	nhi, _ = bits.Sub64(nhi, shi, borrow)
	dhi, dlo := bits.Mul64(uint64(n), uint64(f.sum))
	f.gini = u128Float(nhi, nlo) / u128Float(dhi, dlo)
	return f
}

func u128Float(hi, lo uint64) float64 { return float64(hi)*0x1p64 + float64(lo) }
