package sim

import (
	"math"
	"testing"

	"github.com/koiisim/koiisim/model"
)

// Tests of the attacker library (docs/model.md §6) through the engine:
// small cases whose slashes and rewards are worked out by hand in the
// comments, and statistical checks with fixed seeds.

// kind returns a population of a behaviour kind with some parameters set.
func kind(name, k string, count int, params model.Params) model.Population {
	p := pop(name, k, count)
	p.Class = name
	for key, v := range params {
		p.Behaviour.Params[key] = v
	}
	return p
}

// TestWhaleDefendsMembersAndNeverAccusesThem: 3 honest nodes and 2 whale
// sybils (stake 10 each), audit_sample all, the whale acting in the last
// slot. Each whale proof is invalid: the 3 honest auditors vote false,
// and the one other member votes true (a node never votes on its own
// proof). Net -2: both whale proofs are slashed 7 KOII (70% of 10). The
// 3 honest proofs are never accused and share the bounty: 3.333333333
// KOII each, 1 ROE left in the pool. On each whale ballot the whale cast
// 1 of 4 votes: a vote share of 0.25.
func TestWhaleDefendsMembersAndNeverAccusesThem(t *testing.T) {
	whale := kind("whale", "whale", 2, model.Params{"invalid": 1.0})
	whale.AuditDelay = model.Fixed(599)
	honest := pop("honest", "honest", 3)
	honest.AuditDelay = model.Uniform(0, 500)
	cfg := config(honest, whale)
	cfg.Rules.AuditSample = model.SampleAll
	_, rows := runRows(t, cfg, 1, 1)
	h, w := rows[0].Classes[0], rows[0].Classes[1]
	if w.Slash != 14*model.PerKOII || w.Slashed != 2 || w.VotesTrue != 2 || w.VotesFalse != 0 || w.Rewards != 0 {
		t.Errorf("whale: %+v; want both proofs slashed 7 KOII, 2 true votes, no false votes", w)
	}
	if h.Rewards != 3*3_333_333_333 || h.Approved != 3 || h.VotesFalse != 6 || h.FalseSlashes != 0 {
		t.Errorf("honest: %+v; want 3 approved at 3.333333333 KOII, 6 false votes", h)
	}
	if w.Ballots != 2 || math.Abs(w.VoteShare/float64(w.Ballots)-0.25) > 1e-12 {
		t.Errorf("whale voted on %d ballots with mean share %v; want 2 and 0.25", w.Ballots, w.VoteShare/float64(w.Ballots))
	}
}

// TestSybilsOutvoteUnderNodeWeightNotStake: 2 honest nodes of stake 100
// and 4 whale sybils of stake 10 with invalid proofs. Each whale proof
// gets 2 false votes and 3 true ones (the other members). One node one
// vote: net +1, approved, all 6 proofs share the bounty (missed
// detections 4). Stake weight: 200 against 30, slashed.
func TestSybilsOutvoteUnderNodeWeightNotStake(t *testing.T) {
	for _, tc := range []struct {
		weight              model.VoteWeight
		wantMissed, wantCut int
	}{{model.WeightNode, 4, 0}, {model.WeightStake, 0, 4}} {
		whale := kind("whale", "whale", 4, model.Params{"invalid": 1.0})
		whale.AuditDelay = model.Fixed(599)
		honest := pop("honest", "honest", 2)
		honest.Stake = model.Fixed(100)
		honest.AuditDelay = model.Uniform(0, 500)
		cfg := config(honest, whale)
		cfg.Rules.AuditSample = model.SampleAll
		cfg.Rules.VoteWeight = tc.weight
		_, rows := runRows(t, cfg, 1, 1)
		w := rows[0].Classes[1]
		if w.MissedDetections != tc.wantMissed || w.Slashed != tc.wantCut {
			t.Errorf("vote_weight %v: whale %d missed detections, %d slashed; want %d, %d", tc.weight, w.MissedDetections, w.Slashed, tc.wantMissed, tc.wantCut)
		}
		if tc.weight == model.WeightNode && w.Rewards != 4*(10*model.PerKOII/6) {
			t.Errorf("whale rewards %s, want 4 × 10/6 KOII", w.Rewards)
		}
	}
}

