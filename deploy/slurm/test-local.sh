#!/bin/bash
# The Slurm test (make test-slurm): submits a small sweep with
# deploy/slurm/submit.sh, the script the README tells users to run, to a
# one-node Slurm cluster started on this machine: a job array and a merge
# job that depends on it. It follows both jobs until the merge ends and
# checks the result equals the same sweep run on one machine, byte for
# byte.
#
# It installs Debian's slurm-wlm and munge when missing (as root, without
# starting their services), then starts its own munged, slurmctld and
# slurmd with a generated slurm.conf, state and logs under a temporary
# directory, on free ports, and stops exactly those daemons on exit,
# failure included. On a failure it prints the daemons' and jobs' logs.
#
# Environment: KOIISIM_SLURM_KEEP=1 keeps the temporary directory;
# KOIISIM_SLURM_TIMEOUT bounds each wait (seconds, default 240).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
timeout_s=${KOIISIM_SLURM_TIMEOUT:-240}
say() { echo "test-slurm: $*"; }
die() { echo "test-slurm: FAIL: $*" >&2; exit 1; }

# --- install ---------------------------------------------------------------
install_slurm() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null && command -v munged >/dev/null; then
    return
  fi
  [ "$(id -u)" = 0 ] || die "slurm-wlm and munge are missing and installing them needs root"
  say "installing slurm-wlm and munge (Debian packages)"
  # Keep the packages' services from starting: this test runs its own.
  local policy=/usr/sbin/policy-rc.d made_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && made_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  local ok=""
  for attempt in 1 2 3; do
    if apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends slurm-wlm munge >/dev/null; then
      ok=1; break
    fi
    say "apt-get failed (attempt $attempt); retrying"
    sleep $((attempt * 5))
  done
  [ -n "$made_policy" ] && rm -f "$policy"
  [ -n "$ok" ] || die "could not install slurm-wlm and munge"
}

# --- a free TCP port on the loopback ----------------------------------------
free_port() {
  local p
  for p in $(seq "$1" $(($1 + 200))); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"; return
    fi
  done
  die "no free port from $1"
}

# --- the cluster -------------------------------------------------------------
T=$(mktemp -d /tmp/koiisim-slurm.XXXXXX)
chmod 755 "$T"
pids=()
status=1

