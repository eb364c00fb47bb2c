#!/bin/sh
# calibrate_errors.sh: bad calibration files and bad uses of `qmsim
# calibrate` give one clear FILE:LINE message each and exit 2 before any
# simulation: nothing is written under the result's name, no partial file,
# no journal.
# usage: sh calibrate_errors.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
. "$(dirname "$0")/lib/common.sh"

# nothing_written: no result, partial file or journal was left in $T.
nothing_written() {
    if ls "$T"/cal.h5* >/dev/null 2>&1; then
        echo "FAIL: files left behind: $(ls "$T"/cal.h5*)"; fail=1
    fi
}

# bad NAME PATTERN: writes $T/NAME.cfg from stdin, expects exit 2, PATTERN,
# exactly one message, and nothing written.
bad() {
    cat >"$T/$1.cfg"
    expect 2 "$2" "$Q" calibrate "$T/$1.cfg" -o "$T/cal.h5"
    n=$(wc -l <"$T/err")
    if [ "$n" -ne 1 ]; then
        echo "FAIL: $1: $n messages, want one:"; sed 's/^/    /' "$T/err"; fail=1
    fi
    nothing_written
}

P='parameters = ( { path = "decision.beta_tender0"; prior = "uniform"; range = [1.0, 4.0]; } );'
TG='targets = ( { outcome = "tender_share"; band = [0.0, 0.1]; } );'

bad unknown_key "unknown_key.cfg:3: unknown key 'budgte' (did you mean 'budget'?)" <<EOF
base = "baseline";
$P
budgte = { simulations = 100; };
$TG
EOF

bad unknown_param_key "unknown_param_key.cfg:3: unknown key 'parameters[0].rnage' (did you mean 'parameters[0].range'?)" <<EOF
base = "baseline";
parameters = (
  { path = "decision.beta_tender0"; prior = "uniform"; range = [1.0, 4.0]; rnage = 1; }
);
$TG
EOF

bad empty_range "empty_range.cfg:3: parameter 'decision.beta_tender0' (uniform prior): an empty range [3, 3]" <<EOF
base = "baseline";
parameters = (
  { path = "decision.beta_tender0"; prior = "uniform"; range = [3.0, 3.0]; }
);
$TG
EOF

bad log_range "log_range.cfg:3: parameter 'development.start_base' (log_uniform prior): a log-uniform range must be above 0" <<EOF
base = "baseline";
parameters = (
  { path = "development.start_base"; prior = "log_uniform"; range = [0.0, 0.1]; }
);
$TG
EOF

bad unknown_prior "unknown_prior.cfg:3: parameters[0].prior 'lognormal' is not one of uniform, log_uniform, normal, beta" <<EOF
base = "baseline";
parameters = (
  { path = "decision.beta_tender0"; prior = "lognormal"; range = [1.0, 4.0]; }
);
$TG
EOF

bad normal_sd "normal_sd.cfg:3: parameter 'decision.beta_tender0': a normal prior needs mean and sd" <<EOF
base = "baseline";
parameters = (
  { path = "decision.beta_tender0"; prior = "normal"; range = [1.0, 4.0]; }
);
$TG
EOF

bad unknown_path "unknown_path.cfg:3: parameter 'decision.beta_tendr0': unknown key 'decision.beta_tendr0' (did you mean 'decision.beta_tender0'?)" <<EOF
base = "baseline";
parameters = (
  { path = "decision.beta_tendr0"; prior = "uniform"; range = [1.0, 4.0]; }
);
$TG
EOF

bad no_outcome "no_outcome.cfg:4: targets[0].outcome 'tender_shar' is not an outcome of the comparison (did you mean 'tender_share'?)" <<EOF
base = "baseline";
$P
targets = (
  { outcome = "tender_shar"; band = [0.0, 0.1]; }
);
EOF

bad no_series "no_series.cfg:4: targets[0].outcome 'final:spnd' is not an outcome of the comparison (did you mean 'final:spend'?)" <<EOF
base = "baseline";
$P
targets = (
  { outcome = "final:spnd"; observed = 1.0; tolerance = 0.5; }
);
EOF

bad band_order "band_order.cfg:4: targets[0].band [0.2, 0.1] has min above max" <<EOF
base = "baseline";
$P
targets = (
  { outcome = "tender_share"; band = [0.2, 0.1]; }
);
EOF

bad zero_tolerance "zero_tolerance.cfg:4: targets[0].tolerance must be above 0, not 0" <<EOF
base = "baseline";
$P
targets = (
  { outcome = "switch_rate"; observed = 0.01; tolerance = 0; }
);
EOF

bad zero_budget "zero_budget.cfg:5: budget.simulations is 0: a budget of no simulations estimates nothing" <<EOF
base = "baseline";
$P
$TG
budget = {
  simulations = 0;
};
EOF

