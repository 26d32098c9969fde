package sysmem

import (
	"os"
	"path/filepath"
	"testing"
)

func TestParseSizeReadsUnits(t *testing.T) {
	for in, want := range map[string]uint64{"512MiB": 512 << 20, "8GiB": 8 << 30, "16G": 16 << 30, "2GB": 2e9, "4096": 4096, "1 TiB": 1 << 40} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", "-1GiB", "8 giga", "99999999999999999999TiB"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
}

func TestMemAvailableAndCgroupLimitsAreRead(t *testing.T) {
	dir := t.TempDir()
	mi := filepath.Join(dir, "meminfo")
	os.WriteFile(mi, []byte("MemTotal:       24000000 kB\nMemAvailable:   1000 kB\n"), 0o644)
	if b, ok := memAvailable(mi); !ok || b != 1000*1024 {
		t.Errorf("memAvailable = %d, %v", b, ok)
	}
	cg := filepath.Join(dir, "memory.max")
	os.WriteFile(cg, []byte("max\n"), 0o644)
	if _, ok := cgroupLimit(cg); ok {
		t.Error("memory.max \"max\" read as a limit")
	}
	os.WriteFile(cg, []byte("1073741824\n"), 0o644)
	if b, ok := cgroupLimit(cg); !ok || b != 1<<30 {
		t.Errorf("cgroupLimit = %d, %v", b, ok)
	}
}
