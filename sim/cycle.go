package sim

import (
	"github.com/koiisim/koiisim/model"
)

// sub is one proof that landed in its window.
type sub struct {
	node    int32
	outcome model.Outcome // the truth: Valid or Invalid
	grind   int32
	ballot  int32 // its ballot's index in cycle.targets; -1 while no one voted on it
}

// target is a chain-side ballot with who has voted on it.
type target struct {
	model.Ballot
	voted   voterSet
	trigger int64 // serial of the audit action that opened the trigger
	sub     int32 // the proof's index, for a submission's ballot
}

func (t *target) reset() {
	t.Ballot.Reset()
	t.voted.clear()
	t.trigger, t.sub = 0, 0
}

// cycle is the state of one cycle in flight (docs/model.md §3): its
// proofs, their ballots, its correct list and its list attempts.
type cycle struct {
	c       int
	inUse   bool
	started bool
	closed  bool // its submission window has closed: subs is final and sorted
	settled bool

	proofs           // from its work round until it is emitted; empty if it never started
	targets []target // the ballots of proofs someone voted on, in order of first vote

	correct *model.List // the current attempt's correct list, from the engine's spare lists

	excluded []int32 // builders whose list failed
	attempts int

	row      CycleRow
	counters []Counters
	mine     []Counters // per learner (engine.learners): its figures of this cycle; nil without learners
}

// proofs is the storage of a started cycle's proofs: a node-sized index
// and proof-sized slices. Only the cycles between their work round and
// being emitted hold one (payment_lag + 1 of them when lists pass at
// the first attempt), taken from the engine's spares and given back, so
// that a longer ring of cycles costs no node-sized storage.
type proofs struct {
	subs       []sub   // by ascending node, from close (the landing batch and engine.arrived until then)
	index      []int32 // node -> index in subs, -1: none; set at close
	invalid    bitset  // per proof: its outcome is Invalid; valid after close
	balloted   bitset  // per proof: someone voted on it (sub.ballot is set)
	verdicts   []model.Verdict
	candidates []int32 // list builders to choose from, fixed when its submissions close
}

// emptied returns the storage of p with no proofs, for another cycle:
// the index entries of p's proofs go back to -1. Every proof of a cycle
// that started is in subs by then, as its submissions closed before it
// settled.
func (p *proofs) emptied() proofs {
	for _, s := range p.subs {
		p.index[s.node] = -1
	}
	return proofs{subs: p.subs[:0], index: p.index, invalid: p.invalid[:0], balloted: p.balloted[:0],
		verdicts: p.verdicts[:0], candidates: p.candidates[:0]}
}

// takeProofs returns empty proof storage for a cycle that starts: a
// settled cycle's, or new.
func (e *engine) takeProofs() proofs {
	if k := len(e.spareProofs); k > 0 {
		p := e.spareProofs[k-1]
		e.spareProofs = e.spareProofs[:k-1]
		return p
	}
	p := proofs{index: make([]int32, len(e.nodes))}
	for i := range p.index {
		p.index[i] = -1
	}
	return p
}

func newCycle(classes int) *cycle {
	return &cycle{counters: make([]Counters, classes)}
}

// reset prepares a ring slot for cycle n, keeping the storage of its
// ballots and counters (its proofs' went back when it was emitted).
func (c *cycle) reset(n int) {
	for i := range c.counters {
		c.counters[i] = Counters{}
	}
	for i := range c.mine {
		c.mine[i] = Counters{}
	}
	*c = cycle{mine: c.mine,
		c: n, inUse: true, targets: c.targets[:0], excluded: c.excluded[:0], counters: c.counters,
	}
}

// peek returns the ballot of proof i, or nil while no one has voted on
// it: most proofs never get a vote, so a bit answers most look-ups.
func (c *cycle) peek(i int) *target {
	if !c.balloted.has(i) {
		return nil
	}
	return &c.targets[c.subs[i].ballot]
}

// open returns the ballot of proof i, making it on the first vote. It
// reuses a former cycle's ballot storage when there is some.
func (c *cycle) open(i int) *target {
	if j := c.subs[i].ballot; j >= 0 {
		return &c.targets[j]
	}
	j := len(c.targets)
	if j < cap(c.targets) {
		c.targets = c.targets[:j+1]
		c.targets[j].reset()
	} else {
		c.targets = append(c.targets, target{})
	}
	c.targets[j].sub = int32(i)
	c.subs[i].ballot = int32(j)
	c.balloted.set(i)
	return &c.targets[j]
}

// submissionOf returns the index of the node's proof in this cycle, or -1.
func (c *cycle) submissionOf(node int32) int {
	return int(c.index[node])
}

