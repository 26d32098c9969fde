package metrics

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
)

// ColumnKind is the type of a column of a sweep table.
type ColumnKind uint8

// The column kinds. Parquet stores them as INT64, UINT64, DOUBLE and
// STRING; CSV writes each field's Text.
const (
	KindInt   ColumnKind = iota // whole numbers: point, replicate, n
	KindUint                    // seeds
	KindFloat                   // metric values and statistics; money in KOII
	KindText                    // parameter values that are not all numbers
)

// Column is one column of a sweep table.
type Column struct {
	Name string
	Kind ColumnKind
}

// Field is one value of a row. Text is what CSV writes (money as its
// exact decimal of KOII); Parquet writes Int, Uint or Num by the
// column's kind, and Text for a text column. Null is a missing value:
// empty in CSV, null in Parquet.
type Field struct {
	Text string
	Num  float64
	Int  int64
	Uint uint64
	Null bool
}

// IntField is a whole number.
func IntField(i int) Field { return Field{Text: strconv.Itoa(i), Int: int64(i), Num: float64(i)} }

// UintField is an unsigned whole number, such as a seed.
func UintField(u uint64) Field {
	return Field{Text: strconv.FormatUint(u, 10), Uint: u, Num: float64(u)}
}

// FloatField is a real number in Go's shortest round-trip form; NaN is
// missing.
func FloatField(x float64) Field {
	if math.IsNaN(x) {
		return Field{Null: true, Num: x}
	}
	return Field{Text: formatNumber(x), Num: x}
}

// TextField is a text value.
func TextField(s string) Field { return Field{Text: s} }

// ValueField is a metric value as Value.String writes it: an exact
// decimal, or "" for missing. Num is its float (KOII for money).
func ValueField(text string) (Field, error) {
	if text == "" {
		return Field{Null: true, Num: math.NaN()}, nil
	}
	x, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return Field{}, fmt.Errorf("%q is not a number", text)
	}
	return Field{Text: text, Num: x}, nil
}

// TableWriter writes the rows of a sweep table. Close flushes what is
// buffered and finishes the file; it does not close the io.Writer.
type TableWriter interface {
	Write(row []Field) error
	Close() error
}

// NewCSVTable writes the header of cols to w and returns a writer for
// rows. The bytes depend only on the rows: no time stamp, no locale.
func NewCSVTable(w io.Writer, cols []Column) (TableWriter, error) {
	t := &csvTable{w: csv.NewWriter(w), width: len(cols)}
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Name
	}
	return t, t.w.Write(header)
}

type csvTable struct {
	w     *csv.Writer
	width int
	rec   []string
}

func (t *csvTable) Write(row []Field) error {
	if len(row) != t.width {
		return fmt.Errorf("reports: a row of %d fields for a table of %d columns", len(row), t.width)
	}
	t.rec = t.rec[:0]
	for _, f := range row {
		if f.Null {
			t.rec = append(t.rec, "")
		} else {
			t.rec = append(t.rec, f.Text)
		}
	}
	return t.w.Write(t.rec)
}

func (t *csvTable) Close() error {
	t.w.Flush()
	return t.w.Error()
}
