package docs

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/koiisim/koiisim/metrics"
)

// spec is the specification every section sign in the repository refers to.
const spec = "docs/model.md"

// heading matches a numbered heading of the specification: "## 3. The
// cycle" gives "3", "### 3.2 Review" gives "3.2".
var heading = regexp.MustCompile(`^#{2,6} (\d+(?:\.\d+)*)\.? `)

// citation matches a section sign and its number: "§4", "§3.2". A
// sentence's full stop after the number is not part of it.
var citation = regexp.MustCompile(`§(\d+(?:\.\d+)*)`)

// outside are the names of the brief the specification replaced, which
// lived outside the repository: a clone has no such file, so nothing may
// cite it. Built from parts so this file does not name them itself.
var outside = []string{"PROTOCOL" + ".md", ".." + "/shared"}

// citing are the kinds of files whose section signs are citations of the
// specification: code comments, documentation, scenario comments.
var citing = map[string]bool{".go": true, ".md": true, ".yaml": true, ".yml": true}

// TestCitationsNameSectionsOfTheSpecification: every "§N" or "§N.M" in a
// tracked Go, Markdown or YAML file is a numbered heading of
// docs/model.md, so a renumbered or missing section fails here rather
// than leaving a dead reference.
func TestCitationsNameSectionsOfTheSpecification(t *testing.T) {
	root := moduleRoot(t)
	sections := specSections(t, root)
	if len(sections) == 0 {
		t.Fatalf("%s has no numbered headings (## 1. Title, ### 1.1 Title)", spec)
	}
	for _, path := range trackedFiles(t, root) {
		if !citing[filepath.Ext(path)] {
			continue
		}
		forEachLine(t, root, path, func(n int, line string) {
			for _, m := range citation.FindAllStringSubmatch(line, -1) {
				if !sections[m[1]] {
					t.Errorf("%s:%d: cites §%s, which is not a heading of %s (its sections: %s); add the section or fix the citation",
						path, n, m[1], spec, list(sections))
				}
			}
		})
	}
}

// TestNothingCitesADocumentOutsideTheRepository: no tracked text file
// mentions the brief that lived outside the repository or a path into
// the folder beside it; the specification is docs/model.md.
func TestNothingCitesADocumentOutsideTheRepository(t *testing.T) {
	root := moduleRoot(t)
	for _, path := range trackedFiles(t, root) {
		forEachLine(t, root, path, func(n int, line string) {
			for _, name := range outside {
				if strings.Contains(line, name) {
					t.Errorf("%s:%d: mentions %q, outside the repository; cite %s §N instead", path, n, name, spec)
				}
			}
		})
	}
}

// TestSpecificationCoversEveryOption: every key of task:, rules:,
// costs: and a population, and every behaviour kind and parameter, that
// the scenario reference lists (it is generated from the code and held
// equal to it by the scenarios package) is specified in docs/model.md: a
// task key in §2, a rule as rules.KEY, a cost in §7, a population key in
// §6.1, a kind under a "### 6.N kind" heading that names each of its
// parameters (from and until, which every misbehaving kind takes, in
// §6.2). A new option is then a row in the code and a rule here.
func TestSpecificationCoversEveryOption(t *testing.T) {
	root := moduleRoot(t)
	model := readText(t, root, spec)
	where := map[string]string{"task": "2", "costs": "7", "populations": "6.1"}
	missingKind := map[string]bool{}
	for _, o := range referenceOptions(t, root) {
		switch {
		case o.section == "rules":
			if !strings.Contains(model, "`rules."+o.key+"`") {
				t.Errorf("%s does not specify rules.%s: name it as `rules.%s` where its rule is", spec, o.key, o.key)
			}
		case where[o.section] != "":
			n := where[o.section]
			if !strings.Contains(section(model, n), "`"+o.key+"`") {
				t.Errorf("%s §%s does not name %s key `%s`", spec, n, o.section, o.key)
			}
		case o.section == "Behaviours":
			body := kindSection(model, o.kind)
			if body == "" {
				if missingKind[o.kind] {
					continue
				}
				missingKind[o.kind] = true
				t.Errorf("%s has no section for behaviour %s: add a \"### 6.N %s\" heading", spec, o.kind, o.kind)
				continue
			}
			if o.key != "" && !strings.Contains(body, "`"+o.key+"`") && !strings.Contains(section(model, "6.2"), "`"+o.key+"`") {
				t.Errorf("%s: the section of behaviour %s does not name its parameter `%s`", spec, o.kind, o.key)
			}
		}
	}
}

// TestSpecificationNamesEveryMetric: every figure a run reports, per
// class and per run, is named in docs/model.md §9, so the list of what a
// run reports cannot fall behind the code.
func TestSpecificationNamesEveryMetric(t *testing.T) {
	reports := section(readText(t, moduleRoot(t), spec), "9")
	for _, m := range append(append(append(append([]metrics.Metric(nil), metrics.ClassMetrics...), metrics.RunMetrics...), metrics.DelayMetrics...), metrics.StrategyMetrics...) {
		if !strings.Contains(reports, "`"+m.Name+"`") {
			t.Errorf("%s §9 does not name the metric `%s` (%s, %s)", spec, m.Name, m.Unit, m.Doc)
		}
	}
	// History figures are named by their column, with _final and _mean.
	for _, m := range metrics.HistoryMetrics {
		col := strings.TrimSuffix(strings.TrimSuffix(m.Name, "_final"), "_mean")
		if !strings.Contains(reports, "`"+col+"`") {
			t.Errorf("%s §9 does not name the history figure `%s` (%s)", spec, col, m.Doc)
		}
	}
}

