package model

import (
	"fmt"
	"math"
)

// Config is everything the protocol needs to know about a task: its
// parameters, the rule options, the costs and the node populations.
type Config struct {
	Task        Task
	Rules       Rules
	Costs       Costs
	Populations []Population
	// Registry is where the populations' behaviour kinds are looked up;
	// nil is Default. Tests with kinds of their own set it.
	Registry *Registry
}

// Kinds returns the registry of the configuration's behaviour kinds.
func (c *Config) Kinds() *Registry {
	if c.Registry == nil {
		return Default
	}
	return c.Registry
}

// MaxNodes bounds a run's node count (memory is linear in it).
const MaxNodes = 10_000_000

// DefaultConfig returns the koii defaults with no populations.
func DefaultConfig() Config {
	return Config{Task: DefaultTask(), Rules: DefaultRules(), Costs: DefaultCosts()}
}

// Validate checks the whole configuration and returns every problem
// (problems) and every unwise but valid setting (warnings). Paths follow
// the scenario format, populations by index: "populations[1].count".
func (c *Config) Validate() (problems, warnings Problems) {
	warnings = c.Task.Validate(&problems)
	c.Rules.Validate(&problems)
	c.Costs.Validate(&problems)
	if len(c.Populations) == 0 {
		problems.Addf("populations", "a scenario needs at least one population of nodes")
	}
	names := map[string]int{}
	for i := range c.Populations {
		p := &c.Populations[i]
		path := fmt.Sprintf("populations[%d]", i)
		checkUniqueName(p, i, path, names, &problems)
		before := len(problems)
		p.validate(path, &problems)
		if len(problems) == before {
			c.checkStake(&problems, &warnings, p, path)
		}
		if !c.validateBehaviour(p, path, &problems) {
			continue
		}
		c.warnAlwaysLate(p, path, &warnings)
	}
	c.validateTotals(&problems, &warnings)
	return problems, warnings
}

// checkUniqueName checks population i's name: present, and not one an
// earlier population has (names maps each name to its first index).
func checkUniqueName(p *Population, i int, path string, names map[string]int, problems *Problems) {
	if p.Name == "" {
		problems.Addf(path+".name", "must not be empty")
	} else if j, dup := names[p.Name]; dup {
		problems.Addf(path+".name", "%q is already the name of populations[%d]", p.Name, j)
	} else {
		names[p.Name] = i
	}
}

// validate checks the population's own fields, each against its range.
func (p *Population) validate(path string, problems *Problems) {
	if p.Count < 0 || p.Count > MaxNodes {
		problems.Addf(path+".count", "must be in [0, %d], got %d", MaxNodes, p.Count)
	}
	p.Stake.Validate(problems, path+".stake")
	if p.Stake.Bound() > MaxROE.KOII() && p.Stake.Kind == DistFixed {
		problems.Addf(path+".stake", "must be at most %s KOII", MaxROE)
	}
	if p.Class == "run" || p.Class == "total" {
		problems.Addf(path+".class", "%q is reserved: metric paths use run.<metric> and total.<metric>", p.Class)
	}
	if int(p.Role) >= len(RoleNames) {
		problems.Addf(path+".role", "unknown role %d", p.Role)
	}
	if p.Balance < 0 {
		problems.Addf(path+".balance", "must not be negative, got %s", p.Balance)
	}
	p.SubmitDelay.Validate(problems, path+".submit_delay")
	p.AuditDelay.Validate(problems, path+".audit_delay")
	if p.Join < 0 {
		problems.Addf(path+".join", "must not be negative, got %d", p.Join)
	}
	if p.Stop != 0 && p.Stop <= p.Join {
		problems.Addf(path+".stop", "must be after join (%d), got %d", p.Join, p.Stop)
	}
}

// validateBehaviour checks the population's behaviour: a registered
// kind, every parameter it declares present and in range, none it does
// not declare, then the kind's own cross-parameter check. It reports
// false when the kind is unknown.
func (c *Config) validateBehaviour(p *Population, path string, problems *Problems) bool {
	k, ok := c.Kinds().Lookup(p.Behaviour.Kind)
	if !ok {
		problems.Addf(path+".behaviour", "unknown behaviour %q", p.Behaviour.Kind)
		return false
	}
	before := len(*problems)
	for _, s := range k.Params {
		v, ok := p.Behaviour.Params[s.Name]
		if !ok {
			problems.Addf(path+".behaviour."+s.Name, "missing (a programming error: defaults are filled in on load)")
			continue
		}
		checkParam(problems, path+".behaviour."+s.Name, s, v)
	}
	for name := range p.Behaviour.Params {
		if _, ok := k.Spec(name); !ok {
			problems.Addf(path+".behaviour."+name, "behaviour %s has no parameter %q", k.Name, name)
		}
	}
	// Cross-parameter checks may assume each parameter has its type.
	if k.Validate != nil && len(*problems) == before {
		k.Validate(p.Behaviour.Params, path+".behaviour", problems)
	}
	return true
}

