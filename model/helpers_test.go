package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// testSeed is the seed of every random test in this package. A failure
// message names it and the case number, so `go test -run Name ./model`
// replays the failing case exactly.
const testSeed = 0x6b6f6969 // "koii"

// pcgRand is the model.Rand of the tests: math/rand/v2's PCG with a fixed
// seed and a stream per test, so adding draws to one test never shifts
// another's.
type pcgRand struct{ r *rand.Rand }

var _ Rand = (*pcgRand)(nil)

// newRand returns the stream named by stream under testSeed.
func newRand(stream uint64) *pcgRand {
	return &pcgRand{rand.New(rand.NewPCG(testSeed, stream))}
}

func (p *pcgRand) Uint64() uint64   { return p.r.Uint64() }
func (p *pcgRand) Float64() float64 { return p.r.Float64() }
func (p *pcgRand) IntN(n int) int   { return p.r.IntN(n) }

// Int64N returns a uniform int64 in [0, n).
func (p *pcgRand) Int64N(n int64) int64 { return p.r.Int64N(n) }

// ROEN returns a uniform amount in [0, n].
func (p *pcgRand) ROEN(n ROE) ROE {
	if n == math.MaxInt64 {
		return ROE(p.r.Uint64() >> 1)
	}
	return ROE(p.r.Int64N(int64(n) + 1))
}

// Scaled returns an amount in [0, max] whose order of magnitude is itself
// uniform, so that 1 ROE, a few KOII and amounts near max all turn up.
func (p *pcgRand) Scaled(max ROE) ROE {
	bits := 1 + p.r.IntN(63)
	v := ROE(p.r.Uint64() >> (64 - bits))
	if v > max {
		v = p.ROEN(max)
	}
	return v
}

// paths returns the Paths of problems, in order.
func paths(ps Problems) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.Path)
	}
	return out
}

// wantPaths fails t unless the problems name exactly want, in any order.
func wantPaths(t *testing.T, what string, got Problems, want ...string) {
	t.Helper()
	g := paths(got)
	slices.Sort(g)
	w := slices.Clone(want)
	slices.Sort(w)
	if w == nil {
		w = []string{}
	}
	if !slices.Equal(g, w) {
		t.Errorf("%s: problems at %q, want %q (%v)", what, g, w, got)
	}
}

// within4SE fails t unless the sample mean is within four standard errors
// of mu, where sd is the standard deviation of one draw and n the number of
// draws (a false failure has probability about 6e-5 at a fixed seed,
// which then never changes).
func within4SE(t *testing.T, what string, mean, mu, sd float64, n int) {
	t.Helper()
	se := sd / math.Sqrt(float64(n))
	if math.Abs(mean-mu) > 4*se {
		t.Errorf("%s: mean %v over %d draws, want %v ± 4 standard errors (%v) [seed %#x]", what, mean, n, mu, 4*se, testSeed)
	}
}
