package validation

import (
	"fmt"
	"math"
)

// delayCases check the delay rules of docs/model.md §5 and §7 against
// closed forms derived beside their scenarios (scenarios/validation/):
//   - escape: a whale that cheats in its last cycle keeps its stake iff
//     unstake_cooldown <= payment_lag - 2 (exact: stake_recovered 1 or 0.3);
//   - late: paid invalid proofs are discovered with probability
//     late_detection (binomial);
//   - annuity: honest profit discounted at d per round is
//     B g^-2 (1 - g^-C) / (1 - 1/g), g = 1 + d (exact up to float sums).
func delayCases() []Case {
	var cases []Case
	for _, c := range []struct{ lag, cooldown int }{{2, 0}, {2, 1}, {5, 3}, {5, 4}} {
		c := c
		want := 0.3
		if c.cooldown <= c.lag-2 {
			want = 1
		}
		cases = append(cases, Case{
			Name:     fmt.Sprintf("escape payment_lag=%d unstake_cooldown=%d: whale stake recovered", c.lag, c.cooldown),
			Expected: want,
			estimate: func(Options) (Estimate, error) {
				f, err := runValidation("escape", 1, 15, fmt.Sprintf("rules.payment_lag=%d", c.lag), fmt.Sprintf("rules.unstake_cooldown=%d", c.cooldown))
				if err != nil {
					return Estimate{}, err
				}
				return Estimate{Mean: f.Class[classIndex(f, "whale")]["stake_recovered"].Float(), N: 1, Exact: true}, nil
			},
		})
	}
	const p = 0.3
	cases = append(cases, Case{
		Name:     fmt.Sprintf("late detection p=%v: discovered / paid invalid proofs", p),
		Expected: p,
		estimate: func(o Options) (Estimate, error) {
			rounds := 2000
			if o.Quick {
				rounds = 600
			}
			f, err := runValidation("late", 1, rounds, fmt.Sprintf("rules.late_detection=%v", p))
			if err != nil {
				return Estimate{}, err
			}
			return rate(f.Class[classIndex(f, "cheat")], "late_detections", "missed_detections", p), nil
		},
	})
	for _, d := range []float64{0.01, 0.05} {
		d := d
		const bounty, cycles = 10.0, 100
		g := 1 + d
		want := bounty * math.Pow(g, -2) * (1 - math.Pow(g, -cycles)) / (1 - 1/g)
		cases = append(cases, Case{
			Name:     fmt.Sprintf("annuity discount_rate=%v: honest net_profit_pv, KOII", d),
			Expected: want,
			estimate: func(Options) (Estimate, error) {
				f, err := runValidation("annuity", 1, cycles, fmt.Sprintf("costs.discount_rate=%v", d))
				if err != nil {
					return Estimate{}, err
				}
				return Estimate{Mean: f.Class[classIndex(f, "honest")]["net_profit_pv"].Float(), N: 1, Exact: true}, nil
			},
		})
	}
	return cases
}
