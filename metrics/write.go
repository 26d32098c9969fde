package metrics

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"

	"github.com/koiisim/koiisim/model"
	"github.com/koiisim/koiisim/sim"
)

// Meta identifies a run in every output: what ran, with which seed, by
// which build. It holds no time stamp, so outputs are byte-identical for
// the same scenario and seed.
type Meta struct {
	Tool        string `json:"tool"`
	Version     string `json:"version"`
	Scenario    string `json:"scenario"`
	Description string `json:"description"`
	Hash        string `json:"scenario_sha256"`
	Seed        uint64 `json:"seed"`
	Replay      string `json:"replay"` // the command that reproduces the run
}

// Summary is the content of summary.json.
type Summary struct {
	Meta
	Run     orderedMap            `json:"run"`
	Classes map[string]orderedMap `json:"classes"`
	Total   orderedMap            `json:"total"`
	Ledger  map[string]Value      `json:"ledger"`
	Units   map[string]string     `json:"units"`
	// Equilibrium is the learners' convergence verdict (docs/model.md
	// §13); absent from runs without learning behaviours.
	Equilibrium *Verdict `json:"equilibrium,omitempty"`
}

// NewSummary assembles summary.json's content.
func NewSummary(meta Meta, f *Figures, terms model.Terms) *Summary {
	runMetrics, classMetrics := f.metrics()
	s := &Summary{
		Meta:    meta,
		Run:     orderedMap{runMetrics, f.Run},
		Classes: map[string]orderedMap{},
		Total:   orderedMap{classMetrics, f.Total},
		Ledger: map[string]Value{
			"stake": money(terms.Stake), "pending": money(terms.Pending), "claimable": money(terms.Claimable),
			"bounty_pool": money(terms.Pool), "burned": money(terms.Burned), "paid_to_voters": money(terms.PaidToVoters),
			"balances": money(terms.Balances), "total_in": money(terms.TotalIn),
		},
		Units: map[string]string{},
	}
	for i, c := range f.Classes {
		s.Classes[c] = orderedMap{classMetrics, f.Class[i]}
	}
	for _, m := range append(append([]Metric{}, runMetrics...), classMetrics...) {
		s.Units[m.Name] = m.Unit
	}
	for k := range s.Ledger {
		s.Units["ledger."+k] = "KOII"
	}
	return s
}

// JSON returns the summary as indented JSON with a final newline.
func (s *Summary) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// RoundsHeader is the header of rounds.csv: one row per cycle per class.
var RoundsHeader = []string{
	"cycle", "class", "started", "settled_round", "paid", "unpaid", "wrong_list", "attempts",
	"active", "valid", "invalid", "missing", "late", "approved", "slashed_count", "neither",
	"false_slashes", "missed_detections",
	"rewards_koii", "slashed_koii", "forfeited_koii", "voter_income_koii", "fees_koii", "work_cost_koii", "audit_cost_koii", "net_profit_koii",
	"audits", "votes_true", "votes_false", "list_votes_true", "list_votes_false",
	"lists_submitted", "lists_accepted", "lists_rejected", "lists_chain_rejected", "lists_missing",
	"stake_koii", "bounty_paid_koii",
	"correct_lists_rejected", "ballots_voted", "vote_share",
	"late_detections", "clawed_back_koii", "fraud_lost_koii",
}

// RoundsWriter streams rounds.csv as cycles settle, so a long run's
// memory does not grow with its rounds.
type RoundsWriter struct {
	w       *csv.Writer
	classes []string
	rec     []string
}

// NewRoundsWriter writes the header and returns a writer for rows.
func NewRoundsWriter(w io.Writer, classes []string) (*RoundsWriter, error) {
	rw := &RoundsWriter{w: csv.NewWriter(w), classes: classes}
	return rw, rw.w.Write(RoundsHeader)
}

