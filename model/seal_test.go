package model

import (
	"encoding/binary"
	"hash/fnv"
	"math/rand/v2"
	"testing"
)

// TestSealIsFNV1aOfEntries checks the inline hash against hash/fnv over
// each entry's node and amount, little-endian: list hashes (and every
// output that depends on them) stay what they were.
func TestSealIsFNV1aOfEntries(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 200; n++ {
		l := &List{}
		for i := 0; i < n; i++ {
			l.Entries = append(l.Entries, Entry{Node: int32(r.Uint32()), Amount: ROE(r.Uint64())})
		}
		l.Seal()
		h := fnv.New64a()
		var buf [12]byte
		for _, e := range l.Entries {
			binary.LittleEndian.PutUint32(buf[:4], uint32(e.Node))
			binary.LittleEndian.PutUint64(buf[4:], uint64(e.Amount))
			h.Write(buf[:])
		}
		if l.Hash != h.Sum64() {
			t.Fatalf("%d entries: Seal %x, hash/fnv %x", n, l.Hash, h.Sum64())
		}
	}
}
