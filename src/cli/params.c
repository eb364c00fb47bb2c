/* params.c: `qmsim params`: the reference of every scenario key. */
#include <stdio.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "qmsim/scenario.h"

static int on_option(void *ctx, int id, const char *opt, const char *val, long long num)
{
    (void)ctx, (void)val, (void)num;
    if (id == QM_O_PARAMS_MARKDOWN)
        return 0;   /* the reference is Markdown either way */
    fprintf(stderr, "qmsim params: unexpected argument '%s'\n", opt);
    return -1;
}

int qm_cli_params(int argc, char **argv)
{
    int a = qm_args_parse(&qm_options_params, argc, argv, on_option, NULL);
    if (a != 0) {
        if (a > 0)
            qm_args_help(&qm_options_params, stdout);
        return a > 0 ? 0 : 2;
    }
    qm_scenario_write_reference(stdout);
    return 0;
}
