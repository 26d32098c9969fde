// Package sim runs the protocol of package model through time and
// chance: a discrete-event engine at slot resolution.
//
// Time is an integer slot. Events wait in a bucket queue and run in
// (slot, phase, sequence) order, so two events at one slot always run in
// the same order; the phase order is part of the model (an audit window
// settles before the next round starts; a submission window closes
// before the first audit at its last slot; an audit acts before the
// answers to the triggers it opens). The proofs of a cycle and the audit
// actions of a window, nearly all of a run's events, are scheduled as
// batches sorted by slot, one queue event per slot, in the order their
// own events would have run (batch.go).
//
// Chance is counter-based: every draw comes from a Stream named by
// (seed, purpose, node key, round, …), so a run is a pure function of
// (config, seed), and adding a node or a draw never shifts another's.
//
// The cycle pipeline of docs/model.md §3 is laid over rounds: at the start
// of round r, cycle r works, cycle r-1 is reviewed (its proofs land in
// the submission window, then every node audits at its own slot) and
// cycle r-L is distributed, L = payment_lag (2 under the koii rules): its
// correct list is computed once from the closed ballots and the live
// stake, a chosen node sends its list in the same submission window and
// every node audits it. When the audit window closes, cycle r-L's list is
// paid or retried. Settled cycles stream out in order through
// Options.OnCycle, so memory does not grow with the number of rounds: it
// grows with L, the cycles in flight.
//
// Run is the entry point; see its Example.
package sim
