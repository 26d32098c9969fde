package sim

import (
	"testing"

	"github.com/koiisim/koiisim/model"
)

// testKinds are the built-in behaviours and the test ones, registered
// under names no scenario uses, in a registry of the tests' own
// (model.Default is left alone). Each test kind does one thing a
// protocol test needs and is honest otherwise; config and randomConfig
// set it as the configuration's registry.
var testKinds = func() *model.Registry {
	r := model.Default.Clone()
	// test-accuser votes false on every other submission it sees, at its
	// audit slot, and is honest on lists.
	r.Register(model.Kind{Name: "test-accuser", New: func(model.Params, *model.Population) func(*model.Node) model.Behaviour {
		return func(*model.Node) model.Behaviour { return accuser{} }
	}})
	// test-badbuilder works honestly but always builds a corrupt list.
	r.Register(model.Kind{Name: "test-badbuilder", New: func(model.Params, *model.Population) func(*model.Node) model.Behaviour {
		return func(*model.Node) model.Behaviour { return badBuilder{} }
	}})
	// test-cheat always submits invalid work and is honest otherwise.
	r.Register(model.Kind{Name: "test-cheat", New: func(model.Params, *model.Population) func(*model.Node) model.Behaviour {
		return func(*model.Node) model.Behaviour { return cheat{} }
	}})
	// test-flaky submits invalid work with probability invalid in each
	// cycle and is honest otherwise (faulty also builds wrong lists).
	r.Register(model.Kind{Name: "test-flaky",
		Params: []model.ParamSpec{{Name: "invalid", Kind: model.ParamProb, Default: 0.0}},
		New: func(p model.Params, _ *model.Population) func(*model.Node) model.Behaviour {
			q := p.Float("invalid")
			return func(*model.Node) model.Behaviour { return flaky{q: q} }
		}})
	// test-grinder grinds selection with `grind` variants.
	r.Register(model.Kind{Name: "test-grinder",
		Params: []model.ParamSpec{{Name: "grind", Kind: model.ParamInt, Default: 0}},
		New: func(p model.Params, _ *model.Population) func(*model.Node) model.Behaviour {
			g := p.Int("grind")
			return func(*model.Node) model.Behaviour { return grinder{g} }
		}})
	return r
}()

type accuser struct{ model.Honest }

func (accuser) Audit(a model.Audit) {
	for i := 0; i < a.Submissions(); i++ {
		a.Vote(model.Target{Index: i}, false)
	}
	for i := 0; i < a.Lists(); i++ {
		model.ReviewHonestly(a, model.Target{List: true, Index: i})
	}
}

type badBuilder struct{ model.Honest }

func (badBuilder) BuildList(b model.Builder) *model.List { return model.Corrupt(b.Correct()) }

type cheat struct{ model.Honest }

func (cheat) Work(*model.Node, int, model.Rand) model.Work {
	return model.Work{Outcome: model.Invalid}
}

type flaky struct {
	model.Honest
	q float64
}

func (f flaky) Work(_ *model.Node, _ int, r model.Rand) model.Work {
	if r.Float64() < f.q {
		return model.Work{Outcome: model.Invalid, Worked: true}
	}
	return model.Work{Outcome: model.Valid, Worked: true}
}

type grinder struct {
	g int
}

func (grinder) Online(*model.Node, int, model.Rand) bool { return true }
func (g grinder) Work(*model.Node, int, model.Rand) model.Work {
	return model.Work{Outcome: model.Valid, Worked: true, Grind: g.g}
}
func (grinder) Audit(a model.Audit)                   { model.AuditHonestly(a) }
func (grinder) Answer(a model.Audit, t model.Target)  { model.ReviewHonestly(a, t) }
func (grinder) BuildList(b model.Builder) *model.List { return b.Correct() }

// pop returns a population of count nodes of a behaviour kind, with a
// fixed stake of 10 KOII, 1 KOII of balance, proofs in the first half of
// the submission window and audits anywhere in the audit window.
func pop(name, kind string, count int) model.Population {
	k, ok := testKinds.Lookup(kind)
	if !ok {
		panic("no behaviour " + kind)
	}
	return model.Population{
		Name: name, Count: count, Stake: model.Fixed(10), Balance: model.PerKOII,
		Behaviour:   model.BehaviourSpec{Kind: kind, Params: k.DefaultParams()},
		SubmitDelay: model.Uniform(0, 299), AuditDelay: model.Uniform(0, 599),
	}
}

// config returns the koii defaults with a bounty for many rounds and the
// given populations.
func config(pops ...model.Population) *model.Config {
	cfg := model.DefaultConfig()
	cfg.Task.TotalBounty = 100_000 * model.PerKOII
	cfg.Populations = pops
	cfg.Registry = testKinds
	return &cfg
}

// runRows runs cfg and returns the result and every cycle row (copied).
func runRows(t testing.TB, cfg *model.Config, seed uint64, rounds int) (*Result, []CycleRow) {
	t.Helper()
	var rows []CycleRow
	res, err := Run(cfg, Options{Seed: seed, Rounds: rounds, OnCycle: func(r *CycleRow) error {
		c := *r
		c.Classes = append([]Counters(nil), r.Classes...)
		rows = append(rows, c)
		return nil
	}})
	if err != nil {
		t.Fatalf("run (seed %d, %d rounds): %v", seed, rounds, err)
	}
	return res, rows
}

// classTotal returns the run's totals for a class by name.
func classTotal(t testing.TB, res *Result, class string) Counters {
	t.Helper()
	for i, c := range res.Classes {
		if c == class {
			return res.Totals[i]
		}
	}
	t.Fatalf("no class %q in %v", class, res.Classes)
	return Counters{}
}
