package experiment

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"
)

// Cell is one run of an experiment: a replicate of a point.
type Cell struct {
	Index     int // position in the experiment: Point × replicates + Replicate
	Point     int
	Replicate int
	Seed      uint64
	PointHash string // scenarios.Hash of the resolved point
}

// CellSeed returns the seed of a point's replicate: the first 8 bytes,
// big-endian, of SHA-256("<pointHash>/<replicate>"). The point's hash
// covers the whole resolved scenario, its seed included, so a cell's
// seed depends on what it runs and on its replicate index alone: not on
// the rest of the sweep, the worker that runs it or the shard it is in.
func CellSeed(pointHash string, replicate int) uint64 {
	sum := sha256.Sum256([]byte(pointHash + "/" + strconv.Itoa(replicate)))
	return binary.BigEndian.Uint64(sum[:8])
}

// Name returns the file name of the cell's result: the first 16 hex
// digits of its point's hash and the replicate index. Cells of equal
// points share results, as they run the same.
func (c Cell) Name() string {
	return c.PointHash[:16] + "-" + strconv.Itoa(c.Replicate) + ".json"
}
