#!/bin/sh
# run_scale.sh: `qmsim run --scale K` multiplies the commissioners,
# providers, agencies and entrant slots by K (docs/scenarios.md, bench/);
# bad values and scales too big for --max-memory are refused before
# anything is allocated or written.
# usage: sh run_scale.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
. "$(dirname "$0")/lib/common.sh"

expect 2 "--scale expects an integer in [1, 1000], got '0'" "$Q" run --scale 0 -o "$T/a.h5"
expect 2 "--scale expects an integer in [1, 1000], got '1001'" "$Q" run --scale 1001 -o "$T/a.h5"
expect 2 "--scale expects an integer in [1, 1000], got 'two'" "$Q" run --scale two -o "$T/a.h5"
expect 2 "--scale expects an integer" "$Q" run -o "$T/a.h5" --scale
no_output "$T/a.h5"
expect 2 "more than --max-memory allows" "$Q" run "$SRC/scenarios/national.cfg" --scale 1000 \
    --max-memory 1G -o "$T/a.h5"
no_output "$T/a.h5"

# final_of FILE SERIES: the final value of a series in `qmsim summary`.
final_of() {
    "$Q" summary "$1" --all | awk -v s="$2" '$1 == s { print $NF }'
}
check "baseline x1" "$Q" run -q --months 12 -o "$T/x1.h5"
check "baseline --scale 1" "$Q" run -q --months 12 --scale 1 -o "$T/s1.h5"
check "baseline --scale 3" "$Q" run -q --months 12 --scale 3 -o "$T/x3.h5"
if ! "$Q" summary "$T/x1.h5" --all | grep -v "written by" >"$T/a" \
   || ! "$Q" summary "$T/s1.h5" --all | grep -v "written by" >"$T/b" || ! cmp -s "$T/a" "$T/b"; then
    echo "FAIL: --scale 1 is not the same run as no --scale"; fail=1
else
    echo "ok: --scale 1 is the scenario itself"
fi
c1=$(final_of "$T/x1.h5" contracts_active)
c3=$(final_of "$T/x3.h5" contracts_active)
if [ -n "$c1" ] && [ "$c3" = "$((c1 * 3))" ]; then
    echo "ok: --scale 3 holds 3 x $c1 contracts"
else
    echo "FAIL: --scale 3 holds '$c3' contracts, want 3 x '$c1'"; fail=1
fi
exit $fail
