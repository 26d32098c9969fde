package scenarios

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/koiisim/koiisim/model"
)

// maxProblems bounds the problems one Parse reports: past it the decoder
// stops, so that a hostile file (a large mapping of bad keys aliased
// many times) costs no more than a short one.
const maxProblems = 100

// decoder turns a yaml.Node tree into a Scenario. It records where every
// field was written and collects every problem instead of stopping at
// the first.
type decoder struct {
	w *where
	// origin holds the nodes a --set override put into the tree, by the
	// override's path, so that their problems point at the override.
	origin map[*yaml.Node]string
	probs  []Problem
	// truncated is set when a problem past maxProblems was dropped.
	truncated bool
}

func newDecoder(file string) *decoder {
	return &decoder{w: newWhere(file), origin: map[*yaml.Node]string{}}
}

// add records a problem, up to maxProblems.
func (d *decoder) add(p Problem) {
	if len(d.probs) < maxProblems {
		d.probs = append(d.probs, p)
	} else {
		d.truncated = true
	}
}

// full reports whether the decoder gave up looking for more problems.
func (d *decoder) full() bool { return d.truncated }

// err returns the problems found as an *Error.
func (d *decoder) err() *Error {
	return &Error{Problems: sortedProblems(d.probs), Truncated: d.truncated}
}

// addf records a problem with the field at path, located where it was
// written.
func (d *decoder) addf(path, format string, args ...any) {
	d.add(d.w.problem(path, fmt.Sprintf(format, args...)))
}

// record notes where the field at path was written: at the override
// that put in its value or key, else at its key (or, for a list item,
// the item itself). The first record of a path wins, as the first of a
// repeated key is the one decoded.
func (d *decoder) record(path string, key, val *yaml.Node) {
	if _, done := d.w.at[path]; done {
		return
	}
	d.w.at[path] = d.locOf(key, val)
}

func (d *decoder) locOf(key, val *yaml.Node) loc {
	for _, n := range []*yaml.Node{val, key} {
		if set, ok := d.origin[n]; ok && n != nil {
			return loc{set: set}
		}
	}
	at := key
	if at == nil {
		at = val
	}
	if at == nil {
		return loc{}
	}
	return loc{line: at.Line, col: at.Column}
}

// join appends a mapping key to a path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// index appends a list index to a path.
func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// entries checks that n is a mapping whose keys are distinct and all in
// known, records where each was written, and returns the values by key.
// A null n is an empty mapping ("task:" with nothing under it). It
// returns nil when n is no mapping at all.
func (d *decoder) entries(n *yaml.Node, path string, known []string) map[string]*yaml.Node {
	if d.full() {
		return nil
	}
	orig := n
	n = deref(n)
	if isNull(n) {
		return map[string]*yaml.Node{}
	}
	if n.Kind != yaml.MappingNode {
		d.record(path, nil, orig)
		d.addf(path, "must be a mapping, got %s", describe(n))
		return nil
	}
	out := make(map[string]*yaml.Node, len(n.Content)/2)
	first := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, v := n.Content[i], n.Content[i+1]
		k := deref(kn)
		if k == nil || k.Kind != yaml.ScalarNode || isNull(k) {
			d.add(d.w.problemAt(d.locOf(kn, nil), path, fmt.Sprintf("a key must be a plain name, got %s", describe(k))))
			continue
		}
		name := k.Value
		kp := join(path, name)
		if prev, dup := first[name]; dup {
			d.add(d.w.problemAt(d.locOf(kn, v), kp, fmt.Sprintf("repeats the key %q of line %d", name, prev.Line)))
			continue
		}
		first[name] = kn
		d.record(kp, kn, v)
		if !slices.Contains(known, name) {
			d.unknownKey(kp, name, known)
			continue
		}
		out[name] = v
	}
	return out
}

func (d *decoder) unknownKey(path, name string, known []string) {
	if name == "<<" {
		d.addf(path, "merge keys (<<) are not supported; write the keys out (an alias *name of a whole value works)")
		return
	}
	if s := suggest(name, known); s != "" {
		d.addf(path, "unknown key %q%s", name, s)
		return
	}
	d.addf(path, "unknown key %q; the keys here are %s", name, oneOf(known))
}

// scalar returns the text of n if it is a scalar with one of the given
// tags, and otherwise reports that the field must be want.
func (d *decoder) scalar(n *yaml.Node, path, want string, tags ...string) (string, bool) {
	n = deref(n)
	if n != nil && n.Kind == yaml.ScalarNode && slices.Contains(tags, n.ShortTag()) {
		return n.Value, true
	}
	d.addf(path, "must be %s, got %s", want, describe(n))
	return "", false
}

var (
	decimalInt   = regexp.MustCompile(`^[-+]?[0-9]+$`)
	decimalFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
)

// integer decodes a whole number written in decimal. YAML's other
// spellings (0x10, 0o17, 1_000, and 010 read as octal) are refused: a
// count should read the same to every reader.
func (d *decoder) integer(n *yaml.Node, path string) (int, bool) {
	s, ok := d.scalar(n, path, "a whole number", "!!int", "!!float")
	if !ok {
		return 0, false
	}
	if !decimalInt.MatchString(s) {
		d.addf(path, "must be a whole number in decimal digits, got %q", s)
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 0)
	if err != nil {
		d.addf(path, "must be a whole number in [%d, %d], got %s", math.MinInt, math.MaxInt, s)
		return 0, false
	}
	return int(v), true
}

