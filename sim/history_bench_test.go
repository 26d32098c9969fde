package sim_test

import (
	"io"
	"testing"
	"time"

	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/sim"
)

// BenchmarkHistory10kx1k runs the headline case (10,100 nodes, 1,000
// rounds) as `koiisim run` does, rounds.csv written, without and then
// with the history output (history.csv written), both in every
// iteration, in turns first, so that the two see the same load on a
// shared machine. It reports each one's wall and CPU seconds and the
// ratios, with over without.
func BenchmarkHistory10kx1k(b *testing.B) {
	cfg := sim.BenchConfig(10_000, 1_000)
	classes := cfg.Classes()
	run := func(history bool) (wall, cpu float64) {
		rw, err := metrics.NewRoundsWriter(io.Discard, classes)
		if err != nil {
			b.Fatal(err)
		}
		opt := sim.Options{Seed: 1, Rounds: 1_000, OnCycle: rw.Write}
		if history {
			hw, err := metrics.NewHistoryWriter(io.Discard, nil, classes)
			if err != nil {
				b.Fatal(err)
			}
			opt.OnRound = hw.Write
		}
		start, cpu0 := time.Now(), sim.CPUSeconds()
		if _, err := sim.Run(cfg, opt); err != nil {
			b.Fatal(err)
		}
		return time.Since(start).Seconds(), sim.CPUSeconds() - cpu0
	}
	var offWall, offCPU, onWall, onCPU float64
	for b.Loop() {
		first := onFirst
		onFirst = !onFirst
		for _, history := range []bool{first, !first} {
			w, c := run(history)
			if history {
				onWall, onCPU = onWall+w, onCPU+c
			} else {
				offWall, offCPU = offWall+w, offCPU+c
			}
		}
	}
	n := float64(b.N)
	b.ReportMetric(offWall/n, "off-s/op")
	b.ReportMetric(onWall/n, "on-s/op")
	b.ReportMetric(offCPU/n, "off-cpu-s/op")
	b.ReportMetric(onCPU/n, "on-cpu-s/op")
	b.ReportMetric(onWall/offWall, "wall-ratio")
	b.ReportMetric(onCPU/offCPU, "cpu-ratio")
}

// onFirst says whether the next pair runs with history first; it turns
// at every pair, across the -count calls too.
var onFirst bool
