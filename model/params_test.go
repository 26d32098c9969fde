package model

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestDefaultsAreKoii checks that the defaults are the koii rule set and
// task parameters of docs/model.md §2 to §5, and that they validate with
// neither problem nor warning.
func TestDefaultsAreKoii(t *testing.T) {
	task := DefaultTask()
	if task.RoundTime != 1500 || task.SubmissionWindow != 600 || task.AuditWindow != 600 ||
		task.MinimumStake != 1_900_000_000 || task.BountyPerRound != 10*PerKOII || task.TotalBounty != 10000*PerKOII ||
		task.AllowedFailedDistributions != 3 || task.SlotSeconds != 0.408 {
		t.Errorf("DefaultTask = %+v", task)
	}
	r := DefaultRules()
	if r.AuditSample != 5 || r.TriggeredReview != ReviewSampled || r.WatchTriggers || r.Detection != 1 || r.FalseAlarm != 0 ||
		r.Selection != SelectKoii || r.Retry != RetryNextPeriod || r.VoteWeight != WeightNode || r.ZeroNet != ZeroNone ||
		r.SlashFraction != 700_000_000 || r.RewardSplit != SplitEqual || r.SlashDestination != SlashBurn ||
		r.VestingRounds != 0 || r.SlashPending || r.ClaimEvery != 1 || r.UnstakeCooldown != 3 {
		t.Errorf("DefaultRules = %+v", r)
	}
	if task.Attempts() != 4 || task.Period() != 1200 {
		t.Errorf("Attempts = %d, Period = %d; want 1 + 3 allowed failures, 600 + 600 slots", task.Attempts(), task.Period())
	}
	var p Problems
	w := task.Validate(&p)
	r.Validate(&p)
	DefaultCosts().Validate(&p)
	if len(p) != 0 || len(w) != 0 {
		t.Errorf("defaults: problems %v, warnings %v", p, w)
	}
}

// TestTaskCreationRule checks the creation rule: round_time >=
// submission_window + audit_window, all three positive; each broken part
// is named by its path (docs/model.md §2).
func TestTaskCreationRule(t *testing.T) {
	tests := []struct {
		rt, sw, aw Slot
		want       []string
	}{
		{1500, 600, 600, nil},
		{1200, 600, 600, nil}, // equality is allowed
		{1199, 600, 600, []string{"task.round_time"}},
		{3, 1, 1, nil},
		{1, 1, 1, []string{"task.round_time"}},
		{0, 600, 600, []string{"task.round_time"}},
		{-1, 600, 600, []string{"task.round_time"}},
		{1500, 0, 600, []string{"task.submission_window"}},
		{1500, 600, -5, []string{"task.audit_window"}},
		{0, 0, 0, []string{"task.round_time", "task.submission_window", "task.audit_window"}},
		{MaxRoundTime + 1, 600, 600, []string{"task.round_time"}},
		{MaxRoundTime, MaxRoundTime / 2, MaxRoundTime / 2, nil},
	}
	for _, tt := range tests {
		task := DefaultTask()
		task.RoundTime, task.SubmissionWindow, task.AuditWindow = tt.rt, tt.sw, tt.aw
		var p Problems
		task.Validate(&p)
		wantPaths(t, fmt.Sprintf("round_time %d, windows %d + %d", tt.rt, tt.sw, tt.aw), p, tt.want...)
	}
}

// TestTaskWarnsWindowUnderAThirdOfTheRound checks that a window shorter
// than a third of the round is valid but warned about, by path; an
// invalid task gets no such warning (docs/model.md §2).
func TestTaskWarnsWindowUnderAThirdOfTheRound(t *testing.T) {
	tests := []struct {
		rt, sw, aw Slot
		want       []string
	}{
		{1500, 500, 500, nil}, // exactly a third
		{1500, 499, 600, []string{"task.submission_window"}},
		{1500, 600, 499, []string{"task.audit_window"}},
		{1500, 100, 100, []string{"task.submission_window", "task.audit_window"}},
		{1500, 1000, 1000, nil}, // invalid: a problem, not a warning
		{0, 100, 100, nil},
	}
	for _, tt := range tests {
		task := DefaultTask()
		task.RoundTime, task.SubmissionWindow, task.AuditWindow = tt.rt, tt.sw, tt.aw
		var p Problems
		w := task.Validate(&p)
		wantPaths(t, "warnings", w, tt.want...)
		for _, fe := range w {
			if !strings.Contains(fe.Msg, "a third") {
				t.Errorf("warning %q does not say why", fe)
			}
		}
		if tt.want != nil && len(p) != 0 {
			t.Errorf("a warned task has problems %v", p)
		}
	}
}