// warnAlwaysLate warns when a worker population's smallest submit delay
// is past the submission window: every proof of it will be late.
func (c *Config) warnAlwaysLate(p *Population, path string, warnings *Problems) {
	least := p.SubmitDelay.Min // the smallest delay a draw yields
	if p.SubmitDelay.Kind == DistFixed {
		least = p.SubmitDelay.Value
	}
	if p.Role == RoleWorker && least >= float64(c.Task.SubmissionWindow) && c.Task.SubmissionWindow > 0 {
		warnings.Addf(path+".submit_delay", "its minimum %v is past the submission window (%d slots): every proof will be late", least, c.Task.SubmissionWindow)
	}
}

// validateTotals checks what the populations add up to: the money they
// can draw, the node count (counting only counts in range), and warns
// when no population works.
func (c *Config) validateTotals(problems, warnings *Problems) {
	total, workers := 0, 0
	for i := range c.Populations {
		p := &c.Populations[i]
		if p.Count < 0 || p.Count > MaxNodes {
			continue
		}
		total += p.Count
		if p.Role == RoleWorker {
			workers += p.Count
		}
	}
	if supply, bounded := c.worstSupply(); bounded && supply > float64(MaxSupply) {
		problems.Addf("populations", "the largest stakes and balances the populations can draw, with total_bounty, add up to %.0f KOII, above the limit of %s KOII that keeps sums of money from overflowing", supply/float64(PerKOII), MaxSupply)
	}
	if total == 0 && len(c.Populations) > 0 {
		problems.Addf("populations", "a scenario needs at least one node; every count is zero")
	} else if total > MaxNodes {
		problems.Addf("populations", "%d nodes in all is above the limit of %d", total, MaxNodes)
	}
	if workers == 0 && total > 0 {
		warnings.Addf("populations", "no population has role worker: nothing will be submitted or paid")
	}
	c.warnSampleClamped(workers, warnings)
	c.checkGrindWork(problems)
}

// checkGrindWork bounds the selection work of grinding: each variant a
// node grinds is a score draw when a builder is selected, so the
// grinders' counts times their grind are the draws of a selection.
func (c *Config) checkGrindWork(problems *Problems) {
	var draws int64
	for i := range c.Populations {
		p := &c.Populations[i]
		g, ok := p.Behaviour.Params[GrindParam].(int)
		if !ok || g < 0 || g > MaxGrind || p.Count <= 0 || p.Count > MaxNodes {
			continue
		}
		if draws += int64(p.Count) * int64(g); draws > MaxGrindPerCycle {
			problems.Addf(fmt.Sprintf("populations[%d].behaviour.%s", i, GrindParam), "%d nodes grinding %d variants make, with the populations before, %d score draws a cycle, above the limit of %d (MaxGrindPerCycle); lower grind or count", p.Count, g, draws, MaxGrindPerCycle)
			return
		}
	}
}

// warnSampleClamped warns when audit_sample is more than an auditor can
// draw: all N submissions (koii sampling, docs/model.md §3) or the N-1
// others; the sample is clamped to them, as "all" does.
func (c *Config) warnSampleClamped(workers int, warnings *Problems) {
	pool := workers
	if c.Rules.AuditSampling == SampleOthers {
		pool = workers - 1
	}
	if r := c.Rules.AuditSample; r != SampleAll && workers > 0 && r > pool {
		warnings.Addf("rules.audit_sample", "%d is more than the %d submissions an auditor can sample (%d workers): each audit samples all of them, as \"all\" does (clamped)", r, pool, workers)
	}
}

