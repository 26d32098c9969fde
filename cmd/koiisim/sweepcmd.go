package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/koiisim/koiisim/experiment"
	"github.com/koiisim/koiisim/reports"
	"github.com/koiisim/koiisim/scenarios"
	"github.com/koiisim/koiisim/sim"
)

func init() {
	commandDocs["sweep"] = `A sweep varies scenario fields by their --set paths: the scenario's sweep:
section, or --sweep flags, which replace its dimensions:

  --sweep rules.slash_fraction=0.1,0.5,0.9     values, as --set takes them
  --sweep 'populations.x.stake=[5, {dist: uniform, min: 2, max: 9}]'
  --sweep rules.slash_fraction=0.1:0.9:5       a range cut into 5 values
  --sweep populations.auditors.count=0:200     a range, for random and lhs

Designs: grid (every combination), random and lhs (--points N each). Every
point runs --replicates times; one (point, replicate) is a cell, whose seed
is derived from the resolved point's hash and the replicate index, so the
results are byte-identical for any --workers, shards merged, or a run
resumed after an interruption.

Outputs in DIR (default out/<scenario>-sweep):

  cells.csv      one row per cell: point, replicate, seed, values, metrics
  summary.csv    one row per point: mean, sd, ci_low, ci_high (95%) and n
                 of each metric over its replicates
  manifest.json  tool, version, scenario sha256, seed, design, points,
                 metrics and units, cells done
  cells/         one file per finished cell
  (--format parquet adds cells.parquet and summary.parquet)

Money is in KOII. Interrupted (Ctrl-C, SIGTERM, or killed), the same command
resumes: finished cells are kept, the rest run. A DIR holding another
scenario or design is refused (exit 2).

Clusters: --shard I/N runs every N-th cell from I and writes
shard-I-of-N.json instead of the tables; 'koiisim merge DIR...' then writes
exactly what one machine would have. Without --shard, a Slurm array task
takes I and N from SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and
SLURM_ARRAY_TASK_COUNT, and a Kubernetes Indexed Job pod from
JOB_COMPLETION_INDEX and KOIISIM_SHARD_COUNT (or --shard-count). See
deploy/ for an sbatch script and a Job manifest.

Exit codes: 0 ok (or a shard done), 1 runtime error, 2 bad input, 3 a broken
invariant (with the cell's replay command), 130 stopped by SIGINT, 143 by
SIGTERM.
`
}

