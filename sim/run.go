package sim

import (
	"fmt"
	"strconv"

	"github.com/koiisim/koiisim/model"
)

// run drains the event queue, one event at a time, in (slot, phase,
// sequence) order. A batch event (a slot's proofs or audit actions, see
// batch) runs its actions one at a time, each counted as an event.
func (e *engine) run() {
	e.q.push(0, phaseRoundStart, 0, 0, 0)
	for e.err == nil {
		ev, ok := e.q.pop()
		if !ok {
			break
		}
		e.dispatch(ev)
	}
	if e.err == nil && e.inFlight != 0 {
		panic("sim: event queue empty with cycles in flight")
	}
	if e.err == nil {
		e.err = e.ledger.Check(e.nodes, e.round)
	}
}

// count counts one event and reports whether it may run: false, with
// the run's error set, once the run's event limit is passed.
func (e *engine) count() bool {
	e.events++
	if e.events > e.opt.MaxEvents {
		e.err = fmt.Errorf("%w: more than %d events (the run's event limit) by round %d; lower rounds or the node counts", ErrLimit, e.opt.MaxEvents, e.round)
		return false
	}
	return true
}

// runBatch runs the actions of one slot of a batch, in order, each an
// event, warming each warmBatch of them before they run; it stops at
// the run's error.
func (e *engine) runBatch(acts []action, p phase, act func(action)) {
	for i, a := range acts {
		if e.err != nil || !e.count() {
			return
		}
		if warmBatch > 0 && i%warmBatch == 0 {
			e.warm(acts[i:min(len(acts), i+warmBatch)], p)
		}
		act(a)
	}
}

// warmBatch is how many actions engine.warm loads ahead: enough to keep
// many cache misses in flight at once, few enough that what it loads is
// still in cache when its actions run (16 measured best of 8, 16, 32
// and 64 at 101,000 nodes). 0 turns warming off, for the test that it
// changes nothing.
var warmBatch = 16

// warm loads, before they run, the per-node records that the actions
// acts of phase p will touch. An action at a random node misses cache
// on its node's records; the loads here are independent of each other,
// so the processor overlaps their misses instead of waiting for one per
// action. It changes no state but warmth, which keeps the loads from
// being optimised away: a run's results are the same without it
// (TestWarmChangesNothing).
func (e *engine) warm(acts []action, p phase) {
	x := e.warmth
	if p == phaseSubmit { // a landing touches only the node (closeSubmissions books the rest)
		for _, a := range acts {
			x += uint64(e.nodes[a.node].Stake)
		}
		e.warmth = x
		return
	}
	var review []int32
	if e.win != nil && e.win.review != nil {
		review = e.win.review.index
	}
	for _, a := range acts {
		x += uint64(e.nodes[a.node].Stake) + uint64(e.audits[a.node])
		if review != nil {
			x += uint64(review[a.node])
		}
	}
	e.warmth = x
}

