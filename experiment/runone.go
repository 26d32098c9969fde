package experiment

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/koiisim/koiisim/internal/atomicfile"
	"github.com/koiisim/koiisim/internal/outdir"
	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/scenarios"
	"github.com/koiisim/koiisim/sim"
)

// Run is one finished run of a scenario: the engine's result and every
// metric of it, rewards lost to attackers included.
type Run struct {
	Result  *sim.Result
	Figures *metrics.Figures
	// Strategies is the path of the learners' mean strategies and
	// Equilibrium its verdict (docs/model.md §13); empty and nil in a
	// run without learning behaviours.
	Strategies  *metrics.StrategyPath
	Equilibrium *metrics.Verdict
}

// Options change what RunOne does beside running. The zero Options runs
// and computes, writing nothing.
type Options struct {
	// Files, when set, writes what `koiisim run` writes into Files.Dir.
	Files *Files
	// Trace and Progress go to the engine (sim.Options).
	Trace    func(*sim.TraceEvent)
	Progress func(round, rounds int)
	// History keeps the run's history (history.go): its figures in the
	// metrics (metrics.HistoryMetrics, DelayMetrics) and, with Files,
	// history.csv and delays.csv. It costs time on every round.
	History bool
	// HistoryTable, when set with Files and History, makes the Parquet
	// twin of history.csv (history.parquet); this package writes no
	// Parquet itself.
	HistoryTable NewTable
}

// Files asks RunOne for a run's files in Dir: scenario.yaml (the
// scenario with the run's seed, as `koiisim show` prints it), rounds.csv
// (streamed as cycles settle), summary.json (with RunMeta's meta) and
// nodes.csv. Everything in them derives from the scenario, the seed,
// Version and Replay, so `koiisim run --seed S` and the replicate whose
// seed is S write the same bytes.
type Files struct {
	Dir     string
	Version string // the tool's version, in summary.json
	Replay  string // the command that reproduces the run, in summary.json
}

// RunError is a run that failed part way. Err is the engine's error
// (a *model.ConservationError, sim.ErrLimit, ...); Partial, when not
// empty, is the file that kept the cycles settled before the failure.
type RunError struct {
	Err     error
	Partial string
}

func (e *RunError) Error() string { return e.Err.Error() }
func (e *RunError) Unwrap() error { return e.Err }

// Seeded returns s with its seed set to seed: what a run with that seed
// ran, and what its hash and scenario.yaml describe.
func Seeded(s *scenarios.Scenario, seed uint64) *scenarios.Scenario {
	c := *s
	c.Seed = seed
	return &c
}

// RunMeta is what summary.json says of a run of s with seed.
func RunMeta(s *scenarios.Scenario, seed uint64, version, replay string) metrics.Meta {
	return metrics.Meta{Tool: "koiisim", Version: version, Scenario: s.Name, Description: s.Description,
		Hash: scenarios.Hash(Seeded(s, seed)), Seed: seed, Replay: replay}
}

