package validation

import (
	"context"
	"fmt"
	"io"
	"math"

	"github.com/koiisim/koiisim/experiment"
	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/scenarios"
)

// A Case runs a scenario whose answer is known in closed form
// (scenarios/validation/*.yaml derive each) and compares the simulated
// estimate with it: it passes when the z-score is within ±ZLimit, or,
// for deterministic cases, when the values agree to within
// ExactTolerance.
type Case struct {
	Name     string
	Expected float64
	estimate func(Options) (Estimate, error)
}

// Estimate is a simulated value with its standard error and the trials
// behind it; exact cases have SE 0 and are compared with a tolerance
// instead.
type Estimate struct {
	Mean, SE float64
	N        int
	Exact    bool
	// Tol, when above 0, is the case's stated tolerance: it passes when
	// |Mean - Expected| <= Tol (learners rest near an equilibrium).
	Tol float64
}

const (
	ZLimit         = 4.0  // |z| beyond this fails: about 6e-5 per case by chance
	ExactTolerance = 1e-6 // deterministic shares agree up to ROE floors
)

// Cases returns the suite: auditor coverage (P(slashed) = 1 - (1-q)^n),
// the inspection game's payoff difference (5 - 30 P_d), sybil reward
// shares (m/(m+70) equal, 30% by stake), audit sampling (samplingCases),
// the delay rules (delayCases), the sensitivity designs on functions with
// known indices (sensitivityCases) and learning agents (adaptiveCases).
func Cases() []Case {
	var cases []Case
	for _, c := range []struct {
		n int
		q string
	}{{50, "0.05"}, {10, "0.1"}, {20, "0.05"}, {100, "0.01"}} {
		c := c
		var q float64
		fmt.Sscan(c.q, &q)
		cases = append(cases, Case{
			Name:     fmt.Sprintf("auditor coverage n=%d q=%s: P(slashed)", c.n, c.q),
			Expected: 1 - math.Pow(1-q, float64(c.n)),
			estimate: func(o Options) (Estimate, error) {
				rounds := 2000
				if o.Quick {
					rounds = 600
				}
				f, err := runValidation("coverage", 1, rounds,
					fmt.Sprintf("populations.auditors.count=%d", c.n), "populations.auditors.behaviour.audit="+c.q)
				if err != nil {
					return Estimate{}, err
				}
				return rate(f.Class[classIndex(f, "cheat")], "slashed_count", "invalid", 1-math.Pow(1-q, float64(c.n))), nil
			},
		})
	}
	for _, pd := range []struct {
		label string
		value float64
		text  string
	}{{"1/6", 1.0 / 6, "0.1666666666666667"}, {"0.10", 0.10, "0.1"}, {"0.25", 0.25, "0.25"}} {
		pd := pd
		cases = append(cases, Case{
			Name:     "inspection game P_d=" + pd.label + ": cheat - honest payoff, KOII/cycle",
			Expected: 5 - 30*pd.value,
			estimate: func(o Options) (Estimate, error) {
				reps := 4000
				if o.Quick {
					reps = 1200
				}
				set := "populations.auditor.behaviour.audit=" + pd.text
				cheat, err := replicateMetric("inspection", reps, o.Workers, "submitter.net_profit", set)
				if err != nil {
					return Estimate{}, err
				}
				honest, err := replicateMetric("inspection", reps, o.Workers, "submitter.net_profit", set, "populations.submitter.behaviour=honest")
				if err != nil {
					return Estimate{}, err
				}
				mc, vc := meanVar(cheat)
				mh, vh := meanVar(honest)
				return Estimate{Mean: mc - mh, SE: math.Sqrt(vc/float64(reps) + vh/float64(reps)), N: reps}, nil
			},
		})
	}
	for _, m := range []int{1, 10, 70} {
		for _, split := range []string{"equal", "stake"} {
			m, split := m, split
			want := 0.3
			if split == "equal" {
				want = float64(m) / float64(m+70)
			}
			cases = append(cases, Case{
				Name:     fmt.Sprintf("sybil share m=%d, reward_split %s: whale bounty share", m, split),
				Expected: want,
				estimate: func(Options) (Estimate, error) {
					f, err := runValidation("sybil", 1, 1, fmt.Sprintf("populations.whale.count=%d", m), "rules.reward_split="+split)
					if err != nil {
						return Estimate{}, err
					}
					return Estimate{Mean: f.Class[classIndex(f, "whale")]["bounty_share"].Float(), N: 1, Exact: true}, nil
				},
			})
		}
	}
	cases = append(cases, samplingCases()...)
	cases = append(cases, delayCases()...)
	cases = append(cases, sensitivityCases()...)
	return append(cases, adaptiveCases()...)
}

