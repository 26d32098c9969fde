package reports

import (
	"fmt"
	"math"
)

// Scale says how a figure's metric axis is scaled.
type Scale int

// Scales: ScaleAuto picks a log axis when a panel's positive values span
// at least two decades and none is zero or negative.
const (
	ScaleAuto Scale = iota
	ScaleLinear
	ScaleLog
)

// ParseScale reads --y-scale.
func ParseScale(s string) (Scale, error) {
	switch s {
	case "auto":
		return ScaleAuto, nil
	case "linear":
		return ScaleLinear, nil
	case "log":
		return ScaleLog, nil
	}
	return 0, fmt.Errorf("--y-scale %q: want auto, linear or log", s)
}

// logDecades is how many decades a panel's values must span for an
// automatic log axis.
const logDecades = 2

func (sc Scale) logFor(p Panel) bool {
	switch sc {
	case ScaleLinear:
		return false
	case ScaleLog:
		return true
	}
	lo, hi := math.Inf(1), 0.0
	for _, s := range p.Series {
		for _, y := range s.Y {
			if math.IsNaN(y) {
				continue
			}
			if y <= 0 {
				return false
			}
			lo, hi = math.Min(lo, y), math.Max(hi, y)
		}
	}
	return hi > 0 && hi/lo >= math.Pow(10, logDecades)
}

// logSafe returns the series of a log panel with values at or below
// zero left out (NaN) and band ends cut at a tenth of the smallest
// positive value, so nothing asks a log axis for the log of zero.
func logSafe(series []Series) []Series {
	floor := math.Inf(1)
	for _, s := range series {
		for _, y := range s.Y {
			if y > 0 {
				floor = math.Min(floor, y/10)
			}
		}
	}
	if math.IsInf(floor, 1) {
		floor = 1e-12
	}
	out := make([]Series, len(series))
	for i, s := range series {
		c := s
		c.Y = append([]float64(nil), s.Y...)
		for k, y := range c.Y {
			if !(y > 0) {
				c.Y[k] = math.NaN()
			}
		}
		if s.Lo != nil {
			c.Lo, c.Hi = append([]float64(nil), s.Lo...), append([]float64(nil), s.Hi...)
			for k := range c.Lo {
				c.Lo[k] = math.Max(c.Lo[k], floor)
				c.Hi[k] = math.Max(c.Hi[k], floor)
			}
		}
		out[i] = c
	}
	return out
}
