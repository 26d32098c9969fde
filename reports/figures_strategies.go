package reports

import (
	"math"

	"github.com/koiisim/koiisim/metrics"
)

// StrategiesFigure draws the path of a run's mean strategies, with the stated
// equilibrium as flat lines.
func StrategiesFigure(p *metrics.StrategyPath, eq metrics.Rule) Figure {
	x := make([]float64, p.Len())
	for i, c := range p.Cycle {
		x[i] = float64(c)
	}
	idx := thin(len(x))
	panel := Panel{Title: "mean strategies", XLabel: "cycle", YLabel: "probability", YFromZero: true}
	add := func(label, key string, ys []float64, want float64) {
		if len(ys) == 0 || math.IsNaN(ys[0]) {
			return
		}
		panel.Series = append(panel.Series, Series{Label: label, Key: key, X: pick(x, idx), Y: pick(ys, idx)})
		if want >= 0 {
			flat := []float64{want, want}
			panel.Series = append(panel.Series, Series{Label: label + " at equilibrium", Key: key, Alt: true,
				X: []float64{x[0], x[len(x)-1]}, Y: flat})
		}
	}
	add("mean audit probability", "honest", p.Audit, eq.Audit)
	add("mean cheat probability", "faulty", p.Cheat, eq.Cheat)
	return Figure{Name: "strategies", Title: "Learners' mean strategies per cycle",
		Caption: "The population's mean audit and cheat probabilities after each cycle's payoffs; thin flat lines: the analytical mixed equilibrium the scenario states.",
		Panels:  []Panel{panel}}
}
