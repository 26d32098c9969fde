package model

import (
	"slices"
	"testing"
)

// vote is one vote in a chronological log: who, how, with what weight
// and at which slot.
type vote struct {
	voter  int32
	valid  bool
	weight ROE
	at     Slot
}

// cast applies the votes to a fresh ballot and returns it with what
// Accept reported for each.
func cast(votes ...vote) (*Ballot, []bool) {
	b := &Ballot{}
	counted := make([]bool, len(votes))
	for i, v := range votes {
		counted[i] = b.Accept(v.voter, v.valid, v.weight, v.at)
	}
	return b, counted
}

func t1(voter int32) vote { return vote{voter: voter, valid: true, weight: 1} }
func f1(voter int32) vote { return vote{voter: voter, valid: false, weight: 1} }

// TestVoteRuleTrueOnlyWhenTriggerOpen checks that a true vote counts only
// if a trigger is already open at its slot, and changes nothing
// otherwise (docs/model.md §3, Votes: "true only if a trigger is already
// open").
func TestVoteRuleTrueOnlyWhenTriggerOpen(t *testing.T) {
	b := &Ballot{}
	for i := int32(0); i < 3; i++ {
		if b.Accept(i, true, 1, Slot(i)) {
			t.Fatalf("true vote %d on an untriggered ballot counted", i)
		}
	}
	if b.Triggered || b.Trues != 0 || b.TrueVotes != 0 || b.Net() != 0 {
		t.Fatalf("rejected true votes changed the ballot: %+v", *b)
	}
	if !b.Accept(7, false, 1, 10) {
		t.Fatal("false vote not counted")
	}
	if !b.Accept(8, true, 1, 10) || b.Trues != 1 || b.TrueVotes != 1 {
		t.Fatalf("true vote at the trigger's own slot, after it, not counted: %+v", *b)
	}
	if !b.Accept(9, true, 1, 11) || b.Trues != 2 || b.TrueVotes != 2 {
		t.Fatalf("true vote after the trigger not counted: %+v", *b)
	}
}

// TestFirstFalseVoteOpensTrigger checks that the first false vote opens
// the audit trigger and records its initiator and slot, and that later
// false votes change neither (docs/model.md §3, Votes).
func TestFirstFalseVoteOpensTrigger(t *testing.T) {
	b, counted := cast(
		vote{voter: 4, valid: true, weight: 1, at: 5},
		vote{voter: 2, valid: false, weight: 1, at: 10},
		vote{voter: 3, valid: false, weight: 1, at: 20},
		vote{voter: 5, valid: true, weight: 1, at: 30},
		vote{voter: 1, valid: false, weight: 1, at: 40},
	)
	if want := []bool{false, true, true, true, true}; !slices.Equal(counted, want) {
		t.Errorf("Accept reported %v, want %v", counted, want)
	}
	if !b.Triggered || b.Initiator != 2 || b.TriggerSlot != 10 {
		t.Errorf("trigger = %v by %d at %d; want open by 2 at slot 10", b.Triggered, b.Initiator, b.TriggerSlot)
	}
	if want := []int32{2, 3, 1}; !slices.Equal(b.FalseVoters, want) {
		t.Errorf("FalseVoters = %v, want %v (in vote order)", b.FalseVoters, want)
	}
	if b.FalseVotes != 3 || b.TrueVotes != 1 {
		t.Errorf("counts = %d false, %d true; want 3, 1", b.FalseVotes, b.TrueVotes)
	}
}

// TestNetIsTruesMinusFalses checks net = trues - falses, counting only
// the votes the rule accepts (docs/model.md §4).
func TestNetIsTruesMinusFalses(t *testing.T) {
	tests := []struct {
		name  string
		votes []vote
		net   ROE
	}{
		{"no votes", nil, 0},
		{"trues alone never count", []vote{t1(1), t1(2)}, 0},
		{"one false", []vote{f1(1)}, -1},
		{"false then two trues", []vote{f1(1), t1(2), t1(3)}, 1},
		{"trues before the trigger do not count", []vote{t1(1), t1(2), f1(3), t1(4)}, 0},
		{"three false two true", []vote{f1(1), t1(2), f1(3), t1(4), f1(5)}, -1},
	}
	for _, tt := range tests {
		b, _ := cast(tt.votes...)
		if b.Net() != tt.net || b.Net() != b.Trues-b.Falses {
			t.Errorf("%s: Net() = %d (trues %d, falses %d), want %d", tt.name, b.Net(), b.Trues, b.Falses, tt.net)
		}
	}
}

// allZeroNet lists every zero_net option.
var allZeroNet = []ZeroNet{ZeroNone, ZeroApprove, ZeroSlash}

// TestDecideNoTriggerApproved checks that a submission on which no
// trigger opened is approved, whatever zero_net says (docs/model.md §4,
// "no trigger opened: approved").
func TestDecideNoTriggerApproved(t *testing.T) {
	for _, zn := range allZeroNet {
		r := DefaultRules()
		r.ZeroNet = zn
		for _, votes := range [][]vote{nil, {t1(1), t1(2)}} {
			b, _ := cast(votes...)
			if got := Decide(b, &r); got != Approved {
				t.Errorf("zero_net %s, votes %v: Decide = %s, want approved", zn, votes, got)
			}
		}
	}
}

