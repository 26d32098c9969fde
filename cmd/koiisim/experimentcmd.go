package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/koiisim/koiisim/experiment"
	"github.com/koiisim/koiisim/internal/input"
	"github.com/koiisim/koiisim/internal/shell"
	"github.com/koiisim/koiisim/metrics"
	"github.com/koiisim/koiisim/model"
	"github.com/koiisim/koiisim/scenarios"
	"github.com/koiisim/koiisim/sim"
)

// Exit codes of an experiment stopped by a signal: 128 + the signal's
// number, as shells report it.
const (
	exitSIGINT  = 130
	exitSIGTERM = 143
)

// experimentFlags are the flags shared by sweep and run --replicates.
type experimentFlags struct {
	workers   *int
	metrics   *[]string
	format    *string
	maxMemory *string
}

func addExperimentFlags(fs *flagSet) *experimentFlags {
	return &experimentFlags{
		workers:   fs.Int("workers", runtime.NumCPU(), "runs at once (results do not depend on it)"),
		metrics:   fs.StringSlice("metrics", nil, "metric paths or patterns for the summary, comma-separated (faulty.net_profit,'honest.*'); all; list prints them (default: a sensible set)"),
		format:    fs.String("format", "csv", "csv, or parquet to write Parquet files beside the CSV ones"),
		maxMemory: fs.String("max-memory", "", "memory the runs may use, e.g. 8GiB (default: what the machine has available); work estimated to need more is refused"),
	}
}

// check validates the flags; it returns a usage message or "".
func (f *experimentFlags) check() string {
	switch {
	case *f.workers < 1 || *f.workers > 4096:
		return fmt.Sprintf("--workers must be in [1, 4096], got %d", *f.workers)
	case !slices.Contains(experiment.Formats, *f.format):
		return fmt.Sprintf("--format must be csv or parquet, got %q", *f.format)
	}
	return ""
}

// loadBase resolves spec's scenario with its overrides into spec.Base,
// or answers --metrics list. done says the command is over, with code.
func loadBase(e *env, cmd string, spec *experiment.Spec) (done bool, code int) {
	s, code := load(e, cmd, spec.Arg, spec.Overrides())
	if s == nil {
		return true, code
	}
	if slices.Contains(spec.Metrics, "list") {
		listMetrics(e.stdout, s)
		return true, exitOK
	}
	spec.Base = s
	return false, exitOK
}

// warn prints an experiment's warnings on stderr.
func warn(e *env, cmd string, warnings []string) {
	for _, w := range warnings {
		fmt.Fprintf(e.stderr, "koiisim %s: warning: %s\n", cmd, w)
	}
}

// listMetrics prints every metric path of the scenario with its unit,
// for --metrics list.
func listMetrics(w io.Writer, s *scenarios.Scenario) {
	for _, p := range metrics.Paths(s.Config.Classes()) {
		fmt.Fprintf(w, "%-48s %s\n", p, experiment.Unit(p))
	}
}

// interrupts returns a context that ends at the first SIGINT or SIGTERM,
// and a function naming the signal that ended it. After the first
// signal the default handling is back, so a second one kills at once.
func interrupts() (ctx context.Context, stop func(), got func() os.Signal) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	var mu sync.Mutex
	var sig os.Signal
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			mu.Lock()
			sig = s
			mu.Unlock()
			signal.Stop(ch)
			cancel()
		case <-done:
		}
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			signal.Stop(ch)
			close(done)
			cancel()
		})
	}
	got = func() os.Signal {
		mu.Lock()
		defer mu.Unlock()
		return sig
	}
	return ctx, stop, got
}

// stoppedBy names the signal that stopped a command and gives its exit
// code: 143 for SIGTERM, else 130 (SIGINT).
func stoppedBy(sig os.Signal) (name string, code int) {
	if sig == syscall.SIGTERM {
		return "SIGTERM", exitSIGTERM
	}
	return "SIGINT", exitSIGINT
}

// experimentExit reports err of an experiment command and returns its
// exit code: 0 ok, 130 or 143 interrupted (resume with the same
// command), 2 bad input, an unreadable input file or a run limit, 3 a
// broken invariant (with the cell's replay command: only a failure of
// the model gets one), 1 anything else.
func experimentExit(e *env, cmd string, err error, sig os.Signal, resume string) int {
	var ie *experiment.InputError
	var se *scenarios.Error
	var ce *experiment.CellError
	var cons *model.ConservationError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, experiment.ErrInterrupted):
		name, code := stoppedBy(sig)
		fmt.Fprintf(e.stderr, "koiisim %s: stopped by %s; the cells that finished are kept. To resume, run the same command again:\n  %s\n", cmd, name, resume)
		return code
	case errors.As(err, &ie), input.IsLimit(err):
		fmt.Fprintf(e.stderr, "koiisim %s: %v\n", cmd, err)
		return exitUsage
	case errors.As(err, &se):
		fmt.Fprintf(e.stderr, "koiisim %s: %d problem(s) in the scenario:\n%s\n", cmd, len(se.Problems), indent(err.Error()))
		return exitUsage
	case errors.As(err, &ce) && (errors.As(err, &cons) || errors.Is(err, experiment.ErrPanic)):
		fmt.Fprintf(e.stderr, "koiisim %s: invariant broken in %v\nreplay: %s\n", cmd, err, ce.Replay)
		return exitInvariant
	case errors.Is(err, sim.ErrLimit):
		// A limit or an I/O error is not the model failing: no replay.
		fmt.Fprintf(e.stderr, "koiisim %s: %v\n", cmd, err)
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "koiisim %s: %v\n", cmd, err)
	return exitRuntime
}

// commandLine writes a command as a shell would read it back, with
// --out DIR added when the arguments lack it.
func commandLine(cmd string, args []string, out string) string {
	parts := []string{"koiisim", cmd}
	hasOut := false
	for _, a := range args {
		if a == "--out" || strings.HasPrefix(a, "--out=") {
			hasOut = true
		}
		parts = append(parts, a)
	}
	if !hasOut {
		parts = append(parts, "--out", out)
	}
	return shell.Join(parts)
}

// readSummary reads summary.csv: its header and rows.
func readSummary(path string) ([]string, [][]string, error) {
	f, err := input.OpenTable(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 {
		return nil, nil, fmt.Errorf("reading %s: %v", path, err)
	}
	return rows[0], rows[1:], nil
}

// num formats a summary value for a table: 6 significant digits.
func num(text string) string {
	if text == "" {
		return "-"
	}
	x, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return text
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}
