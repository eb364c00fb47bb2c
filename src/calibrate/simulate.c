/* simulate.c: the simulator a calibration hands the ABC sampler: one
 * particle becomes the base scenario with its parameters set (as a sweep
 * sets a design point's factors, evaluate.c), run over replications, each
 * run's series reduced to the targets' outcomes (as a comparison measures
 * them, src/compare/outcomes.c), averaged over the replications where it exists. */
#include "qmsim/calibrate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qmsim/observe.h"
#include "qmsim/sim.h"

/* Room for one "path=value" override. */
#define OVERRIDE_BYTES (QM_SWEEP_PATH_MAX + 512)

int qm_cal_scenario(const qm_cal *c, const double *theta, qm_scenario *sc, char *err,
                    size_t errlen)
{
    int k = theta ? c->n_params : 0, rc = -1;
    const char **ov = malloc(((size_t)c->n_sets + (size_t)k + 1) * sizeof *ov);
    char *buf = malloc(((size_t)k + 1) * OVERRIDE_BYTES);
    qm_errors *e = malloc(sizeof *e);
    memset(sc, 0, sizeof *sc);
    if (!ov || !buf || !e) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    for (int i = 0; i < c->n_sets; i++)
        ov[i] = c->sets[i];
    for (int j = 0; j < k; j++) {
        char *b = buf + (size_t)j * OVERRIDE_BYTES;
        qm_cal_override(c, j, theta[j], b, OVERRIDE_BYTES);
        ov[c->n_sets + j] = b;
    }
    if (qm_scenario_load_text(c->base_text, c->base_source, ov, c->n_sets + k, sc, e) != 0) {
        const char *m = e->n ? e->msg[0] : "scenario not loaded";
        snprintf(err, errlen, "%s", strncmp(m, "--set: ", 7) ? m : m + 7);
        goto done;
    }
    rc = 0;
done:
    free(ov);
    free(buf);
    free(e);
    return rc;
}

/* Runs replicate rep of sc, keeping every series (QM_S_N x months), and
 * adds each target's outcome, when it exists (a median of no launches does
 * not), to sum and counts it in n.  0, or -1 when the run fails. */
static int run_one(const qm_cal *c, const qm_scenario *sc, uint64_t rep, double *ser,
                   double *sum, int *n)
{
    char msg[256];
    qm_sim *sim = qm_sim_create(sc, c->abc.seed, rep, 1, msg, sizeof msg);
    qm_frame *f = sim ? qm_frame_alloc(sim) : NULL;
    int months = sim ? sim->months : 0;
    if (!f) {
        qm_sim_free(sim);
        return -1;
    }
    while (sim->month < sim->months) {
        qm_sim_step(sim);
        qm_observe(sim, f);
        for (int s = 0; s < QM_S_N; s++)
            ser[(size_t)s * (size_t)months + (size_t)f->month] = f->series[s];
    }
    for (int t = 0; t < c->n_targets; t++) {
        double y = qm_outcomes_eval(&c->targets[t].out, ser, (size_t)months, months);
        if (isfinite(y))
            sum[t] += y, n[t]++;
    }
    qm_frame_free(f);
    qm_sim_free(sim);
    return 0;
}

int qm_cal_simulate(void *ctx, const double *theta, long key, double *values)
{
    const qm_cal *c = ctx;
    qm_scenario sc;
    char err[512];
    int n[QM_ABC_MAX_TARGETS] = {0};
    for (int t = 0; t < c->n_targets; t++)
        values[t] = 0.0;
    if (qm_cal_scenario(c, theta, &sc, err, sizeof err) != 0)
        return -1;
    double *ser = malloc((size_t)QM_S_N * (size_t)(sc.months > 0 ? sc.months : 1) * sizeof *ser);
    int rc = ser ? 0 : -1;
    for (int r = 0; rc == 0 && r < c->replications; r++)
        rc = run_one(c, &sc, (uint64_t)key * (uint64_t)c->replications + (uint64_t)r, ser,
                     values, n);
    for (int t = 0; t < c->n_targets; t++)
        values[t] = rc == 0 && n[t] > 0 ? values[t] / n[t] : NAN;
    free(ser);
    qm_scenario_free(&sc);
    return rc;
}
