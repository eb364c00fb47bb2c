/* crn.c: the common-random-numbers runner of a comparison
 * (docs/analysis.md): every scenario run R times, replicate r of each with
 * the same master seed and replicate number, so that differences between
 * scenarios pair run for run; runs spread over threads, one run each. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>

#include "compare/cmp.h"
#include "qmsim/sim.h"

/* Runs scenario sc with the master seed and replicate rep; fills the
 * outcomes y, the kept series (keep ids; ser d->n_ser x d->T) and the
 * event counts.  Returns 0, or -1 with a message. */
static int one_run(const qm_scenario *sc, uint64_t seed, uint64_t rep, const qm_cmp *d,
                   const int *keep, double *y, double *ser, double *events, char *err,
                   size_t errlen)
{
    qm_sim *sim = qm_sim_create(sc, seed, rep, 1, err, errlen);
    qm_frame *f = sim ? qm_frame_alloc(sim) : NULL;
    size_t T = (size_t)sc->months;
    double *all = f ? malloc((size_t)QM_S_N * T * sizeof *all) : NULL;
    int rc = -1;
    if (!all) {
        if (sim)
            snprintf(err, errlen, "out of memory");
        goto done;
    }
    while (sim->month < sim->months) {
        qm_sim_step(sim);
        qm_observe(sim, f);
        for (int k = 0; k < QM_S_N; k++)
            all[(size_t)k * T + (size_t)f->month] = f->series[k];
        for (int i = 0; events && i < f->n_events; i++)
            if (f->events[i].type >= 0 && f->events[i].type < QM_EV_N)
                events[f->events[i].type] += 1.0;
    }
    for (int m = 0; m < d->n_out; m++)
        y[m] = qm_outcomes_eval(&d->out[m], all, T, (int)T);
    for (int i = 0; ser && i < d->n_ser; i++)
        for (size_t t = 0; t < T && t < (size_t)d->T; t++)
            ser[(size_t)i * (size_t)d->T + t] = all[(size_t)keep[i] * T + t];
    rc = 0;
done:
    free(all);
    qm_frame_free(f);
    qm_sim_free(sim);
    return rc;
}

/* The label of scenario s: its name, made unique among the first s by the
 * file it came from (and a number). */
static char *unique_label(const qm_cmp *d, int s, const char *name, const char *file)
{
    char buf[1024];
    int clash = 0;
    for (int i = 0; i < s; i++)
        clash |= !strcmp(d->scen[i].name, name);
    if (!clash)
        return qm_cmp_strdup(name);
    snprintf(buf, sizeof buf, "%s (%s)", name, file);
    for (int i = 0, k = 2; i < s; i++)
        if (!strcmp(d->scen[i].name, buf)) {
            snprintf(buf, sizeof buf, "%s (%s #%d)", name, file, k++);
            i = -1;
        }
    return qm_cmp_strdup(buf);
}

/* The overrides as "a=1, b=2"; malloc'd, NULL when memory runs out. */
static char *join_sets(const char *const *sets, int n)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(sets[i]) + 2;
    char *s = calloc(1, len);
    for (int i = 0; s && i < n; i++) {
        if (i)
            strcat(s, ", ");
        strcat(s, sets[i]);
    }
    return s;
}

/* Fills d's scenarios and run table from the plan.  0, or -1 out of memory. */
static int describe(const qm_crn_plan *p, qm_cmp *d)
{
    int S = p->n, R = p->replications;
    d->source = QM_CMP_SCENARIOS;
    d->seed = p->seed;
    d->replications = R;
    d->n_scen = S;
    d->scen = calloc((size_t)S, sizeof *d->scen);
    if (!d->scen)
        return -1;
    d->T = 0;
    for (int s = 0; s < S; s++)
        d->T = p->scenarios[s].months > d->T ? p->scenarios[s].months : d->T;
    for (int s = 0; s < S; s++) {
        const qm_scenario *sc = &p->scenarios[s];
        qm_cmp_scenario *c = &d->scen[s];
        c->name = unique_label(d, s, sc->name, p->files[s]);
        c->source = qm_cmp_strdup(sc->source_name);
        c->description = qm_cmp_strdup(sc->description);
        c->settings = join_sets(p->sets, p->n_sets);
        c->resolved = qm_scenario_resolved_text(sc);
        c->months = sc->months;
        c->runs = R;
        if (!c->name || !c->source || !c->description || !c->settings || !c->resolved)
            return -1;
    }
    if (p->n_keep > 0 && qm_cmp_set_model_series(d, p->keep, p->n_keep) != 0)
        return -1;
    if (qm_cmp_alloc_runs(d, S * R, 1) != 0)
        return -1;
    for (int j = 0; j < S * R; j++) {
        d->run_scen[j] = j / R;
        d->run_rep[j] = j % R;
        d->run_seed[j] = d->seed;
        if (!(d->run_file[j] = qm_cmp_strdup("")))
            return -1;
    }
    return 0;
}

int qm_crn_run(const qm_crn_plan *p, qm_cmp *d, char *err, size_t errlen)
{
    int R = p->replications;
    if ((long)p->n * R > INT_MAX / 2) {
        snprintf(err, errlen, "too many runs");
        return QM_CMP_BAD_INPUT;
    }
    if (describe(p, d) != 0) {
        snprintf(err, errlen, "out of memory");
        return QM_CMP_FAILED;
    }
    int total = p->n * R, done = 0, failed = 0;
    char first_err[600] = "";
#pragma omp parallel for schedule(dynamic, 1) num_threads(p->threads)
    for (int j = 0; j < total; j++) {
        char msg[512];
        int s = j / R;
        double *ser = d->ser ? d->ser + (size_t)j * (size_t)d->n_ser * (size_t)d->T : NULL;
        qm_scenario own;
        memset(&own, 0, sizeof own);
        const qm_scenario *sc = &p->scenarios[s];
        int r = 0;
        if (p->per_run) {
            r = p->per_run(p->per_run_ctx, sc, s, j % R, &own, msg, sizeof msg);
            sc = &own;
        }
        if (r == 0)
            r = one_run(sc, d->seed, (uint64_t)(j % R), d, p->keep,
                        d->y + (size_t)j * (size_t)d->n_out, ser,
                        d->events + (size_t)j * QM_EV_N, msg, sizeof msg);
        if (p->per_run)
            qm_scenario_free(&own);
#pragma omp critical(qm_compare_progress)
        {
            done++;
            if (r != 0 && !failed++)
                snprintf(first_err, sizeof first_err, "%s, replicate %d: %s", d->scen[s].name,
                         j % R, msg);
            if (p->progress)
                p->progress(p->ctx, done, total);
        }
    }
    if (failed) {
        snprintf(err, errlen, "%d of %d runs failed; the first: %s", failed, total, first_err);
        return QM_CMP_FAILED;
    }
    return QM_CMP_OK;
}
