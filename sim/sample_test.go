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
	checkInclusion(t, hitFast[:], hitSlow[:], own, p, trials)
}

// bruteKoiiSample is the twin of sampleKoii: shuffle all m indices by
// Fisher-Yates, take the first k, drop own.
func bruteKoiiSample(r *Stream, m, own, k int) []int {
	all := make([]int, m)
	for i := range all {
		all[i] = i
	}
	for i := m - 1; i > 0; i-- {
		j := r.IntN(i + 1)
		all[i], all[j] = all[j], all[i]
	}
	if k == model.SampleAll || k > m {
		k = m
	}
	var out []int
	for _, x := range all[:k] {
		if x != own {
			out = append(out, x)
		}
	}
	return out
}

// TestAuditSamplingKoiiDrawsOverAllAndSkipsOwn checks audit_sampling koii
// (docs/model.md §3): min(k, m) distinct indices drawn over all m proofs,
// the auditor's own included, then its own skipped: k or k-1 of them,
// never its own, all others when k >= m.
func TestAuditSamplingKoiiDrawsOverAllAndSkipsOwn(t *testing.T) {
	s := newStream(2)
	for trial := 0; trial < 5000; trial++ {
		m := 1 + s.IntN(40)
		own := s.IntN(m+1) - 1
		if own >= m {
			own = -1
		}
		k := s.IntN(8)
		got := sampleKoii(&s, m, own, k, nil)
		seen := map[int]bool{}
		for _, x := range got {
			if x < 0 || x >= m || x == own || seen[x] {
				t.Fatalf("m=%d own=%d k=%d: bad sample %v", m, own, k, got)
			}
			seen[x] = true
		}
		others := m
		if own >= 0 {
			others--
		}
		switch {
		case k == model.SampleAll || k >= m:
			if len(got) != others {
				t.Fatalf("m=%d own=%d k=%d: sample %v, want all %d others", m, own, k, got, others)
			}
		case own < 0 && len(got) != k, own >= 0 && len(got) != k && len(got) != k-1:
			t.Fatalf("m=%d own=%d k=%d: sample %v has %d", m, own, k, got, len(got))
		}
	}
}

// TestAuditSamplingKoiiIncludesEachOtherWithProbabilityKOverN compares
// sampleKoii with its full-shuffle twin: each other proof is in the
// sample with probability k/m (not k/(m-1) as under others), and the
// auditor draws its own, so checks k-1, with probability k/m. Both within
// 5 standard errors, cell by cell.
func TestAuditSamplingKoiiIncludesEachOtherWithProbabilityKOverN(t *testing.T) {
	const m, own, k, trials = 12, 4, 5, 60_000
	fast, slow := newStream(21), newStream(22)
	var hitFast, hitSlow [m]float64
	var shortFast, shortSlow float64
	for i := 0; i < trials; i++ {
		f := sampleKoii(&fast, m, own, k, nil)
		for _, x := range f {
			hitFast[x]++
		}
		b := bruteKoiiSample(&slow, m, own, k)
		for _, x := range b {
			hitSlow[x]++
		}
		if len(f) == k-1 {
			shortFast++
		}
		if len(b) == k-1 {
			shortSlow++
		}
	}
	p := float64(k) / float64(m)
	se := math.Sqrt(p * (1 - p) / trials)
	for name, h := range map[string]float64{"floyd": shortFast, "shuffle": shortSlow} {
		if f := h / trials; math.Abs(f-p) > 5*se {
			t.Errorf("%s: own proof drawn with frequency %.4f, want %.4f ± %.4f", name, f, p, 5*se)
		}
	}
	checkInclusion(t, hitFast[:], hitSlow[:], own, p, trials)
}

// checkInclusion checks that every index but own was included with
// frequency p by both samplers (within 5 standard errors) and own never.
func checkInclusion(t *testing.T, hitFast, hitSlow []float64, own int, p float64, trials int) {
	t.Helper()
	se := math.Sqrt(p * (1 - p) / float64(trials))
	for i := range hitFast {
		if i == own {
			if hitFast[i] != 0 || hitSlow[i] != 0 {
				t.Fatalf("own index sampled")
			}
			continue
		}
		for name, h := range map[string]float64{"floyd": hitFast[i], "shuffle": hitSlow[i]} {
			if f := h / float64(trials); math.Abs(f-p) > 5*se {
				t.Errorf("%s: index %d included with frequency %.4f, want %.4f ± %.4f", name, i, f, p, 5*se)
			}
		}
	}
}
