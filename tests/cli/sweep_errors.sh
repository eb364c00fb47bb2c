#!/bin/sh
# sweep_errors.sh: bad sweep files and bad uses of `qmsim sweep`, `qmsim
# merge` and `qmsim sensitivity` give clear FILE:LINE messages and exit 2
# before any run starts: no result, no partial file, no journal.
# usage: sh sweep_errors.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
. "$(dirname "$0")/lib/common.sh"

# nothing_ran: no result, partial file or journal was left in $T.
nothing_ran() {
    if ls "$T"/r.h5* >/dev/null 2>&1; then
        echo "FAIL: files left behind: $(ls "$T"/r.h5*)"; fail=1
    fi
}

# bad NAME PATTERN: writes $T/NAME.cfg from stdin, expects exit 2 with
# PATTERN and no run.
bad() {
    cat >"$T/$1.cfg"
    expect 2 "$2" "$Q" sweep "$T/$1.cfg" -o "$T/r.h5"
    nothing_ran
}

OUTCOMES='outcomes = ( { name = "tenders"; series = "decisions_tender"; reduce = "sum"; } );'

bad unknown_path "unknown_path.cfg:4: factor 'policy.tender_presure': unknown key 'policy.tender_presure' (did you mean 'policy.tender_pressure'?)" <<EOF
base = "baseline";
design = "lhs";
samples = 4;
factors = ( { path = "policy.tender_presure"; range = [0.0, 1.0]; } );
$OUTCOMES
EOF

bad empty_range "empty_range.cfg:5: factor 'pressure': range [0.6, 0.2] is empty (min must be below max)" <<EOF
base = "baseline";
design = "lhs";
samples = 4;
factors = (
  { name = "pressure"; path = "policy.tender_pressure"; range = [0.6, 0.2]; }
);
$OUTCOMES
EOF

bad unknown_series "unknown_series.cfg:6: outcome 'trust': series 'trust_mean_provdier' is not a series of the model (did you mean 'trust_mean_provider'?)" <<'EOF'
base = "baseline";
design = "lhs";
samples = 4;
factors = ( { path = "policy.tender_pressure"; range = [0.0, 1.0]; } );
outcomes = (
  { name = "trust"; series = "trust_mean_provdier"; reduce = "final"; }
);
EOF

bad out_of_range "out_of_range.cfg:4: factor 'policy.tender_pressure': policy.tender_pressure = 1.5 is out of range [0, 1]" <<EOF
base = "baseline";
design = "lhs";
samples = 4;
factors = ( { path = "policy.tender_pressure"; range = [0.0, 1.5]; } );
$OUTCOMES
EOF

bad bad_value "bad_value.cfg:3: factor 'policy.payment_type'" <<EOF
base = "baseline";
design = "grid";
factors = ( { path = "policy.payment_type"; values = ["block", "blok"]; } );
$OUTCOMES
EOF

bad int_values "int_values.cfg:3: factor 'contract.term': contract.term is an integer, not 12.5" <<EOF
base = "baseline";
design = "grid";
factors = ( { path = "contract.term"; values = (12, 12.5); } );
$OUTCOMES
EOF

bad unknown_key "unknown_key.cfg:3: unknown key 'sample' (did you mean 'samples'?)" <<EOF
base = "baseline";
design = "lhs";
sample = 4;
factors = ( { path = "policy.tender_pressure"; range = [0.0, 1.0]; } );
$OUTCOMES
EOF

bad bad_design "bad_design.cfg:2: design 'latin' is not one of grid, lhs, sobol, morris" <<EOF
base = "baseline";
design = "latin";
samples = 4;
factors = ( { path = "policy.tender_pressure"; range = [0.0, 1.0]; } );
$OUTCOMES
EOF

bad no_factors "no_factors.cfg:1: factors is missing" <<EOF
base = "baseline";
design = "lhs";
samples = 4;
$OUTCOMES
EOF

bad log_zero "log_zero.cfg:4: factor 'costs.tender': a log range needs min > 0, not 0" <<EOF
base = "baseline";
design = "lhs";
samples = 4;
factors = ( { path = "costs.tender"; range = [0.0, 10.0]; log = true; } );
$OUTCOMES
EOF

bad bool_range "takes true or false, not a range; give values = [...]" <<EOF
base = "baseline";
design = "lhs";
samples = 4;
factors = ( { path = "policy.open_market"; range = [0, 1]; } );
$OUTCOMES
EOF

bad no_base "no_base.cfg:1: no scenario named 'basline'" <<EOF
base = "basline";
design = "lhs";
samples = 4;
factors = ( { path = "policy.tender_pressure"; range = [0.0, 1.0]; } );
$OUTCOMES
EOF

bad months_past "months_past.cfg:6: outcome 'late': months [100, 130] runs past the last month of a run (59)" <<'EOF'
base = "baseline";
set = ["months=60"];
design = "lhs";
samples = 4;
factors = ( { path = "policy.tender_pressure"; range = [0.0, 1.0]; } );
outcomes = ( { name = "late"; series = "spend"; months = [100, 130]; } );
EOF

bad bad_set "bad_set.cfg:1: base scenario 'baseline': set: unknown key 'month' (did you mean 'months'?)" <<EOF
base = "baseline";
set = ["month=60"];
design = "lhs";
samples = 4;
factors = ( { path = "policy.tender_pressure"; range = [0.0, 1.0]; } );
$OUTCOMES
EOF

