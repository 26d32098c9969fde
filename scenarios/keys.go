package scenarios

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/koiisim/koiisim/model"
)

// key is one key of a mapping in the format: how to read it into a T,
// how to write it back, and how the reference describes it. One table of
// keys per mapping drives decoding, Marshal and Reference, so the three
// cannot disagree.
type key[T any] struct {
	name     string
	typ      string // the value's type, for the reference
	rng      string // the valid range, for the reference ("" when the type says it all)
	def      string // the default, for the reference, when writing the default value would not say it
	doc      string
	required bool
	// read decodes n into the field; on a problem it reports it and leaves
	// the field at its default.
	read func(d *decoder, n *yaml.Node, path string, into *T)
	// write encodes the field; nil leaves an optional key out.
	write func(from *T) *yaml.Node
}

func keyNames[T any](keys []key[T]) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.name
	}
	return out
}

// readMapping decodes mapping n into *into by the table keys: unknown and
// repeated keys are problems, absent keys keep into's defaults, absent
// required keys are problems.
func readMapping[T any](d *decoder, n *yaml.Node, path string, keys []key[T], into *T) {
	m := d.entries(n, path, keyNames(keys))
	if m == nil {
		return
	}
	for _, k := range keys {
		v, ok := m[k.name]
		switch {
		case ok:
			k.read(d, v, join(path, k.name), into)
		case k.required:
			d.addf(join(path, k.name), "is required")
		}
	}
}

// writeMapping writes every key of the table, in table order, but for
// optional keys whose write returns nil (a sweep: the file did not have).
func writeMapping[T any](keys []key[T], from *T) *yaml.Node {
	n := mappingNode()
	for _, k := range keys {
		if v := k.write(from); v != nil {
			n.Content = append(n.Content, textNode(k.name), v)
		}
	}
	return n
}

// Constructors of keys by value type. Each takes an accessor returning a
// pointer to the field, so read and write share it.

func slotKey[T any](name, rng, doc string, at func(*T) *model.Slot) key[T] {
	return key[T]{name: name, typ: "slots (integer)", rng: rng, doc: doc,
		read: func(d *decoder, n *yaml.Node, path string, t *T) {
			if v, ok := d.slots(n, path); ok {
				*at(t) = v
			}
		},
		write: func(t *T) *yaml.Node { return intNode(int64(*at(t))) },
	}
}

func intKey[T any](name, typ, rng, doc string, at func(*T) *int) key[T] {
	return key[T]{name: name, typ: typ, rng: rng, doc: doc,
		read: func(d *decoder, n *yaml.Node, path string, t *T) {
			if v, ok := d.integer(n, path); ok {
				*at(t) = v
			}
		},
		write: func(t *T) *yaml.Node { return intNode(int64(*at(t))) },
	}
}

func koiiKey[T any](name, rng, doc string, at func(*T) *model.ROE) key[T] {
	return key[T]{name: name, typ: "KOII (decimal, at most 9 decimals)", rng: rng, doc: doc,
		read: func(d *decoder, n *yaml.Node, path string, t *T) {
			if v, ok := d.koii(n, path); ok {
				*at(t) = v
			}
		},
		write: func(t *T) *yaml.Node { return plainNode((*at(t)).String()) },
	}
}

func numberKey[T any](name, typ, rng, doc string, at func(*T) *float64) key[T] {
	return key[T]{name: name, typ: typ, rng: rng, doc: doc,
		read: func(d *decoder, n *yaml.Node, path string, t *T) {
			if v, ok := d.number(n, path); ok {
				*at(t) = v
			}
		},
		write: func(t *T) *yaml.Node { return floatNode(*at(t)) },
	}
}

func fractionKey[T any](name, doc string, at func(*T) *model.Fraction) key[T] {
	return key[T]{name: name, typ: "fraction (decimal, at most 9 decimals)", rng: "[0, 1]", doc: doc,
		read: func(d *decoder, n *yaml.Node, path string, t *T) {
			if v, ok := d.fraction(n, path); ok {
				*at(t) = v
			}
		},
		write: func(t *T) *yaml.Node { return plainNode((*at(t)).String()) },
	}
}

func boolKey[T any](name, doc string, at func(*T) *bool) key[T] {
	return key[T]{name: name, typ: "bool", doc: doc,
		read: func(d *decoder, n *yaml.Node, path string, t *T) {
			if v, ok := d.boolean(n, path); ok {
				*at(t) = v
			}
		},
		write: func(t *T) *yaml.Node { return boolNode(*at(t)) },
	}
}

// enumKey is a key whose value is one of names, stored as its index.
func enumKey[T any, E ~uint8](name, doc string, names []string, at func(*T) *E) key[T] {
	return key[T]{name: name, typ: "one of " + oneOf(names), doc: doc,
		read: func(d *decoder, n *yaml.Node, path string, t *T) {
			if v, ok := d.choice(n, path, names); ok {
				*at(t) = E(v)
			}
		},
		write: func(t *T) *yaml.Node { return textNode(names[*at(t)]) },
	}
}

