package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/koiisim/koiisim/metrics"
)

// ReportOptions say what a report cannot read from the run directory.
type ReportOptions struct {
	Generator   string // "koiisim <version>", the build writing the report
	Scenario    string // the resolved scenario YAML when the run did not write scenario.yaml
	ScenarioSrc string // where Scenario came from
	// Verdicts, for a sweep whose scenario has an assert: section, say
	// where each assertion holds (Verdicts).
	Verdicts []Verdict
}

// metricGroups start a titled group of rows in the per-class table.
var metricGroups = map[string]string{
	"nodes":           "Stake and money",
	"valid":           "Submissions",
	"false_slashes":   "Detection",
	"audits":          "Audits and votes",
	"lists_submitted": "Lists",
	"gini_rewards":    "Inequality",
}

// estimate is the figure at path over the runs: the mean and 95% CI
// (a proportion's Wilson interval).
func estimate(runs []*RunData, path string) metrics.Estimate {
	get := func(p string) ([]float64, bool) { return values(runs, p), true }
	if e, ok := metrics.ProportionEstimate(path, get); ok {
		return e
	}
	return metrics.Summarize(values(runs, path))
}

// RunReport builds the report of a run or replicate set; figs are the
// figures already rendered for it.
func RunReport(runs []*RunData, figs []RenderedFigure, o ReportOptions) *Report {
	r0 := runs[0]
	a := align(runs)
	rep := &Report{Kind: "run", FiguresFirst: true, Title: r0.Meta.Scenario, Description: r0.Meta.Description, Figures: figs, Generator: o.Generator}
	rep.Meta = runMeta(runs)
	rep.Highlights = highlights(runs, a.classes, a.coalitions())
	ci := ""
	if len(runs) > 1 {
		ci = fmt.Sprintf(" Each cell is the mean over %d replicates ± the half-width of its 95%% confidence interval (Student's t).", len(runs))
	} else {
		ci = " One run, so no confidence intervals: run replicates (--replicates) to get them."
	}
	ci += " Rates of counted trials (false_slash_rate, missed_detection_rate, unpaid_rate) are the pooled count over the pooled trials with its 95% Wilson interval [low, high], which a single run has too."
	classTable := DataTable{ID: "classes", Title: "Per class", Note: "Every figure of summary.json by node class; money in KOII, rates in percent." + ci,
		Head: append(append([]string{"metric", "unit"}, a.classes...), "total")}
	for _, m := range metrics.ClassMetrics {
		if g, ok := metricGroups[m.Name]; ok {
			classTable.Rows = append(classTable.Rows, Row{Cells: []string{g}, Class: "group"})
		}
		cells := []string{m.Name, unitLabel(m.Unit)}
		for _, c := range append(append([]string(nil), a.classes...), "total") {
			cells = append(cells, fmtEstimate(estimate(runs, c+"."+m.Name), m.Unit))
		}
		classTable.Rows = append(classTable.Rows, Row{Cells: cells, Doc: m.Doc})
	}
	runTable := DataTable{ID: "run-figures", Title: "The run as a whole", Note: "Cycles, bounty and engine figures." + ci,
		Head: []string{"metric", "unit", "value"}}
	for _, m := range metrics.RunMetrics {
		runTable.Rows = append(runTable.Rows, Row{Cells: []string{m.Name, unitLabel(m.Unit), fmtEstimate(estimate(runs, "run."+m.Name), m.Unit)}, Doc: m.Doc})
	}
	rep.Tables = []DataTable{classTable, runTable}
	rep.Scenario, rep.ScenarioSrc = string(r0.Scenario), "The resolved scenario the run wrote (scenario.yaml); every default is spelled out, and it loads back to itself."
	if r0.Scenario == nil {
		rep.Scenario, rep.ScenarioSrc = o.Scenario, o.ScenarioSrc
	}
	return rep
}

func runMeta(runs []*RunData) []KV {
	m := runs[0].Meta
	kv := []KV{
		{Key: "scenario", Value: m.Scenario},
		{Key: "scenario sha256", Value: m.Hash, Code: true},
	}
	if len(runs) == 1 {
		kv = append(kv, KV{Key: "seed", Value: fmt.Sprint(m.Seed)}, KV{Key: "replay", Value: m.Replay, Code: true})
	} else {
		seeds := make([]string, len(runs))
		for i, r := range runs {
			seeds[i] = fmt.Sprint(r.Meta.Seed)
		}
		kv = append(kv, KV{Key: "replicates", Value: fmt.Sprint(len(runs))},
			KV{Key: "seeds", Value: strings.Join(seeds, ", ")},
			KV{Key: "replay (first replicate)", Value: m.Replay, Code: true})
	}
	kv = append(kv, KV{Key: "simulated by", Value: m.Tool + " " + m.Version})
	return kv
}

// highlights are a few sentences on what happened, per class and for
// the run, for a reader who reads nothing else.
func highlights(runs []*RunData, classes, coalitions []string) []string {
	val := func(path, unit string) string { return fmtEstimate(estimate(runs, path), unit) }
	mean := func(path string) float64 { return estimate(runs, path).Mean }
	var out []string
	isCo := map[string]bool{}
	for _, c := range coalitions {
		isCo[c] = true
	}
	for _, c := range classes {
		s := fmt.Sprintf("%s (%s nodes): net profit %s KOII, a return of %s on stake", c, val(c+".nodes", "nodes"),
			val(c+".net_profit", "KOII"), val(c+".return_on_stake", "fraction"))
		if inv := mean(c + ".invalid"); inv > 0 || isCo[c] {
			s += fmt.Sprintf("; %s invalid proofs, %s slashed submissions, %s KOII slashed", val(c+".invalid", "submissions"),
				val(c+".slashed_count", "submissions"), val(c+".slashed", "KOII"))
			if l := mean(c + ".detection_latency"); !math.IsNaN(l) {
				s += fmt.Sprintf(", first caught %s rounds after its first invalid proof", val(c+".detection_latency", "rounds"))
			}
		} else if fs := mean(c + ".false_slashes"); fs > 0 {
			s += fmt.Sprintf("; %s valid proofs wrongly slashed", val(c+".false_slashes", "submissions"))
		} else {
			s += "; never slashed"
		}
		if miss := mean(c + ".missing"); miss > 0 {
			s += fmt.Sprintf("; %s missing submissions (%s late)", val(c+".missing", "submissions"), val(c+".late", "submissions"))
		}
		out = append(out, s+".")
	}
	out = append(out, fmt.Sprintf("Cycles: %s started, %s paid, %s unpaid, %s paid with a wrong list; %s KOII of bounty paid, %s KOII left.",
		val("run.cycles_started", "cycles"), val("run.cycles_paid", "cycles"), val("run.cycles_unpaid", "cycles"),
		val("run.wrong_lists", "cycles"), val("run.bounty_paid", "KOII"), val("run.bounty_left", "KOII")))
	return out
}
