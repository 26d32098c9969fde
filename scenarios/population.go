package scenarios

import (
	"fmt"
	"regexp"
	"slices"
	"sort"

	"go.yaml.in/yaml/v3"

	"github.com/koiisim/koiisim/model"
)

// MaxPopulations bounds the populations of one scenario.
const MaxPopulations = 10_000

// popName is the pattern of population and class names: safe in file
// names, CSV columns and --set paths.
var popName = regexp.MustCompile(`^[a-z0-9_-]+$`)

// readPopulations decodes the populations list. It runs after task:, as
// the default delays depend on the windows.
func readPopulations(d *decoder, n *yaml.Node, path string, s *Scenario) {
	list := deref(n)
	if list == nil || list.Kind != yaml.SequenceNode {
		d.addf(path, "must be a list of populations, got %s", describe(list))
		return
	}
	if len(list.Content) > MaxPopulations {
		d.addf(path, "has %d populations; at most %d are allowed", len(list.Content), MaxPopulations)
		return
	}
	pops := make([]model.Population, 0, len(list.Content))
	for i, item := range list.Content {
		if d.full() {
			return
		}
		p := index(path, i)
		d.record(p, nil, item)
		pops = append(pops, readPopulation(d, item, p, &s.Config.Task))
	}
	s.Config.Populations = pops
}

func readPopulation(d *decoder, n *yaml.Node, path string, t *model.Task) model.Population {
	p := defaultPopulation(t)
	if isNull(deref(n)) {
		d.addf(path, "must be a mapping describing a population, got %s", describe(deref(n)))
		return p
	}
	readMapping(d, n, path, populationKeys, &p)
	if p.Class == "" {
		p.Class = p.Behaviour.Kind
	}
	return p
}

// defaultPopulation holds the defaults of every optional population key.
// The delays spread over the windows of t: submissions over the first
// half of the submission window, votes over the whole audit window but
// its last slot.
func defaultPopulation(t *model.Task) model.Population {
	return model.Population{
		Balance:     model.PerKOII,
		Role:        model.RoleWorker,
		Behaviour:   defaultBehaviour(),
		SubmitDelay: model.Uniform(0, float64(max(t.SubmissionWindow, 0))/2),
		AuditDelay:  model.Uniform(0, float64(max(t.AuditWindow-1, 0))),
	}
}

const defaultKind = "honest"

func defaultBehaviour() model.BehaviourSpec {
	spec := model.BehaviourSpec{Kind: defaultKind, Params: model.Params{}}
	if k, ok := model.LookupKind(defaultKind); ok {
		spec.Params = k.DefaultParams()
	}
	return spec
}

