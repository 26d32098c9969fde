package input

import (
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNonRegularFilesAreRefusedWithoutBlocking: a FIFO with no writer,
// a device that never ends, a socket and a directory are each refused at
// once, naming what they are.
func TestNonRegularFilesAreRefusedWithoutBlocking(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	sock := filepath.Join(dir, "sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("unix socket: %v", err)
	}
	defer l.Close()
	cases := map[string]string{fifo: "named pipe", "/dev/zero": "character device", sock: "socket", dir: "directory"}
	for path, want := range cases {
		done := make(chan error, 1)
		go func() { _, err := ReadFile(path, 1<<20); done <- err }()
		select {
		case err := <-done:
			var nr *NotRegularError
			if !errors.As(err, &nr) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
				t.Errorf("ReadFile(%s) = %v, want a *NotRegularError naming %s", path, err, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("ReadFile(%s) blocked", path)
		}
	}
}

// TestFilesPastTheirLimitAreRefused: one byte past the limit is an
// error naming the file and the limit; at the limit is read whole.
func TestFilesPastTheirLimitAreRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, []byte(strings.Repeat("x", 100)), 0o644)
	if b, err := ReadFile(path, 100); err != nil || len(b) != 100 {
		t.Errorf("at the limit: %d bytes, %v", len(b), err)
	}
	_, err := ReadFile(path, 99)
	var tl *TooLargeError
	if !errors.As(err, &tl) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "99 bytes") {
		t.Errorf("past the limit: %v, want a *TooLargeError naming the file and 99 bytes", err)
	}
}

// TestTableLinesAreLimited: a CSV table with one endless line stops at
// MaxLine instead of buffering it.
func TestTableLinesAreLimited(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.csv")
	f, _ := os.Create(path)
	f.WriteString("a,b\n1,2\n")
	f.Write(make([]byte, MaxLine+10))
	f.Close()
	tf, err := OpenTable(path)
	if err != nil {
		t.Fatal(err)
	}
	defer tf.Close()
	buf := make([]byte, 1<<16)
	for {
		_, err = tf.Read(buf)
		if err != nil {
			break
		}
	}
	var tl *TooLargeError
	if !errors.As(err, &tl) || !tl.Line {
		t.Errorf("reading an endless line: %v, want a line *TooLargeError", err)
	}
}

// TestFileGrowingPastItsLimitIsRefused: a file within its limit when
// opened that grows while it is read stops at the limit.
func TestFileGrowingPastItsLimitIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, []byte("12345"), 0o644)
	f, err := Open(path, 8)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	w.WriteString("6789")
	w.Close()
	_, err = io.ReadAll(f)
	var tl *TooLargeError
	if !errors.As(err, &tl) {
		t.Errorf("reading a file grown to 9 bytes with a limit of 8: %v, want a *TooLargeError", err)
	}
}
