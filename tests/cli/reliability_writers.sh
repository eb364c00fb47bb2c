#!/bin/sh
# reliability_writers.sh: two qmsim writing one path at the same time, with
# HDF5's file locking on (HDF5_USE_FILE_LOCKING=TRUE) and off (FALSE, as on
# Lustre and NFS clusters): one wins whole (the file reads back completely
# and carries the winner's seed), the other says "another qmsim is writing"
# it and exits 2; never a mixed file, and nothing left behind
# (docs/reliability.md).  Each case is repeated ROUNDS times.
# usage: sh reliability_writers.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
case $Q in /*) ;; *) Q=$(pwd)/$Q ;; esac
case $SRC in /*) ;; *) SRC=$(pwd)/$SRC ;; esac
ROUNDS=${ROUNDS:-3}
. "$(dirname "$0")/lib/common.sh"
NAT=$SRC/scenarios/national.cfg

# seed_of FILE: the seed `qmsim summary` reads from FILE, which it reads
# whole first (every dataset); empty when it refuses the file.
seed_of() {
    "$Q" summary "$1" 2>/dev/null | sed -n '1s/.*, seed \([0-9]*\),.*/\1/p'
}

# wait_for FILE: until FILE exists (at most 20 s).  0 when it does.
wait_for() {
    i=0
    while [ ! -e "$1" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
    [ -e "$1" ]
}

# left FILE: fails the test when a temporary file or lock of FILE remains.
left() {
    rest=$(ls -d "$1.lock" "$(dirname "$1")/.$(basename "$1")".*.partial 2>/dev/null)
    [ -z "$rest" ] || { echo "FAIL: left behind: $rest"; fail=1; }
}

for lk in TRUE FALSE; do
    export HDF5_USE_FILE_LOCKING=$lk
    # A second writer while the first holds the lock: refused at once.
    for r in $(seq "$ROUNDS"); do
        out=$T/one.h5
        rm -f "$out"
        "$Q" run "$NAT" --months 48 -q --seed 1 -o "$out" 2>"$T/e1" &
        p1=$!
        if ! wait_for "$out.lock"; then
            echo "FAIL: the first writer took no lock"; fail=1
        fi
        "$Q" run "$NAT" --months 48 -q --seed 2 --force -o "$out" 2>"$T/e2"
        rc2=$?
        wait $p1
        rc1=$?
        s=$(seed_of "$out")
        if [ $rc1 -eq 0 ] && [ $rc2 -eq 2 ] && grep -q "another qmsim is writing $out" "$T/e2" \
            && [ "$(wc -l <"$T/e2")" -eq 1 ] && [ "$s" = 1 ]; then
            echo "ok: locking $lk, round $r: the second writer: $(cat "$T/e2")"
        else
            echo "FAIL: locking $lk, round $r: first exit $rc1 ($(cat "$T/e1")), second exit" \
                "$rc2 ($(cat "$T/e2")), the file's seed '$s' (want 1)"
            fail=1
        fi
        left "$out"
    done
    # Two writers started together (both --force): whichever takes the lock
    # wins; the other is refused, or, when the first had already finished,
    # replaces the file whole.  The file is whole and a winner's.
    for r in $(seq "$ROUNDS"); do
        out=$T/race.h5
        rm -f "$out"
        "$Q" run "$NAT" --months 48 -q --seed 1 --force -o "$out" 2>"$T/e1" &
        p1=$!
        "$Q" run "$NAT" --months 48 -q --seed 2 --force -o "$out" 2>"$T/e2" &
        p2=$!
        wait $p1; rc1=$?
        wait $p2; rc2=$?
        s=$(seed_of "$out")
        bad=""
        [ -n "$s" ] || bad="the file does not read back whole"
        for k in 1 2; do
            eval "rc=\$rc$k"
            if [ "$rc" -ne 0 ] && ! grep -q "another qmsim is writing" "$T/e$k"; then
                bad="writer $k: exit $rc: $(cat "$T/e$k")"
            fi
            if [ "$rc" -ne 0 ] && [ "$s" = $k ]; then
                bad="the file has the seed of writer $k, which failed"
            fi
        done
        [ $rc1 -ne 0 ] && [ $rc2 -ne 0 ] && bad="both writers failed"
        if [ -z "$bad" ]; then
            echo "ok: locking $lk, race $r: exits $rc1 and $rc2, the file whole with seed $s"
        else
            echo "FAIL: locking $lk, race $r: $bad"; fail=1
        fi
        left "$out"
    done
done
unset HDF5_USE_FILE_LOCKING

# Two sweeps to one result share its journal too: the second is refused
# before it touches the journal, and the first finishes whole.
cat >"$T/sweep.cfg" <<'EOF'
base = "national";
set = ["months=24"];
design = "grid";
replications = 6;
seed = 9;
factors = ( { path = "policy.tender_pressure"; range = [0.0, 1.0]; levels = 2; } );
outcomes = ( { name = "tenders"; series = "decisions_tender"; reduce = "sum"; } );
EOF
cd "$T" || exit 1
"$Q" sweep sweep.cfg -q -o sw.h5 2>e1 &
p1=$!
wait_for sw.h5.lock || { echo "FAIL: the sweep took no lock"; fail=1; }
expect 2 "another qmsim is writing sw.h5" "$Q" sweep sweep.cfg -q -o sw.h5 --force
wait $p1 || { echo "FAIL: the first sweep failed: $(cat e1)"; fail=1; }
check "the first sweep's result reads back whole" "$Q" compare --from-sweep sw.h5
left "$T/sw.h5"
[ -e sw.h5.journal ] && { echo "FAIL: the journal stayed"; fail=1; }

[ $fail -eq 0 ] && echo "concurrent writers: one wins whole, the other is told; never a mixed file" \
    || exit 1
