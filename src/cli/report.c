/* report.c: `qmsim report`: one self-contained HTML page about a run file
 * or a comparison file, with charts drawn by gnuplot (docs/analysis.md). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hdf5.h>

#include "cli/cli.h"
#include "cli/compare.h"
#include "cli/narrate.h"
#include "qmsim/file.h"
#include "qmsim/qmsim.h"

extern char **environ;

#define MAX_CHARTS 64
#define QM_SVG_MAX ((size_t)64 << 20) /* bytes; a chart gnuplot drew */
#define DEFAULT_MAX_EVENTS 300

/* One scenario of the report. */
typedef struct rep_scen {
    char *name, *description, *settings, *resolved, *source;
    qm_scenario sc;           /* loaded from resolved when loaded is 1 */
    int loaded;
    int runs;
} rep_scen;

/* Everything a report shows, read from a run or a comparison file. */
typedef struct report {
    const char *path;
    int is_cmp;
    char *version, *created, *seed_text;
    int S;
    rep_scen *scen;
    int M;                    /* outcomes */
    char **out_names, **out_desc;
    int n_out_names, n_out_desc;
    double *mean, *lo, *hi, *diff, *dlo, *dhi;  /* M x S */
    int *sig;                 /* M x S */
    double level;
    int T;                    /* months of the charts */
    int n_ser;
    char **ser_names;
    const char **ser_units, **ser_desc;
    char **ser_units_own, **ser_desc_own;
    double *smean, *slo, *shi;  /* n_ser x S x T; slo, shi NULL for a run */
    /* a run: its events and names */
    qm_event *ev;
    int n_ev;
    int has_events;           /* the file has an event table (output.events) */
    char **names[QM_STORY_KINDS];
    int n_names[QM_STORY_KINDS];
    /* a comparison: mean events of each type per run, S x QM_EV_N */
    double *ev_mean;
} report;

typedef struct rep_opts {
    const char *in, *out, *series, *title;
    int force, max_events;
} rep_opts;

static void usage(FILE *f)
{
    fputs("usage: qmsim report FILE.h5 -o REPORT.html [options]\n"
          "\n"
          "Writes one self-contained HTML page (no network needed to open it) about a\n"
          "run file (`qmsim run -o`) or a comparison file (`qmsim compare -o`): the\n"
          "scenario and its key parameters, the key outcomes, charts of the main series\n"
          "over time (a band of 95% of the replications around each scenario's mean in\n"
          "a comparison) and the notable events.  The charts are drawn by gnuplot\n"
          "(Debian: gnuplot-nox), found on PATH or named by $QMSIM_GNUPLOT.\n"
          "\n"
          "options:\n"
          "  -o, --output R.html   the report (required); written whole or not at all\n"
          "  --series LIST         comma-separated series to chart (default: the main\n"
          "                        series of the file)\n"
          "  --title TEXT          the page's title\n"
          "  --max-events N        notable events listed for a run (default 300)\n"
          "  --force               replace an existing report\n"
          "  -h, --help            this help\n", f);
}

/* Returns 0, 1 for --help, -1 on bad usage. */
static int parse_args(int argc, char **argv, rep_opts *o)
{
    o->max_events = DEFAULT_MAX_EVENTS;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            return 1;
        if (!strcmp(a, "--force"))
            o->force = 1;
        else if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--series")
                 || !strcmp(a, "--title") || !strcmp(a, "--max-events")) {
            if (!next) {
                fprintf(stderr, "qmsim report: %s needs a value\n", a);
                return -1;
            }
            i++;
            if (!strcmp(a, "--series"))
                o->series = next;
            else if (!strcmp(a, "--title"))
                o->title = next;
            else if (!strcmp(a, "--max-events")) {
                char *end;
                errno = 0;
                long v = strtol(next, &end, 10);
                if (!*next || *end || errno || v < 0 || v > 1000000) {
                    fprintf(stderr, "qmsim report: --max-events expects an integer in [0, 1000000], "
                                    "got '%s'\n", next);
                    return -1;
                }
                o->max_events = (int)v;
            } else
                o->out = next;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "qmsim report: unknown option '%s' (try 'qmsim report --help')\n", a);
            return -1;
        } else if (o->in) {
            fprintf(stderr, "qmsim report: one file at a time ('%s', '%s')\n", o->in, a);
            return -1;
        } else
            o->in = a;
    }
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

static void report_free(report *r)
{
    for (int s = 0; s < r->S && r->scen; s++) {
        rep_scen *c = &r->scen[s];
        free(c->name);
        free(c->description);
        free(c->settings);
        free(c->resolved);
        free(c->source);
        if (c->loaded)
            qm_scenario_free(&c->sc);
    }
    free(r->scen);
    free(r->version);
    free(r->created);
    free(r->seed_text);
    qm_h5_strings_free(r->out_names, r->n_out_names);
    qm_h5_strings_free(r->out_desc, r->n_out_desc);
    free(r->mean);
    free(r->lo);
    free(r->hi);
    free(r->diff);
    free(r->dlo);
    free(r->dhi);
    free(r->sig);
    qm_h5_strings_free(r->ser_names, r->n_ser);
    qm_h5_strings_free(r->ser_units_own, r->n_ser);
    qm_h5_strings_free(r->ser_desc_own, r->n_ser);
    free(r->ser_units);
    free(r->ser_desc);
    free(r->smean);
    free(r->slo);
    free(r->shi);
    free(r->ev);
    for (int k = 0; k < QM_STORY_KINDS; k++)
        qm_h5_strings_free(r->names[k], r->n_names[k]);
    free(r->ev_mean);
}

/* Loads each scenario's resolved text, for its key parameters.  A
 * scenario that does not load (a newer file) simply shows fewer. */
static void load_scenarios(report *r)
{
    qm_errors *e = malloc(sizeof *e);
    for (int s = 0; e && s < r->S; s++) {
        rep_scen *c = &r->scen[s];
        memset(e, 0, sizeof *e);
        if (c->resolved && *c->resolved
            && qm_scenario_load_text(c->resolved, c->name, NULL, 0, &c->sc, e) == 0)
            c->loaded = 1;
    }
    free(e);
}

/* In list (comma-separated; NULL: every name) */
static int listed(const char *list, const char *name)
{
    if (!list)
        return 1;
    size_t n = strlen(name);
    for (const char *s = list; *s;) {
        size_t len = strcspn(s, ",");
        if (len == n && !strncmp(s, name, n))
            return 1;
        s += len;
        s += *s == ',';
    }
    return 0;
}