func (e *engine) cycle(n int) *cycle {
	c := e.ring[n%len(e.ring)]
	if !c.inUse || c.c != n {
		panic("sim: cycle " + itoa(n) + " is not in flight")
	}
	return c
}

// start returns round r's slot.
func (e *engine) start(r int) model.Slot { return model.Slot(r) * e.task.RoundTime }

// active reports whether node n may act in round r: joined, inside its
// population's rounds, online, and staked above the minimum.
func (e *engine) active(n *model.Node, r int) bool {
	return n.Joined && !n.Withdrawn && n.Pop.Active(r) && n.Online && n.CanTakePart(e.task)
}

// tally returns node n's figures for cycle c: its class's counters of
// the cycle and its own, and for a learner its own of the cycle too: its
// payoff of the cycle (docs/model.md §13).
func (e *engine) tally(n int32, c *cycle) tally {
	t := tally{class: &c.counters[e.nodes[n].Class], node: &e.stats[n].Counters}
	if c.mine != nil {
		if j := e.learnerAt[n]; j >= 0 {
			t.mine = &c.mine[j]
		}
	}
	return t
}

// tally is one node's figures for one cycle, kept twice: in its class's
// counters of the cycle (rounds.csv) and in its own over the run
// (nodes.csv). Every update goes to both through apply, so the two
// never disagree (TestConservationHoldsOverRandomRuns checks it). The
// exceptions are the updates every node makes every cycle, whose node
// side is a count in a small record, so that an event at a random node
// or a pass over the nodes does not reach into the ~350-byte NodeStats:
// its proofs and their fees (nodeHot, booked at close), its audit checks
// (engine.audits), and what the passes over the nodes count (work,
// approvals, rewards, claims: nodeFlow). nodeStats folds them in; such
// updates go through applyClass.
type tally struct{ class, node, mine *Counters }

// nodeHot is the part of a node's figures that its proofs update, booked
// when their window closes (closeSubmissions), kept apart from the
// ~350-byte NodeStats so that the pass streams 24 bytes a node. The
// node's audit checks are counted in engine.audits, eight bytes a node,
// as an audit action at a random node touches them. nodeStats folds
// both into NodeStats.
type nodeHot struct {
	txs        int64 // transactions that paid tx_fee (Counters.Fees is txs x tx_fee)
	lastSubmit int32 // NodeStats.LastSubmit
	valid      int32 // Counters.Valid
	invalid    int32 // Counters.Invalid
}

// acted is when a node last acted in an audit window, for the answers
// to triggers it saw opening after (watch_triggers): kept only under
// that rule, so that an audit action writes it only then.
type acted struct {
	at  int64 // serial of its last audit action
	win int64 // window of that action; -1: none
}

// nodeFlow is the part of a node's figures that the passes of every
// cycle over its nodes update (work, verdicts, payouts, claims): kept
// apart from NodeStats, whose ~350 bytes such a pass would otherwise
// stream through the cache for a field or two a node. Folded into
// NodeStats by nodeStats.
type nodeFlow struct {
	rewards  model.ROE // Counters.Rewards
	claimed  model.ROE // NodeStats.Claimed
	active   int32     // Counters.Active
	worked   int32     // cycles it did the work of (Counters.WorkCost is worked x work_cost)
	approved int32     // Counters.Approved
	_        int32
}

// nodeStats returns node i's figures over the run so far, the counts
// kept apart (nodeHot, engine.audits, nodeFlow) folded in.
func (e *engine) nodeStats(i int) NodeStats {
	st := e.stats[i]
	f := &e.flows[i]
	st.Rewards += f.rewards
	st.Claimed += f.claimed
	st.Active += int(f.active)
	st.WorkCost += model.ROE(f.worked) * e.costs.WorkCost
	st.Approved += int(f.approved)
	h := &e.hot[i]
	st.Audits += int(e.audits[i])
	st.AuditCost += model.ROE(e.audits[i]) * e.costs.AuditCost
	st.Fees += model.ROE(h.txs) * e.costs.TxFee
	st.Valid += int(h.valid)
	st.Invalid += int(h.invalid)
	st.LastSubmit = int(h.lastSubmit)
	return st
}

// applyClass makes update to the class's counters (and to a learner's
// figures of the cycle) but not to the node's, whose side of the update
// the caller keeps in one of the small records (see tally).
func (t tally) applyClass(update func(*Counters)) {
	update(t.class)
	if t.mine != nil {
		update(t.mine)
	}
}

