package sim

// bitset is a set of node IDs, allocated on first use: most ballots never
// get a vote, so most bitsets stay empty.
type bitset struct{ words []uint64 }

func (b *bitset) has(i int32) bool {
	w := int(i >> 6)
	return w < len(b.words) && b.words[w]&(1<<(uint(i)&63)) != 0
}

func (b *bitset) set(i int32) {
	w := int(i >> 6)
	if w >= len(b.words) {
		if w < cap(b.words) {
			b.words = b.words[:w+1]
		} else {
			b.words = append(b.words, make([]uint64, w+1-len(b.words))...)
		}
	}
	b.words[w] |= 1 << (uint(i) & 63)
}

// clear empties the set, keeping its storage.
func (b *bitset) clear() {
	clear(b.words)
	b.words = b.words[:0]
}
