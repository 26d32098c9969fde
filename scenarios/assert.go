package scenarios

import (
	"fmt"
	"sort"

	"go.yaml.in/yaml/v3"
)

// Assertion is one check of an assert: section: a metric path compared
// with a bound. run and sweep evaluate them after a run (a sweep, per
// point); any that fails makes the exit code 3. The metric path is
// checked against the run's metrics by the caller, which knows them
// (package reports); Locate(s, "assert[i].metric") places an error.
type Assertion struct {
	Name   string
	Metric string  // a metric path: run.X, total.X or CLASS.X
	Op     Op      // how the observed value compares with Value
	Value  float64 // the bound, in the metric's unit (money in KOII)
	Stat   Stat    // with replicates: what to compare
	// Where filters a sweep's points: --set path -> value, as the sweep
	// writes it. Empty: every point. Ignored by run.
	Where map[string]string
}

// Op is an assertion's comparison.
type Op uint8

const (
	OpLess Op = iota
	OpLessEqual
	OpGreater
	OpGreaterEqual
	OpEqual
	OpNotEqual
)

// OpNames are the comparisons as a scenario writes them.
var OpNames = []string{"<", "<=", ">", ">=", "==", "!="}

func (o Op) String() string { return OpNames[o] }

// Holds reports whether observed op bound holds. A NaN observation (an
// undefined rate) holds only for !=.
func (o Op) Holds(observed, bound float64) bool {
	switch o {
	case OpLess:
		return observed < bound
	case OpLessEqual:
		return observed <= bound
	case OpGreater:
		return observed > bound
	case OpGreaterEqual:
		return observed >= bound
	case OpEqual:
		return observed == bound
	}
	return observed != bound
}

// Stat says which statistic of a metric an assertion compares when there
// are replicates: their mean, or the low or high end of its 95%
// confidence interval. Without replicates all three are the one value.
type Stat uint8

const (
	StatMean Stat = iota
	StatCILow
	StatCIHigh
)

// StatNames are the statistics as a scenario writes them.
var StatNames = []string{"mean", "ci_low", "ci_high"}

func (s Stat) String() string { return StatNames[s] }

// MaxAssertions bounds an assert: section.
const MaxAssertions = 1000

// assertTopKey is the optional top-level assert: section, a list.
var assertTopKey = key[Scenario]{
	name: "assert", typ: "list of mappings", def: "none",
	doc: "checks on the run's metrics; any that fails makes run and sweep exit with code 3 (see assert)",
	read: func(d *decoder, n *yaml.Node, path string, s *Scenario) {
		list := deref(n)
		if isNull(list) {
			return
		}
		if list.Kind != yaml.SequenceNode {
			d.addf(path, "must be a list of checks, e.g. [{name: whale loses, metric: whale.net_profit, op: '<', value: 0}], got %s", describe(list))
			return
		}
		if len(list.Content) > MaxAssertions {
			d.addf(path, "has %d checks; at most %d are allowed", len(list.Content), MaxAssertions)
			return
		}
		for i, item := range list.Content {
			if d.full() {
				break
			}
			p := index(path, i)
			d.record(p, nil, item)
			a := Assertion{}
			readMapping(d, item, p, assertionKeys, &a)
			s.Asserts = append(s.Asserts, a)
		}
	},
	write: func(s *Scenario) *yaml.Node {
		if len(s.Asserts) == 0 {
			return nil
		}
		l := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for i := range s.Asserts {
			l.Content = append(l.Content, flow(writeMapping(assertionKeys, &s.Asserts[i])))
		}
		return l
	},
}

// assertionKeys are the keys of one check.
var assertionKeys = []key[Assertion]{
	{name: "name", typ: "one line of text", def: "required", required: true,
		doc: "what the check guards, as PASS and FAIL lines and JUnit test cases name it",
		read: func(d *decoder, n *yaml.Node, path string, a *Assertion) {
			if v, ok := d.line(n, path); ok {
				a.Name = v
			}
		},
		write: func(a *Assertion) *yaml.Node { return textNode(a.Name) },
	},
	{name: "metric", typ: "metric path", def: "required", required: true,
		doc: "run.METRIC, total.METRIC or CLASS.METRIC, e.g. whale.net_profit, honest.false_slash_rate (summary.json's keys)",
		read: func(d *decoder, n *yaml.Node, path string, a *Assertion) {
			if v, ok := d.text(n, path, "a metric path such as whale.net_profit"); ok {
				a.Metric = v
			}
		},
		write: func(a *Assertion) *yaml.Node { return textNode(a.Metric) },
	},
	{name: "op", typ: "one of " + oneOf(OpNames), def: "required", required: true,
		doc: "the comparison: observed OP value",
		read: func(d *decoder, n *yaml.Node, path string, a *Assertion) {
			if v, ok := d.choice(n, path, OpNames); ok {
				a.Op = Op(v)
			}
		},
		write: func(a *Assertion) *yaml.Node { return textNode(OpNames[a.Op]) },
	},
	numberKey("value", "number", "finite", "the bound, in the metric's unit (money in KOII, rates as fractions)",
		func(a *Assertion) *float64 { return &a.Value }),
	enumKey("stat", "with replicates: compare the mean, or the low or high end of its 95% confidence interval (default mean; a cautious upper bound uses ci_high)",
		StatNames, func(a *Assertion) *Stat { return &a.Stat }),
	{name: "where", typ: "mapping of --set path to value", def: "every point",
		doc: "sweeps only: check only the points whose swept fields have these values, e.g. {rules.slash_fraction: 0.7}",
		read: func(d *decoder, n *yaml.Node, path string, a *Assertion) {
			m := deref(n)
			if isNull(m) {
				return
			}
			if m.Kind != yaml.MappingNode {
				d.addf(path, "must be a mapping of swept paths to values, e.g. {rules.slash_fraction: 0.7}, got %s", describe(m))
				return
			}
			a.Where = map[string]string{}
			for i := 0; i+1 < len(m.Content); i += 2 {
				k, v := deref(m.Content[i]), m.Content[i+1]
				if k == nil || k.Kind != yaml.ScalarNode {
					d.addf(path, "keys must be --set paths")
					continue
				}
				text, err := flowText(v)
				if err != nil {
					d.addf(join(path, k.Value), "%v", err)
					continue
				}
				a.Where[k.Value] = text
			}
		},
		write: func(a *Assertion) *yaml.Node {
			if len(a.Where) == 0 {
				return nil
			}
			m := flow(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"})
			keys := make([]string, 0, len(a.Where))
			for k := range a.Where {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				v, err := parseValue(a.Where[k])
				if err != nil {
					v = textNode(a.Where[k])
				}
				m.Content = append(m.Content, textNode(k), v)
			}
			return m
		},
	},
}

// AssertionPath is the path Locate takes for a field of assertion i.
func AssertionPath(i int, field string) string {
	return fmt.Sprintf("assert[%d].%s", i, field)
}
