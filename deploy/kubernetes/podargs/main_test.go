package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func podargs(t *testing.T, dir string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run([]string{dir, "/tmp/koiisim-data"}, &out, &errb)
	return code, out.String(), errb.String()
}

// The manifests in the repository pass every check, and their pods'
// arguments come out with /data replaced.
func TestTheManifestsPass(t *testing.T) {
	code, out, errs := podargs(t, "..")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"completions=4\n", "shard_count='4'\n", "'--out=/tmp/koiisim-data/auditor-ratio'",
		"merge_args=('merge' '/tmp/koiisim-data/auditor-ratio' '--wait=24h')\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// Each thing a real cluster needs, removed from the manifests, is named
// by file and field, all in one run.
func TestEveryClusterProblemIsNamed(t *testing.T) {
	edits := map[string][][2]string{
		sweepFile: {
			{"        fsGroup: 65532           # so that user can write the volume\n", ""},
			{"          imagePullPolicy: IfNotPresent\n", ""},
			{"value: \"4\"", "value: \"3\""},
			{"completionMode: Indexed", "completionMode: NonIndexed"},
			{"accessModes: [ReadWriteMany]", "accessModes: [ReadWriteOnce]"},
		},
		mergeFile: {
			{", --wait=24h]", "]"},
			{"runAsNonRoot: true", "runAsNonRoot: false"},
			{"image: koiisim:v1", "image: koiisim:latest"},
		},
	}
	dir := t.TempDir()
	for file, subs := range edits {
		b, err := os.ReadFile(filepath.Join("..", file))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		for _, s := range subs {
			if !strings.Contains(text, s[0]) {
				t.Fatalf("%s no longer contains %q: update the test", file, s[0])
			}
			text = strings.Replace(text, s[0], s[1], 1)
		}
		if err := os.WriteFile(filepath.Join(dir, file), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, _, errs := podargs(t, dir)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	for _, want := range []string{
		"sweep-job.yaml: Job koiisim-sweep: spec.template.spec.securityContext.fsGroup is not set",
		"sweep-job.yaml: Job koiisim-sweep: spec.template.spec.containers[sweep].imagePullPolicy is not set",
		"KOIISIM_SHARD_COUNT is \"3\", not the completions (4)",
		"spec.completionMode is \"NonIndexed\"",
		"lack ReadWriteMany",
		"merge-job.yaml: containers[merge].args have no positive --wait=D",
		"merge-job.yaml: Job koiisim-merge: spec.template.spec.securityContext.runAsNonRoot is not true",
		"image \"koiisim:latest\" has no version tag",
		"run different images",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
}

// A manifest that is missing or not YAML is a read error (exit 1).
func TestUnreadableManifest(t *testing.T) {
	if code, _, errs := podargs(t, t.TempDir()); code != 1 || !strings.Contains(errs, sweepFile) {
		t.Errorf("missing manifests: exit %d: %s", code, errs)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, sweepFile), []byte("kind: [Job\n"), 0o644)
	os.WriteFile(filepath.Join(dir, mergeFile), []byte("kind: Job\n"), 0o644)
	if code, _, errs := podargs(t, dir); code != 1 || !strings.Contains(errs, sweepFile) {
		t.Errorf("bad YAML: exit %d: %s", code, errs)
	}
}
