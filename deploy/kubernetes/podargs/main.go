// Command podargs reads the Kubernetes manifests of deploy/kubernetes
// (sweep-job.yaml and merge-job.yaml), checks what a real cluster needs
// of them, and prints the pods' commands as bash assignments for
// deploy/kubernetes/test-local.sh, which plays the Jobs without a
// cluster:
//
//	go run ./deploy/kubernetes/podargs DIR DATA > job.sh
//
// DIR holds the manifests; DATA replaces the volume's mount path (/data)
// in the arguments. It prints completions, shard_count, sweep_args and
// merge_args. The checks, each failure named with its file and field:
// the sweep Job is Indexed and KOIISIM_SHARD_COUNT equals its
// completions; both Jobs run the same tagged image (never :latest) with
// an explicit imagePullPolicy; both pods run as a non-root user with an
// fsGroup, so that user can write the shared volume; both mount the
// PersistentVolumeClaim the sweep manifest defines, ReadWriteMany, at
// /data; and the merge waits for the shards (koiisim merge --wait) in
// the sweep's output directory, so one kubectl apply runs both.
//
// Exit codes: 0 ok, 1 a manifest cannot be read, 2 usage or a failed
// check.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

const (
	sweepFile = "sweep-job.yaml"
	mergeFile = "merge-job.yaml"
	mountPath = "/data"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// object is the part of a Kubernetes object these checks read. Spec
// holds the fields of a Job's spec and of a PersistentVolumeClaim's.
type object struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    *int   `yaml:"completions"`
		Template       struct {
			Spec podSpec `yaml:"spec"`
		} `yaml:"template"`
		AccessModes []string `yaml:"accessModes"`
	} `yaml:"spec"`
}

type podSpec struct {
	SecurityContext *struct {
		RunAsUser    *int64 `yaml:"runAsUser"`
		RunAsNonRoot *bool  `yaml:"runAsNonRoot"`
		FSGroup      *int64 `yaml:"fsGroup"`
	} `yaml:"securityContext"`
	Containers []container `yaml:"containers"`
	Volumes    []struct {
		Name                  string `yaml:"name"`
		PersistentVolumeClaim *struct {
			ClaimName string `yaml:"claimName"`
		} `yaml:"persistentVolumeClaim"`
	} `yaml:"volumes"`
}

type container struct {
	Name            string   `yaml:"name"`
	Image           string   `yaml:"image"`
	ImagePullPolicy string   `yaml:"imagePullPolicy"`
	Args            []string `yaml:"args"`
	Env             []struct {
		Name  string `yaml:"name"`
		Value string `yaml:"value"`
	} `yaml:"env"`
	VolumeMounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
	} `yaml:"volumeMounts"`
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 {
		fmt.Fprintln(stderr, "usage: podargs DIR DATA (DIR holds sweep-job.yaml and merge-job.yaml; DATA replaces /data)")
		return 2
	}
	dir, data := args[0], args[1]
	sweepDocs, err := load(filepath.Join(dir, sweepFile))
	if err != nil {
		fmt.Fprintf(stderr, "podargs: %v\n", err)
		return 1
	}
	mergeDocs, err := load(filepath.Join(dir, mergeFile))
	if err != nil {
		fmt.Fprintf(stderr, "podargs: %v\n", err)
		return 1
	}
	c := checker{}
	sweep := c.one(sweepFile, sweepDocs, "Job")
	claim := c.one(sweepFile, sweepDocs, "PersistentVolumeClaim")
	merge := c.one(mergeFile, mergeDocs, "Job")
	if sweep == nil || merge == nil || claim == nil {
		fmt.Fprintf(stderr, "podargs: %v\n", errors.Join(c.problems...))
		return 2
	}
	sc, mc := c.pod(sweepFile, sweep, claim), c.pod(mergeFile, merge, claim)
	if sc == nil || mc == nil {
		fmt.Fprintf(stderr, "podargs: %v\n", errors.Join(c.problems...))
		return 2
	}
	completions, shardCount := c.indexed(sweep, sc)
	if !slices.Contains(claim.Spec.AccessModes, "ReadWriteMany") {
		c.addf("%s: PersistentVolumeClaim %s: spec.accessModes %q lack ReadWriteMany; every pod of both Jobs writes to it", sweepFile, claim.Metadata.Name, claim.Spec.AccessModes)
	}
	if sc.Image != mc.Image {
		c.addf("%s and %s run different images (%q, %q); give both the same reference", sweepFile, mergeFile, sc.Image, mc.Image)
	}
	c.mergeWaits(sc, mc)
	if len(c.problems) > 0 {
		fmt.Fprintf(stderr, "podargs: %v\n", errors.Join(c.problems...))
		return 2
	}
	fix := func(args []string) []string {
		out := make([]string, len(args))
		for i, a := range args {
			out[i] = strings.ReplaceAll(a, mountPath, data)
		}
		return out
	}
	fmt.Fprintf(stdout, "completions=%d\n", completions)
	fmt.Fprintf(stdout, "shard_count=%s\n", quote(shardCount))
	fmt.Fprintf(stdout, "sweep_args=(%s)\n", quoteAll(fix(sc.Args)))
	fmt.Fprintf(stdout, "merge_args=(%s)\n", quoteAll(fix(mc.Args)))
	return 0
}

// load decodes every document of a YAML file.
func load(path string) ([]object, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var out []object
	for {
		var o object
		err := dec.Decode(&o)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, o)
	}
}

// checker collects every problem, so one run names them all.
type checker struct{ problems []error }

