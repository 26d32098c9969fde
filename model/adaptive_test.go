package model

import (
	"math"
	"testing"
)

func adaptiveParams(t *testing.T, kind string, set Params) Params {
	t.Helper()
	k, ok := LookupKind(kind)
	if !ok {
		t.Fatalf("no kind %s", kind)
	}
	p := k.DefaultParams()
	for name, v := range set {
		p[name] = v
	}
	return p
}

// TestExp3StartsAtStart: the learner plays its start probability until
// it learns.
func TestExp3StartsAtStart(t *testing.T) {
	for _, start := range []float64{0.01, 0.3, 0.5, 0.99} {
		l := newExp3(adaptiveParams(t, "adaptive-auditor", Params{"start": start}))
		if math.Abs(l.p-start) > 1e-12 {
			t.Errorf("start %v: plays %v", start, l.p)
		}
	}
}

// TestExp3LearnsTheBetterArm: against fixed payoffs (arm 1 pays -1 KOII,
// arm 0 pays -2 KOII), EXP3 moves its play to arm 1 up to its
// exploration floor, and with the payoffs swapped to arm 0.
func TestExp3LearnsTheBetterArm(t *testing.T) {
	for _, oneBetter := range []bool{true, false} {
		l := newExp3(adaptiveParams(t, "adaptive-cheat", Params{"memory": 1.0, "gamma": 0.02, "eta": 0.05}))
		r := newRand(41)
		for c := 0; c < 3000; c++ {
			one := l.draw(c, r)
			pay := -2 * PerKOII
			if one == oneBetter {
				pay = -PerKOII
			}
			l.learn(c, Payoff{WorkCost: -pay})
		}
		want := 1 - l.gamma/2
		if !oneBetter {
			want = l.gamma / 2
		}
		if math.Abs(l.p-want) > 0.01 {
			t.Errorf("arm 1 better %v: plays arm 1 with %v, want about %v", oneBetter, l.p, want)
		}
	}
}

// TestExp3IgnoresCyclesNotPlayed: a payoff of a cycle the learner did
// not play, or already learned from, changes nothing.
func TestExp3IgnoresCyclesNotPlayed(t *testing.T) {
	l := newExp3(adaptiveParams(t, "adaptive-auditor", nil))
	before := l.p
	l.learn(3, Payoff{Reward: PerKOII})
	if l.p != before {
		t.Fatalf("learned from a cycle it did not play: %v -> %v", before, l.p)
	}
	l.draw(4, newRand(42))
	l.learn(4, Payoff{Reward: PerKOII})
	after := l.p
	l.learn(4, Payoff{Reward: PerKOII})
	if l.p != after || after == before {
		t.Errorf("cycle 4 learned %v -> %v, then again -> %v", before, after, l.p)
	}
}

// TestPayoffNetCountsEveryTerm: Net adds income and subtracts each cost.
func TestPayoffNetCountsEveryTerm(t *testing.T) {
	p := Payoff{Reward: 200, VoterIncome: 20, Slash: 1, Forfeited: 2, Fees: 4, WorkCost: 8, AuditCost: 16, FraudCost: 32, ClawedBack: 64}
	if got := p.Net(); got != 220-127 {
		t.Errorf("Net = %d, want 93", got)
	}
}

// TestLearnParamsValidated: bad learner parameters are problems with
// their path.
func TestLearnParamsValidated(t *testing.T) {
	for _, tc := range []struct {
		set  Params
		path string
	}{
		{Params{"gamma": 1.0}, "b.gamma"},
		{Params{"gamma": 0.2, "start": 0.05}, "b.start"},
		{Params{"memory": 0.0}, "b.memory"},
		{Params{"scale": ROE(0)}, "b.scale"},
	} {
		var probs Problems
		k, _ := LookupKind("adaptive-auditor")
		k.Validate(adaptiveParams(t, "adaptive-auditor", tc.set), "b", &probs)
		found := false
		for _, p := range probs {
			found = found || p.Path == tc.path
		}
		if !found {
			t.Errorf("%v: no problem at %s, got %v", tc.set, tc.path, probs)
		}
	}
}

// TestAdaptiveCheatCheatsForFree: a cheat's invalid proof costs no work;
// its honest work does.
func TestAdaptiveCheatCheatsForFree(t *testing.T) {
	c := &AdaptiveCheat{newExp3(adaptiveParams(t, "adaptive-cheat", Params{"start": 0.5}))}
	r := newRand(43)
	cheats := 0
	for i := 0; i < 2000; i++ {
		w := c.Work(nil, i, r)
		if (w.Outcome == Invalid) == w.Worked {
			t.Fatalf("cycle %d: %+v", i, w)
		}
		if w.Outcome == Invalid {
			cheats++
		}
	}
	// Binomial(2000, 0.5): sd 22.4; 4 sd.
	if math.Abs(float64(cheats)-1000) > 4*22.4 {
		t.Errorf("cheated %d of 2000 at p 0.5", cheats)
	}
}

// TestExp3LearnsAcrossALongLag: payoffs that come many cycles after the
// draws (a long payment_lag) are each learned once, in order, and an
// arm whose payoff never comes is dropped when a later one arrives.
func TestExp3LearnsAcrossALongLag(t *testing.T) {
	l := newExp3(adaptiveParams(t, "adaptive-auditor", nil))
	r := newRand(44)
	for c := 0; c < 20; c++ {
		l.draw(c, r)
	}
	for c := 0; c < 20; c++ {
		if c == 5 {
			continue // cycle 5's payoff never comes
		}
		l.learn(c, Payoff{Reward: PerKOII})
	}
	if l.learned != 19 || len(l.played) != 0 {
		t.Errorf("learned %d payoffs with %d arms waiting, want 19 and 0", l.learned, len(l.played))
	}
}

// TestExp3WeightsByTheDrawProbability: a payoff is divided by the
// probability its arm was drawn with, not the one the learner plays when
// the payoff comes.
func TestExp3WeightsByTheDrawProbability(t *testing.T) {
	l := newExp3(adaptiveParams(t, "adaptive-auditor", Params{"start": 0.5, "gamma": 0.0, "memory": 1.0, "eta": 1.0}))
	r := newRand(45)
	for !l.draw(0, r) {
		l.played = l.played[:0] // until cycle 0 draws arm 1 at p = 1/2
	}
	l.z = 3 // the play moved before the payoff came
	l.p = l.prob()
	l.learn(0, Payoff{Reward: PerKOII})
	if want := 3 + 1/0.5; math.Abs(l.z-want) > 1e-12 {
		t.Errorf("z = %v, want %v (payoff 1 / draw probability 1/2)", l.z, want)
	}
}
