// Package validation is koiisim's closed-form validation suite: each
// case runs a scenario whose answer is known in closed form (the files
// under scenarios/validation/ derive each: auditor coverage, the
// inspection game, sybil reward shares) through experiment.RunOne and
// compares the simulated estimate with it by its z-score, or, for a
// deterministic case, to within ExactTolerance. `koiisim validate`
// prints the table (WriteHeader, Result.WriteLine) and exits 3 on a
// failed case.
package validation
