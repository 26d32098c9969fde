package reports

import (
	"fmt"
	"strings"
	"testing"

	"github.com/koiisim/koiisim/scenarios"
)

// verdictGrid makes the points of a 2 x 2 x 2 grid over a, b and c and
// one assertion's result at each, passing where pass says.
func verdictGrid(pass func(a, b, c string) bool) ([]CheckResult, []SummaryPoint) {
	var rs []CheckResult
	var ps []SummaryPoint
	i := 0
	for _, a := range []string{"0", "1"} {
		for _, b := range []string{"0", "1"} {
			for _, c := range []string{"x", "y"} {
				label := fmt.Sprint(i)
				ps = append(ps, SummaryPoint{Label: label, Values: map[string]string{"rules.a": a, "rules.b": b, "rules.c": c}})
				ok := pass(a, b, c)
				obs := 5.0
				if ok {
					obs = -5
				}
				rs = append(rs, CheckResult{Name: "loses", Metric: "whale.net_profit", Point: label, Op: scenarios.OpLess, Stat: scenarios.StatCIHigh, Observed: obs, N: 5, Pass: ok})
				i++
			}
		}
	}
	return rs, ps
}

// TestVerdictsNameTheShortestConditions: an assertion that holds where
// a = 1, or where b = 1 and c = y, is described by exactly those two
// conditions (not by longer ones they contain), and where it fails by
// its own minimal conditions; the table has every point.
func TestVerdictsNameTheShortestConditions(t *testing.T) {
	rs, ps := verdictGrid(func(a, b, c string) bool { return a == "1" || b == "1" && c == "y" })
	v := Verdicts(rs, ps, []string{"rules.a", "rules.b", "rules.c"})
	if len(v) != 1 {
		t.Fatalf("%d verdicts, want 1", len(v))
	}
	text := v[0].Text
	for _, want := range []string{
		"holds at 5 of 8 points",
		"wherever a = 1; wherever b = 1 and c = y",
		"it fails wherever a = 0 and b = 0; wherever a = 0 and c = x",
		"upper end of its 95% confidence interval",
		"between -5 and -5; where it fails, between 5 and 5",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("verdict %q lacks %q", text, want)
		}
	}
	if strings.Contains(text, "a = 1 and") {
		t.Errorf("verdict %q names a condition longer than a = 1 that contains it", text)
	}
	if len(v[0].Table.Rows) != 8 {
		t.Errorf("%d table rows, want 8", len(v[0].Table.Rows))
	}
}

// TestVerdictsNamePointsNoShortConditionReaches: with a condition that
// takes all three settings at once, which the search still finds, and
// with a single exception among eight, the sentence stays exact.
func TestVerdictsNamePointsNoShortConditionReaches(t *testing.T) {
	rs, ps := verdictGrid(func(a, b, c string) bool { return !(a == "1" && b == "0" && c == "y") })
	text := Verdicts(rs, ps, []string{"rules.a", "rules.b", "rules.c"})[0].Text
	if !strings.Contains(text, "holds at 7 of 8 points") || !strings.Contains(text, "it fails wherever a = 1 and b = 0 and c = y") {
		t.Errorf("verdict %q", text)
	}
	// Every point passing: no conditions, just the count.
	rs, ps = verdictGrid(func(a, b, c string) bool { return true })
	if text := Verdicts(rs, ps, []string{"rules.a", "rules.b", "rules.c"})[0].Text; !strings.Contains(text, "holds at 8 of 8 points.") || strings.Contains(text, "wherever") {
		t.Errorf("all passing: %q", text)
	}
}

// TestVerdictsListPointsOfScatteredDesigns: a random design's values are
// all distinct, so conditions on them would each be one point: the
// sentence names the failing points by their values instead.
func TestVerdictsListPointsOfScatteredDesigns(t *testing.T) {
	var rs []CheckResult
	var ps []SummaryPoint
	for i := 0; i < 20; i++ {
		label := fmt.Sprint(i)
		ps = append(ps, SummaryPoint{Label: label, Values: map[string]string{"rules.slash_fraction": fmt.Sprintf("0.%02d", i+3)}})
		rs = append(rs, CheckResult{Name: "safe", Metric: "m.x", Point: label, Op: scenarios.OpLess, Observed: float64(i), N: 3, Pass: i >= 2})
	}
	text := Verdicts(rs, ps, []string{"rules.slash_fraction"})[0].Text
	if !strings.Contains(text, "holds at 18 of 20 points") || !strings.Contains(text, "it fails at (slash_fraction = 0.03), (slash_fraction = 0.04)") {
		t.Errorf("verdict %q", text)
	}
}
