package model

import (
	"math"
	"slices"
	"testing"
)

// castVote is one vote a behaviour cast through the fake audit.
type castVote struct {
	t     Target
	valid bool
}

// fakeAudit is an Audit over fixed submissions and lists: Check and
// CheckList return what valid and listOK say, and Vote applies the
// chain's rules (one vote per target, true only on an open trigger)
// through a Ballot per target. It records every check and every vote.
type fakeAudit struct {
	node          Node
	rules         Rules
	valid, listOK []bool
	sample        []int
	subs, lists   []Ballot
	voted         map[Target]bool
	checks        []Target
	votes         []castVote
	classes       []int // class of each submitter; 0 when unset
}

func newFakeAudit(rules Rules, valid, listOK []bool, sample []int) *fakeAudit {
	return &fakeAudit{
		node: Node{ID: 99}, rules: rules, valid: valid, listOK: listOK, sample: sample,
		subs: make([]Ballot, len(valid)), lists: make([]Ballot, len(listOK)),
		voted: map[Target]bool{},
	}
}

// trigger opens a trigger on t with another node's false vote.
func (f *fakeAudit) trigger(t Target) { f.ballot(t).Accept(1, false, 1, 0) }

func (f *fakeAudit) ballot(t Target) *Ballot {
	if t.List {
		return &f.lists[t.Index]
	}
	return &f.subs[t.Index]
}

func (f *fakeAudit) Node() *Node            { return &f.node }
func (f *fakeAudit) Shared(key uint64) Rand { return newRand(key) }
func (f *fakeAudit) Rules() *Rules          { return &f.rules }
func (f *fakeAudit) Rand() Rand             { return newRand(70) }
func (f *fakeAudit) Round() int             { return 4 }
func (f *fakeAudit) Submissions() int       { return len(f.valid) }
func (f *fakeAudit) Submitter(i int) *Node {
	n := &Node{ID: int32(i)}
	if i < len(f.classes) {
		n.Class = f.classes[i]
	}
	return n
}
func (f *fakeAudit) Sample() []int           { return f.sample }
func (f *fakeAudit) Lists() int              { return len(f.listOK) }
func (f *fakeAudit) ListBuilder(i int) *Node { return &Node{ID: int32(i)} }
func (f *fakeAudit) List(i int) *List        { return &List{} }
func (f *fakeAudit) Triggered(t Target) bool { return f.ballot(t).Triggered }
func (f *fakeAudit) Voted(t Target) bool     { return f.voted[t] }

func (f *fakeAudit) Check(i int) bool {
	f.checks = append(f.checks, Target{Index: i})
	return f.valid[i]
}

func (f *fakeAudit) CheckList(i int) bool {
	f.checks = append(f.checks, Target{List: true, Index: i})
	return f.listOK[i]
}

func (f *fakeAudit) Vote(t Target, valid bool) bool {
	if f.voted[t] {
		return false
	}
	if !f.ballot(t).Accept(f.node.ID, valid, 1, 0) {
		return false
	}
	f.voted[t] = true
	f.votes = append(f.votes, castVote{t, valid})
	return true
}

func (f *fakeAudit) TriggeredSubmissions() []int {
	var out []int
	for i := range f.subs {
		if f.subs[i].Triggered {
			out = append(out, i)
		}
	}
	return out
}

var (
	_ Audit   = (*fakeAudit)(nil)
	_ Builder = (*fakeBuilder)(nil)
)

// fakeBuilder is a Builder whose correct list is fixed.
type fakeBuilder struct {
	correct *List
	r       Rand
}

func (b *fakeBuilder) Node() *Node    { return &Node{} }
func (b *fakeBuilder) Rand() Rand     { return b.r }
func (b *fakeBuilder) Cycle() int     { return 3 }
func (b *fakeBuilder) Correct() *List { return b.correct }
func (b *fakeBuilder) Round() int     { return 5 }
func (b *fakeBuilder) Rules() *Rules {
	r := DefaultRules()
	return &r
}
func (b *fakeBuilder) Bounty() ROE            { return 10 * PerKOII }
func (b *fakeBuilder) Submissions() int       { return 0 }
func (b *fakeBuilder) Submitter(int) *Node    { return nil }
func (b *fakeBuilder) Shared(key uint64) Rand { return newRand(key) }

