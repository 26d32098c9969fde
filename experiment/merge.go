package experiment

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/koiisim/koiisim/internal/atomicfile"
	"github.com/koiisim/koiisim/internal/input"
	"github.com/koiisim/koiisim/internal/outdir"
)

// MergeOptions change what Merge writes: Format "" keeps the shards'
// format; Metrics nil keeps their metrics. Parquet writes the Parquet
// tables when the format is parquet.
type MergeOptions struct {
	Format  string
	Parquet NewTable
	Metrics []string
	Version string
}

// Merge combines the shard outputs in dirs (each holding shard manifests
// or a manifest.json, and cells/) into out: every cell file, then the
// manifest and tables a single machine would have written, byte for
// byte. All manifests must record the same scenario and design, and
// every cell must be done in some directory; otherwise it returns an
// *InputError that says which shards are missing cells, and that matches
// ErrIncomplete, as it does when no directory holds a manifest yet.
func Merge(dirs []string, out string, opt MergeOptions) (*Manifest, []string, error) {
	g, err := gatherShards(dirs, opt)
	if err != nil {
		return nil, nil, err
	}
	return g.merge(dirs, out, opt)
}

// CheckMergeable reports what Merge would report before it writes
// anything: whether dirs hold one sweep with every cell done. It only
// reads, so a merge that waits for running shards can look without
// holding the output directory, which would refuse a shard starting
// at that moment.
func CheckMergeable(dirs []string, opt MergeOptions) error {
	_, err := gatherShards(dirs, opt)
	return err
}

// shardSet is what the shard directories of one sweep hold: their
// manifests, the plan, and the directory holding each cell.
type shardSet struct {
	all    map[string]*Manifest // by file, for the checksums
	p      *Plan
	format string
	where  []int // the dir holding each cell
}

// gatherShards reads the manifests in dirs, checks they record one
// sweep, and finds every cell, or says which are missing.
func gatherShards(dirs []string, opt MergeOptions) (*shardSet, error) {
	var ref *Manifest
	var refFile string
	var shards []string
	all := map[string]*Manifest{}
	for _, dir := range dirs {
		ms, names, err := readManifests(dir)
		if err != nil {
			return nil, err
		}
		if len(names) == 0 {
			return nil, incompletef("%s holds no koiisim sweep (no %s or shard-I-of-N.json)", dir, ManifestFile)
		}
		for _, name := range names {
			m := ms[name]
			all[name] = m
			if ref == nil {
				ref, refFile = m, name
			} else if m.ScenarioHash != ref.ScenarioHash || m.DesignHash != ref.DesignHash {
				return nil, inputErrorf("%s and %s record different experiments (scenario %.12s vs %.12s, design %.12s vs %.12s); merge the shards of one sweep only",
					refFile, name, ref.ScenarioHash, m.ScenarioHash, ref.DesignHash, m.DesignHash)
			} else if opt.Metrics == nil && !slices.Equal(m.Metrics, ref.Metrics) {
				return nil, inputErrorf("%s and %s chose different metrics; pass --metrics to choose", refFile, name)
			}
			if m.Shard != "" && !slices.Contains(shards, m.Shard) {
				shards = append(shards, m.Shard)
			}
		}
	}
	p, err := planOf(ref)
	if err != nil {
		return nil, inputErrorf("%s: %v", refFile, err)
	}
	if opt.Metrics != nil {
		if p.Metrics, err = SelectMetrics(opt.Metrics, p.Classes); err != nil {
			return nil, err
		}
	}
	format := ref.Format
	if opt.Format != "" {
		format = opt.Format
	}
	var missing []int
	where := make([]int, p.Cells()) // the dir holding each cell
	for i := range p.Cells() {
		where[i] = -1
		for d, dir := range dirs {
			if (store{dir: dir}).has(p.Cell(i)) {
				where[i] = d
				break
			}
		}
		if where[i] < 0 {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		return nil, incompletef("%d of %d cells are not done in %s: %s; finish them by running the sweep again with the same --out (and --shard) as before",
			len(missing), p.Cells(), strings.Join(dirs, ", "), describeMissing(missing, shards))
	}
	return &shardSet{all: all, p: p, format: format, where: where}, nil
}

// merge writes the sweep of g into out (see Merge).
func (g *shardSet) merge(dirs []string, out string, opt MergeOptions) (*Manifest, []string, error) {
	p, all, format, where := g.p, g.all, g.format, g.where
	if err := os.MkdirAll(filepath.Join(out, CellsDir), 0o755); err != nil {
		return nil, nil, fmt.Errorf("cannot create the output directory: %w", err)
	}
	if err := (store{dir: out}).cleanTemp(nil); err != nil {
		return nil, nil, err
	}
	if err := outdir.CleanTemp(out, nil); err != nil {
		return nil, nil, err
	}
	if err := copyScenario(dirs, out); err != nil {
		return nil, nil, err
	}
	want := recordedSums(all, p.Cells())
	dst := store{dir: out, want: want}
	sums := make([]string, p.Cells())
	for i := range p.Cells() {
		sum, err := dst.copyCell(store{dir: dirs[where[i]], want: want}, p.Cell(i))
		if err != nil {
			return nil, nil, fmt.Errorf("copying cell %d: %w", i, err)
		}
		sums[i] = sum
	}
	files, err := Assemble(p, []string{out}, out, format, opt.Version, opt.Parquet)
	if err != nil {
		return nil, nil, err
	}
	done := make([]bool, p.Cells())
	for i := range done {
		done[i] = true
	}
	m := newManifest(p, opt.Version, format, Shard{}, done, sums)
	if err := m.write(out, ManifestFile); err != nil {
		return nil, nil, err
	}
	return m, append(files, filepath.Join(out, ManifestFile)), nil
}

// describeMissing names the first missing cells and, for each shard
// count seen, the shards they belong to.
func describeMissing(missing []int, shards []string) string {
	var cells []string
	for _, i := range missing[:min(8, len(missing))] {
		cells = append(cells, fmt.Sprint(i))
	}
	s := "cells " + strings.Join(cells, ", ")
	if len(missing) > 8 {
		s += ", ..."
	}
	counts := map[int]bool{}
	for _, sh := range shards {
		if x, err := ParseShard(sh); err == nil {
			counts[x.Count] = true
		}
	}
	var parts []string
	for n := range counts {
		var of []string
		for i := range n {
			for _, c := range missing {
				if c%n == i {
					of = append(of, fmt.Sprintf("%d/%d", i, n))
					break
				}
			}
		}
		parts = append(parts, "shards "+strings.Join(of, ", "))
	}
	slices.Sort(parts)
	if len(parts) > 0 {
		s += " (in " + strings.Join(parts, "; ") + ")"
	}
	return s
}

// copyScenario puts the first scenario.yaml of dirs into out, unless out
// has one.
func copyScenario(dirs []string, out string) error {
	dst := filepath.Join(out, ScenarioFile)
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	for _, d := range dirs {
		b, err := input.ReadFile(filepath.Join(d, ScenarioFile), input.MaxSummary)
		if err == nil {
			return atomicfile.WriteFile(dst, b)
		}
	}
	return nil
}
