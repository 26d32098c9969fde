package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/koiisim/koiisim/internal/atomicfile"
	"github.com/koiisim/koiisim/reports"
)

func init() {
	commandDocs["compare"] = `DIR_A and DIR_B are two runs, or two replicate sets, as 'koiisim run'
wrote them. compare prints, for every metric that differs, A and B (mean
± the 95% CI half-width over replicates), the difference B − A, its 95%
confidence interval and Welch's t-test p-value. A single run has no
interval: the table says so rather than invent one.

It also writes an HTML page with the full table and the two runs'
curves overlaid (B thinner and lighter, each class in its own colour):
DIR_A/compare-<name of DIR_B>.html unless --out names another file; its
figures go to plots/ beside it as PNG and SVG.
`
}

// cmdCompare compares two run directories metric by metric.
func cmdCompare(e *env, args []string) int {
	fs := newFlags("compare", "compare DIR_A DIR_B [--out FILE] [--all]", e)
	out := fs.String("out", "", "the HTML file to write (default: DIR_A/compare-<name of DIR_B>.html)")
	all := fs.Bool("all", false, "print every metric, also those equal in A and B")
	if code, done := parse(fs, args, e); done {
		return code
	}
	if fs.NArg() != 2 {
		fmt.Fprintln(e.stderr, "koiisim compare: takes two directories, e.g. koiisim compare out/a out/b")
		return exitUsage
	}
	dirA, dirB := fs.Arg(0), fs.Arg(1)
	a, err := reports.ReadRunSet(dirA)
	if err == nil {
		var b []*reports.RunData
		b, err = reports.ReadRunSet(dirB)
		if err == nil {
			return compare(e, dirA, dirB, a, b, *out, *all)
		}
	}
	fmt.Fprintf(e.stderr, "koiisim compare: %v\n", err)
	return exitUsage
}

func compare(e *env, dirA, dirB string, a, b []*reports.RunData, out string, all bool) int {
	nameB := filepath.Base(filepath.Clean(dirB))
	if out == "" {
		out = filepath.Join(dirA, "compare-"+nameB+".html")
	}
	c := reports.CompareRuns(dirA, dirB, a, b)
	if err := c.WriteText(e.stdout, all); err != nil {
		return exitRuntime
	}
	classes := append(append([]string(nil), a[0].Classes...), b[0].Classes...)
	stem := "compare-" + slug(nameB) + "-"
	figs := c.CompareFigures(stem)
	rendered, err := reports.WriteFigures(filepath.Dir(out), figs, reports.NewStyles(classes))
	if err == nil {
		var html []byte
		html, err = c.Report(rendered, reports.ReportOptions{Generator: "koiisim " + version}).HTML()
		if err == nil {
			err = atomicfile.WriteFile(out, html)
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "koiisim compare: %v\n", err)
		return exitRuntime
	}
	fmt.Fprintf(e.stdout, "\nwrote %s\n", out)
	return exitOK
}

// slug makes a directory name fit a figure's file name: [a-z0-9-]+.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "b"
	}
	return b.String()
}
