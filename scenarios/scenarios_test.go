package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/koiisim/koiisim/model"
)

// equal compares two scenarios in every field but Source and the
// recorded positions, which depend on the text they came from.
func equal(a, b *Scenario) bool {
	x, y := *a, *b
	x.Source, y.Source = "", ""
	x.where, y.where = nil, nil
	return reflect.DeepEqual(x, y)
}

// roundTrip checks the Marshal contract on s: Parse reads the bytes back
// to an equal scenario, and writing that again gives the same bytes.
func roundTrip(t testing.TB, s *Scenario) {
	t.Helper()
	out := Marshal(s)
	back, _, err := Parse(out, "marshalled", nil)
	if err != nil {
		t.Fatalf("Parse(Marshal(s)) failed:\n%v\n--- marshalled:\n%s", err, out)
	}
	if !equal(s, back) {
		t.Fatalf("Parse(Marshal(s)) differs from s:\n got %+v\nwant %+v\n--- marshalled:\n%s", back, s, out)
	}
	if again := Marshal(back); !bytes.Equal(out, again) {
		t.Fatalf("Marshal is not stable:\n%s\n--- then:\n%s", out, again)
	}
}

func TestBuiltinsLoadValidateAndRoundTrip(t *testing.T) {
	infos := Builtins()
	if len(infos) < 2 {
		t.Fatalf("Builtins() = %v, want at least koii-baseline and faulty-submitters", infos)
	}
	for i, info := range infos {
		if i > 0 && infos[i-1].Name >= info.Name {
			t.Errorf("Builtins() not sorted by name: %q before %q", infos[i-1].Name, info.Name)
		}
		t.Run(info.Name, func(t *testing.T) {
			s, warnings, err := Builtin(info.Name, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(warnings) > 0 {
				t.Errorf("a built-in should not warn: %v", warnings)
			}
			if s.Name != info.Name || s.Description != info.Description || s.Source != BuiltinPrefix+info.Name {
				t.Errorf("got name %q, description %q, source %q; want %q, %q, %q",
					s.Name, s.Description, s.Source, info.Name, info.Description, BuiltinPrefix+info.Name)
			}
			if problems, _ := s.Config.Validate(); len(problems) > 0 {
				t.Errorf("a parsed scenario must be valid: %v", problems)
			}
			roundTrip(t, s)
			if h1, h2 := Hash(s), Hash(s); h1 != h2 || len(h1) != 64 {
				t.Errorf("Hash not stable or not hex sha256: %q, %q", h1, h2)
			}
			again, _, _ := Builtin(info.Name, nil)
			if Hash(again) != Hash(s) {
				t.Errorf("two loads of one built-in hash differently")
			}
		})
	}
}

func TestBaselineIsTheDefaultAndRealistic(t *testing.T) {
	s, _, err := Resolve("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != DefaultBuiltin {
		t.Fatalf("Resolve(\"\") = %q, want %q", s.Name, DefaultBuiltin)
	}
	if s.Rounds != 1000 || s.Config.Task != model.DefaultTask() || s.Config.Rules != model.DefaultRules() {
		t.Errorf("koii-baseline should run 1000 rounds under the koii defaults, got rounds %d, task %+v, rules %+v",
			s.Rounds, s.Config.Task, s.Config.Rules)
	}
	counts := map[string]int{}
	for _, p := range s.Config.Populations {
		counts[p.Behaviour.Kind] += p.Count
	}
	if counts["honest"] < 1000 || counts["faulty"] == 0 {
		t.Errorf("koii-baseline populations by kind = %v, want 1000+ honest and some faulty", counts)
	}
}

// minimal is the smallest valid scenario; the tests below vary it.
const minimal = `name: t
description: test
populations:
  - name: honest
    count: 10
    stake: 5
`

func TestDefaultsAreFilledIn(t *testing.T) {
	s, _, err := Parse([]byte(minimal), "t.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	p := s.Config.Populations[0]
	want := model.Population{
		Name: "honest", Class: "honest", Count: 10, Stake: model.Fixed(5), Balance: model.PerKOII,
		Role: model.RoleWorker, Behaviour: model.BehaviourSpec{Kind: "honest", Params: model.Params{}},
		SubmitDelay: model.Uniform(0, 300), AuditDelay: model.Uniform(0, 599),
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("population defaults:\n got %+v\nwant %+v", p, want)
	}
	if s.Seed != DefaultSeed || s.Rounds != DefaultRounds || s.Config.Costs != model.DefaultCosts() {
		t.Errorf("top-level defaults: seed %d rounds %d costs %+v", s.Seed, s.Rounds, s.Config.Costs)
	}
	roundTrip(t, s)
}

// The default delays follow the resolved windows, so an override of a
// window moves them too (overrides apply before decoding).
func TestDefaultDelaysFollowTheWindows(t *testing.T) {
	s, _, err := Parse([]byte(minimal), "t.yaml", []string{"task.submission_window=801", "task.audit_window=400"})
	if err != nil {
		t.Fatal(err)
	}
	p := s.Config.Populations[0]
	if p.SubmitDelay != model.Uniform(0, 400.5) || p.AuditDelay != model.Uniform(0, 399) {
		t.Errorf("delays = %v, %v; want uniform [0, 400.5] and [0, 399]", p.SubmitDelay, p.AuditDelay)
	}
}

// problemsOf returns the problems of err, failing unless it is an *Error.
func problemsOf(t *testing.T, err error) []Problem {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want an *Error, got %T: %v", err, err)
	}
	return e.Problems
}

// TestBadInputs checks each kind of bad input is reported at the line
// and column of the field, under the field's path.
func TestBadInputs(t *testing.T) {
	tests := []struct {
		name      string
		yaml      string
		line, col int
		key, msg  string
	}{
		{"unknown key with a suggestion", "name: t\ndescription: d\ntask:\n  round_tme: 2000\npopulations: [{name: a, count: 1, stake: 5}]\n",
			4, 3, "task.round_tme", `unknown key "round_tme" (did you mean "round_time"?)`},
		{"unknown key without a suggestion lists the keys", "name: t\ndescription: d\ncosts: {zzz: 1}\npopulations: [{name: a, count: 1, stake: 5}]\n",
			3, 9, "costs.zzz", `unknown key "zzz"; the keys here are tx_fee, work_cost, audit_cost, discount_rate or fraud_loss`},
		{"a grid range needs steps", minimal + "sweep:\n  vary:\n    - {path: rules.slash_fraction, from: 0.1, to: 0.9}\n",
			9, 7, "sweep.vary[0].steps", "a grid needs steps"},
		{"wrong type", "name: t\ndescription: d\npopulations:\n  - name: a\n    count: ten\n    stake: 5\n",
			5, 5, "populations[0].count", `must be a whole number, got the text "ten"`},
		{"a quoted number is text", "name: t\ndescription: d\npopulations:\n  - name: a\n    count: \"10\"\n    stake: 5\n",
			5, 5, "populations[0].count", `must be a whole number, got the text "10"`},
		{"negative stake", "name: t\ndescription: d\npopulations:\n  - name: a\n    count: 1\n    stake: -5\n",
			6, 5, "populations[0].stake.value", "must not be negative"},
		{"fraction above one", minimal + "rules:\n  slash_fraction: 1.5\n",
			8, 3, "rules.slash_fraction", "must be a fraction in [0, 1]"},
		{"windows longer than the round", minimal + "task:\n  round_time: 1000\n  submission_window: 600\n  audit_window: 600\n",
			8, 3, "task.round_time", "the creation rule"},
		{"amount finer than one ROE", minimal + "task:\n  minimum_stake: 0.0000000001\n",
			8, 3, "task.minimum_stake", "finer than 1 ROE"},
		{"stake finer than one ROE", "name: t\ndescription: d\npopulations:\n  - name: a\n    count: 1\n    stake: {dist: uniform, min: 1.0000000001, max: 2}\n",
			6, 28, "populations[0].stake.min", "finer than 1 ROE"},
		{"zero nodes", "name: t\ndescription: d\npopulations:\n  - name: a\n    count: 0\n    stake: 5\n",
			3, 1, "populations", "every count is zero"},
		{"no populations", "name: t\ndescription: d\npopulations: []\n",
			3, 1, "populations", "at least one population"},
		{"NaN", minimal + "rules:\n  detection: .nan\n",
			8, 3, "rules.detection", "must be a finite number, got .nan"},
		{"infinity", minimal + "task:\n  slot_seconds: -.inf\n",
			8, 3, "task.slot_seconds", "must be a finite number"},
		{"duplicate population name", minimal + "  - name: honest\n    count: 1\n    stake: 5\n",
			7, 5, "populations[1].name", `"honest" is already the name of populations[0]`},
		{"duplicate key", "name: t\ndescription: d\npopulations:\n  - name: a\n    count: 1\n    count: 2\n    stake: 5\n",
			6, 5, "populations[0].count", `repeats the key "count" of line 5`},
		{"unknown behaviour", minimal + "    behaviour: honset\n",
			7, 5, "populations[0].behaviour", `unknown behaviour "honset" (did you mean "honest"?)`},
		{"unknown behaviour in a mapping", minimal + "    behaviour: {kind: evil}\n",
			7, 17, "populations[0].behaviour.kind", `unknown behaviour "evil"`},
		{"unknown behaviour param", minimal + "    behaviour: {kind: faulty, invalidd: 0.1}\n",
			7, 31, "populations[0].behaviour.invalidd", `unknown key "invalidd" (did you mean "invalid"?)`},
		{"behaviour param out of range", minimal + "    behaviour: {kind: faulty, invalid: 1.5}\n",
			7, 31, "populations[0].behaviour.invalid", "must be a probability in [0, 1]"},
		{"behaviour param of the wrong type", minimal + "    behaviour: {kind: faulty, offline: yes}\n",
			7, 31, "populations[0].behaviour.offline", "must be a number"},
		{"a dist key its kind does not take", "name: t\ndescription: d\npopulations:\n  - name: a\n    count: 1\n    stake: {dist: uniform, min: 1, max: 5, mean: 3}\n",
			6, 44, "populations[0].stake.mean", "is not a parameter of uniform, which takes min or max"},
		{"a misspelt dist key", minimal + "    submit_delay: {dist: uniform, min: 0, maxx: 5}\n",
			7, 43, "populations[0].submit_delay.maxx", `unknown key "maxx" (did you mean "max"?)`},
		{"an unknown dist", minimal + "    submit_delay: {dist: gaussian, mean: 5}\n",
			7, 20, "populations[0].submit_delay.dist", `unknown value "gaussian"`},
		{"a dist without dist", minimal + "    submit_delay: {mean: 5}\n",
			7, 5, "populations[0].submit_delay.dist", "is required"},
		{"missing stake", "name: t\ndescription: d\npopulations:\n  - name: a\n    count: 1\n",
			4, 5, "populations[0].stake", "is required"},
		{"stop 0 is not never", minimal + "    stop: 0\n",
			7, 5, "populations[0].stop", `must be a round after join or "never"`},
		{"stop before join", minimal + "    join: 5\n    stop: 5\n",
			8, 5, "populations[0].stop", "must be after join"},
		{"enum typo", minimal + "rules: {selection: kooi}\n",
			7, 9, "rules.selection", `unknown value "kooi" (did you mean "koii"?)`},
		{"audit_sample zero", minimal + "rules: {audit_sample: 0}\n",
			7, 9, "rules.audit_sample", `must be a positive whole number or "all"`},
		{"seed negative", minimal + "seed: -1\n",
			7, 1, "seed", "must be a whole number in [0, 2^64-1]"},
		{"rounds zero", minimal + "rounds: 0\n",
			7, 1, "rounds", "must be in [1, 1000000]"},
		{"hex is refused", minimal + "rounds: 0x10\n",
			7, 1, "rounds", "decimal digits"},
		{"bad scenario name", "name: My Task\ndescription: d\npopulations: [{name: a, count: 1, stake: 5}]\n",
			1, 1, "name", "lower-case letters"},
		{"description on two lines", "name: t\ndescription: \"a\\nb\"\npopulations: [{name: a, count: 1, stake: 5}]\n",
			2, 1, "description", "one line"},
		{"a section of the wrong kind", minimal + "task: [1, 2]\n",
			7, 1, "task", "must be a mapping, got a list"},
		{"window beyond the limit", minimal + "task: {round_time: 99999999999}\n",
			7, 8, "task.round_time", "must be at most 1048576 slots"},
		{"a delay beyond any round", minimal + "    submit_delay: {dist: uniform, min: 0, max: 1e300}\n",
			7, 43, "populations[0].submit_delay.max", "must be at most 1048576 slots"},
		{"merge keys", minimal + "x: &x {count: 1}\n",
			7, 1, "x", `unknown key "x"`},
		{"YAML syntax", "name: t\ndescription: [\n",
			2, 0, "", "YAML:"},
		{"two documents", minimal + "---\nname: u\n",
			7, 0, "", "one YAML document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Parse([]byte(tt.yaml), "t.yaml", nil)
			if err == nil {
				t.Fatalf("Parse accepted:\n%s", tt.yaml)
			}
			for _, p := range problemsOf(t, err) {
				if p.Key == tt.key && strings.Contains(p.Msg, tt.msg) {
					if p.File != "t.yaml" || p.Line != tt.line || p.Col != tt.col {
						t.Errorf("%s located at %s:%d:%d, want t.yaml:%d:%d", p.Key, p.File, p.Line, p.Col, tt.line, tt.col)
					}
					return
				}
			}
			t.Errorf("no problem %q containing %q; got:\n%v", tt.key, tt.msg, err)
		})
	}
}

