package reports

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// TQuantile agrees with a table of Student's t (two-sided 95%).
func TestTQuantileTable(t *testing.T) {
	for _, tc := range []struct{ df, want float64 }{
		{1, 12.706204736}, {2, 4.302652730}, {4, 2.776445105}, {9, 2.262157163}, {29, 2.045229642}, {1000, 1.962339081},
	} {
		if got := TQuantile(0.975, tc.df); math.Abs(got-tc.want) > 1e-8 {
			t.Errorf("t(0.975, %v) = %.9f, want %.9f", tc.df, got, tc.want)
		}
	}
}

// Summarize on known values, and its edge cases: missing values are
// left out and counted, one value has no spread, none has nothing.
func TestSummarizeKnownValues(t *testing.T) {
	s := Summarize([]float64{1, 2, math.NaN(), 3, 4, 5})
	half := 2.776445105 * math.Sqrt(2.5) / math.Sqrt(5)
	if s.N != 5 || s.Missing != 1 || s.Mean != 3 || math.Abs(s.SD-math.Sqrt(2.5)) > 1e-15 ||
		math.Abs(s.Low-(3-half)) > 1e-8 || math.Abs(s.High-(3+half)) > 1e-8 {
		t.Errorf("Summarize = %+v; want n 5, mean 3, sd %v, CI ±%v", s, math.Sqrt(2.5), half)
	}
	if one := Summarize([]float64{7}); one.N != 1 || one.Mean != 7 || !math.IsNaN(one.SD) || !math.IsNaN(one.Low) {
		t.Errorf("one value: %+v", one)
	}
	if none := Summarize([]float64{math.NaN()}); none.N != 0 || !math.IsNaN(none.Mean) {
		t.Errorf("no value: %+v", none)
	}
}

// The 95% interval of the mean of n normal draws covers the true mean
// 95% of the time. Over trials intervals the count of misses is
// binomial; the test allows three standard errors of that proportion,
// so with its fixed seed it fails only when the interval is wrong.
func TestCICoversTheMeanAtTheNominalRate(t *testing.T) {
	const trials, mu, sigma = 4000, 3.0, 2.0
	rng := rand.New(rand.NewPCG(42, 7))
	for _, n := range []int{3, 5, 20} {
		covered := 0
		xs := make([]float64, n)
		for range trials {
			for i := range xs {
				xs[i] = mu + sigma*rng.NormFloat64()
			}
			if s := Summarize(xs); s.Low <= mu && mu <= s.High {
				covered++
			}
		}
		rate := float64(covered) / trials
		se := math.Sqrt(Confidence * (1 - Confidence) / trials)
		if math.Abs(rate-Confidence) > 3*se {
			t.Errorf("n=%d: the interval covered the mean in %.4f of %d trials; want %.2f ± %.4f", n, rate, trials, Confidence, 3*se)
		}
	}
}

var testColumns = []Column{{"point", KindInt}, {"seed", KindUint}, {"rules.reward_split", KindText}, {"faulty.net_profit", KindFloat}}

func testRows() [][]Field {
	v, _ := ValueField("-133.614900001")
	return [][]Field{
		{IntField(0), UintField(math.MaxUint64), TextField("equal"), v},
		{IntField(1), UintField(3), TextField("a,b \"c\""), FloatField(math.NaN())},
	}
}

// CSV tables: a header, exact texts, missing values empty, quotes where
// CSV needs them.
func TestCSVTable(t *testing.T) {
	var b bytes.Buffer
	w, err := NewCSVTable(&b, testColumns)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range testRows() {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := "point,seed,rules.reward_split,faulty.net_profit\n0,18446744073709551615,equal,-133.614900001\n1,3,\"a,b \"\"c\"\"\",\n"
	if b.String() != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", b.String(), want)
	}
	if err := w.Write(testRows()[0][:2]); err == nil {
		t.Error("a short row must be refused")
	}
}

func writeParquet(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := NewParquetTable(&b, testColumns, "koiisim", "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range testRows() {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Parquet tables read back with the columns in order, typed, with nulls,
// and the same rows give the same bytes.
func TestParquetTableReadsBack(t *testing.T) {
	data := writeParquet(t)
	if !bytes.Equal(data, writeParquet(t)) {
		t.Fatal("the same rows gave different Parquet bytes")
	}
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range f.Schema().Fields() {
		names = append(names, c.Name())
	}
	if len(names) != 4 || names[0] != "point" || names[3] != "faulty.net_profit" {
		t.Fatalf("columns %v, want the order given", names)
	}
	if f.NumRows() != 2 {
		t.Fatalf("%d rows", f.NumRows())
	}
	rows := make([]parquet.Row, 2)
	r := parquet.NewReader(bytes.NewReader(data), f.Schema())
	n, _ := r.ReadRows(rows)
	if n != 2 {
		t.Fatalf("read %d rows", n)
	}
	if got := rows[0][1].Uint64(); got != math.MaxUint64 {
		t.Errorf("seed reads back as %d", got)
	}
	if got := rows[0][3].Double(); got != -133.614900001 {
		t.Errorf("money reads back as %v", got)
	}
	if got := string(rows[1][2].ByteArray()); got != `a,b "c"` {
		t.Errorf("text reads back as %q", got)
	}
	if !rows[1][3].IsNull() {
		t.Error("a missing value must be null")
	}
	if _, err := NewParquetTable(&bytes.Buffer{}, []Column{{"a", KindInt}, {"a", KindInt}}, "koiisim", "test"); err == nil {
		t.Error("two columns of one name must be refused")
	}
}
