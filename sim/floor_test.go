package sim

import (
	"sort"
	"syscall"
	"testing"

	"github.com/koiisim/koiisim/model"
)

// The raw floor of the engine benchmark: the irreducible work of a run of
// benchConfig (honest nodes and 1% faulty ones at koii defaults) written
// as one plain loop, to measure the engine against (BenchmarkFloorRatio).
// It makes the same draws from the same streams, keeps the counters the
// model needs (valid, invalid, missing, audits, votes), decides the same
// verdicts and pays the same equal-split lists and slashes, round by
// round in slot order through one bucket queue per round; and nothing
// else: no outputs, no traces, no behaviour interfaces, no vesting or
// claims (rewards go straight to the balance), no vote bitsets (under
// these rules a node reviews each target once). TestFloorMatchesEngine
// checks that it comes to the engine's figures.

// floorNode is all the floor keeps per node.
type floorNode struct {
	key     uint64
	stake   model.ROE
	balance model.ROE
	faulty  bool
	mask    uint8 // bit i: submitted in cycle (last closed - i)
}

// floorSub is one landed proof of a cycle, in node order after close.
type floorSub struct {
	node    int32
	invalid bool
	falses  int32 // false votes on it (weight 1 each)
}

// floorCycle is one cycle in flight.
type floorCycle struct {
	c          int
	subs       []floorSub
	candidates []int32
	excluded   []int32
	attempts   int
	// The current attempt's correct list as the list rule builds it:
	// each proof's verdict and amount, with the equal reward.
	verdicts []model.Verdict
	amounts  []model.ROE
}

// floorList is one list attempt of a round.
type floorList struct {
	cyc     *floorCycle
	builder int32
	wrong   bool // the faulty builder left out a reward
	landed  bool
	falses  int32
}

// floorResult is what TestFloorMatchesEngine compares with the engine.
type floorResult struct {
	Active, Valid, Invalid, Missing, Audits, VotesFalse, ListVotesFalse int
	Approved, Slashed, Neither, ListsAccepted, ListsRejected            int
	Rewards, Slash                                                      model.ROE
}

