package reports

import "testing"

// TestStylesAreStable: honest is always slot 0; a class keeps its style
// whatever order the classes come in; up to seven classes get distinct
// colours.
func TestStylesAreStable(t *testing.T) {
	a := NewStyles([]string{"honest", "faulty", "sybil", "griefer", "lazy", "honest-slow", "cartel"})
	b := NewStyles([]string{"cartel", "lazy", "honest-slow", "griefer", "sybil", "faulty", "honest"})
	seen := map[string]string{}
	for _, c := range []string{"honest", "faulty", "sybil", "griefer", "lazy", "honest-slow", "cartel"} {
		if a.Colour(c) != b.Colour(c) {
			t.Errorf("%s: %s in one order, %s in another", c, a.Colour(c), b.Colour(c))
		}
		if other, ok := seen[a.Colour(c)]; ok {
			t.Errorf("%s and %s share %s", c, other, a.Colour(c))
		}
		seen[a.Colour(c)] = c
	}
	for _, set := range [][]string{{"honest"}, {"attacker", "honest"}, {"honest", "x", "y", "z"}} {
		if got := NewStyles(set).Colour("honest"); got != "#0072b2" {
			t.Errorf("honest in %v is %s, want #0072b2", set, got)
		}
	}
	if a.Colour("") != "#222222" {
		t.Error("the run as a whole is near-black")
	}
}
