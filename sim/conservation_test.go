package sim

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/koiisim/koiisim/model"
)

// randomConfig draws a small valid config with every rule option and a
// mix of behaviours, from a seeded source.
func randomConfig(rng *rand.Rand) *model.Config {
	cfg := model.DefaultConfig()
	sw := model.Slot(50 + rng.IntN(600))
	aw := model.Slot(50 + rng.IntN(600))
	cfg.Task.SubmissionWindow, cfg.Task.AuditWindow = sw, aw
	cfg.Task.RoundTime = sw + aw + model.Slot(rng.IntN(3))*(sw+aw) + model.Slot(rng.IntN(100))
	cfg.Task.MinimumStake = model.ROE(rng.Int64N(5 * int64(model.PerKOII)))
	cfg.Task.BountyPerRound = 1 + model.ROE(rng.Int64N(50*int64(model.PerKOII)))
	cfg.Task.TotalBounty = cfg.Task.BountyPerRound * model.ROE(rng.IntN(400))
	cfg.Task.AllowedFailedDistributions = rng.IntN(4)
	r := &cfg.Rules
	r.AuditSample = rng.IntN(8)
	r.TriggeredReview = model.TriggeredReview(rng.IntN(2))
	r.WatchTriggers = rng.IntN(2) == 0
	r.ReactionDelay = model.Slot(rng.IntN(50))
	r.Detection = rng.Float64()
	r.FalseAlarm = rng.Float64() * 0.05
	r.Selection = model.Selection(rng.IntN(3))
	r.Retry = model.Retry(rng.IntN(2))
	r.VoteWeight = model.VoteWeight(rng.IntN(3))
	r.StakeAgeCap = 1 + rng.IntN(20)
	r.AuditSampling = model.AuditSampling(rng.IntN(2))
	r.PaymentLag = model.MinPaymentLag + rng.IntN(5)
	if rng.IntN(2) == 0 {
		r.LateDetection = rng.Float64()
		r.LateDetectionDelay = 1 + rng.IntN(6)
	}
	r.VoteWarmup = rng.IntN(4)
	r.ZeroNet = model.ZeroNet(rng.IntN(3))
	r.SlashFraction = model.Fraction(rng.Uint32N(uint32(model.One) + 1))
	r.RewardSplit = model.RewardSplit(rng.IntN(2))
	r.SlashDestination = model.SlashDestination(rng.IntN(3))
	r.InitiatorShare = model.Fraction(rng.Uint32N(uint32(model.One) + 1))
	r.VestingRounds = rng.IntN(6)
	r.SlashPending = rng.IntN(2) == 0
	r.ClaimEvery = 1 + rng.IntN(4)
	r.UnstakeCooldown = rng.IntN(6)
	cfg.Costs.TxFee = model.ROE(rng.Int64N(100_000))
	cfg.Costs.WorkCost = model.ROE(rng.Int64N(1000))
	cfg.Costs.AuditCost = model.ROE(rng.Int64N(1000))
	kinds := []string{"honest", "honest", "faulty", "test-accuser", "test-badbuilder", "test-cheat", "test-grinder",
		"lazy", "rational", "whale", "whale", "griefer"}
	for i, n := 0, 1+rng.IntN(5); i < n; i++ {
		p := pop("p"+itoa(i), kinds[rng.IntN(len(kinds))], rng.IntN(25))
		p.Stake = model.Uniform(0, 1+rng.Float64()*50)
		p.Balance = model.ROE(rng.Int64N(int64(model.PerKOII)))
		p.SubmitDelay = model.Dist{Kind: model.DistExponential, Mean: float64(sw) / 2}
		p.AuditDelay = model.Uniform(0, float64(aw))
		p.Role = model.Role(rng.IntN(4) / 3)
		p.Join = rng.IntN(5)
		if rng.IntN(3) == 0 {
			p.Stop = p.Join + 1 + rng.IntN(30)
		}
		randomParams(rng, p.Behaviour.Kind, p.Behaviour.Params)
		cfg.Populations = append(cfg.Populations, p)
	}
	cfg.Populations[0].Count++ // at least one node
	cfg.Registry = testKinds
	return &cfg
}

