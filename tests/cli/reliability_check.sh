#!/bin/sh
# reliability_check.sh: `qmsim run --check` stops a run whose state goes
# wrong with a message naming the entity, the variable and the month,
# exit 1 and no output file (docs/reliability.md).  The fault is put in by
# an LD_PRELOAD shim wrapping qm_sim_step, built here with cc; skipped
# (exit 77) when there is no compiler.
# usage: sh reliability_check.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
command -v cc >/dev/null 2>&1 || { echo "skip: no C compiler"; exit 77; }
. "$(dirname "$0")/lib/common.sh"

# After the step of month QMSIM_INJECT_MONTH, commissioner
# QMSIM_INJECT_COMMISSIONER's analytic knowledge becomes NaN; the shim
# prints the commissioner's name on stdout (qmsim -q prints nothing there).
cat >"$T/inject.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "qmsim/sim.h"

void qm_sim_step(qm_sim *sim)
{
    void (*real)(qm_sim *);
    *(void **)&real = dlsym(RTLD_NEXT, "qm_sim_step");
    real(sim);
    const char *m = getenv("QMSIM_INJECT_MONTH"), *c = getenv("QMSIM_INJECT_COMMISSIONER");
    if (m && c && sim->month - 1 == atoi(m)) {
        sim->comm[atoi(c)].A = NAN;
        printf("%s\n", sim->comm[atoi(c)].name);
        fflush(stdout);
    }
}
C
if ! cc -std=c11 -shared -fPIC -I"$SRC/include" $(pkg-config --cflags gsl) \
        -o "$T/inject.so" "$T/inject.c" -ldl 2>"$T/cc.err"; then
    echo "skip: cannot build the shim:"; sed 's/^/    /' "$T/cc.err"; exit 77
fi
# The sanitizer build's libasan must otherwise come first.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

# inject MONTH COMMISSIONER ARGS...: qmsim run ARGS with the fault.
inject() {
    m=$1; c=$2; shift 2
    QMSIM_INJECT_MONTH=$m QMSIM_INJECT_COMMISSIONER=$c LD_PRELOAD="$T/inject.so" \
        "$Q" run -q "$@" >"$T/out" 2>"$T/err"
}

# Without --check the corruption goes unnoticed into the file...
inject 5 3 --months 12 -o "$T/silent.h5"
rc=$?
if [ $rc -ne 0 ] || [ ! -e "$T/silent.h5" ]; then
    echo "FAIL: the shim broke the run itself (exit $rc):"; sed 's/^/    /' "$T/err"; fail=1
else
    echo "ok: without --check a NaN reaches the file"
fi
# ...with it, the run stops at that month and names the commissioner.
name=$(cat "$T/out")
[ -n "$name" ] || { echo "FAIL: the shim did not fire"; fail=1; }
for threads in 1 2; do
    inject 5 3 --months 12 --check --threads $threads -o "$T/checked.h5"
    rc=$?
    want="qmsim run: --check: month 5: commissioner '$name': analytic knowledge A = nan is not a finite number; no output written"
    if [ $rc -ne 1 ] || ! grep -qxF -- "$want" "$T/err"; then
        echo "FAIL: --check --threads $threads -> exit $rc (want 1), stderr:"; sed 's/^/    /' "$T/err"
        echo "    (wanted: $want)"; fail=1
    else
        echo "ok: --check --threads $threads -> 1: $(cat "$T/err")"
    fi
    if [ -e "$T/checked.h5" ] || [ -e "$T/checked.h5.partial" ]; then
        echo "FAIL: --check left $(ls "$T"/checked.h5*)"; fail=1
    fi
done
# A fault in the last month is caught too (before the file is published).
inject 11 0 --months 12 --check -o "$T/last.h5"
rc=$?
if [ $rc -ne 1 ] || ! grep -qF "month 11: commissioner" "$T/err" || [ -e "$T/last.h5" ]; then
    echo "FAIL: fault in the last month -> exit $rc:"; sed 's/^/    /' "$T/err"; fail=1
else
    echo "ok: a fault in the last month -> 1, no file"
fi

[ $fail -eq 0 ] && echo "--check stops a broken run and names what broke" || exit 1
