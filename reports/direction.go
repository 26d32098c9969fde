package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/koiisim/koiisim/metrics"
)

// Direction says which way a metric should move for `koiisim check` to
// call the move a regression: "lower" (lower is better: a rise fails, a
// fall is an improvement), "higher", or "both" (two-sided: any real
// change fails, as CHANGED).
type Direction string

// The directions.
const (
	LowerBetter  Direction = "lower"
	HigherBetter Direction = "higher"
	TwoSided     Direction = "both"
)

// ParseDirection reads a direction as --direction and baseline files
// spell it.
func ParseDirection(s string) (Direction, error) {
	switch d := Direction(s); d {
	case LowerBetter, HigherBetter, TwoSided:
		return d, nil
	}
	return "", fmt.Errorf("direction %q: want lower, higher or both", s)
}

// lowerBetter are the metrics whose rise is bad for the protocol
// whichever class they belong to: wrong verdicts, lost cycles, lists
// and rewards. Every other metric is two-sided by default (whether more
// net profit is good depends on whose it is); a baseline's --direction
// sets any metric's.
var lowerBetter = map[string]bool{
	"false_slashes": true, "false_slash_rate": true, "missed_detections": true, "missed_detection_rate": true,
	"never_caught": true, "detection_latency": true, "cycles_unpaid": true, "unpaid_rate": true,
	"wrong_lists": true, "correct_lists_rejected": true, "rewards_lost_to_attackers": true,
}

// DefaultDirection is a metric path's direction when none is recorded.
func DefaultDirection(path string) Direction {
	if lowerBetter[path[strings.LastIndexByte(path, '.')+1:]] {
		return LowerBetter
	}
	return TwoSided
}

// FamilyAlpha (docs/model.md §14.3) is the chance, on an unchanged tree with a new seed, that
// stat mode raises any alarm at all across the metrics it compares: each
// metric is tested at FamilyAlpha / (metrics compared) (Bonferroni), so
// guarding 300 metrics does not mean a false alarm in most builds.
const FamilyAlpha = 0.01

// differs reports whether base and now differ beyond noise at level
// alpha: Welch's t-test on their recorded means, SDs and counts; with a
// single run on either side (no SD), whether the point lies outside the
// other's interval, or the points differ.
func differs(base, now metrics.Estimate, alpha float64) bool {
	if math.IsNaN(base.Mean) || math.IsNaN(now.Mean) {
		return !(math.IsNaN(base.Mean) && math.IsNaN(now.Mean))
	}
	if base.N < 2 || now.N < 2 || math.IsNaN(base.SD) || math.IsNaN(now.SD) {
		return !intervalsOverlap(base, now)
	}
	va, vb := base.SD*base.SD/float64(base.N), now.SD*now.SD/float64(now.N)
	se := math.Sqrt(va + vb)
	if se == 0 {
		return base.Mean != now.Mean
	}
	tv := (now.Mean - base.Mean) / se
	df := (va + vb) * (va + vb) / (va*va/float64(base.N-1) + vb*vb/float64(now.N-1))
	// p < alpha, read as |t| beyond the t quantile at 1 − alpha/2.
	return math.Abs(tv) > metrics.TQuantile(1-alpha/2, df)
}

// Verdict is the word check prints for a comparison: ok, improved,
// REGRESSION (worse in the metric's direction), CHANGED (a two-sided
// metric moved, or any change in exact mode) or missing.
func (c Comparison) Verdict() string {
	switch {
	case c.Note == "missing from this run":
		return "REGRESSION: missing from this run"
	case c.Pass && c.Better:
		return "improved"
	case c.Pass:
		return "ok"
	case c.Worse:
		return "REGRESSION: " + c.Note
	}
	return "CHANGED: " + c.Note
}
