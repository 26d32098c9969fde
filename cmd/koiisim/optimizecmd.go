package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/optimize"

	"github.com/koiisim/koiisim/experiment"
	"github.com/koiisim/koiisim/internal/atomicfile"
	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/reports"
	"github.com/koiisim/koiisim/scenarios"
	"github.com/koiisim/koiisim/sim"
)

const optimizeDoc = `optimize searches a population's strategy parameters for the values that
maximise (or, with --minimize, minimise) one metric: "what is the most a
whale with this purse can take under these rules?"

Each --vary PATH=LO:HI is one dimension of the search, a field as --set
names it. The search is Nelder-Mead (gonum/optimize) over coordinates x
that map onto the box by LO + (HI - LO) (1 - cos(pi x)) / 2, so every
candidate lies in the box; it starts at the box's centre (x = 1/2) with
a simplex of side 1/4.
Ends written as whole numbers make an integer dimension: the objective
rounds the value half away from zero before it runs, so it is a step
function there and candidates that round alike are run once (the
search sees the cached value). Every candidate is run --replicates times
with the same seeds (common random numbers: replicate r has the seed
experiment.ReplicateSeed of the base scenario, whatever the candidate), so two
candidates differ by their strategy and not by their luck, and the
result does not depend on --workers. The search stops after
--max-evals distinct candidates or when the simplex has converged.

DIR (default out/<scenario>-optimize) gets candidates.csv: every
candidate in the order it was first evaluated, with its values, the
metric's mean, sd and 95% CI over the replicates. The best candidate is
printed with its CI and the --set lines that reproduce it. Progress goes
to stderr.

Each candidate is also appended to DIR/journal.jsonl as it finishes,
with the metric of every replicate. A search stopped part way (Ctrl-C or
SIGTERM: exit 130 or 143; killed; or a candidate that failed) keeps what
finished, and the same command resumes it: the search is deterministic,
so it replays the journal's candidates without running them and goes on
from where it stopped, ending where an uninterrupted search would. The
same command with a larger --max-evals extends a finished search the
same way. A journal of another search (scenario, --set, --rounds,
--seed, objective, --vary or --replicates) is refused with exit code 2.

Before it runs anything, optimize estimates the memory of its largest
candidate (each dimension at the end that needs more) times the runs at
once, and refuses a search that needs more than --max-memory or the
machine has (exit 2).
`

func init() { commandDocs["optimize"] = optimizeDoc }

// Defaults and limits of optimize.
const (
	defaultOptimizeReps  = 5
	defaultOptimizeEvals = 60
	maxOptimizeEvals     = 10_000
)

// searchDim is one dimension of the search.
type searchDim struct {
	path    string
	lo, hi  float64
	integer bool
}

// value maps a search coordinate to the text --set applies: x maps
// onto [0, 1] by (1 - cos(pi x)) / 2, which keeps every candidate in the
// box without the flat plateaus clamping would give the simplex, then
// is scaled to [lo, hi] and rounded half away from zero for integer
// dimensions and to 9 decimals otherwise.
func (d searchDim) value(x float64) string {
	u := (1 - math.Cos(math.Pi*x)) / 2
	v := d.lo + u*(d.hi-d.lo)
	var s string
	if d.integer {
		s = strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	} else {
		s = strings.TrimRight(strings.TrimRight(strconv.FormatFloat(v, 'f', 9, 64), "0"), ".")
	}
	if s == "-0" || s == "" {
		s = "0"
	}
	return s
}

// candidate is one evaluated point of the search.
type candidate struct {
	values []string  // by dimension, as applied
	runs   []float64 // the metric of each replicate
	stats  metrics.Estimate
}

// searcher evaluates candidates with common random numbers.
type searcher struct {
	arg     string
	sets    []string
	dims    []searchDim
	metric  string
	sign    float64 // -1 to maximise: gonum minimises
	reps    int
	workers int
	seeds   []uint64
	rounds  int

	ctx     context.Context // ends the search's runs at a signal; set before the search
	journal *journal        // where each finished candidate is kept; nil in none

	cache map[string]*candidate
	order []*candidate
	err   error
	onNew func(*candidate)
}

// candidateKey is a candidate's key in the searcher's cache: its values
// as applied.
func candidateKey(vals []string) string { return strings.Join(vals, "\x00") }