// TestGrieferLateVotesSlashValidProofs: 4 honest nodes and 1 griefer
// accusing 2 proofs in the window's last slot. The 2 accused valid
// proofs get one unanswered false vote each: slashed 7 KOII each; the
// other 2 share the bounty (5 KOII each). The griefer pays 2 vote fees,
// submits nothing and earns nothing.
func TestGrieferLateVotesSlashValidProofs(t *testing.T) {
	g := kind("griefer", "griefer", 1, model.Params{"accuse": 2})
	g.Role = model.RoleAuditor
	honest := pop("honest", "honest", 4)
	honest.AuditDelay = model.Uniform(0, 500)
	_, rows := runRows(t, config(honest, g), 1, 1)
	h, gr := rows[0].Classes[0], rows[0].Classes[1]
	if h.FalseSlashes != 2 || h.Slash != 14*model.PerKOII || h.Rewards != 10*model.PerKOII {
		t.Errorf("honest: %+v; want 2 false slashes of 7 KOII and 10 KOII shared by the other two", h)
	}
	if gr.VotesFalse != 2 || gr.Fees != 2*5000 || gr.Rewards != 0 || gr.Valid+gr.Invalid != 0 {
		t.Errorf("griefer: %+v; want 2 false votes paying 2 fees of 5000 ROE, no proof, no reward", gr)
	}
}

// TestGrieferListVotesRejectCorrectLists: with grief_lists a griefer's
// last-slot false vote rejects every list, correct or not, so every
// cycle uses its 4 attempts and goes unpaid.
func TestGrieferListVotesRejectCorrectLists(t *testing.T) {
	g := kind("griefer", "griefer", 1, model.Params{"accuse": 0, "grief_lists": true})
	g.Role = model.RoleAuditor
	g.AuditDelay = model.Fixed(599)
	honest := pop("honest", "honest", 6)
	honest.AuditDelay = model.Uniform(0, 500)
	res, rows := runRows(t, config(honest, g), 1, 3)
	for _, r := range rows[:3] {
		if !r.Unpaid || r.Classes[0].CorrectListsRejected != 4 {
			t.Errorf("cycle %d: unpaid %v, %d correct lists rejected; want unpaid after 4", r.Cycle, r.Unpaid, r.Classes[0].CorrectListsRejected)
		}
	}
	if res.BountyPaid != 0 {
		t.Errorf("bounty paid %s, want 0", res.BountyPaid)
	}
}

// TestLazyAuditorsApproveBlindly: one honest auditor acting first finds
// a cheat's invalid proof and votes false; three lazy nodes acting later
// vote true on the open trigger without checking: net +2, the invalid
// proof is paid. Silent lazy nodes leave it slashed. Lazy nodes check
// nothing, so they pay no audit_cost.
func TestLazyAuditorsApproveBlindly(t *testing.T) {
	for _, approve := range []bool{true, false} {
		honest := pop("honest", "honest", 1)
		honest.AuditDelay = model.Fixed(0)
		lazy := kind("lazy", "lazy", 3, model.Params{"check": 0.0, "approve": approve})
		lazy.AuditDelay = model.Uniform(10, 500)
		cheat := kind("cheat", "test-cheat", 1, nil)
		cfg := config(honest, lazy, cheat)
		cfg.Rules.AuditSample = model.SampleAll
		cfg.Costs.AuditCost = 1000
		_, rows := runRows(t, cfg, 1, 1)
		l, c := rows[0].Classes[1], rows[0].Classes[2]
		if l.Audits != 0 || l.AuditCost != 0 {
			t.Errorf("lazy checked %d proofs; want none", l.Audits)
		}
		if approve && (c.MissedDetections != 1 || l.VotesTrue != 3) {
			t.Errorf("approving lazy nodes: cheat %d missed, lazy %d true votes; want 1 and 3", c.MissedDetections, l.VotesTrue)
		}
		if !approve && (c.Slashed != 1 || l.VotesTrue != 0) {
			t.Errorf("silent lazy nodes: cheat slashed %d, lazy %d true votes; want 1 and 0", c.Slashed, l.VotesTrue)
		}
	}
}

// TestUnauditedCoalitionKeepsItsRewards: a coalition whose only auditors
// never look (silent lazy nodes) has every invalid proof paid.
func TestUnauditedCoalitionKeepsItsRewards(t *testing.T) {
	whale := kind("whale", "whale", 5, model.Params{"invalid": 1.0})
	lazy := kind("lazy", "lazy", 5, model.Params{"check": 0.0, "approve": false})
	res, _ := runRows(t, config(whale, lazy), 2, 20)
	w := classTotal(t, res, "whale")
	if w.Invalid != 100 || w.MissedDetections != 100 || w.Slash != 0 || w.Rewards != res.BountyPaid/2 {
		t.Errorf("whale: %+v; want all 100 invalid proofs paid, half the bounty", w)
	}
}

