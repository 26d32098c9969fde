package model

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// newLedger returns a ledger funded with total and n nodes that have not
// joined.
func newLedger(total ROE, n int) (*Ledger, []Node) {
	task := DefaultTask()
	task.TotalBounty = total
	nodes := make([]Node, n)
	for i := range nodes {
		nodes[i].ID = int32(i)
	}
	return NewLedger(&task), nodes
}

// mustConserve fails t if the ledger breaks conservation.
func mustConserve(t *testing.T, l *Ledger, nodes []Node, round int) {
	t.Helper()
	if err := l.Check(nodes, round); err != nil {
		t.Fatal(err)
	}
}

// TestJoinIsATopUp checks that a joining node's stake and balance enter
// the conservation total (docs/model.md §8, "plus top-ups").
func TestJoinIsATopUp(t *testing.T) {
	l, nodes := newLedger(1000, 2)
	if l.Pool != 1000 || l.TotalIn != 1000 {
		t.Fatalf("new ledger: pool %d, total in %d; want 1000, 1000", l.Pool, l.TotalIn)
	}
	l.Join(&nodes[0], 300, 20)
	l.Join(&nodes[1], 0, 7)
	if l.TotalIn != 1327 || nodes[0].Stake != 300 || nodes[0].Balance != 20 || !nodes[0].Joined {
		t.Errorf("after joins: total in %d, node 0 %+v", l.TotalIn, nodes[0])
	}
	mustConserve(t, l, nodes, 0)
}

// TestFeeBurnsOrRefuses checks that a transaction fee comes from the
// node's balance and is burned, and that a balance that cannot pay it
// refuses the transaction and charges nothing (docs/model.md §7).
func TestFeeBurnsOrRefuses(t *testing.T) {
	tests := []struct {
		balance, fee ROE
		paid         bool
		after        ROE
	}{
		{10, 3, true, 7},
		{3, 3, true, 0},
		{2, 3, false, 2},
		{0, 1, false, 0},
		{5, 0, true, 5},
	}
	for _, tt := range tests {
		l, nodes := newLedger(100, 1)
		l.Join(&nodes[0], 50, tt.balance)
		burned := ROE(0)
		if tt.paid {
			burned = tt.fee
		}
		if got := l.Fee(&nodes[0], tt.fee); got != tt.paid || nodes[0].Balance != tt.after || l.Burned != burned {
			t.Errorf("balance %d, fee %d: paid %v, balance %d, burned %d; want %v, %d, %d",
				tt.balance, tt.fee, got, nodes[0].Balance, l.Burned, tt.paid, tt.after, burned)
		}
		mustConserve(t, l, nodes, 0)
	}
}

// TestTaskStopsWhenLessThanOneRoundBountyLeft checks that a cycle can
// start only while at least one round's bounty is left unreserved in the
// pool, and that an unpaid cycle's bounty returns to use (docs/model.md §2
// total_bounty, §3 Retry: "its bounty stays in the pool").
func TestTaskStopsWhenLessThanOneRoundBountyLeft(t *testing.T) {
	l, nodes := newLedger(25, 1)
	l.Join(&nodes[0], 10, 0)
	step := func(what string, ok bool, want bool, pool, reserved ROE) {
		t.Helper()
		if ok != want || l.Pool != pool || l.Reserved != reserved {
			t.Fatalf("%s: %v, pool %d, reserved %d; want %v, %d, %d", what, ok, l.Pool, l.Reserved, want, pool, reserved)
		}
		mustConserve(t, l, nodes, 0)
	}
	step("reserve 1", l.Reserve(10), true, 25, 10)
	step("reserve 2", l.Reserve(10), true, 25, 20)
	step("reserve 3 with 5 left", l.Reserve(10), false, 25, 20)
	l.Release(10)
	l.Reward(&nodes[0], 10, 1) // cycle 1 paid in full
	step("cycle 1 paid", true, true, 15, 10)
	step("reserve with 5 unreserved", l.Reserve(10), false, 15, 10)
	l.Release(10) // cycle 2 unpaid: its bounty stays
	step("cycle 2 unpaid", true, true, 15, 0)
	step("reserve with 15 left", l.Reserve(10), true, 15, 10)
	l.Release(10)
	l.Reward(&nodes[0], 5, 2)
	step("cycle 3 paid 5", true, true, 10, 0)
	step("reserve with exactly one round left", l.Reserve(10), true, 10, 10)
	if !panics(func() { l.Release(11) }) {
		t.Error("Release of more than is reserved did not panic")
	}
}

