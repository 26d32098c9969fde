package scenarios

import (
	"fmt"
	"math"
	"path"
	"regexp"
	"strings"

	"github.com/koiisim/koiisim/model"
)

// Sweep is the experiment `koiisim sweep` runs over a scenario: the
// fields that vary, each named by its --set path, how points are drawn
// from their values, and how many replicates run at each point. It is
// not part of what one run does, so Hash leaves it out.
type Sweep struct {
	Design     Design
	Points     int         // random and lhs: the points to draw; 0 for a grid, whose points are the product of its dimensions
	Replicates int         // runs per point, each with its own seed
	Metrics    []string    // metric paths or patterns (faulty.*) the summary reports; nil: the default set
	Vary       []Dimension // in order: the first varies slowest in a grid
}

// Design is how a sweep draws its points.
type Design uint8

// The designs: a grid is the cartesian product of the dimensions'
// values; random draws each point's coordinates independently; lhs is a
// Latin hypercube, one point in each of Points strata of every
// dimension; morris draws Points one-at-a-time trajectories of k+1
// points each (elementary effects); sobol draws Points base samples of
// k+2 points each (Saltelli's A, B and A with one column of B).
const (
	DesignGrid Design = iota
	DesignRandom
	DesignLHS
	DesignMorris
	DesignSobol
)

// DesignNames are the designs' names in the scenario format.
var DesignNames = []string{"grid", "random", "lhs", "morris", "sobol"}

// Sensitivity reports whether the design is a sensitivity design, whose
// points come in groups of a fixed structure.
func (d Design) Sensitivity() bool { return d == DesignMorris || d == DesignSobol }

// DesignPoints returns how many points the design runs: Points for
// random and lhs, Points × (k+1) for morris, Points × (k+2) for sobol,
// GridPoints for a grid.
func (sw *Sweep) DesignPoints() int {
	k := len(sw.Vary)
	switch sw.Design {
	case DesignMorris:
		return sw.Points * (k + 1)
	case DesignSobol:
		return sw.Points * (k + 2)
	}
	return sw.GridPoints()
}

func (d Design) String() string {
	if int(d) < len(DesignNames) {
		return DesignNames[d]
	}
	return fmt.Sprintf("design(%d)", uint8(d))
}

// Dimension is one field a sweep varies: either a list of values, or a
// range of decimal numbers from From to To (both included), cut into
// Steps values for a grid or drawn from continuously by random and lhs.
type Dimension struct {
	Path     string   // a --set path: rules.slash_fraction, populations.auditors.count
	Values   []string // each a YAML value as --set takes it; nil for a range
	From, To string   // the range's ends as written: decimals with at most 9 decimals
	Steps    int      // values in the range for a grid (>= 2); 0: continuous (random and lhs only)
}

// IsRange reports whether d is a range rather than a list of values.
func (d *Dimension) IsRange() bool { return len(d.Values) == 0 }

// Integer reports whether the range's ends are whole numbers, in which
// case every value drawn from it is a whole number too.
func (d *Dimension) Integer() bool {
	return !strings.ContainsAny(d.From, ".eE") && !strings.ContainsAny(d.To, ".eE")
}

// Limits of a sweep.
const (
	DefaultReplicates = 1
	MaxReplicates     = 100_000
	MaxPoints         = 1_000_000
	MaxCells          = 10_000_000 // points × replicates
	MaxValues         = 10_000     // values of one dimension
	MaxDimensions     = 64
)

// decimalText is the syntax of a range end: a plain decimal, at most 9
// decimals, so every value drawn from the range is exact.
var decimalText = regexp.MustCompile(`^[-+]?[0-9]{1,15}(\.[0-9]{1,9})?$`)

