package reports

import (
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/koiisim/koiisim/metrics"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"
)

// parquetBatch is how many rows the Parquet writer hands the library at
// once; parquetRowGroup bounds a row group, and so the writer's memory.
const (
	parquetBatch    = 256
	parquetRowGroup = 1 << 16
	parquetPage     = 64 << 10
)

// NewParquetTable returns a writer of a Parquet file with the columns
// cols, in that order, each optional (a missing value is null): INT64,
// UINT64, DOUBLE or STRING by kind. Compression is Snappy, which
// pandas, polars, R's arrow and DuckDB all read. createdBy names the
// writing tool in the file's metadata; the file holds no time stamp, so
// the same rows give the same bytes.
func NewParquetTable(w io.Writer, cols []metrics.Column, createdBy, version string) (metrics.TableWriter, error) {
	g := &parquetGroup{}
	seen := map[string]bool{}
	for i, c := range cols {
		if seen[c.Name] {
			return nil, fmt.Errorf("reports: column %q appears twice", c.Name)
		}
		seen[c.Name] = true
		var leaf parquet.Node
		switch c.Kind {
		case metrics.KindInt:
			leaf = parquet.Int(64)
		case metrics.KindUint:
			leaf = parquet.Uint(64)
		case metrics.KindFloat:
			leaf = parquet.Leaf(parquet.DoubleType)
		case metrics.KindText:
			leaf = parquet.String()
		default:
			return nil, fmt.Errorf("reports: column %q has an unknown kind %d", c.Name, c.Kind)
		}
		g.fields = append(g.fields, &parquetField{Node: parquet.Optional(leaf), name: c.Name, index: i})
	}
	config, err := parquet.NewWriterConfig(
		parquet.NewSchema("koiisim", g),
		parquet.Compression(&parquet.Snappy),
		parquet.CreatedBy(createdBy, version, ""),
		parquet.MaxRowsPerRowGroup(parquetRowGroup),
		parquet.PageBufferSize(parquetPage),
	)
	if err != nil {
		return nil, fmt.Errorf("reports: parquet writer: %w", err)
	}
	return &parquetTable{w: parquet.NewGenericWriter[any](w, config), cols: cols}, nil
}

type parquetTable struct {
	w    *parquet.GenericWriter[any] // rows of a schema known at run time
	cols []metrics.Column
	rows []parquet.Row
}

func (t *parquetTable) Write(row []metrics.Field) error {
	if len(row) != len(t.cols) {
		return fmt.Errorf("reports: a row of %d fields for a table of %d columns", len(row), len(t.cols))
	}
	r := make(parquet.Row, len(row))
	for i, f := range row {
		if f.Null {
			r[i] = parquet.NullValue().Level(0, 0, i)
			continue
		}
		var v parquet.Value
		switch t.cols[i].Kind {
		case metrics.KindInt:
			v = parquet.Int64Value(f.Int)
		case metrics.KindUint:
			v = parquet.Int64Value(int64(f.Uint)) // UINT_64 is stored in the INT64 bits
		case metrics.KindFloat:
			v = parquet.DoubleValue(f.Num)
		default:
			v = parquet.ByteArrayValue([]byte(f.Text))
		}
		r[i] = v.Level(0, 1, i)
	}
	t.rows = append(t.rows, r)
	if len(t.rows) >= parquetBatch {
		return t.flush()
	}
	return nil
}

func (t *parquetTable) flush() error {
	if len(t.rows) == 0 {
		return nil
	}
	_, err := t.w.WriteRows(t.rows)
	t.rows = t.rows[:0]
	return err
}

func (t *parquetTable) Close() error {
	if err := t.flush(); err != nil {
		return err
	}
	return t.w.Close()
}

// parquetGroup is the root of a table's schema with its columns in the
// order given; parquet.Group, a map, would sort them by name.
type parquetGroup struct{ fields []parquet.Field }

func (g *parquetGroup) ID() int { return 0 }
func (g *parquetGroup) String() string {
	names := make([]string, len(g.fields))
	for i, f := range g.fields {
		names[i] = f.Name()
	}
	return "group{" + strings.Join(names, ", ") + "}"
}
func (g *parquetGroup) Type() parquet.Type          { return parquet.Group{}.Type() }
func (g *parquetGroup) Optional() bool              { return false }
func (g *parquetGroup) Repeated() bool              { return false }
func (g *parquetGroup) Required() bool              { return true }
func (g *parquetGroup) Leaf() bool                  { return false }
func (g *parquetGroup) Fields() []parquet.Field     { return g.fields }
func (g *parquetGroup) Encoding() encoding.Encoding { return nil }
func (g *parquetGroup) Compression() compress.Codec { return nil }
func (g *parquetGroup) GoType() reflect.Type        { return g.structType() }
func (g *parquetGroup) structType() reflect.Type {
	fields := make([]reflect.StructField, len(g.fields))
	for i, f := range g.fields {
		fields[i] = reflect.StructField{Name: fmt.Sprintf("C%d", i), Type: f.GoType(),
			Tag: reflect.StructTag(fmt.Sprintf(`parquet:%q`, f.Name()))}
	}
	return reflect.StructOf(fields)
}

// parquetField is one column of a parquetGroup.
type parquetField struct {
	parquet.Node
	name  string
	index int
}

func (f *parquetField) Name() string { return f.name }

// Value returns the field of a value of the group's Go type; koiisim
// writes rows, not Go values, so this serves only reflection.
func (f *parquetField) Value(base reflect.Value) reflect.Value {
	for base.Kind() == reflect.Pointer || base.Kind() == reflect.Interface {
		if base.IsNil() {
			return reflect.Value{}
		}
		base = base.Elem()
	}
	if base.Kind() != reflect.Struct || f.index >= base.NumField() {
		return reflect.Value{}
	}
	return base.Field(f.index)
}
