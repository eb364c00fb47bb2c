#!/bin/sh
# reliability_signals.sh: a run killed at any point leaves no file that
# looks complete; SIGINT and SIGTERM remove the partial file; a killed
# --force run leaves the old file as it was (docs/reliability.md).
# usage: sh reliability_signals.sh QMSIM SOURCE_DIR
Q=$1
. "$(dirname "$0")/lib/common.sh"
LONG="--months 6000 --set output.flush_months=1"   # seconds of writing

# wait_for FILE: up to 20 s for FILE's temporary file to appear; 1 when it
# does not.
wait_for() {
    i=0
    while [ -z "$(temp_files "$1")" ]; do
        i=$((i + 1))
        [ $i -gt 200 ] && return 1
        sleep 0.1
    done
    return 0
}

# SIGINT and SIGTERM during the run: exit 130, a message, no file at all.
for sig in INT TERM; do
    "$Q" run -q $LONG -o "$T/sig.h5" 2>"$T/err" &
    pid=$!
    if ! wait_for "$T/sig.h5"; then
        echo "FAIL: SIG$sig: the run never created its partial file"; fail=1
    fi
    sleep 0.2
    kill -s $sig $pid
    wait $pid
    rc=$?
    if [ $rc -ne 130 ] || ! grep -q "interrupted; no output written" "$T/err"; then
        echo "FAIL: SIG$sig -> exit $rc (want 130):"; sed 's/^/    /' "$T/err"; fail=1
    elif [ -e "$T/sig.h5" ] || [ -n "$(temp_files "$T/sig.h5")" ] || [ -e "$T/sig.h5.lock" ]; then
        echo "FAIL: SIG$sig left $(ls -A "$T")"; fail=1
    else
        echo "ok: SIG$sig -> 130, no file left"
    fi
done

# SIGKILL at random times over the whole life of a run (start-up, writing,
# closing, renaming, clean-up, done): OUT.h5 exists only once the run has
# published it, and then it is a complete file.  Delays are drawn up to 1.2
# times the length of an uninterrupted run, and printed so that a failure
# can be replayed.
MID="--months 600 --set output.flush_months=1"
t0=$(date +%s.%N)
"$Q" run -q $MID -o "$T/timed.h5" || { echo "FAIL: uninterrupted run"; fail=1; }
t1=$(date +%s.%N)
delays=$(awk -v seed="$(date +%s)" -v len="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
         'BEGIN { srand(seed); for (i = 0; i < 12; i++) printf "%.3f ", (i < 2 ? 0 : rand() * 1.2 * len) }')
echo "SIGKILL delays (s): $delays"
for d in $delays; do
    rm -f "$T/k.h5" "$T"/.k.h5.*.partial
    "$Q" run -q $MID -o "$T/k.h5" 2>"$T/err" &
    pid=$!
    sleep "$d"
    kill -s KILL $pid 2>/dev/null
    wait $pid 2>/dev/null
    rc=$?
    # The file may have been published just before the kill (during the
    # run's clean-up): it must then be complete.
    if [ -e "$T/k.h5" ]; then
        if ! "$Q" summary "$T/k.h5" >/dev/null 2>"$T/err" || [ -n "$(temp_files "$T/k.h5")" ]; then
            echo "FAIL: kill after $d s (exit $rc) left a k.h5 that is not complete:"
            sed 's/^/    /' "$T/err"; fail=1
        else
            echo "ok: kill after $d s: exit $rc, the run had finished; k.h5 is complete"
        fi
    elif [ $rc -eq 0 ]; then
        echo "FAIL: kill after $d s: the run finished but wrote no k.h5"; fail=1
    else
        echo "ok: kill after $d s: exit $rc, no k.h5$([ -n "$(temp_files "$T/k.h5")" ] && echo ' (its temporary file left)')"
    fi
done

# A partial file left by a killed run does not stop the next run.  (The
# random kills above may have let a run finish and publish k.h5: start
# from nothing.)
rm -f "$T/k.h5" "$T"/.k.h5.*.partial
"$Q" run -q $LONG -o "$T/k.h5" &
pid=$!
wait_for "$T/k.h5"
kill -s KILL $pid; wait $pid 2>/dev/null
[ -n "$(temp_files "$T/k.h5")" ] || { echo "FAIL: no temporary file after SIGKILL"; fail=1; }
if "$Q" run -q --months 3 -o "$T/k.h5" && "$Q" summary "$T/k.h5" >/dev/null \
   && [ ! -e "$T/k.h5.lock" ]; then
    echo "ok: a stale temporary file and lock do not stop the next run"
else
    echo "FAIL: run after a killed run"; fail=1
fi

# --force keeps the old file until the new one is complete: a killed
# --force run leaves it untouched.
cp "$T/k.h5" "$T/old.h5"
"$Q" run -q --force $LONG -o "$T/k.h5" &
pid=$!
wait_for "$T/k.h5"
sleep 0.3
kill -s KILL $pid; wait $pid 2>/dev/null
if cmp -s "$T/k.h5" "$T/old.h5"; then
    echo "ok: a killed --force run leaves the old file as it was"
else
    echo "FAIL: a killed --force run changed the old file"; fail=1
fi

[ $fail -eq 0 ] && echo "interrupted runs leave no file that looks complete" || exit 1
