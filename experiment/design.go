package experiment

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/koiisim/koiisim/scenarios"
	"github.com/koiisim/koiisim/sim"
)

// Points returns the values of every point of the sweep's design, one
// text per dimension in the sweep's order, as --set takes it. A grid
// lists every combination with the first dimension varying slowest;
// random and lhs draw from a stream keyed by seed alone, so the same
// sweep and seed give the same points on any machine. sw must be valid
// (scenarios.Sweep.Validate).
func Points(sw *scenarios.Sweep, seed uint64) [][]string {
	if sw.Design == scenarios.DesignGrid {
		return grid(sw)
	}
	unit := UnitPoints(sw, seed)
	out := make([][]string, len(unit))
	for i, q := range unit {
		out[i] = make([]string, len(sw.Vary))
		for d := range sw.Vary {
			out[i][d] = valueAt(&sw.Vary[d], q[d])
		}
	}
	return out
}

// UnitPoints returns the coordinates in [0, 1) of each point of a random
// or lhs design, one per dimension, before they are mapped to values. In
// an lhs design, the point i of each dimension d lies in stratum
// floor(q[i][d] × points), and the strata of a dimension are a
// permutation of 0 .. points-1.
func UnitPoints(sw *scenarios.Sweep, seed uint64) [][]float64 {
	n := sw.Points
	rng := sim.NamedStream(fmt.Sprintf("koiisim/sweep/%s/%d", sw.Design, seed))
	switch sw.Design {
	case scenarios.DesignMorris:
		return morrisUnit(n, len(sw.Vary), rng)
	case scenarios.DesignSobol:
		return saltelliUnit(n, len(sw.Vary), rng)
	}
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, len(sw.Vary))
	}
	for d := range sw.Vary {
		switch sw.Design {
		case scenarios.DesignLHS:
			perm := rng.Perm(n)
			for i := range n {
				out[i][d] = (float64(perm[i]) + rng.Float64()) / float64(n)
			}
		default:
			for i := range n {
				out[i][d] = rng.Float64()
			}
		}
	}
	return out
}

// grid is the cartesian product of the dimensions' levels.
func grid(sw *scenarios.Sweep) [][]string {
	levels := make([][]string, len(sw.Vary))
	total := 1
	for d := range sw.Vary {
		levels[d] = Levels(&sw.Vary[d])
		total *= len(levels[d])
	}
	out := make([][]string, total)
	for i := range out {
		out[i] = make([]string, len(sw.Vary))
		rest := i
		for d := len(sw.Vary) - 1; d >= 0; d-- {
			out[i][d] = levels[d][rest%len(levels[d])]
			rest /= len(levels[d])
		}
	}
	return out
}

// Levels returns the values of a discrete dimension: its list, or its
// range cut into Steps evenly spaced values, from and to included,
// rounded to 9 decimals (to whole numbers for whole-number ends), half
// away from zero. It returns nil for a continuous range.
func Levels(d *scenarios.Dimension) []string {
	if !d.IsRange() {
		return d.Values
	}
	if d.Steps < 2 {
		return nil
	}
	lo, hi := rat(d.From), rat(d.To)
	span := new(big.Rat).Sub(hi, lo)
	out := make([]string, d.Steps)
	for i := range out {
		v := new(big.Rat).Mul(span, big.NewRat(int64(i), int64(d.Steps-1)))
		out[i] = decimal(v.Add(v, lo), d.Integer())
	}
	return out
}

// valueAt maps a unit coordinate q in [0, 1) to a value of d: a level
// by index for a discrete dimension, a whole number uniformly in
// [from, to] for whole-number ends, else from + q × (to - from) rounded
// to 9 decimals.
func valueAt(d *scenarios.Dimension, q float64) string {
	if lv := Levels(d); lv != nil {
		return lv[min(int(q*float64(len(lv))), len(lv)-1)]
	}
	lo, hi := rat(d.From), rat(d.To)
	if lo.Cmp(hi) > 0 {
		lo, hi = hi, lo
	}
	if d.Integer() {
		a, b := lo.Num().Int64(), hi.Num().Int64()
		k := min(int64(math.Floor(q*float64(b-a+1))), b-a)
		return strconv.FormatInt(a+k, 10)
	}
	v := new(big.Rat).SetFloat64(q)
	v.Mul(v, new(big.Rat).Sub(hi, lo))
	return decimal(v.Add(v, lo), false)
}

// rat parses a range end, which Validate has checked.
func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(strings.TrimPrefix(s, "+"))
	if !ok {
		panic("experiment: unchecked range end " + strconv.Quote(s))
	}
	return r
}

// decimal writes v rounded half away from zero to a whole number or to
// 9 decimals, without trailing zeros or a negative zero.
func decimal(v *big.Rat, whole bool) string {
	prec := 9
	if whole {
		prec = 0
	}
	s := v.FloatString(prec)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if strings.Trim(s, "-0") == "" {
		return "0"
	}
	return s
}
