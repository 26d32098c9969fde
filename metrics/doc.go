// Package metrics says what a run reports (docs/model.md §9) and how
// sure a set of runs is of it. It sits between the engine and everything
// that runs or draws: sim <- metrics <- experiment <- reports. It imports
// gonum's stat packages and nothing that plots or writes Parquet.
//
//   - Definitions: Compute derives a run's figures from a sim.Result
//     (ClassMetrics, RunMetrics: one table of names and units that every
//     output shares); Flatten names each by its metric path (run.X,
//     total.X, CLASS.X); AddCounterfactual fills rewards lost to
//     attackers from a run without them.
//   - Statistics: Summarize gives the one "mean with a 95% interval"
//     type, Estimate (Student t), for replicate and sweep tables, the
//     stopping rule, baselines and reports; WelchTest, Gini and Lorenz
//     for comparisons and figures.
//   - Files of a run: summary.json (NewSummary), the streamed rounds.csv
//     (RoundsWriter) and nodes.csv (WriteNodes); typed table rows
//     (Column, Field) and the CSV table writer that sweeps use. Money is
//     an exact decimal of KOII, never through a float.
package metrics
