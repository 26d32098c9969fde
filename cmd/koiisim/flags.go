package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/pflag"
)

// flagSet is a command's flags with its usage line, for help and errors.
type flagSet struct {
	*pflag.FlagSet
	usage string
	e     *env
}

func newFlags(name, usageLine string, e *env) *flagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.SortFlags = false
	fs.Usage = func() {} // parse prints help and errors itself
	return &flagSet{FlagSet: fs, usage: usageLine, e: e}
}

// parse parses flags; done is true when the command should return code
// at once (help was asked for, or the flags were wrong).
func parse(fs *flagSet, args []string, e *env) (code int, done bool) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return 0, false
	case errors.Is(err, pflag.ErrHelp):
		fmt.Fprintf(e.stdout, "Usage: koiisim %s\n\nFlags:\n%s", fs.usage, fs.FlagUsages())
		if doc, ok := commandDocs[fs.Name()]; ok {
			fmt.Fprintf(e.stdout, "\n%s", doc)
		}
		return exitOK, true
	default:
		fmt.Fprintf(e.stderr, "koiisim %s: %v\nUsage: koiisim %s (see 'koiisim help %s')\n", fs.Name(), err, fs.usage, fs.Name())
		return exitUsage, true
	}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