// newBehaviour makes one node's behaviour of the registered kind with
// params, as the engine does.
func newBehaviour(t *testing.T, kind string, params Params) Behaviour {
	t.Helper()
	k, ok := LookupKind(kind)
	if !ok {
		t.Fatalf("behaviour %q is not registered", kind)
	}
	full := k.DefaultParams() // the engine always gets every parameter
	for name, v := range params {
		full[name] = v
	}
	params = full
	pop := &Population{Name: kind, Behaviour: BehaviourSpec{Kind: kind, Params: params}}
	return k.New(params, pop)(&Node{Pop: pop})
}

// sampleList is a correct list with rewards and a slash.
func sampleList() *List {
	l := &List{Cycle: 3, Entries: []Entry{{1, 5}, {2, -7}, {4, 5}}}
	l.Seal()
	return l
}

// TestHonestAlwaysValid checks that an honest node is always online and
// its work is always valid, done and ungrinded (docs/model.md §3 Work, §6).
func TestHonestAlwaysValid(t *testing.T) {
	h := newBehaviour(t, "honest", nil)
	r := newRand(71)
	n := &Node{}
	for round := 0; round < 1000; round++ {
		if !h.Online(n, round, r) {
			t.Fatalf("round %d: honest node offline", round)
		}
		if w := h.Work(n, round, r); w != (Work{Outcome: Valid, Worked: true}) {
			t.Fatalf("cycle %d: honest work %+v, want valid and worked", round, w)
		}
	}
}

// TestHonestBuildsCorrectList checks that an honest builder submits the
// cycle's correct list (docs/model.md §3, The list).
func TestHonestBuildsCorrectList(t *testing.T) {
	c := sampleList()
	if got := newBehaviour(t, "honest", nil).BuildList(&fakeBuilder{correct: c, r: newRand(72)}); !got.Equal(c) {
		t.Errorf("honest builder built %v, want the correct list %v", got, c)
	}
}

// TestFaultyRatesMatchParameters checks that a faulty node's work is
// invalid, it is offline, and a list it builds is wrong at the rates its
// parameters give, within four standard errors over 100k seeded draws
// (docs/model.md §6).
func TestFaultyRatesMatchParameters(t *testing.T) {
	const n = 100_000
	tests := []struct{ invalid, offline float64 }{
		{0.1, 0},
		{0.3, 0.2},
		{0, 0.5},
		{0.01, 0.99},
		{1, 1},
	}
	for i, tt := range tests {
		f := newBehaviour(t, "faulty", Params{"invalid": tt.invalid, "offline": tt.offline})
		r := newRand(80 + uint64(i))
		node := &Node{}
		b := &fakeBuilder{correct: sampleList(), r: r}
		var bad, off, wrong int
		for k := range n {
			w := f.Work(node, k, r)
			if !w.Worked || w.Outcome == Absent || w.Grind != 0 {
				t.Fatalf("faulty work %+v: want worked, valid or invalid, no grinding", w)
			}
			if w.Outcome == Invalid {
				bad++
			}
			if !f.Online(node, k, r) {
				off++
			}
			if !f.BuildList(b).Equal(b.correct) {
				wrong++
			}
		}
		for _, c := range []struct {
			what  string
			count int
			p     float64
		}{{"invalid work", bad, tt.invalid}, {"offline", off, tt.offline}, {"wrong lists", wrong, tt.invalid}} {
			within4SE(t, c.what, float64(c.count)/n, c.p, math.Sqrt(c.p*(1-c.p)), n)
			if (c.p == 0 || c.p == 1) && float64(c.count) != c.p*n {
				t.Errorf("%s at probability %v: %d of %d", c.what, c.p, c.count, n)
			}
		}
	}
}

