package model

import (
	"fmt"
	"sort"
)

// Whale is a coalition (docs/model.md §6): one purse of stake split over
// its sybil nodes, which act together. The coalition is the nodes' class,
// so several populations may form one coalition and a scenario may hold
// several coalitions.
//
// Its nodes submit invalid (free) work with probability invalid; never
// raise a trigger against a member and vote true when a member is
// accused (defend); falsely accuse accuse non-member submissions per
// cycle, the same ones for every member, in the first or the last slot
// of the audit window (accuse_late, lead); when chosen to build a list, send
// one that pays the coalition the whole bounty and slashes hijack_slash
// honest submitters (hijack); vote to reject every list a non-member
// built (reject_lists); and grind selection with grind proof variants.
// Joining, attacking for a while and leaving (hit-and-run) is the
// population's join and stop with the behaviour's from and until.
type Whale struct {
	invalid     float64
	purse       ROE
	count       int
	defend      bool
	accuse      int
	late        bool
	lead        int
	hijack      bool
	hijackSlash int
	rejectLists bool
	grind       int
}

// Griefer gains nothing and spends fees to hurt others (docs/model.md §6):
// it submits no work, falsely accuses accuse submissions per cycle (the
// same ones for every griefer of its class), timed early or late, and
// with grief_lists votes against every list.
type Griefer struct {
	accuse     int
	late       bool
	lead       int
	griefLists bool
}

func init() {
	Register(Kind{
		Name:     "whale",
		Doc:      "A coalition of sybil nodes sharing one purse: invalid work, mutual defence, coordinated false accusations, hijacked lists, list rejection, selection grinding.",
		Attacker: true,
		Ranged:   true,
		Params: []ParamSpec{
			{Name: "invalid", Kind: ParamProb, Default: 1.0, Doc: "probability a member's work in a cycle is invalid (and free: no work_cost)"},
			{Name: "purse", Kind: ParamAmount, Default: ROE(0), Doc: "KOII split equally over the population's nodes as their stake (remainder to the first); 0: draw each from stake"},
			{Name: "defend", Kind: ParamBool, Default: true, Doc: "vote true on every member's proof or list that is accused"},
			{Name: "accuse", Kind: ParamInt, Default: 0, Doc: "non-member submissions each member falsely accuses per cycle (the same ones for all members)"},
			{Name: "accuse_late", Kind: ParamBool, Default: true, Doc: "with accuse > 0: act late in the audit window (true) or in its first slot (false)"},
			{Name: "lead", Kind: ParamInt, Default: 1, Doc: "with accuse_late: act this many slots before the audit window ends (1: its last slot)"},
			{Name: "hijack", Kind: ParamBool, Default: false, Doc: "when chosen to build a list, pay the bounty to the coalition's submitters instead"},
			{Name: "hijack_slash", Kind: ParamInt, Default: 0, Doc: "with hijack: honest submitters the forged list slashes"},
			{Name: "reject_lists", Kind: ParamBool, Default: false, Doc: "vote false on every list a non-member built"},
			{Name: GrindParam, Kind: ParamInt, Default: 0, Doc: fmt.Sprintf("extra proof variants ground for list-builder selection (selection: koii), at most %d", MaxGrind)},
		},
		Validate: func(p Params, path string, probs *Problems) {
			validateLead(p, path, probs)
			if g := p.Int(GrindParam); g > MaxGrind {
				probs.Addf(path+"."+GrindParam, "must be at most %d (MaxGrind), got %d", MaxGrind, g)
			}
		},
		New: func(p Params, pop *Population) func(*Node) Behaviour {
			w := &Whale{
				invalid: p.Float("invalid"), purse: p.Amount("purse"), count: pop.Count,
				defend: p.Bool("defend"), accuse: p.Int("accuse"), late: p.Bool("accuse_late"), lead: p.Int("lead"),
				hijack: p.Bool("hijack"), hijackSlash: p.Int("hijack_slash"),
				rejectLists: p.Bool("reject_lists"), grind: p.Int(GrindParam),
			}
			return func(*Node) Behaviour { return w }
		},
	})
	Register(Kind{
		Name:     "griefer",
		Doc:      "A false accuser: no work, fees spent on false votes against honest proofs (and lists) to get them slashed or rejected.",
		Attacker: true,
		Ranged:   true,
		Params: []ParamSpec{
			{Name: "accuse", Kind: ParamInt, Default: 5, Doc: "submissions each griefer falsely accuses per cycle (the same ones for all griefers of its class)"},
			{Name: "accuse_late", Kind: ParamBool, Default: true, Doc: "act late in the audit window (true) or in its first slot (false)"},
			{Name: "lead", Kind: ParamInt, Default: 1, Doc: "with accuse_late: act this many slots before the audit window ends (1: its last slot)"},
			{Name: "grief_lists", Kind: ParamBool, Default: false, Doc: "vote false on every list"},
		},
		Validate: validateLead,
		New: func(p Params, _ *Population) func(*Node) Behaviour {
			g := &Griefer{accuse: p.Int("accuse"), late: p.Bool("accuse_late"), lead: p.Int("lead"), griefLists: p.Bool("grief_lists")}
			return func(*Node) Behaviour { return g }
		},
	})
}

