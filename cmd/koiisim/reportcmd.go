package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/koiisim/koiisim/experiment"
	"github.com/koiisim/koiisim/internal/atomicfile"
	"github.com/koiisim/koiisim/internal/input"
	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/reports"
	"github.com/koiisim/koiisim/scenarios"
)

func init() {
	commandDocs["report"] = `DIR is what 'koiisim run' (one run, or a directory of replicate runs)
wrote. report writes, into DIR:

  report.html   one self-contained page: what ran, a summary table per
                class with units (and 95% CIs with replicates), every
                figure inlined as SVG with a caption, the scenario
  plots/        each figure as PNG and SVG

--y-scale auto|linear|log sets the metric axis of a sweep's figures; auto
(the default) draws a log axis where a panel's values are all positive and
span two decades or more (rates near zero), linear otherwise.

The page loads nothing from the network and needs no script; it prints
well. Figures are drawn with colour-blind-safe colours, and each class
keeps its colour, dash pattern and marker in every figure.
`
}

// cmdReport draws the figures and writes the HTML report of a run
// directory.
func cmdReport(e *env, args []string) int {
	fs := newFlags("report", "report DIR [--y-scale auto|linear|log]", e)
	scale := fs.String("y-scale", "auto", "metric axes of sweep figures: auto (log where values span decades), linear or log")
	if code, done := parse(fs, args, e); done {
		return code
	}
	sc, err := reports.ParseScale(*scale)
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim report: %v\n", err)
		return exitUsage
	}
	e.yScale = sc
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "koiisim report: takes one directory (what run wrote), e.g. koiisim report out/koii-baseline")
		return exitUsage
	}
	dir := fs.Arg(0)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		fmt.Fprintf(e.stderr, "koiisim report: %s is not a directory; name what 'koiisim run' or 'koiisim sweep' wrote (--out)\n", dir)
		return exitUsage
	}
	lock, code := lockOut(e, "report", dir, experiment.Shard{})
	if lock == nil {
		return code
	}
	defer lock.Release()
	return writeReport(e, dir)
}

// writeReport writes dir/report.html and dir/plots/ for the run (or
// replicate set) in dir and prints where. run --report and sweep
// --report call it after writing their outputs.
func writeReport(e *env, dir string) int {
	runs, err := reports.ReadRunSet(dir)
	if err != nil && reports.IsSweepDir(dir) {
		return writeSweepReport(e, dir)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim report: %v\n", err)
		return exitUsage
	}
	opts := reports.ReportOptions{Generator: "koiisim " + version}
	if runs[0].Scenario == nil {
		opts.Scenario, opts.ScenarioSrc = rebuildScenario(runs[0].Meta)
	}
	figs := reports.RunFigures(runs)
	st := reports.NewStyles(runs[0].Classes)
	rendered, err := reports.WriteFigures(dir, figs, st)
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim report: drawing figures: %v\n", err)
		return exitRuntime
	}
	html, err := reports.RunReport(runs, rendered, opts).HTML()
	return writeHTML(e, dir, len(figs), html, err)
}

// rebuildScenario recovers the resolved scenario of a run that did not
// write scenario.yaml: a built-in resolved by this build, used only when
// its hash matches the one the run recorded.
func rebuildScenario(m metrics.Meta) (yaml, src string) {
	if y, ok := builtinWithHash(m.Scenario, m.Hash); ok {
		return y, fmt.Sprintf("The run did not write scenario.yaml; this is the built-in scenario %s resolved by this build, and its sha256 matches the run's.", m.Scenario)
	}
	return "", fmt.Sprintf("The run did not write scenario.yaml, and no built-in scenario with its sha256 (%s) is known to this build: it ran from a file or with --set overrides. Replay it with: %s", m.Hash, m.Replay)
}

// builtinWithHash returns the resolved text of the built-in scenario
// name when its hash is hash.
func builtinWithHash(name, hash string) (string, bool) {
	s, _, err := scenarios.Builtin(name, nil)
	if err != nil || scenarios.Hash(s) != hash {
		return "", false
	}
	return string(scenarios.Marshal(s)), true
}

