/* summary.c: `qmsim summary`: what happened in a run, on one screen: the
 * key outcomes a comparison uses (docs/analysis.md) in their units, the
 * first and the last year side by side, the main series a year, and the
 * notable events counted; --all the whole table of series; JSON keeps raw
 * numbers and names each unit.  A comparison file is summarised as the
 * comparison; a sweep file is pointed to the commands that read it. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/print.h"
#include "qmsim/comparison.h"
#include "qmsim/json.h"
#include "qmsim/meta.h"

typedef struct summary_opts {
    const char *path, *format;
    int all;
} summary_opts;

/* What is printed about a run file. */
typedef struct summary {
    char *scenario, *version;    /* malloc'd */
    uint64_t seed, replicate;
    int months;
    double *ser;                 /* QM_S_N x months (qm_runfile_series) */
    double events[QM_EV_N];      /* counts by type */
} summary;

/* Months [t0, t0 + n) of the run: the first year, the last, the whole. */
typedef struct span {
    int t0, n;
} span;

/* ---- Reading ---- */

/* Why a file of another kind is not summarised, and what reads it.
 * Returns 2 (a usage error: the wrong file for this command). */
static int wrong_kind(const char *path, const char *kind)
{
    if (strstr(kind, "sweep"))
        fprintf(stderr, "qmsim summary: %s is a sweep result file (qmsim sweep); summarise it "
                        "with `qmsim sensitivity %s`, or compare its design points with "
                        "`qmsim compare --from-sweep %s`\n", path, path, path);
    else if (strstr(kind, "calibration"))
        fprintf(stderr, "qmsim summary: %s is a calibration file (qmsim calibrate); "
                        "`qmsim report %s` shows it\n", path, path);
    else
        fprintf(stderr, "qmsim summary: %s is a '%s' file; qmsim summary reads run files "
                        "(qmsim run) and comparison files (qmsim compare -o)\n", path, kind);
    return 2;
}

/* Reads the run file f (named path in messages) into sum.  0, or 1 with a
 * message on stderr. */
static int read_run(const qm_runfile *f, const char *path, summary *sum)
{
    uint64_t complete = 0;
    if (!qm_runfile_has_group(f, "series")) {
        fprintf(stderr, "qmsim summary: %s is not a qmsim output file (no /series)\n", path);
        return 1;
    }
    if (qm_runfile_u64(f, "complete", &complete) < 0 || complete != 1) {
        fprintf(stderr, "qmsim summary: %s is incomplete (the run did not finish)\n", path);
        return 1;
    }
    sum->scenario = qm_runfile_attr(f, "scenario_name");
    sum->version = qm_runfile_attr(f, "qmsim_version");
    qm_runfile_u64(f, "seed", &sum->seed);
    qm_runfile_u64(f, "replicate", &sum->replicate);
    sum->ser = qm_runfile_series(f, &sum->months);
    if (!sum->ser) {
        fprintf(stderr, "qmsim summary: cannot read the series of %s\n", path);
        return 1;
    }
    int n = 0;
    qm_event *ev = qm_runfile_events(f, &n);
    for (int i = 0; i < n; i++)
        if (ev[i].type >= 0 && ev[i].type < QM_EV_N)
            sum->events[ev[i].type] += 1.0;
    free(ev);
    return 0;
}

/* ---- Numbers ---- */

/* Series k over span s, aggregated as its metadata says (flows summed,
 * stocks averaged). */
static double aggregate(const summary *sum, int k, span s)
{
    const qm_meta *m = qm_meta_get(qm_series_defs[k].name);
    double x = 0.0;
    for (int t = s.t0; t < s.t0 + s.n; t++)
        x += sum->ser[(size_t)k * (size_t)sum->months + (size_t)t];
    return m->agg == QM_AGG_SUM ? x : x / s.n;
}

/* Key outcome q over span s. */
static double outcome(const summary *sum, int q, span s)
{
    qm_cmp_outcome o;
    memset(&o, 0, sizeof o);
    o.key = q;
    o.series = o.column = -1;
    return qm_outcomes_eval(&o, sum->ser + s.t0, (size_t)sum->months, s.n);
}

/* The spans printed: the first year and the last (the whole run when it is
 * no longer than a year), and the whole run.  Returns how many columns
 * come before the whole run (0 or 2). */
