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

// BenchmarkFlatCost measures the CPU cost of a node-round at 1,010 nodes
// (1,000 rounds) and at 101,000 nodes (100 rounds), three of each in
// turns in one process, and reports both medians and their ratio: the
// engine's target is a ratio of at most 1.3.
func BenchmarkFlatCost(b *testing.B) {
	small, wide := benchConfig(1_000, 1_000), benchConfig(100_000, 100)
	var smallNs, wideNs []float64
	perNodeRound := func(cfg *model.Config, rounds int) float64 {
		start := cpuSeconds()
		if _, err := Run(cfg, Options{Seed: 1, Rounds: rounds}); err != nil {
			b.Fatal(err)
		}
		nodes := cfg.Populations[0].Count + cfg.Populations[1].Count
		return (cpuSeconds() - start) * 1e9 / float64(nodes*rounds)
	}
	for b.Loop() {
		for i := 0; i < 3; i++ {
			smallNs = append(smallNs, perNodeRound(small, 1_000))
			wideNs = append(wideNs, perNodeRound(wide, 100))
		}
	}
	s, w := median(smallNs), median(wideNs)
	b.ReportMetric(s, "ns/node-round@1k")
	b.ReportMetric(w, "ns/node-round@100k")
	b.ReportMetric(w/s, "100k/1k")
}

// BenchmarkRun1kx1k is the narrow case: 1,000 nodes for 1,000 rounds.
func BenchmarkRun1kx1k(b *testing.B) { benchRun(b, 1_000, 1_000) }
