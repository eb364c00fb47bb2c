/* options.c: the one table of the qmsim command: every subcommand with its
 * place in `qmsim --help`, its help text, and its options, from which its
 * parser and the option rows of its --help come (cli/args.c). */
#include <limits.h>
#include <stddef.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "qmsim/abc.h"
#include "qmsim/scale.h"

#define STR_(x) #x
#define STR(x) STR_(x)

#define HELP_ROW {QM_O_HELP, QM_OPT_HELP, "-h", "--help", NULL, "this help", 0, 0, NULL}
#define END_ROW {0, QM_OPT_HELP, NULL, NULL, NULL, NULL, 0, 0, NULL}

/* ---- qmsim run ---- */

static const qm_opt run_opts[] = {
    {QM_O_RUN_OUTPUT, QM_OPT_VALUE, "-o", "--output", "OUT.h5",
    "output file (default qmsim-out.h5)", 0, 0, "%s needs a file name"},
    {QM_O_RUN_SEED, QM_OPT_INT, NULL, "--seed", "N", "master seed (default: the scenario's)", 0,
    LLONG_MAX, NULL},
    {QM_O_RUN_REPLICATE, QM_OPT_INT, NULL, "--replicate", "R",
    "replicate number, 0-based (default 0)", 0, LLONG_MAX, NULL},
    {QM_O_RUN_MONTHS, QM_OPT_INT, NULL, "--months", "N",
    "horizon in months (default: the scenario's)", 1, 6000, NULL},
    {QM_O_RUN_THREADS, QM_OPT_INT, NULL, "--threads", "N",
    "threads for the model and the output writer\n"
    "(default 1; a small state's model uses fewer;\n"
    "results do not depend on it)", 1, 1024, NULL},
    {QM_O_RUN_SET, QM_OPT_VALUE, NULL, "--set", "path.key=value",
    "override a scenario key (repeatable)", 0, 0, NULL},
    {QM_O_RUN_SCALE, QM_OPT_INT, NULL, "--scale", "K",
    "K times the commissioners, providers, agencies and\n"
    "entrant slots (1 to " STR(QM_SCALE_MAX) "; for scaling studies; the\n"
    "output records the scaled scenario)", 1, QM_SCALE_MAX, NULL},
    {QM_O_RUN_FORCE, QM_OPT_FLAG, NULL, "--force", NULL, "overwrite an existing output file", 0,
    0, NULL},
    {QM_O_RUN_MAX_MEMORY, QM_OPT_VALUE, NULL, "--max-memory", "SIZE",
    "refuse a scenario that would need more memory\n"
    "(bytes, or with a K, M, G or T suffix; default:\n"
    "half of this machine's RAM)", 0, 0, NULL},
    {QM_O_RUN_CHECK, QM_OPT_FLAG, NULL, "--check", NULL,
    "check the invariants (money, bounds, finite values)\n"
    "every month and stop at the first broken one", 0, 0, NULL},
    {QM_O_RUN_NARRATE, QM_OPT_FLAG, NULL, "--narrate", NULL,
    "tell the story month by month on stdout", 0, 0, NULL},
    {QM_O_RUN_NARRATE_FILTER, QM_OPT_VALUE, NULL, "--narrate-filter", "NAME",
    "only the story of one commissioner, provider or service", 0, 0, "%s needs a name"},
    {QM_O_RUN_QUIET, QM_OPT_FLAG, "-q", "--quiet", NULL, "no progress bar and no closing line",
    0, 0, NULL},
    HELP_ROW,
    END_ROW};

/* ---- qmsim validate, qmsim params ---- */

static const qm_opt validate_opts[] = {
    {QM_O_VALIDATE_RESOLVED, QM_OPT_FLAG, NULL, "--resolved", NULL,
    "when valid, print the resolved scenario instead of the\n"
    "one-line verdict: the same libconfig format with every\n"
    "key written out and every default filled in (what a\n"
    "run stores as scenario_resolved)", 0, 0, NULL},
    HELP_ROW,
    END_ROW};

