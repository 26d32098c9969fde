package experiment

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/koiisim/koiisim/internal/atomicfile"
	"github.com/koiisim/koiisim/internal/input"
	"github.com/koiisim/koiisim/internal/outdir"
)

// CellsDir is the folder of an output directory that holds one file per
// finished cell.
const CellsDir = "cells"

// Result is one cell's outcome as its file stores it: which cell it is,
// and every metric of the run (metrics.Flatten) as exact text, "" for a
// missing value. A summary can pick any metrics from it later.
type Result struct {
	PointHash string            `json:"point_sha256"`
	Replicate int               `json:"replicate"`
	Seed      uint64            `json:"seed"`
	Metrics   map[string]string `json:"metrics"`

	sum string // the checksum of the file's bytes (cellSum), once written or read
}

// store reads and writes the cell files of an output directory. want,
// when set, holds the checksums its manifests recorded, by cell index
// ("" when none): a cell whose bytes differ was changed after it was
// written, and is refused.
type store struct {
	dir  string
	want []string
}

// cellSum is a cell file's checksum as manifests record it: the first
// 16 hex digits of the SHA-256 of its bytes.
func cellSum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

func (s store) path(c Cell) string { return filepath.Join(s.dir, CellsDir, c.Name()) }

// write stores r as c's file, atomically: under a temporary name first,
// renamed into place once synced, so a file under a cell's name is
// always whole. encoding/json sorts the metric keys, so the bytes depend
// on the result alone.
func (s store) write(c Cell, r *Result) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	r.sum = cellSum(b)
	return atomicfile.WriteFile(s.path(c), b)
}

// has reports whether c's file exists. Files appear only by rename, so
// an existing one is complete; a temporary file never has a cell's name.
func (s store) has(c Cell) bool {
	_, err := os.Stat(s.path(c))
	return err == nil
}

// read returns c's stored result, checking that it is the cell's.
func (s store) read(c Cell) (*Result, error) {
	b, err := input.ReadFile(s.path(c), input.MaxCell)
	if err != nil {
		return nil, err
	}
	sum := cellSum(b)
	if c.Index < len(s.want) && s.want[c.Index] != "" && s.want[c.Index] != sum {
		return nil, inputErrorf("%s was changed after it was written (checksum %s, the manifest recorded %s); delete it and run the sweep again to redo the cell",
			s.path(c), sum, s.want[c.Index])
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s is not a cell result (%v); delete it and run the sweep again to redo the cell", s.path(c), err)
	}
	if r.PointHash != c.PointHash || r.Replicate != c.Replicate || r.Seed != c.Seed {
		return nil, fmt.Errorf("%s holds another cell (point %.12s, replicate %d, seed %d; want %.12s, %d, %d); delete it and run the sweep again",
			s.path(c), r.PointHash, r.Replicate, r.Seed, c.PointHash, c.Replicate, c.Seed)
	}
	r.sum = sum
	return &r, nil
}

// cleanTemp removes temporary files left by interrupted writes of the
// cells whose file names mine accepts (nil: every cell's, for a command
// that holds the whole directory); other shards sharing the directory
// may be writing theirs.
func (s store) cleanTemp(mine func(name string) bool) error {
	return outdir.CleanTemp(filepath.Join(s.dir, CellsDir), mine)
}

// copyCell puts c's file from another store into s, by a hard link when
// both are on one file system and by an atomic copy otherwise, after
// checking it against its recorded checksum; it returns the checksum.
func (s store) copyCell(from store, c Cell) (string, error) {
	if s.has(c) {
		r, err := s.read(c)
		if err != nil {
			return "", err
		}
		return r.sum, nil
	}
	r, err := from.read(c)
	if err != nil {
		return "", err
	}
	if err := os.Link(from.path(c), s.path(c)); err == nil {
		return r.sum, nil
	}
	b, err := input.ReadFile(from.path(c), input.MaxCell)
	if err != nil {
		return "", err
	}
	if cellSum(b) != r.sum {
		return "", fmt.Errorf("%s changed while it was copied; merge again", from.path(c))
	}
	return r.sum, atomicfile.WriteFile(s.path(c), b)
}