func TestEveryProblemIsReportedAtOnce(t *testing.T) {
	in := `name: t
description: d
task:
  round_time: 100
rules:
  detection: 2
populations:
  - name: a
    count: -1
    stake: {dist: uniform, max: 5}
    role: witness
  - name: b
    count: 3
    stake: 5
    behaviour: {kind: faulty, invalid: 0.5, flaky: true}
`
	_, _, err := Parse([]byte(in), "many.yaml", nil)
	if err == nil {
		t.Fatal("accepted a file with several errors")
	}
	want := []string{
		"many.yaml:4:3: task.round_time: must be at least submission_window + audit_window = 1200 (the creation rule), got 100",
		"many.yaml:6:3: rules.detection: must be a probability in [0, 1], got 2",
		"many.yaml:9:5: populations[0].count: must be in [0, 10000000], got -1",
		`many.yaml:11:5: populations[0].role: unknown value "witness"; must be one of worker or auditor`,
		`many.yaml:15:45: populations[1].behaviour.flaky: unknown key "flaky"; the keys here are kind, invalid, offline, offline_mean, crash, from or until`,
	}
	if got := err.Error(); got != strings.Join(want, "\n") {
		t.Errorf("Error() =\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
}

func TestEmptyFileNamesTheRequiredKeys(t *testing.T) {
	_, _, err := Parse([]byte("# nothing yet\n"), "empty.yaml", nil)
	var keys []string
	for _, p := range problemsOf(t, err) {
		keys = append(keys, p.Key)
	}
	if want := []string{"description", "name", "populations"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("problems for keys %v, want %v:\n%v", keys, want, err)
	}
}

func TestAnchorsAndAliasesWork(t *testing.T) {
	in := `name: t
description: d
populations:
  - name: a
    count: 2
    stake: &stake {dist: uniform, min: 2, max: 5}
  - name: b
    count: 3
    stake: *stake
`
	s, _, err := Parse([]byte(in), "t.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Config.Populations[1].Stake != model.Uniform(2, 5) {
		t.Errorf("alias not followed: %v", s.Config.Populations[1].Stake)
	}
	roundTrip(t, s)
}

// A cyclic anchor must neither hang nor panic.
func TestCyclicAnchorIsAnError(t *testing.T) {
	in := "name: t\ndescription: d\npopulations: &p [*p]\n"
	if _, _, err := Parse([]byte(in), "t.yaml", nil); err == nil {
		t.Fatal("accepted a cyclic document")
	}
}

func TestWarningsAreLocated(t *testing.T) {
	in := minimal + "rounds: 2000\ntask:\n  submission_window: 200\n"
	s, warnings, err := Parse([]byte(in), "w.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, w := range warnings {
		got[w.Path] = Locate(s, w.Path)
	}
	want := map[string]string{"rounds": "w.yaml:7:1", "task.submission_window": "w.yaml:9:3"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("warnings located at %v, want %v (warnings %v)", got, want, warnings)
	}
	if l := Locate(s, "populations[0].audit_delay"); l != "w.yaml:4:5" {
		t.Errorf("a default is located at its population: got %s, want w.yaml:4:5", l)
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "mine.yaml")
	if err := os.WriteFile(file, []byte(minimal), 0o644); err != nil {
		t.Fatal(err)
	}
	s, _, err := Resolve(file, nil)
	if err != nil || s.Source != file {
		t.Fatalf("Resolve(file) = %v, %v", s, err)
	}
	if _, _, err := Resolve("faulty-submitters", nil); err != nil {
		t.Errorf("Resolve(built-in): %v", err)
	}
	_, _, err = Resolve("koii-basline", nil)
	if err == nil || !strings.Contains(err.Error(), `did you mean "koii-baseline"?`) {
		t.Errorf("Resolve(typo) = %v, want a suggestion", err)
	}
	_, _, err = Resolve(filepath.Join(dir, "missing.yaml"), nil)
	if p := problemsOf(t, err); len(p) != 1 || !strings.Contains(p[0].Msg, "cannot read") {
		t.Errorf("Resolve(missing file) = %v", err)
	}
}

func TestBuiltinSourceKeepsTheComments(t *testing.T) {
	data, ok := BuiltinSource(DefaultBuiltin)
	if !ok || !bytes.Contains(data, []byte("# ")) {
		t.Errorf("BuiltinSource(%q) = %d bytes, %v", DefaultBuiltin, len(data), ok)
	}
	if _, ok := BuiltinSource("../scenarios"); ok {
		t.Error("BuiltinSource accepted a path")
	}
}

// The reference is generated from the decoder's tables: every key and
// every registered behaviour and parameter must appear in it.
func TestReferenceCoversTheFormat(t *testing.T) {
	ref := Reference()
	var want []string
	want = append(want, keyNames(topKeys)...)
	want = append(want, keyNames(taskKeys)...)
	want = append(want, keyNames(rulesKeys)...)
	want = append(want, keyNames(costsKeys)...)
	want = append(want, keyNames(populationKeys)...)
	want = append(want, model.DistNames...)
	for _, k := range model.Kinds() {
		want = append(want, k.Name)
		for _, s := range k.Params {
			want = append(want, s.Name)
		}
	}
	for _, w := range want {
		if !strings.Contains(ref, "`"+w+"`") && !strings.Contains(ref, "### "+w) {
			t.Errorf("Reference() does not mention %q", w)
		}
	}
}

// Stakes are amounts of KOII held as floats by model.Dist: whatever
// 9-decimal text a file gives must come back from Marshal as a text that
// parses to the very same float.
func TestStakeAmountsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		lo := r.Int64N(int64(model.MaxROE))
		hi := lo + r.Int64N(int64(model.MaxROE)-lo+1)
		in := fmt.Sprintf("name: t\ndescription: d\npopulations:\n  - {name: a, count: 1, stake: {dist: uniform, min: %s, max: %s}}\n",
			model.ROE(lo), model.ROE(hi))
		s, _, err := Parse([]byte(in), "t.yaml", nil)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		roundTrip(t, s)
	}
}

