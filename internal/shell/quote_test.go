package shell

import (
	"os/exec"
	"strings"
	"testing"
)

// hostile are arguments a shell would otherwise expand, split, comment
// out or run: each must reach the command intact.
var hostile = []string{
	"plain", "", "with space", "tab\there", "new\nline", "back`tick`", "hash#mark", "#leading",
	"bang!", "!leading", "~", "~root/x", "a~b", "$HOME", "$(id)", "semi;colon", "amp&", "pipe|",
	"<in", ">out", "(paren)", "{a,b}", "[ab]", "star*", "q?", `dq"`, "sq'", `back\slash`,
	"a=b", "--set=rules.slash_fraction=0.5", "dir/file.yaml", "ünïcödé", "%percent", "^caret",
}

// TestQuotedArgumentsReachTheCommandIntact pastes a quoted command line
// into sh -c and checks that every argument arrives byte for byte.
func TestQuotedArgumentsReachTheCommandIntact(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on this machine")
	}
	line := Join(append([]string{"printf", `%s\0`}, hostile...))
	out, err := exec.Command(sh, "-c", line).Output()
	if err != nil {
		t.Fatalf("sh -c %s: %v", line, err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if len(got) != len(hostile) {
		t.Fatalf("sh -c %s gave %d arguments, want %d: %q", line, len(got), len(hostile), got)
	}
	for i := range hostile {
		if got[i] != hostile[i] {
			t.Errorf("argument %d: got %q, want %q (line %s)", i, got[i], hostile[i], line)
		}
	}
}

// TestSafeArgumentsStayUnquoted keeps printed commands readable: words
// of the safe set are written as they are.
func TestSafeArgumentsStayUnquoted(t *testing.T) {
	for _, s := range []string{"koiisim", "run", "--seed", "42", "rules.slash_fraction=0.5", "out/a-b_c.d", "--out=x:y,z@1+2"} {
		if q := Quote(s); q != s {
			t.Errorf("Quote(%q) = %s, want it unquoted", s, q)
		}
	}
	if q := Quote(""); q != "''" {
		t.Errorf("Quote(\"\") = %s, want ''", q)
	}
}
