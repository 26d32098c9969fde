package model

import (
	"fmt"
	"slices"
	"sort"
)

// Outcome is the result of a node's work in one cycle.
type Outcome uint8

const (
	Valid   Outcome = iota // honest work: a valid proof
	Invalid                // a fault or a cheat: an invalid proof
	Absent                 // no proof
)

// Work is a node's decision for one cycle's work round (docs/model.md §6).
type Work struct {
	Outcome Outcome
	Worked  bool // it did the work and pays work_cost (a cheat's invalid proof is free)
	Grind   int  // extra proof variants it grinds for selection (koii selection only)
}

// Behaviour decides what a node does where the protocol leaves it a
// choice (docs/model.md §6). The engine calls it at the node's own slots and
// enforces what the chain enforces: one proof per cycle, one vote per
// target, true votes only on open triggers, fees, windows and stake. A new
// behaviour needs no change to the engine: register a Kind.
type Behaviour interface {
	// Online reports whether the node takes part in round r at all; an
	// offline node neither works, submits, audits nor builds lists. It
	// must depend on its node, round and stream only: the engine calls
	// each node's Online and then its Work before the next node's.
	Online(n *Node, round int, r Rand) bool
	// Work decides cycle c's work, in round c.
	Work(n *Node, cycle int, r Rand) Work
	// Audit is the node's one audit action in an audit window: the
	// submissions under review (in a period's first window) and the lists.
	Audit(a Audit)
	// Answer is called, when rules.watch_triggers is on, for a node that
	// already acted in this window when a trigger opens on t, reaction_delay
	// slots later.
	Answer(a Audit, t Target)
	// BuildList returns the list the node submits when chosen to build a
	// cycle's list, or nil to submit none.
	BuildList(b Builder) *List
}

// Target names what a vote is on: a submission or a list, by its index in
// the Audit's view.
type Target struct {
	List  bool
	Index int
}

// Audit is a behaviour's view of one audit action. Its methods are the
// only way to vote; the engine applies the chain's rules to each.
type Audit interface {
	Node() *Node
	Rules() *Rules
	Rand() Rand
	Round() int

	// Submissions is the number of proofs under review (zero in a
	// same-period retry window, which reviews lists only).
	Submissions() int
	// Submitter returns the node whose proof is submission i.
	Submitter(i int) *Node
	// Sample returns the indices the rules' audit_sample draws for this
	// node: uniform without replacement, never its own proof.
	Sample() []int
	// Check does the work of auditing submission i (it costs audit_cost)
	// and reports whether the node judges the proof valid, with the task's
	// detection and false-alarm probabilities.
	Check(i int) bool
	// Lists is the number of lists under audit in this window.
	Lists() int
	// ListBuilder returns the node that submitted list i.
	ListBuilder(i int) *Node
	// List returns list i.
	List(i int) *List
	// CheckList reports whether list i equals the correct list of its
	// cycle, which the engine computes once per cycle.
	CheckList(i int) bool

	// Vote casts a vote; it reports whether the chain accepted it. A
	// true vote needs an open trigger; a node votes at most once per target
	// and never on its own proof or list; a vote costs tx_fee.
	Vote(t Target, valid bool) bool
	// Triggered reports whether a trigger is open on t at this slot.
	Triggered(t Target) bool
	// Voted reports whether this node has voted on t.
	Voted(t Target) bool
	// TriggeredSubmissions returns the submissions with an open trigger.
	TriggeredSubmissions() []int
	// Shared returns a stream that every node asking with the same key
	// gets in this window: how a coalition draws one decision for all
	// its members (whom to accuse) without talking.
	Shared(key uint64) Rand
}

// Builder is a behaviour's view when it is chosen to build a list.
type Builder interface {
	Node() *Node
	Rand() Rand
	Rules() *Rules
	Cycle() int
	// Round is the round the list is sent in.
	Round() int
	// Bounty is the most the chain lets a list pay.
	Bounty() ROE
	// Correct is the cycle's correct list, computed once per cycle.
	Correct() *List
	// Submissions and Submitter list the cycle's proofs in node order:
	// the only nodes a list may name.
	Submissions() int
	Submitter(i int) *Node
	// Shared is as Audit.Shared.
	Shared(key uint64) Rand
}

// AuditTimer is implemented by behaviours that choose when they act in
// an audit window (an accuser that strikes in the last slot) instead of
// drawing from the population's audit_delay. ok false keeps the draw.
// Like Online, AuditDelay must depend on its node, round and stream only:
// the engine calls it in the same pass over the nodes as Online and Work.
type AuditTimer interface {
	AuditDelay(n *Node, round int, window Slot, r Rand) (delay Slot, ok bool)
}

// Endowed is implemented by behaviours that fix a node's stake
// themselves (a whale splitting one purse over its sybils) instead of
// drawing it from the population's stake distribution.
type Endowed interface {
	Endowment(n *Node) (stake ROE, ok bool)
}

// ParamKind is the type of one behaviour parameter.
type ParamKind uint8

const (
	ParamProb   ParamKind = iota // a probability in [0, 1], float64
	ParamFloat                   // a non-negative number, float64
	ParamInt                     // a non-negative whole number, int
	ParamBool                    // bool
	ParamAmount                  // an amount of KOII, ROE
)

// ParamKindNames describe the kinds in the scenario reference.
var ParamKindNames = []string{"probability", "number", "integer", "bool", "KOII"}

