package experiment

import (
	"path/filepath"

	"github.com/koiisim/koiisim/internal/atomicfile"
	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/sim"
)

// runHistory is RunOne's history: history.csv (and its Parquet twin)
// streamed as rounds end and delays.csv at the end when the run writes
// files; only the figures otherwise. A nil *runHistory is off.
type runHistory struct {
	dir     string
	csv, pq *atomicfile.File
	w       *metrics.HistoryWriter
	kept    metrics.HistoryStats // the figures when no file is written
}

// startHistory sets opt.OnRound for o's history, opening its files.
func startHistory(o Options, classes []string, opt *sim.Options) (*runHistory, error) {
	if !o.History {
		return nil, nil
	}
	h := &runHistory{}
	if o.Files == nil {
		opt.OnRound = func(s *sim.RoundState) error { h.kept.Observe(s); return nil }
		return h, nil
	}
	h.dir = o.Files.Dir
	var err error
	if h.csv, err = atomicfile.Create(filepath.Join(h.dir, "history.csv")); err != nil {
		return nil, err
	}
	var pq metrics.TableWriter // nil: no Parquet twin
	if o.HistoryTable != nil {
		if h.pq, err = atomicfile.Create(filepath.Join(h.dir, "history.parquet")); err != nil {
			h.abort()
			return nil, err
		}
		if pq, err = o.HistoryTable(h.pq, metrics.HistoryColumns, "koiisim", o.Files.Version); err != nil {
			h.abort()
			return nil, err
		}
	}
	if h.w, err = metrics.NewHistoryWriter(h.csv, pq, classes); err != nil {
		h.abort()
		return nil, err
	}
	opt.OnRound = h.w.Write
	return h, nil
}

// finish closes the history tables, commits them and writes delays.csv.
func (h *runHistory) finish(res *sim.Result) error {
	if h == nil || h.w == nil {
		return nil
	}
	if err := h.w.Close(); err != nil {
		return err
	}
	for _, f := range []*atomicfile.File{h.csv, h.pq} {
		if f != nil {
			if err := f.Commit(); err != nil {
				return err
			}
		}
	}
	d, err := atomicfile.Create(filepath.Join(h.dir, "delays.csv"))
	if err != nil {
		return err
	}
	defer d.Abort()
	if err := metrics.WriteDelays(d, res.Delays); err != nil {
		return err
	}
	return d.Commit()
}

// abort removes the history files not committed.
func (h *runHistory) abort() {
	if h == nil {
		return
	}
	for _, f := range []*atomicfile.File{h.csv, h.pq} {
		if f != nil {
			f.Abort()
		}
	}
}

// stats returns the history's figures.
func (h *runHistory) stats() *metrics.HistoryStats {
	if h.w != nil {
		return h.w.Stats()
	}
	return &h.kept
}
