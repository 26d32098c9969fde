package experiment

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/koiisim/koiisim/internal/atomicfile"
	"github.com/koiisim/koiisim/internal/input"
	"github.com/koiisim/koiisim/scenarios"
)

// ManifestFile is the manifest of a whole experiment's directory; a
// shard writes ShardManifest(shard) instead, so shards can share one
// directory.
const ManifestFile = "manifest.json"

// ShardManifest is the file name of a shard's manifest.
func ShardManifest(s Shard) string { return fmt.Sprintf("shard-%d-of-%d.json", s.Index, s.Count) }

// Manifest records what an output directory holds: the tool, the
// scenario and seed, the design with every point, the metrics, and
// which cells are done. It holds no time, host or worker count, so a
// merge of shards writes the same bytes as one machine.
type Manifest struct {
	Tool         string            `json:"tool"`
	Version      string            `json:"version"`
	Scenario     string            `json:"scenario"`
	Description  string            `json:"description"`
	ScenarioHash string            `json:"scenario_sha256"`
	Seed         uint64            `json:"seed"`
	Rounds       int               `json:"rounds"`
	Classes      []string          `json:"classes"`
	Design       Design            `json:"design"`
	DesignHash   string            `json:"design_sha256"`
	Points       []ManifestPoint   `json:"points"`
	Metrics      []string          `json:"metrics"`
	Units        map[string]string `json:"units"`
	Format       string            `json:"format"`
	Cells        int               `json:"cells"`
	Shard        string            `json:"shard,omitempty"`       // I/N in a shard's manifest
	ShardCells   int               `json:"shard_cells,omitempty"` // the shard's share of Cells
	CellsDone    int               `json:"cells_done"`
	Done         string            `json:"done"` // done cell indices as ranges: 0-41,43-99
	Complete     bool              `json:"complete"`
	// CellSums holds each done cell's checksum (cellSum), by cell index,
	// "" for a cell not done here: an edited cell is refused.
	CellSums []string `json:"cell_sha256,omitempty"`
}

// Design is a sweep's design as the manifest records it.
type Design struct {
	Kind       string      `json:"kind"`
	Points     int         `json:"points"`
	Replicates int         `json:"replicates"`
	Vary       []Dimension `json:"vary"`
	Stop       *StopRule   `json:"stop,omitempty"` // run --ci-width: replicates were added until the rule held
}

// Dimension is one dimension of a design as the manifest records it.
type Dimension struct {
	Path   string   `json:"path"`
	Values []string `json:"values,omitempty"`
	From   string   `json:"from,omitempty"`
	To     string   `json:"to,omitempty"`
	Steps  int      `json:"steps,omitempty"`
}

// ManifestPoint is one point: its values (one per dimension) and the
// hash of its resolved scenario.
type ManifestPoint struct {
	Values []string `json:"values"`
	Hash   string   `json:"sha256"`
}

// DesignOf records a sweep's design.
func DesignOf(sw *scenarios.Sweep) Design {
	d := Design{Kind: sw.Design.String(), Points: sw.GridPoints(), Replicates: sw.Replicates, Vary: []Dimension{}}
	for _, v := range sw.Vary {
		d.Vary = append(d.Vary, Dimension{Path: v.Path, Values: v.Values, From: v.From, To: v.To, Steps: v.Steps})
	}
	return d
}

