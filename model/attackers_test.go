package model

import (
	"math"
	"testing"
)

// TestFaultyBurstsMatchShareAndMeanLength: §6, with offline_mean the
// faulty node's offline rounds come in bursts whose mean length is
// offline_mean, and its long-run offline share is offline. Bursts are
// geometric, so the mean burst length over K bursts has standard error
// sd/sqrt(K); the share is checked against the ratio estimator's
// standard error computed from the on/off cycles themselves.
func TestFaultyBurstsMatchShareAndMeanLength(t *testing.T) {
	const share, mean, rounds = 0.2, 5.0, 400_000
	b := newBehaviour(t, "faulty", Params{"offline": share, "offline_mean": mean})
	r := newRand(81)
	var offs, cycles []float64 // off-burst lengths, on+off cycle lengths
	run, cycle, off := 0, 0, false
	for i := 0; i < rounds; i++ {
		now := !b.Online(nil, i, r)
		cycle++
		if now {
			run++
		}
		if off && !now { // a burst ended: close the cycle at this on round
			offs = append(offs, float64(run))
			cycles = append(cycles, float64(cycle-1))
			run, cycle = 0, 1
		}
		off = now
	}
	k := float64(len(offs))
	var sumOff, sumCyc float64
	for i := range offs {
		sumOff += offs[i]
		sumCyc += cycles[i]
	}
	gotMean := sumOff / k
	p := 1 / mean // bursts are geometric with success probability 1/mean
	if se := math.Sqrt((1-p)/(p*p)) / math.Sqrt(k); math.Abs(gotMean-mean) > 4*se {
		t.Errorf("mean burst %.3f rounds over %d bursts, want %.1f ± %.3f", gotMean, len(offs), mean, 4*se)
	}
	gotShare := sumOff / sumCyc
	var v float64
	for i := range offs {
		d := offs[i] - gotShare*cycles[i]
		v += d * d
	}
	se := math.Sqrt(v/(k-1)) / math.Sqrt(k) / (sumCyc / k)
	if math.Abs(gotShare-share) > 4*se {
		t.Errorf("offline share %.4f, want %.2f ± %.4f", gotShare, share, 4*se)
	}
}

// TestWhaleNeverAccusesMembersAndDefendsThem checks the coalition's vote
// decisions on a fake audit: the members' proofs are never checked or
// accused, an accused member gets a true vote, and a non-member's
// invalid proof is voted down.
func TestWhaleNeverAccusesMembersAndDefendsThem(t *testing.T) {
	w := newBehaviour(t, "whale", nil)
	f := newFakeAudit(DefaultRules(), []bool{false, false, false}, nil, []int{0, 1, 2})
	f.node.Class = 1
	f.classes = []int{1, 0, 1} // proofs 0 and 2 are members'
	f.trigger(Target{Index: 2})
	w.Audit(f)
	want := map[int]bool{1: false, 2: true}
	if len(f.votes) != 2 {
		t.Fatalf("votes %+v, want one on proof 1 (false) and one on proof 2 (true)", f.votes)
	}
	for _, v := range f.votes {
		if v.t.List || want[v.t.Index] != v.valid {
			t.Errorf("vote %+v, want %v on proof %d", v, want[v.t.Index], v.t.Index)
		}
	}
	for _, c := range f.checks {
		if !c.List && f.classes[c.Index] == 1 {
			t.Errorf("checked member proof %d", c.Index)
		}
	}
}
