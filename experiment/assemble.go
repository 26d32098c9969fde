package experiment

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path/filepath"
	"strconv"

	"github.com/koiisim/koiisim/internal/atomicfile"
	"github.com/koiisim/koiisim/metrics"
)

// Output tables of an experiment, by base name: CellsTable has one row
// per (point, replicate), SummaryTable one per point.
const (
	CellsTable   = "cells"
	SummaryTable = "summary"
)

// Statistics are the summary's columns for each metric, in order.
var Statistics = []string{"mean", "sd", "ci_low", "ci_high", "n"}

// Assemble writes the experiment's tables into out from the cell files
// found in dirs (the first that has a cell wins), reading them back in
// cell order one point at a time, so memory grows with the replicates of
// a point, not with the cells. CSV is always written; format "parquet"
// adds Parquet files with the same columns, made by parquet. It returns
// the paths written.
func Assemble(p *Plan, dirs []string, out, format, version string, parquet NewTable) ([]string, error) {
	if format == "parquet" && parquet == nil {
		return nil, errors.New("experiment: format parquet needs a Parquet table writer (Runner.Parquet, MergeOptions.Parquet)")
	}
	cellsCols, summaryCols := p.columns()
	var tables []*table
	for _, name := range []string{CellsTable, SummaryTable} {
		cols := cellsCols
		if name == SummaryTable {
			cols = summaryCols
		}
		kinds := []string{"csv"}
		if format == "parquet" {
			kinds = append(kinds, "parquet")
		}
		for _, kind := range kinds {
			t, err := createTable(filepath.Join(out, name+"."+kind), kind, cols, version, parquet)
			if err != nil {
				abortAll(tables)
				return nil, err
			}
			t.summary = name == SummaryTable
			tables = append(tables, t)
		}
	}
	if err := p.writeRows(dirs, tables); err != nil {
		abortAll(tables)
		return nil, err
	}
	var files []string
	for _, t := range tables {
		if err := t.commit(); err != nil {
			abortAll(tables)
			return nil, err
		}
		files = append(files, t.path)
	}
	return files, nil
}

// columns returns the columns of the cells and summary tables. A
// dimension whose values are all numbers is a number column, else text.
func (p *Plan) columns() (cells, summary []metrics.Column) {
	cells = []metrics.Column{{Name: "point", Kind: metrics.KindInt}, {Name: "replicate", Kind: metrics.KindInt}, {Name: "seed", Kind: metrics.KindUint}}
	summary = []metrics.Column{{Name: "point", Kind: metrics.KindInt}}
	for d, dim := range p.Sweep.Vary {
		kind := metrics.KindFloat
		for _, pt := range p.Points {
			if _, err := strconv.ParseFloat(pt.Values[d], 64); err != nil {
				kind = metrics.KindText
				break
			}
		}
		cells = append(cells, metrics.Column{Name: dim.Path, Kind: kind})
		summary = append(summary, metrics.Column{Name: dim.Path, Kind: kind})
	}
	for _, m := range p.Metrics {
		cells = append(cells, metrics.Column{Name: m, Kind: metrics.KindFloat})
		for _, s := range Statistics {
			kind := metrics.KindFloat
			if s == "n" {
				kind = metrics.KindInt
			}
			summary = append(summary, metrics.Column{Name: m + "." + s, Kind: kind})
		}
	}
	return cells, summary
}

// writeRows streams every point's cells into the tables.
func (p *Plan) writeRows(dirs []string, tables []*table) error {
	reps := p.Replicates()
	nd := len(p.Sweep.Vary)
	values := make([][]float64, len(p.Metrics)) // by metric, one per replicate
	for m := range values {
		values[m] = make([]float64, reps)
	}
	row := make([]metrics.Field, 0, 3+nd+len(p.Metrics)*len(Statistics))
	for pi, pt := range p.Points {
		params := make([]metrics.Field, nd)
		for d, v := range pt.Values {
			params[d] = paramField(v)
		}
		for r := range reps {
			c := p.Cell(pi*reps + r)
			res, err := readCell(dirs, c)
			if err != nil {
				return err
			}
			row = append(row[:0], metrics.IntField(pi), metrics.IntField(r), metrics.UintField(c.Seed))
			row = append(row, params...)
			for m, path := range p.Metrics {
				text, ok := res.Metrics[path]
				if !ok {
					return fmt.Errorf("cell %d (%s) has no metric %s; was it run by another version of koiisim?", c.Index, c.Name(), path)
				}
				f, err := metrics.ValueField(text)
				if err != nil {
					return fmt.Errorf("cell %d (%s), metric %s: %v", c.Index, c.Name(), path, err)
				}
				values[m][r] = f.Num
				row = append(row, f)
			}
			if err := writeTo(tables, false, row); err != nil {
				return err
			}
		}
		row = append(row[:0], metrics.IntField(pi))
		row = append(row, params...)
		for m := range p.Metrics {
			s := metrics.Summarize(values[m])
			row = append(row, metrics.FloatField(s.Mean), metrics.FloatField(s.SD), metrics.FloatField(s.Lo), metrics.FloatField(s.Hi), metrics.IntField(s.N))
		}
		if err := writeTo(tables, true, row); err != nil {
			return err
		}
	}
	return nil
}

// paramField is a point's value: a number when it reads as one.
func paramField(v string) metrics.Field {
	if x, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(x) {
		return metrics.Field{Text: v, Num: x}
	}
	return metrics.TextField(v)
}

// readCell reads c's result from the first of dirs that has it.
func readCell(dirs []string, c Cell) (*Result, error) {
	for _, d := range dirs {
		st := store{dir: d}
		r, err := st.read(c)
		if err == nil {
			return r, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("cell %d (%s) has no result in %v", c.Index, c.Name(), dirs)
}

// table is one output file being written.
type table struct {
	path    string
	summary bool
	file    *atomicfile.File
	w       metrics.TableWriter
}

// NewTable makes the writer of a table file in a format other than CSV.
// This package writes CSV itself and imports no Parquet library, so it
// stays below the reports: a caller that wants Parquet twins passes
// reports.NewParquetTable.
type NewTable func(w io.Writer, cols []metrics.Column, createdBy, version string) (metrics.TableWriter, error)

func createTable(path, kind string, cols []metrics.Column, version string, parquet NewTable) (*table, error) {
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, err
	}
	var w metrics.TableWriter
	if kind == "parquet" {
		w, err = parquet(f, cols, "koiisim", version)
	} else {
		w, err = metrics.NewCSVTable(f, cols)
	}
	if err != nil {
		f.Abort()
		return nil, err
	}
	return &table{path: path, file: f, w: w}, nil
}

func writeTo(tables []*table, summary bool, row []metrics.Field) error {
	for _, t := range tables {
		if t.summary == summary {
			if err := t.w.Write(row); err != nil {
				return fmt.Errorf("writing %s: %w", t.path, err)
			}
		}
	}
	return nil
}

func (t *table) commit() error {
	if err := t.w.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", t.path, err)
	}
	return t.file.Commit()
}

func abortAll(tables []*table) {
	for _, t := range tables {
		t.file.Abort()
	}
}