func (c *checker) addf(format string, args ...any) {
	c.problems = append(c.problems, fmt.Errorf(format, args...))
}

// one returns the only object of kind in a file's documents.
func (c *checker) one(file string, docs []object, kind string) *object {
	var found []*object
	for i := range docs {
		if docs[i].Kind == kind {
			found = append(found, &docs[i])
		}
	}
	if len(found) != 1 {
		c.addf("%s: %d objects of kind %s, want 1", file, len(found), kind)
		return nil
	}
	return found[0]
}

// pod checks what a Job's pod needs on a real cluster and returns its
// only container.
func (c *checker) pod(file string, job, claim *object) *container {
	at := fmt.Sprintf("%s: Job %s: spec.template.spec", file, job.Metadata.Name)
	pod := &job.Spec.Template.Spec
	if len(pod.Containers) != 1 {
		c.addf("%s.containers: %d containers, want 1", at, len(pod.Containers))
		return nil
	}
	ctr := &pod.Containers[0]
	cat := fmt.Sprintf("%s.containers[%s]", at, ctr.Name)
	switch {
	case ctr.Image == "":
		c.addf("%s.image is empty; name the image built from deploy/kubernetes/Dockerfile", cat)
	case !strings.Contains(ctr.Image[strings.LastIndex(ctr.Image, "/")+1:], ":") || strings.HasSuffix(ctr.Image, ":latest"):
		c.addf("%s.image %q has no version tag; tag the image (koiisim:v1, not :latest) so every pod runs the same build", cat, ctr.Image)
	}
	switch ctr.ImagePullPolicy {
	case "Always", "IfNotPresent", "Never":
	case "":
		c.addf("%s.imagePullPolicy is not set; set it (IfNotPresent) rather than rely on the default, which depends on the tag", cat)
	default:
		c.addf("%s.imagePullPolicy %q is not Always, IfNotPresent or Never", cat, ctr.ImagePullPolicy)
	}
	sec := pod.SecurityContext
	switch {
	case sec == nil:
		c.addf("%s.securityContext is not set; set runAsNonRoot, runAsUser and fsGroup so the non-root user can write the volume", at)
	default:
		if sec.RunAsNonRoot == nil || !*sec.RunAsNonRoot {
			c.addf("%s.securityContext.runAsNonRoot is not true", at)
		}
		if sec.RunAsUser == nil || *sec.RunAsUser <= 0 {
			c.addf("%s.securityContext.runAsUser is not a non-root user id (the image's is 65532)", at)
		}
		if sec.FSGroup == nil || *sec.FSGroup <= 0 {
			c.addf("%s.securityContext.fsGroup is not set; without it the volume may not be writable by the non-root user", at)
		}
	}
	var volume string
	for _, m := range ctr.VolumeMounts {
		if m.MountPath == mountPath {
			volume = m.Name
		}
	}
	if volume == "" {
		c.addf("%s.volumeMounts: nothing is mounted at %s", cat, mountPath)
		return ctr
	}
	mounted := false
	for _, v := range pod.Volumes {
		if v.Name == volume && v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ClaimName == claim.Metadata.Name {
			mounted = true
		}
	}
	if !mounted {
		c.addf("%s.volumes: %s is not the PersistentVolumeClaim %s of %s", at, volume, claim.Metadata.Name, sweepFile)
	}
	return ctr
}

// indexed checks the Indexed Job contract: koiisim takes its shard from
// JOB_COMPLETION_INDEX and the shard count from KOIISIM_SHARD_COUNT.
func (c *checker) indexed(job *object, ctr *container) (int, string) {
	at := fmt.Sprintf("%s: Job %s: spec", sweepFile, job.Metadata.Name)
	if job.Spec.CompletionMode != "Indexed" {
		c.addf("%s.completionMode is %q; the sweep Job must be Indexed", at, job.Spec.CompletionMode)
	}
	if job.Spec.Completions == nil || *job.Spec.Completions < 1 {
		c.addf("%s.completions is not a positive number", at)
		return 0, ""
	}
	count := ""
	for _, e := range ctr.Env {
		if e.Name == "KOIISIM_SHARD_COUNT" {
			count = e.Value
		}
	}
	if count != fmt.Sprint(*job.Spec.Completions) {
		c.addf("%s.template: KOIISIM_SHARD_COUNT is %q, not the completions (%d); keep them equal", at, count, *job.Spec.Completions)
	}
	return *job.Spec.Completions, count
}

// mergeWaits checks that the merge Job merges the sweep's output and
// waits for its shards, so it can be applied with the sweep.
func (c *checker) mergeWaits(sweep, merge *container) {
	at := mergeFile + ": containers[" + merge.Name + "].args"
	out := ""
	for _, a := range sweep.Args {
		if v, ok := strings.CutPrefix(a, "--out="); ok {
			out = v
		}
	}
	if len(merge.Args) < 2 || merge.Args[0] != "merge" || merge.Args[1] != out {
		c.addf("%s are %q; want merge %s (the sweep's --out=) first", at, merge.Args, out)
	}
	wait := time.Duration(0)
	for _, a := range merge.Args {
		if v, ok := strings.CutPrefix(a, "--wait="); ok {
			d, err := time.ParseDuration(v)
			if err != nil {
				c.addf("%s: --wait=%s: %v", at, v, err)
			}
			wait = d
		}
	}
	if wait <= 0 {
		c.addf("%s have no positive --wait=D; without it the merge Job fails unless applied after the sweep Job completed", at)
	}
}

// quote returns s as one bash word.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func quoteAll(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = quote(w)
	}
	return strings.Join(q, " ")
}
