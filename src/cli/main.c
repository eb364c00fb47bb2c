/* main.c: the qmsim command: dispatches to its subcommands. */
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "cli/cli.h"
#include "qmsim/version.h"

static void usage(FILE *f)
{
    fprintf(f,
            "qmsim %s: agent-based simulator of a health-care commissioning quasi-market\n"
            "\n"
            "usage: qmsim COMMAND [ARGS]\n"
            "\n"
            "commands:\n"
            "  run [SCENARIO.cfg]      run a scenario (the built-in baseline by default)\n"
            "  validate SCENARIO.cfg   check a scenario file; one line per problem\n"
            "  summary OUT.h5          key indicators of an output file\n"
            "  params [--markdown]     every scenario parameter with default and range\n"
            "  sweep SWEEP.cfg -o R.h5 run a parameter sweep (docs/sweeps.md)\n"
            "  merge R.h5 SHARD.h5...  join the shards of a sweep into one result\n"
            "  sensitivity R.h5        Sobol indices or Morris effects of a sweep\n"
            "  compare A.cfg B.cfg...  compare scenarios over replications (docs/analysis.md)\n"
            "  report OUT.h5 -o R.html a self-contained HTML report of a run or comparison\n"
            "  explore [SCENARIO.cfg]  the live classroom explorer in a web browser\n"
            "\n"
            "options:\n"
            "  -h, --help              this help; `qmsim COMMAND --help` for a command\n"
            "  -V, --version           print the version\n"
            "\n"
            "Exit status: 0 success, 1 run-time failure, 2 bad usage or bad input.\n",
            QMSIM_VERSION);
}

int main(int argc, char **argv)
{
    /* Library errors are reported through return codes, never abort(). */
    gsl_set_error_handler_off();
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("qmsim %s\n", QMSIM_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "run"))
        return qm_cli_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "validate"))
        return qm_cli_validate(argc - 1, argv + 1);
    if (!strcmp(cmd, "summary"))
        return qm_cli_summary(argc - 1, argv + 1);
    if (!strcmp(cmd, "params"))
        return qm_cli_params(argc - 1, argv + 1);
    if (!strcmp(cmd, "sweep"))
        return qm_cli_sweep(argc - 1, argv + 1);
    if (!strcmp(cmd, "merge"))
        return qm_cli_merge(argc - 1, argv + 1);
    if (!strcmp(cmd, "sensitivity"))
        return qm_cli_sensitivity(argc - 1, argv + 1);
    if (!strcmp(cmd, "compare"))
        return qm_cli_compare(argc - 1, argv + 1);
    if (!strcmp(cmd, "report"))
        return qm_cli_report(argc - 1, argv + 1);
    if (!strcmp(cmd, "explore"))
        return qm_cli_explore(argc - 1, argv + 1);
    fprintf(stderr, "qmsim: unknown command '%s' (try 'qmsim --help')\n", cmd);
    return 2;
}
