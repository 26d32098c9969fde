package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/koiisim/koiisim/internal/input"
)

// IncompleteFile marks a directory whose command has not finished
// writing it: present from before the first file is replaced until
// after the last is written, so a kill, a signal or a full disk in
// between leaves it behind. It holds the command that rewrites the
// directory.
const IncompleteFile = ".koiisim-incomplete"

// IncompleteError says that a directory was left part-written.
type IncompleteError struct {
	Dir string
	Fix string // the command that writes it again, or ""
}

func (e *IncompleteError) Error() string {
	fix := "run the command that wrote it again"
	if e.Fix != "" {
		fix = "run it again (" + e.Fix + ")"
	}
	return fmt.Sprintf("%s is incomplete: the command writing it stopped part way (killed, interrupted or out of disk space), so its files may mix two runs; %s, or delete %s",
		e.Dir, fix, e.Dir)
}

// MarkIncomplete marks dir as being written by the command fix.
func MarkIncomplete(dir, fix string) error {
	f, err := os.CreateTemp(dir, IncompleteFile+".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.WriteString(fix + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, IncompleteFile))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// MarkComplete removes the mark once every file of dir is written.
func MarkComplete(dir string) error {
	err := os.Remove(filepath.Join(dir, IncompleteFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// CheckComplete returns an *IncompleteError when dir is marked.
func CheckComplete(dir string) error {
	b, err := input.ReadFile(filepath.Join(dir, IncompleteFile), 4096)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	}
	fix, _, _ := strings.Cut(string(b[:min(len(b), 4096)]), "\n")
	return &IncompleteError{Dir: dir, Fix: fix}
}

// CleanTemp removes the temporary files (.NAME.tmp-*) that writes cut
// short left in dir, for the names keep accepts (nil: all). Only a
// command holding the directory may call it: another one's temporary
// files are in use.
func CleanTemp(dir string, keep func(name string) bool) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		name, ok := strings.CutPrefix(e.Name(), ".")
		if !ok || e.IsDir() {
			continue
		}
		i := strings.Index(name, ".tmp-")
		if i <= 0 || keep != nil && !keep(name[:i]) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
