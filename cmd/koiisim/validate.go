package main

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"strings"

	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/scenarios"
	"github.com/koiisim/koiisim/sim"
)

// A validation case runs a scenario whose answer is known in closed form
// (scenarios/validation/*.yaml derive each) and compares the simulated
// estimate with it: it passes when the z-score is within ±zLimit, or,
// for deterministic cases, when the values agree to within tolerance.
type validationCase struct {
	name     string
	expected float64
	// estimate runs the case; quick asks for fewer trials.
	estimate func(quick bool) (estimate, error)
}

// estimate is a simulated value with its standard error; exact cases
// have se 0 and are compared with a tolerance instead.
type estimate struct {
	mean, se float64
	n        int
	exact    bool
}

const (
	zLimit         = 4.0  // |z| beyond this fails: about 6e-5 per case by chance
	exactTolerance = 1e-6 // deterministic shares agree up to ROE floors
)

var commandDocsValidate = `validate runs the built-in validation suite: scenarios whose answer is
known in closed form (auditor coverage, audit sampling, the inspection
game, sybil reward shares; scenarios/validation/ derives each). For each case it prints the
expected value, the simulated estimate with its 95% confidence interval,
and the z-score (simulated - expected) / standard error; a case fails when
|z| > 4, or when a deterministic case is off by more than 1e-6. Exit code
3 if any case fails. --quick runs fewer trials (still with the power to
tell the cases apart) for CI.
`

func validationCases() []validationCase {
	var cases []validationCase
	for _, c := range []struct {
		n int
		q string
	}{{50, "0.05"}, {10, "0.1"}, {20, "0.05"}, {100, "0.01"}} {
		c := c
		var q float64
		fmt.Sscan(c.q, &q)
		cases = append(cases, validationCase{
			name:     fmt.Sprintf("auditor coverage n=%d q=%s: P(slashed)", c.n, c.q),
			expected: 1 - math.Pow(1-q, float64(c.n)),
			estimate: func(quick bool) (estimate, error) {
				rounds := 2000
				if quick {
					rounds = 600
				}
				f, err := runValidation("coverage", 1, rounds,
					fmt.Sprintf("populations.auditors.count=%d", c.n), "populations.auditors.behaviour.audit="+c.q)
				if err != nil {
					return estimate{}, err
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
		cases = append(cases, validationCase{
			name:     "inspection game P_d=" + pd.label + ": cheat - honest payoff, KOII/cycle",
			expected: 5 - 30*pd.value,
			estimate: func(quick bool) (estimate, error) {
				reps := 4000
				if quick {
					reps = 1200
				}
				set := "populations.auditor.behaviour.audit=" + pd.text
				cheat, err := replicateMetric("inspection", reps, "submitter.net_profit", set)
				if err != nil {
					return estimate{}, err
				}
				honest, err := replicateMetric("inspection", reps, "submitter.net_profit", set, "populations.submitter.behaviour=honest")
				if err != nil {
					return estimate{}, err
				}
				mc, vc := meanVar(cheat)
				mh, vh := meanVar(honest)
				return estimate{mean: mc - mh, se: math.Sqrt(vc/float64(reps) + vh/float64(reps)), n: reps}, nil
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
			cases = append(cases, validationCase{
				name:     fmt.Sprintf("sybil share m=%d, reward_split %s: whale bounty share", m, split),
				expected: want,
				estimate: func(bool) (estimate, error) {
					f, err := runValidation("sybil", 1, 1, fmt.Sprintf("populations.whale.count=%d", m), "rules.reward_split="+split)
					if err != nil {
						return estimate{}, err
					}
					return estimate{mean: f.Class[classIndex(f, "whale")]["bounty_share"].Float(), n: 1, exact: true}, nil
				},
			})
		}
	}
	return append(cases, samplingCases()...)
}

// runValidation runs one validation scenario with overrides.
func runValidation(name string, seed uint64, rounds int, sets ...string) (*metrics.Figures, error) {
	s, _, err := scenarios.Validation(name, sets)
	if err != nil {
		return nil, err
	}
	res, err := sim.Run(&s.Config, sim.Options{Seed: seed, Rounds: rounds})
	if err != nil {
		return nil, err
	}
	return metrics.Compute(res, &s.Config.Task), nil
}

// replicateMetric runs reps replicates of a validation scenario, seeds
// derived from the case's scenario and overrides and the replicate
// index, and returns one metric of each (money in KOII).
func replicateMetric(name string, reps int, path string, sets ...string) ([]float64, error) {
	s, _, err := scenarios.Validation(name, sets)
	if err != nil {
		return nil, err
	}
	out := make([]float64, reps)
	for i := range out {
		res, err := sim.Run(&s.Config, sim.Options{Seed: caseSeed(name, sets, i), Rounds: s.Rounds})
		if err != nil {
			return nil, err
		}
		v, ok := metricValue(metrics.Compute(res, &s.Config.Task), path)
		if !ok {
			return nil, fmt.Errorf("no metric %s", path)
		}
		out[i] = v.Float()
	}
	return out, nil
}

// caseSeed derives a replicate's seed from its case and index (FNV-1a),
// so adding a case never changes another's draws.
func caseSeed(name string, sets []string, i int) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name + "\x00" + strings.Join(sets, "\x00")))
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(i))
	h.Write(b[:])
	return h.Sum64()
}

func metricValue(f *metrics.Figures, path string) (metrics.Value, bool) {
	for _, p := range metrics.Flatten(f) {
		if p.Path == path {
			return p.Value, true
		}
	}
	return metrics.Value{}, false
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
func rate(m map[string]metrics.Value, successes, trials string, p float64) estimate {
	k, n := m[successes].Float(), m[trials].Float()
	return estimate{mean: k / n, se: math.Sqrt(p * (1 - p) / n), n: int(n)}
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

// cmdValidate runs the validation suite and prints its table.
func cmdValidate(e *env, args []string) int {
	fs := newFlags("validate", "validate [--quick]", e)
	quick := fs.Bool("quick", false, "fewer trials per case, for CI")
	if code, done := parse(fs, args, e); done {
		return code
	}
	fmt.Fprintf(e.stdout, "%-62s %10s %10s %23s %7s  %s\n", "case", "expected", "simulated", "95% CI", "z", "result")
	failed := 0
	for _, c := range validationCases() {
		est, err := c.estimate(*quick)
		if err != nil {
			fmt.Fprintf(e.stderr, "koiisim validate: %s: %v\n", c.name, err)
			return exitRuntime
		}
		ci, z, pass := "(exact)", "-", math.Abs(est.mean-c.expected) <= exactTolerance
		if !est.exact {
			ci = fmt.Sprintf("[%.6f, %.6f]", est.mean-1.96*est.se, est.mean+1.96*est.se)
			zv := (est.mean - c.expected) / est.se
			z = fmt.Sprintf("%+.2f", zv)
			pass = math.Abs(zv) <= zLimit
		}
		verdict := "PASS"
		if !pass {
			verdict = "FAIL"
			failed++
		}
		fmt.Fprintf(e.stdout, "%-62s %10.6f %10.6f %23s %7s  %s\n", c.name, c.expected, est.mean, ci, z, verdict)
	}
	if failed > 0 {
		fmt.Fprintf(e.stdout, "\n%d case(s) failed\n", failed)
		return exitInvariant
	}
	fmt.Fprintln(e.stdout, "\nall cases pass")
	return exitOK
}
