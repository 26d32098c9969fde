package sim

import (
	"github.com/koiisim/koiisim/model"
)

// window is one submission window and the audit window after it, inside
// a round's distribution period (docs/model.md §3). Window 0 of round r
// reviews cycle r-1's proofs and audits the lists of that period (cycle
// r - payment_lag's first attempt and the retries due); later
// windows exist only for same-period retries and audit lists only.
type window struct {
	serial   int64
	round    int
	k        int
	start    model.Slot // opening of the submission window
	review   *cycle     // cycle whose proofs are under review, or nil
	attempts []*attempt // every list attempt of the window
	lists    []*attempt // the lists that reached the chain, in landing order: what nodes audit
	next     []*cycle   // cycles retrying in the next window of this period
}

// openWindow opens window k of round r at slot start: it schedules the
// close of the submission window, the window's end, every node's audit
// action and the list submissions of the attempts due in it. Window 0
// is opened by roundStart, whose pass over the nodes schedules the
// audit actions too.
func (e *engine) openWindow(r, k int, start model.Slot) {
	w, due := e.newWindow(r, k, start)
	if w.review != nil || len(due) > 0 {
		e.auditing.reset()
		for i := range e.nodes {
			e.scheduleAudit(w, &e.nodes[i])
		}
		e.scheduleAudits(w)
	}
	for _, c := range due {
		e.plan(w, c)
	}
}

// newWindow makes window k of round r, opening at slot start, the open
// window, and schedules its end and the close of its submissions. It
// returns the cycles whose list attempts are due in it: in window 0,
// the retries due and cycle r - payment_lag's first attempt; in later
// windows, the cycles retrying in the same period.
func (e *engine) newWindow(r, k int, start model.Slot) (w *window, due []*cycle) {
	e.winCount++
	w = &window{serial: e.winCount, round: r, k: k, start: start}
	if k == 0 {
		if r >= 1 {
			if c := e.ring[(r-1)%len(e.ring)]; c.inUse && c.c == r-1 && c.started {
				w.review = c
			}
		}
		due = e.retries
		e.retries = nil
		if d := r - e.rules.PaymentLag; d >= 0 {
			if c := e.ring[d%len(e.ring)]; c.inUse && c.c == d && c.started && !c.settled {
				due = append(due, c)
			}
		}
	} else {
		due = e.win.next
	}
	e.win = w
	sw, aw := e.task.SubmissionWindow, e.task.AuditWindow
	e.q.push(start+sw+aw, phaseWindowEnd, 0, int32(r), int32(k))
	if w.review != nil {
		e.q.push(start+sw, phaseCloseSubmissions, 0, int32(w.review.c), 0)
	}
	return w, due
}

// scheduleAudit schedules node n's audit action in window w, if it is
// active: at its audit delay into the audit window, which its behaviour
// may choose (model.AuditTimer), else its population draws.
func (e *engine) scheduleAudit(w *window, n *model.Node) {
	if !e.active(n, w.round) {
		return
	}
	aw := e.task.AuditWindow
	e.rs = newStream(e.seed, purposeAuditDelay, n.Key, uint64(w.round), uint64(w.k))
	d, chosen := model.Slot(0), false
	if t, ok := n.Behaviour.(model.AuditTimer); ok {
		d, chosen = t.AuditDelay(n, w.round, aw, &e.rs)
	}
	if !chosen {
		d = n.Pop.AuditDelay.Slots(&e.rs)
	}
	if d < aw {
		e.auditing.add(n.ID, d, 0)
	}
}

// scheduleAudits puts the audit actions that the pass over the nodes
// drew for window w (engine.auditing) in the queue.
func (e *engine) scheduleAudits(w *window) {
	e.auditing.seal(e.task.AuditWindow)
	e.auditing.schedule(e.q, w.start+e.task.SubmissionWindow, phaseAudit, int32(w.round), int32(w.k))
}

// audit runs node's audit action in the open window w.
func (e *engine) audit(w *window, node int32) {
	n := &e.nodes[node]
	if !e.active(n, w.round) {
		return
	}
	e.actions++
	if e.acted != nil {
		e.acted[n.ID] = acted{at: e.actions, win: w.serial}
	}
	v := &e.view
	v.begin(n, w, e.actions, newStream(e.seed, purposeAudit, n.Key, uint64(w.round), uint64(w.k)))
	n.Behaviour.Audit(v)
}

// answer runs the reactions to a trigger that opened reaction_delay slots
// ago (watch_triggers, docs/model.md §3): every node that acted in this
// window before the trigger opened, and is still active, may answer.
func (e *engine) answer(ev event) {
	w := e.win
	t := model.Target{List: ev.b == 1, Index: int(ev.a)}
	tg := e.targetOf(w, t)
	for i := range e.nodes {
		n := &e.nodes[i]
		if a := &e.acted[i]; a.win != w.serial || a.at >= tg.trigger || !e.active(n, w.round) || tg.voted.has(n.ID) {
			continue
		}
		v := &e.view
		v.begin(n, w, e.actions+1, newStream(e.seed, purposeAnswer, n.Key, uint64(w.round), uint64(w.k), uint64(ev.b), uint64(ev.a)))
		n.Behaviour.Answer(v, t)
	}
}

