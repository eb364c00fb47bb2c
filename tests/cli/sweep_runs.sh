#!/bin/sh
# sweep_runs.sh: a sweep's result does not depend on how it was run.
#   - the same result on 1 and 3 threads;
#   - sharded (--shard I/3) then merged equals unsharded;
#   - killed part-way (SIGKILL) then --resume equals uninterrupted, and the
#     resume only runs the missing runs; likewise after SIGINT;
#   - a run of a sweep equals `qmsim run` of the same point and replicate;
#   - the bundled example sweeps run, and sensitivity reads their results.
# "Equals" is tests/sweep/h5same.py: every dataset and attribute bit for bit,
# except the wall times.
# usage: sh sweep_runs.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
PY=/usr/bin/python3
case $Q in /*) ;; *) Q=$(pwd)/$Q ;; esac
case $SRC in /*) ;; *) SRC=$(pwd)/$SRC ;; esac
SAME="$PY $SRC/tests/sweep/h5same.py"
. "$(dirname "$0")/lib/common.sh"
cd "$T" || exit 1

# A grid with a list of names, a boolean and a saved series: 12 points x 3.
cat >grid.cfg <<'EOF'
base = "baseline";
set = ["months=24"];
design = "grid";
replications = 3;
seed = 9;
factors = (
  { name = "pressure"; path = "policy.tender_pressure"; range = [0.0, 1.0]; levels = 3; },
  { path = "policy.payment_type"; values = ["block", "activity"]; },
  { path = "policy.open_market"; values = [false, true]; }
);
outcomes = (
  { name = "tenders"; series = "decisions_tender"; reduce = "sum"; },
  { name = "trust"; series = "trust_mean_provider"; reduce = "final"; },
  { name = "spend_y2"; series = "spend"; reduce = "mean"; months = [12, 23]; },
  { name = "hhi_max"; series = "hhi_mean"; reduce = "max"; }
);
series = ["spend", "switches"];
EOF
check "grid sweep, 1 thread" "$Q" sweep grid.cfg -o one.h5 -q
check "grid sweep, 3 threads" "$Q" sweep grid.cfg -o three.h5 -q --threads 3
check "1 and 3 threads give the same result" $SAME one.h5 three.h5

for i in 0 1 2; do
    check "shard $i/3" "$Q" sweep grid.cfg -o shard$i.h5 -q --shard $i/3 --threads 2
done
check "merge of 3 shards" "$Q" merge merged.h5 shard2.h5 shard0.h5 shard1.h5
check "sharded then merged equals unsharded" $SAME one.h5 merged.h5
"$Q" merge part.h5 shard0.h5 shard1.h5 >/dev/null 2>"$T/err"
if [ $? -ne 2 ] || ! grep -q "runs are in none of the files" "$T/err" || [ -e part.h5 ]; then
    echo "FAIL: merging 2 of 3 shards must fail"; fail=1
else
    echo "ok: merging 2 of 3 shards fails: $(cat "$T/err")"
fi

# Run (point, replicate) of the sweep is `qmsim run` with the same settings.
check "qmsim run of point 7 (pressure 0.5, activity, open market), replicate 2" \
    "$Q" run -q -o single.h5 --seed 9 --replicate 2 --set months=24 \
    --set policy.tender_pressure=0.5 --set policy.payment_type=activity --set policy.open_market=true
check "the sweep's run 7x3+2 equals qmsim run" $PY - <<'EOF'
import h5py, numpy as np
with h5py.File("one.h5") as s, h5py.File("single.h5") as r:
    j = 7 * 3 + 2
    assert list(s["design"][7]) == [0.5, 1.0, 1.0], s["design"][7]
    assert s["runs/point"][j] == 7 and s["runs/replicate"][j] == 2 and s["runs/seed"][j] == 9
    for name in ("spend", "switches"):
        assert np.array_equal(s["series/" + name][j], r["series/" + name][:]), name
    assert s["outcomes"][j, 0] == r["series/decisions_tender"][:].sum()
    assert s["outcomes"][j, 1] == r["series/trust_mean_provider"][-1]
    # summed in month order, as the sweep does (numpy's mean sums pairwise)
    assert s["outcomes"][j, 2] == sum(r["series/spend"][12:24]) / 12
    assert s["outcomes"][j, 3] == r["series/hhi_mean"][:].max()
    assert all(s["runs/status"][:] == 1)
EOF

# A point whose factors contradict each other fails; the rest go on.
cat >fail.cfg <<'EOF'
base = "baseline";
set = ["months=12"];
design = "grid";
replications = 2;
factors = (
  { path = "contract.age_min"; range = [0.0, 100.0]; levels = 2; },
  { path = "contract.age_max"; range = [50.0, 200.0]; levels = 2; }
);
outcomes = ( { name = "spend"; series = "spend"; reduce = "sum"; } );
EOF
check "a sweep with a failing point completes" sh -c "'$Q' sweep fail.cfg -o fail.h5 2>fail.err"
check "the failure is reported" grep -q "run 4 (point 2, replicate 0) failed: point 2: contract.age_min (100) exceeds contract.age_max (50)" fail.err
check "failed runs have status 2 and NaN outcomes" $PY -c "
import h5py, numpy as np
f = h5py.File('fail.h5')
assert list(f['runs/status'][:]) == [1, 1, 1, 1, 2, 2, 1, 1], f['runs/status'][:]
o = f['outcomes'][:, 0]
assert np.isnan(o[4]) and np.isnan(o[5]) and np.isfinite(o[[0, 1, 2, 3, 6, 7]]).all()
"

# Kill a sweep part-way, resume it, compare with an uninterrupted one.
cat >long.cfg <<'EOF'
base = "baseline";
set = ["months=60"];
design = "lhs";
samples = 100;
replications = 3;
seed = 4;
factors = (
  { path = "policy.tender_pressure"; range = [0.0, 1.0]; },
  { path = "costs.tender"; range = [2.0, 24.0]; log = true; }
);
outcomes = (
  { name = "tenders"; series = "decisions_tender"; reduce = "sum"; },
  { name = "trust"; series = "trust_mean_provider"; reduce = "final"; }
);
EOF
check "uninterrupted long sweep" "$Q" sweep long.cfg -o full.h5 -q

# interrupt SIGNAL OUT: starts a sweep of long.cfg into OUT and sends SIGNAL
# once its journal holds at least 20 runs (48-byte header, 48-byte records).
interrupt() {
    "$Q" sweep long.cfg -o "$2" -q --threads 2 2>"$T/int.err" &
    pid=$!
    n=0
    while [ $n -lt 600 ] && kill -0 $pid 2>/dev/null; do
        size=$(wc -c 2>/dev/null <"$2.journal" || echo 0)
        [ "$size" -ge $((48 + 20 * 48)) ] && break
        sleep 0.05
        n=$((n + 1))
    done
    kill -"$1" $pid 2>/dev/null
    wait $pid
    return $?
}

interrupt KILL killed.h5
rc=$?
if [ $rc -eq 0 ] || [ -e killed.h5 ] || [ -e killed.h5.partial ] || [ ! -s killed.h5.journal ]; then
    echo "FAIL: the killed sweep finished (exit $rc) or left no journal; make long.cfg longer"
    fail=1
else
    echo "ok: sweep killed with a journal of $(wc -c <killed.h5.journal) bytes"
fi
"$Q" sweep long.cfg -o killed.h5 --resume 2>"$T/resume.err"
rc=$?
done_before=$(sed -n 's/.*resuming: \([0-9]*\) of 300 runs done.*/\1/p' "$T/resume.err")
if [ $rc -ne 0 ] || [ -z "$done_before" ] || [ "$done_before" -le 0 ] || [ "$done_before" -ge 300 ]; then
    echo "FAIL: resume after SIGKILL (exit $rc):"; sed 's/^/    /' "$T/resume.err"; fail=1
