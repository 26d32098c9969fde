package sim

import (
	"errors"
	"fmt"

	"github.com/koiisim/koiisim/model"
)

// Options control one run.
type Options struct {
	// Seed names every random stream of the run.
	Seed uint64
	// Rounds is the number of rounds in which cycles may start; the run
	// goes on until those cycles have settled.
	Rounds int
	// OnCycle, if set, receives each cycle's row in cycle order as soon as
	// the cycle settles, so output streams and memory does not grow with
	// rounds. An error from it stops the run.
	OnCycle func(*CycleRow) error
	// Progress, if set, is called at the start of every round with the
	// round and the rounds the run is expected to take: the rounds in
	// which cycles can start (Rounds, or fewer when the bounty runs out)
	// plus the rounds it takes to drain them (payment_lag, and
	// late_detection_delay when late detection is on). Retries and slashes
	// returned to the pool can make a run longer than expected.
	Progress func(round, rounds int)
	// MaxEvents bounds the run; 0 means DefaultMaxEvents.
	MaxEvents int64
	// Trace, if set, receives every proof, vote, list and payout as it
	// happens (the event is reused after the call): a run's story, for
	// debugging a scenario or teaching the protocol. Costly on big runs.
	Trace func(*TraceEvent)
	// OnRound, if set, receives the state of the money at the end of
	// every round, per class and in total, and the run's Result carries
	// the reward delays (history.go). An error from it stops the run.
	OnRound func(*RoundState) error
}

// Limits of a run: exceeding one is an error that names it.
const (
	MaxRounds        = 10_000_000
	DefaultMaxEvents = int64(20_000_000_000)
)

// ErrLimit is wrapped by errors that stop a run at one of its limits.
var ErrLimit = errors.New("run limit reached")

// engine is one run: the nodes, the ledger, the event queue and the
// cycles in flight. It is single-threaded and owns everything it touches.
type engine struct {
	cfg   *model.Config
	task  *model.Task
	rules *model.Rules
	costs *model.Costs
	opt   Options
	seed  uint64

	nodes   []model.Node
	stats   []NodeStats
	stakes  []model.ROE // stake each node brings when it joins
	classes []string
	ledger  *model.Ledger
	q       *queue

	round   int
	ended   bool       // the bounty ran out: no cycle starts any more
	hot     []nodeHot  // per node: its proofs' counts, booked when their window closes
	flows   []nodeFlow // per node: what the passes of every cycle over the nodes update
	audits  []int64    // per node: its submission checks (Counters.Audits; AuditCost is audits x audit_cost)
	acted   []acted    // per node: its last audit action, under watch_triggers only
	subMask []uint8    // per node: bit i set if it submitted in cycle (last closed - i)

	late        []discovery   // paid invalid proofs to be discovered, in order of due round
	pv          *presentValue // with costs.discount_rate > 0
	ring        []*cycle      // cycles in flight, by cycle number modulo len
	arrived     bitset        // per node: its proof of the one cycle whose submission window is open has landed
	spareLists  []*model.List // correct-list storage of settled cycles, for the next to take
	spareProofs []proofs      // proof storage of emitted cycles, likewise
	emitNext    int           // next cycle to stream
	inFlight    int           // started cycles not yet settled
	retries     []*cycle      // cycles waiting for a retry in the next period

	win        *window
	winCount   int64
	actions    int64
	view       auditView
	rs         Stream            // the stream handed to delay draws, reused so it does not escape per call
	lazyRS     lazyStream        // the stream handed to Online and Work, named only if they draw
	submitted  []model.Submitted // reused by review
	classVotes []int             // scratch for voteShares

	totals     []Counters
	classStake []model.ROE // by class: the stake its nodes hold now, kept by every join, slash and withdrawal
	row        CycleRow
	events     int64
	warmth     uint64   // what engine.warm loaded, summed so the loads stay
	landings   [2]batch // proofs of cycle c landing in round c+1, in landings[c%2]
	auditing   batch    // audit actions of the open window
	cyclesRun  int
	unpaid     int
	wrong      int
	paid       int
	bounty     model.ROE
	endReason  string
	err        error

	hist *history // nil unless Options.OnRound is set
	learning
}

// Run simulates cfg for opt.Rounds rounds with opt.Seed and returns the
// results. cfg must be valid (model.Config.Validate); Run panics on an
// invalid config, as on any broken invariant. The error is a
// *model.ConservationError if the ledger ever fails to balance, wraps
// ErrLimit at a run limit, or is what OnCycle returned.
func Run(cfg *model.Config, opt Options) (*Result, error) {
	if p, _ := cfg.Validate(); len(p) > 0 {
		panic(fmt.Sprintf("sim.Run: invalid config: %v", p[0]))
	}
	if opt.Rounds < 1 || opt.Rounds > MaxRounds {
		return nil, fmt.Errorf("%w: rounds must be in [1, %d], got %d", ErrLimit, MaxRounds, opt.Rounds)
	}
	if opt.MaxEvents == 0 {
		opt.MaxEvents = DefaultMaxEvents
	}
	e, err := newEngine(cfg, opt)
	if err != nil {
		return nil, err
	}
	e.run()
	if e.err != nil {
		return nil, e.err
	}
	return e.result(), nil
}