/* Checks that every name of --series exists among the n names. */
static int check_series(const char *list, char **names, int n)
{
    if (!list)
        return 0;
    for (const char *s = list; *s;) {
        size_t len = strcspn(s, ",");
        int found = 0;
        for (int i = 0; i < n; i++)
            found |= strlen(names[i]) == len && !strncmp(names[i], s, len);
        if (!found) {
            fprintf(stderr, "qmsim report: --series: '%.*s' is not a series of the file\n",
                    (int)len, s);
            return -1;
        }
        s += len;
        s += *s == ',';
    }
    return 0;
}

/* ---- Reading a run file ---- */

static int read_run(hid_t f, const rep_opts *o, report *r)
{
    long long complete = 0, seed = 0, rep = 0;
    if (qm_h5_int_attr(f, "complete", &complete) != 0 || complete != 1) {
        fprintf(stderr, "qmsim report: %s is incomplete (the run did not finish)\n", r->path);
        return 1;
    }
    r->S = 1;
    r->scen = calloc(1, sizeof *r->scen);
    if (!r->scen)
        return -1;
    rep_scen *c = &r->scen[0];
    c->name = qm_h5_str_attr(f, "scenario_name");
    c->resolved = qm_h5_str_attr(f, "scenario_resolved");
    c->source = qm_h5_str_attr(f, "scenario_source");
    c->settings = strdup("");
    c->runs = 1;
    r->version = qm_h5_str_attr(f, "qmsim_version");
    r->created = qm_h5_str_attr(f, "created");
    qm_h5_int_attr(f, "seed", &seed);
    qm_h5_int_attr(f, "replicate", &rep);
    char buf[96];
    snprintf(buf, sizeof buf, "seed %llu, replicate %lld", (unsigned long long)seed, rep);
    r->seed_text = strdup(buf);
    if (!c->name || !c->settings || !r->seed_text)
        return -1;
    load_scenarios(r);
    c->description = strdup(c->loaded ? c->sc.description : "");
    if (!c->description)
        return -1;

    /* Key outcomes of the run. */
    int T = 0;
    double *all = qm_h5_run_series(f, &T);
    if (!all)
        return -1;
    qm_cmp_outcome out[QM_KO_N];
    char err[256];
    r->M = qm_cmp_outcomes_parse(NULL, out, QM_KO_N, err, sizeof err);
    r->out_names = calloc(QM_KO_N, sizeof(char *));
    r->out_desc = calloc(QM_KO_N, sizeof(char *));
    r->mean = malloc(QM_KO_N * sizeof(double));
    if (!r->out_names || !r->out_desc || !r->mean) {
        free(all);
        return -1;
    }
    for (int m = 0; m < r->M; m++) {
        r->out_names[m] = strdup(out[m].name);
        r->out_desc[m] = strdup(qm_key_outcome_defs[out[m].key].description);
        r->mean[m] = qm_cmp_outcome_eval(&out[m], all, (size_t)T, T);
        r->n_out_names = r->n_out_desc = m + 1;
    }

    /* Series to chart. */
    char *names[QM_S_N];
    for (int k = 0; k < QM_S_N; k++)
        names[k] = (char *)qm_series_defs[k].name;
    if (check_series(o->series, names, QM_S_N) != 0) {
        free(all);
        return 2;
    }
    r->T = T;
    r->ser_names = calloc(QM_S_N, sizeof(char *));
    r->ser_units = calloc(QM_S_N, sizeof(char *));
    r->ser_desc = calloc(QM_S_N, sizeof(char *));
    r->smean = malloc(((size_t)QM_S_N * (size_t)T + 1) * sizeof(double));
    if (!r->ser_names || !r->ser_units || !r->ser_desc || !r->smean) {
        free(all);
        return -1;
    }
    for (int i = 0; i < (o->series ? QM_S_N : qm_cmp_main_series_n); i++) {
        int k = o->series ? i : qm_cmp_main_series[i];
        if (!listed(o->series, qm_series_defs[k].name) || r->n_ser == MAX_CHARTS)
            continue;
        r->ser_names[r->n_ser] = strdup(qm_series_defs[k].name);
        r->ser_units[r->n_ser] = qm_series_defs[k].units;
        r->ser_desc[r->n_ser] = qm_series_defs[k].description;
        memcpy(r->smean + (size_t)r->n_ser * (size_t)T, all + (size_t)k * (size_t)T,
               (size_t)T * sizeof(double));
        if (!r->ser_names[r->n_ser++]) {
            free(all);
            return -1;
        }
    }
    free(all);

    /* Events and the names they need. */
    static const char *const groups[] = {"entities/commissioner/name", "entities/provider/name",
                                         "entities/service/name", "entities/agency/name"};
    for (int k = 0; k < QM_STORY_POLICY; k++)
        r->names[k] = qm_h5_strings(f, groups[k], &r->n_names[k]);
    r->ev = qm_h5_run_events(f, &r->n_ev);
    r->has_events = H5Lexists(f, "events", H5P_DEFAULT) > 0;
    return 0;
}

/* ---- Reading a comparison file ---- */

