package experiment

import (
	"context"
	"fmt"
	"testing"
)

// benchScenario is 990 honest and 10 faulty nodes for 100 rounds, a
// bounty that funds every round, and a 10 × 10 grid of 10 replicates:
// 1,000 cells of a 1,000-node, 100-round run.
const benchScenario = `name: bench-sweep
description: 1,000 nodes for 100 rounds over a 10 x 10 grid of 10 replicates.
rounds: 100
task: {total_bounty: 2000}
populations:
  - {name: honest, count: 990, stake: {dist: uniform, min: 2, max: 50}, submit_delay: {dist: uniform, min: 0, max: 300}}
  - {name: faulty, count: 10, stake: {dist: uniform, min: 2, max: 50}, submit_delay: {dist: uniform, min: 0, max: 300}, behaviour: faulty}
sweep:
  replicates: 10
  vary:
    - {path: rules.slash_fraction, from: 0.1, to: 1.0, steps: 10}
    - {path: rules.audit_sample, from: 1, to: 10, steps: 10}
`

// BenchmarkSweep runs the whole sweep, cell files and tables included,
// with 1 and 2 workers; one iteration is the 1,000 cells.
func BenchmarkSweep(b *testing.B) {
	path := writeScenario(b, benchScenario)
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			p := newPlan(b, path, Spec{})
			if p.Cells() != 1000 {
				b.Fatalf("%d cells", p.Cells())
			}
			for b.Loop() {
				dir := b.TempDir()
				r := &Runner{Plan: p, Dir: dir, Workers: workers, Format: "csv", Version: "bench"}
				if _, err := r.Run(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(p.Cells())*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
		})
	}
}
