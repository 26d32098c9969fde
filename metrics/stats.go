package metrics

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Confidence is the level of every confidence interval koiisim reports.
const Confidence = 0.95

// Estimate is a metric's mean over replicates with its confidence
// interval: how many values it had (missing ones, such as a rate over
// zero cases, are left out and counted in Missing), their mean, sample
// standard deviation and the Student t interval of the mean on N-1
// degrees of freedom at level Confidence. A field that is undefined (SD
// and the interval with one value, everything with none) is NaN. It is
// the one "mean with a 95% CI" of koiisim: summary.csv, the adaptive
// stopping rule, baselines, reports and comparisons all use it.
type Estimate struct {
	N        int
	Mean, SD float64
	Lo, Hi   float64 // mean ∓ t(0.975, N-1) × SD / sqrt(N)
	Missing  int     // values left out because they were undefined
	// Trials, when positive, says the estimate is a proportion: Mean is
	// the pooled successes over Trials and [Lo, Hi] its Wilson interval,
	// available from a single run (ProportionEstimate).
	Trials int
}

// HasCI reports whether the interval is available.
func (e Estimate) HasCI() bool { return (e.N >= 2 || e.Trials > 0) && !math.IsNaN(e.Lo) }

// HalfWidth is half the interval's width, NaN when it is not available.
func (e Estimate) HalfWidth() float64 { return (e.Hi - e.Lo) / 2 }

// Summarize computes the Estimate of xs, skipping NaNs. It is
// deterministic: the same values in the same order give the same bits.
func Summarize(xs []float64) Estimate {
	vals := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			vals = append(vals, x)
		}
	}
	e := Estimate{N: len(vals), Missing: len(xs) - len(vals), Mean: math.NaN(), SD: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	switch e.N {
	case 0:
		return e
	case 1:
		e.Mean = vals[0]
		return e
	}
	e.Mean, e.SD = stat.MeanStdDev(vals, nil)
	half := TQuantile(1-(1-Confidence)/2, float64(e.N-1)) * e.SD / math.Sqrt(float64(e.N))
	e.Lo, e.Hi = e.Mean-half, e.Mean+half
	return e
}

// TQuantile returns the p-quantile of Student's t distribution with df
// degrees of freedom. A quantile draws nothing: the distribution's
// source is one that panics if it is ever asked for a number, so no
// randomness, global or not, can enter a summary.
func TQuantile(p, df float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df, Src: noSource{}}.Quantile(p)
}

// noSource is a rand.Source for distributions used only for quantiles.
type noSource struct{}

func (noSource) Uint64() uint64 {
	panic("metrics: a quantile computation asked for a random number")
}
