package sim

import (
	"math"
	"testing"

	"github.com/koiisim/koiisim/model"
)

// Tests of the delay rules of docs/model.md §5: the pipeline's depth,
// late detection, vote warm-up, stake-age weights and discounting.

// TestPaymentLagPaysCycleRInRoundRPlusLag: §5, payment_lag L builds and
// pays cycle r's list in round r + L, and every cycle is still paid once.
func TestPaymentLagPaysCycleRInRoundRPlusLag(t *testing.T) {
	for _, lag := range []int{2, 3, 7, 12, model.MaxPaymentLag} {
		cfg := config(pop("honest", "honest", 6))
		cfg.Rules.PaymentLag = lag
		res, rows := runRows(t, cfg, 1, 20)
		if res.PaidCycles != 20 {
			t.Fatalf("lag %d: %d of 20 cycles paid", lag, res.PaidCycles)
		}
		for _, r := range rows {
			if r.Started && r.SettledRound != r.Cycle+lag {
				t.Errorf("lag %d: cycle %d paid in round %d, want %d", lag, r.Cycle, r.SettledRound, r.Cycle+lag)
			}
		}
		if res.LastRound != 19+lag {
			t.Errorf("lag %d: run ended in round %d, want %d", lag, res.LastRound, 19+lag)
		}
	}
}

