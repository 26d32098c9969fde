package sim

import (
	"fmt"

	"github.com/koiisim/koiisim/model"
)

// phase orders events that fall on the same slot. The order is part of
// the model: a window's end settles before the next round starts, a
// submission window closes before the first audit at that slot, and an
// audit acts before reactions to the triggers it opens.
type phase uint8

const (
	phaseWindowEnd phase = iota // an audit window closes: tally, payouts
	phaseRoundStart
	phaseListSubmit
	phaseSubmit
	phaseCloseSubmissions
	phaseAudit
	phaseAnswer
	numPhases
)

var phaseNames = [...]string{"window-end", "round-start", "list-submit", "submit", "close-submissions", "audit", "answer"}

func (p phase) String() string { return phaseNames[p] }

// event is one thing that happens at a slot. Its meaning of node, a and
// b depends on the phase (see the engine's dispatch). It carries neither
// its slot (its bucket's) nor a sequence number (its place in the
// bucket): 16 bytes, so a round's events stay in cache.
type event struct {
	node  int32
	a, b  int32
	phase phase
}

// queue is a bucket (calendar) queue over a ring of slots: push and pop
// are O(1) amortised, which a binary heap over tens of thousands of
// pending events is not. Every event must fall within horizon slots of
// the current one; the engine schedules at most two rounds ahead.
// Events run in (slot, phase, order of pushing): within a slot a bucket
// keeps them sorted by phase, and a push goes after every event of its
// phase, which were all pushed before it.
//
// A drained bucket's storage goes to a free list, and a bucket that
// gets its first event takes storage from there: the slots with events
// move round by round across the whole ring, and storage kept in place
// would grow every bucket to the busiest slot's size (at 100,000 nodes,
// 4,096 buckets of 512 events: 33 MB where the events in flight need
// about 6).
type queue struct {
	buckets [][]event
	free    [][]event // storage of drained buckets, empty, for the next to fill
	mask    model.Slot
	now     model.Slot // the slot being drained; nothing earlier is pending
	head    int        // next event in buckets[now&mask]
	n       int        // pending events
}

func newQueue(horizon model.Slot) *queue {
	size := model.Slot(1)
	for size <= horizon {
		size <<= 1
	}
	return &queue{buckets: make([][]event, size), mask: size - 1}
}

// push schedules an event. It panics when the event lies in the past or
// beyond the horizon: an engine bug, not an input error.
func (q *queue) push(slot model.Slot, p phase, node, a, b int32) {
	if slot < q.now || slot-q.now > q.mask {
		panic(fmt.Sprintf("sim: event %v at slot %d outside [%d, %d]", p, slot, q.now, q.now+q.mask))
	}
	e := event{phase: p, node: node, a: a, b: b}
	bk := q.buckets[slot&q.mask]
	if bk == nil {
		if k := len(q.free); k > 0 {
			bk, q.free = q.free[k-1], q.free[:k-1]
		}
	}
	lo := 0
	if slot == q.now {
		lo = q.head
		if q.head > 0 && e.phase < bk[q.head-1].phase {
			panic(fmt.Sprintf("sim: event %v pushed at slot %d after phase %v already ran", p, slot, bk[q.head-1].phase))
		}
	}
	// Insert after every event of its phase or an earlier one: most
	// pushes go last, and skip the shift.
	i := len(bk)
	for i > lo && e.phase < bk[i-1].phase {
		i--
	}
	if i == len(bk) {
		bk = append(bk, e)
	} else {
		bk = append(bk, event{})
		copy(bk[i+1:], bk[i:])
		bk[i] = e
	}
	q.buckets[slot&q.mask] = bk
	q.n++
}

// pop removes and returns the earliest event; ok is false when none is
// pending. The event's slot is q.now.
func (q *queue) pop() (e event, ok bool) {
	if q.n == 0 {
		return event{}, false
	}
	for {
		bk := q.buckets[q.now&q.mask]
		if q.head < len(bk) {
			e = bk[q.head]
			q.head++
			q.n--
			return e, true
		}
		if bk != nil {
			q.free = append(q.free, bk[:0])
			q.buckets[q.now&q.mask] = nil
		}
		q.head = 0
		q.now++
	}
}

func (q *queue) len() int { return q.n }
