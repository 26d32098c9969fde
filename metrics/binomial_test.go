package metrics

import (
	"math"
	"testing"
)

// TestWilsonAndClopperPearsonKnownValues: 0 of 100 and 5 of 20 against
// the textbook values (Wilson 1927; Clopper and Pearson 1934; Agresti
// and Coull 1998, table 1 style), to four decimals.
func TestWilsonAndClopperPearsonKnownValues(t *testing.T) {
	for _, c := range []struct {
		k, n       float64
		wlo, whi   float64
		cplo, cphi float64
	}{
		{0, 100, 0, 0.0370, 0, 0.0362},
		{5, 20, 0.1119, 0.4687, 0.0866, 0.4910},
		{20, 20, 0.8389, 1, 0.8316, 1},
	} {
		lo, hi := Wilson(c.k, c.n)
		if math.Abs(lo-c.wlo) > 5e-5 || math.Abs(hi-c.whi) > 5e-5 {
			t.Errorf("Wilson(%v, %v) = [%.5f, %.5f], want [%v, %v]", c.k, c.n, lo, hi, c.wlo, c.whi)
		}
		lo, hi = ClopperPearson(c.k, c.n)
		if math.Abs(lo-c.cplo) > 5e-5 || math.Abs(hi-c.cphi) > 5e-5 {
			t.Errorf("ClopperPearson(%v, %v) = [%.5f, %.5f], want [%v, %v]", c.k, c.n, lo, hi, c.cplo, c.cphi)
		}
	}
}
