#!/bin/sh
# sweep_slurm.sh: the Slurm templates of scripts/slurm/ work without Slurm:
# each array task is run by hand with the environment Slurm would give it,
# then the merge job; the merged result equals an unsharded sweep.  A fake
# sbatch checks that submit_sharded.sh queues the array, then the merge
# after it.  The MPI template is checked for syntax only (sweep_mpi.sh runs
# MPI itself).
# usage: sh sweep_slurm.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
case $Q in /*) ;; *) Q=$(pwd)/$Q ;; esac
case $SRC in /*) ;; *) SRC=$(pwd)/$SRC ;; esac
S=$SRC/scripts/slurm
. "$(dirname "$0")/lib/common.sh"
cd "$T" || exit 1

for f in "$S"/*.sbatch; do
    check "bash -n $(basename "$f")" bash -n "$f"
done
check "sh -n submit_sharded.sh" sh -n "$S/submit_sharded.sh"

cat >s.cfg <<'CFG'
base = "baseline";
set = ["months=24"];
design = "lhs";
samples = 10;
replications = 2;
seed = 3;
factors = ( { path = "policy.tender_pressure"; range = [0.0, 1.0]; } );
outcomes = ( { name = "tenders"; series = "decisions_tender"; reduce = "sum"; } );
series = ["spend"];
CFG
check "unsharded sweep" "$Q" sweep s.cfg -o whole.h5 -q

# An array --array=1-4: tasks 1..4 are shards 0..3.
for task in 1 2 3 4; do
    check "array task $task of 4" env QMSIM="$Q" SLURM_ARRAY_TASK_ID=$task SLURM_ARRAY_TASK_COUNT=4 \
        SLURM_ARRAY_TASK_MIN=1 SLURM_CPUS_PER_TASK=2 bash "$S/sweep_array.sbatch" s.cfg r.h5
done
check "a rerun of a finished task does nothing" env QMSIM="$Q" SLURM_ARRAY_TASK_ID=2 \
    SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_MIN=1 bash "$S/sweep_array.sbatch" s.cfg r.h5
check "four shards written" test -e r.h5.shards/shard-0.h5 -a -e r.h5.shards/shard-3.h5
check "merge job" env QMSIM="$Q" bash "$S/sweep_merge.sbatch" r.h5
check "merged equals unsharded" /usr/bin/python3 "$SRC/tests/sweep/h5same.py" whole.h5 r.h5

# submit_sharded.sh with a fake sbatch that logs its arguments.
mkdir bin
cat >bin/sbatch <<'SB'
#!/bin/sh
echo "$*" >>"$SBATCH_LOG"
n=$(wc -l <"$SBATCH_LOG")
echo "$((1000 + n));cluster"
SB
chmod +x bin/sbatch
check "submit_sharded.sh" env PATH="$T/bin:$PATH" SBATCH_LOG="$T/sbatch.log" QMSIM="$Q" \
    sh "$S/submit_sharded.sh" s.cfg sub.h5 8 --partition=short
check "the array has 8 tasks" grep -q -- "--array=0-7 --partition=short .*/sweep_array.sbatch s.cfg sub.h5" sbatch.log
check "the merge waits for the array" grep -q -- "--dependency=afterok:1001 --partition=short .*/sweep_merge.sbatch sub.h5" sbatch.log
rm -f sbatch.log
env PATH="$T/bin:$PATH" SBATCH_LOG="$T/sbatch.log" QMSIM="$Q" sh "$S/submit_sharded.sh" \
    missing.cfg sub.h5 8 >/dev/null 2>&1
if [ $? -eq 0 ] || [ -e sbatch.log ]; then
    echo "FAIL: submit_sharded.sh queued jobs for a bad sweep file"; fail=1
else
    echo "ok: a bad sweep file is caught before anything is queued"
fi

[ $fail -eq 0 ] && echo "the Slurm templates shard and merge a sweep"
exit $fail
