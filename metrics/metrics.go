package metrics

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"

	"github.com/koiisim/koiisim/model"
	"github.com/koiisim/koiisim/sim"
)

// Value is one figure: an exact amount of money, a count, or a real
// number (a rate, a mean). Money marshals as an exact decimal of KOII.
type Value struct {
	Money   model.ROE
	Number  float64
	IsMoney bool
	Missing bool // undefined (a rate over zero cases): null in JSON, NaN as a float
}

// Float returns the value as a float64 (KOII for money), NaN when missing.
func (v Value) Float() float64 {
	switch {
	case v.Missing:
		return math.NaN()
	case v.IsMoney:
		return v.Money.KOII()
	}
	return v.Number
}

// MarshalJSON writes money as an exact decimal number of KOII, numbers in
// Go's shortest round-trip form, and missing values as null.
func (v Value) MarshalJSON() ([]byte, error) {
	switch {
	case v.Missing:
		return []byte("null"), nil
	case v.IsMoney:
		return []byte(v.Money.String()), nil
	}
	return []byte(formatNumber(v.Number)), nil
}

// formatNumber writes whole numbers as integers (counts stay readable:
// 20019559, not 2.0019559e+07) and others in Go's shortest round-trip
// form.
func formatNumber(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
		return strconv.FormatInt(int64(x), 10)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// String formats the value for tables and CSV.
func (v Value) String() string {
	switch {
	case v.Missing:
		return ""
	case v.IsMoney:
		return v.Money.String()
	}
	return formatNumber(v.Number)
}

func money(a model.ROE) Value { return Value{Money: a, IsMoney: true} }
func count(n int) Value       { return Value{Number: float64(n)} }
func ratio(a, b float64) Value {
	if b == 0 {
		return Value{Missing: true}
	}
	return Value{Number: a / b}
}

// Metric describes one figure of docs/model.md §9: its name (the key in
// summary.json and the path in assertions), its unit and what it means.
type Metric struct {
	Name string
	Unit string
	Doc  string
}

// ClassMetrics are the figures reported per class and for the total, in
// output order.
var ClassMetrics = []Metric{
	{"nodes", "nodes", "nodes in the class"},
	{"initial_stake", "KOII", "stake the class brought"},
	{"final_stake", "KOII", "stake the class has at the end"},
	{"stake_share", "fraction", "the class's share of all stake at the end"},
	{"rewards", "KOII", "bounty credited to the class by payouts"},
	{"slashed", "KOII", "stake taken from the class by slashes"},
	{"forfeited", "KOII", "pending rewards lost to slashes (slash_pending)"},
	{"voter_income", "KOII", "slashed stake received as false voters (slash_destination: voters)"},
	{"fees", "KOII", "transaction fees paid (burned)"},
	{"work_cost", "KOII", "off-chain cost of work done"},
	{"audit_cost", "KOII", "off-chain cost of audits done"},
	{"net_profit", "KOII", "rewards + voter_income - slashed - forfeited - clawed_back - fees - work_cost - audit_cost"},
	{"net_profit_pv", "KOII", "net_profit with each flow discounted to the node's join round at costs.discount_rate per round (net_profit when the rate is 0)"},
	{"return_on_stake", "fraction", "net_profit / initial_stake"},
	{"bounty_share", "fraction", "the class's share of all bounty paid"},
	{"valid", "submissions", "valid proofs that landed in their window"},
	{"invalid", "submissions", "invalid proofs that landed in their window"},
	{"missing", "submissions", "cycles an active worker had no proof in the window (absent, offline or late)"},
	{"late", "submissions", "proofs that would have landed after the window"},
	{"approved", "submissions", "proofs paid by the accepted list"},
	{"slashed_count", "submissions", "proofs slashed by the accepted list"},
	{"neither", "submissions", "proofs neither paid nor slashed (zero net, or the cycle went unpaid)"},
	{"false_slashes", "submissions", "valid proofs slashed"},
	{"false_slash_rate", "fraction", "false_slashes / valid"},
	{"missed_detections", "submissions", "invalid proofs paid"},
	{"missed_detection_rate", "fraction", "missed_detections / invalid"},
	{"detection_latency", "rounds", "mean, over nodes that sent an invalid proof and were later slashed, of rounds from the work round of the first invalid proof to the round its first slash was paid"},
	{"never_caught", "nodes", "nodes that sent an invalid proof and were never slashed"},
	{"audits", "checks", "submission checks performed"},
	{"votes_true", "votes", "true votes on submissions"},
	{"votes_false", "votes", "false votes on submissions"},
	{"list_votes_true", "votes", "true votes on lists"},
	{"list_votes_false", "votes", "false votes on lists"},
	{"lists_submitted", "lists", "lists the class's builders sent that the chain took in"},
	{"lists_accepted", "lists", "of those, lists paid"},
	{"lists_rejected", "lists", "of those, lists the votes rejected"},
	{"lists_chain_rejected", "lists", "lists the chain refused (overpaying, or naming a node that did not submit)"},
	{"lists_missing", "lists", "selections of the class's nodes that sent no list"},
	{"correct_lists_rejected", "lists", "correct lists the class built that the votes rejected (what griefing costs)"},
	{"ballots_voted", "ballots", "ballots (proofs and lists) the class's nodes voted on"},
	{"vote_share", "fraction", "mean, over the ballots the class voted on, of its share of the votes cast"},
	{"rounds_to_first_slash", "rounds", "rounds from the class's first join to the first slash that took stake or pending rewards from it"},
	{"withdrawn", "KOII", "stake the class's stopped nodes withdrew"},
	{"stake_recovered", "fraction", "withdrawn / initial_stake: what a leaving class got back"},
	{"withdrawn_nodes", "nodes", "nodes that withdrew their stake"},
	{"last_withdraw_round", "rounds", "the round the class's last withdrawal happened in"},
	{"rewards_lost_to_attackers", "KOII", "rewards the class earns in the same scenario and seed without the attacker populations, minus what it earned (only when the scenario has attackers)"},
	{"gini_rewards", "fraction", "Gini coefficient of rewards across the class's nodes"},
	{"late_detections", "submissions", "paid invalid proofs discovered late (rules.late_detection)"},
	{"clawed_back", "KOII", "rewards taken back from pending and claimable rewards on late detection"},
	{"fraud_lost", "KOII", "rewards of discovered fraud already claimed: lost to the task"},
}

// RunMetrics are the figures of the run as a whole.
var RunMetrics = []Metric{
	{"rounds", "rounds", "rounds in which cycles could start"},
	{"last_round", "rounds", "the round the run ended in (after the last cycle settled)"},
	{"cycles_started", "cycles", "cycles that started"},
	{"cycles_paid", "cycles", "cycles paid by an accepted list"},
	{"cycles_unpaid", "cycles", "started cycles that went unpaid (every list attempt failed, or no proof)"},
	{"unpaid_rate", "fraction", "cycles_unpaid / cycles_started"},
	{"wrong_lists", "cycles", "paid cycles whose accepted list differed from the correct one"},
	{"correct_lists_rejected", "lists", "correct lists the votes rejected (griefing)"},
	{"bounty_paid", "KOII", "bounty credited to nodes"},
	{"bounty_left", "KOII", "bounty pool at the end"},
	{"burned", "KOII", "fees and burned slashes"},
	{"events", "events", "events the engine processed"},
	{"simulated_days", "days", "simulated time at slot_seconds per slot"},
}

// Figures are a run's metrics: per class, the total, and the run's own.
type Figures struct {
	Classes []string
	Honest  []bool             // by class index: the registry's word (sim.Result.Honest)
	Class   []map[string]Value // by class index
	Total   map[string]Value
	Run     map[string]Value
	// History says the run kept a history (AddHistory): the figures of
	// HistoryMetrics and DelayMetrics are in the maps.
	History bool
	// Strategies says the run had learners (AddEquilibrium): the figures
	// of StrategyMetrics are in Run.
	Strategies bool
}

// Compute derives every metric of a result.
func Compute(res *sim.Result, task *model.Task) *Figures {
	f := &Figures{Classes: res.Classes, Honest: res.Honest}
	total := res.Total()
	var allStake model.ROE
	for _, n := range res.Nodes {
		allStake += n.Stake
	}
	nodesOf := make([][]*sim.NodeResult, len(res.Classes))
	for i := range res.Nodes {
		n := &res.Nodes[i]
		nodesOf[n.Class] = append(nodesOf[n.Class], n)
	}
	all := make([]*sim.NodeResult, len(res.Nodes))
	for i := range res.Nodes {
		all[i] = &res.Nodes[i]
	}
	for i := range res.Classes {
		f.Class = append(f.Class, classFigures(&res.Totals[i], nodesOf[i], allStake, res.BountyPaid))
	}
	f.Total = classFigures(&total, all, allStake, res.BountyPaid)
	f.Run = map[string]Value{
		"rounds":                 count(res.Rounds),
		"last_round":             count(res.LastRound),
		"cycles_started":         count(res.CyclesStarted),
		"cycles_paid":            count(res.PaidCycles),
		"cycles_unpaid":          count(res.UnpaidCycles),
		"unpaid_rate":            ratio(float64(res.UnpaidCycles), float64(res.CyclesStarted)),
		"wrong_lists":            count(res.WrongLists),
		"correct_lists_rejected": count(total.CorrectListsRejected),
		"bounty_paid":            money(res.BountyPaid),
		"bounty_left":            money(res.Ledger.Pool),
		"burned":                 money(res.Ledger.Burned),
		"events":                 Value{Number: float64(res.Events)},
		"simulated_days":         Value{Number: float64(res.Slots) * task.SlotSeconds / 86400},
	}
	return f
}

func classFigures(t *sim.Counters, nodes []*sim.NodeResult, allStake, bountyPaid model.ROE) map[string]Value {
	var initial, withdrawn model.ROE
	var latency float64
	caught, never, withdrawers := 0, 0, 0
	firstJoin, firstSlash, lastWithdraw := -1, -1, -1
	rewards := make([]float64, len(nodes))
	var pv float64
	for i, n := range nodes {
		initial += n.InitialStake
		pv += n.NetPV
		rewards[i] = float64(n.Rewards)
		if firstJoin < 0 || n.JoinRound < firstJoin {
			firstJoin = n.JoinRound
		}
		if n.FirstSlashPaid >= 0 && (firstSlash < 0 || n.FirstSlashPaid < firstSlash) {
			firstSlash = n.FirstSlashPaid
		}
		if n.WithdrawRound >= 0 {
			withdrawers++
			withdrawn += n.Withdrawn
			lastWithdraw = max(lastWithdraw, n.WithdrawRound)
		}
		if n.FirstInvalid >= 0 {
			if n.FirstCaught >= 0 {
				caught++
				latency += float64(n.FirstCaught - n.FirstInvalid)
			} else {
				never++
			}
		}
	}
	net := t.NetProfit()
	m := map[string]Value{
		"nodes":                 count(len(nodes)),
		"initial_stake":         money(initial),
		"final_stake":           money(t.Stake),
		"stake_share":           ratio(float64(t.Stake), float64(allStake)),
		"rewards":               money(t.Rewards),
		"slashed":               money(t.Slash),
		"forfeited":             money(t.Forfeited),
		"voter_income":          money(t.VoterIncome),
		"fees":                  money(t.Fees),
		"work_cost":             money(t.WorkCost),
		"audit_cost":            money(t.AuditCost),
		"net_profit":            money(net),
		"net_profit_pv":         Value{Number: pv / float64(model.PerKOII)},
		"return_on_stake":       ratio(float64(net), float64(initial)),
		"bounty_share":          ratio(float64(t.Rewards), float64(bountyPaid)),
		"valid":                 count(t.Valid),
		"invalid":               count(t.Invalid),
		"missing":               count(t.Missing),
		"late":                  count(t.Late),
		"approved":              count(t.Approved),
		"slashed_count":         count(t.Slashed),
		"neither":               count(t.Neither),
		"false_slashes":         count(t.FalseSlashes),
		"false_slash_rate":      ratio(float64(t.FalseSlashes), float64(t.Valid)),
		"missed_detections":     count(t.MissedDetections),
		"missed_detection_rate": ratio(float64(t.MissedDetections), float64(t.Invalid)),
		"detection_latency":     ratio(latency, float64(caught)),
		"never_caught":          count(never),
		"audits":                count(t.Audits),
		"votes_true":            count(t.VotesTrue),
		"votes_false":           count(t.VotesFalse),
		"list_votes_true":       count(t.ListVotesTrue),
		"list_votes_false":      count(t.ListVotesFalse),
		"lists_submitted":       count(t.ListsSubmitted),
		"lists_accepted":        count(t.ListsAccepted),
		"lists_rejected":        count(t.ListsRejected),
		"lists_chain_rejected":  count(t.ListsChainRejected),
		"lists_missing":         count(t.ListsMissing),
		"gini_rewards":          gini(rewards),

		"correct_lists_rejected":    count(t.CorrectListsRejected),
		"ballots_voted":             count(t.Ballots),
		"vote_share":                ratio(t.VoteShare, float64(t.Ballots)),
		"rounds_to_first_slash":     roundsSince(firstSlash, firstJoin),
		"withdrawn":                 money(withdrawn),
		"stake_recovered":           ratio(float64(withdrawn), float64(initial)),
		"withdrawn_nodes":           count(withdrawers),
		"last_withdraw_round":       roundsSince(lastWithdraw, 0),
		"rewards_lost_to_attackers": {Missing: true},
		"late_detections":           count(t.LateDetections),
		"clawed_back":               money(t.ClawedBack),
		"fraud_lost":                money(t.FraudLost),
	}
	return m
}

// roundsSince returns round - from, or missing when round is -1 (never).
func roundsSince(round, from int) Value {
	if round < 0 {
		return Value{Missing: true}
	}
	return count(round - from)
}

// AddCounterfactual fills rewards_lost_to_attackers in f from base, the
// figures of the same scenario and seed without its attacker
// populations: for each class base also has, base's rewards minus f's.
// Streams are named by node, so the classes' nodes drew the same stakes
// and timings in both runs and the difference is the attack's doing.
func AddCounterfactual(f, base *Figures) {
	var lost model.ROE
	any := false
	for i, c := range f.Classes {
		for j, bc := range base.Classes {
			if bc == c {
				d := base.Class[j]["rewards"].Money - f.Class[i]["rewards"].Money
				f.Class[i]["rewards_lost_to_attackers"] = money(d)
				lost += d
				any = true
			}
		}
	}
	if any {
		f.Total["rewards_lost_to_attackers"] = money(lost)
	}
}

// gini is the Gini coefficient of non-negative values: 0 when all are
// equal, approaching 1 when one holds everything; missing for no values
// or a zero sum. It sorts a copy: sum_i (2i - n - 1) x_(i) / (n sum x).
func gini(xs []float64) Value {
	n := len(xs)
	if n == 0 {
		return Value{Missing: true}
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	var sum, weighted float64
	for i, x := range s {
		sum += x
		weighted += float64(2*(i+1)-n-1) * x
	}
	if sum == 0 {
		return Value{Missing: true}
	}
	return Value{Number: weighted / (float64(n) * sum)}
}

// orderedMap marshals a metric map in the order of its metric list, so
// summary.json reads like the table.
type orderedMap struct {
	keys []Metric
	m    map[string]Value
}

func (o orderedMap) MarshalJSON() ([]byte, error) {
	buf := []byte{'{'}
	for i, k := range o.keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		kb, _ := json.Marshal(k.Name)
		buf = append(buf, kb...)
		buf = append(buf, ':')
		vb, err := o.m[k.Name].MarshalJSON()
		if err != nil {
			return nil, err
		}
		buf = append(buf, vb...)
	}
	return append(buf, '}'), nil
}
