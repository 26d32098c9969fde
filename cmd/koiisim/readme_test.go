package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// readmeExample is one command of a README block marked as an example.
type readmeExample struct {
	line int // in README.md
	args []string
	exit int // the exit code the README documents
}

// readmeExamples extracts the commands of every ```sh block that the
// line before marks <!-- example --> (or <!-- example: exit N --> for a
// block that documents a failure), in order. Lines continue with a
// trailing backslash; a # starts a comment; each command starts with
// koiisim.
func readmeExamples(t *testing.T, path string) []readmeExample {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []readmeExample
	sc := bufio.NewScanner(f)
	n, marked, exit, in := 0, false, 0, false
	var pending string
	start := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case !in && strings.HasPrefix(line, "<!-- example"):
			marked, exit = true, 0
			if _, code, ok := strings.Cut(strings.TrimSuffix(strings.TrimSpace(line), "-->"), "exit"); ok {
				exit, err = strconv.Atoi(strings.TrimSpace(code))
				if err != nil {
					t.Fatalf("README.md:%d: bad exit code in %q", n, line)
				}
			}
			continue
		case !in && line == "```sh":
			in = marked
			marked = false
			continue
		case in && line == "```":
			in = false
			continue
		case !in:
			marked = marked && strings.TrimSpace(line) == ""
			continue
		}
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		if pending == "" {
			start = n
		}
		if strings.HasSuffix(line, "\\") {
			pending += strings.TrimSuffix(line, "\\") + " "
			continue
		}
		cmd := strings.TrimSpace(pending + line)
		pending = ""
		if cmd == "" {
			continue
		}
		words, err := shellWords(cmd)
		if err != nil || len(words) == 0 || words[0] != "koiisim" {
			t.Fatalf("README.md:%d: an example that is not a koiisim command: %q (%v)", start, cmd, err)
		}
		out = append(out, readmeExample{line: start, args: words[1:], exit: exit})
	}
	return out
}

// shellWords splits a command as sh does for words with single or
// double quotes and no expansions.
func shellWords(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord, quote := false, rune(0)
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed quote")
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}

// TestReadmeExamplesRunInOrder: every command of the README's example
// blocks runs, top to bottom in one fresh directory as a new user would
// type them, and exits as the README says; so no two examples collide
// in a default output folder and no flag in them has rotted.
func TestReadmeExamplesRunInOrder(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every README example (about a minute)")
	}
	readme, err := filepath.Abs(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	examples := readmeExamples(t, readme)
	if len(examples) < 5 {
		t.Fatalf("only %d example commands found in README.md", len(examples))
	}
	t.Chdir(t.TempDir())
	for _, ex := range examples {
		code, out, errs := koiisim(t, ex.args...)
		if code != ex.exit {
			t.Fatalf("README.md:%d: koiisim %s: exit %d, the README says %d\nstdout:\n%s\nstderr:\n%s", ex.line, strings.Join(ex.args, " "), code, ex.exit, out, errs)
		}
	}
}
