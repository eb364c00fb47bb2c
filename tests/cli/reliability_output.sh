#!/bin/sh
# reliability_output.sh: a file-size limit and an unwritable place are
# clear errors (exit 1 or 2) that leave no output file at all
# (docs/reliability.md; run_errors.sh covers missing directories, read-only
# directories, a directory as output and an existing file without --force).
# usage: sh reliability_output.sh QMSIM SOURCE_DIR
Q=$1
. "$(dirname "$0")/lib/common.sh"

# A file-size limit (ulimit -f, in 512- or 1024-byte blocks): qmsim ignores
# SIGXFSZ, so the write fails with EFBIG, is reported, and the partial file
# is removed.  Once at the start (the file's header) and once mid-run.
for blocks in 1 200; do
    expect 1 "File too large" sh -c "ulimit -f $blocks && exec \"\$0\" run -q -o \"\$1\"" \
        "$Q" "$T/big.h5"
    no_output "$T/big.h5"
done

# A full disk is reliability_disk.sh's, for every command.  Here: the run
# that fills a 100 KiB tmpfs there fits on a larger one (so space was the
# cause), and a read-only tmpfs is a place that even root cannot write
# (on_tmpfs: a private mount namespace, where one is allowed).
if why=$(can_mount); then
    if on_tmpfs 16m empty '"$0" run -q --months 24 -o "$1/fits.h5" && test -s "$1/fits.h5" \
        && rm "$1/fits.h5"' 2>"$T/err"; then
        echo "ok: the run that fills 100 KiB fits on a 16 MiB tmpfs"
    else
        echo "FAIL: run on a 16 MiB tmpfs:"; sed 's/^/    /' "$T/err"; fail=1
    fi
    expect 2 "Read-only file system" on_tmpfs 1m,ro empty '"$0" run -q -o "$1/ro.h5"'
else
    echo "skip: $why; a full disk tested with ulimit -f only"
fi

# Unwritable for everyone, root included: /proc.
expect 2 "/proc/qmsim-test.h5" "$Q" run -q --months 2 -o /proc/qmsim-test.h5

# An existing file without --force; what a killed writer may leave (a
# temporary file, a lock file nobody holds, the old fixed partial name)
# does not stop the next run.
"$Q" run -q --months 2 -o "$T/keep.h5" || { echo "FAIL: a good run failed"; fail=1; }
expect 2 "exists" "$Q" run -q --months 2 -o "$T/keep.h5"
mkdir "$T/taken.h5.partial"
: >"$T/taken.h5.lock"
: >"$T/.taken.h5.1.abcdef.partial"
expect 0 "" "$Q" run -q --months 2 -o "$T/taken.h5"
[ -e "$T/taken.h5" ] && [ ! -e "$T/taken.h5.lock" ] || { echo "FAIL: taken.h5 not written"; fail=1; }

[ $fail -eq 0 ] && echo "output errors are clear and leave nothing behind" || exit 1
