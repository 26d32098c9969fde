package main

import (
	"path/filepath"

	"github.com/koiisim/koiisim/experiment"
	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/reports"
	"github.com/koiisim/koiisim/scenarios"
)

// historyOptions are run's history flags: --history writes history.csv
// and delays.csv, with --format parquet history.parquet too. A scenario
// with an assertion on a history figure turns the history on as well.
type historyOptions struct {
	write   bool // --history, or an assertion needs a history figure
	parquet bool // --format parquet
}

// set turns the history on in opt when asked for.
func (h historyOptions) set(opt *experiment.Options) {
	opt.History = h.write
	if h.write && h.parquet {
		opt.HistoryTable = reports.NewParquetTable
	}
}

// files names the history files written into dir.
func (h historyOptions) files(dir string) []string {
	out := []string{filepath.Join(dir, "history.csv")}
	if h.parquet {
		out = append(out, filepath.Join(dir, "history.parquet"))
	}
	return append(out, filepath.Join(dir, "delays.csv"))
}

// assertsNeedHistory reports whether an assertion of s checks a figure
// only a run with a history has.
func assertsNeedHistory(s *scenarios.Scenario) bool {
	paths := make([]string, len(s.Asserts))
	for i, a := range s.Asserts {
		paths[i] = a.Metric
	}
	return metrics.NeedsHistory(paths)
}
