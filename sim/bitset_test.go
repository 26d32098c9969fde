package sim

import (
	"math/rand/v2"
	"sort"
	"testing"
)

// TestVoterSetMatchesAMap checks the voter set against a map on random
// votes, small and past the switch to a bitset, and after clear.
func TestVoterSetMatchesAMap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var s voterSet
	for trial := 0; trial < 200; trial++ {
		s.clear()
		want := map[int32]bool{}
		votes, nodes := r.IntN(3*smallVoters), 1+r.IntN(1000)
		for v := 0; v < votes; v++ {
			id := int32(r.IntN(nodes))
			if !want[id] { // the engine never sets a voter twice
				s.set(id)
				want[id] = true
			}
		}
		for id := int32(0); id < int32(nodes); id++ {
			if s.has(id) != want[id] {
				t.Fatalf("trial %d: has(%d) = %v, want %v", trial, id, s.has(id), want[id])
			}
		}
		var got, wantList []int32
		s.each(func(id int32) { got = append(got, id) })
		for id := range want {
			wantList = append(wantList, id)
		}
		sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
		sort.Slice(wantList, func(i, j int) bool { return wantList[i] < wantList[j] })
		if len(got) != len(wantList) {
			t.Fatalf("trial %d: each gave %d voters, want %d", trial, len(got), len(wantList))
		}
		for i := range got {
			if got[i] != wantList[i] {
				t.Fatalf("trial %d: each gave %v, want %v", trial, got, wantList)
			}
		}
	}
}

// TestBitsetMatchesAMap: a bitset, reset to sizes up and down, holds
// exactly the members a map holds.
func TestBitsetMatchesAMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	var b bitset
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(300)
		b.reset(n)
		want := map[int]bool{}
		for k := rng.IntN(n + 1); k > 0; k-- {
			i := rng.IntN(n)
			b.set(i)
			want[i] = true
		}
		for i := 0; i < n; i++ {
			if b.has(i) != want[i] {
				t.Fatalf("trial %d (n %d): has(%d) = %v, want %v", trial, n, i, b.has(i), want[i])
			}
		}
	}
}
