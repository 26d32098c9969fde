package sim

import (
	"testing"

	"github.com/koiisim/koiisim/model"
)

// learnBenchConfig is n nodes, half auditors and half cheats, with audit
// costs and fraud_loss: adaptive (adaptive-auditor, adaptive-cheat) or
// the same run with fixed behaviours (rational auditing with
// probability 1/2, faulty cheating with probability 1/2), so the pair
// measures what learning costs. Slashes take nothing, so no cheat falls
// below the minimum stake and both runs keep every node at work.
func learnBenchConfig(n, rounds int, adaptive bool) *model.Config {
	cfg := model.DefaultConfig()
	cfg.Task.TotalBounty = model.ROE(rounds+10) * cfg.Task.BountyPerRound
	cfg.Costs.AuditCost = model.PerKOII / 100
	cfg.Costs.FraudLoss = model.PerKOII / 10
	cfg.Rules.SlashFraction = 0
	auditor, cheat := "rational", "faulty"
	if adaptive {
		auditor, cheat = "adaptive-auditor", "adaptive-cheat"
	}
	ka, _ := model.LookupKind(auditor)
	kc, _ := model.LookupKind(cheat)
	pc := kc.DefaultParams()
	if !adaptive {
		pc["invalid"] = 0.5
	}
	cfg.Populations = []model.Population{
		{Name: "auditors", Count: n / 2, Stake: model.Uniform(2, 50), Balance: model.PerKOII,
			Behaviour:   model.BehaviourSpec{Kind: auditor, Params: ka.DefaultParams()},
			SubmitDelay: model.Uniform(0, 300), AuditDelay: model.Uniform(0, 599)},
		{Name: "cheats", Count: n - n/2, Stake: model.Uniform(2, 50), Balance: model.PerKOII,
			Behaviour:   model.BehaviourSpec{Kind: cheat, Params: pc},
			SubmitDelay: model.Uniform(0, 300), AuditDelay: model.Uniform(0, 599)},
	}
	return &cfg
}

func benchLearn(b *testing.B, adaptive bool) {
	cfg := learnBenchConfig(1_000, 1_000, adaptive)
	for b.Loop() {
		if _, err := Run(cfg, Options{Seed: 1, Rounds: 1_000}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunFixed1kx1k and BenchmarkRunLearners1kx1k are the pair
// that bounds what learning costs (docs/model.md §13): 1,000 nodes for
// 1,000 rounds with fixed behaviours, and the same run with learners.
func BenchmarkRunFixed1kx1k(b *testing.B)    { benchLearn(b, false) }
func BenchmarkRunLearners1kx1k(b *testing.B) { benchLearn(b, true) }
