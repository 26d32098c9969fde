package model

import (
	"fmt"
	"math"
	"strings"
)

// Slot is virtual time, in K2 slots (about 0.4 s each, docs/model.md §1).
type Slot int64

// Task holds what a task creator sets on K2 (docs/model.md §2).
type Task struct {
	RoundTime                  Slot // slots per round
	SubmissionWindow           Slot // slots for submissions at the start of a period
	AuditWindow                Slot // slots for votes, right after the submission window
	MinimumStake               ROE  // stake a node needs to submit and vote
	BountyPerRound             ROE  // cap paid out per cycle
	TotalBounty                ROE  // funding; the task stops when less than one round's bounty is left
	AllowedFailedDistributions int  // list attempts that may fail before a cycle goes unpaid
	SlotSeconds                float64
}

// DefaultTask returns the koii defaults of docs/model.md §2.
func DefaultTask() Task {
	return Task{
		RoundTime:                  1500,
		SubmissionWindow:           600,
		AuditWindow:                600,
		MinimumStake:               19 * PerKOII / 10,
		BountyPerRound:             10 * PerKOII,
		TotalBounty:                10000 * PerKOII,
		AllowedFailedDistributions: 3,
		SlotSeconds:                0.408,
	}
}

// Attempts is how many list attempts a cycle gets before it goes unpaid:
// the first one plus AllowedFailedDistributions retries (docs/model.md §3).
func (t Task) Attempts() int { return 1 + t.AllowedFailedDistributions }

// Period is the length of one submission window followed by its audit window.
func (t Task) Period() Slot { return t.SubmissionWindow + t.AuditWindow }

// Enumerated rule options. Each type's zero value is the koii default.
type (
	// AuditSampling says how an auditor draws its sample (docs/model.md §3).
	AuditSampling uint8
	// TriggeredReview says what an honest auditor looks at (docs/model.md §3).
	TriggeredReview uint8
	// Selection says how the list builder is chosen (docs/model.md §3).
	Selection uint8
	// Retry says when a rejected list is built again (docs/model.md §3).
	Retry uint8
	// VoteWeight says what one vote weighs (docs/model.md §4).
	VoteWeight uint8
	// ZeroNet says what a triggered submission with net zero gets (docs/model.md §4).
	ZeroNet uint8
	// RewardSplit says how the bounty is shared among approved nodes (docs/model.md §4).
	RewardSplit uint8
	// SlashDestination says where slashed stake goes (docs/model.md §4).
	SlashDestination uint8
)

const (
	// SampleKoii draws min(audit_sample, N) of all N submissions, the
	// auditor's own included, and skips its own (Koii's task wrapper):
	// 4 or 5 audits, each other proof sampled with probability k/N.
	SampleKoii AuditSampling = iota
	// SampleOthers draws audit_sample of the N-1 others: probability k/(N-1).
	SampleOthers
)

const (
	ReviewSampled TriggeredReview = iota // only the sample (the wrapper's code)
	ReviewAll                            // the sample and every open trigger (the docs)
)

const (
	SelectKoii    Selection = iota // highest hash score, with grinding
	SelectStake                    // proportional to stake
	SelectUniform                  // uniform over candidates
)

const (
	RetryNextPeriod Retry = iota // in the next round's distribution period
	RetrySamePeriod              // again in the same period when the windows leave room
)

const (
	WeightNode  VoteWeight = iota // one node, one vote
	WeightStake                   // a vote weighs the voter's stake
	// WeightStakeAge weighs a vote by the voter's stake times its rounds
	// staked, capped at stake_age_cap: floor(stake * min(age, cap) / cap),
	// lock-time weighting (docs/model.md §4).
	WeightStakeAge
)

const (
	ZeroNone    ZeroNet = iota // neither paid nor slashed
	ZeroApprove                // paid
	ZeroSlash                  // slashed
)

const (
	SplitEqual RewardSplit = iota // floor(bounty / approved) each
	SplitStake                    // floor(bounty * stake / approved stake)
)

const (
	SlashBurn   SlashDestination = iota // destroyed (assumption: the template only writes a negative amount)
	SlashPool                           // back to the task's bounty pool
	SlashVoters                         // to the false voters, with a share to the initiator
)

