package model

import (
	"math"
	"math/big"
	"slices"
	"testing"
)

// sub is a submission for the named list tests: its node, stake and
// votes.
type sub struct {
	node  int32
	stake ROE
	votes []vote
}

// build runs CorrectList on subs under r and returns the list and the
// verdicts.
func build(subs []sub, r *Rules, bounty ROE) (*List, []Verdict) {
	ss := make([]Submitted, len(subs))
	for i, s := range subs {
		b, _ := cast(s.votes...)
		ss[i] = Submitted{Node: s.node, Stake: s.stake, Ballot: b}
	}
	verdicts := make([]Verdict, len(subs))
	return CorrectList(7, ss, r, bounty, verdicts), verdicts
}

// approvedVotes, slashedVotes and zeroVotes are ballots whose verdict
// is approved (no trigger), slashed (net -1) and, under zero_net: none,
// neither (net 0).
var (
	approvedVotes []vote
	slashedVotes  = []vote{f1(100)}
	zeroVotes     = []vote{f1(100), t1(101)}
)

func wantEntries(t *testing.T, what string, l *List, want ...Entry) {
	t.Helper()
	if !slices.Equal(l.Entries, want) {
		t.Errorf("%s: entries %v, want %v", what, l.Entries, want)
	}
}

// TestEqualSplitFloorsAndKeepsRemainder checks reward_split: equal: each
// approved node gets floor(bounty / approved) ROE and the remainder is
// not listed, so it stays in the pool (docs/model.md §4, Reward).
func TestEqualSplitFloorsAndKeepsRemainder(t *testing.T) {
	r := DefaultRules()
	l, v := build([]sub{
		{1, 50, approvedVotes},
		{2, 50, slashedVotes},
		{4, 70, approvedVotes},
		{9, 0, approvedVotes}, // stake plays no part in an equal split
	}, &r, 10)
	wantEntries(t, "bounty 10 over 3 approved", l, Entry{1, 3}, Entry{2, -35}, Entry{4, 3}, Entry{9, 3})
	if want := []Verdict{Approved, Slashed, Approved, Approved}; !slices.Equal(v, want) {
		t.Errorf("verdicts %v, want %v", v, want)
	}
	if l.Positive() != 9 || l.Cycle != 7 {
		t.Errorf("positive total %d of cycle %d, want 9 (1 ROE stays in the pool) of cycle 7", l.Positive(), l.Cycle)
	}
	// A bounty smaller than the number of approved nodes lists nothing.
	l, _ = build([]sub{{1, 5, approvedVotes}, {2, 5, approvedVotes}, {3, 5, approvedVotes}}, &r, 2)
	wantEntries(t, "bounty 2 over 3 approved", l)
}

// TestStakeSplitProportional checks reward_split: stake: each approved
// node gets floor(bounty * stake / approved stake), nodes of zero stake
// get nothing and the remainder stays unpaid (docs/model.md §4, Reward).
func TestStakeSplitProportional(t *testing.T) {
	r := DefaultRules()
	r.RewardSplit = SplitStake
	l, _ := build([]sub{
		{1, 1, approvedVotes},
		{2, 2, approvedVotes},
		{3, 0, approvedVotes},
		{5, 100, zeroVotes}, // neither: its stake is not in the denominator
		{6, 3, approvedVotes},
	}, &r, 10)
	// approved stake 6: 10*1/6 = 1.67, 10*2/6 = 3.33, 10*3/6 = 5.
	wantEntries(t, "stakes 1, 2, 0, 3 share 10", l, Entry{1, 1}, Entry{2, 3}, Entry{6, 5})
	l, _ = build([]sub{{1, 0, approvedVotes}, {2, 0, approvedVotes}}, &r, 10)
	wantEntries(t, "every approved stake zero", l)
	// Amounts near the largest stake: the product needs 128 bits.
	huge := MaxROE / 4
	l, _ = build([]sub{{1, huge, approvedVotes}, {2, 2 * huge, approvedVotes}}, &r, MaxROE)
	wantEntries(t, "huge stakes", l, Entry{1, MaxROE / 3}, Entry{2, 2 * MaxROE / 3})
}

