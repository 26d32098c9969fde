package sim

import (
	"math"
	"testing"
)

// TestStreamsAreNamedNotOrdered checks the property the whole engine
// leans on: a stream's draws depend only on its name, so drawing from
// one stream never shifts another's.
func TestStreamsAreNamedNotOrdered(t *testing.T) {
	a1 := newStream(1, purposeWork, 42, 7)
	first := a1.Uint64()
	other := newStream(1, purposeWork, 43, 7)
	for i := 0; i < 100; i++ {
		other.Uint64()
	}
	a2 := newStream(1, purposeWork, 42, 7)
	if got := a2.Uint64(); got != first {
		t.Fatalf("stream (1, work, 42, 7) gave %x then %x", first, got)
	}
	names := [][]uint64{{1, purposeWork, 42, 7}, {2, purposeWork, 42, 7}, {1, purposeAudit, 42, 7}, {1, purposeWork, 42, 8}, {1, purposeWork, 7, 42}}
	seen := map[uint64]bool{}
	for _, n := range names {
		s := newStream(n...)
		v := s.Uint64()
		if seen[v] {
			t.Errorf("stream %v collides with another name", n)
		}
		seen[v] = true
	}
}

// TestKeyDependsOnPopulationAndIndex checks node keys: distinct across
// populations and indices, equal for the same pair.
func TestKeyDependsOnPopulationAndIndex(t *testing.T) {
	if again := Key("honest", 3); Key("honest", 3) != again {
		t.Fatal("Key is not a function")
	}
	seen := map[uint64]string{}
	for _, p := range []string{"honest", "faulty", "whale", "honest2"} {
		for i := 0; i < 1000; i++ {
			k := Key(p, i)
			if prev, dup := seen[k]; dup {
				t.Fatalf("Key(%s, %d) collides with %s", p, i, prev)
			}
			seen[k] = p
		}
	}
}

// TestIntNIsUniform checks IntN with a chi-square test at a fixed seed:
// the statistic for 10 cells and 100k draws has mean 9 and sd sqrt(18);
// it must lie within 5 sd of the mean.
func TestIntNIsUniform(t *testing.T) {
	s := newStream(99)
	const cells, draws = 10, 100_000
	var hist [cells]float64
	for i := 0; i < draws; i++ {
		hist[s.IntN(cells)]++
	}
	exp := float64(draws) / cells
	chi := 0.0
	for _, h := range hist {
		chi += (h - exp) * (h - exp) / exp
	}
	if math.Abs(chi-(cells-1)) > 5*math.Sqrt(2*(cells-1)) {
		t.Fatalf("chi-square %.1f for %v", chi, hist)
	}
}

// TestFloat64InUnitInterval checks the range and mean of Float64.
func TestFloat64InUnitInterval(t *testing.T) {
	s := newStream(5)
	const n = 100_000
	sum := 0.0
	for i := 0; i < n; i++ {
		f := s.Float64()
		if f < 0 || f >= 1 {
			t.Fatalf("Float64 = %v", f)
		}
		sum += f
	}
	// The mean of n uniforms has sd sqrt(1/12/n).
	if se := math.Sqrt(1.0 / 12 / n); math.Abs(sum/n-0.5) > 5*se {
		t.Fatalf("mean %v, want 0.5 within %v", sum/n, 5*se)
	}
}
