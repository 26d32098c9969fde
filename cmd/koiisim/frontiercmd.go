package main

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/koiisim/koiisim/experiment"
	"github.com/koiisim/koiisim/internal/atomicfile"
	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/reports"
	"github.com/koiisim/koiisim/scenarios"
	"github.com/koiisim/koiisim/sim"
)

func init() {
	commandDocs["frontier"] = `frontier finds where METRIC crosses TARGET as PATH goes from LO to HI, by
stochastic bisection: at each probe it adds replicates (--batch at a time,
up to --max-replicates) until the metric's confidence interval lies wholly
above or below the target, then halves the bracket towards the side
change, until the bracket is --tol wide (one apart on a whole-number axis)
or --max-probes probes have run. Every look at every probe uses the level
that keeps the whole search at 95% (Bonferroni), so the bracket it reports
holds the crossing with the confidence it prints. Where the interval keeps
holding the target at the budget, it stops and says so: the bracket still
holds, and the crossing is near the undecided probe.

A second --vary PATH2=LO:HI[:STEPS] (5 steps by default) traces the
frontier across PATH2: one bisection at each of its values, printed as a
table and written to DIR/frontier.csv with the figure DIR/plots/frontier
(.png, .svg). Every probe is in DIR/probes.csv; a probe's replicates are
those of 'koiisim run SCENARIO --set PATH=X --replicates N'.

Every replicate's value goes to DIR/replicates.jsonl as it finishes: a
search stopped part way (Ctrl-C or SIGTERM: exit 130 or 143; killed)
keeps them, and the same command runs only the replicates it lacks and
ends where an uninterrupted search would.

Ends written as whole numbers (1:70) make a whole-number axis, whose
bracket ends one apart; write a decimal point for a fraction (0.0:1.0).

  koiisim frontier faulty-submitters --metric faulty.net_profit --target 0 \
      --vary rules.slash_fraction=0.0:1.0 --vary rules.audit_sample=1:5:5
`
}

// frontierAxis is one --vary of frontier.
type frontierAxis struct {
	path    string
	lo, hi  float64
	steps   int
	integer bool
}

func parseFrontierAxis(spec string, second bool) (frontierAxis, error) {
	path, rng, ok := strings.Cut(spec, "=")
	parts := strings.Split(rng, ":")
	if !ok || path == "" || len(parts) < 2 || len(parts) > 3 || (!second && len(parts) == 3) {
		want := "PATH=LO:HI"
		if second {
			want = "PATH=LO:HI or PATH=LO:HI:STEPS"
		}
		return frontierAxis{}, fmt.Errorf("--vary %q: want %s", spec, want)
	}
	a := frontierAxis{path: path, steps: 5}
	var err error
	if a.lo, err = strconv.ParseFloat(parts[0], 64); err == nil {
		a.hi, err = strconv.ParseFloat(parts[1], 64)
	}
	if err != nil || !(a.lo < a.hi) || math.IsInf(a.lo, 0) || math.IsInf(a.hi, 0) {
		return frontierAxis{}, fmt.Errorf("--vary %q: LO and HI must be numbers with LO < HI", spec)
	}
	if len(parts) == 3 {
		if a.steps, err = strconv.Atoi(parts[2]); err != nil || a.steps < 2 {
			return frontierAxis{}, fmt.Errorf("--vary %q: STEPS must be a whole number of at least 2", spec)
		}
	}
	// Whole-number ends as written make a whole-number axis, as in a
	// sweep's and optimize's ranges (scenarios.Dimension.Integer): 1:70
	// is, 0.0:1.0 is not.
	a.integer = !strings.ContainsAny(parts[0], ".eE") && !strings.ContainsAny(parts[1], ".eE")
	return a, nil
}

// values are the second axis's evenly spaced values (whole on a
// whole-number axis, repeats dropped).
func (a frontierAxis) values() []float64 {
	var out []float64
	for i := 0; i < a.steps; i++ {
		v := a.lo + (a.hi-a.lo)*float64(i)/float64(a.steps-1)
		if a.integer {
			v = math.Round(v)
		}
		if len(out) == 0 || out[len(out)-1] != v {
			out = append(out, v)
		}
	}
	return out
}