static int spans(const summary *sum, span sp[3])
{
    int y = sum->months < 12 ? sum->months : 12;
    sp[0] = (span){0, y};
    sp[1] = (span){sum->months - y, y};
    sp[2] = (span){0, sum->months};
    return sum->months > 12 ? 2 : 0;
}

/* ---- Text ---- */

static void header(const summary *sum, const char *path)
{
    printf("%s: scenario '%s', seed %llu, replicate %llu, %d months (%.1f years), "
           "written by qmsim %s\n", path, sum->scenario ? sum->scenario : "?",
           (unsigned long long)sum->seed, (unsigned long long)sum->replicate, sum->months,
           sum->months / 12.0, sum->version ? sum->version : "?");
}

static void row_start(const char *label)
{
    printf("  %-44.44s", label);
}

/* One row: label, then the values of the columns. */
static void row(const char *label, const qm_meta *m, const double *v, int n, int sign)
{
    char buf[64];
    row_start(label);
    for (int i = 0; i < n; i++)
        printf(" %14s", qm_print_value(v[i], m, sign, buf, sizeof buf));
    putchar('\n');
}

static void print_key(const summary *sum)
{
    span sp[3];
    int c = spans(sum, sp);
    const char *cols[3] = {"first year", "last year", "whole run"};
    printf("\n%-46s", "Key outcomes");
    for (int i = 2 - c; i < 3; i++)
        printf(" %14s", cols[i]);
    putchar('\n');
    for (int q = 0; q < QM_KO_N; q++) {
        const char *name = qm_outcomes_key_defs[q].name;
        const qm_meta *m = qm_meta_outcome(name);
        double v[3];
        for (int i = 0; i < 3; i++)
            v[i] = outcome(sum, q, sp[i]);
        row(m ? m->label : name, m, v + 2 - c, c + 1, 0);
    }
    printf("\n%-46s", "A year (flows summed, levels averaged)");
    for (int i = 2 - c; i < 2; i++)
        printf(" %14s", cols[i]);
    printf(" %14s\n", c ? "change" : "whole run");
    for (int i = 0; i < qm_outcomes_main_series_n; i++) {
        int k = qm_outcomes_main_series[i];
        const qm_meta *m = qm_meta_get(qm_series_defs[k].name);
        double v[2] = {aggregate(sum, k, sp[0]), aggregate(sum, k, sp[1])};
        char label[128];
        snprintf(label, sizeof label, "%s%s", m->label[0] ? m->label : qm_series_defs[k].name,
                 m->time == QM_TIME_STOCK && m->kind != QM_KIND_INDEX ? " (mean)" : "");
        if (!c) {
            row(label, m, v, 1, 0);
            continue;
        }
        char buf[64];
        row_start(label);
        printf(" %14s", qm_print_value(v[0], m, 0, buf, sizeof buf));
        printf(" %14s", qm_print_value(v[1], m, 0, buf, sizeof buf));
        printf(" %14s\n", qm_print_value(v[1] - v[0], m, 1, buf, sizeof buf));
    }
}

static void print_events(const summary *sum)
{
    int col = 0;
    printf("\nEvents over the run");
    for (int e = 0; e < QM_EV_N; e++) {
        if (sum->events[e] <= 0.0)
            continue;
        char item[64];
        int len = snprintf(item, sizeof item, "%s %.0f", qm_event_names[e], sum->events[e]);
        if (col == 0 || col + len + 2 > 78) {
            printf("\n  %s", item);
            col = 2 + len;
        } else {
            printf(", %s", item);
            col += len + 2;
        }
    }
    printf("%s\n", col ? "" : "\n  none");
}

/* The whole table: every series with its unit, the run's aggregate (a
 * total for a flow, a mean for a level), least, largest and final value. */
static void print_all(const summary *sum)
{
    span whole = {0, sum->months};
    printf("\n%-34s %-12s %14s %14s %14s %14s\n", "series", "unit", "total or mean", "min",
           "max", "final");
    for (int k = 0; k < QM_S_N; k++) {
        const qm_meta *m = qm_meta_get(qm_series_defs[k].name);
        const double *v = sum->ser + (size_t)k * (size_t)sum->months;
        qm_stats_summary s;
        char b[4][64], agg[80];
        qm_stats_summarise(v, (size_t)sum->months, &s);
        snprintf(agg, sizeof agg, "%s %s", m->agg == QM_AGG_SUM ? "total" : "mean",
                 qm_print_value(aggregate(sum, k, whole), m, 0, b[0], sizeof b[0]));
        printf("%-34s %-12.12s %14s %14s %14s %14s\n", qm_series_defs[k].name,
               qm_print_unit(m), agg, qm_print_value(s.min, m, 0, b[1], sizeof b[1]),
               qm_print_value(s.max, m, 0, b[2], sizeof b[2]),
               qm_print_value(s.final, m, 0, b[3], sizeof b[3]));
    }
}

