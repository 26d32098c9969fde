package model

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// validConfig returns a configuration that validates cleanly: the koii
// defaults, three honest nodes and two faulty ones, audited two at a time
// (the default five would be clamped to the four others).
func validConfig() Config {
	c := DefaultConfig()
	c.Rules.AuditSample = 2
	faulty, _ := LookupKind("faulty")
	c.Populations = []Population{
		{
			Name: "honest", Count: 3, Stake: Fixed(2), Balance: PerKOII,
			Behaviour:   BehaviourSpec{Kind: "honest"},
			SubmitDelay: Uniform(0, 100), AuditDelay: Uniform(0, 500),
		},
		{
			Name: "faulty", Count: 2, Stake: Uniform(1.9, 5), Balance: PerKOII,
			Behaviour:   BehaviourSpec{Kind: "faulty", Params: faulty.DefaultParams()},
			SubmitDelay: Fixed(10), AuditDelay: Fixed(10), Join: 2, Stop: 9,
		},
	}
	return c
}

// TestConfigValidateNamesEachProblem checks that Config.Validate reports
// every bad field of a scenario by its exact path, populations by index
// (docs/model.md §2, §6; STYLE.md, Boundaries).
func TestConfigValidateNamesEachProblem(t *testing.T) {
	tests := []struct {
		name string
		edit func(c *Config)
		want []string
	}{
		{"valid", func(c *Config) {}, nil},
		{"no population", func(c *Config) { c.Populations = nil }, []string{"populations"}},
		{"zero nodes", func(c *Config) { c.Populations[0].Count, c.Populations[1].Count = 0, 0 }, []string{"populations"}},
		{"one empty population", func(c *Config) { c.Populations[1].Count = 0 }, nil},
		{"negative count", func(c *Config) { c.Populations[1].Count = -1 }, []string{"populations[1].count"}},
		{"count above MaxNodes", func(c *Config) { c.Populations[1].Count = MaxNodes + 1 }, []string{"populations[1].count"}},
		{"total above MaxNodes", func(c *Config) { c.Populations[0].Count, c.Populations[1].Count = MaxNodes, 1 }, []string{"populations"}},
		{"unknown behaviour", func(c *Config) { c.Populations[1].Behaviour.Kind = "no-such-kind" }, []string{"populations[1].behaviour"}},
		{"duplicate names", func(c *Config) { c.Populations[1].Name = "honest" }, []string{"populations[1].name"}},
		{"empty name", func(c *Config) { c.Populations[0].Name = "" }, []string{"populations[0].name"}},
		{"stop = join", func(c *Config) { c.Populations[1].Join, c.Populations[1].Stop = 5, 5 }, []string{"populations[1].stop"}},
		{"stop < join", func(c *Config) { c.Populations[1].Join, c.Populations[1].Stop = 5, 4 }, []string{"populations[1].stop"}},
		{"negative stop", func(c *Config) { c.Populations[1].Join, c.Populations[1].Stop = 0, -1 }, []string{"populations[1].stop"}},
		{"never stops", func(c *Config) { c.Populations[1].Join, c.Populations[1].Stop = 7, 0 }, nil},
		{"negative join", func(c *Config) { c.Populations[0].Join = -1 }, []string{"populations[0].join"}},
		{"negative balance", func(c *Config) { c.Populations[0].Balance = -1 }, []string{"populations[0].balance"}},
		{"uniform max < min", func(c *Config) { c.Populations[0].Stake = Uniform(3, 2) }, []string{"populations[0].stake.max"}},
		{"unknown dist", func(c *Config) { c.Populations[0].Stake.Kind = 9 }, []string{"populations[0].stake.dist"}},
		{"fixed NaN", func(c *Config) { c.Populations[0].Stake = Fixed(math.NaN()) }, []string{"populations[0].stake.value"}},
		{"fixed negative", func(c *Config) { c.Populations[0].Stake = Fixed(-1) }, []string{"populations[0].stake.value"}},
		{"stake above MaxROE", func(c *Config) { c.Populations[0].Stake = Fixed(2e9) }, []string{"populations", "populations[0].stake"}},
		{"reserved class", func(c *Config) { c.Populations[0].Class = "total" }, []string{"populations[0].class"}},
		{"money beyond MaxSupply", func(c *Config) { c.Populations[0].Count = 5; c.Populations[0].Stake = Fixed(1e9) }, []string{"populations"}},
		{"normal negative sd", func(c *Config) {
			c.Populations[0].SubmitDelay = Dist{Kind: DistNormal, Mean: 5, SD: -1}
		}, []string{"populations[0].submit_delay.sd"}},
		{"normal max < min", func(c *Config) {
			c.Populations[0].SubmitDelay = Dist{Kind: DistNormal, Mean: 5, SD: 1, Min: 4, Max: 3}
		}, []string{"populations[0].submit_delay.max"}},
		{"lognormal infinite mu", func(c *Config) {
			c.Populations[1].Stake = Dist{Kind: DistLogNormal, Mu: math.Inf(1), Sigma: 1}
		}, []string{"populations[1].stake.mu"}},
		{"exponential zero mean", func(c *Config) {
			c.Populations[0].AuditDelay = Dist{Kind: DistExponential, Mean: 0}
		}, []string{"populations[0].audit_delay.mean"}},
		{"exponential negative min", func(c *Config) {
			c.Populations[0].AuditDelay = Dist{Kind: DistExponential, Mean: 3, Min: -1}
		}, []string{"populations[0].audit_delay.min"}},
		{"probability above 1", func(c *Config) { c.Populations[1].Behaviour.Params["invalid"] = 1.5 }, []string{"populations[1].behaviour.invalid"}},
		{"negative probability", func(c *Config) { c.Populations[1].Behaviour.Params["offline"] = -0.1 }, []string{"populations[1].behaviour.offline"}},
		{"parameter of the wrong type", func(c *Config) { c.Populations[1].Behaviour.Params["invalid"] = 1 }, []string{"populations[1].behaviour.invalid"}},
		{"missing parameter", func(c *Config) { delete(c.Populations[1].Behaviour.Params, "offline") }, []string{"populations[1].behaviour.offline"}},
		{"task and rules too", func(c *Config) {
			c.Task.RoundTime, c.Rules.ClaimEvery, c.Costs.TxFee = 1000, 0, -1
		}, []string{"task.round_time", "rules.claim_every", "costs.tx_fee"}},
		{"all at once", func(c *Config) {
			c.Populations[0].Name = ""
			c.Populations[0].Stake = Uniform(3, 2)
			c.Populations[1].Behaviour.Params["invalid"] = 2.0
			c.Populations[1].Stop = 1
		}, []string{"populations[0].name", "populations[0].stake.max", "populations[1].behaviour.invalid", "populations[1].stop"}},
	}
	for _, tt := range tests {
		c := validConfig()
		tt.edit(&c)
		problems, _ := c.Validate()
		wantPaths(t, tt.name, problems, tt.want...)
	}
}

