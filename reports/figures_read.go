package reports

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/koiisim/koiisim/internal/input"
	"github.com/koiisim/koiisim/internal/outdir"
	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/model"
)

// RunData is what one run wrote into its directory, as reports, plots
// and comparisons read it back: the summary's figures by metric path, the
// per-cycle series of rounds.csv that the figures draw, and each node's
// class, behaviour, rewards and net profit from nodes.csv. Money is a
// float of KOII here: these numbers are for statistics and pictures.
type RunData struct {
	Dir      string
	Meta     metrics.Meta
	Scenario []byte             // the resolved scenario (scenario.yaml), nil when the run did not write it
	Values   map[string]float64 // summary.json's figures by metric path (run.X, total.X, <class>.X); NaN when null
	Units    map[string]string  // summary.json's units by metric name
	Classes  []string           // in the run's order (first appearance in rounds.csv)
	Honest   map[string]bool    // classes whose every node behaves honestly
	Cycles   []int              // the cycles of rounds.csv, in order
	Rounds   map[string]map[string][]float64
	Nodes    []NodeData
	History  *HistoryData // history.csv and delays.csv; nil when the run wrote none
}

// NodeData is one row of nodes.csv, as far as figures need it.
type NodeData struct {
	Class, Behaviour string
	Rewards, Net     float64 // KOII
}

// roundsColumns are the rounds.csv columns figures draw; the rest is not
// kept, so a long run's report does not hold every column in memory.
var roundsColumns = []string{
	"started", "active", "valid", "invalid", "missing", "late", "approved", "slashed_count",
	"rewards_koii", "slashed_koii", "net_profit_koii", "stake_koii",
	"lists_rejected", "lists_chain_rejected", "unpaid",
}

// ReadRun reads the run outputs in dir: summary.json, rounds.csv and
// nodes.csv are required, scenario.yaml is optional.
func ReadRun(dir string) (*RunData, error) {
	if err := outdir.CheckComplete(dir); err != nil {
		return nil, err
	}
	r := &RunData{Dir: dir, Honest: map[string]bool{}}
	if err := r.readSummary(filepath.Join(dir, "summary.json")); err != nil {
		return nil, err
	}
	if err := r.readRounds(filepath.Join(dir, "rounds.csv")); err != nil {
		return nil, err
	}
	if err := r.readNodes(filepath.Join(dir, "nodes.csv")); err != nil {
		return nil, err
	}
	var err error
	if r.History, err = readHistory(dir); err != nil {
		return nil, err
	}
	y, err := input.ReadFile(filepath.Join(dir, "scenario.yaml"), input.MaxSummary)
	switch {
	case err == nil:
		r.Scenario = y
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	return r, nil
}

// IsRunDir reports whether dir holds a run's outputs.
func IsRunDir(dir string) bool {
	for _, f := range []string{"summary.json", "rounds.csv", "nodes.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return false
		}
	}
	return true
}