// at returns the values search point x applies and their cache key.
func (s *searcher) at(x []float64) (vals []string, key string) {
	vals = make([]string, len(s.dims))
	for i, d := range s.dims {
		vals[i] = d.value(x[i])
	}
	return vals, candidateKey(vals)
}

// evaluate runs (or recalls) the candidate at search point x.
func (s *searcher) evaluate(x []float64) *candidate {
	vals, key := s.at(x)
	if c, ok := s.cache[key]; ok {
		return c
	}
	c := &candidate{values: vals}
	s.cache[key] = c
	if s.err != nil {
		c.stats = metrics.Summarize([]float64{math.NaN()})
		return c
	}
	c.runs, s.err = s.replicates(vals)
	if s.err != nil {
		c.stats = metrics.Summarize([]float64{math.NaN()})
		return c
	}
	c.stats = metrics.Summarize(c.runs)
	if s.journal != nil {
		if s.err = s.journal.add(c); s.err != nil {
			return c // not kept, so not counted as finished
		}
	}
	s.order = append(s.order, c)
	if s.onNew != nil {
		s.onNew(c)
	}
	return c
}

// replicates runs the candidate's replicates (experiment.Replicates:
// the workers' pool, results by replicate index) with the searcher's
// seeds, and returns the metric of each (money in KOII; NaN where the
// metric is undefined in that run).
func (s *searcher) replicates(vals []string) ([]float64, error) {
	sets := append([]string(nil), s.sets...)
	for i, d := range s.dims {
		sets = append(sets, d.path+"="+vals[i])
	}
	sc, _, err := scenarios.Resolve(s.arg, sets)
	if err != nil {
		return nil, fmt.Errorf("candidate %s: %w", strings.Join(sets[len(s.sets):], " "), err)
	}
	sc.Rounds = s.rounds
	runs, err := experiment.Replicates(s.ctx, sc, s.seeds, s.workers)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(runs))
	for i, run := range runs {
		v, ok := metrics.Lookup(run.Figures, s.metric)
		switch {
		case !ok:
			return nil, fmt.Errorf("no metric %s", s.metric)
		case v.Missing:
			out[i] = math.NaN()
		default:
			out[i] = v.Float()
		}
	}
	return out, nil
}

// objective is what Nelder-Mead minimises: the mean over replicates,
// signed; a candidate whose metric is undefined in every replicate is
// +Inf (the worst).
func (s *searcher) objective(x []float64) float64 {
	c := s.evaluate(x)
	if math.IsNaN(c.stats.Mean) {
		return math.Inf(1)
	}
	return s.sign * c.stats.Mean
}

