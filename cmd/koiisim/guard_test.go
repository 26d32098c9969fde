package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeScenario writes a small scenario with an assert: section.
func writeScenario(t *testing.T, asserts string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "guarded.yaml")
	body := `name: guarded
description: a whale that cheats among honest auditors
rounds: 20
rules: {audit_sample: all}
populations:
  - {name: honest, count: 20, stake: 10}
  - {name: whale, class: whale, count: 3, stake: 10, behaviour: {kind: whale, invalid: 1}}
assert:
` + asserts
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestAssertionsPassAndFail: a passing check exits 0; a scenario built
// to fail exits 3, says FAIL with the observed value, and its JUnit file
// is valid XML with the right counts.
func TestAssertionsPassAndFail(t *testing.T) {
	pass := writeScenario(t, "  - {name: whale loses, metric: whale.net_profit, op: '<', value: 0}\n")
	if code, out, errs := koiisim(t, "run", pass, "--out", t.TempDir(), "-q"); code != 0 || !strings.Contains(out, "PASS  whale loses") {
		t.Fatalf("exit %d, stderr %s:\n%s", code, errs, out)
	}
	fail := writeScenario(t, "  - {name: whale profits, metric: whale.net_profit, op: '>', value: 0}\n"+
		"  - {name: nobody slashed falsely, metric: honest.false_slashes, op: '==', value: 0}\n")
	junit := filepath.Join(t.TempDir(), "junit.xml")
	code, out, _ := koiisim(t, "run", fail, "--out", t.TempDir(), "-q", "--junit", junit)
	if code != 3 || !strings.Contains(out, "FAIL  whale profits: whale.net_profit mean = -") || !strings.Contains(out, "1 of 2 assertions failed") {
		t.Fatalf("exit %d, want 3 and the failure:\n%s", code, out)
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("JUnit file is not XML: %v\n%s", err, data)
	}
	if doc.Tests != 2 || doc.Failures != 1 || len(doc.Suites) != 1 || doc.Suites[0].Cases[0].Failure == nil || doc.Suites[0].Cases[1].Failure != nil {
		t.Fatalf("JUnit counts wrong:\n%s", data)
	}
}

