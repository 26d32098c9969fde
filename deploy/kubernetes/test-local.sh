#!/bin/bash
# Plays deploy/kubernetes/sweep-job.yaml and merge-job.yaml on this machine,
# without a cluster, as one `kubectl apply -f deploy/kubernetes/` would:
# first the merge Job's container args, which must wait (merge --wait), then
# the sweep container's args once per completion index with
# JOB_COMPLETION_INDEX and the container's env set, as an Indexed Job does,
# with /data mapped to a temporary directory. It checks the merge waited for
# the pods and that its result equals the same sweep run on one machine,
# byte for byte. The manifests are read and checked for a real cluster
# (image tag and pull policy, non-root user with fsGroup, the shared
# ReadWriteMany volume, the shard count) by the Go program
# deploy/kubernetes/podargs. It tests the manifests' arguments and the
# JOB_COMPLETION_INDEX / KOIISIM_SHARD_COUNT contract, not Kubernetes
# itself. --rounds 20 is added to keep it short, --poll=200ms to the merge.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
say() { echo "test-k8s: $*"; }
die() { echo "test-k8s: FAIL: $*" >&2; exit 1; }
T=$(mktemp -d /tmp/koiisim-k8s.XXXXXX)
merge_pid=""
cleanup() {
  [ -n "$merge_pid" ] && kill "$merge_pid" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
cd "$repo"
make -s build
bin=$repo/bin/koiisim

# The manifests as bash assignments: completions, the shard count env, and
# the sweep and merge args with /data replaced by the temporary directory.
go run ./deploy/kubernetes/podargs deploy/kubernetes "$T/data" > "$T/job.sh" || die "the manifests fail the checks above"
# shellcheck disable=SC1091
. "$T/job.sh"

say "merge Job (applied with the sweep): koiisim ${merge_args[*]}"
"$bin" "${merge_args[@]}" --poll=200ms > "$T/merge.log" 2>&1 &
merge_pid=$!
sleep 1
kill -0 "$merge_pid" 2>/dev/null || die "the merge Job ended before any pod ran instead of waiting: $(cat "$T/merge.log")"

say "sweep Job: $completions completions of: koiisim ${sweep_args[*]}"
pods=()
for ((i = 0; i < completions; i++)); do
  JOB_COMPLETION_INDEX=$i KOIISIM_SHARD_COUNT=$shard_count "$bin" "${sweep_args[@]}" --rounds 20 > "$T/pod-$i.log" 2>&1 &
  pods+=($!)
done
for i in "${!pods[@]}"; do
  wait "${pods[i]}" || die "pod $i failed: $(cat "$T/pod-$i.log")"
done
for _ in $(seq 300); do kill -0 "$merge_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$merge_pid" 2>/dev/null && die "the merge Job still waits 30 s after the last pod: $(cat "$T/merge.log")"
code=0
wait "$merge_pid" || code=$?
merge_pid=""
[ "$code" = 0 ] || die "the merge Job exited $code: $(cat "$T/merge.log")"
grep -q '^merged ' "$T/merge.log" || die "the merge Job did not merge: $(cat "$T/merge.log")"

out=$(printf '%s\n' "${sweep_args[@]}" | sed -n 's/^--out=//p')
# The same sweep on one machine: the sweep args without --out, then ours.
single=()
for a in "${sweep_args[@]}"; do case $a in --out=*) ;; *) single+=("$a") ;; esac; done
"$bin" "${single[@]}" --rounds 20 --out "$T/single" > /dev/null
for f in manifest.json cells.csv summary.csv cells.parquet summary.parquet; do
  cmp "$T/single/$f" "$out/$f" || die "$f differs"
done
say "ok: the merge waited for $completions indexed pods and gave the single machine's files byte for byte"
