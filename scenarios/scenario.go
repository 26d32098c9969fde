package scenarios

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/koiisim/koiisim/internal/input"
	"github.com/koiisim/koiisim/model"
)

// Scenario is a decoded, validated scenario: a task, its rules and its
// node populations, with the seed and length of a run.
type Scenario struct {
	Name        string // [a-z0-9-]+
	Description string // one line
	Seed        uint64 // the default seed of a run
	Rounds      int    // rounds of work to simulate, in [1, MaxRounds]
	Config      model.Config
	Sweep       *Sweep       // the sweep: section; nil when the file has none
	Asserts     []Assertion  // the assert: section
	Equilibrium *Equilibrium // the equilibrium: section; nil when the file has none
	Source      string       // the file path, or "builtin:NAME"

	// where records the line of every field, for Locate. It is not part
	// of the scenario: Parse(Marshal(s)) equals s in every other field
	// but Source.
	where *where
}

// Defaults and limits of the top-level keys.
const (
	DefaultSeed   = 1
	DefaultRounds = 1000
	MaxRounds     = 1_000_000
)

// scenarioName is the pattern of a scenario's name.
var scenarioName = regexp.MustCompile(`^[a-z0-9-]+$`)

func defaultScenario() Scenario {
	return Scenario{Seed: DefaultSeed, Rounds: DefaultRounds, Config: model.DefaultConfig()}
}

// topKeys are the keys of a scenario file, in the order they are decoded
// and written: task: comes before populations:, whose default delays
// depend on it.
var topKeys = []key[Scenario]{
	{name: "name", typ: "text, [a-z0-9-]+", def: "required", required: true,
		doc: "the scenario's name, used in output file names",
		read: func(d *decoder, n *yaml.Node, path string, s *Scenario) {
			if v, ok := d.name(n, path, scenarioName, "a name of lower-case letters, digits and -"); ok {
				s.Name = v
			}
		},
		write: func(s *Scenario) *yaml.Node { return textNode(s.Name) },
	},
	{name: "description", typ: "text, one line", def: "required", required: true,
		doc: "what the scenario asks, in one line",
		read: func(d *decoder, n *yaml.Node, path string, s *Scenario) {
			if v, ok := d.line(n, path); ok {
				s.Description = v
			}
		},
		write: func(s *Scenario) *yaml.Node { return textNode(s.Description) },
	},
	{name: "seed", typ: "integer", rng: "[0, 18446744073709551615]",
		doc:   "the default seed of a run; every random draw derives from it",
		read:  readSeed,
		write: func(s *Scenario) *yaml.Node { return plainNode(fmt.Sprint(s.Seed)) },
	},
	{name: "rounds", typ: "rounds (integer)", rng: fmt.Sprintf("[1, %d]", MaxRounds),
		doc: "rounds of work to simulate",
		read: func(d *decoder, n *yaml.Node, path string, s *Scenario) {
			v, ok := d.integer(n, path)
			switch {
			case !ok:
			case v < 1 || v > MaxRounds:
				d.addf(path, "must be in [1, %d], got %d", MaxRounds, v)
			default:
				s.Rounds = v
			}
		},
		write: func(s *Scenario) *yaml.Node { return intNode(int64(s.Rounds)) },
	},
	sectionKey("task", "the task's parameters, as its creator sets them on K2 (see task)", taskKeys,
		func(s *Scenario) *model.Task { return &s.Config.Task }),
	sectionKey("rules", "the rule options where Koii's sources differ (see rules)", rulesKeys,
		func(s *Scenario) *model.Rules { return &s.Config.Rules }),
	sectionKey("costs", "fees and off-chain costs (see costs)", costsKeys,
		func(s *Scenario) *model.Costs { return &s.Config.Costs }),
	{name: "populations", typ: "list of mappings", def: "required", required: true,
		doc:  "the node populations, at least one (see populations)",
		read: readPopulations,
		write: func(s *Scenario) *yaml.Node {
			n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			for i := range s.Config.Populations {
				n.Content = append(n.Content, writeMapping(populationKeys, &s.Config.Populations[i]))
			}
			return n
		},
	},
	sweepTopKey,
	assertTopKey,
	equilibriumTopKey,
}

