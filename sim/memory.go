package sim

import (
	"unsafe"

	"github.com/koiisim/koiisim/model"
)

// gcHeadroom is how far the Go heap grows past what is live before a
// collection (GOGC=100 lets it reach twice the live heap), so what a
// run needs from the machine is about twice what it holds.
const gcHeadroom = 2

// FixedBytes covers what a run holds whatever its size: the runtime,
// the code, output buffers and the per-class counters.
const FixedBytes = 64 << 20

// BytesPerNode is what the engine holds live per node: the node record
// and its statistics, the per-node arrays of the engine, the node's
// share of every cycle of the ring and of the batches of actions, and
// its result record. Each term is the size of the real type (unsafe.Sizeof),
// so a field added to a record is counted; slices that grow by appending
// count twice their length, as append leaves up to that much capacity.
// TestMemoryEstimateCoversTheEngine holds the sum against the live heap
// of engines that have run (about 1,815 bytes a node at koii defaults,
// against a live heap of about 1,230).
func BytesPerNode(cfg *model.Config) uint64 {
	const appended = 2
	ring := uintptr(ringSize(&cfg.Task, &cfg.Rules))
	node := unsafe.Sizeof(model.Node{}) + unsafe.Sizeof(NodeStats{}) + unsafe.Sizeof(NodeResult{}) +
		unsafe.Sizeof(model.ROE(0)) + // stakes
		unsafe.Sizeof(nodeHot{}) + unsafe.Sizeof(nodeFlow{}) + 8 + // engine.audits
		unsafe.Sizeof(acted{}) + // acted: under watch_triggers
		1 + // subMask (and a bit of engine.arrived)
		unsafe.Sizeof(model.Submitted{}) // the list rule's input, reused
	// Vesting tranches: one a round until they unlock.
	vesting := appended * uintptr(cfg.Rules.VestingRounds+cfg.Task.Attempts()+1) *
		unsafe.Sizeof(struct { // a tranche: its unlock round and amount
			int
			model.ROE
		}{})
	// Per cycle of the ring: its share of the voters of each proof voted
	// on (counted as 8 bytes).
	perCycle := uintptr(8)
	// Per cycle holding proof storage (cycle.proofs: from its work round
	// until emitted, at most payment_lag + attempts rounds, so that many
	// cycles and one more): the node's index, its place among the
	// candidate builders, its verdict, its proof in subs (which holds the
	// proof's ballot reference) and the proof's two flag bits (counted as
	// a byte).
	holding := uintptr(cfg.Rules.PaymentLag + cfg.Task.Attempts() + 1)
	perHolding := 4 + 4 + unsafe.Sizeof(model.Verdict(0)) + appended*unsafe.Sizeof(sub{}) + 1
	// Correct lists: only the cycles between their first attempt and
	// settling hold one (spareList), at most one per attempt.
	lists := uintptr(cfg.Task.Attempts()) * appended * unsafe.Sizeof(model.Entry{})
	// The batches of actions (batch): two cycles' landings and a
	// window's audit actions, each an action as added (appended) and as
	// sorted (grown as append grows). The queue holds a batch event per
	// slot, not per node.
	batches := 3 * (appended*unsafe.Sizeof(pending{}) + appended*unsafe.Sizeof(action{}))
	return uint64(node + vesting + ring*perCycle + holding*perHolding + lists + batches)
}

// EstimateMemory returns the bytes a run of cfg needs from the machine:
// FixedBytes plus, per node, BytesPerNode with the heap's headroom.
func EstimateMemory(cfg *model.Config) uint64 {
	var nodes uint64
	for i := range cfg.Populations {
		nodes += uint64(max(cfg.Populations[i].Count, 0))
	}
	return FixedBytes + gcHeadroom*nodes*BytesPerNode(cfg)
}

// ringSize is the number of cycles the engine keeps storage for: a power
// of two above the cycles in flight at once, payment_lag+1 from work to
// first list, each retried at most once per round, and one starting.
func ringSize(t *model.Task, r *model.Rules) int {
	size := 8
	for size < t.Attempts()+r.PaymentLag+2 {
		size <<= 1
	}
	return size
}