static const qm_opt params_opts[] = {
    {QM_O_PARAMS_MARKDOWN, QM_OPT_FLAG, NULL, "--markdown", NULL, NULL, 0, 0, NULL},
    {QM_O_HELP, QM_OPT_HELP, "-h", "--help", NULL, NULL, 0, 0, NULL},
    END_ROW};

/* ---- qmsim summary ---- */

#define SUMMARY_USAGE "usage: qmsim summary FILE.h5 [--all] [--format text|json]"

static const qm_opt summary_opts[] = {
    {QM_O_SUMMARY_FORMAT, QM_OPT_VALUE, NULL, "--format", "text", "an aligned table (default)", 0,
    0, "unknown or incomplete option %s\n" SUMMARY_USAGE},
    {QM_O_SUMMARY_FORMAT, QM_OPT_DOC, NULL, "--format", "json",
    "one JSON object: raw numbers, each with its unit", 0, 0, NULL},
    {QM_O_SUMMARY_ALL, QM_OPT_FLAG, NULL, "--all", NULL,
    "every series of the run: total or mean, min, max, final", 0, 0, NULL},
    {QM_O_HELP, QM_OPT_HELP, "-h", "--help", NULL, "this help", 0, 0, NULL},
    END_ROW};

/* ---- qmsim sweep, qmsim merge, qmsim sensitivity ---- */

static const qm_opt sweep_opts[] = {
    {QM_O_SWEEP_OUTPUT, QM_OPT_VALUE, "-o", "--output", "RESULT.h5", "result file (required)", 0,
    0, "%s needs a file name"},
    {QM_O_SWEEP_THREADS, QM_OPT_INT, NULL, "--threads", "N",
    "runs at once, one thread each (default 1)", 1, 1024, NULL},
    {QM_O_SWEEP_RESUME, QM_OPT_FLAG, NULL, "--resume", NULL,
    "finish an interrupted sweep from its journal", 0, 0, NULL},
    {QM_O_SWEEP_SHARD, QM_OPT_VALUE, NULL, "--shard", "I/N",
    "run only share I of N (0 <= I < N); join the\n"
    "shards with `qmsim merge`", 0, 0, NULL},
    {QM_O_SWEEP_FORCE, QM_OPT_FLAG, NULL, "--force", NULL,
    "replace an existing result or journal", 0, 0, NULL},
    {QM_O_SWEEP_DRY_RUN, QM_OPT_FLAG, NULL, "--dry-run", NULL,
    "check the sweep file and print its size only", 0, 0, NULL},
    {QM_O_SWEEP_QUIET, QM_OPT_FLAG, "-q", "--quiet", NULL, "no progress bar and no closing line",
    0, 0, NULL},
    HELP_ROW,
    END_ROW};

static const qm_opt merge_opts[] = {
    {QM_O_MERGE_FORCE, QM_OPT_FLAG, NULL, "--force", NULL, "replace an existing RESULT.h5", 0, 0,
    NULL},
    HELP_ROW,
    END_ROW};

#define SENSITIVITY_USAGE \
    "usage: qmsim sensitivity RESULT.h5 [--format text|json] [--bootstrap N] [--level L]"

static const qm_opt sensitivity_opts[] = {
    {QM_O_SENS_FORMAT, QM_OPT_VALUE, NULL, "--format", "text|json",
    "an aligned table (default) or one JSON object", 0, 0, NULL},
    {QM_O_SENS_BOOTSTRAP, QM_OPT_VALUE, NULL, "--bootstrap", "N",
    "bootstrap resamples (default 1000; 0 for none)", 0, 0, NULL},
    {QM_O_SENS_LEVEL, QM_OPT_VALUE, NULL, "--level", "L",
    "interval coverage in (0, 1) (default 0.95)", 0, 0, NULL},
    HELP_ROW,
    END_ROW};

