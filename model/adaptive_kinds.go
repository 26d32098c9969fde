package model

// AdaptiveAuditor is the inspection game's auditor that learns
// (docs/model.md §13): in each cycle it either checks its whole audit
// sample, honestly, or skips it, drawing the choice with its audit
// probability, and it moves that probability by EXP3 on its own payoff
// of the cycle (audit costs and fees against voter income and the
// fraud_loss it suffers when an invalid proof is paid). It reviews every
// list, works honestly when it is a worker and builds the correct list.
type AdaptiveAuditor struct {
	exp3
}

// AdaptiveCheat is the inspection game's cheat that learns: in each
// cycle it submits an invalid proof for free with its cheat probability
// and otherwise works honestly, and it moves that probability by EXP3 on
// its payoff of the cycle (reward, slash, work cost and fees). It checks
// no one's proofs, reviews lists honestly and builds the correct list.
type AdaptiveCheat struct {
	exp3
}

func init() {
	Register(Kind{
		Name:     "adaptive-auditor",
		Doc:      "An auditor that learns its audit probability from its own payoffs (EXP3 with discounting, docs/model.md §13): each cycle it checks its whole sample or none of it.",
		Params:   learnParams(0.5, "audit probability it starts from"),
		Validate: validateLearn,
		New: func(p Params, _ *Population) func(*Node) Behaviour {
			return func(*Node) Behaviour { return &AdaptiveAuditor{newExp3(p)} }
		},
	})
	Register(Kind{
		Name:     "adaptive-cheat",
		Doc:      "A worker that learns how often to cheat from its own payoffs (EXP3 with discounting, docs/model.md §13): each cycle it submits a free invalid proof or does the work.",
		Params:   learnParams(0.5, "cheat probability it starts from"),
		Validate: validateLearn,
		New: func(p Params, _ *Population) func(*Node) Behaviour {
			return func(*Node) Behaviour { return &AdaptiveCheat{newExp3(p)} }
		},
	})
}

func (*AdaptiveAuditor) Online(*Node, int, Rand) bool     { return true }
func (*AdaptiveAuditor) Work(n *Node, c int, r Rand) Work { return Honest{}.Work(n, c, r) }
func (*AdaptiveAuditor) BuildList(b Builder) *List        { return b.Correct() }

// Audit draws whether to check the sample of the cycle under review
// (the one that worked in the previous round) and reviews every list.
// An empty sample is no decision: nothing is learned from that cycle.
func (a *AdaptiveAuditor) Audit(v Audit) {
	if v.Submissions() > 0 && len(v.Sample()) > 0 && a.draw(v.Round()-1, v.Rand()) {
		for _, i := range v.Sample() {
			ReviewHonestly(v, Target{Index: i})
		}
	}
	for i := 0; i < v.Lists(); i++ {
		ReviewHonestly(v, Target{List: true, Index: i})
	}
}

// Answer reviews a list, or a proof when it chose to audit this cycle.
func (a *AdaptiveAuditor) Answer(v Audit, t Target) {
	if t.List || a.auditing(v.Round()-1) {
		ReviewHonestly(v, t)
	}
}

func (a *AdaptiveAuditor) auditing(c int) bool {
	one, ok := a.armOf(c)
	return ok && one
}

// Payoff learns from cycle c.
func (a *AdaptiveAuditor) Payoff(_ *Node, c int, p Payoff, _ Rand) { a.learn(c, p) }

// Mixed reports the audit probability.
func (a *AdaptiveAuditor) Mixed() (Strategy, float64) { return StrategyAudit, a.p }

func (*AdaptiveCheat) Online(*Node, int, Rand) bool { return true }

// Audit reviews the lists only: a cheat polices no one's proofs, so the
// inspection game's checks are the auditors' alone.
func (*AdaptiveCheat) Audit(v Audit) {
	for i := 0; i < v.Lists(); i++ {
		ReviewHonestly(v, Target{List: true, Index: i})
	}
}

// Answer reviews a list whose trigger opened after it acted.
func (*AdaptiveCheat) Answer(v Audit, t Target) {
	if t.List {
		ReviewHonestly(v, t)
	}
}
func (*AdaptiveCheat) BuildList(b Builder) *List { return b.Correct() }

// Work cheats in cycle c with the cheat probability: an invalid proof
// costs no work.
func (a *AdaptiveCheat) Work(_ *Node, c int, r Rand) Work {
	if a.draw(c, r) {
		return Work{Outcome: Invalid}
	}
	return Work{Outcome: Valid, Worked: true}
}

// Payoff learns from cycle c.
func (a *AdaptiveCheat) Payoff(_ *Node, c int, p Payoff, _ Rand) { a.learn(c, p) }

// Mixed reports the cheat probability.
func (a *AdaptiveCheat) Mixed() (Strategy, float64) { return StrategyCheat, a.p }
