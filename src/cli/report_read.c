/* report_read.c: what `qmsim report` shows, read from a run file (through
 * the run-file reader) or a comparison file (through the comparison
 * file's reader, the one its writer defines the layout with). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report.h"

void qm_report_free(rep_data *r)
{
    for (int s = 0; r->loaded && s < r->cf.n_scen; s++)
        if (r->loaded[s])
            qm_scenario_free(&r->sc[s]);
    free(r->sc);
    free(r->loaded);
    qm_cmpfile_free(&r->cf);
    free(r->seed_text);
    free(r->ev);
    for (int k = 0; k < QM_STORY_KINDS; k++)
        qm_runfile_strings_free(r->names[k], r->n_names[k]);
}

/* Loads each scenario's resolved text, for its key parameters.  A
 * scenario that does not load (a newer file) simply shows fewer.  0, or
 * -1 out of memory. */
static int load_scenarios(rep_data *r)
{
    int S = r->cf.n_scen;
    r->sc = calloc((size_t)S + 1, sizeof *r->sc);
    r->loaded = calloc((size_t)S + 1, sizeof *r->loaded);
    if (!r->sc || !r->loaded)
        return -1;
    qm_errors *e = malloc(sizeof *e);
    for (int s = 0; e && s < S; s++) {
        const qm_cmp_scenario *c = &r->cf.scen[s];
        memset(e, 0, sizeof *e);
        if (c->resolved && *c->resolved
            && qm_scenario_load_text(c->resolved, c->name, NULL, 0, &r->sc[s], e) == 0)
            r->loaded[s] = 1;
    }
    free(e);
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

/* ---- A run file ---- */

/* The run's key outcomes from its series all (QM_S_N x T).  0 or -1. */
static int run_outcomes(rep_data *r, const double *all, int T)
{
    qm_cmp_outcome out[QM_KO_N];
    char err[256];
    qm_cmpfile *cf = &r->cf;
    int M = qm_outcomes_parse(NULL, out, QM_KO_N, err, sizeof err);
    cf->out_names = calloc(QM_KO_N, sizeof(char *));
    cf->out_desc = calloc(QM_KO_N, sizeof(char *));
    cf->mean = malloc(QM_KO_N * sizeof(double));
    if (!cf->out_names || !cf->out_desc || !cf->mean)
        return -1;
    for (int m = 0; m < M; m++) {
        cf->out_names[m] = strdup(out[m].name);
        cf->out_desc[m] = strdup(qm_outcomes_key_defs[out[m].key].description);
        cf->mean[m] = qm_outcomes_eval(&out[m], all, (size_t)T, T);
        cf->n_out = cf->n_out_desc = m + 1;
    }
    return 0;
}

/* The run's series to chart: those of --series, else the main ones.
 * 0, -1 out of memory, 2 after a message. */
static int run_series(rep_data *r, const rep_opts *o, const double *all, int T)
{
    char *names[QM_S_N];
    qm_cmpfile *cf = &r->cf;
    for (int k = 0; k < QM_S_N; k++)
        names[k] = (char *)qm_series_defs[k].name;
    if (check_series(o->series, names, QM_S_N) != 0)
        return 2;
    cf->T = T;
    cf->ser_names = calloc(QM_S_N, sizeof(char *));
    cf->ser_units = calloc(QM_S_N, sizeof(char *));
    cf->ser_desc = calloc(QM_S_N, sizeof(char *));
    cf->smean = malloc(((size_t)QM_S_N * (size_t)T + 1) * sizeof(double));
    if (!cf->ser_names || !cf->ser_units || !cf->ser_desc || !cf->smean)
        return -1;
    for (int i = 0; i < (o->series ? QM_S_N : qm_outcomes_main_series_n); i++) {
        int k = o->series ? i : qm_outcomes_main_series[i];
        if (!qm_outcomes_listed(o->series, qm_series_defs[k].name)
            || cf->n_ser == QM_REPORT_MAX_CHARTS)
            continue;
        int n = cf->n_ser++;
        cf->ser_names[n] = strdup(qm_series_defs[k].name);
        cf->ser_units[n] = strdup(qm_series_defs[k].units);
        cf->ser_desc[n] = strdup(qm_series_defs[k].description);
        memcpy(cf->smean + (size_t)n * (size_t)T, all + (size_t)k * (size_t)T,
               (size_t)T * sizeof(double));
        if (!cf->ser_names[n] || !cf->ser_units[n] || !cf->ser_desc[n])
            return -1;
    }
    return 0;
}

/* The run's scenario, its seed and its version.  0 or -1. */
static int run_scenario(const qm_runfile *f, rep_data *r)
{
    long long seed = 0, rep = 0;
    char buf[96];
    qm_cmpfile *cf = &r->cf;
    cf->n_scen = 1;
    cf->scen = calloc(1, sizeof *cf->scen);
    if (!cf->scen)
        return -1;
    qm_cmp_scenario *c = &cf->scen[0];
    c->name = qm_runfile_attr(f, "scenario_name");
    c->resolved = qm_runfile_attr(f, "scenario_resolved");
    c->source = qm_runfile_attr(f, "scenario_source");
    c->settings = strdup("");
    c->runs = 1;
    cf->version = qm_runfile_attr(f, "qmsim_version");
    cf->created = qm_runfile_attr(f, "created");
    qm_runfile_int(f, "seed", &seed);
    qm_runfile_int(f, "replicate", &rep);
    snprintf(buf, sizeof buf, "seed %llu, replicate %lld", (unsigned long long)seed, rep);
    r->seed_text = strdup(buf);
    if (!c->name || !c->settings || !r->seed_text || load_scenarios(r) != 0)
        return -1;
    c->description = strdup(r->loaded[0] ? r->sc[0].description : "");
    return c->description ? 0 : -1;
}

/* A run file.  0, -1 out of memory or damaged, else the exit status
 * after a message. */
static int read_run(const qm_runfile *f, const rep_opts *o, rep_data *r)
{
    static const char *const groups[] = {"entities/commissioner/name", "entities/provider/name",
                                         "entities/service/name", "entities/agency/name"};
    long long complete = 0;
    int T = 0, rc;
    if (qm_runfile_int(f, "complete", &complete) != 0 || complete != 1) {
        fprintf(stderr, "qmsim report: %s is incomplete (the run did not finish)\n", r->path);
        return 1;
    }
    if (run_scenario(f, r) != 0)
        return -1;
    double *all = qm_runfile_series(f, &T);
    if (!all)
        return -1;
    rc = run_outcomes(r, all, T);
    if (rc == 0)
        rc = run_series(r, o, all, T);
    free(all);
    if (rc != 0)
        return rc;
    for (int k = 0; k < QM_STORY_POLICY; k++)
        r->names[k] = qm_runfile_strings(f, groups[k], &r->n_names[k]);
    r->ev = qm_runfile_events(f, &r->n_ev);
    r->has_events = qm_runfile_has(f, "events");
    return 0;
}

/* ---- A comparison file ---- */

static int read_cmp(const rep_opts *o, rep_data *r)
{
    char err[1024], buf[200];
    qm_cmpfile *cf = &r->cf;
    r->is_cmp = 1;
    if (qm_cmpfile_read(o->in, o->series, QM_REPORT_MAX_CHARTS, cf, err, sizeof err) != 0) {
        fprintf(stderr, "qmsim report: %s\n", err);
        return 1;
    }
    if (cf->source && !strcmp(cf->source, "files"))
        snprintf(buf, sizeof buf, "runs read from files");
    else
        snprintf(buf, sizeof buf, "%lld replications of each, common random numbers (master seed "
                 "%llu)", cf->replications, (unsigned long long)cf->seed);
    if (!(r->seed_text = strdup(buf)) || load_scenarios(r) != 0)
        return -1;
    if (cf->has_bands)
        return check_series(o->series, cf->band_names, cf->n_band_names) != 0 ? 2 : 0;
    if (o->series) {
        fprintf(stderr, "qmsim report: %s keeps no series (compare with -o keeps them)\n", r->path);
        return 2;
    }
    return 0;
}

/* What kind of file o->in is, and its reading.  As qm_report_read, but
 * -1 out of memory or damaged. */
static int read_kind(const rep_opts *o, rep_data *r)
{
    char err[1024];
    qm_runfile *f = qm_runfile_open(o->in, err, sizeof err);
    if (!f) {   /* the file named is not there or not HDF5: a usage error */
        fprintf(stderr, "qmsim report: %s\n", err);
        return 2;
    }
    char *kind = qm_runfile_attr(f, "kind");
    int rc;
    if (kind && !strcmp(kind, "qmsim comparison")) {
        qm_runfile_close(f);
        f = NULL;
        rc = read_cmp(o, r);
    } else if (kind) {
        fprintf(stderr, "qmsim report: %s is a %s file; report a run or a comparison%s\n", o->in,
                kind, strstr(kind, "sweep") ? " (qmsim compare --from-sweep R.h5 -o CMP.h5 "
                                              "compares a sweep's design points)" : "");
        rc = 2;
    } else if (qm_runfile_has(f, "series"))
        rc = read_run(f, o, r);
    else {
        fprintf(stderr, "qmsim report: %s is not a qmsim run or comparison file\n", o->in);
        rc = 2;
    }
    free(kind);
    qm_runfile_close(f);
    return rc;
}

int qm_report_read(const rep_opts *o, rep_data *r)
{
    r->path = o->in;
    int rc = read_kind(o, r);
    if (rc < 0) {
        fprintf(stderr, "qmsim report: cannot read %s (out of memory or a damaged file)\n", o->in);
        rc = 1;
    }
    return rc;
}
