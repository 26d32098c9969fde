package scenarios

import (
	"math"

	"go.yaml.in/yaml/v3"

	"github.com/koiisim/koiisim/model"
)

// unit is what a distribution's values measure.
type unit uint8

const (
	slotUnit unit = iota // delays, in slots: any finite number
	koiiUnit             // stakes, in KOII: at most 9 decimals, like every amount
)

func (u unit) String() string {
	if u == koiiUnit {
		return "KOII"
	}
	return "slots"
}

// distParam is one key of a distribution mapping.
type distParam struct {
	name     string
	required bool
	logSpace bool // a parameter of the log (lognormal mu, sigma): a plain number, never an amount
	doc      string
	at       func(*model.Dist) *float64
}

var (
	pValue = distParam{name: "value", required: true, doc: "the value", at: func(d *model.Dist) *float64 { return &d.Value }}
	pMin   = distParam{name: "min", doc: "lower bound (clamp); default 0", at: func(d *model.Dist) *float64 { return &d.Min }}
	pMax   = distParam{name: "max", doc: "upper bound (clamp); default 0, meaning none", at: func(d *model.Dist) *float64 { return &d.Max }}
	pMean  = distParam{name: "mean", required: true, doc: "the mean", at: func(d *model.Dist) *float64 { return &d.Mean }}
	pSD    = distParam{name: "sd", required: true, doc: "the standard deviation", at: func(d *model.Dist) *float64 { return &d.SD }}
	pMu    = distParam{name: "mu", required: true, logSpace: true, doc: "mean of the log", at: func(d *model.Dist) *float64 { return &d.Mu }}
	pSigma = distParam{name: "sigma", required: true, logSpace: true, doc: "standard deviation of the log", at: func(d *model.Dist) *float64 { return &d.Sigma }}
)

// distParams are the keys each model.DistKind takes, in the order
// Marshal writes them.
var distParams = [...][]distParam{
	model.DistFixed:       {pValue},
	model.DistUniform:     {pMin, {name: "max", required: true, doc: "upper bound", at: pMax.at}},
	model.DistNormal:      {pMean, pSD, pMin, pMax},
	model.DistLogNormal:   {pMu, pSigma, pMin, pMax},
	model.DistExponential: {pMean, pMin, pMax},
}

// distKeys is every key a distribution mapping may hold.
var distKeys = []string{"dist", "value", "min", "max", "mean", "sd", "mu", "sigma"}

// distKey is a population key holding a distribution of u: a number
// (fixed) or a mapping {dist: KIND, ...}.
func distKey(name string, u unit, def, doc string, at func(*model.Population) *model.Dist) key[model.Population] {
	return key[model.Population]{
		name: name, typ: "distribution of " + u.String() + ": a number (fixed) or {dist: KIND, ...}",
		def: def, doc: doc, required: def == "required",
		read: func(d *decoder, n *yaml.Node, path string, p *model.Population) {
			if v, ok := readDist(d, n, path, u); ok {
				*at(p) = v
			}
		},
		write: func(p *model.Population) *yaml.Node { return writeDist(*at(p)) },
	}
}

func readDist(d *decoder, n *yaml.Node, path string, u unit) (model.Dist, bool) {
	node := deref(n)
	if node != nil && node.Kind == yaml.ScalarNode {
		if t := node.ShortTag(); t != "!!int" && t != "!!float" {
			d.addf(path, "must be a number or a mapping {dist: KIND, ...}, got %s", describe(node))
			return model.Dist{}, false
		}
		v, ok := distValue(d, n, path, u, false)
		return model.Fixed(v), ok
	}
	m := d.entries(n, path, distKeys)
	if m == nil {
		return model.Dist{}, false
	}
	kindNode, ok := m["dist"]
	if !ok {
		d.addf(join(path, "dist"), "is required: one of %s", oneOf(model.DistNames))
		return model.Dist{}, false
	}
	kind, ok := d.choice(kindNode, join(path, "dist"), model.DistNames)
	if !ok {
		return model.Dist{}, false
	}
	return readDistParams(d, m, path, model.DistKind(kind), u)
}

func readDistParams(d *decoder, m map[string]*yaml.Node, path string, kind model.DistKind, u unit) (model.Dist, bool) {
	params := distParams[kind]
	good := true
	for _, name := range distKeys[1:] { // in a fixed order, for deterministic problems
		if _, present := m[name]; present && !takes(params, name) {
			d.addf(join(path, name), "is not a parameter of %s, which takes %s", kind, oneOf(paramNames(params)))
			good = false
		}
	}
	dist := model.Dist{Kind: kind}
	for _, p := range params {
		v, present := m[p.name]
		if !present {
			if p.required {
				d.addf(join(path, p.name), "is required by %s", kind)
				good = false
			}
			continue
		}
		f, ok := distValue(d, v, join(path, p.name), u, p.logSpace)
		*p.at(&dist) = f
		good = good && ok
	}
	return dist, good
}

// distValue decodes one value: an amount of KOII for a stake (so at most
// 9 decimals), a number of slots up to model.MaxRoundTime for a delay (a
// longer one is merely late, and a huge one would overflow a Slot), any
// finite number for a log-space parameter.
func distValue(d *decoder, n *yaml.Node, path string, u unit, logSpace bool) (float64, bool) {
	switch {
	case logSpace:
		return d.number(n, path)
	case u == koiiUnit:
		return d.koiiFloat(n, path)
	}
	v, ok := d.number(n, path)
	if ok && math.Abs(v) > float64(model.MaxRoundTime) {
		d.addf(path, "must be at most %d slots, got %v", model.MaxRoundTime, v)
		return 0, false
	}
	return v, ok
}

func takes(params []distParam, name string) bool {
	for _, p := range params {
		if p.name == name {
			return true
		}
	}
	return false
}

func paramNames(params []distParam) []string {
	out := make([]string, len(params))
	for i, p := range params {
		out[i] = p.name
	}
	return out
}

// writeDist writes a fixed distribution as a plain number and any other
// as a one-line mapping with every parameter of its kind.
func writeDist(dist model.Dist) *yaml.Node {
	if dist.Kind == model.DistFixed || int(dist.Kind) >= len(distParams) {
		return floatNode(dist.Value)
	}
	n := flow(mappingNode(textNode("dist"), textNode(dist.Kind.String())))
	for _, p := range distParams[dist.Kind] {
		n.Content = append(n.Content, textNode(p.name), floatNode(*p.at(&dist)))
	}
	return n
}