// TestConfigDuplicateNameNamesTheFirst checks that a duplicate
// population name points at the population that has it first.
func TestConfigDuplicateNameNamesTheFirst(t *testing.T) {
	c := validConfig()
	c.Populations = append(c.Populations, c.Populations[0])
	problems, _ := c.Validate()
	wantPaths(t, "third population named honest", problems, "populations[2].name")
	if len(problems) == 1 && !strings.Contains(problems[0].Msg, "populations[0]") {
		t.Errorf("problem %q does not name populations[0]", problems[0])
	}
}

// TestConfigWarnings checks the valid but unwise settings: no worker
// (nothing is ever submitted) and a submit delay whose smallest value is
// past the submission window, so every proof is late (docs/model.md §3:
// a proof that would land after the window is missing).
func TestConfigWarnings(t *testing.T) {
	tests := []struct {
		name  string
		delay Dist
		role  Role
		want  []string
	}{
		{"valid", Uniform(0, 100), RoleWorker, nil},
		{"auditors only", Uniform(0, 100), RoleAuditor, []string{"populations"}},
		{"uniform from the window's end", Uniform(600, 700), RoleWorker, []string{"populations[0].submit_delay"}},
		{"uniform from the window's last slot", Uniform(599.5, 700), RoleWorker, nil},
		{"normal clamped past the window", Dist{Kind: DistNormal, Mean: 700, SD: 5, Min: 650}, RoleWorker, []string{"populations[0].submit_delay"}},
		{"fixed at the window's end", Fixed(600), RoleWorker, []string{"populations[0].submit_delay"}},
		{"fixed past the window", Fixed(5000), RoleWorker, []string{"populations[0].submit_delay"}},
		{"fixed in the window's last slot", Fixed(599), RoleWorker, nil},
	}
	for _, tt := range tests {
		c := validConfig()
		c.Populations = c.Populations[:1]
		c.Populations[0].SubmitDelay, c.Populations[0].Role = tt.delay, tt.role
		problems, warnings := c.Validate()
		if len(problems) != 0 {
			t.Errorf("%s: problems %v", tt.name, problems)
		}
		wantPaths(t, tt.name+": warnings", warnings, tt.want...)
	}
	// The task's own warnings come through Config.Validate.
	c := validConfig()
	c.Task.SubmissionWindow = 100
	_, warnings := c.Validate()
	wantPaths(t, "short submission window", warnings, "task.submission_window")
}