// Limits of selection grinding: each variant is a score draw when a
// builder is selected, so the work of a cycle grows with the grinders
// times their grind.
const (
	GrindParam       = "grind" // the behaviour parameter that grinds, checked by Config.Validate
	MaxGrind         = 1 << 20 // variants one node may grind
	MaxGrindPerCycle = 1 << 24 // score draws of all grinders in one selection (about a second)
)

// validateLead refuses lead 0: lead counts slots back from the audit
// window's end, its last slot being 1, so 0 would be past the window.
func validateLead(p Params, path string, probs *Problems) {
	if lead := p.Int("lead"); lead < 1 {
		probs.Addf(path+".lead", "must be at least 1 (1: the audit window's last slot), got %d", lead)
	}
}

// member reports whether node o belongs to n's coalition.
func member(n, o *Node) bool { return n.Class == o.Class }

// coalitionKey names a coalition's shared streams.
func coalitionKey(n *Node) uint64 { return uint64(n.Class) + 1 }

// Endowment splits the purse equally over the population's nodes, the
// remainder to its first node.
func (w *Whale) Endowment(n *Node) (ROE, bool) {
	if w.purse == 0 || w.count == 0 {
		return 0, false
	}
	share := w.purse / ROE(w.count)
	if n.Index == 0 {
		share += w.purse - share*ROE(w.count)
	}
	return share, true
}

// AuditDelay times an accusing coalition's action: the window's first
// or last slot.
func (w *Whale) AuditDelay(_ *Node, _ int, window Slot, _ Rand) (Slot, bool) {
	return accuseSlot(w.accuse, w.late, w.lead, window)
}

// accuseSlot is an accuser's audit slot: lead slots before the window's
// end when late (clamped to the window), its first slot otherwise; no
// choice when it accuses no one.
func accuseSlot(accuse int, late bool, lead int, window Slot) (Slot, bool) {
	switch {
	case accuse == 0:
		return 0, false
	case late:
		return max(0, window-Slot(max(lead, 1))), true
	}
	return 0, true
}

// Online is always true.
func (w *Whale) Online(*Node, int, Rand) bool { return true }

// Work is invalid and free with probability invalid, else valid work.
func (w *Whale) Work(_ *Node, _ int, r Rand) Work {
	if w.invalid > 0 && r.Float64() < w.invalid {
		return Work{Outcome: Invalid, Grind: w.grind}
	}
	return Work{Outcome: Valid, Worked: true, Grind: w.grind}
}

// Audit defends members, accuses the coalition's victims, checks the
// rest of its sample honestly, and votes on lists by builder.
func (w *Whale) Audit(a Audit) {
	n := a.Node()
	if w.defend {
		for _, i := range a.TriggeredSubmissions() {
			if member(n, a.Submitter(i)) {
				a.Vote(Target{Index: i}, true)
			}
		}
	}
	for _, i := range accused(a, w.accuse, func(o *Node) bool { return !member(n, o) }) {
		a.Vote(Target{Index: i}, false)
	}
	for _, i := range a.Sample() {
		if !member(n, a.Submitter(i)) {
			ReviewHonestly(a, Target{Index: i})
		}
	}
	for i := 0; i < a.Lists(); i++ {
		w.reviewList(a, i)
	}
}

