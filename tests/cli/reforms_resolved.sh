#!/bin/sh
# reforms_resolved.sh: `qmsim validate --resolved` prints a scenario with
# every key written out, which loads back to the same scenario: for each
# reform scenario, the resolved text validates and resolves to itself
# (apart from the comment naming the file it was read from).  A scenario
# with problems prints them on stderr, nothing on stdout, and exits 2.
#
# usage: sh reforms_resolved.sh /path/to/qmsim /path/to/source
QMSIM=$1
SRC=$2
if [ ! -x "$QMSIM" ] || [ ! -d "$SRC" ]; then
    echo "usage: sh reforms_resolved.sh /path/to/qmsim /path/to/source" >&2
    exit 2
fi
LC_ALL=C
export LC_ALL
. "$(dirname "$0")/lib/common.sh"
dir=$T
trap 'exit 1' INT TERM

for f in "$SRC"/scenarios/reforms/*.cfg; do
    n=$(basename "$f" .cfg)
    if ! "$QMSIM" validate --resolved "$f" >"$dir/$n.resolved.cfg" 2>"$dir/err"; then
        echo "FAIL: qmsim validate --resolved $f:"; cat "$dir/err"; fail=1; continue
    fi
    if ! grep -q '^policy = {$' "$dir/$n.resolved.cfg" || ! grep -q '^timeline = ($' "$dir/$n.resolved.cfg"; then
        echo "FAIL: the resolved text of $n lacks its policy group or timeline"; fail=1; continue
    fi
    if ! "$QMSIM" validate "$dir/$n.resolved.cfg" >/dev/null 2>"$dir/err"; then
        echo "FAIL: the resolved text of $n does not validate:"; cat "$dir/err"; fail=1; continue
    fi
    "$QMSIM" validate "$dir/$n.resolved.cfg" --resolved >"$dir/$n.again.cfg" 2>/dev/null
    grep -v '^# Read from' "$dir/$n.resolved.cfg" >"$dir/a"
    grep -v '^# Read from' "$dir/$n.again.cfg" >"$dir/b"
    if ! cmp -s "$dir/a" "$dir/b"; then
        echo "FAIL: the resolved text of $n does not resolve to itself:"
        diff "$dir/a" "$dir/b" | head -10
        fail=1
    fi
done

# A bad scenario: problems on stderr, nothing on stdout, exit 2.
printf 'name = "t";\nservices = ( { name = "a"; } );\ncommissioners = ( { count = 2; } );\nproviders = ( { count = 1; } );\npolicy = { tender_pressure = 2.0; };\n' >"$dir/bad.cfg"
"$QMSIM" validate --resolved "$dir/bad.cfg" >"$dir/out" 2>"$dir/err"
rc=$?
if [ "$rc" -ne 2 ] || [ -s "$dir/out" ] || ! grep -q 'tender_pressure' "$dir/err"; then
    echo "FAIL: validate --resolved of a bad scenario: exit $rc (want 2), stdout:"
    cat "$dir/out"
    fail=1
fi

# The option is in the command's help.
if ! "$QMSIM" validate --help | grep -q -- '--resolved'; then
    echo "FAIL: qmsim validate --help does not describe --resolved"
    fail=1
fi

[ "$fail" -eq 0 ] && echo "validate --resolved: every reform scenario resolves to itself"
exit "$fail"
