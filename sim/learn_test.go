package sim

import (
	"reflect"
	"testing"

	"github.com/koiisim/koiisim/model"
)

func init() {
	// test-recorder is an honest node that records every payoff the
	// engine hands it.
	testKinds.Register(model.Kind{Name: "test-recorder", New: func(model.Params, *model.Population) func(*model.Node) model.Behaviour {
		return func(*model.Node) model.Behaviour { return &recorder{} }
	}})
}

type recorder struct {
	model.Honest
	cycles  []int
	payoffs []model.Payoff
}

func (r *recorder) Payoff(_ *model.Node, c int, p model.Payoff, _ model.Rand) {
	r.cycles = append(r.cycles, c)
	r.payoffs = append(r.payoffs, p)
}

// TestLearnerSeesEachCyclePayoffOnceInOrder: a learner gets one payoff
// per cycle, in cycle order, and its payoffs add up to its run figures.
func TestLearnerSeesEachCyclePayoffOnceInOrder(t *testing.T) {
	cfg := config(pop("rec", "test-recorder", 20), pop("cheat", "test-cheat", 3))
	cfg.Costs.WorkCost = model.PerKOII / 100
	cfg.Costs.AuditCost = model.PerKOII / 1000
	cfg.Rules.SlashDestination = model.SlashVoters
	cfg.Rules.InitiatorShare = model.One / 2
	e, err := newEngine(cfg, Options{Seed: 7, Rounds: 30, MaxEvents: DefaultMaxEvents})
	if err != nil {
		t.Fatal(err)
	}
	e.run()
	if e.err != nil {
		t.Fatal(e.err)
	}
	res := e.result()
	for i := 0; i < 20; i++ {
		rec := e.nodes[i].Behaviour.(*recorder)
		if len(rec.cycles) != res.LastRound+1 {
			t.Fatalf("node %d got %d payoffs, want one per cycle (%d)", i, len(rec.cycles), res.LastRound+1)
		}
		var sum model.Payoff
		for k, c := range rec.cycles {
			if c != k {
				t.Fatalf("node %d: payoff %d is of cycle %d", i, k, c)
			}
			p := rec.payoffs[k]
			sum.Reward += p.Reward
			sum.Slash += p.Slash
			sum.VoterIncome += p.VoterIncome
			sum.Fees += p.Fees
			sum.WorkCost += p.WorkCost
			sum.AuditCost += p.AuditCost
		}
		n := res.Nodes[i]
		want := model.Payoff{Reward: n.Rewards, Slash: n.Slash, VoterIncome: n.VoterIncome, Fees: n.Fees, WorkCost: n.WorkCost, AuditCost: n.AuditCost}
		if sum != want {
			t.Errorf("node %d: payoffs sum to %+v, its run figures are %+v", i, sum, want)
		}
	}
}

// TestLearnersDoNotChangeTheRun: a run whose honest nodes are learners
// that do nothing with their payoffs has the same figures as the plain
// run (a learner's figures of each cycle are a copy kept beside its
// run figures).
func TestLearnersDoNotChangeTheRun(t *testing.T) {
	plain := config(pop("n", "honest", 30), pop("cheat", "test-cheat", 2))
	learn := config(pop("n", "test-recorder", 30), pop("cheat", "test-cheat", 2))
	learn.Populations[0].Behaviour.Kind = "test-recorder"
	a, err := Run(plain, Options{Seed: 3, Rounds: 25})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(learn, Options{Seed: 3, Rounds: 25})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Nodes {
		a.Nodes[i].Behaviour, b.Nodes[i].Behaviour = "", ""
	}
	if !reflect.DeepEqual(a.Totals, b.Totals) || !reflect.DeepEqual(a.Nodes, b.Nodes) {
		t.Errorf("learners changed the run:\n%+v\n%+v", a.Totals, b.Totals)
	}
}

