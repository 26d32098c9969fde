package sim

import (
	"github.com/koiisim/koiisim/model"
)

// attempt is one try at a cycle's distribution list (docs/model.md §3,
// step 3): a chosen builder, the list it sent, and the votes on it.
type attempt struct {
	target
	cyc     *cycle
	builder int32 // -1: no candidate was left
	list    *model.List
	state   attemptState
}

type attemptState uint8

const (
	attemptWaiting       attemptState = iota // the builder has not sent its list yet
	attemptSubmitted                         // the list is under audit
	attemptMissing                           // no list came (offline, late, unstaked or none built)
	attemptChainRejected                     // the chain refused the list
)

// plan adds an attempt at cycle c's list to window w: it computes the
// attempt's correct list, selects the builder and schedules its list
// submission.
func (e *engine) plan(w *window, c *cycle) {
	e.buildCorrect(c)
	a := &attempt{cyc: c, builder: -1}
	w.attempts = append(w.attempts, a)
	idx := int32(len(w.attempts) - 1)
	b := e.selectBuilder(c)
	if b < 0 {
		a.state = attemptMissing
		return
	}
	a.builder = b
	n := &e.nodes[b]
	e.rs = newStream(e.seed, purposeListDelay, n.Key, uint64(c.c), uint64(c.attempts))
	d := n.Pop.SubmitDelay.Slots(&e.rs)
	if d >= e.task.SubmissionWindow {
		a.state = attemptMissing
		e.trace(TraceEvent{Kind: TraceNoList, Cycle: c.c, Node: b, Target: NoNode, List: true, Note: "late"})
		return
	}
	e.q.push(w.start+d, phaseListSubmit, b, idx, 0)
}

// candidates fixes cycle c's list-builder candidates (docs/model.md §3):
// the nodes that submitted in cycles c, c-1 and c-2, or all of c's
// submitters when no node did. It runs when c's submissions close, while
// the mask's last three bits are exactly c, c-1 and c-2: the set cannot
// change after that, however long c waits for its list (payment_lag).
func (e *engine) candidates(c *cycle) {
	c.candidates = c.candidates[:0]
	for _, s := range c.subs {
		if e.subMask[s.node]&7 == 7 {
			c.candidates = append(c.candidates, s.node)
		}
	}
	if len(c.candidates) == 0 {
		for _, s := range c.subs {
			c.candidates = append(c.candidates, s.node)
		}
	}
}

// selectBuilder chooses the node that builds cycle c's next list
// (docs/model.md §3, selection), excluding the builders of its failed
// lists and nodes still in their vote_warmup; -1 when no candidate is
// left.
//
// koii: each candidate scores a uniform draw per proof variant (1 +
// grind) and keeps its best; the highest score wins, ties to the lower
// node. stake: probability proportional to stake. uniform: uniform.
func (e *engine) selectBuilder(c *cycle) int32 {
	eligible := func(id int32) bool {
		if !e.warmedUp(id) {
			return false
		}
		for _, x := range c.excluded {
			if x == id {
				return false
			}
		}
		return true
	}
	att := uint64(c.attempts)
	switch e.rules.Selection {
	case model.SelectKoii:
		best, bestScore := int32(-1), -1.0
		for _, id := range c.candidates {
			if !eligible(id) {
				continue
			}
			grind := c.subs[c.submissionOf(id)].grind
			key := e.nodes[id].Key
			for v := int32(0); v <= grind; v++ {
				s := uniformAt(e.seed, purposeScore, key, uint64(c.c), att, uint64(v))
				if s > bestScore {
					best, bestScore = id, s
				}
			}
		}
		return best
	case model.SelectStake:
		var total model.ROE
		for _, id := range c.candidates {
			if eligible(id) {
				total += e.nodes[id].Stake
			}
		}
		if total == 0 {
			return e.selectUniform(c, eligible, att)
		}
		s := newStream(e.seed, purposeSelect, uint64(c.c), att)
		x := model.ROE(s.Uint64N(uint64(total)))
		for _, id := range c.candidates {
			if !eligible(id) {
				continue
			}
			if x < e.nodes[id].Stake {
				return id
			}
			x -= e.nodes[id].Stake
		}
		panic("sim: stake selection ran past the candidates")
	default:
		return e.selectUniform(c, eligible, att)
	}
}

