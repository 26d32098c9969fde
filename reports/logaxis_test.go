package reports

import (
	"math"
	"testing"
)

// TestLogAxisWhereRateSpansDecades: a rate from 0.0001 to 0.5 over the
// sweep is drawn on a log axis; one within a decade stays linear; the
// choice can be forced either way, and a forced log axis never draws a
// value at or below zero.
func TestLogAxisWhereRateSpansDecades(t *testing.T) {
	s := syntheticSweep([]string{"rules.slash_fraction"}, [][]float64{{0, 0.25, 0.5, 0.75, 1}},
		[]string{"faulty.missed_detection_rate", "faulty.false_slash_rate"},
		func(m string, x []float64) float64 {
			if m == "faulty.missed_detection_rate" {
				return 0.5 * math.Pow(10, -4*x[0])
			}
			return 0.2 + 0.1*x[0]
		})
	for i := range s.Points { // rates: intervals stay above zero
		for m, e := range s.Points[i].Stats {
			e.Lo, e.Hi = e.Mean*0.9, e.Mean*1.1
			s.Points[i].Stats[m] = e
		}
	}
	logOf := func(name string) bool {
		for _, f := range SweepFigures(s, nil) {
			if f.Name == name {
				return f.Panels[0].LogY
			}
		}
		t.Fatalf("no figure %s", name)
		return false
	}
	if !logOf("sweep-missed-detection-rate") || logOf("sweep-false-slash-rate") {
		t.Errorf("auto: missed_detection_rate log %v (want true), false_slash_rate log %v (want false)", logOf("sweep-missed-detection-rate"), logOf("sweep-false-slash-rate"))
	}
	s.YScale = ScaleLinear
	if logOf("sweep-missed-detection-rate") {
		t.Error("--y-scale linear still drew a log axis")
	}
	s.YScale = ScaleLog
	if !logOf("sweep-false-slash-rate") {
		t.Error("--y-scale log drew a linear axis")
	}
	for _, f := range SweepFigures(s, nil) {
		if _, err := Render(f, SweepStyles(s), "png"); err != nil {
			t.Errorf("%s on a log axis: %v", f.Name, err)
		}
	}
}
