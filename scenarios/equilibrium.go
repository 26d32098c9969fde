package scenarios

import "go.yaml.in/yaml/v3"

// Equilibrium is the optional equilibrium: section of a scenario with
// learning behaviours (docs/model.md §13): the analytical mixed
// equilibrium where one is known, drawn beside the learners' path, and
// the rule of the convergence verdict in summary.json.
type Equilibrium struct {
	// Audit and Cheat are the equilibrium's audit and cheat
	// probabilities; None when the scenario states none.
	Audit, Cheat float64
	// Window is how many of the last started cycles the verdict judges.
	Window int
	// Tolerance is how far, in probability, each mean strategy may move
	// from its window mean (and, where stated, from the equilibrium).
	Tolerance float64
}

// Defaults of the equilibrium: section.
const (
	DefaultWindow    = 100
	DefaultTolerance = 0.02
)

// None marks an equilibrium probability the scenario does not state (a
// number, not NaN, so that a scenario equals itself read back).
const None = -1.0

func defaultEquilibrium() Equilibrium {
	return Equilibrium{Audit: None, Cheat: None, Window: DefaultWindow, Tolerance: DefaultTolerance}
}

// equilibriumTopKey is the optional top-level equilibrium: section; a
// scenario without one has a nil Equilibrium and writes no key.
var equilibriumTopKey = optionalSectionKey("equilibrium", "the analytical mixed equilibrium of a scenario with learners, and the rule of its convergence verdict (see equilibrium)",
	equilibriumKeys, defaultEquilibrium, func(s *Scenario) **Equilibrium { return &s.Equilibrium })

const equilibriumIntro = "For scenarios with learning behaviours (`adaptive-auditor`, `adaptive-cheat`): `koiisim run` writes the population's mean audit and cheat probabilities per cycle to `strategies.csv` and `strategies.png`, and a convergence verdict to `summary.json` (`equilibrium`). " +
	"A run judges the last `window` started cycles: a mean strategy has settled when every value in the window is within `tolerance` of the window's mean, and is at the equilibrium when that mean is within `tolerance` of the stated value. Example:\n\n" +
	"```yaml\nequilibrium: {audit: 0.25, cheat: 0.2, window: 200, tolerance: 0.03}\n```"

// equilibriumKeys are the keys of equilibrium:.
var equilibriumKeys = []key[Equilibrium]{
	probOrNone("audit", "the equilibrium's audit probability, where the scenario's derivation gives one", func(e *Equilibrium) *float64 { return &e.Audit }),
	probOrNone("cheat", "the equilibrium's cheat probability, where the scenario's derivation gives one", func(e *Equilibrium) *float64 { return &e.Cheat }),
	{name: "window", typ: "cycles (integer)", rng: ">= 2", doc: "the last started cycles the verdict judges",
		read: func(d *decoder, n *yaml.Node, path string, e *Equilibrium) {
			if v, ok := d.integer(n, path); ok {
				if v < 2 {
					d.addf(path, "must be at least 2 cycles, got %d", v)
					return
				}
				e.Window = v
			}
		},
		write: func(e *Equilibrium) *yaml.Node { return intNode(int64(e.Window)) },
	},
	{name: "tolerance", typ: "number", rng: "(0, 1]", doc: "how far each mean strategy may stray from its window mean, and that mean from the stated equilibrium",
		read: func(d *decoder, n *yaml.Node, path string, e *Equilibrium) {
			if v, ok := d.number(n, path); ok {
				if !(v > 0 && v <= 1) {
					d.addf(path, "must be in (0, 1], got %v", v)
					return
				}
				e.Tolerance = v
			}
		},
		write: func(e *Equilibrium) *yaml.Node { return floatNode(e.Tolerance) },
	},
}

// probOrNone is a probability key that may be left out (None).
func probOrNone[T any](name, doc string, at func(*T) *float64) key[T] {
	return key[T]{name: name, typ: "probability", rng: "[0, 1]", def: "none", doc: doc,
		read: func(d *decoder, n *yaml.Node, path string, t *T) {
			if v, ok := d.number(n, path); ok {
				if !(v >= 0 && v <= 1) {
					d.addf(path, "must be a probability in [0, 1], got %v", v)
					return
				}
				*at(t) = v
			}
		},
		write: func(t *T) *yaml.Node {
			if *at(t) == None {
				return nil
			}
			return floatNode(*at(t))
		},
	}
}
