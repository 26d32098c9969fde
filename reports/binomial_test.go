package reports

import (
	"testing"

	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/scenarios"
)

func rateFigures(falseSlashes, valid int) *metrics.Figures {
	f := &metrics.Figures{Classes: []string{"honest"}, Run: map[string]metrics.Value{}, Total: map[string]metrics.Value{}}
	cls := map[string]metrics.Value{"false_slashes": {Number: float64(falseSlashes)}, "valid": {Number: float64(valid)},
		"false_slash_rate": {Number: float64(falseSlashes) / float64(valid)}}
	f.Class = []map[string]metrics.Value{cls}
	return f
}

// TestRateIntervalAllZero: a rate that is zero in every replicate still
// has an upper bound above zero (the binomial interval over the pooled
// trials), and no rate's interval reaches below zero.
func TestRateIntervalAllZero(t *testing.T) {
	r := Collect([]*metrics.Figures{rateFigures(0, 1000), rateFigures(0, 1000), rateFigures(0, 1000)})
	e, _ := r.Estimate("honest.false_slash_rate")
	if !e.HasCI() || e.Lo != 0 || !(e.Hi > 0.001 && e.Hi < 0.0015) {
		t.Errorf("0 of 3000: %+v, want [0, ≈0.00128]", e)
	}
	r = Collect([]*metrics.Figures{rateFigures(0, 10), rateFigures(0, 10), rateFigures(3, 10)})
	e, _ = r.Estimate("honest.false_slash_rate")
	if e.Lo < 0 || e.Mean != 0.1 {
		t.Errorf("3 of 30: %+v, want the pooled 0.1 and a bound at or above zero", e)
	}
}

// TestAssertCIHighOnRateIsBinomial: one run with no false slash in
// 1,000 valid proofs certifies "< 1% with 95% confidence" through
// stat: ci_high, and 0 of 100 does not.
func TestAssertCIHighOnRateIsBinomial(t *testing.T) {
	a := []scenarios.Assertion{{Name: "rare", Metric: "honest.false_slash_rate", Op: scenarios.OpLess, Value: 0.01, Stat: scenarios.StatCIHigh}}
	got := Check(a, "", FiguresLookup(rateFigures(0, 1000)))
	if !got[0].Pass || !(got[0].Observed > 0.003 && got[0].Observed < 0.0045) {
		t.Errorf("0 of 1000: %+v, want ci_high ≈ 0.0038, passing", got[0])
	}
	got = Check(a, "", FiguresLookup(rateFigures(0, 100)))
	if got[0].Pass {
		t.Errorf("0 of 100 cannot certify < 1%%: %+v", got[0])
	}
}
