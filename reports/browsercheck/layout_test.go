package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/koiisim/koiisim/reports"
)

// chromiumOrSkip returns the Chromium binary, skipping the test when the
// machine has none (make test-report installs it and runs the same
// check on fresh reports).
func chromiumOrSkip(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium on the PATH: make test-report installs it")
	return ""
}

func writePage(t *testing.T, dir string, html []byte, err error) string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "page.html")
	if err := os.WriteFile(p, html, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCompareColumnsOnScreenAt1400: every column of a comparison page,
// CI and p included, is visible in a window 1,400 px wide, and its
// figures' text does not collide; the same for a sweep page with its
// tables of points. The layout canary runs first, so a check that sees
// nothing cannot pass.
func TestCompareColumnsOnScreenAt1400(t *testing.T) {
	bin := chromiumOrSkip(t)
	b := &browser{bin: bin, dir: t.TempDir()}
	if err := b.geometryCanary(); err != nil {
		t.Fatal(err)
	}
	a, err := reports.ReadRunSet(filepath.Join("..", "testdata", "run-small"))
	if err != nil {
		t.Fatal(err)
	}
	bb, err := reports.ReadRunSet(filepath.Join("..", "testdata", "replicates"))
	if err != nil {
		t.Fatal(err)
	}
	c := reports.CompareRuns("out/a-long-directory-name/node", "out/another-long-name/stake", a, bb)
	dir := t.TempDir()
	classes := append(append([]string(nil), a[0].Classes...), bb[0].Classes...)
	rendered, err := reports.WriteFigures(dir, c.CompareFigures("compare-"), reports.NewStyles(classes))
	if err != nil {
		t.Fatal(err)
	}
	html, err := c.Report(rendered, reports.ReportOptions{Generator: "koiisim test"}).HTML()
	page := writePage(t, dir, html, err)
	if p := b.geometryProblems(page); len(p) > 0 {
		t.Errorf("compare page:\n%s", strings.Join(p, "\n"))
	}

	s, err := reports.ReadSweep(filepath.Join("..", "testdata", "sweep-2d"))
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	figs := reports.SweepFigures(s, nil)
	rendered, err = reports.WriteFigures(dir, figs, reports.SweepStyles(s))
	if err != nil {
		t.Fatal(err)
	}
	html, err = reports.SweepReport(s, rendered, nil, reports.ReportOptions{Generator: "koiisim test"}).HTML()
	page = writePage(t, dir, html, err)
	if p := b.geometryProblems(page); len(p) > 0 {
		t.Errorf("sweep page:\n%s", strings.Join(p, "\n"))
	}
}