// taskKeys are the keys of task: (docs/model.md §2).
var taskKeys = []key[model.Task]{
	slotKey("round_time", fmt.Sprintf("> 0, >= submission_window + audit_window (the creation rule), <= %d", model.MaxRoundTime),
		"slots per round", func(t *model.Task) *model.Slot { return &t.RoundTime }),
	slotKey("submission_window", "> 0", "slots for submissions at the start of a period",
		func(t *model.Task) *model.Slot { return &t.SubmissionWindow }),
	slotKey("audit_window", "> 0", "slots for votes, right after the submission window",
		func(t *model.Task) *model.Slot { return &t.AuditWindow }),
	koiiKey("minimum_stake", ">= 0", "stake a node needs to submit and vote",
		func(t *model.Task) *model.ROE { return &t.MinimumStake }),
	koiiKey("bounty_per_round", "> 0", "KOII cap paid out per cycle",
		func(t *model.Task) *model.ROE { return &t.BountyPerRound }),
	koiiKey("total_bounty", ">= 0", "KOII funding the task; it stops when less than one round's bounty is left",
		func(t *model.Task) *model.ROE { return &t.TotalBounty }),
	intKey("allowed_failed_distributions", "integer", fmt.Sprintf("[0, %d]", model.MaxAllowedFailed), "list attempts that may fail before a cycle goes unpaid",
		func(t *model.Task) *int { return &t.AllowedFailedDistributions }),
	numberKey("slot_seconds", "number", "> 0", "seconds per slot, only to print wall-clock equivalents",
		func(t *model.Task) *float64 { return &t.SlotSeconds }),
}

// rulesKeys are the keys of rules: (docs/model.md §3 to §5).
var rulesKeys = []key[model.Rules]{
	auditSampleKey,
	enumKey("audit_sampling", "how the sample is drawn: koii (min(audit_sample, N) of all N submissions, its own included, then its own skipped: each other proof sampled with probability audit_sample/N, as Koii's task wrapper does) or others (audit_sample of the N-1 others: probability audit_sample/(N-1))",
		model.AuditSamplingNames, func(r *model.Rules) *model.AuditSampling { return &r.AuditSampling }),
	enumKey("triggered_review", "sampled: an auditor looks only at its sample (the wrapper's code); all: also at every open trigger (the docs)",
		model.TriggeredReviewNames, func(r *model.Rules) *model.TriggeredReview { return &r.TriggeredReview }),
	boolKey("watch_triggers", "honest nodes that already acted answer triggers opened later in the window",
		func(r *model.Rules) *bool { return &r.WatchTriggers }),
	slotKey("reaction_delay", ">= 0", "slots a watching node takes to answer a trigger",
		func(r *model.Rules) *model.Slot { return &r.ReactionDelay }),
	numberKey("detection", "probability", "[0, 1]", "probability an audit of an invalid proof finds it",
		func(r *model.Rules) *float64 { return &r.Detection }),
	numberKey("false_alarm", "probability", "[0, 1]", "probability an audit of a valid proof wrongly flags it",
		func(r *model.Rules) *float64 { return &r.FalseAlarm }),
	enumKey("selection", "how the list builder is chosen: koii (highest hash score, grindable), stake (proportional to stake), uniform",
		model.SelectionNames, func(r *model.Rules) *model.Selection { return &r.Selection }),
	enumKey("retry", "when a rejected list is built again",
		model.RetryNames, func(r *model.Rules) *model.Retry { return &r.Retry }),
	enumKey("vote_weight", "what one vote weighs: node (one node one vote), stake, or stake_age (stake times rounds staked, capped at stake_age_cap: floor(stake * min(age, cap) / cap))",
		model.VoteWeightNames, func(r *model.Rules) *model.VoteWeight { return &r.VoteWeight }),
	enumKey("zero_net", "what a triggered submission with net zero votes gets",
		model.ZeroNetNames, func(r *model.Rules) *model.ZeroNet { return &r.ZeroNet }),
	fractionKey("slash_fraction", "fraction of its stake a slashed node loses (floored to ROE)",
		func(r *model.Rules) *model.Fraction { return &r.SlashFraction }),
	enumKey("reward_split", "how the bounty is shared among approved nodes",
		model.RewardSplitNames, func(r *model.Rules) *model.RewardSplit { return &r.RewardSplit }),
	enumKey("slash_destination", "where slashed stake goes",
		model.SlashDestinationNames, func(r *model.Rules) *model.SlashDestination { return &r.SlashDestination }),
	fractionKey("initiator_share", "share of a slash to the node that opened the trigger (slash_destination: voters)",
		func(r *model.Rules) *model.Fraction { return &r.InitiatorShare }),
	intKey("vesting_rounds", "rounds (integer)", fmt.Sprintf("[0, %d]", model.MaxVestingRounds), "rounds a paid reward stays pending before it can be claimed",
		func(r *model.Rules) *int { return &r.VestingRounds }),
	boolKey("slash_pending", "a slash also forfeits the node's pending rewards",
		func(r *model.Rules) *bool { return &r.SlashPending }),
	intKey("claim_every", "rounds (integer)", ">= 1", "rounds between a node's claims (each costs tx_fee)",
		func(r *model.Rules) *int { return &r.ClaimEvery }),
	intKey("unstake_cooldown", "rounds (integer)", fmt.Sprintf("[0, %d]", model.MaxCooldown), "rounds without a submission before a stopped node can withdraw its stake",
		func(r *model.Rules) *int { return &r.UnstakeCooldown }),
	intKey("payment_lag", "rounds (integer)", fmt.Sprintf("[%d, %d]", model.MinPaymentLag, model.MaxPaymentLag), "rounds from a cycle's work to its payout: cycle r's list is built and paid in round r + payment_lag (Koii: 2)",
		func(r *model.Rules) *int { return &r.PaymentLag }),
	numberKey("late_detection", "probability", "[0, 1]", "probability that a paid invalid proof is discovered late_detection_delay rounds after its payout: its reward is clawed back from pending, then claimable, rewards (what was claimed is lost to the task) and slash_fraction of the stake left is slashed",
		func(r *model.Rules) *float64 { return &r.LateDetection }),
	intKey("late_detection_delay", "rounds (integer)", fmt.Sprintf("[1, %d]", model.MaxLateDelay), "rounds from a paid invalid proof's payout to its late discovery",
		func(r *model.Rules) *int { return &r.LateDetectionDelay }),
	intKey("vote_warmup", "rounds (integer)", fmt.Sprintf("[0, %d]", model.MaxWarmup), "rounds after joining before a node may vote or build lists",
		func(r *model.Rules) *int { return &r.VoteWarmup }),
	intKey("stake_age_cap", "rounds (integer)", fmt.Sprintf("[1, %d]", model.MaxStakeAgeCap), "with vote_weight stake_age: the rounds of stake age at which a vote weighs its full stake",
		func(r *model.Rules) *int { return &r.StakeAgeCap }),
}

