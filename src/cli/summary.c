/* summary.c: `qmsim summary`: totals, means and extremes of every monthly
 * series of an output file, as a table or as JSON. */
#include "cli/cli.h"
#include "cli/compare.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include <hdf5.h>

#define MAX_SERIES 1024  /* more datasets than this in /series is not ours */

/* What is printed for one series. */
typedef struct series_stats {
    char name[128];
    double total, mean, min, max, final;
    hsize_t n;               /* months */
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

#define USAGE "usage: qmsim summary OUT.h5 [--format text|json]\n"

static void usage(void)
{
    fputs(USAGE
          "\n"
          "Prints the total, mean, minimum, maximum and final value of every\n"
          "monthly series in a finished qmsim output file.\n"
          "\n"
          "  --format text   an aligned table (default)\n"
          "  --format json   one JSON object\n"
          "  -h, --help      this help\n", stdout);
}

/* Reads a scalar integer attribute; 0 on success, -1 when missing. */
static int read_u64_attr(hid_t loc, const char *name, uint64_t *v)
{
    hid_t a;
    int rc;
    if (H5Aexists(loc, name) <= 0 || (a = H5Aopen(loc, name, H5P_DEFAULT)) < 0)
        return -1;
    rc = H5Aread(a, H5T_NATIVE_UINT64, v) < 0 ? -1 : 0;
    H5Aclose(a);
    return rc;
}

/* Reads the 1-D dataset NAME of G as doubles and computes its statistics. */
static int read_series(hid_t g, const char *name, series_stats *s)
{
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT), space = -1;
    double *v = NULL;
    hsize_t i, n = 0;
    int rc = -1;

    if (d < 0)
        return -1;
    space = H5Dget_space(d);
    if (space < 0 || H5Sget_simple_extent_ndims(space) != 1
        || H5Sget_simple_extent_dims(space, &n, NULL) < 0)
        goto out;
    v = malloc((size_t)(n > 0 ? n : 1) * sizeof *v);
    if (!v || (n > 0 && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0))
        goto out;
    snprintf(s->name, sizeof s->name, "%s", name);
    s->n = n;
    s->total = 0;
    s->min = n ? v[0] : NAN;
    s->max = n ? v[0] : NAN;
    for (i = 0; i < n; i++) {
        s->total += v[i];
        s->min = v[i] < s->min ? v[i] : s->min;
        s->max = v[i] > s->max ? v[i] : s->max;
    }
    s->mean = n ? s->total / (double)n : NAN;
    s->final = n ? v[n - 1] : NAN;
    rc = 0;
out:
    free(v);
    if (space >= 0)
        H5Sclose(space);
    H5Dclose(d);
    return rc;
}

/* H5Literate callback: reads every dataset of /series but its time scale. */
static herr_t visit_series(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    summary *sum = data;
    hid_t obj;
    int is_dataset;

    (void)info;
    if (strcmp(name, "time") == 0 || (obj = H5Oopen(g, name, H5P_DEFAULT)) < 0)
        return 0;
    is_dataset = H5Iget_type(obj) == H5I_DATASET;
    H5Oclose(obj);
    if (!is_dataset)
        return 0;
    if (sum->n_series >= MAX_SERIES)
        return -1;
    if (read_series(g, name, &sum->series[sum->n_series]) < 0) {
        fprintf(stderr, "qmsim summary: cannot read /series/%s\n", name);
        return -1;
    }
    sum->n_series++;
    return 0;
}

/* Reads the summary of the open file F (named PATH in messages).
 * Returns 0, or 1 with a message on stderr. */