func (e *engine) selectUniform(c *cycle, eligible func(int32) bool, att uint64) int32 {
	k := 0
	for _, id := range c.candidates {
		if eligible(id) {
			k++
		}
	}
	if k == 0 {
		return -1
	}
	s := newStream(e.seed, purposeSelect, uint64(c.c), att)
	j := s.IntN(k)
	for _, id := range c.candidates {
		if eligible(id) {
			if j == 0 {
				return id
			}
			j--
		}
	}
	panic("sim: uniform selection ran past the candidates")
}

// builderView is the model.Builder a chosen node builds its list through.
type builderView struct {
	e      *engine
	n      *model.Node
	c      *cycle
	rnd    Stream
	shared Stream
}

func (b *builderView) Node() *model.Node           { return b.n }
func (b *builderView) Rand() model.Rand            { return &b.rnd }
func (b *builderView) Rules() *model.Rules         { return b.e.rules }
func (b *builderView) Cycle() int                  { return b.c.c }
func (b *builderView) Round() int                  { return b.e.round }
func (b *builderView) Bounty() model.ROE           { return b.e.task.BountyPerRound }
func (b *builderView) Correct() *model.List        { return b.c.correct }
func (b *builderView) Submissions() int            { return len(b.c.subs) }
func (b *builderView) Submitter(i int) *model.Node { return &b.e.nodes[b.c.subs[i].node] }

// Shared is the stream of (key, cycle, attempt) every builder asking
// with key gets.
func (b *builderView) Shared(key uint64) model.Rand {
	b.shared = newStream(b.e.seed, purposeShared, key, uint64(b.c.c), uint64(b.c.attempts), 1)
	return &b.shared
}

// listSubmit lands a chosen builder's list: it must be active and pay
// the fee, and the chain checks the list (docs/model.md §3).
func (e *engine) listSubmit(ev event) {
	a := e.win.attempts[ev.a]
	n := &e.nodes[ev.node]
	c := a.cyc
	if !e.active(n, e.round) {
		a.state = attemptMissing
		e.trace(TraceEvent{Kind: TraceNoList, Cycle: c.c, Node: n.ID, Target: NoNode, List: true, Note: "inactive"})
		return
	}
	bv := builderView{e: e, n: n, c: c, rnd: newStream(e.seed, purposeBuild, n.Key, uint64(c.c), uint64(c.attempts))}
	l := n.Behaviour.BuildList(&bv)
	if l == nil || !e.ledger.Fee(n, e.costs.TxFee) {
		a.state = attemptMissing
		e.trace(TraceEvent{Kind: TraceNoList, Cycle: c.c, Node: n.ID, Target: NoNode, List: true})
		return
	}
	e.feePaid(n.ID, c)
	if !model.ChainAccepts(l, e.task.BountyPerRound, func(id int32) bool {
		return id >= 0 && int(id) < len(e.nodes) && c.submissionOf(id) >= 0
	}) {
		a.state = attemptChainRejected
		e.trace(TraceEvent{Kind: TraceList, Cycle: c.c, Node: n.ID, Target: NoNode, List: true, Value: b2i(l.Equal(c.correct)), Amount: l.Positive(), Note: "chain-rejected"})
		return
	}
	e.trace(TraceEvent{Kind: TraceList, Cycle: c.c, Node: n.ID, Target: NoNode, List: true, Value: b2i(l.Equal(c.correct)), Amount: l.Positive()})
	a.list = l
	a.state = attemptSubmitted
	e.win.lists = append(e.win.lists, a)
}