// Write writes one cycle's rows, one per class.
func (rw *RoundsWriter) Write(r *sim.CycleRow) error {
	for ci := range r.Classes {
		c := &r.Classes[ci]
		rw.rec = append(rw.rec[:0],
			itoa(r.Cycle), rw.classes[ci], b01(r.Started), itoa(r.SettledRound), b01(r.Paid), b01(r.Unpaid), b01(r.WrongList), itoa(r.Attempts),
			itoa(c.Active), itoa(c.Valid), itoa(c.Invalid), itoa(c.Missing), itoa(c.Late), itoa(c.Approved), itoa(c.Slashed), itoa(c.Neither),
			itoa(c.FalseSlashes), itoa(c.MissedDetections),
			c.Rewards.String(), c.Slash.String(), c.Forfeited.String(), c.VoterIncome.String(), c.Fees.String(), c.WorkCost.String(), c.AuditCost.String(), c.NetProfit().String(),
			itoa(c.Audits), itoa(c.VotesTrue), itoa(c.VotesFalse), itoa(c.ListVotesTrue), itoa(c.ListVotesFalse),
			itoa(c.ListsSubmitted), itoa(c.ListsAccepted), itoa(c.ListsRejected), itoa(c.ListsChainRejected), itoa(c.ListsMissing),
			c.Stake.String(), r.BountyPaid.String(),
			itoa(c.CorrectListsRejected), itoa(c.Ballots), ratio(c.VoteShare, float64(c.Ballots)).String(),
			itoa(c.LateDetections), c.ClawedBack.String(), c.FraudLost.String(),
		)
		if err := rw.w.Write(rw.rec); err != nil {
			return err
		}
	}
	return nil
}

// Flush writes any buffered rows.
func (rw *RoundsWriter) Flush() error {
	rw.w.Flush()
	return rw.w.Error()
}

// NodesHeader is the header of nodes.csv: one row per node.
var NodesHeader = []string{
	"id", "population", "class", "role", "behaviour", "join_round",
	"initial_stake_koii", "stake_koii", "balance_koii", "pending_koii", "claimable_koii", "voter_reward_koii",
	"withdrawn_koii", "withdraw_round",
	"rewards_koii", "slashed_koii", "forfeited_koii", "voter_income_koii", "fees_koii", "work_cost_koii", "audit_cost_koii", "net_profit_koii",
	"cycles_active", "valid", "invalid", "missing", "late", "approved", "slashed_count", "neither", "false_slashes", "missed_detections",
	"audits", "votes_true", "votes_false", "list_votes_true", "list_votes_false",
	"lists_submitted", "lists_accepted", "lists_rejected", "lists_chain_rejected", "lists_missing",
	"first_invalid_cycle", "first_slash_round", "first_caught_round", "last_submit_round",
	"correct_lists_rejected",
	"late_detections", "clawed_back_koii", "fraud_lost_koii", "net_profit_pv_koii",
}

// WriteNodes writes nodes.csv.
func WriteNodes(w io.Writer, res *sim.Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(NodesHeader); err != nil {
		return err
	}
	rec := make([]string, 0, len(NodesHeader))
	for i := range res.Nodes {
		n := &res.Nodes[i]
		rec = append(rec[:0],
			itoa(int(n.ID)), n.Population, res.Classes[n.Class], n.Role.String(), n.Behaviour, itoa(n.JoinRound),
			n.InitialStake.String(), n.Stake.String(), n.Balance.String(), n.Pending.String(), n.Claimable.String(), n.VoterReward.String(),
			n.Withdrawn.String(), itoa(n.WithdrawRound),
			n.Rewards.String(), n.Slash.String(), n.Forfeited.String(), n.VoterIncome.String(), n.Fees.String(), n.WorkCost.String(), n.AuditCost.String(), n.NetProfit().String(),
			itoa(n.Active), itoa(n.Valid), itoa(n.Invalid), itoa(n.Missing), itoa(n.Late), itoa(n.Approved), itoa(n.Slashed), itoa(n.Neither), itoa(n.FalseSlashes), itoa(n.MissedDetections),
			itoa(n.Audits), itoa(n.VotesTrue), itoa(n.VotesFalse), itoa(n.ListVotesTrue), itoa(n.ListVotesFalse),
			itoa(n.ListsSubmitted), itoa(n.ListsAccepted), itoa(n.ListsRejected), itoa(n.ListsChainRejected), itoa(n.ListsMissing),
			itoa(n.FirstInvalid), itoa(n.FirstSlashPaid), itoa(n.FirstCaught), itoa(n.LastSubmit),
			itoa(n.CorrectListsRejected),
			itoa(n.LateDetections), n.ClawedBack.String(), n.FraudLost.String(), formatNumber(n.NetPV/float64(model.PerKOII)),
		)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func itoa(i int) string { return strconv.Itoa(i) }

func b01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
