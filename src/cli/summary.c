/* summary.c: `qmsim summary`: totals, means and extremes of every monthly
 * series of an output file, as a table or as JSON. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "qmsim/comparison.h"
#include "qmsim/json.h"

#define MAX_SERIES 1024  /* more datasets than this in /series is not ours */

/* What is printed for one series. */
typedef struct series_stats {
    char name[128];
    qm_stats_summary s;
} series_stats;

/* What is printed about the file. */
typedef struct summary {
    char *scenario;          /* malloc'd */
    char *version;           /* qmsim that wrote the file; malloc'd */
    uint64_t seed, replicate;
    long long months;
    series_stats *series;
    int n_series;
} summary;

typedef struct summary_opts {
    const char *path, *format;
} summary_opts;

/* qm_runfile_each_series: one series read, or one that cannot be. */
static int add_series(void *ctx, const char *name, const double *v, size_t n)
{
    summary *sum = ctx;
    if (!v) {
        fprintf(stderr, "qmsim summary: cannot read /series/%s\n", name);
        return -1;
    }
    series_stats *s = &sum->series[sum->n_series++];
    snprintf(s->name, sizeof s->name, "%s", name);
    qm_stats_summarise(v, n, &s->s);
    return 0;
}

/* Reads the summary of the open file f (named path in messages).
 * Returns 0, or 1 with a message on stderr. */
static int read_summary(const qm_runfile *f, const char *path, summary *sum)
{
    uint64_t complete = 0, months = 0;
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
    qm_runfile_u64(f, "months_written", &months);
    sum->months = (long long)months;
    sum->series = calloc(MAX_SERIES, sizeof *sum->series);
    if (!sum->series) {
        fprintf(stderr, "qmsim summary: out of memory\n");
        return 1;
    }
    if (qm_runfile_each_series(f, MAX_SERIES, add_series, sum) < 0) {
        fprintf(stderr, "qmsim summary: cannot read the series of %s\n", path);
        return 1;
    }
    return 0;
}

static void print_json(const summary *sum)
{
    fputs("{\"scenario\": ", stdout);
    qm_json_str(stdout, sum->scenario ? sum->scenario : "");
    fputs(", \"qmsim_version\": ", stdout);
    qm_json_str(stdout, sum->version ? sum->version : "");
    printf(", \"seed\": %llu, \"replicate\": %llu, \"months\": %lld, \"series\": {",
           (unsigned long long)sum->seed, (unsigned long long)sum->replicate, sum->months);
    for (int i = 0; i < sum->n_series; i++) {
        const qm_stats_summary *s = &sum->series[i].s;
        const char *keys[5] = {"total", "mean", "min", "max", "final"};
        double vals[5] = {s->total, s->mean, s->min, s->max, s->final};
        fputs(i ? ",\n  " : "\n  ", stdout);
        qm_json_str(stdout, sum->series[i].name);
        for (int k = 0; k < 5; k++) {
            printf("%s\"%s\": ", k ? ", " : ": {", keys[k]);
            qm_json_num(stdout, vals[k]);
        }
        putchar('}');
    }
    fputs("\n}}\n", stdout);
}

static void print_text(const summary *sum)
{
    int i, w = 6;
    for (i = 0; i < sum->n_series; i++)
        if ((int)strlen(sum->series[i].name) > w)
            w = (int)strlen(sum->series[i].name);
    printf("scenario   %s\nseed       %llu\nreplicate  %llu\nmonths     %lld\n"
           "written by qmsim %s\n\n",
           sum->scenario ? sum->scenario : "?", (unsigned long long)sum->seed,
           (unsigned long long)sum->replicate, sum->months, sum->version ? sum->version : "?");
    printf("%-*s %14s %14s %14s %14s %14s\n", w, "series", "total", "mean", "min", "max",
           "final");
    for (i = 0; i < sum->n_series; i++) {
        const qm_stats_summary *s = &sum->series[i].s;
        printf("%-*s %14.6g %14.6g %14.6g %14.6g %14.6g\n", w, sum->series[i].name, s->total,
               s->mean, s->min, s->max, s->final);
    }
}

static int on_option(void *ctx, int id, const char *opt, const char *val, long long num)
{
    summary_opts *o = ctx;
    (void)num;
    if (id == QM_O_SUMMARY_FORMAT) {
        o->format = val;
        return 0;
    }
    if (o->path) {
        fprintf(stderr, "qmsim summary: one output file at a time\n");
        return -1;
    }
    o->path = opt;
    return 0;
}

/* See cli.h.  `qmsim summary OUT.h5 [--format text|json]`. */
int qm_cli_summary(int argc, char **argv)
{
    summary_opts o = {NULL, "text"};
    summary sum = {0};
    char err[1024];
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
    qm_runfile *f = qm_runfile_open(o.path, err, sizeof err);
    if (!f) {
        fprintf(stderr, "qmsim summary: %s\n", err);
        return 1;
    }
    int rc = read_summary(f, o.path, &sum);
    qm_runfile_close(f);
    if (rc == 0) {
        if (strcmp(o.format, "json") == 0)
            print_json(&sum);
        else
            print_text(&sum);
    }
    free(sum.scenario);
    free(sum.version);
    free(sum.series);
    if (rc == 0 && fflush(stdout) != 0) {
        fprintf(stderr, "qmsim summary: cannot write the summary: %s\n", strerror(errno));
        return 1;
    }
    return rc;
}