// TestRewardPanicsBeyondPool checks that Reward asserts what its caller
// guarantees: a positive amount the pool holds.
func TestRewardPanicsBeyondPool(t *testing.T) {
	l, nodes := newLedger(10, 1)
	for _, a := range []ROE{0, -1, 11} {
		if !panics(func() { l.Reward(&nodes[0], a, 1) }) {
			t.Errorf("Reward(%d) from a pool of 10 did not panic", a)
		}
	}
	if nodes[0].Pending != 0 || l.Pool != 10 {
		t.Errorf("a refused reward moved money: pending %d, pool %d", nodes[0].Pending, l.Pool)
	}
}

// TestVestingKeepsRewardsPendingForVestingRounds checks vesting_rounds: a
// reward credited in round R with unlock R+V+1 stays pending through
// round R+V and becomes claimable exactly at round R+V+1 (docs/model.md §5).
func TestVestingKeepsRewardsPendingForVestingRounds(t *testing.T) {
	const R = 5
	for _, V := range []int{0, 1, 3, 10} {
		l, nodes := newLedger(1000, 1)
		n := &nodes[0]
		l.Reward(n, 100, R+V+1)
		for round := R; round <= R+V; round++ {
			l.Vest(n, round)
			if n.Pending != 100 || n.Claimable != 0 {
				t.Fatalf("V=%d, round %d: pending %d, claimable %d; want 100 pending", V, round, n.Pending, n.Claimable)
			}
		}
		l.Vest(n, R+V+1)
		if n.Pending != 0 || n.Claimable != 100 {
			t.Errorf("V=%d, round %d: pending %d, claimable %d; want 100 claimable", V, R+V+1, n.Pending, n.Claimable)
		}
		mustConserve(t, l, nodes, R+V+1)
	}
}

// TestVestingTranchesUnlockSeparately checks that rewards of successive
// rounds vest on their own schedule, and rewards with the same unlock
// together (docs/model.md §5).
func TestVestingTranchesUnlockSeparately(t *testing.T) {
	const V = 2
	l, nodes := newLedger(1000, 1)
	n := &nodes[0]
	l.Reward(n, 100, 5+V+1)
	l.Reward(n, 20, 5+V+1) // a second list paid in the same round
	l.Reward(n, 50, 6+V+1)
	l.Reward(n, 7, 9+V+1)
	want := []struct{ round, pending, claimable ROE }{
		{7, 177, 0},
		{8, 57, 120},
		{9, 7, 170},
		{11, 7, 170},
		{12, 0, 177},
		{20, 0, 177},
	}
	for _, w := range want {
		l.Vest(n, int(w.round))
		if n.Pending != w.pending || n.Claimable != w.claimable {
			t.Errorf("round %d: pending %d, claimable %d; want %d, %d", w.round, n.Pending, n.Claimable, w.pending, w.claimable)
		}
		mustConserve(t, l, nodes, int(w.round))
	}
}