// TestUnknownMetricPathIsALoadError: exit 2, located, with paths near it.
func TestUnknownMetricPathIsALoadError(t *testing.T) {
	bad := writeScenario(t, "  - {name: typo, metric: whale.net_proft, op: '<', value: 0}\n")
	code, _, errs := koiisim(t, "lint", bad)
	if code != 2 || !strings.Contains(errs, "guarded.yaml:9:") || !strings.Contains(errs, "near it: whale.net_profit") {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
}

// TestCheckExactCatchesAOneLineChange: check --mode exact passes on an
// unchanged scenario and fails after one rule option changes.
func TestCheckExactCatchesAOneLineChange(t *testing.T) {
	base := filepath.Join(t.TempDir(), "base.json")
	if code, _, errs := koiisim(t, "baseline", "faulty-submitters", "--rounds", "15", "-o", base); code != 0 {
		t.Fatalf("baseline: exit %d: %s", code, errs)
	}
	if code, out, _ := koiisim(t, "check", "faulty-submitters", "--baseline", base, "--mode", "exact"); code != 0 {
		t.Fatalf("unchanged: exit %d:\n%s", code, out)
	}
	code, out, _ := koiisim(t, "check", "faulty-submitters", "--baseline", base, "--mode", "exact", "--set", "rules.slash_fraction=0.6")
	if code != 3 || !strings.Contains(out, "CHANGED") || !strings.Contains(out, "slashed") {
		t.Fatalf("changed slash_fraction: exit %d, want 3 naming the slashed metrics:\n%s", code, out)
	}
}

// TestCheckStatToleratesSeedsButCatchesShifts: with replicates, stat
// mode passes a new seed and fails a real change of the model.
func TestCheckStatToleratesSeedsButCatchesShifts(t *testing.T) {
	base := filepath.Join(t.TempDir(), "base.json")
	if code, _, errs := koiisim(t, "baseline", "faulty-submitters", "--rounds", "20", "--replicates", "12", "-o", base); code != 0 {
		t.Fatalf("baseline: exit %d: %s", code, errs)
	}
	if code, out, _ := koiisim(t, "check", "faulty-submitters", "--baseline", base, "--seed", "99", "--rtol", "0.1"); code != 0 {
		t.Fatalf("new seed: exit %d, want 0:\n%s", code, out)
	}
	code, out, _ := koiisim(t, "check", "faulty-submitters", "--baseline", base, "--seed", "99", "--set", "populations.faulty.behaviour.invalid=0.5")
	if code != 3 || !strings.Contains(out, "faulty.invalid") {
		t.Fatalf("invalid 0.5: exit %d, want 3 naming faulty.invalid:\n%s", code, out)
	}
}

// TestDefaultScenarioIsPinned: the default scenario's summary at seed 1
// is a golden file, so any change to the random streams or the model is
// a visible diff (update with -update after reviewing it).
func TestDefaultScenarioIsPinned(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := koiisim(t, "run", "--out", dir, "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "koii-baseline-seed1-summary.json", string(b))
}

// TestAssertionsOverReplicatesAndSweepPoints: with replicates a check
// compares the chosen statistic; a sweep checks each point its where:
// admits, and a failure at one point exits 3.
func TestAssertionsOverReplicatesAndSweepPoints(t *testing.T) {
	path := writeScenario(t, "  - {name: whale loses, metric: whale.net_profit, op: '<', value: 0, stat: ci_high}\n"+
		"  - {name: slashes bite, metric: whale.slashed, op: '>', value: 20, where: {rules.slash_fraction: 0.7}}\n")
	code, out, errs := koiisim(t, "run", path, "--replicates", "4", "--out", t.TempDir(), "-q")
	if code != 0 || !strings.Contains(out, "PASS  whale loses: whale.net_profit ci_high = -") {
		t.Fatalf("replicates: exit %d, stderr %s:\n%s", code, errs, out)
	}
	code, out, _ = koiisim(t, "sweep", path, "--sweep", "rules.slash_fraction=0.05,0.7", "--replicates", "2", "--out", t.TempDir(), "-q")
	// At 0.05 the whale's three nodes lose 3 x 0.5 KOII a slash: under 20.
	if code != 0 || strings.Count(out, "PASS  whale loses at point") != 2 || strings.Count(out, "slashes bite at point") != 1 {
		t.Fatalf("sweep: exit %d:\n%s", code, out)
	}
	low := writeScenario(t, "  - {name: slashes bite, metric: whale.slashed, op: '>', value: 20, where: {rules.slash_fraction: 0.05}}\n")
	code, out, _ = koiisim(t, "sweep", low, "--sweep", "rules.slash_fraction=0.05,0.7", "--replicates", "2", "--out", t.TempDir(), "-q")
	if code != 3 || !strings.Contains(out, "FAIL  slashes bite at point 0 (rules.slash_fraction=0.05)") || strings.Contains(out, "at point 1") {
		t.Fatalf("sweep with a failing point: exit %d, want 3 and only point 0 checked:\n%s", code, out)
	}
}

// TestBaselineMetricsSubsetAndFewReplicates: baseline --metrics records
// only the guarded paths, with their directions; fewer than 10
// replicates is a warning on stderr; check --metrics narrows further and
// names a path the baseline does not hold.
func TestBaselineMetricsSubsetAndFewReplicates(t *testing.T) {
	base := filepath.Join(t.TempDir(), "base.json")
	code, out, errs := koiisim(t, "baseline", "faulty-submitters", "--rounds", "10", "--replicates", "3", "-o", base,
		"--metrics", "faulty.*,run.unpaid_rate", "--direction", "faulty.net_profit=lower")
	if code != 0 || !strings.Contains(errs, "warning: 3 replicate(s)") {
		t.Fatalf("exit %d, stderr %s\n%s", code, errs, out)
	}
	data, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	b := string(data)
	if strings.Contains(b, "honest.") || !strings.Contains(b, `"faulty.rewards"`) || !strings.Contains(b, `"run.unpaid_rate"`) {
		t.Errorf("baseline holds other metrics than faulty.* and run.unpaid_rate")
	}
	if !strings.Contains(b, `"direction": "lower"`) || !strings.Contains(b, `"direction": "both"`) {
		t.Errorf("directions not recorded")
	}
	if code, out, _ := koiisim(t, "check", "faulty-submitters", "--baseline", base, "--metrics", "faulty.net_profit", "--all"); code != 0 || strings.Count(out, "faulty.") != 1 {
		t.Errorf("check --metrics faulty.net_profit: exit %d:\n%s", code, out)
	}
	if code, _, errs := koiisim(t, "check", "faulty-submitters", "--baseline", base, "--metrics", "honest.rewards"); code != 2 || !strings.Contains(errs, "not in the baseline: honest.rewards") {
		t.Errorf("check of a metric the baseline lacks: exit %d: %s", code, errs)
	}
}
