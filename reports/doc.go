// Package reports turns results into what people read and what programs
// load. It is the only package that imports gonum/plot.
//
//   - Metrics: Compute derives the figures of docs/model.md §9 from a run
//     (ClassMetrics, RunMetrics: one table of names and units that every
//     output shares); Flatten names each by its metric path (run.X,
//     total.X, CLASS.X).
//   - Writers: summary.json, the streamed rounds.csv, nodes.csv, the
//     printed table; sweep and replicate tables in CSV and Parquet. Money
//     is an exact decimal of KOII, never through a float; files are
//     written under a temporary name and renamed into place.
//   - Statistics: means with Student t intervals, Welch's test, Gini and
//     Lorenz curves.
//   - Figures and the HTML report: run, replicate and sweep figures drawn
//     with gonum/plot, inlined as SVG in one offline page; compare puts
//     two runs side by side.
//   - Guarding: assertions (Check), baselines (NewBaseline, Compare) and
//     JUnit output.
package reports
