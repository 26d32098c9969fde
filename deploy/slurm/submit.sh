#!/bin/bash
# Submits a koiisim sweep as a Slurm job array of SHARDS tasks and a merge
# job that runs when every task succeeded, and prints both job ids.
#
#   deploy/slurm/submit.sh SHARDS SCENARIO OUTDIR [koiisim sweep flags...]
#
# Extra sbatch options (a partition, an account, a time limit) go in
# SBATCH_OPTS, e.g. SBATCH_OPTS="--partition=short --time=01:00:00".
# KOIISIM names the koiisim binary the jobs run (exported to them).
# Slurm's logs go to OUTDIR.slurm/ (slurm-sweep-JOBID_TASK.out and
# slurm-merge-JOBID.out), not into OUTDIR: a sweep refuses an output
# directory that holds files it did not write.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 3 ]; then
  echo "usage: $0 SHARDS SCENARIO OUTDIR [koiisim sweep flags...]" >&2
  exit 2
fi
shards=$1 scenario=$2 out=$3
shift 3
case $shards in
  ''|*[!0-9]*|0) echo "submit.sh: SHARDS must be a positive number, got '$shards'" >&2; exit 2 ;;
esac
logs=${out%/}.slurm
mkdir -p "$out" "$logs"
# shellcheck disable=SC2086 # SBATCH_OPTS is a list of options
array=$(sbatch --parsable ${SBATCH_OPTS:-} --array=0-$((shards - 1)) \
  --output="$logs/slurm-sweep-%A_%a.out" "$here/sweep.sbatch" "$scenario" "$out" "$@")
array=${array%%;*}
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_OPTS:-} --dependency=afterok:"$array" \
  --output="$logs/slurm-merge-%j.out" "$here/merge.sbatch" "$out")
merge=${merge%%;*}
echo "sweep array job $array ($shards tasks), merge job $merge; results in $out, logs in $logs"
