package metrics

import "sort"

// A metric path names one figure of a run, the way assertions,
// baselines, sweeps and comparisons refer to it:
//
//	run.<metric>           a run figure (RunMetrics)
//	total.<metric>         a class figure over all nodes (ClassMetrics)
//	<class>.<metric>       a class figure of one class, e.g. honest.false_slash_rate
//
// Class names "run" and "total" are reserved by the scenario format.

// Point is one metric path and its value.
type Point struct {
	Path  string
	Unit  string
	Value Value
}

// Flatten lists every figure of f under its path, in a fixed order: run
// figures, the total, then each class in the run's class order, each in
// metric order.
func Flatten(f *Figures) []Point {
	runMetrics, classMetrics := f.metrics()
	out := make([]Point, 0, len(runMetrics)+(1+len(f.Classes))*len(classMetrics))
	for _, m := range runMetrics {
		out = append(out, Point{"run." + m.Name, m.Unit, f.Run[m.Name]})
	}
	for _, m := range classMetrics {
		out = append(out, Point{"total." + m.Name, m.Unit, f.Total[m.Name]})
	}
	for i, c := range f.Classes {
		for _, m := range classMetrics {
			out = append(out, Point{c + "." + m.Name, m.Unit, f.Class[i][m.Name]})
		}
	}
	return out
}

// Paths returns the metric paths a run with these classes has, sorted,
// those of a run with a history and of a run with learners included.
func Paths(classes []string) []string {
	var out []string
	for _, m := range append(append(append([]Metric(nil), RunMetrics...), DelayMetrics...), StrategyMetrics...) {
		out = append(out, "run."+m.Name)
	}
	for _, prefix := range append([]string{"total"}, classes...) {
		for _, m := range append(append([]Metric(nil), ClassMetrics...), HistoryMetrics...) {
			out = append(out, prefix+"."+m.Name)
		}
	}
	sort.Strings(out)
	return out
}