// TestSlashIsFloorOfFractionTimesStake checks that a slashed node is
// listed at -floor(slash_fraction * stake) and a zero slash is not
// listed (docs/model.md §4).
func TestSlashIsFloorOfFractionTimesStake(t *testing.T) {
	tests := []struct {
		fraction Fraction
		stake    ROE
		want     []Entry
	}{
		{7 * (One / 10), 3, []Entry{{1, -2}}}, // floor(2.1)
		{7 * (One / 10), 10, []Entry{{1, -7}}},
		{7 * (One / 10), 1, nil}, // floor(0.7) = 0: unlisted
		{7 * (One / 10), 19 * PerKOII / 10, []Entry{{1, -1_330_000_000}}},
		{One, 12345, []Entry{{1, -12345}}},
		{0, 12345, nil},
		{1, PerKOII - 1, nil}, // 1 ppb of 0.999999999 KOII is 0.999999999 ROE
		{1, PerKOII, []Entry{{1, -1}}},
		{One / 3, MaxROE, []Entry{{1, -333_333_333 * PerKOII}}},
		{7 * (One / 10), 0, nil},
	}
	for _, tt := range tests {
		r := DefaultRules()
		r.SlashFraction = tt.fraction
		l, v := build([]sub{{1, tt.stake, slashedVotes}}, &r, 10)
		if v[0] != Slashed {
			t.Fatalf("verdict %s, want slashed", v[0])
		}
		wantEntries(t, "slash "+tt.fraction.String()+" of "+tt.stake.String()+" KOII", l, tt.want...)
	}
}

// TestNoApprovedListsOnlySlashes checks that with no approved node only
// the slashes are listed and nothing is paid (docs/model.md §4).
func TestNoApprovedListsOnlySlashes(t *testing.T) {
	for _, split := range []RewardSplit{SplitEqual, SplitStake} {
		r := DefaultRules()
		r.RewardSplit = split
		l, v := build([]sub{{2, 10, slashedVotes}, {3, 10, zeroVotes}, {8, 20, slashedVotes}}, &r, 1000)
		wantEntries(t, "split "+split.String(), l, Entry{2, -7}, Entry{8, -14})
		if want := []Verdict{Slashed, Neither, Slashed}; !slices.Equal(v, want) {
			t.Errorf("split %s: verdicts %v, want %v", split, v, want)
		}
		if l.Positive() != 0 {
			t.Errorf("split %s: pays %d, want 0", split, l.Positive())
		}
		if l, _ := build(nil, &r, 1000); len(l.Entries) != 0 {
			t.Errorf("split %s: a cycle with no submission lists %v", split, l.Entries)
		}
	}
}

// refList is CorrectList recomputed with math/big from the rule text of
// docs/model.md §4.
func refList(subs []Submitted, r *Rules, bounty ROE) ([]Entry, []Verdict) {
	verdicts := make([]Verdict, len(subs))
	approved := int64(0)
	approvedStake := new(big.Int)
	for i, s := range subs {
		b := s.Ballot
		net := b.Trues - b.Falses
		switch {
		case !b.Triggered || net > 0:
			verdicts[i] = Approved
		case net < 0:
			verdicts[i] = Slashed
		case r.ZeroNet == ZeroApprove:
			verdicts[i] = Approved
		case r.ZeroNet == ZeroSlash:
			verdicts[i] = Slashed
		default:
			verdicts[i] = Neither
		}
		if verdicts[i] == Approved {
			approved++
			approvedStake.Add(approvedStake, big.NewInt(int64(s.Stake)))
		}
	}
	var entries []Entry
	B := big.NewInt(int64(bounty))
	for i, s := range subs {
		amount := new(big.Int)
		switch verdicts[i] {
		case Approved:
			if r.RewardSplit == SplitEqual {
				amount.Quo(B, big.NewInt(approved))
			} else if approvedStake.Sign() > 0 {
				amount.Mul(B, big.NewInt(int64(s.Stake)))
				amount.Quo(amount, approvedStake)
			}
		case Slashed:
			amount.Mul(big.NewInt(int64(r.SlashFraction)), big.NewInt(int64(s.Stake)))
			amount.Quo(amount, big.NewInt(int64(One)))
			amount.Neg(amount)
		}
		if amount.Sign() != 0 || verdicts[i] == Slashed && r.SlashPending {
			entries = append(entries, Entry{Node: s.Node, Amount: ROE(amount.Int64())})
		}
	}
	return entries, verdicts
}

