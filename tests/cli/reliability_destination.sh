#!/bin/sh
# reliability_destination.sh: every command that writes a file (run, sweep,
# merge, compare, report, calibrate and its --export-scenario) checks the
# destination before any work: a missing directory, a directory given as
# the file (even with --force), a place nobody may write (/proc; a
# read-only file system where one can be mounted) and an existing file
# without --force are refused with one line and exit 2, at once (the work
# given here would take minutes; each command must fail within 30 s),
# leaving nothing behind and an existing file untouched
# (docs/reliability.md).
# usage: sh reliability_destination.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
case $Q in /*) ;; *) Q=$(pwd)/$Q ;; esac
case $SRC in /*) ;; *) SRC=$(pwd)/$SRC ;; esac
. "$(dirname "$0")/lib/common.sh"
cd "$T" || exit 1
NAT=$SRC/scenarios/national.cfg

# Work that takes minutes: 2000 runs of national over 10 years.
cat >sweep.cfg <<'EOF'
base = "national";
set = ["months=120"];
design = "grid";
replications = 1000;
seed = 9;
factors = ( { path = "policy.tender_pressure"; range = [0.0, 1.0]; levels = 2; } );
outcomes = ( { name = "tenders"; series = "decisions_tender"; reduce = "sum"; } );
EOF
cat >cal.cfg <<'EOF'
base = "national";
set = ["months=120"];
seed = 5;
particles = 500;
budget = { simulations = 100000; generations = 5; };
parameters = ( { path = "decision.beta_tender0"; prior = "uniform"; range = [0.0, 5.0]; } );
targets = ( { outcome = "tender_share"; band = [0.0, 0.10]; } );
EOF
# Small inputs for the commands that read files.
cat >small.cfg <<'EOF'
base = "baseline";
set = ["months=12"];
design = "grid";
replications = 1;
seed = 9;
factors = ( { path = "policy.tender_pressure"; range = [0.0, 1.0]; levels = 2; } );
outcomes = ( { name = "tenders"; series = "decisions_tender"; reduce = "sum"; } );
EOF
cat >smallcal.cfg <<'EOF'
base = "baseline";
set = ["months=12"];
seed = 5;
particles = 4;
budget = { simulations = 12; generations = 1; };
parameters = ( { path = "decision.beta_tender0"; prior = "uniform"; range = [0.0, 5.0]; } );
targets = ( { outcome = "tender_share"; band = [0.0, 1.0]; } );
EOF
"$Q" run -q --months 12 -o run.h5 \
    && "$Q" sweep small.cfg -q -o shard0.h5 --shard 0/2 \
    && "$Q" sweep small.cfg -q -o shard1.h5 --shard 1/2 \
    && "$Q" calibrate smallcal.cfg -q -o cal.h5 \
    || { echo "FAIL: cannot make the inputs"; exit 1; }

# refused OUT: every command writing OUT (with $FORCE) is refused at once.
refused() {
    out=$1
    for cmd in "run $NAT --months 1200" "sweep sweep.cfg" "merge" \
        "compare $NAT $NAT -r 1000 --months 120" "report run.h5" "calibrate cal.cfg" \
        "calibrate cal.h5 --export-scenario"; do
        case $cmd in
        merge) args="merge $out shard0.h5 shard1.h5" ;;
        *export-scenario) args="$cmd $out" ;;
        *) args="$cmd -o $out" ;;
        esac
        start=$(date +%s)
        # shellcheck disable=SC2086
        expect 2 "$out" timeout 30 "$Q" $args $FORCE
        lines=$(wc -l <"$T/err")
        [ "$lines" -eq 1 ] || { echo "FAIL: $lines lines on stderr, want one"; fail=1; }
        echo "    ($(($(date +%s) - start)) s)"
    done
}

# A missing directory.
FORCE=
refused "$T/nodir/out.h5"
no_output "$T/nodir/out.h5"
[ -e "$T/nodir" ] && { echo "FAIL: nodir was created"; fail=1; }

# A directory as the file, even with --force.
mkdir "$T/isdir.h5"
FORCE=--force
refused "$T/isdir.h5"
[ -d "$T/isdir.h5" ] && [ -z "$(ls -A "$T/isdir.h5")" ] || { echo "FAIL: isdir.h5 changed"; fail=1; }

# A place nobody may write, root included.
refused /proc/qmsim-test.h5
FORCE=

# An existing file without --force: untouched.
echo "keep me" >"$T/keep.h5"
refused "$T/keep.h5"
[ "$(cat "$T/keep.h5")" = "keep me" ] || { echo "FAIL: keep.h5 was changed"; fail=1; }
[ -e "$T/keep.h5.lock" ] && { echo "FAIL: keep.h5.lock left"; fail=1; }

# A read-only file system: a read-only tmpfs in a private mount namespace.
if why=$(can_mount); then
    for cmd in "run $NAT --months 1200 -o" "sweep sweep.cfg -o" "merge" \
        "compare $NAT $NAT -r 1000 --months 120 -o" "report run.h5 -o" "calibrate cal.cfg -o" \
        "calibrate cal.h5 --export-scenario"; do
        case $cmd in
        merge) script='timeout 30 "$0" merge "$1/out.h5" shard0.h5 shard1.h5' ;;
        *) script='timeout 30 "$0" '"$cmd"' "$1/out.h5"' ;;
        esac
        expect 2 "Read-only file system" on_tmpfs 1m,ro empty "$script"
    done
else
    echo "skip: read-only file system: $why"
fi

[ $fail -eq 0 ] && echo "every writing command refuses a bad destination before its work" || exit 1