// TestDecideNetPositiveApproved checks that net > 0 approves under every
// zero_net option (docs/model.md §4).
func TestDecideNetPositiveApproved(t *testing.T) {
	for _, zn := range allZeroNet {
		r := DefaultRules()
		r.ZeroNet = zn
		b, _ := cast(f1(1), t1(2), t1(3))
		if got := Decide(b, &r); got != Approved {
			t.Errorf("zero_net %s, net %d: Decide = %s, want approved", zn, b.Net(), got)
		}
	}
}

// TestDecideNetNegativeSlashed checks that net < 0 slashes under every
// zero_net option (docs/model.md §4).
func TestDecideNetNegativeSlashed(t *testing.T) {
	for _, zn := range allZeroNet {
		r := DefaultRules()
		r.ZeroNet = zn
		for _, votes := range [][]vote{{f1(1)}, {t1(9), f1(1), f1(2), t1(3)}} {
			b, _ := cast(votes...)
			if got := Decide(b, &r); got != Slashed {
				t.Errorf("zero_net %s, net %d: Decide = %s, want slashed", zn, b.Net(), got)
			}
		}
	}
}

// TestZeroNetOptions checks net = 0 on an open trigger under each
// zero_net option: none (default) neither pays nor slashes, approve
// pays, slash slashes (docs/model.md §4).
func TestZeroNetOptions(t *testing.T) {
	tests := []struct {
		zn   ZeroNet
		want Verdict
	}{
		{ZeroNone, Neither},
		{ZeroApprove, Approved},
		{ZeroSlash, Slashed},
	}
	if DefaultRules().ZeroNet != ZeroNone {
		t.Errorf("default zero_net = %s, want none", DefaultRules().ZeroNet)
	}
	for _, tt := range tests {
		r := DefaultRules()
		r.ZeroNet = tt.zn
		b, _ := cast(f1(1), t1(2))
		if got := Decide(b, &r); got != tt.want {
			t.Errorf("zero_net %s: Decide(net 0 on a trigger) = %s, want %s", tt.zn, got, tt.want)
		}
	}
}

// TestListRejectedWhenNetBelowZero checks that a list's votes reject it
// exactly when net is below zero (docs/model.md §3, List audit:
// PayoutFailed).
func TestListRejectedWhenNetBelowZero(t *testing.T) {
	tests := []struct {
		name     string
		votes    []vote
		rejected bool
	}{
		{"no votes", nil, false},
		{"untriggered trues", []vote{t1(1), t1(2)}, false},
		{"one false", []vote{f1(1)}, true},
		{"net zero", []vote{f1(1), t1(2)}, false},
		{"net positive", []vote{f1(1), t1(2), t1(3)}, false},
		{"net negative after trues", []vote{f1(1), t1(2), f1(3)}, true},
	}
	for _, tt := range tests {
		b, _ := cast(tt.votes...)
		if got := ListRejected(b); got != tt.rejected {
			t.Errorf("%s (net %d): ListRejected = %v, want %v", tt.name, b.Net(), got, tt.rejected)
		}
	}
}

// TestStakeWeightedBallots checks vote_weight: stake, where each vote
// weighs the voter's stake, against one node one vote, and that the vote
// counts do not depend on the weights (docs/model.md §4).
func TestStakeWeightedBallots(t *testing.T) {
	votes := []vote{
		{voter: 1, valid: false, weight: 5_000},
		{voter: 2, valid: true, weight: 3_000},
		{voter: 3, valid: true, weight: 1_000},
	}
	b, _ := cast(votes...)
	if b.Trues != 4_000 || b.Falses != 5_000 || b.Net() != -1_000 {
		t.Errorf("stake-weighted: trues %d, falses %d, net %d; want 4000, 5000, -1000", b.Trues, b.Falses, b.Net())
	}
	if b.TrueVotes != 2 || b.FalseVotes != 1 {
		t.Errorf("stake-weighted counts: %d true, %d false; want 2, 1", b.TrueVotes, b.FalseVotes)
	}
	r := DefaultRules()
	if got := Decide(b, &r); got != Slashed {
		t.Errorf("one whale's false vote against two smaller trues: %s, want slashed", got)
	}
	for i := range votes {
		votes[i].weight = 1
	}
	b, _ = cast(votes...)
	if got := Decide(b, &r); got != Approved {
		t.Errorf("the same votes one node one vote: %s, want approved", got)
	}
	// A zero-stake false voter still opens the trigger.
	b, _ = cast(vote{voter: 1, valid: false, weight: 0}, vote{voter: 2, valid: true, weight: 7})
	if !b.Triggered || b.Initiator != 1 || b.Net() != 7 {
		t.Errorf("zero-weight false vote: triggered %v by %d, net %d; want open by 1, net 7", b.Triggered, b.Initiator, b.Net())
	}
}

