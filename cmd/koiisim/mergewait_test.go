package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// merge --wait started before any shard (the Kubernetes merge Job is
// applied with the sweep) waits for every shard, then writes what one
// machine would have written.
func TestMergeWaitsForUnfinishedShards(t *testing.T) {
	path := scenarioFile(t, sweepScenario)
	whole := filepath.Join(t.TempDir(), "whole")
	koiisimOK(t, "sweep", path, "--out", whole, "-q")

	shared := filepath.Join(t.TempDir(), "shared") // not there yet
	type result struct {
		code        int
		out, errOut string
	}
	done := make(chan result, 1)
	go func() {
		var out, errb bytes.Buffer
		code := run([]string{"merge", shared, "--wait", "2m", "--poll", "20ms"}, &out, &errb)
		done <- result{code, out.String(), errb.String()}
	}()
	koiisimOK(t, "sweep", path, "--shard", "0/2", "--out", shared, "-q")
	time.Sleep(100 * time.Millisecond) // five polls with a cell missing
	select {
	case r := <-done:
		t.Fatalf("merge ended with shard 1/2 not run: exit %d\n%s%s", r.code, r.out, r.errOut)
	default:
	}
	koiisimOK(t, "sweep", path, "--shard", "1/2", "--out", shared, "-q")
	var r result
	select {
	case r = <-done:
	case <-time.After(time.Minute):
		t.Fatal("merge --wait did not end within a minute of the last shard")
	}
	if r.code != 0 || !strings.Contains(r.out, "merged 12 cells of cli-sweep") {
		t.Fatalf("merge --wait: exit %d\n%s%s", r.code, r.out, r.errOut)
	}
	sameTree(t, "merged after waiting vs whole", tree(t, whole), tree(t, shared))
}

// merge --wait gives up after its duration with the usual exit 2 and
// the unfinished shards named; a non-positive --poll is a usage error.
func TestMergeWaitGivesUpNamingTheShards(t *testing.T) {
	path := scenarioFile(t, sweepScenario)
	dir := t.TempDir()
	koiisimOK(t, "sweep", path, "--shard", "0/2", "--out", dir, "-q")
	start := time.Now()
	code, _, errs := koiisim(t, "merge", dir, "--wait", "300ms", "--poll", "50ms")
	if code != 2 || !strings.Contains(errs, "1/2") {
		t.Errorf("merge --wait with shard 1/2 missing: exit %d, want 2 naming shard 1/2: %s", code, errs)
	}
	if waited := time.Since(start); waited < 200*time.Millisecond {
		t.Errorf("merge --wait 300ms gave up after %v, without waiting", waited)
	}
	if code, _, errs := koiisim(t, "merge", dir, "--wait", "1s", "--poll", "0s"); code != 2 || !strings.Contains(errs, "--poll") {
		t.Errorf("--poll 0s: exit %d: %s", code, errs)
	}
}
