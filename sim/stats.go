package sim

import "github.com/koiisim/koiisim/model"

// Counters are the figures of docs/model.md §9 for one class of nodes in
// one cycle, or summed over cycles. Counts are numbers of submissions,
// votes or lists; amounts are ROE.
type Counters struct {
	Active int // nodes of the class that worked or were expected to (online, staked, active workers)

	Valid   int // valid proofs that landed in the window
	Invalid int // invalid proofs that landed in the window
	Missing int // active workers with no proof in the window (absent, offline or late)
	Late    int // proofs that would have landed after the window (counted in Missing too)

	Approved         int // proofs paid by the accepted list
	Slashed          int // proofs slashed by the accepted list
	Neither          int // proofs neither paid nor slashed (zero net, or the cycle went unpaid)
	FalseSlashes     int // valid proofs slashed
	MissedDetections int // invalid proofs paid

	Rewards     model.ROE // credited to pending by payouts
	Slash       model.ROE // taken from stake by payouts
	Forfeited   model.ROE // pending rewards lost to slashes (slash_pending)
	VoterIncome model.ROE // slashed stake received as a false voter (slash_destination: voters)
	Fees        model.ROE // transaction fees paid
	WorkCost    model.ROE // off-chain cost of work done
	AuditCost   model.ROE // off-chain cost of audits done
	FraudCost   model.ROE // off-chain harm of invalid proofs paid to others (costs.fraud_loss)

	// Late detection (docs/model.md §5): paid invalid proofs discovered
	// late_detection_delay rounds after their payout, the part of their
	// rewards taken back, and the part already claimed and lost to the
	// task. Counted in the cycle of the round the discovery happens.
	LateDetections int
	ClawedBack     model.ROE
	FraudLost      model.ROE

	Audits         int // submission checks performed
	VotesTrue      int // true votes on submissions
	VotesFalse     int // false votes on submissions
	ListVotesTrue  int
	ListVotesFalse int

	ListsSubmitted     int // lists the class's builders sent and the chain took in
	ListsMissing       int // selections of the class's nodes that sent no list
	ListsChainRejected int // lists the chain refused (overpaying or naming a non-submitter)
	ListsRejected      int // lists the votes rejected
	ListsAccepted      int
	// CorrectListsRejected counts correct lists the votes rejected: what
	// griefing costs the task.
	CorrectListsRejected int

	// Ballots counts the ballots (proofs and lists) the class voted on;
	// VoteShare sums, over those ballots, the class's share of all votes
	// cast on each. Only class counters carry them.
	Ballots   int
	VoteShare float64

	Stake model.ROE // the class's stake when the cycle settled (in totals: at the end)
}

// Add adds o's counts and amounts to c. Stake is a level, not a flow:
// Add keeps o's.
func (c *Counters) Add(o *Counters) {
	c.Active += o.Active
	c.Valid += o.Valid
	c.Invalid += o.Invalid
	c.Missing += o.Missing
	c.LateDetections += o.LateDetections
	c.ClawedBack += o.ClawedBack
	c.FraudLost += o.FraudLost
	c.Late += o.Late
	c.Approved += o.Approved
	c.Slashed += o.Slashed
	c.Neither += o.Neither
	c.FalseSlashes += o.FalseSlashes
	c.MissedDetections += o.MissedDetections
	c.Rewards += o.Rewards
	c.Slash += o.Slash
	c.Forfeited += o.Forfeited
	c.VoterIncome += o.VoterIncome
	c.Fees += o.Fees
	c.WorkCost += o.WorkCost
	c.AuditCost += o.AuditCost
	c.FraudCost += o.FraudCost
	c.Audits += o.Audits
	c.VotesTrue += o.VotesTrue
	c.VotesFalse += o.VotesFalse
	c.ListVotesTrue += o.ListVotesTrue
	c.ListVotesFalse += o.ListVotesFalse
	c.ListsSubmitted += o.ListsSubmitted
	c.ListsMissing += o.ListsMissing
	c.ListsChainRejected += o.ListsChainRejected
	c.ListsRejected += o.ListsRejected
	c.ListsAccepted += o.ListsAccepted
	c.CorrectListsRejected += o.CorrectListsRejected
	c.Ballots += o.Ballots
	c.VoteShare += o.VoteShare
	c.Stake = o.Stake
}

// NetProfit is rewards plus voter income minus slashes, forfeits,
// clawbacks, fees and off-chain costs, fraud_loss included (docs/model.md
// §7, §9, §13), in ROE.
func (c *Counters) NetProfit() model.ROE {
	return c.payoff().Net()
}

// payoff is the counters' money as a learner sees it.
func (c *Counters) payoff() model.Payoff {
	return model.Payoff{Reward: c.Rewards, Slash: c.Slash, Forfeited: c.Forfeited, ClawedBack: c.ClawedBack, VoterIncome: c.VoterIncome,
		Fees: c.Fees, WorkCost: c.WorkCost, AuditCost: c.AuditCost, FraudCost: c.FraudCost}
}

// CycleRow is one cycle's figures, streamed in cycle order when the cycle
// has settled (paid, unpaid, or never started because the task ended or
// the rounds ran out). Its slices are reused after the callback returns.
type CycleRow struct {
	Cycle        int
	Started      bool
	SettledRound int
	Paid         bool // an accepted list was paid
	Unpaid       bool // started, but every list attempt failed or no one submitted
	WrongList    bool // the accepted list differed from the correct one
	Attempts     int  // list attempts made
	BountyPaid   model.ROE
	Classes      []Counters // by class index
	// Strategies are the mean probabilities the population's mixed
	// strategies play once the cycle's payoffs were learned from
	// (docs/model.md §13); nil when no behaviour has one.
	Strategies *StrategyMeans
}

// StrategyMeans are the mean audit and cheat probabilities over the
// joined nodes that play each (model.Strategist); a mean over no node
// is NaN.
type StrategyMeans struct {
	Audit, Cheat     float64
	Auditors, Cheats int
}

// NodeStats are one node's figures over the run.
type NodeStats struct {
	InitialStake   model.ROE
	Counters                 // the node's share of its class's counters (Active counts cycles, Stake is final)
	Withdrawn      model.ROE // stake returned at withdrawal
	Claimed        model.ROE // claimable and voter rewards moved to the balance by claims (before each claim's fee)
	JoinRound      int
	WithdrawRound  int // -1: never withdrew
	FirstInvalid   int // cycle of its first invalid proof; -1: none
	FirstSlashPaid int // round its first slash took stake or pending rewards; -1: never
	FirstCaught    int // round the first slash verdict for a cycle at or after FirstInvalid was paid (even if it found nothing to take); -1: never
	LastSubmit     int // round its last proof landed; -1: none
}