// TestReviewHonestlyVotes checks the wrapper's vote rule for one target
// (docs/model.md §3, Votes and List audit): a failed check votes false, a
// passed check votes true only when a trigger is open and nothing
// otherwise, and a target already voted on is neither checked nor voted
// again. Submissions and lists alike.
func TestReviewHonestlyVotes(t *testing.T) {
	tests := []struct {
		name                 string
		ok, triggered, voted bool
		wantCheck            bool
		wantVote, wantValid  bool
	}{
		{"invalid, no trigger", false, false, false, true, true, false},
		{"invalid, trigger open", false, true, false, true, true, false},
		{"valid, trigger open", true, true, false, true, true, true},
		{"valid, no trigger", true, false, false, true, false, false},
		{"already voted, invalid", false, true, true, false, false, false},
		{"already voted, valid", true, true, true, false, false, false},
	}
	for _, list := range []bool{false, true} {
		for _, tt := range tests {
			f := newFakeAudit(DefaultRules(), []bool{tt.ok}, []bool{tt.ok}, nil)
			target := Target{List: list}
			if tt.triggered {
				f.trigger(target)
			}
			if tt.voted {
				f.voted[target] = true
			}
			ReviewHonestly(f, target)
			what := tt.name
			if list {
				what = "list: " + what
			}
			if checked := len(f.checks) == 1 && f.checks[0] == target; checked != tt.wantCheck || len(f.checks) > 1 {
				t.Errorf("%s: checks %v, want checked %v", what, f.checks, tt.wantCheck)
			}
			var want []castVote
			if tt.wantVote {
				want = []castVote{{target, tt.wantValid}}
			}
			if !slices.Equal(f.votes, want) {
				t.Errorf("%s: votes %v, want %v", what, f.votes, want)
			}
		}
	}
}

// TestAuditHonestlyReviewsSampleTriggersAndLists checks the honest audit
// action (docs/model.md §3): its sample, then under triggered_review: all
// every submission with an open trigger, then every list; each target
// once.
func TestAuditHonestlyReviewsSampleTriggersAndLists(t *testing.T) {
	valid := []bool{true, true, false, true, true, false}
	listOK := []bool{true, false}
	sub := func(i int) Target { return Target{Index: i} }
	lst := func(i int) Target { return Target{List: true, Index: i} }
	tests := []struct {
		review     TriggeredReview
		wantChecks []Target
		wantVotes  []castVote
	}{
		{ReviewSampled,
			[]Target{sub(1), sub(2), sub(3), lst(0), lst(1)},
			[]castVote{{sub(2), false}, {sub(3), true}, {lst(1), false}}},
		{ReviewAll,
			[]Target{sub(1), sub(2), sub(3), sub(4), lst(0), lst(1)},
			[]castVote{{sub(2), false}, {sub(3), true}, {sub(4), true}, {lst(1), false}}},
	}
	for _, kind := range []string{"honest", "faulty"} {
		for _, tt := range tests {
			r := DefaultRules()
			r.TriggeredReview = tt.review
			f := newFakeAudit(r, valid, listOK, []int{1, 2, 3})
			f.trigger(sub(3))
			f.trigger(sub(4))
			newBehaviour(t, kind, nil).Audit(f)
			if !slices.Equal(f.checks, tt.wantChecks) {
				t.Errorf("%s, triggered_review %s: checks %v, want %v", kind, tt.review, f.checks, tt.wantChecks)
			}
			if !slices.Equal(f.votes, tt.wantVotes) {
				t.Errorf("%s, triggered_review %s: votes %v, want %v", kind, tt.review, f.votes, tt.wantVotes)
			}
		}
	}
}