// ParamSpec declares one parameter of a behaviour kind.
type ParamSpec struct {
	Name    string
	Kind    ParamKind
	Default any // float64, int, bool or ROE, by Kind
	Doc     string
}

// Params are a behaviour's parameter values, by name, typed by ParamSpec.
type Params map[string]any

// Float returns a ParamProb or ParamFloat value.
func (p Params) Float(name string) float64 { return p[name].(float64) }

// Int returns a ParamInt value.
func (p Params) Int(name string) int { return p[name].(int) }

// Bool returns a ParamBool value.
func (p Params) Bool(name string) bool { return p[name].(bool) }

// Amount returns a ParamAmount value.
func (p Params) Amount(name string) ROE { return p[name].(ROE) }

// BehaviourSpec names a behaviour kind and its parameters, as a scenario
// states them. Params holds every parameter, defaults filled in.
type BehaviourSpec struct {
	Kind   string
	Params Params
}

// Kind is a registered behaviour: its parameters and how to make it.
type Kind struct {
	Name   string
	Doc    string
	Params []ParamSpec
	// Validate checks parameter combinations beyond each one's range.
	Validate func(p Params, path string, probs *Problems)
	// New returns a constructor of one node's behaviour for a population.
	// Nodes of one population may share state through it (a coalition).
	New func(p Params, pop *Population) func(n *Node) Behaviour
	// Attacker marks kinds that attack the task; a run can be compared
	// with the same scenario and seed without them (rewards lost to
	// attackers).
	Attacker bool
	// Honest marks kinds that behave as Koii's task template does. A
	// class with a node of any other kind is one the reports follow (its
	// stake share and profit, the attack table, break-even frontiers),
	// whatever its name: the registry decides, never a class's name or
	// its kind's spelling.
	Honest bool
	// Ranged kinds misbehave only in rounds [from, until) and are honest
	// outside; Register adds the two parameters.
	Ranged bool
}

// Registry holds behaviour kinds by name. Default holds the built-in
// kinds and is what scenarios and the CLI use; a test that needs kinds
// of its own registers them in a Registry of its own (Default.Clone)
// and sets Config.Registry, leaving Default alone.
type Registry struct{ kinds map[string]*Kind }

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{kinds: map[string]*Kind{}} }

// Default is the registry of the built-in kinds, filled by their
// packages' init functions.
var Default = NewRegistry()

// Clone returns a registry with the same kinds, to add more to.
func (r *Registry) Clone() *Registry {
	c := NewRegistry()
	for name, k := range r.kinds {
		c.kinds[name] = k
	}
	return c
}

// Register adds a behaviour kind; it panics on a duplicate name, a
// programming error. It does not change k: a Ranged kind is stored as a
// copy with the from and until parameters added and its constructor and
// check wrapped.
func (r *Registry) Register(k Kind) {
	if _, dup := r.kinds[k.Name]; dup {
		panic(fmt.Sprintf("model.Registry.Register: behaviour %q registered twice", k.Name))
	}
	if k.Ranged {
		k = ranging(k)
	}
	r.kinds[k.Name] = &k
}

// ranging returns k with the rounds [from, until) it misbehaves in: two
// more parameters, a constructor that is honest outside them, and a
// check that until comes after from. k's own slices and functions are
// not changed.
func ranging(k Kind) Kind {
	k.Params = append(slices.Clip(k.Params),
		ParamSpec{Name: "from", Kind: ParamInt, Default: 0, Doc: "first round it misbehaves in; honest before"},
		ParamSpec{Name: "until", Kind: ParamInt, Default: 0, Doc: "first round it is honest again; 0: never"})
	inner, validate := k.New, k.Validate
	k.New = func(p Params, pop *Population) func(*Node) Behaviour {
		mk := inner(p, pop)
		from, until := p.Int("from"), p.Int("until")
		if from == 0 && until == 0 {
			return mk
		}
		return func(n *Node) Behaviour { return ranged(mk(n), from, until) }
	}
	k.Validate = func(p Params, path string, probs *Problems) {
		if u := p.Int("until"); u != 0 && u <= p.Int("from") {
			probs.Addf(path+".until", "must be after from (%d), or 0 for never, got %d", p.Int("from"), u)
		}
		if validate != nil {
			validate(p, path, probs)
		}
	}
	return k
}

// Lookup returns the kind with that name.
func (r *Registry) Lookup(name string) (*Kind, bool) {
	k, ok := r.kinds[name]
	return k, ok
}

// Kinds returns every kind, sorted by name.
func (r *Registry) Kinds() []*Kind {
	out := make([]*Kind, 0, len(r.kinds))
	for _, k := range r.kinds {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Register adds a kind to Default (Registry.Register).
func Register(k Kind) { Default.Register(k) }

// LookupKind returns Default's kind with that name.
func LookupKind(name string) (*Kind, bool) { return Default.Lookup(name) }

// Kinds returns every kind of Default, sorted by name.
func Kinds() []*Kind { return Default.Kinds() }

// DefaultParams returns the kind's parameters at their defaults.
func (k *Kind) DefaultParams() Params {
	p := make(Params, len(k.Params))
	for _, s := range k.Params {
		p[s.Name] = s.Default
	}
	return p
}

// Spec returns the parameter's spec, if the kind has one by that name.
func (k *Kind) Spec(name string) (ParamSpec, bool) {
	for _, s := range k.Params {
		if s.Name == name {
			return s, true
		}
	}
	return ParamSpec{}, false
}