// TestClawbackTakesNewestPendingThenClaimable checks late detection's
// clawback (docs/model.md §5): the newest vesting tranches first, then
// claimable rewards, never what was claimed, all back to the pool.
func TestClawbackTakesNewestPendingThenClaimable(t *testing.T) {
	l, nodes := newLedger(1000, 1)
	n := &nodes[0]
	l.Join(n, 0, 0)
	l.Reward(n, 100, 3)
	l.Reward(n, 50, 5)
	l.Reward(n, 30, 7)
	l.Vest(n, 3) // 100 claimable; 50 and 30 pending
	pool := l.Pool
	p, c := l.Clawback(n, 60) // 30 from the newest tranche, 30 from the next
	if p != 60 || c != 0 || n.Pending != 20 || n.Claimable != 100 || l.Pool != pool+60 {
		t.Errorf("clawback 60: took %d pending, %d claimable; left %d pending, %d claimable", p, c, n.Pending, n.Claimable)
	}
	l.Vest(n, 5) // the 20 left of the 50 tranche unlock at 5
	if n.Pending != 0 || n.Claimable != 120 {
		t.Errorf("after vesting: pending %d, claimable %d; want 0, 120", n.Pending, n.Claimable)
	}
	l.Claim(n, 0)
	l.Reward(n, 10, 9)
	p, c = l.Clawback(n, 40) // 10 pending, nothing claimable: 30 out of reach
	if p != 10 || c != 0 || n.Pending != 0 {
		t.Errorf("clawback 40 after a claim: took %d pending, %d claimable; want 10, 0", p, c)
	}
	mustConserve(t, l, nodes, 9)
}

// TestClaimOnlyWhenAmountExceedsFee checks that a claim moves claimable
// rewards and voter rewards to the balance, pays the claim's fee from
// them, and happens only when they exceed the fee (docs/model.md §5, §7).
func TestClaimOnlyWhenAmountExceedsFee(t *testing.T) {
	tests := []struct {
		claimable, voter, fee ROE
		claims                bool
	}{
		{5, 3, 8, false},
		{5, 3, 7, true},
		{0, 9, 8, true},
		{9, 0, 8, true},
		{0, 0, 0, false},
		{1, 0, 0, true},
	}
	for _, tt := range tests {
		l, nodes := newLedger(100, 2)
		n := &nodes[0]
		l.Join(n, 10, 2)
		if tt.claimable > 0 {
			l.Reward(n, tt.claimable, 1)
			l.Vest(n, 1)
		}
		// Node 1 is slashed and n, its lone false voter, gets it all.
		l.Join(&nodes[1], tt.voter, 0)
		stake, _ := l.Slash(&nodes[1], tt.voter, false)
		l.ToVoters(stake, One/2, n, nil)
		got := l.Claim(n, tt.fee)
		wantBalance, wantBurned := ROE(2), ROE(0)
		if tt.claims {
			wantBalance, wantBurned = 2+tt.claimable+tt.voter-tt.fee, tt.fee
		}
		if got != tt.claims || n.Balance != wantBalance || l.Burned != wantBurned {
			t.Errorf("claimable %d + voter %d, fee %d: claimed %v, balance %d, burned %d; want %v, %d, %d",
				tt.claimable, tt.voter, tt.fee, got, n.Balance, l.Burned, tt.claims, wantBalance, wantBurned)
		}
		if tt.claims && (n.Claimable != 0 || n.VoterReward != 0) || !tt.claims && (n.Claimable != tt.claimable || n.VoterReward != tt.voter) {
			t.Errorf("claimable %d + voter %d, fee %d: left claimable %d, voter reward %d", tt.claimable, tt.voter, tt.fee, n.Claimable, n.VoterReward)
		}
		mustConserve(t, l, nodes, 1)
	}
}

// TestSlashNeverBelowZero checks that a slash takes at most the node's
// stake (docs/model.md §3, Payout: "never below zero").
func TestSlashNeverBelowZero(t *testing.T) {
	tests := []struct{ stake, slash, taken ROE }{
		{10, 7, 7},
		{5, 7, 5},
		{0, 7, 0},
		{7, 7, 7},
		{7, 0, 0},
	}
	for _, tt := range tests {
		l, nodes := newLedger(100, 1)
		n := &nodes[0]
		l.Join(n, tt.stake, 0)
		stake, pending := l.Slash(n, tt.slash, false)
		if stake != tt.taken || pending != 0 || n.Stake != tt.stake-tt.taken || n.Stake < 0 {
			t.Errorf("stake %d, slash %d: took %d (+%d pending), stake left %d; want %d taken", tt.stake, tt.slash, stake, pending, n.Stake, tt.taken)
		}
		l.Burn(stake)
		mustConserve(t, l, nodes, 0)
	}
}