// runFloor runs the floor of cfg, which must be benchConfig's shape:
// populations of kind honest or faulty (faulty with offline 0 and crash
// 0), joined from round 0, never stopping, under the default rules.
func runFloor(cfg *model.Config, seed uint64, rounds int) floorResult {
	task, rules, fee := &cfg.Task, &cfg.Rules, cfg.Costs.TxFee
	var nodes []floorNode
	var invalidP float64
	var submitDelay, auditDelay []model.Dist
	for pi := range cfg.Populations {
		p := &cfg.Populations[pi]
		faulty := p.Behaviour.Kind == "faulty"
		if faulty {
			invalidP = p.Behaviour.Params.Float("invalid")
		}
		for i := 0; i < p.Count; i++ {
			key := Key(p.Name, i)
			s := newStream(seed, purposeStake, key)
			nodes = append(nodes, floorNode{key: key, stake: p.Stake.Amount(&s), balance: p.Balance, faulty: faulty})
			submitDelay = append(submitDelay, p.SubmitDelay)
			auditDelay = append(auditDelay, p.AuditDelay)
		}
	}
	var res floorResult
	active := func(n *floorNode) bool { return n.stake >= task.MinimumStake && n.stake > 0 }
	sw := int(task.SubmissionWindow)
	// The bucket queue: per slot of a round's windows, the nodes whose
	// proof, list or audit action falls on it; proofs are pushed a round
	// ahead, so their buckets alternate by round parity.
	subAt := [2][][]int32{make([][]int32, sw), make([][]int32, sw)}
	listAt := make([][]int32, sw)
	auditAt := make([][]int32, task.AuditWindow)
	landed := make([]int8, len(nodes)) // per node: 1 valid, 2 invalid proof this window
	own := make([]int32, len(nodes))   // per node: its proof's index in the review, -1
	for i := range own {
		own[i] = -1
	}
	ring := make([]*floorCycle, 8)
	for i := range ring {
		ring[i] = &floorCycle{}
	}
	var retries []*floorCycle
	var lists []floorList
	var sample []int
	for r := 0; ; r++ {
		var review *floorCycle
		if r >= 1 && r-1 < rounds {
			review = ring[(r-1)%len(ring)]
		}
		// The lists due: retries, then cycle r - payment_lag's first.
		due := retries
		retries = nil
		if d := r - rules.PaymentLag; d >= 0 && d < rounds {
			due = append(due, ring[d%len(ring)])
		}
		if r >= rounds && review == nil && len(due) == 0 {
			break
		}
		// Work of cycle r.
		if r < rounds {
			cur := ring[r%len(ring)]
			cur.c, cur.subs, cur.attempts, cur.excluded = r, cur.subs[:0], 0, cur.excluded[:0]
			next := subAt[(r+1)&1]
			for i := range nodes {
				n := &nodes[i]
				if !active(n) {
					continue
				}
				res.Active++
				outcome := int32(1)
				if n.faulty {
					s := newStream(seed, purposeWork, n.key, uint64(r))
					if invalidP > 0 && s.Float64() < invalidP {
						outcome = 2
					}
				}
				s := newStream(seed, purposeSubmitDelay, n.key, uint64(r))
				d := int(submitDelay[i].Slots(&s))
				if d >= sw {
					res.Missing++
					continue
				}
				next[d] = append(next[d], int32(i)<<2|outcome)
			}
		}
		// Plan the lists: the correct list, the builder, its delay.
		lists = lists[:0]
		for _, c := range due {
			floorCorrect(c, nodes, rules, task.BountyPerRound)
			b := floorSelect(c, nodes, seed)
			lists = append(lists, floorList{cyc: c, builder: b})
			if b < 0 {
				continue
			}
			s := newStream(seed, purposeListDelay, nodes[b].key, uint64(c.c), uint64(c.attempts))
			if d := int(submitDelay[b].Slots(&s)); d < sw {
				listAt[d] = append(listAt[d], int32(len(lists)-1))
			}
		}
		// The submission window: lists, then proofs, slot by slot.
		here := subAt[r&1]
		for slot := 0; slot < sw; slot++ {
			for _, li := range listAt[slot] {
				l := &lists[li]
				n := &nodes[l.builder]
				if !active(n) {
					continue
				}
				if n.faulty {
					s := newStream(seed, purposeBuild, n.key, uint64(l.cyc.c), uint64(l.cyc.attempts))
					l.wrong = invalidP > 0 && s.Float64() < invalidP && !floorListEmpty(l.cyc)
				}
				if n.balance >= fee {
					n.balance -= fee
					l.landed = true
				}
			}
			listAt[slot] = listAt[slot][:0]
			for _, v := range here[slot] {
				n := &nodes[v>>2]
				if !active(n) || n.balance < fee {
					res.Missing++
					continue
				}
				n.balance -= fee
				landed[v>>2] = int8(v & 3)
			}
			here[slot] = here[slot][:0]
		}
		// Close: proofs in node order, the candidates.
		if review != nil {
			for i := range nodes {
				nodes[i].mask <<= 1
				if landed[i] == 0 {
					continue
				}
				nodes[i].mask |= 1
				own[i] = int32(len(review.subs))
				review.subs = append(review.subs, floorSub{node: int32(i), invalid: landed[i] == 2})
				if landed[i] == 2 {
					res.Invalid++
				} else {
					res.Valid++
				}
				landed[i] = 0
			}
			review.candidates = review.candidates[:0]
			for _, s := range review.subs {
				if nodes[s.node].mask&7 == 7 {
					review.candidates = append(review.candidates, s.node)
				}
			}
			if len(review.candidates) == 0 {
				for _, s := range review.subs {
					review.candidates = append(review.candidates, s.node)
				}
			}
		}
		// The audit window: every active node's action at its delay.
		if review != nil || len(lists) > 0 {
			for i := range nodes {
				if !active(&nodes[i]) {
					continue
				}
				s := newStream(seed, purposeAuditDelay, nodes[i].key, uint64(r), 0)
				if d := int(auditDelay[i].Slots(&s)); d < len(auditAt) {
					auditAt[d] = append(auditAt[d], int32(i))
				}
			}
			for slot := range auditAt {
				for _, id := range auditAt[slot] {
					n := &nodes[id]
					if review != nil && len(review.subs) > 0 {
						s := newStream(seed, purposeAudit, n.key, uint64(r), 0)
						sample = sampleKoii(&s, len(review.subs), int(own[id]), rules.AuditSample, sample[:0])
						for _, i := range sample {
							res.Audits++
							if sub := &review.subs[i]; sub.invalid && n.balance >= fee {
								n.balance -= fee
								sub.falses++
								res.VotesFalse++
							}
						}
					}
					for li := range lists {
						if l := &lists[li]; l.landed && l.wrong && l.builder != id && n.balance >= fee {
							n.balance -= fee
							l.falses++
							res.ListVotesFalse++
						}
					}
				}
				auditAt[slot] = auditAt[slot][:0]
			}
		}
		if review != nil {
			for _, s := range review.subs {
				own[s.node] = -1
			}
		}
		// The window's end: pay or fail each list.
		for li := range lists {
			l := &lists[li]
			c := l.cyc
			c.attempts++
			if l.landed && l.falses == 0 {
				if l.wrong {
					panic("floor: a wrong list was paid, which benchConfig's auditors never allow")
				}
				res.ListsAccepted++
				for i, s := range c.subs {
					switch n := &nodes[s.node]; c.verdicts[i] {
					case model.Approved:
						res.Approved++
						n.balance += c.amounts[i]
						res.Rewards += c.amounts[i]
					case model.Slashed:
						res.Slashed++
						take := min(-c.amounts[i], n.stake)
						n.stake -= take
						res.Slash += take
					default:
						res.Neither++
					}
				}
				continue
			}
			if l.landed {
				res.ListsRejected++
			}
			if l.builder >= 0 {
				c.excluded = append(c.excluded, l.builder)
			}
			if c.attempts < task.Attempts() {
				retries = append(retries, c)
			} else {
				res.Neither += len(c.subs)
			}
		}
	}
	return res
}