// pathText is the syntax of a --set path: keys joined by dots.
var pathText = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$`)

// Size returns the number of values of a discrete dimension (a list, or
// a range with steps), or 0 for a continuous range.
func (d *Dimension) Size() int {
	if !d.IsRange() {
		return len(d.Values)
	}
	return d.Steps
}

// GridPoints returns the number of points of the sweep: Points for
// random and lhs, the product of the dimensions' sizes for a grid (1
// with no dimension). It returns -1 when the product passes MaxPoints.
func (sw *Sweep) GridPoints() int {
	if sw.Design != DesignGrid {
		return sw.Points
	}
	n := 1
	for i := range sw.Vary {
		s := sw.Vary[i].Size()
		if s <= 0 {
			return 0
		}
		if n > MaxPoints/s {
			return -1
		}
		n *= s
	}
	return n
}

// Validate reports every problem of the sweep by field path
// ("sweep.vary[1].steps"). It checks the sweep's own shape; whether each
// point makes a valid scenario is known only when the point is applied.
func (sw *Sweep) Validate() model.Problems {
	var p model.Problems
	switch {
	case sw.Design == DesignGrid && sw.Points != 0:
		p.Addf("sweep.points", "a grid's points are the product of its dimensions' values; leave points out, or use design: random or lhs")
	case sw.Design.Sensitivity() && (sw.Points < 2 || sw.DesignPoints() > MaxPoints):
		p.Addf("sweep.points", "design %s needs points (its trajectories or base samples) of at least 2 and at most %d points in all, got %d", sw.Design, MaxPoints, sw.Points)
	case sw.Design != DesignGrid && (sw.Points < 1 || sw.Points > MaxPoints):
		p.Addf("sweep.points", "design %s needs points in [1, %d], got %d", sw.Design, MaxPoints, sw.Points)
	}
	if sw.Design.Sensitivity() && len(sw.Vary) < 1 {
		p.Addf("sweep.vary", "design %s needs at least one dimension", sw.Design)
	}
	if sw.Replicates < 1 || sw.Replicates > MaxReplicates {
		p.Addf("sweep.replicates", "must be in [1, %d], got %d", MaxReplicates, sw.Replicates)
	}
	if len(sw.Vary) > MaxDimensions {
		p.Addf("sweep.vary", "has %d dimensions; at most %d are allowed", len(sw.Vary), MaxDimensions)
	}
	for i, m := range sw.Metrics {
		if _, err := path.Match(m, ""); err != nil || m == "" || strings.ContainsAny(m, " \t,") {
			p.Addf(fmt.Sprintf("sweep.metrics[%d]", i), "must be a metric path (faulty.net_profit) or a pattern (faulty.*), got %q", m)
		}
	}
	for i := range sw.Vary {
		sw.Vary[i].validate(&p, fmt.Sprintf("sweep.vary[%d]", i), sw.Design)
		for j := range i {
			a, b := sw.Vary[j].Path, sw.Vary[i].Path
			if a != "" && b != "" && (a == b || strings.HasPrefix(b, a+".") || strings.HasPrefix(a, b+".")) {
				p.Addf(fmt.Sprintf("sweep.vary[%d].path", i), "%s overlaps %s of sweep.vary[%d]; each field may vary in one dimension only", b, a, j)
			}
		}
	}
	if pts := sw.GridPoints(); pts < 0 {
		p.Addf("sweep.vary", "the grid has more than %d points", MaxPoints)
	} else if pts = sw.DesignPoints(); sw.Replicates >= 1 && pts > 0 && pts > MaxCells/sw.Replicates {
		p.Addf("sweep", "%d points × %d replicates is more than %d runs", pts, sw.Replicates, MaxCells)
	}
	return p
}

func (d *Dimension) validate(p *model.Problems, at string, design Design) {
	switch {
	case d.Path == "":
		p.Addf(at+".path", "is required: the --set path of the field to vary, e.g. rules.slash_fraction")
	case !pathText.MatchString(d.Path):
		p.Addf(at+".path", "must be keys joined by dots, e.g. rules.slash_fraction or populations.honest.count, got %q", d.Path)
	case d.Path == "sweep" || strings.HasPrefix(d.Path, "sweep."):
		p.Addf(at+".path", "a sweep cannot vary itself; use replicates, design or points")
	}
	if !d.IsRange() {
		if d.From != "" || d.To != "" || d.Steps != 0 {
			p.Addf(at, "give either values or from, to and steps, not both")
		}
		if len(d.Values) > MaxValues {
			p.Addf(at+".values", "has %d values; at most %d are allowed", len(d.Values), MaxValues)
		}
		seen := make(map[string]int, len(d.Values))
		for i, v := range d.Values {
			if j, dup := seen[v]; dup {
				p.Addf(fmt.Sprintf("%s.values[%d]", at, i), "repeats value %d, %s", j, v)
			}
			seen[v] = i
		}
		return
	}
	if d.From == "" || d.To == "" {
		p.Addf(at, "needs values: [v1, v2, ...] or a range from: LO to: HI (with steps: N for a grid)")
		return
	}
	ok := true
	for _, e := range []struct{ key, text string }{{"from", d.From}, {"to", d.To}} {
		if !decimalText.MatchString(e.text) {
			p.Addf(at+"."+e.key, "must be a decimal number with at most 9 decimals and 15 digits before the point, got %q", e.text)
			ok = false
		}
	}
	if !ok {
		return
	}
	lo, hi := decimalValue(d.From), decimalValue(d.To)
	switch {
	case lo == hi:
		p.Addf(at+".to", "equals from; a range needs two different ends (or use values: [%s])", d.From)
	case d.Steps == 0 && design == DesignGrid:
		p.Addf(at+".steps", "a grid needs steps: the number of values from %s to %s", d.From, d.To)
	case d.Steps == 1 || d.Steps < 0 || d.Steps > MaxValues:
		p.Addf(at+".steps", "must be in [2, %d] (both ends are values), got %d", MaxValues, d.Steps)
	case d.Steps > 0 && d.Integer() && float64(d.Steps) > math.Abs(hi-lo)+1:
		p.Addf(at+".steps", "%d whole numbers do not fit between %s and %s; use at most %.0f steps, or decimal ends (%s.0)", d.Steps, d.From, d.To, math.Abs(hi-lo)+1, d.From)
	}
}

func decimalValue(s string) float64 {
	var v float64
	fmt.Sscan(s, &v)
	return v
}
