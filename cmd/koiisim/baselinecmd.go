package main

import (
	"context"
	"fmt"
	"runtime"
	"strings"

	"github.com/koiisim/koiisim/experiment"
	"github.com/koiisim/koiisim/internal/atomicfile"
	"github.com/koiisim/koiisim/internal/input"
	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/reports"
	"github.com/koiisim/koiisim/scenarios"
	"github.com/koiisim/koiisim/sim"
)

func init() {
	commandDocs["baseline"] = `baseline runs SCENARIO (with --replicates, R replicates) and records every
metric, with its mean, standard deviation, 95% interval and count, in FILE:
the reference 'koiisim check' compares later runs with. Commit the file
beside the scenario. Add "rtol": 0.2 to a metric's entry by hand to give
it its own tolerance in stat mode.

  --metrics LIST             record only these paths or patterns
                             ('whale.*', '*.net_profit'), the ones to guard
  --direction METRIC=DIR     which way is better: lower, higher or both
                             (repeatable; METRIC may be a pattern). Rates of
                             wrong verdicts, unpaid cycles, wrong lists and
                             rewards lost to attackers default to lower;
                             the rest to both (two-sided)

Fewer than 10 replicates is a warning: intervals from a handful of runs
are wide and their SDs noisy.
`
	commandDocs["check"] = `check re-runs SCENARIO with the baseline's seed, rounds and replicate
count and compares every metric of the baseline:

  --mode stat   (default) a metric fails when the two 95% intervals do not
                overlap and its relative change exceeds --rtol (or the
                metric's own "rtol" in the file): tolerant of noise and seed
                changes, not of real shifts;
  --mode exact  every metric must be equal to the last digit: with the
                baseline's seed this catches any change of behaviour.

In stat mode each metric is tested at 1%/(metrics compared) (Bonferroni),
so an unchanged tree run with another --seed passes with 99% probability
however many metrics are guarded. A move the metric's direction calls
better passes as "improved"; worse is a REGRESSION; a two-sided metric's
move is CHANGED. Both fail (exit 3), as does any change in exact mode.
--metrics LIST checks a subset of the baseline's metrics.

It prints each failing or improved metric (all of them with --all) with
baseline, now, change and verdict. --junit FILE writes one JUnit test case
per metric.
`
}

// replicateFigures runs R replicates of s with the given seed and
// returns each one's figures (rewards lost to attackers included), in
// replicate order, running up to workers at once. One replicate is the
// plain run with that seed, as `koiisim run` makes it, so a baseline of
// one run is that run; more are the replicates `koiisim run
// --replicates R` makes (experiment.ReplicateSeed).
func replicateFigures(s *scenarios.Scenario, seed uint64, replicates, workers int) ([]*metrics.Figures, error) {
	seeded := experiment.Seeded(s, seed)
	seeds := []uint64{seed}
	if replicates > 1 {
		seeds = make([]uint64, replicates)
		for i := range seeds {
			seeds[i] = experiment.ReplicateSeed(seeded, i)
		}
	}
	runs, err := experiment.Replicates(context.Background(), seeded, seeds, workers)
	if err != nil {
		return nil, err
	}
	figs := make([]*metrics.Figures, len(runs))
	for i, r := range runs {
		figs[i] = r.Figures
	}
	return figs, nil
}

