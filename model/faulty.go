package model

// Faulty is an honest node with bugs and a bad connection (PROTOCOL.md
// §6): in each cycle its work is invalid with probability invalid (it did
// the work, so it pays work_cost); in each round it is offline with
// probability offline; a list it builds is wrong with probability
// invalid. Slow submitters are modelled by the population's
// submit_delay, whose tail past the window makes proofs late.
type Faulty struct {
	invalid, offline float64
}

func init() {
	Register(&Kind{
		Name: "faulty",
		Doc:  "An honest node with a bug rate and an unreliable connection.",
		Params: []ParamSpec{
			{Name: "invalid", Kind: ParamProb, Default: 0.1, Doc: "probability its work in a cycle (and a list it builds) is invalid"},
			{Name: "offline", Kind: ParamProb, Default: 0.0, Doc: "probability it is offline for a whole round"},
		},
		New: func(p Params, _ *Population) func(*Node) Behaviour {
			f := &Faulty{invalid: p.Float("invalid"), offline: p.Float("offline")}
			return func(*Node) Behaviour { return f }
		},
	})
}

// Online is false with probability offline, drawn afresh each round.
func (f *Faulty) Online(_ *Node, _ int, r Rand) bool {
	return f.offline == 0 || r.Float64() >= f.offline
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