bad syntax "syntax.cfg:2: syntax error" <<EOF
base = "baseline";
design = = "lhs";
EOF

bad ishigami_factor "factor 'z': builtin:ishigami has the factors x1, x2 and x3, not 'z'" <<'EOF'
base = "builtin:ishigami";
design = "sobol";
samples = 8;
factors = ( { path = "z"; range = [0.0, 1.0]; } );
outcomes = ( { name = "y"; series = "y"; } );
EOF

bad dup_factor "dup_factor.cfg:5: factor 'x3b' sets x3, as factor 'x3' does" <<'EOF'
base = "builtin:ishigami";
design = "sobol";
samples = 8;
factors = ( { path = "x1"; range = [0.0, 1.0]; }, { path = "x3"; range = [0.0, 1.0]; },
  { name = "x3b"; path = "x3"; range = [0.0, 1.0]; } );
outcomes = ( { name = "y"; series = "y"; } );
EOF

# Several problems at once, each on its own line.
cat >"$T/many.cfg" <<'EOF'
base = "baseline";
design = "morris";
samples = 4;
levels = 3;
factors = ( { path = "trust.forgeting"; range = [0.1, 0.2]; } );
outcomes = ( { name = "x"; series = "nope"; reduce = "median"; } );
EOF
expect 2 "many.cfg:4: a morris design needs an even number of levels >= 2, not 3" "$Q" sweep "$T/many.cfg" -o "$T/r.h5"
for want in "many.cfg:6: outcome 'x': series 'nope' is not a series of the model" \
            "many.cfg:6: outcome 'x': reduce 'median' is not one of mean, sum, final, min, max"; do
    grep -qF "$want" "$T/err" || { echo "FAIL: missing '$want'"; fail=1; }
done
nothing_ran

# Usage errors.
cat >"$T/good.cfg" <<'EOF'
base = "builtin:ishigami";
design = "lhs";
samples = 8;
factors = ( { path = "x1"; range = [-3.0, 3.0]; } );
outcomes = ( { name = "y"; series = "y"; } );
EOF
expect 2 "no result file given" "$Q" sweep "$T/good.cfg"
expect 2 "no sweep file given" "$Q" sweep -o "$T/r.h5"
expect 2 "--shard expects I/N" "$Q" sweep "$T/good.cfg" -o "$T/r.h5" --shard 3
expect 2 "--shard's I expects an integer in [0, 2]" "$Q" sweep "$T/good.cfg" -o "$T/r.h5" --shard 3/3
expect 2 "--threads expects an integer" "$Q" sweep "$T/good.cfg" -o "$T/r.h5" --threads 0
expect 2 "--resume and --force contradict" "$Q" sweep "$T/good.cfg" -o "$T/r.h5" --resume --force
expect 2 "unknown option '--thread'" "$Q" sweep "$T/good.cfg" -o "$T/r.h5" --thread 2
expect 2 "cannot read" "$Q" sweep "$T/missing.cfg" -o "$T/r.h5"
nothing_ran

# An existing result is kept unless --force; a stray journal needs --resume.
"$Q" sweep "$T/good.cfg" -o "$T/done.h5" -q || { echo "FAIL: good sweep"; fail=1; }
expect 2 "done.h5 exists; use --force to overwrite" "$Q" sweep "$T/good.cfg" -o "$T/done.h5"
: >"$T/j.h5.journal"
expect 2 "an interrupted sweep; finish it with --resume" "$Q" sweep "$T/good.cfg" -o "$T/j.h5"
[ -e "$T/j.h5" ] && { echo "FAIL: j.h5 written"; fail=1; }
rm -f "$T/j.h5.journal"

# Sensitivity needs a sobol or morris result; merge needs shards of one sweep.
expect 2 "is a lhs sweep; sensitivity needs a sobol or a morris design" "$Q" sensitivity "$T/done.h5"
expect 2 "not an HDF5 file" "$Q" sensitivity "$SRC/scenarios/baseline.cfg"
"$Q" run -o "$T/run.h5" --months 2 -q
expect 2 "not a qmsim sweep result" "$Q" sensitivity "$T/run.h5"
expect 2 "--format expects text or json" "$Q" sensitivity "$T/done.h5" --format xml
sed 's/samples = 8/samples = 9/' "$T/good.cfg" >"$T/other.cfg"
"$Q" sweep "$T/other.cfg" -o "$T/other.h5" -q
expect 2 "is not a shard of the same sweep" "$Q" merge "$T/m.h5" "$T/done.h5" "$T/other.h5"
[ -e "$T/m.h5" ] && { echo "FAIL: m.h5 written"; fail=1; }
expect 2 "usage: qmsim merge" "$Q" merge "$T/m.h5"

# Help goes to stdout with exit 0.
for c in sweep merge sensitivity; do
    if "$Q" $c --help 2>&1 | grep -q "usage: qmsim $c"; then
        echo "ok: qmsim $c --help"
    else
        echo "FAIL: qmsim $c --help"; fail=1
    fi
done
"$Q" --help | grep -q "sensitivity R.h5" || { echo "FAIL: qmsim --help lacks the sweep commands"; fail=1; }

[ $fail -eq 0 ] && echo "all sweep error paths behave"
exit $fail
