package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/koiisim/koiisim/experiment"
	"github.com/koiisim/koiisim/internal/atomicfile"
	"github.com/koiisim/koiisim/model"
	"github.com/koiisim/koiisim/reports"
	"github.com/koiisim/koiisim/scenarios"
	"github.com/koiisim/koiisim/sim"
)

var commandDocs = map[string]string{
	"validate": commandDocsValidate,
	"run": `SCENARIO is a scenario file or the name of a built-in ('koiisim scenarios'
lists them); without it, run uses koii-baseline. The seed is printed first;
the same scenario and seed give byte-identical output files:

  summary.json  every metric per class and in total, with units
  rounds.csv    one row per cycle per class, written as cycles settle
  nodes.csv     one row per node

With --trace FILE it also writes every proof, vote, trigger, list and
payout as CSV (a small scenario's story; it grows with the run). With
--report it draws the figures and report.html into the directory.

With --history it also writes the state of every round:

  history.csv   one row per round per class and one for the total: active
                and staked nodes, stake (sum, p10, p50, p90, Gini),
                proofs awaiting payout, vesting, claimable and unclaimed
                voter rewards, and rewards, claims, withdrawals, slashes,
                forfeits and clawbacks to date; streamed, so memory
                stays flat
  delays.csv    per reward (node-cycle), rounds from work to payout and
                from payout to claim, as histogram counts

(and history.parquet with --format parquet). summary.json then adds each
history column's final value and mean over rounds (<column>_final,
<column>_mean) and the delays' mean, median, 90th percentile and maximum;
the report adds three figures. Sweeps and assertions may name these
figures too: the runs that need them keep a history.

When the scenario has an assert: section, each check is printed as PASS or
FAIL with the observed value (with replicates, the chosen statistic), and
any FAIL exits with code 3; --junit FILE writes them as JUnit XML.

Progress goes to stderr once a run has taken a second: a bar of the rounds
redrawn in place on a terminal, elsewhere (a batch job's log) a line
every ten seconds or each tenth of the rounds; nothing with --quiet.
`,
}

// cmdRun runs one scenario.
func cmdRun(e *env, args []string) int {
	fs := newFlags("run", "run [SCENARIO] [flags]", e)
	seed := fs.Uint64("seed", 0, "random seed (default: the scenario's seed)")
	rounds := fs.Int("rounds", 0, "rounds in which cycles start (default: the scenario's rounds)")
	sets := fs.StringArray("set", nil, "override a scenario field, e.g. --set rules.slash_fraction=0.5 (repeatable)")
	out := fs.String("out", "", "output directory (default: out/<scenario name>)")
	quiet := fs.BoolP("quiet", "q", false, "print only the seed and the output paths")
	junit := fs.String("junit", "", "write the assert: section's results as JUnit XML to this file")
	report := fs.Bool("report", false, "also draw the figures and write report.html into the output directory")
	trace := fs.String("trace", "", "write every proof, vote, list and payout, as it happens, to this CSV file (single runs)")
	history := fs.Bool("history", false, "also write history.csv (the money per round and class) and delays.csv (work to payout, payout to claim); with --format parquet, history.parquet too (single runs)")
	rf := addReplicateFlags(fs)
	if code, done := parse(fs, args, e); done {
		return code
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(e.stderr, "koiisim run: takes at most one scenario, got %d: %s\n", fs.NArg(), strings.Join(fs.Args(), " "))
		return exitUsage
	}
	fin := finish{junit: *junit, report: *report}
	if rf.active(fs) {
		if *history {
			fmt.Fprintln(e.stderr, "koiisim run: --history is for single runs; drop --replicates/--ci-width, or run one seed with --seed")
			return exitUsage
		}
		return runReplicates(e, fs, rf, args, *sets, seed, rounds, *out, *quiet, fin)
	}
	if !slices.Contains(experiment.Formats, *rf.xf.format) {
		fmt.Fprintf(e.stderr, "koiisim run: --format must be csv or parquet, got %q\n", *rf.xf.format)
		return exitUsage
	}
	arg := fs.Arg(0)
	s, code := loadRun(e, "run", fs, *sets, seed, rounds)
	if s == nil {
		return code
	}
	if code := checkMemory(e, "run", sim.EstimateMemory(&s.Config), sim.BytesPerNode(&s.Config), 1, *rf.xf.maxMemory); code != exitOK {
		return code
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("out", s.Name)
	}
	meta := experiment.RunMeta(s, s.Seed, version, replay(arg, s, *sets))
	fmt.Fprintf(e.stdout, "seed: %d\nscenario: %s (sha256 %s)\n", s.Seed, s.Name, meta.Hash[:12])
	lock, code := lockOut(e, "run", dir, experiment.Shard{})
	if lock == nil {
		return code
	}
	defer lock.Release()
	hist := historyOptions{write: *history || assertsNeedHistory(s), parquet: *rf.xf.format == "parquet"}
	run, code := simulate(e, s, dir, meta.Replay, *quiet, *trace, hist)
	if run == nil {
		return code
	}
	if code := writeStrategies(e, s, dir, run); code != exitOK {
		return code
	}
	if !*quiet {
		fmt.Fprintln(e.stdout)
		reports.Table(e.stdout, run.Figures)
	}
	fmt.Fprintf(e.stdout, "\nwrote %s, %s, %s and %s\n", filepath.Join(dir, "summary.json"), filepath.Join(dir, "rounds.csv"), filepath.Join(dir, "nodes.csv"), filepath.Join(dir, "scenario.yaml"))
	if hist.write {
		fmt.Fprintf(e.stdout, "wrote %s\n", strings.Join(hist.files(dir), ", "))
	}
	return fin.single(e, s, dir, run.Figures)
}

