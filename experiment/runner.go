package experiment

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/koiisim/koiisim/internal/atomicfile"
	"github.com/koiisim/koiisim/internal/outdir"
)

// Runner runs a plan's cells into an output directory, resuming what an
// earlier run of the same experiment left there.
type Runner struct {
	Plan    *Plan
	Dir     string
	Workers int      // runs at once; at least 1
	Shard   Shard    // the share of cells to run; the zero Shard is all
	Format  string   // "csv", or "parquet" for CSV and Parquet tables
	Parquet NewTable // writes the Parquet tables; needed for format parquet
	Version string   // the tool's version, for the manifest
	// Progress, if set, is called once with the cells of the share found
	// done and the share's size, then after each cell that finishes;
	// RunAdaptive passes a total of 0, as it does not know it.
	Progress func(done, total int)
	// RunFiles makes each replicate of a one-point plan also write what
	// `koiisim run` writes, in rep-<replicate>/: a replicate set that
	// reports and comparisons read run by run.
	RunFiles bool
}

func (r *Runner) outputs() outputs {
	return outputs{on: r.RunFiles, dir: r.Dir, version: r.Version}
}

// Outcome says what a Runner did.
type Outcome struct {
	Share    int  // cells in the runner's share
	Resumed  int  // of those, found done by an earlier run
	Ran      int  // run now
	Complete bool // every cell of the share is done
	Files    []string
	Warnings []string // about the output directory, for the user
}

// Formats are the output formats: CSV always, Parquet beside it.
var Formats = []string{"csv", "parquet"}

// Run runs the share's cells that are not done yet, then writes the
// manifest; when the share is the whole experiment, also the tables
// (cells.csv and summary.csv, and .parquet twins for the parquet
// format). It refuses a directory that holds another experiment with an
// *InputError. When ctx ends it stops dispatching, abandons the cells in
// flight, records what is done and returns ErrInterrupted: running it
// again resumes.
func (r *Runner) Run(ctx context.Context) (Outcome, error) {
	var out Outcome
	p := r.Plan
	if len(p.Points) > 0 && p.Points[0].Hash == "" {
		return out, fmt.Errorf("experiment: the plan was made for a dry run and has no cell seeds")
	}
	if r.RunFiles && len(p.Points) != 1 {
		return out, fmt.Errorf("experiment: RunFiles needs a plan of one point, not %d", len(p.Points))
	}
	want, warnings, err := prepareDir(r.Dir, p, r.Version)
	out.Warnings = warnings
	if err != nil {
		return out, err
	}
	st := store{dir: r.Dir, want: want}
	total := p.Cells()
	sums := make([]string, total)
	copy(sums, want)
	done := make([]bool, total)
	first, step := 0, 1 // the share is first, first+step, ...
	if !r.Shard.Whole() {
		first, step = r.Shard.Index, r.Shard.Count
	}
	if err := r.cleanTemp(); err != nil {
		return out, fmt.Errorf("removing temporary files of interrupted writes: %w", err)
	}
	for i := first; i < total; i += step {
		out.Share++
		if st.has(p.Cell(i)) {
			done[i] = true
			out.Resumed++
		}
	}
	name := ManifestFile
	if !r.Shard.Whole() {
		name = ShardManifest(r.Shard)
	}
	if err := p.writeScenario(r.Dir); err != nil {
		return out, err
	}
	// Not complete until the end, even when every cell is done already:
	// the tables are written after this.
	if err := newManifest(p, r.Version, r.Format, r.Shard, done, want).incomplete().write(r.Dir, name); err != nil {
		return out, err
	}
	count := out.Resumed
	if r.Progress != nil {
		r.Progress(count, out.Share)
	}
	k := first
	next := func() (Cell, bool) {
		if k >= total {
			return Cell{}, false
		}
		k += step
		return p.Cell(k - step), true
	}
	err = p.execute(ctx, r.Workers, st, r.outputs(), next, func(c Cell, res *Result) bool {
		sums[c.Index] = res.sum
		if done[c.Index] {
			return false // found done by the scan above
		}
		done[c.Index] = true
		out.Ran++
		count++
		if r.Progress != nil {
			r.Progress(count, out.Share)
		}
		return false
	})
	m := newManifest(p, r.Version, r.Format, r.Shard, done, sums)
	out.Complete = m.Complete
	out.Files = append(out.Files, filepath.Join(r.Dir, name))
	if err != nil || !r.Shard.Whole() {
		if werr := m.write(r.Dir, name); err == nil {
			err = werr
		}
		return out, err
	}
	// The manifest last: one that says complete is never beside tables
	// that a kill or a full disk kept from being written.
	files, err := Assemble(p, []string{r.Dir}, r.Dir, r.Format, r.Version, r.Parquet)
	if err != nil {
		m.incomplete().write(r.Dir, name)
		return out, err
	}
	if err := m.write(r.Dir, name); err != nil {
		return out, err
	}
	out.Files = append(files, out.Files...)
	if p.ScenarioYAML != nil {
		out.Files = append(out.Files, filepath.Join(r.Dir, ScenarioFile))
	}
	return out, nil
}

