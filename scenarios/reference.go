package scenarios

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/koiisim/koiisim/model"
)

// Reference returns the scenario format's reference in Markdown: every
// key with its type, default, range and meaning, the distributions, and
// every registered behaviour kind with its parameters. It is generated
// from the same tables the decoder uses, so it cannot drift from it.
func Reference() string {
	var b strings.Builder
	b.WriteString(`# Scenario format

A scenario is one YAML document. Keys are strict: an unknown key, a value
of the wrong type, a repeated key, NaN or infinity is an error, and every
error is reported at once with its file, line and column. Amounts are in
KOII, written as decimals with at most 9 decimals (1 ROE = 0.000000001
KOII); times are in slots (about 0.4 s each). Anchors and aliases
(` + "`&name`, `*name`" + `) work; merge keys (` + "`<<`" + `) do not.

Any key can be overridden from the command line with
` + "`--set PATH=VALUE`" + `: PATH is the keys joined by dots, a population
is named by its name or its index (` + "`populations.honest.count=500`" + `,
` + "`populations.0.count=500`" + `), and VALUE is a YAML value
(` + "`--set 'populations.honest.stake={dist: uniform, min: 2, max: 5}'`" + `).
A key the file leaves out is created. Setting one parameter of a short
form turns it into the long form: ` + "`populations.honest.behaviour.invalid=0.1`" + `
on ` + "`behaviour: faulty`" + ` gives ` + "`{kind: faulty, invalid: 0.1}`" + `.

`)
	def := defaultScenario()
	section(&b, "Top level", "", topKeys, &def)
	section(&b, "task", "The task's parameters, as its creator sets them on K2.", taskKeys, &def.Config.Task)
	section(&b, "rules", "The rule options where Koii's sources differ; the defaults are the koii rule set.", rulesKeys, &def.Config.Rules)
	section(&b, "costs", "Fees and off-chain costs.", costsKeys, &def.Config.Costs)
	pop := defaultPopulation(&def.Config.Task)
	section(&b, "populations", "Each item of the list describes a group of alike nodes.", populationKeys, &pop)
	sw := defaultSweep()
	section(&b, "sweep", sweepIntro, sweepKeys, &sw)
	section(&b, "sweep.vary", "Each item is one field to vary: a list of `values`, or a range `from`, `to` (with `steps` for a grid).", dimensionKeys, &Dimension{})
	section(&b, "assert", assertIntro, assertionKeys, &Assertion{})
	eq := defaultEquilibrium()
	section(&b, "equilibrium", equilibriumIntro, equilibriumKeys, &eq)
	distributions(&b)
	behaviours(&b)
	return b.String()
}

const assertIntro = "A list of checks that `koiisim run` and `koiisim sweep` evaluate after running: each prints PASS or FAIL with the observed value, and any FAIL makes the exit code 3. " +
	"An unknown metric path is an error at load time (exit 2) that lists the paths near it. Example:\n\n" +
	"```yaml\nassert:\n  - {name: the whale loses money, metric: whale.net_profit, op: '<', value: 0, stat: ci_high}\n  - {name: no valid proof slashed, metric: honest.false_slash_rate, op: '==', value: 0}\n```"

const sweepIntro = "`koiisim sweep` runs every point of the sweep `replicates` times; `koiisim run` ignores this section. " +
	"A point applies its values as `--set PATH=VALUE` overrides, so every point is checked like a file, and problems name the point. " +
	"Each run's seed derives from the resolved point's hash and the replicate index, so a point's results do not depend on the rest of the sweep. " +
	"The command line can replace the section: `--sweep PATH=V1,V2,...`, `--sweep PATH=LO:HI:STEPS` (or `LO:HI` for random and lhs), " +
	"`--design`, `--points`, `--replicates`, `--metrics`. Example:\n\n" +
	"```yaml\nsweep:\n  design: grid\n  replicates: 10\n  vary:\n    - {path: rules.audit_sample, values: [1, 2, 5]}\n    - {path: rules.slash_fraction, from: 0.1, to: 0.9, steps: 5}\n```"

// section writes a table of keys, their defaults taken from def.
func section[T any](b *strings.Builder, title, intro string, keys []key[T], def *T) {
	fmt.Fprintf(b, "## %s\n\n", title)
	if intro != "" {
		b.WriteString(intro + "\n\n")
	}
	b.WriteString("| key | type | default | range | meaning |\n|---|---|---|---|---|\n")
	for _, k := range keys {
		d := k.def
		if d == "" {
			d = "`" + inline(k.write(def)) + "`"
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s | %s |\n", k.name, cell(k.typ), cell(d), cell(k.rng), cell(k.doc))
	}
	b.WriteString("\n")
}

func distributions(b *strings.Builder) {
	b.WriteString(`## Distributions

A stake or a delay is a number (always that value) or a mapping with
` + "`dist:`" + ` and the keys of its kind; a key the kind does not take is an
error. Draws are clamped to [min, max]; max 0 means no upper bound. Stakes
are in KOII and rounded to the nearest ROE; delays are in slots and floored to whole
slots.

| dist | keys (required in bold) | draws |
|---|---|---|
`)
	draws := map[model.DistKind]string{
		model.DistFixed:       "always value",
		model.DistUniform:     "uniform on [min, max]",
		model.DistNormal:      "Normal(mean, sd), clamped",
		model.DistLogNormal:   "exp(Normal(mu, sigma)), clamped; mu and sigma are of the log, plain numbers even for a stake",
		model.DistExponential: "min + Exponential(mean), clamped to max",
	}
	for k, params := range distParams {
		var keys []string
		for _, p := range params {
			name := "`" + p.name + "`"
			if p.required {
				name = "**" + name + "**"
			}
			keys = append(keys, name)
		}
		kind := model.DistKind(k)
		fmt.Fprintf(b, "| `%s` | %s | %s |\n", kind, strings.Join(keys, ", "), draws[kind])
	}
	b.WriteString("\n")
}

func behaviours(b *strings.Builder) {
	b.WriteString("## Behaviours\n\n" +
		"`behaviour:` is a kind's name, or a mapping `{kind: NAME, PARAM: VALUE, ...}`; " +
		"a parameter left out takes its default, an unknown one is an error.\n\n")
	for _, k := range model.Kinds() {
		fmt.Fprintf(b, "### %s\n\n%s\n\n", k.Name, k.Doc)
		if len(k.Params) == 0 {
			b.WriteString("No parameters.\n\n")
			continue
		}
		b.WriteString("| param | type | default | meaning |\n|---|---|---|---|\n")
		for _, s := range k.Params {
			typ := "?"
			if int(s.Kind) < len(model.ParamKindNames) {
				typ = model.ParamKindNames[s.Kind]
			}
			fmt.Fprintf(b, "| `%s` | %s | `%s` | %s |\n", s.Name, typ, paramNode(s.Default).Value, cell(s.Doc))
		}
		b.WriteString("\n")
	}
}

// inline renders a written value on one line: a scalar as itself, a
// mapping as {k: v, ...}.
func inline(n *yaml.Node) string {
	if n.Kind != yaml.MappingNode {
		return n.Value
	}
	var parts []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		parts = append(parts, n.Content[i].Value+": "+inline(n.Content[i+1]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// cell escapes text for a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