// option is one key of the scenario reference: its section ("rules",
// "Behaviours"), and for a behaviour its kind; key is empty for a kind
// without parameters.
type option struct{ section, kind, key string }

// referenceOptions reads the keys of the generated scenario reference:
// the first column of each table, under its "## section" (and "### kind"
// for behaviours).
func referenceOptions(t *testing.T, root string) []option {
	t.Helper()
	var out []option
	var sec, kind string
	forEachLine(t, root, "docs/scenario-reference.md", func(_ int, line string) {
		switch {
		case strings.HasPrefix(line, "## "):
			sec, kind = strings.TrimPrefix(line, "## "), ""
		case strings.HasPrefix(line, "### ") && sec == "Behaviours":
			kind = strings.TrimPrefix(line, "### ")
			out = append(out, option{section: sec, kind: kind})
		case strings.HasPrefix(line, "| `"):
			key, _, _ := strings.Cut(strings.TrimPrefix(line, "| `"), "`")
			out = append(out, option{section: sec, kind: kind, key: key})
		}
	})
	if len(out) == 0 {
		t.Fatal("docs/scenario-reference.md lists no keys")
	}
	return out
}

// section returns the text of the specification's section n, from its
// heading to the next heading of the same or a higher level.
func section(md, n string) string {
	var b strings.Builder
	level := 0
	for _, line := range strings.Split(md, "\n") {
		hashes := len(line) - len(strings.TrimLeft(line, "#"))
		if m := heading.FindStringSubmatch(line); m != nil {
			switch {
			case m[1] == n:
				level = hashes
			case level > 0 && hashes <= level:
				return b.String()
			}
		}
		if level > 0 {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// kindSection returns the text of the section "### 6.N kind", or "".
func kindSection(md, kind string) string {
	for _, line := range strings.Split(md, "\n") {
		if m := heading.FindStringSubmatch(line); m != nil && strings.HasPrefix(m[1], "6.") && strings.TrimSpace(line[len(m[0]):]) == kind {
			return section(md, m[1])
		}
	}
	return ""
}

// readText returns a file of the repository as text.
func readText(t *testing.T, root, path string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, path))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestSectionCheckCatchesABadCitation: the citation pattern finds what a
// comment cites and nothing else, so the tests above can fail.
func TestSectionCheckCatchesABadCitation(t *testing.T) {
	for _, c := range []struct {
		line string
		want []string
	}{
		{"// payout (docs/model.md §3.7): pending", []string{"3.7"}},
		{"// §3, §4. Then §12.", []string{"3", "4", "12"}},
		{"rules: # docs/model.md §3-5", []string{"3"}},
		{"no section here, 3.2 or § alone", nil},
	} {
		var got []string
		for _, m := range citation.FindAllStringSubmatch(c.line, -1) {
			got = append(got, m[1])
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%q: cites %v, want %v", c.line, got, c.want)
		}
	}
	sections := map[string]bool{}
	for _, h := range []string{"## 3. The cycle", "### 3.2 Review", "## 10. Phase order", "# Title", "## Not numbered"} {
		if m := heading.FindStringSubmatch(h); m != nil {
			sections[m[1]] = true
		}
	}
	if got := list(sections); got != "§3, §3.2, §10" {
		t.Errorf("headings give %s, want §3, §3.2, §10", got)
	}
}

// moduleRoot returns the directory of go.mod, above the test's own.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// specSections returns the section numbers of the specification's headings.
func specSections(t *testing.T, root string) map[string]bool {
	t.Helper()
	sections := map[string]bool{}
	forEachLine(t, root, spec, func(_ int, line string) {
		if m := heading.FindStringSubmatch(line); m != nil {
			sections[m[1]] = true
		}
	})
	return sections
}

// trackedFiles lists the repository's files, relative to root: git's
// index when git is there, else every file but the build and run
// outputs that .gitignore leaves out.
func trackedFiles(t *testing.T, root string) []string {
	t.Helper()
	cmd := exec.Command("git", "ls-files", "-z")
	cmd.Dir = root
	if out, err := cmd.Output(); err == nil {
		var files []string
		for _, f := range strings.Split(string(out), "\x00") {
			if f != "" {
				files = append(files, filepath.FromSlash(f))
			}
		}
		return files
	}
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			switch rel {
			case ".git", "out", "bin":
				return filepath.SkipDir
			}
			return nil
		}
		files = append(files, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// forEachLine calls fn with each line of a text file and its number;
// binary files (a NUL byte in their first 8000, as git decides) are
// skipped, and so is a tracked file deleted from the work tree.
func forEachLine(t *testing.T, root, path string, fn func(n int, line string)) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, path))
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	for n := 1; sc.Scan(); n++ {
		fn(n, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// list formats section numbers in document order: §3, §3.2, §10.
func list(sections map[string]bool) string {
	var s []string
	for k := range sections {
		s = append(s, k)
	}
	sort.Slice(s, func(i, j int) bool { return less(s[i], s[j]) })
	for i := range s {
		s[i] = "§" + s[i]
	}
	return strings.Join(s, ", ")
}

// less orders section numbers part by part, numerically.
func less(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if len(pa[i]) != len(pb[i]) {
			return len(pa[i]) < len(pb[i])
		}
		if pa[i] != pb[i] {
			return pa[i] < pb[i]
		}
	}
	return len(pa) < len(pb)
}