/* ---- qmsim calibrate ---- */

static const qm_opt calibrate_opts[] = {
    {QM_O_CAL_OUTPUT, QM_OPT_VALUE, "-o", "--output", "CAL.h5", "result file (required)", 0, 0,
    "%s needs a file name"},
    {QM_O_CAL_THREADS, QM_OPT_INT, NULL, "--threads", "N",
    "simulations at once, one thread each (default 1;\n"
    "the result does not depend on it)", 1, 1024, NULL},
    {QM_O_CAL_RESUME, QM_OPT_FLAG, NULL, "--resume", NULL,
    "finish an interrupted calibration from its journal", 0, 0, NULL},
    {QM_O_CAL_FORCE, QM_OPT_FLAG, NULL, "--force", NULL,
    "replace an existing result, journal or scenario", 0, 0, NULL},
    {QM_O_CAL_DRY_RUN, QM_OPT_FLAG, NULL, "--dry-run", NULL,
    "check the calibration file and print its plan only", 0, 0, NULL},
    {QM_O_CAL_EXPORT, QM_OPT_VALUE, NULL, "--export-scenario", "OUT.cfg",
    "with a result CAL.h5 as the argument: write the\n"
    "scenario at the posterior median (or --particle N)", 0, 0, "%s needs a file name"},
    {QM_O_CAL_PARTICLE, QM_OPT_INT, NULL, "--particle", "N",
    "with --export-scenario: particle N (0-based) of the\n"
    "last generation instead of the median", 0, QM_ABC_MAX_PARTICLES - 1, NULL},
    {QM_O_CAL_QUIET, QM_OPT_FLAG, "-q", "--quiet", NULL, "no progress line and no closing lines",
    0, 0, NULL},
    HELP_ROW,
    END_ROW};

/* ---- qmsim compare ---- */

#define NEEDS_VALUE "%s needs a value"

static const qm_opt compare_opts[] = {
    {QM_O_CMP_REPLICATIONS, QM_OPT_INT, "-r", "--replications", "R",
    "runs of each scenario (required with scenario files)", 1, 1000000, NULL},
    {QM_O_CMP_SEED, QM_OPT_INT, NULL, "--seed", "N",
    "master seed of every run (default: the first scenario's)", 0, LLONG_MAX, NULL},
    {QM_O_CMP_MONTHS, QM_OPT_INT, NULL, "--months", "N", "horizon of every scenario", 1, 6000,
    NULL},
    {QM_O_CMP_SET, QM_OPT_VALUE, NULL, "--set", "path.key=value",
    "override a key in every scenario (repeatable)", 0, 0, NULL},
    {QM_O_CMP_OUTCOMES, QM_OPT_VALUE, NULL, "--outcomes", "LIST",
    "comma-separated: key outcomes (tender_share, switch_rate,\n"
    "tc_per_spend, trust, quality, unmet_share, agency_fees,\n"
    "dependency, developments, spend_year, tc_total, net_cost:\n"
    "the default, with the net benefit of each scenario against\n"
    "the first; launch_months, stalled_share when named)\n"
    "or REDUCE:SERIES (mean, sum, final, min, max of a series);\n"
    "with --from-sweep, the sweep's outcome columns", 0, 0, NEEDS_VALUE},
    {QM_O_CMP_FROM_FILES, QM_OPT_FLAG, NULL, "--from-files", NULL,
    "the arguments are run files: NAME=F1,F2,... is one\n"
    "scenario of several runs; a plain file joins the runs\n"
    "with its scenario_name", 0, 0, NULL},
    {QM_O_CMP_FROM_SWEEP, QM_OPT_VALUE, NULL, "--from-sweep", "R.h5",
    "compare the design points of a sweep result", 0, 0, NEEDS_VALUE},
    {QM_O_CMP_POINTS, QM_OPT_VALUE, NULL, "--points", "LIST",
    "with --from-sweep: the design points (default all)", 0, 0, NEEDS_VALUE},
    {QM_O_CMP_FORMAT, QM_OPT_VALUE, NULL, "--format", "text|csv|json",
    "output format (default text)", 0, 0, NEEDS_VALUE},
    {QM_O_CMP_LEVEL, QM_OPT_VALUE, NULL, "--level", "L",
    "interval coverage in (0, 1) (default 0.95)", 0, 0, NULL},
    {QM_O_CMP_OUTPUT, QM_OPT_VALUE, "-o", "--output", "CMP.h5",
    "also write the comparison (runs, summary, series across\n"
    "replications) for `qmsim report`", 0, 0, NEEDS_VALUE},
    {QM_O_CMP_SERIES, QM_OPT_VALUE, NULL, "--series", "LIST|all",
    "series kept in CMP.h5 (default: the main series)", 0, 0, NEEDS_VALUE},
    {QM_O_CMP_FORCE, QM_OPT_FLAG, NULL, "--force", NULL, "replace an existing CMP.h5", 0, 0,
    NULL},
    {QM_O_CMP_THREADS, QM_OPT_INT, NULL, "--threads", "N",
    "runs at once, one thread each (default 1)", 1, 1024, NULL},
    {QM_O_CMP_POSTERIOR, QM_OPT_VALUE, NULL, "--posterior", "CAL.h5",
    "replicate r of every scenario takes the parameters of\n"
    "a particle drawn from this calibration's posterior\n"
    "(`qmsim calibrate`), so that differences carry\n"
    "parameter uncertainty as well as noise", 0, 0, NEEDS_VALUE},
    {QM_O_CMP_QUIET, QM_OPT_FLAG, "-q", "--quiet", NULL, "no progress bar", 0, 0, NULL},
    HELP_ROW,
    END_ROW};

