package validation

import (
	"math"
	"strings"
	"testing"
)

// TestSensitivityValidationCases: the sobol design and estimators
// recover the Ishigami function's known indices within four bootstrap
// standard errors, and morris recovers a linear function's effects
// exactly, through experiment.Points as a sweep draws them.
func TestSensitivityValidationCases(t *testing.T) {
	n := 0
	for _, c := range sensitivityCases() {
		est, err := c.estimate(Options{Quick: true, Workers: 1})
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		n++
		if est.Exact {
			if math.Abs(est.Mean-c.Expected) > ExactTolerance {
				t.Errorf("%s: %v, want %v", c.Name, est.Mean, c.Expected)
			}
			continue
		}
		if z := (est.Mean - c.Expected) / est.SE; !(math.Abs(z) <= ZLimit) || !(est.SE < 0.1) {
			t.Errorf("%s: %v ± %v (z %.2f), want %v", c.Name, est.Mean, est.SE, z, c.Expected)
		}
	}
	if n != 12 {
		t.Errorf("%d sensitivity cases, want 12", n)
	}
	var names []string
	for _, c := range Cases() {
		names = append(names, c.Name)
	}
	if all := strings.Join(names, "\n"); !strings.Contains(all, "sobol Ishigami ST of x3") || !strings.Contains(all, "morris linear mu* of x1") {
		t.Errorf("the suite lacks the sensitivity cases:\n%s", all)
	}
}
