package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// lintBuiltin resolves a built-in with overrides as lint does and
// returns its warnings and problems as text.
func lintBuiltin(t *testing.T, name string, sets ...string) (warnings, problems string) {
	t.Helper()
	src, ok := BuiltinSource(name)
	if !ok {
		t.Fatalf("no built-in %s", name)
	}
	_, ws, err := Parse(src, name+".yaml", sets)
	var w []string
	for _, x := range ws {
		w = append(w, x.Error())
	}
	var se *Error
	if err != nil && !errors.As(err, &se) {
		t.Fatalf("not a scenario error: %v", err)
	}
	if err != nil {
		problems = err.Error()
	}
	return strings.Join(w, "\n"), problems
}

// TestEveryNodeBelowMinimumStakeWarns: nodes whose stake can never reach
// minimum_stake never submit (docs/model.md §5); a scenario where that is
// every worker pays nothing, which lint must say.
func TestEveryNodeBelowMinimumStakeWarns(t *testing.T) {
	w, p := lintBuiltin(t, "faulty-submitters", "task.minimum_stake=100000",
		"populations.honest.stake=5", "populations.faulty.stake=5", "populations.slow-faulty.stake=5")
	if p != "" || !strings.Contains(w, "minimum_stake") || !strings.Contains(w, "populations[0].stake") {
		t.Errorf("warnings %q, problems %q; want a warning that populations[0]'s stake is below minimum_stake", w, p)
	}
}

// TestStakeBeyondTheSupplyFailsAtLint: a lognormal stake with mu 100
// (a median of e^100 KOII) cannot run; lint must say so, not the run.
func TestStakeBeyondTheSupplyFailsAtLint(t *testing.T) {
	_, p := lintBuiltin(t, "faulty-submitters", "populations.honest.stake.mu=100", "populations.honest.stake.min=0")
	if !strings.Contains(p, "populations[0].stake") || !strings.Contains(p, "median") {
		t.Errorf("problems %q; want one at populations[0].stake about its median", p)
	}
}

// TestNameLongerThanAFileNameFailsAtLint: the scenario's name is the
// default output directory, so a name no file system takes fails lint.
func TestNameLongerThanAFileNameFailsAtLint(t *testing.T) {
	_, p := lintBuiltin(t, "faulty-submitters", "name="+strings.Repeat("a", 100_000))
	if !strings.Contains(p, "name") || !strings.Contains(p, "at most") {
		t.Errorf("problems %.300q; want one about the name's length", p)
	}
}

// TestLeadZeroIsAnError: lead counts slots before the audit window's
// end, 1 being its last slot; 0 used to become 1 silently.
func TestLeadZeroIsAnError(t *testing.T) {
	_, p := lintBuiltin(t, "false-accusers", "populations.griefers.behaviour.lead=0")
	if !strings.Contains(p, "behaviour.lead") || !strings.Contains(p, "at least 1") {
		t.Errorf("problems %q; want one at behaviour.lead", p)
	}
}

// TestAuditSampleBeyondThePopulationWarnsClamped: an audit sample larger
// than the workers audits every submission; lint says it is clamped.
func TestAuditSampleBeyondThePopulationWarnsClamped(t *testing.T) {
	w, p := lintBuiltin(t, "faulty-submitters", "rules.audit_sample=100000")
	if p != "" || !strings.Contains(w, "rules.audit_sample") || !strings.Contains(w, "clamped") {
		t.Errorf("warnings %q, problems %q; want a warning that rules.audit_sample is clamped", w, p)
	}
}

// TestGrindingBeyondItsLimitsFailsAtLint: grind was silently capped at
// 2^20, and many grinders at that cap ran for hours; both limits are
// named problems now.
func TestGrindingBeyondItsLimitsFailsAtLint(t *testing.T) {
	_, p := lintBuiltin(t, "grinding", "populations.grinders.behaviour.grind=2000000")
	if !strings.Contains(p, "behaviour.grind") || !strings.Contains(p, "at most 1048576") {
		t.Errorf("grind 2000000: problems %q; want one at behaviour.grind naming the limit 1048576", p)
	}
	_, p = lintBuiltin(t, "grinding", "populations.grinders.count=100", "populations.grinders.behaviour.grind=1048576")
	if !strings.Contains(p, "behaviour.grind") || !strings.Contains(p, "score draws a cycle") || !strings.Contains(p, "lower grind or count") {
		t.Errorf("100 grinders at 2^20: problems %q; want one naming the work a cycle and what to lower", p)
	}
}

// TestSourceResolvesAsParse: a sweep resolves its points from one parsed
// Source; each must be the scenario Parse gives for the same overrides,
// with the same problems, and resolving must leave the Source as it was.
func TestSourceResolvesAsParse(t *testing.T) {
	data, _ := BuiltinSource("faulty-submitters")
	src := NewSource(data, "faulty-submitters.yaml")
	points := [][]string{
		nil,
		{"rules.slash_fraction=0.3", "populations.faulty.count=7"},
		{"populations.honest.stake={dist: uniform, min: 2, max: 9}", "seed=9"},
		{"populations.0.behaviour.kind=faulty"},
		{"populations.faulty.count=-1"}, // a problem
		{"task.round_time=abc"},         // another
		{"rules.slash_fraction=0.3", "populations.faulty.count=7"},
	}
	for _, sets := range points {
		a, wa, ea := src.Resolve(sets)
		b, wb, eb := Parse(data, "faulty-submitters.yaml", sets)
		if fmt.Sprint(ea) != fmt.Sprint(eb) || fmt.Sprint(wa) != fmt.Sprint(wb) {
			t.Errorf("%v: Resolve gave %v / %v, Parse %v / %v", sets, ea, wa, eb, wb)
			continue
		}
		if ea == nil && !bytes.Equal(Marshal(a), Marshal(b)) {
			t.Errorf("%v: Resolve and Parse disagree:\n%s\n---\n%s", sets, Marshal(a), Marshal(b))
		}
	}
	first, _, _ := src.Resolve(nil)
	base, _, _ := Parse(data, "faulty-submitters.yaml", nil)
	if !bytes.Equal(Marshal(first), Marshal(base)) {
		t.Error("resolving points changed the Source")
	}
}