static int read_cmp(hid_t f, const rep_opts *o, report *r)
{
    long long complete = 0;
    int n;
    hsize_t dims[2];
    if (qm_h5_int_attr(f, "complete", &complete) != 0 || complete != 1) {
        fprintf(stderr, "qmsim report: %s is incomplete\n", r->path);
        return 1;
    }
    r->is_cmp = 1;
    r->version = qm_h5_str_attr(f, "qmsim_version");
    r->created = qm_h5_str_attr(f, "created");
    long long seed = 0, reps = 0;
    char *source = qm_h5_str_attr(f, "source");
    qm_h5_int_attr(f, "seed", &seed);
    qm_h5_int_attr(f, "replications", &reps);
    char buf[200];
    if (source && !strcmp(source, "files"))
        snprintf(buf, sizeof buf, "runs read from files");
    else
        snprintf(buf, sizeof buf, "%lld replications of each, common random numbers (master seed %llu)",
                 reps, (unsigned long long)seed);
    free(source);
    r->seed_text = strdup(buf);

    static const char *const fields[] = {"scenarios/name", "scenarios/description",
                                         "scenarios/settings", "scenarios/resolved",
                                         "scenarios/source"};
    char **v[5];
    int nv[5];
    for (int k = 0; k < 5; k++)
        v[k] = qm_h5_strings(f, fields[k], &nv[k]);
    r->S = nv[0];
    int ok = v[0] && r->S > 0;
    for (int k = 1; k < 5; k++)
        ok &= v[k] && nv[k] == r->S;
    if (ok)
        r->scen = calloc((size_t)r->S, sizeof *r->scen);
    if (!ok || !r->scen) {
        for (int k = 0; k < 5; k++)
            qm_h5_strings_free(v[k], nv[k]);
        r->S = 0;
        fprintf(stderr, "qmsim report: %s has no readable /scenarios\n", r->path);
        return 1;
    }
    double *runs = qm_h5_doubles(f, "scenarios/runs", dims);
    for (int s = 0; s < r->S; s++) {
        rep_scen *c = &r->scen[s];
        c->name = v[0][s];
        c->description = v[1][s];
        c->settings = v[2][s];
        c->resolved = v[3][s];
        c->source = v[4][s];
        c->runs = runs && dims[0] == (hsize_t)r->S ? (int)runs[s] : 0;
    }
    free(runs);
    for (int k = 0; k < 5; k++)
        free(v[k]);   /* the strings now belong to the scenarios */
    load_scenarios(r);

    /* The summary table. */
    hid_t sg = H5Lexists(f, "summary", H5P_DEFAULT) > 0 ? H5Gopen2(f, "summary", H5P_DEFAULT) : -1;
    if (sg >= 0) {
        r->out_names = qm_h5_strings(sg, "@outcomes", &r->n_out_names);
        H5Gclose(sg);
    }
    hid_t rg = H5Lexists(f, "runs", H5P_DEFAULT) > 0 ? H5Dopen2(f, "runs/outcomes", H5P_DEFAULT) : -1;
    if (rg >= 0) {
        r->out_desc = qm_h5_strings(rg, "@descriptions", &r->n_out_desc);
        H5Dclose(rg);
    }
    r->M = r->n_out_names;
    double **dst[6] = {&r->mean, &r->lo, &r->hi, &r->diff, &r->dlo, &r->dhi};
    static const char *const stat[] = {"summary/mean", "summary/ci_low", "summary/ci_high",
                                       "summary/diff", "summary/diff_low", "summary/diff_high"};
    for (int k = 0; k < 6; k++) {
        *dst[k] = qm_h5_doubles(f, stat[k], dims);
        if (!*dst[k] || dims[0] != (hsize_t)r->M || dims[1] != (hsize_t)r->S) {
            fprintf(stderr, "qmsim report: %s has no readable /summary\n", r->path);
            return 1;
        }
    }
    double *sig = qm_h5_doubles(f, "summary/significant", dims);
    int sig_ok = sig && dims[0] == (hsize_t)r->M && dims[1] == (hsize_t)r->S;
    r->sig = malloc(((size_t)r->M * (size_t)r->S + 1) * sizeof *r->sig);
    for (int i = 0; r->sig && i < r->M * r->S; i++)
        r->sig[i] = sig_ok ? (int)sig[i] : -1;
    free(sig);
    if (!r->sig)
        return -1;
    hid_t a = H5Aexists_by_name(f, "summary", "level", H5P_DEFAULT) > 0
                  ? H5Aopen_by_name(f, "summary", "level", H5P_DEFAULT, H5P_DEFAULT) : -1;
    r->level = 0.95;
    if (a >= 0) {
        H5Aread(a, H5T_NATIVE_DOUBLE, &r->level);
        H5Aclose(a);
    }

    /* Series across replications. */
    if (H5Lexists(f, "series", H5P_DEFAULT) > 0 && H5Lexists(f, "series/mean", H5P_DEFAULT) > 0) {
        hid_t g = H5Gopen2(f, "series/mean", H5P_DEFAULT);
        H5G_info_t info;
        char **all = NULL;
        int n_all = 0;
        if (g >= 0 && H5Gget_info(g, &info) >= 0) {
            all = calloc((size_t)info.nlinks + 1, sizeof *all);
            for (hsize_t i = 0; all && i < info.nlinks; i++) {
                char nm[256];
                if (H5Lget_name_by_idx(g, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, nm, sizeof nm,
                                       H5P_DEFAULT) < 0
                    && H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, nm, sizeof nm,
                                          H5P_DEFAULT) < 0)
                    continue;
                if (!strcmp(nm, "time") || !strcmp(nm, "scenario"))
                    continue;
                all[n_all++] = strdup(nm);
            }
        }
        if (g >= 0)
            H5Gclose(g);
        int bad = check_series(o->series, all, n_all);
        r->ser_names = calloc((size_t)n_all + 1, sizeof(char *));
        r->ser_units_own = calloc((size_t)n_all + 1, sizeof(char *));
        r->ser_desc_own = calloc((size_t)n_all + 1, sizeof(char *));
        r->ser_units = calloc((size_t)n_all + 1, sizeof(char *));
        r->ser_desc = calloc((size_t)n_all + 1, sizeof(char *));
        for (int i = 0; !bad && r->ser_names && r->ser_units_own && r->ser_desc_own && r->ser_units
                        && r->ser_desc && i < n_all; i++) {
            char path[300];
            if (!all[i] || !listed(o->series, all[i]) || r->n_ser == MAX_CHARTS)
                continue;
            snprintf(path, sizeof path, "series/mean/%s", all[i]);
            double *m = qm_h5_doubles(f, path, dims);
            snprintf(path, sizeof path, "series/lo/%s", all[i]);
            hsize_t d2[2], d3[2];
            double *lo = qm_h5_doubles(f, path, d2);
            snprintf(path, sizeof path, "series/hi/%s", all[i]);
            double *hi = qm_h5_doubles(f, path, d3);
            if (!m || !lo || !hi || dims[0] != (hsize_t)r->S || (r->n_ser && dims[1] != (hsize_t)r->T)
                || d2[0] != dims[0] || d2[1] != dims[1] || d3[0] != dims[0] || d3[1] != dims[1]) {
                free(m);
                free(lo);
                free(hi);
                continue;
            }
            if (r->n_ser == 0) {
                r->T = (int)dims[1];
                size_t cap = (size_t)n_all * (size_t)r->S * (size_t)r->T + 1;
                r->smean = malloc(cap * sizeof(double));
                r->slo = malloc(cap * sizeof(double));
                r->shi = malloc(cap * sizeof(double));
                if (!r->smean || !r->slo || !r->shi) {
                    free(m);
                    free(lo);
                    free(hi);
                    break;
                }
            }
            size_t at = (size_t)r->n_ser * (size_t)r->S * (size_t)r->T, len = (size_t)r->S * (size_t)r->T;
            memcpy(r->smean + at, m, len * sizeof(double));
            memcpy(r->slo + at, lo, len * sizeof(double));
            memcpy(r->shi + at, hi, len * sizeof(double));
            free(m);
            free(lo);
            free(hi);
            snprintf(path, sizeof path, "series/mean/%s", all[i]);
            hid_t ds = H5Dopen2(f, path, H5P_DEFAULT);
            char *u = ds >= 0 ? qm_h5_str_attr(ds, "units") : NULL;
            char *dd = ds >= 0 ? qm_h5_str_attr(ds, "description") : NULL;
            if (ds >= 0)
                H5Dclose(ds);
            r->ser_units_own[r->n_ser] = u ? u : strdup("");
            r->ser_desc_own[r->n_ser] = dd ? dd : strdup("");
            r->ser_units[r->n_ser] = r->ser_units_own[r->n_ser] ? r->ser_units_own[r->n_ser] : "";
            r->ser_desc[r->n_ser] = r->ser_desc_own[r->n_ser] ? r->ser_desc_own[r->n_ser] : "";
            r->ser_names[r->n_ser++] = all[i];
            all[i] = NULL;
        }
        qm_h5_strings_free(all, n_all);
        if (bad)
            return 2;
    } else if (o->series) {
        fprintf(stderr, "qmsim report: %s keeps no series (compare with -o keeps them)\n", r->path);
        return 2;
    }

    /* Mean events of each type per run. */
    double *ev = qm_h5_doubles(f, "runs/events", dims);
    hsize_t d1[2];
    double *rs = qm_h5_doubles(f, "runs/scenario", d1);
    if (ev && rs && dims[1] == QM_EV_N && d1[0] == dims[0]) {
        r->ev_mean = calloc((size_t)r->S * QM_EV_N + 1, sizeof(double));
        int *cnt = calloc((size_t)r->S + 1, sizeof *cnt);
        for (hsize_t j = 0; r->ev_mean && cnt && j < dims[0]; j++) {
            int s = (int)rs[j];
            if (s < 0 || s >= r->S)
                continue;
            cnt[s]++;
            for (int e = 0; e < QM_EV_N; e++)
                r->ev_mean[s * QM_EV_N + e] += ev[j * QM_EV_N + (hsize_t)e];
        }
        for (int s = 0; r->ev_mean && cnt && s < r->S; s++)
            for (int e = 0; e < QM_EV_N; e++)
                r->ev_mean[s * QM_EV_N + e] = cnt[s] ? r->ev_mean[s * QM_EV_N + e] / cnt[s] : NAN;
        free(cnt);
    }
    free(ev);
    free(rs);
    (void)n;
    return 0;
}