// targetOf returns the ballot of t, or nil for a proof no one has voted
// on yet.
func (e *engine) targetOf(w *window, t model.Target) *target {
	if t.List {
		return &w.lists[t.Index].target
	}
	return w.review.peek(t.Index)
}

// auditView is the model.Audit a behaviour acts through. One value is
// reused for every action, so an action allocates nothing.
type auditView struct {
	e       *engine
	n       *model.Node
	w       *window
	serial  int64
	rnd     Stream
	shared  Stream
	sample  []int
	sampled bool
	trig    []int
}

// begin readies the view for node n; serial orders the act against
// other audit actions (a trigger opened in it is answered by nodes whose
// actions came before).
func (v *auditView) begin(n *model.Node, w *window, serial int64, s Stream) {
	v.n, v.w, v.serial, v.rnd, v.sampled = n, w, serial, s, false
}

func (v *auditView) Node() *model.Node { return v.n }

// Shared returns the stream of (key, this window) that every node asking
// with key gets: the same draws for every member of a coalition.
func (v *auditView) Shared(key uint64) model.Rand {
	v.shared = newStream(v.e.seed, purposeShared, key, uint64(v.w.round), uint64(v.w.k))
	return &v.shared
}
func (v *auditView) Rules() *model.Rules { return v.e.rules }
func (v *auditView) Rand() model.Rand    { return &v.rnd }
func (v *auditView) Round() int          { return v.w.round }

func (v *auditView) Submissions() int {
	if v.w.review == nil {
		return 0
	}
	return len(v.w.review.subs)
}

func (v *auditView) Submitter(i int) *model.Node { return &v.e.nodes[v.w.review.subs[i].node] }

// Sample draws the node's audit sample (docs/model.md §3), uniform without
// replacement: under audit_sampling koii, audit_sample of all the
// cycle's proofs with its own then skipped; under others, audit_sample
// of the others' proofs; or all of them.
func (v *auditView) Sample() []int {
	if v.sampled {
		return v.sample
	}
	v.sampled = true
	v.sample = v.sample[:0]
	m := v.Submissions()
	if m == 0 {
		return v.sample
	}
	own := v.w.review.submissionOf(v.n.ID)
	if v.e.rules.AuditSampling == model.SampleKoii {
		v.sample = sampleKoii(&v.rnd, m, own, v.e.rules.AuditSample, v.sample)
	} else {
		v.sample = sampleOthers(&v.rnd, m, own, v.e.rules.AuditSample, v.sample)
	}
	return v.sample
}

// Check audits submission i: it costs audit_cost, and the node judges an
// invalid proof invalid with probability detection and a valid proof
// invalid with probability false_alarm (docs/model.md §3).
func (v *auditView) Check(i int) bool {
	e := v.e
	c := v.w.review
	counts := e.tally(v.n.ID, c)
	counts.applyClass(func(k *Counters) { k.Audits++; k.AuditCost += e.costs.AuditCost })
	e.audits[v.n.ID]++ // the node's side of the tally, folded in by nodeStats
	if !c.invalid.has(i) {
		return !(e.rules.FalseAlarm > 0 && v.rnd.Float64() < e.rules.FalseAlarm)
	}
	return e.rules.Detection < 1 && v.rnd.Float64() >= e.rules.Detection
}

func (v *auditView) Lists() int                    { return len(v.w.lists) }
func (v *auditView) ListBuilder(i int) *model.Node { return &v.e.nodes[v.w.lists[i].builder] }
func (v *auditView) List(i int) *model.List        { return v.w.lists[i].list }

// CheckList compares list i with its cycle's correct list, which was
// computed once when the cycle's review closed.
func (v *auditView) CheckList(i int) bool {
	a := v.w.lists[i]
	return a.list.Equal(a.cyc.correct)
}

func (v *auditView) Triggered(t model.Target) bool {
	tg := v.e.targetOf(v.w, t)
	return tg != nil && tg.Triggered
}

func (v *auditView) Voted(t model.Target) bool {
	tg := v.e.targetOf(v.w, t)
	return tg != nil && tg.voted.has(v.n.ID)
}

func (v *auditView) TriggeredSubmissions() []int {
	v.trig = v.trig[:0]
	if v.w.review == nil {
		return v.trig
	}
	for i := range v.w.review.targets {
		if tg := &v.w.review.targets[i]; tg.Triggered {
			v.trig = append(v.trig, int(tg.sub))
		}
	}
	return v.trig
}