// sectionKey is a top-level key holding a mapping decoded by keys.
func sectionKey[T any](name, doc string, keys []key[T], at func(*Scenario) *T) key[Scenario] {
	return key[Scenario]{name: name, typ: "mapping", def: "every key at its default", doc: doc,
		read: func(d *decoder, n *yaml.Node, path string, s *Scenario) {
			readMapping(d, n, path, keys, at(s))
		},
		write: func(s *Scenario) *yaml.Node { return writeMapping(keys, at(s)) },
	}
}

// optionalSectionKey is an optional top-level section of the scenario, a
// mapping read by keys into a T that starts from def(); a scenario
// without it has a nil *T, and Marshal writes no key for it.
func optionalSectionKey[T any](name, doc string, keys []key[T], def func() T, at func(*Scenario) **T) key[Scenario] {
	return key[Scenario]{
		name: name, typ: "mapping", def: "none", doc: doc,
		read: func(d *decoder, n *yaml.Node, path string, s *Scenario) {
			v := def()
			readMapping(d, n, path, keys, &v)
			*at(s) = &v
		},
		write: func(s *Scenario) *yaml.Node {
			if *at(s) == nil {
				return nil
			}
			return writeMapping(keys, *at(s))
		},
	}
}

var decimalUint = regexp.MustCompile(`^\+?[0-9]+$`)

func readSeed(d *decoder, n *yaml.Node, path string, s *Scenario) {
	v, ok := d.scalar(n, path, "a whole number", "!!int", "!!float")
	if !ok {
		return
	}
	seed, err := strconv.ParseUint(strings.TrimPrefix(v, "+"), 10, 64)
	if err != nil || !decimalUint.MatchString(v) {
		d.addf(path, "must be a whole number in [0, 2^64-1], got %q", v)
		return
	}
	s.Seed = seed
}

// Load reads and parses the scenario file at path, then applies the
// --set overrides sets ("key.path=value"). See Parse.
func Load(path string, sets []string) (*Scenario, model.Problems, error) {
	data, err := input.ReadFile(path, MaxFileSize)
	var tl *input.TooLargeError
	switch {
	case errors.As(err, &tl):
		return nil, nil, inputError(path, "is larger than %d bytes; a scenario is a page of settings", MaxFileSize)
	case err != nil:
		return nil, nil, inputError(path, "cannot read the scenario: %v", err)
	}
	return Parse(data, path, sets)
}

// Parse decodes a scenario from YAML, applies the --set overrides sets
// ("key.path=value", in order, later ones winning) and validates it. On
// any problem it returns an *Error listing every problem found, located
// by line in source or at the --set that caused it; otherwise the
// scenario is valid and warnings lists settings that are valid but
// unwise (locate them with Locate). Parse never panics.
func Parse(data []byte, source string, sets []string) (*Scenario, model.Problems, error) {
	return NewSource(data, source).Resolve(sets)
}

// Source is a scenario's text parsed once, to be resolved with many
// sets of overrides (the points of a sweep): Resolve gives what Parse
// gives for the same text and overrides, without parsing the YAML
// again. Overrides copy the nodes they change, so Resolve only reads the
// parsed tree: one Source serves any number of calls, concurrent ones
// included (a sweep's workers resolve their points from one).
type Source struct {
	name string
	root *yaml.Node
	err  error // the text's size or syntax error, which every Resolve returns
}

// NewSource parses data, named source in problems.
func NewSource(data []byte, source string) *Source {
	if len(data) > MaxFileSize {
		return &Source{name: source, err: inputError(source, "is larger than %d bytes; a scenario is a page of settings", MaxFileSize)}
	}
	root, err := parseYAML(data)
	if err != nil {
		return &Source{name: source, err: &Error{Problems: []Problem{syntaxProblem(source, err)}}}
	}
	return &Source{name: source, root: root}
}