// randomCycle returns random submissions in ascending node order, with
// random ballots, random rules and a random bounty. Stakes are at most
// MaxROE/64 so that 40 of them sum within an int64: CorrectList sums
// approved stakes in an ROE, and ten stakes of MaxROE, which Config.Validate
// accepts, already overflow it (a known open problem, not tested here).
func randomCycle(r *pcgRand) ([]Submitted, Rules, ROE) {
	n := r.IntN(40)
	subs := make([]Submitted, n)
	node := int32(r.IntN(3))
	for i := range subs {
		var stake ROE
		switch r.IntN(5) {
		case 0:
			stake = 0
		case 1:
			stake = ROE(r.IntN(20))
		default:
			stake = r.Scaled(MaxROE / 64)
		}
		b := &Ballot{}
		if r.IntN(3) > 0 {
			b.Triggered = true
			b.Falses = ROE(1 + r.IntN(4))
			b.Trues = ROE(r.IntN(5))
		}
		subs[i] = Submitted{Node: node, Stake: stake, Ballot: b}
		node += 1 + int32(r.IntN(3))
	}
	rules := DefaultRules()
	rules.ZeroNet = allZeroNet[r.IntN(3)]
	rules.RewardSplit = RewardSplit(r.IntN(2))
	rules.SlashPending = r.IntN(2) == 0
	switch r.IntN(4) {
	case 0:
		rules.SlashFraction = 0
	case 1:
		rules.SlashFraction = One
	default:
		rules.SlashFraction = Fraction(r.IntN(int(One) + 1))
	}
	var bounty ROE
	switch r.IntN(3) {
	case 0:
		bounty = ROE(r.IntN(50))
	default:
		bounty = r.Scaled(MaxROE)
	}
	return subs, rules, bounty
}

// TestCorrectListMatchesReference compares CorrectList with refList on
// random cycles, and checks that the correct list always passes the
// chain's own checks (docs/model.md §3 The list, §4).
func TestCorrectListMatchesReference(t *testing.T) {
	r := newRand(20)
	for i := 0; i < 20000; i++ {
		subs, rules, bounty := randomCycle(r)
		want, wantV := refList(subs, &rules, bounty)
		verdicts := make([]Verdict, len(subs))
		l := CorrectList(i, subs, &rules, bounty, verdicts)
		if !slices.Equal(l.Entries, want) || !slices.Equal(verdicts, wantV) || l.Cycle != i {
			t.Fatalf("case %d [seed %#x], rules %+v, bounty %d, subs %v:\n got  %v %v\n want %v %v",
				i, testSeed, rules, bounty, subs, l.Entries, verdicts, want, wantV)
		}
		sealed := *l
		sealed.Seal()
		if sealed.Hash != l.Hash {
			t.Fatalf("case %d: CorrectList returned an unsealed list", i)
		}
		submitted := func(node int32) bool {
			_, ok := slices.BinarySearchFunc(subs, node, func(s Submitted, n int32) int { return int(s.Node - n) })
			return ok
		}
		if !ChainAccepts(l, bounty, submitted) {
			t.Fatalf("case %d [seed %#x]: the chain rejects the correct list %v (bounty %d)", i, testSeed, l.Entries, bounty)
		}
	}
}

