package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyRun copies a run directory of reports/testdata into a temporary
// directory, so a report can be written beside it.
func copyRun(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("..", "..", "reports", "testdata", name)
	dst := filepath.Join(t.TempDir(), name)
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestReportCommand: report DIR writes report.html and the plots of a
// run and of a replicate set, and says where.
func TestReportCommand(t *testing.T) {
	t.Parallel() // rendering figures is the slow part; two cores
	for _, name := range []string{"run-small", "replicates"} {
		dir := copyRun(t, name)
		var out, errb bytes.Buffer
		if code := run([]string{"report", dir}, &out, &errb); code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, errb.String())
		}
		if !strings.Contains(out.String(), filepath.Join(dir, "report.html")) {
			t.Errorf("%s: output does not name the report: %s", name, out.String())
		}
		page, err := os.ReadFile(filepath.Join(dir, "report.html"))
		if err != nil || !bytes.Contains(page, []byte("<svg")) {
			t.Fatalf("%s: report.html: %v", name, err)
		}
		for _, f := range []string{"cumulative-rewards", "lorenz-rewards", "per-cycle-counts"} {
			if _, err := os.Stat(filepath.Join(dir, "plots", f+".png")); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}

// TestReportScenarioFallback: a run of a built-in without scenario.yaml
// gets the built-in's resolved text when the hashes match, and an
// explanation with the replay command when they do not.
func TestReportScenarioFallback(t *testing.T) {
	t.Parallel() // rendering figures is the slow part; two cores
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if code := run([]string{"run", "faulty-submitters", "--rounds", "5", "-q", "--out", dir}, &out, &errb); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, errb.String())
	}
	if code := run([]string{"report", dir}, &out, &errb); code != exitOK {
		t.Fatalf("report: exit %d: %s", code, errb.String())
	}
	page, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	if !bytes.Contains(page, []byte("name: faulty-submitters")) && !bytes.Contains(page, []byte("scenario.yaml")) {
		t.Error("the report shows neither the scenario nor where it is")
	}
	m := filepath.Join(copyRun(t, "replicates"), "rep-1")
	if code := run([]string{"report", m}, &out, &errb); code != exitOK {
		t.Fatalf("report: exit %d: %s", code, errb.String())
	}
	page, _ = os.ReadFile(filepath.Join(m, "report.html"))
	if !bytes.Contains(page, []byte("--set populations.honest.count=20")) {
		t.Error("a run with overrides and no scenario.yaml: the report should give its replay command")
	}
}

func TestReportUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"report"}, &out, &errb); code != exitUsage {
		t.Errorf("no directory: exit %d", code)
	}
	if code := run([]string{"report", t.TempDir()}, &out, &errb); code != exitUsage || !strings.Contains(errb.String(), "no run outputs") {
		t.Errorf("empty directory: exit %d: %s", code, errb.String())
	}
}

// TestReportOfRunReplicates: the directory run --replicates writes (a
// manifest, summary.csv, and rep-N/ with each replicate's run files) is
// read as a replicate set: mean lines with CI bands.
func TestReportOfRunReplicates(t *testing.T) {
	t.Parallel() // rendering figures is the slow part; two cores
	dir := filepath.Join(t.TempDir(), "reps")
	var out, errb bytes.Buffer
	if code := run([]string{"run", "faulty-submitters", "--rounds", "6", "--replicates", "3", "-q", "--out", dir}, &out, &errb); code != exitOK {
		t.Fatalf("run --replicates: exit %d: %s", code, errb.String())
	}
	if code := run([]string{"report", dir}, &out, &errb); code != exitOK {
		t.Fatalf("report: exit %d: %s", code, errb.String())
	}
	page, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	if !bytes.Contains(page, []byte("mean of 3 replicates, 95% CI")) {
		t.Error("a run --replicates directory should be drawn as a replicate set")
	}
}