// cleanTemp removes the temporary files that writes cut short by a kill
// left in the runner's share of the directory: all of them for a whole
// experiment, whose command holds the directory alone; a shard's own
// cells' and manifest's otherwise, as other shards may be writing.
func (r *Runner) cleanTemp() error {
	st := store{dir: r.Dir}
	if !r.Shard.Whole() {
		if err := st.cleanTemp(r.Plan.namesIn(r.Shard)); err != nil {
			return err
		}
		own := ShardManifest(r.Shard)
		return outdir.CleanTemp(r.Dir, func(name string) bool { return name == own })
	}
	if err := st.cleanTemp(nil); err != nil {
		return err
	}
	reps, err := filepath.Glob(filepath.Join(r.Dir, RepDir(0)[:4]+"*"))
	if err != nil {
		return err
	}
	for _, d := range append(reps, r.Dir) {
		if err := outdir.CleanTemp(d, nil); err != nil {
			return err
		}
	}
	return nil
}

// namesIn returns a test of whether a cell file name belongs to a cell
// of the shard. It keeps one entry per point, not per cell.
func (p *Plan) namesIn(shard Shard) func(name string) bool {
	points := map[string][]int{}
	for i, pt := range p.Points {
		points[pt.Hash[:16]] = append(points[pt.Hash[:16]], i)
	}
	reps := p.Replicates()
	return func(name string) bool {
		h, rest, ok := strings.Cut(strings.TrimSuffix(name, ".json"), "-")
		r, err := strconv.Atoi(rest)
		if !ok || err != nil || r < 0 || r >= reps {
			return false
		}
		for _, pt := range points[h] {
			if shard.Has(pt*reps + r) {
				return true
			}
		}
		return false
	}
}

// prepareDir creates dir, or checks that what it holds is this
// experiment's: its manifests must name the same scenario and design,
// and a directory with files but no manifest is someone else's. It
// returns the cell checksums the manifests record, and warns when a
// manifest was written by another version of koiisim, whose cells will
// be mixed with this one's.
func prepareDir(dir string, p *Plan, version string) (sums, warnings []string, err error) {
	ms, names, err := readManifests(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, name := range names {
		if err := ms[name].compatible(name, p); err != nil {
			return nil, nil, err
		}
		if v := ms[name].Version; v != version {
			warnings = append(warnings, fmt.Sprintf("%s was written by koiisim %s, this is %s: the cells of both will be mixed; use another --out for results of one version", name, v, version))
		}
	}
	if len(names) == 0 {
		entries, err := os.ReadDir(dir)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, nil, err
		}
		var other []string
		for _, e := range entries {
			if !ours(e.Name()) {
				other = append(other, e.Name())
			}
		}
		if len(other) > 0 {
			return nil, nil, inputErrorf("%s holds files but no koiisim manifest (%s); use an empty or new --out directory",
				dir, strings.Join(other[:min(3, len(other))], ", "))
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, CellsDir), 0o755); err != nil {
		return nil, nil, fmt.Errorf("cannot create the output directory: %w", err)
	}
	return recordedSums(ms, p.Cells()), warnings, nil
}

// ours reports whether name is a file or folder an experiment writes,
// or the temporary file of one being written (.NAME.tmp-N), which
// another shard sharing the directory may have open right now.
func ours(name string) bool {
	if n, ok := strings.CutPrefix(name, "."); ok {
		if i := strings.Index(n, ".tmp-"); i > 0 {
			name = n[:i]
		}
	}
	if outdir.IsLockFile(name) {
		return true
	}
	base, _, _ := strings.Cut(name, ".")
	return name == CellsDir || name == ScenarioFile || name == ManifestFile || base == CellsTable || base == SummaryTable ||
		strings.HasPrefix(name, "rep-") || strings.HasPrefix(name, "shard-")
}

// ScenarioFile is the base scenario of an experiment, resolved, in its
// output directory.
const ScenarioFile = "scenario.yaml"

// writeScenario writes the plan's scenario.yaml into dir, unless a plan
// rebuilt from a manifest has none.
func (p *Plan) writeScenario(dir string) error {
	if p.ScenarioYAML == nil {
		return nil
	}
	return atomicfile.WriteFile(filepath.Join(dir, ScenarioFile), p.ScenarioYAML)
}
