package main

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/koiisim/koiisim/experiment"
	"github.com/koiisim/koiisim/internal/outdir"
	"github.com/koiisim/koiisim/reports"
)

func init() {
	commandDocs["merge"] = `merge combines the outputs of 'koiisim sweep --shard I/N' (or of Slurm and
Kubernetes array tasks) into the files one machine would have written, byte
for byte: cells/, manifest.json, cells.csv, summary.csv (and the Parquet
files with --format parquet or when the shards wrote them).

Each DIR holds shard-I-of-N.json manifests and cells/; shards may share one
directory. Every manifest must record the same scenario and design, and
every cell must be done; otherwise merge says which shards to finish (run
the same sweep command again) and exits with code 2. The output directory
defaults to the first DIR.

With --wait D, merge started before the shards finish (or start) waits for
them: it tries again every --poll (10s) while a cell is missing or no
manifest exists yet, for up to D, then merges, or exits with code 2 naming
the unfinished shards. It looks without taking the output directory, so
shards may start while it waits. The Kubernetes merge Job runs this way,
so one 'kubectl apply' starts the sweep and its merge.
`
}

// cmdMerge merges shard directories.
func cmdMerge(e *env, args []string) int {
	fs := newFlags("merge", "merge DIR... [--out DIR] [--wait D]", e)
	out := fs.String("out", "", "output directory (default: the first DIR)")
	format := fs.String("format", "", "csv, or parquet for Parquet files too (default: the shards')")
	metrics := fs.StringSlice("metrics", nil, "metric paths or patterns for the summary (default: the shards')")
	quiet := fs.BoolP("quiet", "q", false, "print only the output paths")
	wait := fs.Duration("wait", 0, "wait up to this long for unfinished shards (e.g. 24h)")
	poll := fs.Duration("poll", 10*time.Second, "with --wait, how often to look again")
	if code, done := parse(fs, args, e); done {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "koiisim merge: name at least one shard directory\nUsage: koiisim merge DIR... [--out DIR] [--wait D] (see 'koiisim help merge')")
		return exitUsage
	}
	if *format != "" && !slices.Contains(experiment.Formats, *format) {
		fmt.Fprintf(e.stderr, "koiisim merge: --format must be csv or parquet, got %q\n", *format)
		return exitUsage
	}
	if *wait < 0 || *poll <= 0 {
		fmt.Fprintf(e.stderr, "koiisim merge: --wait must be 0 or more and --poll more than 0, got %v and %v\n", *wait, *poll)
		return exitUsage
	}
	dst := *out
	if dst == "" {
		dst = fs.Arg(0)
	}
	opt := experiment.MergeOptions{Format: *format, Parquet: reports.NewParquetTable, Metrics: *metrics, Version: version}
	m, files, err := mergeOnce(dst, fs.Args(), opt, *wait > 0)
	// Waiting reads the wall clock: this is the CLI, outside any run.
	// Running shards hold the directory shared, so busy means not yet.
	var busy *outdir.BusyError
	for deadline := time.Now().Add(*wait); (errors.Is(err, experiment.ErrIncomplete) || errors.As(err, &busy)) && time.Now().Add(*poll).Before(deadline); {
		time.Sleep(*poll)
		m, files, err = mergeOnce(dst, fs.Args(), opt, true)
	}
	if errors.As(err, &busy) {
		fmt.Fprintf(e.stderr, "koiisim merge: %v\n", err)
		return exitUsage
	}
	if err != nil {
		return experimentExit(e, "merge", err, nil, "")
	}
	if !*quiet {
		fmt.Fprintf(e.stdout, "merged %d cells of %s (sha256 %.12s, seed %d, %s design of %d points × %d replicates)\n",
			m.Cells, m.Scenario, m.ScenarioHash, m.Seed, m.Design.Kind, len(m.Points), m.Design.Replicates)
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", strings.Join(files, ", "))
	return exitOK
}

// mergeOnce merges dirs into dst with dst held alone for the attempt
// only, so a merge that waits does not keep the shards out. A merge
// that waits first looks without holding dst: holding it while a shard
// starts would refuse the shard (exit 2 for a Kubernetes shard pod
// started after its merge Job), so it takes dst only once every cell is
// done, when no shard has anything left to start.
func mergeOnce(dst string, dirs []string, opt experiment.MergeOptions, waiting bool) (*experiment.Manifest, []string, error) {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return nil, nil, fmt.Errorf("cannot create the output directory: %w", err)
	}
	if waiting {
		if err := experiment.CheckMergeable(dirs, opt); err != nil {
			return nil, nil, err
		}
	}
	lock, err := outdir.Acquire(dst)
	if err != nil {
		return nil, nil, err
	}
	defer lock.Release()
	return experiment.Merge(dirs, dst, opt)
}