// TestSlashPendingForfeitsPendingRewards checks slash_pending: when true
// a slash also forfeits the node's pending rewards (and only those: what
// is claimable stays); when false pending rewards keep vesting
// (docs/model.md §5).
func TestSlashPendingForfeitsPendingRewards(t *testing.T) {
	for _, forfeit := range []bool{false, true} {
		l, nodes := newLedger(1000, 1)
		n := &nodes[0]
		l.Join(n, 100, 0)
		l.Reward(n, 30, 2)
		l.Vest(n, 2) // 30 claimable
		l.Reward(n, 40, 5)
		l.Reward(n, 50, 6) // 90 pending
		stake, pending := l.Slash(n, 70, forfeit)
		wantPending := ROE(0)
		if forfeit {
			wantPending = 90
		}
		if stake != 70 || pending != wantPending || n.Stake != 30 || n.Pending != 90-wantPending || n.Claimable != 30 {
			t.Errorf("slash_pending %v: took %d stake, %d pending; node stake %d, pending %d, claimable %d",
				forfeit, stake, pending, n.Stake, n.Pending, n.Claimable)
		}
		l.Burn(stake + pending)
		mustConserve(t, l, nodes, 3)
		l.Vest(n, 10) // forfeited tranches must not come back
		if want := 30 + 90 - wantPending; n.Claimable != want || n.Pending != 0 {
			t.Errorf("slash_pending %v, after vesting: claimable %d, pending %d; want %d, 0", forfeit, n.Claimable, n.Pending, want)
		}
		mustConserve(t, l, nodes, 10)
	}
}

// TestSlashDestinations checks burn and pool: a burned slash is counted
// as burned, a pooled one returns to the bounty (docs/model.md §4).
func TestSlashDestinations(t *testing.T) {
	l, nodes := newLedger(100, 1)
	l.Join(&nodes[0], 50, 0)
	s, _ := l.Slash(&nodes[0], 20, false)
	l.Burn(s)
	s, _ = l.Slash(&nodes[0], 20, false)
	l.ToPool(s)
	if l.Burned != 20 || l.Pool != 120 || nodes[0].Stake != 10 {
		t.Errorf("burned %d, pool %d, stake %d; want 20, 120, 10", l.Burned, l.Pool, nodes[0].Stake)
	}
	mustConserve(t, l, nodes, 0)
}