// slots decodes a number of slots, bounded by model.MaxRoundTime so that
// sums of windows and delays cannot overflow.
func (d *decoder) slots(n *yaml.Node, path string) (model.Slot, bool) {
	v, ok := d.integer(n, path)
	switch {
	case !ok:
		return 0, false
	case v > int(model.MaxRoundTime):
		d.addf(path, "must be at most %d slots, got %d", model.MaxRoundTime, v)
		return 0, false
	case v < -int(model.MaxRoundTime):
		d.addf(path, "must not be negative, got %d", v)
		return 0, false
	}
	return model.Slot(v), true
}

// number decodes a finite decimal number; NaN and infinities are errors.
func (d *decoder) number(n *yaml.Node, path string) (float64, bool) {
	s, ok := d.scalar(n, path, "a number", "!!int", "!!float")
	if !ok {
		return 0, false
	}
	switch strings.ToLower(strings.TrimLeft(s, "+-")) {
	case ".nan", ".inf":
		d.addf(path, "must be a finite number, got %s", s)
		return 0, false
	}
	if !decimalFloat.MatchString(s) {
		d.addf(path, "must be a decimal number, got %q", s)
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		d.addf(path, "must be a finite number, got %s (out of range)", s)
		return 0, false
	}
	return v, true
}

// koii decodes an amount of KOII exactly from the scalar's text, never
// through a float (docs/model.md §1).
func (d *decoder) koii(n *yaml.Node, path string) (model.ROE, bool) {
	s, ok := d.scalar(n, path, "an amount of KOII", "!!int", "!!float")
	if !ok {
		return 0, false
	}
	v, err := model.ParseKOII(s)
	if err != nil {
		d.addf(path, "%v", err)
		return 0, false
	}
	return v, true
}

// koiiFloat decodes an amount of KOII that a distribution holds as a
// float: the text must be a valid amount (at most 9 decimals), and the
// float is the nearest to that text, so it writes back the same.
func (d *decoder) koiiFloat(n *yaml.Node, path string) (float64, bool) {
	s := deref(n)
	if _, ok := d.koii(n, path); !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s.Value), 64)
	return v, err == nil
}

// fraction decodes a fraction in [0, 1] with at most 9 decimals exactly.
func (d *decoder) fraction(n *yaml.Node, path string) (model.Fraction, bool) {
	s, ok := d.scalar(n, path, "a fraction", "!!int", "!!float")
	if !ok {
		return 0, false
	}
	v, err := model.ParseFraction(s)
	if err != nil {
		d.addf(path, "must be a fraction in [0, 1] with at most 9 decimals, got %s", s)
		return 0, false
	}
	return v, true
}

func (d *decoder) boolean(n *yaml.Node, path string) (bool, bool) {
	s, ok := d.scalar(n, path, "true or false", "!!bool")
	if !ok {
		return false, false
	}
	v, err := strconv.ParseBool(strings.ToLower(s))
	if err != nil {
		d.addf(path, "must be true or false, got %q", s)
	}
	return v, err == nil
}

func (d *decoder) text(n *yaml.Node, path, want string) (string, bool) {
	return d.scalar(n, path, want, "!!str")
}

// choice decodes one of names and returns its index.
func (d *decoder) choice(n *yaml.Node, path string, names []string) (int, bool) {
	s, ok := d.text(n, path, "one of "+oneOf(names))
	if !ok {
		return 0, false
	}
	if i := slices.Index(names, s); i >= 0 {
		return i, true
	}
	if sug := suggest(s, names); sug != "" {
		d.addf(path, "unknown value %q%s", s, sug)
	} else {
		d.addf(path, "unknown value %q; must be one of %s", s, oneOf(names))
	}
	return 0, false
}

// name decodes an identifier matching pattern; what describes the
// pattern in the message.
func (d *decoder) name(n *yaml.Node, path string, pattern *regexp.Regexp, what string) (string, bool) {
	s, ok := d.text(n, path, what)
	if ok && len(s) > MaxNameLength {
		d.addf(path, "must be at most %d characters (names become file and directory names, as out/<name>), got %d: %.20s...", MaxNameLength, len(s), s)
		return "", false
	}
	if ok && !pattern.MatchString(s) {
		d.addf(path, "must be %s, got %q", what, s)
		return "", false
	}
	return s, ok
}

// MaxNameLength bounds the names of scenarios, populations and classes:
// a scenario's name is its default output directory, out/<name>-sweep,
// which must fit a file name (255 bytes on common file systems).
const MaxNameLength = 100

// line decodes one line of text: not empty, no line breaks or control
// characters.
func (d *decoder) line(n *yaml.Node, path string) (string, bool) {
	s, ok := d.text(n, path, "one line of text")
	if !ok {
		return "", false
	}
	if strings.TrimSpace(s) == "" {
		d.addf(path, "must not be empty")
		return "", false
	}
	if i := strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
	}); i >= 0 {
		d.addf(path, "must be one line of plain text, got a control character or line break at byte %d", i)
		return "", false
	}
	return s, true
}
