package validation

import (
	"fmt"
	"math"
)

// samplingCases check audit_sampling (scenarios/validation/sampling.yaml
// derives them): h honest workers auditing k proofs each catch one
// always-invalid worker with P = 1 - (1 - k/N)^h under koii and
// 1 - (1 - k/(N-1))^h under others, N = h + 1.
func samplingCases() []Case {
	const h, k = 5, 1
	n := float64(h + 1)
	var cases []Case
	for _, c := range []struct {
		rule string
		p    float64 // one honest sample's chance to hold the invalid proof
	}{{"koii", k / n}, {"others", k / (n - 1)}} {
		c := c
		want := 1 - math.Pow(1-c.p, h)
		cases = append(cases, Case{
			Name:     fmt.Sprintf("audit_sampling %s h=%d k=%d: P(slashed)", c.rule, h, k),
			Expected: want,
			estimate: func(o Options) (Estimate, error) {
				rounds := 2000
				if o.Quick {
					rounds = 600
				}
				f, err := runValidation("sampling", 1, rounds, "rules.audit_sampling="+c.rule)
				if err != nil {
					return Estimate{}, err
				}
				return rate(f.Class[classIndex(f, "cheat")], "slashed_count", "invalid", want), nil
			},
		})
	}
	return cases
}
