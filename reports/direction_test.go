package reports

import (
	"fmt"
	"github.com/koiisim/koiisim/metrics"
	"math/rand/v2"
	"strings"
	"testing"
)

// replicatedOf builds a Replicated from per-path values.
func replicatedOf(vals map[string][]float64) *Replicated {
	r := &Replicated{Units: map[string]string{}, Values: vals, Exact: map[string]string{}}
	for p := range vals {
		r.Paths = append(r.Paths, p)
	}
	return r
}

// TestCheckDirections: a metric where lower is better passes (as
// improved) when it falls and fails as a regression when it rises; a
// two-sided metric fails as changed either way.
func TestCheckDirections(t *testing.T) {
	low := []float64{10, 11, 9, 10, 11, 9, 10, 11, 9, 10}
	high := []float64{20, 21, 19, 20, 21, 19, 20, 21, 19, 20}
	base := NewBaseline(metrics.Meta{Tool: "koiisim"}, 10, replicatedOf(map[string][]float64{"run.wrong_lists": high, "faulty.rewards": high}))
	if d := base.Metrics["run.wrong_lists"].Direction; d != "lower" {
		t.Fatalf("run.wrong_lists recorded as %q, want lower", d)
	}
	cs := Compare(base, replicatedOf(map[string][]float64{"run.wrong_lists": low, "faulty.rewards": low}), ModeStat, 0.05)
	for _, c := range cs {
		switch c.Metric {
		case "run.wrong_lists":
			if !c.Pass || c.Verdict() != "improved" {
				t.Errorf("fewer wrong lists: %+v verdict %q, want a pass, improved", c, c.Verdict())
			}
		case "faulty.rewards":
			if c.Pass || !strings.HasPrefix(c.Verdict(), "CHANGED") {
				t.Errorf("two-sided rewards: verdict %q, want CHANGED", c.Verdict())
			}
		}
	}
	base = NewBaseline(metrics.Meta{Tool: "koiisim"}, 10, replicatedOf(map[string][]float64{"run.wrong_lists": low}))
	cs = Compare(base, replicatedOf(map[string][]float64{"run.wrong_lists": high}), ModeStat, 0.05)
	if cs[0].Pass || !strings.HasPrefix(cs[0].Verdict(), "REGRESSION") {
		t.Errorf("more wrong lists: verdict %q, want REGRESSION", cs[0].Verdict())
	}
}

// TestCheckStatNoFalseAlarms: 300 metrics of pure noise, baseline and
// check drawn independently from the same distribution (as a new seed on
// an unchanged tree does), 20 times: the family-wise test raises at most
// a couple of alarms in all (expected 0.2 at a 1% family-wise level),
// where comparing each metric's interval alone raised one or more in
// almost every check.
func TestCheckStatNoFalseAlarms(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	draw := func() *Replicated {
		vals := map[string][]float64{}
		for m := range 300 {
			xs := make([]float64, 10)
			for i := range xs {
				xs[i] = rng.NormFloat64()
			}
			vals[fmt.Sprintf("c%d.net_profit", m)] = xs
		}
		return replicatedOf(vals)
	}
	alarms := 0
	for range 20 {
		b := NewBaseline(metrics.Meta{Tool: "koiisim"}, 10, draw())
		for _, c := range Compare(b, draw(), ModeStat, 0.05) {
			if !c.Pass {
				alarms++
			}
		}
	}
	if alarms > 2 {
		t.Errorf("%d false alarms in 20 checks of 300 unchanged metrics", alarms)
	}
}
