#!/bin/sh
# report_errors.sh: every error path of `qmsim report` gives a clear
# message, the documented exit code (2 bad usage, 1 a file that cannot be
# reported or gnuplot missing) and no report, not even a partial one.
# usage: sh report_errors.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
. "$(dirname "$0")/lib/common.sh"

A=$SRC/scenarios/teaching/relational.cfg
"$Q" run "$A" --months 12 -o "$T/run.h5" -q || { echo "FAIL: cannot make a run file"; exit 1; }
"$Q" compare "$A" "$A" -r 2 --months 12 -o "$T/cmp.h5" -q --series none >/dev/null \
    || { echo "FAIL: cannot make a comparison file"; exit 1; }
"$Q" sweep "$SRC/scenarios/teaching/tender_sweep.cfg" -o "$T/sweep.h5" -q \
    || { echo "FAIL: cannot make a sweep file"; exit 1; }
cp "$T/run.h5" "$T/incomplete.h5"
/usr/bin/python3 -c 'import h5py, sys; f = h5py.File(sys.argv[1], "a"); del f.attrs["complete"]' \
    "$T/incomplete.h5"
echo "not hdf5" >"$T/text.h5"
/usr/bin/python3 -c 'import h5py, sys; h5py.File(sys.argv[1], "w").create_group("other")' "$T/other.h5"

O=$T/r.html
expect 2 "no run or comparison file given" "$Q" report
expect 2 "-o REPORT.html is required" "$Q" report "$T/run.h5"
expect 2 "one file at a time" "$Q" report "$T/run.h5" "$T/cmp.h5" -o "$O"
expect 2 "unknown option '--format'" "$Q" report "$T/run.h5" -o "$O" --format pdf
expect 2 "--max-events expects an integer" "$Q" report "$T/run.h5" -o "$O" --max-events -3
expect 2 "-o needs a value" "$Q" report "$T/run.h5" -o
expect 2 "cannot open" "$Q" report "$T/none.h5" -o "$O"
expect 2 "is not an HDF5 file" "$Q" report "$T/text.h5" -o "$O"
expect 2 "is not a qmsim run or comparison file" "$Q" report "$T/other.h5" -o "$O"
expect 1 "is incomplete (the run did not finish)" "$Q" report "$T/incomplete.h5" -o "$O"
expect 2 "qmsim compare --from-sweep" "$Q" report "$T/sweep.h5" -o "$O"
expect 2 "--series: 'trust' is not a series of the file" "$Q" report "$T/run.h5" -o "$O" --series trust
expect 2 "keeps no series" "$Q" report "$T/cmp.h5" -o "$O" --series trust_mean_provider
no_output "$O"

# qmsim summary reads run and comparison files, and points a sweep file to
# the commands that read it.
expect 2 "qmsim sensitivity" "$Q" summary "$T/sweep.h5"
expect 2 "qmsim compare --from-sweep" "$Q" summary "$T/sweep.h5"
expect 2 "cannot open" "$Q" summary "$T/none.h5"
expect 0 "" "$Q" summary "$T/cmp.h5"
grep -q "a comparison of 2 scenarios" "$T/out" \
    || { echo "FAIL: summary of a comparison file is not the comparison"; fail=1; }
expect 0 "" "$Q" summary "$T/run.h5"
grep -q "Key outcomes" "$T/out" || { echo "FAIL: summary of a run lacks its key outcomes"; fail=1; }

# Damaged comparison files: a message, never a crash.
"$Q" compare "$A" "$A" -r 2 --months 12 -o "$T/full.h5" -q --series trust_mean_provider,spend \
    >/dev/null || { echo "FAIL: cannot make a comparison file"; exit 1; }
damage() {   # damage NAME PYTHON: a copy of full.h5 changed by PYTHON (f is the file)
    cp "$T/full.h5" "$T/$1.h5"
    /usr/bin/python3 -c "import h5py, numpy as np, sys; f = h5py.File(sys.argv[1], 'a'); $2" "$T/$1.h5"
}
damage nosummary 'del f["summary/ci_low"]'
damage noscen 'del f["scenarios/name"]'
damage shortsig 'del f["summary/significant"]; f["summary/significant"] = np.zeros((1, 1), "i4")'
damage badband 'del f["series/lo/spend"]; f["series/lo/spend"] = np.zeros((1, 3))'
damage noevents 'del f["runs/events"]'
expect 1 "has no readable /summary" "$Q" report "$T/nosummary.h5" -o "$O"
expect 1 "has no readable /scenarios" "$Q" report "$T/noscen.h5" -o "$O"
no_output "$O"
if command -v gnuplot >/dev/null 2>&1; then
    expect 0 "" "$Q" report "$T/shortsig.h5" -o "$T/shortsig.html"
    expect 0 "" "$Q" report "$T/badband.h5" -o "$T/badband.html"
    [ "$(grep -c 'class="chart"' "$T/badband.html")" -eq 1 ] \
        || { echo "FAIL: a damaged band should drop its chart only"; fail=1; }
    expect 0 "" "$Q" report "$T/noevents.h5" -o "$T/noevents.html"
    grep -q "records no events" "$T/noevents.html" || { echo "FAIL: no note on missing events"; fail=1; }
fi

# gnuplot missing: a clear message, nothing written.
mkdir "$T/tmp"
expect 1 "install Debian's gnuplot-nox" env QMSIM_GNUPLOT=$T/no-gnuplot "$Q" report "$T/run.h5" -o "$O"
no_output "$O"
expect 1 "'gnuplot' was not found" env -u QMSIM_GNUPLOT PATH=/nonexistent "$Q" report "$T/run.h5" -o "$O"
no_output "$O"
# gnuplot failing: its message is shown, nothing written, no scratch left.
printf '#!/bin/sh\necho "gnuplot: simulated failure" >&2\nexit 3\n' >"$T/bad-gnuplot"
chmod +x "$T/bad-gnuplot"
expect 1 "simulated failure" env TMPDIR=$T/tmp QMSIM_GNUPLOT=$T/bad-gnuplot "$Q" report "$T/run.h5" -o "$O"
no_output "$O"
[ -z "$(ls -A "$T/tmp")" ] || { echo "FAIL: scratch files left in TMPDIR: $(ls "$T/tmp")"; fail=1; }
expect 0 "" env TMPDIR="$T/tmp" "$Q" report "$T/run.h5" -o "$T/ok.html"
[ -z "$(ls -A "$T/tmp")" ] || { echo "FAIL: scratch files left in TMPDIR: $(ls "$T/tmp")"; fail=1; }

# A comparison without series needs no gnuplot at all.
expect 0 "" env QMSIM_GNUPLOT=$T/no-gnuplot "$Q" report "$T/cmp.h5" -o "$O"
grep -q "Key outcomes" "$O" || { echo "FAIL: the report without charts lacks its outcomes"; fail=1; }
# An existing report is kept without --force.
expect 2 "exists; use --force" "$Q" report "$T/cmp.h5" -o "$O"
expect 0 "" env QMSIM_GNUPLOT=$T/no-gnuplot "$Q" report "$T/cmp.h5" -o "$O" --force --title "A <b>title</b>"
grep -qF "A &lt;b&gt;title&lt;/b&gt;" "$O" || { echo "FAIL: the title is not escaped"; fail=1; }
expect 0 "" "$Q" report --help
grep -q "usage: qmsim report" "$T/out" || { echo "FAIL: --help prints no usage"; fail=1; }

[ "$fail" -eq 0 ] && echo "report error paths: all ok"
exit "$fail"
