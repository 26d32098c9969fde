package experiment

import (
	"errors"
	"fmt"
)

// InputError is a problem with what the user asked for: a sweep point
// that is no valid scenario, an unknown metric, an output directory that
// holds another sweep. Commands exit with code 2 on it.
type InputError struct {
	Msg string
	Err error // a sentinel for errors.Is, such as ErrIncomplete; often nil
}

func (e *InputError) Error() string { return e.Msg }

func (e *InputError) Unwrap() error { return e.Err }

func inputErrorf(format string, args ...any) error {
	return &InputError{Msg: fmt.Sprintf(format, args...)}
}

// ErrIncomplete marks the *InputError of a merge whose shards have not
// all finished: no shard has started yet, or a cell is missing. Waiting
// and merging again may succeed (koiisim merge --wait).
var ErrIncomplete = errors.New("the sweep is not finished")

func incompletef(format string, args ...any) error {
	return &InputError{Msg: fmt.Sprintf(format, args...), Err: ErrIncomplete}
}

// ErrInterrupted is returned when the context was cancelled before every
// cell ran; the cells that finished are kept.
var ErrInterrupted = errors.New("interrupted")

// CellError is a run that failed: a broken invariant or a run limit. It
// names the cell and the command that replays it.
type CellError struct {
	Cell   Cell
	Replay string
	Err    error
}

func (e *CellError) Error() string {
	return fmt.Sprintf("cell %d (point %d, replicate %d, seed %d): %v", e.Cell.Index, e.Cell.Point, e.Cell.Replicate, e.Cell.Seed, e.Err)
}

func (e *CellError) Unwrap() error { return e.Err }