// populationKeys are the keys of one item of populations: (docs/model.md §6).
var populationKeys = []key[model.Population]{
	{name: "name", typ: "text, [a-z0-9_-]+", def: "required", required: true,
		doc: "unique within the scenario; --set addresses the population by it",
		read: func(d *decoder, n *yaml.Node, path string, p *model.Population) {
			if v, ok := d.name(n, path, popName, "a name of lower-case letters, digits, - and _"); ok {
				p.Name = v
			}
		},
		write: func(p *model.Population) *yaml.Node { return textNode(p.Name) },
	},
	{name: "class", typ: "text, [a-z0-9_-]+", def: "the behaviour's kind",
		doc: "the reporting class: populations of one class are summed in reports",
		read: func(d *decoder, n *yaml.Node, path string, p *model.Population) {
			if v, ok := d.name(n, path, popName, "a class name of lower-case letters, digits, - and _"); ok {
				p.Class = v
			}
		},
		write: func(p *model.Population) *yaml.Node { return textNode(p.Class) },
	},
	{name: "count", typ: "integer", rng: fmt.Sprintf("[0, %d]; all populations together at least 1, and no more than the machine's memory holds (a run estimates its memory and refuses what does not fit)", model.MaxNodes),
		def: "required", required: true, doc: "number of nodes",
		read: func(d *decoder, n *yaml.Node, path string, p *model.Population) {
			if v, ok := d.integer(n, path); ok {
				p.Count = v
			}
		},
		write: func(p *model.Population) *yaml.Node { return intNode(int64(p.Count)) },
	},
	distKey("stake", koiiUnit, "required", "each node's stake, drawn once and rounded to the nearest ROE",
		func(p *model.Population) *model.Dist { return &p.Stake }),
	koiiKey("balance", ">= 0", "each node's starting balance, for fees",
		func(p *model.Population) *model.ROE { return &p.Balance }),
	enumKey("role", "worker: works, submits and audits; auditor: audits only (a witness node)",
		model.RoleNames, func(p *model.Population) *model.Role { return &p.Role }),
	{name: "behaviour", typ: "a kind name, or a mapping {kind: NAME, PARAM: VALUE, ...}",
		doc:   "what the nodes do where the protocol leaves a choice; see Behaviours",
		read:  readBehaviour,
		write: writeBehaviour,
	},
	distKey("submit_delay", slotUnit, "uniform from 0 to submission_window / 2",
		"slots after a submission window opens until the node's proof lands; past the window it is late",
		func(p *model.Population) *model.Dist { return &p.SubmitDelay }),
	distKey("audit_delay", slotUnit, "uniform from 0 to audit_window - 1",
		"slots after an audit window opens until the node acts",
		func(p *model.Population) *model.Dist { return &p.AuditDelay }),
	intKey("join", "round (integer)", ">= 0", "first round the nodes take part in",
		func(p *model.Population) *int { return &p.Join }),
	stopKey,
}

// stopKey is a round after join, or "never" (stored as 0).
var stopKey = key[model.Population]{
	name: "stop", typ: `round (integer) or "never"`, rng: "> join",
	doc: "first round the nodes no longer take part in; they may then withdraw their stake",
	read: func(d *decoder, n *yaml.Node, path string, p *model.Population) {
		if s := deref(n); s != nil && s.Kind == yaml.ScalarNode && s.ShortTag() == "!!str" {
			if s.Value == "never" {
				p.Stop = 0
			} else {
				d.addf(path, `must be a round after join or "never", got %s`, describe(s))
			}
			return
		}
		v, ok := d.integer(n, path)
		switch {
		case !ok:
		case v <= 0: // 0 would silently mean never
			d.addf(path, `must be a round after join or "never", got %d`, v)
		default:
			p.Stop = v
		}
	},
	write: func(p *model.Population) *yaml.Node {
		if p.Stop == 0 {
			return textNode("never")
		}
		return intNode(int64(p.Stop))
	},
}

// readBehaviour decodes a kind name, or a mapping of kind: and the
// kind's parameters. Absent parameters take the kind's defaults.
func readBehaviour(d *decoder, n *yaml.Node, path string, p *model.Population) {
	node := deref(n)
	switch {
	case node != nil && node.Kind == yaml.ScalarNode:
		if k, ok := readKind(d, node, path); ok {
			p.Behaviour = model.BehaviourSpec{Kind: k.Name, Params: k.DefaultParams()}
		}
	case node != nil && node.Kind == yaml.MappingNode:
		if spec, ok := readBehaviourMapping(d, node, path); ok {
			p.Behaviour = spec
		}
	default:
		d.addf(path, "must be a behaviour kind or a mapping {kind: NAME, ...}, got %s", describe(node))
	}
}

