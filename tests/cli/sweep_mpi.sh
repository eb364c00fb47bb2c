#!/bin/sh
# sweep_mpi.sh: the MPI build of qmsim (-DQMSIM_MPI=ON, Debian's OpenMPI)
# spreads a sweep over 3 ranks under mpirun and writes the same result as
# the threaded build (tests/sweep/h5same.py: all but wall times); a
# calibration on 1, 2 and 3 ranks equals the threaded one.
# The MPI build goes to its own directory beside the binary under test.
# Exits 77 (skipped) when OpenMPI is not installed (scripts/deps.sh
# installs it).
# usage: sh sweep_mpi.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
case $Q in /*) ;; *) Q=$(pwd)/$Q ;; esac
case $SRC in /*) ;; *) SRC=$(pwd)/$SRC ;; esac
PY=/usr/bin/python3
SAME="$PY $SRC/tests/sweep/h5same.py"
if ! command -v mpirun >/dev/null 2>&1 || ! command -v mpicc >/dev/null 2>&1; then
    echo "SKIP: OpenMPI (mpirun, mpicc) is not installed; scripts/deps.sh installs it"
    exit 77
fi
B=$(dirname "$Q")/sweep-mpi-build
. "$(dirname "$0")/lib/common.sh"
CHECK_LINES=30

echo "building qmsim with -DQMSIM_MPI=ON in $B"
if ! { cmake -S "$SRC" -B "$B" -DQMSIM_MPI=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$T/build.log" 2>&1 \
       && cmake --build "$B" --target qmsim -j 2 >>"$T/build.log" 2>&1; }; then
    echo "FAIL: the MPI build failed:"; tail -30 "$T/build.log"
    exit 1
fi
QM=$B/qmsim

# Containers: no CMA between ranks, more ranks than cores, running as root.
export OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_rmaps_base_oversubscribe=1
MPIRUN="timeout 300 mpirun --oversubscribe --allow-run-as-root"

cd "$T" || exit 1
cat >mpi.cfg <<'EOF'
base = "baseline";
set = ["months=36"];
design = "lhs";
samples = 20;
replications = 3;
seed = 11;
factors = (
  { path = "policy.tender_pressure"; range = [0.0, 1.0]; },
  { path = "policy.payment_type"; values = ["block", "activity", "outcome"]; },
  { path = "contract.term"; range = [12, 60]; }
);
outcomes = (
  { name = "tenders"; series = "decisions_tender"; reduce = "sum"; },
  { name = "trust"; series = "trust_mean_provider"; reduce = "final"; }
);
series = ["spend", "switches"];
EOF

check "threaded sweep (the ordinary build, 2 threads)" "$Q" sweep mpi.cfg -o threads.h5 -q --threads 2
check "mpirun -np 3 (rank 0 hands out runs to 2 workers)" $MPIRUN -np 3 "$QM" sweep mpi.cfg -o mpi3.h5
check "MPI result equals the threaded result" $SAME threads.h5 mpi3.h5
check "mpirun -np 1 (one rank runs everything)" $MPIRUN -np 1 "$QM" sweep mpi.cfg -o mpi1.h5 -q
check "one-rank result equals the threaded result" $SAME threads.h5 mpi1.h5
check "the MPI build without mpirun runs on threads" "$QM" sweep mpi.cfg -o plain.h5 -q --threads 2
check "and gives the same result" $SAME threads.h5 plain.h5

# Errors before any run stop every rank with exit 2 and one message.
sed 's/policy.tender_pressure/policy.tender_presure/' mpi.cfg >bad.cfg
$MPIRUN -np 3 "$QM" sweep bad.cfg -o bad.h5 >"$T/out" 2>&1
rc=$?
n=$(grep -c "unknown key 'policy.tender_presure'" "$T/out")
if [ $rc -eq 0 ] || [ "$n" -ne 1 ] || [ -e bad.h5 ]; then
    echo "FAIL: a bad sweep file under mpirun: exit $rc, $n messages:"; sed 's/^/    /' "$T/out"
    fail=1
else
    echo "ok: a bad sweep file under mpirun stops all ranks (exit $rc, one message)"
fi

# Sobol indices of Ishigami computed from an MPI sweep.
check "Ishigami under mpirun -np 3" $MPIRUN -np 3 "$QM" sweep "$SRC/scenarios/sweeps/ishigami.cfg" -o ish.h5 -q
check "sensitivity of the MPI result" sh -c "'$Q' sensitivity ish.h5 --format json >ish.json"
check "S1(x2) near 0.442" $PY -c "
import json; f = json.load(open('ish.json'))['outcomes'][0]['factors']
assert abs(f[1]['S1'] - 0.4424) < 0.03, f
"

# A calibration (qmsim calibrate, src/calibrate/driver_mpi.c): rank 0 runs
# the sampler and hands simulations to the other ranks; the result equals
# the threaded one (h5same compares every dataset and attribute).
cat >cal.cfg <<'EOF'
base = "baseline";
set = ["months=24"];
seed = 5;
particles = 12;
budget = { simulations = 120; generations = 3; };
parameters = (
  { path = "decision.beta_tender0"; prior = "uniform"; range = [0.0, 5.0]; },
  { path = "development.start_base"; prior = "log_uniform"; range = [0.004, 0.04]; }
);
targets = (
  { outcome = "tender_share"; band = [0.0, 0.10]; },
  { outcome = "developments"; observed = 8; tolerance = 4; }
);
EOF
check "calibration on 1 thread (the ordinary build)" "$Q" calibrate cal.cfg -o cal1.h5 -q
check "calibration under mpirun -np 2 (one worker)" $MPIRUN -np 2 "$QM" calibrate cal.cfg -o cal2.h5 -q
check "2 ranks equal 1 thread" $SAME cal1.h5 cal2.h5
check "calibration under mpirun -np 3 (two workers)" $MPIRUN -np 3 "$QM" calibrate cal.cfg -o cal3.h5 -q
check "3 ranks equal 1 thread" $SAME cal1.h5 cal3.h5
check "calibration under mpirun -np 1" $MPIRUN -np 1 "$QM" calibrate cal.cfg -o calm1.h5 -q
check "1 rank equals 1 thread" $SAME cal1.h5 calm1.h5

[ $fail -eq 0 ] && echo "the MPI sweep and calibration equal the threaded ones"
exit $fail
