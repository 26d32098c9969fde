package sim

import "math"

// presentValue discounts every node's net profit at costs.discount_rate
// per round (docs/model.md §7): a flow in round r of a node that joined
// in round j counts (1 + rate)^-(r - j). Flows are read off the node's
// counters round by round: the change of its net profit since the last
// pass happened in the round that just ended. Floats, for statistics
// only: the ledger never sees them.
type presentValue struct {
	growth  float64   // 1 + rate
	atRound float64   // (1 + rate)^-round of the round being closed
	joinAt  []float64 // per node: (1 + rate)^join
	last    []int64   // per node: net profit at the last pass, ROE
	value   []float64 // per node: present value so far, ROE
}

func newPresentValue(rate float64, joins []int) *presentValue {
	pv := &presentValue{growth: 1 + rate, atRound: 1, joinAt: make([]float64, len(joins)),
		last: make([]int64, len(joins)), value: make([]float64, len(joins))}
	for i, j := range joins {
		pv.joinAt[i] = math.Pow(pv.growth, float64(j))
	}
	return pv
}

// close books the flows of round r: net holds every node's net profit now.
func (pv *presentValue) close(r int, net func(i int) int64) {
	pv.atRound = math.Pow(pv.growth, -float64(r))
	for i := range pv.value {
		n := net(i)
		if d := n - pv.last[i]; d != 0 {
			pv.value[i] += float64(d) * pv.atRound * pv.joinAt[i]
			pv.last[i] = n
		}
	}
}
