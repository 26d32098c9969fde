#!/bin/bash
# Plays deploy/kubernetes/sweep-job.yaml and merge-job.yaml on this machine,
# without a cluster: runs the sweep container's args once per completion
# index with JOB_COMPLETION_INDEX and the container's env set, as an
# Indexed Job does, with /data mapped to a temporary directory, then the
# merge container's args, and checks the result equals the same sweep run
# on one machine, byte for byte. It guards the manifests' arguments and
# the JOB_COMPLETION_INDEX / KOIISIM_SHARD_COUNT contract; it does not test
# Kubernetes itself. Needs python3 with PyYAML to read the manifests
# (skipped, with a note, without it). --rounds 20 is added to keep it short.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
say() { echo "test-k8s: $*"; }
if ! python3 -c 'import yaml' 2>/dev/null; then
  say "skipped: python3 with PyYAML is needed to read the manifests"
  exit 0
fi
T=$(mktemp -d /tmp/koiisim-k8s.XXXXXX)
trap 'rm -rf "$T"' EXIT
(cd "$repo" && make -s build)
bin=$repo/bin/koiisim

# The manifests as shell words: completions, the shard count env, and the
# sweep and merge args with /data replaced by the temporary directory.
python3 - "$repo/deploy/kubernetes" "$T" > "$T/job.sh" <<'PY'
import shlex, sys, yaml
d, data = sys.argv[1], sys.argv[2] + "/data"
docs = [x for x in yaml.safe_load_all(open(d + "/sweep-job.yaml")) if x and x.get("kind") == "Job"]
job = docs[0]["spec"]
assert job["completionMode"] == "Indexed", "the sweep Job must be an Indexed Job"
c = job["template"]["spec"]["containers"][0]
env = {e["name"]: e["value"] for e in c.get("env", [])}
merge = yaml.safe_load(open(d + "/merge-job.yaml"))["spec"]["template"]["spec"]["containers"][0]
fix = lambda args: [a.replace("/data", data) for a in args]
print("completions=%d" % job["completions"])
print("shard_count=%s" % shlex.quote(env.get("KOIISIM_SHARD_COUNT", "")))
print("sweep_args=(%s)" % " ".join(shlex.quote(a) for a in fix(c["args"])))
print("merge_args=(%s)" % " ".join(shlex.quote(a) for a in fix(merge["args"])))
PY
# shellcheck disable=SC1091
. "$T/job.sh"
[ "$shard_count" = "$completions" ] || { say "FAIL: KOIISIM_SHARD_COUNT ($shard_count) differs from completions ($completions)"; exit 1; }
say "sweep Job: $completions completions of: koiisim ${sweep_args[*]}"
for ((i = 0; i < completions; i++)); do
  JOB_COMPLETION_INDEX=$i KOIISIM_SHARD_COUNT=$shard_count "$bin" "${sweep_args[@]}" --rounds 20 > "$T/pod-$i.log" 2>&1 &
done
wait
say "merge Job: koiisim ${merge_args[*]}"
"$bin" "${merge_args[@]}" > "$T/merge.log"
out=$(printf '%s\n' "${sweep_args[@]}" | sed -n 's/^--out=//p')
# The same sweep on one machine: the sweep args without --out, then ours.
single=()
for a in "${sweep_args[@]}"; do case $a in --out=*) ;; *) single+=("$a") ;; esac; done
"$bin" "${single[@]}" --rounds 20 --out "$T/single" > /dev/null
for f in manifest.json cells.csv summary.csv; do
  cmp "$T/single/$f" "$out/$f" || { say "FAIL: $f differs"; exit 1; }
done
say "ok: $completions indexed pods and the merge gave the single machine's files byte for byte"
