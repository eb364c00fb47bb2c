#!/bin/sh
# validate_errors.sh: `qmsim validate` reports each problem of a bad scenario
# as one FILE:LINE: message line on stderr and exits 2; the bundled
# scenarios validate cleanly.
#
# usage: sh validate_errors.sh /path/to/qmsim /path/to/source
QMSIM=$1
SRC=$2
if [ ! -x "$QMSIM" ] || [ ! -d "$SRC" ]; then
    echo "usage: sh validate_errors.sh /path/to/qmsim /path/to/source" >&2
    exit 2
fi
LC_ALL=C
export LC_ALL
. "$(dirname "$0")/lib/common.sh"
dir=$T
trap 'exit 1' INT TERM

# A valid head (four lines) that most cases extend with a fifth line.
HEAD='name = "t";
services = ( { name = "diabetes"; } );
commissioners = ( { prefix = "PCT"; count = 3; } );
providers = ( { count = 1; } );'

# check FILE WANT: validate FILE must exit 2 and print WANT (a fixed string)
# as part of its stderr.
check() {
    err=$("$QMSIM" validate "$1" 2>&1 >/dev/null)
    rc=$?
    if [ "$rc" -ne 2 ]; then
        echo "FAIL: validate $1 exited $rc, not 2; stderr:"
        printf '%s\n' "$err"
        fail=1
    elif ! printf '%s\n' "$err" | grep -F -e "$2" >/dev/null; then
        echo "FAIL: validate $1 did not print: $2"
        echo "  it printed:"
        printf '%s\n' "$err" | sed 's/^/    /'
        fail=1
    fi
}

# case NAME TEXT WANT: writes TEXT to NAME.cfg and checks it; WANT is the
# expected message after "FILE:".
case_() {
    f="$dir/$1.cfg"
    printf '%s\n' "$2" >"$f"
    check "$f" "$f:$3"
}

# The file must exist for anything else to be tested.
check "$dir/missing.cfg" "$dir/missing.cfg: cannot read: No such file or directory"

case_ syntax 'name = "t";
services = (
  { name = "a"
);' '4: syntax error in `);`'

case_ unknown "$HEAD
contract = { trm = 36; };" "5: unknown key 'contract.trm' (did you mean 'contract.term'?)"

case_ range "$HEAD
trust = { forgetting = 1.5; };" "5: trust.forgetting = 1.5 is out of range [0, 1]"

case_ type "$HEAD
contract = { term = \"long\"; };" "5: contract.term: expected an integer, got a string"

case_ names 'name = "t";
services = ( { name = "diabetes"; } );
commissioners = ( { count = 3;
  names = ["North", "South"]; } );
providers = ( { count = 1; } );' "4: commissioners[0].names has 2 entries but count is 3"

case_ listlen 'name = "t";
services = ( { name = "diabetes"; } );
commissioners = ( { count = 3;
  analytic = { dist = "list"; values = [0.1, 0.2]; }; } );
providers = ( { count = 1; } );' "4: commissioners[0].analytic.values has 2 entries but count is 3"

case_ enum 'name = "t";
services = ( { name = "diabetes"; payment = "blok"; } );
commissioners = ( { count = 3; } );
providers = ( { count = 1; } );' \
    "2: services[0].payment = 'blok' is not one of block, activity, outcome (did you mean 'block'?)"

case_ offer 'name = "t";
services = ( { name = "diabetes"; } );
commissioners = ( { count = 3; } );
providers = ( { count = 1; services = ["diabets"]; } );' \
    "4: providers[0].services[0] = 'diabets' is not a service (did you mean 'diabetes'?)"

case_ agency "$HEAD
agencies = ( { kind = \"comercial\"; count = 2; } );" \
    "5: agencies[0].kind = 'comercial' is not one of csu, commercial, not_for_profit, freelance, public_health (did you mean 'commercial'?)"

case_ eventkey "$HEAD
timeline = ( { month = 40; type = \"policy\"; key = \"policy.tender_pressure\"; value = 0.8; merge = 2; } );" \
    "5: timeline[0]: 'merge' does not apply to a 'policy' event (it applies to: reorganisation)"

case_ policykey "$HEAD
timeline = ( { month = 40; type = \"policy\"; key = \"policy.tender_presure\"; value = 0.8; } );" \
    "5: timeline[0].key = 'policy.tender_presure' is not a policy parameter (did you mean 'policy.tender_pressure'?)"

case_ horizon "$HEAD
months = 24;
timeline = ( { month = 30; type = \"priority_shift\"; } );" \
    "6: timeline[0].month = 30 is not before months = 24 (the run's last month is 23)"

# Several problems at once: every one is reported, not just the first.
f="$dir/several.cfg"
printf '%s\n' "$HEAD" 'months = 0;' 'trust = { forgeting = 0.5; };' >"$f"
check "$f" "$f:5: months = 0 is out of range [1, 6000]"
check "$f" "$f:6: unknown key 'trust.forgeting' (did you mean 'trust.forgetting'?)"

# More problems than are kept: the rest are counted.
f="$dir/many.cfg"
{
    printf '%s\n' "$HEAD" 'contract = {'
    i=0
    while [ $i -lt 70 ]; do
        printf '  bogus%d = 1;\n' $i
        i=$((i + 1))
    done
    printf '};\n'
} >"$f"
check "$f" "$f:6: unknown key 'contract.bogus0'"
check "$f" "6 more problems not shown"

# A valid file passes, and so does every bundled scenario.
f="$dir/good.cfg"
printf '%s\n' "$HEAD" >"$f"
if ! out=$("$QMSIM" validate "$f" 2>&1); then
    echo "FAIL: validate $f (a valid scenario) failed:"
    printf '%s\n' "$out"
    fail=1
fi
n=0
for f in "$SRC"/scenarios/*.cfg; do
    [ -e "$f" ] || continue
    n=$((n + 1))
    if ! out=$("$QMSIM" validate "$f" 2>&1); then
        echo "FAIL: validate $f failed:"
        printf '%s\n' "$out"
        fail=1
    fi
done
if [ "$n" -eq 0 ]; then
    echo "FAIL: no scenarios/*.cfg under $SRC"
    fail=1
fi

[ "$fail" -eq 0 ] && echo "validate_errors: all checks passed"
exit "$fail"
