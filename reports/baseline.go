package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/koiisim/koiisim/metrics"
)

// Baseline is a recorded set of metrics that `koiisim check` compares a
// later run with: the file `koiisim baseline` writes.
type Baseline struct {
	Tool       string                    `json:"tool"`
	Version    string                    `json:"version"`
	Scenario   string                    `json:"scenario"`
	Hash       string                    `json:"scenario_sha256"`
	Seed       uint64                    `json:"seed"`
	Rounds     int                       `json:"rounds"`
	Replicates int                       `json:"replicates"`
	Metrics    map[string]BaselineMetric `json:"metrics"`
}

// BaselineMetric is one metric's record. Undefined statistics (a rate
// over zero cases, an interval of one replicate) are null. Exact holds
// the exact decimal of a single run's value (money in KOII), which exact
// mode compares; RTol, when set by hand, overrides --rtol for the metric.
type BaselineMetric struct {
	Unit   string   `json:"unit"`
	Mean   *float64 `json:"mean"`
	SD     *float64 `json:"sd"`
	CILow  *float64 `json:"ci_low"`
	CIHigh *float64 `json:"ci_high"`
	N      int      `json:"n"`
	Exact  string   `json:"exact,omitempty"`
	RTol   *float64 `json:"rtol,omitempty"`
	// Direction is lower, higher or both (see Direction); empty in files
	// written before directions, read as the metric's default.
	Direction Direction `json:"direction,omitempty"`
}

func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

func val(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// Replicated holds every metric over a set of replicates of one scenario.
type Replicated struct {
	Paths  []string             // in Flatten order
	Units  map[string]string    // by path
	Values map[string][]float64 // by path, one per replicate
	Exact  map[string]string    // by path, the exact value when there is one replicate
}

// Collect gathers the metrics of replicate runs' figures.
func Collect(figs []*metrics.Figures) *Replicated {
	r := &Replicated{Units: map[string]string{}, Values: map[string][]float64{}, Exact: map[string]string{}}
	for i, f := range figs {
		for _, p := range metrics.Flatten(f) {
			if i == 0 {
				r.Paths = append(r.Paths, p.Path)
				r.Units[p.Path] = p.Unit
			}
			r.Values[p.Path] = append(r.Values[p.Path], p.Value.Float())
			if len(figs) == 1 {
				r.Exact[p.Path] = p.Value.String()
			}
		}
	}
	return r
}

// Estimate returns a path's estimate over the replicates.
func (r *Replicated) Estimate(path string) (metrics.Estimate, bool) {
	if e, ok := metrics.ProportionEstimate(path, func(p string) ([]float64, bool) { xs, ok := r.Values[p]; return xs, ok }); ok {
		return e, true
	}
	xs, ok := r.Values[path]
	if !ok {
		return metrics.Estimate{}, false
	}
	return metrics.Summarize(xs), true
}

// NewBaseline records r.
func NewBaseline(meta metrics.Meta, rounds int, r *Replicated) *Baseline {
	b := &Baseline{Tool: meta.Tool, Version: meta.Version, Scenario: meta.Scenario, Hash: meta.Hash,
		Seed: meta.Seed, Rounds: rounds, Replicates: len(r.Values[r.Paths[0]]), Metrics: map[string]BaselineMetric{}}
	for _, p := range r.Paths {
		e, _ := r.Estimate(p)
		m := BaselineMetric{Unit: r.Units[p], Mean: num(e.Mean), SD: num(e.SD), CILow: num(e.Lo), CIHigh: num(e.Hi), N: e.N, Exact: r.Exact[p], Direction: DefaultDirection(p)}
		if e.N == 1 {
			m.SD = nil
		}
		b.Metrics[p] = m
	}
	return b
}

// Keep narrows the baseline to paths, and names in its error any of
// them it does not hold.
func (b *Baseline) Keep(paths []string) error {
	want := map[string]bool{}
	var absent []string
	for _, p := range paths {
		want[p] = true
		if _, ok := b.Metrics[p]; !ok {
			absent = append(absent, p)
		}
	}
	for p := range b.Metrics {
		if !want[p] {
			delete(b.Metrics, p)
		}
	}
	if len(absent) > 0 {
		sort.Strings(absent)
		return fmt.Errorf("not in the baseline: %s (record them with baseline --metrics)", strings.Join(absent, ", "))
	}
	return nil
}

// JSON returns the baseline as indented JSON (keys sorted).
func (b *Baseline) JSON() ([]byte, error) {
	out, err := json.MarshalIndent(b, "", "  ")
	return append(out, '\n'), err
}

// ReadBaseline parses a baseline file.
func ReadBaseline(data []byte) (*Baseline, error) {
	var b Baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("not a koiisim baseline: %v", err)
	}
	if b.Tool != "koiisim" || len(b.Metrics) == 0 || b.Replicates < 1 || b.Rounds < 1 {
		return nil, fmt.Errorf("not a koiisim baseline (it needs tool koiisim, rounds, replicates and metrics)")
	}
	return &b, nil
}

// Mode is how check compares a run with its baseline.
type Mode uint8

const (
	// ModeStat fails a metric when the two 95% intervals do not overlap
	// and the relative change exceeds the tolerance: seed changes pass,
	// real shifts fail.
	ModeStat Mode = iota
	// ModeExact fails any metric that is not exactly equal: with the
	// baseline's seed it catches every behaviour change.
	ModeExact
)

