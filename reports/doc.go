// Package reports turns results into what people read: the printed
// table, figures and the HTML report, comparisons and guards. It is the
// only package that imports gonum/plot, and the top of the layers below
// the CLI: model <- sim <- metrics <- experiment <- reports <- cmd. What
// a run computes, its statistics and the files every run writes are
// package metrics'; reports reads those files back.
//
//   - Writers: the printed summary (Table), the trace (TraceWriter),
//     Parquet twins of the sweep tables (NewParquetTable).
//   - Figures and the HTML report: run, replicate and sweep figures drawn
//     with gonum/plot, inlined as SVG in one offline page; compare puts
//     two runs side by side.
//   - Guarding: assertions (Check), baselines (NewBaseline, Compare) and
//     JUnit output.
package reports
