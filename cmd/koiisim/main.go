package main

import (
	"errors"
	"fmt"
	"github.com/koiisim/koiisim/reports"
	"io"
	"os"
	"strings"

	"github.com/koiisim/koiisim/model"
	"github.com/koiisim/koiisim/scenarios"
)

// version is the tool's version; release builds set it with
// -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// Exit codes (STYLE.md): 0 ok, 1 runtime error, 2 usage or bad input,
// 3 a failed assertion or invariant.
const (
	exitOK        = 0
	exitRuntime   = 1
	exitUsage     = 2
	exitInvariant = 3
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// env is what a command runs with: its streams, and whether stderr is a
// terminal (progress is drawn only there).
type env struct {
	stdout, stderr io.Writer
	tty            bool
	yScale         reports.Scale // report --y-scale: how sweep figures scale metric axes
}

type command struct {
	name, usage, summary string
	run                  func(e *env, args []string) int
}

var commands []command

func init() {
	commands = []command{
		{"run", "run [SCENARIO] [flags]", "run a scenario and write summary.json, rounds.csv and nodes.csv", cmdRun},
		{"scenarios", "scenarios [--reference]", "list the built-in scenarios, or print the scenario format reference", cmdScenarios},
		{"show", "show SCENARIO [--set k=v]... | --source NAME", "print the fully resolved scenario as YAML, or a built-in's commented file", cmdShow},
		{"lint", "lint FILE... [--set k=v]...", "validate scenario files without running them", cmdLint},
		{"sweep", "sweep SCENARIO [flags]", "run a parameter sweep with replicates: cells.csv, summary.csv (CIs), manifest.json", cmdSweep},
		{"frontier", "frontier SCENARIO --metric M --target T --vary PATH=LO:HI", "find where a metric crosses a target by stochastic bisection", cmdFrontier},
		{"merge", "merge DIR... [flags]", "combine the shards of a sweep into what one machine writes", cmdMerge},
		{"report", "report DIR", "draw the figures and write report.html for a run directory", cmdReport},
		{"compare", "compare DIR_A DIR_B [--out FILE]", "compare two runs or replicate sets metric by metric (Welch t-test)", cmdCompare},
		{"baseline", "baseline SCENARIO -o FILE", "record every metric of a scenario as a baseline", cmdBaseline},
		{"check", "check SCENARIO --baseline FILE", "re-run and compare with a baseline (exit 3 on regression)", cmdCheck},
		{"validate", "validate [--quick]", "run the validation suite: cases with closed-form answers", cmdValidate},
		{"optimize", "optimize SCENARIO --maximize METRIC --vary PATH=LO:HI... [flags]", "search strategy parameters for a metric's best value", cmdOptimize},
		{"version", "version", "print the version", cmdVersion},
		{"help", "help [COMMAND]", "show help", nil},
	}
}

// run is the whole CLI behind main, testable with its own streams.
func run(args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, tty: isTerminal(stderr)}
	if len(args) == 0 {
		args = []string{"run"}
	}
	name := args[0]
	switch name {
	case "-h", "--help", "help":
		if len(args) > 1 && args[1] != "help" {
			if c := lookup(args[1]); c != nil && c.run != nil {
				return c.run(e, []string{"--help"})
			}
			fmt.Fprintf(stderr, "koiisim help: no command %q\n\n", args[1])
			usage(stderr)
			return exitUsage
		}
		usage(stdout)
		return exitOK
	case "--version":
		return cmdVersion(e, nil)
	}
	if strings.HasPrefix(name, "-") {
		// Flags before a command belong to the default command, run.
		return cmdRun(e, args)
	}
	c := lookup(name)
	if c == nil || c.run == nil {
		fmt.Fprintf(stderr, "koiisim: unknown command %q\n\n", name)
		usage(stderr)
		return exitUsage
	}
	return c.run(e, args[1:])
}

func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

func usage(w io.Writer) {
	fmt.Fprint(w, "koiisim simulates Koii's Gradual Consensus task cycles.\n\nUsage:\n  koiisim COMMAND [flags]\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-34s %s\n", c.usage, c.summary)
	}
	fmt.Fprint(w, "\nWith no command, koiisim runs the default scenario, koii-baseline.\nRun 'koiisim help COMMAND' for a command's flags. Exit codes: 0 ok, 1 runtime error, 2 usage or bad input, 3 a failed invariant or assertion.\n")
}

func cmdVersion(e *env, _ []string) int {
	fmt.Fprintf(e.stdout, "koiisim %s\n", version)
	return exitOK
}

