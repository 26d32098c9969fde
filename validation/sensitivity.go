package validation

import (
	"fmt"
	"math"
	"strconv"
	"sync"

	"github.com/koiisim/koiisim/experiment"
	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/scenarios"
)

// sensitivityCases check the sensitivity designs and estimators on
// functions whose indices are known, evaluated through the same
// machinery a sweep uses: the design's points come from
// experiment.Points (the values a sweep would --set), and the indices
// from metrics.MorrisIndices and metrics.SobolIndices.
//
// Ishigami (Ishigami and Homma 1990; Saltelli et al. 2008, §4.2):
// f = sin x1 + a sin² x2 + b x3⁴ sin x1 on [−π, π]³ with a = 7, b = 0.1
// has S1 = 0.3139, S2 = 0.4424, S3 = 0 and ST1 = 0.5576, ST2 = 0.4424,
// ST3 = 0.2437. A linear function 6·x1/2 + x2 + 0·x3 on [0, 2] × [0, 1]²
// has elementary effects per full range of 6, 1 and 0 at every step, so
// mu* = 6, 1, 0 exactly and sigma = 0.
func sensitivityCases() []Case {
	var cases []Case
	type sobolRun struct {
		once [2]sync.Once
		out  [2][]metrics.Sensitivity
		err  [2]error
	}
	var ish sobolRun
	ishigami := func(quick bool) ([]metrics.Sensitivity, error) {
		q := 0
		if quick {
			q = 1
		}
		ish.once[q].Do(func() {
			n := 4000
			if quick {
				n = 1500
			}
			y, _, err := designValues(scenarios.DesignSobol, n, [][2]string{{"-3.141592654", "3.141592654"}, {"-3.141592654", "3.141592654"}, {"-3.141592654", "3.141592654"}},
				func(x []float64) float64 {
					return math.Sin(x[0]) + 7*math.Pow(math.Sin(x[1]), 2) + 0.1*math.Pow(x[2], 4)*math.Sin(x[0])
				})
			ish.err[q] = err
			if err == nil {
				ish.out[q] = metrics.SobolIndices(y, 3, "ishigami")
			}
		})
		return ish.out[q], ish.err[q]
	}
	for i, want := range []struct{ s1, st float64 }{{0.3139, 0.5576}, {0.4424, 0.4424}, {0, 0.2437}} {
		for _, total := range []bool{false, true} {
			name, exp := fmt.Sprintf("sobol Ishigami S1 of x%d", i+1), want.s1
			if total {
				name, exp = fmt.Sprintf("sobol Ishigami ST of x%d", i+1), want.st
			}
			cases = append(cases, Case{Name: name, Expected: exp, estimate: func(o Options) (Estimate, error) {
				idx, err := ishigami(o.Quick)
				if err != nil {
					return Estimate{}, err
				}
				s := idx[i]
				v, lo, hi := s.A, s.ALo, s.AHi
				if total {
					v, lo, hi = s.B, s.BLo, s.BHi
				}
				// The bootstrap interval's half-width over 1.96 is the
				// standard error the z-score divides by.
				return Estimate{Mean: v, SE: (hi - lo) / (2 * 1.959964), N: s.Groups}, nil
			}})
		}
	}
	linear := func() ([]metrics.Sensitivity, error) {
		y, unit, err := designValues(scenarios.DesignMorris, 20, [][2]string{{"0", "2.0"}, {"0", "1.0"}, {"0", "1.0"}},
			func(x []float64) float64 { return 3*x[0] + x[1] })
		if err != nil {
			return nil, err
		}
		return metrics.MorrisIndices(y, unit, 3, "linear"), nil
	}
	for i, want := range []float64{6, 1, 0} {
		for _, sigma := range []bool{false, true} {
			name, exp := fmt.Sprintf("morris linear mu* of x%d", i+1), want
			if sigma {
				name, exp = fmt.Sprintf("morris linear sigma of x%d", i+1), 0
			}
			cases = append(cases, Case{Name: name, Expected: exp, estimate: func(Options) (Estimate, error) {
				idx, err := linear()
				if err != nil {
					return Estimate{}, err
				}
				v := idx[i].A
				if sigma {
					v = idx[i].B
				}
				return Estimate{Mean: v, N: idx[i].Groups, Exact: true}, nil
			}})
		}
	}
	return cases
}

// designValues draws a sensitivity design over ranges with
// experiment.Points, as a sweep with those dimensions would, parses each
// point's values and evaluates f there; it returns f at every point and
// the points' unit coordinates.
func designValues(design scenarios.Design, points int, ranges [][2]string, f func([]float64) float64) ([]float64, [][]float64, error) {
	sw := scenarios.Sweep{Design: design, Points: points, Replicates: 1}
	for i, r := range ranges {
		sw.Vary = append(sw.Vary, scenarios.Dimension{Path: fmt.Sprintf("x%d", i+1), From: r[0], To: r[1]})
	}
	if ps := sw.Validate(); len(ps) > 0 {
		return nil, nil, fmt.Errorf("the validation design: %v", ps)
	}
	const seed = 1
	var y []float64
	for _, vals := range experiment.Points(&sw, seed) {
		x := make([]float64, len(vals))
		for d, v := range vals {
			var err error
			if x[d], err = strconv.ParseFloat(v, 64); err != nil {
				return nil, nil, err
			}
		}
		y = append(y, f(x))
	}
	return y, experiment.UnitPoints(&sw, seed), nil
}