// TestFraudCostChargedToHonestNodesPerPaidInvalidProof: with nobody
// auditing, every invalid proof is paid, and each honest node loses
// fraud_loss for each one, off chain; the cheats lose nothing and the
// ledger is the same as without the cost.
func TestFraudCostChargedToHonestNodesPerPaidInvalidProof(t *testing.T) {
	mk := func(loss model.ROE) *model.Config {
		lazy := pop("lazy", "lazy", 10) // checks nothing, approves nothing
		lazy.Behaviour.Params["approve"] = false
		cfg := config(lazy, pop("cheat", "test-cheat", 2))
		cfg.Costs.FraudLoss = loss
		return cfg
	}
	loss := 3 * model.PerKOII
	with, rows := runRows(t, mk(loss), 5, 12)
	without, _ := runRows(t, mk(0), 5, 12)
	paid := classTotal(t, with, "test-cheat").MissedDetections
	if paid == 0 {
		t.Fatal("no invalid proof was paid: the test needs some")
	}
	for _, n := range with.Nodes {
		if n.Population == "lazy" && n.FraudCost != loss*model.ROE(paid) {
			t.Errorf("node %d: fraud loss %s, want %s for %d paid invalid proofs", n.ID, n.FraudCost, loss*model.ROE(paid), paid)
		}
	}
	// A cheat bears the loss only in cycles it sent no invalid proof in
	// (the cheats audit each other, are slashed and fall below the
	// minimum stake).
	for _, r := range rows {
		c := r.Classes[1]
		if want := loss * model.ROE(c.MissedDetections*(2-c.Invalid)); c.FraudCost != want {
			t.Errorf("cycle %d: the cheats bore %s, want %s (%d paid, %d cheated)", r.Cycle, c.FraudCost, want, c.MissedDetections, c.Invalid)
		}
	}
	if with.Ledger != without.Ledger {
		t.Errorf("fraud_loss moved the ledger: %v vs %v", with.Ledger, without.Ledger)
	}
	lw, lo := classTotal(t, with, "lazy"), classTotal(t, without, "lazy")
	if lw.NetProfit() != lo.NetProfit()-10*loss*model.ROE(paid) {
		t.Errorf("net profit does not count the fraud loss")
	}
}

// TestFraudCostSparesAttackers: nodes of an attacker kind bear no
// fraud_loss.
func TestFraudCostSparesAttackers(t *testing.T) {
	whale := pop("whale", "whale", 3)
	whale.Behaviour.Params["invalid"] = 1.0
	lazy := pop("lazy", "lazy", 5)
	lazy.Behaviour.Params["approve"] = false
	cfg := config(lazy, whale)
	cfg.Costs.FraudLoss = model.PerKOII
	res, err := Run(cfg, Options{Seed: 2, Rounds: 8})
	if err != nil {
		t.Fatal(err)
	}
	if w := classTotal(t, res, "whale"); w.FraudCost != 0 || w.MissedDetections == 0 {
		t.Errorf("whale: fraud loss %s over %d paid invalid proofs, want 0 over some", w.FraudCost, w.MissedDetections)
	}
	if classTotal(t, res, "lazy").FraudCost == 0 {
		t.Error("honest lazies bore no fraud loss")
	}
}

// TestStrategyMeansPerCycle: the rows of a run with adaptive nodes carry
// the mean strategies, within [0, 1], and a run without has none.
func TestStrategyMeansPerCycle(t *testing.T) {
	cfg := config(pop("aud", "adaptive-auditor", 10), pop("cheat", "adaptive-cheat", 10))
	_, rows := runRows(t, cfg, 4, 20)
	for _, r := range rows {
		s := r.Strategies
		if s == nil || s.Auditors != 10 || s.Cheats != 10 || !(s.Audit >= 0 && s.Audit <= 1) || !(s.Cheat >= 0 && s.Cheat <= 1) {
			t.Fatalf("cycle %d: strategies %+v", r.Cycle, s)
		}
	}
	_, rows = runRows(t, config(pop("n", "honest", 5)), 4, 5)
	if rows[0].Strategies != nil {
		t.Errorf("a run without strategists reports strategies %+v", rows[0].Strategies)
	}
}

// TestAdaptiveRunIsReproducible: the same (config, seed) gives the same
// rows and results, learning included.
func TestAdaptiveRunIsReproducible(t *testing.T) {
	cfg := config(pop("aud", "adaptive-auditor", 15), pop("cheat", "adaptive-cheat", 15))
	cfg.Costs.FraudLoss = model.PerKOII
	cfg.Costs.AuditCost = model.PerKOII / 10
	a, ra := runRows(t, cfg, 11, 40)
	b, rb := runRows(t, cfg, 11, 40)
	if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(ra, rb) {
		t.Error("two runs of the same config and seed differ")
	}
}
