package sim

import "github.com/koiisim/koiisim/model"

// discovery is a paid invalid proof that late detection will find: in
// round due, node's reward for cycle is taken back (docs/model.md §5).
type discovery struct {
	due    int
	node   int32
	cycle  int32
	amount model.ROE
}

// schedule decides, when cycle c pays node its reward for an invalid
// proof, whether the fraud is found late_detection_delay rounds later
// (one draw of the node's stream for the cycle). Payouts come in round
// order, so the queue stays sorted by due round.
func (e *engine) schedule(c *cycle, node int32, amount model.ROE) {
	if e.rules.LateDetection == 0 {
		return
	}
	s := newStream(e.seed, purposeLateDetect, e.nodes[node].Key, uint64(c.c))
	if s.Float64() >= e.rules.LateDetection {
		return
	}
	e.late = append(e.late, discovery{due: e.round + e.rules.LateDetectionDelay, node: node, cycle: int32(c.c), amount: amount})
}

// discover applies the discoveries due in round r, at its start, before
// claims and withdrawals (docs/model.md §5, §10): the reward is clawed
// back from pending, then claimable, rewards into the pool, and what was
// already claimed is lost to the task (FraudLost); a node still staked
// is then slashed slash_fraction of its stake, sent to the slash
// destination (no voter earned it: voters burns it), and with
// slash_pending its pending rewards are forfeited. Counted in cycle cur.
func (e *engine) discover(r int, cur *cycle) {
	due := 0
	for ; due < len(e.late) && e.late[due].due <= r; due++ {
		d := e.late[due]
		n := &e.nodes[d.node]
		pending, claimable := e.ledger.Clawback(n, d.amount)
		e.hist.discovered(d.node, d.due-e.rules.LateDetectionDelay)
		back := pending + claimable
		counts := e.tally(d.node, cur)
		counts.apply(func(k *Counters) { k.LateDetections++; k.ClawedBack += back; k.FraudLost += d.amount - back })
		e.trace(TraceEvent{Kind: TraceLateDetect, Cycle: int(d.cycle), Node: d.node, Target: NoNode, Value: b2i(back == d.amount), Amount: back})
		if n.Withdrawn {
			continue
		}
		stake, forfeited := e.ledger.Slash(n, e.rules.SlashFraction.Of(n.Stake), e.rules.SlashPending)
		e.classStake[n.Class] -= stake
		if forfeited > 0 {
			e.hist.forfeited(d.node)
		}
		counts.apply(func(k *Counters) { k.Slash += stake; k.Forfeited += forfeited })
		e.trace(TraceEvent{Kind: TraceSlash, Cycle: int(d.cycle), Node: d.node, Target: NoNode, Amount: stake + forfeited, Note: "late detection"})
		if e.rules.SlashDestination == model.SlashPool {
			e.ledger.ToPool(stake + forfeited)
		} else {
			e.ledger.Burn(stake + forfeited)
		}
	}
	if due > 0 {
		e.late = append(e.late[:0], e.late[due:]...)
	}
}
