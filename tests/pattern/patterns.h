/* patterns.h: running a bundled scenario over replications and reducing
 * its series, for the pattern tests of MODEL.md 1. */
#ifndef QMSIM_TEST_PATTERNS_H
#define QMSIM_TEST_PATTERNS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qmsim/qmsim.h"

#define PT_REPS 20

/* Totals of every series over a run's horizon. */
typedef struct pt_totals {
    double sum[QM_S_N];
    double mean[QM_S_N];
} pt_totals;

static const char *pt_srcdir = ".";

/* Loads scenarios/NAME.cfg from the source tree; exits on failure. */
static inline qm_scenario pt_load(const char *name, const char *const *sets, int n)
{
    static qm_errors err;
    char path[4096];
    qm_scenario sc;
    snprintf(path, sizeof path, "%s/scenarios/%s.cfg", pt_srcdir, name);
    if (qm_scenario_load(path, sets, n, &sc, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg[0]);
        exit(2);
    }
    return sc;
}

/* Runs replicate rep and sums every series (one thread: ctest runs tests
 * side by side, and determinism across threads is tested elsewhere). */
static inline pt_totals pt_run(const qm_scenario *sc, int rep)
{
    char err[256];
    pt_totals t;
    memset(&t, 0, sizeof t);
    qm_sim *sim = qm_sim_create(sc, sc->seed, (uint64_t)rep, 1, err, sizeof err);
    if (!sim) {
        fprintf(stderr, "%s\n", err);
        exit(2);
    }
    qm_frame *f = qm_frame_alloc(sim);
    while (sim->month < sim->months) {
        qm_sim_step(sim);
        qm_observe(sim, f);
        for (int i = 0; i < QM_S_N; i++)
            t.sum[i] += f->series[i];
    }
    for (int i = 0; i < QM_S_N; i++)
        t.mean[i] = t.sum[i] / sim->months;
    qm_frame_free(f);
    qm_sim_free(sim);
    return t;
}

/* A whole run: every month's series, and the months from start to launch
 * of every development launched. */
typedef struct pt_result {
    int months;
    double *series;        /* months x QM_S_N */
    int n_launch;
    double *launch;        /* months to launch */
    int n_launch_started_before; /* launches of developments started before mark */
    double launch_started_before; /* their summed months to launch */
    int n_under_way;       /* those launches, one by one: */
    int *under_way;        /* (commissioner, service, start, launch) each */
} pt_result;

#define PT_UNDER_WAY_MAX 4096

#define PT_AT(r, m, s) ((r)->series[(size_t)(m) * QM_S_N + (s)])

/* Runs replicate rep keeping every month.  mark: developments started
 * before this month are followed separately (P5). */
static inline pt_result pt_run_full(const qm_scenario *sc, int rep, int mark)
{
    char err[256];
    pt_result r = {0};
    qm_sim *sim = qm_sim_create(sc, sc->seed, (uint64_t)rep, 1, err, sizeof err);
    if (!sim) {
        fprintf(stderr, "%s\n", err);
        exit(2);
    }
    qm_frame *f = qm_frame_alloc(sim);
    r.months = sim->months;
    r.series = calloc((size_t)r.months * QM_S_N, sizeof(double));
    r.launch = calloc(4096, sizeof(double));
    r.under_way = calloc(4 * PT_UNDER_WAY_MAX, sizeof(int));
    while (sim->month < sim->months) {
        qm_sim_step(sim);
        qm_observe(sim, f);
        memcpy(r.series + (size_t)f->month * QM_S_N, f->series, sizeof f->series);
        for (int i = 0; i < f->n_events; i++) {
            const qm_event *e = &f->events[i];
            if (e->type != QM_EV_DEVELOPMENT_LAUNCH)
                continue;
            if (r.n_launch < 4096)
                r.launch[r.n_launch++] = e->value;
            if (e->month - e->value < mark && e->month >= mark) {
                r.n_launch_started_before++;
                r.launch_started_before += e->value;
                if (r.n_under_way < PT_UNDER_WAY_MAX) {
                    int *u = r.under_way + 4 * r.n_under_way++;
                    u[0] = e->commissioner, u[1] = e->service;
                    u[2] = e->month - (int)e->value, u[3] = e->month;
                }
            }
        }
    }
    qm_frame_free(f);
    qm_sim_free(sim);
    return r;
}

static inline void pt_free(pt_result *r)
{
    free(r->series);
    free(r->launch);
    free(r->under_way);
}

/* Developments under way at mark in both runs a and b of one replicate
 * (the same commissioner, service and start month: before mark the runs
 * are the same) that launched in both: their number, and in *delay the
 * sum of b's launch month minus a's. */
static inline int pt_matched_delay(const pt_result *a, const pt_result *b, double *delay)
{
    int n = 0;
    *delay = 0.0;
    for (int i = 0; i < a->n_under_way; i++) {
        const int *x = a->under_way + 4 * i;
        for (int j = 0; j < b->n_under_way; j++) {
            const int *y = b->under_way + 4 * j;
            if (x[0] == y[0] && x[1] == y[1] && x[2] == y[2]) {
                *delay += y[3] - x[3];
                n++;
                break;
            }
        }
    }
    return n;
}

static inline double pt_sum(const pt_result *r, int s, int from, int to)
{
    double t = 0.0;
    for (int m = from; m < to && m < r->months; m++)
        t += PT_AT(r, m, s);
    return t;
}

#endif
