package main

import (
	"fmt"

	"github.com/koiisim/koiisim/internal/sysmem"
	"github.com/koiisim/koiisim/scenarios"
	"github.com/koiisim/koiisim/sim"
)

// checkMemory refuses, with exit code 2 and before anything is
// allocated, work whose estimate passes the memory allowed: --max-memory
// when given, else what the machine has available. perRun is the
// largest run's sim.EstimateMemory and perNode its sim.BytesPerNode;
// runs run at once (--workers).
func checkMemory(e *env, cmd string, perRun, perNode uint64, runs int, maxMemory string) int {
	var allowed sysmem.Limit
	if maxMemory != "" {
		b, err := sysmem.ParseSize(maxMemory)
		if err != nil {
			fmt.Fprintf(e.stderr, "koiisim %s: --max-memory %v\n", cmd, err)
			return exitUsage
		}
		allowed = sysmem.Limit{Bytes: b, Source: "--max-memory"}
	} else if a, ok := sysmem.Available(); ok {
		allowed = a
	} else {
		return exitOK // nothing to measure against on this system
	}
	need := perRun * uint64(runs)
	if need <= allowed.Bytes {
		return exitOK
	}
	at := ""
	if runs > 1 {
		at = fmt.Sprintf("%d runs at once (--workers), each up to %s; ", runs, sysmem.Format(perRun))
	}
	fmt.Fprintf(e.stderr, "koiisim %s: memory limit: the work needs about %s (%sestimated from the engine's records: %d bytes a node live, twice that with the Go heap's headroom), more than the %s allowed (%s); lower the node counts (populations.*.count)%s, or raise --max-memory if the machine has more\n",
		cmd, sysmem.Format(need), at, perNode, sysmem.Format(allowed.Bytes), allowed.Source, workersHint(runs))
	return exitUsage
}

func workersHint(runs int) string {
	if runs > 1 {
		return " or --workers"
	}
	return ""
}

// boxEnds is one dimension of a search box: the --set lines of its two
// ends (PATH=LO and PATH=HI).
type boxEnds [2]string

// endError is an end of a search box whose scenario does not load.
type endError struct {
	set string // PATH=VALUE
	err error
}

func (e *endError) Error() string { return e.set + ": " + e.err.Error() }
func (e *endError) Unwrap() error { return e.err }

// boxMemory returns the largest sim.EstimateMemory of a search over a box
// of scenarios (arg with sets, each dimension anywhere between its ends),
// checking that every end loads (an *endError names one that does not).
// Each dimension's end with the larger estimate, taken together, makes
// the corner estimated last: for counts, memory grows with each alone,
// so that corner is the box's largest.
func boxMemory(arg string, sets []string, dims []boxEnds) (uint64, error) {
	var need uint64
	largest := append([]string(nil), sets...)
	for _, d := range dims {
		var est [2]uint64
		for i, set := range d {
			sc, _, err := scenarios.Resolve(arg, append(append([]string(nil), sets...), set))
			if err != nil {
				return 0, &endError{set: set, err: err}
			}
			est[i] = sim.EstimateMemory(&sc.Config)
			need = max(need, est[i])
		}
		if est[1] > est[0] {
			largest = append(largest, d[1])
		} else {
			largest = append(largest, d[0])
		}
	}
	if sc, _, err := scenarios.Resolve(arg, largest); err == nil {
		need = max(need, sim.EstimateMemory(&sc.Config))
	}
	return need, nil
}