// feePaid counts a transaction fee node n paid, in cycle c.
func (e *engine) feePaid(n int32, c *cycle) {
	counts := e.tally(n, c)
	counts.applyClass(func(k *Counters) { k.Fees += e.costs.TxFee })
	e.hot[n].txs++
}

// apply makes update to the class's counters and to the node's (and to
// a learner's figures of the cycle).
func (t tally) apply(update func(*Counters)) {
	update(t.class)
	update(t.node)
	if t.mine != nil {
		update(t.mine)
	}
}

// roundStart runs the start of round r (docs/model.md §3, §5): joins,
// vesting, claims and withdrawals, then the online draws, the work of
// cycle r, the review of cycle r-1 and the distribution of cycle
// r - payment_lag.
func (e *engine) roundStart(r int) {
	if e.pv != nil { // book the flows of the round that just ended
		e.pv.close(e.round, func(i int) int64 { st := e.nodeStats(i); return int64(st.NetProfit()) })
	}
	e.hist.endRound(r - 1)
	startNew := r < e.opt.Rounds && !e.ended
	if !startNew && e.inFlight == 0 && len(e.late) == 0 {
		if e.endReason == "" {
			e.endReason = "rounds"
		}
		return // nothing left to do: the run ends with round r-1
	}
	e.round = r
	if e.opt.Progress != nil {
		e.opt.Progress(r, e.expectedRounds())
	}
	s := e.start(r)
	e.q.push(s+e.task.RoundTime, phaseRoundStart, 0, int32(r+1), 0)

	cur := e.ring[r%len(e.ring)]
	if cur.inUse {
		panic("sim: cycle ring too small: cycle " + itoa(cur.c) + " still in flight at round " + itoa(r))
	}
	cur.reset(r)

	e.discover(r, cur)
	e.accounts(r, cur)

	if startNew {
		if e.ledger.Reserve(e.task.BountyPerRound) {
			cur.started = true
			cur.proofs = e.takeProofs()
			e.inFlight++
			e.cyclesRun++
		} else {
			e.ended = true
			e.endReason = "bounty"
		}
	}
	w, due := e.newWindow(r, 0, s)
	audits := w.review != nil || len(due) > 0
	landing := &e.landings[r%2]
	landing.reset()
	e.auditing.reset()
	// One pass over the nodes draws each one's being online, then its
	// work if cycle r started, then the slot of its audit action in
	// window 0 if there is anything to audit: all three depend on the
	// node alone (Behaviour.Online, Work and AuditDelay draw from the
	// node's own streams, and no behaviour's AuditDelay reads what its
	// Work changed), so one pass gives what three would, streaming the
	// node records once. The attempts due are planned after it, as they
	// were after the three passes: plan's traces come after work's.
	for i := range e.nodes {
		n := &e.nodes[i]
		if !n.Joined || n.Withdrawn || !n.Pop.Active(r) {
			n.Online = false
			continue
		}
		e.lazyRS = lazyStream{seed: e.seed, purpose: purposeOnline, key: n.Key, cycle: uint64(r)}
		n.Online = n.Behaviour.Online(n, r, &e.lazyRS)
		if cur.started {
			e.work(cur, n)
		}
		if audits {
			e.scheduleAudit(w, n)
		}
	}
	if cur.started {
		landing.seal(e.task.SubmissionWindow)
		landing.schedule(e.q, e.start(r+1), phaseSubmit, int32(r), 0)
	} else {
		e.settle(cur)
	}
	if audits {
		e.scheduleAudits(w)
	}
	for _, c := range due {
		e.plan(w, c)
	}
}

// accounts moves money at a round's start: nodes join, pending rewards
// vest, nodes claim every claim_every rounds, and stopped nodes withdraw
// their stake once unstake_cooldown rounds have passed since their last
// proof (docs/model.md §5). Fees are counted in cycle cur.
func (e *engine) accounts(r int, cur *cycle) {
	claim := r%e.rules.ClaimEvery == 0
	for i := range e.nodes {
		n := &e.nodes[i]
		st := &e.stats[i]
		if !n.Joined {
			if r < n.Pop.Join {
				continue
			}
			e.ledger.Join(n, e.stakes[i], n.Pop.Balance)
			e.classStake[n.Class] += n.Stake
		}
		e.ledger.Vest(n, r)
		if amount := n.Claimable + n.VoterReward; claim && e.ledger.Claim(n, e.costs.TxFee) {
			e.flows[i].claimed += amount
			e.hist.claimed(n.ID, r)
			e.feePaid(n.ID, cur)
		}
		if !n.Withdrawn && n.Pop.Stop != 0 && r >= n.Pop.Stop && r > int(e.hot[i].lastSubmit)+e.rules.UnstakeCooldown {
			if s, ok := e.ledger.Withdraw(n, e.costs.TxFee); ok {
				e.classStake[n.Class] -= s
				st.Withdrawn, st.WithdrawRound = s, r
				e.trace(TraceEvent{Kind: TraceWithdraw, Cycle: r, Node: n.ID, Target: NoNode, Amount: s})
				e.feePaid(n.ID, cur)
			}
		}
	}
}

