package sim

import (
	"math"
	"reflect"
	"testing"

	"github.com/koiisim/koiisim/model"
)

// Tests of the engine, one protocol rule each, named after the rule and
// citing its section of docs/model.md. Hand-sized scenarios; statistical
// checks use fixed seeds and tolerances of a few standard errors.

// TestPipelineOneCycleStartsAndOneIsPaidEachRound: §3, cycles overlap so
// that cycle c works in round c, is reviewed in c+1 and paid in c+2.
func TestPipelineOneCycleStartsAndOneIsPaidEachRound(t *testing.T) {
	res, rows := runRows(t, config(pop("honest", "honest", 20)), 1, 10)
	if len(rows) != 12 {
		t.Fatalf("%d rows, want one per round the run went through (12)", len(rows))
	}
	for _, r := range rows[10:] {
		if r.Started {
			t.Errorf("cycle %d started in a drain round", r.Cycle)
		}
	}
	for i, r := range rows[:10] {
		if r.Cycle != i || !r.Started || !r.Paid || r.SettledRound != i+2 || r.Attempts != 1 {
			t.Errorf("cycle %d: %+v, want started, paid in round %d on the first attempt", i, r, i+2)
		}
		if r.Classes[0].Valid != 20 || r.Classes[0].Approved != 20 || r.BountyPaid != 10*model.PerKOII {
			t.Errorf("cycle %d: %d valid, %d approved, %s paid; want 20, 20, 10", i, r.Classes[0].Valid, r.Classes[0].Approved, r.BountyPaid)
		}
	}
	if res.LastRound != 11 {
		t.Errorf("run ended in round %d, want 11 (the last cycle, 9, is paid in round 11)", res.LastRound)
	}
}

// TestEqualSplitPaysFloorOfBountyOverApproved: §4, each approved node
// gets floor(bounty / approved); the remainder stays in the pool.
func TestEqualSplitPaysFloorOfBountyOverApproved(t *testing.T) {
	res, _ := runRows(t, config(pop("honest", "honest", 3)), 1, 4)
	each := 10 * model.PerKOII / 3
	for _, n := range res.Nodes {
		if n.Rewards != 4*each {
			t.Errorf("node %d earned %s, want 4 × %s", n.ID, n.Rewards, each)
		}
	}
	if want := 100_000*model.PerKOII - 12*each; res.Ledger.Pool != want {
		t.Errorf("pool %s, want %s (remainders stay)", res.Ledger.Pool, want)
	}
}

// TestLateProofIsMissing: §3, a proof that would land after the
// submission window is simply missing: not paid, never slashed.
func TestLateProofIsMissing(t *testing.T) {
	slow := pop("slow", "honest", 5)
	slow.Class = "slow"
	slow.SubmitDelay = model.Fixed(600) // the window is [0, 600)
	res, _ := runRows(t, config(pop("honest", "honest", 10), slow), 1, 20)
	c := classTotal(t, res, "slow")
	if c.Late != 5*20 || c.Missing != c.Late || c.Valid != 0 || c.Rewards != 0 || c.Slash != 0 || c.Slashed != 0 {
		t.Errorf("slow class: %+v; want every proof late and missing, nothing paid or slashed", c)
	}
}

// TestLastSlotFalseVoteGoesUnanswered: §3, a true vote needs an open
// trigger, so a false vote cast in the window's last slot, after every
// honest node acted, meets no answer and slashes a valid proof.
func TestLastSlotFalseVoteGoesUnanswered(t *testing.T) {
	for _, tc := range []struct {
		name      string
		delay     float64
		review    model.TriggeredReview
		wantSlash bool
	}{
		{"last slot, sampled review", 599, model.ReviewSampled, true},
		{"last slot, review all triggers", 599, model.ReviewAll, true},
		{"first slot, review all triggers", 0, model.ReviewAll, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			honest := pop("honest", "honest", 10)
			honest.AuditDelay = model.Uniform(1, 500)
			acc := pop("accuser", "test-accuser", 1)
			acc.AuditDelay = model.Fixed(tc.delay)
			cfg := config(honest, acc)
			cfg.Rules.AuditSample = model.SampleAll
			cfg.Rules.TriggeredReview = tc.review
			_, rows := runRows(t, cfg, 3, 1)
			h := rows[0].Classes[0]
			if tc.wantSlash && (h.FalseSlashes != 10 || h.Approved != 0) {
				t.Errorf("honest: %d false slashes, %d approved; want all 10 valid proofs slashed", h.FalseSlashes, h.Approved)
			}
			if !tc.wantSlash && (h.FalseSlashes != 0 || h.Approved != 10 || h.VotesTrue == 0) {
				t.Errorf("honest: %d false slashes, %d approved, %d true votes; want the accusations answered", h.FalseSlashes, h.Approved, h.VotesTrue)
			}
		})
	}
}