func (r *RunData) readSummary(path string) error {
	b, err := input.ReadFile(path, input.MaxSummary)
	if err != nil {
		return err
	}
	var raw struct {
		metrics.Meta
		Run     map[string]*float64            `json:"run"`
		Total   map[string]*float64            `json:"total"`
		Classes map[string]map[string]*float64 `json:"classes"`
		Units   map[string]string              `json:"units"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if raw.Tool == "" || raw.Run == nil || raw.Total == nil {
		return fmt.Errorf("%s: not a koiisim summary (no tool, run or total)", path)
	}
	r.Meta, r.Units = raw.Meta, raw.Units
	r.Values = map[string]float64{}
	put := func(prefix string, m map[string]*float64) {
		for k, v := range m {
			if v == nil {
				r.Values[prefix+"."+k] = math.NaN()
			} else {
				r.Values[prefix+"."+k] = *v
			}
		}
	}
	put("run", raw.Run)
	put("total", raw.Total)
	for c, m := range raw.Classes {
		put(c, m)
	}
	return nil
}

// eachCSVRow reads a CSV file with a header and calls row for each record
// with a lookup from column name to field.
func eachCSVRow(path string, need []string, row func(get func(string) string) error) error {
	f, err := input.OpenTable(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, n := range need {
		if _, ok := col[n]; !ok {
			return fmt.Errorf("%s: no column %q", path, n)
		}
	}
	var rec []string
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	for line := 2; ; line++ {
		rec, err = cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := row(get); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
}

func parseFloat(s string) (float64, error) {
	if s == "" {
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64)
}

func (r *RunData) readRounds(path string) error {
	var err error
	r.Cycles, r.Classes, r.Rounds, err = readClassSeries(path, "cycle", roundsColumns)
	return err
}

// readClassSeries reads a CSV file of one row per step (the column key:
// a cycle, a round) per class, in step order, and keeps cols: the steps,
// the classes in order of first appearance, and each class's columns.
func readClassSeries(path, key string, cols []string) ([]int, []string, map[string]map[string][]float64, error) {
	var steps []int
	var classes []string
	series := map[string]map[string][]float64{}
	err := eachCSVRow(path, append([]string{key, "class"}, cols...), func(get func(string) string) error {
		step, err := strconv.Atoi(get(key))
		if err != nil {
			return fmt.Errorf("%s %q is not a whole number", key, get(key))
		}
		class := get("class")
		m, ok := series[class]
		if !ok {
			m = map[string][]float64{}
			series[class] = m
			classes = append(classes, class)
		}
		if class == classes[0] {
			steps = append(steps, step)
		}
		if n := len(m[cols[0]]); n != len(steps)-1 || steps[n] != step {
			return fmt.Errorf("class %q: %s %d out of order (each %s needs one row per class, in %s order)", class, key, step, key, key)
		}
		for _, c := range cols {
			x, err := parseFloat(get(c))
			if err != nil {
				return fmt.Errorf("column %s: %w", c, err)
			}
			m[c] = append(m[c], x)
		}
		return nil
	})
	return steps, classes, series, err
}

func (r *RunData) readNodes(path string) error {
	notHonest := map[string]bool{}
	err := eachCSVRow(path, []string{"class", "behaviour", "rewards_koii", "net_profit_koii"}, func(get func(string) string) error {
		rw, err := parseFloat(get("rewards_koii"))
		if err != nil {
			return err
		}
		net, err := parseFloat(get("net_profit_koii"))
		if err != nil {
			return err
		}
		n := NodeData{Class: get("class"), Behaviour: get("behaviour"), Rewards: rw, Net: net}
		r.Nodes = append(r.Nodes, n)
		if k, ok := model.LookupKind(n.Behaviour); !ok || !k.Honest {
			notHonest[n.Class] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range r.Classes {
		r.Honest[c] = !notHonest[c]
	}
	for _, n := range r.Nodes {
		if _, ok := r.Rounds[n.Class]; !ok {
			return fmt.Errorf("%s: class %q is not in rounds.csv", path, n.Class)
		}
	}
	return nil
}

// Coalitions returns the classes with a node that does not behave
// honestly, in the run's class order: the ones whose stake share and
// profit the report follows.
func (r *RunData) Coalitions() []string {
	var out []string
	for _, c := range r.Classes {
		if !r.Honest[c] {
			out = append(out, c)
		}
	}
	return out
}

// ReadRunSet reads a run directory: a single run, or a replicate set
// (a directory whose subdirectories each hold one replicate's outputs,
// read in name order). It returns at least one run.
func ReadRunSet(dir string) ([]*RunData, error) {
	if IsSweepDir(dir) {
		var m SweepManifest
		b, err := input.ReadFile(filepath.Join(dir, "manifest.json"), input.MaxManifest)
		if err != nil {
			return nil, err
		}
		if json.Unmarshal(b, &m) == nil && !m.Complete {
			return nil, unfinished(dir, m.CellsDone, m.Cells)
		}
	}
	if IsRunDir(dir) {
		if reps := replicateDirs(dir); len(reps) > 1 {
			return readAll(reps)
		}
		r, err := ReadRun(dir)
		if err != nil {
			return nil, err
		}
		return []*RunData{r}, nil
	}
	reps := replicateDirs(dir)
	if len(reps) == 0 {
		return nil, fmt.Errorf("%s: no run outputs (summary.json, rounds.csv, nodes.csv) here or in its subdirectories", dir)
	}
	return readAll(reps)
}

// replicateDirs lists the subdirectories of dir that hold run outputs,
// sorted by name with numbers in numeric order (rep-2 before rep-10).
func replicateDirs(dir string) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() && IsRunDir(filepath.Join(dir, e.Name())) {
			out = append(out, e.Name())
		}
	}
	sort.Slice(out, func(i, j int) bool { return naturalLess(out[i], out[j]) })
	for i := range out {
		out[i] = filepath.Join(dir, out[i])
	}
	return out
}

// naturalLess orders strings with their digit runs compared as numbers,
// then byte-wise, a total order.
func naturalLess(a, b string) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			si, sj := i, j
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			na, nb := trimZeros(a[si:i]), trimZeros(b[sj:j])
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			continue
		}
		if ca != cb {
			return ca < cb
		}
		i++
		j++
	}
	if len(a)-i != len(b)-j {
		return len(a)-i < len(b)-j
	}
	return a < b
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}

func readAll(dirs []string) ([]*RunData, error) {
	var out []*RunData
	for _, d := range dirs {
		r, err := ReadRun(d)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
