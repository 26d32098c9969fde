// Package experiment runs scenarios: one run (RunOne, the way every
// command runs a scenario), replicates of one point, and sweeps over the
// scenario's fields, in parallel, sharded over a cluster, resumable
// after an interruption. It sits above metrics and below reports, and
// imports no plotting or Parquet package (TestLayersBelowReports).
//
// # Words
//
// A sweep varies fields of a scenario, each named by its --set path
// (rules.slash_fraction, populations.auditors.count). Its design draws
// points: a grid (every combination), random, or a Latin hypercube
// (lhs). A point is the base scenario with one value per dimension,
// applied as extra --set overrides, so every point is validated like a
// file. Each point runs a number of replicates; one (point, replicate)
// is a cell, the unit of work, of output and of sharding.
//
// # Determinism
//
// A run is RunOne(scenario, seed): the engine, the metrics and the run
// without attackers (for rewards lost to attackers) in one place, and,
// on request, the run's files, which derive from the scenario, the seed
// and the replay command alone.
//
// Replicate r of a scenario has the seed ReplicateSeed: the first 8
// bytes of SHA-256("<hash>/<r>"), where hash is scenarios.Hash of the
// resolved scenario (its base seed included). A sweep cell is replicate
// r of its point, so its seed depends on what the cell runs and on
// nothing else, not on the worker, the shard or the other points. One
// worker pool runs sweeps, replicate sets and Replicates: whole runs on
// goroutines (never goroutines inside a run), results collected by
// index. Each cell writes its own file, cells/<hash16>-<r>.json,
// and the tables are assembled by reading the files back in cell order.
// So results are byte-identical for any number of workers, for any
// sharding merged back, and for a run resumed after a kill.
//
// # Files
//
// An output directory holds cells/ (one JSON file per finished cell,
// every metric of the run), manifest.json (the tool and version, the
// scenario's hash and seed, the design with every point, the metrics,
// the cells done), and, once every cell is done, cells.csv (one row per
// cell) and summary.csv (one row per point: mean, sd, 95% confidence
// interval and n for each metric), with Parquet twins on request. A
// shard writes shard-I-of-N.json instead of manifest.json and no
// tables; Merge assembles them.
//
// Files are written under a temporary name and renamed into place, so
// a file under a cell's name is always whole; a run killed with SIGKILL
// leaves at most temporary files, which the next run removes. A
// directory is refused when its manifests record another scenario or
// design.
//
// # Entry points
//
// RunOne runs one scenario with one seed; Replicates runs it with many
// seeds on the pool. NewPlan turns a resolved scenario and the command line's overrides
// into a Plan: points drawn and checked, metrics chosen. Runner.Run runs
// the plan's cells (or a shard's) and writes the outputs;
// Runner.RunAdaptive adds replicates until a confidence interval is
// narrow enough; Merge combines shard directories. Points, UnitPoints,
// Levels, CellSeed and SelectMetrics are the pieces, exported for tests
// and tools.
//
// The package reads no clock: progress display is the caller's.
package experiment
