package outdir

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// holder is a second process that holds a lock until its stdin closes:
// the test binary run again with OUTDIR_HOLD=dir[,shard].
func TestMain(m *testing.M) {
	if spec := os.Getenv("OUTDIR_HOLD"); spec != "" {
		dir, shard, _ := strings.Cut(spec, ",")
		var l *Lock
		var err error
		if shard == "" {
			l, err = Acquire(dir)
		} else {
			l, err = AcquireShard(dir, shard)
		}
		if err != nil {
			os.Stdout.WriteString("error: " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("locked\n")
		bufio.NewReader(os.Stdin).ReadString('\n')
		l.Release()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// hold starts a process holding dir (or its shard) and returns its id
// and a function that ends it.
func hold(t *testing.T, dir, shard string) (int, func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "OUTDIR_HOLD="+dir+","+shard)
	if shard == "" {
		cmd.Env[len(cmd.Env)-1] = "OUTDIR_HOLD=" + dir
	}
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if line != "locked\n" {
		stdin.Close()
		cmd.Wait()
		t.Fatalf("the holder did not get the lock: %q", line)
	}
	return cmd.Process.Pid, func() { stdin.Close(); cmd.Wait() }
}

func busyPIDs(t *testing.T, err error) []int {
	t.Helper()
	var be *BusyError
	if !errors.As(err, &be) {
		t.Fatalf("got %v, want a *BusyError", err)
	}
	return be.PIDs
}

// TestSecondCommandOnADirectoryIsRefusedNamingTheHolder: a directory
// held by another process is refused at once, with that process's id.
func TestSecondCommandOnADirectoryIsRefusedNamingTheHolder(t *testing.T) {
	dir := t.TempDir()
	pid, stop := hold(t, dir, "")
	_, err := Acquire(dir)
	if got := busyPIDs(t, err); !slices.Equal(got, []int{pid}) {
		t.Errorf("holders %v, want [%d]", got, pid)
	}
	if !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "use another --out") {
		t.Errorf("message %q does not name the directory and the way out", err)
	}
	if _, err := AcquireShard(dir, "0-of-2"); err == nil {
		t.Error("a shard took a directory held whole")
	}
	stop()
	l, err := Acquire(dir)
	if err != nil {
		t.Fatalf("after the holder ended: %v", err)
	}
	l.Release()
}

// TestShardsShareADirectoryButNotAShard: the shards of one sweep run
// side by side in one directory; one shard twice, or a whole command
// beside a shard, is refused.
func TestShardsShareADirectoryButNotAShard(t *testing.T) {
	dir := t.TempDir()
	pid, stop := hold(t, dir, "0-of-2")
	defer stop()
	other, err := AcquireShard(dir, "1-of-2")
	if err != nil {
		t.Fatalf("shard 1/2 beside shard 0/2: %v", err)
	}
	defer other.Release()
	_, err = AcquireShard(dir, "0-of-2")
	if got := busyPIDs(t, err); !slices.Contains(got, pid) {
		t.Errorf("holders %v, want %d among them", got, pid)
	}
	_, err = Acquire(dir)
	if got := busyPIDs(t, err); !slices.Contains(got, pid) || !slices.Contains(got, os.Getpid()) {
		t.Errorf("holders %v, want %d and %d", got, pid, os.Getpid())
	}
}

// TestLockIsReleasedWhenTheHolderDies: the kernel drops a dead
// process's lock, so a kill -9 never leaves a directory locked.
func TestLockIsReleasedWhenTheHolderDies(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "OUTDIR_HOLD="+dir)
	stdin, _ := cmd.StdinPipe()
	defer stdin.Close()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "locked\n" {
		t.Fatalf("holder: %q", line)
	}
	cmd.Process.Kill()
	cmd.Wait()
	l, err := Acquire(dir)
	if err != nil {
		t.Fatalf("after kill -9 of the holder: %v", err)
	}
	l.Release()
}
