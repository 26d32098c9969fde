package sim

import (
	"math"
	"testing"

	"github.com/koiisim/koiisim/model"
)

// bruteSample is the twin of sampleOthers: list the others, shuffle them
// completely by Fisher-Yates, take the first k. Obviously uniform without
// replacement.
func bruteSample(r *Stream, m, own, k int) []int {
	var others []int
	for i := 0; i < m; i++ {
		if i != own {
			others = append(others, i)
		}
	}
	for i := len(others) - 1; i > 0; i-- {
		j := r.IntN(i + 1)
		others[i], others[j] = others[j], others[i]
	}
	if k == model.SampleAll || k > len(others) {
		k = len(others)
	}
	return others[:k]
}

// TestAuditSampleWithoutReplacement checks the audit sample of
// docs/model.md §3: distinct indices, never the auditor's own proof, and
// audit_sample of them (all when fewer are available).
func TestAuditSampleWithoutReplacement(t *testing.T) {
	s := newStream(1)
	for trial := 0; trial < 5000; trial++ {
		m := 1 + s.IntN(40)
		own := s.IntN(m+1) - 1 // -1: an auditor with no proof
		if own >= m {
			own = -1
		}
		k := s.IntN(8)
		got := sampleOthers(&s, m, own, k, nil)
		want := m
		if own >= 0 {
			want--
		}
		if k != model.SampleAll && k < want {
			want = k
		}
		if len(got) != want {
			t.Fatalf("m=%d own=%d k=%d: sample %v has %d, want %d", m, own, k, got, len(got), want)
		}
		seen := map[int]bool{}
		for _, x := range got {
			if x < 0 || x >= m || x == own || seen[x] {
				t.Fatalf("m=%d own=%d k=%d: bad sample %v", m, own, k, got)
			}
			seen[x] = true
		}
	}
}

// TestAuditSampleUniformLikeFullShuffle compares the inclusion
// frequencies of sampleOthers (Floyd's algorithm) with those of the
// full-shuffle twin: each other index is included with probability
// k/(m-1); both must be within 5 standard errors of it, cell by cell.
func TestAuditSampleUniformLikeFullShuffle(t *testing.T) {
	const m, own, k, trials = 12, 4, 5, 60_000
	fast, slow := newStream(11), newStream(12)
	var hitFast, hitSlow [m]float64
	for i := 0; i < trials; i++ {
		for _, x := range sampleOthers(&fast, m, own, k, nil) {
			hitFast[x]++
		}
		for _, x := range bruteSample(&slow, m, own, k) {
			hitSlow[x]++
		}
	}
	p := float64(k) / float64(m-1)
	se := math.Sqrt(p * (1 - p) / trials)
	for i := 0; i < m; i++ {
		if i == own {
			if hitFast[i] != 0 || hitSlow[i] != 0 {
				t.Fatalf("own index sampled")
			}
			continue
		}
		for name, h := range map[string]float64{"floyd": hitFast[i], "shuffle": hitSlow[i]} {
			if f := h / trials; math.Abs(f-p) > 5*se {
				t.Errorf("%s: index %d included with frequency %.4f, want %.4f ± %.4f", name, i, f, p, 5*se)
			}
		}
	}
}