/* ---- Charts ---- */

static const char *const colours[] = {"#1f63b4", "#d9480f", "#2b8a3e", "#862e9c",
                                      "#c2255c", "#0b7285", "#5c940d", "#495057"};

/* gnuplot single-quoted string: ' doubled. */
static void gp_str(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; s && *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        if (*s != '\n')
            fputc(*s, f);
    }
    fputc('\'', f);
}

/* Writes the data file and the plot command of chart i. */
static int chart_files(const report *r, int i, const char *dir, FILE *gp)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/c%d.dat", dir, i);
    FILE *d = fopen(path, "w");
    if (!d)
        return -1;
    for (int t = 0; t < r->T; t++) {
        fprintf(d, "%d", t);
        for (int s = 0; s < r->S; s++) {
            size_t at = ((size_t)i * (size_t)r->S + (size_t)s) * (size_t)r->T + (size_t)t;
            double v[3] = {r->smean[at], r->slo ? r->slo[at] : NAN, r->shi ? r->shi[at] : NAN};
            for (int k = 0; k < 3; k++) {
                if (isfinite(v[k]))
                    fprintf(d, " %.10g", v[k]);
                else
                    fputs(" ?", d);
            }
        }
        fputc('\n', d);
    }
    if (fclose(d) != 0)
        return -1;
    fprintf(gp, "set output '%s/c%d.svg'\n", dir, i);
    fputs("set title ", gp);
    gp_str(gp, r->ser_names[i]);
    fputs("\nset ylabel ", gp);
    gp_str(gp, r->ser_units[i]);
    fputs("\nplot ", gp);
    int first = 1;
    if (r->slo)
        for (int s = 0; s < r->S; s++) {
            fprintf(gp, "%s'%s/c%d.dat' using 1:%d:%d with filledcurves lc rgb '%s' "
                        "fs transparent solid 0.18 noborder notitle",
                    first ? "" : ", \\\n     ", dir, i, 3 + 3 * s, 4 + 3 * s, colours[s % 8]);
            first = 0;
        }
    for (int s = 0; s < r->S; s++) {
        fprintf(gp, "%s'%s/c%d.dat' using 1:%d with lines lw 2 lc rgb '%s' ",
                first ? "" : ", \\\n     ", dir, i, 2 + 3 * s, colours[s % 8]);
        if (r->S > 1) {
            fputs("title ", gp);
            gp_str(gp, r->scen[s].name);
        } else
            fputs("notitle", gp);
        first = 0;
    }
    fputc('\n', gp);
    return 0;
}

/* Runs gnuplot on script, its output in log.  Returns 0, or 1 with a
 * message. */