// dispatch runs one event by its phase, counting it (a batch event
// counts as its actions, each one event).
func (e *engine) dispatch(ev event) {
	switch ev.phase {
	case phaseSubmit:
		c := e.cycle(int(ev.a))
		e.runBatch(e.landings[c.c%2].at(int(ev.node)), phaseSubmit, func(a action) { e.submit(c, a) })
		return
	case phaseAudit:
		w := e.win
		if int(ev.a) != w.round || int(ev.b) != w.k {
			panic("sim: audit event for a window that is not open")
		}
		e.runBatch(e.auditing.at(int(ev.node)), phaseAudit, func(a action) { e.audit(w, a.node) })
		return
	}
	if !e.count() {
		return
	}
	switch ev.phase {
	case phaseRoundStart:
		e.roundStart(int(ev.a))
	case phaseCloseSubmissions:
		e.closeSubmissions(e.cycle(int(ev.a)))
	case phaseAnswer:
		e.answer(ev)
	case phaseListSubmit:
		e.listSubmit(ev)
	case phaseWindowEnd:
		e.windowEnd(int(ev.a), int(ev.b))
	default:
		panic("sim: unknown event phase " + ev.phase.String())
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// Result is what a run reports (docs/model.md §9): totals per class, each
// node's figures and final accounts, and the ledger at the end.
type Result struct {
	Seed          uint64
	Rounds        int // rounds in which cycles could start (Options.Rounds)
	LastRound     int // the round the run ended in
	CyclesStarted int // cycles that started (the bounty may end the task early)
	PaidCycles    int // cycles paid by an accepted list
	UnpaidCycles  int // started cycles that went unpaid
	WrongLists    int // paid cycles whose accepted list was not the correct one
	BountyPaid    model.ROE
	EndReason     string // "rounds" or "bounty" (the pool could not fund another cycle)
	Events        int64
	Slots         model.Slot

	Classes []string   // class names, in order of first appearance in the scenario
	Honest  []bool     // by class: every node of it has an honest kind (model.Kind.Honest)
	Totals  []Counters // by class; Stake is the class's final stake
	Nodes   []NodeResult
	Ledger  model.Terms // the accounts at the end
	Delays  *Delays     // the reward delays; nil unless Options.OnRound was set
}

// NodeResult is one node at the end of a run.
type NodeResult struct {
	ID          int32
	Population  string
	Class       int
	Role        model.Role
	Behaviour   string
	Stake       model.ROE
	Balance     model.ROE
	Pending     model.ROE
	Claimable   model.ROE
	VoterReward model.ROE
	// NetPV is the node's net profit discounted at costs.discount_rate to
	// its join round (docs/model.md §7), in ROE as a float; without a
	// discount rate, its net profit.
	NetPV float64
	NodeStats
}

// Total returns the sum of the class totals (Stake: total final stake).
func (r *Result) Total() Counters {
	var t Counters
	var stake model.ROE
	for i := range r.Totals {
		t.Add(&r.Totals[i])
		stake += r.Totals[i].Stake
	}
	t.Stake = stake
	return t
}

func (e *engine) result() *Result {
	r := &Result{
		Seed: e.seed, Rounds: e.opt.Rounds, LastRound: e.round, CyclesStarted: e.cyclesRun,
		PaidCycles: e.paid, UnpaidCycles: e.unpaid, WrongLists: e.wrong, BountyPaid: e.bounty,
		EndReason: e.endReason, Events: e.events, Slots: e.q.now,
		Classes: e.classes, Honest: e.cfg.HonestClasses(), Totals: e.totals, Ledger: e.ledger.Terms(e.nodes), Delays: e.hist.delays(),
	}
	for i := range r.Totals {
		r.Totals[i].Stake = 0
	}
	r.Nodes = make([]NodeResult, len(e.nodes))
	for i := range e.nodes {
		n := &e.nodes[i]
		st := e.nodeStats(i)
		st.Stake = n.Stake
		r.Totals[n.Class].Stake += n.Stake
		r.Nodes[i] = NodeResult{
			ID: n.ID, Population: n.Pop.Name, Class: n.Class, Role: n.Pop.Role, Behaviour: n.Pop.Behaviour.Kind,
			Stake: n.Stake, Balance: n.Balance, Pending: n.Pending, Claimable: n.Claimable, VoterReward: n.VoterReward,
			NetPV: float64(st.NetProfit()), NodeStats: st,
		}
		if e.pv != nil {
			r.Nodes[i].NetPV = e.pv.value[i]
		}
	}
	// The running class stakes, which the rows of every cycle carry,
	// against the sum over the nodes.
	for i := range r.Totals {
		if r.Totals[i].Stake != e.classStake[i] {
			panic(fmt.Sprintf("sim: class %s holds %d ROE of stake, but its running total says %d", e.classes[i], r.Totals[i].Stake, e.classStake[i]))
		}
	}
	return r
}
