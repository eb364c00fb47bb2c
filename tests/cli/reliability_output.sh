#!/bin/sh
# reliability_output.sh: a full disk, a file-size limit and an unwritable
# place are clear errors (exit 1 or 2) that leave no output file at all
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

# A full disk: a 100 KiB tmpfs in a private mount namespace, where one is
# allowed (root, or user namespaces); a read-only one for an unwritable
# place that even root cannot write.
mkdir "$T/mnt"
# in_tmpfs SIZE CMD: runs the qmsim command CMD ($Q is "$0", the mount
# point "$1") on a fresh tmpfs of SIZE, then reports anything left on it.
in_tmpfs() {
    unshare -r -m sh -c "mount -t tmpfs -o $1 none \"\$1\" || exit 99
        $2; rc=\$?
        [ -z \"\$(ls -A \"\$1\")\" ] || echo \"left on the disk: \$(ls -A \"\$1\")\" >&2
        exit \$rc" "$Q" "$T/mnt"
}
if unshare -r -m sh -c "mount -t tmpfs -o size=100k none '$T/mnt'" 2>/dev/null; then
    expect 1 "No space left on device" in_tmpfs size=100k '"$0" run -q -o "$1/full.h5"'
    grep -q "left on the disk" "$T/err" && { echo "FAIL: full disk: $(cat "$T/err")"; fail=1; }
    # The same run fits on a larger disk (so space was the cause).
    if in_tmpfs size=16m '"$0" run -q -o "$1/fits.h5" && test -s "$1/fits.h5" && rm "$1/fits.h5"' \
        2>"$T/err"; then
        echo "ok: the same run fits on a 16 MiB tmpfs"
    else
        echo "FAIL: run on a 16 MiB tmpfs:"; sed 's/^/    /' "$T/err"; fail=1
    fi
    expect 2 "Read-only file system" in_tmpfs ro,size=1m '"$0" run -q -o "$1/ro.h5"'
else
    echo "skip: cannot mount a tmpfs here (no user namespaces); full disk tested with ulimit -f only"
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