// Vote casts the node's vote under the chain's rules (docs/model.md §3):
// never on its own proof or list, once per target, true only on an open
// trigger, paid with tx_fee. The first false vote opens the trigger and,
// with watch_triggers, schedules the answers of nodes that already acted.
func (v *auditView) Vote(t model.Target, valid bool) bool {
	e := v.e
	var owner int32
	var c *cycle
	if t.List {
		owner, c = v.w.lists[t.Index].builder, v.w.lists[t.Index].cyc
	} else {
		owner, c = v.w.review.subs[t.Index].node, v.w.review
	}
	if owner == v.n.ID || v.Voted(t) || valid && !v.Triggered(t) || !e.warmedUp(v.n.ID) {
		return false
	}
	tg := e.targetOf(v.w, t)
	if tg == nil {
		tg = c.open(t.Index)
	}
	if !e.ledger.Fee(v.n, e.costs.TxFee) {
		return false
	}
	weight := e.voteWeight(v.n)
	opened := !tg.Triggered
	now := e.q.now
	tg.Accept(v.n.ID, valid, weight, now)
	tg.voted.set(v.n.ID)
	e.feePaid(v.n.ID, c)
	counts := e.tally(v.n.ID, c)
	if t.List {
		e.trace(TraceEvent{Kind: TraceListVote, Cycle: c.c, Node: v.n.ID, Target: owner, List: true, Value: b2i(valid)})
	} else {
		e.trace(TraceEvent{Kind: TraceVote, Cycle: c.c, Node: v.n.ID, Target: owner, Value: b2i(valid)})
	}
	if opened {
		e.trace(TraceEvent{Kind: TraceTrigger, Cycle: c.c, Node: v.n.ID, Target: owner, List: t.List})
	}
	switch {
	case t.List && valid:
		counts.apply(func(k *Counters) { k.ListVotesTrue++ })
	case t.List:
		counts.apply(func(k *Counters) { k.ListVotesFalse++ })
	case valid:
		counts.apply(func(k *Counters) { k.VotesTrue++ })
	default:
		counts.apply(func(k *Counters) { k.VotesFalse++ })
	}
	if opened {
		tg.trigger = v.serial
		if e.rules.WatchTriggers {
			at := now + e.rules.ReactionDelay
			if at < v.w.start+e.task.SubmissionWindow+e.task.AuditWindow {
				isList := int32(0)
				if t.List {
					isList = 1
				}
				e.q.push(at, phaseAnswer, 0, int32(t.Index), isList)
			}
		}
	}
	return true
}

// warmedUp reports whether node id has been staked vote_warmup rounds,
// so that it may vote and build lists (docs/model.md §3).
func (e *engine) warmedUp(id int32) bool {
	return e.round >= e.nodes[id].Pop.Join+e.rules.VoteWarmup
}

// voteWeight is what node n's vote weighs now (docs/model.md §4): 1, its
// stake, or under stake_age floor(stake * min(age, cap) / cap), where age
// counts the rounds it has been staked, this one included. Dividing by
// the cap keeps the weight at most the stake, so ballots cannot overflow.
func (e *engine) voteWeight(n *model.Node) model.ROE {
	switch e.rules.VoteWeight {
	case model.WeightStake:
		return n.Stake
	case model.WeightStakeAge:
		age := min(e.round-n.Pop.Join+1, e.rules.StakeAgeCap)
		return model.MulDiv(n.Stake, model.ROE(age), model.ROE(e.rules.StakeAgeCap))
	}
	return 1
}

// sampleKoii appends to out the audit sample of Koii's task wrapper: k
// distinct indices drawn uniformly from all of [0, m), own included (own
// < 0: none), by Floyd's algorithm, with own then dropped; k ==
// model.SampleAll or k >= m takes all but own. So an auditor with a proof
// in the cycle checks k-1 or k others, each with probability k/m.
func sampleKoii(r *Stream, m, own, k int, out []int) []int {
	if k == model.SampleAll || k >= m {
		return allBut(m, own, out)
	}
	base := len(out)
	out = floyd(r, m, k, out)
	for i := base; i < len(out); i++ {
		if out[i] == own {
			return append(out[:i], out[i+1:]...)
		}
	}
	return out
}

// allBut appends every index of [0, m) but own (own < 0: none).
func allBut(m, own int, out []int) []int {
	for i := 0; i < m; i++ {
		if i != own {
			out = append(out, i)
		}
	}
	return out
}

// floyd appends k distinct indices drawn uniformly from [0, m), 0 < k <
// m, by Floyd's algorithm: k draws, whatever k and m.
func floyd(r *Stream, m, k int, out []int) []int {
	base := len(out)
	for j := m - k; j < m; j++ {
		t := r.IntN(j + 1)
		for _, x := range out[base:] {
			if x == t {
				t = j
				break
			}
		}
		out = append(out, t)
	}
	return out
}

// sampleOthers appends to out k distinct indices drawn uniformly from
// [0, m) without own (own < 0: none), by Floyd's algorithm over the m-1
// others; k == model.SampleAll or k >= the others' count takes all.
func sampleOthers(r *Stream, m, own, k int, out []int) []int {
	others := m
	if own >= 0 {
		others--
	}
	if k == model.SampleAll || k >= others {
		return allBut(m, own, out)
	}
	base := len(out)
	out = floyd(r, others, k, out)
	if own >= 0 { // map [0, others) onto [0, m) \ {own}
		for i := base; i < len(out); i++ {
			if out[i] >= own {
				out[i]++
			}
		}
	}
	return out
}