// TestCheckParamKinds checks the range of each behaviour parameter kind
// (docs/model.md §6: behaviours take typed parameters).
func TestCheckParamKinds(t *testing.T) {
	tests := []struct {
		kind ParamKind
		v    any
		ok   bool
	}{
		{ParamProb, 0.0, true},
		{ParamProb, 1.0, true},
		{ParamProb, 1.01, false},
		{ParamProb, math.NaN(), false},
		{ParamProb, 1, false}, // an int is not a float64
		{ParamFloat, 1e6, true},
		{ParamFloat, -1.0, false},
		{ParamFloat, math.Inf(1), false},
		{ParamInt, 0, true},
		{ParamInt, -1, false},
		{ParamInt, 1.0, false},
		{ParamBool, true, true},
		{ParamBool, "yes", false},
		{ParamAmount, ROE(0), true},
		{ParamAmount, ROE(-1), false},
		{ParamAmount, int64(5), false},
	}
	for _, tt := range tests {
		var p Problems
		checkParam(&p, "x.p", ParamSpec{Name: "p", Kind: tt.kind}, tt.v)
		want := []string{"x.p"}
		if tt.ok {
			want = nil
		}
		wantPaths(t, fmt.Sprintf("%s %#v", ParamKindNames[tt.kind], tt.v), p, want...)
	}
}

// TestPopulationActiveRounds checks that a population takes part in
// rounds [join, stop), stop 0 meaning never (docs/model.md §5, §6).
func TestPopulationActiveRounds(t *testing.T) {
	p := Population{Join: 2, Stop: 5}
	for r, want := range []bool{false, false, true, true, true, false, false} {
		if got := p.Active(r); got != want {
			t.Errorf("join 2, stop 5: Active(%d) = %v, want %v", r, got, want)
		}
	}
	p = Population{Join: 3}
	if p.Active(2) || !p.Active(3) || !p.Active(1_000_000) {
		t.Error("join 3, never stops: want active from round 3 on")
	}
}

// TestCanTakePartNeedsMinimumStake checks that a node whose stake is
// below minimum_stake can no longer take part, and that a node with no
// stake never can (docs/model.md §5).
func TestCanTakePartNeedsMinimumStake(t *testing.T) {
	task := DefaultTask()
	tests := []struct {
		min, stake ROE
		want       bool
	}{
		{task.MinimumStake, task.MinimumStake, true},
		{task.MinimumStake, task.MinimumStake - 1, false},
		{task.MinimumStake, 100 * PerKOII, true},
		{0, 0, false},
		{0, 1, true},
	}
	for _, tt := range tests {
		task.MinimumStake = tt.min
		n := Node{Stake: tt.stake}
		if got := n.CanTakePart(&task); got != tt.want {
			t.Errorf("minimum %s, stake %s: CanTakePart = %v, want %v", tt.min, tt.stake, got, tt.want)
		}
	}
}

// distCases are distributions of every kind, with clamps that bind.
var distCases = []struct {
	name string
	d    Dist
}{
	{"fixed", Fixed(7.5)},
	{"uniform", Uniform(3, 7)},
	{"uniform point", Uniform(4, 4)},
	{"normal clamped both sides", Dist{Kind: DistNormal, Mean: 5, SD: 10, Min: 0, Max: 8}},
	{"normal below its min", Dist{Kind: DistNormal, Mean: -5, SD: 1}},
	{"lognormal clamped", Dist{Kind: DistLogNormal, Mu: 0, Sigma: 2, Min: 0.5, Max: 3}},
	{"lognormal unbounded", Dist{Kind: DistLogNormal, Mu: 1, Sigma: 1}},
	{"exponential clamped", Dist{Kind: DistExponential, Mean: 50, Min: 10, Max: 60}},
	{"exponential unbounded", Dist{Kind: DistExponential, Mean: 50, Min: 10}},
}

// TestDistDrawsStayInBounds checks that every kind's draws stay in [Min,
// Max] (Max 0: no upper bound) and under Bound, so a tail never yields a
// negative delay or stake; fixed always yields its value.
func TestDistDrawsStayInBounds(t *testing.T) {
	for i, tt := range distCases {
		r := newRand(40 + uint64(i))
		var p Problems
		tt.d.Validate(&p, "d")
		if len(p) != 0 {
			t.Fatalf("%s: invalid test case: %v", tt.name, p)
		}
		hi := tt.d.Bound()
		for k := 0; k < 20000; k++ {
			v := tt.d.Draw(r)
			if tt.d.Kind == DistFixed && v != tt.d.Value ||
				tt.d.Kind != DistFixed && (v < tt.d.Min || v > hi || tt.d.Max > 0 && v > tt.d.Max) ||
				math.IsNaN(v) {
				t.Fatalf("%s [seed %#x]: draw %d = %v, outside [%v, %v]", tt.name, testSeed, k, v, tt.d.Min, hi)
			}
		}
	}
}

