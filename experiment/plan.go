package experiment

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/koiisim/koiisim/internal/input"
	"github.com/koiisim/koiisim/internal/shell"
	"github.com/koiisim/koiisim/scenarios"
	"github.com/koiisim/koiisim/sim"
)

// Spec is an experiment as a command line asks for it: a base scenario
// with its overrides, and changes to its sweep.
type Spec struct {
	// Base is the scenario resolved with Seed, Rounds and Sets; its
	// Source names the file or built-in each point is parsed from again.
	Base *scenarios.Scenario
	// Arg is the scenario as the user named it, for replay commands.
	Arg string
	// Seed and Rounds, when set, override the scenario's (--seed,
	// --rounds); they apply as the overrides seed=N and rounds=N before
	// Sets, so a sweep may still vary them.
	Seed   *uint64
	Rounds int
	// Sets are the user's --set overrides.
	Sets []string

	// Changes to the scenario's sweep: section. Vary, when not nil,
	// replaces its dimensions; Design, Points, Replicates and Metrics
	// replace the section's when set.
	Vary       []scenarios.Dimension
	Design     *scenarios.Design
	Points     int
	Replicates int
	Metrics    []string
	// Stop, when set, makes the replicates adaptive (RunAdaptive):
	// Replicates is then the least number run.
	Stop *StopRule
	// DryRun validates every point without hashing it (the hash, a
	// YAML rendering of the whole point, is most of a point's cost): the
	// plan can be printed, not run.
	DryRun bool
}

// Overrides returns the --set overrides that apply spec's seed, rounds
// and sets, in that order: what Base must be resolved with.
func (spec *Spec) Overrides() []string {
	var out []string
	if spec.Seed != nil {
		out = append(out, fmt.Sprintf("seed=%d", *spec.Seed))
	}
	if spec.Rounds != 0 {
		out = append(out, fmt.Sprintf("rounds=%d", spec.Rounds))
	}
	return append(out, spec.Sets...)
}

// Plan is an experiment ready to run: every point resolved, checked and
// hashed, so every cell's seed is known before any runs.
type Plan struct {
	Name, Description string
	ScenarioHash      string // scenarios.Hash of the base scenario
	Seed              uint64 // the base scenario's seed
	Rounds            int
	Sweep             scenarios.Sweep // the sweep as run, overrides applied
	Points            []Point
	Metrics           []string // metric paths the summary reports
	Classes           []string // the base scenario's classes
	DesignHash        string
	Stop              *StopRule // adaptive replicates; nil for a fixed number
	// Memory is the largest sim.EstimateMemory of the points: what one
	// worker needs.
	Memory uint64
	// ScenarioYAML is the base scenario with the sweep as run, as
	// `koiisim show` writes it: the output directory's scenario.yaml.
	ScenarioYAML []byte

	arg, source string
	src         *scenarios.Source // the base's text, parsed once for every point
	sets        []string          // every override of the base: seed, rounds, then the user's
	userSets    []string          // the user's --set overrides, for replay commands
}

// Point is one point of a sweep: a value per dimension and the hash of
// the scenario those values make, from which its cells' seeds derive.
type Point struct {
	Values []string
	Hash   string
}

// NewPlan applies spec's overrides to the base scenario's sweep, draws
// the design's points and resolves each as the base scenario with the
// point's values as extra --set overrides. A point that is no valid
// scenario, a bad sweep or an unknown metric is an *InputError.
func NewPlan(spec Spec) (*Plan, error) {
	base := spec.Base
	sw := scenarios.Sweep{Design: scenarios.DesignGrid, Replicates: scenarios.DefaultReplicates}
	if base.Sweep != nil {
		sw = *base.Sweep
	}
	if spec.Vary != nil {
		sw.Vary = spec.Vary
	}
	if spec.Design != nil {
		sw.Design = *spec.Design
		if sw.Design == scenarios.DesignGrid {
			sw.Points = 0
		}
	}
	if spec.Points > 0 {
		sw.Points = spec.Points
	}
	if spec.Replicates > 0 {
		sw.Replicates = spec.Replicates
	}
	if spec.Metrics != nil {
		sw.Metrics = spec.Metrics
	}
	if ps := sw.Validate(); len(ps) > 0 {
		lines := make([]string, len(ps))
		for i, p := range ps {
			lines[i] = "  " + p.Path + ": " + p.Msg
		}
		return nil, inputErrorf("the sweep is not valid:\n%s", strings.Join(lines, "\n"))
	}
	data, err := sourceOf(base)
	if err != nil {
		return nil, err
	}
	p := &Plan{
		Name: base.Name, Description: base.Description, ScenarioHash: scenarios.Hash(base),
		Seed: base.Seed, Rounds: base.Rounds, Sweep: sw, Classes: base.Config.Classes(),
		arg: spec.Arg, source: base.Source, src: scenarios.NewSource(data, base.Source), sets: spec.Overrides(), userSets: slices.Clone(spec.Sets), Stop: spec.Stop,
	}
	if p.Metrics, err = SelectMetrics(sw.Metrics, p.Classes); err != nil {
		return nil, err
	}
	if err := p.resolvePoints(spec.DryRun); err != nil {
		return nil, err
	}
	p.DesignHash = designHash(p.design())
	withSweep := *base
	withSweep.Sweep = &p.Sweep
	p.ScenarioYAML = scenarios.Marshal(&withSweep)
	return p, nil
}

// maxBadPoints bounds the invalid points one error lists.
const maxBadPoints = 5

