package scenarios

import (
	"strings"
	"testing"

	"github.com/koiisim/koiisim/model"
)

// twoPops has two populations, a shared anchored stake and short forms,
// for the --set tests.
const twoPops = `name: t
description: d
populations:
  - name: honest
    count: 10
    stake: &stake {dist: uniform, min: 2, max: 5}
  - name: buggy
    count: 5
    stake: *stake
    behaviour: faulty
`

func parseWith(t *testing.T, sets ...string) *Scenario {
	t.Helper()
	s, _, err := Parse([]byte(twoPops), "t.yaml", sets)
	if err != nil {
		t.Fatalf("--set %v: %v", sets, err)
	}
	roundTrip(t, s)
	return s
}

func TestSetOverridesByNameAndIndex(t *testing.T) {
	s := parseWith(t, "populations.honest.count=7", "populations.1.count=3", "seed=42")
	if got := s.Config.Populations[0].Count; got != 7 {
		t.Errorf("by name: count = %d, want 7", got)
	}
	if got := s.Config.Populations[1].Count; got != 3 {
		t.Errorf("by index: count = %d, want 3", got)
	}
	if s.Seed != 42 {
		t.Errorf("seed = %d, want 42", s.Seed)
	}
}

func TestSetLaterOverridesWin(t *testing.T) {
	s := parseWith(t, "rounds=5", "rounds=6")
	if s.Rounds != 6 {
		t.Errorf("rounds = %d, want the later 6", s.Rounds)
	}
}

func TestSetTakesYAMLFlowValues(t *testing.T) {
	s := parseWith(t, "populations.honest.stake={dist: normal, mean: 10, sd: 2, min: 1.9}", "rules.audit_sample=all")
	want := model.Dist{Kind: model.DistNormal, Mean: 10, SD: 2, Min: 1.9}
	if got := s.Config.Populations[0].Stake; got != want {
		t.Errorf("stake = %+v, want %+v", got, want)
	}
	if s.Config.Rules.AuditSample != model.SampleAll {
		t.Errorf("audit_sample = %d, want SampleAll", s.Config.Rules.AuditSample)
	}
}

func TestSetCreatesMissingKeys(t *testing.T) {
	s := parseWith(t, "task.round_time=3000", "costs.work_cost=0.01")
	if s.Config.Task.RoundTime != 3000 || s.Config.Costs.WorkCost != model.PerKOII/100 {
		t.Errorf("round_time %d, work_cost %s", s.Config.Task.RoundTime, s.Config.Costs.WorkCost)
	}
}

// Setting one parameter of a short form turns it into the long form.
func TestSetOneParameterOfAShortForm(t *testing.T) {
	s := parseWith(t, "populations.buggy.behaviour.invalid=0.3")
	if got := s.Config.Populations[1].Behaviour; got.Kind != "faulty" || got.Params.Float("invalid") != 0.3 {
		t.Errorf("behaviour = %+v, want faulty with invalid 0.3", got)
	}
	s, _, err := Parse([]byte(minimal+"    submit_delay: 3\n"), "t.yaml", []string{"populations.0.submit_delay.value=7"})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Config.Populations[0].SubmitDelay; got != model.Fixed(7) {
		t.Errorf("submit_delay = %v, want fixed 7", got)
	}
}

// An override of a value shared through an anchor changes only the
// population it names.
func TestSetDoesNotLeakThroughAnchors(t *testing.T) {
	s := parseWith(t, "populations.honest.stake.max=9")
	if got := s.Config.Populations[0].Stake; got != model.Uniform(2, 9) {
		t.Errorf("honest stake = %v, want uniform [2, 9]", got)
	}
	if got := s.Config.Populations[1].Stake; got != model.Uniform(2, 5) {
		t.Errorf("buggy stake = %v, want the anchor's uniform [2, 5]", got)
	}
}

func TestSetProblemsAreLocatedAtTheSet(t *testing.T) {
	tests := []struct {
		set, at, key, msg string
	}{
		{"populations.honest.count=ten", "populations.honest.count", "populations[0].count", "must be a whole number"},
		{"populations.0.stake={dist: uniform, min: 5, max: 2}", "populations.0.stake", "populations[0].stake.max", "must be at least min"},
		{"populations.buggy.behaviour.invalid=2", "populations.buggy.behaviour.invalid", "populations[1].behaviour.invalid", "must be a probability"},
		{"task.round_tme=3000", "task.round_tme", "task.round_tme", `did you mean "round_time"?`},
		{"populations.dishonest.count=1", "populations.dishonest.count", "", `no item named "dishonest"; the names are honest or buggy`},
		{"populations.9.count=1", "populations.9.count", "", "no item 9; its indices are 0 to 1"},
		{"populations.honest.count", "populations.honest.count", "", "must be KEY.PATH=VALUE"},
		{"task..round_time=1", "task..round_time=1", "", "must be KEY.PATH=VALUE"},
		{"name.first=x", "name.first", "", "name holds a single value"},
		{"rounds={", "rounds", "", "is not YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			_, _, err := Parse([]byte(twoPops), "t.yaml", []string{tt.set})
			if err == nil {
				t.Fatal("accepted")
			}
			for _, p := range problemsOf(t, err) {
				if p.Key == tt.key && strings.Contains(p.Msg, tt.msg) {
					if p.File != SetFile || p.Set != tt.at || p.Line != 0 {
						t.Errorf("located at %q %q line %d, want --set %q", p.File, p.Set, p.Line, tt.at)
					}
					if !strings.HasPrefix(p.String(), "--set "+tt.at+": ") {
						t.Errorf("String() = %q, want it to start with --set %s", p.String(), tt.at)
					}
					return
				}
			}
			t.Errorf("no problem %q containing %q; got:\n%v", tt.key, tt.msg, err)
		})
	}
}

// Problems in the file stay located in the file when overrides are given.
func TestSetAndFileProblemsTogether(t *testing.T) {
	in := twoPops + "rules: {detection: 3}\n"
	_, _, err := Parse([]byte(in), "t.yaml", []string{"populations.buggy.count=-2"})
	got := err.Error()
	want := "--set populations.buggy.count: populations[1].count: must be in [0, 10000000], got -2\n" +
		"t.yaml:11:9: rules.detection: must be a probability in [0, 1], got 3"
	if got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
}