else
    echo "ok: resume after SIGKILL ran only the missing runs: $(head -n1 "$T/resume.err")"
fi
check "killed then resumed equals uninterrupted" $SAME full.h5 killed.h5
[ -e killed.h5.journal ] && { echo "FAIL: journal left after a finished sweep"; fail=1; }

interrupt INT stopped.h5
rc=$?
if [ $rc -ne 130 ] || ! grep -q "interrupted after" "$T/int.err" || [ -e stopped.h5 ]; then
    echo "FAIL: SIGINT: exit $rc, stderr:"; sed 's/^/    /' "$T/int.err"; fail=1
else
    echo "ok: SIGINT stops the sweep: $(head -n1 "$T/int.err")"
fi
check "resume after SIGINT" "$Q" sweep long.cfg -o stopped.h5 --resume -q --threads 3
check "interrupted then resumed equals uninterrupted" $SAME full.h5 stopped.h5
check "resume of a finished sweep does nothing" sh -c "'$Q' sweep long.cfg -o stopped.h5 --resume 2>&1 | grep -q 'already complete'"
check "and leaves it as it was" $SAME full.h5 stopped.h5
check "resume of a finished sweep with another sweep file is refused" \
    sh -c "! '$Q' sweep grid.cfg -o stopped.h5 --resume 2>/dev/null"

# A journal of a different sweep is refused by --resume.
sed 's/seed = 4/seed = 5/' long.cfg >long5.cfg
interrupt KILL other.h5 >/dev/null 2>&1
"$Q" sweep long5.cfg -o other.h5 --resume >/dev/null 2>"$T/err"
if [ $? -ne 2 ] || ! grep -q "journal of a different sweep" "$T/err"; then
    echo "FAIL: resume with another sweep's journal:"; cat "$T/err"; fail=1
else
    echo "ok: $(cat "$T/err")"
fi

# Morris on the model, and the bundled examples.
cat >morris.cfg <<'EOF'
base = "baseline";
set = ["months=36"];
design = "morris";
samples = 6;
factors = (
  { path = "policy.tender_pressure"; range = [0.0, 1.0]; },
  { path = "trust.forgetting"; range = [0.0, 0.1]; },
  { path = "contract.term"; range = [12, 60]; }
);
outcomes = ( { name = "tenders"; series = "decisions_tender"; reduce = "sum"; } );
EOF
check "morris sweep" "$Q" sweep morris.cfg -o morris.h5 -q --threads 2
check "morris sensitivity (json)" sh -c "'$Q' sensitivity morris.h5 --format json >morris.json"
check "morris json has mu* and sigma for 3 factors" $PY -c "
import json; d = json.load(open('morris.json'))
f = d['outcomes'][0]['factors']
assert d['design'] == 'morris' and len(f) == 3
assert all(x['mu_star'] is not None and x['mu_star'] >= 0 and x['sigma'] is not None for x in f), f
"
for f in "$SRC"/scenarios/sweeps/*.cfg; do
    check "dry run of $(basename "$f")" "$Q" sweep "$f" --dry-run
done
check "bundled policy_sobol sweep" "$Q" sweep "$SRC/scenarios/sweeps/policy_sobol.cfg" -o policy.h5 -q --threads 2
check "its sensitivity table" sh -c "'$Q' sensitivity policy.h5 | grep -q 'tender_pressure'"

[ $fail -eq 0 ] && echo "sweep results are independent of threads, shards and interruptions"
exit $fail
