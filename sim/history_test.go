package sim

import (
	"math"
	"math/big"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/koiisim/koiisim/model"
)

// runHistory runs cfg with Options.OnRound and calls check with the
// engine at every round's end, so a test can recompute the row from the
// nodes themselves. It returns the result, every row (copied) and the
// number of rewards the trace saw.
func runHistory(t *testing.T, cfg *model.Config, seed uint64, rounds int, check func(*engine, *RoundState)) (*Result, []RoundState, int64) {
	t.Helper()
	var e *engine
	var rows []RoundState
	var rewards int64
	opt := Options{Seed: seed, Rounds: rounds, MaxEvents: DefaultMaxEvents,
		OnRound: func(s *RoundState) error {
			if check != nil {
				check(e, s)
			}
			c := *s
			c.Classes = slices.Clone(s.Classes)
			rows = append(rows, c)
			return nil
		},
		Trace: func(ev *TraceEvent) {
			if ev.Kind == TraceReward {
				rewards++
			}
		},
	}
	e, err := newEngine(cfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	e.run()
	if e.err != nil {
		t.Fatalf("seed %d: %v", seed, e.err)
	}
	return e.result(), rows, rewards
}

// bruteStake recomputes the stake figures of the staked nodes among ns
// the slow way: a fresh sort, ranks by integer comparison, and the Gini
// coefficient as the mean absolute difference over all pairs, exactly.
func bruteStake(ns []*model.Node) (staked int, sum, p10, p50, p90 model.ROE, gini float64) {
	var xs []model.ROE
	for _, n := range ns {
		if n.Joined && !n.Withdrawn {
			xs = append(xs, n.Stake)
			sum += n.Stake
		}
	}
	slices.Sort(xs)
	staked = len(xs)
	gini = math.NaN()
	if staked == 0 {
		return
	}
	q := func(p int) model.ROE {
		k := 1
		for k*100 < p*staked {
			k++
		}
		return xs[k-1]
	}
	p10, p50, p90 = q(10), q(50), q(90)
	if sum == 0 {
		return
	}
	diff := new(big.Int)
	for _, a := range xs {
		for _, b := range xs {
			d := big.NewInt(int64(a - b))
			diff.Add(diff, d.Abs(d))
		}
	}
	den := new(big.Int).Mul(big.NewInt(int64(2*staked)), big.NewInt(int64(sum)))
	gini, _ = new(big.Rat).SetFrac(diff, den).Float64()
	return
}

// TestHistoryAgreesWithNodesCountersAndLedger: every round's row
// matches sums recomputed from the nodes (stake quantiles and Gini by
// brute force), and the last row matches the run's counters and the
// ledger, over random configs with every rule option (docs/model.md §5,
// §8, §9).
func TestHistoryAgreesWithNodesCountersAndLedger(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for trial := range 40 {
		cfg := randomConfig(rng)
		seed := uint64(trial)
		res, rows, rewards := runHistory(t, cfg, seed, 5+rng.IntN(40), func(e *engine, s *RoundState) {
			k := len(e.classes)
			members := make([][]*model.Node, k+1)
			for i := range e.nodes {
				n := &e.nodes[i]
				members[n.Class] = append(members[n.Class], n)
				members[k] = append(members[k], n)
			}
			for c, ns := range members {
				got := &s.Classes[c]
				staked, sum, p10, p50, p90, gini := bruteStake(ns)
				if got.Staked != staked || got.Stake != sum || got.StakeP10 != p10 || got.StakeP50 != p50 || got.StakeP90 != p90 {
					t.Fatalf("seed %d round %d set %d: staked, sum, p10, p50, p90 = %d %d %d %d %d, brute force %d %d %d %d %d",
						seed, s.Round, c, got.Staked, got.Stake, got.StakeP10, got.StakeP50, got.StakeP90, staked, sum, p10, p50, p90)
				}
				if !(math.IsNaN(gini) && math.IsNaN(got.StakeGini)) && math.Abs(got.StakeGini-gini) > 1e-12 {
					t.Fatalf("seed %d round %d set %d: gini %v, brute force %v", seed, s.Round, c, got.StakeGini, gini)
				}
				var vesting, claimable model.ROE
				active := 0
				for _, n := range ns {
					vesting += n.Pending
					claimable += n.Claimable
					if e.active(n, s.Round) {
						active++
					}
				}
				if got.Vesting != vesting || got.Claimable != claimable || got.Active != active {
					t.Fatalf("seed %d round %d set %d: vesting %d claimable %d active %d, nodes say %d %d %d",
						seed, s.Round, c, got.Vesting, got.Claimable, got.Active, vesting, claimable, active)
				}
			}
		})
		if len(rows) != res.LastRound+1 {
			t.Fatalf("seed %d: %d rows for rounds 0..%d", seed, len(rows), res.LastRound)
		}
		for r, row := range rows {
			if row.Round != r {
				t.Fatalf("seed %d: row %d is round %d", seed, r, row.Round)
			}
		}
		last := rows[len(rows)-1]
		for c := range res.Classes {
			got, want := &last.Classes[c], &res.Totals[c]
			if got.Stake != want.Stake || got.Rewards != want.Rewards || got.Slashed != want.Slash || got.Forfeited != want.Forfeited ||
				got.ClawedBack != want.ClawedBack || got.FraudLost != want.FraudLost {
				t.Fatalf("seed %d class %s: last row stake %d rewards %d slashed %d forfeited %d, counters %d %d %d %d",
					seed, res.Classes[c], got.Stake, got.Rewards, got.Slashed, got.Forfeited, want.Stake, want.Rewards, want.Slash, want.Forfeited)
			}
			if got.PendingProofs != 0 {
				t.Fatalf("seed %d class %s: %d proofs pending after every cycle settled", seed, res.Classes[c], got.PendingProofs)
			}
		}
		var withdrawn, claimed model.ROE
		for _, n := range res.Nodes {
			withdrawn += n.Withdrawn
			// What was credited and is no longer held or forfeited was claimed.
			claimed += n.Rewards + n.VoterIncome - n.Forfeited - n.ClawedBack - n.Pending - n.Claimable - n.VoterReward
		}
		tot := &last.Classes[len(res.Classes)]
		if tot.Stake != res.Ledger.Stake || tot.Vesting != res.Ledger.Pending || tot.Claimable != res.Ledger.Claimable ||
			tot.VoterRewards != res.Ledger.PaidToVoters || tot.Withdrawn != withdrawn || tot.Claimed != claimed {
			t.Fatalf("seed %d: last total row %+v, ledger %+v, withdrawn %d, claimed %d", seed, *tot, res.Ledger, withdrawn, claimed)
		}
		d := res.Delays
		var paid, settled int64
		for _, n := range d.WorkToPayout {
			paid += n
		}
		for _, n := range d.PayoutToClaim {
			settled += n
		}
		if paid != rewards || settled+d.Unclaimed+d.Forfeited+d.ClawedBack != paid {
			t.Fatalf("seed %d: %d rewards traced, %d in work_to_payout; %d claimed + %d unclaimed + %d forfeited + %d clawed back",
				seed, rewards, paid, settled, d.Unclaimed, d.Forfeited, d.ClawedBack)
		}
	}
}

// TestHistoryDelaysFollowVestingAndClaimEvery: a reward paid in round p
// unlocks in p + vesting_rounds + 1 and is claimed at the first round
// from then on that is a multiple of claim_every (docs/model.md §5);
// with no retries every payout lands two rounds after the work.
func TestHistoryDelaysFollowVestingAndClaimEvery(t *testing.T) {
	for _, tc := range []struct{ vesting, every int }{{0, 1}, {3, 1}, {2, 5}} {
		cfg := config(pop("honest", "honest", 12))
		cfg.Rules.VestingRounds, cfg.Rules.ClaimEvery = tc.vesting, tc.every
		var payouts []int
		var e *engine
		opt := Options{Seed: 4, Rounds: 60, MaxEvents: DefaultMaxEvents,
			OnRound: func(*RoundState) error { return nil },
			Trace: func(ev *TraceEvent) {
				if ev.Kind == TraceReward {
					payouts = append(payouts, ev.Round)
				}
			}}
		e, err := newEngine(cfg, opt)
		if err != nil {
			t.Fatal(err)
		}
		e.run()
		if e.err != nil {
			t.Fatal(e.err)
		}
		res := e.result()
		var want []int64
		var unclaimed int64
		for _, p := range payouts {
			claim := p + tc.vesting + 1
			for claim%tc.every != 0 {
				claim++
			}
			if claim > res.LastRound {
				unclaimed++
				continue
			}
			want = bump(want, claim-p, 1)
		}
		if !slices.Equal(res.Delays.PayoutToClaim, want) || res.Delays.Unclaimed != unclaimed {
			t.Errorf("vesting %d claim_every %d: payout to claim %v (unclaimed %d), want %v (%d)",
				tc.vesting, tc.every, res.Delays.PayoutToClaim, res.Delays.Unclaimed, want, unclaimed)
		}
		if w := res.Delays.WorkToPayout; len(w) != 3 || w[2] != int64(len(payouts)) {
			t.Errorf("vesting %d: work to payout %v, want all %d at 2 rounds", tc.vesting, w, len(payouts))
		}
	}
}

// TestHistoryForfeitedRewardsAreNotClaimed: with slash_pending a slash
// takes the rewards not yet vested, and they count as forfeited, never
// as claimed.
func TestHistoryForfeitedRewardsAreNotClaimed(t *testing.T) {
	cfg := config(pop("honest", "honest", 8), pop("flaky", "test-flaky", 4))
	cfg.Populations[1].Behaviour.Params["invalid"] = 0.3
	cfg.Rules.VestingRounds, cfg.Rules.SlashPending = 4, true
	res, _, rewards := runHistory(t, cfg, 2, 80, nil)
	d := res.Delays
	if d.Forfeited == 0 {
		t.Fatal("no reward forfeited: the scenario does not test the rule")
	}
	var claimed int64
	for _, n := range d.PayoutToClaim {
		claimed += n
	}
	if claimed+d.Forfeited+d.Unclaimed != rewards {
		t.Fatalf("%d claimed + %d forfeited + %d unclaimed, %d rewards paid", claimed, d.Forfeited, d.Unclaimed, rewards)
	}
}

// TestStakeOrderMatchesSortingAfresh: the incremental order (the moved
// nodes sorted and merged in) is the order a fresh sort gives, through
// joins, leaves, ties and zero stakes.
func TestStakeOrderMatchesSortingAfresh(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 200
	stake := make([]model.ROE, n)
	dirty := make([]bool, n)
	for i := range stake {
		stake[i] = -1
	}
	var o stakeOrder
	for round := range 300 {
		var moved []int32
		for range rng.IntN(20) {
			i := rng.IntN(n)
			if dirty[i] {
				continue
			}
			v := model.ROE(rng.IntN(8)) - 1 // -1: not staked; small values: ties
			if v == stake[i] {
				continue
			}
			stake[i], dirty[i] = v, true
			moved = append(moved, int32(i))
		}
		o.update(moved, dirty, stake)
		for _, i := range moved {
			dirty[i] = false
		}
		var want []int32
		for i := range stake {
			if stake[i] >= 0 {
				want = append(want, int32(i))
			}
		}
		slices.SortStableFunc(want, func(a, b int32) int { return int(stake[a] - stake[b]) })
		if !slices.Equal(o.nodes, want) {
			t.Fatalf("round %d: order %v, want %v", round, o.nodes, want)
		}
	}
}

// TestHistoryMemoryIsFlatInRounds: what the history output allocates
// does not grow with the rounds of the run (rows stream out; the delay
// histograms grow with the longest delay, not the run).
func TestHistoryMemoryIsFlatInRounds(t *testing.T) {
	cfg := config(pop("honest", "honest", 40), pop("flaky", "test-flaky", 10))
	cfg.Populations[1].Behaviour.Params["invalid"] = 0.2
	mallocs := func(rounds int, on bool) uint64 {
		opt := Options{Seed: 1, Rounds: rounds}
		if on {
			opt.OnRound = func(*RoundState) error { return nil }
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, err := Run(cfg, opt); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return after.Mallocs - before.Mallocs
	}
	extra := func(rounds int) int64 { return int64(mallocs(rounds, true)) - int64(mallocs(rounds, false)) }
	short, long := extra(200), extra(800)
	// A node's unclaimed queue may grow a few times more on a longer run
	// before reaching its steady size; it never grows per round.
	if long > short+200 {
		t.Fatalf("history allocations: %d over 200 rounds, %d over 800: they grow with rounds", short, long)
	}
}

// TestHistoryClawedBackRewardsAreNotClaimed: late detection takes back a
// fraudulent reward before its claim (docs/model.md §5); it counts as
// clawed back, never as claimed, and the history's clawback sums are the
// counters'.
func TestHistoryClawedBackRewardsAreNotClaimed(t *testing.T) {
	cfg := config(pop("honest", "honest", 10), pop("flaky", "test-flaky", 4))
	cfg.Populations[1].Behaviour.Params["invalid"] = 0.5
	cfg.Rules.Detection = 0 // audits miss every invalid proof: it is paid
	cfg.Rules.LateDetection, cfg.Rules.LateDetectionDelay = 1, 2
	cfg.Rules.VestingRounds = 4 // found before it vests
	res, rows, rewards := runHistory(t, cfg, 3, 60, nil)
	d := res.Delays
	if d.ClawedBack == 0 {
		t.Fatal("no reward clawed back: the scenario does not test the rule")
	}
	var claimed int64
	for _, n := range d.PayoutToClaim {
		claimed += n
	}
	if claimed+d.Forfeited+d.Unclaimed+d.ClawedBack != rewards {
		t.Fatalf("%d claimed + %d forfeited + %d unclaimed + %d clawed back, %d rewards paid", claimed, d.Forfeited, d.Unclaimed, d.ClawedBack, rewards)
	}
	last := rows[len(rows)-1].Classes[1]
	if want := res.Totals[1].ClawedBack; last.ClawedBack != want || want == 0 {
		t.Fatalf("flaky clawed back %d in the history, %d in the counters", last.ClawedBack, want)
	}
}
