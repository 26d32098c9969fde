package model

// Lazy is the verifier's dilemma made a node (docs/model.md §6): checking
// costs audit_cost and usually finds nothing, so it checks only a share
// check of its sample. For the rest it votes without looking: true on
// every open trigger (approve: true), or not at all (approve: false).
// It works honestly and builds the correct list.
type Lazy struct {
	check   float64
	approve bool
}

// Rational audits each submission of its sample with probability audit,
// paying audit_cost for each check, and votes honestly on what it
// checked; it leaves the rest alone. It is the auditor of the inspection
// game and the volunteer's dilemma, with the audit probability as the
// strategy.
type Rational struct {
	audit float64
}

func init() {
	Register(Kind{
		Name:   "lazy",
		Doc:    "A lazy auditor: checks only a share of its sample and votes on the rest without looking (approving every open trigger, or silent).",
		Ranged: true,
		Params: []ParamSpec{
			{Name: "check", Kind: ParamProb, Default: 0.0, Doc: "share of its sampled submissions (and of lists) it really checks"},
			{Name: "approve", Kind: ParamBool, Default: true, Doc: "true: votes true on every open trigger it did not check; false: stays silent on them"},
		},
		New: func(p Params, _ *Population) func(*Node) Behaviour {
			l := &Lazy{check: p.Float("check"), approve: p.Bool("approve")}
			return func(*Node) Behaviour { return l }
		},
	})
	Register(Kind{
		Name:   "rational",
		Doc:    "A rational auditor: audits each sampled submission with probability audit, paying audit_cost per check.",
		Ranged: true,
		Params: []ParamSpec{
			{Name: "audit", Kind: ParamProb, Default: 0.5, Doc: "probability it audits each submission of its sample"},
		},
		New: func(p Params, _ *Population) func(*Node) Behaviour {
			r := &Rational{audit: p.Float("audit")}
			return func(*Node) Behaviour { return r }
		},
	})
}

func (*Lazy) Online(*Node, int, Rand) bool         { return true }
func (*Lazy) Work(n *Node, c int, r Rand) Work     { return Honest{}.Work(n, c, r) }
func (*Lazy) BuildList(b Builder) *List            { return b.Correct() }
func (l *Lazy) Answer(a Audit, t Target)           { l.review(a, t) }
func (*Rational) Online(*Node, int, Rand) bool     { return true }
func (*Rational) Work(n *Node, c int, r Rand) Work { return Honest{}.Work(n, c, r) }
func (*Rational) BuildList(b Builder) *List        { return b.Correct() }
func (*Rational) Answer(a Audit, t Target)         { ReviewHonestly(a, t) }

// Audit reviews the sample and the lists, each checked with probability
// check and otherwise voted on blindly.
func (l *Lazy) Audit(a Audit) {
	for _, i := range a.Sample() {
		l.review(a, Target{Index: i})
	}
	for i := 0; i < a.Lists(); i++ {
		l.review(a, Target{List: true, Index: i})
	}
}

func (l *Lazy) review(a Audit, t Target) {
	if l.check > 0 && a.Rand().Float64() < l.check {
		ReviewHonestly(a, t)
		return
	}
	if l.approve && a.Triggered(t) && !a.Voted(t) {
		a.Vote(t, true)
	}
}

// Audit checks each sampled submission with probability audit, and
// every list (a list check costs nothing: the node has its own list).
func (r *Rational) Audit(a Audit) {
	for _, i := range a.Sample() {
		if a.Rand().Float64() < r.audit {
			ReviewHonestly(a, Target{Index: i})
		}
	}
	for i := 0; i < a.Lists(); i++ {
		ReviewHonestly(a, Target{List: true, Index: i})
	}
}
