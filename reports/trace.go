package reports

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/koiisim/koiisim/sim"
)

// TraceHeader is the header of a trace file (run --trace): one row per
// proof, vote, trigger, list and payout, in the order they happened.
var TraceHeader = []string{"slot", "round", "cycle", "event", "node", "class", "target", "target_class", "on", "value", "amount_koii", "note"}

// TraceWriter streams a run's trace as CSV.
type TraceWriter struct {
	w       *csv.Writer
	classOf func(int32) string
	rec     []string
	err     error
}

// NewTraceWriter writes the header; classOf names a node's class.
func NewTraceWriter(w io.Writer, classOf func(node int32) string) (*TraceWriter, error) {
	t := &TraceWriter{w: csv.NewWriter(w), classOf: classOf}
	return t, t.w.Write(TraceHeader)
}

// Write writes one event; it keeps the first error for Flush.
func (t *TraceWriter) Write(ev *sim.TraceEvent) {
	if t.err != nil {
		return
	}
	node, class, target, tclass := "", "", "", ""
	if ev.Node >= 0 {
		node, class = strconv.Itoa(int(ev.Node)), t.classOf(ev.Node)
	}
	if ev.Target >= 0 {
		target, tclass = strconv.Itoa(int(ev.Target)), t.classOf(ev.Target)
	}
	on := "proof"
	if ev.List {
		on = "list"
	}
	amount := ""
	if ev.Amount != 0 {
		amount = ev.Amount.String()
	}
	t.rec = append(t.rec[:0], strconv.FormatInt(int64(ev.Slot), 10), strconv.Itoa(ev.Round), strconv.Itoa(ev.Cycle), ev.Kind.String(),
		node, class, target, tclass, on, strconv.Itoa(ev.Value), amount, ev.Note)
	t.err = t.w.Write(t.rec)
}

// Flush writes what is buffered and returns the first error.
func (t *TraceWriter) Flush() error {
	t.w.Flush()
	if t.err != nil {
		return t.err
	}
	return t.w.Error()
}