func (w *Whale) reviewList(a Audit, i int) {
	t := Target{List: true, Index: i}
	switch {
	case member(a.Node(), a.ListBuilder(i)):
		if w.defend && a.Triggered(t) {
			a.Vote(t, true)
		}
	case w.rejectLists:
		a.Vote(t, false)
	default:
		ReviewHonestly(a, t)
	}
}

// Answer defends a member's accused proof or list; it answers others as
// it audits them.
func (w *Whale) Answer(a Audit, t Target) {
	n := a.Node()
	switch {
	case t.List:
		w.reviewList(a, t.Index)
	case member(n, a.Submitter(t.Index)):
		if w.defend {
			a.Vote(t, true)
		}
	default:
		ReviewHonestly(a, t)
	}
}

// BuildList sends the correct list, or with hijack a forged one: the
// bounty split equally over the coalition's submitters of the cycle, and
// hijack_slash other submitters slashed as the rules would slash them.
// It stays within the chain's checks (its total is at most the bounty
// and it names only submitters), so only the votes can stop it.
func (w *Whale) BuildList(b Builder) *List {
	if !w.hijack {
		return b.Correct()
	}
	n := b.Node()
	var members, others []*Node
	for i := 0; i < b.Submissions(); i++ {
		if o := b.Submitter(i); member(n, o) {
			members = append(members, o)
		} else {
			others = append(others, o)
		}
	}
	l := &List{Cycle: b.Cycle()}
	if len(members) > 0 {
		each := b.Bounty() / ROE(len(members))
		for _, m := range members {
			l.Entries = append(l.Entries, Entry{Node: m.ID, Amount: each})
		}
	}
	r := b.Shared(coalitionKey(n))
	for _, o := range pick(r, others, w.hijackSlash) {
		if s := b.Rules().SlashFraction.Of(o.Stake); s > 0 {
			l.Entries = append(l.Entries, Entry{Node: o.ID, Amount: -s})
		}
	}
	sort.Slice(l.Entries, func(i, j int) bool { return l.Entries[i].Node < l.Entries[j].Node })
	l.Seal()
	return l
}

// pick returns k of xs chosen uniformly without replacement (all of them
// if k >= len(xs)), by a partial Fisher-Yates shuffle of a copy.
func pick[T any](r Rand, xs []T, k int) []T {
	if k >= len(xs) {
		return xs
	}
	c := append([]T(nil), xs...)
	for i := 0; i < k; i++ {
		j := i + r.IntN(len(c)-i)
		c[i], c[j] = c[j], c[i]
	}
	return c[:k]
}

// accused returns k submissions of those that victim accepts, drawn from
// the coalition's shared stream: every member of a coalition gets the
// same victims in the same window.
func accused(a Audit, k int, victim func(*Node) bool) []int {
	if k == 0 {
		return nil
	}
	var idx []int
	for i := 0; i < a.Submissions(); i++ {
		if victim(a.Submitter(i)) {
			idx = append(idx, i)
		}
	}
	return pick(a.Shared(coalitionKey(a.Node())), idx, k)
}

// AuditDelay times the griefer at the window's first or last slot.
func (g *Griefer) AuditDelay(_ *Node, _ int, window Slot, _ Rand) (Slot, bool) {
	return accuseSlot(g.accuse, g.late, g.lead, window)
}

// Online is always true.
func (g *Griefer) Online(*Node, int, Rand) bool { return true }

// Work is absent: a griefer has no interest in rewards.
func (g *Griefer) Work(*Node, int, Rand) Work { return Work{Outcome: Absent} }

// Audit accuses its class's victims and, with grief_lists, every list.
func (g *Griefer) Audit(a Audit) {
	n := a.Node()
	for _, i := range accused(a, g.accuse, func(o *Node) bool { return !member(n, o) }) {
		a.Vote(Target{Index: i}, false)
	}
	if g.griefLists {
		for i := 0; i < a.Lists(); i++ {
			a.Vote(Target{List: true, Index: i}, false)
		}
	}
}

// Answer does nothing: a griefer never defends.
func (g *Griefer) Answer(Audit, Target) {}

// BuildList sends the correct list: a griefer that is chosen (it never
// submits, so only under a fallback) has nothing to gain by forging.
func (g *Griefer) BuildList(b Builder) *List { return b.Correct() }