// TestWatchTriggersAnswersTriggersOpenedAfterActing: §3, with
// watch_triggers honest nodes that already acted answer a trigger after
// reaction_delay slots, if that is still inside the window.
func TestWatchTriggersAnswersTriggersOpenedAfterActing(t *testing.T) {
	for _, tc := range []struct {
		name      string
		watch     bool
		accuseAt  float64
		wantSlash bool
	}{
		{"not watching", false, 300, true},
		{"watching, room to answer", true, 300, false},
		{"watching, too late to answer", true, 595, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			honest := pop("honest", "honest", 10)
			honest.AuditDelay = model.Uniform(0, 200)
			acc := pop("accuser", "test-accuser", 1)
			acc.AuditDelay = model.Fixed(tc.accuseAt)
			cfg := config(honest, acc)
			cfg.Rules.WatchTriggers = tc.watch
			cfg.Rules.ReactionDelay = 10
			_, rows := runRows(t, cfg, 5, 1)
			h := rows[0].Classes[0]
			if got := h.FalseSlashes == 10; got != tc.wantSlash {
				t.Errorf("honest: %d false slashes, %d true votes; want slashed=%v", h.FalseSlashes, h.VotesTrue, tc.wantSlash)
			}
		})
	}
}

// TestInvalidProofSlashedInItsCycleWithSampleAll: §3, §4, with
// audit_sample: all and detection 1 every invalid proof is found and
// slashed in its own cycle, paid two rounds after its work round.
func TestInvalidProofSlashedInItsCycleWithSampleAll(t *testing.T) {
	cheats := pop("cheat", "test-cheat", 3)
	cheats.Class = "cheat"
	cheats.Stake = model.Fixed(100) // survives a few slashes
	cfg := config(pop("honest", "honest", 20), cheats)
	cfg.Rules.AuditSample = model.SampleAll
	res, _ := runRows(t, cfg, 1, 5)
	c := classTotal(t, res, "cheat")
	if c.Invalid == 0 || c.Slashed != c.Invalid || c.MissedDetections != 0 || c.Rewards != 0 {
		t.Errorf("cheats: %+v; want every invalid proof slashed, none paid", c)
	}
	for _, n := range res.Nodes {
		if res.Classes[n.Class] == "cheat" && (n.FirstInvalid != 0 || n.FirstCaught != 2) {
			t.Errorf("cheat %d: first invalid cycle %d, caught in round %d; want 0 and 2", n.ID, n.FirstInvalid, n.FirstCaught)
		}
	}
	if h := classTotal(t, res, "honest"); h.FalseSlashes != 0 || h.Approved != 20*5 {
		t.Errorf("honest: %+v; want all approved", h)
	}
}

// TestMissedDetectionMatchesAuditCoverage: §3, a proof escapes when no
// auditor samples and detects it. One cheat among 20 honest auditors,
// each sampling 1 of the 20 others: P(missed) = (1 - 1/20)^20. With
// slash_fraction 0 the cheat keeps its stake, so every cycle is a trial.
func TestMissedDetectionMatchesAuditCoverage(t *testing.T) {
	cfg := config(pop("honest", "honest", 20), pop("cheat", "test-cheat", 1))
	cfg.Populations[1].Class = "cheat"
	cfg.Rules.AuditSample = 1
	cfg.Rules.SlashFraction = 0
	const rounds = 3000
	res, _ := runRows(t, cfg, 17, rounds)
	c := classTotal(t, res, "cheat")
	p := math.Pow(19.0/20, 20)
	got := float64(c.MissedDetections) / float64(c.Invalid)
	se := math.Sqrt(p * (1 - p) / float64(c.Invalid))
	if c.Invalid != rounds || math.Abs(got-p) > 4*se {
		t.Errorf("missed %d of %d invalid proofs (%.4f), want %.4f ± %.4f", c.MissedDetections, c.Invalid, got, p, 4*se)
	}
}