// readBehaviourMapping decodes {kind: NAME, PARAM: VALUE, ...}. The kind
// decides which keys are known, so it is read first; when it is missing
// or unknown, every kind's parameter names are accepted, so that only
// the kind is reported.
func readBehaviourMapping(d *decoder, node *yaml.Node, path string) (model.BehaviourSpec, bool) {
	kindPath := join(path, "kind")
	kindKey, kindNode := lookup(node, "kind")
	var k *model.Kind
	if kindNode != nil {
		d.record(kindPath, kindKey, kindNode)
		k, _ = readKind(d, kindNode, kindPath)
	}
	m := d.entries(node, path, append([]string{"kind"}, kindParamNames(k)...))
	if kindNode == nil {
		d.addf(kindPath, "is required")
	}
	if m == nil || k == nil {
		return model.BehaviourSpec{}, false
	}
	params := k.DefaultParams()
	for _, s := range k.Params {
		if v, ok := m[s.Name]; ok {
			if val, ok := readParam(d, v, join(path, s.Name), s); ok {
				params[s.Name] = val
			}
		}
	}
	return model.BehaviourSpec{Kind: k.Name, Params: params}, true
}

// kindParamNames returns the parameter names of k, or of every
// registered kind when k is nil.
func kindParamNames(k *model.Kind) []string {
	kinds := model.Kinds()
	if k != nil {
		kinds = []*model.Kind{k}
	}
	var out []string
	for _, k := range kinds {
		for _, s := range k.Params {
			if !slices.Contains(out, s.Name) {
				out = append(out, s.Name)
			}
		}
	}
	return out
}

func readKind(d *decoder, n *yaml.Node, path string) (*model.Kind, bool) {
	var names []string
	for _, k := range model.Kinds() {
		names = append(names, k.Name)
	}
	name, ok := d.text(n, path, "a behaviour kind ("+oneOf(names)+")")
	if !ok {
		return nil, false
	}
	if k, ok := model.LookupKind(name); ok {
		return k, true
	}
	if s := suggest(name, names); s != "" {
		d.addf(path, "unknown behaviour %q%s", name, s)
	} else {
		d.addf(path, "unknown behaviour %q; the behaviours are %s", name, oneOf(names))
	}
	return nil, false
}

// readParam decodes one behaviour parameter into the Go type its kind
// declares (model.ParamSpec).
func readParam(d *decoder, n *yaml.Node, path string, s model.ParamSpec) (any, bool) {
	switch s.Kind {
	case model.ParamProb, model.ParamFloat:
		return d.number(n, path)
	case model.ParamInt:
		return d.integer(n, path)
	case model.ParamBool:
		return d.boolean(n, path)
	case model.ParamAmount:
		return d.koii(n, path)
	}
	d.addf(path, "has a parameter type the scenario format does not know (a programming error)")
	return nil, false
}

func writeBehaviour(p *model.Population) *yaml.Node {
	b := p.Behaviour
	if len(b.Params) == 0 {
		return textNode(b.Kind)
	}
	n := flow(mappingNode(textNode("kind"), textNode(b.Kind)))
	for _, name := range paramOrder(b) {
		n.Content = append(n.Content, textNode(name), paramNode(b.Params[name]))
	}
	return n
}

// paramOrder is the kind's declaration order, then any other names
// sorted, so the output is deterministic whatever the map holds.
func paramOrder(b model.BehaviourSpec) []string {
	var out []string
	if k, ok := model.LookupKind(b.Kind); ok {
		for _, s := range k.Params {
			if _, ok := b.Params[s.Name]; ok {
				out = append(out, s.Name)
			}
		}
	}
	var rest []string
	for name := range b.Params {
		if !slices.Contains(out, name) {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

func paramNode(v any) *yaml.Node {
	switch v := v.(type) {
	case float64:
		return floatNode(v)
	case int:
		return intNode(int64(v))
	case bool:
		return boolNode(v)
	case model.ROE:
		return plainNode(v.String())
	}
	return textNode(fmt.Sprint(v))
}

// lookup returns the first key node named key in mapping n and its
// value, or nils.
func lookup(n *yaml.Node, key string) (k, v *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := deref(n.Content[i]); k != nil && k.Kind == yaml.ScalarNode && k.Value == key {
			return n.Content[i], n.Content[i+1]
		}
	}
	return nil, nil
}