// TestRationalAuditorCoverage: one node that always submits invalid work
// among 50 rational auditors that each audit it with probability 0.05
// (audit_sample all): it is slashed in its cycle with probability
// 1 - 0.95^50 = 0.923055. slash_fraction 0 keeps it staked, so each
// cycle is a trial.
func TestRationalAuditorCoverage(t *testing.T) {
	cheat := kind("cheat", "test-cheat", 1, nil)
	aud := kind("auditors", "rational", 50, model.Params{"audit": 0.05})
	aud.Role = model.RoleAuditor
	cfg := config(aud, cheat)
	cfg.Rules.AuditSample = model.SampleAll
	cfg.Rules.SlashFraction = 0
	const rounds = 3000
	res, _ := runRows(t, cfg, 5, rounds)
	c := classTotal(t, res, "cheat")
	p := 1 - math.Pow(0.95, 50)
	got := float64(c.Slashed) / float64(c.Invalid)
	if se := math.Sqrt(p * (1 - p) / rounds); c.Invalid != rounds || math.Abs(got-p) > 4*se {
		t.Errorf("slashed %d of %d (%.4f), want %.4f ± %.4f", c.Slashed, c.Invalid, got, p, 4*se)
	}
}

// TestHijackedListPaidOnlyWithAMajority: a coalition that forges every
// list it builds (all bounty to itself, honest submitters slashed) gets
// its forgeries rejected while it is a minority of voters, and paid when
// it outvotes the honest nodes.
func TestHijackedListPaidOnlyWithAMajority(t *testing.T) {
	for _, tc := range []struct {
		whales    int
		wantWrong bool
	}{{3, false}, {12, true}} {
		whale := kind("whale", "whale", tc.whales, model.Params{"invalid": 0.0, "hijack": true, "hijack_slash": 2})
		whale.AuditDelay = model.Fixed(599)
		honest := pop("honest", "honest", 8)
		honest.AuditDelay = model.Uniform(0, 500)
		cfg := config(honest, whale)
		cfg.Rules.TriggeredReview = model.ReviewAll
		res, _ := runRows(t, cfg, 3, 60)
		w, h := classTotal(t, res, "whale"), classTotal(t, res, "honest")
		if w.ListsSubmitted == 0 {
			t.Fatalf("%d whales never built a list", tc.whales)
		}
		if got := res.WrongLists > 0; got != tc.wantWrong {
			t.Errorf("%d whales: %d wrong lists paid; want some=%v", tc.whales, res.WrongLists, tc.wantWrong)
		}
		// Once the forged lists' slashes have pushed the honest nodes below
		// the minimum stake, a forged list equals the correct one: it pays
		// the coalition, the only submitters left.
		if tc.wantWrong && (h.FalseSlashes == 0 || w.ListsAccepted < res.WrongLists) {
			t.Errorf("%d whales: honest false slashes %d, whale lists accepted %d, wrong lists %d", tc.whales, h.FalseSlashes, w.ListsAccepted, res.WrongLists)
		}
		if !tc.wantWrong && w.ListsRejected != w.ListsSubmitted {
			t.Errorf("%d whales: %d of %d forged lists rejected; want all", tc.whales, w.ListsRejected, w.ListsSubmitted)
		}
	}
}

// TestHitAndRunKeepsStakeWithoutCooldown: §5, a whale that cheats in its
// last cycle and leaves keeps its stake when unstake_cooldown is 0 (it
// withdraws before the slash is paid) and loses 70% of it with the
// default cooldown of 3.
func TestHitAndRunKeepsStakeWithoutCooldown(t *testing.T) {
	for _, tc := range []struct {
		cooldown  int
		wantSlash model.ROE
	}{{0, 0}, {3, 70 * model.PerKOII}} {
		whale := kind("whale", "whale", 2, model.Params{"invalid": 1.0, "from": 8, "purse": 100 * model.PerKOII})
		whale.Join, whale.Stop = 0, 10
		cfg := config(pop("honest", "honest", 10), whale)
		cfg.Rules.AuditSample = model.SampleAll
		cfg.Rules.UnstakeCooldown = tc.cooldown
		res, _ := runRows(t, cfg, 1, 15)
		w := classTotal(t, res, "whale")
		var withdrawn model.ROE
		for _, n := range res.Nodes {
			if n.Population == "whale" {
				withdrawn += n.Withdrawn
			}
		}
		if w.Slash != tc.wantSlash || withdrawn != 100*model.PerKOII-tc.wantSlash || w.Invalid != 2 {
			t.Errorf("cooldown %d: whale slashed %s, withdrew %s, %d invalid; want slashed %s", tc.cooldown, w.Slash, withdrawn, w.Invalid, tc.wantSlash)
		}
	}
}

