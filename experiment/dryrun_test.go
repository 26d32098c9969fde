package experiment

import (
	"testing"

	"github.com/koiisim/koiisim/scenarios"
)

// TestDryRunDoesNotParseThePointsAgain: --dry-run of a large random
// design must be fast, so a point costs less than parsing the scenario
// once (it used to parse and hash every point). Allocations measure the
// work without the noise of a shared machine's clock.
func TestDryRunDoesNotParseThePointsAgain(t *testing.T) {
	base, _, err := scenarios.Builtin("koii-baseline", nil)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := scenarios.BuiltinSource("koii-baseline")
	parse := testing.AllocsPerRun(5, func() { scenarios.Parse(data, base.Source, nil) })
	const points = 200
	design := scenarios.DesignRandom
	spec := Spec{Base: base, Arg: "koii-baseline", Design: &design, Points: points, DryRun: true,
		Vary: []scenarios.Dimension{{Path: "rules.slash_fraction", From: "0.1", To: "0.9"}}}
	plan := testing.AllocsPerRun(2, func() {
		if _, err := NewPlan(spec); err != nil {
			t.Fatal(err)
		}
	})
	if perPoint := plan / points; perPoint >= parse {
		t.Errorf("a dry-run point allocates %.0f times, a parse of the scenario %.0f: points are parsed again", perPoint, parse)
	}
}