static int read_summary(hid_t f, const char *path, summary *sum)
{
    hid_t g;
    hsize_t idx = 0;
    uint64_t complete = 0, months = 0;
    herr_t rc;

    if (H5Lexists(f, "series", H5P_DEFAULT) <= 0
        || (g = H5Gopen2(f, "series", H5P_DEFAULT)) < 0) {
        fprintf(stderr, "qmsim summary: %s is not a qmsim output file (no /series)\n", path);
        return 1;
    }
    if (read_u64_attr(f, "complete", &complete) < 0 || complete != 1) {
        fprintf(stderr, "qmsim summary: %s is incomplete (the run did not finish)\n", path);
        H5Gclose(g);
        return 1;
    }
    sum->scenario = qm_h5_str_attr(f, "scenario_name");
    sum->version = qm_h5_str_attr(f, "qmsim_version");
    read_u64_attr(f, "seed", &sum->seed);
    read_u64_attr(f, "replicate", &sum->replicate);
    read_u64_attr(f, "months_written", &months);
    sum->months = (long long)months;
    sum->series = calloc(MAX_SERIES, sizeof *sum->series);
    if (!sum->series) {
        fprintf(stderr, "qmsim summary: out of memory\n");
        H5Gclose(g);
        return 1;
    }
    /* Creation order is the order of the series table; older or foreign
     * files may not track it, so fall back to names. */
    rc = H5Literate(g, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, visit_series, sum);
    if (rc < 0 && sum->n_series == 0 && idx == 0)
        rc = H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, visit_series, sum);
    H5Gclose(g);
    if (rc < 0) {
        fprintf(stderr, "qmsim summary: cannot read the series of %s\n", path);
        return 1;
    }
    return 0;
}

static void print_json(const summary *sum)
{
    int i;
    fputs("{\"scenario\": ", stdout);
    qm_cli_json_str(sum->scenario ? sum->scenario : "");
    fputs(", \"qmsim_version\": ", stdout);
    qm_cli_json_str(sum->version ? sum->version : "");
    printf(", \"seed\": %llu, \"replicate\": %llu, \"months\": %lld, \"series\": {",
           (unsigned long long)sum->seed, (unsigned long long)sum->replicate, sum->months);
    for (i = 0; i < sum->n_series; i++) {
        const series_stats *s = &sum->series[i];
        fputs(i ? ",\n  " : "\n  ", stdout);
        qm_cli_json_str(s->name);
        fputs(": {\"total\": ", stdout);
        qm_cli_json_num(s->total);
        fputs(", \"mean\": ", stdout);
        qm_cli_json_num(s->mean);
        fputs(", \"min\": ", stdout);
        qm_cli_json_num(s->min);
        fputs(", \"max\": ", stdout);
        qm_cli_json_num(s->max);
        fputs(", \"final\": ", stdout);
        qm_cli_json_num(s->final);
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
        const series_stats *s = &sum->series[i];
        printf("%-*s %14.6g %14.6g %14.6g %14.6g %14.6g\n", w, s->name, s->total, s->mean,
               s->min, s->max, s->final);
    }
}

/* See cli.h.  `qmsim summary OUT.h5 [--format text|json]`. */
int qm_cli_summary(int argc, char **argv)
{
    const char *path = NULL, *format = "text";
    summary sum = {0};
    hid_t f;
    int i, rc;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage();
            return 0;
        } else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            format = argv[++i];
        } else if (strncmp(argv[i], "--format=", 9) == 0) {
            format = argv[i] + 9;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "qmsim summary: unknown or incomplete option %s\n", argv[i]);
            fputs(USAGE, stderr);
            return 2;
        } else if (path) {
            fprintf(stderr, "qmsim summary: one output file at a time\n");
            return 2;
        } else {
            path = argv[i];
        }
    }
    if (!path || (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)) {
        fprintf(stderr, path ? "qmsim summary: --format must be text or json\n"
                             : "qmsim summary: no output file given\n");
        fputs(USAGE, stderr);
        return 2;
    }
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* our messages, not HDF5's stack */
    f = qm_h5_open("summary", path);
    if (f < 0)
        return 1;
    rc = read_summary(f, path, &sum);
    H5Fclose(f);
    if (rc == 0) {
        if (strcmp(format, "json") == 0)
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