// cmdSweep runs a sweep, or its share of one.
func cmdSweep(e *env, args []string) int {
	fs := newFlags("sweep", "sweep SCENARIO [flags]", e)
	vary := fs.StringArray("sweep", nil, "vary a field: PATH=V1,V2,... or PATH=LO:HI:STEPS (repeatable; replaces the scenario's sweep dimensions)")
	design := fs.String("design", "", "grid, random, lhs, morris or sobol (default: the scenario's, else grid)")
	points := fs.Int("points", 0, "points to draw for random and lhs designs; trajectories for morris, base samples for sobol")
	replicates := fs.Int("replicates", 0, "runs per point (default: the scenario's, else 1)")
	sets := fs.StringArray("set", nil, "override a scenario field for every point (repeatable)")
	seed := fs.Uint64("seed", 0, "base seed (default: the scenario's)")
	rounds := fs.Int("rounds", 0, "rounds (default: the scenario's)")
	xf := addExperimentFlags(fs)
	shardFlag := fs.String("shard", "", "run only shard I/N of the cells (default: from Slurm or Kubernetes job arrays, else all)")
	shardCount := fs.Int("shard-count", 0, "shards of a Kubernetes Indexed Job (default: $KOIISIM_SHARD_COUNT)")
	out := fs.String("out", "", "output directory (default: out/<scenario name>-sweep)")
	dry := fs.Bool("dry-run", false, "print the points and stop")
	quiet := fs.BoolP("quiet", "q", false, "print only the seed, the design and the output paths; no progress")
	junit := fs.String("junit", "", "write the assert: section's results, per point, as JUnit XML to this file")
	report := fs.Bool("report", false, "also draw the figures and write report.html into the output directory")
	if code, done := parse(fs, args, e); done {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(e.stderr, "koiisim sweep: takes one scenario, got %d\nUsage: koiisim sweep SCENARIO [flags] (see 'koiisim help sweep')\n", fs.NArg())
		return exitUsage
	}
	if msg := xf.check(); msg != "" {
		fmt.Fprintf(e.stderr, "koiisim sweep: %s\n", msg)
		return exitUsage
	}
	spec := experiment.Spec{Arg: fs.Arg(0), Sets: *sets, Points: *points, Replicates: *replicates, Metrics: *xf.metrics, DryRun: *dry}
	if code := seedAndRounds(e, "sweep", fs, seed, rounds, &spec); code != exitOK {
		return code
	}
	if code := sweepOverrides(e, fs, *vary, *design, &spec); code != exitOK {
		return code
	}
	if done, code := loadBase(e, "sweep", &spec); done {
		return code
	}
	s := spec.Base
	shard, from, err := shardOf(fs, *shardFlag, *shardCount)
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim sweep: %v\n", err)
		return exitUsage
	}
	plan, err := experiment.NewPlan(spec)
	if err != nil {
		return experimentExit(e, "sweep", err, nil, "")
	}
	addAssertMetrics(plan, s)
	dir := *out
	if dir == "" {
		dir = filepath.Join("out", s.Name+"-sweep")
	}
	printDesign(e.stdout, plan, *xf.workers, shard, from)
	if *dry {
		printPoints(e.stdout, plan)
		return exitOK
	}
	if code := checkMemory(e, "sweep", plan.Memory, sim.BytesPerNode(&s.Config), min(*xf.workers, plan.Cells()), *xf.maxMemory); code != exitOK {
		return code
	}
	lock, code := lockOut(e, "sweep", dir, shard)
	if lock == nil {
		return code
	}
	defer lock.Release()
	ctx, stop, sig := interrupts()
	defer stop()
	prog := newCellProgress(e, "koiisim sweep", *quiet)
	r := &experiment.Runner{Plan: plan, Dir: dir, Workers: *xf.workers, Shard: shard, Format: *xf.format, Parquet: reports.NewParquetTable, Version: version, Progress: prog.update}
	res, err := r.Run(ctx)
	prog.finish()
	warn(e, "sweep", res.Warnings)
	if res.Resumed > 0 {
		fmt.Fprintf(e.stdout, "resumed: %d of %d cells were done already in %s\n", res.Resumed, res.Share, dir)
	}
	if err != nil {
		return experimentExit(e, "sweep", err, sig(), commandLine("sweep", args, dir))
	}
	if !shard.Whole() {
		fmt.Fprintf(e.stdout, "shard %s done: %d cells; wrote %s\nwhen every shard is done: koiisim merge %s\n", shard, res.Share, strings.Join(res.Files, ", "), dir)
		return exitOK
	}
	if !*quiet {
		printSweepSummary(e.stdout, filepath.Join(dir, experiment.SummaryTable+".csv"), plan)
	}
	fmt.Fprintf(e.stdout, "\nwrote %s\n", strings.Join(res.Files, ", "))
	return finish{junit: *junit, report: *report}.summary(e, "sweep", s, dir)
}

// seedAndRounds puts --seed and --rounds into spec.
func seedAndRounds(e *env, cmd string, fs *flagSet, seed *uint64, rounds *int, spec *experiment.Spec) int {
	if fs.Changed("seed") {
		spec.Seed = seed
	}
	if fs.Changed("rounds") {
		if *rounds < 1 || *rounds > scenarios.MaxRounds {
			fmt.Fprintf(e.stderr, "koiisim %s: --rounds must be in [1, %d], got %d\n", cmd, scenarios.MaxRounds, *rounds)
			return exitUsage
		}
		spec.Rounds = *rounds
	}
	return exitOK
}

// sweepOverrides puts --sweep and --design into spec.
func sweepOverrides(e *env, fs *flagSet, vary []string, design string, spec *experiment.Spec) int {
	if fs.Changed("sweep") {
		spec.Vary = []scenarios.Dimension{}
		for _, v := range vary {
			d, err := scenarios.ParseDimension(v)
			if err != nil {
				fmt.Fprintf(e.stderr, "koiisim sweep: --sweep %s: %v\n", v, err)
				return exitUsage
			}
			spec.Vary = append(spec.Vary, d)
		}
	}
	if design != "" {
		i := slices.Index(scenarios.DesignNames, design)
		if i < 0 {
			fmt.Fprintf(e.stderr, "koiisim sweep: --design must be grid, random, lhs, morris or sobol, got %q\n", design)
			return exitUsage
		}
		d := scenarios.Design(i)
		spec.Design = &d
	}
	if fs.Changed("points") && spec.Points < 1 {
		fmt.Fprintf(e.stderr, "koiisim sweep: --points must be at least 1, got %d\n", spec.Points)
		return exitUsage
	}
	if fs.Changed("replicates") && spec.Replicates < 1 {
		fmt.Fprintf(e.stderr, "koiisim sweep: --replicates must be at least 1, got %d\n", spec.Replicates)
		return exitUsage
	}
	return exitOK
}

