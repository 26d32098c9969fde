package experiment

import (
	"crypto/sha256"
	"encoding/binary"
	"math/big"
	"reflect"
	"strconv"
	"testing"

	"github.com/koiisim/koiisim/scenarios"
)

// A grid lists every combination, the first dimension slowest.
func TestGridIsTheCartesianProduct(t *testing.T) {
	sw := &scenarios.Sweep{Replicates: 1, Vary: []scenarios.Dimension{
		{Path: "a", Values: []string{"x", "y"}},
		{Path: "b", From: "0", To: "1", Steps: 3},
	}}
	sw.Vary[1] = scenarios.Dimension{Path: "b", From: "0", To: "2", Steps: 3}
	want := [][]string{{"x", "0"}, {"x", "1"}, {"x", "2"}, {"y", "0"}, {"y", "1"}, {"y", "2"}}
	if got := Points(sw, 1); !reflect.DeepEqual(got, want) {
		t.Errorf("grid = %v, want %v (the first dimension slowest)", got, want)
	}
	sw.Vary[1] = scenarios.Dimension{Path: "b", From: "0", To: "1", Steps: 3}
	if lv := Levels(&sw.Vary[1]); !reflect.DeepEqual(lv, []string{"0", "1", "1"}) {
		t.Errorf("levels of 0:1:3 with whole ends = %v, want 0, 1 (0.5 rounded away from zero), 1", lv)
	}
}

// Range levels are exact decimals: evenly spaced, both ends included,
// rounded to 9 decimals or to whole numbers, half away from zero.
func TestLevelsAreExactDecimals(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		steps    int
		want     []string
	}{
		{"0.1", "0.9", 5, []string{"0.1", "0.3", "0.5", "0.7", "0.9"}},
		{"0", "1.0", 4, []string{"0", "0.333333333", "0.666666667", "1"}},
		{"0", "10", 4, []string{"0", "3", "7", "10"}},
		{"-1", "1", 3, []string{"-1", "0", "1"}},
		{"-0.000000001", "0.000000001", 3, []string{"-0.000000001", "0", "0.000000001"}},
		{"50", "0", 3, []string{"50", "25", "0"}},
	} {
		d := scenarios.Dimension{Path: "x", From: tc.from, To: tc.to, Steps: tc.steps}
		if got := Levels(&d); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:%s:%d = %v, want %v", tc.from, tc.to, tc.steps, got, tc.want)
		}
	}
}

// In a Latin hypercube every dimension has exactly one point in each of
// its points strata, and the values follow the coordinates.
func TestLHSHasOnePointPerStratum(t *testing.T) {
	for _, n := range []int{1, 2, 7, 50, 333} {
		sw := &scenarios.Sweep{Design: scenarios.DesignLHS, Points: n, Replicates: 1, Vary: []scenarios.Dimension{
			{Path: "a", From: "0", To: "1.0"},
			{Path: "b", From: "-5", To: "5"},
			{Path: "c", Values: []string{"p", "q", "r"}},
		}}
		for seed := range uint64(3) {
			unit := UnitPoints(sw, seed)
			for d := range sw.Vary {
				seen := make([]bool, n)
				for i := range n {
					q := unit[i][d]
					s := int(q * float64(n))
					if q < 0 || q >= 1 || seen[s] {
						t.Fatalf("n=%d seed=%d dimension %d: point %d at %v is in an occupied or invalid stratum %d", n, seed, d, i, q, s)
					}
					seen[s] = true
				}
			}
			values := Points(sw, seed)
			for i := range n {
				a, _ := new(big.Rat).SetString(values[i][0])
				lo := big.NewRat(int64(unit[i][0]*float64(n)), int64(n))
				hi := big.NewRat(int64(unit[i][0]*float64(n))+1, int64(n))
				if a.Cmp(lo) < 0 || a.Cmp(hi) > 0 {
					t.Errorf("n=%d point %d: value %s is outside its stratum [%s, %s]", n, i, values[i][0], lo.FloatString(9), hi.FloatString(9))
				}
				if b, err := strconv.Atoi(values[i][1]); err != nil || b < -5 || b > 5 {
					t.Errorf("whole-number range gave %q", values[i][1])
				}
			}
		}
	}
}

// Random designs are reproducible from the seed alone, cover whole
// number ranges end to end, and differ between seeds.
func TestRandomDesignIsSeeded(t *testing.T) {
	sw := &scenarios.Sweep{Design: scenarios.DesignRandom, Points: 400, Replicates: 1, Vary: []scenarios.Dimension{
		{Path: "n", From: "1", To: "4"},
		{Path: "f", From: "0.25", To: "0.75"},
	}}
	a, b, c := Points(sw, 9), Points(sw, 9), Points(sw, 10)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave other points")
	}
	if reflect.DeepEqual(a, c) {
		t.Fatal("another seed gave the same points")
	}
	seen := map[string]int{}
	for _, p := range a {
		seen[p[0]]++
		f, _ := strconv.ParseFloat(p[1], 64)
		if f < 0.25 || f > 0.75 {
			t.Errorf("value %s outside [0.25, 0.75]", p[1])
		}
	}
	for _, v := range []string{"1", "2", "3", "4"} {
		if seen[v] < 60 { // expected 100 each; 60 is 4.6 standard deviations below
			t.Errorf("whole-number range: %s drawn %d times of 400", v, seen[v])
		}
	}
}

// Cell seeds depend on the point's hash and the replicate index only.
func TestCellSeedIsItsIdentity(t *testing.T) {
	h := "3f1a5b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a"
	if again := CellSeed(h, 0); CellSeed(h, 0) != again || again == CellSeed(h, 1) || CellSeed(h, 1) == CellSeed(h[:63]+"b", 1) {
		t.Fatal("a cell's seed must be a function of (point hash, replicate) and differ between cells")
	}
	sum := sha256.Sum256([]byte(h + "/7"))
	if got, want := CellSeed(h, 7), binary.BigEndian.Uint64(sum[:8]); got != want || got != 0xeae6c603843b8a52 {
		t.Errorf("CellSeed(h, 7) = %#x; want %#x, the first 8 bytes of SHA-256(h/7) (pinned: a change here changes every sweep's results)", got, want)
	}
}