// windowEnd closes window k of round r (docs/model.md §3): the review of
// its cycle ends with the correct list computed once, and each list
// attempt is paid or failed. A failed attempt is retried (same_period in
// the next window of this period when the round leaves room, else in the
// next period) until the cycle has used its attempts, then the cycle is
// unpaid.
func (e *engine) windowEnd(r, k int) {
	w := e.win
	if w.round != r || w.k != k {
		panic("sim: window end for a window that is not open")
	}
	if w.review != nil {
		for i := range w.review.targets {
			e.voteShares(w.review, &w.review.targets[i])
		}
	}
	for _, a := range w.lists {
		e.voteShares(a.cyc, &a.target)
	}
	end := w.start + e.task.Period()
	room := e.rules.Retry == model.RetrySamePeriod && end+e.task.Period() <= e.start(r+1)
	for _, a := range w.attempts {
		c := a.cyc
		if a.state == attemptSubmitted {
			e.trace(TraceEvent{Kind: TraceListDone, Cycle: c.c, Node: a.builder, Target: NoNode, List: true, Value: b2i(!model.ListRejected(&a.Ballot))})
		}
		if a.state == attemptSubmitted && !model.ListRejected(&a.Ballot) {
			e.payout(a)
			continue
		}
		e.failed(a)
		if c.attempts < e.task.Attempts() {
			if room {
				w.next = append(w.next, c)
			} else {
				e.retries = append(e.retries, c)
			}
			continue
		}
		e.settle(c)
	}
	if len(w.next) > 0 {
		e.openWindow(r, k+1, end)
	}
	if e.err == nil && len(w.attempts) > 0 {
		if err := e.ledger.Check(e.nodes, r); err != nil {
			e.err = err
		}
	}
}

// buildCorrect computes the correct list of cycle c's next attempt, once
// for every honest node to build or compare with (docs/model.md §3, §4).
// It runs when the attempt's distribution period opens: the ballots
// closed with the review window, and the stakes that slashes and
// reward_split stake shares read are the stakes as they stand when the
// list is built, after every earlier payout and slash has landed. A
// retry reads the stakes of its own period.
func (e *engine) buildCorrect(c *cycle) {
	subs := e.submitted[:0]
	for i, s := range c.subs {
		b := &noVotes
		if tg := c.peek(i); tg != nil {
			b = &tg.Ballot
		}
		subs = append(subs, model.Submitted{Node: s.node, Stake: e.nodes[s.node].Stake, Ballot: b})
	}
	e.submitted = subs
	if cap(c.verdicts) < len(subs) {
		c.verdicts = make([]model.Verdict, len(subs))
	}
	c.verdicts = c.verdicts[:len(subs)]
	// The list of a former attempt is not read after its window ended,
	// so a retry rebuilds the cycle's list in place.
	if c.correct == nil {
		c.correct = e.spareList()
	}
	c.correct.SetCorrect(c.c, subs, e.rules, e.task.BountyPerRound, c.verdicts)
}

// voteShares credits each class that voted on a ballot with its share
// of the ballot's votes (docs/model.md §9: a coalition's share of votes in
// each audit it took part in), in the counters of the ballot's cycle.
func (e *engine) voteShares(c *cycle, t *target) {
	total := 0
	for i := range e.classVotes {
		e.classVotes[i] = 0
	}
	t.voted.each(func(id int32) {
		e.classVotes[e.nodes[id].Class]++
		total++
	})
	if total == 0 {
		return
	}
	for class, n := range e.classVotes {
		if n > 0 {
			c.counters[class].Ballots++
			c.counters[class].VoteShare += float64(n) / float64(total)
		}
	}
}

// spareList returns list storage a settled cycle no longer needs, or a
// new list: only the cycles between their first list and settling hold
// one, two or three at a time, not every slot of the ring.
func (e *engine) spareList() *model.List {
	if k := len(e.spareLists); k > 0 {
		l := e.spareLists[k-1]
		e.spareLists = e.spareLists[:k-1]
		return l
	}
	return &model.List{}
}

// noVotes is the ballot of every proof no one voted on; it is only read.
var noVotes model.Ballot

