package main

import (
	"github.com/koiisim/koiisim/reports"
	"github.com/koiisim/koiisim/scenarios"
	"github.com/koiisim/koiisim/sim"
)

// counterfactual fills rewards_lost_to_attackers in f: it runs the same
// scenario with the same seed without its attacker populations and
// compares each remaining class's rewards. A scenario without attackers
// is left alone; so is one with nothing but attackers.
func counterfactual(s *scenarios.Scenario, seed uint64, f *reports.Figures) error {
	cfg, removed := s.Config.WithoutAttackers()
	if !removed || cfg == nil {
		return nil
	}
	res, err := sim.Run(cfg, sim.Options{Seed: seed, Rounds: s.Rounds})
	if err != nil {
		return err
	}
	reports.AddCounterfactual(f, reports.Compute(res, &cfg.Task))
	return nil
}
