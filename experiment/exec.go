package experiment

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/scenarios"
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

// execute runs cells on workers goroutines (pool). next yields the
// cells to run in order; it and done are called from this goroutine
// only, done for each finished cell in the order they finish, so callers
// collect results by cell index, never by worker. A cell whose file
// already exists is read, not run. done returning true stops the
// dispatch and abandons the cells in flight.
//
// It returns nil when next is exhausted and every cell finished,
// ErrInterrupted when ctx ended first, or the *CellError of the failed
// cell with the lowest index.
func (p *Plan) execute(ctx context.Context, workers int, st store, outputs outputs, next func() (Cell, bool), done func(Cell, *Result) bool) error {
	var failed *CellError
	stopped := false
	nextToRun := func() (Cell, bool) {
		for !stopped {
			c, ok := next()
			if !ok {
				return Cell{}, false
			}
			if !st.has(c) {
				return c, true
			}
			r, err := st.read(c)
			if err != nil {
				failed, stopped = firstFailure(failed, &CellError{Cell: c, Replay: p.Replay(c, p.Rounds), Err: err}), true
			} else if done(c, r) {
				stopped = true
			}
		}
		return Cell{}, false
	}
	newWorker := func() func(context.Context, Cell) outcome {
		w := worker{p: p, st: st, outputs: outputs}
		return w.run
	}
	interrupted := pool(ctx, workers, nextToRun, newWorker, func(o outcome) bool {
		switch {
		case o.err == nil:
			return done(o.cell, o.res)
		case errors.Is(o.err, errAbandoned):
			return false
		}
		failed = firstFailure(failed, &CellError{Cell: o.cell, Replay: o.replay, Err: o.err})
		return true
	})
	switch {
	case failed != nil:
		return failed
	case interrupted:
		return ErrInterrupted
	}
	return nil
}

// pool is the one worker pool of the package: sweeps, replicate sets
// and Replicates all run through it. It runs the jobs next yields on
// workers goroutines, one whole run per goroutine at a time: parallelism
// is across runs, never inside one. newWorker makes each goroutine's
// work function, which may keep state between its jobs. next and done
// are called from the calling goroutine only, done for each result in
// the order they finish. done returning true stops the dispatch and
// cancels the context of the jobs in flight, which are still waited
// for. pool reports whether ctx ended before the jobs did.
func pool[J, R any](ctx context.Context, workers int, next func() (J, bool), newWorker func() func(context.Context, J) R, done func(R) bool) (interrupted bool) {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan J)
	results := make(chan R)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		work := newWorker()
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- work(runCtx, j)
			}
		}()
	}
	var (
		pending   *J
		inflight  int
		exhausted bool
		stopped   bool
	)
	ctxDone := ctx.Done()
	for {
		if pending == nil && !exhausted && !stopped {
			if j, ok := next(); ok {
				pending = &j
			} else {
				exhausted = true
			}
		}
		if pending != nil && stopped {
			pending = nil
		}
		if pending == nil && inflight == 0 {
			break
		}
		var send chan J
		var j J
		if pending != nil {
			send, j = jobs, *pending
		}
		select {
		case send <- j:
			inflight++
			pending = nil
		case r := <-results:
			inflight--
			if done(r) && !stopped {
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
	return interrupted
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
	opt := Options{History: metrics.NeedsHistory(w.p.Metrics)}
	if w.outputs.on {
		opt.Files = &Files{Dir: filepath.Join(w.outputs.dir, RepDir(c.Replicate)), Version: w.outputs.version, Replay: o.replay}
	}
	run, err := RunOne(ctx, w.parsed, c.Seed, opt)
	switch {
	case err != nil && ctx.Err() != nil:
		o.err = errAbandoned
	case err != nil:
		o.err = err
	default:
		o.res = cellResult(c, run.Figures)
		o.err = w.st.write(c, o.res)
	}
	return o
}

// RepDir is the directory of a replicate's run files in a replicate
// set: rep-0, rep-1, ...
func RepDir(replicate int) string { return "rep-" + strconv.Itoa(replicate) }

// cellResult is what c's file stores of a run: every metric as exact
// text.
func cellResult(c Cell, f *metrics.Figures) *Result {
	pts := metrics.Flatten(f)
	r := &Result{PointHash: c.PointHash, Replicate: c.Replicate, Seed: c.Seed, Metrics: make(map[string]string, len(pts))}
	for _, pt := range pts {
		r.Metrics[pt.Path] = pt.Value.String()
	}
	return r
}