bad algorithm "algorithm.cfg:4: algorithm 'rejectoin' is not smc or rejection (did you mean 'rejection'?)" <<EOF
base = "baseline";
$P
$TG
algorithm = "rejectoin";
EOF

bad no_base "no_base.cfg:1: base: no scenario named 'baseln' (looked for baseln.cfg beside the calibration file" <<EOF
base = "baseln";
$P
$TG
EOF

# Targets measured on another scenario, or against one (docs/calibration.md).
CMP='outcome = "tc_per_spend"; scenario = "market_reform"'

bad relation_word "relation_word.cfg:4: targets[0].relation 'ratoi' is not one of difference, ratio, cost_share_of_savings (did you mean 'ratio'?)" <<EOF
base = "baseline";
$P
targets = (
  { $CMP; relative_to = "base"; relation = "ratoi"; band = [2.0, 100.0]; }
);
EOF

bad relation_alone "relation_alone.cfg:4: targets[0].relation \"ratio\" needs relative_to" <<EOF
base = "baseline";
$P
targets = (
  { $CMP; relation = "ratio"; band = [2.0, 100.0]; }
);
EOF

bad relative_alone "relative_alone.cfg:4: targets[0].relative_to needs relation" <<EOF
base = "baseline";
$P
targets = (
  { $CMP; relative_to = "base"; band = [2.0, 100.0]; }
);
EOF

bad target_key "target_key.cfg:4: unknown key 'targets[0].relativ_to' (did you mean 'targets[0].relative_to'?)" <<EOF
base = "baseline";
$P
targets = (
  { $CMP; relativ_to = "base"; band = [2.0, 100.0]; }
);
EOF

bad no_scenario "no_scenario.cfg:5: targets[0].scenario: no scenario named 'market_refrom'" <<EOF
base = "baseline";
$P
targets = (
  { outcome = "tc_per_spend"; relative_to = "base"; relation = "ratio";
    scenario = "market_refrom"; band = [2.0, 100.0]; }
);
EOF

bad no_reference "no_reference.cfg:4: targets[0].relative_to: '$T/missing.cfg' cannot be read" <<EOF
base = "baseline";
$P
targets = (
  { $CMP; relative_to = "missing.cfg"; relation = "ratio"; band = [2.0, 100.0]; }
);
EOF

bad cost_outcome "cost_outcome.cfg:4: targets[0].outcome: relation \"cost_share_of_savings\" measures tc_total and spend_year itself; give no outcome" <<EOF
base = "baseline";
$P
targets = (
  { $CMP; relative_to = "base"; relation = "cost_share_of_savings"; band = [0.33, 100.0]; }
);
EOF

bad twice "twice.cfg:5: target 'tc_per_spend [market_reform / baseline]' is given twice" <<EOF
base = "baseline";
$P
targets = (
  { $CMP; relative_to = "baseline"; relation = "ratio"; band = [2.0, 100.0]; },
  { $CMP; relative_to = "baseline"; relation = "ratio"; band = [2.0, 1000.0]; }
);
EOF

# A parameter's path must be valid in every scenario a target names.
bad path_elsewhere "path_elsewhere.cfg:7: targets[1].scenario 'teaching_small': parameter 'agencies[2].fee': cannot set agencies[2].fee" <<EOF
base = "baseline";
parameters = ( { path = "agencies[2].fee"; prior = "uniform"; range = [9000, 12000]; } );
targets = (
  { outcome = "trust"; band = [0.0, 1.0]; },
  { outcome = "trust";
    relative_to = "base"; relation = "difference";
    scenario = "teaching_small"; band = [-1.0, 1.0]; }
);
EOF

bad syntax "syntax.cfg:2: syntax error" <<EOF
base = "baseline";
particles = ;
EOF

# Usage errors.
printf 'base = "baseline";\n%s\n%s\n' "$P" "$TG" >"$T/ok.cfg"
expect 2 "no result file given (-o CAL.h5)" "$Q" calibrate "$T/ok.cfg"
expect 2 "--resume and --force contradict each other" "$Q" calibrate "$T/ok.cfg" -o "$T/cal.h5" --resume --force
expect 2 "--particle applies to --export-scenario only" "$Q" calibrate "$T/ok.cfg" -o "$T/cal.h5" --particle 3
expect 2 "--threads expects an integer in [1, 1024]" "$Q" calibrate "$T/ok.cfg" -o "$T/cal.h5" --threads 0
nothing_written
expect 1 "ok.cfg is not an HDF5 file" "$Q" calibrate "$T/ok.cfg" --export-scenario "$T/x.cfg"
no_output "$T/x.cfg"
# --dry-run checks and prints the plan, and writes nothing.
expect 0 "" "$Q" calibrate "$T/ok.cfg" --dry-run
grep -q "tender_share *band \[0, 0.1\]" "$T/out" || { echo "FAIL: plan:"; cat "$T/out"; fail=1; }
nothing_written
exit $fail
