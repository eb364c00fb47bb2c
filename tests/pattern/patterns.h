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
static qm_scenario pt_load(const char *name, const char *const *sets, int n)
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

/* Runs replicate rep on two threads and sums every series. */
static pt_totals pt_run(const qm_scenario *sc, int rep)
{
    char err[256];
    pt_totals t;
    memset(&t, 0, sizeof t);
    qm_sim *sim = qm_sim_create(sc, sc->seed, (uint64_t)rep, 2, err, sizeof err);
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

#endif
