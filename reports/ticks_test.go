package reports

import "testing"

// TestTickLabelsDistinct: a narrow range far from zero (net profit per
// node in whale-sybil, 7.899 to 7.914 KOII) gets tick labels that differ
// from one another, not three that all read 7.9.
func TestTickLabelsDistinct(t *testing.T) {
	for _, r := range [][2]float64{{7.8991, 7.9137}, {100.00001, 100.00005}, {0, 200}, {-3, 3}} {
		seen := map[string]float64{}
		for _, tk := range (trimmedTicks{}).Ticks(r[0], r[1]) {
			if tk.Label == "" {
				continue
			}
			if v, ok := seen[tk.Label]; ok {
				t.Errorf("range %v: ticks at %v and %v both read %q", r, v, tk.Value, tk.Label)
			}
			seen[tk.Label] = tk.Value
		}
	}
}