// runValidation runs one validation scenario with overrides, seed and
// rounds.
func runValidation(name string, seed uint64, rounds int, sets ...string) (*metrics.Figures, error) {
	s, _, err := scenarios.Validation(name, sets)
	if err != nil {
		return nil, err
	}
	s.Rounds = rounds
	run, err := experiment.RunOne(context.Background(), s, seed, experiment.Options{})
	if err != nil {
		return nil, err
	}
	return run.Figures, nil
}

// replicateMetric runs reps replicates of a validation scenario on
// workers goroutines, replicate i with experiment.ReplicateSeed (from
// the resolved scenario, overrides included, and i: the seeds `koiisim
// run --replicates` gives it), and returns one metric of each (money in
// KOII), in replicate order.
func replicateMetric(name string, reps, workers int, path string, sets ...string) ([]float64, error) {
	s, _, err := scenarios.Validation(name, sets)
	if err != nil {
		return nil, err
	}
	seeds := make([]uint64, reps)
	for i := range seeds {
		seeds[i] = experiment.ReplicateSeed(s, i)
	}
	runs, err := experiment.Replicates(context.Background(), s, seeds, workers)
	if err != nil {
		return nil, err
	}
	out := make([]float64, reps)
	for i, run := range runs {
		v, ok := metrics.Lookup(run.Figures, path)
		if !ok {
			return nil, fmt.Errorf("no metric %s", path)
		}
		out[i] = v.Float()
	}
	return out, nil
}

func classIndex(f *metrics.Figures, class string) int {
	for i, c := range f.Classes {
		if c == class {
			return i
		}
	}
	panic("validation scenario has no class " + class)
}

// rate estimates successes/trials with the binomial standard error at
// the expected probability p (the null hypothesis the z-score tests).
func rate(m map[string]metrics.Value, successes, trials string, p float64) Estimate {
	k, n := m[successes].Float(), m[trials].Float()
	return Estimate{Mean: k / n, SE: math.Sqrt(p * (1 - p) / n), N: int(n)}
}

func meanVar(xs []float64) (mean, variance float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		variance += (x - mean) * (x - mean)
	}
	return mean, variance / float64(len(xs)-1)
}

// Result is a case's verdict: its estimate, the z-score ("-" for an
// exact case) and whether it passed.
type Result struct {
	Case     Case
	Estimate Estimate
	Pass     bool
}

// Options change how a case runs.
type Options struct {
	Quick   bool // fewer trials, still with the power to tell the cases apart: for CI
	Workers int  // replicates run at once; at least 1
}

// Run runs the case and judges it.
func (c Case) Run(o Options) (Result, error) {
	est, err := c.estimate(o)
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", c.Name, err)
	}
	r := Result{Case: c, Estimate: est, Pass: math.Abs(est.Mean-c.Expected) <= ExactTolerance}
	switch {
	case est.Tol > 0:
		r.Pass = math.Abs(est.Mean-c.Expected) <= est.Tol
	case !est.Exact:
		r.Pass = math.Abs(r.Z()) <= ZLimit
	}
	return r, nil
}

// Z is the z-score (simulated - expected) / standard error.
func (r Result) Z() float64 { return (r.Estimate.Mean - r.Case.Expected) / r.Estimate.SE }

// WriteHeader writes the header line of the suite's table.
func WriteHeader(w io.Writer) {
	fmt.Fprintf(w, "%-62s %10s %10s %23s %7s  %s\n", "case", "expected", "simulated", "95% CI", "z", "result")
}

// WriteLine writes the result's line of the suite's table: expected,
// simulated, the 95% interval (mean ± 1.96 SE) and z, or "(exact)".
func (r Result) WriteLine(w io.Writer) {
	est := r.Estimate
	ci, z := "(exact)", "-"
	if !est.Exact {
		ci = fmt.Sprintf("[%.6f, %.6f]", est.Mean-1.96*est.SE, est.Mean+1.96*est.SE)
		z = fmt.Sprintf("%+.2f", r.Z())
		if est.Tol > 0 {
			z = fmt.Sprintf("±%.2f", est.Tol)
		}
	}
	verdict := "PASS"
	if !r.Pass {
		verdict = "FAIL"
	}
	fmt.Fprintf(w, "%-62s %10.6f %10.6f %23s %7s  %s\n", r.Case.Name, r.Case.Expected, est.Mean, ci, z, verdict)
}