// cmdBaseline records a baseline.
func cmdBaseline(e *env, args []string) int {
	fs := newFlags("baseline", "baseline SCENARIO -o FILE [--replicates R] [--seed N] [--rounds N] [--set k=v]...", e)
	out := fs.StringP("output", "o", "", "the baseline file to write (required)")
	reps := fs.Int("replicates", 1, "replicates to record")
	seed := fs.Uint64("seed", 0, "random seed (default: the scenario's)")
	rounds := fs.Int("rounds", 0, "rounds (default: the scenario's)")
	sets := fs.StringArray("set", nil, "override a scenario field (repeatable)")
	metricFlags := fs.StringSlice("metrics", nil, "record only these metric paths or patterns")
	directions := fs.StringArray("direction", nil, "METRIC=lower|higher|both: which way is better (repeatable)")
	if code, done := parse(fs, args, e); done {
		return code
	}
	if fs.NArg() != 1 || *out == "" || *reps < 1 || *reps > scenarios.MaxReplicates {
		fmt.Fprintf(e.stderr, "koiisim baseline: needs one SCENARIO, -o FILE and --replicates in [1, %d]\n", scenarios.MaxReplicates)
		return exitUsage
	}
	s, code := loadRun(e, "baseline", fs, *sets, seed, rounds)
	if s == nil {
		return code
	}
	if code := checkMemory(e, "baseline", sim.EstimateMemory(&s.Config), sim.BytesPerNode(&s.Config), min(*reps, runtime.NumCPU()), ""); code != exitOK {
		return code
	}
	classes := s.Config.Classes()
	var keep []string
	if len(*metricFlags) > 0 {
		var err error
		if keep, err = experiment.SelectMetrics(*metricFlags, classes); err != nil {
			fmt.Fprintf(e.stderr, "koiisim baseline: --metrics: %v\n", err)
			return exitUsage
		}
	}
	dirs, err := parseDirections(*directions, classes)
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim baseline: %v\n", err)
		return exitUsage
	}
	if *reps < 10 {
		fmt.Fprintf(e.stderr, "koiisim baseline: warning: %d replicate(s): with fewer than 10 the intervals are wide and their SDs noisy; record --replicates 10 or more for check's stat mode\n", *reps)
	}
	figs, err := replicateFigures(s, s.Seed, *reps, runtime.NumCPU())
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim baseline: %v\n", err)
		return exitRuntime
	}
	meta := metrics.Meta{Tool: "koiisim", Version: version, Scenario: s.Name, Hash: scenarios.Hash(s), Seed: s.Seed}
	b := reports.NewBaseline(meta, s.Rounds, reports.Collect(figs))
	if keep != nil {
		b.Keep(keep)
	}
	for p, d := range dirs {
		if m, ok := b.Metrics[p]; ok {
			m.Direction = d
			b.Metrics[p] = m
		}
	}
	data, err := b.JSON()
	if err == nil {
		err = atomicfile.WriteFile(*out, data)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim baseline: writing %s: %v\n", *out, err)
		return exitRuntime
	}
	fmt.Fprintf(e.stdout, "recorded %d metrics of %s (seed %d, %d rounds, %d replicate(s)) in %s\n", len(b.Metrics), s.Name, s.Seed, s.Rounds, *reps, *out)
	return exitOK
}

