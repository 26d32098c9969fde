package model

import "math"

// Payoff is what one cycle did to one node's money (docs/model.md §13),
// in ROE: every figure the engine counts for the node in that cycle,
// on chain and off. It is delivered once the cycle has settled.
type Payoff struct {
	Reward      ROE // bounty credited by the cycle's payout
	Slash       ROE // stake taken by the cycle's payout
	Forfeited   ROE // pending rewards lost to that slash (slash_pending)
	ClawedBack  ROE // rewards taken back by late detection in the cycle
	VoterIncome ROE // slashed stake received as a false voter
	Fees        ROE // transaction fees counted in the cycle
	WorkCost    ROE // off-chain cost of the cycle's work
	AuditCost   ROE // off-chain cost of the node's checks of the cycle's proofs
	FraudCost   ROE // costs.fraud_loss for each invalid proof the cycle paid to others (off chain)
}

// Net is the payoff's sum: rewards and voter income less everything
// else, in ROE.
func (p Payoff) Net() ROE {
	return p.Reward + p.VoterIncome - p.Slash - p.Forfeited - p.ClawedBack - p.Fees - p.WorkCost - p.AuditCost - p.FraudCost
}

// Learner is implemented by behaviours that adapt to what they earn
// (docs/model.md §13). The engine calls Payoff for every learning node,
// in node order, after each cycle settles and in cycle order, with a
// stream named by (node, cycle): a learner sees only its own payoffs.
type Learner interface {
	Payoff(n *Node, cycle int, p Payoff, r Rand)
}

// Strategy names the probability a learning behaviour plays, for the
// population means the engine reports per cycle.
type Strategy uint8

const (
	StrategyAudit Strategy = iota // the probability of checking its audit sample
	StrategyCheat                 // the probability of submitting an invalid proof
)

// Strategist is implemented by behaviours with a mixed strategy: Mixed
// returns which probability they play and its current value.
type Strategist interface {
	Mixed() (Strategy, float64)
}

// exp3 is one node's two-armed bandit learner: EXP3 (Auer, Cesa-Bianchi,
// Freund and Schapire 2002) with discounted payoff estimates. Arm 1 is the
// action whose probability the behaviour reports (audit, cheat), arm 0
// the other. After each cycle in which it played, the played arm's
// discounted estimate gains the payoff divided by the probability it was
// played with (an unbiased estimate of both arms' payoffs); the arm
// probability is gamma/2 + (1 - gamma) * logistic(eta * (S1 - S0)).
// memory < 1 discounts old estimates each cycle it plays, so the learner
// tracks opponents that move; memory = 1 is the textbook EXP3. Payoffs
// are centred on the node's running mean payoff before they are
// weighted: a baseline known before the draw leaves the estimate of
// S1 - S0 unbiased and removes the part of the payoff that does not
// depend on the action (another node's paid fraud), whose variance would
// otherwise drive the play toward 1/2.
type exp3 struct {
	eta, gamma, memory float64
	scale              float64 // ROE per payoff unit
	z                  float64 // eta * (S1 - S0)
	base               float64 // running mean payoff, in payoff units
	learned            int     // cycles learned from, for the running mean
	p                  float64 // the current probability of arm 1
	// played are the arms drawn for cycles whose payoff has not come
	// yet, in cycle order: draws and payoffs both come in cycle order,
	// so this is a queue as long as the cycles in flight.
	played []played
}

// played is the arm drawn for one cycle, kept until its payoff arrives.
type played struct {
	cycle int
	arm   bool    // arm 1
	p     float64 // the probability of arm 1 it was drawn with
}

// zLimit bounds eta*(S1-S0): beyond ±30 the logistic is 1 within 1e-13,
// and the bound keeps a long run of one-sided estimates finite.
const zLimit = 30

// baseWindow bounds the running mean's memory to about this many cycles,
// so the baseline follows a payoff level that drifts as others learn.
const baseWindow = 200

