package reports

import (
	"github.com/koiisim/koiisim/metrics"
	"strings"
	"testing"
)

func heatCaption(t *testing.T, s *SweepData) string {
	t.Helper()
	for _, f := range SweepFigures(s, nil) {
		if f.Panels[0].Kind == HeatPanel {
			return f.Caption
		}
	}
	t.Fatal("no heatmap")
	return ""
}

// TestBreakEvenIntegerAxisBracket: on a whole-number axis the report
// gives the two settings the crossing lies between, never an
// interpolated fraction of a round.
func TestBreakEvenIntegerAxisBracket(t *testing.T) {
	s := syntheticSweep([]string{"rules.unstake_cooldown", "rules.audit_sample"},
		[][]float64{{0, 1, 2, 3}, {1, 2}}, []string{"faulty.net_profit"},
		func(_ string, x []float64) float64 { return 3 - 100*x[0] })
	c := heatCaption(t, s)
	if !strings.Contains(c, "between unstake_cooldown = 0 and 1") || strings.Contains(c, "≈") {
		t.Errorf("caption: %s", c)
	}
}

// TestBreakEvenNeedsDecidedSides: a metric that is simply zero and then
// falls has no break-even, and a crossing is bracketed by the nearest points whose
// intervals exclude zero on each side, skipping undecided ones.
func TestBreakEvenNeedsDecidedSides(t *testing.T) {
	zero := syntheticSweep([]string{"rules.slash_fraction", "rules.audit_sample"},
		[][]float64{{0, 0.5, 1}, {1, 2}}, []string{"faulty.net_profit"},
		func(_ string, x []float64) float64 { return -10 * x[0] })
	for i, p := range zero.Points {
		if p.Num[0] == 0 { // no slash, no loss: exactly zero in every replicate
			zero.Points[i].Stats["faulty.net_profit"] = metrics.Estimate{N: 3}
		}
	}
	if c := heatCaption(t, zero); strings.Contains(strings.ToLower(c), "between") || strings.Contains(c, "≈") {
		t.Errorf("a flat zero metric was given a break-even: %s", c)
	}
	s := syntheticSweep([]string{"rules.slash_fraction", "rules.audit_sample"},
		[][]float64{{0, 0.5, 1}, {1, 2}}, []string{"faulty.net_profit"},
		func(_ string, x []float64) float64 { return 5 - 10*x[0] })
	// At slash_fraction 0.5 the mean is 0 and its interval [-1, 1]
	// straddles zero: the crossing is between 0 and 1.
	c := heatCaption(t, s)
	if !strings.Contains(c, "between slash_fraction = 0 and 1") {
		t.Errorf("caption: %s", c)
	}
}

// TestBreakEvenSearchesEveryAxis: a metric that changes sign along the
// second swept field only is still found.
func TestBreakEvenSearchesEveryAxis(t *testing.T) {
	s := syntheticSweep([]string{"rules.slash_fraction", "rules.audit_sample"},
		[][]float64{{0, 0.5, 1}, {1, 2, 5}}, []string{"faulty.net_profit"},
		func(_ string, x []float64) float64 { return 10 * (x[1] - 3) })
	c := heatCaption(t, s)
	if !strings.Contains(c, "between audit_sample = 2 and 5") {
		t.Errorf("caption: %s", c)
	}
}