// TestRejectedListRetriedNextPeriodThenUnpaid: §3, a rejected list is
// built again in the next period; after allowed_failed_distributions
// retries the cycle is unpaid and its bounty stays in the pool.
func TestRejectedListRetriedNextPeriodThenUnpaid(t *testing.T) {
	cfg := config(pop("bad", "test-badbuilder", 10))
	res, rows := runRows(t, cfg, 1, 6)
	for _, r := range rows[:6] {
		if !r.Unpaid || r.Attempts != 4 || r.SettledRound != r.Cycle+2+3 || r.Classes[0].ListsRejected != 4 {
			t.Errorf("cycle %d: %+v; want 4 rejected attempts and unpaid in round %d", r.Cycle, r, r.Cycle+5)
		}
	}
	if res.BountyPaid != 0 || res.Ledger.Pool != 100_000*model.PerKOII {
		t.Errorf("bounty paid %s, pool %s; want nothing paid", res.BountyPaid, res.Ledger.Pool)
	}
}

// TestRetrySamePeriodWhenWindowsLeaveRoom: §3, retry: same_period builds
// the list again in the same distribution period while the round has
// room for another window, and falls back to the next period.
func TestRetrySamePeriodWhenWindowsLeaveRoom(t *testing.T) {
	for _, tc := range []struct {
		allowed, wantDelay int
	}{{2, 0}, {3, 1}} { // three windows fit in the round, four do not
		cfg := config(pop("bad", "test-badbuilder", 10))
		cfg.Task.RoundTime = 3 * 1200
		cfg.Task.AllowedFailedDistributions = tc.allowed
		cfg.Rules.Retry = model.RetrySamePeriod
		_, rows := runRows(t, cfg, 1, 3)
		for _, r := range rows[:3] {
			if !r.Unpaid || r.Attempts != tc.allowed+1 || r.SettledRound != r.Cycle+2+tc.wantDelay {
				t.Errorf("allowed %d, cycle %d: %+v; want unpaid in round %d", tc.allowed, r.Cycle, r, r.Cycle+2+tc.wantDelay)
			}
		}
	}
}

// TestFailedBuilderExcludedFromRetries: §3, after a failed list its
// builder is not selected again for that cycle, so honest builders
// eventually get the cycle paid, and no wrong list is ever accepted.
func TestFailedBuilderExcludedFromRetries(t *testing.T) {
	cfg := config(pop("honest", "honest", 5), pop("bad", "test-badbuilder", 5))
	res, rows := runRows(t, cfg, 2, 200)
	retried := 0
	for _, r := range rows {
		if r.Attempts > 1 {
			retried++
		}
	}
	if res.WrongLists != 0 || retried == 0 || res.PaidCycles < 180 {
		t.Errorf("%d wrong lists, %d retried cycles, %d of 200 paid; want 0, some, and nearly all", res.WrongLists, retried, res.PaidCycles)
	}
}

// TestTaskStopsWhenBountyRunsOut: §2, the task stops when less than one
// round's bounty is left.
func TestTaskStopsWhenBountyRunsOut(t *testing.T) {
	cfg := config(pop("honest", "honest", 10))
	cfg.Task.TotalBounty = 55 * model.PerKOII // five and a half rounds
	res, _ := runRows(t, cfg, 1, 20)
	if res.CyclesStarted != 5 || res.EndReason != "bounty" || res.BountyPaid != 50*model.PerKOII || res.Ledger.Pool != 5*model.PerKOII {
		t.Errorf("%d cycles, end %q, paid %s, pool %s; want 5, bounty, 50, 5", res.CyclesStarted, res.EndReason, res.BountyPaid, res.Ledger.Pool)
	}
}