// TestChainRejectsOverpayingList checks that the chain rejects a list
// whose positive total exceeds bounty_per_round; slashes do not offset
// it (docs/model.md §3, The list).
func TestChainRejectsOverpayingList(t *testing.T) {
	all := func(int32) bool { return true }
	tests := []struct {
		entries []Entry
		ok      bool
	}{
		{[]Entry{{1, 5}, {2, 5}}, true},
		{[]Entry{{1, 5}, {2, 6}}, false},
		{[]Entry{{1, 11}, {2, -5}}, false},
		{[]Entry{{1, 10}, {2, -500}}, true},
		{[]Entry{{1, -500}}, true},
		{nil, true},
	}
	for _, tt := range tests {
		l := &List{Entries: tt.entries}
		l.Seal()
		if got := ChainAccepts(l, 10, all); got != tt.ok {
			t.Errorf("bounty 10, list %v: ChainAccepts = %v, want %v", tt.entries, got, tt.ok)
		}
	}
}

// TestChainRejectsUnknownKey checks that the chain rejects a list that
// names a key that did not submit in the cycle, reward or slash alike
// (docs/model.md §3, The list).
func TestChainRejectsUnknownKey(t *testing.T) {
	submitted := func(n int32) bool { return n == 1 || n == 3 }
	tests := []struct {
		entries []Entry
		ok      bool
	}{
		{[]Entry{{1, 1}, {3, 1}}, true},
		{[]Entry{{1, 1}, {2, 1}, {3, 1}}, false},
		{[]Entry{{1, 1}, {4, -1}}, false},
		{[]Entry{{0, -1}}, false},
	}
	for _, tt := range tests {
		l := &List{Entries: tt.entries}
		if got := ChainAccepts(l, 10, submitted); got != tt.ok {
			t.Errorf("submitters {1, 3}, list %v: ChainAccepts = %v, want %v", tt.entries, got, tt.ok)
		}
	}
}

// TestChainRejectsUnsortedOrDuplicate checks that a list must name each
// key once, in ascending order, so one node cannot be paid twice
// (docs/model.md §3, The list).
func TestChainRejectsUnsortedOrDuplicate(t *testing.T) {
	all := func(int32) bool { return true }
	tests := []struct {
		entries []Entry
		ok      bool
	}{
		{[]Entry{{1, 1}, {2, 1}, {5, 1}}, true},
		{[]Entry{{2, 1}, {1, 1}}, false},
		{[]Entry{{1, 1}, {1, 1}}, false},
		{[]Entry{{1, 1}, {3, -1}, {3, 1}}, false},
		{[]Entry{{1, 1}, {5, 1}, {4, 1}}, false},
	}
	for _, tt := range tests {
		l := &List{Entries: tt.entries}
		if got := ChainAccepts(l, 10, all); got != tt.ok {
			t.Errorf("list %v: ChainAccepts = %v, want %v", tt.entries, got, tt.ok)
		}
	}
}

