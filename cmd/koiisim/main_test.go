package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"github.com/koiisim/koiisim/validation"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// koiisim runs the CLI in-process and returns its exit code and streams.
func koiisim(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run 'go test ./cmd/koiisim -update' to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; if the change is intended, run 'go test ./cmd/koiisim -update' and review the diff.\n--- got\n%s", name, got)
	}
}

// TestRunGolden pins the printed summary and every output file of a
// short run of a built-in: any change to the model, the streams or the
// formats shows up as a diff here.
func TestRunGolden(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := koiisim(t, "run", "faulty-submitters", "--rounds", "25", "--seed", "7", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	out = strings.ReplaceAll(out, dir, "OUT")
	golden(t, "run-faulty-submitters.txt", out)
	for _, f := range []string{"summary.json", "rounds.csv", "nodes.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "faulty-submitters-"+f, string(b))
	}
}

// TestRunIsReproducible: the same scenario and seed give byte-identical
// files; another seed gives other ones.
func TestRunIsReproducible(t *testing.T) {
	read := func(seed string) map[string]string {
		dir := t.TempDir()
		if code, _, errs := koiisim(t, "run", "faulty-submitters", "--rounds", "15", "--seed", seed, "--out", dir, "-q"); code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		files := map[string]string{}
		for _, f := range []string{"summary.json", "rounds.csv", "nodes.csv"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			files[f] = string(b)
		}
		return files
	}
	a, b, c := read("3"), read("3"), read("4")
	for f := range a {
		if a[f] != b[f] {
			t.Errorf("%s differs between two runs with seed 3", f)
		}
		if f != "summary.json" && a[f] == c[f] {
			t.Errorf("%s is the same for seeds 3 and 4", f)
		}
	}
}

// TestBadScenarioExitsTwoWithLocatedErrors: a broken file gets every
// problem with its file, line and key, and exit code 2.
func TestBadScenarioExitsTwoWithLocatedErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(path, []byte(`name: bad
description: broken on purpose
task:
  round_time: 1000
  submission_window: 600
  audit_window: 600
rules:
  slash_fraction: 1.5
  audti_sample: 3
populations:
  - name: honest
    count: 10
    stake: -5
    behaviour: honest
`), 0o644)
	code, _, errs := koiisim(t, "run", path)
	if code != 2 {
		t.Fatalf("exit %d, want 2; stderr: %s", code, errs)
	}
	for _, want := range []string{"bad.yaml:4:", "round_time", "bad.yaml:8:", "slash_fraction", "bad.yaml:9:", "audti_sample", "audit_sample", "bad.yaml:13:", "stake"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
}

// TestSetOverridesAndValidates: --set changes a field, and a bad value
// is reported against the --set with exit code 2.
func TestSetOverridesAndValidates(t *testing.T) {
	code, out, errs := koiisim(t, "show", "faulty-submitters", "--set", "rules.slash_fraction=0.25")
	if code != 0 || !strings.Contains(out, "slash_fraction: 0.25") {
		t.Fatalf("exit %d, stderr %s; show lacks the override:\n%s", code, errs, out)
	}
	code, _, errs = koiisim(t, "run", "faulty-submitters", "--set", "rules.slash_fraction=2")
	if code != 2 || !strings.Contains(errs, "--set") || !strings.Contains(errs, "slash_fraction") {
		t.Fatalf("exit %d, want 2 naming the --set; stderr: %s", code, errs)
	}
}

// TestShowRoundTrips: what show prints loads back to the same scenario.
func TestShowRoundTrips(t *testing.T) {
	for _, name := range []string{"koii-baseline", "faulty-submitters"} {
		_, out, _ := koiisim(t, "show", name)
		path := filepath.Join(t.TempDir(), name+".yaml")
		os.WriteFile(path, []byte(out), 0o644)
		code, again, errs := koiisim(t, "show", path)
		if code != 0 || again != out {
			t.Errorf("%s: show of show differs (exit %d, %s)", name, code, errs)
		}
	}
}

// TestScenariosListsBuiltins and TestLint.
func TestScenariosListsBuiltins(t *testing.T) {
	code, out, _ := koiisim(t, "scenarios")
	if code != 0 || !strings.Contains(out, "koii-baseline") || !strings.Contains(out, "faulty-submitters") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	code, out, _ = koiisim(t, "lint", "koii-baseline", "faulty-submitters")
	if code != 0 || strings.Count(out, ": ok") != 2 {
		t.Fatalf("lint: exit %d:\n%s", code, out)
	}
}

// TestUsageErrors: unknown commands and flags exit 2 with a hint.
func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"run", "--no-such-flag"}, {"run", "a", "b"}, {"run", "no-such-scenario"}, {"run", "faulty-submitters", "--rounds", "0"}} {
		if code, _, errs := koiisim(t, args...); code != 2 || errs == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errs)
		}
	}
	if code, _, errs := koiisim(t, "help", "nosuch"); code != 2 || !strings.Contains(errs, `no command "nosuch"`) {
		t.Errorf("help nosuch: exit %d, stderr %q; want 2", code, errs)
	}
	if code, out, _ := koiisim(t, "help", "run"); code != 0 || !strings.Contains(out, "--seed") {
		t.Errorf("help run: exit %d:\n%s", code, out)
	}
}

// TestRewardsLostToAttackers: a scenario with attackers reports what the
// honest nodes would have earned without them, from the same seed.
func TestRewardsLostToAttackers(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := koiisim(t, "run", "whale-sybil", "--rounds", "10", "--out", dir, "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	var s struct {
		Classes map[string]map[string]any
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	// 100 honest nodes alone share 10 KOII a cycle; beside 150 approved
	// sybils they get 100/250 of it: 60 KOII lost over 10 cycles.
	if got := s.Classes["honest"]["rewards_lost_to_attackers"]; got != 60.0 {
		t.Errorf("honest rewards_lost_to_attackers = %v, want 60", got)
	}
	if got := s.Classes["whale"]["rewards_lost_to_attackers"]; got != nil {
		t.Errorf("whale rewards_lost_to_attackers = %v, want null (it is the attacker)", got)
	}
}

// TestValidateQuickPasses: the validation suite passes in its quick form.
func TestValidateQuickPasses(t *testing.T) {
	code, out, errs := koiisim(t, "validate", "--quick")
	if code != 0 || strings.Contains(out, "FAIL") || strings.Count(out, "PASS") != len(validation.Cases()) {
		t.Fatalf("exit %d, stderr %s:\n%s", code, errs, out)
	}
}

// TestTraceFile: run --trace writes the run's story as CSV, one row per
// event, with classes named.
func TestTraceFile(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "trace.csv")
	if code, _, errs := koiisim(t, "run", "false-accusers", "--rounds", "2", "--out", dir, "-q", "--trace", trace); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "slot,round,cycle,event,node,class,target,target_class,on,value,amount_koii,note" || len(lines) < 100 ||
		!strings.Contains(string(b), ",vote,200,griefers,") {
		t.Fatalf("trace has %d lines, starting %q", len(lines), lines[0])
	}
}

// TestShowSource: show --source prints a built-in as shipped, comments
// included, so users can copy it.
func TestShowSource(t *testing.T) {
	code, out, _ := koiisim(t, "show", "--source", "hit-and-run")
	if code != 0 || !strings.HasPrefix(out, "# hit-and-run:") || !strings.Contains(out, "unstake_cooldown") {
		t.Fatalf("exit %d:\n%.200s", code, out)
	}
	if code, _, _ := koiisim(t, "show", "--source", "no-such"); code != 2 {
		t.Fatalf("unknown built-in: exit %d, want 2", code)
	}
}