// RunOne runs scenario s with seed (s.Seed is not used) for s.Rounds
// rounds and computes its metrics: the one way every command runs a
// scenario. When s has attacker populations it also runs s without them
// with the same seed, for rewards_lost_to_attackers. With o.Files it
// writes the run's files, each atomically; a run the engine stops keeps
// its settled cycles as rounds.partial.csv (named in the *RunError).
// When ctx ends it stops early and returns ctx's error.
func RunOne(ctx context.Context, s *scenarios.Scenario, seed uint64, o Options) (*Run, error) {
	path := &metrics.StrategyPath{}
	opt := sim.Options{Seed: seed, Rounds: s.Rounds, Trace: o.Trace, Progress: o.Progress,
		OnCycle: func(row *sim.CycleRow) error {
			path.Add(row)
			return ctx.Err()
		}}
	var w *runWriter
	if o.Files != nil {
		var err error
		if w, err = createRunFiles(o.Files.Dir, o.Files.Replay, Seeded(s, seed)); err != nil {
			return nil, err
		}
		defer w.rf.Abort()
		opt.OnCycle = func(row *sim.CycleRow) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			path.Add(row)
			return w.rounds.Write(row)
		}
	}
	h, err := startHistory(o, s.Config.Classes(), &opt)
	if err != nil {
		return nil, err
	}
	defer h.abort()
	res, err := sim.Run(&s.Config, opt)
	if w != nil {
		if ferr := w.rounds.Flush(); err == nil {
			err = ferr
		}
	}
	if err == nil {
		err = h.finish(res)
	}
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		re := &RunError{Err: err}
		if w != nil {
			re.Partial = w.keepPartial()
		}
		return nil, re
	}
	f := metrics.Compute(res, &s.Config.Task)
	if o.History {
		metrics.AddHistory(f, h.stats(), res.Delays)
	}
	if err := addCounterfactual(ctx, s, seed, f); err != nil {
		return nil, err
	}
	run := &Run{Result: res, Figures: f, Strategies: path, Equilibrium: path.Judge(StrategyRule(s))}
	if run.Equilibrium != nil {
		metrics.AddEquilibrium(f, run.Equilibrium)
	}
	if w != nil {
		if err := w.finish(RunMeta(s, seed, o.Files.Version, o.Files.Replay), run); err != nil {
			return nil, err
		}
	}
	return run, nil
}

// StrategyRule is how s's learners are judged: its equilibrium:
// section, or the default window and tolerance with no equilibrium
// stated.
func StrategyRule(s *scenarios.Scenario) metrics.Rule {
	eq := scenarios.Equilibrium{Audit: scenarios.None, Cheat: scenarios.None, Window: scenarios.DefaultWindow, Tolerance: scenarios.DefaultTolerance}
	if s.Equilibrium != nil {
		eq = *s.Equilibrium
	}
	return metrics.Rule{Audit: eq.Audit, Cheat: eq.Cheat, Window: eq.Window, Tolerance: eq.Tolerance}
}

// addCounterfactual fills rewards_lost_to_attackers in f, the figures of
// a run of s with seed: it runs s again with the same seed without its
// attacker populations and compares each remaining class's rewards
// (streams are named by node, so those classes draw the same in both).
// A scenario without attackers, or with nothing else, is left alone.
func addCounterfactual(ctx context.Context, s *scenarios.Scenario, seed uint64, f *metrics.Figures) error {
	cfg, removed := s.Config.WithoutAttackers()
	if !removed || cfg == nil {
		return nil
	}
	stop := func(*sim.CycleRow) error { return ctx.Err() }
	base, err := sim.Run(cfg, sim.Options{Seed: seed, Rounds: s.Rounds, OnCycle: stop})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("the run without attackers (for rewards_lost_to_attackers): %w", err)
	}
	metrics.AddCounterfactual(f, metrics.Compute(base, &cfg.Task))
	return nil
}

// runWriter writes one run's files.
type runWriter struct {
	dir    string
	rf     *atomicfile.File
	rounds *metrics.RoundsWriter
}

// runFiles are the files a run writes into its directory. Only their
// temporary files are a killed run's: a trace (run --trace) may be
// written into the same directory, and is open already.
var runFiles = []string{"scenario.yaml", "rounds.csv", "summary.json", "nodes.csv", "strategies.csv", "history.csv", "history.parquet", "delays.csv"}

func isRunFile(name string) bool { return slices.Contains(runFiles, name) }

// createRunFiles makes dir, removes temporary files a killed run left
// there, marks it incomplete (with replay, the command that writes it
// again) until finish has written the last file, so a run that stops
// part way never leaves its files beside another run's unmarked; then
// writes scenario.yaml (first, so a run that fails still says what it
// ran) and opens rounds.csv.
func createRunFiles(dir, replay string, seeded *scenarios.Scenario) (*runWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := outdir.CleanTemp(dir, isRunFile); err != nil {
		return nil, fmt.Errorf("removing temporary files of an interrupted run: %w", err)
	}
	if err := outdir.MarkIncomplete(dir, replay); err != nil {
		return nil, err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "scenario.yaml"), scenarios.Marshal(seeded)); err != nil {
		return nil, fmt.Errorf("writing scenario.yaml: %w", err)
	}
	rf, err := atomicfile.Create(filepath.Join(dir, "rounds.csv"))
	if err != nil {
		return nil, err
	}
	rw, err := metrics.NewRoundsWriter(rf, seeded.Config.Classes())
	if err != nil {
		rf.Abort()
		return nil, err
	}
	return &runWriter{dir: dir, rf: rf, rounds: rw}, nil
}

