package validation

import (
	"context"
	"fmt"
	"math"

	"github.com/koiisim/koiisim/experiment"
	"github.com/koiisim/koiisim/scenarios"
)

// adaptiveCases are the closed forms of strategic agents
// (docs/model.md §13; scenarios/validation/best-response.yaml and
// volunteer.yaml derive each): learners are judged by where their mean
// play settles, within a stated tolerance, since a learner of finite
// step rests near an equilibrium rather than on it.
func adaptiveCases() []Case {
	var cases []Case
	for _, x := range []struct {
		text string
		want float64
	}{{"0.5", 1}, {"0.1", 0}} {
		x := x
		cases = append(cases, Case{
			Name:     "best response to cheat rate " + x.text + ": audit probability",
			Expected: x.want,
			estimate: func(o Options) (Estimate, error) {
				return meanPlay("best-response", 10, 4, o, 0.05, "populations.cheat.behaviour.invalid="+x.text)
			},
		})
	}
	// Far from 1/2 a learner's rest point drifts toward 1/2 by an amount
	// that shrinks with its step (volunteer.yaml): c/b = 1/8 takes a
	// smaller step over a longer run to come within the tolerance.
	for _, b := range []struct {
		b    int
		sets []string
	}{{2, nil}, {4, nil}, {8, []string{"populations.auditors.behaviour.eta=0.001", "rounds=16000", "task.total_bounty=17000"}}} {
		b := b
		const n, m, k, c = 30, 10, 1, 1.0
		cases = append(cases, Case{
			Name:     fmt.Sprintf("volunteer's dilemma N=%d k/M=%d/%d c/b=1/%d: mean q", n, k, m, b.b),
			Expected: float64(m) / k * (1 - math.Pow(c/float64(b.b), 1/float64(n-1))),
			estimate: func(o Options) (Estimate, error) {
				return meanPlay("volunteer", 10, 3, o, 0.03, append([]string{fmt.Sprintf("costs.fraud_loss=%d", b.b)}, b.sets...)...)
			},
		})
	}
	cases = append(cases, Case{
		Name:     "volunteer's dilemma, fixed group of 3: one volunteer, mean 1/3",
		Expected: 1.0 / 3,
		estimate: func(o Options) (Estimate, error) {
			return meanPlay("volunteer", 10, 3, o, 0.03, "populations.cheat.count=1", "populations.auditors.count=3",
				"rules.audit_sample=all", "populations.auditors.behaviour.eta=0.005", "rounds=4000")
		},
	})
	return cases
}

// meanPlay runs replicates of a validation scenario with learners
// (experiment.Replicates: replicate i with experiment.ReplicateSeed, on
// o.Workers goroutines, results by index) and returns the population's
// mean audit probability over the second half of each run's started
// cycles, averaged over replicates, with its standard error across them
// and the case's tolerance.
func meanPlay(name string, reps, quickReps int, o Options, tol float64, sets ...string) (Estimate, error) {
	if o.Quick {
		reps = quickReps
	}
	s, _, err := scenarios.Validation(name, sets)
	if err != nil {
		return Estimate{}, err
	}
	seeds := make([]uint64, reps)
	for i := range seeds {
		seeds[i] = experiment.ReplicateSeed(s, i)
	}
	runs, err := experiment.Replicates(context.Background(), s, seeds, max(1, o.Workers))
	if err != nil {
		return Estimate{}, err
	}
	means := make([]float64, reps)
	for i, run := range runs {
		play := run.Strategies.Audit
		if len(play) == 0 {
			return Estimate{}, fmt.Errorf("%s: no learner's play was recorded", s.Name)
		}
		tail := play[len(play)/2:]
		for _, p := range tail {
			means[i] += p
		}
		means[i] /= float64(len(tail))
	}
	m, v := meanVar(means)
	return Estimate{Mean: m, SE: math.Sqrt(v / float64(reps)), N: reps, Tol: tol}, nil
}
