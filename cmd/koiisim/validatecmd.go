package main

import (
	"fmt"
	"runtime"

	"github.com/koiisim/koiisim/validation"
)

var commandDocsValidate = `validate runs the built-in validation suite: scenarios whose answer is
known in closed form (auditor coverage, the inspection game, sybil reward
shares, adaptive auditors' best response and volunteer's dilemma;
scenarios/validation/ derives each). For each case it prints the
expected value, the simulated estimate with its 95% confidence interval,
and the z-score (simulated - expected) / standard error; a case fails when
|z| > 4, or when a deterministic case is off by more than 1e-6. Cases of
learning agents show their stated tolerance instead of z and fail when
the learners' mean play rests farther than that from the equilibrium. Exit code
3 if any case fails. --quick runs fewer trials (still with the power to
tell the cases apart) for CI.
`

// cmdValidate runs the validation suite and prints its table.
func cmdValidate(e *env, args []string) int {
	fs := newFlags("validate", "validate [--quick]", e)
	quick := fs.Bool("quick", false, "fewer trials per case, for CI")
	if code, done := parse(fs, args, e); done {
		return code
	}
	opt := validation.Options{Quick: *quick, Workers: runtime.NumCPU()}
	validation.WriteHeader(e.stdout)
	failed := 0
	for _, c := range validation.Cases() {
		r, err := c.Run(opt)
		if err != nil {
			fmt.Fprintf(e.stderr, "koiisim validate: %v\n", err)
			return exitRuntime
		}
		if !r.Pass {
			failed++
		}
		r.WriteLine(e.stdout)
	}
	if failed > 0 {
		fmt.Fprintf(e.stdout, "\n%d case(s) failed\n", failed)
		return exitInvariant
	}
	fmt.Fprintln(e.stdout, "\nall cases pass")
	return exitOK
}
