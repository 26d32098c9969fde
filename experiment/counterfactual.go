package experiment

import (
	"context"
	"fmt"

	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/scenarios"
	"github.com/koiisim/koiisim/sim"
)

// AddCounterfactual fills rewards_lost_to_attackers in f, the figures of
// a run of s with seed: it runs s again with the same seed without its
// attacker populations and compares each remaining class's rewards
// (streams are named by node, so those classes draw the same in both).
// A scenario without attackers, or with nothing else, is left alone. It
// stops early with ctx's error when ctx ends.
func AddCounterfactual(ctx context.Context, s *scenarios.Scenario, seed uint64, f *metrics.Figures) error {
	cfg, removed := s.Config.WithoutAttackers()
	if !removed || cfg == nil {
		return nil
	}
	stop := func(*sim.CycleRow) error { return ctx.Err() }
	base, err := sim.Run(cfg, sim.Options{Seed: seed, Rounds: s.Rounds, OnCycle: stop})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("the run without attackers (for rewards_lost_to_attackers): %w", err)
	}
	metrics.AddCounterfactual(f, metrics.Compute(base, &cfg.Task))
	return nil
}
