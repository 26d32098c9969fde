package metrics

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"

	"github.com/koiisim/koiisim/sim"
)

// StrategyPath is the path of a run's mean strategies (docs/model.md
// §13): per started cycle, the population's mean audit and cheat
// probabilities once the cycle's payoffs were learned from. NaN where no
// node plays that strategy.
type StrategyPath struct {
	Cycle            []int
	Audit, Cheat     []float64
	Auditors, Cheats []int
}

// Add records a cycle's row; rows without strategies, and cycles that
// never started, add nothing.
func (p *StrategyPath) Add(r *sim.CycleRow) {
	if r.Strategies == nil || !r.Started {
		return
	}
	s := r.Strategies
	p.Cycle = append(p.Cycle, r.Cycle)
	p.Audit = append(p.Audit, s.Audit)
	p.Cheat = append(p.Cheat, s.Cheat)
	p.Auditors = append(p.Auditors, s.Auditors)
	p.Cheats = append(p.Cheats, s.Cheats)
}

// Len is the number of cycles recorded.
func (p *StrategyPath) Len() int { return len(p.Cycle) }

// StrategiesHeader is the header of strategies.csv.
var StrategiesHeader = []string{"cycle", "mean_audit", "mean_cheat", "auditors", "cheats"}

// CSV returns strategies.csv: one row per started cycle; a mean over no
// node is empty.
func (p *StrategyPath) CSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(StrategiesHeader)
	for i, c := range p.Cycle {
		w.Write([]string{strconv.Itoa(c), prob(p.Audit[i]), prob(p.Cheat[i]), strconv.Itoa(p.Auditors[i]), strconv.Itoa(p.Cheats[i])})
	}
	w.Flush()
	return b.Bytes()
}

func prob(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'f', 6, 64)
}

// Verdict is summary.json's equilibrium: whether the mean strategies
// settled over the last Window started cycles, and where the scenario
// states the analytical equilibrium, whether they settled on it.
type Verdict struct {
	Window    int     `json:"window"`
	Tolerance float64 `json:"tolerance"`
	// Converged: every strategy played settled (each value of the
	// window within Tolerance of the window's mean) and, where an
	// equilibrium is stated, its mean is within Tolerance of it.
	Converged bool             `json:"converged"`
	Audit     *StrategyVerdict `json:"audit,omitempty"`
	Cheat     *StrategyVerdict `json:"cheat,omitempty"`
}

// StrategyVerdict judges one mean strategy over the window.
type StrategyVerdict struct {
	Mean    float64 `json:"mean"`
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
	Settled bool    `json:"settled"`
	// Equilibrium is the scenario's value, nil when it states none;
	// AtEquilibrium is nil then too.
	Equilibrium   *float64 `json:"equilibrium"`
	AtEquilibrium *bool    `json:"at_equilibrium"`
}

// Rule is how a path is judged (a scenario's equilibrium: section): the
// last Window cycles, Tolerance, and the stated equilibrium's Audit and
// Cheat probabilities, negative where none is stated.
type Rule struct {
	Audit, Cheat float64
	Window       int
	Tolerance    float64
}

// Judge returns the verdict over the last eq.Window cycles (all of them
// when the run is shorter), or nil for a path with no cycle.
func (p *StrategyPath) Judge(eq Rule) *Verdict {
	if p.Len() == 0 {
		return nil
	}
	from := max(0, p.Len()-eq.Window)
	v := &Verdict{Window: p.Len() - from, Tolerance: eq.Tolerance, Converged: true}
	judge := func(xs []float64, want float64) *StrategyVerdict {
		w := xs[from:]
		if math.IsNaN(w[0]) {
			return nil
		}
		s := &StrategyVerdict{Min: w[0], Max: w[0]}
		for _, x := range w {
			s.Mean += x
			s.Min, s.Max = min(s.Min, x), max(s.Max, x)
		}
		s.Mean /= float64(len(w))
		s.Settled = s.Max-s.Mean <= eq.Tolerance && s.Mean-s.Min <= eq.Tolerance
		v.Converged = v.Converged && s.Settled
		if want >= 0 {
			at := math.Abs(s.Mean-want) <= eq.Tolerance
			s.Equilibrium, s.AtEquilibrium = &want, &at
			v.Converged = v.Converged && at
		}
		return s
	}
	v.Audit = judge(p.Audit, eq.Audit)
	v.Cheat = judge(p.Cheat, eq.Cheat)
	return v
}

// StrategyMetrics are the run figures of a run with learners: its
// equilibrium verdict as numbers (docs/model.md §13.3), so that a sweep,
// an assertion, a baseline, frontier or optimize can name them. A run
// without learners has none of them (AddEquilibrium is not called).
var StrategyMetrics = []Metric{
	{"mean_audit_probability", "fraction", "the adaptive auditors' mean audit probability over the equilibrium window (summary.json's equilibrium.audit.mean); undefined without adaptive auditors"},
	{"mean_cheat_probability", "fraction", "the adaptive cheats' mean cheat probability over the equilibrium window (equilibrium.cheat.mean); undefined without adaptive cheats"},
	{"converged", "fraction", "1 when every mean strategy settled over the window (and on the stated equilibrium, where one is stated), else 0 (equilibrium.converged); over replicates, the share that converged"},
}

// AddEquilibrium puts the figures of verdict v (StrategyMetrics) in f.
func AddEquilibrium(f *Figures, v *Verdict) {
	f.Strategies = true
	mean := func(s *StrategyVerdict) Value {
		if s == nil {
			return Value{Missing: true}
		}
		return number(s.Mean)
	}
	f.Run["mean_audit_probability"] = mean(v.Audit)
	f.Run["mean_cheat_probability"] = mean(v.Cheat)
	converged := 0
	if v.Converged {
		converged = 1
	}
	f.Run["converged"] = count(converged)
}