// work runs node n's part of the work round of cycle c (docs/model.md
// §3, step 1): an active worker that will still be active to submit
// decides its work, and its proof is scheduled to land at the next
// round's submission window opening plus the node's delay. A proof that
// would land after the window is late: it is missing, and costs no fee.
func (e *engine) work(c *cycle, n *model.Node) {
	r := c.c
	if n.Pop.Role != model.RoleWorker || !e.active(n, r) || !n.Pop.Active(r+1) {
		return
	}
	counts := e.tally(n.ID, c)
	f := &e.flows[n.ID]
	counts.applyClass(func(k *Counters) { k.Active++ })
	f.active++
	e.lazyRS = lazyStream{seed: e.seed, purpose: purposeWork, key: n.Key, cycle: uint64(r)}
	w := n.Behaviour.Work(n, r, &e.lazyRS)
	if w.Worked {
		counts.applyClass(func(k *Counters) { k.WorkCost += e.costs.WorkCost })
		f.worked++
	}
	if w.Outcome == model.Absent {
		counts.apply(func(k *Counters) { k.Missing++ })
		return
	}
	e.rs = newStream(e.seed, purposeSubmitDelay, n.Key, uint64(r))
	d := n.Pop.SubmitDelay.Slots(&e.rs)
	if d >= e.task.SubmissionWindow {
		counts.apply(func(k *Counters) { k.Late++; k.Missing++ })
		e.trace(TraceEvent{Kind: TraceLate, Cycle: r, Node: n.ID, Target: NoNode})
		return
	}
	e.landings[r%2].add(n.ID, d, int32(w.Outcome)|int32(min(w.Grind, model.MaxGrind))<<8)
}

// submit lands a proof of cycle c (docs/model.md §3, step 2): the node
// must still be active, and pays the fee; otherwise the proof is
// missing.
func (e *engine) submit(c *cycle, a action) {
	n := &e.nodes[a.node]
	counts := e.tally(n.ID, c)
	if !e.active(n, e.round) || !e.ledger.Fee(n, e.costs.TxFee) {
		counts.apply(func(k *Counters) { k.Missing++ })
		return
	}
	counts.applyClass(func(k *Counters) { k.Fees += e.costs.TxFee })
	outcome := model.Outcome(a.arg & 0xff)
	if outcome == model.Valid {
		counts.applyClass(func(k *Counters) { k.Valid++ })
	} else {
		counts.applyClass(func(k *Counters) { k.Invalid++ })
	}
	e.trace(TraceEvent{Kind: TraceProof, Cycle: c.c, Node: n.ID, Target: NoNode, Value: b2i(outcome == model.Valid)})
	e.arrived.set(int(n.ID))
}

// closeSubmissions ends cycle c's submission window: its proofs are
// final. They are the proofs its work scheduled (its landing batch, in
// node order: the list's order) that arrived, each with an empty
// ballot. The submitters' own counts (their hot records, and the cycle
// of a first invalid proof) are booked here rather than as each proof
// lands: in node order, so the pass streams through the records where
// the landings reached them at random. Nothing reads them in between:
// they are read at round starts and ends and at payouts.
func (e *engine) closeSubmissions(c *cycle) {
	subs := c.subs[:0]
	for _, p := range e.landings[c.c%2].added {
		if e.arrived.has(int(p.node)) {
			subs = append(subs, sub{node: p.node, outcome: model.Outcome(p.arg & 0xff), grind: p.arg >> 8, ballot: -1})
		}
	}
	c.subs = subs
	clear(e.arrived)
	c.invalid.reset(len(c.subs))
	c.balloted.reset(len(c.subs))
	for i, s := range c.subs {
		c.index[s.node] = int32(i)
		h := &e.hot[s.node]
		h.txs++
		h.lastSubmit = int32(e.round)
		if s.outcome == model.Valid {
			h.valid++
		} else {
			h.invalid++
			c.invalid.set(i)
			if st := &e.stats[s.node]; st.FirstInvalid < 0 {
				st.FirstInvalid = c.c
			}
		}
	}
	c.closed = true
	for i := range e.subMask {
		e.subMask[i] <<= 1
	}
	for _, s := range c.subs {
		e.subMask[s.node] |= 1
	}
	e.candidates(c)
}
