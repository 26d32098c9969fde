package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/koiisim/koiisim/experiment"
	"github.com/koiisim/koiisim/internal/outdir"
)

// lockOut creates dir and takes it for this command's life (a shard's
// share of it for a sharded sweep), so two commands never write one
// directory at once. A directory in use is refused with exit code 2,
// naming the process that holds it.
func lockOut(e *env, cmd, dir string, shard experiment.Shard) (*outdir.Lock, int) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(e.stderr, "koiisim %s: cannot create the output directory: %v\n", cmd, err)
		return nil, exitRuntime
	}
	var l *outdir.Lock
	var err error
	if shard.Whole() {
		l, err = outdir.Acquire(dir)
	} else {
		l, err = outdir.AcquireShard(dir, strings.ReplaceAll(shard.String(), "/", "-of-"))
	}
	var busy *outdir.BusyError
	switch {
	case errors.As(err, &busy):
		fmt.Fprintf(e.stderr, "koiisim %s: %v\n", cmd, err)
		return nil, exitUsage
	case err != nil:
		fmt.Fprintf(e.stderr, "koiisim %s: %v\n", cmd, err)
		return nil, exitRuntime
	}
	return l, exitOK
}
