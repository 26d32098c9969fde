package model

import (
	"math"
	"math/big"
	"testing"
)

// TestParseKOIIExact checks that scenario amounts in KOII become ROE
// exactly: 1 KOII = 10^9 ROE, at most nine decimals, no rounding
// (docs/model.md §1, Units).
func TestParseKOIIExact(t *testing.T) {
	tests := []struct {
		in   string
		want ROE
	}{
		{"1.9", 1_900_000_000},
		{"0.000000001", 1},
		{"10", 10_000_000_000},
		{"-3", -3_000_000_000},
		{"007.50", 7_500_000_000},
		{"0", 0},
		{"-0", 0},
		{"0.7", 700_000_000},
		{"0.123456789", 123_456_789},
		{"2.1000000000000", 2_100_000_000}, // trailing zeros past the ninth decimal are still exact
		{"1000000000", MaxROE},
		{"-1000000000", -MaxROE},
		{"999999999.999999999", MaxROE - 1},
		{" 1.5 ", 1_500_000_000},
	}
	for _, tt := range tests {
		got, err := ParseKOII(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseKOII(%q) = %d, %v; want %d, nil", tt.in, got, err, tt.want)
		}
	}
}

// TestParseKOIIRejects checks that an amount finer than 1 ROE, above
// MaxROE or not a plain decimal is an input error, never a silent
// rounding (docs/model.md §1, Units).
func TestParseKOIIRejects(t *testing.T) {
	for _, in := range []string{
		"0.0000000001",         // finer than 1 ROE
		"1.0000000005",         // finer than 1 ROE
		"1e3",                  // exponent
		"1E3",                  // exponent
		"",                     // empty
		" ",                    // blank
		".",                    // no digit
		"-",                    // a sign alone
		"-.",                   // a sign and a dot
		"abc",                  // not a number
		"1.2.3",                // two dots
		"1,5",                  // a decimal comma
		"0x10",                 // hexadecimal
		"1 000",                // grouping
		"--1",                  // two signs
		"1-",                   // a trailing sign
		"1.-5",                 // a sign in the decimals
		"NaN",                  //
		"Inf",                  //
		"1000000000.000000001", // MaxROE + 1 ROE
		"-1000000000.000000001",
		"1000000001",            // above MaxROE
		"9223372036",            // above MaxROE; 9223372036 * 10^9 still fits an int64
		"9223372037",            // the first whole number of KOII whose ROE overflow an int64
		"9999999999",            // ten digits: overflows an int64 in ROE
		"-9999999999",           // and negated
		"10000000000",           // eleven digits
		"18446744073.709551616", // 2^64 ROE
	} {
		if got, err := ParseKOII(in); err == nil {
			t.Errorf("ParseKOII(%q) = %d, nil; want an error", in, got)
		}
	}
}

// TestKOIIStringFormats checks that amounts print as exact KOII with no
// trailing zeros (docs/model.md §1).
func TestKOIIStringFormats(t *testing.T) {
	tests := []struct {
		in   ROE
		want string
	}{
		{1_900_000_000, "1.9"},
		{5000, "0.000005"},
		{-3_000_000_000, "-3"},
		{0, "0"},
		{1, "0.000000001"},
		{-1, "-0.000000001"},
		{MaxROE, "1000000000"},
		{math.MaxInt64, "9223372036.854775807"},
		{math.MinInt64, "-9223372036.854775808"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("ROE(%d).String() = %q, want %q", int64(tt.in), got, tt.want)
		}
	}
}

// TestKOIIStringRoundTrips checks that ParseKOII inverts String for
// every amount in [-MaxROE, MaxROE], on seeded random amounts of every
// order of magnitude (docs/model.md §1).
func TestKOIIStringRoundTrips(t *testing.T) {
	r := newRand(1)
	edge := []ROE{0, 1, -1, PerKOII, PerKOII - 1, PerKOII + 1, MaxROE, -MaxROE, MaxROE - 1}
	for i := 0; i < 20000+len(edge); i++ {
		var a ROE
		if i < len(edge) {
			a = edge[i]
		} else {
			a = r.Scaled(MaxROE)
			if r.IntN(2) == 0 {
				a = -a
			}
		}
		s := a.String()
		got, err := ParseKOII(s)
		if err != nil || got != a {
			t.Fatalf("case %d [seed %#x]: ParseKOII(%q) = %d, %v; want %d", i, testSeed, s, got, err, a)
		}
	}
}

// TestParseFractionRange checks that fractions (slash_fraction,
// initiator_share) are exact parts per billion in [0, 1] (docs/model.md §4).
func TestParseFractionRange(t *testing.T) {
	ok := []struct {
		in   string
		want Fraction
	}{
		{"0", 0},
		{"1", One},
		{"1.000", One},
		{"0.7", 700_000_000},
		{"0.333333333", 333_333_333},
		{"0.000000001", 1},
	}
	for _, tt := range ok {
		got, err := ParseFraction(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseFraction(%q) = %d, %v; want %d, nil", tt.in, got, err, tt.want)
		}
		if back, err := ParseFraction(got.String()); err != nil || back != got {
			t.Errorf("ParseFraction(%q.String() = %q) = %d, %v; want %d", tt.in, got.String(), back, err, got)
		}
	}
	for _, in := range []string{"1.000000001", "-0.1", "2", "0.0000000001", "x", "", "1e-1"} {
		if got, err := ParseFraction(in); err == nil {
			t.Errorf("ParseFraction(%q) = %d, nil; want an error", in, got)
		}
	}
	if got := Fraction(700_000_000).Float(); got != 0.7 {
		t.Errorf("Fraction(0.7).Float() = %v, want 0.7", got)
	}
}