// TestTaskValidateRanges checks the range of every other task parameter
// (docs/model.md §2).
func TestTaskValidateRanges(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Task)
		want []string
	}{
		{"minimum_stake 0", func(t *Task) { t.MinimumStake = 0 }, nil},
		{"minimum_stake < 0", func(t *Task) { t.MinimumStake = -1 }, []string{"task.minimum_stake"}},
		{"bounty_per_round 0", func(t *Task) { t.BountyPerRound = 0 }, []string{"task.bounty_per_round"}},
		{"bounty_per_round 1 ROE", func(t *Task) { t.BountyPerRound = 1 }, nil},
		{"total_bounty 0", func(t *Task) { t.TotalBounty = 0 }, nil},
		{"total_bounty < 0", func(t *Task) { t.TotalBounty = -1 }, []string{"task.total_bounty"}},
		{"allowed failures -1", func(t *Task) { t.AllowedFailedDistributions = -1 }, []string{"task.allowed_failed_distributions"}},
		{"allowed failures 0", func(t *Task) { t.AllowedFailedDistributions = 0 }, nil},
		{"allowed failures max", func(t *Task) { t.AllowedFailedDistributions = MaxAllowedFailed }, nil},
		{"allowed failures max+1", func(t *Task) { t.AllowedFailedDistributions = MaxAllowedFailed + 1 }, []string{"task.allowed_failed_distributions"}},
		{"slot_seconds 0", func(t *Task) { t.SlotSeconds = 0 }, []string{"task.slot_seconds"}},
		{"slot_seconds NaN", func(t *Task) { t.SlotSeconds = math.NaN() }, []string{"task.slot_seconds"}},
		{"slot_seconds Inf", func(t *Task) { t.SlotSeconds = math.Inf(1) }, []string{"task.slot_seconds"}},
	}
	for _, tt := range tests {
		task := DefaultTask()
		tt.edit(&task)
		var p Problems
		task.Validate(&p)
		wantPaths(t, tt.name, p, tt.want...)
	}
}

