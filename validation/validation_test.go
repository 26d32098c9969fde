package validation

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// TestValidationDetectsAShift: the coverage estimator has the power to
// tell q = 0.08 (P = 0.985) from the q = 0.05 (P = 0.923) the expected value assumes.
func TestValidationDetectsAShift(t *testing.T) {
	c := Cases()[0] // n=50, q=0.05
	f, err := runValidation("coverage", 1, 2000, "populations.auditors.behaviour.audit=0.08")
	if err != nil {
		t.Fatal(err)
	}
	est := rate(f.Class[classIndex(f, "cheat")], "slashed_count", "invalid", c.Expected)
	if z := (est.Mean - c.Expected) / est.SE; math.Abs(z) <= ZLimit {
		t.Errorf("q=0.08 estimated %.4f against %.4f: z = %.2f, want beyond ±%v", est.Mean, c.Expected, z, ZLimit)
	}
}

// TestExactCasesUseTheTolerance: a deterministic case passes within
// ExactTolerance of its expected value and fails beyond it, and its
// line shows "(exact)" and no z-score.
func TestExactCasesUseTheTolerance(t *testing.T) {
	for _, tc := range []struct {
		off  float64
		pass bool
	}{{0, true}, {ExactTolerance / 2, true}, {2 * ExactTolerance, false}} {
		c := Case{Name: "exact", Expected: 0.3, estimate: func(Options) (Estimate, error) {
			return Estimate{Mean: 0.3 + tc.off, N: 1, Exact: true}, nil
		}}
		r, err := c.Run(Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Pass != tc.pass {
			t.Errorf("off by %g: pass %v, want %v", tc.off, r.Pass, tc.pass)
		}
		var b bytes.Buffer
		r.WriteLine(&b)
		if !strings.Contains(b.String(), "(exact)") || !strings.Contains(b.String(), "       -  ") {
			t.Errorf("line %q lacks (exact) and an empty z", b.String())
		}
	}
}

// TestStatisticalCasesUseTheZScore: a case passes while |z| <= ZLimit
// and its line shows the 95% interval mean ± 1.96 SE and z.
func TestStatisticalCasesUseTheZScore(t *testing.T) {
	for _, tc := range []struct {
		z    float64
		pass bool
	}{{0, true}, {-3.9, true}, {4.1, false}, {-4.1, false}} {
		c := Case{Name: "stat", Expected: 1, estimate: func(Options) (Estimate, error) {
			return Estimate{Mean: 1 + tc.z*0.5, SE: 0.5, N: 100}, nil
		}}
		r, err := c.Run(Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Pass != tc.pass || math.Abs(r.Z()-tc.z) > 1e-12 {
			t.Errorf("z %v: got z %v, pass %v; want pass %v", tc.z, r.Z(), r.Pass, tc.pass)
		}
	}
	r, _ := Case{Name: "stat", Expected: 1, estimate: func(Options) (Estimate, error) {
		return Estimate{Mean: 2, SE: 0.5, N: 100}, nil
	}}.Run(Options{})
	var b bytes.Buffer
	r.WriteLine(&b)
	if !strings.Contains(b.String(), "[1.020000, 2.980000]") || !strings.Contains(b.String(), "+2.00  PASS") {
		t.Errorf("line %q", b.String())
	}
}

// TestSuiteNamesEveryCaseOnce: each case has its own name (the table and
// a failure message name a case by it).
func TestSuiteNamesEveryCaseOnce(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Cases() {
		if seen[c.Name] {
			t.Errorf("two cases named %q", c.Name)
		}
		seen[c.Name] = true
	}
}

// TestSamplingValidationTellsTheRulesApart: the audit_sampling cases have
// the power to tell koii (P = 0.598) from others (P = 0.672): each rule's
// estimate is beyond ±4 SE of the other rule's expected value.
func TestSamplingValidationTellsTheRulesApart(t *testing.T) {
	cases := samplingCases()
	for i, rule := range []string{"koii", "others"} {
		other := cases[1-i].Expected
		f, err := runValidation("sampling", 1, 2000, "rules.audit_sampling="+rule)
		if err != nil {
			t.Fatal(err)
		}
		est := rate(f.Class[classIndex(f, "cheat")], "slashed_count", "invalid", other)
		if z := (est.Mean - other) / est.SE; math.Abs(z) <= ZLimit {
			t.Errorf("%s estimated %.4f against the other rule's %.4f: z = %.2f, want beyond ±%v", rule, est.Mean, other, z, ZLimit)
		}
	}
}

// TestLateDetectionCaseDetectsAShift: the late-detection estimator has
// the power to tell late_detection 0.4 from the 0.3 its case expects.
func TestLateDetectionCaseDetectsAShift(t *testing.T) {
	f, err := runValidation("late", 1, 2000, "rules.late_detection=0.4")
	if err != nil {
		t.Fatal(err)
	}
	est := rate(f.Class[classIndex(f, "cheat")], "late_detections", "missed_detections", 0.3)
	if z := (est.Mean - 0.3) / est.SE; math.Abs(z) <= ZLimit {
		t.Errorf("p=0.4 estimated %.4f against 0.3: z = %.2f, want beyond ±%v", est.Mean, z, ZLimit)
	}
}

// TestVolunteerCaseDetectsAShift: the volunteer's dilemma case tells
// c/b = 1/2 (q* 0.236) from c/b = 1/4 (q* 0.467): judged against the
// first, a run at the second fails the stated tolerance.
func TestVolunteerCaseDetectsAShift(t *testing.T) {
	var c Case
	for _, k := range adaptiveCases() {
		if strings.Contains(k.Name, "c/b=1/2") {
			c = k
		}
	}
	c.estimate = func(o Options) (Estimate, error) {
		return meanPlay("volunteer", 3, 3, o, 0.03, "costs.fraud_loss=4")
	}
	r, err := c.Run(Options{Quick: true, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if r.Pass || math.Abs(r.Estimate.Mean-c.Expected) < 0.1 {
		t.Errorf("c/b = 1/4's mean play %.4f passes as c/b = 1/2's q* %.4f", r.Estimate.Mean, c.Expected)
	}
}