static void print_text(const summary *sum, const char *path, int all)
{
    header(sum, path);
    if (all) {
        print_all(sum);
        return;
    }
    print_key(sum);
    print_events(sum);
    printf("\nEvery series: qmsim summary %s --all (their meanings: docs/output.md)\n", path);
}

/* ---- JSON ---- */

static void json_meta(const qm_meta *m)
{
    fputs("\"unit\": ", stdout);
    qm_json_str(stdout, m->unit);
    printf(", \"kind\": \"%s\", \"time\": \"%s\", \"label\": ", qm_meta_kind_name(m->kind),
           m->time == QM_TIME_STOCK ? "stock" : "flow");
    qm_json_str(stdout, m->label);
}

static void json_series(const summary *sum)
{
    for (int k = 0; k < QM_S_N; k++) {
        qm_stats_summary s;
        const qm_meta *m = qm_meta_get(qm_series_defs[k].name);
        qm_stats_summarise(sum->ser + (size_t)k * (size_t)sum->months, (size_t)sum->months, &s);
        const char *keys[5] = {"total", "mean", "min", "max", "final"};
        double vals[5] = {s.total, s.mean, s.min, s.max, s.final};
        fputs(k ? ",\n  " : "\n  ", stdout);
        qm_json_str(stdout, qm_series_defs[k].name);
        fputs(": {", stdout);
        json_meta(m);
        for (int i = 0; i < 5; i++) {
            printf(", \"%s\": ", keys[i]);
            qm_json_num(stdout, vals[i]);
        }
        putchar('}');
    }
}

static void json_key(const summary *sum)
{
    span sp[3];
    spans(sum, sp);
    const char *keys[3] = {"first_year", "last_year", "whole_run"};
    for (int q = 0; q < QM_KO_N; q++) {
        const char *name = qm_outcomes_key_defs[q].name;
        fputs(q ? ",\n  " : "\n  ", stdout);
        qm_json_str(stdout, name);
        fputs(": {", stdout);
        json_meta(qm_meta_outcome(name) ? qm_meta_outcome(name) : qm_meta_get(name));
        for (int i = 0; i < 3; i++) {
            printf(", \"%s\": ", keys[i]);
            qm_json_num(stdout, outcome(sum, q, sp[i]));
        }
        putchar('}');
    }
}

static void print_json(const summary *sum)
{
    fputs("{\"scenario\": ", stdout);
    qm_json_str(stdout, sum->scenario ? sum->scenario : "");
    fputs(", \"qmsim_version\": ", stdout);
    qm_json_str(stdout, sum->version ? sum->version : "");
    printf(", \"seed\": %llu, \"replicate\": %llu, \"months\": %d, \"key_outcomes\": {",
           (unsigned long long)sum->seed, (unsigned long long)sum->replicate, sum->months);
    json_key(sum);
    fputs("\n}, \"events\": {", stdout);
    for (int e = 0; e < QM_EV_N; e++)
        printf("%s\"%s\": %.0f", e ? ", " : "", qm_event_names[e], sum->events[e]);
    fputs("}, \"series\": {", stdout);
    json_series(sum);
    fputs("\n}}\n", stdout);
}

/* ---- A comparison file ---- */

/* Prints the comparison file at path as the comparison: each outcome's
 * mean with its interval per scenario, and the difference to the first. */
