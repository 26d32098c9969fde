package model

// Entry is one line of a distribution list: a positive amount is a
// reward, a negative one a slash.
type Entry struct {
	Node   int32
	Amount ROE
}

// List is a distribution list for one cycle (docs/model.md §3, §4). Entries
// are in ascending node order; Hash identifies the content, so an honest
// auditor compares two lists in O(1).
type List struct {
	Cycle   int
	Entries []Entry
	Hash    uint64
}

// Seal computes the list's hash from its entries. Call it after the
// entries are final.
func (l *List) Seal() {
	h := uint64(fnvOffset)
	for _, e := range l.Entries {
		node, amount := uint32(e.Node), uint64(e.Amount)
		for i := 0; i < 32; i += 8 {
			h = (h ^ uint64(byte(node>>i))) * fnvPrime
		}
		for i := 0; i < 64; i += 8 {
			h = (h ^ uint64(byte(amount>>i))) * fnvPrime
		}
	}
	l.Hash = h
}

// FNV-1a, 64 bits (hash/fnv): Seal hashes each entry's node (4 bytes)
// and amount (8 bytes), little-endian, inline rather than through a
// hash.Hash, which costs a call and a copy per entry.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// Equal reports whether two lists have the same content.
func (l *List) Equal(o *List) bool {
	if l == o {
		return true
	}
	if l == nil || o == nil || l.Hash != o.Hash || len(l.Entries) != len(o.Entries) {
		return false
	}
	for i := range l.Entries {
		if l.Entries[i] != o.Entries[i] {
			return false
		}
	}
	return true
}

// Positive returns the sum of the list's positive amounts.
func (l *List) Positive() ROE {
	var s ROE
	for _, e := range l.Entries {
		if e.Amount > 0 {
			s += e.Amount
		}
	}
	return s
}

// Submitted is one proof as the list rule sees it: who sent it, its
// stake when the list is built (docs/model.md §4), and its ballot.
type Submitted struct {
	Node   int32
	Stake  ROE
	Ballot *Ballot
}

// CorrectList builds cycle's correct list (docs/model.md §4) from its
// submissions, which must be in ascending node order, and stores each
// submission's verdict in verdicts (len(subs)).
//
// Rewards: reward_split equal pays floor(bounty / approved) each;
// reward_split stake pays floor(bounty * stake / approved stake) each
// (nodes of zero stake get nothing). The remainder of either floor is
// not listed and stays in the bounty pool. Slashes are
// -floor(slash_fraction * stake); a zero slash is not listed, but under
// slash_pending, where it still forfeits pending rewards.
func CorrectList(cycle int, subs []Submitted, r *Rules, bounty ROE, verdicts []Verdict) *List {
	l := &List{}
	l.SetCorrect(cycle, subs, r, bounty, verdicts)
	return l
}

// SetCorrect makes l cycle's correct list, as CorrectList builds it, in
// l's own storage: an engine that keeps one list per cycle in flight
// allocates nothing per cycle once the storage has grown.
func (l *List) SetCorrect(cycle int, subs []Submitted, r *Rules, bounty ROE, verdicts []Verdict) {
	approved := 0
	var approvedStake ROE
	for i := range subs {
		v := Decide(subs[i].Ballot, r)
		verdicts[i] = v
		if v == Approved {
			approved++
			approvedStake += subs[i].Stake
		}
	}
	l.Cycle, l.Entries = cycle, l.Entries[:0]
	var equal ROE
	if approved > 0 {
		equal = bounty / ROE(approved)
	}
	for i := range subs {
		s := &subs[i]
		var amount ROE
		switch verdicts[i] {
		case Approved:
			if r.RewardSplit == SplitEqual {
				amount = equal
			} else if approvedStake > 0 {
				amount = MulDiv(bounty, s.Stake, approvedStake)
			}
		case Slashed:
			amount = -r.SlashFraction.Of(s.Stake)
		}
		// A zero slash is listed only under slash_pending, where the
		// verdict itself forfeits pending rewards (docs/model.md §5): a node
		// that withdrew its stake before the list was built still loses
		// what is vesting.
		if amount != 0 || verdicts[i] == Slashed && r.SlashPending {
			l.Entries = append(l.Entries, Entry{Node: s.Node, Amount: amount})
		}
	}
	l.Seal()
}

// ChainAccepts applies the chain's own checks to a submitted list
// (docs/model.md §3): its positive total is at most the bounty and every
// key it names submitted in the cycle (submitted reports that). Amounts
// are integers by construction.
func ChainAccepts(l *List, bounty ROE, submitted func(node int32) bool) bool {
	if l.Positive() > bounty {
		return false
	}
	for i, e := range l.Entries {
		if !submitted(e.Node) || i > 0 && l.Entries[i-1].Node >= e.Node {
			return false
		}
	}
	return true
}