// TestAnswerReviewsALaterTrigger checks watch_triggers: a node that
// already acted answers a trigger opened later by reviewing that target
// honestly (docs/model.md §3).
func TestAnswerReviewsALaterTrigger(t *testing.T) {
	for _, kind := range []string{"honest", "faulty"} {
		f := newFakeAudit(DefaultRules(), []bool{true, false}, nil, []int{0})
		b := newBehaviour(t, kind, nil)
		b.Audit(f) // sample {0}: valid, untriggered: no vote
		if len(f.votes) != 0 {
			t.Fatalf("%s: votes %v before any trigger", kind, f.votes)
		}
		f.trigger(Target{Index: 0})
		b.Answer(f, Target{Index: 0})
		if want := []castVote{{Target{Index: 0}, true}}; !slices.Equal(f.votes, want) {
			t.Errorf("%s: after the trigger, votes %v, want %v", kind, f.votes, want)
		}
	}
}

// TestKindRegistry checks the behaviour registry: kinds by name, sorted,
// their default parameters, and a duplicate registration refused.
func TestKindRegistry(t *testing.T) {
	names := []string{}
	for _, k := range Kinds() {
		names = append(names, k.Name)
	}
	if !slices.IsSorted(names) || !slices.Contains(names, "honest") || !slices.Contains(names, "faulty") {
		t.Errorf("Kinds() = %v, want sorted, with honest and faulty", names)
	}
	if _, ok := LookupKind("no such kind"); ok {
		t.Error("LookupKind found an unregistered kind")
	}
	f, _ := LookupKind("faulty")
	p := f.DefaultParams()
	if len(p) != 6 || p.Float("invalid") != 0.1 || p.Float("offline") != 0 || p.Int("from") != 0 || p.Int("until") != 0 {
		t.Errorf("faulty defaults = %v, want invalid 0.1, offline 0, offline_mean 0, crash 0, and the range from 0 until 0", p)
	}
	if s, ok := f.Spec("invalid"); !ok || s.Kind != ParamProb {
		t.Errorf("faulty Spec(invalid) = %+v, %v", s, ok)
	}
	if _, ok := f.Spec("nope"); ok {
		t.Error("Spec found an undeclared parameter")
	}
	if !panics(func() { Register(Kind{Name: "honest"}) }) {
		t.Error("registering honest twice did not panic")
	}
}

// TestRegisterLeavesItsArgumentAlone: registering a Ranged kind stores a
// copy with from and until added; the caller's Kind, its parameter slice
// (even with room to grow) and Default are unchanged, and a registry of
// one's own holds its kinds apart from Default.
func TestRegisterLeavesItsArgumentAlone(t *testing.T) {
	params := make([]ParamSpec, 1, 8) // room to grow: an append in place would write into it
	params[0] = ParamSpec{Name: "x", Kind: ParamProb, Default: 0.5}
	calls := 0
	k := Kind{Name: "test-ranged", Ranged: true, Params: params,
		New: func(Params, *Population) func(*Node) Behaviour {
			calls++
			return func(*Node) Behaviour { return Honest{} }
		}}
	r := NewRegistry()
	r.Register(k)
	if len(k.Params) != 1 || len(params[:2][1].Name) != 0 {
		t.Errorf("the caller's parameters changed: %v, backing array %v", k.Params, params[:2])
	}
	got, ok := r.Lookup("test-ranged")
	if !ok || len(got.Params) != 3 || got.Params[1].Name != "from" || got.Params[2].Name != "until" {
		t.Fatalf("registered kind %+v, want x, from and until", got)
	}
	ranged := got.New(Params{"x": 0.5, "from": 2, "until": 4}, &Population{})
	if _, isHonest := ranged(&Node{}).(Honest); isHonest || calls != 1 {
		t.Errorf("the registered constructor does not wrap the kind's in its range (calls %d)", calls)
	}
	if _, isHonest := k.New(nil, nil)(&Node{}).(Honest); !isHonest {
		t.Error("the caller's constructor was replaced")
	}
	if _, ok := Default.Lookup("test-ranged"); ok {
		t.Error("a registry of one's own wrote into Default")
	}
	if !panics(func() { r.Register(k) }) {
		t.Error("registering test-ranged twice did not panic")
	}
	if c := Default.Clone(); len(c.Kinds()) != len(Kinds()) {
		t.Errorf("Clone has %d kinds, Default %d", len(c.Kinds()), len(Kinds()))
	}
}
