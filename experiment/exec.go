package experiment

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/koiisim/koiisim/internal/atomicfile"
	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/scenarios"
	"github.com/koiisim/koiisim/sim"
)

// ErrPanic marks a cell whose run panicked: a broken invariant of the
// engine, reported with the cell's replay command.
var ErrPanic = errors.New("the engine panicked (a broken invariant)")

// errAbandoned is what a run returns when its context ended mid-run.
var errAbandoned = errors.New("abandoned")

// outcome is a finished cell, as a worker hands it back.
type outcome struct {
	cell   Cell
	res    *Result
	err    error
	replay string // the command that reruns the cell, on an error
}

// execute runs cells on workers goroutines, one whole run per goroutine
// at a time: parallelism is across runs, never inside one. next yields
// the cells to run in order; it and done are called from this goroutine
// only, done for each finished cell in the order they finish, so callers
// collect results by cell index, never by worker. A cell whose file
// already exists is read, not run. done returning true stops the
// dispatch and abandons the cells in flight.
//
// It returns nil when next is exhausted and every cell finished,
// ErrInterrupted when ctx ended first, or the *CellError of the failed
// cell with the lowest index.
func (p *Plan) execute(ctx context.Context, workers int, st store, outputs outputs, next func() (Cell, bool), done func(Cell, *Result) bool) error {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan Cell)
	results := make(chan outcome)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := worker{p: p, st: st, outputs: outputs}
			for c := range jobs {
				results <- w.run(runCtx, c)
			}
		}()
	}
	var (
		pending     *Cell
		inflight    int
		exhausted   bool
		stopped     bool
		interrupted bool
		failed      *CellError
	)
	ctxDone := ctx.Done()
	for {
		for pending == nil && !exhausted && !stopped {
			c, ok := next()
			switch {
			case !ok:
				exhausted = true
			case st.has(c):
				r, err := st.read(c)
				if err != nil {
					failed, stopped = firstFailure(failed, &CellError{Cell: c, Replay: p.Replay(c, p.Rounds), Err: err}), true
				} else if done(c, r) {
					stopped = true
				}
			default:
				pending = &c
			}
		}
		if pending != nil && stopped {
			pending = nil
		}
		if pending == nil && inflight == 0 {
			break
		}
		var send chan Cell
		var c Cell
		if pending != nil {
			send, c = jobs, *pending
		}
		select {
		case send <- c:
			inflight++
			pending = nil
		case o := <-results:
			inflight--
			switch {
			case o.err == nil:
				if done(o.cell, o.res) && !stopped {
					stopped = true
					cancel()
				}
			case errors.Is(o.err, errAbandoned):
			default:
				failed = firstFailure(failed, &CellError{Cell: o.cell, Replay: o.replay, Err: o.err})
				stopped = true
				cancel()
			}
		case <-ctxDone:
			ctxDone = nil
			interrupted, stopped = true, true
			cancel()
		}
	}
	close(jobs)
	wg.Wait()
	switch {
	case failed != nil:
		return failed
	case interrupted:
		return ErrInterrupted
	}
	return nil
}

func firstFailure(a, b *CellError) *CellError {
	if a == nil || b.Cell.Index < a.Cell.Index {
		return b
	}
	return a
}

// worker runs cells on one goroutine, keeping the last point it
// resolved: cells of a point are consecutive, so most reuse it.
type worker struct {
	p       *Plan
	st      store
	outputs outputs
	point   int
	parsed  *scenarios.Scenario
}

// outputs, when on, makes each cell also write the files of a `koiisim
// run` (summary.json, rounds.csv, nodes.csv) into rep-<replicate>/ of
// dir.
type outputs struct {
	on           bool
	dir, version string
}

// run resolves c's point, runs the cell and stores its result. A panic
// in the engine becomes an error wrapping ErrPanic.
func (w *worker) run(ctx context.Context, c Cell) (o outcome) {
	o.cell = c
	o.replay = w.p.Replay(c, w.p.Rounds)
	defer func() {
		if r := recover(); r != nil {
			o.res, o.err = nil, fmt.Errorf("%w: %v", ErrPanic, r)
		}
	}()
	if w.parsed == nil || w.point != c.Point {
		s, err := w.p.resolve(c.Point)
		if err != nil {
			o.err = err
			return o
		}
		if h := scenarios.Hash(s); h != c.PointHash {
			o.err = fmt.Errorf("the scenario changed since the sweep started (point %d hashes to %.12s, was %.12s); start the sweep again", c.Point, h, c.PointHash)
			return o
		}
		w.point, w.parsed = c.Point, s
	}
	o.replay = w.p.Replay(c, w.parsed.Rounds)
	var run *RunFiles
	if w.outputs.on {
		seeded := *w.parsed
		seeded.Seed = c.Seed
		run = &RunFiles{Dir: filepath.Join(w.outputs.dir, RepDir(c.Replicate)), Meta: w.p.runMeta(w.parsed, c, w.outputs.version),
			Scenario: scenarios.Marshal(&seeded)}
	}
	o.res, o.err = RunCell(ctx, w.parsed, c, run)
	if o.err == nil {
		o.err = w.st.write(c, o.res)
	}
	return o
}