/* ---- qmsim report ---- */

static const qm_opt report_opts[] = {
    {QM_O_REPORT_OUTPUT, QM_OPT_VALUE, "-o", "--output", "R.html",
    "the report (required); written whole or not at all", 0, 0, NEEDS_VALUE},
    {QM_O_REPORT_SERIES, QM_OPT_VALUE, NULL, "--series", "LIST",
    "comma-separated series to chart (default: the main\n"
    "series of the file)", 0, 0, NEEDS_VALUE},
    {QM_O_REPORT_TITLE, QM_OPT_VALUE, NULL, "--title", "TEXT", "the page's title", 0, 0,
    NEEDS_VALUE},
    {QM_O_REPORT_MAX_EVENTS, QM_OPT_INT, NULL, "--max-events", "N",
    "notable events listed for a run (default 300)", 0, 1000000, NEEDS_VALUE},
    {QM_O_REPORT_YEARLY, QM_OPT_FLAG, NULL, "--yearly", NULL,
    "chart by year of the run rather than month by month:\n"
    "flows (tenders, switches, spend) as yearly totals,\n"
    "levels as yearly means; whole years only, no bands", 0, 0, NULL},
    {QM_O_REPORT_FORCE, QM_OPT_FLAG, NULL, "--force", NULL, "replace an existing report", 0, 0,
    NULL},
    HELP_ROW,
    END_ROW};

/* ---- qmsim explore ---- */

/* The defaults below are qm_xopts_default's (src/explore/server.c) and
 * qm_xlimits_default's (src/explore/request.c); tests/cli/help_texts.sh
 * holds the text. */