// writeSweepReport writes the report of a sweep directory: each metric
// against the swept parameters, break-even heatmaps, the points.
func writeSweepReport(e *env, dir string) int {
	s, err := reports.ReadSweep(dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim report: %v\n", err)
		return exitUsage
	}
	opts := reports.ReportOptions{Generator: "koiisim " + version}
	m := s.Manifest
	var base *scenarios.Scenario
	if y, err := input.ReadFile(filepath.Join(dir, "scenario.yaml"), input.MaxSummary); err == nil {
		opts.Scenario = string(y)
		opts.ScenarioSrc = "The base scenario of the sweep (scenario.yaml); each point adds its values as --set overrides."
		base, _, _ = scenarios.Parse(y, filepath.Join(dir, "scenario.yaml"), nil)
	} else if y, ok := builtinWithHash(m.Scenario, m.Hash); ok {
		opts.Scenario = y
		opts.ScenarioSrc = fmt.Sprintf("The base scenario of the sweep: the built-in %s resolved by this build (its sha256 matches the manifest's); each point adds its values as --set overrides.", m.Scenario)
		base, _, _ = scenarios.Builtin(m.Scenario, nil)
	} else {
		opts.ScenarioSrc = fmt.Sprintf("The sweep's base scenario is %s with sha256 %s (a file, or a built-in with --set overrides); the sweep directory does not hold its text (scenario.yaml), so it is not shown here.", m.Scenario, m.Hash)
	}
	// The classes whose break-even the report draws: those with a node
	// of a kind that is not honest (model.Kind.Honest), when the scenario
	// is known; else SweepFigures takes every class.
	var coalitions []string
	if base != nil {
		coalitions = []string{}
		honest := base.Config.HonestClasses()
		for i, c := range base.Config.Classes() {
			if !honest[i] {
				coalitions = append(coalitions, c)
			}
		}
	}
	if base != nil && len(base.Asserts) > 0 {
		verdicts, err := sweepVerdicts(dir, base, s.Dims)
		if err != nil {
			fmt.Fprintf(e.stderr, "koiisim report: %v\n", err)
			return exitRuntime
		}
		opts.Verdicts = verdicts
	}
	s.YScale = e.yScale
	if m.Design.Kind == "morris" {
		// Which field each step of a trajectory moved: the design's unit
		// coordinates, drawn again from its seed as the sweep drew them.
		sw := scenarios.Sweep{Design: scenarios.DesignMorris, Points: m.Design.Points, Replicates: m.Design.Replicates}
		for _, v := range m.Design.Vary {
			sw.Vary = append(sw.Vary, scenarios.Dimension{Path: v.Path, Values: v.Values, From: v.From, To: v.To, Steps: v.Steps})
		}
		s.Unit = experiment.UnitPoints(&sw, m.Seed)
	}
	figs := reports.SweepFigures(s, coalitions)
	rendered, err := reports.WriteFigures(dir, figs, reports.SweepStyles(s))
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim report: drawing figures: %v\n", err)
		return exitRuntime
	}
	html, err := reports.SweepReport(s, rendered, coalitions, opts).HTML()
	return writeHTML(e, dir, len(figs), html, err)
}

// sweepVerdicts checks the base scenario's assertions at every point of
// the sweep in dir (its summary.csv) and says where each holds.
func sweepVerdicts(dir string, base *scenarios.Scenario, dims []string) ([]reports.Verdict, error) {
	f, err := input.OpenTable(filepath.Join(dir, experiment.SummaryTable+".csv"))
	if err != nil {
		return nil, fmt.Errorf("reading the summary for the assertions: %v", err)
	}
	defer f.Close()
	points, err := reports.ReadSummaryPoints(f)
	if err != nil {
		return nil, err
	}
	return reports.Verdicts(reports.CheckPoints(base.Asserts, points), points, dims), nil
}

// writeHTML writes a report page built with err into dir/report.html and
// says what was written.
func writeHTML(e *env, dir string, figures int, html []byte, err error) int {
	if err == nil {
		err = atomicfile.WriteFile(filepath.Join(dir, "report.html"), html)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim report: %v\n", err)
		return exitRuntime
	}
	fmt.Fprintf(e.stdout, "wrote %s and %d figures in %s\n", filepath.Join(dir, "report.html"), figures, filepath.Join(dir, "plots"))
	return exitOK
}
