package main

import (
	"fmt"

	"github.com/koiisim/koiisim/internal/sysmem"
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
