package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/koiisim/koiisim/metrics"
)

// historyRun runs a short scenario with --history and --format parquet
// into a fresh directory and returns it.
func historyRun(t *testing.T, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	args := append([]string{"run", "faulty-submitters", "--rounds", "30", "--seed", "5", "--out", dir, "-q", "--history", "--format", "parquet",
		"--set", "rules.vesting_rounds=3", "--set", "rules.claim_every=2", "--set", "rules.slash_pending=true",
		"--set", "rules.late_detection=0.5", "--set", "rules.late_detection_delay=4", "--set", "rules.detection=0.3"}, extra...)
	if code, _, errs := koiisim(t, args...); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	return dir
}

// TestHistoryFinalRowMatchesSummary: history.csv's last round agrees
// with summary.json: the total row's stake, vesting and claimable with
// the ledger, each class's stake, rewards and slashes with its figures,
// and summary's _final figures with the row.
func TestHistoryFinalRowMatchesSummary(t *testing.T) {
	dir := historyRun(t)
	f, err := os.Open(filepath.Join(dir, "history.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var sum struct {
		Run     map[string]json.Number            `json:"run"`
		Total   map[string]json.Number            `json:"total"`
		Classes map[string]map[string]json.Number `json:"classes"`
		Ledger  map[string]json.Number            `json:"ledger"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&sum); err != nil {
		t.Fatal(err)
	}
	last := recs[len(recs)-1][col["round"]]
	if want := sum.Run["last_round"].String(); last != want {
		t.Fatalf("history ends in round %s, the run in %s", last, want)
	}
	final := map[string][]string{}
	for _, r := range recs[1:] {
		if r[col["round"]] == last {
			final[r[col["class"]]] = r
		}
	}
	same := func(what, got string, want json.Number) {
		t.Helper()
		g, err1 := strconv.ParseFloat(got, 64)
		w, err2 := strconv.ParseFloat(want.String(), 64)
		if err1 != nil || err2 != nil || g != w {
			t.Errorf("%s: history.csv says %q, summary.json %q", what, got, want)
		}
	}
	tot := final["total"]
	same("total stake", tot[col["stake_koii"]], sum.Ledger["stake"])
	same("total vesting", tot[col["vesting_koii"]], sum.Ledger["pending"])
	same("total claimable", tot[col["claimable_koii"]], sum.Ledger["claimable"])
	same("total voter rewards", tot[col["voter_rewards_koii"]], sum.Ledger["paid_to_voters"])
	same("total rewards", tot[col["rewards_to_date_koii"]], sum.Total["rewards"])
	for class, m := range sum.Classes {
		r := final[class]
		if r == nil {
			t.Fatalf("no row for class %s in round %s", class, last)
		}
		same(class+" stake", r[col["stake_koii"]], m["final_stake"])
		same(class+" rewards", r[col["rewards_to_date_koii"]], m["rewards"])
		same(class+" slashed", r[col["slashed_to_date_koii"]], m["slashed"])
		same(class+" forfeited", r[col["forfeited_to_date_koii"]], m["forfeited"])
		same(class+" clawed back", r[col["clawed_back_to_date_koii"]], m["clawed_back"])
		same(class+" fraud lost", r[col["fraud_lost_to_date_koii"]], m["fraud_lost"])
		same(class+" vesting_final", r[col["vesting_koii"]], m["vesting_final"])
		same(class+" stake_p50_final", r[col["stake_p50_koii"]], m["stake_p50_final"])
	}
	if sum.Run["payout_to_claim_p50"].String() == "" || sum.Run["rewards_paid"].String() == "0" {
		t.Errorf("summary.json has no delay figures: %v", sum.Run)
	}
}

// TestHistoryOutputsAreReproducible: the same scenario and seed give
// the same history.csv, history.parquet and delays.csv, byte for byte,
// and the Parquet table holds the CSV's rows.
func TestHistoryOutputsAreReproducible(t *testing.T) {
	a, b := historyRun(t), historyRun(t)
	for _, name := range []string{"history.csv", "history.parquet", "delays.csv"} {
		x, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs of the same scenario and seed", name)
		}
	}
	data, err := os.ReadFile(filepath.Join(a, "history.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	csvData, err := os.ReadFile(filepath.Join(a, "history.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(csvData)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := pf.NumRows(), int64(len(recs)-1); got != want {
		t.Fatalf("history.parquet has %d rows, history.csv %d", got, want)
	}
	if got := len(pf.Schema().Fields()); got != len(metrics.HistoryColumns) {
		t.Fatalf("history.parquet has %d columns, want %d", got, len(metrics.HistoryColumns))
	}
}

// TestRunWithoutHistoryWritesNoHistory: the history is an option; a
// plain run writes none of its files and no history figure.
func TestRunWithoutHistoryWritesNoHistory(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := koiisim(t, "run", "faulty-submitters", "--rounds", "10", "--out", dir, "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, name := range []string{"history.csv", "history.parquet", "delays.csv"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("a run without --history wrote %s", name)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("vesting_final")) || bytes.Contains(b, []byte("work_to_payout")) {
		t.Error("a run without --history reports history figures")
	}
}

// TestRunRefusesAnUnknownFormat: --format is checked for single runs
// too, since it now chooses history.parquet.
func TestRunRefusesAnUnknownFormat(t *testing.T) {
	code, _, errs := koiisim(t, "run", "faulty-submitters", "--rounds", "5", "--out", t.TempDir(), "--format", "xlsx")
	if code != exitUsage || !bytes.Contains([]byte(errs), []byte("--format must be csv or parquet")) {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

// TestHistoryFiguresInTheRunReport: a run with --history and --report
// draws the three history figures, read back from history.csv and
// delays.csv, into its report.
func TestHistoryFiguresInTheRunReport(t *testing.T) {
	dir := historyRun(t, "--report")
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"locked-money", "stake-quantiles", "time-to-payment"} {
		if _, err := os.Stat(filepath.Join(dir, "plots", name+".png")); err != nil {
			t.Errorf("no figure %s: %v", name, err)
		}
		if !bytes.Contains(page, []byte(name)) {
			t.Errorf("report.html does not show %s", name)
		}
	}
}
