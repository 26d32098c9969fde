package main

import (
	"fmt"
	"path/filepath"

	"github.com/koiisim/koiisim/experiment"
	"github.com/koiisim/koiisim/internal/atomicfile"
	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/reports"
	"github.com/koiisim/koiisim/scenarios"
)

// writeStrategies draws strategies.png for a run with learning
// behaviours (experiment.RunOne wrote strategies.csv and the verdict)
// and prints the verdict (docs/model.md §13); a run without learners
// does nothing.
func writeStrategies(e *env, s *scenarios.Scenario, dir string, run *experiment.Run) int {
	if run.Strategies.Len() == 0 {
		return exitOK
	}
	png, err := reports.Render(reports.StrategiesFigure(run.Strategies, experiment.StrategyRule(s)), reports.NewStyles([]string{"honest", "faulty"}), "png")
	if err == nil {
		err = atomicfile.WriteFile(filepath.Join(dir, "strategies.png"), png)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim run: writing strategies.png: %v\n", err)
		return exitRuntime
	}
	v := run.Equilibrium
	fmt.Fprintf(e.stdout, "strategies: over the last %d cycles", v.Window)
	for _, sv := range []struct {
		name string
		v    *metrics.StrategyVerdict
	}{{"audit", v.Audit}, {"cheat", v.Cheat}} {
		if sv.v == nil {
			continue
		}
		fmt.Fprintf(e.stdout, "; mean %s %.4f [%.4f, %.4f]", sv.name, sv.v.Mean, sv.v.Min, sv.v.Max)
		if sv.v.Equilibrium != nil {
			fmt.Fprintf(e.stdout, " (equilibrium %.4f)", *sv.v.Equilibrium)
		}
	}
	verdict := "not converged"
	if v.Converged {
		verdict = "converged"
	}
	fmt.Fprintf(e.stdout, ": %s within ±%g; wrote %s and %s\n", verdict, v.Tolerance, filepath.Join(dir, "strategies.csv"), filepath.Join(dir, "strategies.png"))
	return exitOK
}
