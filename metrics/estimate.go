package metrics

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// tDist is Student's t with nu degrees of freedom, for quantiles and
// the CDF only: its source panics if asked for a number (noSource, as in
// Summarize), so no randomness can enter a statistic.
func tDist(nu float64) distuv.StudentsT {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu, Src: noSource{}}
}

// Welch is Welch's two-sample t-test of mean(b) − mean(a): the
// difference, its 95% interval on the Welch–Satterthwaite degrees of
// freedom, and the two-sided p-value. OK is false when either side has
// fewer than two defined values (no variance to test with); when both
// variances are zero the difference is exact: p is 1 when the means are
// equal and 0 otherwise, and the interval is the point.
type Welch struct {
	Diff, Lo, Hi, T, DF, P float64
	OK                     bool
}

// WelchTest compares two samples; NaN values are left out.
func WelchTest(a, b []float64) Welch {
	ea, eb := Summarize(a), Summarize(b)
	w := Welch{Diff: eb.Mean - ea.Mean, Lo: math.NaN(), Hi: math.NaN(), T: math.NaN(), DF: math.NaN(), P: math.NaN()}
	if ea.N < 2 || eb.N < 2 {
		return w
	}
	w.OK = true
	va, vb := ea.SD*ea.SD/float64(ea.N), eb.SD*eb.SD/float64(eb.N)
	se := math.Sqrt(va + vb)
	if se == 0 {
		w.Lo, w.Hi = w.Diff, w.Diff
		if w.Diff == 0 {
			w.P = 1
		} else {
			w.P = 0
		}
		return w
	}
	w.T = w.Diff / se
	w.DF = (va + vb) * (va + vb) / (va*va/float64(ea.N-1) + vb*vb/float64(eb.N-1))
	t := tDist(w.DF)
	w.P = 2 * t.Survival(math.Abs(w.T))
	h := t.Quantile(0.975) * se
	w.Lo, w.Hi = w.Diff-h, w.Diff+h
	return w
}

// Lorenz returns the Lorenz curve of non-negative values at the
// population fractions grid (each in [0, 1], increasing): the share of
// the total held by the poorest fraction p, interpolated linearly between
// nodes. It is nil for no values or a zero total.
func Lorenz(xs, grid []float64) []float64 {
	n := len(xs)
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	cum := make([]float64, n+1)
	for i, x := range s {
		cum[i+1] = cum[i] + x
	}
	if n == 0 || cum[n] == 0 {
		return nil
	}
	out := make([]float64, len(grid))
	for i, p := range grid {
		pos := p * float64(n)
		k := int(math.Floor(pos))
		if k >= n {
			out[i] = 1
			continue
		}
		out[i] = (cum[k] + (pos-float64(k))*s[k]) / cum[n]
	}
	return out
}

// Gini is the Gini coefficient of non-negative values, NaN for no values
// or a zero total (the same formula as summary.json's gini_rewards).
func Gini(xs []float64) float64 { return gini(xs).Float() }
