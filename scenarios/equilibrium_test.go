package scenarios

import (
	"reflect"
	"strings"
	"testing"
)

const equilibriumBase = `name: t
description: d
populations:
  - {name: a, count: 2, stake: 10, role: auditor, behaviour: adaptive-auditor}
  - {name: c, count: 2, stake: 10, behaviour: adaptive-cheat}
`

// TestEquilibriumSectionRoundTrips: the section reads, writes only what
// it states, and reads back to itself.
func TestEquilibriumSectionRoundTrips(t *testing.T) {
	s, _, err := Parse([]byte(equilibriumBase+"equilibrium: {audit: 0.25, window: 50}\n"), "t.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Equilibrium{Audit: 0.25, Cheat: None, Window: 50, Tolerance: DefaultTolerance}
	if s.Equilibrium == nil || *s.Equilibrium != want {
		t.Fatalf("equilibrium %+v, want %+v", s.Equilibrium, want)
	}
	text := string(Marshal(s))
	if strings.Contains(text, "cheat:") {
		t.Errorf("an unstated cheat probability was written:\n%s", text)
	}
	back, _, err := Parse(Marshal(s), "t.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Equilibrium, s.Equilibrium) {
		t.Errorf("read back %+v, want %+v", back.Equilibrium, s.Equilibrium)
	}
	plain, _, err := Parse([]byte(equilibriumBase), "t.yaml", nil)
	if err != nil || plain.Equilibrium != nil || strings.Contains(string(Marshal(plain)), "equilibrium") {
		t.Errorf("a scenario without the section has one: %v %+v", err, plain.Equilibrium)
	}
}

// TestEquilibriumSectionRejectsBadValues: every bad key is named.
func TestEquilibriumSectionRejectsBadValues(t *testing.T) {
	_, _, err := Parse([]byte(equilibriumBase+"equilibrium: {audit: 1.5, cheat: -0.1, window: 1, tolerance: 0}\n"), "t.yaml", nil)
	if err == nil {
		t.Fatal("bad equilibrium values loaded")
	}
	for _, k := range []string{"equilibrium.audit", "equilibrium.cheat", "equilibrium.window", "equilibrium.tolerance"} {
		if !strings.Contains(err.Error(), k) {
			t.Errorf("no problem at %s in:\n%v", k, err)
		}
	}
}