// TestListEqualIsContentEquality checks that lists built apart with the
// same content have the same hash and are Equal, and that any change of
// a node, an amount or the length makes them differ (docs/model.md §3,
// List audit: an honest node compares the list with its own).
func TestListEqualIsContentEquality(t *testing.T) {
	mk := func(es ...Entry) *List {
		l := &List{Cycle: 3, Entries: es}
		l.Seal()
		return l
	}
	a := mk(Entry{1, 5}, Entry{2, -7}, Entry{4, 5})
	b := mk(Entry{1, 5}, Entry{2, -7}, Entry{4, 5})
	if a.Hash != b.Hash || !a.Equal(b) || !b.Equal(a) || !a.Equal(a) {
		t.Errorf("equal content: hashes %x, %x; Equal %v", a.Hash, b.Hash, a.Equal(b))
	}
	if mk().Hash == a.Hash || !mk().Equal(mk()) {
		t.Errorf("empty lists: hash %x, Equal %v", mk().Hash, mk().Equal(mk()))
	}
	for name, o := range map[string]*List{
		"amount":       mk(Entry{1, 5}, Entry{2, -7}, Entry{4, 4}),
		"node":         mk(Entry{1, 5}, Entry{3, -7}, Entry{4, 5}),
		"sign":         mk(Entry{1, 5}, Entry{2, 7}, Entry{4, 5}),
		"shorter":      mk(Entry{1, 5}, Entry{2, -7}),
		"longer":       mk(Entry{1, 5}, Entry{2, -7}, Entry{4, 5}, Entry{5, 1}),
		"moved amount": mk(Entry{1, 4}, Entry{2, -7}, Entry{4, 6}),
	} {
		if a.Equal(o) || o.Equal(a) {
			t.Errorf("changed %s: Equal reports true", name)
		}
		if a.Hash == o.Hash {
			t.Errorf("changed %s: same hash %x", name, a.Hash)
		}
	}
	// Equal checks the entries, not only the hash.
	forged := mk(Entry{1, 5}, Entry{2, -7}, Entry{4, 4})
	forged.Hash = a.Hash
	if a.Equal(forged) {
		t.Error("a list with a's hash but a changed amount is Equal to a")
	}
	var none *List
	if a.Equal(none) || none.Equal(a) || !none.Equal(none) {
		t.Error("nil lists: want a nil list equal only to itself")
	}
}

// TestCorruptIsWrongButChainAccepted checks the faulty builder's wrong
// list (docs/model.md §3, §6): Corrupt(l) is never Equal to l, the chain
// accepts it whenever it accepts l, and l itself is left intact. Lists
// are the correct lists of random cycles; an empty list has no entry to
// corrupt (see the report).
func TestCorruptIsWrongButChainAccepted(t *testing.T) {
	r := newRand(21)
	checked := 0
	for i := 0; i < 20000; i++ {
		subs, rules, bounty := randomCycle(r)
		l := CorrectList(i, subs, &rules, bounty, make([]Verdict, len(subs)))
		if len(l.Entries) == 0 {
			continue
		}
		checked++
		before := slices.Clone(l.Entries)
		c := Corrupt(l)
		submitted := func(node int32) bool {
			_, ok := slices.BinarySearchFunc(subs, node, func(s Submitted, n int32) int { return int(s.Node - n) })
			return ok
		}
		if c.Equal(l) || l.Equal(c) {
			t.Fatalf("case %d [seed %#x]: Corrupt(%v) = %v is Equal to it", i, testSeed, l.Entries, c.Entries)
		}
		if ChainAccepts(l, bounty, submitted) && !ChainAccepts(c, bounty, submitted) {
			t.Fatalf("case %d [seed %#x]: the chain accepts %v but rejects Corrupt = %v", i, testSeed, l.Entries, c.Entries)
		}
		if !slices.Equal(l.Entries, before) || c.Cycle != l.Cycle {
			t.Fatalf("case %d: Corrupt changed its input or the cycle", i)
		}
	}
	if checked < 10000 {
		t.Errorf("only %d non-empty lists checked", checked)
	}
	// A list of slashes only: the first slash grows by one ROE.
	l := &List{Entries: []Entry{{3, -7}, {5, -2}}}
	l.Seal()
	if c := Corrupt(l); !slices.Equal(c.Entries, []Entry{{3, -8}, {5, -2}}) {
		t.Errorf("Corrupt(%v) = %v, want the first slash one ROE larger", l.Entries, c.Entries)
	}
}

// TestListPositiveSumsRewardsOnly checks Positive, the total the chain
// compares with bounty_per_round.
func TestListPositiveSumsRewardsOnly(t *testing.T) {
	l := &List{Entries: []Entry{{1, 5}, {2, -100}, {3, math.MaxInt32}}}
	if got := l.Positive(); got != 5+math.MaxInt32 {
		t.Errorf("Positive = %d, want %d", got, 5+math.MaxInt32)
	}
}
