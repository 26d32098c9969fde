package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/koiisim/koiisim/experiment"
	"github.com/koiisim/koiisim/reports"
	"github.com/koiisim/koiisim/scenarios"
	"github.com/koiisim/koiisim/sim"
)

const replicatesDoc = `
With --replicates R, run runs R independent replicates, each with a seed
derived from the resolved scenario's hash and the replicate index (so they
match 'koiisim sweep' cells of the same point), on --workers goroutines, and
prints each metric's mean, sd and 95% confidence interval (Student t). With
--ci-width METRIC=W it adds replicates, in order, until the interval's
half-width of each such METRIC is below W (at least R, at most
--max-replicates). DIR (default out/<scenario>-replicates) gets summary.csv,
cells.csv, manifest.json and cells/ as a sweep of one point does, and
rep-0/, rep-1/, ... with each replicate's summary.json, rounds.csv and
nodes.csv, exactly what 'koiisim run --seed SEED' writes (report and compare
read the set). Interrupted, the same command resumes.
`

func init() { commandDocs["run"] += replicatesDoc }

// Defaults of adaptive replicates.
const (
	defaultAdaptiveMin = 3
	defaultMaxReps     = 1000
)

// replicateFlags are run's flags for replicates.
type replicateFlags struct {
	replicates *int
	ciWidth    *[]string
	maxReps    *int
	xf         *experimentFlags
}

func addReplicateFlags(fs *flagSet) *replicateFlags {
	return &replicateFlags{
		replicates: fs.Int("replicates", 0, "run R replicates and report mean, sd and 95% CI of each metric"),
		ciWidth:    fs.StringArray("ci-width", nil, "add replicates until METRIC's 95% CI half-width is below W: METRIC=W (repeatable)"),
		maxReps:    fs.Int("max-replicates", defaultMaxReps, "the most replicates --ci-width may run"),
		xf:         addExperimentFlags(fs),
	}
}

// active reports whether the run is a replicate set.
func (rf *replicateFlags) active(fs *flagSet) bool {
	return fs.Changed("replicates") || fs.Changed("ci-width")
}

// runReplicates is `koiisim run SCENARIO --replicates R`.
func runReplicates(e *env, fs *flagSet, rf *replicateFlags, args, sets []string, seed *uint64, rounds *int, out string, quiet bool, fin finish) int {
	if msg := rf.check(fs); msg != "" {
		fmt.Fprintf(e.stderr, "koiisim run: %s\n", msg)
		return exitUsage
	}
	spec := experiment.Spec{Arg: fs.Arg(0), Sets: sets, Vary: []scenarios.Dimension{}, Design: new(scenarios.Design),
		Replicates: *rf.replicates, Metrics: *rf.xf.metrics}
	if code := seedAndRounds(e, "run", fs, seed, rounds, &spec); code != exitOK {
		return code
	}
	if done, code := loadBase(e, "run", &spec); done {
		return code
	}
	s := spec.Base
	if err := rf.stopRule(&spec, s.Config.Classes()); err != nil {
		return experimentExit(e, "run", err, nil, "")
	}
	plan, err := experiment.NewPlan(spec)
	if err != nil {
		return experimentExit(e, "run", err, nil, "")
	}
	addAssertMetrics(plan, s)
	if code := checkMemory(e, "run", plan.Memory, sim.BytesPerNode(&s.Config), min(*rf.xf.workers, plan.Cells()), *rf.xf.maxMemory); code != exitOK {
		return code
	}
	dir := out
	if dir == "" {
		dir = filepath.Join("out", s.Name+"-replicates")
	}
	fmt.Fprintf(e.stdout, "seed: %d (each replicate's seed derives from the scenario's hash and the replicate index)\nscenario: %s (sha256 %s)\n", s.Seed, s.Name, plan.ScenarioHash[:12])
	lock, code := lockOut(e, "run", dir, experiment.Shard{})
	if lock == nil {
		return code
	}
	defer lock.Release()
	ctx, stop, sig := interrupts()
	defer stop()
	prog := newCellProgress(e, "koiisim run", quiet)
	r := &experiment.Runner{Plan: plan, Dir: dir, Workers: *rf.xf.workers, Format: *rf.xf.format, Parquet: reports.NewParquetTable, Version: version, Progress: prog.update, RunFiles: true}
	var files []string
	var n int
	var note string
	if spec.Stop != nil {
		res, rerr := r.RunAdaptive(ctx)
		err, files, n = rerr, res.Files, res.Replicates
		warn(e, "run", res.Warnings)
		note = stopNote(spec.Stop, res)
		if err == nil && !res.Met {
			fmt.Fprintf(e.stderr, "koiisim run: warning: %s; raise --max-replicates or widen --ci-width\n", note)
		}
	} else {
		res, rerr := r.Run(ctx)
		err, files, n = rerr, res.Files, plan.Replicates()
		warn(e, "run", res.Warnings)
	}
	prog.finish()
	if err != nil {
		return experimentExit(e, "run", err, sig(), commandLine("run", args, dir))
	}
	fmt.Fprintf(e.stdout, "replicates: %d (%d workers)%s\n", n, *rf.xf.workers, note)
	if !quiet {
		printReplicateSummary(e.stdout, filepath.Join(dir, experiment.SummaryTable+".csv"), plan.Metrics)
	}
	fmt.Fprintf(e.stdout, "\nwrote %s, and %s ... %s (one run each)\n", strings.Join(files, ", "),
		filepath.Join(dir, experiment.RepDir(0)), filepath.Join(dir, experiment.RepDir(n-1)))
	return fin.summary(e, "run", s, dir)
}

