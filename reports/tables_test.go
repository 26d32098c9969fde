package reports

import (
	"bytes"
	"io"
	"math"
	"testing"

	"github.com/koiisim/koiisim/metrics"
	"github.com/parquet-go/parquet-go"
)

var testColumns = []metrics.Column{{Name: "point", Kind: metrics.KindInt}, {Name: "seed", Kind: metrics.KindUint}, {Name: "rules.reward_split", Kind: metrics.KindText}, {Name: "faulty.net_profit", Kind: metrics.KindFloat}}

func testRows() [][]metrics.Field {
	v, _ := metrics.ValueField("-133.614900001")
	return [][]metrics.Field{
		{metrics.IntField(0), metrics.UintField(math.MaxUint64), metrics.TextField("equal"), v},
		{metrics.IntField(1), metrics.UintField(3), metrics.TextField("a,b \"c\""), metrics.FloatField(math.NaN())},
	}
}

// writeTable writes testRows through a table writer made by newTable
// and returns the bytes, and the writer, closed.
func writeTable(t *testing.T, newTable func(io.Writer) (metrics.TableWriter, error)) ([]byte, metrics.TableWriter) {
	t.Helper()
	var b bytes.Buffer
	w, err := newTable(&b)
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
	return b.Bytes(), w
}

// CSV tables: a header, exact texts, missing values empty, quotes where
// CSV needs them.
func TestCSVTable(t *testing.T) {
	got, w := writeTable(t, func(w io.Writer) (metrics.TableWriter, error) { return metrics.NewCSVTable(w, testColumns) })
	want := "point,seed,rules.reward_split,faulty.net_profit\n0,18446744073709551615,equal,-133.614900001\n1,3,\"a,b \"\"c\"\"\",\n"
	if string(got) != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", got, want)
	}
	if err := w.Write(testRows()[0][:2]); err == nil {
		t.Error("a short row must be refused")
	}
}

func writeParquet(t *testing.T) []byte {
	t.Helper()
	data, _ := writeTable(t, func(w io.Writer) (metrics.TableWriter, error) {
		return NewParquetTable(w, testColumns, "koiisim", "test")
	})
	return data
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
	if _, err := NewParquetTable(&bytes.Buffer{}, []metrics.Column{{Name: "a", Kind: metrics.KindInt}, {Name: "a", Kind: metrics.KindInt}}, "koiisim", "test"); err == nil {
		t.Error("two columns of one name must be refused")
	}
}
