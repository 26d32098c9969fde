package metrics

import (
	"encoding/binary"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"

	"github.com/koiisim/koiisim/sim"
)

// Morris's design (Morris 1991; Campolongo, Cariboni and Saltelli 2007):
// each dimension's unit range is cut into MorrisLevels levels and every
// step of a trajectory moves one coordinate by MorrisDelta, the
// recommended p / (2(p − 1)).
const (
	MorrisLevels = 4
	MorrisDelta  = float64(MorrisLevels) / (2 * (MorrisLevels - 1))
)

// sensitivityBoot is the number of bootstrap resamples behind each
// interval of a sensitivity index.
const sensitivityBoot = 1000

// Sensitivity is one dimension's indices for one metric with their 95%
// bootstrap intervals. For morris, A is mu* (the mean absolute
// elementary effect: the metric's change per full range of the
// parameter) and B is sigma (their standard deviation: interactions and
// non-linearity); for sobol, A is the first-order index S1 and B the
// total-order index ST.
type Sensitivity struct {
	Dim                      int
	A, ALo, AHi, B, BLo, BHi float64
	Groups                   int // trajectories or base samples used (those with the metric defined at every point)
}

// MorrisIndices computes (docs/model.md §14.5) mu* and sigma of each of k dimensions from y,
// the metric at every point of a morris design in order, and unit, the
// points' unit coordinates: trajectory t is points t(k+1) .. t(k+1)+k,
// and step j's dimension is the coordinate that moved. Trajectories with
// an undefined value are left out.
func MorrisIndices(y []float64, unit [][]float64, k int, key string) []Sensitivity {
	ee := make([][]float64, k) // per dimension, per trajectory
	groups := 0
	for t := 0; (t+1)*(k+1) <= len(y); t++ {
		base := t * (k + 1)
		ok := true
		for j := 0; j <= k; j++ {
			ok = ok && !math.IsNaN(y[base+j])
		}
		if !ok {
			continue
		}
		groups++
		for j := 0; j < k; j++ {
			a, b := unit[base+j], unit[base+j+1]
			d, step := 0, 0.0
			for i := range a {
				if s := b[i] - a[i]; math.Abs(s) > math.Abs(step) {
					d, step = i, s
				}
			}
			ee[d] = append(ee[d], (y[base+j+1]-y[base+j])/step)
		}
	}
	muStar := func(xs []float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += math.Abs(x)
		}
		return s / float64(len(xs))
	}
	sigma := func(xs []float64) float64 {
		if len(xs) < 2 {
			return math.NaN()
		}
		return stat.StdDev(xs, nil)
	}
	out := make([]Sensitivity, k)
	for d := range k {
		s := Sensitivity{Dim: d, Groups: groups, A: math.NaN(), B: math.NaN(), ALo: math.NaN(), AHi: math.NaN(), BLo: math.NaN(), BHi: math.NaN()}
		if len(ee[d]) > 0 {
			s.A, s.B = muStar(ee[d]), sigma(ee[d])
			s.ALo, s.AHi = bootstrap(ee[d], muStar, key, d, 0)
			s.BLo, s.BHi = bootstrap(ee[d], sigma, key, d, 1)
		}
		out[d] = s
	}
	return out
}

// SobolIndices computes (docs/model.md §14.6) the first-order index S1 (Saltelli 2010's
// estimator) and the total-order index ST (Jansen 1999's) of each of k
// dimensions from y, the metric at every point of a sobol design in
// order: base sample j is a, b, ab_1 .. ab_k at j(k+2) onwards. The
// variance is that of every a and b value. Intervals are percentile
// bootstraps over the base samples; samples with an undefined value are
// left out.
func SobolIndices(y []float64, k int, key string) []Sensitivity {
	var rows [][]float64 // each: a, b, ab_1..ab_k
	for j := 0; (j+1)*(k+2) <= len(y); j++ {
		r := y[j*(k+2) : (j+1)*(k+2)]
		if !slices.ContainsFunc(r, math.IsNaN) {
			rows = append(rows, r)
		}
	}
	est := func(rows [][]float64, d int) (s1, st float64) {
		var ab []float64
		for _, r := range rows {
			ab = append(ab, r[0], r[1])
		}
		v := stat.Variance(ab, nil)
		if !(v > 0) {
			return math.NaN(), math.NaN()
		}
		var a, b float64
		for _, r := range rows {
			fa, fb, fab := r[0], r[1], r[2+d]
			a += fb * (fab - fa)
			b += (fa - fab) * (fa - fab)
		}
		n := float64(len(rows))
		return a / n / v, b / (2 * n) / v
	}
	out := make([]Sensitivity, k)
	for d := range k {
		s := Sensitivity{Dim: d, Groups: len(rows), A: math.NaN(), B: math.NaN(), ALo: math.NaN(), AHi: math.NaN(), BLo: math.NaN(), BHi: math.NaN()}
		if len(rows) >= 2 {
			s.A, s.B = est(rows, d)
			rng := bootStream(key, d, 0)
			var s1s, sts []float64
			res := make([][]float64, len(rows))
			for range sensitivityBoot {
				for i := range res {
					res[i] = rows[rng.IntN(len(rows))]
				}
				a, b := est(res, d)
				if !math.IsNaN(a) {
					s1s, sts = append(s1s, a), append(sts, b)
				}
			}
			s.ALo, s.AHi = percentiles(s1s)
			s.BLo, s.BHi = percentiles(sts)
		}
		out[d] = s
	}
	return out
}

// bootstrap is the 95% percentile interval of f over resamples of xs.
func bootstrap(xs []float64, f func([]float64) float64, key string, d, which int) (lo, hi float64) {
	if len(xs) < 2 {
		return math.NaN(), math.NaN()
	}
	rng := bootStream(key, d, which)
	res := make([]float64, len(xs))
	var vals []float64
	for range sensitivityBoot {
		for i := range res {
			res[i] = xs[rng.IntN(len(xs))]
		}
		if v := f(res); !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	return percentiles(vals)
}

// percentiles are the 2.5% and 97.5% empirical quantiles.
func percentiles(vals []float64) (lo, hi float64) {
	if len(vals) == 0 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(vals)
	return stat.Quantile(0.025, stat.Empirical, vals, nil), stat.Quantile(0.975, stat.Empirical, vals, nil)
}

// bootStream is the resampling stream of one index: keyed by the
// metric, the dimension and which index, so a report's intervals are
// the same bits every time.
func bootStream(key string, d, which int) interface{ IntN(n int) int } {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(d))
	binary.BigEndian.PutUint64(b[8:], uint64(which))
	return sim.NamedStream("koiisim/sensitivity/" + key + "/" + string(b[:]))
}
