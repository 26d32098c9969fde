package scenarios

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// SetFile is the Problem.File of a problem that comes from a --set
// override rather than from a line of the file.
const SetFile = "--set"

// Problem is one thing wrong with a scenario, located where the user can
// fix it: a line and column of the file, or the --set override that
// brought the bad value in.
type Problem struct {
	File      string // the scenario's Source, or SetFile
	Line, Col int    // 1-based; 0 when unknown, and always 0 for SetFile
	Set       string // for SetFile: the override's path as given ("populations.honest.stake")
	Key       string // the field, as model paths spell it ("populations[1].count"); "" for the whole input
	Msg       string
}

// String formats p as FILE:LINE:COL: KEY: MSG, or --set PATH: KEY: MSG
// for an override; unknown parts are left out.
func (p Problem) String() string {
	var b strings.Builder
	switch {
	case p.File == SetFile:
		b.WriteString(SetFile)
		if p.Set != "" {
			b.WriteString(" " + p.Set)
		}
	case p.Line > 0 && p.Col > 0:
		fmt.Fprintf(&b, "%s:%d:%d", p.File, p.Line, p.Col)
	case p.Line > 0:
		fmt.Fprintf(&b, "%s:%d", p.File, p.Line)
	default:
		b.WriteString(p.File)
	}
	if p.Key != "" {
		b.WriteString(": " + p.Key)
	}
	b.WriteString(": " + p.Msg)
	return b.String()
}

// Error is a scenario that cannot be used, with every problem found in
// it. Load, Parse, Resolve and Builtin return all problems at once.
type Error struct {
	Problems []Problem
	// Truncated says there were more problems than Problems holds: past
	// a hundred the decoder stops looking, so a hostile file costs no more
	// than a short one.
	Truncated bool
}

// Error prints one problem per line, sorted by line then column.
func (e *Error) Error() string {
	lines := make([]string, 0, len(e.Problems)+1)
	for _, p := range sortedProblems(e.Problems) {
		lines = append(lines, p.String())
	}
	if e.Truncated {
		lines = append(lines, fmt.Sprintf("(stopped after %d problems; fix these first)", len(e.Problems)))
	}
	return strings.Join(lines, "\n")
}

// sortedProblems returns a sorted copy: by line, column, then every other
// field, so that the order is total and the output deterministic.
func sortedProblems(ps []Problem) []Problem {
	out := slices.Clone(ps)
	slices.SortStableFunc(out, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Set, b.Set),
			cmp.Compare(a.Key, b.Key),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
	return out
}

// inputError returns a one-problem *Error about a whole input (a file that
// cannot be read, a name that is no built-in).
func inputError(file, format string, args ...any) *Error {
	return &Error{Problems: []Problem{{File: file, Msg: fmt.Sprintf(format, args...)}}}
}

// suggest returns ` (did you mean "X"?)` for the candidate nearest to
// word by edit distance, or "" when none is near enough to be a typo.
// Case and the choice of '-' or '_' do not count as differences.
func suggest(word string, candidates []string) string {
	const maxWord = 64 // a longer word is no typo, and distance is quadratic
	if len(word) > maxWord {
		return ""
	}
	norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "-", "_") }
	best, bestDist := "", -1
	for _, c := range candidates {
		d := distance(norm(word), norm(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if bestDist < 0 || bestDist > max(1, len(best)/3) || bestDist >= len(word) {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// Nearest returns up to k of candidates ordered by edit distance from
// word (ties in candidates' order): the paths or names to offer when
// word is unknown.
func Nearest(word string, candidates []string, k int) []string {
	type scored struct {
		c string
		d int
	}
	s := make([]scored, len(candidates))
	for i, c := range candidates {
		s[i] = scored{c, distance(word, c)}
	}
	sort.SliceStable(s, func(i, j int) bool { return s[i].d < s[j].d })
	out := make([]string, 0, k)
	for _, x := range s[:min(k, len(s))] {
		out = append(out, x.c)
	}
	return out
}

// distance is the Levenshtein distance between a and b, over bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// oneOf lists the valid choices for a message: "a, b or c".
func oneOf(choices []string) string {
	switch len(choices) {
	case 0:
		return "(none)"
	case 1:
		return choices[0]
	}
	return strings.Join(choices[:len(choices)-1], ", ") + " or " + choices[len(choices)-1]
}
