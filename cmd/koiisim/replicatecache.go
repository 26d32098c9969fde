package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"

	"github.com/koiisim/koiisim/experiment"
	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/scenarios"
)

// replicateFile is where frontier keeps the metric value of every
// replicate it ran, so that a search stopped part way resumes without
// running them again.
const replicateFile = "replicates.jsonl"

// replicateHead is the first line of a replicate journal. A value
// depends only on the resolved point (its scenario's sha256), the
// replicate (whose seed derives from that hash and its index) and the
// metric, so any search may reuse it; the koiisim version is recorded
// because another version may compute another value.
type replicateHead struct {
	Journal string `json:"journal"`
	Version string `json:"version"`
}

// replicateValue is one replicate's metric, null where undefined.
type replicateValue struct {
	Point     string   `json:"point_sha256"`
	Metric    string   `json:"metric"`
	Replicate int      `json:"replicate"`
	Value     *float64 `json:"value"`
}

type replicateKey struct {
	point, metric string
	replicate     int
}

// replicateCache runs replicates through the journal: values it holds
// are recalled, the rest are run and appended.
type replicateCache struct {
	j       *journal
	vals    map[replicateKey]float64
	ran     int // replicates run by this command
	workers int
	ctx     context.Context
}

const replicateJournalKind = "koiisim replicate values"

// openReplicateCache opens (or creates) dir's replicate journal.
func openReplicateCache(ctx context.Context, dir string, workers int) (*replicateCache, error) {
	c := &replicateCache{vals: map[replicateKey]float64{}, workers: workers, ctx: ctx}
	path := filepath.Join(dir, replicateFile)
	first, _ := json.Marshal(replicateHead{Journal: replicateJournalKind, Version: version})
	j, err := openJournalFile(path, first, func(b []byte) error {
		var h replicateHead
		if err := json.Unmarshal(b, &h); err != nil || h.Journal != replicateJournalKind {
			return fmt.Errorf("%w: %s:1 is not a koiisim replicate journal; remove it or use another --out", errBadJournal, path)
		}
		if h.Version != version {
			return fmt.Errorf("%w: %s was written by koiisim %s, and this is %s, which may compute other values; remove it to run them again", errBadJournal, path, h.Version, version)
		}
		return nil
	}, func(n int, b []byte) error {
		var v replicateValue
		if err := json.Unmarshal(b, &v); err != nil || v.Point == "" || v.Metric == "" || v.Replicate < 0 {
			return fmt.Errorf("%w: %s:%d is not a replicate's value; remove the journal to start over", errBadJournal, path, n)
		}
		x := math.NaN()
		if v.Value != nil {
			x = *v.Value
		}
		c.vals[replicateKey{v.Point, v.Metric, v.Replicate}] = x
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.j = j
	return c, nil
}

// Close closes the journal.
func (c *replicateCache) Close() error { return c.j.Close() }

// recalled returns how many values the journal held when opened.
func (c *replicateCache) recalled() int { return len(c.vals) - c.ran }

// values returns metric's value in replicates from to to−1 of s (the
// seeds of 'koiisim run --replicates' for this point), NaN where
// undefined: recalled from the journal, or run through the pool every
// command uses and appended (synced) before they are returned.
func (c *replicateCache) values(s *scenarios.Scenario, metric string, from, to int) ([]float64, error) {
	point := scenarios.Hash(s)
	vals := make([]float64, to-from)
	var missing []int
	var seeds []uint64
	for i := range vals {
		x, ok := c.vals[replicateKey{point, metric, from + i}]
		if !ok {
			missing = append(missing, i)
			seeds = append(seeds, experiment.ReplicateSeed(s, from+i))
		}
		vals[i] = x
	}
	if len(missing) == 0 {
		return vals, nil
	}
	runs, err := experiment.Replicates(c.ctx, s, seeds, c.workers)
	if err != nil {
		return nil, err
	}
	lines := make([][]byte, len(runs))
	for k, r := range runs {
		x := math.NaN()
		for _, p := range metrics.Flatten(r.Figures) {
			if p.Path == metric {
				x = p.Value.Float()
			}
		}
		i := missing[k]
		vals[i] = x
		v := replicateValue{Point: point, Metric: metric, Replicate: from + i}
		if !math.IsNaN(x) {
			v.Value = &vals[i]
		}
		if lines[k], err = json.Marshal(v); err != nil {
			return nil, fmt.Errorf("replicate %d of point %.12s: %s = %v cannot be kept: %v", from+i, point, metric, vals[i], err)
		}
	}
	if err := c.j.write(lines...); err != nil {
		return nil, err
	}
	for _, i := range missing {
		c.vals[replicateKey{point, metric, from + i}] = vals[i]
	}
	c.ran += len(missing)
	return vals, nil
}
