package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize bounds a scenario file, in bytes: a scenario is a page of
// settings, and the YAML parser's time grows with its input.
const MaxFileSize = 1 << 20

// parseYAML parses data as exactly one YAML document and returns its
// root node, or nil for an empty document. A parser panic (a bug in the
// library) becomes an error, so no input makes Parse panic.
func parseYAML(data []byte) (root *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("yaml: the parser failed: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("yaml: line %d: a scenario is one YAML document; a second one starts here", next.Line)
	}
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil, nil
		}
		return doc.Content[0], nil
	}
	return &doc, nil
}

// yamlLine splits the "yaml: line N: msg" of a parser error into N and
// msg, so the problem can be located like any other.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func syntaxProblem(file string, err error) Problem {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return Problem{File: file, Line: line, Msg: "YAML: " + m[2]}
	}
	return Problem{File: file, Msg: "YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// deref follows aliases to the node they name. Anchors may make the
// graph cyclic, but the decoder only descends along the schema, whose
// depth is fixed, so no walk loops.
func deref(n *yaml.Node) *yaml.Node {
	for hops := 0; n != nil && n.Kind == yaml.AliasNode; hops++ {
		if hops > 100 { // an alias of an alias of ...: the parser forbids cycles of bare aliases, but be safe
			return nil
		}
		n = n.Alias
	}
	return n
}

// isNull reports whether n is absent or an explicit null ("key:" or "~").
func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names what n holds, for "got ..." in messages.
func describe(n *yaml.Node) string {
	switch {
	case n == nil:
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind != yaml.ScalarNode:
		return "an alias"
	case isNull(n):
		return "nothing (null)"
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:37] + "..."
	}
	if n.ShortTag() == "!!str" {
		return fmt.Sprintf("the text %q", v)
	}
	return strconv.Quote(v)
}

// Node constructors for Marshal and for --set. Numbers and booleans get no
// tag so the encoder writes them plain; text is tagged !!str so the
// encoder quotes it whenever it would otherwise read as something else.

func textNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

func plainNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: s}
}

func intNode(v int64) *yaml.Node { return plainNode(strconv.FormatInt(v, 10)) }

func floatNode(v float64) *yaml.Node { return plainNode(formatFloat(v)) }

func boolNode(v bool) *yaml.Node { return plainNode(strconv.FormatBool(v)) }

// formatFloat writes v in the shortest decimal that reads back as v,
// without an exponent (so a KOII amount stays a plain decimal).
func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func mappingNode(pairs ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: pairs}
}

// flow marks a small mapping to be written on one line: {dist: uniform, ...}.
func flow(n *yaml.Node) *yaml.Node {
	n.Style = yaml.FlowStyle
	return n
}