// resolvePoints draws the design's points and checks each; unless
// dry, it hashes each and estimates its memory.
func (p *Plan) resolvePoints(dry bool) error {
	values := Points(&p.Sweep, p.Seed)
	p.Points = make([]Point, len(values))
	var bad []string
	nbad := 0
	for i, v := range values {
		p.Points[i].Values = v
		s, err := p.resolve(i)
		if err == nil {
			err = p.checkMetrics(s)
		}
		if err != nil {
			if nbad++; nbad <= maxBadPoints {
				bad = append(bad, fmt.Sprintf("sweep point %d (%s): %s", i, p.Describe(i), indentRest(err.Error())))
			}
			continue
		}
		if dry {
			continue
		}
		p.Points[i].Hash = scenarios.Hash(s)
		p.Memory = max(p.Memory, sim.EstimateMemory(&s.Config))
	}
	if nbad > 0 {
		if nbad > maxBadPoints {
			bad = append(bad, fmt.Sprintf("(and %d more invalid points)", nbad-maxBadPoints))
		}
		return inputErrorf("%d of %d sweep points are not valid scenarios:\n%s", nbad, len(values), strings.Join(bad, "\n"))
	}
	return nil
}

// checkMetrics makes sure every chosen metric exists in the point's run.
func (p *Plan) checkMetrics(s *scenarios.Scenario) error {
	classes := s.Config.Classes()
	for _, m := range p.Metrics {
		group, _, _ := strings.Cut(m, ".")
		if group != "run" && group != "total" && !slices.Contains(classes, group) {
			return fmt.Errorf("it has no class %q, which the metric %s needs; its classes are %s", group, m, strings.Join(classes, ", "))
		}
	}
	return nil
}

func indentRest(s string) string { return strings.ReplaceAll(s, "\n", "\n    ") }

// Dims returns the paths of the sweep's dimensions, in order.
func (p *Plan) Dims() []string {
	out := make([]string, len(p.Sweep.Vary))
	for i, d := range p.Sweep.Vary {
		out[i] = d.Path
	}
	return out
}

// PointSets returns the --set overrides that make point i.
func (p *Plan) PointSets(i int) []string {
	out := make([]string, len(p.Sweep.Vary))
	for d, v := range p.Points[i].Values {
		out[d] = p.Sweep.Vary[d].Path + "=" + v
	}
	return out
}

// Describe names point i by its values: "rules.slash_fraction=0.5,
// populations.auditors.count=20", or "the base scenario".
func (p *Plan) Describe(i int) string {
	if len(p.Sweep.Vary) == 0 {
		return "the base scenario"
	}
	return strings.Join(p.PointSets(i), ", ")
}

// resolve parses point i: the base scenario's text with the base
// overrides, then the point's.
func (p *Plan) resolve(i int) (*scenarios.Scenario, error) {
	s, _, err := p.src.Resolve(append(slices.Clone(p.sets), p.PointSets(i)...))
	return s, err
}

// Replicates is the number of replicates per point.
func (p *Plan) Replicates() int { return p.Sweep.Replicates }

// Cells is the number of (point, replicate) cells.
func (p *Plan) Cells() int { return len(p.Points) * p.Sweep.Replicates }

// Cell returns cell i: point i / replicates, replicate i % replicates.
func (p *Plan) Cell(i int) Cell {
	pt, r := i/p.Sweep.Replicates, i%p.Sweep.Replicates
	return Cell{Index: i, Point: pt, Replicate: r, Seed: CellSeed(p.Points[pt].Hash, r), PointHash: p.Points[pt].Hash}
}

// Replay returns the command that reruns cell c alone (rounds: its
// point's), as `koiisim run` writes its own: that run's outputs equal
// the cell's.
func (p *Plan) Replay(c Cell, rounds int) string {
	return ReplayCommand(p.arg, c.Seed, rounds, append(slices.Clone(p.userSets), p.PointSets(c.Point)...))
}

// ReplayCommand is the `koiisim run` command line that reproduces a run
// of the scenario arg with seed, rounds and the --set overrides sets.
func ReplayCommand(arg string, seed uint64, rounds int, sets []string) string {
	parts := []string{"koiisim", "run"}
	if arg != "" {
		parts = append(parts, arg)
	}
	parts = append(parts, "--seed", strconv.FormatUint(seed, 10), "--rounds", strconv.Itoa(rounds))
	for _, set := range sets {
		parts = append(parts, "--set", set)
	}
	return shell.Join(parts)
}

// sourceOf returns the text a scenario was parsed from, so that points
// are parsed from the same bytes.
func sourceOf(s *scenarios.Scenario) ([]byte, error) {
	if name, ok := strings.CutPrefix(s.Source, scenarios.BuiltinPrefix); ok {
		data, ok := scenarios.BuiltinSource(name)
		if !ok {
			return nil, fmt.Errorf("the built-in scenario %s has no source", name)
		}
		return data, nil
	}
	data, err := input.ReadFile(s.Source, scenarios.MaxFileSize)
	if err != nil {
		return nil, fmt.Errorf("reading the scenario again for the sweep points: %w", err)
	}
	return data, nil
}

// design records the plan's design, its stopping rule included.
func (p *Plan) design() *Design {
	d := DesignOf(&p.Sweep)
	d.Stop = p.Stop
	return &d
}

// designHash identifies a design: its kind, points, replicates,
// dimensions and stopping rule. With the scenario's hash (which holds
// the seed) it fixes every cell.
func designHash(d *Design) string {
	b, _ := json.Marshal(d)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
