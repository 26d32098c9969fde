// Package reports turns a run's results into what people read and what
// programs load: the metrics of PROTOCOL.md §9 (Compute, one table of
// names and units that every output shares), summary.json, the streamed
// rounds.csv, nodes.csv and the printed summary table.
//
// Money is written as exact decimals of KOII, never through a float;
// rates and means are floats. Files are written under a temporary name
// and renamed into place, so a reader never sees half a file.
package reports