// TestDistMeansWithinFourStandardErrors checks each kind's sample mean
// over 100k seeded draws against its ExpectedValue, with a tolerance of
// four standard errors of that kind's standard deviation (unclamped
// cases, where the expectation is exact).
func TestDistMeansWithinFourStandardErrors(t *testing.T) {
	const n = 100_000
	tests := []struct {
		name string
		d    Dist
		sd   float64
	}{
		{"uniform", Uniform(10, 250), 240 / math.Sqrt(12)},
		{"normal", Dist{Kind: DistNormal, Mean: 1000, SD: 10}, 10},
		{"exponential", Dist{Kind: DistExponential, Mean: 20, Min: 5}, 20},
		{"lognormal", Dist{Kind: DistLogNormal, Mu: 1, Sigma: 0.5},
			math.Sqrt((math.Exp(0.25) - 1) * math.Exp(2+0.25))},
	}
	for i, tt := range tests {
		r := newRand(50 + uint64(i))
		var sum float64
		for range n {
			sum += tt.d.Draw(r)
		}
		within4SE(t, tt.name, sum/n, tt.d.ExpectedValue(), tt.sd, n)
	}
	// The uniform's spread, too: its variance is (max-min)^2/12.
	r := newRand(59)
	d := Uniform(0, 1)
	var sum, sum2 float64
	for range n {
		v := d.Draw(r)
		sum += v
		sum2 += v * v
	}
	mean := sum / n
	// The sample variance of U(0,1) has sd sqrt(1/180)/sqrt(n) ≈ sqrt(Var((U-½)²)).
	within4SE(t, "uniform variance", sum2/n-mean*mean, 1.0/12, math.Sqrt(1.0/180), n)
}

// TestSlotsFloors checks that a delay in slots is the draw floored to a
// whole slot, and an amount the draw in KOII rounded to the nearest ROE and
// capped at MaxROE (docs/model.md §1: time in whole slots, money in ROE).
func TestSlotsFloors(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want Slot
	}{{2.9, 2}, {3, 3}, {0.999, 0}, {599.99, 599}} {
		if got := Fixed(tt.v).Slots(nil); got != tt.want {
			t.Errorf("Fixed(%v).Slots = %d, want %d", tt.v, got, tt.want)
		}
	}
	a, b := newRand(60), newRand(60)
	d := Uniform(0, 50)
	for k := 0; k < 10000; k++ {
		if s, v := d.Slots(a), d.Draw(b); s != Slot(math.Floor(v)) {
			t.Fatalf("draw %d: Slots = %d, draw was %v", k, s, v)
		}
	}
	for _, tt := range []struct {
		v    float64
		want ROE
	}{{2, 2 * PerKOII}, {0.5, PerKOII / 2}, {1.4e-9, 1}, {0.4e-9, 0}, {526.214093084, 526_214_093_084}, {2e9, MaxROE}, {1e9, MaxROE}} {
		if got := Fixed(tt.v).Amount(nil); got != tt.want {
			t.Errorf("Fixed(%v KOII).Amount = %d ROE, want %d", tt.v, got, tt.want)
		}
	}
}

// TestHonestClassesComeFromTheRegistry: a class is honest when every
// population of it has a kind marked Honest, whatever the class is
// called; one population of another kind makes its class not honest.
func TestHonestClassesComeFromTheRegistry(t *testing.T) {
	c := validConfig()
	whale, _ := LookupKind("whale")
	c.Populations[0].Class = "slow"       // honest kind, any name
	c.Populations[1].Class = "honest-bad" // faulty kind, an honest-sounding name
	c.Populations = append(c.Populations,
		Population{Name: "evil", Class: "honest-evil", Behaviour: BehaviourSpec{Kind: "whale", Params: whale.DefaultParams()}},
		Population{Name: "more-slow", Class: "slow", Behaviour: BehaviourSpec{Kind: "honest"}},
		Population{Name: "mixed-a", Class: "mixed", Behaviour: BehaviourSpec{Kind: "honest"}},
		Population{Name: "mixed-b", Class: "mixed", Behaviour: BehaviourSpec{Kind: "faulty"}},
	)
	got := c.HonestClasses()
	want := []bool{true, false, false, false} // slow, honest-bad, honest-evil, mixed
	if fmt.Sprint(c.Classes()) != "[slow honest-bad honest-evil mixed]" || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("classes %v honest %v, want %v", c.Classes(), got, want)
	}
}
