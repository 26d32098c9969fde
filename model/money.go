package model

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// ROE is an amount of KOII tokens in its smallest unit (docs/model.md §1).
// All accounting is done in ROE; floats never touch the ledger.
type ROE int64

// PerKOII is the number of ROE in one KOII.
const PerKOII ROE = 1_000_000_000

// MaxROE bounds every amount a scenario may state (10^9 KOII, about 15
// times Koii's total supply). It does not bound sums: the engine refuses
// a run whose stakes, balances and bounty add up to more than 2^62 ROE,
// so that no sum of money in a run can overflow.
const MaxROE ROE = 1_000_000_000 * PerKOII

// KOII returns a as a float number of KOII, for statistics and printing only.
func (a ROE) KOII() float64 { return float64(a) / float64(PerKOII) }

// String formats a as an exact decimal number of KOII with no trailing
// zeros, the inverse of ParseKOII: "1.9", "0.000005", "-3".
func (a ROE) String() string {
	neg := a < 0
	u := uint64(a)
	if neg {
		u = uint64(-a)
	}
	whole, frac := u/uint64(PerKOII), u%uint64(PerKOII)
	s := strconv.FormatUint(whole, 10)
	if frac != 0 {
		f := fmt.Sprintf("%09d", frac)
		s += "." + strings.TrimRight(f, "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// ParseKOII parses a decimal number of KOII ("1.9", "10", "0.000000001")
// into ROE exactly. More than nine decimals is an error rather than a
// silent rounding (docs/model.md §1), and so are exponents, digits
// separators, and magnitudes above MaxROE. A leading sign and
// surrounding spaces are accepted.
func ParseKOII(s string) (ROE, error) {
	t := strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(t, "-") {
		neg, t = true, t[1:]
	} else if strings.HasPrefix(t, "+") {
		t = t[1:]
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if whole == "" && frac == "" || !digits(whole) || !digits(frac) || hasDot && frac == "" && whole == "" {
		return 0, fmt.Errorf("%q is not a decimal number of KOII", s)
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > 9 {
		return 0, fmt.Errorf("%q is finer than 1 ROE (KOII amounts take at most 9 decimals)", s)
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > 10 {
		return 0, fmt.Errorf("%q is above the largest amount, %s KOII", s, MaxROE)
	}
	var w, f uint64
	if whole != "" {
		w, _ = strconv.ParseUint(whole, 10, 64)
	}
	if frac != "" {
		f, _ = strconv.ParseUint(frac+strings.Repeat("0", 9-len(frac)), 10, 64)
	}
	// Ten digits of whole KOII can overflow an int64 in ROE (v wraps): bound w too.
	v := ROE(w)*PerKOII + ROE(f)
	if w > uint64(MaxROE/PerKOII) || v > MaxROE {
		return 0, fmt.Errorf("%q is above the largest amount, %s KOII", s, MaxROE)
	}
	if neg {
		v = -v
	}
	return v, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Fraction is an exact fraction between 0 and 1 in parts per billion,
// used wherever a fraction multiplies money (slash_fraction,
// initiator_share), so that the product rounds in one documented way.
type Fraction uint32

// One is the fraction 1.
const One Fraction = 1_000_000_000

// ParseFraction parses a decimal fraction in [0, 1] with at most nine
// decimals ("0.7", "1", "0.333333333").
func ParseFraction(s string) (Fraction, error) {
	v, err := ParseKOII(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a fraction with at most 9 decimals", s)
	}
	if v < 0 || v > PerKOII {
		return 0, fmt.Errorf("%s is outside [0, 1]", s)
	}
	return Fraction(v), nil
}

// String formats f as a decimal ("0.7").
func (f Fraction) String() string { return ROE(f).String() }

// Float returns f as a float64, for statistics only.
func (f Fraction) Float() float64 { return float64(f) / float64(One) }

// Of returns floor(f * a) for a >= 0. The product is computed in 128
// bits, so it is exact for every amount.
func (f Fraction) Of(a ROE) ROE {
	return MulDiv(a, ROE(f), ROE(One))
}

// MulDiv returns floor(a * b / c) for non-negative a, b and positive c,
// exactly, using a 128-bit intermediate. It panics if an argument is
// negative, c is zero, or the quotient does not fit an ROE: callers
// guarantee all three.
func MulDiv(a, b, c ROE) ROE {
	if a < 0 || b < 0 || c <= 0 {
		panic(fmt.Sprintf("model.MulDiv(%d, %d, %d): negative or zero argument", a, b, c))
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) {
		panic(fmt.Sprintf("model.MulDiv(%d, %d, %d): quotient overflows", a, b, c))
	}
	q, _ := bits.Div64(hi, lo, uint64(c))
	if q > 1<<63-1 {
		panic(fmt.Sprintf("model.MulDiv(%d, %d, %d): quotient overflows", a, b, c))
	}
	return ROE(q)
}
