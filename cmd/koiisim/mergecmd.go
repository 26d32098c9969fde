package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/koiisim/koiisim/experiment"
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
`
}

// cmdMerge merges shard directories.
func cmdMerge(e *env, args []string) int {
	fs := newFlags("merge", "merge DIR... [--out DIR]", e)
	out := fs.String("out", "", "output directory (default: the first DIR)")
	format := fs.String("format", "", "csv, or parquet for Parquet files too (default: the shards')")
	metrics := fs.StringSlice("metrics", nil, "metric paths or patterns for the summary (default: the shards')")
	quiet := fs.BoolP("quiet", "q", false, "print only the output paths")
	if code, done := parse(fs, args, e); done {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "koiisim merge: name at least one shard directory\nUsage: koiisim merge DIR... [--out DIR] (see 'koiisim help merge')")
		return exitUsage
	}
	if *format != "" && !slices.Contains(experiment.Formats, *format) {
		fmt.Fprintf(e.stderr, "koiisim merge: --format must be csv or parquet, got %q\n", *format)
		return exitUsage
	}
	dst := *out
	if dst == "" {
		dst = fs.Arg(0)
	}
	lock, code := lockOut(e, "merge", dst, experiment.Shard{})
	if lock == nil {
		return code
	}
	defer lock.Release()
	m, files, err := experiment.Merge(fs.Args(), dst, experiment.MergeOptions{Format: *format, Parquet: reports.NewParquetTable, Metrics: *metrics, Version: version})
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