// failed records a failed attempt against its builder's class.
func (e *engine) failed(a *attempt) {
	c := a.cyc
	c.attempts++
	if a.builder < 0 {
		return
	}
	c.excluded = append(c.excluded, a.builder)
	counts := e.tally(a.builder, c)
	switch a.state {
	case attemptSubmitted:
		counts.apply(func(k *Counters) { k.ListsSubmitted++; k.ListsRejected++ })
		if a.list.Equal(c.correct) {
			counts.apply(func(k *Counters) { k.CorrectListsRejected++ })
		}
	case attemptChainRejected:
		counts.apply(func(k *Counters) { k.ListsChainRejected++ })
	default:
		counts.apply(func(k *Counters) { k.ListsMissing++ })
	}
}

// payout applies an accepted list after its audit window (docs/model.md
// §3): positive amounts go to pending rewards, vesting for
// vesting_rounds; negative amounts come from stake (never below zero)
// and go to the slash destination. Then the cycle settles.
func (e *engine) payout(a *attempt) {
	c := a.cyc
	c.attempts++
	counts := e.tally(a.builder, c)
	counts.apply(func(k *Counters) { k.ListsSubmitted++; k.ListsAccepted++ })
	e.ledger.Release(e.task.BountyPerRound)
	c.row.Paid = true
	c.row.WrongList = !a.list.Equal(c.correct)
	unlock := e.round + e.rules.VestingRounds + 1
	for _, en := range a.list.Entries {
		n := &e.nodes[en.Node]
		counts := e.tally(en.Node, c)
		if en.Amount > 0 {
			e.ledger.Reward(n, en.Amount, unlock)
			if i := c.submissionOf(en.Node); c.subs[i].outcome == model.Invalid {
				e.schedule(c, en.Node, en.Amount)
			}
			e.hist.rewarded(en.Node, c.c, unlock)
			e.trace(TraceEvent{Kind: TraceReward, Cycle: c.c, Node: n.ID, Target: NoNode, Amount: en.Amount})
			counts.applyClass(func(k *Counters) { k.Rewards += en.Amount })
			e.flows[en.Node].rewards += en.Amount
			c.row.BountyPaid += en.Amount
			continue
		}
		stake, pending := e.ledger.Slash(n, -en.Amount, e.rules.SlashPending)
		e.classStake[n.Class] -= stake
		if pending > 0 {
			e.hist.forfeited(en.Node)
		}
		e.trace(TraceEvent{Kind: TraceSlash, Cycle: c.c, Node: n.ID, Target: NoNode, Amount: stake + pending})
		counts.apply(func(k *Counters) { k.Slash += stake; k.Forfeited += pending })
		st := &e.stats[n.ID]
		if st.FirstSlashPaid < 0 && stake+pending > 0 {
			st.FirstSlashPaid = e.round
		}
		if st.FirstCaught < 0 && st.FirstInvalid >= 0 && c.c >= st.FirstInvalid {
			st.FirstCaught = e.round
		}
		e.slashTo(c, en.Node, stake+pending)
	}
	e.verdicts(c, a.list)
	if e.victims != nil {
		e.fraudLoss(c)
	}
	e.settle(c)
}

// slashTo sends slashed money to slash_destination (docs/model.md §4).
// With voters, the node's false voters in cycle c share it; a slash with
// no false voter (a forged list's) is burned.
func (e *engine) slashTo(c *cycle, node int32, amount model.ROE) {
	switch e.rules.SlashDestination {
	case model.SlashPool:
		e.ledger.ToPool(amount)
		return
	case model.SlashVoters:
		if i := c.submissionOf(node); i >= 0 && c.peek(i) != nil && c.peek(i).Triggered {
			b := &c.peek(i).Ballot
			init := &e.nodes[b.Initiator]
			others := make([]*model.Node, 0, len(b.FalseVoters))
			for _, v := range b.FalseVoters {
				if v != b.Initiator {
					others = append(others, &e.nodes[v])
				}
			}
			paid := e.ledger.ToVoters(amount, e.rules.InitiatorShare, init, others)
			e.voterIncome(c, init, paid.Initiator)
			for _, o := range others {
				e.voterIncome(c, o, paid.Each)
			}
			return
		}
	}
	e.ledger.Burn(amount)
}

