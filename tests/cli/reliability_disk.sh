#!/bin/sh
# reliability_disk.sh: a full disk, for every command that writes a file
# (run, sweep, merge, compare, report, calibrate), both when the disk fills
# up during the write and when it is full from the start: the command exits
# 1 with one line saying "No space left on device", prints no HDF5 error
# stack, and leaves neither the file nor its temporary file or lock on the
# disk.  sweep and calibrate keep the journal of the work done when the
# disk fills up after it (so the work is not lost) and say so: given room,
# --resume then writes the result whole.  The disk is a small tmpfs in a
# private mount namespace; exit 77 (skip) where mounting is not allowed
# (docs/reliability.md).
# usage: sh reliability_disk.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
case $Q in /*) ;; *) Q=$(pwd)/$Q ;; esac
case $SRC in /*) ;; *) SRC=$(pwd)/$SRC ;; esac
. "$(dirname "$0")/lib/common.sh"

if ! why=$(can_mount); then
    echo "skip: $why"
    exit 77
fi

# The inputs live outside the tmpfs.
cd "$T" || exit 1
cat >sweep.cfg <<'EOF'
base = "baseline";
set = ["months=24"];
design = "grid";
replications = 2;
seed = 9;
factors = ( { name = "pressure"; path = "policy.tender_pressure"; range = [0.0, 1.0]; levels = 3; } );
outcomes = ( { name = "tenders"; series = "decisions_tender"; reduce = "sum"; } );
series = ["spend", "switches"];
EOF
# The same with 120 runs: its journal (about 50 KiB) fills a 16 KiB disk.
sed 's/replications = 2/replications = 40/' sweep.cfg >bigsweep.cfg
cat >cal.cfg <<'EOF'
base = "baseline";
set = ["months=24"];
seed = 5;
particles = 8;
budget = { simulations = 40; generations = 2; };
parameters = ( { path = "decision.beta_tender0"; prior = "uniform"; range = [0.0, 5.0]; } );
targets = ( { outcome = "tender_share"; band = [0.0, 0.10]; } );
EOF
"$Q" run -q --months 24 -o run.h5 \
    && "$Q" sweep sweep.cfg -q -o shard0.h5 --shard 0/2 \
    && "$Q" sweep sweep.cfg -q -o shard1.h5 --shard 1/2 \
    || { echo "FAIL: cannot make the inputs"; exit 1; }
B=$SRC/scenarios/baseline.cfg
R=$SRC/scenarios/market_reform.cfg

# full WHEN SIZE NAME SCRIPT: SCRIPT (a qmsim command writing "$1/NAME") on a
# tmpfs of SIZE, full from the start when WHEN is "full": exit 1, one line
# on stderr with "No space left on device", no HDF5 stack, nothing left.
full() {
    expect 1 "No space left on device" on_tmpfs "$2" "$1" "$4"
    lines=$(wc -l <"$T/err")
    if [ "$lines" -ne 1 ]; then
        echo "FAIL: $3 ($1): $lines lines on stderr, want one:"; sed 's/^/    /' "$T/err"
        fail=1
    fi
    if grep -q "HDF5-DIAG\|#00[0-9]:\|major:\|minor:" "$T/err"; then
        echo "FAIL: $3 ($1): HDF5's error stack was printed"; fail=1
    fi
}

# Sizes: each command writes some of its file and then finds the disk full
# (the files are 32 KiB to 420 KiB).
# sweep and calibrate keep their journal when the result does not fit (see
# below): the script removes it; from a disk full from the start none is
# left.
for when in during full; do
    keep='rc=$?; [ '$when' = during ] && rm -f "$1"/*.journal; exit $rc'
    full $when 100k run.h5 '"$0" run -q --months 24 -o "$1/run.h5"'
    full $when 16k sweep.h5 '"$0" sweep sweep.cfg -q -o "$1/sweep.h5"; '"$keep"
    full $when 16k merged.h5 '"$0" merge "$1/merged.h5" shard0.h5 shard1.h5'
    full $when 16k cmp.h5 '"$0" compare "'"$B"'" "'"$R"'" -r 3 --months 24 -o "$1/cmp.h5" >/dev/null'
    full $when 64k report.html '"$0" report run.h5 -o "$1/report.html"'
    full $when 16k cal.h5 '"$0" calibrate cal.cfg -q -o "$1/cal.h5"; '"$keep"
done

# The work is kept: the result of a sweep and of a calibration does not fit,
# the journal stays and says so; with room (the tmpfs remounted larger)
# --resume writes the result, which reads back whole, and removes the
# journal.  resume.sh QMSIM MNT CMD...: runs in the mount namespace.
cat >resume.sh <<'EOF'
Q=$1 M=$2; shift 2
"$Q" "$@" -q -o "$M/out.h5" 2>err1; rc=$?
[ $rc -eq 1 ] || { echo "first attempt: exit $rc, want 1: $(cat err1)" >&2; exit 1; }
[ "$(wc -l <err1)" -eq 1 ] && grep -q "No space left on device.*--resume" err1 \
    || { echo "first attempt said: $(cat err1)" >&2; exit 1; }
[ -s "$M/out.h5.journal" ] || { echo "the journal was not kept" >&2; exit 1; }
ls -A "$M" | grep -q "partial\|lock" && { echo "temporary file left: $(ls -A "$M")" >&2; exit 1; }
mount -o remount,size=16m "$M" || exit 1
"$Q" "$@" -q -o "$M/out.h5" --resume || exit 1
[ ! -e "$M/out.h5.journal" ] || { echo "the journal stayed" >&2; exit 1; }
if [ "$1" = sweep ]; then
    "$Q" compare --from-sweep "$M/out.h5" >/dev/null || exit 1
else
    "$Q" calibrate "$M/out.h5" --export-scenario post.cfg --force 2>/dev/null || exit 1
fi
rm "$M/out.h5"
echo "$(cat err1); --resume then wrote the result" >&2
EOF
# The result does not fit.
expect 0 "--resume then wrote" on_tmpfs 16k during 'sh resume.sh "$0" "$1" sweep sweep.cfg'
expect 0 "--resume then wrote" on_tmpfs 16k during 'sh resume.sh "$0" "$1" calibrate cal.cfg'
# The journal fills the disk mid-sweep (120 runs).
expect 0 "--resume then wrote" on_tmpfs 16k during 'sh resume.sh "$0" "$1" sweep bigsweep.cfg'

# QMSIM_DEBUG=1 shows HDF5's own error stack as well, after which the one
# sentence still comes.
QMSIM_DEBUG=1 on_tmpfs 16k full '"$0" merge "$1/merged.h5" shard0.h5 shard1.h5' 2>"$T/err"
if grep -q "HDF5-DIAG" "$T/err" && tail -n1 "$T/err" | grep -q "^qmsim merge: .*No space left"; then
    echo "ok: QMSIM_DEBUG=1: HDF5's stack ($(wc -l <"$T/err") lines), then: $(tail -n1 "$T/err")"
else
    echo "FAIL: QMSIM_DEBUG=1 did not show HDF5's stack:"; sed 's/^/    /' "$T/err"; fail=1
fi

[ $fail -eq 0 ] && echo "a full disk is one clear line and leaves nothing behind, for every command" \
    || exit 1