// checkStake adds what a population's stake distribution rules out: a
// median stake so large that the population alone passes the supply
// limit (the run would stop at its first draws), and, as a warning,
// stakes that can never reach minimum_stake (docs/model.md §5: such nodes
// never submit or vote, and are paid nothing).
func (c *Config) checkStake(problems, warnings *Problems, p *Population, path string) {
	if p.Count == 0 {
		return
	}
	// Bounded distributions are checked at their bound with the rest
	// (worstSupply); an unbounded one at its median.
	if med := p.Stake.Median(); math.IsInf(p.Stake.Bound(), 1) && med*float64(p.Count) > MaxSupply.KOII() {
		problems.Addf(path+".stake", "its median is %.4g KOII, so %d nodes hold about %.4g KOII, above the limit of %s KOII that keeps sums of money from overflowing; lower the stake (for lognormal, mu is the log of the median)",
			med, p.Count, med*float64(p.Count), MaxSupply)
		return
	}
	if p.Role != RoleWorker {
		return
	}
	stake := p.Stake.Bound()
	if purse, ok := p.Behaviour.Params["purse"].(ROE); ok && purse > 0 {
		stake = (purse/ROE(p.Count) + purse%ROE(p.Count)).KOII() // a purse split over the nodes (whale)
	}
	if stake < c.Task.MinimumStake.KOII() {
		warnings.Addf(path+".stake", "at most %v KOII, below task.minimum_stake (%s KOII): these %d nodes never submit or vote and are paid nothing", stake, c.Task.MinimumStake, p.Count)
	}
}

// MaxSupply bounds all the money of a run, in ROE (2^62, about 4.6
// billion KOII): every sum of money then fits an int64. The engine
// checks the drawn amounts; Validate checks the worst case when every
// stake distribution is bounded.
const MaxSupply = ROE(1) << 62

// worstSupply returns the most money, in KOII, the config can bring into
// a run, and whether every stake distribution is bounded.
func (c *Config) worstSupply() (float64, bool) {
	s := c.Task.TotalBounty.KOII()
	for _, p := range c.Populations {
		b := p.Stake.Bound()
		if math.IsInf(b, 1) {
			return 0, false
		}
		s += float64(p.Count) * (b + p.Balance.KOII())
	}
	return s * float64(PerKOII), true
}

func checkParam(p *Problems, path string, s ParamSpec, v any) {
	switch s.Kind {
	case ParamProb:
		f, ok := v.(float64)
		if !ok || !(f >= 0 && f <= 1) {
			p.Addf(path, "must be a probability in [0, 1], got %v", v)
		}
	case ParamFloat:
		f, ok := v.(float64)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
			p.Addf(path, "must be a finite non-negative number, got %v", v)
		}
	case ParamInt:
		i, ok := v.(int)
		if !ok || i < 0 {
			p.Addf(path, "must be a non-negative whole number, got %v", v)
		}
	case ParamBool:
		if _, ok := v.(bool); !ok {
			p.Addf(path, "must be true or false, got %v", v)
		}
	case ParamAmount:
		a, ok := v.(ROE)
		if !ok || a < 0 {
			p.Addf(path, "must be a non-negative amount of KOII, got %v", v)
		}
	}
}

// WithoutAttackers returns a copy of c without the populations whose
// behaviour is an attacker (Kind.Attacker), and whether it removed any:
// the counterfactual a run's "rewards lost to attackers" compares with.
// It is nil when only attackers were left.
func (c *Config) WithoutAttackers() (*Config, bool) {
	out := *c
	out.Populations = nil
	removed := false
	for _, p := range c.Populations {
		if k, ok := c.Kinds().Lookup(p.Behaviour.Kind); ok && k.Attacker {
			removed = true
			continue
		}
		out.Populations = append(out.Populations, p)
	}
	if !removed {
		return c, false
	}
	n := 0
	for _, p := range out.Populations {
		n += p.Count
	}
	if n == 0 {
		return nil, true
	}
	return &out, true
}

// HonestClasses reports, by class in the order of Classes, whether
// every population of the class has an honest kind (Kind.Honest).
func (c *Config) HonestClasses() []bool {
	var honest []bool
	index := map[string]int{}
	for i := range c.Populations {
		p := &c.Populations[i]
		k, ok := c.Kinds().Lookup(p.Behaviour.Kind)
		h := ok && k.Honest
		ci, seen := index[p.ClassName()]
		if !seen {
			index[p.ClassName()] = len(honest)
			honest = append(honest, h)
			continue
		}
		honest[ci] = honest[ci] && h
	}
	return honest
}

// Classes lists the reporting classes in the order runs number them:
// first appearance among the populations.
func (c *Config) Classes() []string {
	var names []string
	seen := map[string]bool{}
	for i := range c.Populations {
		if n := c.Populations[i].ClassName(); !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	return names
}