func (e *engine) voterIncome(c *cycle, n *model.Node, amount model.ROE) {
	counts := e.tally(n.ID, c)
	counts.apply(func(k *Counters) { k.VoterIncome += amount })
}

// verdicts counts what the paid list did to each proof of cycle c: from
// the correct verdicts when the list is correct, else from its entries.
func (e *engine) verdicts(c *cycle, l *model.List) {
	correct := l.Equal(c.correct)
	j := 0
	for i, s := range c.subs {
		for j < len(l.Entries) && l.Entries[j].Node < s.node {
			j++
		}
		listed := j < len(l.Entries) && l.Entries[j].Node == s.node
		var v model.Verdict
		switch {
		case correct:
			v = c.verdicts[i]
			if v == model.Slashed && !listed {
				// A zero slash (no stake left, or slash_fraction 0) is not
				// listed but is still a slash verdict: the trace says so.
				e.trace(TraceEvent{Kind: TraceSlash, Cycle: c.c, Node: s.node, Target: NoNode, Note: "nothing to take"})
			}
		case !listed:
			v = model.Neither
		case l.Entries[j].Amount > 0:
			v = model.Approved
		default:
			v = model.Slashed
		}
		counts := e.tally(s.node, c)
		switch v {
		case model.Approved:
			counts.applyClass(func(k *Counters) { k.Approved++ })
			e.flows[s.node].approved++
			if s.outcome == model.Invalid {
				counts.apply(func(k *Counters) { k.MissedDetections++ })
			}
		case model.Slashed:
			counts.apply(func(k *Counters) { k.Slashed++ })
			if s.outcome == model.Valid {
				counts.apply(func(k *Counters) { k.FalseSlashes++ })
			}
		default:
			counts.apply(func(k *Counters) { k.Neither++ })
		}
	}
}

// settle ends cycle c: paid, unpaid, or never started. Its bounty
// reservation is released if nothing was paid, the class stakes are
// recorded, and rows are streamed in cycle order.
func (e *engine) settle(c *cycle) {
	if c.settled {
		panic("sim: cycle " + itoa(c.c) + " settled twice")
	}
	c.settled = true
	if c.started {
		e.inFlight--
		if !c.row.Paid {
			e.ledger.Release(e.task.BountyPerRound)
			c.row.Unpaid = true
			for _, s := range c.subs {
				counts := e.tally(s.node, c)
				counts.apply(func(k *Counters) { k.Neither++ })
			}
		}
	}
	c.row.Cycle, c.row.Started, c.row.SettledRound, c.row.Attempts = c.c, c.started, e.round, c.attempts
	for i := range c.counters {
		c.counters[i].Stake = e.classStake[i]
	}
	e.emit()
}

// emit streams settled cycles in cycle order and frees their ring slots.
func (e *engine) emit() {
	for e.err == nil {
		c := e.ring[e.emitNext%len(e.ring)]
		if !c.inUse || c.c != e.emitNext || !c.settled {
			return
		}
		e.row = c.row
		e.row.Classes = c.counters
		if len(e.learners)+len(e.mixed) > 0 {
			e.learn(c)
		}
		for i := range c.counters {
			e.totals[i].Add(&c.counters[i])
		}
		switch {
		case c.row.Paid:
			e.paid++
		case c.row.Unpaid:
			e.unpaid++
		}
		if c.row.WrongList {
			e.wrong++
		}
		if c.correct != nil { // its list is read no more: keep the storage
			e.spareLists = append(e.spareLists, c.correct)
			c.correct = nil
		}
		if c.index != nil { // nor its proofs
			e.spareProofs = append(e.spareProofs, c.proofs.emptied())
			c.proofs = proofs{}
		}
		e.bounty += c.row.BountyPaid
		if e.opt.OnCycle != nil {
			if err := e.opt.OnCycle(&e.row); err != nil {
				e.err = err
			}
		}
		c.inUse = false
		e.emitNext++
	}
}