static const qm_opt explore_opts[] = {
    {QM_O_EXPLORE_PORT, QM_OPT_INT, NULL, "--port", "N",
    "TCP port (default 8080; 0 takes any free port)", 0, 65535, NULL},
    {QM_O_EXPLORE_BIND, QM_OPT_VALUE, NULL, "--bind", "ADDRESS",
    "numeric address to listen on (default 127.0.0.1, this\n"
    "computer only; 0.0.0.0 for a classroom network, which\n"
    "lets anyone on that network use it)", 0, 0, "%s needs an address such as 127.0.0.1"},
    {QM_O_EXPLORE_MAX_SESSIONS, QM_OPT_INT, NULL, "--max-sessions", "N",
    "browser tabs served at once (default 64)", 1, 10000, NULL},
    {QM_O_EXPLORE_MAX_MONTHS, QM_OPT_INT, NULL, "--max-months", "N",
    "longest run a page may ask for (default 600)", 1, 6000, NULL},
    {QM_O_EXPLORE_IDLE, QM_OPT_VALUE, NULL, "--idle-minutes", "M",
    "free a tab's run unused for M minutes (default 15)", 0, 0, NULL},
    {QM_O_EXPLORE_THREADS, QM_OPT_INT, NULL, "--threads", "N",
    "threads answering requests (default 4)", 1, 1024, NULL},
    HELP_ROW,
    END_ROW};

/* ---- The commands, in the order of `qmsim --help` ---- */

const qm_cmd qm_options_run = {
    "run", "run [SCENARIO.cfg]", "run a scenario (the built-in baseline by default)",
    qm_cli_run,
    "usage: qmsim run [SCENARIO.cfg] [options]\n"
    "\n"
    "Runs a scenario (the built-in baseline when none is given) and writes its\n"
    "time series to HDF5.  The file is written under a temporary name beside\n"
    "OUT.h5 and renamed only when the run completes (docs/reliability.md).\n"
    "\n"
    "options:\n",
    23, run_opts, NULL, NULL, "unknown option '%s' (try 'qmsim run --help')", 0};

const qm_cmd qm_options_validate = {
    "validate", "validate SCENARIO.cfg", "check a scenario file; one line per problem",
    qm_cli_validate,
    "usage: qmsim validate SCENARIO.cfg [--resolved]\n"
    "\n"
    "Checks a scenario file.  Exit 0 when valid; otherwise exit 2 and\n"
    "print one line per problem as FILE:LINE: message.\n"
    "\n",
    12, validate_opts, NULL, "usage: qmsim validate SCENARIO.cfg [--resolved]\n",
    "unexpected argument '%s'", 0};

const qm_cmd qm_options_summary = {
    "summary", "summary FILE.h5", "what happened in a run (or a comparison), in units",
    qm_cli_summary,
    SUMMARY_USAGE "\n"
    "\n"
    "What happened in a run, on one screen: the key outcomes of a comparison\n"
    "in their units, the first and the last year side by side, the main\n"
    "series a year, and the notable events counted.  A comparison file\n"
    "(qmsim compare -o) is summarised as the comparison; a sweep file is read\n"
    "by qmsim sensitivity and qmsim compare --from-sweep.\n"
    "\n",
    15, summary_opts, NULL, SUMMARY_USAGE "\n", "unknown or incomplete option %s\n" SUMMARY_USAGE,
    QM_CMD_DASH_ARG | QM_CMD_EQUALS};

const qm_cmd qm_options_params = {
    "params", "params [--markdown]", "every scenario parameter with default and range",
    qm_cli_params,
    "usage: qmsim params [--markdown]\n"
    "\n"
    "Prints the reference of every scenario key: type, default, range,\n"
    "unit and meaning (the body of docs/scenarios.md).\n",
    0, params_opts, NULL, NULL, "unexpected argument '%s'", 0};

const qm_cmd qm_options_sweep = {
    "sweep", "sweep SWEEP.cfg -o R.h5", "run a parameter sweep (docs/sweeps.md)",
    qm_cli_sweep,
    "usage: qmsim sweep SWEEP.cfg -o RESULT.h5 [options]\n"
    "\n"
    "Runs every run of a sweep file's design (docs/sweeps.md) and writes one\n"
    "HDF5 result.  Completed runs go to RESULT.h5.journal as they finish, so\n"
    "an interrupted sweep can be finished with --resume.\n"
    "\n"
    "options:\n",
    23, sweep_opts,
    "\n"
    "Built with -DQMSIM_MPI=ON, `mpirun -np N qmsim sweep ...` spreads the runs\n"
    "over ranks (docs/clusters.md).\n",
    NULL, "unknown option '%s' (try 'qmsim sweep --help')", 0};