static int run_gnuplot(const char *script, const char *log)
{
    const char *bin = getenv("QMSIM_GNUPLOT");
    if (!bin || !*bin)
        bin = "gnuplot";
    posix_spawn_file_actions_t fa;
    pid_t pid;
    char *argv[] = {(char *)bin, (char *)script, NULL};
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    int e = posix_spawnp(&pid, bin, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    if (e == 0)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    if (e == ENOENT || e == EACCES || (e == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 127)) {
        fprintf(stderr, "qmsim report: gnuplot draws the charts and '%s' was not found: install "
                        "Debian's gnuplot-nox (or set QMSIM_GNUPLOT to a gnuplot); no report written\n",
                bin);
        return 1;
    }
    if (e != 0) {
        fprintf(stderr, "qmsim report: cannot start %s: %s\n", bin, strerror(e));
        return 1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char line[512];
        FILE *f = fopen(log, "r");
        fprintf(stderr, "qmsim report: %s failed drawing the charts:\n", bin);
        for (int k = 0; f && k < 20 && fgets(line, sizeof line, f); k++)
            fprintf(stderr, "  %s", line);
        if (f)
            fclose(f);
        return 1;
    }
    return 0;
}

/* Draws every chart with one gnuplot run; svg[i] gets chart i's SVG text
 * (malloc'd).  Returns 0, or 1 with a message. */
static int draw_charts(const report *r, char **svg, size_t *svg_len)
{
    const char *tmp = getenv("TMPDIR");
    char dir[4096], path[4200], log[4200];
    int rc = 1;
    snprintf(dir, sizeof dir, "%s/qmsim-report-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "qmsim report: cannot make a temporary directory in %s: %s\n",
                tmp && *tmp ? tmp : "/tmp", strerror(errno));
        return 1;
    }
    snprintf(path, sizeof path, "%s/charts.gp", dir);
    snprintf(log, sizeof log, "%s/gnuplot.log", dir);
    FILE *gp = fopen(path, "w");
    if (!gp) {
        fprintf(stderr, "qmsim report: cannot write %s: %s\n", path, strerror(errno));
        goto out;
    }
    fputs("set terminal svg size 560,330 noenhanced font 'Sans,11' background rgb 'white'\n"
          "set datafile missing '?'\n"
          "set grid lc rgb '#dddddd'\n"
          "set border lc rgb '#555555'\n"
          "set key below\n"
          "set xlabel 'month'\n"
          "set format y '%.3g'\n", gp);
    for (int i = 0; i < r->n_ser; i++)
        if (chart_files(r, i, dir, gp) != 0) {
            fclose(gp);
            fprintf(stderr, "qmsim report: cannot write the chart data in %s\n", dir);
            goto out;
        }
    if (fclose(gp) != 0 || run_gnuplot(path, log) != 0)
        goto out;
    for (int i = 0; i < r->n_ser; i++) {
        snprintf(path, sizeof path, "%s/c%d.svg", dir, i);
        svg[i] = qm_file_read(path, QM_SVG_MAX, &svg_len[i]);
        if (!svg[i] || !strstr(svg[i], "<svg")) {
            fprintf(stderr, "qmsim report: gnuplot drew no chart for %s\n", r->ser_names[i]);
            goto out;
        }
    }
    rc = 0;
out:
    for (int i = 0; i < r->n_ser; i++) {
        snprintf(path, sizeof path, "%s/c%d.dat", dir, i);
        unlink(path);
        snprintf(path, sizeof path, "%s/c%d.svg", dir, i);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/charts.gp", dir);
    unlink(path);
    unlink(log);
    rmdir(dir);
    return rc;
}

/* ---- HTML ---- */

static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
}

static void base64(FILE *f, const unsigned char *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0)
                     | (i + 2 < n ? p[i + 2] : 0);
        fputc(tab[v >> 18 & 63], f);
        fputc(tab[v >> 12 & 63], f);
        fputc(i + 1 < n ? tab[v >> 6 & 63] : '=', f);
        fputc(i + 2 < n ? tab[v & 63] : '=', f);
    }
}

static const char *const month_names[] = {"", "January", "February", "March", "April", "May",
                                          "June", "July", "August", "September", "October",
                                          "November", "December"};

/* One key parameter of scenario sc as text into buf. */
static const char *param_text(const qm_scenario *sc, const char *path, char *buf, size_t n)
{
    const qm_param_def *d = qm_params_find(qm_param_table, path);
    const char *base = (const char *)&sc->p;
    if (!d) {
        snprintf(buf, n, "?");
        return buf;
    }
    switch (d->type) {
    case QM_T_DOUBLE: snprintf(buf, n, "%g", *(const double *)(base + d->offset)); break;
    case QM_T_INT: snprintf(buf, n, "%d", *(const int *)(base + d->offset)); break;
    case QM_T_BOOL: snprintf(buf, n, "%s", *(const int *)(base + d->offset) ? "true" : "false"); break;
    case QM_T_ENUM: {
        int v = *(const int *)(base + d->offset), i = 0;
        while (d->names && d->names[i] && i < v)
            i++;
        snprintf(buf, n, "%s", d->names && d->names[i] ? d->names[i] : "?");
        break;
    }
    default: snprintf(buf, n, "?");
    }
    return buf;
}

static const char *const key_params[] = {
    "policy.tender_pressure", "policy.tender_mandate", "policy.open_market", "policy.payment_type",
    "policy.transfer_clause", "policy.ig_strictness", "contract.term", "costs.tender",
    "costs.tender_duration", "engagement.clause_share", NULL};

/* One row of the parameter table: label, then each scenario's text;
 * cells that differ from the first scenario are marked. */
typedef const char *(*cell_fn)(const rep_scen *c, const void *arg, char *buf, size_t n);

static void param_row(FILE *f, const report *r, const char *label, const char *unit, cell_fn fn,
                      const void *arg)
{
    char first[2048], buf[2048];
    fputs("<tr><th>", f);
    esc(f, label);
    if (unit && *unit) {
        fputs(" <span class=\"unit\">(", f);
        esc(f, unit);
        fputs(")</span>", f);
    }
    fputs("</th>", f);
    for (int s = 0; s < r->S; s++) {
        const char *t = fn(&r->scen[s], arg, s ? buf : first, sizeof buf);
        fprintf(f, "<td%s>", s && strcmp(t, first) ? " class=\"differs\"" : "");
        esc(f, t);
        fputs("</td>", f);
    }
    fputs("</tr>\n", f);
}

static const char *cell_param(const rep_scen *c, const void *arg, char *buf, size_t n)
{
    return c->loaded ? param_text(&c->sc, arg, buf, n) : "?";
}

static const char *cell_text(const rep_scen *c, const void *arg, char *buf, size_t n)
{
    const char *which = arg;
    snprintf(buf, n, "%s", !strcmp(which, "description") ? c->description
                           : !strcmp(which, "settings") ? c->settings : c->source ? c->source : "");
    return buf;
}

