package model

import (
	"fmt"
	"math"
)

// Rand is the source of chance a rule or behaviour draws from. The engine
// hands out streams derived from (seed, purpose, node, round), so a draw
// never depends on how many draws other nodes made.
type Rand interface {
	Uint64() uint64
	// Float64 returns a uniform float in [0, 1).
	Float64() float64
	// IntN returns a uniform int in [0, n); n > 0.
	IntN(n int) int
}

// DistKind names a family of distributions.
type DistKind uint8

const (
	DistFixed       DistKind = iota // always Value
	DistUniform                     // uniform on [Min, Max]
	DistNormal                      // Normal(Mean, SD), clamped to [Min, Max]
	DistLogNormal                   // exp(Normal(Mu, Sigma)) with Mu, Sigma of the log, clamped to [Min, Max]
	DistExponential                 // Exponential with mean Mean, shifted by Min, clamped to Max
)

// DistNames are the names the scenario format uses for DistKind.
var DistNames = []string{"fixed", "uniform", "normal", "lognormal", "exponential"}

func (k DistKind) String() string { return DistNames[k] }

// Dist is a distribution of a non-negative quantity: a delay in slots or
// a stake in KOII. Draws are clamped to [Min, Max] (Max 0 means no upper
// bound) so a tail never yields a negative delay or stake.
type Dist struct {
	Kind  DistKind
	Value float64 // fixed
	Min   float64 // uniform lower bound; lower clamp for the others
	Max   float64 // uniform upper bound; upper clamp for the others (0: none)
	Mean  float64 // normal, exponential
	SD    float64 // normal
	Mu    float64 // lognormal: mean of the log
	Sigma float64 // lognormal: sd of the log
}

// Fixed returns the distribution that always yields v.
func Fixed(v float64) Dist { return Dist{Kind: DistFixed, Value: v} }

// Uniform returns the uniform distribution on [lo, hi].
func Uniform(lo, hi float64) Dist { return Dist{Kind: DistUniform, Min: lo, Max: hi} }

// Draw returns one draw from d.
func (d Dist) Draw(r Rand) float64 {
	var v float64
	switch d.Kind {
	case DistFixed:
		return d.Value
	case DistUniform:
		return d.Min + (d.Max-d.Min)*r.Float64()
	case DistNormal:
		v = d.Mean + d.SD*normal(r)
	case DistLogNormal:
		v = math.Exp(d.Mu + d.Sigma*normal(r))
	case DistExponential:
		v = d.Min - d.Mean*math.Log(1-r.Float64())
	}
	if v < d.Min {
		v = d.Min
	}
	if d.Max > 0 && v > d.Max {
		v = d.Max
	}
	return v
}

// Slots draws a delay and floors it to whole slots. A draw beyond
// MaxRoundTime is capped there: a delay that long is late in any window,
// and the cap keeps the conversion from overflowing.
func (d Dist) Slots(r Rand) Slot {
	return Slot(math.Floor(min(d.Draw(r), float64(MaxRoundTime))))
}

// Amount draws an amount of KOII and rounds it to the nearest ROE, so a
// fixed stake written with nine decimals comes out exactly (a float64
// times 10^9 can land a hair below the integer it means), capped at
// MaxROE.
func (d Dist) Amount(r Rand) ROE {
	v := math.Round(d.Draw(r) * float64(PerKOII))
	if v >= float64(MaxROE) {
		return MaxROE
	}
	return ROE(v)
}

// Bound returns the largest value d can yield, or +Inf when it has no
// upper bound.
func (d Dist) Bound() float64 {
	switch {
	case d.Kind == DistFixed:
		return d.Value
	case d.Max > 0:
		return d.Max
	}
	return math.Inf(1)
}

// Median returns the median of d's draws (clamping included), for
// validation: a distribution without an upper bound may still be
// implausible as a whole.
func (d Dist) Median() float64 {
	var v float64
	switch d.Kind {
	case DistFixed:
		return d.Value
	case DistUniform:
		return (d.Min + d.Max) / 2
	case DistNormal:
		v = d.Mean
	case DistLogNormal:
		v = math.Exp(d.Mu)
	case DistExponential:
		v = d.Min + d.Mean*math.Ln2
	}
	v = max(v, d.Min)
	if d.Max > 0 {
		v = min(v, d.Max)
	}
	return v
}

// ExpectedValue returns the distribution's expected value before clamping, for
// reports and warnings.
func (d Dist) ExpectedValue() float64 {
	switch d.Kind {
	case DistFixed:
		return d.Value
	case DistUniform:
		return (d.Min + d.Max) / 2
	case DistNormal:
		return d.Mean
	case DistLogNormal:
		return math.Exp(d.Mu + d.Sigma*d.Sigma/2)
	default:
		return d.Min + d.Mean
	}
}

// normal draws a standard normal by the Box-Muller transform: two
// uniforms per draw, so the stream position does not depend on state.
func normal(r Rand) float64 {
	u1 := 1 - r.Float64() // (0, 1]
	u2 := r.Float64()
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// Validate checks d's parameters; path names it in errors.
func (d Dist) Validate(p *Problems, path string) {
	finite := func(name string, v float64) bool {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			p.Addf(path+"."+name, "must be a finite number, got %v", v)
			return false
		}
		return true
	}
	nonNeg := func(name string, v float64) {
		if finite(name, v) && v < 0 {
			p.Addf(path+"."+name, "must not be negative, got %v", v)
		}
	}
	switch d.Kind {
	case DistFixed:
		nonNeg("value", d.Value)
		return
	case DistUniform:
		nonNeg("min", d.Min)
		nonNeg("max", d.Max)
		if d.Max < d.Min {
			p.Addf(path+".max", "must be at least min (%v), got %v", d.Min, d.Max)
		}
		return
	case DistNormal:
		finite("mean", d.Mean)
		nonNeg("sd", d.SD)
	case DistLogNormal:
		finite("mu", d.Mu)
		nonNeg("sigma", d.Sigma)
	case DistExponential:
		if finite("mean", d.Mean) && d.Mean <= 0 {
			p.Addf(path+".mean", "must be positive, got %v", d.Mean)
		}
	default:
		p.Addf(path+".dist", "unknown distribution %d", d.Kind)
		return
	}
	nonNeg("min", d.Min)
	nonNeg("max", d.Max)
	if d.Max > 0 && d.Max < d.Min {
		p.Addf(path+".max", "must be at least min (%v), got %v", d.Min, d.Max)
	}
}

// String describes d in the scenario format's words.
func (d Dist) String() string {
	switch d.Kind {
	case DistFixed:
		return fmt.Sprintf("fixed %v", d.Value)
	case DistUniform:
		return fmt.Sprintf("uniform [%v, %v]", d.Min, d.Max)
	case DistNormal:
		return fmt.Sprintf("normal(mean %v, sd %v)", d.Mean, d.SD)
	case DistLogNormal:
		return fmt.Sprintf("lognormal(mu %v, sigma %v)", d.Mu, d.Sigma)
	default:
		return fmt.Sprintf("exponential(mean %v)+%v", d.Mean, d.Min)
	}
}
