package sim

import (
	"slices"

	"github.com/koiisim/koiisim/model"
)

// batch holds the actions that one pass over the nodes schedules, at
// most one a node, each at a slot offset within a span: every proof of
// a cycle (its landing in the next round's submission window) and every
// node's audit action in a window. Those are nearly all of a run's
// events. Pushed one by one, they scattered a round's worth of 16-byte
// events over hundreds of queue buckets, each store at 100,000 nodes a
// likely cache miss; here the pass appends them in node order, seal
// sorts them by slot offset (a counting sort into one array that is
// reused round after round), and the queue holds one event per offset
// that has any, which runs that offset's actions in order.
//
// The order is the one the pushes gave: the actions of one slot run in
// node order (the sort is stable, and the pass adds them in node
// order), and where the one batch event sits in its slot's bucket is
// where the individual events sat, since they were the only events of
// their phase at that slot (proofs and audit actions are scheduled by
// these passes alone, and no two passes' spans share a slot). Each
// action still counts as one event (Result.Events, the event limit).
type batch struct {
	added  []pending // in node order, as the pass added them
	sorted []action  // by slot offset, node order within an offset
	first  []int32   // sorted[first[d]:first[d+1]] are the actions at offset d
}

// action is one node's scheduled act: the node, and for a proof its
// outcome and grind (as submit reads them); 0 for an audit action.
type action struct {
	node int32
	arg  int32
}

// pending is an action with its slot offset, before the sort.
type pending struct {
	action
	at int32
}

// reset empties the batch for another pass, keeping its storage.
func (b *batch) reset() {
	b.added = b.added[:0]
	b.sorted = b.sorted[:0]
	b.first = b.first[:0]
}

// add schedules node's act with arg at slot offset at.
func (b *batch) add(node int32, at model.Slot, arg int32) {
	b.added = append(b.added, pending{action: action{node: node, arg: arg}, at: int32(at)})
}

// seal sorts the added actions by slot offset for span offsets [0,
// span); every offset added must lie in it.
func (b *batch) seal(span model.Slot) {
	n := int(span)
	b.first = resized(b.first, n+1)
	clear(b.first)
	for _, p := range b.added {
		b.first[p.at+1]++
	}
	for d := 1; d <= n; d++ {
		b.first[d] += b.first[d-1]
	}
	// first[d] is now where offset d's actions start; placing advances it
	// to where they end, which is where offset d+1's start: shift back.
	b.sorted = resized(b.sorted, len(b.added))
	for _, p := range b.added {
		b.sorted[b.first[p.at]] = p.action
		b.first[p.at]++
	}
	copy(b.first[1:], b.first[:n])
	b.first[0] = 0
}

// at returns the actions at slot offset d, in node order.
func (b *batch) at(d int) []action { return b.sorted[b.first[d]:b.first[d+1]] }

// schedule puts the sealed batch in the queue: at slot base+d, an event
// of phase p for every offset d that has actions, carrying d as its
// node, and a and c as its a and b.
func (b *batch) schedule(q *queue, base model.Slot, p phase, a, c int32) {
	for d := 0; d+1 < len(b.first); d++ {
		if b.first[d+1] > b.first[d] {
			q.push(base+model.Slot(d), p, int32(d), a, c)
		}
	}
}

// resized returns s with length n, reusing its storage when it can and
// growing it as append would, so that a batch a little larger each
// round does not allocate each round.
func resized[T any](s []T, n int) []T {
	return slices.Grow(s[:0], n)[:n]
}
