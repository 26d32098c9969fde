package model

// Faulty is an honest node with bugs and a bad connection (docs/model.md
// §6). In each cycle its work is invalid with probability invalid (it
// did the work, so it pays work_cost), and a list it builds is wrong with
// the same probability. It is offline a fraction offline of the rounds:
// independently each round, or, with offline_mean > 0, in bursts of that
// mean length (a two-state on/off Markov chain whose stationary offline
// share is offline). Each round it crashes for good with probability
// crash. Slow submitters are the population's submit_delay, whose tail
// past the window makes proofs late.
type Faulty struct {
	invalid, offline, crash float64
	// Burst chain: P(on -> off) and P(off -> on) per round.
	goOff, goOn float64
	bursts      bool
}

// faultyNode is one faulty node's state: its burst chain and whether it
// has crashed.
type faultyNode struct {
	*Faulty
	started, off, crashed bool
}

func init() {
	Register(Kind{
		Name:   "faulty",
		Doc:    "An honest node with a bug rate, an unreliable connection (offline rounds, in bursts if offline_mean is set) and a chance to crash for good.",
		Ranged: true,
		Params: []ParamSpec{
			{Name: "invalid", Kind: ParamProb, Default: 0.1, Doc: "probability its work in a cycle (and a list it builds) is invalid"},
			{Name: "offline", Kind: ParamProb, Default: 0.0, Doc: "share of rounds it is offline for"},
			{Name: "offline_mean", Kind: ParamFloat, Default: 0.0, Doc: "mean length in rounds of an offline burst; 0: each round independent"},
			{Name: "crash", Kind: ParamProb, Default: 0.0, Doc: "probability per round that it crashes and never comes back"},
		},
		Validate: func(p Params, path string, probs *Problems) {
			if m := p.Float("offline_mean"); m != 0 && m < 1 {
				probs.Addf(path+".offline_mean", "must be 0 or at least 1 round, got %v", m)
			}
			if p.Float("offline_mean") >= 1 && p.Float("offline") >= 1 {
				probs.Addf(path+".offline", "must be below 1 with offline_mean: a node never online has no bursts")
			}
		},
		New: func(p Params, _ *Population) func(*Node) Behaviour {
			f := &Faulty{invalid: p.Float("invalid"), offline: p.Float("offline"), crash: p.Float("crash")}
			if m := p.Float("offline_mean"); m >= 1 && f.offline > 0 {
				// Mean burst 1/goOn; stationary share goOff/(goOff+goOn) = offline.
				f.bursts = true
				f.goOn = 1 / m
				f.goOff = f.offline * f.goOn / (1 - f.offline)
			}
			return func(*Node) Behaviour { return &faultyNode{Faulty: f} }
		},
	})
}

// Online draws this round's state: crashed nodes stay down; otherwise the
// node is offline independently with probability offline, or by its
// burst chain (started in its stationary state).
func (f *faultyNode) Online(_ *Node, _ int, r Rand) bool {
	if f.crashed {
		return false
	}
	if f.crash > 0 && r.Float64() < f.crash {
		f.crashed = true
		return false
	}
	switch {
	case f.bursts && !f.started:
		f.started = true
		f.off = r.Float64() < f.offline
	case f.bursts && f.off:
		f.off = r.Float64() >= f.goOn
	case f.bursts:
		f.off = r.Float64() < f.goOff
	default:
		return f.offline == 0 || r.Float64() >= f.offline
	}
	return !f.off
}

// Work is invalid with probability invalid.
func (f *Faulty) Work(_ *Node, _ int, r Rand) Work {
	if f.invalid > 0 && r.Float64() < f.invalid {
		return Work{Outcome: Invalid, Worked: true}
	}
	return Work{Outcome: Valid, Worked: true}
}

// Audit is honest: a bug in its own work does not make it a bad auditor.
func (f *Faulty) Audit(a Audit) { AuditHonestly(a) }

// Answer is honest.
func (f *Faulty) Answer(a Audit, t Target) { ReviewHonestly(a, t) }

// BuildList builds the correct list, or with probability invalid a list
// that leaves out its first reward: a bug the honest auditors catch.
func (f *Faulty) BuildList(b Builder) *List {
	c := b.Correct()
	if f.invalid == 0 || b.Rand().Float64() >= f.invalid {
		return c
	}
	return Corrupt(c)
}

// Corrupt returns a copy of l without its first positive entry: a wrong
// list the chain itself accepts (its total only shrinks). A list with no
// entries cannot be made wrong without naming a node that did not
// submit, so it comes back equal.
func Corrupt(l *List) *List {
	w := &List{Cycle: l.Cycle, Entries: make([]Entry, 0, len(l.Entries))}
	dropped := false
	for _, e := range l.Entries {
		if !dropped && e.Amount > 0 {
			dropped = true
			continue
		}
		w.Entries = append(w.Entries, e)
	}
	if !dropped { // nothing to leave out: pay nobody an extra ROE instead
		w.Entries = append(w.Entries[:0:0], l.Entries...)
		if len(w.Entries) > 0 {
			w.Entries[0].Amount--
		}
	}
	w.Seal()
	return w
}
