package sim

import (
	"math"

	"github.com/koiisim/koiisim/model"
)

// learning is the engine's side of strategic agents (docs/model.md §13):
// which nodes learn from their payoffs, each one's figures for every
// cycle in flight, and who bears costs.fraud_loss. A run without
// learners and without fraud_loss allocates none of it and takes none of
// its branches.
type learning struct {
	learners  []int32         // nodes whose behaviour is a model.Learner, in node order
	learnerAt []int32         // per node: its index in learners, or -1; nil without learners
	learner   []model.Learner // by learners index
	mixed     []int32         // nodes whose behaviour is a model.Strategist, in node order
	mixer     []model.Strategist
	lazy      lazyStream
	victims   []bool // per node: bears fraud_loss (not of an attacker kind); nil when fraud_loss is 0
	means     StrategyMeans
}

// setupLearning finds the learners, the strategists and the nodes that
// bear fraud_loss.
func (e *engine) setupLearning() {
	for i := range e.nodes {
		n := &e.nodes[i]
		if l, ok := n.Behaviour.(model.Learner); ok {
			if e.learnerAt == nil {
				e.learnerAt = make([]int32, len(e.nodes))
				for j := range e.learnerAt {
					e.learnerAt[j] = -1
				}
			}
			e.learnerAt[i] = int32(len(e.learners))
			e.learners = append(e.learners, n.ID)
			e.learner = append(e.learner, l)
		}
		if m, ok := n.Behaviour.(model.Strategist); ok {
			e.mixed = append(e.mixed, n.ID)
			e.mixer = append(e.mixer, m)
		}
	}
	if e.costs.FraudLoss > 0 {
		e.victims = make([]bool, len(e.nodes))
		for i := range e.nodes {
			k, _ := e.cfg.Kinds().Lookup(e.nodes[i].Pop.Behaviour.Kind)
			e.victims[i] = !k.Attacker
		}
	}
	if len(e.learners) > 0 {
		for _, c := range e.ring {
			c.mine = make([]Counters, len(e.learners))
		}
	}
}

// fraudLoss charges costs.fraud_loss once per invalid proof cycle c's
// payout paid to every node that bears it, joined, not withdrawn and
// with no invalid proof of its own in the cycle. The loss is off chain:
// the ledger does not move (docs/model.md §13).
func (e *engine) fraudLoss(c *cycle) {
	paid := 0
	for i := range c.counters {
		paid += c.counters[i].MissedDetections
	}
	if paid == 0 {
		return
	}
	loss := e.costs.FraudLoss * model.ROE(paid)
	for i := range e.nodes {
		n := &e.nodes[i]
		if !e.victims[i] || !n.Joined || n.Withdrawn {
			continue
		}
		if j := c.submissionOf(n.ID); j >= 0 && c.subs[j].outcome == model.Invalid {
			continue
		}
		e.tally(n.ID, c).apply(func(k *Counters) { k.FraudCost += loss })
	}
}

// learn hands each learner its payoff of settled cycle c, in node order,
// and records the population's mean strategies in the cycle's row.
func (e *engine) learn(c *cycle) {
	for j, id := range e.learners {
		m := &c.mine[j]
		n := &e.nodes[id]
		e.lazy = lazyStream{seed: e.seed, purpose: purposeLearn, key: n.Key, cycle: uint64(c.c)}
		e.learner[j].Payoff(n, c.c, m.payoff(), &e.lazy)
	}
	if len(e.mixed) == 0 {
		return
	}
	var sum [2]float64
	var count [2]int
	for j, id := range e.mixed {
		n := &e.nodes[id]
		if !n.Joined || n.Withdrawn {
			continue
		}
		s, p := e.mixer[j].Mixed()
		sum[s] += p
		count[s]++
	}
	mean := func(k int) float64 {
		if count[k] == 0 {
			return math.NaN()
		}
		return sum[k] / float64(count[k])
	}
	e.means = StrategyMeans{Audit: mean(int(model.StrategyAudit)), Cheat: mean(int(model.StrategyCheat)),
		Auditors: count[model.StrategyAudit], Cheats: count[model.StrategyCheat]}
	e.row.Strategies = &e.means
}

// lazyStream is the stream of (purpose, node, cycle or round), named
// when it is first drawn from: most learners draw nothing when they
// learn, and most behaviours nothing when they go online or work, and
// naming a stream for each of them every cycle would cost more than the
// decision.
type lazyStream struct {
	seed, purpose, key, cycle uint64
	named                     bool
	s                         Stream
}

func (l *lazyStream) stream() *Stream {
	if !l.named {
		l.s, l.named = newStream(l.seed, l.purpose, l.key, l.cycle), true
	}
	return &l.s
}

func (l *lazyStream) Uint64() uint64   { return l.stream().Uint64() }
func (l *lazyStream) Float64() float64 { return l.stream().Float64() }
func (l *lazyStream) IntN(n int) int   { return l.stream().IntN(n) }
