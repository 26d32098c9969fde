// Command koiisim simulates Koii's Gradual Consensus task cycles.
//
// Usage:
//
//	koiisim run [SCENARIO] [--seed N] [--rounds N] [--set PATH=VALUE]... [--out DIR] [--report] [--trace FILE] [--junit FILE]
//	koiisim run SCENARIO --replicates R [--ci-width METRIC=W] [--workers N]
//	koiisim sweep SCENARIO [--sweep PATH=V1,V2,...]... [--replicates R] [--shard I/N] [--out DIR]
//	koiisim merge DIR... [--out DIR] [--wait D]
//	koiisim optimize SCENARIO --maximize METRIC --vary PATH=LO:HI... [--replicates R] [--max-evals N]
//	koiisim scenarios | show | lint | report | compare | baseline | check | validate | version
//
// SCENARIO is a scenario file or the name of a built-in ('koiisim
// scenarios' lists them). 'koiisim help COMMAND' prints a command's
// flags and what it writes; the README is the full manual.
//
// run simulates one scenario and writes summary.json, rounds.csv,
// nodes.csv and scenario.yaml; the same scenario and seed give the same
// bytes. With --replicates it runs independent replicates, each seeded
// from the scenario's hash and its index, and prints each metric's mean,
// standard deviation and 95% confidence interval; --ci-width adds
// replicates until an interval is narrow enough.
//
// sweep runs every point of a parameter sweep (the scenario's sweep:
// section, or --sweep flags over --set paths) a number of times, on
// --workers goroutines, and writes cells.csv (one row per run),
// summary.csv (mean, sd, 95% CI and n per point and metric) and
// manifest.json, with Parquet twins on request. Results do not depend on
// the worker count; a sweep stopped by a signal or killed resumes when
// run again; --shard I/N, or a Slurm or Kubernetes array task's
// environment, runs a share of the cells, which merge combines into what
// one machine writes.
//
// run, run --replicates and sweep evaluate the scenario's assert:
// section (a sweep per point) and print PASS or FAIL for each check;
// --junit writes the results as JUnit XML, --report draws the figures and
// report.html, and --trace writes every proof, vote and payout of a
// single run as CSV.
//
// A run with learning behaviours (adaptive-auditor, adaptive-cheat) also
// writes strategies.csv and strategies.png, the population's mean audit
// and cheat probabilities per cycle, and a convergence verdict in
// summary.json. optimize searches strategy parameters (--vary boxes) for
// the best mean of a metric by Nelder-Mead, every candidate run with the
// same replicate seeds, and writes every candidate to candidates.csv;
// a journal of the finished candidates lets a search stopped part way
// resume where it stopped (optimizejournal.go).
//
// baseline records every metric of a scenario; check re-runs it and
// compares, exactly or statistically; validate runs the cases whose
// answers are known in closed form. report and compare draw figures and
// HTML pages from output directories.
//
// Exit codes: 0 ok, 1 runtime error, 2 usage or bad input, 3 a failed
// invariant, assertion, baseline check or validation case, 130 or 143 a
// sweep or replicate set stopped by SIGINT or SIGTERM (run the same
// command again to resume).
package main
