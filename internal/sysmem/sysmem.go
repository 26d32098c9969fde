package sysmem

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// Limit is an amount of memory and where it was found.
type Limit struct {
	Bytes  uint64
	Source string // "MemAvailable in /proc/meminfo", "--max-memory", ...
}

// Available returns the memory this process may use, or ok false where
// neither /proc/meminfo nor a cgroup limit can be read.
func Available() (Limit, bool) {
	var best Limit
	ok := false
	consider := func(b uint64, src string) {
		if !ok || b < best.Bytes {
			best, ok = Limit{b, src}, true
		}
	}
	if b, found := memAvailable("/proc/meminfo"); found {
		consider(b, "MemAvailable in /proc/meminfo")
	}
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if b, found := cgroupLimit(f); found {
			consider(b, f)
		}
	}
	return best, ok
}

func memAvailable(path string) (uint64, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		rest, found := strings.CutPrefix(sc.Text(), "MemAvailable:")
		if !found {
			continue
		}
		kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil || kb > math.MaxUint64/1024 {
			return 0, false
		}
		return kb * 1024, true
	}
	return 0, false
}

// cgroupLimit reads a cgroup memory limit; "max" and the v1 "no limit"
// value (near 2^63) are no limit.
func cgroupLimit(path string) (uint64, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	b, err := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64)
	if err != nil || b >= 1<<62 {
		return 0, false
	}
	return b, true
}

// ParseSize reads a size: a whole number of bytes with an optional unit
// B, KiB, MiB, GiB, TiB (powers of 1024) or KB, MB, GB, TB (of 1000),
// e.g. 512MiB, 8GiB, 16G (G and M alone are binary, as in Go's
// GOMEMLIMIT).
func ParseSize(s string) (uint64, error) {
	units := []struct {
		suffix string
		mult   uint64
	}{
		{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
		{"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3},
		{"T", 1 << 40}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1},
	}
	num, mult := strings.TrimSpace(s), uint64(1)
	for _, u := range units {
		if n, found := strings.CutSuffix(num, u.suffix); found {
			num, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil || n == 0 || n > math.MaxUint64/mult {
		return 0, fmt.Errorf("must be a positive size such as 512MiB or 8GiB, got %q", s)
	}
	return n * mult, nil
}

// Format writes a size in GiB or MiB with one decimal.
func Format(b uint64) string {
	if b >= 1<<30 {
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}