// Every key away from its default survives Marshal and Parse.
func TestEveryKeyRoundTrips(t *testing.T) {
	s, _, err := Load(filepath.Join("testdata", "fuzz-seeds", "all-keys.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	def := defaultScenario()
	if s.Config.Task == def.Config.Task || s.Config.Rules == def.Config.Rules || s.Config.Costs == def.Config.Costs {
		t.Error("all-keys.yaml should move every section away from its defaults")
	}
	roundTrip(t, s)
}

// A hostile file, a mapping of many bad keys aliased many times, costs
// no more than maxProblems problems and stops there.
func TestProblemsAreBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: t\ndescription: d\nx: &bad {")
	for i := range 1000 {
		fmt.Fprintf(&b, "k%d: 1, ", i)
	}
	b.WriteString("}\npopulations: [")
	for range 1000 {
		b.WriteString("*bad, ")
	}
	b.WriteString("]\n")
	_, _, err := Parse([]byte(b.String()), "bomb.yaml", nil)
	ps := problemsOf(t, err)
	if len(ps) != maxProblems || !err.(*Error).Truncated || !strings.HasSuffix(err.Error(), "(stopped after 100 problems; fix these first)") {
		t.Errorf("got %d problems, want %d and a note that the decoder stopped", len(ps), maxProblems)
	}
}