// cmdOptimize is `koiisim optimize`.
func cmdOptimize(e *env, args []string) int {
	fs := newFlags("optimize", "optimize SCENARIO --maximize METRIC --vary PATH=LO:HI... [flags]", e)
	maximize := fs.String("maximize", "", "the metric path to maximise, e.g. whale.net_profit")
	minimize := fs.String("minimize", "", "the metric path to minimise instead")
	vary := fs.StringArray("vary", nil, "a dimension of the search: PATH=LO:HI (whole-number ends: an integer dimension) (repeatable)")
	sets := fs.StringArray("set", nil, "override a scenario field for every candidate (repeatable)")
	reps := fs.Int("replicates", defaultOptimizeReps, "replicates per candidate, with the same seeds for every candidate")
	evals := fs.Int("max-evals", defaultOptimizeEvals, "the most distinct candidates to run")
	workers := fs.Int("workers", 2, "replicates run at once (results do not depend on it)")
	seed := fs.Uint64("seed", 0, "seed of the replicates' seeds (default: the scenario's seed)")
	rounds := fs.Int("rounds", 0, "rounds of each run (default: the scenario's rounds)")
	out := fs.String("out", "", "output directory (default: out/<scenario>-optimize)")
	maxMemory := fs.String("max-memory", "", "memory the runs may use, e.g. 8GiB (default: what the machine has available); a search whose largest candidate is estimated to need more is refused")
	if code, done := parse(fs, args, e); done {
		return code
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "koiisim optimize: "+format+"\n", a...)
		return exitUsage
	}
	switch {
	case fs.NArg() != 1:
		return usage("takes one scenario, got %d", fs.NArg())
	case (*maximize == "") == (*minimize == ""):
		return usage("give exactly one of --maximize METRIC and --minimize METRIC")
	case len(*vary) == 0:
		return usage("give at least one --vary PATH=LO:HI")
	case *reps < 2 || *reps > 10_000:
		return usage("--replicates must be in [2, 10000] (a CI needs two), got %d", *reps)
	case *evals < 1 || *evals > maxOptimizeEvals:
		return usage("--max-evals must be in [1, %d], got %d", maxOptimizeEvals, *evals)
	case *workers < 1 || *workers > 4096:
		return usage("--workers must be in [1, 4096], got %d", *workers)
	}
	s, code := loadRun(e, "optimize", fs, *sets, seed, rounds)
	if s == nil {
		return code
	}
	sr := &searcher{arg: fs.Arg(0), sets: *sets, metric: *maximize, sign: -1, reps: *reps, workers: *workers,
		rounds: s.Rounds, cache: map[string]*candidate{}}
	if *minimize != "" {
		sr.metric, sr.sign = *minimize, 1
	}
	if err := reports.UnknownMetric(sr.metric, metrics.Paths(s.Config.Classes())); err != nil {
		return usage("--maximize/--minimize %s: %v", sr.metric, err)
	}
	for _, spec := range *vary {
		d, err := scenarios.ParseDimension(spec)
		if err != nil || !d.IsRange() || d.Steps != 0 {
			return usage("--vary %q: must be PATH=LO:HI, e.g. populations.whale.count=1:100", spec)
		}
		lo, err1 := strconv.ParseFloat(d.From, 64)
		hi, err2 := strconv.ParseFloat(d.To, 64)
		if err1 != nil || err2 != nil || !(lo < hi) {
			return usage("--vary %q: needs LO < HI", spec)
		}
		sr.dims = append(sr.dims, searchDim{path: d.Path, lo: lo, hi: hi, integer: d.Integer()})
	}
	// Every candidate must load: check each dimension's ends before
	// spending runs, and estimate the memory of the largest candidate.
	var box []boxEnds
	for _, d := range sr.dims {
		box = append(box, boxEnds{d.path + "=" + d.value(0), d.path + "=" + d.value(1)})
	}
	need, err := boxMemory(sr.arg, *sets, box)
	var end *endError
	if errors.As(err, &end) {
		path, value, _ := strings.Cut(end.set, "=")
		return usage("--vary %s: the value %s does not load:\n%s", path, value, indent(end.err.Error()))
	}
	need = max(need, sim.EstimateMemory(&s.Config))
	if code := checkMemory(e, "optimize", need, sim.BytesPerNode(&s.Config), min(*workers, *reps), *maxMemory); code != exitOK {
		return code
	}
	base := scenarios.Hash(s)
	for r := 0; r < sr.reps; r++ {
		sr.seeds = append(sr.seeds, experiment.ReplicateSeed(s, r))
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("out", s.Name+"-optimize")
	}
	sr.onNew = func(c *candidate) {
		fmt.Fprintf(e.stderr, "optimize: candidate %d/%d: %s: %s = %s\n", len(sr.order), *evals, describe(sr.dims, c.values), sr.metric, formatCI(c.stats))
	}
	lock, code := lockOut(e, "optimize", dir, experiment.Shard{})
	if lock == nil {
		return code
	}
	defer lock.Release()
	j, err := openJournal(dir, sr.head(base), sr)
	if err != nil {
		return journalExit(e, "optimize", err)
	}
	defer j.Close()
	sr.journal = j
	if n := len(sr.order); n > 0 {
		fmt.Fprintf(e.stderr, "optimize: resuming the search in %s: %d candidates already evaluated (%s)\n", dir, n, journalFile)
	}
	ctx, stop, sig := interrupts()
	defer stop()
	sr.ctx = ctx

	n := len(sr.dims)
	x0 := make([]float64, n)
	for i := range x0 {
		x0[i] = 0.5
	}
	// The budget counts distinct candidates; gonum counts calls, cached
	// ones included, so it gets four calls a candidate and budgetFunc
	// refuses new candidates past the budget.
	budget := &budgetFunc{sr: sr, max: *evals}
	settings := &optimize.Settings{FuncEvaluations: *evals * 4, Converger: &optimize.FunctionConverge{Absolute: 1e-9, Iterations: 4 * n}}
	_, err = optimize.Minimize(optimize.Problem{Func: budget.call}, x0, settings, &optimize.NelderMead{SimplexSize: 0.25})
	if sr.err != nil {
		kept := fmt.Sprintf("the %d candidates that finished are kept in %s", len(sr.order), filepath.Join(dir, journalFile))
		if errors.Is(sr.err, experiment.ErrInterrupted) {
			name, code := stoppedBy(sig())
			fmt.Fprintf(e.stderr, "koiisim optimize: stopped by %s; %s. To resume, run the same command again:\n  %s\n", name, kept, commandLine("optimize", args, dir))
			return code
		}
		code := experimentExit(e, "optimize", sr.err, nil, "")
		fmt.Fprintf(e.stderr, "koiisim optimize: %s; the same command runs only the others\n", kept)
		return code
	}
	if err != nil && !budget.hit {
		fmt.Fprintf(e.stderr, "koiisim optimize: the search stopped: %v\n", err)
	}
	best := sr.best()
	if best == nil {
		fmt.Fprintf(e.stderr, "koiisim optimize: no candidate had a defined %s\n", sr.metric)
		return exitRuntime
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "candidates.csv"), sr.csv()); err != nil {
		fmt.Fprintf(e.stderr, "koiisim optimize: writing candidates.csv: %v\n", err)
		return exitRuntime
	}
	verb := "maximises"
	if sr.sign > 0 {
		verb = "minimises"
	}
	fmt.Fprintf(e.stdout, "scenario: %s (sha256 %s), %d replicates per candidate (seeds from the scenario's hash, the same for every candidate)\n", s.Name, base[:12], sr.reps)
	fmt.Fprintf(e.stdout, "candidates: %d evaluated\n", len(sr.order))
	fmt.Fprintf(e.stdout, "best: %s %s: %s\n", describe(sr.dims, best.values), verb, sr.metric)
	fmt.Fprintf(e.stdout, "  %s = %s (mean, 95%% CI over %d replicates)\n", sr.metric, formatCI(best.stats), best.stats.N)
	var again []string
	for i, d := range sr.dims {
		again = append(again, "--set "+d.path+"="+best.values[i])
	}
	fmt.Fprintf(e.stdout, "  reproduce one replicate: koiisim run %s %s --seed %d\n", sr.arg, strings.Join(append(prefixSets(*sets), again...), " "), sr.seeds[0])
	fmt.Fprintf(e.stdout, "wrote %s\n", filepath.Join(dir, "candidates.csv"))
	return exitOK
}

