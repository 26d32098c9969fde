package model

import (
	"testing"
	"unsafe"
)

// TestNodeHotFieldsShareACacheLine pins the layout the engine's speed
// relies on: the fields every event reads end within the first 64 bytes,
// and a Node is two whole cache lines, so a slice of them keeps each
// node's first line aligned.
func TestNodeHotFieldsShareACacheLine(t *testing.T) {
	var n Node
	hot := map[string]uintptr{
		"ID": unsafe.Offsetof(n.ID) + unsafe.Sizeof(n.ID), "Joined": unsafe.Offsetof(n.Joined) + 1,
		"Withdrawn": unsafe.Offsetof(n.Withdrawn) + 1, "Online": unsafe.Offsetof(n.Online) + 1, "Key": unsafe.Offsetof(n.Key) + 8, "Pop": unsafe.Offsetof(n.Pop) + 8,
		"Behaviour": unsafe.Offsetof(n.Behaviour) + unsafe.Sizeof(n.Behaviour), "Stake": unsafe.Offsetof(n.Stake) + 8,
		"Balance": unsafe.Offsetof(n.Balance) + 8, "Class": unsafe.Offsetof(n.Class) + unsafe.Sizeof(n.Class),
	}
	for name, end := range hot {
		if end > 64 {
			t.Errorf("Node.%s ends at byte %d, past the first cache line", name, end)
		}
	}
	if size := unsafe.Sizeof(n); size != 128 {
		t.Errorf("Node is %d bytes, want 128 (two cache lines)", size)
	}
}