func newEngine(cfg *model.Config, opt Options) (*engine, error) {
	e := &engine{
		cfg: cfg, task: &cfg.Task, rules: &cfg.Rules, costs: &cfg.Costs,
		opt: opt, seed: opt.Seed,
	}
	e.ledger = model.NewLedger(e.task)
	classIndex := map[string]int{}
	total := 0
	for i := range cfg.Populations {
		total += cfg.Populations[i].Count
	}
	e.nodes = make([]model.Node, 0, total)
	e.stakes = make([]model.ROE, 0, total)
	var supply = e.task.TotalBounty
	for pi := range cfg.Populations {
		p := &cfg.Populations[pi]
		kind, _ := cfg.Kinds().Lookup(p.Behaviour.Kind)
		newBehaviour := kind.New(p.Behaviour.Params, p)
		class := p.ClassName()
		ci, ok := classIndex[class]
		if !ok {
			ci = len(e.classes)
			classIndex[class] = ci
			e.classes = append(e.classes, class)
		}
		for i := 0; i < p.Count; i++ {
			n := model.Node{ID: int32(len(e.nodes)), Key: Key(p.Name, i), Pop: p, Index: i, Class: ci}
			e.nodes = append(e.nodes, n)
			// The slice never grows past its capacity, so the address is
			// final; nodes of a population share the constructor, so a
			// coalition can share state.
			last := &e.nodes[len(e.nodes)-1]
			last.Behaviour = newBehaviour(last)
			s := newStream(e.seed, purposeStake, n.Key)
			stake := p.Stake.Amount(&s)
			if en, ok := last.Behaviour.(model.Endowed); ok {
				if st, ok := en.Endowment(last); ok {
					stake = st
				}
			}
			e.stakes = append(e.stakes, stake)
			supply += stake + p.Balance
			if supply > maxSupply {
				return nil, fmt.Errorf("%w: the scenario's stakes, balances and bounty add up to more than %s KOII", ErrLimit, maxSupply)
			}
		}
	}
	n := len(e.nodes)
	e.stats = make([]NodeStats, n)
	for i := range e.stats {
		e.stats[i] = NodeStats{JoinRound: e.nodes[i].Pop.Join, WithdrawRound: -1, FirstInvalid: -1, FirstSlashPaid: -1, FirstCaught: -1, LastSubmit: -1, InitialStake: e.stakes[i]}
	}
	if cfg.Costs.DiscountRate > 0 {
		joins := make([]int, n)
		for i := range joins {
			joins[i] = e.nodes[i].Pop.Join
		}
		e.pv = newPresentValue(cfg.Costs.DiscountRate, joins)
	}
	e.hot = make([]nodeHot, n)
	for i := range e.hot {
		e.hot[i] = nodeHot{lastSubmit: -1}
	}
	if cfg.Rules.WatchTriggers {
		e.acted = make([]acted, n)
		for i := range e.acted {
			e.acted[i].win = -1
		}
	}
	e.flows = make([]nodeFlow, n)
	e.audits = make([]int64, n)
	e.subMask = make([]uint8, n)
	e.arrived.reset(n)
	e.ring = make([]*cycle, ringSize(e.task, e.rules))
	for i := range e.ring {
		e.ring[i] = newCycle(len(e.classes))
	}
	e.totals = make([]Counters, len(e.classes))
	e.classStake = make([]model.ROE, len(e.classes))
	e.classVotes = make([]int, len(e.classes))
	e.row.Classes = make([]Counters, len(e.classes))
	// Events go at most two rounds ahead: a proof worked in round r lands
	// in round r+1's submission window.
	e.q = newQueue(2 * e.task.RoundTime)
	e.view.e = e
	e.hist = newHistory(e)
	e.setupLearning()
	return e, nil
}

// expectedRounds is the run's length as Options.Progress reports it.
func (e *engine) expectedRounds() int {
	n := e.opt.Rounds
	if b := e.task.BountyPerRound; b > 0 && e.task.TotalBounty/b < model.ROE(n) {
		n = int(e.task.TotalBounty / b)
	}
	n += e.rules.PaymentLag
	if e.rules.LateDetection > 0 {
		n += e.rules.LateDetectionDelay
	}
	return n
}

// maxSupply keeps every sum of money far from int64 overflow: 2^62 ROE,
// about 4.6 billion KOII.
const maxSupply = model.MaxSupply
