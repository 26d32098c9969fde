package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/koiisim/koiisim/internal/input"
)

// journal is a file of JSON lines that a long command appends its
// finished work to, one synced line at a time, so that a stop part way
// (a signal, a kill, a failure) loses nothing that finished and the same
// command resumes: optimize's candidates (journal.jsonl) and frontier's
// replicate values (replicates.jsonl).
type journal struct {
	f    *os.File
	path string
}

// errBadJournal marks a journal a command cannot resume from: another
// search's, or not a journal. It is bad input (exit 2), where other
// errors opening one are the file system's.
var errBadJournal = errors.New("cannot resume from the journal")

// openJournalFile opens the journal at path for appending. With no file
// there, it creates one whose first line is first. With one, it calls
// head with its first line and line with each later whole line, in
// order, and an error from either is returned; a last line cut short
// (by a kill in the middle of a write) is dropped and the file cut back
// to its last whole line.
func openJournalFile(path string, first []byte, head func([]byte) error, line func(n int, b []byte) error) (*journal, error) {
	data, err := input.ReadFile(path, input.MaxJournal)
	switch {
	case errors.Is(err, os.ErrNotExist):
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err != nil {
			return nil, err
		}
		j := &journal{f: f, path: path}
		if err := j.write(first); err != nil {
			f.Close()
			return nil, err
		}
		return j, nil
	case input.IsLimit(err):
		return nil, fmt.Errorf("%w: %v", errBadJournal, err)
	case err != nil:
		return nil, err
	}
	good := bytes.LastIndexByte(data, '\n') + 1
	sc := bufio.NewScanner(bytes.NewReader(data[:good]))
	sc.Buffer(make([]byte, 64<<10), input.MaxLine)
	n := 0
	for sc.Scan() {
		n++
		if n == 1 {
			err = head(sc.Bytes())
		} else {
			err = line(n, sc.Bytes())
		}
		if err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errBadJournal, path, err)
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: %s is empty or was cut short in its first line; remove it to start over", errBadJournal, path)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	if err := f.Truncate(int64(good)); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(int64(good), io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return &journal{f: f, path: path}, nil
}

// write appends lines, each ended by a newline, and syncs them, so that
// finished work survives a crash of the machine too.
func (j *journal) write(lines ...[]byte) error {
	var b bytes.Buffer
	for _, l := range lines {
		b.Write(l)
		b.WriteByte('\n')
	}
	if _, err := j.f.Write(b.Bytes()); err != nil {
		return fmt.Errorf("writing %s: %v", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %v", j.path, err)
	}
	return nil
}

func (j *journal) Close() error { return j.f.Close() }

// journalExit reports an error opening a journal for command cmd and
// returns its exit code: 2 for a journal it cannot resume from
// (errBadJournal), 1 for the file system's errors.
func journalExit(e *env, cmd string, err error) int {
	fmt.Fprintf(e.stderr, "koiisim %s: %v\n", cmd, err)
	if errors.Is(err, errBadJournal) {
		return exitUsage
	}
	return exitRuntime
}