// budgetFunc bounds the search by distinct candidates: past the budget
// it returns the cached value for a known point and +Inf for a new one,
// and gonum's evaluation limit (4 calls a candidate) ends the loop.
type budgetFunc struct {
	sr  *searcher
	max int
	hit bool
}

func (b *budgetFunc) call(x []float64) float64 {
	if len(b.sr.order) < b.max {
		return b.sr.objective(x)
	}
	_, key := b.sr.at(x)
	if c, ok := b.sr.cache[key]; ok && !math.IsNaN(c.stats.Mean) {
		return b.sr.sign * c.stats.Mean
	}
	b.hit = true
	return math.Inf(1)
}

// best returns the evaluated candidate with the best mean; ties go to
// the one evaluated first.
func (s *searcher) best() *candidate {
	var best *candidate
	for _, c := range s.order {
		if math.IsNaN(c.stats.Mean) {
			continue
		}
		if best == nil || s.sign*c.stats.Mean < s.sign*best.stats.Mean {
			best = c
		}
	}
	return best
}

// csv returns candidates.csv.
func (s *searcher) csv() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	head := []string{"candidate"}
	for _, d := range s.dims {
		head = append(head, d.path)
	}
	head = append(head, "mean", "sd", "ci_low", "ci_high", "n")
	w.Write(head)
	for i, c := range s.order {
		row := append([]string{strconv.Itoa(i + 1)}, c.values...)
		st := c.stats
		row = append(row, g(st.Mean), g(st.SD), g(st.Lo), g(st.Hi), strconv.Itoa(st.N))
		w.Write(row)
	}
	w.Flush()
	return b.Bytes()
}

func g(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', 10, 64)
}

func describe(dims []searchDim, vals []string) string {
	parts := make([]string, len(dims))
	for i, d := range dims {
		parts[i] = d.path + "=" + vals[i]
	}
	return strings.Join(parts, " ")
}

func formatCI(st metrics.Estimate) string {
	if !st.HasCI() {
		return g(st.Mean)
	}
	return fmt.Sprintf("%.6g [%.6g, %.6g]", st.Mean, st.Lo, st.Hi)
}

func prefixSets(sets []string) []string {
	out := make([]string, len(sets))
	for i, s := range sets {
		out[i] = "--set " + s
	}
	return out
}