// check validates the replicate flags; it returns a usage message or "".
func (rf *replicateFlags) check(fs *flagSet) string {
	if msg := rf.xf.check(); msg != "" {
		return msg
	}
	if fs.Changed("replicates") && (*rf.replicates < 1 || *rf.replicates > scenarios.MaxReplicates) {
		return fmt.Sprintf("--replicates must be in [1, %d], got %d", scenarios.MaxReplicates, *rf.replicates)
	}
	if len(*rf.ciWidth) == 0 {
		if fs.Changed("max-replicates") {
			return "--max-replicates goes with --ci-width"
		}
		return ""
	}
	if !fs.Changed("replicates") {
		*rf.replicates = defaultAdaptiveMin
	}
	if *rf.replicates < 2 {
		return "--ci-width needs at least 2 replicates to start from (--replicates)"
	}
	if *rf.maxReps < *rf.replicates || *rf.maxReps > scenarios.MaxReplicates {
		return fmt.Sprintf("--max-replicates must be in [--replicates (%d), %d], got %d", *rf.replicates, scenarios.MaxReplicates, *rf.maxReps)
	}
	return ""
}

// stopRule turns --ci-width into spec's stopping rule, checking each
// metric is one path of the scenario, and adds the metrics to the
// summary's.
func (rf *replicateFlags) stopRule(spec *experiment.Spec, classes []string) error {
	if len(*rf.ciWidth) == 0 {
		return nil
	}
	rule := &experiment.StopRule{Max: *rf.maxReps}
	var paths []string
	for _, text := range *rf.ciWidth {
		w, err := experiment.ParseWidth(text)
		if err != nil {
			return &experiment.InputError{Msg: err.Error()}
		}
		got, err := experiment.SelectMetrics([]string{w.Metric}, classes)
		if err != nil {
			return err
		}
		if len(got) != 1 || got[0] != w.Metric {
			return &experiment.InputError{Msg: fmt.Sprintf("--ci-width takes one metric path, not a pattern: %s matches %d", w.Metric, len(got))}
		}
		rule.Widths = append(rule.Widths, w)
		paths = append(paths, w.Metric)
	}
	if spec.Metrics == nil {
		spec.Metrics = experiment.DefaultMetrics(classes)
	}
	for _, p := range paths {
		if !slices.Contains(spec.Metrics, p) {
			spec.Metrics = append(spec.Metrics, p)
		}
	}
	spec.Stop = rule
	return nil
}

// stopNote says why an adaptive run stopped.
func stopNote(rule *experiment.StopRule, res experiment.AdaptiveOutcome) string {
	var parts []string
	for i, w := range rule.Widths {
		if i < len(res.HalfWidths) {
			parts = append(parts, fmt.Sprintf("%s ±%.4g (bound %g)", w.Metric, res.HalfWidths[i], w.HalfWidth))
		}
	}
	if res.Met {
		return "; stopped when every half-width was below its bound: " + strings.Join(parts, ", ")
	}
	return fmt.Sprintf("after %d replicates (--max-replicates) the 95%% CI half-widths are %s", res.Replicates, strings.Join(parts, ", "))
}

// printReplicateSummary prints summary.csv of one point as one line per
// metric: mean, sd, the 95% interval and n.
func printReplicateSummary(w io.Writer, path string, metrics []string) {
	header, rows, err := readSummary(path)
	if err != nil || len(rows) != 1 {
		return
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	r := rows[0]
	width := 6
	for _, m := range metrics {
		width = max(width, len(m))
	}
	fmt.Fprintf(w, "\n%-*s %-10s %14s %14s   %-31s %5s\n", width, "metric", "unit", "mean", "sd", "95% CI", "n")
	for _, m := range metrics {
		ci := "-"
		if lo, hi := r[col[m+".ci_low"]], r[col[m+".ci_high"]]; lo != "" {
			ci = "[" + num(lo) + ", " + num(hi) + "]"
		}
		fmt.Fprintf(w, "%-*s %-10s %14s %14s   %-31s %5s\n", width, m, experiment.Unit(m), num(r[col[m+".mean"]]), num(r[col[m+".sd"]]), ci, r[col[m+".n"]])
	}
}