func (a frontierAxis) format(x float64) string {
	if a.integer {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	s := strconv.FormatFloat(x, 'f', 9, 64)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

func cmdFrontier(e *env, args []string) int {
	fs := newFlags("frontier", "frontier SCENARIO --metric M --target T --vary PATH=LO:HI [--vary PATH2=LO:HI[:STEPS]] [flags]", e)
	metric := fs.String("metric", "", "the metric path whose crossing to find (required)")
	target := fs.Float64("target", 0, "the value the metric crosses")
	varies := fs.StringArray("vary", nil, "PATH=LO:HI to search along; a second PATH2=LO:HI[:STEPS] traces the frontier across it")
	tol := fs.Float64("tol", 0, "stop when the bracket is this narrow (default: a thousandth of the range; 1 on a whole-number axis)")
	batch := fs.Int("batch", 5, "replicates added per look at a probe")
	maxReps := fs.Int("max-replicates", 200, "replicates at most per probe")
	maxProbes := fs.Int("max-probes", 30, "probes at most per bisection, both ends included")
	workers := fs.Int("workers", runtime.NumCPU(), "replicates run at once")
	outDir := fs.String("out", "", "output directory (default out/<scenario>-frontier)")
	sets := fs.StringArray("set", nil, "override a scenario field (repeatable)")
	rounds := fs.Int("rounds", 0, "rounds (default: the scenario's)")
	maxMemory := fs.String("max-memory", "", "memory the runs may use, e.g. 8GiB (default: what the machine has available); a search whose largest point is estimated to need more is refused")
	if code, done := parse(fs, args, e); done {
		return code
	}
	if fs.Changed("rounds") {
		*sets = append(*sets, "rounds="+strconv.Itoa(*rounds))
	}
	if fs.NArg() != 1 || *metric == "" || len(*varies) < 1 || len(*varies) > 2 {
		fmt.Fprintln(e.stderr, "koiisim frontier: needs one SCENARIO, --metric M and one or two --vary PATH=LO:HI")
		return exitUsage
	}
	if *batch < 2 || *maxReps < *batch || *maxProbes < 3 || *workers < 1 || *tol < 0 {
		fmt.Fprintln(e.stderr, "koiisim frontier: --batch must be at least 2, --max-replicates at least --batch, --max-probes at least 3, --workers at least 1, --tol not negative")
		return exitUsage
	}
	var axes []frontierAxis
	for i, v := range *varies {
		a, err := parseFrontierAxis(v, i == 1)
		if err != nil {
			fmt.Fprintf(e.stderr, "koiisim frontier: %v\n", err)
			return exitUsage
		}
		axes = append(axes, a)
	}
	base, code := load(e, "frontier", fs.Arg(0), *sets)
	if base == nil {
		return code
	}
	if paths, err := experiment.SelectMetrics([]string{*metric}, base.Config.Classes()); err != nil || len(paths) != 1 || paths[0] != *metric {
		fmt.Fprintf(e.stderr, "koiisim frontier: --metric %s: %v (one metric path, no pattern)\n", *metric, err)
		return exitUsage
	}
	dir := *outDir
	if dir == "" {
		dir = filepath.Join("out", base.Name+"-frontier")
	}
	var box []boxEnds
	for _, a := range axes {
		box = append(box, boxEnds{a.path + "=" + a.format(a.lo), a.path + "=" + a.format(a.hi)})
	}
	need, err := boxMemory(fs.Arg(0), *sets, box)
	var end *endError
	if errors.As(err, &end) {
		fmt.Fprintf(e.stderr, "koiisim frontier: --vary %s does not load:\n%s\n", end.set, indent(end.err.Error()))
		return exitUsage
	}
	if code := checkMemory(e, "frontier", need, sim.BytesPerNode(&base.Config), min(*workers, *batch), *maxMemory); code != exitOK {
		return code
	}
	lock, code := lockOut(e, "frontier", dir, experiment.Shard{})
	if lock == nil {
		return code
	}
	defer lock.Release()
	ctx, stop, sig := interrupts()
	defer stop()
	reps, err := openReplicateCache(ctx, dir, *workers)
	if err != nil {
		return journalExit(e, "frontier", err)
	}
	defer reps.Close()
	if n := reps.recalled(); n > 0 {
		fmt.Fprintf(e.stderr, "frontier: resuming in %s: %d replicate values already run (%s)\n", dir, n, replicateFile)
	}
	var probes bytes.Buffer
	probes.WriteString("row,")
	if len(axes) == 2 {
		probes.WriteString(axes[1].path + ",")
	}
	fmt.Fprintf(&probes, "%s,mean,ci_low,ci_high,replicates,side\n", axes[0].path)

	fixed := []float64{math.NaN()}
	if len(axes) == 2 {
		fixed = axes[1].values()
	}
	fmt.Fprintf(e.stdout, "frontier: where %s crosses %g along %s in [%g, %g]\n\n", *metric, *target, axes[0].path, axes[0].lo, axes[0].hi)
	var rows [][]string
	var fig reports.Series
	fig.Label, fig.Key, fig.Points = "the crossing's bracket (its ends and midpoint)", "frontier", true
	for row, v := range fixed {
		extra := *sets
		if len(axes) == 2 {
			extra = append(append([]string(nil), *sets...), axes[1].path+"="+axes[1].format(v))
		}
		cache := map[float64]*scenarios.Scenario{}
		rowNote := ""
		if len(axes) == 2 {
			rowNote = " (" + axes[1].path + "=" + axes[1].format(v) + ")"
		}
		var runErr error
		sample := func(x float64, from, to int) ([]float64, error) {
			s, ok := cache[x]
			if !ok {
				var err error
				s, _, err = scenarios.Resolve(fs.Arg(0), append(append([]string(nil), extra...), axes[0].path+"="+axes[0].format(x)))
				if err != nil {
					runErr = err
					return nil, err
				}
				cache[x] = s
			}
			ran := reps.ran
			vals, err := reps.values(s, *metric, from, to)
			if err != nil {
				runErr = err
			} else if reps.ran > ran {
				fmt.Fprintf(e.stderr, "frontier: %s=%s%s: replicates %d to %d run\n", axes[0].path, axes[0].format(x), rowNote, from, to-1)
			}
			return vals, err
		}
		search := metrics.FrontierSearch{Lo: axes[0].lo, Hi: axes[0].hi, Integer: axes[0].integer, Target: *target,
			Tol: *tol, Batch: *batch, MaxReps: *maxReps, MaxProbes: *maxProbes}
		res, err := search.Search(sample)
		label := "-"
		if len(axes) == 2 {
			label = axes[1].format(v)
		}
		if errors.Is(runErr, experiment.ErrInterrupted) {
			name, code := stoppedBy(sig())
			fmt.Fprintf(e.stderr, "koiisim frontier: stopped by %s; the %d replicates that finished are kept in %s. To resume, run the same command again:\n  %s\n",
				name, len(reps.vals), filepath.Join(dir, replicateFile), commandLine("frontier", args, dir))
			return code
		}
		if err != nil && !errors.Is(err, metrics.ErrNoCrossing) {
			var se *scenarios.Error
			if errors.As(runErr, &se) || errors.As(err, &se) {
				fmt.Fprintf(e.stderr, "koiisim frontier: %s=%s: %v\n", axes[0].path, label, err)
				return exitUsage
			}
			fmt.Fprintf(e.stderr, "koiisim frontier: %v\n", err)
			return exitRuntime
		}
		if res != nil {
			for _, p := range res.Probes {
				fmt.Fprintf(&probes, "%d,", row)
				if len(axes) == 2 {
					probes.WriteString(label + ",")
				}
				fmt.Fprintf(&probes, "%s,%s,%s,%s,%d,%d\n", axes[0].format(p.X), csvNum(p.Mean), csvNum(p.Lo), csvNum(p.Hi), p.Replicates, p.Side)
			}
		}
		if err != nil {
			rows = append(rows, []string{label, "none", "", "", "", err.Error()})
			continue
		}
		reps := 0
		for _, p := range res.Probes {
			reps += p.Replicates
		}
		dirWord := "falls through the target"
		if res.Up {
			dirWord = "rises through the target"
		}
		note := dirWord
		if res.Stopped != "" {
			note = res.Stopped
		}
		rows = append(rows, []string{label, "[" + axes[0].format(res.Lo) + ", " + axes[0].format(res.Hi) + "]",
			strconv.FormatFloat(res.Confidence, 'f', 4, 64), strconv.Itoa(len(res.Probes)), strconv.Itoa(reps), note})
		if len(axes) == 2 {
			fig.X = append(fig.X, v)
			fig.Y = append(fig.Y, (res.Lo+res.Hi)/2)
			fig.Lo = append(fig.Lo, res.Lo)
			fig.Hi = append(fig.Hi, res.Hi)
		}
	}
	head := []string{"-", "bracket", "confidence", "probes", "replicates", "note"}
	if len(axes) == 2 {
		head[0] = axes[1].path
	}
	var csv bytes.Buffer
	fmt.Fprintf(&csv, "%s,%s_low,%s_high,confidence,probes,replicates,note\n", head[0], axes[0].path, axes[0].path)
	for _, r := range rows {
		lo, hi := "", ""
		if strings.HasPrefix(r[1], "[") {
			lo, hi, _ = strings.Cut(strings.Trim(r[1], "[]"), ", ")
		}
		fmt.Fprintf(&csv, "%s,%s,%s,%s,%s,%s,%q\n", r[0], lo, hi, r[2], r[3], r[4], r[5])
	}
	printTable(e, head, rows, len(axes) == 2)
	err = atomicfile.WriteFile(filepath.Join(dir, "frontier.csv"), csv.Bytes())
	if err == nil {
		err = atomicfile.WriteFile(filepath.Join(dir, "probes.csv"), probes.Bytes())
	}
	written := []string{filepath.Join(dir, "frontier.csv"), filepath.Join(dir, "probes.csv")}
	if err == nil && len(fig.X) > 0 {
		f := reports.Figure{Name: "frontier", Title: fmt.Sprintf("Where %s crosses %g", *metric, *target),
			Caption: fmt.Sprintf("At each value of %s, the bracket of %s in which %s crosses %g, found by stochastic bisection; each bracket holds the crossing with the confidence in frontier.csv (at least 95%%).", axes[1].path, axes[0].path, *metric, *target),
			Panels:  []reports.Panel{{Kind: reports.LinePanel, XLabel: axes[1].path, YLabel: axes[0].path, Series: []reports.Series{fig}}}}
		st := reports.NewStyles([]string{"frontier"})
		_, err = reports.WriteFigures(dir, []reports.Figure{f}, st)
		written = append(written, filepath.Join(dir, "plots", "frontier.png"), filepath.Join(dir, "plots", "frontier.svg"))
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim frontier: writing %s: %v\n", dir, err)
		return exitRuntime
	}
	fmt.Fprintf(e.stdout, "\n(confidence: a lower bound on the chance the bracket holds the crossing, Bonferroni over every look at every probe)\nwrote %s\n", strings.Join(written, ", "))
	return exitOK
}

func printTable(e *env, head []string, rows [][]string, first bool) {
	w := make([]int, len(head))
	all := append([][]string{head}, rows...)
	for _, r := range all {
		for i, c := range r {
			w[i] = max(w[i], len(c))
		}
	}
	for _, r := range all {
		var b strings.Builder
		for i, c := range r {
			if i == 0 && !first {
				continue
			}
			if i == len(r)-1 {
				b.WriteString(c)
				continue
			}
			fmt.Fprintf(&b, "%-*s  ", w[i], c)
		}
		fmt.Fprintln(e.stdout, strings.TrimRight(b.String(), " "))
	}
}

func csvNum(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}
