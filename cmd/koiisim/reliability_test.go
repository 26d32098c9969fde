package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/koiisim/koiisim/scenarios"
)

// hostileName is a file name a shell would split, expand, comment out
// or run if a printed command did not quote it.
const hostileName = "a b`id`#c!d~e$HOME'f\"g\nh;i&j(k)*.yaml"

// pasted runs a printed koiisim command line with sh -c, koiisim being
// a shell function that prints its arguments, and returns them.
func pasted(t *testing.T, line string) []string {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on this machine")
	}
	out, err := exec.Command(sh, "-c", `koiisim() { printf '%s\0' "$@"; }; `+line).Output()
	if err != nil {
		t.Fatalf("sh -c %q: %v", line, err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
}

// TestPrintedReplayCommandSurvivesAShell runs a scenario from a file
// with a hostile name and pastes the replay command its summary.json
// records into a shell: the scenario path and the overrides must arrive
// as they were given.
func TestPrintedReplayCommandSurvivesAShell(t *testing.T) {
	dir := t.TempDir()
	src, _ := scenarios.BuiltinSource("faulty-submitters")
	path := filepath.Join(dir, hostileName)
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	set := "description=x y`z`#!~ ok"
	out := filepath.Join(dir, "out")
	if code, _, stderr := koiisim(t, "run", path, "--rounds", "3", "--seed", "5", "--set", set, "--out", out, "-q"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct{ Replay string }
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	want := []string{"run", path, "--seed", "5", "--rounds", "3", "--set", set}
	if got := pasted(t, sum.Replay); !slices.Equal(got, want) {
		t.Errorf("replay %s reached the shell as %q, want %q", sum.Replay, got, want)
	}
}

// TestPrintedResumeCommandSurvivesAShell pastes the command an
// interrupted sweep prints to resume.
func TestPrintedResumeCommandSurvivesAShell(t *testing.T) {
	args := []string{hostileName, "--sweep", "rules.slash_fraction=0.1:0.9:3", "--set", "name=`x`!#~", "--metrics", "honest.*"}
	out := "out dir/~#!`y`\n"
	line := commandLine("sweep", args, out)
	want := append(append([]string{"sweep"}, args...), "--out", out)
	if got := pasted(t, line); !slices.Equal(got, want) {
		t.Errorf("resume %s reached the shell as %q, want %q", line, got, want)
	}
}
