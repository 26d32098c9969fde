package atomicfile

import (
	"os"
	"path/filepath"
)

// File is a file written under a temporary name in its final
// directory and renamed into place by Commit, so a reader never sees a
// partial file under the final name.
type File struct {
	*os.File
	final string
	done  bool
}

// Create opens a temporary file beside path.
func Create(path string) (*File, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, err
	}
	return &File{File: f, final: path}, nil
}

// Commit syncs, closes and renames the file into place, readable by
// all as a file made by os.Create would be (CreateTemp makes it 0600).
func (a *File) Commit() error {
	if err := a.Chmod(0o644); err != nil {
		a.Abort()
		return err
	}
	if err := a.Sync(); err != nil {
		a.Abort()
		return err
	}
	if err := a.Close(); err != nil {
		os.Remove(a.Name())
		return err
	}
	a.done = true
	if err := os.Rename(a.Name(), a.final); err != nil {
		os.Remove(a.Name())
		return err
	}
	return nil
}

// Abort closes and removes the temporary file, unless committed.
func (a *File) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.Close()
	os.Remove(a.Name())
}

// WriteFile writes data to path through a temporary file.
func WriteFile(path string, data []byte) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}
