package model

// Ballot is the chain's record of the votes on one target: a submission
// or a list (docs/model.md §3). The first false vote opens the trigger;
// afterwards true votes count too.
type Ballot struct {
	Trues, Falses ROE   // summed vote weights (1 per vote, or the voter's stake)
	Triggered     bool  // a false vote has opened the audit trigger
	TriggerSlot   Slot  // when it opened
	Initiator     int32 // the node that opened it
	FalseVoters   []int32
	TrueVotes     int32 // counts, whatever the weights
	FalseVotes    int32
}

// Net returns trues - falses, the figure docs/model.md §4 decides on.
func (b *Ballot) Net() ROE { return b.Trues - b.Falses }

// Accept applies one vote to the ballot under the chain's vote rule and
// reports whether it counted: a true vote needs an open trigger
// (docs/model.md §3, "true only if a trigger is already open"). The caller
// has checked that the voter has not voted on this target before.
func (b *Ballot) Accept(voter int32, valid bool, weight ROE, at Slot) bool {
	if valid {
		if !b.Triggered {
			return false
		}
		b.Trues += weight
		b.TrueVotes++
		return true
	}
	if !b.Triggered {
		b.Triggered, b.TriggerSlot, b.Initiator = true, at, voter
	}
	b.Falses += weight
	b.FalseVotes++
	b.FalseVoters = append(b.FalseVoters, voter)
	return true
}

// Reset empties the ballot for reuse, keeping its storage.
func (b *Ballot) Reset() {
	fv := b.FalseVoters[:0]
	*b = Ballot{FalseVoters: fv}
}

// Verdict is what the correct list does with one submission.
type Verdict uint8

const (
	Approved Verdict = iota // paid its share of the bounty
	Slashed                 // loses slash_fraction of its stake
	Neither                 // net zero on an open trigger, under zero_net: none
)

// VerdictNames name Verdicts in outputs.
var VerdictNames = []string{"approved", "slashed", "neither"}

func (v Verdict) String() string { return VerdictNames[v] }

// Decide applies the table of docs/model.md §4 to a ballot: no trigger or
// net > 0 approves; net < 0 slashes; net = 0 on a trigger follows zero_net.
func Decide(b *Ballot, r *Rules) Verdict {
	if !b.Triggered {
		return Approved
	}
	switch net := b.Net(); {
	case net > 0:
		return Approved
	case net < 0:
		return Slashed
	}
	switch r.ZeroNet {
	case ZeroApprove:
		return Approved
	case ZeroSlash:
		return Slashed
	}
	return Neither
}

// ListRejected reports whether a list's votes reject it: net below zero
// (docs/model.md §3, PayoutFailed).
func ListRejected(b *Ballot) bool { return b.Triggered && b.Net() < 0 }
