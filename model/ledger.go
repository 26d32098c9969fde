package model

import "fmt"

// Ledger is the chain's money (docs/model.md §8): the task's bounty pool,
// what was burned, and through the nodes their stake, balances, pending,
// claimable and voter rewards. Every movement is a method here so that
// conservation can be checked against one list of terms.
type Ledger struct {
	Pool     ROE // the task's bounty pool, reserved part included
	Reserved ROE // bounty set aside for cycles that have started but are not settled
	Burned   ROE // fees and burned slashes
	TotalIn  ROE // everything that entered the system: funding, joining nodes' stake and balance
}

// NewLedger returns a ledger whose pool holds the task's total bounty.
func NewLedger(t *Task) *Ledger {
	return &Ledger{Pool: t.TotalBounty, TotalIn: t.TotalBounty}
}

// Join brings a node's stake and balance into the system (a top-up). A
// node joins once; a second join is an engine bug and panics.
func (l *Ledger) Join(n *Node, stake, balance ROE) {
	if n.Joined {
		panic(fmt.Sprintf("model.Ledger.Join: node %d joined twice", n.ID))
	}
	n.Stake, n.Balance, n.Joined = stake, balance, true
	l.TotalIn += stake + balance
}

// Fee charges a transaction fee from the node's balance and burns it
// (docs/model.md §7). It reports false, charging nothing, when the balance
// cannot pay: then the transaction is not sent.
func (l *Ledger) Fee(n *Node, fee ROE) bool {
	if n.Balance < fee {
		return false
	}
	n.Balance -= fee
	l.Burned += fee
	return true
}

// Reserve sets one round's bounty aside for a cycle that starts now. It
// reports false when less than one round's bounty is left unreserved: the
// task has run out (docs/model.md §2).
func (l *Ledger) Reserve(bounty ROE) bool {
	if l.Pool-l.Reserved < bounty {
		return false
	}
	l.Reserved += bounty
	return true
}

// Release returns a settled cycle's reservation.
func (l *Ledger) Release(bounty ROE) {
	if bounty > l.Reserved {
		panic(fmt.Sprintf("model.Ledger.Release(%d): only %d reserved", bounty, l.Reserved))
	}
	l.Reserved -= bounty
}

// Reward pays amount from the pool into the node's pending rewards,
// claimable from round unlock on (docs/model.md §5, vesting_rounds).
func (l *Ledger) Reward(n *Node, amount ROE, unlock int) {
	if amount <= 0 || amount > l.Pool {
		panic(fmt.Sprintf("model.Ledger.Reward(%d): pool holds %d", amount, l.Pool))
	}
	l.Pool -= amount
	n.Pending += amount
	if k := len(n.vesting); k > 0 && n.vesting[k-1].unlock == unlock {
		n.vesting[k-1].amount += amount
		return
	}
	n.vesting = append(n.vesting, tranche{unlock: unlock, amount: amount})
}

// Vest moves the node's pending rewards whose unlock round has come into
// claimable.
func (l *Ledger) Vest(n *Node, round int) {
	k := 0
	for k < len(n.vesting) && n.vesting[k].unlock <= round {
		n.Pending -= n.vesting[k].amount
		n.Claimable += n.vesting[k].amount
		k++
	}
	if k == len(n.vesting) {
		n.vesting = n.vesting[:0]
	} else if k > 0 {
		n.vesting = append(n.vesting[:0], n.vesting[k:]...)
	}
}

// Claim moves the node's claimable rewards and voter rewards to its
// balance, paying the claim's fee from the result. It claims only when
// the amount exceeds the fee, as a rational node would; it reports
// whether it claimed.
func (l *Ledger) Claim(n *Node, fee ROE) bool {
	amount := n.Claimable + n.VoterReward
	if amount <= fee {
		return false
	}
	n.Balance += amount
	n.Claimable, n.VoterReward = 0, 0
	if !l.Fee(n, fee) {
		panic("model.Ledger.Claim: fee unpaid after credit")
	}
	return true
}

// Slash takes up to amount from the node's stake (never below zero,
// docs/model.md §3) and, with slash_pending, forfeits its pending rewards
// too (docs/model.md §5). It returns what was taken from each; the caller
// sends the total to the slash destination.
func (l *Ledger) Slash(n *Node, amount ROE, forfeitPending bool) (stake, pending ROE) {
	stake = min(amount, n.Stake)
	n.Stake -= stake
	if forfeitPending {
		pending = n.Pending
		n.Pending = 0
		n.vesting = n.vesting[:0]
	}
	return stake, pending
}

// Clawback takes up to amount of a reward found fraudulent after its
// payout back into the bounty pool (docs/model.md §5, late detection):
// from the node's pending rewards first, newest tranche first, then from
// its claimable rewards. What it had already claimed is out of reach. It
// returns what it took from each.
func (l *Ledger) Clawback(n *Node, amount ROE) (pending, claimable ROE) {
	for k := len(n.vesting) - 1; k >= 0 && pending < amount; k-- {
		take := min(amount-pending, n.vesting[k].amount)
		n.vesting[k].amount -= take
		pending += take
		if n.vesting[k].amount == 0 {
			n.vesting = n.vesting[:k]
		}
	}
	n.Pending -= pending
	claimable = min(amount-pending, n.Claimable)
	n.Claimable -= claimable
	l.Pool += pending + claimable
	return pending, claimable
}