static const char *cell_count(const rep_scen *c, const void *arg, char *buf, size_t n)
{
    const char *which = arg;
    const qm_scenario *sc = &c->sc;
    int total = 0;
    if (!c->loaded)
        return "?";
    if (!strcmp(which, "months"))
        snprintf(buf, n, "%d, from %s", sc->months,
                 sc->start_month >= 1 && sc->start_month <= 12 ? month_names[sc->start_month] : "?");
    else if (!strcmp(which, "seed"))
        snprintf(buf, n, "%llu", (unsigned long long)sc->seed);
    else if (!strcmp(which, "commissioners")) {
        for (int g = 0; g < sc->n_cgroups; g++)
            total += sc->cgroups[g].count;
        snprintf(buf, n, "%d", total);
    } else if (!strcmp(which, "providers")) {
        int by[QM_PK_N] = {0};
        size_t o = 0;
        for (int g = 0; g < sc->n_pgroups; g++) {
            total += sc->pgroups[g].count;
            by[sc->pgroups[g].kind] += sc->pgroups[g].count;
        }
        o += (size_t)snprintf(buf, n, "%d (", total);
        for (int k = 0, first = 1; k < QM_PK_N && o < n; k++)
            if (by[k]) {
                o += (size_t)snprintf(buf + o, n - o, "%s%d %s", first ? "" : ", ", by[k],
                                      qm_provider_kind_names[k]);
                first = 0;
            }
        if (o < n)
            snprintf(buf + o, n - o, ")");
    } else if (!strcmp(which, "agencies")) {
        int by[QM_AK_N] = {0};
        size_t o = 0;
        for (int g = 0; g < sc->n_agroups; g++) {
            total += sc->agroups[g].count;
            by[sc->agroups[g].kind] += sc->agroups[g].count;
        }
        if (!total)
            snprintf(buf, n, "none");
        else {
            o += (size_t)snprintf(buf, n, "%d (", total);
            for (int k = 0, first = 1; k < QM_AK_N && o < n; k++)
                if (by[k]) {
                    o += (size_t)snprintf(buf + o, n - o, "%s%d %s", first ? "" : ", ", by[k],
                                          qm_agency_kind_names[k]);
                    first = 0;
                }
            if (o < n)
                snprintf(buf + o, n - o, ")");
        }
    } else if (!strcmp(which, "services")) {
        size_t o = 0;
        buf[0] = '\0';
        for (int s = 0; s < sc->n_services && o < n; s++)
            o += (size_t)snprintf(buf + o, n - o, "%s%s", s ? ", " : "", sc->services[s].name);
    } else if (!strcmp(which, "timeline")) {
        size_t o = 0;
        snprintf(buf, n, "none");
        for (int i = 0; i < sc->n_timeline && o < n; i++) {
            const qm_timeline_event *e = &sc->timeline[i];
            o += (size_t)snprintf(buf + o, n - o, "%smonth %d: %s", i ? "; " : "", e->month,
                                  qm_timeline_names[e->type]);
            if (o >= n)
                break;
            if (e->type == QM_TL_POLICY)
                o += (size_t)snprintf(buf + o, n - o, " %s = %g", e->key, e->value);
            else if (e->type == QM_TL_REORGANISATION)
                o += (size_t)snprintf(buf + o, n - o, " (staff lost %.0f%%%s%s)",
                                      100.0 * e->staff_loss, e->merge > 1 ? ", mergers" : "",
                                      e->split_share > 0 ? ", splits" : "");
        }
    }
    return buf;
}