// TestToVotersInitiatorShareAndEqualSplit checks slash_destination:
// voters: the initiator gets floor(initiator_share * amount), the other
// false voters split the rest equally, floored, the remainder is burned,
// and a lone initiator gets it all (docs/model.md §4); it returns exactly
// what it moved.
func TestToVotersInitiatorShareAndEqualSplit(t *testing.T) {
	tests := []struct {
		amount          ROE
		share           Fraction
		others          int
		initiator, each ROE
		burned          ROE
	}{
		{100, One / 2, 3, 50, 16, 2},
		{100, One / 2, 0, 100, 0, 0},
		{100, 0, 0, 100, 0, 0},
		{7, 7 * (One / 10), 2, 4, 1, 1},
		{100, One, 2, 100, 0, 0},
		{100, 0, 3, 0, 33, 1},
		{1, One / 2, 2, 0, 0, 1},
		{0, One / 2, 2, 0, 0, 0},
	}
	for _, tt := range tests {
		l, nodes := newLedger(0, 1+tt.others)
		others := make([]*Node, tt.others)
		for i := range others {
			others[i] = &nodes[1+i]
		}
		nodes[0].VoterReward = 5 // earlier income: what is returned is this slash's alone
		paid := l.ToVoters(tt.amount, tt.share, &nodes[0], others)
		nodes[0].VoterReward -= 5
		what := fmt.Sprintf("%d ROE, share %s, %d others", tt.amount, tt.share, tt.others)
		if want := (VoterPayout{tt.initiator, tt.each, tt.burned}); paid != want {
			t.Errorf("%s: returned %+v, want %+v", what, paid, want)
		}
		if nodes[0].VoterReward != tt.initiator || l.Burned != tt.burned {
			t.Errorf("%s: initiator %d, burned %d; want %d, %d", what, nodes[0].VoterReward, l.Burned, tt.initiator, tt.burned)
		}
		for _, o := range others {
			if o.VoterReward != tt.each {
				t.Errorf("%s: node %d got %d, want %d", what, o.ID, o.VoterReward, tt.each)
			}
		}
		if got := l.Terms(nodes).PaidToVoters + l.Burned; got != tt.amount {
			t.Errorf("%s: voters and burn hold %d, want all %d", what, got, tt.amount)
		}
	}
}

// TestWithdrawReturnsStake checks that a withdrawal moves the stake to
// the balance and pays the withdraw fee from it (docs/model.md §5, §7).
func TestWithdrawReturnsStake(t *testing.T) {
	l, nodes := newLedger(100, 2)
	n := &nodes[0]
	l.Join(n, 50, 3)
	if got, ok := l.Withdraw(n, 5); got != 50 || !ok || n.Stake != 0 || n.Balance != 48 || l.Burned != 5 || !n.Withdrawn {
		t.Errorf("Withdraw = %d, %v; stake %d, balance %d, burned %d, withdrawn %v; want 50, true, 0, 48, 5, true",
			got, ok, n.Stake, n.Balance, l.Burned, n.Withdrawn)
	}
	mustConserve(t, l, nodes, 0)
	// A second withdrawal has nothing left to return.
	if got, ok := l.Withdraw(n, 5); got != 0 || !ok || n.Balance != 43 {
		t.Errorf("second Withdraw = %d, %v, balance %d; want 0, true, 43", got, ok, n.Balance)
	}
	mustConserve(t, l, nodes, 0)
	// A node whose stake and balance cannot pay the fee sends nothing.
	poor := &nodes[1]
	l.Join(poor, 2, 1)
	if got, ok := l.Withdraw(poor, 5); got != 0 || ok || poor.Stake != 2 || poor.Balance != 1 || poor.Withdrawn {
		t.Errorf("unaffordable Withdraw = %d, %v; stake %d, balance %d; want nothing moved", got, ok, poor.Stake, poor.Balance)
	}
	mustConserve(t, l, nodes, 0)
}

