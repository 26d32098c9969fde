package sim

import "github.com/koiisim/koiisim/model"

// TraceKind names what a TraceEvent records.
type TraceKind uint8

const (
	TraceProof      TraceKind = iota // a proof landed (Value: 1 valid, 0 invalid)
	TraceLate                        // a proof that would land after the window
	TraceVote                        // a vote on a proof (Target: its submitter; Value: 1 true, 0 false)
	TraceListVote                    // a vote on a list (Target: its builder)
	TraceTrigger                     // a false vote opened a trigger (on a proof, or a list with List set)
	TraceList                        // a chosen builder sent its list (Value: 1 correct, 0 wrong; Note: "chain-rejected" when refused)
	TraceNoList                      // a chosen builder sent no list
	TraceListDone                    // a list's votes closed (Value: 1 paid, 0 rejected)
	TraceReward                      // a payout credited Amount to Node
	TraceSlash                       // a payout took Amount from Node's stake and pending rewards
	TraceWithdraw                    // a stopped node withdrew Amount of stake
	TraceLateDetect                  // a paid invalid proof of Cycle was discovered: Amount clawed back (Value: 1 if all of it)
)

// TraceKindNames name the kinds in trace files.
var TraceKindNames = []string{"proof", "late", "vote", "list-vote", "trigger", "list", "no-list", "list-closed", "reward", "slash", "withdraw", "late-detection"}

func (k TraceKind) String() string { return TraceKindNames[k] }

// TraceEvent is one step of a run, for Options.Trace: who did what to
// whom at which slot. Node and Target are node IDs (NoNode: none).
type TraceEvent struct {
	Slot   model.Slot
	Round  int
	Cycle  int
	Kind   TraceKind
	Node   int32
	Target int32
	List   bool // the vote or trigger is on a list
	Value  int
	Amount model.ROE
	Note   string
}

// NoNode is a TraceEvent's Target when the event has none.
const NoNode int32 = -1

// trace sends ev, stamped with the current slot and round, to
// Options.Trace, if set. Callers build ev with named fields.
func (e *engine) trace(ev TraceEvent) {
	if e.opt.Trace == nil {
		return
	}
	stamped := ev // allocated only when tracing: ev itself stays on the stack
	stamped.Slot, stamped.Round = e.q.now, e.round
	e.opt.Trace(&stamped)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