static void write_scenario_section(FILE *f, const report *r)
{
    fputs("<h2 id=\"scenario\">Scenario</h2>\n", f);
    if (r->S == 1 && r->scen[0].description && *r->scen[0].description) {
        fputs("<p class=\"lead\">", f);
        esc(f, r->scen[0].description);
        fputs("</p>\n", f);
    }
    fputs("<div class=\"wide\"><table class=\"params\">\n<thead><tr><th>parameter</th>", f);
    for (int s = 0; s < r->S; s++) {
        fputs("<th>", f);
        esc(f, r->scen[s].name);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    if (r->S > 1) {
        param_row(f, r, "description", NULL, cell_text, "description");
        param_row(f, r, "settings", NULL, cell_text, "settings");
    }
    param_row(f, r, "source", NULL, cell_text, "source");
    param_row(f, r, "months", NULL, cell_count, "months");
    param_row(f, r, "scenario seed", NULL, cell_count, "seed");
    param_row(f, r, "commissioners", NULL, cell_count, "commissioners");
    param_row(f, r, "providers", NULL, cell_count, "providers");
    param_row(f, r, "services", NULL, cell_count, "services");
    param_row(f, r, "support agencies", NULL, cell_count, "agencies");
    for (int i = 0; key_params[i]; i++) {
        const qm_param_def *d = qm_params_find(qm_param_table, key_params[i]);
        if (d)
            param_row(f, r, key_params[i], d->unit, cell_param, key_params[i]);
    }
    param_row(f, r, "timeline", NULL, cell_count, "timeline");
    fputs("</tbody></table></div>\n", f);
    if (r->S > 1)
        fputs("<p class=\"note\">Shaded cells differ from the first scenario.</p>\n", f);
}

static void write_outcomes_section(FILE *f, const report *r)
{
    char a[48], b[48], c[48];
    fputs("<h2 id=\"outcomes\">Key outcomes</h2>\n", f);
    if (!r->is_cmp) {
        fputs("<table class=\"outcomes\">\n<thead><tr><th>outcome</th><th>value</th>"
              "<th>meaning</th></tr></thead>\n<tbody>\n", f);
        for (int m = 0; m < r->M; m++) {
            fputs("<tr><th>", f);
            esc(f, r->out_names[m]);
            fprintf(f, "</th><td class=\"num\">%s</td><td>", qm_cli_num(r->mean[m], 0, a, sizeof a));
            esc(f, m < r->n_out_desc ? r->out_desc[m] : "");
            fputs("</td></tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
        return;
    }
    fprintf(f, "<p class=\"note\">Means over each scenario's runs with %g%% intervals "
               "(t distribution); differences to <b>", 100.0 * r->level);
    esc(f, r->scen[0].name);
    fputs("</b> are paired run for run (common random numbers). <i>n.s.</i>: the difference's "
          "interval includes 0, so the runs cannot tell it from noise.</p>\n", f);
    fprintf(f, "<table class=\"outcomes\">\n<thead><tr><th>outcome</th><th>scenario</th>"
               "<th>mean</th><th>%g%% interval</th><th>difference</th><th>interval</th><th></th>"
               "</tr></thead>\n<tbody>\n", 100.0 * r->level);
    for (int m = 0; m < r->M; m++)
        for (int s = 0; s < r->S; s++) {
            size_t i = (size_t)m * (size_t)r->S + (size_t)s;
            fputs(s ? "<tr>" : "<tr class=\"first\">", f);
            if (s == 0) {
                fprintf(f, "<th rowspan=\"%d\">", r->S);
                esc(f, r->out_names[m]);
                if (m < r->n_out_desc) {
                    fputs("<div class=\"unit\">", f);
                    esc(f, r->out_desc[m]);
                    fputs("</div>", f);
                }
                fputs("</th>", f);
            }
            fputs("<td>", f);
            esc(f, r->scen[s].name);
            fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num\">[%s, %s]</td>",
                    qm_cli_num(r->mean[i], 0, a, sizeof a), qm_cli_num(r->lo[i], 0, b, sizeof b),
                    qm_cli_num(r->hi[i], 0, c, sizeof c));
            if (s == 0)
                fputs("<td></td><td></td><td></td>", f);
            else
                fprintf(f, "<td class=\"num\">%s</td><td class=\"num\">[%s, ",
                        qm_cli_num(r->diff[i], 1, a, sizeof a), qm_cli_num(r->dlo[i], 1, b, sizeof b)),
                fprintf(f, "%s]</td><td>%s</td>", qm_cli_num(r->dhi[i], 1, c, sizeof c),
                        r->sig[i] == 0 ? "<i>n.s.</i>" : r->sig[i] == 1 ? "" : "n/a");
            fputs("</tr>\n", f);
        }
    fputs("</tbody></table>\n", f);
}

static void write_charts_section(FILE *f, const report *r, char **svg, const size_t *len)
{
    if (r->n_ser == 0)
        return;
    fputs("<h2 id=\"charts\">Over time</h2>\n", f);
    if (r->is_cmp)
        fputs("<p class=\"note\">Lines: the mean over each scenario's runs, month by month; bands: "
              "2.5th to 97.5th percentile of the runs.</p>\n", f);
    fputs("<div class=\"charts\">\n", f);
    for (int i = 0; i < r->n_ser; i++) {
        fputs("<figure><img class=\"chart\" width=\"560\" height=\"330\" alt=\"", f);
        esc(f, r->ser_names[i]);
        fputs("\" src=\"data:image/svg+xml;base64,", f);
        base64(f, (const unsigned char *)svg[i], len[i]);
        fputs("\"><figcaption>", f);
        esc(f, r->ser_desc[i]);
        fputs("</figcaption></figure>\n", f);
    }
    fputs("</div>\n", f);
}

static int notable(int type)
{
    switch (type) {
    case QM_EV_RENEW: case QM_EV_RENEGOTIATE: case QM_EV_ROLLOVER: case QM_EV_ENGAGEMENT_RENEW:
    case QM_EV_ENGAGEMENT_DOCKED: case QM_EV_DEVELOPMENT_START:
        return 0;
    default:
        return 1;
    }
}

static const char *file_name(const void *ctx, int kind, int id)
{
    const report *r = ctx;
    if (kind == QM_STORY_POLICY) {
        const rep_scen *c = &r->scen[0];
        return c->loaded && id < c->sc.n_timeline ? c->sc.timeline[id].key : NULL;
    }
    return r->names[kind] && id < r->n_names[kind] ? r->names[kind][id] : NULL;
}

static void write_events_section(FILE *f, const report *r, int max_events)
{
    char clause[768];
    fputs("<h2 id=\"events\">Notable events</h2>\n", f);
    if (r->is_cmp) {
        if (!r->ev_mean) {
            fputs("<p class=\"note\">The comparison file records no events.</p>\n", f);
            return;
        }
        fputs("<div class=\"wide\"><table class=\"events\">\n<thead><tr><th>event</th>", f);
        for (int s = 0; s < r->S; s++) {
            fputs("<th>", f);
            esc(f, r->scen[s].name);
            fputs("</th>", f);
        }
        fputs("</tr></thead>\n<tbody>\n", f);
        for (int e = 0; e < QM_EV_N; e++) {
            int any = 0;
            for (int s = 0; s < r->S; s++)
                any |= r->ev_mean[s * QM_EV_N + e] > 0.0;
            if (!any)
                continue;
            fprintf(f, "<tr><th>%s</th>", qm_event_names[e]);
            for (int s = 0; s < r->S; s++)
                fprintf(f, "<td class=\"num\">%.4g</td>", r->ev_mean[s * QM_EV_N + e]);
            fputs("</tr>\n", f);
        }
        fputs("</tbody></table></div>\n<p class=\"note\">Mean number of events of each type per "
              "run.</p>\n", f);
        return;
    }
    if (!r->has_events) {
        fputs("<p class=\"note\">The run file has no event table (the scenario's "
              "<code>output.events</code> was off).</p>\n", f);
        return;
    }
    int count[QM_EV_N] = {0};
    for (int i = 0; i < r->n_ev; i++)
        if (r->ev[i].type >= 0 && r->ev[i].type < QM_EV_N)
            count[r->ev[i].type]++;
    fputs("<table class=\"events\">\n<thead><tr><th>event</th><th>count</th></tr></thead>\n<tbody>\n", f);
    for (int e = 0; e < QM_EV_N; e++)
        if (count[e])
            fprintf(f, "<tr><th>%s</th><td class=\"num\">%d</td></tr>\n", qm_event_names[e], count[e]);
    fputs("</tbody></table>\n", f);
    qm_story st = {file_name, r, {r->n_names[0], r->n_names[1], r->n_names[2], r->n_names[3],
                                  r->scen[0].loaded ? r->scen[0].sc.n_timeline : 0}};
    int shown = 0, left = 0;
    fputs("<table class=\"story\">\n<thead><tr><th>month</th><th>what happened</th></tr></thead>\n"
          "<tbody>\n", f);
    for (int i = 0; i < r->n_ev;) {
        int j = i;
        while (j < r->n_ev && r->ev[j].month == r->ev[i].month)
            j++;
        for (int k = i; k < j; k++) {
            if (r->ev[k].type < 0 || r->ev[k].type >= QM_EV_N || !notable(r->ev[k].type)
                || qm_narrate_clause(&st, r->ev + i, j - i, k - i, clause, sizeof clause) == 0)
                continue;
            if (shown == max_events) {
                left++;
                continue;
            }
            fprintf(f, "<tr><td class=\"num\">%d</td><td>", (int)r->ev[k].month);
            esc(f, clause);
            fputs("</td></tr>\n", f);
            shown++;
        }
        i = j;
    }
    fputs("</tbody></table>\n", f);
    if (left)
        fprintf(f, "<p class=\"note\">%d more notable events are in the file's /events table.</p>\n",
                left);
    fputs("<p class=\"note\">Renewals, renegotiations, rollovers, engagement renewals, docked fees "
          "and development starts are counted above but not listed.</p>\n", f);
}

static const char *css =
    "body{font-family:sans-serif;max-width:1160px;margin:1.5em auto;padding:0 1em;color:#212529;"
    "background:#fff;line-height:1.4}\n"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;border-bottom:1px solid #ccc;"
    "padding-bottom:.2em;margin-top:1.6em}\n"
    ".meta,.note,.unit{color:#666;font-size:.9em}.lead{font-size:1.05em}\n"
    "table{border-collapse:collapse;margin:.5em 0;font-size:.92em}\n"
    "th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}\n"
    "thead th{background:#f1f3f5}td.num{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "td.differs{background:#fff3bf}tr.first td,tr.first th{border-top:2px solid #aaa}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:12px}.wide{overflow-x:auto}\n"
    "figure{margin:0;width:560px}figure img{display:block;width:560px;height:330px;"
    "border:1px solid #eee}\n"
    "figcaption{font-size:.85em;color:#555;padding:.2em .3em}\n"
    "pre{background:#f8f9fa;padding:.6em;overflow:auto;font-size:.8em;max-height:30em}\n";

static int write_html(FILE *f, const report *r, const rep_opts *o, char **svg, const size_t *len)
{
    char title[1024];
    if (o->title)
        snprintf(title, sizeof title, "%s", o->title);
    else if (!r->is_cmp)
        snprintf(title, sizeof title, "qmsim run: %s", r->scen[0].name ? r->scen[0].name : "?");
    else {
        size_t n = (size_t)snprintf(title, sizeof title, "qmsim comparison: ");
        for (int s = 0; s < r->S && n < sizeof title; s++)
            n += (size_t)snprintf(title + n, sizeof title - n, "%s%s", s ? " vs " : "",
                                  r->scen[s].name);
    }
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
    esc(f, title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", css);
    esc(f, title);
    fputs("</h1>\n<p class=\"meta\">From <code>", f);
    esc(f, r->path);
    fputs("</code>", f);
    if (r->seed_text) {
        fputs(": ", f);
        esc(f, r->seed_text);
    }
    fputs(". Written by qmsim ", f);
    esc(f, r->version ? r->version : "?");
    if (r->created) {
        fputs(" on ", f);
        esc(f, r->created);
    }
    fputs(".</p>\n", f);
    write_scenario_section(f, r);
    write_outcomes_section(f, r);
    write_charts_section(f, r, svg, len);
    write_events_section(f, r, o->max_events);
    for (int s = 0; s < r->S; s++) {
        if (!r->scen[s].resolved || !*r->scen[s].resolved)
            continue;
        fputs("<details><summary>The resolved scenario", f);
        if (r->S > 1) {
            fputs(": ", f);
            esc(f, r->scen[s].name);
        }
        fputs(" (every key)</summary>\n<pre>", f);
        esc(f, r->scen[s].resolved);
        fputs("</pre></details>\n", f);
    }
    fputs("</body>\n</html>\n", f);
    return ferror(f) ? -1 : 0;
}

/* See cli.h.  `qmsim report FILE.h5 -o REPORT.html`. */
int qm_cli_report(int argc, char **argv)
{
    rep_opts o = {0};
    report r;
    memset(&r, 0, sizeof r);
    int a = parse_args(argc, argv, &o);
    if (a != 0) {
        if (a > 0)
            usage(stdout);
        else
            fputs("usage: qmsim report FILE.h5 -o REPORT.html [options]\n", stderr);
        return a > 0 ? 0 : 2;
    }
    if (!o.force && access(o.out, F_OK) == 0) {
        fprintf(stderr, "qmsim report: %s exists (use --force to replace it)\n", o.out);
        return 2;
    }
    r.path = o.in;
    hid_t f = qm_h5_open("report", o.in);
    if (f < 0)
        return 1;
    char *kind = qm_h5_str_attr(f, "kind");
    int rc;
    if (kind && !strcmp(kind, "qmsim comparison"))
        rc = read_cmp(f, &o, &r);
    else if (kind) {
        fprintf(stderr, "qmsim report: %s is a %s file; report a run or a comparison%s\n", o.in,
                kind, strstr(kind, "sweep") ? " (qmsim compare --from-sweep R.h5 -o CMP.h5 compares "
                                              "a sweep's design points)" : "");
        rc = 2;
    } else if (H5Lexists(f, "series", H5P_DEFAULT) > 0)
        rc = read_run(f, &o, &r);
    else {
        fprintf(stderr, "qmsim report: %s is not a qmsim run or comparison file\n", o.in);
        rc = 1;
    }
    free(kind);
    H5Fclose(f);
    if (rc < 0) {
        fprintf(stderr, "qmsim report: cannot read %s (out of memory or a damaged file)\n", o.in);
        rc = 1;
    }
    if (rc != 0) {
        report_free(&r);
        return rc;
    }

    char **svg = calloc((size_t)r.n_ser + 1, sizeof *svg);
    size_t *len = calloc((size_t)r.n_ser + 1, sizeof *len);
    char partial[4200];
    snprintf(partial, sizeof partial, "%s.partial", o.out);
    if (!svg || !len)
        rc = 1;
    else if (r.n_ser > 0)
        rc = draw_charts(&r, svg, len);
    if (rc == 0) {
        FILE *out = fopen(partial, "w");
        if (!out) {
            fprintf(stderr, "qmsim report: cannot write %s: %s\n", partial, strerror(errno));
            rc = 1;
        } else {
            int w = write_html(out, &r, &o, svg, len);
            if (fclose(out) != 0 || w != 0) {
                fprintf(stderr, "qmsim report: cannot write %s: %s\n", partial, strerror(errno));
                unlink(partial);
                rc = 1;
            } else if (rename(partial, o.out) != 0) {
                fprintf(stderr, "qmsim report: cannot rename %s to %s: %s\n", partial, o.out,
                        strerror(errno));
                unlink(partial);
                rc = 1;
            }
        }
    }
    for (int i = 0; svg && i < r.n_ser; i++)
        free(svg[i]);
    free(svg);
    free(len);
    report_free(&r);
    return rc;
}
