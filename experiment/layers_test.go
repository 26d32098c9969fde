package experiment

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayersBelowReports: the packages under the reports import nothing
// that plots or writes Parquet, and nothing of a layer above their own
// (model <- sim <- metrics <- experiment <- reports <- cmd; validation
// sits beside reports), directly or through another package. A plot or Parquet import here would drag
// gonum/plot into every sweep worker.
func TestLayersBelowReports(t *testing.T) {
	const mod = "github.com/koiisim/koiisim/"
	above := map[string][]string{ // package: the koiisim packages it must not reach
		"../model":      {"sim", "metrics", "experiment", "reports", "cmd", "scenarios"},
		"../sim":        {"metrics", "experiment", "reports", "cmd", "scenarios"},
		"../metrics":    {"experiment", "reports", "cmd"},
		".":             {"reports", "cmd", "validation"},
		"../validation": {"reports", "cmd"},
	}
	banned := []string{"gonum.org/v1/plot", "github.com/parquet-go/"}
	for dir, layers := range above {
		out, err := exec.Command("go", "list", "-deps", dir).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", dir, err, out)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 2 {
			t.Fatalf("go list -deps %s listed %d packages; it cannot have checked anything", dir, len(deps))
		}
		for _, d := range deps {
			for _, b := range banned {
				if strings.HasPrefix(d, b) {
					t.Errorf("%s depends on %s: plotting and Parquet belong in reports", dir, d)
				}
			}
			for _, l := range layers {
				if d == mod+l || strings.HasPrefix(d, mod+l+"/") {
					t.Errorf("%s depends on %s, a layer above it (model <- sim <- metrics <- experiment <- reports <- cmd)", dir, d)
				}
			}
		}
	}
}
