package sim

import (
	"math/rand/v2"
	"testing"

	"github.com/koiisim/koiisim/model"
)

// TestBatchRunsInTheOrderOfPushes checks a batch against its brute-force
// twin, the events pushed one by one: on random batches mixed with
// other events at the same slots, popping the queue and running each
// batch event's actions gives the same (slot, phase, node, arg)
// sequence as popping the individual events. A batch reused for another
// pass keeps nothing of the last.
func TestBatchRunsInTheOrderOfPushes(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	type step struct {
		slot      model.Slot
		phase     phase
		node, arg int32
	}
	var b batch
	for trial := 0; trial < 300; trial++ {
		span := model.Slot(1 + r.IntN(40))
		base := model.Slot(r.IntN(100))
		nodes := r.IntN(200)
		b.reset()
		one, batched := newQueue(256), newQueue(256)
		// Other events at the same slots, of phases before and after the
		// batch's, pushed before and after the batch.
		others := func(q *queue) {
			for s := base; s < base+span; s += 3 {
				q.push(s, phaseListSubmit, -1, int32(s), 0)
				q.push(s, phaseAnswer, -2, int32(s), 0)
			}
		}
		others(one)
		others(batched)
		for n := int32(0); n < int32(nodes); n++ {
			if r.IntN(4) == 0 {
				continue // not every node acts
			}
			d, arg := model.Slot(r.IntN(int(span))), int32(r.IntN(1000))
			one.push(base+d, phaseSubmit, n, arg, 0)
			b.add(n, d, arg)
		}
		b.seal(span)
		b.schedule(batched, base, phaseSubmit, 7, 0)
		others(one)
		others(batched)

		var want, got []step
		for ev, ok := one.pop(); ok; ev, ok = one.pop() {
			want = append(want, step{one.now, ev.phase, ev.node, ev.a})
		}
		for ev, ok := batched.pop(); ok; ev, ok = batched.pop() {
			if ev.phase != phaseSubmit {
				got = append(got, step{batched.now, ev.phase, ev.node, ev.a})
				continue
			}
			if ev.a != 7 {
				t.Fatalf("trial %d: batch event carries a = %d, want 7", trial, ev.a)
			}
			acts := b.at(int(ev.node))
			if len(acts) == 0 {
				t.Fatalf("trial %d: batch event at offset %d with no actions", trial, ev.node)
			}
			for _, a := range acts {
				got = append(got, step{batched.now, phaseSubmit, a.node, a.arg})
			}
		}
		if len(got) != len(want) {
			t.Fatalf("trial %d: %d steps, want %d", trial, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("trial %d: step %d is %+v, want %+v", trial, i, got[i], want[i])
			}
		}
	}
}
