package sim

import "math/bits"

// voterSet is the set of nodes that voted on a ballot. Most ballots get
// a handful of votes, so it is a short list of IDs until it holds
// smallVoters of them, then a bitset over node IDs: a bitset from the
// first vote would cost every ballot N/8 bytes, a gigabyte a cycle at a
// million nodes.
type voterSet struct {
	ids   []int32  // the voters, while the set is small
	words []uint64 // the voters as bits, once it is not
	big   bool
}

// smallVoters is the size past which a voterSet turns into a bitset.
const smallVoters = 32

func (s *voterSet) has(i int32) bool {
	if s.big {
		w := int(i >> 6)
		return w < len(s.words) && s.words[w]&(1<<(uint(i)&63)) != 0
	}
	for _, id := range s.ids {
		if id == i {
			return true
		}
	}
	return false
}

func (s *voterSet) set(i int32) {
	if !s.big {
		if len(s.ids) < smallVoters {
			s.ids = append(s.ids, i)
			return
		}
		s.big = true
		for _, id := range s.ids {
			s.setBit(id)
		}
	}
	s.setBit(i)
}

func (s *voterSet) setBit(i int32) {
	w := int(i >> 6)
	if w >= len(s.words) {
		if w < cap(s.words) {
			s.words = s.words[:w+1]
		} else {
			s.words = append(s.words, make([]uint64, w+1-len(s.words))...)
		}
	}
	s.words[w] |= 1 << (uint(i) & 63)
}

// each calls f with every voter, in no particular order.
func (s *voterSet) each(f func(int32)) {
	if !s.big {
		for _, id := range s.ids {
			f(id)
		}
		return
	}
	for w, word := range s.words {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &= word - 1
			f(int32(w*64 + b))
		}
	}
}

// clear empties the set, keeping its storage.
func (s *voterSet) clear() {
	clear(s.words)
	s.words, s.ids, s.big = s.words[:0], s.ids[:0], false
}

// bitset is a set of small non-negative integers, one bit each: the
// per-cycle flags auditors read at random proofs (which are invalid,
// which have a ballot), a few kilobytes where the proof records they
// summarise are megabytes, so the look-ups stay in cache.
type bitset []uint64

// reset empties the set and sizes it for [0, n), keeping storage.
func (b *bitset) reset(n int) {
	w := (n + 63) >> 6
	if w <= cap(*b) {
		*b = (*b)[:w]
		clear(*b)
		return
	}
	*b = make(bitset, w)
}

func (b bitset) has(i int) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) set(i int)      { b[i>>6] |= 1 << (uint(i) & 63) }