// randomParams sets a behaviour's parameters at random, in range.
func randomParams(rng *rand.Rand, kind string, p model.Params) {
	k, _ := testKinds.Lookup(kind)
	for _, s := range k.Params {
		switch s.Kind {
		case model.ParamProb:
			p[s.Name] = rng.Float64()
		case model.ParamFloat:
			p[s.Name] = float64(rng.IntN(5))
		case model.ParamInt:
			p[s.Name] = rng.IntN(6)
		case model.ParamBool:
			p[s.Name] = rng.IntN(2) == 0
		case model.ParamAmount:
			p[s.Name] = model.ROE(rng.Int64N(300 * int64(model.PerKOII)))
		}
	}
	if u := p["until"]; u != nil && u.(int) != 0 {
		p["until"] = p["from"].(int) + u.(int)
	}
	if l, ok := p["lead"]; ok {
		p["lead"] = 1 + l.(int) // lead counts from 1, the window's last slot
	}
	if m, ok := p["offline_mean"]; ok && m.(float64) != 0 {
		p["offline_mean"] = 1 + m.(float64)
		p["offline"] = p["offline"].(float64) * 0.9
	}
}

// TestConservationHoldsOverRandomRuns: §8, every payout keeps stake +
// pending + claimable + pool + burned + paid_to_voters + balances equal
// to what entered, under every combination of options and behaviours.
// The engine checks at every payout; Run would fail with a
// *model.ConservationError naming the round and the terms.
func TestConservationHoldsOverRandomRuns(t *testing.T) {
	trials := 600
	if testing.Short() {
		trials = 30
	}
	for trial := 0; trial < trials; trial++ {
		rng := rand.New(rand.NewPCG(uint64(trial), 2026))
		cfg := randomConfig(rng)
		if p, _ := cfg.Validate(); len(p) > 0 {
			t.Fatalf("trial %d: random config invalid: %v", trial, p)
		}
		res, err := Run(cfg, Options{Seed: uint64(trial), Rounds: 1 + rng.IntN(150)})
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		if res.Ledger.Sum() != res.Ledger.TotalIn {
			t.Fatalf("trial %d: final terms %v", trial, res.Ledger)
		}
		// The streamed totals agree with the nodes' own figures.
		var fromNodes, fromClasses Counters
		for i := range res.Nodes {
			fromNodes.Add(&res.Nodes[i].Counters)
		}
		for i := range res.Totals {
			fromClasses.Add(&res.Totals[i])
		}
		fromNodes.Stake, fromClasses.Stake = 0, 0
		fromClasses.Ballots, fromClasses.VoteShare = 0, 0 // class-only figures
		if fromNodes != fromClasses {
			t.Fatalf("trial %d: node figures %+v, class totals %+v", trial, fromNodes, fromClasses)
		}
		if burned := res.Ledger.Burned; fromClasses.Fees > burned {
			t.Fatalf("trial %d: fees %s exceed burned %s", trial, fromClasses.Fees, burned)
		}
	}
}

// TestConservationErrorNamesRoundAndTerms: a broken ledger stops the run
// with an error naming the round and every term.
func TestConservationErrorNamesRoundAndTerms(t *testing.T) {
	cfg := config(pop("honest", "honest", 5))
	e, err := newEngine(cfg, Options{Seed: 1, Rounds: 5, MaxEvents: DefaultMaxEvents})
	if err != nil {
		t.Fatal(err)
	}
	e.q.push(0, phaseRoundStart, 0, 0, 0)
	for e.err == nil {
		ev, ok := e.q.pop()
		if !ok {
			break
		}
		if ev.phase == phaseWindowEnd && ev.a == 3 {
			e.nodes[2].Stake += 7 // money from nowhere
		}
		e.dispatch(ev)
	}
	var ce *model.ConservationError
	if !errors.As(e.err, &ce) || ce.Round != 3 || ce.Terms.Sum()-ce.Terms.TotalIn != 7 {
		t.Fatalf("error %v, want a conservation error in round 3 off by 7 ROE", e.err)
	}
}

// TestRunLimits: a run beyond its limits fails with ErrLimit.
func TestRunLimits(t *testing.T) {
	cfg := config(pop("honest", "honest", 5))
	if _, err := Run(cfg, Options{Seed: 1, Rounds: 10, MaxEvents: 50}); !errors.Is(err, ErrLimit) {
		t.Errorf("50-event limit: %v, want ErrLimit", err)
	}
	if _, err := Run(cfg, Options{Seed: 1, Rounds: 0}); !errors.Is(err, ErrLimit) {
		t.Errorf("0 rounds: %v, want ErrLimit", err)
	}
}