// TestConservationUnderRandomOperations drives a ledger through
// thousands of random movements of money, as the engine makes them, and
// checks the equation of docs/model.md §8 after every one.
func TestConservationUnderRandomOperations(t *testing.T) {
	r := newRand(30)
	const bounty = 10 * PerKOII
	l, nodes := newLedger(2000*PerKOII+ROE(r.IntN(1000)), 16)
	round, reservations, vesting := 0, 0, r.IntN(4)
	joined := func() *Node {
		for range 100 {
			if n := &nodes[r.IntN(len(nodes))]; n.Joined {
				return n
			}
		}
		return nil
	}
	counts := map[string]int{}
	for i := 0; i < 20000; i++ {
		op := r.IntN(10)
		n := joined()
		if n == nil {
			op = 0
		}
		switch op {
		case 0:
			if m := &nodes[r.IntN(len(nodes))]; !m.Joined {
				l.Join(m, r.Scaled(5000*PerKOII), r.Scaled(PerKOII))
				counts["join"]++
			}
		case 1:
			if l.Fee(n, ROE(r.IntN(10_000))) {
				counts["fee"]++
			}
		case 2:
			if l.Reserve(bounty) {
				reservations++
				counts["reserve"]++
			}
		case 3: // settle a cycle: pay part of its bounty, slash some nodes
			if reservations == 0 {
				continue
			}
			reservations--
			l.Release(bounty)
			left := ROE(r.IntN(int(bounty) + 1))
			for k := r.IntN(5); k > 0 && left > 0; k-- {
				a := 1 + r.ROEN(left-1)
				l.Reward(joined(), a, round+vesting+1)
				left -= a
				counts["reward"]++
			}
			for k := r.IntN(3); k > 0; k-- {
				v := joined()
				stake, pending := l.Slash(v, r.Scaled(100*PerKOII), r.IntN(2) == 0)
				switch amount := stake + pending; r.IntN(3) {
				case 0:
					l.Burn(amount)
				case 1:
					l.ToPool(amount)
				default:
					var others []*Node
					init := joined()
					for j := range nodes {
						if &nodes[j] != init && nodes[j].Joined && r.IntN(3) == 0 {
							others = append(others, &nodes[j])
						}
					}
					l.ToVoters(amount, Fraction(r.IntN(int(One)+1)), init, others)
				}
				counts["slash"]++
			}
		case 4:
			l.Vest(n, round)
		case 5:
			if l.Claim(n, ROE(r.IntN(10_000))) {
				counts["claim"]++
			}
		case 6:
			if r.IntN(20) == 0 {
				l.Withdraw(n, ROE(r.IntN(10_000)))
				counts["withdraw"]++
			}
		case 7:
			if p, c := l.Clawback(n, r.Scaled(20*PerKOII)); p+c > 0 {
				counts["clawback"]++
			}
		default:
			round++
		}
		if err := l.Check(nodes, round); err != nil {
			t.Fatalf("operation %d (kind %d) [seed %#x]: %v", i, op, testSeed, err)
		}
	}
	t.Logf("operations: %v", counts)
	for _, k := range []string{"join", "fee", "reserve", "reward", "slash", "claim", "withdraw", "clawback"} {
		if counts[k] < 10 {
			t.Errorf("only %d %s operations ran: %v", counts[k], k, counts)
		}
	}

	// A deliberate corruption: stake that came from nowhere.
	n := joined()
	n.Stake++
	err := l.Check(nodes, round)
	var ce *ConservationError
	if !errors.As(err, &ce) {
		t.Fatalf("after n.Stake++: Check = %v, want a *ConservationError", err)
	}
	if ce.Round != round || ce.Terms.Sum()-ce.Terms.TotalIn != 1 {
		t.Errorf("error names round %d, difference %d; want round %d, difference 1", ce.Round, ce.Terms.Sum()-ce.Terms.TotalIn, round)
	}
	msg := err.Error()
	for _, term := range []string{fmt.Sprintf("round %d", round), "stake", "pending", "claimable", "bounty_pool",
		"burned", "paid_to_voters", "balances", "entered", "difference 1 ROE"} {
		if !strings.Contains(msg, term) {
			t.Errorf("error %q does not name %q", msg, term)
		}
	}
	n.Stake--
	mustConserve(t, l, nodes, round)

	// More reserved than the pool holds is broken too.
	l.Reserved = l.Pool + 1
	if err := l.Check(nodes, round); !errors.As(err, &ce) {
		t.Errorf("reserved above pool: Check = %v, want a *ConservationError", err)
	}
}

// TestTermsPanicOnTornPending checks that Terms asserts that a node's
// pending rewards equal its vesting tranches: a torn ledger is a bug.
func TestTermsPanicOnTornPending(t *testing.T) {
	l, nodes := newLedger(100, 1)
	l.Reward(&nodes[0], 10, 3)
	nodes[0].Pending++
	if !panics(func() { l.Terms(nodes) }) {
		t.Error("Terms accepted pending that disagrees with the tranches")
	}
}
