package experiment

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// --shard I/N and its errors.
func TestParseShard(t *testing.T) {
	if s, err := ParseShard("2/3"); err != nil || s != (Shard{2, 3}) {
		t.Errorf("2/3: %v %v", s, err)
	}
	for _, bad := range []string{"3/3", "-1/3", "1", "a/b", "0/0", "1/2/3"} {
		if _, err := ParseShard(bad); err == nil || !strings.Contains(err.Error(), "I/N") {
			t.Errorf("ParseShard(%q): %v", bad, err)
		}
	}
	// Shards partition the cells.
	for i := range 100 {
		n := 0
		for k := range 7 {
			if (Shard{k, 7}).Has(i) {
				n++
			}
		}
		if n != 1 || !(Shard{}).Has(i) {
			t.Fatalf("cell %d is in %d of 7 shards", i, n)
		}
	}
}

// The shard of a cluster task: Slurm job arrays (counted from the
// array's minimum in its steps) and Kubernetes Indexed Jobs.
func TestShardFromEnv(t *testing.T) {
	for _, tc := range []struct {
		name  string
		env   map[string]string
		count int
		want  Shard
		from  string
		err   string
	}{
		{"no cluster", nil, 0, Shard{}, "", ""},
		{"slurm 0-3", map[string]string{"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "0"}, 0, Shard{2, 4}, EnvSlurmTaskID, ""},
		{"slurm 1-4", map[string]string{"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "1"}, 0, Shard{0, 4}, EnvSlurmTaskID, ""},
		{"slurm 10-18:4", map[string]string{"SLURM_ARRAY_TASK_ID": "18", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_STEP": "4"}, 0, Shard{2, 3}, EnvSlurmTaskID, ""},
		{"slurm list", map[string]string{"SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "1"}, 0, Shard{}, "", "--array=0-2"},
		{"slurm without count", map[string]string{"SLURM_ARRAY_TASK_ID": "1"}, 0, Shard{}, "", "SLURM_ARRAY_TASK_COUNT"},
		{"slurm wins", map[string]string{"SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "2", "JOB_COMPLETION_INDEX": "1"}, 5, Shard{0, 2}, EnvSlurmTaskID, ""},
		{"k8s with env count", map[string]string{"JOB_COMPLETION_INDEX": "3", "KOIISIM_SHARD_COUNT": "8"}, 0, Shard{3, 8}, EnvJobIndex, ""},
		{"k8s with flag count", map[string]string{"JOB_COMPLETION_INDEX": "3", "KOIISIM_SHARD_COUNT": "8"}, 4, Shard{3, 4}, EnvJobIndex, ""},
		{"k8s without count", map[string]string{"JOB_COMPLETION_INDEX": "3"}, 0, Shard{}, "", "KOIISIM_SHARD_COUNT"},
		{"k8s index too big", map[string]string{"JOB_COMPLETION_INDEX": "8", "KOIISIM_SHARD_COUNT": "8"}, 0, Shard{}, "", "not below"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, from, err := ShardFromEnv(func(k string) string { return tc.env[k] }, tc.count)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one mentioning %q", err, tc.err)
				}
				return
			}
			if err != nil || s != tc.want || from != tc.from {
				t.Fatalf("= %v from %q, %v; want %v from %q", s, from, err, tc.want, tc.from)
			}
		})
	}
}

// The manifest's done list round-trips through its range form.
func TestDoneRangesRoundTrip(t *testing.T) {
	if s, n := ranges([]bool{true, true, false, true, false, true, true, true}); s != "0-1,3,5-7" || n != 6 {
		t.Errorf("ranges = %q, %d", s, n)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		done := make([]bool, rng.IntN(50))
		for i := range done {
			done[i] = rng.IntN(3) > 0
		}
		s, _ := ranges(done)
		back, err := parseRanges(s, len(done))
		if err != nil || !reflect.DeepEqual(back, done) {
			t.Fatalf("%v -> %q -> %v, %v", done, s, back, err)
		}
	}
}

// Metrics: patterns expand in order, all is every path, and an unknown
// path names its closest matches.
func TestSelectMetrics(t *testing.T) {
	classes := []string{"honest", "faulty"}
	got, err := SelectMetrics([]string{"faulty.net_profit", "run.unpaid_rate", "faulty.net_profit", "*.slashed"}, classes)
	want := []string{"faulty.net_profit", "run.unpaid_rate", "faulty.slashed", "honest.slashed", "total.slashed"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("= %v, %v; want %v", got, err, want)
	}
	if def, _ := SelectMetrics(nil, classes); len(def) != 22 || def[0] != "honest.net_profit" || def[2] != "total.net_profit" {
		t.Errorf("defaults: %v", def)
	}
	_, err = SelectMetrics([]string{"faulty.net_proft", "nonsense.zzz"}, classes)
	if _, ok := err.(*InputError); !ok || !strings.Contains(err.Error(), "closest: faulty.net_profit") || !strings.Contains(err.Error(), `"nonsense.zzz" matches no metric`) {
		t.Errorf("unknown metric: %v", err)
	}
	if Unit("faulty.net_profit") != "KOII" || Unit("run.unpaid_rate") != "fraction" || Unit("x.y") != "" {
		t.Error("units")
	}
}
