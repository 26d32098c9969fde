package metrics

import (
	"math"
	"math/rand/v2"
	"testing"
)

// noisyLine is a closed-form metric: a − b·x plus normal noise of sd
// sigma, the noise of replicate i at x drawn from a stream keyed by
// (x, i), so a probe's replicates do not depend on the batch sizes.
func noisyLine(a, b, sigma float64) Sampler {
	return func(x float64, from, to int) ([]float64, error) {
		var out []float64
		for i := from; i < to; i++ {
			r := rand.New(rand.NewPCG(math.Float64bits(x), uint64(i)))
			out = append(out, a-b*x+sigma*r.NormFloat64())
		}
		return out, nil
	}
}

// TestFrontierFindsKnownCrossing: a noisy metric 3 − 10x crosses 0 at
// x = 0.3; the search brackets it to the tolerance, the bracket holds
// 0.3, and it says the metric falls through the target with at least
// 95% confidence.
func TestFrontierFindsKnownCrossing(t *testing.T) {
	res, err := FrontierSearch{Lo: 0, Hi: 1, Tol: 0.01, MaxReps: 1000}.Search(noisyLine(3, 10, 0.1))
	if err != nil {
		t.Fatal(err)
	}
	if res.Stopped != "" || !(res.Lo <= 0.3 && 0.3 <= res.Hi) || res.Hi-res.Lo > 0.01 || res.Up || res.Confidence < 0.95 {
		t.Errorf("bracket [%v, %v] up=%v confidence %v stopped %q; want 0.3 inside a bracket ≤ 0.01 wide", res.Lo, res.Hi, res.Up, res.Confidence, res.Stopped)
	}
	// Five times the noise with the default budget: the search stops
	// where it can no longer tell the side, and its bracket still holds.
	res, err = FrontierSearch{Lo: 0, Hi: 1, Tol: 0.01}.Search(noisyLine(3, 10, 0.5))
	if err != nil {
		t.Fatal(err)
	}
	if res.Stopped == "" || !(res.Lo <= 0.3 && 0.3 <= res.Hi) {
		t.Errorf("noisy: bracket [%v, %v] stopped %q", res.Lo, res.Hi, res.Stopped)
	}
}

// TestFrontierIntegerAxisBracketsOneApart: on a whole-number axis the
// bracket ends one apart, around the real crossing 23.33.
func TestFrontierIntegerAxisBracketsOneApart(t *testing.T) {
	share := func(x float64, from, to int) ([]float64, error) {
		out := make([]float64, to-from)
		for i := range out {
			out[i] = x / (x + 70)
		}
		return out, nil
	}
	res, err := FrontierSearch{Lo: 1, Hi: 70, Integer: true, Target: 0.25}.Search(share)
	if err != nil {
		t.Fatal(err)
	}
	if res.Lo != 23 || res.Hi != 24 || !res.Up {
		t.Errorf("bracket [%v, %v] up=%v, want [23, 24] rising", res.Lo, res.Hi, res.Up)
	}
}

// TestFrontierSaysWhenUndecided: where the metric sits on the target
// within its noise the search stops and says so instead of guessing a
// side; with the same sign at both ends it says there is no crossing.
func TestFrontierSaysWhenUndecided(t *testing.T) {
	flat := noisyLine(0, 0, 1)
	res, err := FrontierSearch{Lo: 0, Hi: 1, MaxReps: 20}.Search(flat)
	if err != nil || res.Stopped == "" {
		t.Errorf("a metric on its target: %+v, %v", res, err)
	}
	if _, err := (FrontierSearch{Lo: 0, Hi: 1}).Search(noisyLine(5, 1, 0.1)); err == nil {
		t.Error("no crossing was not an error")
	}
}