// newManifest describes plan in format, for shard, with the done cells
// and their checksums (sums, by cell index; nil for none).
func newManifest(p *Plan, version, format string, shard Shard, done []bool, sums []string) *Manifest {
	m := &Manifest{
		Tool: "koiisim", Version: version, Scenario: p.Name, Description: p.Description,
		ScenarioHash: p.ScenarioHash, Seed: p.Seed, Rounds: p.Rounds, Classes: p.Classes,
		Design: DesignOf(&p.Sweep), DesignHash: p.DesignHash, Metrics: p.Metrics,
		Units: map[string]string{}, Format: format, Cells: p.Cells(),
	}
	m.Design.Stop = p.Stop
	for _, pt := range p.Points {
		m.Points = append(m.Points, ManifestPoint{Values: orEmpty(pt.Values), Hash: pt.Hash})
	}
	for _, metric := range p.Metrics {
		m.Units[metric] = Unit(metric)
	}
	if !shard.Whole() {
		m.Shard = shard.String()
		for i := range m.Cells {
			if shard.Has(i) {
				m.ShardCells++
			}
		}
	}
	m.Done, m.CellsDone = ranges(done)
	if m.CellsDone > 0 && len(sums) == m.Cells {
		m.CellSums = make([]string, m.Cells)
		for i, d := range done {
			if d && (m.Shard == "" || shard.Has(i)) {
				m.CellSums[i] = sums[i]
			}
		}
	}
	share := m.Cells
	if m.Shard != "" {
		share = m.ShardCells
	}
	m.Complete = m.CellsDone == share
	return m
}

// incomplete marks m as not complete, for a manifest written before
// the last of the directory's files.
func (m *Manifest) incomplete() *Manifest {
	m.Complete = false
	return m
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// write stores the manifest atomically as dir/name.
func (m *Manifest) write(dir, name string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dir, name), append(b, '\n'))
}

// readManifests returns every manifest in dir (manifest.json and
// shard-*.json), by file name, sorted.
func readManifests(dir string) (map[string]*Manifest, []string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "shard-*-of-*.json"))
	if err != nil {
		return nil, nil, err
	}
	names = append([]string{filepath.Join(dir, ManifestFile)}, names...)
	out := map[string]*Manifest{}
	var found []string
	for _, name := range names {
		b, err := input.ReadFile(name, input.MaxManifest)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		var m Manifest
		if err := json.Unmarshal(b, &m); err != nil || m.Tool != "koiisim" || m.ScenarioHash == "" {
			return nil, nil, inputErrorf("%s is not a koiisim manifest (%v); remove it, or use another --out", name, err)
		}
		out[name] = &m
		found = append(found, name)
	}
	sort.Strings(found)
	return out, found, nil
}

// recordedSums gathers the cell checksums of manifests ms, for a plan
// of cells cells; nil when none records any.
func recordedSums(ms map[string]*Manifest, cells int) []string {
	var sums []string
	for _, m := range ms {
		if len(m.CellSums) != cells {
			continue
		}
		if sums == nil {
			sums = make([]string, cells)
		}
		for i, s := range m.CellSums {
			if s != "" {
				sums[i] = s
			}
		}
	}
	return sums
}

// compatible reports, as an *InputError, how the experiment recorded in
// m (read from file) differs from plan: another scenario, seed or design
// would mix cells of two experiments.
func (m *Manifest) compatible(file string, p *Plan) error {
	var diffs []string
	if m.ScenarioHash != p.ScenarioHash {
		diffs = append(diffs, fmt.Sprintf("scenario sha256 %.12s (%s, seed %d), this one %.12s (%s, seed %d)", m.ScenarioHash, m.Scenario, m.Seed, p.ScenarioHash, p.Name, p.Seed))
	}
	if m.DesignHash != p.DesignHash {
		diffs = append(diffs, fmt.Sprintf("design %s, this one %s", describeDesign(&m.Design), describeDesign(p.design())))
	}
	if len(diffs) == 0 {
		return nil
	}
	return inputErrorf("%s records another experiment: %s; use another --out, or delete %s to start over",
		file, strings.Join(diffs, "; "), filepath.Dir(file))
}