// Option names, in the order of the constants above; the scenario
// format and reports use them.
var (
	AuditSamplingNames    = []string{"koii", "others"}
	TriggeredReviewNames  = []string{"sampled", "all"}
	SelectionNames        = []string{"koii", "stake", "uniform"}
	RetryNames            = []string{"next_period", "same_period"}
	VoteWeightNames       = []string{"node", "stake", "stake_age"}
	ZeroNetNames          = []string{"none", "approve", "slash"}
	RewardSplitNames      = []string{"equal", "stake"}
	SlashDestinationNames = []string{"burn", "pool", "voters"}
)

func (v AuditSampling) String() string    { return AuditSamplingNames[v] }
func (v TriggeredReview) String() string  { return TriggeredReviewNames[v] }
func (v Selection) String() string        { return SelectionNames[v] }
func (v Retry) String() string            { return RetryNames[v] }
func (v VoteWeight) String() string       { return VoteWeightNames[v] }
func (v ZeroNet) String() string          { return ZeroNetNames[v] }
func (v RewardSplit) String() string      { return RewardSplitNames[v] }
func (v SlashDestination) String() string { return SlashDestinationNames[v] }

// SampleAll is the AuditSample value meaning "audit every other submission".
const SampleAll = 0

// Rules holds every option of docs/model.md §3 to §5 where Koii's sources
// differ. DefaultRules is the koii rule set.
type Rules struct {
	AuditSample      int // submissions each auditor checks; SampleAll for all
	AuditSampling    AuditSampling
	TriggeredReview  TriggeredReview
	WatchTriggers    bool
	ReactionDelay    Slot
	Detection        float64 // probability an audit of an invalid proof finds it
	FalseAlarm       float64 // probability an audit of a valid proof flags it
	Selection        Selection
	Retry            Retry
	VoteWeight       VoteWeight
	ZeroNet          ZeroNet
	SlashFraction    Fraction
	RewardSplit      RewardSplit
	SlashDestination SlashDestination
	InitiatorShare   Fraction // of a slash, to the node that opened the trigger (voters destination)
	VestingRounds    int
	SlashPending     bool
	ClaimEvery       int
	UnstakeCooldown  int
	// PaymentLag is the rounds from a cycle's work to its payout, the
	// pipeline's depth (docs/model.md §5): the list of cycle r is built
	// and paid in round r + PaymentLag. Koii: 2.
	PaymentLag int
	// LateDetection is the probability that a paid invalid proof is
	// discovered LateDetectionDelay rounds after its payout, then clawed
	// back and slashed (docs/model.md §5).
	LateDetection      float64
	LateDetectionDelay int
	// VoteWarmup is the rounds after joining before a node may vote or
	// build lists (docs/model.md §3).
	VoteWarmup int
	// StakeAgeCap caps the rounds of stake age a vote counts under
	// vote_weight: stake_age.
	StakeAgeCap int
}

// DefaultRules returns the koii rule set of docs/model.md.
func DefaultRules() Rules {
	return Rules{
		AuditSample:        5,
		ReactionDelay:      10,
		Detection:          1,
		SlashFraction:      7 * (One / 10),
		InitiatorShare:     One / 2,
		ClaimEvery:         1,
		UnstakeCooldown:    3,
		PaymentLag:         2,
		LateDetectionDelay: 10,
		StakeAgeCap:        100,
	}
}

// Costs are the economics around the ledger (docs/model.md §7).
type Costs struct {
	TxFee     ROE // per transaction, from the node's balance, burned
	WorkCost  ROE // per cycle of honest work, off chain
	AuditCost ROE // per audit performed, off chain
	// DiscountRate is the per-round rate at which every net figure is
	// also reported as a present value (statistics only, never money).
	DiscountRate float64
	// FraudLoss is the harm of bad work to the network (docs/model.md
	// §13): for each invalid proof a payout pays, every honest node
	// (not of an attacker kind, no invalid proof of its own in the
	// cycle) loses this much, off chain: in profit figures, not in the
	// ledger.
	FraudLoss ROE
}

// DefaultCosts returns K2's base fee (5000 ROE, as on the Solana runtime
// K2 derives from) and no off-chain costs.
func DefaultCosts() Costs { return Costs{TxFee: 5000} }

// FieldError is a problem with one field of a configuration, named by its
// dotted path as the scenario format spells it ("task.round_time").
type FieldError struct {
	Path string
	Msg  string
}

