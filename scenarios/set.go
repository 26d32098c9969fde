package scenarios

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// applySets applies each --set override ("key.path=value") to the parsed
// tree, in order, and returns the new root. Overrides edit the tree
// before decoding so that the one decoder validates file and overrides
// alike; the nodes an override brings in are marked in d.origin so their
// problems point at it.
func (d *decoder) applySets(root *yaml.Node, sets []string) *yaml.Node {
	for _, arg := range sets {
		root = d.applySet(root, arg)
	}
	return root
}

func (d *decoder) applySet(root *yaml.Node, arg string) *yaml.Node {
	path, text, ok := strings.Cut(arg, "=")
	path = strings.TrimSpace(path)
	segs := strings.Split(path, ".")
	for i := range segs {
		segs[i] = strings.TrimSpace(segs[i])
	}
	if !ok || path == "" || slices.Contains(segs, "") {
		d.add(Problem{File: SetFile, Set: arg, Msg: "must be KEY.PATH=VALUE, e.g. task.round_time=3000 or populations.honest.count=500"})
		return root
	}
	val, err := parseValue(text)
	if err != nil {
		d.add(Problem{File: SetFile, Set: path, Msg: fmt.Sprintf("the value %q is not YAML: %s", text, strings.TrimPrefix(err.Error(), "yaml: "))})
		return root
	}
	d.markSet(val, path)
	if root == nil {
		root = mappingNode()
	}
	if r := deref(root); r == nil || r.Kind != yaml.MappingNode {
		return root // the decoder reports a root that is no mapping
	}
	root = d.clone(deref(root))
	if msg := d.setAt(root, segs, path, val); msg != "" {
		d.add(Problem{File: SetFile, Set: path, Msg: msg})
	}
	return root
}

// parseValue parses an override's value as one YAML flow value: 5,
// all, {dist: uniform, min: 2, max: 5}. An empty value is null.
func parseValue(text string) (*yaml.Node, error) {
	n, err := parseYAML([]byte(text))
	if err != nil {
		return nil, err
	}
	if n == nil {
		n = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	}
	return n, nil
}

// markSet marks n and every node under it as written by the override at
// path. It follows Content only, not aliases, so it ends on any graph.
func (d *decoder) markSet(n *yaml.Node, path string) {
	stack := []*yaml.Node{n}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		d.origin[top] = path
		stack = append(stack, top.Content...)
	}
}

// setAt walks cur (a private copy) along segs and puts val at the end,
// creating missing mapping keys on the way. Every node it descends into
// is copied first, so that a value shared through an anchor changes only
// where the path points. It returns a message when the path cannot be
// followed.
func (d *decoder) setAt(cur *yaml.Node, segs []string, path string, val *yaml.Node) string {
	for i, seg := range segs {
		last := i == len(segs)-1
		where := strings.Join(segs[:i], ".")
		var slot **yaml.Node
		switch cur.Kind {
		case yaml.MappingNode:
			_, v := lookup(cur, seg)
			if v == nil {
				cur.Content = append(cur.Content, d.setNode(textNode(seg), path), nil)
				slot = &cur.Content[len(cur.Content)-1]
				if !last {
					*slot = d.setNode(mappingNode(), path)
				}
			} else {
				slot = valueSlot(cur, seg)
			}
		case yaml.SequenceNode:
			i, msg := item(cur, seg, where)
			if msg != "" {
				return msg
			}
			slot = &cur.Content[i]
		default:
			return fmt.Sprintf("%s holds a single value, so it has no %q", where, seg)
		}
		if last {
			*slot = val
			return ""
		}
		next, msg := d.descend(*slot, seg, strings.Join(segs[:i+1], "."))
		if msg != "" {
			return msg
		}
		*slot = next
		cur = next
	}
	return ""
}

// valueSlot returns the Content slot of key's value in mapping m.
func valueSlot(m *yaml.Node, key string) **yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := deref(m.Content[i]); k != nil && k.Kind == yaml.ScalarNode && k.Value == key {
			return &m.Content[i+1]
		}
	}
	return nil
}

// item finds a list item by index ("0") or, in populations, by name.
func item(list *yaml.Node, seg, where string) (int, string) {
	var names []string
	for i, it := range list.Content {
		_, v := lookup(deref(it), "name")
		if v = deref(v); v != nil && v.Kind == yaml.ScalarNode {
			if v.Value == seg && !isIndex(seg) {
				return i, ""
			}
			names = append(names, v.Value)
		}
	}
	if isIndex(seg) {
		if i, err := strconv.Atoi(seg); err == nil && i < len(list.Content) {
			return i, ""
		}
		return 0, fmt.Sprintf("%s has no item %s; its indices are 0 to %d", where, seg, len(list.Content)-1)
	}
	if len(names) == 0 {
		return 0, fmt.Sprintf("%s has no item named %q (its items have no names; use an index from 0 to %d)", where, seg, len(list.Content)-1)
	}
	return 0, fmt.Sprintf("%s has no item named %q; the names are %s (or use an index from 0 to %d)",
		where, seg, oneOf(names), len(list.Content)-1)
}

func isIndex(s string) bool {
	_, err := strconv.ParseUint(s, 10, 31)
	return err == nil
}

// descend returns a private copy of the node an override walks into,
// turning a null into an empty mapping and the short forms the format
// allows into their long forms (behaviour: honest into {kind: honest},
// stake: 5 into {dist: fixed, value: 5}), so that an override can set
// one parameter of either form.
func (d *decoder) descend(n *yaml.Node, key, where string) (*yaml.Node, string) {
	c := deref(n)
	switch {
	case isNull(c):
		m := mappingNode()
		if c != nil {
			m.Line, m.Column = c.Line, c.Column
		}
		return m, ""
	case c.Kind == yaml.MappingNode || c.Kind == yaml.SequenceNode:
		return d.clone(c), ""
	case c.Kind == yaml.ScalarNode && key == "behaviour":
		return d.longForm(c, "kind", c), ""
	case c.Kind == yaml.ScalarNode && isDistKey(key):
		m := d.longForm(c, "dist", d.at(textNode("fixed"), c))
		m.Content = append(m.Content, d.at(textNode("value"), c), c)
		return m, ""
	}
	return nil, fmt.Sprintf("%s holds a single value, not a mapping", where)
}

func isDistKey(key string) bool {
	return key == "stake" || key == "submit_delay" || key == "audit_delay"
}

// longForm builds the mapping {key: val} at the position of short (the
// short form it replaces) and with short's origin, so that problems still
// point where the value was written.
func (d *decoder) longForm(short *yaml.Node, key string, val *yaml.Node) *yaml.Node {
	return d.at(mappingNode(d.at(textNode(key), short), val), short)
}

// at gives n the position and origin of like.
func (d *decoder) at(n, like *yaml.Node) *yaml.Node {
	n.Line, n.Column = like.Line, like.Column
	if set, ok := d.origin[like]; ok {
		d.origin[n] = set
	}
	return n
}

// clone returns a shallow copy of n with its own Content slice, keeping
// n's position and origin.
func (d *decoder) clone(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = append([]*yaml.Node(nil), n.Content...)
	c.Anchor = ""
	return d.at(&c, n)
}

// setNode marks a node an override creates.
func (d *decoder) setNode(n *yaml.Node, path string) *yaml.Node {
	d.origin[n] = path
	return n
}