// shardOf is --shard, else the shard of a cluster job array task.
func shardOf(fs *flagSet, flag string, count int) (experiment.Shard, string, error) {
	if fs.Changed("shard") {
		s, err := experiment.ParseShard(flag)
		return s, "--shard", err
	}
	if count < 0 {
		return experiment.Shard{}, "", fmt.Errorf("--shard-count must be positive, got %d", count)
	}
	return experiment.ShardFromEnv(os.Getenv, count)
}

// printDesign says what will run.
func printDesign(w io.Writer, p *experiment.Plan, workers int, shard experiment.Shard, from string) {
	fmt.Fprintf(w, "seed: %d\nscenario: %s (sha256 %s)\n", p.Seed, p.Name, p.ScenarioHash[:12])
	dims := "no dimension"
	if d := p.Dims(); len(d) > 0 {
		dims = strings.Join(d, " × ")
	}
	fmt.Fprintf(w, "sweep: %s over %s: %d points × %d replicates = %d cells, %d workers\n",
		p.Sweep.Design, dims, len(p.Points), p.Replicates(), p.Cells(), workers)
	if !shard.Whole() {
		n := 0
		for i := range p.Cells() {
			if shard.Has(i) {
				n++
			}
		}
		fmt.Fprintf(w, "shard: %s (from %s): %d cells\n", shard, from, n)
	}
}

// printPoints lists the points of a plan, for --dry-run.
func printPoints(w io.Writer, p *experiment.Plan) {
	fmt.Fprintf(w, "\n%-6s %s\n", "point", strings.Join(p.Dims(), "  "))
	for i, pt := range p.Points {
		fmt.Fprintf(w, "%-6d %s\n", i, strings.Join(pt.Values, "  "))
	}
}

// printSweepSummary prints the first metrics of summary.csv as mean ±
// half the 95% interval, one line per point.
func printSweepSummary(w io.Writer, path string, p *experiment.Plan) {
	header, rows, err := readSummary(path)
	if err != nil {
		return
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	metrics := p.Metrics[:min(3, len(p.Metrics))]
	fmt.Fprintln(w)
	line := []string{fmt.Sprintf("%-6s", "point")}
	for _, d := range p.Dims() {
		line = append(line, fmt.Sprintf("%-*s", max(len(d), 8), d))
	}
	for _, m := range metrics {
		line = append(line, fmt.Sprintf("%-28s", m))
	}
	fmt.Fprintln(w, strings.TrimRight(strings.Join(line, " "), " "))
	for _, r := range rows {
		line = []string{fmt.Sprintf("%-6s", r[0])}
		for i, d := range p.Dims() {
			line = append(line, fmt.Sprintf("%-*s", max(len(d), 8), r[1+i]))
		}
		for _, m := range metrics {
			line = append(line, fmt.Sprintf("%-28s", meanCI(r[col[m+".mean"]], r[col[m+".ci_low"]], r[col[m+".ci_high"]])))
		}
		fmt.Fprintln(w, strings.TrimRight(strings.Join(line, " "), " "))
	}
	if len(p.Metrics) > len(metrics) {
		more := len(p.Metrics) - len(metrics)
		fmt.Fprintf(w, "(%d more %s in %s; ± is half the 95%% confidence interval)\n", more, plural(more, "metric"), path)
	}
}

// meanCI writes a mean ± half its 95% interval, the half-width to two
// significant digits and the mean to the same decimal place: 0.3675 ±
// 0.0086, -1719.9 ± 5.4.
func meanCI(mean, lo, hi string) string {
	m, err1 := strconv.ParseFloat(mean, 64)
	a, err2 := strconv.ParseFloat(lo, 64)
	b, err3 := strconv.ParseFloat(hi, 64)
	h := (b - a) / 2
	if err1 != nil || err2 != nil || err3 != nil || !(h > 0) || math.IsInf(h, 0) {
		return num(mean)
	}
	d := max(0, 1-int(math.Floor(math.Log10(h))))
	return strconv.FormatFloat(m, 'f', d, 64) + " ± " + strconv.FormatFloat(h, 'f', d, 64)
}

// plural is word, with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