// RepDir is the directory of a replicate's run files in a replicate
// set: rep-0, rep-1, ...
func RepDir(replicate int) string { return "rep-" + strconv.Itoa(replicate) }

// runMeta is what summary.json of cell c says: what `koiisim run` with
// the cell's seed would write.
func (p *Plan) runMeta(s *scenarios.Scenario, c Cell, version string) metrics.Meta {
	seeded := *s
	seeded.Seed = c.Seed
	return metrics.Meta{Tool: "koiisim", Version: version, Scenario: s.Name, Description: s.Description,
		Hash: scenarios.Hash(&seeded), Seed: c.Seed, Replay: p.Replay(c, s.Rounds)}
}

// RunFiles asks RunCell to write a run's files into Dir, as `koiisim
// run` does, with Meta in summary.json and Scenario as scenario.yaml.
type RunFiles struct {
	Dir      string
	Meta     metrics.Meta
	Scenario []byte
}

// RunCell runs one cell of scenario s with the cell's seed and returns
// every metric of the run, as `koiisim run --seed SEED` computes them
// (rewards lost to attackers included); with files, it also writes that
// run's scenario.yaml, summary.json, rounds.csv and nodes.csv. It stops early, with an
// error, if ctx ends.
func RunCell(ctx context.Context, s *scenarios.Scenario, c Cell, files *RunFiles) (*Result, error) {
	onCycle := func(*sim.CycleRow) error { return ctx.Err() }
	var rounds *atomicfile.File
	var rw *metrics.RoundsWriter
	if files != nil {
		if err := os.MkdirAll(files.Dir, 0o755); err != nil {
			return nil, err
		}
		var err error
		if rounds, err = atomicfile.Create(filepath.Join(files.Dir, "rounds.csv")); err != nil {
			return nil, err
		}
		defer rounds.Abort()
		if rw, err = metrics.NewRoundsWriter(rounds, s.Config.Classes()); err != nil {
			return nil, err
		}
		onCycle = func(row *sim.CycleRow) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return rw.Write(row)
		}
	}
	res, err := sim.Run(&s.Config, sim.Options{Seed: c.Seed, Rounds: s.Rounds, OnCycle: onCycle})
	if err != nil {
		if ctx.Err() != nil {
			return nil, errAbandoned
		}
		return nil, err
	}
	f := metrics.Compute(res, &s.Config.Task)
	if err := AddCounterfactual(ctx, s, c.Seed, f); err != nil {
		if ctx.Err() != nil {
			return nil, errAbandoned
		}
		return nil, err
	}
	if files != nil {
		if err := writeRunFiles(files, rw, rounds, res, f); err != nil {
			return nil, err
		}
	}
	pts := metrics.Flatten(f)
	r := &Result{PointHash: c.PointHash, Replicate: c.Replicate, Seed: c.Seed, Metrics: make(map[string]string, len(pts))}
	for _, pt := range pts {
		r.Metrics[pt.Path] = pt.Value.String()
	}
	return r, nil
}

// writeRunFiles finishes rounds.csv and writes summary.json and
// nodes.csv, each atomically.
func writeRunFiles(files *RunFiles, rw *metrics.RoundsWriter, rounds *atomicfile.File, res *sim.Result, f *metrics.Figures) error {
	if err := rw.Flush(); err != nil {
		return err
	}
	if err := rounds.Commit(); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(files.Dir, "scenario.yaml"), files.Scenario); err != nil {
		return err
	}
	js, err := metrics.NewSummary(files.Meta, f, res.Ledger).JSON()
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(files.Dir, "summary.json"), js); err != nil {
		return err
	}
	nodes, err := atomicfile.Create(filepath.Join(files.Dir, "nodes.csv"))
	if err != nil {
		return err
	}
	defer nodes.Abort()
	if err := metrics.WriteNodes(nodes, res); err != nil {
		return err
	}
	return nodes.Commit()
}