// bigFloorMulDiv returns floor(a*b/c) computed with math/big.
func bigFloorMulDiv(a, b, c int64) *big.Int {
	p := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	return p.Quo(p, big.NewInt(c)) // non-negative operands: truncation is floor
}

// TestFractionOfIsFloor checks that a fraction of money rounds down
// exactly, for every amount up to the largest ROE (docs/model.md §4:
// floor(slash_fraction * stake)), against math/big.
func TestFractionOfIsFloor(t *testing.T) {
	r := newRand(2)
	for i := 0; i < 50000; i++ {
		f := Fraction(r.IntN(int(One) + 1))
		switch i % 10 {
		case 0:
			f = One
		case 1:
			f = 0
		}
		a := r.Scaled(math.MaxInt64)
		if i%7 == 0 {
			a = math.MaxInt64 - ROE(r.IntN(1000))
		}
		want := bigFloorMulDiv(int64(a), int64(f), int64(One))
		if got := f.Of(a); !want.IsInt64() || int64(got) != want.Int64() {
			t.Fatalf("case %d [seed %#x]: Fraction(%d).Of(%d) = %d, want %s", i, testSeed, f, a, got, want)
		}
	}
	if got := One.Of(math.MaxInt64); got != math.MaxInt64 {
		t.Errorf("One.Of(MaxInt64) = %d, want MaxInt64", got)
	}
	if got := Fraction(700_000_000).Of(3); got != 2 {
		t.Errorf("0.7 of 3 ROE = %d, want floor(2.1) = 2", got)
	}
}

// TestMulDivMatchesBig checks MulDiv = floor(a*b/c) exactly against
// math/big on random operands of every magnitude, and that a quotient
// above the largest ROE panics instead of wrapping (docs/model.md §4, the
// stake-proportional split; STYLE.md, Money).
func TestMulDivMatchesBig(t *testing.T) {
	r := newRand(3)
	maxROE := big.NewInt(math.MaxInt64)
	fits, overflows := 0, 0
	for i := 0; i < 50000; i++ {
		a, b := r.Scaled(math.MaxInt64), r.Scaled(math.MaxInt64)
		c := 1 + r.Scaled(math.MaxInt64-1)
		want := bigFloorMulDiv(int64(a), int64(b), int64(c))
		if want.Cmp(maxROE) > 0 {
			overflows++
			if !panics(func() { MulDiv(a, b, c) }) {
				t.Fatalf("case %d [seed %#x]: MulDiv(%d, %d, %d) did not panic; the quotient %s overflows", i, testSeed, a, b, c, want)
			}
			continue
		}
		fits++
		if got := MulDiv(a, b, c); int64(got) != want.Int64() {
			t.Fatalf("case %d [seed %#x]: MulDiv(%d, %d, %d) = %d, want %s", i, testSeed, a, b, c, got, want)
		}
	}
	if fits < 1000 || overflows < 1000 {
		t.Errorf("generator covered %d fitting and %d overflowing cases; want both well represented", fits, overflows)
	}
}

// TestMulDivPanics checks MulDiv's documented panics: a negative
// operand, a zero or negative divisor, a quotient that does not fit.
func TestMulDivPanics(t *testing.T) {
	tests := []struct {
		name    string
		a, b, c ROE
		panics  bool
		want    ROE
	}{
		{"negative a", -1, 1, 1, true, 0},
		{"negative b", 1, -1, 1, true, 0},
		{"zero c", 1, 1, 0, true, 0},
		{"negative c", 1, 1, -1, true, 0},
		{"quotient above 2^64", math.MaxInt64, math.MaxInt64, 1, true, 0},
		{"quotient 2^63 exactly", 1 << 62, 2, 1, true, 0},
		{"quotient 2MaxInt64", math.MaxInt64, 2, 1, true, 0},
		{"largest quotient", math.MaxInt64, 1, 1, false, math.MaxInt64},
		{"huge product, small quotient", math.MaxInt64, math.MaxInt64, math.MaxInt64, false, math.MaxInt64},
		{"zero a", 0, math.MaxInt64, 1, false, 0},
		{"floor", 10, 1, 3, false, 3},
	}
	for _, tt := range tests {
		var got ROE
		p := panics(func() { got = MulDiv(tt.a, tt.b, tt.c) })
		if p != tt.panics || !p && got != tt.want {
			t.Errorf("%s: MulDiv(%d, %d, %d) = %d, panicked %v; want %d, panic %v", tt.name, tt.a, tt.b, tt.c, got, p, tt.want, tt.panics)
		}
	}
}

// panics reports whether f panics.
func panics(f func()) (p bool) {
	defer func() { p = recover() != nil }()
	f()
	return false
}