// TestPaymentLagKeepsBuilderCandidatesToThreeCycles: §3, whatever the lag,
// cycle c's list builder submitted in cycles c, c-1 and c-2: nodes that
// join in round 3 cannot build the lists of cycles 3 and 4, though by the
// time those lists are built (round c + lag) they have submitted often.
func TestPaymentLagKeepsBuilderCandidatesToThreeCycles(t *testing.T) {
	for _, lag := range []int{2, 5, 9} {
		for seed := uint64(1); seed <= 20; seed++ {
			late := pop("late", "honest", 20)
			late.Join = 3
			cfg := config(pop("early", "honest", 2), late)
			cfg.Rules.PaymentLag = lag
			_, err := Run(cfg, Options{Seed: seed, Rounds: 6, Trace: func(ev *TraceEvent) {
				if ev.Kind == TraceList && (ev.Cycle == 3 || ev.Cycle == 4) && ev.Node >= 2 {
					t.Errorf("lag %d seed %d: node %d, joined in round 3, built cycle %d's list", lag, seed, ev.Node, ev.Cycle)
				}
			}})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestHitAndRunEscapesIffCooldownBelowLag: §5, a whale that stops in
// round S works its last cycle S-2 and submits it in round S-1, so it
// withdraws in round S + cooldown; that cycle's list is built in round
// S - 2 + lag, after withdrawals. The slash reads a stake of zero exactly
// when S + cooldown <= S - 2 + lag, that is cooldown <= lag - 2. The whale
// joins in round 7, so it never submitted three cycles in a row and
// cannot be chosen to build the list (a chosen builder that has left
// fails the attempt and delays the list by a round).
func TestHitAndRunEscapesIffCooldownBelowLag(t *testing.T) {
	for _, lag := range []int{2, 3, 5} {
		for cooldown := 0; cooldown <= 4; cooldown++ {
			whale := kind("whale", "whale", 2, model.Params{"invalid": 1.0, "from": 8, "purse": 100 * model.PerKOII})
			whale.Join, whale.Stop = 7, 10
			cfg := config(pop("honest", "honest", 10), whale)
			cfg.Rules.AuditSample = model.SampleAll
			cfg.Rules.UnstakeCooldown = cooldown
			cfg.Rules.PaymentLag = lag
			res, _ := runRows(t, cfg, 1, 15)
			w := classTotal(t, res, "whale")
			want := model.ROE(70 * model.PerKOII)
			if cooldown <= lag-2 {
				want = 0
			}
			if w.Slash != want {
				t.Errorf("lag %d, cooldown %d: whale slashed %s; want %s", lag, cooldown, w.Slash, want)
			}
		}
	}
}

// TestVoteWarmupSilencesNewNodes: §3, a node votes and builds lists only
// vote_warmup rounds after it joins: an accuser joining in round 2 with a
// warm-up of 4 casts its first vote in round 6, and nodes joining in
// round 2 build no list before round 6.
func TestVoteWarmupSilencesNewNodes(t *testing.T) {
	acc := pop("accuser", "test-accuser", 1)
	acc.Join = 2
	late := pop("late", "honest", 20)
	late.Join = 2
	cfg := config(pop("honest", "honest", 5), acc, late)
	cfg.Rules.VoteWarmup = 4
	first := map[TraceKind]int{TraceVote: -1, TraceList: -1}
	_, err := Run(cfg, Options{Seed: 1, Rounds: 12, Trace: func(ev *TraceEvent) {
		if ev.Node < 5 || first[ev.Kind] >= 0 {
			return
		}
		if ev.Kind == TraceVote && ev.Node == 5 || ev.Kind == TraceList {
			first[ev.Kind] = ev.Round
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if first[TraceVote] != 6 {
		t.Errorf("the accuser joined in round 2 with warm-up 4 first voted in round %d; want 6", first[TraceVote])
	}
	if r := first[TraceList]; r >= 0 && r < 6 {
		t.Errorf("a node joined in round 2 built a list in round %d, inside its warm-up", r)
	}
}

// TestStakeAgeWeighsVotesByRoundsStaked: §4, a 25 KOII accuser joins in
// round 8 and votes first, at its window's first slot; the two honest
// answers weigh 10 KOII each. Under vote_weight stake it slashes valid
// proofs from cycle 7 (reviewed in round 8) on. Under stake_age with a cap
// of 10 rounds it weighs floor(25 * age / 10) with age = round - 8 + 1:
// 20 in round 15 (a tie, neither) and 22.5 in round 16, so the first
// valid proof it slashes is cycle 15's. One node one vote never slashes.
func TestStakeAgeWeighsVotesByRoundsStaked(t *testing.T) {
	for _, tc := range []struct {
		weight model.VoteWeight
		first  int // first cycle with a false slash, -1 none
	}{{model.WeightStake, 7}, {model.WeightStakeAge, 15}, {model.WeightNode, -1}} {
		honest := pop("honest", "honest", 3)
		honest.AuditDelay = model.Uniform(1, 599)
		acc := pop("accuser", "test-accuser", 1)
		acc.Join = 8
		acc.Stake = model.Fixed(25)
		acc.AuditDelay = model.Fixed(0)
		cfg := config(honest, acc)
		cfg.Rules.AuditSample = model.SampleAll
		cfg.Rules.TriggeredReview = model.ReviewAll
		cfg.Rules.VoteWeight = tc.weight
		cfg.Rules.StakeAgeCap = 10
		_, rows := runRows(t, cfg, 1, 22)
		first := -1
		for _, r := range rows {
			if r.Classes[0].FalseSlashes > 0 {
				first = r.Cycle
				break
			}
		}
		if first != tc.first {
			t.Errorf("vote_weight %v: first valid proof slashed in cycle %d; want %d", tc.weight, first, tc.first)
		}
	}
}

// lateRun runs 6 honest nodes and one test-cheat whose invalid proofs
// the audits never find (detection 0), so every one is paid, with every
// paid invalid proof discovered delay rounds after its payout.
func lateRun(t *testing.T, delay, vesting int, stop int) (*Result, Counters, []TraceEvent) {
	t.Helper()
	cheat := pop("cheat", "test-cheat", 1)
	cheat.Class = "cheat"
	cheat.Stake = model.Fixed(100)
	cheat.Stop = stop
	cfg := config(pop("honest", "honest", 6), cheat)
	cfg.Task.MinimumStake = 0
	cfg.Rules.Detection = 0
	cfg.Rules.LateDetection = 1
	cfg.Rules.LateDetectionDelay = delay
	cfg.Rules.VestingRounds = vesting
	cfg.Rules.UnstakeCooldown = 0
	var evs []TraceEvent
	res, err := Run(cfg, Options{Seed: 1, Rounds: 8, Trace: func(ev *TraceEvent) {
		if ev.Node == 6 && (ev.Kind == TraceLateDetect || ev.Kind == TraceSlash) {
			evs = append(evs, *ev)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	return res, classTotal(t, res, "cheat"), evs
}

// TestLateDetectionClawsBackWhatIsStillPending: §5, a fraud found one
// round after its payout meets its reward still pending (discoveries
// come before vesting and claims at a round's start): all of it goes
// back to the pool, and each discovery slashes 70% of the stake left.
func TestLateDetectionClawsBackWhatIsStillPending(t *testing.T) {
	res, c, evs := lateRun(t, 1, 0, 0)
	if c.MissedDetections != 8 || c.LateDetections != 8 {
		t.Fatalf("%d invalid proofs paid, %d discovered; want 8 and 8", c.MissedDetections, c.LateDetections)
	}
	if c.ClawedBack != c.Rewards || c.FraudLost != 0 {
		t.Errorf("earned %s, clawed back %s, lost %s; want all clawed back", c.Rewards, c.ClawedBack, c.FraudLost)
	}
	// 100 KOII, 70% of what is left at each of 8 discoveries.
	stake := model.ROE(100 * model.PerKOII)
	for range 8 {
		stake -= model.MulDiv(stake, 7, 10)
	}
	if res.Nodes[6].Stake != stake || c.Slash != 100*model.PerKOII-stake {
		t.Errorf("stake left %s, slashed %s; want %s left", res.Nodes[6].Stake, c.Slash, stake)
	}
	if res.LastRound != 7+2+1 {
		t.Errorf("run ended in round %d; want 10, the last discovery's", res.LastRound)
	}
	if len(evs) != 16 {
		t.Errorf("%d late-detection and slash events for the cheat; want 16", len(evs))
	}
}

// TestLateDetectionLosesWhatWasClaimed: §5, the clawback takes any of
// the node's pending rewards, not only the fraud's. With no vesting a
// reward paid at the end of round r is claimed at the start of round
// r+1, after that round's discoveries. Found two rounds after payout:
// cycles 0 to 2 are paid in rounds 2 to 4 and found in rounds 4 to 6,
// when the reward of the cycle after each (paid the round before) is
// still pending for the first two and nothing is left for the last:
// two rewards come back, one is lost. The cheat (stop 4, cooldown 0)
// withdraws at the start of round 4, after the first discovery: only
// that one slashes it.
func TestLateDetectionLosesWhatWasClaimed(t *testing.T) {
	res, c, _ := lateRun(t, 2, 0, 4)
	reward := c.Rewards / 3
	if c.LateDetections != 3 || c.Rewards != 3*reward || c.ClawedBack != 2*reward || c.FraudLost != reward {
		t.Errorf("%d discovered: earned %s, clawed back %s, lost %s; want 3, 2 rewards back, 1 lost", c.LateDetections, c.Rewards, c.ClawedBack, c.FraudLost)
	}
	if want := model.ROE(70 * model.PerKOII); c.Slash != want || res.Nodes[6].Withdrawn != 30*model.PerKOII {
		t.Errorf("slashed %s, withdrew %s; want 70 slashed, 30 withdrawn", c.Slash, res.Nodes[6].Withdrawn)
	}
}

// TestDiscountRateValuesEachFlowInItsRound: §7, net_profit_pv discounts
// each flow by (1 + rate)^-(round - join). With no fees or costs, the
// flows are the rewards the trace shows, credited in their payout round:
// the brute-force sum over them must equal each node's present value,
// for nodes joining at 0 and at 4. With no rate it is the net profit.
func TestDiscountRateValuesEachFlowInItsRound(t *testing.T) {
	late := pop("late", "honest", 3)
	late.Join = 4
	cfg := config(pop("early", "honest", 4), late)
	cfg.Costs.TxFee = 0
	cfg.Costs.DiscountRate = 0.1
	want := make([]float64, 7)
	res, err := Run(cfg, Options{Seed: 1, Rounds: 12, Trace: func(ev *TraceEvent) {
		if ev.Kind == TraceReward {
			join := 0
			if ev.Node >= 4 {
				join = 4
			}
			want[ev.Node] += float64(ev.Amount) * math.Pow(1.1, -float64(ev.Round-join))
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range res.Nodes {
		if math.Abs(n.NetPV-want[i]) > 1e-9*want[i] || n.NetPV >= float64(n.NetProfit()) {
			t.Errorf("node %d: present value %.3f ROE, brute force %.3f, net %s", i, n.NetPV, want[i], n.NetProfit())
		}
	}
	cfg.Costs.DiscountRate = 0
	res, _ = runRows(t, cfg, 1, 12)
	for i, n := range res.Nodes {
		if n.NetPV != float64(n.NetProfit()) {
			t.Errorf("node %d without a rate: present value %.0f, net %s", i, n.NetPV, n.NetProfit())
		}
	}
}

// TestProgressCountsTheRoundsThatRun: the progress total is the rounds
// the bounty can fund plus the pipeline's drain, so it ends at the round
// the run really ends in: 5 fundable cycles of 20 asked for, paid with a
// lag of 4, end in round 5 + 4 (the round that finds nothing to do).
func TestProgressCountsTheRoundsThatRun(t *testing.T) {
	cfg := config(pop("honest", "honest", 6))
	cfg.Task.TotalBounty = 5 * cfg.Task.BountyPerRound
	cfg.Rules.PaymentLag = 4
	var last, total int
	res, err := Run(cfg, Options{Seed: 1, Rounds: 20, Progress: func(r, n int) { last, total = r, n }})
	if err != nil {
		t.Fatal(err)
	}
	if total != 9 || last != res.LastRound || res.LastRound != 8 {
		t.Errorf("progress ended at %d of %d; run ended in round %d; want 8 of 9", last, total, res.LastRound)
	}
}
