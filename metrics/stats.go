package metrics

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Confidence is the level of every confidence interval koiisim reports.
const Confidence = 0.95

// Stats summarises one metric over replicates: how many values it had
// (missing ones, such as a rate over zero cases, are left out), their
// mean, sample standard deviation and the Student t confidence interval
// of the mean at level Confidence. A field that is undefined (SD with
// one value, everything with none) is NaN.
type Stats struct {
	N       int
	Mean    float64
	SD      float64
	Low     float64 // mean - t(0.975, N-1) × SD / sqrt(N)
	High    float64
	HalfCI  float64 // High - Mean; NaN below two values
	Missing int     // values left out because they were undefined
}

// Summarize computes Stats over xs, skipping NaNs. It is deterministic:
// the same values in the same order give the same bits.
func Summarize(xs []float64) Stats {
	vals := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			vals = append(vals, x)
		}
	}
	s := Stats{N: len(vals), Missing: len(xs) - len(vals), Mean: math.NaN(), SD: math.NaN(), Low: math.NaN(), High: math.NaN(), HalfCI: math.NaN()}
	switch s.N {
	case 0:
		return s
	case 1:
		s.Mean = vals[0]
		return s
	}
	s.Mean, s.SD = stat.MeanStdDev(vals, nil)
	s.HalfCI = TQuantile(1-(1-Confidence)/2, float64(s.N-1)) * s.SD / math.Sqrt(float64(s.N))
	s.Low, s.High = s.Mean-s.HalfCI, s.Mean+s.HalfCI
	return s
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
	panic("reports: a quantile computation asked for a random number")
}
