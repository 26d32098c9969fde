package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompareCommand: compare prints the differing metrics with the
// single-run caveat and writes the HTML page beside A by default.
func TestCompareCommand(t *testing.T) {
	t.Parallel() // rendering figures is the slow part; two cores
	a, b := copyRun(t, "run-small"), copyRun(t, "replicates")
	var out, errb bytes.Buffer
	if code := run([]string{"compare", a, b}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"honest.rewards", "n/a: a single run", "B − A", filepath.Join(a, "compare-replicates.html")} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	page, err := os.ReadFile(filepath.Join(a, "compare-replicates.html"))
	if err != nil || !bytes.Contains(page, []byte("<svg")) {
		t.Fatalf("compare page: %v", err)
	}
	custom := filepath.Join(t.TempDir(), "x.html")
	out.Reset()
	if code := run([]string{"compare", b, b, "--out", custom, "--all"}, &out, &errb); code != exitOK {
		t.Fatalf("--out: exit %d: %s", code, errb.String())
	}
	if _, err := os.Stat(custom); err != nil {
		t.Error(err)
	}
	if !strings.Contains(out.String(), "1.0000") {
		t.Error("a replicate set against itself: p-values of 1 expected")
	}
}

func TestCompareUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"compare", t.TempDir()}, &out, &errb); code != exitUsage {
		t.Errorf("one directory: exit %d", code)
	}
	if code := run([]string{"compare", t.TempDir(), t.TempDir()}, &out, &errb); code != exitUsage {
		t.Errorf("empty directories: exit %d", code)
	}
}