func (e FieldError) Error() string { return e.Path + ": " + e.Msg }

// Problems collects FieldErrors; the edge reports them all at once.
type Problems []FieldError

// Addf records a problem with the field at path.
func (p *Problems) Addf(path, format string, args ...any) {
	*p = append(*p, FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// Validate checks the creation rule of docs/model.md §2 and the ranges of
// every parameter. Warnings are valid but unwise settings (Koii advises
// each window to be at least a third of the round).
func (t Task) Validate(p *Problems) (warnings []FieldError) {
	if t.RoundTime <= 0 {
		p.Addf("task.round_time", "must be positive, got %d", t.RoundTime)
	}
	if t.SubmissionWindow <= 0 {
		p.Addf("task.submission_window", "must be positive, got %d", t.SubmissionWindow)
	}
	if t.AuditWindow <= 0 {
		p.Addf("task.audit_window", "must be positive, got %d", t.AuditWindow)
	}
	if t.SubmissionWindow > MaxRoundTime {
		p.Addf("task.submission_window", "must be at most %d slots, got %d", MaxRoundTime, t.SubmissionWindow)
	}
	if t.AuditWindow > MaxRoundTime {
		p.Addf("task.audit_window", "must be at most %d slots, got %d", MaxRoundTime, t.AuditWindow)
	}
	inRange := func(s Slot) bool { return s > 0 && s <= MaxRoundTime }
	if inRange(t.RoundTime) && inRange(t.SubmissionWindow) && inRange(t.AuditWindow) {
		if t.SubmissionWindow+t.AuditWindow > t.RoundTime {
			p.Addf("task.round_time", "must be at least submission_window + audit_window = %d (the creation rule), got %d",
				t.SubmissionWindow+t.AuditWindow, t.RoundTime)
		} else {
			if 3*t.SubmissionWindow < t.RoundTime {
				warnings = append(warnings, FieldError{"task.submission_window",
					fmt.Sprintf("%d is less than a third of round_time %d; Koii advises at least a third", t.SubmissionWindow, t.RoundTime)})
			}
			if 3*t.AuditWindow < t.RoundTime {
				warnings = append(warnings, FieldError{"task.audit_window",
					fmt.Sprintf("%d is less than a third of round_time %d; Koii advises at least a third", t.AuditWindow, t.RoundTime)})
			}
		}
	}
	if t.RoundTime > MaxRoundTime {
		p.Addf("task.round_time", "must be at most %d slots, got %d", MaxRoundTime, t.RoundTime)
	}
	if t.MinimumStake < 0 {
		p.Addf("task.minimum_stake", "must not be negative, got %s", t.MinimumStake)
	}
	if t.BountyPerRound <= 0 {
		p.Addf("task.bounty_per_round", "must be positive, got %s", t.BountyPerRound)
	}
	if t.TotalBounty < 0 {
		p.Addf("task.total_bounty", "must not be negative, got %s", t.TotalBounty)
	}
	if t.AllowedFailedDistributions < 0 || t.AllowedFailedDistributions > MaxAllowedFailed {
		p.Addf("task.allowed_failed_distributions", "must be in [0, %d], got %d", MaxAllowedFailed, t.AllowedFailedDistributions)
	}
	if !(t.SlotSeconds > 0) || math.IsInf(t.SlotSeconds, 0) {
		p.Addf("task.slot_seconds", "must be a positive number, got %v", t.SlotSeconds)
	}
	return warnings
}

// Limits that bound a run's memory and the engine's tables.
const (
	MaxRoundTime     Slot = 1 << 20 // about five days of slots
	MaxAllowedFailed      = 10
	MaxVestingRounds      = 100_000
	MaxCooldown           = 100_000
	MinPaymentLag         = 2 // work, review, then the earliest distribution
	MaxPaymentLag         = 50
	MaxLateDelay          = 100_000
	MaxWarmup             = 100_000
	MaxStakeAgeCap        = 100_000
	MaxDiscountRate       = 1.0
)

// Validate checks the ranges of every rule option.
func (r Rules) Validate(p *Problems) {
	if r.AuditSample < 0 {
		p.Addf("rules.audit_sample", "must be a positive count or \"all\", got %d", r.AuditSample)
	}
	if r.ReactionDelay < 0 {
		p.Addf("rules.reaction_delay", "must not be negative, got %d", r.ReactionDelay)
	}
	probability(p, "rules.detection", r.Detection)
	probability(p, "rules.false_alarm", r.FalseAlarm)
	if r.SlashFraction > One {
		p.Addf("rules.slash_fraction", "must be in [0, 1], got %s", r.SlashFraction)
	}
	if r.InitiatorShare > One {
		p.Addf("rules.initiator_share", "must be in [0, 1], got %s", r.InitiatorShare)
	}
	if r.VestingRounds < 0 || r.VestingRounds > MaxVestingRounds {
		p.Addf("rules.vesting_rounds", "must be in [0, %d], got %d", MaxVestingRounds, r.VestingRounds)
	}
	if r.ClaimEvery < 1 {
		p.Addf("rules.claim_every", "must be at least 1 round, got %d", r.ClaimEvery)
	}
	if r.UnstakeCooldown < 0 || r.UnstakeCooldown > MaxCooldown {
		p.Addf("rules.unstake_cooldown", "must be in [0, %d], got %d", MaxCooldown, r.UnstakeCooldown)
	}
	if r.PaymentLag < MinPaymentLag || r.PaymentLag > MaxPaymentLag {
		p.Addf("rules.payment_lag", "must be in [%d, %d] rounds (work, review, then the distribution), got %d", MinPaymentLag, MaxPaymentLag, r.PaymentLag)
	}
	probability(p, "rules.late_detection", r.LateDetection)
	if r.LateDetectionDelay < 1 || r.LateDetectionDelay > MaxLateDelay {
		p.Addf("rules.late_detection_delay", "must be in [1, %d] rounds, got %d", MaxLateDelay, r.LateDetectionDelay)
	}
	if r.VoteWarmup < 0 || r.VoteWarmup > MaxWarmup {
		p.Addf("rules.vote_warmup", "must be in [0, %d] rounds, got %d", MaxWarmup, r.VoteWarmup)
	}
	if r.StakeAgeCap < 1 || r.StakeAgeCap > MaxStakeAgeCap {
		p.Addf("rules.stake_age_cap", "must be in [1, %d] rounds, got %d", MaxStakeAgeCap, r.StakeAgeCap)
	}
	// An option outside its names would run as another option and panic when printed.
	enum(p, "rules.audit_sampling", int(r.AuditSampling), AuditSamplingNames)
	enum(p, "rules.triggered_review", int(r.TriggeredReview), TriggeredReviewNames)
	enum(p, "rules.selection", int(r.Selection), SelectionNames)
	enum(p, "rules.retry", int(r.Retry), RetryNames)
	enum(p, "rules.vote_weight", int(r.VoteWeight), VoteWeightNames)
	enum(p, "rules.zero_net", int(r.ZeroNet), ZeroNetNames)
	enum(p, "rules.reward_split", int(r.RewardSplit), RewardSplitNames)
	enum(p, "rules.slash_destination", int(r.SlashDestination), SlashDestinationNames)
}

func enum(p *Problems, path string, v int, names []string) {
	if v >= len(names) {
		p.Addf(path, "must be one of %s, got %d", strings.Join(names, ", "), v)
	}
}

// Validate checks that costs are not negative.
func (c Costs) Validate(p *Problems) {
	if c.TxFee < 0 {
		p.Addf("costs.tx_fee", "must not be negative, got %s", c.TxFee)
	}
	if c.WorkCost < 0 {
		p.Addf("costs.work_cost", "must not be negative, got %s", c.WorkCost)
	}
	if c.AuditCost < 0 {
		p.Addf("costs.audit_cost", "must not be negative, got %s", c.AuditCost)
	}
	if !(c.DiscountRate >= 0 && c.DiscountRate <= MaxDiscountRate) {
		p.Addf("costs.discount_rate", "must be in [0, %v] per round, got %v", MaxDiscountRate, c.DiscountRate)
	}
	if c.FraudLoss < 0 {
		p.Addf("costs.fraud_loss", "must not be negative, got %s", c.FraudLoss)
	}
}

func probability(p *Problems, path string, v float64) {
	if !(v >= 0 && v <= 1) {
		p.Addf(path, "must be a probability in [0, 1], got %v", v)
	}
}
