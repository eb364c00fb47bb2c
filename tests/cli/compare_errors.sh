#!/bin/sh
# compare_errors.sh: every error path of `qmsim compare` gives a clear
# message, the documented exit code (2 bad usage or input, 1 a file or run
# that fails) and no comparison file.
# usage: sh compare_errors.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
. "$(dirname "$0")/lib/common.sh"
A=$SRC/scenarios/teaching/relational.cfg
B=$SRC/scenarios/teaching/transactional.cfg

cat >"$T/typo.cfg" <<'CFG'
name = "typo";
contract = { trm = 36; };
CFG
"$Q" run "$A" --months 12 -o "$T/run.h5" -q || { echo "FAIL: cannot make a run file"; exit 1; }
"$Q" sweep "$SRC/scenarios/teaching/tender_sweep.cfg" -o "$T/sweep.h5" -q \
    || { echo "FAIL: cannot make a sweep file"; exit 1; }
cp "$T/run.h5" "$T/incomplete.h5"
/usr/bin/python3 -c 'import h5py, sys; f = h5py.File(sys.argv[1], "a"); del f.attrs["complete"]' \
    "$T/incomplete.h5"
echo "not hdf5" >"$T/text.h5"

O=$T/cmp.h5
expect 2 "no scenarios given" "$Q" compare
expect 2 "--replications R is required" "$Q" compare "$A" "$B" -o "$O"
expect 2 "expects an integer in [1, 1000000], got '0'" "$Q" compare "$A" "$B" -r 0
expect 2 "--replications expects an integer" "$Q" compare "$A" "$B" --replications many
expect 2 "unknown outcome 'tender_shares'" "$Q" compare "$A" "$B" -r 2 --outcomes tender_shares -o "$O"
expect 2 "unknown outcome 'median:spend'" "$Q" compare "$A" "$B" -r 2 --outcomes trust,median:spend
expect 2 "unknown outcome 'mean:spnd'" "$Q" compare "$A" "$B" -r 2 --outcomes mean:spnd
expect 2 "--format must be text, csv or json" "$Q" compare "$A" "$B" -r 2 --format xml
expect 2 "--level expects a number in (0, 1)" "$Q" compare "$A" "$B" -r 2 --level 1.5
expect 2 "--series: 'trust' is not a series" "$Q" compare "$A" "$B" -r 2 --series trust -o "$O"
expect 2 "unknown option '--replicates'" "$Q" compare "$A" "$B" --replicates 2
expect 2 "--set expects path.to.key=value" "$Q" compare "$A" "$B" -r 2 --set months
expect 2 "unknown key 'contract.trm'" "$Q" compare "$A" "$T/typo.cfg" -r 2 -o "$O"
expect 2 "typo.cfg:2:" "$Q" compare "$A" "$T/typo.cfg" -r 2
expect 2 "cannot read" "$Q" compare "$A" "$T/missing.cfg" -r 2 -o "$O"
expect 2 "out of range" "$Q" compare "$A" "$B" -r 2 --set policy.tender_pressure=3
no_output "$O"
touch "$O"
expect 2 "exists; use --force" "$Q" compare "$A" "$B" -r 2 -o "$O"
[ -s "$O" ] && { echo "FAIL: an existing file was changed"; fail=1; }
rm -f "$O"

# Run files: a missing, damaged, incomplete or wrong-kind input is bad input (2).
expect 2 "apply to scenario files only" "$Q" compare --from-files "$T/run.h5" -r 2
expect 2 "cannot open" "$Q" compare --from-files "$T/run.h5" "$T/none.h5" -o "$O"
expect 2 "is not an HDF5 file" "$Q" compare --from-files "$T/text.h5"
expect 2 "is incomplete" "$Q" compare --from-files "$T/run.h5" "$T/incomplete.h5" -o "$O"
expect 2 "(use --from-sweep)" "$Q" compare --from-files "$T/sweep.h5"
expect 2 "expected NAME=FILE" "$Q" compare --from-files "=$T/run.h5"
expect 2 "expected NAME=FILE" "$Q" compare --from-files "a="
no_output "$O"

# Sweeps.
expect 2 "takes no other scenarios" "$Q" compare --from-sweep "$T/sweep.h5" "$A"
expect 2 "--points needs --from-sweep" "$Q" compare "$A" -r 2 --points 1
expect 2 "--points: expected design points in [0, 5]" "$Q" compare --from-sweep "$T/sweep.h5" --points 0,6
expect 2 "--points: expected design points" "$Q" compare --from-sweep "$T/sweep.h5" --points 0,x
expect 2 "'tenderz' is not an outcome of" "$Q" compare --from-sweep "$T/sweep.h5" --outcomes tenderz -o "$O"
expect 2 "run.h5: not a qmsim sweep result" "$Q" compare --from-sweep "$T/run.h5" -o "$O"
expect 2 "cannot open" "$Q" compare --from-sweep "$T/none.h5"
no_output "$O"

# One run: means without intervals.
expect 0 "" "$Q" compare "$A" -r 1 --outcomes trust -q
grep -q "n/a" "$T/out" || { echo "FAIL: one run should give no interval (n/a)"; fail=1; }
expect 0 "" "$Q" compare --help
grep -q "usage: qmsim compare" "$T/out" || { echo "FAIL: --help prints no usage"; fail=1; }

[ "$fail" -eq 0 ] && echo "compare error paths: all ok"
exit "$fail"