// TestNodeBelowMinimumStakeStopsSubmitting: §5, a node whose stake falls
// below minimum_stake can no longer submit.
func TestNodeBelowMinimumStakeStopsSubmitting(t *testing.T) {
	cheat := pop("cheat", "test-cheat", 1)
	cheat.Class = "cheat"
	cheat.Stake = model.Fixed(2) // 70% slash leaves 0.6 < 1.9
	cfg := config(pop("honest", "honest", 10), cheat)
	cfg.Rules.AuditSample = model.SampleAll
	res, _ := runRows(t, cfg, 1, 10)
	c := classTotal(t, res, "cheat")
	// Cycles 0 and 1 are submitted before cycle 0's slash lands at the end
	// of round 2. Cycle 0's list slashes 1.4 KOII (70% of 2); cycle 1's list
	// is built in round 3, after that slash, and takes 70% of the 0.6 left:
	// 0.42. The node, at 0.18, then stays silent.
	want := model.ROE(1_820_000_000)
	if c.Invalid != 2 || c.Slashed != 2 || c.Slash != want || c.Missing != 1 {
		t.Errorf("cheat: %+v; want 2 invalid proofs, both slashed (1.82 KOII in all), then silence", c)
	}
}

// TestConsecutiveSlashesReadTheStakeWhenTheListIsBuilt: §4, a slash is
// slash_fraction of the stake as it stands when the list is built in
// round r+2, after every earlier payout. A node invalid in every cycle at
// slash_fraction 0.3 with 100 KOII loses 30, 21, 14.7, 10.29, ...: each
// slash reads the stake the previous one left, never a stale one.
func TestConsecutiveSlashesReadTheStakeWhenTheListIsBuilt(t *testing.T) {
	cheat := pop("cheat", "test-cheat", 1)
	cheat.Stake = model.Fixed(100)
	cfg := config(pop("honest", "honest", 5), cheat)
	cfg.Rules.AuditSample = model.SampleAll
	cfg.Rules.SlashFraction = 3 * (model.One / 10)
	var got []model.ROE
	_, err := Run(cfg, Options{Seed: 1, Rounds: 5, Trace: func(ev *TraceEvent) {
		if ev.Kind == TraceSlash && ev.Node == 5 {
			got = append(got, ev.Amount)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := []model.ROE{30_000_000_000, 21_000_000_000, 14_700_000_000, 10_290_000_000, 7_203_000_000}
	if len(got) != len(want) {
		t.Fatalf("slashes %v; want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("slash %d: %s KOII; want %s", i, got[i], want[i])
		}
	}
}

// TestRepeatedSlashingCompoundsOnTheLiveStake: §4, statistically. Nodes
// invalid independently with probability q in each cycle, every invalid
// proof caught (audit_sample all, detection 1), lose fraction f of their
// live stake per invalid proof, so after C cycles a node's expected stake
// is S0 (1 - f q)^C. The mean over the nodes must match within 4 standard
// errors (the floors to whole ROE move it by under C ROE). Slashing a
// stale stake would lose more per consecutive pair: f^2 S0 each, about
// 10% of the mean here, many standard errors away.
func TestRepeatedSlashingCompoundsOnTheLiveStake(t *testing.T) {
	const (
		nodes  = 400
		q      = 0.5
		f      = 0.3
		cycles = 10
		s0     = 10.0
	)
	flaky := pop("flaky", "test-flaky", nodes)
	flaky.Behaviour.Params = model.Params{"invalid": q}
	cfg := config(flaky)
	cfg.Task.MinimumStake = 0
	cfg.Rules.AuditSample = model.SampleAll
	cfg.Rules.SlashFraction = 3 * (model.One / 10)
	res, _ := runRows(t, cfg, 7, cycles)
	if res.PaidCycles != cycles || res.WrongLists != 0 {
		t.Fatalf("%d of %d cycles paid, %d wrong lists; want every cycle paid correctly", res.PaidCycles, cycles, res.WrongLists)
	}
	var sum, sumSq float64
	for _, n := range res.Nodes {
		x := n.Stake.KOII()
		sum += x
		sumSq += x * x
	}
	mean := sum / nodes
	se := math.Sqrt((sumSq/nodes - mean*mean) / (nodes - 1))
	want := s0 * math.Pow(1-f*q, cycles)
	if math.Abs(mean-want) > 4*se {
		t.Errorf("mean final stake %.4f KOII; want %.4f (closed form) within 4 SE = %.4f", mean, want, 4*se)
	}
}

// TestWithdrawAfterUnstakeCooldown: §5, a node that stops withdraws its
// stake once it has had no submission for unstake_cooldown rounds.
func TestWithdrawAfterUnstakeCooldown(t *testing.T) {
	leaver := pop("leaver", "honest", 2)
	leaver.Class = "leaver"
	leaver.Stop = 10
	cfg := config(pop("honest", "honest", 10), leaver)
	res, _ := runRows(t, cfg, 1, 20)
	for _, n := range res.Nodes {
		if n.Population != "leaver" {
			continue
		}
		// Active in rounds [0, 10): its last proof (cycle 8) lands in round 9.
		if n.LastSubmit != 9 || n.WithdrawRound != 9+3+1 || n.Withdrawn != 10*model.PerKOII || n.Stake != 0 {
			t.Errorf("leaver %d: last submit %d, withdrew %s in round %d; want 9, 10 KOII in round 13", n.ID, n.LastSubmit, n.Withdrawn, n.WithdrawRound)
		}
	}
}

// TestVestingKeepsRewardsPending: §5, rewards stay pending for
// vesting_rounds rounds before they can be claimed.
func TestVestingKeepsRewardsPending(t *testing.T) {
	cfg := config(pop("honest", "honest", 4))
	cfg.Rules.VestingRounds = 5
	res, rows := runRows(t, cfg, 1, 30)
	// A payout in round R unlocks at the start of R+6; the last round
	// start was LastRound's.
	var want model.ROE
	for _, r := range rows {
		if r.SettledRound+5+1 > res.LastRound {
			want += r.BountyPaid
		}
	}
	if res.Ledger.Pending != want || want == 0 {
		t.Errorf("pending %s at the end, want %s (the payouts of the last 6 rounds)", res.Ledger.Pending, want)
	}
}

// TestStakeSelectionProportionalToStake: §3, selection: stake picks the
// builder with probability proportional to stake.
func TestStakeSelectionProportionalToStake(t *testing.T) {
	light, heavy := pop("light", "honest", 10), pop("heavy", "honest", 10)
	light.Class, heavy.Class = "light", "heavy"
	heavy.Stake = model.Fixed(30)
	cfg := config(light, heavy)
	cfg.Rules.Selection = model.SelectStake
	const rounds = 2000
	res, _ := runRows(t, cfg, 9, rounds)
	got := float64(classTotal(t, res, "heavy").ListsSubmitted) / float64(rounds)
	p, se := 0.75, math.Sqrt(0.75*0.25/rounds)
	if math.Abs(got-p) > 4*se {
		t.Errorf("heavy nodes built %.4f of lists, want %.4f ± %.4f", got, p, 4*se)
	}
}

// TestKoiiSelectionGrindingBuysOdds: §3, under koii selection a node that
// grinds g variants gets g+1 scores and keeps the best: among n-1 plain
// candidates it wins with probability (g+1)/(g+n).
func TestKoiiSelectionGrindingBuysOdds(t *testing.T) {
	g := pop("grinder", "test-grinder", 1)
	g.Class = "grinder"
	g.Behaviour.Params["grind"] = 4
	cfg := config(pop("honest", "honest", 19), g)
	const rounds = 3000
	res, _ := runRows(t, cfg, 4, rounds)
	got := float64(classTotal(t, res, "grinder").ListsSubmitted) / float64(rounds)
	p := 5.0 / 24
	se := math.Sqrt(p * (1 - p) / rounds)
	if math.Abs(got-p) > 4*se {
		t.Errorf("grinder built %.4f of lists, want %.4f ± %.4f", got, p, 4*se)
	}
}

// TestVoteWeightStakeLetsAWhaleOutvote: §4, vote_weight: stake weighs a
// vote by the voter's stake, so one heavy accuser outweighs nine light
// defenders; under node weight the defenders win.
func TestVoteWeightStakeLetsAWhaleOutvote(t *testing.T) {
	for _, tc := range []struct {
		weight    model.VoteWeight
		wantSlash bool
	}{{model.WeightNode, false}, {model.WeightStake, true}} {
		honest := pop("honest", "honest", 10)
		honest.AuditDelay = model.Uniform(1, 500)
		acc := pop("accuser", "test-accuser", 1)
		acc.Stake = model.Fixed(1000)
		acc.AuditDelay = model.Fixed(0)
		cfg := config(honest, acc)
		cfg.Rules.TriggeredReview = model.ReviewAll
		cfg.Rules.VoteWeight = tc.weight
		_, rows := runRows(t, cfg, 1, 1)
		if got := rows[0].Classes[0].FalseSlashes == 10; got != tc.wantSlash {
			t.Errorf("vote_weight %v: %d false slashes; want slashed=%v", tc.weight, rows[0].Classes[0].FalseSlashes, tc.wantSlash)
		}
	}
}

// TestSlashToVotersPaysFalseVoters: §4, slash_destination: voters gives
// the slash to the false voters, initiator_share to the initiator; only
// the floor remainder is burned.
func TestSlashToVotersPaysFalseVoters(t *testing.T) {
	cheat := pop("cheat", "test-cheat", 1)
	cheat.Class = "cheat"
	cfg := config(pop("honest", "honest", 10), cheat)
	cfg.Rules.AuditSample = model.SampleAll
	cfg.Rules.SlashDestination = model.SlashVoters
	res, _ := runRows(t, cfg, 1, 3)
	c, h := classTotal(t, res, "cheat"), classTotal(t, res, "honest")
	// Each split among 10 voters burns at most 9 ROE of floor remainder.
	if c.Slash == 0 || h.VoterIncome > c.Slash || c.Slash-h.VoterIncome > model.ROE(9*c.Slashed) {
		t.Errorf("cheat slashed %s, honest voters got %s; want all but a floor remainder", c.Slash, h.VoterIncome)
	}
}

// TestSlashToPoolRefundsTheBounty: §4, slash_destination: pool returns
// slashed stake to the task's bounty pool.
func TestSlashToPoolRefundsTheBounty(t *testing.T) {
	cheat := pop("cheat", "test-cheat", 1)
	cheat.Class = "cheat"
	cfg := config(pop("honest", "honest", 10), cheat)
	cfg.Rules.AuditSample = model.SampleAll
	cfg.Rules.SlashDestination = model.SlashPool
	res, _ := runRows(t, cfg, 1, 3)
	c := classTotal(t, res, "cheat")
	if want := cfg.Task.TotalBounty - res.BountyPaid + c.Slash; res.Ledger.Pool != want || c.Slash == 0 {
		t.Errorf("pool %s, want %s (funding - paid + slashed %s)", res.Ledger.Pool, want, c.Slash)
	}
}

// TestSameSeedSameRun and TestDifferentSeedDifferentRun: a run is a
// pure function of (config, seed).
func TestSameSeedSameRun(t *testing.T) {
	cfg := config(pop("honest", "honest", 50), pop("faulty", "faulty", 5))
	cfg.Populations[0].Stake = model.Uniform(2, 50)
	r1, rows1 := runRows(t, cfg, 42, 40)
	r2, rows2 := runRows(t, cfg, 42, 40)
	if !reflect.DeepEqual(r1, r2) || !reflect.DeepEqual(rows1, rows2) {
		t.Fatal("two runs with seed 42 differ")
	}
	r3, _ := runRows(t, cfg, 43, 40)
	if reflect.DeepEqual(r1.Nodes, r3.Nodes) {
		t.Fatal("seeds 42 and 43 gave the same nodes")
	}
}

// TestAddingAPopulationDoesNotShiftOthersDraws: streams are named by
// (seed, purpose, node key, round), so a new population leaves every
// existing node's stake and timing draws alone.
func TestAddingAPopulationDoesNotShiftOthersDraws(t *testing.T) {
	honest := pop("honest", "honest", 30)
	honest.Stake = model.Uniform(2, 50)
	a, _ := runRows(t, config(honest), 7, 3)
	extra := pop("extra", "honest", 10)
	b, _ := runRows(t, config(extra, honest), 7, 3)
	for i := 0; i < 30; i++ {
		if a.Nodes[i].InitialStake != b.Nodes[10+i].InitialStake {
			t.Fatalf("honest node %d drew stake %s alone and %s beside another population", i, a.Nodes[i].InitialStake, b.Nodes[10+i].InitialStake)
		}
	}
}

// TestTraceTellsTheSameStory: the trace has one event per proof, late
// proof, vote, list, missing list, closed list, payout and withdrawal the
// counters count, in slot order, and the late accuser's votes carry the
// window's last slot. Offline faulty builders, slow submitters and
// leavers make every kind happen.
func TestTraceTellsTheSameStory(t *testing.T) {
	honest := pop("honest", "honest", 10)
	honest.AuditDelay = model.Uniform(1, 500)
	acc := pop("accuser", "test-accuser", 1)
	acc.AuditDelay = model.Fixed(599)
	flaky := kind("flaky", "faulty", 6, model.Params{"offline": 0.4, "invalid": 0.2})
	slow := pop("slow", "honest", 4)
	slow.SubmitDelay = model.Uniform(300, 900) // half of the proofs and lists late
	leaver := pop("leaver", "honest", 3)
	leaver.Stop = 6
	cfg := config(honest, acc, flaky, slow, leaver)
	var evs []TraceEvent
	res, err := Run(cfg, Options{Seed: 3, Rounds: 14, Trace: func(ev *TraceEvent) { evs = append(evs, *ev) }})
	if err != nil {
		t.Fatal(err)
	}
	tot := res.Total()
	count := map[TraceKind]int{}
	var rewards model.ROE
	last := model.Slot(-1)
	for _, ev := range evs {
		count[ev.Kind]++
		if ev.Slot < last {
			t.Fatalf("trace goes back in time: %+v after slot %d", ev, last)
		}
		last = ev.Slot
		if ev.Kind == TraceReward {
			rewards += ev.Amount
		}
		if ev.Kind == TraceVote && ev.Node == 10 { // the accuser
			if want := model.Slot(ev.Round)*1500 + 600 + 599; ev.Slot != want {
				t.Errorf("accuser voted at slot %d, want %d", ev.Slot, want)
			}
		}
	}
	withdrawn := 0
	for _, n := range res.Nodes {
		if n.WithdrawRound >= 0 {
			withdrawn++
		}
	}
	for _, c := range []struct {
		kind  TraceKind
		trace int
		count int
	}{
		{TraceProof, count[TraceProof], tot.Valid + tot.Invalid},
		{TraceLate, count[TraceLate], tot.Late},
		{TraceVote, count[TraceVote], tot.VotesTrue + tot.VotesFalse},
		{TraceListVote, count[TraceListVote], tot.ListVotesTrue + tot.ListVotesFalse},
		{TraceList, count[TraceList], tot.ListsSubmitted + tot.ListsChainRejected},
		{TraceNoList, count[TraceNoList], tot.ListsMissing},
		{TraceListDone, count[TraceListDone], tot.ListsSubmitted},
		{TraceSlash, count[TraceSlash], tot.Slashed},
		{TraceWithdraw, count[TraceWithdraw], withdrawn},
	} {
		if c.trace != c.count {
			t.Errorf("%d %s events in the trace; the counters say %d", c.trace, c.kind, c.count)
		}
		if c.count == 0 && c.kind != TraceListVote {
			t.Errorf("no %s in the run: the test no longer exercises it", c.kind)
		}
	}
	if rewards != res.BountyPaid {
		t.Errorf("trace rewards %s; bounty paid %s", rewards, res.BountyPaid)
	}
}
