package model

// Honest is the Koii node as the task template and namespace wrapper
// write it (docs/model.md §3): it always works and submits a valid proof,
// audits its sample (and, under triggered_review: all, every open
// trigger), votes false on what it finds invalid and true only on open
// triggers, and builds the correct list when chosen.
type Honest struct{}

func init() {
	Register(Kind{
		Name:   "honest",
		Honest: true,
		Doc:    "Works, submits valid proofs, audits by the rules and builds the correct list.",
		New: func(Params, *Population) func(*Node) Behaviour {
			return func(*Node) Behaviour { return Honest{} }
		},
	})
}

// Online is always true: an honest node is always there.
func (Honest) Online(*Node, int, Rand) bool { return true }

// Work is always valid work.
func (Honest) Work(*Node, int, Rand) Work { return Work{Outcome: Valid, Worked: true} }

// Audit reviews the node's sample, then the open triggers when the rules
// say so, then every list (docs/model.md §3).
func (Honest) Audit(a Audit) { AuditHonestly(a) }

// Answer reviews a target whose trigger opened after the node acted
// (watch_triggers).
func (Honest) Answer(a Audit, t Target) { ReviewHonestly(a, t) }

// BuildList submits the correct list.
func (Honest) BuildList(b Builder) *List { return b.Correct() }

// AuditHonestly is the honest audit action, for behaviours that are
// honest auditors in part.
func AuditHonestly(a Audit) {
	for _, i := range a.Sample() {
		ReviewHonestly(a, Target{Index: i})
	}
	if a.Rules().TriggeredReview == ReviewAll {
		for _, i := range a.TriggeredSubmissions() {
			ReviewHonestly(a, Target{Index: i})
		}
	}
	for i := 0; i < a.Lists(); i++ {
		ReviewHonestly(a, Target{List: true, Index: i})
	}
}

// ReviewHonestly checks one target and votes by the wrapper's rule: false
// when the check fails, true when it passes and a trigger is open, and
// nothing otherwise. A target already voted on is skipped.
func ReviewHonestly(a Audit, t Target) {
	if a.Voted(t) {
		return
	}
	var ok bool
	if t.List {
		ok = a.CheckList(t.Index)
	} else {
		ok = a.Check(t.Index)
	}
	if !ok {
		a.Vote(t, false)
	} else if a.Triggered(t) {
		a.Vote(t, true)
	}
}
