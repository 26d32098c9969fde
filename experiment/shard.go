package experiment

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard is one share of an experiment's cells: those whose index modulo
// Count is Index. Dealing cells round-robin spreads expensive points
// (large populations) over every shard. Count 0 or 1 is the whole.
type Shard struct {
	Index, Count int
}

// Whole reports whether the shard is the whole experiment.
func (s Shard) Whole() bool { return s.Count <= 1 }

// Has reports whether cell i is in the shard.
func (s Shard) Has(i int) bool { return s.Whole() || i%s.Count == s.Index }

// String writes the shard as I/N.
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, max(s.Count, 1)) }

// MaxShards bounds the shards of an experiment.
const MaxShards = 1_000_000

// ParseShard reads I/N: shard I of N, 0 <= I < N.
func ParseShard(text string) (Shard, error) {
	a, b, ok := strings.Cut(text, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || n > MaxShards || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("--shard must be I/N with 0 <= I < N <= %d, e.g. 0/4, got %q", MaxShards, text)
	}
	return Shard{Index: i, Count: n}, nil
}

// Environment variables a cluster sets for a task of an array job.
const (
	EnvSlurmTaskID    = "SLURM_ARRAY_TASK_ID"
	EnvSlurmTaskCount = "SLURM_ARRAY_TASK_COUNT"
	EnvSlurmTaskMin   = "SLURM_ARRAY_TASK_MIN"
	EnvSlurmTaskStep  = "SLURM_ARRAY_TASK_STEP"
	EnvJobIndex       = "JOB_COMPLETION_INDEX" // Kubernetes Indexed Jobs
	EnvShardCount     = "KOIISIM_SHARD_COUNT"  // the Job's completions, which Kubernetes does not export
)

// ShardFromEnv finds the shard of a task of a cluster job: a Slurm job
// array (SLURM_ARRAY_TASK_ID counted from SLURM_ARRAY_TASK_MIN in steps
// of SLURM_ARRAY_TASK_STEP, SLURM_ARRAY_TASK_COUNT shards), else a
// Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with count shards, or
// KOIISIM_SHARD_COUNT when count is 0). from says which it used ("" for
// none: the whole experiment).
func ShardFromEnv(getenv func(string) string, count int) (s Shard, from string, err error) {
	if id := getenv(EnvSlurmTaskID); id != "" {
		return slurmShard(getenv, id)
	}
	if idx := getenv(EnvJobIndex); idx != "" {
		i, err := strconv.Atoi(idx)
		if err != nil || i < 0 {
			return Shard{}, "", fmt.Errorf("%s=%q is not an index", EnvJobIndex, idx)
		}
		if count == 0 {
			c := getenv(EnvShardCount)
			if c == "" {
				return Shard{}, "", fmt.Errorf("%s is set but the shard count is not: set %s to the Job's completions, or pass --shard-count", EnvJobIndex, EnvShardCount)
			}
			if count, err = strconv.Atoi(c); err != nil || count < 1 {
				return Shard{}, "", fmt.Errorf("%s=%q must be a positive count", EnvShardCount, c)
			}
		}
		if i >= count || count > MaxShards {
			return Shard{}, "", fmt.Errorf("%s=%d is not below the shard count %d; set %s (or --shard-count) to the Job's completions", EnvJobIndex, i, count, EnvShardCount)
		}
		return Shard{Index: i, Count: count}, EnvJobIndex, nil
	}
	return Shard{}, "", nil
}

func slurmShard(getenv func(string) string, id string) (Shard, string, error) {
	num := func(name, def string) (int, error) {
		v := getenv(name)
		if v == "" {
			v = def
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, fmt.Errorf("%s=%q is not a number", name, v)
		}
		return n, nil
	}
	task, err := num(EnvSlurmTaskID, id)
	if err != nil {
		return Shard{}, "", err
	}
	if getenv(EnvSlurmTaskCount) == "" {
		return Shard{}, "", fmt.Errorf("%s is set but %s is not; is this Slurm older than 17.11?", EnvSlurmTaskID, EnvSlurmTaskCount)
	}
	count, err := num(EnvSlurmTaskCount, "")
	if err != nil {
		return Shard{}, "", err
	}
	lo, err := num(EnvSlurmTaskMin, "0")
	if err != nil {
		return Shard{}, "", err
	}
	step, err := num(EnvSlurmTaskStep, "1")
	if err != nil {
		return Shard{}, "", err
	}
	if step < 1 || (task-lo)%step != 0 || (task-lo)/step < 0 || (task-lo)/step >= count || count > MaxShards {
		return Shard{}, "", fmt.Errorf("array task %d of %d (min %d, step %d) does not map to a shard; submit the array as a range, e.g. --array=0-%d",
			task, count, lo, step, max(count-1, 0))
	}
	return Shard{Index: (task - lo) / step, Count: count}, EnvSlurmTaskID, nil
}
