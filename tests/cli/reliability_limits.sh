#!/bin/sh
# reliability_limits.sh: scenarios too big for --max-memory, absurd counts
# and non-finite numbers are refused before anything is written; --check
# passes on every bundled scenario (docs/reliability.md).
# usage: sh reliability_limits.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
. "$(dirname "$0")/lib/common.sh"
EXPECT_WIDTH=160

# ---- --max-memory ----
expect 2 "would need about" "$Q" run -q --max-memory 100K -o "$T/m.h5"
no_output "$T/m.h5"
grep -q "for the model state and .* for the output buffers" "$T/err" \
    || { echo "FAIL: the message does not say what needs the memory"; fail=1; }
# The figure is exact: the run fits in exactly what it says it needs, and
# not in a byte less.
need=$(sed -n 's/.*(\([0-9]*\) bytes:.*/\1/p' "$T/err")
expect 0 "" sh -c '"$0" run -q --max-memory "$1" -o "$2"; rc=$?; echo >&2; exit $rc' \
    "$Q" "$need" "$T/m.h5"
[ -e "$T/m.h5" ] || { echo "FAIL: run within --max-memory wrote nothing"; fail=1; }
expect 2 "would need about" "$Q" run -q --max-memory $((need - 1)) -o "$T/m2.h5"
no_output "$T/m2.h5"
# More output buffering needs more memory.
expect 2 "would need about" "$Q" run -q --max-memory "$need" \
    --set output.flush_months=1200 -o "$T/m2.h5"
# Suffixes.
for s in 1G 1.5G 2048M 1048576K 1GiB 1GB 4096000000; do
    "$Q" run -q --months 1 --max-memory $s -o "$T/s.h5" --force \
        || { echo "FAIL: --max-memory $s"; fail=1; }
done
for s in 0 -5 abc 12X 1Gb nan inf ""; do
    expect 2 "--max-memory expects a size" "$Q" run -q --max-memory "$s" -o "$T/s2.h5"
done
expect 2 "--max-memory expects a size" "$Q" run -q -o "$T/s2.h5" --max-memory
no_output "$T/s2.h5"
# The default (half of the RAM) refuses a timeline of splits that would
# double the commissioners forty times.
awk '/^timeline = \(/ { skip = 1; print "timeline = ("; for (m = 1; m <= 40; m++)
       printf "  { month = %d; type = \"reorganisation\"; split_share = 1.0; }%s\n", m, m < 40 ? "," : "";
       print ");"; next }
     skip && /^\);/ { skip = 0; next }
     !skip' "$SRC/scenarios/csu_2013.cfg" >"$T/splits.cfg"
expect 2 "PiB of memory" "$Q" run -q "$T/splits.cfg" -o "$T/split.h5"
no_output "$T/split.h5"

# ---- absurd counts: refused by the reader ----
expect 2 "out of range [1, 100000]" "$Q" run -q --set 'commissioners[0].count=1000000' -o "$T/c.h5"
expect 2 "out of range [1, 100000]" "$Q" run -q --set 'commissioners[0].count=99999999999' -o "$T/c.h5"
expect 2 "out of range [0, 100000]" "$Q" run -q --set market.max_entrants=1000000000 -o "$T/c.h5"
no_output "$T/c.h5"
cat >"$T/pairs.cfg" <<'CFG'
name = "pairs";
services = ( { name = "a"; demand = 1.0; tariff = 100.0; } );
commissioners = ( { count = 100000; }, { count = 100000; } );
providers = ( { kind = "nhs_acute"; count = 1; } );
CFG
expect 2 "at most 100000" "$Q" run -q "$T/pairs.cfg" -o "$T/c.h5"
no_output "$T/c.h5"

# ---- NaN and infinity: refused where they are read ----
for v in nan NaN inf -inf infinity 1e999 -1e999 0x1p99999; do
    expect 2 "is not a finite number" "$Q" run -q --set "trust.forgetting=$v" -o "$T/n.h5"
done
expect 2 "is not a finite number" "$Q" run -q --set 'commissioners[0].analytic=nan' -o "$T/n.h5"
expect 2 "is not a finite number" "$Q" run -q --set 'providers[0].quality=-inf' -o "$T/n.h5"
expect 2 "is not a finite number" "$Q" run -q --set 'agencies[0].fee=inf' -o "$T/n.h5"
no_output "$T/n.h5"
# In a file: libconfig reads an overflowing literal as infinity.
sed 's/^\( *population = \){.*};/\1{ dist = "uniform"; min = 1000.0; max = 1e999; };/' \
    "$SRC/scenarios/teaching_small.cfg" >"$T/inf_dist.cfg"
sed 's/demand = 0.5;/demand = 1e400;/' "$SRC/scenarios/teaching_small.cfg" >"$T/inf_service.cfg"
sed 's/value = 0.3;/value = -1e999;/' "$SRC/scenarios/csu_2013.cfg" >"$T/inf_policy.cfg"
for f in inf_dist inf_service inf_policy; do
    grep -q "1e[49]" "$T/$f.cfg" || { echo "FAIL: $f.cfg has no infinite literal"; fail=1; }
    expect 2 "is not a finite number" "$Q" run -q "$T/$f.cfg" -o "$T/n.h5"
    expect 2 "is not a finite number" "$Q" validate "$T/$f.cfg"
done
no_output "$T/n.h5"

# ---- --check: every bundled scenario keeps its invariants ----
for f in "$SRC"/scenarios/*.cfg; do
    expect 0 "" sh -c '"$0" run -q --check --months 48 "$1" -o "$2"; rc=$?; echo >&2; exit $rc' \
        "$Q" "$f" "$T/ck.h5"
    [ -e "$T/ck.h5" ] || { echo "FAIL: --check run of $f wrote nothing"; fail=1; }
    rm -f "$T/ck.h5"
done

[ $fail -eq 0 ] && echo "limits and guards behave" || exit 1