// floorCorrect decides each proof of c and its amount under the list
// rule (docs/model.md §4) with weight-1 votes and equal split.
func floorCorrect(c *floorCycle, nodes []floorNode, rules *model.Rules, bounty model.ROE) {
	c.verdicts, c.amounts = c.verdicts[:0], c.amounts[:0]
	approved := 0
	for _, s := range c.subs {
		v := model.Approved
		if s.falses > 0 {
			v = model.Slashed // triggered, no true votes: net < 0
		}
		if v == model.Approved {
			approved++
		}
		c.verdicts = append(c.verdicts, v)
	}
	for i, s := range c.subs {
		var amount model.ROE
		if c.verdicts[i] == model.Approved {
			amount = bounty / model.ROE(approved)
		} else {
			amount = -rules.SlashFraction.Of(nodes[s.node].stake)
		}
		c.amounts = append(c.amounts, amount)
	}
}

// floorListEmpty reports whether c's correct list has no entries, the
// one list model.Corrupt cannot make wrong.
func floorListEmpty(c *floorCycle) bool {
	for _, a := range c.amounts {
		if a != 0 {
			return false
		}
	}
	return true
}

// floorSelect is koii selection without grinding: the eligible candidate
// with the highest score, ties to the lower node.
func floorSelect(c *floorCycle, nodes []floorNode, seed uint64) int32 {
	best, bestScore := int32(-1), -1.0
	for _, id := range c.candidates {
		excluded := false
		for _, x := range c.excluded {
			excluded = excluded || x == id
		}
		if excluded {
			continue
		}
		if s := uniformAt(seed, purposeScore, nodes[id].key, uint64(c.c), uint64(c.attempts), 0); s > bestScore {
			best, bestScore = id, s
		}
	}
	return best
}

