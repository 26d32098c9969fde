package sim

import (
	"testing"

	"github.com/koiisim/koiisim/model"
)

// benchConfig is n honest nodes and n/100 faulty ones at koii defaults,
// with a bounty that funds every round.
func benchConfig(n, rounds int) *model.Config {
	cfg := model.DefaultConfig()
	cfg.Task.TotalBounty = model.ROE(rounds+10) * cfg.Task.BountyPerRound
	faulty, _ := model.LookupKind("faulty")
	cfg.Populations = []model.Population{
		{Name: "honest", Count: n, Stake: model.Uniform(2, 50), Balance: model.PerKOII,
			Behaviour:   model.BehaviourSpec{Kind: "honest", Params: model.Params{}},
			SubmitDelay: model.Uniform(0, 300), AuditDelay: model.Uniform(0, 599)},
		{Name: "faulty", Count: n / 100, Stake: model.Uniform(2, 50), Balance: model.PerKOII,
			Behaviour:   model.BehaviourSpec{Kind: "faulty", Params: faulty.DefaultParams()},
			SubmitDelay: model.Uniform(0, 300), AuditDelay: model.Uniform(0, 599)},
	}
	return &cfg
}

func benchRun(b *testing.B, n, rounds int) {
	cfg := benchConfig(n, rounds)
	var events int64
	for b.Loop() {
		res, err := Run(cfg, Options{Seed: 1, Rounds: rounds})
		if err != nil {
			b.Fatal(err)
		}
		events = res.Events
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(events)/sec, "events/s")
	b.ReportMetric(float64(n+n/100)*float64(rounds)/sec, "node-rounds/s")
}

// BenchmarkRun10kx1k is the headline figure: 10,000 nodes for 1,000 rounds.
func BenchmarkRun10kx1k(b *testing.B) { benchRun(b, 10_000, 1_000) }

// BenchmarkRun100kx100 is the wide case: 100,000 nodes for 100 rounds.
func BenchmarkRun100kx100(b *testing.B) { benchRun(b, 100_000, 100) }

// BenchmarkRun1kx100 is one cell of a typical sweep.
func BenchmarkRun1kx100(b *testing.B) { benchRun(b, 1_000, 100) }
