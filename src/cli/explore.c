/* explore.c: `qmsim explore`: parses the options and starts the live
 * classroom explorer (src/explore/, docs/explore.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "explore/explore.h"

static void explore_usage(FILE *f, const qm_xopts *d)
{
    fprintf(f,
            "usage: qmsim explore [SCENARIO.cfg] [options]\n"
            "\n"
            "Starts a local web server and prints the address to open: a page on which a\n"
            "class chooses a bundled scenario, moves the causes it is about, and watches the\n"
            "market, plots and story grow month by month, compares two settings with common\n"
            "random numbers, and downloads the run as the file `qmsim run` writes.  A\n"
            "SCENARIO.cfg given here is offered first, beside the bundled ones.\n"
            "\n"
            "options:\n"
            "  --port N              TCP port (default %d; 0 takes any free port)\n"
            "  --bind ADDRESS        numeric address to listen on (default %s, this\n"
            "                        computer only; 0.0.0.0 for a classroom network, which\n"
            "                        lets anyone on that network use it)\n"
            "  --max-sessions N      browser tabs served at once (default %d)\n"
            "  --max-months N        longest run a page may ask for (default %d)\n"
            "  --idle-minutes M      free a tab's run unused for M minutes (default %g)\n"
            "  --threads N           threads answering requests (default %d)\n"
            "  -h, --help            this help\n"
            "\n"
            "Stop it with Ctrl-C.  docs/explore.md describes the page and its limits.\n",
            d->port, d->bind, d->lim.max_sessions, d->lim.max_months,
            d->lim.idle_seconds / 60.0, d->threads);
}

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

/* Returns 0, 1 for --help, or -1 on bad usage (message printed). */
static int parse_args(int argc, char **argv, qm_xopts *o)
{
    long long v;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        int took = 1;
        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            return 1;
        if (!strcmp(a, "--port")) {
            if (qm_args_integer("explore", a, next, 0, 65535, &v))
                return -1;
            o->port = (int)v;
        } else if (!strcmp(a, "--bind")) {
            if (!next || !*next) {
                fprintf(stderr, "qmsim explore: --bind needs an address such as 127.0.0.1\n");
                return -1;
            }
            o->bind = next;
        } else if (!strcmp(a, "--max-sessions")) {
            if (qm_args_integer("explore", a, next, 1, 10000, &v))
                return -1;
            o->lim.max_sessions = (int)v;
        } else if (!strcmp(a, "--max-months")) {
            if (qm_args_integer("explore", a, next, 1, 6000, &v))
                return -1;
            o->lim.max_months = (int)v;
        } else if (!strcmp(a, "--idle-minutes")) {
            if (parse_minutes(a, next, &o->lim.idle_seconds))
                return -1;
        } else if (!strcmp(a, "--threads")) {
            if (qm_args_threads("explore", a, next, &o->threads))
                return -1;
        } else if (a[0] == '-') {
            fprintf(stderr, "qmsim explore: unknown option '%s' (try 'qmsim explore --help')\n", a);
            return -1;
        } else if (o->scenario) {
            fprintf(stderr, "qmsim explore: more than one scenario given ('%s', '%s')\n",
                    o->scenario, a);
            return -1;
        } else {
            o->scenario = a;
            took = 0;
        }
        i += took;
    }
    return 0;
}

/* See cli.h.  `qmsim explore [SCENARIO.cfg] [options]`. */
int qm_cli_explore(int argc, char **argv)
{
    qm_xopts o, d;
    qm_xopts_default(&o);
    qm_xopts_default(&d);
    int a = parse_args(argc, argv, &o);
    if (a != 0) {
        if (a > 0)
            explore_usage(stdout, &d);
        return a > 0 ? 0 : 2;
    }
    return qm_explore_serve(&o);
}
