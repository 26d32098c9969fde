package metrics

import (
	"errors"
	"fmt"
	"math"
)

// FrontierSearch is a stochastic bisection (docs/model.md §14.4) for where a metric crosses a
// target along one parameter: at each probe replicates are added in
// batches until the metric's confidence interval lies wholly on one
// side of the target (or the probe's budget runs out), and the bracket
// halves towards the side change.
type FrontierSearch struct {
	Lo, Hi    float64 // the range searched; the metric must be on opposite sides at its ends
	Integer   bool    // the parameter takes whole values: stop at a bracket one apart
	Target    float64
	Tol       float64 // stop when the bracket is this narrow (real axes; default (Hi-Lo)/1000)
	Batch     int     // replicates added per look at a probe (default 5, at least 2)
	MaxReps   int     // replicates at most per probe (default 200)
	MaxProbes int     // probes at most, the two ends included (default 40)
}

// Sampler returns a metric's values in replicates from to to−1 (seeds
// derived from the replicate index, so a probe's first replicates are
// the same whatever its budget) with the parameter at x.
type Sampler func(x float64, from, to int) ([]float64, error)

// FrontierProbe is one probe: where, the metric's mean and interval
// over its replicates, and the side of the target it was decided on
// (+1 above, −1 below, 0 undecided when the budget ran out).
type FrontierProbe struct {
	X          float64
	Mean       float64
	Lo, Hi     float64
	Replicates int
	Side       int
}

// FrontierResult is the bracket [Lo, Hi] the crossing lies in, with the
// probes that built it. Confidence is a lower bound on the chance that
// every decision was right, so that the crossing is in the bracket:
// 1 − (looks taken) × (the level each look used), Bonferroni over every
// look at every probe. Stopped says why the search ended short of the
// tolerance ("" when it reached it).
type FrontierResult struct {
	Lo, Hi     float64
	Up         bool // the metric rises through the target as the parameter grows
	Probes     []FrontierProbe
	Confidence float64
	Stopped    string
}

// FrontierAlpha is the family-wise error the whole search may spend.
const FrontierAlpha = 0.05

func (f *FrontierSearch) defaults() {
	if f.Batch < 2 {
		f.Batch = 5
	}
	if f.MaxReps < f.Batch {
		f.MaxReps = 200
	}
	if f.MaxProbes < 3 {
		f.MaxProbes = 40
	}
	if f.Tol <= 0 {
		f.Tol = (f.Hi - f.Lo) / 1000
	}
	if f.Integer {
		f.Tol = 1
	}
}

// ErrNoCrossing is returned when the metric is on the same side of the
// target at both ends of the range.
var ErrNoCrossing = errors.New("no crossing in the range")

// Search runs the bisection. Every look at a probe uses the t interval
// at level 1 − α, α = FrontierAlpha / (MaxProbes × looks per probe),
// so the bracket holds with at least 1 − FrontierAlpha whatever the
// path the search took.
func (f FrontierSearch) Search(sample Sampler) (*FrontierResult, error) {
	f.defaults()
	if !(f.Lo < f.Hi) {
		return nil, fmt.Errorf("the range [%g, %g] is empty", f.Lo, f.Hi)
	}
	looksPerProbe := (f.MaxReps + f.Batch - 1) / f.Batch
	alpha := FrontierAlpha / float64(f.MaxProbes*looksPerProbe)
	res := &FrontierResult{}
	looks := 0
	probe := func(x float64) (FrontierProbe, error) {
		p := FrontierProbe{X: x, Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
		var vals []float64
		for len(vals) < f.MaxReps {
			n := min(f.Batch, f.MaxReps-len(vals))
			more, err := sample(x, len(vals), len(vals)+n)
			if err != nil {
				return p, err
			}
			vals = append(vals, more...)
			looks++
			e := tInterval(vals, alpha)
			p.Mean, p.Lo, p.Hi, p.Replicates = e.Mean, e.Lo, e.Hi, len(vals)
			if e.N == 0 {
				return p, fmt.Errorf("the metric is undefined in every replicate at %g", x)
			}
			switch {
			case e.N >= 2 && e.Lo > f.Target:
				p.Side = 1
			case e.N >= 2 && e.Hi < f.Target:
				p.Side = -1
			}
			if p.Side != 0 {
				break
			}
		}
		res.Probes = append(res.Probes, p)
		return p, nil
	}
	done := func() *FrontierResult {
		res.Confidence = 1 - float64(looks)*alpha
		return res
	}
	lo, err := probe(f.Lo)
	if err != nil {
		return nil, err
	}
	hi, err := probe(f.Hi)
	if err != nil {
		return nil, err
	}
	res.Lo, res.Hi = f.Lo, f.Hi
	switch {
	case lo.Side == 0 || hi.Side == 0:
		end := lo
		if lo.Side != 0 {
			end = hi
		}
		res.Stopped = fmt.Sprintf("undecided at the end %.6g: the metric's interval [%.4g, %.4g] after %d replicates holds the target", end.X, end.Lo, end.Hi, end.Replicates)
		return done(), nil
	case lo.Side == hi.Side:
		return done(), fmt.Errorf("%w: the metric is %s the target at both %g and %g", ErrNoCrossing, map[int]string{1: "above", -1: "below"}[lo.Side], f.Lo, f.Hi)
	}
	res.Up = hi.Side > 0
	for res.Hi-res.Lo > f.Tol*(1+1e-12) {
		if len(res.Probes) >= f.MaxProbes {
			res.Stopped = fmt.Sprintf("the probe budget (%d) ran out", f.MaxProbes)
			return done(), nil
		}
		mid := (res.Lo + res.Hi) / 2
		if f.Integer {
			mid = math.Floor(mid)
		}
		p, err := probe(mid)
		if err != nil {
			return nil, err
		}
		switch p.Side {
		case lo.Side:
			res.Lo = mid
		case -lo.Side:
			res.Hi = mid
		default:
			res.Stopped = fmt.Sprintf("undecided at %.6g: the metric's interval [%.4g, %.4g] after %d replicates (the budget) holds the target, so the crossing is near it", mid, p.Lo, p.Hi, p.Replicates)
			return done(), nil
		}
	}
	return done(), nil
}

// tInterval is the mean of xs (NaNs left out) with its Student t
// interval at level 1 − alpha; with a zero SD the interval is the mean.
func tInterval(xs []float64, alpha float64) Estimate {
	e := Summarize(xs)
	if e.N < 2 {
		return e
	}
	h := TQuantile(1-alpha/2, float64(e.N-1)) * e.SD / math.Sqrt(float64(e.N))
	e.Lo, e.Hi = e.Mean-h, e.Mean+h
	return e
}
