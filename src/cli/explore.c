/* explore.c: `qmsim explore`: parses the options and starts the live
 * classroom explorer (src/explore/, docs/explore.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "explore/server.h"

/* --idle-minutes M: a positive number of minutes (fractions allowed). */
static int parse_minutes(const char *opt, const char *s, double *seconds)
{
    char *end;
    double m = s ? strtod(s, &end) : 0.0;
    if (!s || end == s || *end || !(m > 0.0) || m > 7 * 24 * 60) {
        fprintf(stderr, "qmsim explore: %s expects a number of minutes above 0 (at most a "
                        "week), got '%s'\n", opt, s ? s : "");
        return -1;
    }
    *seconds = 60.0 * m;
    return 0;
}

static int on_option(void *ctx, int id, const char *opt, const char *val, long long num)
{
    qm_xopts *o = ctx;
    switch (id) {
    case QM_O_EXPLORE_PORT: o->port = (int)num; return 0;
    case QM_O_EXPLORE_BIND:
        if (!*val) {
            fprintf(stderr, "qmsim explore: %s needs an address such as 127.0.0.1\n", opt);
            return -1;
        }
        o->bind = val;
        return 0;
    case QM_O_EXPLORE_MAX_SESSIONS: o->lim.max_sessions = (int)num; return 0;
    case QM_O_EXPLORE_MAX_MONTHS: o->lim.max_months = (int)num; return 0;
    case QM_O_EXPLORE_IDLE: return parse_minutes(opt, val, &o->lim.idle_seconds);
    case QM_O_EXPLORE_THREADS: o->threads = (int)num; return 0;
    default:
        if (o->scenario) {
            fprintf(stderr, "qmsim explore: more than one scenario given ('%s', '%s')\n",
                    o->scenario, opt);
            return -1;
        }
        o->scenario = opt;
        return 0;
    }
}

/* See cli.h.  `qmsim explore [SCENARIO.cfg] [options]`. */
int qm_cli_explore(int argc, char **argv)
{
    qm_xopts o;
    qm_xopts_default(&o);
    int a = qm_args_parse(&qm_options_explore, argc, argv, on_option, &o);
    if (a != 0) {
        if (a > 0)
            qm_args_help(&qm_options_explore, stdout);
        return a > 0 ? 0 : 2;
    }
    return qm_explore_serve(&o);
}