// keepPartial renames the unfinished rounds.csv to rounds.partial.csv
// and returns its path, or "" when that fails.
func (w *runWriter) keepPartial() string {
	partial := filepath.Join(w.dir, "rounds.partial.csv")
	if w.rf.Sync() != nil || os.Rename(w.rf.Name(), partial) != nil {
		return ""
	}
	return partial
}

// finish commits rounds.csv, writes summary.json and nodes.csv, for a
// run with learners strategies.csv, and clears the incomplete mark.
func (w *runWriter) finish(meta metrics.Meta, run *Run) error {
	res, f := run.Result, run.Figures
	if err := w.rf.Commit(); err != nil {
		return fmt.Errorf("writing rounds.csv: %w", err)
	}
	if run.Strategies.Len() > 0 {
		if err := atomicfile.WriteFile(filepath.Join(w.dir, "strategies.csv"), run.Strategies.CSV()); err != nil {
			return fmt.Errorf("writing strategies.csv: %w", err)
		}
	}
	summary := metrics.NewSummary(meta, f, res.Ledger)
	summary.Equilibrium = run.Equilibrium
	js, err := summary.JSON()
	if err == nil {
		err = atomicfile.WriteFile(filepath.Join(w.dir, "summary.json"), js)
	}
	if err != nil {
		return fmt.Errorf("writing summary.json: %w", err)
	}
	nodes, err := atomicfile.Create(filepath.Join(w.dir, "nodes.csv"))
	if err != nil {
		return err
	}
	defer nodes.Abort()
	if err := metrics.WriteNodes(nodes, res); err != nil {
		return fmt.Errorf("writing nodes.csv: %w", err)
	}
	if err := nodes.Commit(); err != nil {
		return fmt.Errorf("writing nodes.csv: %w", err)
	}
	return outdir.MarkComplete(w.dir)
}

// ReplicateSeed is the seed of replicate r of s: CellSeed of s's hash,
// which covers everything s runs, its seed included. It is the one seed
// scheme of replicates: a sweep's cells, `run --replicates`, `baseline
// --replicates` and the validation suite's replicates all use it, so
// replicate r of a scenario is the same run whichever command made it.
func ReplicateSeed(s *scenarios.Scenario, r int) uint64 {
	return CellSeed(scenarios.Hash(s), r)
}

// Replicates runs s with each of seeds (RunOne, writing nothing) on
// workers goroutines, through the pool sweeps use, and returns the runs
// in the order of seeds, whichever worker finished first. On a failure
// it stops and returns the error of the failed run with the lowest
// index, naming it and its seed.
func Replicates(ctx context.Context, s *scenarios.Scenario, seeds []uint64, workers int) ([]*Run, error) {
	runs := make([]*Run, len(seeds))
	errs := make([]error, len(seeds))
	type result struct {
		i   int
		err error
	}
	k := 0
	next := func() (int, bool) {
		k++
		return k - 1, k <= len(seeds)
	}
	work := func() func(context.Context, int) result {
		return func(ctx context.Context, i int) result {
			run, err := RunOne(ctx, s, seeds[i], Options{})
			if err != nil && ctx.Err() != nil {
				err = errAbandoned // stopped by another's failure or by the caller
			}
			runs[i] = run
			return result{i, err}
		}
	}
	interrupted := pool(ctx, min(workers, len(seeds)), next, work, func(r result) bool {
		errs[r.i] = r.err
		return r.err != nil && !errors.Is(r.err, errAbandoned)
	})
	for i, err := range errs {
		if err != nil && !errors.Is(err, errAbandoned) {
			return nil, fmt.Errorf("replicate %d (seed %d): %w", i, seeds[i], err)
		}
	}
	if interrupted {
		return nil, ErrInterrupted
	}
	return runs, nil
}
