package sim

import (
	"container/heap"
	"math/rand/v2"
	"testing"

	"github.com/koiisim/koiisim/model"
)

// refEvent is an event with the slot and sequence number the bucket
// queue leaves implicit.
type refEvent struct {
	event
	slot model.Slot
	seq  int
}

// refQueue is the brute-force twin of queue: a binary heap ordered by
// (slot, phase, seq), the textbook priority queue.
type refQueue []refEvent

func (h refQueue) Len() int { return len(h) }
func (h refQueue) Less(i, j int) bool {
	a, b := &h[i], &h[j]
	if a.slot != b.slot {
		return a.slot < b.slot
	}
	if a.phase != b.phase {
		return a.phase < b.phase
	}
	return a.seq < b.seq
}
func (h refQueue) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *refQueue) Push(x any)   { *h = append(*h, x.(refEvent)) }
func (h *refQueue) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// TestQueueMatchesHeap checks that the bucket queue pops events in
// exactly the order of a heap over (slot, phase, seq), for random
// interleavings of pushes and pops that include pushes at the current
// slot, as the engine makes them.
func TestQueueMatchesHeap(t *testing.T) {
	for trial := 0; trial < 200; trial++ {
		rng := rand.New(rand.NewPCG(uint64(trial), 7))
		horizon := model.Slot(1 + rng.IntN(3000))
		q := newQueue(horizon)
		var ref refQueue
		var now model.Slot
		var lastPhase phase
		for step := 0; step < 2000; step++ {
			if rng.IntN(3) > 0 || q.len() == 0 {
				slot := now + model.Slot(rng.Int64N(int64(horizon)+1))
				p := phase(rng.IntN(int(numPhases)))
				if slot == now && p < lastPhase {
					p = lastPhase // the engine never schedules into a phase that already ran
				}
				q.push(slot, p, int32(step), 0, 0)
				heap.Push(&ref, refEvent{event: event{phase: p, node: int32(step)}, slot: slot, seq: step})
				continue
			}
			got, ok := q.pop()
			want := heap.Pop(&ref).(refEvent)
			if !ok || got != want.event || q.now != want.slot {
				t.Fatalf("trial %d step %d: popped %+v at slot %d, heap says %+v", trial, step, got, q.now, want)
			}
			if q.now != now {
				lastPhase = 0
			}
			now, lastPhase = q.now, got.phase
		}
		for q.len() > 0 {
			got, _ := q.pop()
			if want := heap.Pop(&ref).(refEvent); got != want.event || q.now != want.slot {
				t.Fatalf("trial %d drain: popped %+v at slot %d, heap says %+v", trial, got, q.now, want)
			}
		}
	}
}

// TestQueueRejectsPastAndBeyondHorizon checks the engine's bound: an
// event in the past or beyond the horizon is a bug and panics.
func TestQueueRejectsPastAndBeyondHorizon(t *testing.T) {
	q := newQueue(100)
	q.push(50, phaseAudit, 0, 0, 0)
	q.pop()
	for _, slot := range []model.Slot{49, 50 + 128} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("push at slot %d with now 50 did not panic", slot)
				}
			}()
			q.push(slot, phaseAudit, 0, 0, 0)
		}()
	}
}

// TestQueueRejectsEarlierPhaseAtCurrentSlot checks the phase order: an
// event pushed at the current slot for a phase that already ran panics.
func TestQueueRejectsEarlierPhaseAtCurrentSlot(t *testing.T) {
	q := newQueue(100)
	q.push(5, phaseAudit, 0, 0, 0)
	q.pop()
	defer func() {
		if recover() == nil {
			t.Error("push of a window-end at the slot of a running audit did not panic")
		}
	}()
	q.push(5, phaseWindowEnd, 0, 0, 0)
}

func BenchmarkQueue(b *testing.B) {
	q := newQueue(3000)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 10000; i++ {
		q.push(model.Slot(rng.IntN(3000)), phaseAudit, 0, 0, 0)
	}
	for b.Loop() {
		q.pop()
		q.push(q.now+model.Slot(1+rng.IntN(2999)), phaseAudit, 0, 0, 0)
	}
}
