package scenarios

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// sweepTopKey is the optional top-level sweep: section. A scenario
// without one has a nil Sweep and Marshal writes no sweep: key.
var sweepTopKey = optionalSectionKey("sweep", "the parameter sweep `koiisim sweep` runs; ignored by `koiisim run` (see sweep)",
	sweepKeys, defaultSweep, func(s *Scenario) **Sweep { return &s.Sweep })

func defaultSweep() Sweep { return Sweep{Design: DesignGrid, Replicates: DefaultReplicates} }

// sweepKeys are the keys of sweep:.
var sweepKeys = []key[Sweep]{
	enumKey("design", "grid: every combination of the dimensions' values; random: points drawn uniformly; lhs: a Latin hypercube (one point in each of points strata of every dimension); morris: points one-at-a-time trajectories for elementary effects (mu*, sigma); sobol: points base samples of Saltelli's scheme for first and total-order indices",
		DesignNames, func(s *Sweep) *Design { return &s.Design }),
	{name: "points", typ: "integer", rng: fmt.Sprintf("random and lhs: [1, %d]; grid: leave out", MaxPoints), def: "`0`",
		doc: "points to draw (random and lhs); a grid has the product of its dimensions' sizes",
		read: func(d *decoder, n *yaml.Node, path string, s *Sweep) {
			if v, ok := d.integer(n, path); ok {
				s.Points = v
			}
		},
		write: func(s *Sweep) *yaml.Node { return intNode(int64(s.Points)) },
	},
	intKey("replicates", "integer", fmt.Sprintf("[1, %d]", MaxReplicates), "runs per point, each with a seed derived from the point and the replicate index",
		func(s *Sweep) *int { return &s.Replicates }),
	{name: "metrics", typ: "list of metric paths or patterns", def: "a default set",
		doc: "the metrics the summary reports, e.g. [faulty.net_profit, 'honest.*', run.unpaid_rate]; `koiisim sweep --metrics list` lists them",
		read: func(d *decoder, n *yaml.Node, path string, s *Sweep) {
			s.Metrics = readTextList(d, n, path, "a list of metric paths, e.g. [faulty.net_profit, run.unpaid_rate]")
		},
		write: func(s *Sweep) *yaml.Node {
			if len(s.Metrics) == 0 {
				return nil
			}
			l := flow(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"})
			for _, m := range s.Metrics {
				l.Content = append(l.Content, textNode(m))
			}
			return l
		},
	},
	{name: "vary", typ: "list of mappings", def: "none: one point",
		doc: "the fields to vary (see sweep.vary)",
		read: func(d *decoder, n *yaml.Node, path string, s *Sweep) {
			list := deref(n)
			if isNull(list) {
				return
			}
			if list.Kind != yaml.SequenceNode {
				d.addf(path, "must be a list of dimensions, e.g. [{path: rules.slash_fraction, values: [0.1, 0.5]}], got %s", describe(list))
				return
			}
			for i, item := range list.Content {
				if d.full() || i >= MaxDimensions+1 {
					break
				}
				p := index(path, i)
				d.record(p, nil, item)
				var dim Dimension
				readMapping(d, item, p, dimensionKeys, &dim)
				s.Vary = append(s.Vary, dim)
			}
		},
		write: func(s *Sweep) *yaml.Node {
			l := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			for i := range s.Vary {
				l.Content = append(l.Content, flow(writeMapping(dimensionKeys, &s.Vary[i])))
			}
			return l
		},
	},
}

// dimensionKeys are the keys of one item of sweep.vary.
var dimensionKeys = []key[Dimension]{
	{name: "path", typ: "text", def: "required", required: true,
		doc: "the field to vary, as --set names it: rules.slash_fraction, populations.auditors.count",
		read: func(d *decoder, n *yaml.Node, path string, dim *Dimension) {
			if v, ok := d.text(n, path, "a --set path such as rules.slash_fraction"); ok {
				dim.Path = v
			}
		},
		write: func(dim *Dimension) *yaml.Node { return textNode(dim.Path) },
	},
	{name: "values", typ: "list of values", def: "none",
		doc: "the values the field takes, each as --set takes it: [0.1, 0.5], [equal, stake], [{dist: fixed, value: 5}]",
		read: func(d *decoder, n *yaml.Node, path string, dim *Dimension) {
			list := deref(n)
			if list == nil || list.Kind != yaml.SequenceNode || len(list.Content) == 0 {
				d.addf(path, "must be a list of at least one value, e.g. [0.1, 0.5], got %s", describe(list))
				return
			}
			if len(list.Content) > MaxValues {
				d.addf(path, "has %d values; at most %d are allowed", len(list.Content), MaxValues)
				return
			}
			for i, item := range list.Content {
				text, err := flowText(item)
				if err != nil {
					d.addf(index(path, i), "%v", err)
					return
				}
				dim.Values = append(dim.Values, text)
			}
		},
		write: func(dim *Dimension) *yaml.Node {
			if dim.IsRange() {
				return nil
			}
			l := flow(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"})
			for _, v := range dim.Values {
				n, err := parseValue(v)
				if err != nil { // values come from flowText, which always parses
					n = textNode(v)
				}
				l.Content = append(l.Content, n)
			}
			return l
		},
	},
	rangeEndKey("from", "the range's first value (a decimal; whole-number ends give whole-number values)",
		func(dim *Dimension) *string { return &dim.From }),
	rangeEndKey("to", "the range's last value, included",
		func(dim *Dimension) *string { return &dim.To }),
	{name: "steps", typ: "integer", rng: fmt.Sprintf("[2, %d]", MaxValues), def: "`0`: continuous",
		doc: "values from from to to, evenly spaced and rounded to 9 decimals (or to whole numbers); required in a grid",
		read: func(d *decoder, n *yaml.Node, path string, dim *Dimension) {
			if v, ok := d.integer(n, path); ok {
				dim.Steps = v
			}
		},
		write: func(dim *Dimension) *yaml.Node {
			if dim.Steps == 0 {
				return nil
			}
			return intNode(int64(dim.Steps))
		},
	},
}

func rangeEndKey(name, doc string, at func(*Dimension) *string) key[Dimension] {
	return key[Dimension]{name: name, typ: "decimal (at most 9 decimals)", def: "none", doc: doc,
		read: func(d *decoder, n *yaml.Node, path string, dim *Dimension) {
			if v, ok := d.scalar(n, path, "a decimal number", "!!int", "!!float"); ok {
				*at(dim) = strings.TrimSpace(v)
			}
		},
		write: func(dim *Dimension) *yaml.Node {
			if *at(dim) == "" {
				return nil
			}
			return plainNode(*at(dim))
		},
	}
}

// readTextList decodes a list of plain texts; an empty list is nil.
func readTextList(d *decoder, n *yaml.Node, path, want string) []string {
	list := deref(n)
	if isNull(list) {
		return nil
	}
	if list.Kind != yaml.SequenceNode {
		d.addf(path, "must be %s, got %s", want, describe(list))
		return nil
	}
	var out []string
	for i, item := range list.Content {
		if v, ok := d.text(item, index(path, i), "a metric path"); ok {
			out = append(out, v)
		}
	}
	return out
}

// maxValueNodes bounds the size of one sweep value, so that an alias
// bomb cannot make flowText expand without end.
const maxValueNodes = 1000

// flowText writes a YAML value on one line, as --set reads it back:
// 0.5, all, "0.5" (a text), {dist: fixed, value: 5}.
func flowText(n *yaml.Node) (string, error) {
	budget := maxValueNodes
	c, err := flowCopy(n, &budget)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	if err := enc.Encode(c); err != nil {
		return "", fmt.Errorf("cannot be written back as YAML: %v", err)
	}
	enc.Close()
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// flowCopy copies n with aliases resolved, every collection in flow
// style and no comments.
func flowCopy(n *yaml.Node, budget *int) (*yaml.Node, error) {
	n = deref(n)
	if *budget--; *budget < 0 || n == nil {
		return nil, fmt.Errorf("is too large a value for a sweep (more than %d nodes)", maxValueNodes)
	}
	c := &yaml.Node{Kind: n.Kind, Tag: n.Tag, Value: n.Value, Style: n.Style}
	switch n.Kind {
	case yaml.MappingNode, yaml.SequenceNode:
		c.Style = yaml.FlowStyle
		for _, e := range n.Content {
			ec, err := flowCopy(e, budget)
			if err != nil {
				return nil, err
			}
			c.Content = append(c.Content, ec)
		}
	case yaml.ScalarNode:
		c.Style &^= yaml.LiteralStyle | yaml.FoldedStyle
	}
	return c, nil
}

// rangeSpec is a command-line range: LO:HI or LO:HI:STEPS.
var rangeSpec = regexp.MustCompile(`^\s*([-+]?[0-9.]+)\s*:\s*([-+]?[0-9.]+)\s*(?::\s*([0-9]+)\s*)?$`)

// ParseDimension reads a --sweep flag: PATH=V1,V2,... (values as --set
// takes them), PATH=[V1, V2, ...] (a YAML list, for values with commas),
// PATH=LO:HI:STEPS (a range cut into STEPS values) or PATH=LO:HI (a
// continuous range, for random and lhs designs). It checks the syntax
// only; Sweep.Validate checks the rest.
func ParseDimension(spec string) (Dimension, error) {
	p, text, ok := strings.Cut(spec, "=")
	p = strings.TrimSpace(p)
	if !ok || p == "" {
		return Dimension{}, fmt.Errorf("must be PATH=V1,V2,... or PATH=LO:HI:STEPS, e.g. rules.slash_fraction=0.1,0.5,0.9 or rules.slash_fraction=0.1:0.9:5")
	}
	dim := Dimension{Path: p}
	text = strings.TrimSpace(text)
	switch m := rangeSpec.FindStringSubmatch(text); {
	case strings.HasPrefix(text, "["):
		root, err := parseYAML([]byte(text))
		if err != nil || root == nil || root.Kind != yaml.SequenceNode || len(root.Content) == 0 {
			return Dimension{}, fmt.Errorf("%s: %q is not a YAML list of values such as [0.1, 0.5]", p, text)
		}
		for _, item := range root.Content {
			v, err := flowText(item)
			if err != nil {
				return Dimension{}, fmt.Errorf("%s: a value %v", p, err)
			}
			dim.Values = append(dim.Values, v)
		}
	case m != nil:
		dim.From, dim.To = m[1], m[2]
		if m[3] != "" {
			if _, err := fmt.Sscan(m[3], &dim.Steps); err != nil || dim.Steps > MaxValues {
				return Dimension{}, fmt.Errorf("%s: steps %q must be in [2, %d]", p, m[3], MaxValues)
			}
		}
	default:
		for _, v := range strings.Split(text, ",") {
			v = strings.TrimSpace(v)
			if v == "" {
				return Dimension{}, fmt.Errorf("%s: %q has an empty value; write V1,V2,... (or [V1, V2] for values with commas)", p, text)
			}
			n, err := parseValue(v)
			if err != nil {
				return Dimension{}, fmt.Errorf("%s: the value %q is not YAML: %s", p, v, strings.TrimPrefix(err.Error(), "yaml: "))
			}
			if v, err = flowText(n); err != nil {
				return Dimension{}, fmt.Errorf("%s: a value %v", p, err)
			}
			dim.Values = append(dim.Values, v)
		}
	}
	return dim, nil
}
