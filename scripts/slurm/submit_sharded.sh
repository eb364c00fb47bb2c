#!/bin/sh
# submit_sharded.sh: submits a sweep as a Slurm job array of N shards and a
# merge job that runs once every shard has finished.
#
#   scripts/slurm/submit_sharded.sh SWEEP.cfg RESULT.h5 N [sbatch options...]
#
# Extra options (e.g. --partition=short --account=proj) go to both jobs.
# QMSIM in the environment names the qmsim binary the jobs run.
set -eu
if [ $# -lt 3 ]; then
    echo "usage: $0 SWEEP.cfg RESULT.h5 N [sbatch options...]" >&2
    exit 2
fi
SWEEP=$1 RESULT=$2 N=$3
shift 3
case $N in ''|*[!0-9]*) echo "$0: N must be a number of shards, not '$N'" >&2; exit 2 ;; esac
DIR=$(cd "$(dirname "$0")" && pwd)
# Check the sweep file here, before anything is queued.
"${QMSIM:-qmsim}" sweep "$SWEEP" --dry-run --shard "0/$N"
ARRAY=$(sbatch --parsable --export=ALL --array=0-$((N - 1)) "$@" \
        "$DIR/sweep_array.sbatch" "$SWEEP" "$RESULT")
ARRAY=${ARRAY%%;*}
MERGE=$(sbatch --parsable --export=ALL --dependency=afterok:"$ARRAY" "$@" \
        "$DIR/sweep_merge.sbatch" "$RESULT")
MERGE=${MERGE%%;*}
echo "submitted shards as job array $ARRAY and the merge as job $MERGE"
echo "the result will be $RESULT"
