#!/bin/sh
# run_errors.sh: every error path of `qmsim run`, `qmsim summary` and the
# top-level command gives a clear message, a non-zero exit and no output file.
# usage: sh run_errors.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
. "$(dirname "$0")/lib/common.sh"

cat >"$T/syntax.cfg" <<'CFG'
name = "broken";
months = = 12;
services = ();
CFG
cat >"$T/unknown.cfg" <<'CFG'
name = "typo";
contract = { trm = 36; };
CFG
cat >"$T/range.cfg" <<'CFG'
name = "range";
trust = { forgetting = 1.5; };
CFG
sed 's/^name = "baseline";/name = "typo";\ncontract = { trm = 36; };/' "$SRC/scenarios/baseline.cfg" >"$T/unknown_full.cfg"

expect 2 "cannot read" "$Q" run "$T/missing.cfg" -o "$T/a.h5"
no_output "$T/a.h5"
expect 2 "syntax error" "$Q" run "$T/syntax.cfg" -o "$T/a.h5"
no_output "$T/a.h5"
expect 2 "unknown key 'contract.trm' (did you mean 'contract.term'?)" "$Q" run "$T/unknown_full.cfg" -o "$T/a.h5"
no_output "$T/a.h5"
expect 2 "out of range [0, 1]" "$Q" run --set trust.forgetting=1.5 -o "$T/a.h5"
no_output "$T/a.h5"
expect 2 "unknown key" "$Q" run --set trust.forgeting=0.9 -o "$T/a.h5"
no_output "$T/a.h5"
expect 2 "generator = 'ranlux' is not one of cmrg, mt19937, taus2, xoshiro256pp" "$Q" run --set generator=ranlux -o "$T/a.h5"
no_output "$T/a.h5"
expect 2 "--set expects path.to.key=value" "$Q" run --set trust.forgetting -o "$T/a.h5"
expect 2 "--months expects an integer" "$Q" run --months 0 -o "$T/a.h5"
expect 2 "--seed expects an integer" "$Q" run --seed abc -o "$T/a.h5"
expect 2 "--threads expects an integer" "$Q" run --threads 0 -o "$T/a.h5"
expect 2 "unknown option '--bogus'" "$Q" run --bogus
expect 2 "more than one scenario" "$Q" run a.cfg b.cfg
expect 2 "needs a file name" "$Q" run -o
no_output "$T/a.h5"

# Unwritable output: a directory that does not exist, and one without write
# permission (root ignores permissions, so that case runs only for others).
expect 2 "$T/nodir/a.h5" "$Q" run -q --months 2 -o "$T/nodir/a.h5"
no_output "$T/nodir/a.h5"
if [ "$(id -u)" -ne 0 ]; then
    mkdir "$T/ro" && chmod a-w "$T/ro"
    expect 2 "$T/ro/a.h5" "$Q" run -q --months 2 -o "$T/ro/a.h5"
    no_output "$T/ro/a.h5"
fi
# An output path that is a directory.
mkdir "$T/isdir.h5"
expect 2 "isdir.h5" "$Q" run -q --months 2 -o "$T/isdir.h5"

# An existing file is kept unless --force.
"$Q" run -q --months 3 -o "$T/keep.h5" || { echo "FAIL: a good run failed"; fail=1; }
cp "$T/keep.h5" "$T/keep.copy"
expect 2 "exists" "$Q" run -q --months 2 -o "$T/keep.h5"
cmp -s "$T/keep.h5" "$T/keep.copy" || { echo "FAIL: existing file was changed"; fail=1; }
[ -e "$T/keep.h5.partial" ] && { echo "FAIL: partial left"; fail=1; }
"$Q" run -q --months 2 -o "$T/keep.h5" --force || { echo "FAIL: --force did not overwrite"; fail=1; }
cmp -s "$T/keep.h5" "$T/keep.copy" && { echo "FAIL: --force left the old file"; fail=1; }

# summary: missing file, not HDF5, not a qmsim file, bad format.
expect 2 "missing.h5" "$Q" summary "$T/missing.h5"
echo "not hdf5" >"$T/text.h5"
expect 2 "text.h5" "$Q" summary "$T/text.h5"
expect 2 "format" "$Q" summary "$T/keep.h5" --format xml
expect 2 "usage" "$Q" summary

# top level
expect 2 "unknown command 'frobnicate'" "$Q" frobnicate
expect 2 "usage" "$Q"
"$Q" --version | grep -q "^qmsim [0-9]" || { echo "FAIL: --version"; fail=1; }
"$Q" --help | grep -q "usage: qmsim" || { echo "FAIL: --help"; fail=1; }
"$Q" run --help | grep -q -- "--replicate" || { echo "FAIL: run --help"; fail=1; }

# A good run writes the file and nothing else; quiet runs print nothing.
"$Q" run -q --months 2 -o "$T/good.h5" >"$T/out" 2>"$T/err" || { echo "FAIL: good run"; fail=1; }
[ -s "$T/out" ] || [ -s "$T/err" ] && { echo "FAIL: --quiet printed something"; fail=1; }
[ -e "$T/good.h5" ] && [ ! -e "$T/good.h5.partial" ] || { echo "FAIL: good run output"; fail=1; }

# A file of another kind says what it is and which command takes it; a
# BOM (Windows Notepad) is not part of the text; did-you-mean for commands,
# options and outcome names, in one wording, exit 2.
expect 2 "is a sweep file (it has base and factors), not a scenario: run it with \`qmsim sweep" \
    "$Q" run "$SRC/scenarios/sweeps/ishigami.cfg" -o "$T/k.h5"
expect 2 "is a sweep file" "$Q" validate "$SRC/scenarios/sweeps/ishigami.cfg"
expect 2 "is a scenario file, not a sweep: run it with \`qmsim run" \
    "$Q" sweep "$SRC/scenarios/baseline.cfg" -o "$T/k.h5"
no_output "$T/k.h5"
printf '\357\273\277' >"$T/bom.cfg"
cat "$SRC/scenarios/teaching_small.cfg" >>"$T/bom.cfg"
expect 0 "" "$Q" validate "$T/bom.cfg"
expect 2 "unknown command 'rn' (did you mean 'run'?); see 'qmsim --help'" "$Q" rn
expect 2 "qmsim run: unknown option '--montsh' (did you mean '--months'?); see 'qmsim run --help'" \
    "$Q" run --montsh 3
expect 2 "unknown option '--formt' (did you mean '--format'?)" "$Q" summary x.h5 --formt json
expect 2 "unknown outcome 'mean:trust_mean_provdier' (did you mean 'trust_mean_provider'?)" \
    "$Q" compare "$SRC/scenarios/teaching_small.cfg" -r 2 --outcomes mean:trust_mean_provdier

[ $fail -eq 0 ] && echo "all run error paths behave" || exit 1
