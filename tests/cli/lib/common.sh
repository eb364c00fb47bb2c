# common.sh: helpers shared by the command-line tests in tests/cli.  Not a
# test itself (tests/cli/*.sh are); each test sources it from its own
# directory:  . "$(dirname "$0")/lib/common.sh"
#
# Sourcing it makes $T, a temporary directory removed on exit (made writable
# first, for tests that take write permission away), and sets fail=0.
T=$(mktemp -d) || exit 1
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
fail=0

# expect CODE PATTERN CMD...: runs CMD, checks its exit code and that stderr
# contains PATTERN (a fixed string; empty: anything).  The "ok" line shows the
# first line of stderr, cut to EXPECT_WIDTH characters when that is set.
expect() {
    code=$1; pat=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" -ne "$code" ] || { [ -n "$pat" ] && ! grep -qF -- "$pat" "$T/err"; }; then
        echo "FAIL: $* -> exit $rc (want $code), stderr:"; sed 's/^/    /' "$T/err"
        echo "    (wanted: $pat)"
        fail=1
    elif [ -n "${EXPECT_WIDTH:-}" ]; then
        echo "ok: $* -> $code: $(head -n1 "$T/err" | cut -c1-"$EXPECT_WIDTH")"
    else
        echo "ok: $* -> $code: $(head -n1 "$T/err")"
    fi
}

# no_output FILE: neither FILE, its temporary files (.NAME.PID.RANDOM.partial
# beside it, or the old NAME.partial) nor its lock NAME.lock exists.
no_output() {
    left=$(ls -d "$1" "$1.partial" "$1.lock" "$(dirname "$1")/.$(basename "$1")".*.partial \
        2>/dev/null)
    if [ -n "$left" ]; then
        echo "FAIL: output left behind: $left"; fail=1
    fi
}

# temp_files FILE: the temporary files of FILE that exist (one a line).
temp_files() {
    ls -d "$(dirname "$1")/.$(basename "$1")".*.partial 2>/dev/null
}

# check MESSAGE CMD...: CMD must succeed; on failure shows the first
# CHECK_LINES (default 20) lines of its output.
check() {
    msg=$1; shift
    if "$@" >"$T/out" 2>&1; then
        echo "ok: $msg"
    else
        echo "FAIL: $msg"; sed 's/^/    /' "$T/out" | head -"${CHECK_LINES:-20}"; fail=1
    fi
}

# on_tmpfs SIZE FILL SCRIPT: runs the shell SCRIPT ("$0" is the qmsim binary
# $Q, "$1" the mount point) on a fresh tmpfs of SIZE mounted on $T/mnt in a
# private mount namespace (`unshare -r -m`: root, or user namespaces), so
# nothing is mounted outside the test.  FILL "full" fills the tmpfs first
# (a file .filler); SCRIPT may remount it (mount -o remount,size=...).
# Anything left on the tmpfs afterwards but .filler is reported on stderr
# as "left on the disk: NAMES".  Returns SCRIPT's status, 99 when the tmpfs
# cannot be mounted.  can_mount says whether it can work here.
on_tmpfs() {
    mkdir -p "$T/mnt"
    unshare -r -m sh -c "mount -t tmpfs -o size=$1 none \"\$1\" || exit 99
        if [ $2 = full ]; then dd if=/dev/zero of=\"\$1/.filler\" bs=4k 2>/dev/null; fi
        $3
        rc=\$?
        left=\$(ls -A \"\$1\" | grep -vx .filler | tr '\n' ' ')
        [ -z \"\$left\" ] || echo \"left on the disk: \$left\" >&2
        exit \$rc" "$Q" "$T/mnt"
}

# can_mount: 0 when a tmpfs can be mounted here (on_tmpfs works), else 1
# with the reason on stdout.
can_mount() {
    mkdir -p "$T/mnt"
    if ! command -v unshare >/dev/null 2>&1; then
        echo "unshare (util-linux) is not installed"; return 1
    fi
    why=$(unshare -r -m sh -c "mount -t tmpfs -o size=64k none '$T/mnt'" 2>&1) && return 0
    echo "cannot mount a tmpfs in a private mount namespace here ($why)"
    return 1
}
