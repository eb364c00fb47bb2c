/* validate.c: `qmsim validate`: checks a scenario file, or prints it
 * resolved. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/print.h"
#include "qmsim/scenario.h"

typedef struct validate_opts {
    const char *path;
    int resolved;
} validate_opts;

static int on_option(void *ctx, int id, const char *opt, const char *val, long long num)
{
    validate_opts *o = ctx;
    (void)val, (void)num;
    if (id == QM_O_VALIDATE_RESOLVED) {
        o->resolved = 1;
        return 0;
    }
    if (o->path) {
        fprintf(stderr, "qmsim validate: unexpected argument '%s'\n", opt);
        return -1;
    }
    o->path = opt;
    return 0;
}

/* Prints the resolved text of sc.  The exit status. */
static int print_resolved(const qm_scenario *sc)
{
    char *text = qm_scenario_resolved_text(sc);
    if (!text) {
        fprintf(stderr, "qmsim validate: out of memory\n");
        return 1;
    }
    int bad = fputs(text, stdout) == EOF || fflush(stdout) != 0;
    free(text);
    if (bad) {
        fprintf(stderr, "qmsim validate: cannot write the resolved scenario\n");
        return 1;
    }
    return 0;
}

int qm_cli_validate(int argc, char **argv)
{
    validate_opts o = {0};
    int a = qm_args_parse(&qm_options_validate, argc, argv, on_option, &o);
    if (a != 0) {
        if (a > 0)
            qm_args_help(&qm_options_validate, stdout);
        return a > 0 ? 0 : 2;
    }
    if (!o.path) {
        fputs(qm_options_validate.brief, stderr);
        return 2;
    }
    qm_scenario sc;
    static qm_errors err;
    if (qm_scenario_load(o.path, NULL, 0, &sc, &err) != 0) {
        qm_print_errors(&err);
        return 2;
    }
    int rc = 0;
    if (o.resolved)
        rc = print_resolved(&sc);
    else
        printf("%s: valid scenario '%s'\n", o.path, sc.name);
    qm_scenario_free(&sc);
    return rc;
}
