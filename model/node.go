package model

// Role is what a node does in a task (docs/model.md §6).
type Role uint8

const (
	RoleWorker  Role = iota // works, submits and audits: the Koii default
	RoleAuditor             // audits only, never submits: a witness node
)

// RoleNames are the scenario format's names for Role.
var RoleNames = []string{"worker", "auditor"}

func (r Role) String() string { return RoleNames[r] }

// Population describes a group of alike nodes in a scenario.
type Population struct {
	Name        string // unique within the scenario
	Class       string // the reporting class; defaults to the behaviour's kind
	Count       int
	Stake       Dist // in KOII
	Balance     ROE  // each node's starting balance, for fees
	Role        Role
	Behaviour   BehaviourSpec
	SubmitDelay Dist // slots after a submission window opens
	AuditDelay  Dist // slots after an audit window opens
	Join        int  // first round the nodes take part in
	Stop        int  // first round they no longer take part in; 0: never
}

// ClassName is the population's reporting class: Class, or the
// behaviour's kind when Class is empty.
func (p *Population) ClassName() string {
	if p.Class != "" {
		return p.Class
	}
	return p.Behaviour.Kind
}

// Active reports whether a node of this population takes part in round r:
// rounds [Join, Stop) (docs/model.md §5).
func (p *Population) Active(r int) bool {
	return r >= p.Join && (p.Stop == 0 || r < p.Stop)
}

// tranche is a reward waiting out its vesting (docs/model.md §5).
type tranche struct {
	unlock int // first round at whose start it becomes claimable
	amount ROE
}

// Node is one virtual node: its identity, its population's settings and
// its ledger accounts. The engine owns the slice of nodes; behaviours may
// read a Node but change it only through the Ledger.
//
// The fields every event reads (whether the node may act, its stake,
// balance, class and behaviour) come first and fill the first 64 bytes
// (Online sits in what would be padding),
// and the record is padded to 128 bytes, so that an event at a random
// node misses cache once, not twice.
type Node struct {
	ID        int32 // index in the run's node slice
	Joined    bool
	Withdrawn bool
	Online    bool   // it takes part in the current round: drawn at the round's start (Behaviour.Online)
	Key       uint64 // stable identity for random streams: hash of (population name, index)
	Pop       *Population
	Behaviour

	// Ledger accounts (docs/model.md §8), in ROE.
	Stake   ROE
	Balance ROE

	Class int // index of its reporting class
	Index int // index within its population

	Claimable   ROE
	Pending     ROE // sum of vesting
	VoterReward ROE // slashed stake awarded to it as a voter, not yet claimed
	vesting     []tranche
	_           uint64 // pads the record to two whole cache lines
}

// CanTakePart reports whether the node's stake lets it submit and vote
// (docs/model.md §5: below minimum_stake it can no longer submit; as an
// assumption it can no longer vote either, as K2 counts only staked voters).
func (n *Node) CanTakePart(t *Task) bool { return n.Stake >= t.MinimumStake && n.Stake > 0 }