// TestSlashPendingForfeitsRewardsAfterTheStakeIsGone: §5, with
// slash_pending a slash verdict forfeits the node's pending rewards even
// when no stake is left to take: a whale that withdrew (cooldown 0)
// before the list that slashes it was built still loses what is vesting.
func TestSlashPendingForfeitsRewardsAfterTheStakeIsGone(t *testing.T) {
	whale := kind("whale", "whale", 2, model.Params{"invalid": 1.0, "from": 8, "purse": 100 * model.PerKOII})
	whale.Join, whale.Stop = 0, 10
	cfg := config(pop("honest", "honest", 10), whale)
	cfg.Rules.AuditSample = model.SampleAll
	cfg.Rules.UnstakeCooldown = 0
	cfg.Rules.VestingRounds = 30
	cfg.Rules.SlashPending = true
	res, _ := runRows(t, cfg, 1, 15)
	w := classTotal(t, res, "whale")
	var left model.ROE
	for _, n := range res.Nodes {
		if n.Population == "whale" {
			left += n.Pending + n.Claimable
		}
	}
	if w.Rewards == 0 || w.Slash != 0 || w.Forfeited != w.Rewards || w.Slashed != 2 {
		t.Errorf("whale earned %s, slashed %s of stake, forfeited %s in %d slash verdicts; want all its rewards forfeited by 2 slashes of no stake", w.Rewards, w.Slash, w.Forfeited, w.Slashed)
	}
	if left != 0 {
		t.Errorf("whale kept %s KOII of rewards pending or claimable; want none", left)
	}
}

// TestWhalePurseSplitEqually: a purse is split equally over the sybils,
// the floor remainder to the first.
func TestWhalePurseSplitEqually(t *testing.T) {
	whale := kind("whale", "whale", 3, model.Params{"invalid": 0.0, "purse": 100 * model.PerKOII})
	res, _ := runRows(t, config(pop("honest", "honest", 2), whale), 1, 1)
	want := []model.ROE{33_333_333_334, 33_333_333_333, 33_333_333_333}
	for i, n := range res.Nodes[2:] {
		if n.InitialStake != want[i] {
			t.Errorf("sybil %d got %s KOII, want %s", i, n.InitialStake, want[i])
		}
	}
}

// TestWhaleShareGrowsWithSybilsUnderEqualSplit: a whale of stake 3000
// KOII among 70 honest nodes of 100, all approved: under equal split its
// share of the bounty is m/(m+70) for m sybils; under stake split 0.3
// whatever m.
func TestWhaleShareGrowsWithSybilsUnderEqualSplit(t *testing.T) {
	for _, m := range []int{1, 10, 70} {
		for _, split := range []model.RewardSplit{model.SplitEqual, model.SplitStake} {
			whale := kind("whale", "whale", m, model.Params{"invalid": 0.0, "purse": 3000 * model.PerKOII})
			honest := pop("honest", "honest", 70)
			honest.Stake = model.Fixed(100)
			cfg := config(honest, whale)
			cfg.Rules.RewardSplit = split
			res, _ := runRows(t, cfg, 1, 5)
			share := float64(classTotal(t, res, "whale").Rewards) / float64(res.BountyPaid)
			want := 0.3
			if split == model.SplitEqual {
				want = float64(m) / float64(m+70)
			}
			if math.Abs(share-want) > 1e-6 {
				t.Errorf("m=%d, split %v: whale share %.6f, want %.6f", m, split, share, want)
			}
		}
	}
}

// TestBehaviourActiveOnlyInItsRange: a faulty node with invalid 1 from
// round 5 until 10 submits invalid work in cycles 5..9 only.
func TestBehaviourActiveOnlyInItsRange(t *testing.T) {
	f := kind("faulty", "faulty", 1, model.Params{"invalid": 1.0, "from": 5, "until": 10})
	f.Stake = model.Fixed(1000)
	cfg := config(pop("honest", "honest", 5), f)
	cfg.Rules.SlashFraction = 0
	_, rows := runRows(t, cfg, 1, 15)
	for _, r := range rows[:15] {
		c := r.Classes[1]
		inRange := r.Cycle >= 5 && r.Cycle < 10
		if (c.Invalid == 1) != inRange || c.Valid+c.Invalid != 1 {
			t.Errorf("cycle %d: %d valid, %d invalid; want invalid=%v", r.Cycle, c.Valid, c.Invalid, inRange)
		}
	}
}

// TestCrashedNodeNeverReturns: once a faulty node crashes it stays
// offline for the rest of the run.
func TestCrashedNodeNeverReturns(t *testing.T) {
	f := kind("faulty", "faulty", 20, model.Params{"invalid": 0.0, "crash": 0.1})
	cfg := config(pop("honest", "honest", 5), f)
	_, rows := runRows(t, cfg, 1, 60)
	prev := 20
	for _, r := range rows[:60] {
		a := r.Classes[1].Active
		if a > prev {
			t.Fatalf("cycle %d: %d faulty nodes active after %d: a crashed node came back", r.Cycle, a, prev)
		}
		prev = a
	}
	if prev == 20 || prev == 0 && rows[0].Classes[1].Active == 0 {
		t.Errorf("crash 0.1 over 60 rounds left %d of 20 nodes up", prev)
	}
}
