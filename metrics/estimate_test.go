package metrics

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// tCDFBrute is Student's t CDF by Simpson integration of its density
// from 0, the brute-force twin of distuv's incomplete beta function.
func tCDFBrute(x, nu float64) float64 {
	lg1, _ := math.Lgamma((nu + 1) / 2)
	lg2, _ := math.Lgamma(nu / 2)
	c := math.Exp(lg1-lg2) / math.Sqrt(nu*math.Pi)
	pdf := func(t float64) float64 { return c * math.Pow(1+t*t/nu, -(nu+1)/2) }
	const n = 20000
	a, b := 0.0, math.Abs(x)
	h := (b - a) / n
	s := pdf(a) + pdf(b)
	for i := 1; i < n; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		s += w * pdf(a+float64(i)*h)
	}
	half := s * h / 3
	if x < 0 {
		return 0.5 - half
	}
	return 0.5 + half
}

// TestSummarizeUsesStudentsT: the interval is mean ± t(0.975, n−1)·s/√n,
// the quantile checked against the integrated density; one value has no
// interval (HasCI).
func TestSummarizeUsesStudentsT(t *testing.T) {
	xs := []float64{1, 2, 3, 4, 5, math.NaN()}
	e := Summarize(xs)
	if e.N != 5 || e.Mean != 3 || math.Abs(e.SD-math.Sqrt(2.5)) > 1e-12 {
		t.Fatalf("Summarize = %+v", e)
	}
	q := (e.Hi - e.Mean) / (e.SD / math.Sqrt(5))
	if p := tCDFBrute(q, 4); math.Abs(p-0.975) > 1e-7 {
		t.Errorf("quantile %v has CDF %v by integration, want 0.975", q, p)
	}
	if one := Summarize([]float64{7}); one.HasCI() || one.Mean != 7 || !math.IsNaN(one.Lo) {
		t.Errorf("one value must have no interval: %+v", one)
	}
}

// TestWelchTest: the statistic, Welch–Satterthwaite degrees of freedom
// and two-sided p-value, the p-value checked against the integrated
// density; equal samples without variance give p = 1, and fewer than two
// values per side give no test.
func TestWelchTest(t *testing.T) {
	a := []float64{1, 2, 3, 4, 5}
	b := []float64{2, 4, 6, 8, 10}
	w := WelchTest(a, b)
	if !w.OK || w.Diff != 3 {
		t.Fatalf("%+v", w)
	}
	if math.Abs(w.T-3/math.Sqrt(2.5)) > 1e-12 || math.Abs(w.DF-6.25/1.0625) > 1e-12 {
		t.Errorf("t = %v, df = %v; want %v, %v", w.T, w.DF, 3/math.Sqrt(2.5), 6.25/1.0625)
	}
	if p := 2 * (1 - tCDFBrute(w.T, w.DF)); math.Abs(w.P-p) > 1e-7 {
		t.Errorf("p = %v, integration gives %v", w.P, p)
	}
	if w.Lo >= 0 || w.Hi <= 3 || w.P < 0.05 {
		t.Errorf("a difference not significant at 5%% must have an interval over 0: %+v", w)
	}
	if s := WelchTest([]float64{2, 2}, []float64{2, 2}); !s.OK || s.P != 1 || s.Lo != 0 {
		t.Errorf("same constant samples: %+v", s)
	}
	if s := WelchTest([]float64{2, 2}, []float64{3, 3}); s.P != 0 {
		t.Errorf("different constant samples: %+v", s)
	}
	if s := WelchTest([]float64{1}, []float64{2, 3}); s.OK || !math.IsNaN(s.P) || s.Diff != 1.5 {
		t.Errorf("one value on a side: %+v", s)
	}
}

// TestLorenzMatchesGini: at the nodes p = k/n the curve is the share of
// the k smallest, and the Gini is one minus twice the area under it.
func TestLorenzMatchesGini(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(30)
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = math.Floor(rng.ExpFloat64() * 100)
		}
		xs[0]++
		grid := make([]float64, n+1)
		for k := range grid {
			grid[k] = float64(k) / float64(n)
		}
		l := Lorenz(xs, grid)
		s := append([]float64(nil), xs...)
		sort.Float64s(s)
		var cum, total, area float64
		for _, x := range s {
			total += x
		}
		for k := 1; k <= n; k++ {
			cum += s[k-1]
			if math.Abs(l[k]-cum/total) > 1e-12 {
				t.Fatalf("Lorenz(%v) at %d/%d = %v, want %v", xs, k, n, l[k], cum/total)
			}
			area += (l[k-1] + l[k]) / 2 / float64(n)
		}
		if g := Gini(xs); math.Abs(g-(1-2*area)) > 1e-12 {
			t.Fatalf("Gini %v, 1 - 2·area %v", g, 1-2*area)
		}
	}
	if Lorenz(nil, []float64{0, 0.5, 1}) != nil || Lorenz([]float64{0, 0}, []float64{0, 0.5, 1}) != nil {
		t.Error("no values or a zero total has no curve")
	}
}