// TestBallotResetKeepsStorage checks that Reset empties a ballot for
// reuse without reallocating its false voters.
func TestBallotResetKeepsStorage(t *testing.T) {
	b, _ := cast(f1(1), f1(2), t1(3))
	c := cap(b.FalseVoters)
	b.Reset()
	if b.Triggered || b.Trues != 0 || b.Falses != 0 || b.TrueVotes != 0 || b.FalseVotes != 0 ||
		b.Initiator != 0 || b.TriggerSlot != 0 || len(b.FalseVoters) != 0 || cap(b.FalseVoters) != c {
		t.Errorf("after Reset: %+v (cap %d), want empty with cap %d", *b, cap(b.FalseVoters), c)
	}
	if b.Accept(4, true, 1, 0) {
		t.Error("a reset ballot counted an untriggered true vote")
	}
}

// refTally is the tally recomputed from scratch from a vote log, from the
// rule text of docs/model.md §3 and §4 alone.
type refTally struct {
	triggered     bool
	initiator     int32
	slot          Slot
	trues, falses ROE
	nTrue, nFalse int32
	falseVoters   []int32
	counted       []bool
	verdict       Verdict
	listRejected  bool
}

func referenceTally(log []vote, zn ZeroNet) refTally {
	var r refTally
	// The trigger is the earliest false vote in the log.
	first := -1
	for i, v := range log {
		if !v.valid {
			first = i
			break
		}
	}
	r.counted = make([]bool, len(log))
	if first >= 0 {
		r.triggered, r.initiator, r.slot = true, log[first].voter, log[first].at
	}
	for i, v := range log {
		switch {
		case !v.valid: // every false vote counts
			r.falses += v.weight
			r.nFalse++
			r.falseVoters = append(r.falseVoters, v.voter)
			r.counted[i] = true
		case first >= 0 && i > first: // a true vote counts once the trigger is open
			r.trues += v.weight
			r.nTrue++
			r.counted[i] = true
		}
	}
	net := r.trues - r.falses
	switch {
	case !r.triggered, net > 0:
		r.verdict = Approved
	case net < 0:
		r.verdict = Slashed
	default:
		r.verdict = [...]Verdict{ZeroNone: Neither, ZeroApprove: Approved, ZeroSlash: Slashed}[zn]
	}
	r.listRejected = r.triggered && net < 0
	return r
}

// TestTallyMatchesReference compares the incremental tally (Ballot.Accept,
// Decide, ListRejected) with referenceTally on random chronological vote
// logs: distinct voters, node or stake weights, every zero_net option
// (docs/model.md §3 Votes, §4).
func TestTallyMatchesReference(t *testing.T) {
	r := newRand(10)
	verdicts := [3]int{}
	for i := 0; i < 20000; i++ {
		n := r.IntN(12)
		pFalse := r.Float64()
		stakeWeighted := r.IntN(2) == 0
		voters := r.r.Perm(100)
		log := make([]vote, n)
		var at Slot
		for j := range log {
			at += Slot(r.IntN(3)) // several votes may share a slot
			w := ROE(1)
			if stakeWeighted {
				w = r.Scaled(MaxROE / 16)
			}
			log[j] = vote{voter: int32(voters[j]), valid: r.Float64() >= pFalse, weight: w, at: at}
		}
		zn := allZeroNet[r.IntN(3)]
		rules := DefaultRules()
		rules.ZeroNet = zn

		want := referenceTally(log, zn)
		b := &Ballot{}
		if i%2 == 1 { // reuse a dirty ballot through Reset
			b.Accept(999, false, 5, 1)
			b.Reset()
		}
		counted := make([]bool, n)
		for j, v := range log {
			counted[j] = b.Accept(v.voter, v.valid, v.weight, v.at)
		}
		got := refTally{
			triggered: b.Triggered, trues: b.Trues, falses: b.Falses,
			nTrue: b.TrueVotes, nFalse: b.FalseVotes,
			falseVoters: b.FalseVoters, counted: counted,
			verdict: Decide(b, &rules), listRejected: ListRejected(b),
		}
		if b.Triggered {
			got.initiator, got.slot = b.Initiator, b.TriggerSlot
		}
		if got.triggered != want.triggered || got.initiator != want.initiator || got.slot != want.slot ||
			got.trues != want.trues || got.falses != want.falses || got.nTrue != want.nTrue || got.nFalse != want.nFalse ||
			!slices.Equal(got.falseVoters, want.falseVoters) || !slices.Equal(got.counted, want.counted) ||
			got.verdict != want.verdict || got.listRejected != want.listRejected {
			t.Fatalf("case %d [seed %#x], zero_net %s, votes %+v:\n got  %+v\n want %+v", i, testSeed, zn, log, got, want)
		}
		verdicts[want.verdict]++
	}
	for v, c := range verdicts {
		if c < 100 {
			t.Errorf("generator produced %d %s verdicts; want every verdict well represented", c, Verdict(v))
		}
	}
}