// Comparison is one metric of a check.
type Comparison struct {
	Metric    string
	Unit      string
	Base, Now metrics.Estimate
	Change    float64 // (now - base) / |base|; ±Inf from zero, NaN when undefined
	Pass      bool
	Better    bool   // moved beyond noise the way its direction calls better
	Worse     bool   // moved beyond noise the way its direction calls worse
	Note      string // why it failed, or "missing"
}

// Compare checks r against b metric by metric, in sorted path order.
func Compare(b *Baseline, r *Replicated, mode Mode, rtol float64) []Comparison {
	paths := make([]string, 0, len(b.Metrics))
	for p := range b.Metrics {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	out := make([]Comparison, 0, len(paths))
	alpha := FamilyAlpha / float64(max(1, len(paths)))
	for _, p := range paths {
		m := b.Metrics[p]
		base := metrics.Estimate{Mean: val(m.Mean), SD: val(m.SD), Lo: val(m.CILow), Hi: val(m.CIHigh), N: m.N}
		c := Comparison{Metric: p, Unit: m.Unit, Base: base, Change: math.NaN()}
		now, ok := r.Estimate(p)
		if !ok {
			c.Note = "missing from this run"
			out = append(out, c)
			continue
		}
		c.Now = now
		c.Change = relChange(base.Mean, now.Mean)
		dir := m.Direction
		if dir == "" {
			dir = DefaultDirection(p)
		}
		var moved bool
		switch mode {
		case ModeExact:
			if m.Exact != "" && r.Exact[p] != "" {
				moved = m.Exact != r.Exact[p]
			} else {
				moved = !sameFloat(base.Mean, now.Mean)
			}
			c.Note = "changed"
		default:
			tol := rtol
			if m.RTol != nil {
				tol = *m.RTol
			}
			moved = !sameFloat(base.Mean, now.Mean) && differs(base, now, alpha) && !(math.Abs(c.Change) <= tol)
			c.Note = fmt.Sprintf("beyond noise (Welch p < %.2g, %g family-wise over %d metrics) and |change| > %g", alpha, FamilyAlpha, len(paths), tol)
		}
		if moved && dir != TwoSided && !math.IsNaN(now.Mean) && !math.IsNaN(base.Mean) {
			up := now.Mean > base.Mean
			c.Better = up == (dir == HigherBetter)
			c.Worse = !c.Better
		}
		// Exact mode fails any change; stat mode lets an improvement pass.
		c.Pass = !moved || (mode == ModeStat && c.Better)
		if c.Pass && !c.Better {
			c.Note = ""
		}
		out = append(out, c)
	}
	return out
}

func sameFloat(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func relChange(base, now float64) float64 {
	switch {
	case math.IsNaN(base) || math.IsNaN(now):
		return math.NaN()
	case base == now:
		return 0
	case base == 0:
		return math.Copysign(math.Inf(1), now)
	}
	return (now - base) / math.Abs(base)
}

// intervalsOverlap reports whether two estimates' 95% intervals (a
// point when there is no interval) share a value.
func intervalsOverlap(a, b metrics.Estimate) bool {
	lo := func(e metrics.Estimate) float64 {
		if e.HasCI() {
			return e.Lo
		}
		return e.Mean
	}
	hi := func(e metrics.Estimate) float64 {
		if e.HasCI() {
			return e.Hi
		}
		return e.Mean
	}
	if math.IsNaN(a.Mean) || math.IsNaN(b.Mean) {
		return false
	}
	return lo(a) <= hi(b) && lo(b) <= hi(a)
}

// PrintComparisons writes the table of check: every failed metric, and
// with all every metric.
func PrintComparisons(w io.Writer, cs []Comparison, all bool) {
	fmt.Fprintf(w, "%-44s %24s %24s %10s  %s\n", "metric", "baseline", "now", "change", "verdict")
	for _, c := range cs {
		if c.Pass && !c.Better && !all {
			continue
		}
		fmt.Fprintf(w, "%-44s %24s %24s %10s  %s\n", c.Metric, showEstimate(c.Base), showEstimate(c.Now), showChange(c.Change), c.Verdict())
	}
}

func showEstimate(e metrics.Estimate) string {
	if math.IsNaN(e.Mean) {
		return "undefined"
	}
	s := strconv.FormatFloat(e.Mean, 'g', 8, 64)
	if e.HasCI() {
		s += fmt.Sprintf(" ±%.3g", e.HalfWidth())
	}
	return s
}

func showChange(x float64) string {
	switch {
	case math.IsNaN(x):
		return "-"
	case math.IsInf(x, 0):
		return "from 0"
	}
	return fmt.Sprintf("%+.2f%%", 100*x)
}

// ComparisonsAsJUnit turns a check into JUnit test cases, one per metric.
func ComparisonsAsJUnit(cs []Comparison) []JUnitCase {
	out := make([]JUnitCase, 0, len(cs))
	for _, c := range cs {
		line := fmt.Sprintf("baseline %s, now %s, change %s", showEstimate(c.Base), showEstimate(c.Now), showChange(c.Change))
		jc := JUnitCase{Name: c.Metric, Output: line}
		if !c.Pass {
			jc.Failure = c.Verdict() + ": " + line
		}
		out = append(out, jc)
	}
	return out
}
