package outdir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/koiisim/koiisim/internal/input"
)

// LockFile is the lock of a directory; shard locks are named by
// ShardLockFile. Both start with "." and ".koiisim", so listings and
// checks for foreign files can tell them apart.
const LockFile = ".koiisim.lock"

// ShardLockFile is the lock file of shard ("I-of-N").
func ShardLockFile(shard string) string { return ".koiisim-shard-" + shard + ".lock" }

// IsLockFile reports whether name is one of the lock files.
func IsLockFile(name string) bool {
	return strings.HasPrefix(name, ".koiisim") && strings.HasSuffix(name, ".lock")
}

// BusyError says that another process holds the directory.
type BusyError struct {
	Dir  string
	PIDs []int // the live holders whose ids were found, sorted
}

func (e *BusyError) Error() string {
	who := "another koiisim process"
	if len(e.PIDs) > 0 {
		ids := make([]string, len(e.PIDs))
		for i, p := range e.PIDs {
			ids[i] = strconv.Itoa(p)
		}
		who = "koiisim process " + strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s is in use by %s (lock file %s); wait for it to finish, or use another --out",
		e.Dir, who, filepath.Join(e.Dir, LockFile))
}

// Lock is a held lock on a directory. Release it when the command ends;
// the kernel releases it if the process dies first.
type Lock struct {
	files []*os.File
	owner *os.File // the file holding this process's id, emptied on release
}

// Acquire takes dir (which must exist) for this process alone. If another
// process holds it, whole or a shard of it, it returns a *BusyError
// naming the holders, without waiting.
func Acquire(dir string) (*Lock, error) {
	f, err := openLock(filepath.Join(dir, LockFile))
	if err != nil {
		return nil, err
	}
	if err := flock(f, true); err != nil {
		f.Close()
		return nil, busy(dir, err)
	}
	l := &Lock{files: []*os.File{f}, owner: f}
	if err := writePID(f); err != nil {
		l.Release()
		return nil, err
	}
	// No shard can hold its lock now (it holds the directory shared
	// first), so the shards' lock files can go: a merged directory ends
	// as one machine's does.
	if shards, err := filepath.Glob(filepath.Join(dir, ShardLockFile("*"))); err == nil {
		for _, s := range shards {
			os.Remove(s)
		}
	}
	return l, nil
}

// AcquireShard takes dir shared with the other shards of a sweep, and
// shard ("I-of-N") for this process alone. A whole command holding dir,
// or another process running the same shard, is a *BusyError.
func AcquireShard(dir, shard string) (*Lock, error) {
	f, err := openLock(filepath.Join(dir, LockFile))
	if err != nil {
		return nil, err
	}
	if err := flock(f, false); err != nil {
		f.Close()
		return nil, busy(dir, err)
	}
	l := &Lock{files: []*os.File{f}}
	s, err := openLock(filepath.Join(dir, ShardLockFile(shard)))
	if err != nil {
		l.Release()
		return nil, err
	}
	l.files = append(l.files, s)
	if err := flock(s, true); err != nil {
		l.Release()
		return nil, busy(dir, err)
	}
	l.owner = s
	if err := writePID(s); err != nil {
		l.Release()
		return nil, err
	}
	return l, nil
}

// Release empties this process's id from its lock file and unlocks.
// It is safe on a nil Lock and to call twice.
func (l *Lock) Release() {
	if l == nil {
		return
	}
	if l.owner != nil {
		l.owner.Truncate(0)
		l.owner = nil
	}
	for _, f := range l.files {
		f.Close() // closing the last descriptor drops the flock
	}
	l.files = nil
}

func openLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cannot lock the output directory: %w", err)
	}
	return f, nil
}

func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return fmt.Errorf("cannot write the lock file: %w", err)
	}
	if _, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0); err != nil {
		return fmt.Errorf("cannot write the lock file: %w", err)
	}
	return nil
}

// busy turns a refused flock into a *BusyError naming the live
// processes whose ids the directory's lock files hold.
func busy(dir string, err error) error {
	if !errors.Is(err, errWouldBlock) {
		return fmt.Errorf("cannot lock the output directory %s: %w", dir, err)
	}
	e := &BusyError{Dir: dir}
	entries, _ := os.ReadDir(dir)
	for _, en := range entries {
		if !IsLockFile(en.Name()) {
			continue
		}
		b, err := input.ReadFile(filepath.Join(dir, en.Name()), 64)
		if err != nil || len(b) > 32 {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err == nil && pid > 0 && alive(pid) && !slices.Contains(e.PIDs, pid) {
			e.PIDs = append(e.PIDs, pid)
		}
	}
	slices.Sort(e.PIDs)
	return e
}
