/* merge.c: `qmsim merge`: joins the shards of a sweep into one result
 * (qm_merge_shards). */
#include <stdio.h>
#include <stdlib.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "qmsim/outfile.h"
#include "qmsim/runner.h"

typedef struct merge_opts {
    const char *out;
    const char **in;
    int n, force;
} merge_opts;

static int on_option(void *ctx, int id, const char *opt, const char *val, long long num)
{
    merge_opts *o = ctx;
    (void)val, (void)num;
    if (id == QM_O_MERGE_FORCE)
        o->force = 1;
    else if (!o->out)
        o->out = opt;
    else
        o->in[o->n++] = opt;
    return 0;
}

int qm_cli_merge(int argc, char **argv)
{
    merge_opts o = {NULL, calloc((size_t)argc, sizeof(char *)), 0, 0};
    char err[1024];
    long runs = 0;
    if (!o.in)
        return 1;
    int a = qm_args_parse(&qm_options_merge, argc, argv, on_option, &o);
    if (a != 0 || !o.out || o.n == 0) {
        free(o.in);
        if (a < 0)
            return 2;
        qm_args_help(&qm_options_merge, a > 0 ? stdout : stderr);
        return a > 0 ? 0 : 2;
    }
    qm_outfile_die_on_signals(); /* a merge has no graceful stop: leave nothing */
    int rc = qm_merge_shards(o.in, o.n, o.out, o.force, &runs, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "qmsim merge: %s\n", err);
    else
        fprintf(stderr, "qmsim: wrote %s (%ld runs from %d file%s)\n", o.out, runs, o.n,
                o.n == 1 ? "" : "s");
    free(o.in);
    return rc;
}
