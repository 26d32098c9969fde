package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// cellProgress shows how many cells of a sweep or replicate set are
// done (or rounds of a run: unit), their rate and the time left, on
// stderr: a bar redrawn in place on a terminal (at most five times a
// second), a plain line every ten seconds or each tenth of the cells
// elsewhere (logs of batch jobs), nothing when quiet. It reads the clock
// only for display.
type cellProgress struct {
	w         io.Writer
	tty, on   bool
	label     string
	unit      string // what is counted: cells, rounds
	now       func() time.Time
	t0        time.Time // the first update: resumed cells are done by then
	d0        int
	last      time.Time
	lastTenth int
	drawn     bool
}

// Intervals of the progress display.
const (
	barRedraw  = 200 * time.Millisecond
	lineEvery  = 10 * time.Second
	barWidth   = 24
	rateWarmup = 500 * time.Millisecond // before this, no rate is shown
	minLineGap = time.Second            // a tenth never prints twice within this
)

func newCellProgress(e *env, label string, quiet bool) *cellProgress {
	return &cellProgress{w: e.stderr, tty: e.tty, on: !quiet, label: label, unit: "cells", now: time.Now, lastTenth: -1}
}

// newRoundProgress is the progress of one run, in rounds: r of the
// rounds the run is expected to take (sim.Options.Progress, called at
// every round's start). A run can outlast its expectation (retries), so
// the count is held at the total, and a count that does not move shows
// nothing new.
func newRoundProgress(e *env, quiet bool) (p *cellProgress, update func(round, rounds int)) {
	p = &cellProgress{w: e.stderr, tty: e.tty, on: !quiet, label: "koiisim run", unit: "rounds", now: time.Now, lastTenth: -1}
	last := -1
	return p, func(round, rounds int) {
		if r := min(round, rounds); r != last {
			last = r
			p.update(r, rounds)
		}
	}
}

// update records that done of total cells are done; total 0 is unknown
// (adaptive replicates): no bar, percentage or time left. The first
// call fixes the start: cells found done by an earlier run do not count
// in the rate.
func (p *cellProgress) update(done, total int) {
	if !p.on || total < 0 {
		return
	}
	now := p.now()
	if p.t0.IsZero() {
		p.t0, p.d0, p.last = now, done, now
		p.lastTenth = tenthOf(done, total)
		return
	}
	tenth := tenthOf(done, total)
	switch {
	case p.tty:
		if now.Sub(p.last) < barRedraw && (done < total || total == 0) {
			return
		}
		fmt.Fprintf(p.w, "\r%s   ", p.line(done, total, now, true))
		p.drawn = true
	case now.Sub(p.t0) < minLineGap:
		return // a short run says nothing
	case now.Sub(p.last) >= lineEvery || tenth > p.lastTenth && now.Sub(p.last) >= minLineGap || done == total && total > 0:
		fmt.Fprintf(p.w, "%s: %s\n", p.label, p.line(done, total, now, false))
	default:
		return
	}
	p.last, p.lastTenth = now, tenth
}

// tenthOf is the tenth of the total reached, or -1 for no total.
func tenthOf(done, total int) int {
	if total == 0 {
		return -1
	}
	return 10 * done / total
}

// line describes the state: cells done, percent, rate and time left.
func (p *cellProgress) line(done, total int, now time.Time, bar bool) string {
	var b strings.Builder
	if total == 0 {
		fmt.Fprintf(&b, "%d %s", done, p.unit)
	} else {
		if bar {
			full := barWidth * done / total
			fmt.Fprintf(&b, "[%s%s] ", strings.Repeat("#", full), strings.Repeat("-", barWidth-full))
		}
		fmt.Fprintf(&b, "%d/%d %s (%d%%)", done, total, p.unit, 100*done/total)
	}
	el := now.Sub(p.t0)
	if ran := done - p.d0; ran > 0 && el >= rateWarmup {
		rate := float64(ran) / el.Seconds()
		fmt.Fprintf(&b, ", %.1f/s", rate)
		if left := total - done; total > 0 && left > 0 {
			fmt.Fprintf(&b, ", about %s left", roundDuration(time.Duration(float64(left)/rate*float64(time.Second))))
		}
	}
	return b.String()
}

// finish clears a drawn bar so the next output starts on a clean line.
func (p *cellProgress) finish() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}

// roundDuration rounds to whole seconds, or to minutes past an hour.
func roundDuration(d time.Duration) string {
	if d >= time.Hour {
		return d.Round(time.Minute).String()
	}
	return d.Round(time.Second).String()
}