show_logs() {
  for f in "$T"/log/* "$T"/out/cluster.slurm/*.out; do
    [ -f "$f" ] || continue
    echo "----- $f (last 60 lines)"
    tail -n 60 "$f"
  done
  if [ -n "${SLURM_CONF:-}" ] && command -v scontrol >/dev/null; then
    echo "----- scontrol show node / job"
    timeout 10 scontrol show node 2>&1 | head -30 || true
    timeout 10 scontrol show job 2>&1 | head -60 || true
  fi
}

cleanup() {
  local code=$?
  [ "$status" = 0 ] || { [ "$code" != 0 ] && show_logs >&2; }
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "${KOIISIM_SLURM_KEEP:-}" = 1 ]; then
    say "kept $T"
  else
    rm -rf "$T"
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

install_slurm
[ "$(id -u)" = 0 ] || die "the one-node cluster runs its daemons as root; run as root"

say "building koiisim"
(cd "$repo" && make -s build)
bin=$repo/bin/koiisim

mkdir -p "$T"/{key,munge,state,spool,log,run,out}
node=localhost
cpus=$(nproc)
mem=$(slurmd -C 2>/dev/null | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' | head -1)
[ -n "$mem" ] || mem=$(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo)
ctld_port=$(free_port 16817)
slurmd_port=$(free_port $((ctld_port + 1)))

# munge: a fresh key (in a private directory) and a socket of our own.
dd if=/dev/urandom of="$T/key/munge.key" bs=1024 count=1 status=none
chmod 700 "$T/key" && chmod 400 "$T/key/munge.key"
chmod 755 "$T/munge"
munged --foreground --force --key-file="$T/key/munge.key" --socket="$T/munge/munge.socket" \
  --pid-file="$T/run/munged.pid" --seed-file="$T/key/munged.seed" --log-file="$T/log/munged.log" \
  >"$T/log/munged.stdout" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -S "$T/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$T/munge/munge.socket" ] || die "munged did not start"

cat > "$T/slurm.conf" <<CONF
ClusterName=koiisim-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge/munge.socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/run/slurmctld.pid
SlurmdPidFile=$T/run/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
MailProg=/bin/true
SlurmctldTimeout=30
SlurmdTimeout=60
MinJobAge=600
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$T/slurm.conf

say "starting slurmctld and slurmd (ports $ctld_port, $slurmd_port; $cpus CPUs, ${mem} MB)"
slurmctld -D -i -f "$SLURM_CONF" >"$T/log/slurmctld.stdout" 2>&1 &
pids+=($!)
for _ in $(seq 100); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.2; done
scontrol ping 2>/dev/null | grep -q UP || die "slurmctld did not answer"
slurmd -D -N "$node" -f "$SLURM_CONF" >"$T/log/slurmd.stdout" 2>&1 &
pids+=($!)
state=""
for _ in $(seq 150); do
  state=$(sinfo -h -n "$node" -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.2
done
[ "$state" = idle ] || die "the node is '$state', not idle"

# --- the test ----------------------------------------------------------------
scenario=auditor-ratio
flags=(--rounds 30 --sweep populations.auditors.count=0,20,50 --sweep rules.slash_fraction=0.1,0.5
  --replicates 3 --format parquet --metrics faulty.missed_detection_rate,faulty.net_profit,honest.net_profit)
shards=3

say "single machine: koiisim sweep $scenario ${flags[*]}"
"$bin" sweep "$scenario" --out "$T/out/single" --quiet "${flags[@]}" >/dev/null

# The README's command: submit.sh submits the array and the merge job and
# returns; the test then follows both jobs with scontrol until the merge
# job ends (accounting is off, so no sacct).
say "cluster: deploy/slurm/submit.sh $shards $scenario OUT ${flags[*]}"
export KOIISIM=$bin
cd "$T"
submitted=$(SBATCH_OPTS="--cpus-per-task=1" timeout 60 "$repo/deploy/slurm/submit.sh" "$shards" "$scenario" "$T/out/cluster" "${flags[@]}") ||
  die "submit.sh failed (exit $?)"
say "submit.sh: $submitted"
array=$(sed -n 's/^sweep array job \([0-9]*\) .*/\1/p' <<<"$submitted")
merge=$(sed -n 's/.*, merge job \([0-9]*\);.*/\1/p' <<<"$submitted")
[ -n "$array" ] && [ -n "$merge" ] || die "submit.sh printed no job ids"

# The states of a job's tasks (one for a plain job), sorted, unique.
job_states() {
  scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | sort -u | tr '\n' ' '
}
deadline=$((SECONDS + timeout_s))
while :; do
  merge_state=$(job_states "$merge")
  array_states=$(job_states "$array")
  case "$merge_state" in
    "COMPLETED ") break ;;
    *FAIL* | *CANCEL* | *TIMEOUT* | *PREEMPT* | *OUT_OF_MEMORY* | *DEADLINE*) die "the merge job $merge ended $merge_state" ;;
  esac
  case "$array_states" in
    *FAIL* | *CANCEL* | *TIMEOUT* | *PREEMPT* | *OUT_OF_MEMORY* | *DEADLINE*) die "the array job $array has tasks $array_states" ;;
  esac
  [ "$SECONDS" -lt "$deadline" ] || die "the jobs did not end within ${timeout_s}s (array: $array_states, merge: $merge_state)"
  sleep 1
done
[ "$array_states" = "COMPLETED " ] || die "the merge ran but the array's tasks are $array_states"
for i in $(seq 0 $((shards - 1))); do
  [ -f "$T/out/cluster/shard-$i-of-$shards.json" ] || die "task $i wrote no shard manifest"
done
grep -q '^merged ' "$T"/out/cluster.slurm/slurm-merge-"$merge".out || die "the merge job's log does not say it merged"

say "comparing the merged sweep with the single-machine one"
for f in manifest.json cells.csv summary.csv cells.parquet summary.parquet; do
  cmp "$T/out/single/$f" "$T/out/cluster/$f" || die "$f differs"
done
diff -r "$T/out/single/cells" "$T/out/cluster/cells" >/dev/null || die "cells/ differs"
cells=$(($(wc -l < "$T/out/cluster/cells.csv") - 1))
status=0
say "ok: $shards array tasks and the merge job gave the single machine's files byte for byte ($cells cells)"