// Resolve applies the overrides sets to the parsed text, decodes and
// validates the result, as Parse does.
func (src *Source) Resolve(sets []string) (*Scenario, model.Problems, error) {
	if src.err != nil {
		return nil, nil, src.err
	}
	source := src.name
	d := newDecoder(source)
	root := d.applySets(src.root, sets)
	s := defaultScenario()
	s.Source, s.where = source, d.w
	d.record("", nil, root)
	if r := deref(root); r != nil && r.Kind != yaml.MappingNode {
		d.addf("", "a scenario must be a mapping of keys (name: ..., populations: ...), got %s", describe(r))
		return nil, nil, d.err()
	}
	if root == nil {
		root = mappingNode() // an empty file: report the missing keys
	}
	readMapping(d, root, "", topKeys, &s)
	if d.full() {
		return nil, nil, d.err()
	}
	problems, warnings := s.Config.Validate()
	if s.Sweep != nil {
		problems = append(problems, s.Sweep.Validate()...)
	}
	for _, p := range d.w.locate(unrelated(problems, d.probs)) {
		d.add(p)
	}
	if len(d.probs) > 0 {
		return nil, nil, d.err()
	}
	return &s, append(warnings, s.warnings()...), nil
}

// unrelated drops the model's problems about a field the decoder already
// reported, or a field inside or around it: a field that failed to
// decode kept its default, and the model would only restate the damage.
func unrelated(ps model.Problems, decoded []Problem) model.Problems {
	var out model.Problems
	for _, p := range ps {
		dup := false
		for _, q := range decoded {
			if q.Key != "" && related(p.Path, q.Key) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, p)
		}
	}
	return out
}

// warnings are the scenario's own unwise settings, beyond the model's.
func (s *Scenario) warnings() model.Problems {
	var w model.Problems
	t := s.Config.Task
	if t.BountyPerRound > 0 {
		if paid := t.TotalBounty / t.BountyPerRound; int64(s.Rounds) > int64(paid) {
			w.Addf("rounds", "%d rounds, but total_bounty pays for only %d; the task stops paying after that", s.Rounds, paid)
		}
	}
	for i, p := range s.Config.Populations {
		if p.Join >= s.Rounds {
			w.Addf(fmt.Sprintf("populations[%d].join", i), "round %d is not before the last round (rounds: %d): these nodes never take part", p.Join, s.Rounds)
		}
	}
	return w
}

// DefaultBuiltin is the built-in scenario Resolve uses when given none.
const DefaultBuiltin = "koii-baseline"

// Resolve loads a scenario named on a command line: a file when arg names
// one that exists, contains a '/' or ends in .yaml or .yml; otherwise a
// built-in by name; DefaultBuiltin when arg is "".
func Resolve(arg string, sets []string) (*Scenario, model.Problems, error) {
	if arg == "" {
		arg = DefaultBuiltin
	}
	if isFile(arg) {
		return Load(arg, sets)
	}
	return Builtin(arg, sets)
}

func isFile(arg string) bool {
	if _, err := os.Stat(arg); err == nil {
		return true
	}
	return strings.Contains(arg, "/") || strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml")
}

// Marshal writes s as YAML with every default filled in, in a fixed key
// order: the same scenario always yields the same bytes, and Parse reads
// them back to a Scenario equal to s but for Source. It panics only if s
// holds text YAML cannot encode, which no parsed scenario does.
func Marshal(s *Scenario) []byte {
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{writeMapping(topKeys, s)},
		HeadComment: "koiisim scenario, fully resolved: every default is written out."}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		panic(fmt.Sprintf("scenarios.Marshal: %v", err))
	}
	if err := enc.Close(); err != nil {
		panic(fmt.Sprintf("scenarios.Marshal: %v", err))
	}
	return buf.Bytes()
}

// Hash returns the hex SHA-256 of Marshal(s) without its sweep and its
// assertions: two scenarios with the same hash run the same. Both are
// left out as they say what to run and check around the scenario, not
// how one run goes; a sweep's outputs record it separately.
func Hash(s *Scenario) string {
	run := *s
	run.Sweep = nil
	run.Asserts = nil
	sum := sha256.Sum256(Marshal(&run))
	return hex.EncodeToString(sum[:])
}
