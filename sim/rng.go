package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
)

// Random streams are counter-based: a stream is named by (seed, purpose,
// node key, round, extra) and its draws are a function of that name alone.
// Adding a node, a feature or a draw somewhere else never shifts anyone's
// draws, and no stream state outlives the decision that uses it.

// Purposes name what a stream is for; each is a distinct constant so two
// decisions never share draws.
const (
	purposeStake uint64 = iota + 1
	purposeOnline
	purposeWork
	purposeSubmitDelay
	purposeAuditDelay
	purposeAudit
	purposeAnswer
	purposeSelect
	purposeScore
	purposeBuild
	purposeListDelay
	purposeShared
	purposeLateDetect // whether a paid invalid proof is discovered later
	purposeLearn      // a learner's payoff of a cycle (docs/model.md §13)
)

// mix is a 64-bit finaliser (the SplitMix64 / Murmur3 avalanche): each
// input bit flips each output bit with probability about one half.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hash combines words into one well-mixed word, in order.
func hash(words ...uint64) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, w := range words {
		h = mix(h ^ mix(w+0x632be59bd9b4e019))
	}
	return h
}

// Key returns the stable identity of the index-th node of a population,
// from which all of its streams derive: renaming a population changes its
// nodes' draws; adding nodes anywhere else does not.
func Key(population string, index int) uint64 {
	h := uint64(0xcbf29ce484222325) // FNV-1a over the name
	for i := 0; i < len(population); i++ {
		h ^= uint64(population[i])
		h *= 0x100000001b3
	}
	return hash(h, uint64(index))
}

// Stream is a SplitMix64 generator; it implements model.Rand. Its zero
// value is a valid stream, but streams come from newStream.
type Stream struct{ state uint64 }

func newStream(words ...uint64) Stream { return Stream{state: hash(words...)} }

// Uint64 returns the next 64 random bits.
func (s *Stream) Uint64() uint64 {
	s.state += 0x9e3779b97f4a7c15
	return mix(s.state)
}

// Float64 returns a uniform float64 in [0, 1) with 53 random bits.
func (s *Stream) Float64() float64 { return float64(s.Uint64()>>11) / (1 << 53) }

// IntN returns a uniform int in [0, n). It panics if n <= 0.
func (s *Stream) IntN(n int) int {
	if n <= 0 {
		panic("sim.Stream.IntN: n <= 0")
	}
	return int(s.Uint64N(uint64(n)))
}

// Uint64N returns a uniform uint64 in [0, n) by Lemire's
// multiply-and-reject, without modulo bias. It panics if n == 0.
func (s *Stream) Uint64N(n uint64) uint64 {
	if n == 0 {
		panic("sim.Stream.Uint64N: n == 0")
	}
	hi, lo := bits.Mul64(s.Uint64(), n)
	if lo < n {
		threshold := -n % n
		for lo < threshold {
			hi, lo = bits.Mul64(s.Uint64(), n)
		}
	}
	return hi
}

// uniformAt returns the uniform float in [0, 1) that a stream named by
// words yields first, without keeping the stream: the cheap form for
// one-draw decisions such as selection scores.
func uniformAt(words ...uint64) float64 {
	s := newStream(words...)
	return s.Float64()
}

// NamedStream returns a stream for draws made outside a run, such as the
// points of a random or lhs sweep design, keyed by name alone: a PCG
// seeded from the SHA-256 of name, never the global source. The same name
// gives the same draws on any machine. This file is the only non-test
// code that may import math/rand (TestOnlyTheStreamCodeImportsMathRand).
func NamedStream(name string) *rand.Rand {
	sum := sha256.Sum256([]byte(name))
	return rand.New(rand.NewPCG(binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:16])))
}
