package shell

import "strings"

// Quote returns s as one word of a POSIX shell command line. A word of
// letters, digits and _ @ % + = : , . / - is written as it is; anything
// else (spaces, newlines, quotes, $ ` \ ! # ~ * ? [ ] { } ( ) < > | & ;
// and every non-ASCII byte) is put in single quotes, inside which a shell
// expands nothing, with each ' written as '\”. The empty string is ”.
func Quote(s string) string {
	if s != "" && strings.IndexFunc(s, unsafe) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Join quotes each argument and joins them with spaces: a command line
// that sh -c runs with exactly these arguments.
func Join(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = Quote(a)
	}
	return strings.Join(q, " ")
}

func unsafe(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		return false
	}
	return !strings.ContainsRune("_@%+=:,./-", r)
}