// learnParams are the parameters every adaptive kind takes.
func learnParams(start float64, startDoc string) []ParamSpec {
	return []ParamSpec{
		{Name: "start", Kind: ParamProb, Default: start, Doc: startDoc},
		{Name: "eta", Kind: ParamFloat, Default: 0.05, Doc: "step size: weight of one cycle's payoff, per scale, in the log-odds of the strategy (EXP3's learning rate)"},
		{Name: "memory", Kind: ParamProb, Default: 0.99, Doc: "factor old payoff estimates keep each cycle it plays (1: never forget, textbook EXP3; 0.99: about 100 cycles)"},
		{Name: "gamma", Kind: ParamProb, Default: 0.02, Doc: "exploration: the share of play spread evenly over both actions, so neither probability falls below gamma/2"},
		{Name: "scale", Kind: ParamAmount, Default: PerKOII, Doc: "payoff unit: a payoff of scale KOII moves the log-odds by eta / (probability of the action played)"},
	}
}

// validateLearn checks the learner parameters together.
func validateLearn(p Params, path string, probs *Problems) {
	g := p.Float("gamma")
	if g >= 1 {
		probs.Addf(path+".gamma", "must be below 1: with gamma 1 the play never depends on payoffs, got %v", g)
	}
	if s := p.Float("start"); s < g/2 || s > 1-g/2 {
		probs.Addf(path+".start", "must be in [gamma/2, 1 - gamma/2] = [%v, %v], got %v", g/2, 1-g/2, s)
	}
	if p.Float("memory") == 0 {
		probs.Addf(path+".memory", "must be above 0: memory 0 forgets every payoff before it is used")
	}
	if p.Amount("scale") <= 0 {
		probs.Addf(path+".scale", "must be above 0 KOII, got %s", p.Amount("scale"))
	}
	if eta := p.Float("eta"); eta > 1e6 {
		probs.Addf(path+".eta", "must be at most 1e6, got %v", eta)
	}
}

func newExp3(p Params) exp3 {
	l := exp3{eta: p.Float("eta"), gamma: p.Float("gamma"), memory: p.Float("memory"), scale: float64(p.Amount("scale"))}
	if l.gamma < 1 {
		x := (p.Float("start") - l.gamma/2) / (1 - l.gamma)
		l.z = clampZ(math.Log(x) - math.Log1p(-x))
	}
	l.p = l.prob()
	return l
}

func clampZ(z float64) float64 { return max(-zLimit, min(zLimit, z)) }

func (l *exp3) prob() float64 { return l.gamma/2 + (1-l.gamma)/(1+math.Exp(-l.z)) }

// draw plays cycle c: it draws arm 1 with the current probability and
// remembers the arm until the cycle's payoff comes.
func (l *exp3) draw(c int, r Rand) bool {
	one := r.Float64() < l.p
	l.played = append(l.played, played{cycle: c, arm: one, p: l.p})
	return one
}

// armOf returns the arm drawn for cycle c, if it is waiting for its
// payoff.
func (l *exp3) armOf(c int) (one, ok bool) {
	for _, p := range l.played {
		if p.cycle == c {
			return p.arm, true
		}
	}
	return false, false
}

// learn takes cycle c's payoff; a cycle the node did not play teaches it
// nothing. Arms of earlier cycles still waiting (a cycle it played whose
// payoff never came) are dropped.
func (l *exp3) learn(c int, p Payoff) {
	k := 0
	for k < len(l.played) && l.played[k].cycle < c {
		k++
	}
	if k == len(l.played) || l.played[k].cycle != c {
		l.played = append(l.played[:0], l.played[k:]...)
		return
	}
	one, pr := l.played[k].arm, l.played[k].p
	l.played = append(l.played[:0], l.played[k+1:]...)
	v := float64(p.Net()) / l.scale
	u := v - l.base
	l.learned++
	l.base += (v - l.base) / float64(min(l.learned, baseWindow))
	// Weighted by the probability the arm was drawn with, which a
	// payoff that comes cycles later may no longer be.
	if one {
		l.z = l.memory*l.z + l.eta*u/pr
	} else {
		l.z = l.memory*l.z - l.eta*u/(1-pr)
	}
	l.z = clampZ(l.z)
	l.p = l.prob()
}
