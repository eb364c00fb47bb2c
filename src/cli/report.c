/* report.c: `qmsim report`: one self-contained HTML page about a run file
 * or a comparison file, with charts drawn by gnuplot (docs/analysis.md).
 * The file is read by report_read.c, the charts drawn by report_chart.c
 * and the page written by report_html.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/report.h"
#include "qmsim/outfile.h"

#define DEFAULT_MAX_EVENTS 300

/* One option or argument (qm_args_fn). */
static int on_option(void *ctx, int id, const char *opt, const char *val, long long num)
{
    rep_opts *o = ctx;
    switch (id) {
    case QM_O_REPORT_FORCE: o->force = 1; return 0;
    case QM_O_REPORT_SERIES: o->series = val; return 0;
    case QM_O_REPORT_TITLE: o->title = val; return 0;
    case QM_O_REPORT_MAX_EVENTS: o->max_events = (int)num; return 0;
    case QM_O_REPORT_OUTPUT: o->out = val; return 0;
    case QM_O_REPORT_YEARLY: o->yearly = 1; return 0;
    default: break;
    }
    if (o->in) {
        fprintf(stderr, "qmsim report: one file at a time ('%s', '%s')\n", o->in, opt);
        return -1;
    }
    o->in = opt;
    return 0;
}

/* Returns 0, 1 for --help, -1 on bad usage. */
static int parse_args(int argc, char **argv, rep_opts *o)
{
    o->max_events = DEFAULT_MAX_EVENTS;
    int a = qm_args_parse(&qm_options_report, argc, argv, on_option, o);
    if (a != 0)
        return a;
    if (!o->in) {
        fprintf(stderr, "qmsim report: no run or comparison file given\n");
        return -1;
    }
    if (!o->out) {
        fprintf(stderr, "qmsim report: -o REPORT.html is required\n");
        return -1;
    }
    return 0;
}

typedef struct {
    const rep_data *r;
    const rep_opts *o;
    char **svg;
    const size_t *len;
} run_page;

static int emit_run_page(FILE *out, const void *ctx)
{
    const run_page *p = ctx;
    return qm_report_html(out, p->r, p->o, p->svg, p->len);
}

/* 1 when path is a calibration result (its kind), else 0. */
static int is_calibration(const char *path)
{
    char err[1024];
    qm_runfile *f = qm_runfile_open(path, err, sizeof err);
    char *kind = f ? qm_runfile_attr(f, "kind") : NULL;
    int yes = kind && !strcmp(kind, "qmsim calibration");
    free(kind);
    qm_runfile_close(f);
    return yes;
}

/* See cli.h.  `qmsim report FILE.h5 -o REPORT.html`. */
int qm_cli_report(int argc, char **argv)
{
    rep_opts o = {0};
    rep_data r;
    memset(&r, 0, sizeof r);
    int a = parse_args(argc, argv, &o);
    if (a != 0) {
        if (a > 0)
            qm_args_help(&qm_options_report, stdout);
        else
            fputs(qm_options_report.brief, stderr);
        return a > 0 ? 0 : 2;
    }
    /* The destination is checked and locked before the input is read. */
    char err[4400];
    qm_outfile *of = qm_outfile_begin(o.out, o.force, err, sizeof err);
    if (!of) {
        fprintf(stderr, "qmsim report: %s\n", err);
        return 2;
    }
    qm_outfile_die_on_signals();
    if (is_calibration(o.in))
        return qm_report_cal(&o, of);
    int rc = qm_report_read(&o, &r);
    if (rc != 0) {
        qm_outfile_discard(of);
        qm_report_free(&r);
        return rc;
    }
    r.yearly_asked = o.yearly;
    r.yearly = o.yearly && r.cf.T >= 12;
    char **svg = calloc((size_t)r.cf.n_ser + 1, sizeof *svg);
    size_t *len = calloc((size_t)r.cf.n_ser + 1, sizeof *len);
    if (!svg || !len)
        rc = 1;
    else if (r.cf.n_ser > 0)
        rc = qm_report_charts(&r, svg, len);
    if (rc == 0)
    {
        run_page p = {&r, &o, svg, len};
        rc = qm_report_commit(of, emit_run_page, &p);
        if (rc == 0 && r.is_cmp)
            fprintf(stderr, "qmsim: wrote %s (a comparison of %d scenarios, %d charts%s)\n", o.out,
                    r.cf.n_scen, r.cf.n_ser, r.yearly ? " by year" : "");
        else if (rc == 0)
            fprintf(stderr, "qmsim: wrote %s (a run of %d months, %d charts%s)\n", o.out, r.cf.T,
                    r.cf.n_ser, r.yearly ? " by year" : "");
    }
    else
        qm_outfile_discard(of);
    for (int i = 0; svg && i < r.cf.n_ser; i++)
        free(svg[i]);
    free(svg);
    free(len);
    qm_report_free(&r);
    return rc;
}