// TestRulesValidateRanges checks that every rule option out of its range
// is a problem named by the scenario format's path (docs/model.md §3 to §5).
func TestRulesValidateRanges(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Rules)
		want []string
	}{
		{"audit_sample all", func(r *Rules) { r.AuditSample = SampleAll }, nil},
		{"audit_sample -1", func(r *Rules) { r.AuditSample = -1 }, []string{"rules.audit_sample"}},
		{"reaction_delay -1", func(r *Rules) { r.ReactionDelay = -1 }, []string{"rules.reaction_delay"}},
		{"detection 0", func(r *Rules) { r.Detection = 0 }, nil},
		{"detection 1.01", func(r *Rules) { r.Detection = 1.01 }, []string{"rules.detection"}},
		{"detection NaN", func(r *Rules) { r.Detection = math.NaN() }, []string{"rules.detection"}},
		{"false_alarm -0.1", func(r *Rules) { r.FalseAlarm = -0.1 }, []string{"rules.false_alarm"}},
		{"false_alarm 1", func(r *Rules) { r.FalseAlarm = 1 }, nil},
		{"slash_fraction 1", func(r *Rules) { r.SlashFraction = One }, nil},
		{"slash_fraction above 1", func(r *Rules) { r.SlashFraction = One + 1 }, []string{"rules.slash_fraction"}},
		{"initiator_share above 1", func(r *Rules) { r.InitiatorShare = One + 1 }, []string{"rules.initiator_share"}},
		{"vesting_rounds -1", func(r *Rules) { r.VestingRounds = -1 }, []string{"rules.vesting_rounds"}},
		{"vesting_rounds max+1", func(r *Rules) { r.VestingRounds = MaxVestingRounds + 1 }, []string{"rules.vesting_rounds"}},
		{"claim_every 0", func(r *Rules) { r.ClaimEvery = 0 }, []string{"rules.claim_every"}},
		{"unstake_cooldown -1", func(r *Rules) { r.UnstakeCooldown = -1 }, []string{"rules.unstake_cooldown"}},
		{"unstake_cooldown max+1", func(r *Rules) { r.UnstakeCooldown = MaxCooldown + 1 }, []string{"rules.unstake_cooldown"}},
		{"every last option", func(r *Rules) {
			r.TriggeredReview, r.Selection, r.Retry, r.VoteWeight = ReviewAll, SelectUniform, RetrySamePeriod, WeightStake
			r.ZeroNet, r.RewardSplit, r.SlashDestination = ZeroSlash, SplitStake, SlashVoters
		}, nil},
		// An option outside its names would run as some other option and
		// panic when printed.
		{"triggered_review unknown", func(r *Rules) { r.TriggeredReview = 2 }, []string{"rules.triggered_review"}},
		{"selection unknown", func(r *Rules) { r.Selection = 3 }, []string{"rules.selection"}},
		{"retry unknown", func(r *Rules) { r.Retry = 2 }, []string{"rules.retry"}},
		{"vote_weight unknown", func(r *Rules) { r.VoteWeight = 3 }, []string{"rules.vote_weight"}},
		{"audit_sampling unknown", func(r *Rules) { r.AuditSampling = 2 }, []string{"rules.audit_sampling"}},
		{"payment_lag below the pipeline", func(r *Rules) { r.PaymentLag = 1 }, []string{"rules.payment_lag"}},
		{"payment_lag too deep", func(r *Rules) { r.PaymentLag = MaxPaymentLag + 1 }, []string{"rules.payment_lag"}},
		{"late_detection not a probability", func(r *Rules) { r.LateDetection = 1.5 }, []string{"rules.late_detection"}},
		{"late_detection_delay zero", func(r *Rules) { r.LateDetectionDelay = 0 }, []string{"rules.late_detection_delay"}},
		{"vote_warmup negative", func(r *Rules) { r.VoteWarmup = -1 }, []string{"rules.vote_warmup"}},
		{"stake_age_cap zero", func(r *Rules) { r.StakeAgeCap = 0 }, []string{"rules.stake_age_cap"}},
		{"zero_net unknown", func(r *Rules) { r.ZeroNet = 3 }, []string{"rules.zero_net"}},
		{"reward_split unknown", func(r *Rules) { r.RewardSplit = 2 }, []string{"rules.reward_split"}},
		{"slash_destination unknown", func(r *Rules) { r.SlashDestination = 3 }, []string{"rules.slash_destination"}},
	}
	for _, tt := range tests {
		r := DefaultRules()
		tt.edit(&r)
		var p Problems
		r.Validate(&p)
		wantPaths(t, tt.name, p, tt.want...)
	}
}

// TestCostsValidate checks that no cost is negative (docs/model.md §7).
func TestCostsValidate(t *testing.T) {
	if DefaultCosts().TxFee != 5000 {
		t.Errorf("default tx_fee = %d ROE, want 5000", DefaultCosts().TxFee)
	}
	var p Problems
	Costs{TxFee: -1, WorkCost: -1, AuditCost: -1}.Validate(&p)
	wantPaths(t, "negative costs", p, "costs.tx_fee", "costs.work_cost", "costs.audit_cost")
	p = nil
	Costs{}.Validate(&p)
	wantPaths(t, "zero costs", p)
}

// TestFieldErrorNamesItsPath checks the form of a problem: path, then
// what is wrong.
func TestFieldErrorNamesItsPath(t *testing.T) {
	var p Problems
	p.Addf("task.round_time", "must be positive, got %d", -3)
	if len(p) != 1 || p[0].Error() != "task.round_time: must be positive, got -3" {
		t.Errorf("Problems = %v", p)
	}
}