// cmdCheck compares a fresh run with a baseline.
func cmdCheck(e *env, args []string) int {
	fs := newFlags("check", "check SCENARIO --baseline FILE [--mode stat|exact] [--rtol X] [--junit FILE] [--set k=v]...", e)
	file := fs.String("baseline", "", "the baseline file (required)")
	mode := fs.String("mode", "stat", "stat or exact")
	rtol := fs.Float64("rtol", 0.05, "stat mode: relative change a metric may show when the intervals do not overlap")
	junit := fs.String("junit", "", "write a JUnit XML report to this file")
	all := fs.Bool("all", false, "print every metric, not only the regressions")
	seed := fs.Uint64("seed", 0, "run with this seed instead of the baseline's (stat mode: a new draw of the noise)")
	sets := fs.StringArray("set", nil, "override a scenario field (repeatable)")
	metricFlags := fs.StringSlice("metrics", nil, "check only these metric paths or patterns of the baseline")
	if code, done := parse(fs, args, e); done {
		return code
	}
	if fs.NArg() != 1 || *file == "" {
		fmt.Fprintln(e.stderr, "koiisim check: needs one SCENARIO and --baseline FILE")
		return exitUsage
	}
	var m reports.Mode
	switch *mode {
	case "stat":
		m = reports.ModeStat
	case "exact":
		m = reports.ModeExact
	default:
		fmt.Fprintf(e.stderr, "koiisim check: --mode must be stat or exact, got %q\n", *mode)
		return exitUsage
	}
	if !(*rtol >= 0) {
		fmt.Fprintf(e.stderr, "koiisim check: --rtol must be a non-negative number, got %v\n", *rtol)
		return exitUsage
	}
	data, err := input.ReadFile(*file, input.MaxBaseline)
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim check: %v\n", err)
		return exitUsage
	}
	b, err := reports.ReadBaseline(data)
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim check: %s: %v\n", *file, err)
		return exitUsage
	}
	// The baseline sets the rounds and replicates of the run: input, held
	// to a scenario's limits.
	if b.Rounds > scenarios.MaxRounds || b.Replicates > scenarios.MaxReplicates {
		fmt.Fprintf(e.stderr, "koiisim check: %s: rounds %d and replicates %d; the limits are %d rounds and %d replicates; record the baseline again with koiisim baseline\n",
			*file, b.Rounds, b.Replicates, scenarios.MaxRounds, scenarios.MaxReplicates)
		return exitUsage
	}
	s, code := load(e, "check", fs.Arg(0), *sets)
	if s == nil {
		return code
	}
	s.Rounds = b.Rounds
	if len(*metricFlags) > 0 {
		keep, err := experiment.SelectMetrics(*metricFlags, s.Config.Classes())
		if err == nil {
			err = b.Keep(keep)
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "koiisim check: --metrics: %v\n", err)
			return exitUsage
		}
	}
	if h := scenarios.Hash(s); h != b.Hash {
		fmt.Fprintf(e.stdout, "note: the scenario changed since the baseline (sha256 %.12s, was %.12s)\n", h, b.Hash)
	}
	runSeed := b.Seed
	if fs.Changed("seed") {
		runSeed = *seed
	}
	if code := checkMemory(e, "check", sim.EstimateMemory(&s.Config), sim.BytesPerNode(&s.Config), min(b.Replicates, runtime.NumCPU()), ""); code != exitOK {
		return code
	}
	figs, err := replicateFigures(s, runSeed, b.Replicates, runtime.NumCPU())
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim check: %v\n", err)
		return exitRuntime
	}
	cs := reports.Compare(b, reports.Collect(figs), m, *rtol)
	reports.PrintComparisons(e.stdout, cs, *all)
	failed, improved := 0, 0
	for _, c := range cs {
		if !c.Pass {
			failed++
		}
		if c.Pass && c.Better {
			improved++
		}
	}
	if *junit != "" {
		if code := writeJUnit(e, "check", *junit, "koiisim check "+s.Name, reports.ComparisonsAsJUnit(cs)); code != exitOK {
			return code
		}
	}
	fmt.Fprintf(e.stdout, "\n%s mode, %d replicate(s), seed %d: %d of %d metrics failed (regressed or changed), %d improved\n", *mode, b.Replicates, runSeed, failed, len(cs), improved)
	if failed > 0 {
		return exitInvariant
	}
	return exitOK
}

// parseDirections reads --direction METRIC=DIR flags; METRIC may be a
// pattern, expanded against the scenario's metric paths.
func parseDirections(flags, classes []string) (map[string]reports.Direction, error) {
	out := map[string]reports.Direction{}
	for _, f := range flags {
		pat, d, ok := strings.Cut(f, "=")
		if !ok {
			return nil, fmt.Errorf("--direction %q: want METRIC=lower|higher|both", f)
		}
		dir, err := reports.ParseDirection(d)
		if err != nil {
			return nil, fmt.Errorf("--direction %s: %v", f, err)
		}
		paths, err := experiment.SelectMetrics([]string{pat}, classes)
		if err != nil {
			return nil, fmt.Errorf("--direction %s: %v", f, err)
		}
		for _, p := range paths {
			out[p] = dir
		}
	}
	return out, nil
}

// writeJUnit writes a JUnit report atomically.
func writeJUnit(e *env, cmd, path, suite string, cases []reports.JUnitCase) int {
	f, err := atomicfile.Create(path)
	if err == nil {
		defer f.Abort()
		err = reports.WriteJUnit(f, suite, cases)
	}
	if err == nil {
		err = f.Commit()
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim %s: writing %s: %v\n", cmd, path, err)
		return exitRuntime
	}
	return exitOK
}
