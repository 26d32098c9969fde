package metrics

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/koiisim/koiisim/model"
	"github.com/koiisim/koiisim/sim"
)

// giniBrute is the definition: the mean absolute difference over all
// ordered pairs, divided by twice the mean.
func giniBrute(xs []float64) float64 {
	n := float64(len(xs))
	var diff, sum float64
	for _, a := range xs {
		sum += a
		for _, b := range xs {
			diff += math.Abs(a - b)
		}
	}
	return diff / (2 * n * sum)
}

// TestGiniMatchesDefinition compares the sorted O(n log n) formula with
// the pairwise definition on random inputs, and checks known values.
func TestGiniMatchesDefinition(t *testing.T) {
	if g := gini([]float64{5, 5, 5}); g.Number != 0 {
		t.Errorf("equal values: %v, want 0", g.Number)
	}
	if g := gini([]float64{0, 0, 0, 1}); math.Abs(g.Number-0.75) > 1e-15 {
		t.Errorf("one holds all of 4: %v, want 0.75", g.Number)
	}
	if !gini(nil).Missing || !gini([]float64{0, 0}).Missing {
		t.Error("no values or a zero sum must be missing")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 500; trial++ {
		xs := make([]float64, 1+rng.IntN(40))
		for i := range xs {
			xs[i] = math.Floor(rng.ExpFloat64() * 1000)
		}
		xs[0]++ // a positive sum
		if got, want := gini(xs).Number, giniBrute(xs); math.Abs(got-want) > 1e-12 {
			t.Fatalf("gini(%v) = %v, definition gives %v", xs, got, want)
		}
	}
}

// TestValueJSON: money is an exact decimal of KOII, whole numbers are
// integers, undefined rates are null.
func TestValueJSON(t *testing.T) {
	for _, tc := range []struct {
		v    Value
		want string
	}{
		{money(1_900_000_001), "1.900000001"},
		{money(-5), "-0.000000005"},
		{count(20019559), "20019559"},
		{Value{Number: 0.25}, "0.25"},
		{ratio(1, 0), "null"},
	} {
		b, err := json.Marshal(tc.v)
		if err != nil || string(b) != tc.want {
			t.Errorf("%+v marshals to %s (%v), want %s", tc.v, b, err, tc.want)
		}
	}
}

func smallRun(t *testing.T) (*model.Config, *sim.Result, []byte) {
	t.Helper()
	cfg := model.DefaultConfig()
	faulty, _ := model.LookupKind("faulty")
	mk := func(name, kind string, p model.Params, n int) model.Population {
		return model.Population{Name: name, Count: n, Stake: model.Uniform(2, 20), Balance: model.PerKOII,
			Behaviour: model.BehaviourSpec{Kind: kind, Params: p}, SubmitDelay: model.Uniform(0, 400), AuditDelay: model.Uniform(0, 599)}
	}
	cfg.Populations = []model.Population{mk("honest", "honest", model.Params{}, 30), mk("faulty", "faulty", faulty.DefaultParams(), 6)}
	var rows bytes.Buffer
	rw, err := NewRoundsWriter(&rows, []string{"honest", "faulty"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(&cfg, sim.Options{Seed: 3, Rounds: 30, OnCycle: rw.Write})
	if err != nil {
		t.Fatal(err)
	}
	rw.Flush()
	return &cfg, res, rows.Bytes()
}

// TestFiguresAgreeWithLedger: the class figures add up to the run's, and
// money metrics match the ledger.
func TestFiguresAgreeWithLedger(t *testing.T) {
	cfg, res, _ := smallRun(t)
	f := Compute(res, &cfg.Task)
	var rewards, net model.ROE
	var share float64
	for _, m := range f.Class {
		rewards += m["rewards"].Money
		net += m["net_profit"].Money
		share += m["bounty_share"].Number
	}
	if rewards != f.Total["rewards"].Money || rewards != f.Run["bounty_paid"].Money {
		t.Errorf("class rewards %s, total %s, bounty paid %s", rewards, f.Total["rewards"].Money, f.Run["bounty_paid"].Money)
	}
	if net != f.Total["net_profit"].Money || math.Abs(share-1) > 1e-12 {
		t.Errorf("net %s vs %s; bounty shares sum to %v", net, f.Total["net_profit"].Money, share)
	}
	if f.Total["final_stake"].Money != res.Ledger.Stake {
		t.Errorf("final stake %s, ledger %s", f.Total["final_stake"].Money, res.Ledger.Stake)
	}
	for _, m := range ClassMetrics {
		if _, ok := f.Total[m.Name]; !ok {
			t.Errorf("metric %s has no value", m.Name)
		}
	}
}

// TestCSVShapes: every row of rounds.csv and nodes.csv has the header's
// width, and the streamed cycle rows sum to the summary.
func TestCSVShapes(t *testing.T) {
	cfg, res, rows := smallRun(t)
	recs, err := csv.NewReader(bytes.NewReader(rows)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(RoundsHeader, ",") {
		t.Fatalf("rounds.csv header %v", recs[0])
	}
	col := map[string]int{}
	for i, h := range RoundsHeader {
		col[h] = i
	}
	var rewards model.ROE
	for _, r := range recs[1:] {
		a, err := model.ParseKOII(r[col["rewards_koii"]])
		if err != nil {
			t.Fatal(err)
		}
		rewards += a
	}
	if f := Compute(res, &cfg.Task); rewards != f.Total["rewards"].Money {
		t.Errorf("rounds.csv rewards sum to %s, summary says %s", rewards, f.Total["rewards"].Money)
	}
	var nodes bytes.Buffer
	if err := WriteNodes(&nodes, res); err != nil {
		t.Fatal(err)
	}
	nrecs, err := csv.NewReader(&nodes).ReadAll()
	if err != nil || len(nrecs) != 1+len(res.Nodes) || len(nrecs[0]) != len(NodesHeader) {
		t.Fatalf("nodes.csv: %d records, err %v", len(nrecs), err)
	}
}

// TestSummaryJSONIsValidAndOrdered: summary.json parses and keeps the
// metric order of the table.
func TestSummaryJSONIsValidAndOrdered(t *testing.T) {
	cfg, res, _ := smallRun(t)
	s := NewSummary(Meta{Tool: "koiisim", Seed: 3}, Compute(res, &cfg.Task), res.Ledger)
	b, err := s.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("summary.json does not parse: %v", err)
	}
	if i, j := bytes.Index(b, []byte(`"nodes"`)), bytes.Index(b, []byte(`"gini_rewards"`)); i < 0 || j < i {
		t.Error("metrics out of order")
	}
}

// TestFlattenCoversEveryPath: Flatten yields exactly the paths Paths
// promises, each once, for a run with a history and learners (which add
// the history and equilibrium figures to those of every run).
func TestFlattenCoversEveryPath(t *testing.T) {
	cfg, res, _ := smallRun(t)
	f := Compute(res, &cfg.Task)
	AddHistory(f, &HistoryStats{}, &sim.Delays{})
	AddEquilibrium(f, &Verdict{})
	pts := Flatten(f)
	want := Paths(res.Classes)
	if len(pts) != len(want) {
		t.Fatalf("%d points, %d paths", len(pts), len(want))
	}
	seen := map[string]bool{}
	for _, p := range pts {
		if seen[p.Path] {
			t.Fatalf("path %s twice", p.Path)
		}
		seen[p.Path] = true
	}
	for _, p := range want {
		if !seen[p] {
			t.Errorf("path %s missing from Flatten", p)
		}
	}
}