static int summarise_cmp(const char *path, const char *format)
{
    qm_cmpfile cf;
    char err[1024];
    memset(&cf, 0, sizeof cf);
    int rc = qm_cmpfile_read(path, "", 0, &cf, err, sizeof err);
    if (rc != QM_CMP_OK) {
        fprintf(stderr, "qmsim summary: %s\n", err);
        qm_cmpfile_free(&cf);
        return 1;
    }
    if (!strcmp(format, "json")) {
        fprintf(stderr, "qmsim summary: %s is a comparison file; `qmsim compare --format json` "
                        "prints a comparison as JSON, and h5py reads /summary\n", path);
        qm_cmpfile_free(&cf);
        return 2;
    }
    printf("%s: a comparison of %d scenarios (%lld replications each), %g%% intervals\n",
           path, cf.n_scen, cf.replications, 100.0 * cf.level);
    for (int s = 0; s < cf.n_scen; s++)
        printf("  %s%s%s\n", cf.scen[s].name, cf.scen[s].settings[0] ? ": " : "",
               cf.scen[s].settings);
    for (int m = 0; m < cf.n_out; m++) {
        const qm_meta *mt = qm_meta_outcome(cf.out_names[m]);
        printf("\n%s%s%s\n", mt ? mt->label : cf.out_names[m], mt ? " — " : "",
               mt ? cf.out_names[m] : "");
        for (int s = 0; s < cf.n_scen; s++) {
            size_t i = (size_t)m * (size_t)cf.n_scen + (size_t)s;
            char a[64], b[64], c[64], d[64], e[64];
            printf("  %-24.24s %12s [%s, %s]", cf.scen[s].name,
                   qm_print_value(cf.mean[i], mt, 0, a, sizeof a),
                   qm_print_value(cf.lo[i], mt, 0, b, sizeof b),
                   qm_print_value(cf.hi[i], mt, 0, c, sizeof c));
            if (s > 0)
                printf("  diff %s [%s, %s]%s", qm_print_value(cf.diff[i], mt, 1, a, sizeof a),
                       qm_print_value(cf.dlo[i], mt, 1, d, sizeof d),
                       qm_print_value(cf.dhi[i], mt, 1, e, sizeof e),
                       cf.sig[i] == 0 ? "  n.s." : "");
            putchar('\n');
        }
    }
    printf("\nThe charts: qmsim report %s -o REPORT.html\n", path);
    qm_cmpfile_free(&cf);
    return 0;
}

/* ---- The command ---- */

static int on_option(void *ctx, int id, const char *opt, const char *val, long long num)
{
    summary_opts *o = ctx;
    (void)num;
    if (id == QM_O_SUMMARY_FORMAT) {
        o->format = val;
        return 0;
    }
    if (id == QM_O_SUMMARY_ALL) {
        o->all = 1;
        return 0;
    }
    if (o->path) {
        fprintf(stderr, "qmsim summary: one output file at a time\n");
        return -1;
    }
    o->path = opt;
    return 0;
}

/* Summarises the file at o->path, whatever its kind. */
static int summarise(const summary_opts *o)
{
    char err[1024];
    summary sum;
    memset(&sum, 0, sizeof sum);
    qm_runfile *f = qm_runfile_open(o->path, err, sizeof err);
    if (!f) {
        fprintf(stderr, "qmsim summary: %s\n", err);
        return 2;
    }
    char *kind = qm_runfile_attr(f, "kind");
    int rc;
    if (kind && !strcmp(kind, "qmsim comparison")) {
        qm_runfile_close(f);
        free(kind);
        return summarise_cmp(o->path, o->format);
    }
    rc = kind ? wrong_kind(o->path, kind) : read_run(f, o->path, &sum);
    qm_runfile_close(f);
    free(kind);
    if (rc == 0 && sum.months <= 0) {
        fprintf(stderr, "qmsim summary: %s holds no month\n", o->path);
        rc = 1;
    }
    if (rc == 0) {
        if (!strcmp(o->format, "json"))
            print_json(&sum);
        else
            print_text(&sum, o->path, o->all);
    }
    free(sum.scenario);
    free(sum.version);
    free(sum.ser);
    return rc;
}

/* See cli.h.  `qmsim summary FILE.h5 [--all] [--format text|json]`. */
int qm_cli_summary(int argc, char **argv)
{
    summary_opts o = {NULL, "text", 0};
    int a = qm_args_parse(&qm_options_summary, argc, argv, on_option, &o);
    if (a != 0) {
        if (a > 0)
            qm_args_help(&qm_options_summary, stdout);
        return a > 0 ? 0 : 2;
    }
    if (!o.path || (strcmp(o.format, "text") != 0 && strcmp(o.format, "json") != 0)) {
        fprintf(stderr, o.path ? "qmsim summary: --format must be text or json\n"
                               : "qmsim summary: no output file given\n");
        fputs(qm_options_summary.brief, stderr);
        return 2;
    }
    int rc = summarise(&o);
    if (rc == 0 && fflush(stdout) != 0) {
        fprintf(stderr, "qmsim summary: cannot write the summary: %s\n", strerror(errno));
        return 1;
    }
    return rc;
}
