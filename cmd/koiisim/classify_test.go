package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/koiisim/koiisim/reports"
)

// classifyScenario has a class named honest-evil whose behaviour is an
// attacker kind (whale) and a class named slow whose behaviour is
// honest: names that say the opposite of what the nodes do.
const classifyScenario = `name: classify
description: Class names that lie about their behaviour.
seed: 3
rounds: 6
task: {total_bounty: 1000}
populations:
  - {name: honest, count: 20, stake: 10}
  - {name: slow, class: slow, count: 5, stake: 10, submit_delay: {dist: uniform, min: 0, max: 900}}
  - {name: evil, class: honest-evil, count: 3, stake: 10, behaviour: {kind: whale, invalid: 1}}
sweep:
  replicates: 1
  vary:
    - {path: rules.slash_fraction, values: [0.2, 0.8]}
    - {path: populations.slow.count, values: [3, 5]}
`

// TestClassesAreClassifiedByTheRegistry: the printed attack table, the
// run report's non-honest classes, the sweep's break-even figures and
// rewards lost to attackers all classify a class by what the behaviour
// registry says of its kind (model.Kind.Honest, Kind.Attacker), never
// by its name: honest-evil is followed, slow is not.
func TestClassesAreClassifiedByTheRegistry(t *testing.T) {
	path := scenarioFile(t, classifyScenario)
	dir := filepath.Join(t.TempDir(), "run")
	out := koiisimOK(t, "run", path, "--out", dir)
	if !strings.Contains(out, "bounty%") {
		t.Errorf("no attack table, though honest-evil is a whale:\n%s", out)
	}
	run, err := reports.ReadRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := run.Coalitions(); !slices.Equal(got, []string{"honest-evil"}) {
		t.Errorf("the run report follows %v, want [honest-evil]", got)
	}
	summary, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(summary), `"rewards_lost_to_attackers": null`) || !strings.Contains(string(summary), `"rewards_lost_to_attackers": 0`) {
		t.Errorf("rewards_lost_to_attackers: want null for honest-evil and a number for the others")
	}

	sweep := filepath.Join(t.TempDir(), "sweep")
	koiisimOK(t, "sweep", path, "--out", sweep, "-q", "--metrics", "honest.net_profit,slow.net_profit,honest-evil.net_profit")
	koiisimOK(t, "report", sweep)
	for name, want := range map[string]bool{"honest-evil": true, "slow": false, "honest": false} {
		_, err := os.Stat(filepath.Join(sweep, "plots", "sweep-heatmap-"+name+".svg"))
		if got := err == nil; got != want {
			t.Errorf("sweep break-even figure of %s: drawn %v, want %v", name, got, want)
		}
	}

	namedHonest := scenarioFile(t, strings.Replace(classifyScenario, "  - {name: slow, class: slow, count: 5, stake: 10, submit_delay: {dist: uniform, min: 0, max: 900}}\n", "", 1))
	out = koiisimOK(t, "run", namedHonest, "--out", filepath.Join(t.TempDir(), "named"))
	if !strings.Contains(out, "bounty%") {
		t.Errorf("no attack table for honest and honest-evil, a whale:\n%s", out)
	}
	honestOnly := scenarioFile(t, strings.Replace(classifyScenario, "  - {name: evil, class: honest-evil, count: 3, stake: 10, behaviour: {kind: whale, invalid: 1}}\n", "", 1))
	out = koiisimOK(t, "run", honestOnly, "--out", filepath.Join(t.TempDir(), "honest"))
	if strings.Contains(out, "bounty%") {
		t.Errorf("an attack table for honest and slow, both honest kinds:\n%s", out)
	}
}
