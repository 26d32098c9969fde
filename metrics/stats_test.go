package metrics

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TQuantile agrees with a table of Student's t (two-sided 95%).
func TestTQuantileTable(t *testing.T) {
	for _, tc := range []struct{ df, want float64 }{
		{1, 12.706204736}, {2, 4.302652730}, {4, 2.776445105}, {9, 2.262157163}, {29, 2.045229642}, {1000, 1.962339081},
	} {
		if got := TQuantile(0.975, tc.df); math.Abs(got-tc.want) > 1e-8 {
			t.Errorf("t(0.975, %v) = %.9f, want %.9f", tc.df, got, tc.want)
		}
	}
}

// Summarize on known values, and its edge cases: missing values are
// left out and counted, one value has no spread, none has nothing.
func TestSummarizeKnownValues(t *testing.T) {
	s := Summarize([]float64{1, 2, math.NaN(), 3, 4, 5})
	half := 2.776445105 * math.Sqrt(2.5) / math.Sqrt(5)
	if s.N != 5 || s.Missing != 1 || s.Mean != 3 || math.Abs(s.SD-math.Sqrt(2.5)) > 1e-15 ||
		math.Abs(s.Lo-(3-half)) > 1e-8 || math.Abs(s.Hi-(3+half)) > 1e-8 {
		t.Errorf("Summarize = %+v; want n 5, mean 3, sd %v, CI ±%v", s, math.Sqrt(2.5), half)
	}
	if one := Summarize([]float64{7}); one.N != 1 || one.Mean != 7 || !math.IsNaN(one.SD) || !math.IsNaN(one.Lo) {
		t.Errorf("one value: %+v", one)
	}
	if none := Summarize([]float64{math.NaN()}); none.N != 0 || !math.IsNaN(none.Mean) {
		t.Errorf("no value: %+v", none)
	}
}

// The 95% interval of the mean of n normal draws covers the true mean
// 95% of the time. Over trials intervals the count of misses is
// binomial; the test allows three standard errors of that proportion,
// so with its fixed seed it fails only when the interval is wrong.
func TestCICoversTheMeanAtTheNominalRate(t *testing.T) {
	const trials, mu, sigma = 4000, 3.0, 2.0
	rng := rand.New(rand.NewPCG(42, 7))
	for _, n := range []int{3, 5, 20} {
		covered := 0
		xs := make([]float64, n)
		for range trials {
			for i := range xs {
				xs[i] = mu + sigma*rng.NormFloat64()
			}
			if s := Summarize(xs); s.Lo <= mu && mu <= s.Hi {
				covered++
			}
		}
		rate := float64(covered) / trials
		se := math.Sqrt(Confidence * (1 - Confidence) / trials)
		if math.Abs(rate-Confidence) > 3*se {
			t.Errorf("n=%d: the interval covered the mean in %.4f of %d trials; want %.2f ± %.4f", n, rate, trials, Confidence, 3*se)
		}
	}
}