// simulate runs the scenario with its seed through experiment.RunOne,
// writing the run's files into dir and, with tracePath, the trace. On a
// failure it says which files kept what was written and how to replay
// the run.
func simulate(e *env, s *scenarios.Scenario, dir, replay string, quiet bool, tracePath string, hist historyOptions) (*experiment.Run, int) {
	opt := experiment.Options{Files: &experiment.Files{Dir: dir, Version: version, Replay: replay}}
	hist.set(&opt)
	tr, tw, code := openTrace(e, s, tracePath)
	if code != exitOK {
		return nil, code
	}
	if tr != nil {
		defer tr.Abort()
		opt.Trace = tw.Write
	}
	p, update := newRoundProgress(e, quiet)
	opt.Progress = update
	run, err := experiment.RunOne(context.Background(), s, s.Seed, opt)
	p.finish()
	if tr != nil {
		if ferr := tw.Flush(); err == nil {
			err = ferr
		}
	}
	var re *experiment.RunError
	if errors.As(err, &re) {
		if re.Partial != "" {
			fmt.Fprintf(e.stderr, "koiisim run: the cycles settled before the failure are in %s\n", re.Partial)
		}
		if tr != nil && tr.Sync() == nil && os.Rename(tr.Name(), tracePath+".partial") == nil {
			fmt.Fprintf(e.stderr, "koiisim run: the trace up to the failure is in %s.partial\n", tracePath)
		}
		var ce *model.ConservationError
		switch {
		case errors.As(err, &ce):
			fmt.Fprintf(e.stderr, "koiisim run: invariant broken: %v\nreplay: %s\n", err, replay)
			return nil, exitInvariant
		case errors.Is(err, sim.ErrLimit):
			fmt.Fprintf(e.stderr, "koiisim run: %v\n", err)
			return nil, exitUsage
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim run: %v\n", err)
		return nil, exitRuntime
	}
	if tr != nil {
		if err := tr.Commit(); err != nil {
			fmt.Fprintf(e.stderr, "koiisim run: writing the trace: %v\n", err)
			return nil, exitRuntime
		}
	}
	return run, exitOK
}

// replay is the command line that reproduces a run; a replicate's
// summary.json carries the same form.
func replay(arg string, s *scenarios.Scenario, sets []string) string {
	return experiment.ReplayCommand(arg, s.Seed, s.Rounds, sets)
}

// openTrace creates the trace file of run --trace, or nothing when path
// is empty.
func openTrace(e *env, s *scenarios.Scenario, path string) (*atomicfile.File, *reports.TraceWriter, int) {
	if path == "" {
		return nil, nil, exitOK
	}
	var classOf []string
	for i := range s.Config.Populations {
		p := &s.Config.Populations[i]
		for j := 0; j < p.Count; j++ {
			classOf = append(classOf, p.ClassName())
		}
	}
	f, err := atomicfile.Create(path)
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim run: --trace: %v\n", err)
		return nil, nil, exitRuntime
	}
	tw, err := reports.NewTraceWriter(f, func(n int32) string { return classOf[n] })
	if err != nil {
		f.Abort()
		fmt.Fprintf(e.stderr, "koiisim run: --trace: %v\n", err)
		return nil, nil, exitRuntime
	}
	return f, tw, exitOK
}