// auditSampleKey is a positive count or "all" (model.SampleAll). Zero is
// refused rather than read as "all": it is more likely a mistake.
var auditSampleKey = key[model.Rules]{
	name: "audit_sample", typ: `integer or "all"`, rng: ">= 1",
	doc: "submissions each auditor draws uniformly without replacement (see audit_sampling); all: every other submission",
	read: func(d *decoder, n *yaml.Node, path string, r *model.Rules) {
		if s := deref(n); s != nil && s.Kind == yaml.ScalarNode && s.ShortTag() == "!!str" {
			if s.Value == "all" {
				r.AuditSample = model.SampleAll
			} else {
				d.addf(path, `must be a positive whole number or "all", got %s`, describe(s))
			}
			return
		}
		v, ok := d.integer(n, path)
		switch {
		case !ok:
		case v < 1:
			d.addf(path, `must be a positive whole number or "all", got %d`, v)
		default:
			r.AuditSample = v
		}
	},
	write: func(r *model.Rules) *yaml.Node {
		if r.AuditSample == model.SampleAll {
			return textNode("all")
		}
		return intNode(int64(r.AuditSample))
	},
}

// costsKeys are the keys of costs: (docs/model.md §7).
var costsKeys = []key[model.Costs]{
	koiiKey("tx_fee", ">= 0", "per transaction (submission, vote, list, claim, withdraw), from the node's balance, burned",
		func(c *model.Costs) *model.ROE { return &c.TxFee }),
	koiiKey("work_cost", ">= 0", "per cycle of honest work, off chain (profit figures only)",
		func(c *model.Costs) *model.ROE { return &c.WorkCost }),
	koiiKey("audit_cost", ">= 0", "per audit performed, off chain (profit figures only)",
		func(c *model.Costs) *model.ROE { return &c.AuditCost }),
	numberKey("discount_rate", "rate per round", fmt.Sprintf("[0, %v]", model.MaxDiscountRate), "every net figure is also reported as a present value at the node's join round, each flow discounted by (1 + rate)^-(rounds since joining)",
		func(c *model.Costs) *float64 { return &c.DiscountRate }),
	omitZero(koiiKey("fraud_loss", ">= 0", "per invalid proof a payout pays, charged to every honest node (not an attacker kind, no invalid proof of its own in the cycle), off chain (profit figures only)",
		func(c *model.Costs) *model.ROE { return &c.FraudLoss })),
}

// omitZero leaves a money key out of a resolved scenario while it is 0,
// so keys added later do not change the text (and hash) of scenarios
// that do not use them.
func omitZero[T any](k key[T]) key[T] {
	write := k.write
	if k.def == "" {
		k.def = "`0`"
	}
	k.write = func(t *T) *yaml.Node {
		if n := write(t); n.Value != "0" {
			return n
		}
		return nil
	}
	return k
}