const qm_cmd qm_options_merge = {
    "merge", "merge R.h5 SHARD.h5...", "join the shards of a sweep into one result",
    qm_cli_merge,
    "usage: qmsim merge RESULT.h5 SHARD.h5... [--force]\n"
    "\n"
    "Joins the shard files of one sweep (`qmsim sweep --shard I/N`) into the\n"
    "result an unsharded sweep gives.  Every run must be in some shard.\n"
    "\n",
    13, merge_opts, NULL, NULL, "unknown option '%s'", 0};

const qm_cmd qm_options_sensitivity = {
    "sensitivity", "sensitivity R.h5", "Sobol indices or Morris effects of a sweep",
    qm_cli_sensitivity,
    SENSITIVITY_USAGE "\n"
    "\n"
    "Sensitivity of every outcome of a sweep result to its factors:\n"
    "  sobol sweep:  first-order (S1, Saltelli 2010) and total (ST, Jansen 1999)\n"
    "                Sobol indices with percentile bootstrap intervals;\n"
    "  morris sweep: Morris mu, mu* (mean absolute elementary effect, with a\n"
    "                bootstrap interval) and sigma, per unit of each factor's range.\n"
    "Outcomes are averaged over replications at each design point first.\n"
    "When a Sobol interval is wider than 0.1, a warning says how many samples\n"
    "would narrow every interval to 0.1 (widths shrink as 1/sqrt(N);\n"
    "docs/sweeps.md).\n"
    "\n",
    19, sensitivity_opts, NULL, SENSITIVITY_USAGE "\n",
    "unexpected argument '%s'\n" SENSITIVITY_USAGE, 0};

const qm_cmd qm_options_calibrate = {
    "calibrate", "calibrate C.cfg -o C.h5", "fit a scenario to targets by ABC (docs/calibration.md)",
    qm_cli_calibrate,
    "usage: qmsim calibrate CAL.cfg -o CAL.h5 [options]\n"
    "       qmsim calibrate CAL.h5 --export-scenario OUT.cfg [--particle N]\n"
    "\n"
    "Estimates the parameters of a calibration file (docs/calibration.md) by\n"
    "approximate Bayesian computation: ABC-SMC with adaptive tolerances, or\n"
    "rejection over a Latin hypercube, against targets that are outcomes of the\n"
    "comparison (an observed value with its tolerance, or a band).  Simulations go\n"
    "to CAL.h5.journal as they finish, so an interrupted calibration can be\n"
    "finished with --resume; the result is the same whatever the thread count.\n"
    "\n"
    "options:\n",
    27, calibrate_opts,
    "\n"
    "Built with -DQMSIM_MPI=ON, `mpirun -np N qmsim calibrate ...` spreads the\n"
    "simulations over ranks (docs/clusters.md).\n",
    "usage: qmsim calibrate CAL.cfg -o CAL.h5 [options]\n",
    "unknown option '%s' (try 'qmsim calibrate --help')", 0};

const qm_cmd qm_options_compare = {
    "compare", "compare A.cfg B.cfg...", "compare scenarios over replications (docs/analysis.md)",
    qm_cli_compare,
    "usage: qmsim compare A.cfg B.cfg [C.cfg ...] --replications R [options]\n"
    "       qmsim compare --from-files [NAME=]A.h5[,A2.h5...] B.h5 ... [options]\n"
    "       qmsim compare --from-sweep RESULT.h5 [--points P,Q,...] [options]\n"
    "\n"
    "Compares scenarios over replications.  Replicate r of every scenario uses\n"
    "the same master seed and replicate number (common random numbers), so\n"
    "differences are paired run for run.  For every outcome it prints each\n"
    "scenario's mean with a confidence interval (t distribution) and the paired\n"
    "difference to the first scenario with its interval; a difference whose\n"
    "interval includes 0 is marked n.s. (docs/analysis.md).\n"
    "\n"
    "options:\n",
    22, compare_opts, NULL, "usage: qmsim compare A.cfg B.cfg ... --replications R [options]\n",
    "unknown option '%s' (try 'qmsim compare --help')", QM_CMD_DASH_ARG};