// cmdScenarios lists the built-ins with their descriptions.
func cmdScenarios(e *env, args []string) int {
	fs := newFlags("scenarios", "scenarios [--reference]", e)
	ref := fs.Bool("reference", false, "print the scenario format reference (Markdown) instead")
	if code, done := parse(fs, args, e); done {
		return code
	}
	if *ref {
		fmt.Fprint(e.stdout, scenarios.Reference())
		return exitOK
	}
	for _, s := range scenarios.Builtins() { // sorted by name
		fmt.Fprintf(e.stdout, "%-22s %s\n", s.Name, s.Description)
	}
	return exitOK
}

// cmdShow prints the resolved scenario, which loads back to itself.
func cmdShow(e *env, args []string) int {
	fs := newFlags("show", "show SCENARIO [--set k=v]... | show --source NAME", e)
	sets := fs.StringArray("set", nil, "override a field: --set task.round_time=3000 (repeatable)")
	source := fs.Bool("source", false, "print a built-in's file as shipped, comments and all: a starting point to copy")
	if code, done := parse(fs, args, e); done {
		return code
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(e.stderr, "koiisim show: takes one scenario")
		return exitUsage
	}
	if *source {
		data, ok := scenarios.BuiltinSource(fs.Arg(0))
		if !ok || len(*sets) > 0 {
			fmt.Fprintf(e.stderr, "koiisim show: --source takes the name of a built-in and no --set ('koiisim scenarios' lists them)\n")
			return exitUsage
		}
		e.stdout.Write(data)
		return exitOK
	}
	s, code := load(e, "show", fs.Arg(0), *sets)
	if s == nil {
		return code
	}
	e.stdout.Write(scenarios.Marshal(s))
	return exitOK
}

// cmdLint validates files and reports every problem of each.
func cmdLint(e *env, args []string) int {
	fs := newFlags("lint", "lint FILE... [--set k=v]...", e)
	sets := fs.StringArray("set", nil, "override a field before validating (repeatable)")
	if code, done := parse(fs, args, e); done {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "koiisim lint: name at least one scenario file or built-in")
		return exitUsage
	}
	code := exitOK
	for _, arg := range fs.Args() {
		s, c := load(e, "lint", arg, *sets)
		if s == nil {
			code = c
			continue
		}
		fmt.Fprintf(e.stdout, "%s: ok (%s)\n", arg, s.Name)
	}
	return code
}

// load resolves a scenario argument, printing its warnings, or its
// problems and returning the exit code for them.
func load(e *env, cmd, arg string, sets []string) (*scenarios.Scenario, int) {
	s, warnings, err := scenarios.Resolve(arg, sets)
	if err != nil {
		var se *scenarios.Error
		if errors.As(err, &se) {
			fmt.Fprintf(e.stderr, "koiisim %s: %d problem(s) in the scenario:\n%s\n", cmd, len(se.Problems), indent(err.Error()))
			return nil, exitUsage
		}
		fmt.Fprintf(e.stderr, "koiisim %s: %v\n", cmd, err)
		return nil, exitUsage
	}
	if probs := assertPathProblems(s); len(probs) > 0 {
		fmt.Fprintf(e.stderr, "koiisim %s: %d problem(s) in the scenario:\n%s\n", cmd, len(probs), indent(strings.Join(probs, "\n")))
		return nil, exitUsage
	}
	for _, w := range warnings {
		fmt.Fprintf(e.stderr, "koiisim %s: warning: %s: %s\n", cmd, scenarios.Locate(s, w.Path), w.Msg)
	}
	return s, exitOK
}

// loadRun resolves a scenario argument as load does, with --rounds,
// when given, applied as an override before validation (as sweeps and
// replicates apply it), so that the scenario's warnings (rounds the
// bounty cannot pay for, a population that never joins) speak of the
// rounds that will run; --seed, when given, replaces the scenario's.
func loadRun(e *env, cmd string, fs *flagSet, sets []string, seed *uint64, rounds *int) (*scenarios.Scenario, int) {
	overrides := sets
	if fs.Changed("rounds") {
		if *rounds < 1 || *rounds > scenarios.MaxRounds {
			fmt.Fprintf(e.stderr, "koiisim %s: --rounds must be in [1, %d], got %d\n", cmd, scenarios.MaxRounds, *rounds)
			return nil, exitUsage
		}
		overrides = append(sets[:len(sets):len(sets)], fmt.Sprintf("rounds=%d", *rounds))
	}
	s, code := load(e, cmd, fs.Arg(0), overrides)
	if s != nil && fs.Changed("seed") {
		s.Seed = *seed
	}
	return s, code
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ")
}

var _ = model.PerKOII