// TestFloorMatchesEngine checks that the floor does the engine's work:
// on benchConfig, and on a variant where faulty nodes are a third of the
// network and wrong half the time (so lists are rejected and retried),
// it comes to the engine's totals exactly.
func TestFloorMatchesEngine(t *testing.T) {
	wide := benchConfig(1_000, 60)
	mixed := benchConfig(100, 60)
	mixed.Populations[1].Count = 50
	params := model.Params{}
	for k, v := range mixed.Populations[1].Behaviour.Params {
		params[k] = v
	}
	params["invalid"] = 0.5
	mixed.Populations[1].Behaviour.Params = params
	rejected := 0
	for name, cfg := range map[string]*model.Config{"bench": wide, "mixed": mixed} {
		for _, seed := range []uint64{1, 2, 3} {
			res, err := Run(cfg, Options{Seed: seed, Rounds: 60})
			if err != nil {
				t.Fatal(err)
			}
			tot := res.Total()
			want := floorResult{
				Active: tot.Active, Valid: tot.Valid, Invalid: tot.Invalid, Missing: tot.Missing, Audits: tot.Audits,
				VotesFalse: tot.VotesFalse, ListVotesFalse: tot.ListVotesFalse, Approved: tot.Approved, Slashed: tot.Slashed,
				Neither: tot.Neither, ListsAccepted: tot.ListsAccepted, ListsRejected: tot.ListsRejected,
				Rewards: tot.Rewards, Slash: tot.Slash,
			}
			if got := runFloor(cfg, seed, 60); got != want {
				t.Errorf("%s, seed %d:\nfloor  %+v\nengine %+v", name, seed, got, want)
			}
			rejected += tot.ListsRejected
		}
	}
	if rejected == 0 {
		t.Error("no list was rejected: the test does not exercise retries")
	}
}

// BenchmarkFloorRatio10kx1k measures the engine against its floor at
// 10,100 nodes x 1,000 rounds: three pairs in one process, engine and
// floor in turns (the first of each pair alternating), each timed in
// process CPU seconds; it reports both medians and their ratio, the
// figure the engine's target (at most 3) is about.
func BenchmarkFloorRatio10kx1k(b *testing.B) { benchFloorRatio(b, 10_000, 1_000) }

// BenchmarkFloorRatio10kx100 is the quick form, for profiling a change.
func BenchmarkFloorRatio10kx100(b *testing.B) { benchFloorRatio(b, 10_000, 100) }

func benchFloorRatio(b *testing.B, n, rounds int) {
	cfg := benchConfig(n, rounds)
	var engine, floor []float64
	for b.Loop() {
		for pair := 0; pair < 3; pair++ {
			for turn := 0; turn < 2; turn++ {
				start := cpuSeconds()
				if (pair+turn)%2 == 0 {
					if _, err := Run(cfg, Options{Seed: 1, Rounds: rounds}); err != nil {
						b.Fatal(err)
					}
					engine = append(engine, cpuSeconds()-start)
				} else {
					runFloor(cfg, 1, rounds)
					floor = append(floor, cpuSeconds()-start)
				}
			}
		}
	}
	e, f := median(engine), median(floor)
	b.ReportMetric(e, "engine-cpu-s")
	b.ReportMetric(f, "floor-cpu-s")
	b.ReportMetric(e/f, "koiisim/floor")
}

// median returns the median of xs (the lower middle of an even count).
func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[(len(s)-1)/2]
}

// cpuSeconds is the user and system CPU time of the process so far: on a
// shared machine, a fairer clock than the wall.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
