#!/bin/sh
# reliability_memcheck.sh: valgrind's memcheck finds no memory errors and
# no leaks (definite, indirect or possible, bar libgomp's worker threads:
# reliability_memcheck.supp) in short runs, their error paths, validate and
# summary.  Skipped (exit 77) when valgrind is not installed; not run in
# the sanitizer build (ASan and valgrind do not mix).
# usage: sh reliability_memcheck.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
command -v valgrind >/dev/null 2>&1 || { echo "skip: valgrind is not installed"; exit 77; }
. "$(dirname "$0")/lib/common.sh"
# Memcheck's own failures exit 99, apart from qmsim's 0, 1 and 2.
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
--suppressions=$SRC/tests/cli/reliability_memcheck.supp"

# vg CODE CMD...: CMD under memcheck exits CODE (and memcheck says nothing).
vg() {
    code=$1; shift
    $VG "$@" >"$T/out" 2>"$T/err"
    rc=$?
    if [ $rc -ne "$code" ] || grep -q "^==[0-9]*==" "$T/err"; then
        echo "FAIL: valgrind $* -> exit $rc (want $code):"; sed 's/^/    /' "$T/err"; fail=1
    else
        echo "ok: valgrind $* -> $code"
    fi
}

vg 0 "$Q" run -q --months 6 -o "$T/base.h5"
vg 0 "$Q" summary "$T/base.h5"
# Two threads, the timeline, agencies and --check.
vg 0 "$Q" run -q "$SRC/scenarios/csu_2013.cfg" --months 40 --threads 2 --check -o "$T/csu.h5"
# Error paths: bad scenario, too big, existing file, full disk, not HDF5.
printf 'name = "x";\ntrust = { forgeting = 0.5; };\ncommissioners = ({ count = 2; });\n' >"$T/bad.cfg"
vg 2 "$Q" validate "$T/bad.cfg"
vg 2 "$Q" run -q "$T/bad.cfg" -o "$T/bad.h5"
vg 2 "$Q" run -q --max-memory 1K -o "$T/big.h5"
vg 2 "$Q" run -q --months 2 -o "$T/base.h5"
(ulimit -f 100 && vg 1 "$Q" run -q -o "$T/full.h5" && exit $fail) || fail=1
vg 2 "$Q" summary "$T/bad.cfg"

[ $fail -eq 0 ] && echo "memcheck: no errors, no leaks" || exit 1