const qm_cmd qm_options_report = {
    "report", "report OUT.h5 -o R.html", "a self-contained HTML report of a run or comparison",
    qm_cli_report,
    "usage: qmsim report FILE.h5 -o REPORT.html [options]\n"
    "\n"
    "Writes one self-contained HTML page (no network needed to open it) about a\n"
    "run file (`qmsim run -o`) or a comparison file (`qmsim compare -o`): the\n"
    "scenario and its key parameters, the key outcomes, charts of the main series\n"
    "over time (a band of 95% of the replications around each scenario's mean in\n"
    "a comparison) and the notable events.  The charts are drawn by gnuplot\n"
    "(Debian: gnuplot-nox), found on PATH or named by $QMSIM_GNUPLOT.\n"
    "\n"
    "options:\n",
    21, report_opts, NULL, "usage: qmsim report FILE.h5 -o REPORT.html [options]\n",
    "unknown option '%s' (try 'qmsim report --help')", QM_CMD_DASH_ARG};

const qm_cmd qm_options_explore = {
    "explore", "explore [SCENARIO.cfg]", "the live classroom explorer in a web browser",
    qm_cli_explore,
    "usage: qmsim explore [SCENARIO.cfg] [options]\n"
    "\n"
    "Starts a local web server and prints the address to open: a page on which a\n"
    "class chooses a bundled scenario, moves the causes it is about, and watches the\n"
    "market, plots and story grow month by month, compares two settings with common\n"
    "random numbers, and downloads the run as the file `qmsim run` writes.  A\n"
    "SCENARIO.cfg given here is offered first, beside the bundled ones.\n"
    "\n"
    "options:\n",
    21, explore_opts,
    "\n"
    "Stop it with Ctrl-C.  docs/explore.md describes the page and its limits.\n",
    NULL, "unknown option '%s' (try 'qmsim explore --help')", 0};

const qm_cmd *const qm_options_commands[] = {
    &qm_options_run, &qm_options_validate, &qm_options_summary, &qm_options_params,
    &qm_options_sweep, &qm_options_merge, &qm_options_sensitivity, &qm_options_calibrate,
    &qm_options_compare,
    &qm_options_report, &qm_options_explore, NULL};

/* ---- qmsim itself ---- */

static const qm_opt main_opts[] = {
    {QM_O_HELP, QM_OPT_HELP, "-h", "--help", NULL,
    "this help; `qmsim COMMAND --help` for a command", 0, 0, NULL},
    {1, QM_OPT_FLAG, "-V", "--version", NULL, "print the version", 0, 0, NULL},
    END_ROW};

const qm_cmd qm_options_main = {
    "qmsim", NULL, NULL, NULL,
    "qmsim %s: agent-based simulator of a health-care commissioning quasi-market\n"
    "\n"
    "usage: qmsim COMMAND [ARGS]\n"
    "\n"
    "commands:\n",
    23, main_opts,
    "\n"
    "Exit status, the same for every command: 0 success; 2 bad usage or bad\n"
    "input (an unknown command or option, a bad value, an input file that is\n"
    "missing, not HDF5, of the wrong kind, incomplete or damaged, a scenario\n"
    "with problems, a destination that cannot be written), with one message:\n"
    "\"qmsim COMMAND: unknown option 'X' (did you mean 'Y'?); see 'qmsim\n"
    "COMMAND --help'\"; 1 a failure while working (a run that fails, a disk\n"
    "that fills up, a file that cannot be finished).\n",
    NULL, "unknown command '%s' (try 'qmsim --help')", 0};
