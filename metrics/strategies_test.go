package metrics

import (
	"math"
	"strings"
	"testing"

	"github.com/koiisim/koiisim/sim"
)

func pathOf(audit []float64) *StrategyPath {
	var p StrategyPath
	for i, a := range audit {
		p.Add(&sim.CycleRow{Cycle: i, Started: true, Strategies: &sim.StrategyMeans{Audit: a, Cheat: math.NaN(), Auditors: 3}})
	}
	return &p
}

// TestVerdictJudgesOnlyTheLastWindow: a path that wandered and then
// settled within the tolerance converges; one that still moves does
// not; a stated equilibrium far from the window mean fails the verdict.
func TestVerdictJudgesOnlyTheLastWindow(t *testing.T) {
	eq := Rule{Audit: -1, Cheat: -1, Window: 4, Tolerance: 0.02}
	settled := pathOf([]float64{0.9, 0.1, 0.5, 0.51, 0.49, 0.5})
	v := settled.Judge(eq)
	if !v.Converged || v.Window != 4 || v.Cheat != nil || math.Abs(v.Audit.Mean-0.5) > 1e-12 || v.Audit.Equilibrium != nil {
		t.Errorf("settled path: %+v %+v", v, v.Audit)
	}
	moving := pathOf([]float64{0.5, 0.5, 0.5, 0.45, 0.5, 0.55})
	if v := moving.Judge(eq); v.Converged || v.Audit.Settled {
		t.Errorf("moving path converged: %+v", v.Audit)
	}
	eq.Audit = 0.3
	if v := settled.Judge(eq); v.Converged || *v.Audit.AtEquilibrium {
		t.Errorf("settled away from the stated equilibrium 0.3 but judged at it: %+v", v.Audit)
	}
	eq.Audit = 0.49
	if v := settled.Judge(eq); !v.Converged || !*v.Audit.AtEquilibrium {
		t.Errorf("settled within 0.02 of 0.49 but not judged at it: %+v", v.Audit)
	}
}

// TestStrategiesCSVLeavesUnplayedEmpty: a strategy no node plays is an
// empty cell, not NaN.
func TestStrategiesCSVLeavesUnplayedEmpty(t *testing.T) {
	got := string(pathOf([]float64{0.25}).CSV())
	if want := "cycle,mean_audit,mean_cheat,auditors,cheats\n0,0.250000,,3,0\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if strings.Contains(got, "NaN") {
		t.Error("NaN in the CSV")
	}
}

// TestEquilibriumFiguresAreTheVerdict: a run with learners reports its
// verdict's means and convergence as run figures, a strategy no node
// plays is undefined, and a run without learners has no such figure.
func TestEquilibriumFiguresAreTheVerdict(t *testing.T) {
	v := pathOf([]float64{0.9, 0.1, 0.5, 0.51, 0.49, 0.5}).Judge(Rule{Audit: -1, Cheat: -1, Window: 4, Tolerance: 0.02})
	f := &Figures{Run: map[string]Value{}}
	if _, ok := Lookup(f, "run.converged"); ok {
		t.Fatal("a run without learners has run.converged")
	}
	AddEquilibrium(f, v)
	audit, _ := Lookup(f, "run.mean_audit_probability")
	cheat, _ := Lookup(f, "run.mean_cheat_probability")
	conv, ok := Lookup(f, "run.converged")
	if !ok || audit.Float() != v.Audit.Mean || !cheat.Missing || conv.Float() != 1 {
		t.Errorf("audit %v, cheat %+v, converged %v; want %v, missing, 1", audit.Float(), cheat, conv.Float(), v.Audit.Mean)
	}
	moving := pathOf([]float64{0.5, 0.5, 0.5, 0.45, 0.5, 0.55}).Judge(Rule{Audit: -1, Cheat: -1, Window: 4, Tolerance: 0.02})
	AddEquilibrium(f, moving)
	if conv, _ := Lookup(f, "run.converged"); conv.Float() != 0 {
		t.Errorf("a path that did not settle: converged %v, want 0", conv.Float())
	}
	for _, m := range StrategyMetrics {
		if got, ok := LookupMetric("run." + m.Name); !ok || got != m {
			t.Errorf("LookupMetric(run.%s) = %+v, %v", m.Name, got, ok)
		}
	}
}
