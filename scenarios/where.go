package scenarios

import (
	"fmt"
	"strings"

	"github.com/koiisim/koiisim/model"
)

// loc is where a field was written: a line and column of the file, or
// the --set override that wrote it.
type loc struct {
	line, col int
	set       string // the override's path; "" for the file
}

// where maps every field path the decoder met ("populations[1].count")
// to its loc, so that problems found later, by model validation, can be
// located too.
type where struct {
	file string
	at   map[string]loc
}

func newWhere(file string) *where {
	return &where{file: file, at: map[string]loc{}}
}

// find returns the loc of path, or of its nearest recorded parent: a
// problem with a default value points at the mapping that omitted it.
func (w *where) find(path string) loc {
	for {
		if l, ok := w.at[path]; ok {
			return l
		}
		if path == "" {
			return loc{}
		}
		path = parent(path)
	}
}

// parent strips the last segment of a path: "a[1].b" -> "a[1]" -> "a" -> "".
func parent(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

// problem returns a Problem about the field at path, located at path.
func (w *where) problem(path, msg string) Problem {
	return w.problemAt(w.find(path), path, msg)
}

// problemAt returns a Problem about the field at path, located at l.
func (w *where) problemAt(l loc, path, msg string) Problem {
	if l.set != "" {
		return Problem{File: SetFile, Set: l.set, Key: path, Msg: msg}
	}
	return Problem{File: w.file, Line: l.line, Col: l.col, Key: path, Msg: msg}
}

// Locate returns where the field at path (a model path, as in
// model.FieldError) was written in s: "FILE:LINE:COL", "--set PATH" for
// a value an override set, or the nearest recorded parent's place for a
// default. Use it to point warnings at a line.
func Locate(s *Scenario, path string) string {
	if s.where == nil {
		return s.Source
	}
	l := s.where.find(path)
	switch {
	case l.set != "":
		return SetFile + " " + l.set
	case l.line > 0:
		return fmt.Sprintf("%s:%d:%d", s.where.file, l.line, l.col)
	}
	return s.where.file
}

// locate turns model problems into located Problems.
func (w *where) locate(ps model.Problems) []Problem {
	out := make([]Problem, len(ps))
	for i, p := range ps {
		out[i] = w.problem(p.Path, p.Msg)
	}
	return out
}

// related reports whether two field paths are the same field or one
// contains the other ("populations" and "populations[0].count").
func related(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if a == "" || !strings.HasPrefix(b, a) {
		return a == b
	}
	return len(a) == len(b) || b[len(a)] == '.' || b[len(a)] == '['
}