// Burn destroys amount (a burned slash).
func (l *Ledger) Burn(amount ROE) { l.Burned += amount }

// ToPool returns amount to the bounty pool (slash_destination: pool).
func (l *Ledger) ToPool(amount ROE) { l.Pool += amount }

// ToVoters splits a slash among the false voters (slash_destination:
// voters, docs/model.md §4): the initiator gets floor(initiator_share *
// amount); the rest is split equally, floored, among the other false
// voters (all of it to the initiator when there are none); the
// remainder of that floor is burned. Shares are credited to each
// voter's VoterReward; it returns what it moved, so callers never diff
// balances.
func (l *Ledger) ToVoters(amount ROE, share Fraction, initiator *Node, others []*Node) VoterPayout {
	p := VoterPayout{Initiator: share.Of(amount)}
	if len(others) == 0 {
		p.Initiator = amount
		initiator.VoterReward += p.Initiator
		return p
	}
	initiator.VoterReward += p.Initiator
	rest := amount - p.Initiator
	p.Each = rest / ROE(len(others))
	for _, o := range others {
		o.VoterReward += p.Each
	}
	p.Burned = rest - p.Each*ROE(len(others))
	l.Burned += p.Burned
	return p
}

// VoterPayout is what ToVoters moved: Initiator to the initiator, Each
// to every other false voter, Burned the remainder of the equal split.
// Initiator + Each × others + Burned is the slash.
type VoterPayout struct {
	Initiator, Each, Burned ROE
}

// Withdraw returns the node's stake to its balance (docs/model.md §5),
// paying the withdraw transaction's fee from the result. It reports
// false, moving nothing, when stake and balance together cannot pay the
// fee: then the transaction is not sent.
func (l *Ledger) Withdraw(n *Node, fee ROE) (ROE, bool) {
	s := n.Stake
	if n.Balance+s < fee {
		return 0, false
	}
	n.Balance += s
	n.Stake = 0
	n.Withdrawn = true
	if !l.Fee(n, fee) {
		panic("model.Ledger.Withdraw: fee unpaid after credit")
	}
	return s, true
}

// Terms are the terms of the conservation equation of docs/model.md §8.
type Terms struct {
	Stake, Pending, Claimable, Pool, Burned, PaidToVoters, Balances ROE
	TotalIn                                                         ROE
}

// Sum returns the left side of the equation.
func (t Terms) Sum() ROE {
	return t.Stake + t.Pending + t.Claimable + t.Pool + t.Burned + t.PaidToVoters + t.Balances
}

func (t Terms) String() string {
	return fmt.Sprintf("stake %d + pending %d + claimable %d + bounty_pool %d + burned %d + paid_to_voters %d + balances %d = %d ROE, but %d ROE entered (difference %d ROE)",
		t.Stake, t.Pending, t.Claimable, t.Pool, t.Burned, t.PaidToVoters, t.Balances, t.Sum(), t.TotalIn, t.Sum()-t.TotalIn)
}

// Terms sums every account over the nodes, from scratch: the check does
// not trust any running total.
func (l *Ledger) Terms(nodes []Node) Terms {
	t := Terms{Pool: l.Pool, Burned: l.Burned, TotalIn: l.TotalIn}
	for i := range nodes {
		n := &nodes[i]
		var vest ROE
		for _, v := range n.vesting {
			vest += v.amount
		}
		if vest != n.Pending {
			panic(fmt.Sprintf("model: node %d pending %d but vesting tranches sum to %d", n.ID, n.Pending, vest))
		}
		t.Stake += n.Stake
		t.Pending += n.Pending
		t.Claimable += n.Claimable
		t.PaidToVoters += n.VoterReward
		t.Balances += n.Balance
	}
	return t
}

// ConservationError is a broken equation of docs/model.md §8: a bug.
type ConservationError struct {
	Round    int
	Terms    Terms
	Reserved ROE
}

func (e *ConservationError) Error() string {
	if e.Reserved > e.Terms.Pool || e.Reserved < 0 {
		return fmt.Sprintf("conservation broken in round %d: %d ROE reserved for cycles in flight, but the bounty pool holds %d ROE (%s)", e.Round, e.Reserved, e.Terms.Pool, e.Terms)
	}
	return fmt.Sprintf("conservation broken in round %d: %s", e.Round, e.Terms)
}

// Check verifies conservation over all nodes (docs/model.md §8).
func (l *Ledger) Check(nodes []Node, round int) error {
	t := l.Terms(nodes)
	if t.Sum() != t.TotalIn || l.Reserved > l.Pool || l.Reserved < 0 {
		return &ConservationError{Round: round, Terms: t, Reserved: l.Reserved}
	}
	return nil
}