func describeDesign(d *Design) string {
	var dims []string
	for _, v := range d.Vary {
		switch {
		case len(v.Values) > 4:
			dims = append(dims, fmt.Sprintf("%s in [%s, ...] (%d values)", v.Path, strings.Join(v.Values[:3], ", "), len(v.Values)))
		case len(v.Values) > 0:
			dims = append(dims, fmt.Sprintf("%s in [%s]", v.Path, strings.Join(v.Values, ", ")))
		case v.Steps > 0:
			dims = append(dims, fmt.Sprintf("%s from %s to %s in %d steps", v.Path, v.From, v.To, v.Steps))
		default:
			dims = append(dims, fmt.Sprintf("%s from %s to %s", v.Path, v.From, v.To))
		}
	}
	s := fmt.Sprintf("%s of %d points × %d replicates", d.Kind, d.Points, d.Replicates)
	if len(dims) > 0 {
		s += " over " + strings.Join(dims, " and ")
	}
	if d.Stop != nil {
		s += fmt.Sprintf(" (adaptive, at most %d)", d.Stop.Max)
	}
	return s
}

// ranges writes the indices set in done as ranges ("0-41,43-99") and
// counts them.
func ranges(done []bool) (string, int) {
	var parts []string
	n := 0
	for i := 0; i < len(done); {
		if !done[i] {
			i++
			continue
		}
		j := i
		for j+1 < len(done) && done[j+1] {
			j++
		}
		n += j - i + 1
		if j == i {
			parts = append(parts, strconv.Itoa(i))
		} else {
			parts = append(parts, strconv.Itoa(i)+"-"+strconv.Itoa(j))
		}
		i = j + 1
	}
	return strings.Join(parts, ","), n
}

// parseRanges reads what ranges writes, for n cells.
func parseRanges(s string, n int) ([]bool, error) {
	done := make([]bool, n)
	if s == "" {
		return done, nil
	}
	for _, part := range strings.Split(s, ",") {
		a, b, isRange := strings.Cut(part, "-")
		lo, err1 := strconv.Atoi(a)
		hi, err2 := lo, error(nil)
		if isRange {
			hi, err2 = strconv.Atoi(b)
		}
		if err1 != nil || err2 != nil || lo < 0 || hi < lo || hi >= n {
			return nil, fmt.Errorf("bad range %q for %d cells", part, n)
		}
		for i := lo; i <= hi; i++ {
			done[i] = true
		}
	}
	return done, nil
}

// planOf rebuilds, from a manifest, the plan an assembly needs: points,
// replicates, dimensions and metrics. The plan cannot run cells.
func planOf(m *Manifest) (*Plan, error) {
	if m.Design.Replicates < 1 || len(m.Points)*m.Design.Replicates != m.Cells {
		return nil, fmt.Errorf("the manifest is inconsistent: %d points × %d replicates is not %d cells", len(m.Points), m.Design.Replicates, m.Cells)
	}
	kind := slices.Index(scenarios.DesignNames, m.Design.Kind)
	if kind < 0 {
		return nil, fmt.Errorf("the manifest names an unknown design %q", m.Design.Kind)
	}
	p := &Plan{Name: m.Scenario, Description: m.Description, ScenarioHash: m.ScenarioHash, Seed: m.Seed, Rounds: m.Rounds,
		Classes: m.Classes, Metrics: m.Metrics, DesignHash: m.DesignHash, Stop: m.Design.Stop}
	p.Sweep = scenarios.Sweep{Design: scenarios.Design(kind), Replicates: m.Design.Replicates}
	if p.Sweep.Design != scenarios.DesignGrid {
		p.Sweep.Points = m.Design.Points
	}
	for _, d := range m.Design.Vary {
		p.Sweep.Vary = append(p.Sweep.Vary, scenarios.Dimension{Path: d.Path, Values: d.Values, From: d.From, To: d.To, Steps: d.Steps})
	}
	for _, pt := range m.Points {
		if len(pt.Values) != len(p.Sweep.Vary) || len(pt.Hash) < 16 {
			return nil, fmt.Errorf("the manifest is inconsistent: a point has %d values for %d dimensions", len(pt.Values), len(p.Sweep.Vary))
		}
		p.Points = append(p.Points, Point(pt))
	}
	return p, nil
}
