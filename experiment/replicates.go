package experiment

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/koiisim/koiisim/metrics"
)

// StopRule makes replicates adaptive: replicates are added, in index
// order, until the confidence interval of each metric in Widths has a
// half-width below its bound, or Max replicates have run.
type StopRule struct {
	Widths []Width `json:"ci_width"`
	Max    int     `json:"max_replicates"`
}

// Width bounds the half-width of one metric's confidence interval.
type Width struct {
	Metric    string  `json:"metric"`
	HalfWidth float64 `json:"half_width"`
}

// AdaptiveOutcome says where an adaptive run stopped and why.
type AdaptiveOutcome struct {
	Outcome
	Replicates int       // replicates in the result
	Met        bool      // every bound held; false: Max was reached first
	HalfWidths []float64 // each rule metric's half-width at the end, by Widths
}

// RunAdaptive runs the plan's single point with replicates 0, 1, 2, ...
// until the plan's StopRule holds, checked on each prefix of at least
// Replicates() replicates, or Max have run, then writes the tables of
// exactly that prefix. The result depends on the replicate order alone,
// never on which worker finished first: replicates past the stopping
// point that were already in flight are abandoned, or kept as files but
// left out of the tables.
func (r *Runner) RunAdaptive(ctx context.Context) (AdaptiveOutcome, error) {
	p := r.Plan
	var out AdaptiveOutcome
	if len(p.Points) != 1 || p.Stop == nil || p.Stop.Max < p.Replicates() {
		return out, fmt.Errorf("experiment: RunAdaptive needs one point and a stop rule with Max >= Replicates")
	}
	minimum := p.Replicates()
	p.Sweep.Replicates = p.Stop.Max // cell identities up to Max; trimmed below
	want, w, err := prepareDir(r.Dir, p, r.Version)
	out.Warnings = w
	if err != nil {
		return out, err
	}
	st := store{dir: r.Dir, want: want}
	sums := make([]string, p.Cells())
	copy(sums, want)
	if err := r.cleanTemp(); err != nil {
		return out, err
	}
	if err := p.writeScenario(r.Dir); err != nil {
		return out, err
	}
	if err := newManifest(p, r.Version, r.Format, Shard{}, nil, nil).write(r.Dir, ManifestFile); err != nil {
		return out, err
	}
	vals := make([][]float64, len(p.Stop.Widths)) // by rule, by replicate
	got := make([]bool, p.Stop.Max)
	prefix, k := 0, 0 // replicates 0..prefix-1 all done; next to dispatch
	stopAt := 0
	next := func() (Cell, bool) {
		if k >= p.Stop.Max || stopAt > 0 {
			return Cell{}, false
		}
		k++
		return p.Cell(k - 1), true
	}
	err = p.execute(ctx, r.Workers, st, r.outputs(), next, func(c Cell, res *Result) bool {
		sums[c.Index] = res.sum
		for i, w := range p.Stop.Widths {
			f, err := metrics.ValueField(res.Metrics[w.Metric])
			if err != nil {
				f.Num = math.NaN()
			}
			for len(vals[i]) <= c.Replicate {
				vals[i] = append(vals[i], math.NaN())
			}
			vals[i][c.Replicate] = f.Num
		}
		got[c.Replicate] = true
		for prefix < p.Stop.Max && got[prefix] {
			prefix++
			if r.Progress != nil && stopAt == 0 {
				r.Progress(prefix, 0)
			}
			if stopAt == 0 && prefix >= minimum && p.Stop.met(vals, prefix) {
				stopAt = prefix
			}
		}
		return stopAt > 0
	})
	n := stopAt
	if n == 0 {
		n = prefix
	}
	out.Replicates, out.Met = n, stopAt > 0
	for i := range p.Stop.Widths {
		out.HalfWidths = append(out.HalfWidths, metrics.Summarize(vals[i][:min(n, len(vals[i]))]).HalfWidth())
	}
	if err == nil && (n < minimum || !out.Met && n < p.Stop.Max) {
		err = ErrInterrupted
	}
	if err != nil && !(errors.Is(err, ErrInterrupted) && stopAt > 0) {
		// Record what is done; running the command again resumes.
		if werr := newManifest(p, r.Version, r.Format, Shard{}, got, sums).write(r.Dir, ManifestFile); werr != nil {
			return out, werr
		}
		return out, err
	}
	p.Sweep.Replicates = n
	done := make([]bool, n)
	for i := range done {
		done[i] = true
	}
	out.Share, out.Ran, out.Complete = n, n, true
	if r.RunFiles {
		// Replicates past the stopping point that finished in flight
		// are not part of the set.
		for k := n; k < p.Stop.Max; k++ {
			if err := os.RemoveAll(filepath.Join(r.Dir, RepDir(k))); err != nil {
				return out, err
			}
		}
	}
	files, err := Assemble(p, []string{r.Dir}, r.Dir, r.Format, r.Version, r.Parquet)
	if err != nil {
		return out, err
	}
	// The manifest last, so that it says complete only beside the tables.
	if err := newManifest(p, r.Version, r.Format, Shard{}, done, sums[:n]).write(r.Dir, ManifestFile); err != nil {
		return out, err
	}
	out.Files = append(files, filepath.Join(r.Dir, ManifestFile), filepath.Join(r.Dir, ScenarioFile))
	return out, nil
}

// met reports whether every rule holds over the first n replicates.
func (s *StopRule) met(vals [][]float64, n int) bool {
	for i, w := range s.Widths {
		h := metrics.Summarize(vals[i][:n]).HalfWidth()
		if math.IsNaN(h) || h >= w.HalfWidth {
			return false
		}
	}
	return true
}

// ParseWidth reads a --ci-width flag: METRIC=HALFWIDTH, a positive
// number in the metric's unit (KOII for money).
func ParseWidth(text string) (Width, error) {
	m, w, ok := cut(text)
	x, err := strconv.ParseFloat(w, 64)
	if !ok || m == "" || err != nil || !(x > 0) || math.IsInf(x, 0) {
		return Width{}, fmt.Errorf("--ci-width must be METRIC=HALFWIDTH with a positive half-width, e.g. faulty.net_profit=0.5, got %q", text)
	}
	return Width{Metric: m, HalfWidth: x}, nil
}

func cut(s string) (string, string, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '=' {
			return s[:i], s[i+1:], true
		}
	}
	return "", "", false
}
