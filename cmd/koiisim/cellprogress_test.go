package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// fakeClock advances by step at each reading.
func fakeClock(step time.Duration) func() time.Time {
	t := time.Unix(0, 0)
	return func() time.Time {
		t = t.Add(step)
		return t
	}
}

func progressOf(tty, quiet bool, step time.Duration) (*cellProgress, *bytes.Buffer) {
	var b bytes.Buffer
	p := newCellProgress(&env{stderr: &b, tty: tty}, "koiisim sweep", quiet)
	p.now = fakeClock(step)
	return p, &b
}

// Off a terminal: a line at each tenth (at most one a second) and every
// ten seconds, with the rate and the time left; resumed cells do not
// count in the rate.
func TestCellProgressLines(t *testing.T) {
	p, b := progressOf(false, false, 2*time.Second)
	p.update(20, 100) // resumed: the start
	for d := 21; d <= 100; d++ {
		p.update(d, 100)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) < 8 || len(lines) > 80 {
		t.Fatalf("%d lines:\n%s", len(lines), b)
	}
	if want := "koiisim sweep: 25/100 cells (25%), 0.5/s, about 2m30s left"; lines[0] != want { // ten seconds in
		t.Errorf("first line %q, want %q", lines[0], want)
	}
	if last := lines[len(lines)-1]; last != "koiisim sweep: 100/100 cells (100%), 0.5/s" {
		t.Errorf("last line %q", last)
	}
	if strings.Contains(b.String(), "\r") {
		t.Error("no carriage returns off a terminal")
	}
	// Fast cells: one line per tenth, not one per cell.
	p, b = progressOf(false, false, 50*time.Millisecond)
	for d := 0; d <= 1000; d++ {
		p.update(d, 1000)
	}
	if n := strings.Count(b.String(), "\n"); n > 11 {
		t.Errorf("%d lines for 1000 fast cells, want at most 11:\n%s", n, b)
	}
}

// On a terminal: a bar redrawn in place, cleared at the end; quiet
// prints nothing.
func TestCellProgressBar(t *testing.T) {
	p, b := progressOf(true, false, 300*time.Millisecond)
	for d := 0; d <= 10; d++ {
		p.update(d, 10)
	}
	p.finish()
	out := b.String()
	if !strings.Contains(out, "\r[############------------] 5/10 cells (50%)") || !strings.HasSuffix(out, "\r\033[K") || strings.Contains(out, "\n") {
		t.Errorf("bar output %q", out)
	}
	p, b = progressOf(true, true, time.Second)
	for d := 0; d <= 10; d++ {
		p.update(d, 10)
	}
	p.finish()
	if b.Len() != 0 {
		t.Errorf("quiet printed %q", b)
	}
}

// With no total (adaptive replicates): counts and rate, no percentage
// or time left.
func TestCellProgressWithoutTotal(t *testing.T) {
	p, b := progressOf(false, false, 3*time.Second)
	for d := 0; d <= 12; d++ {
		p.update(d, 0)
	}
	out := b.String()
	if !strings.Contains(out, "koiisim sweep: 4 cells, 0.3/s\n") || strings.Contains(out, "%") || strings.Contains(out, "left") {
		t.Errorf("output %q", out)
	}
}

// A run's progress off a terminal (a batch job's log): lines of rounds,
// as for cells; a round count past the expected total (retries) stays
// at the total and prints nothing new, and the bar never overflows.
func TestRoundProgressLines(t *testing.T) {
	for _, tty := range []bool{false, true} {
		var b bytes.Buffer
		p, update := newRoundProgress(&env{stderr: &b, tty: tty}, false)
		p.now = fakeClock(time.Second)
		for r := 0; r < 130; r++ {
			update(r, 100)
		}
		p.finish()
		out := b.String()
		if !tty {
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) < 10 || len(lines) > 25 {
				t.Fatalf("%d lines:\n%s", len(lines), out)
			}
			if want := "koiisim run: 10/100 rounds (10%), 1.0/s, about 1m30s left"; lines[0] != want {
				t.Errorf("first line %q, want %q", lines[0], want)
			}
			if last := lines[len(lines)-1]; last != "koiisim run: 100/100 rounds (100%), 1.0/s" {
				t.Errorf("last line %q", last)
			}
			if strings.Count(out, "100/100 rounds") != 1 {
				t.Errorf("the total printed more than once:\n%s", out)
			}
		} else if !strings.Contains(out, "\r[########################] 100/100 rounds (100%)") || strings.Contains(out, "\n") {
			t.Errorf("bar output %q", out)
		}
	}
	var b bytes.Buffer
	p, update := newRoundProgress(&env{stderr: &b, tty: false}, true)
	p.now = fakeClock(time.Minute)
	for r := 0; r < 100; r++ {
		update(r, 100)
	}
	if b.Len() != 0 {
		t.Errorf("quiet printed %q", b.String())
	}
}
