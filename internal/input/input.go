package input

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Size limits, by kind of file. Each is far above what koiisim writes
// for the largest input its other limits allow, and far below what
// would exhaust a machine's memory.
const (
	MaxBaseline = 64 << 20  // a baseline (koiisim baseline -o FILE)
	MaxManifest = 512 << 20 // manifest.json or shard-I-of-N.json: every point of up to 10^6
	MaxCell     = 16 << 20  // one cell file, cells/<hash>-<r>.json
	MaxSummary  = 64 << 20  // summary.json, or a scenario.yaml that koiisim wrote
	MaxTable    = 8 << 30   // a CSV table (rounds.csv, nodes.csv, summary.csv), read as a stream
	MaxLine     = 16 << 20  // one line of a CSV table
	MaxJournal  = 512 << 20 // a search's journal of finished work (optimize's journal.jsonl, frontier's replicates.jsonl)
)

// TooLargeError says that a file is larger than its kind's limit.
type TooLargeError struct {
	Path  string
	Limit int64
	Line  bool // the limit was on one line, not the file
}

func (e *TooLargeError) Error() string {
	if e.Line {
		return fmt.Sprintf("%s: a line is longer than %s, the limit for a koiisim table; the file is damaged or not a koiisim table", e.Path, size(e.Limit))
	}
	return fmt.Sprintf("%s: larger than %s, the limit for this kind of file; it is damaged or not what koiisim wrote", e.Path, size(e.Limit))
}

// NotRegularError says that a path is not a regular file.
type NotRegularError struct {
	Path string
	Kind string // "a directory", "a named pipe (FIFO)", ...
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file; name a file", e.Path, e.Kind)
}

func size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// kind names a non-regular file mode.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file (" + m.Type().String() + ")"
}

// File is an open regular file that reads at most its limit: reading
// past it, or a line past MaxLine when lines are limited, is a
// *TooLargeError.
type File struct {
	f        *os.File
	path     string
	limit    int64
	read     int64
	lines    bool
	lineLen  int64
	overflow error
}

// Open opens path for reading if it is a regular file, with a limit of
// limit bytes. Errors name the path.
func Open(path string, limit int64) (*File, error) {
	// Stat first: opening a FIFO blocks until a writer comes.
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &NotRegularError{Path: path, Kind: kind(st.Mode())}
	}
	if st.Size() > limit { // refused before reading; one that grows is caught by Read
		return nil, &TooLargeError{Path: path, Limit: limit}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	// It may have been replaced between the two calls.
	if st, err = f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		if err != nil {
			return nil, err
		}
		return nil, &NotRegularError{Path: path, Kind: kind(st.Mode())}
	}
	return &File{f: f, path: path, limit: limit}, nil
}

// OpenTable is Open for a CSV table: the file is limited to MaxTable
// bytes and each line to MaxLine.
func OpenTable(path string) (*File, error) {
	f, err := Open(path, MaxTable)
	if f != nil {
		f.lines = true
	}
	return f, err
}

// Read reads from the file, failing once the limit is passed.
func (f *File) Read(p []byte) (int, error) {
	if f.overflow != nil {
		return 0, f.overflow
	}
	if rest := f.limit + 1 - f.read; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := f.f.Read(p)
	f.read += int64(n)
	if f.read > f.limit {
		f.overflow = &TooLargeError{Path: f.path, Limit: f.limit}
		return 0, f.overflow
	}
	if f.lines {
		for _, chunk := range bytes.SplitAfter(p[:n], []byte{'\n'}) {
			if len(chunk) > 0 && chunk[len(chunk)-1] == '\n' {
				f.lineLen = 0
				continue
			}
			if f.lineLen += int64(len(chunk)); f.lineLen > MaxLine {
				f.overflow = &TooLargeError{Path: f.path, Limit: MaxLine, Line: true}
				return 0, f.overflow
			}
		}
	}
	return n, err
}

// Close closes the file.
func (f *File) Close() error { return f.f.Close() }

// ReadFile reads the regular file at path whole, if it is at most limit
// bytes.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := Open(path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var b bytes.Buffer
	if st, err := f.f.Stat(); err == nil && st.Size() <= limit {
		b.Grow(int(st.Size()) + 1)
	}
	_, err = b.ReadFrom(f)
	if err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// IsLimit reports whether err is one of this package's refusals: a file
// too large or not a regular file, a problem with the input rather than
// with the machine.
func IsLimit(err error) bool {
	var tl *TooLargeError
	var nr *NotRegularError
	return errors.As(err, &tl) || errors.As(err, &nr)
}

var _ io.ReadCloser = (*File)(nil)
