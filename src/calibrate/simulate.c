/* simulate.c: the simulator a calibration hands the ABC sampler: one
 * particle becomes each scenario the targets measure (the base, and any
 * other) with its parameters set (as a sweep sets a design point's
 * factors, evaluate.c), run over replications with the same replicate
 * numbers for every scenario (common random numbers, as `qmsim compare`
 * runs them), each run's series reduced to the targets' outcomes (as a
 * comparison measures them, src/compare/outcomes.c), a comparison target's
 * value taken replicate by replicate, and each value averaged over the
 * replications where it exists. */
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
    return qm_cal_scenario_of(c, 0, theta, sc, err, errlen);
}

int qm_cal_scenario_of(const qm_cal *c, int s, const double *theta, qm_scenario *sc, char *err,
                       size_t errlen)
{
    const char *text = s > 0 ? c->scen[s].text : c->base_text;
    const char *source = s > 0 ? c->scen[s].source : c->base_source;
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
    if (qm_scenario_load_text(text, source, ov, c->n_sets + k, sc, e) != 0) {
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

/* Runs replicate rep of sc with the calibration's seed, keeping every
 * series (QM_S_N x months, into ser).  0, or -1 when the run fails. */
static int run_one(const qm_cal *c, const qm_scenario *sc, uint64_t rep, double *ser)
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
    qm_frame_free(f);
    qm_sim_free(sim);
    return 0;
}

/* What one replicate measured, by target: the outcome on its scenario
 * (y), on its reference (y_ref), and for a cost share the spend on each. */
typedef struct measured {
    double y[QM_ABC_MAX_TARGETS], y_ref[QM_ABC_MAX_TARGETS];
    double spend[QM_ABC_MAX_TARGETS], spend_ref[QM_ABC_MAX_TARGETS];
} measured;

/* Reduces the run of scenario s (series ser over months) to what each
 * target measures on it. */
static void measure(const qm_cal *c, int s, const double *ser, int months, measured *m)
{
    for (int t = 0; t < c->n_targets; t++) {
        const qm_cal_target *T = &c->targets[t];
        if (T->scenario != s && T->relative_to != s)
            continue;
        int cost = T->relation == QM_CAL_REL_COST_SHARE;
        double y = qm_outcomes_eval(&T->out, ser, (size_t)months, months);
        double spend = cost ? qm_outcomes_eval(&T->spend, ser, (size_t)months, months) : 0.0;
        /* (a scenario measured against itself is both) */
        if (T->scenario == s)
            m->y[t] = y, m->spend[t] = spend;
        if (T->relative_to == s)
            m->y_ref[t] = y, m->spend_ref[t] = spend;
    }
}

/* Target t's value in one replicate: its outcome, or the relation between
 * its scenario's and its reference's (docs/calibration.md); for a cost
 * share the added transaction costs, with the saving in *saved.  NaN where
 * it does not exist: a ratio to 0. */
static double value_of(const qm_cal_target *T, const measured *m, int t, double *saved)
{
    double y = m->y[t], ref = m->y_ref[t];
    switch (T->relation) {
    case QM_CAL_REL_DIFFERENCE:
        return y - ref;
    case QM_CAL_REL_RATIO:
        return ref != 0.0 ? y / ref : NAN;
    case QM_CAL_REL_COST_SHARE:
        *saved = m->spend_ref[t] - m->spend[t];
        return isfinite(*saved) ? y - ref : NAN;
    default:
        return y;
    }
}

int qm_cal_simulate(void *ctx, const double *theta, long key, double *values)
{
    const qm_cal *c = ctx;
    char err[512];
    int n[QM_ABC_MAX_TARGETS] = {0}, ns = c->n_scen, most = 1, rc = 0;
    double saved[QM_ABC_MAX_TARGETS] = {0};   /* a cost share's savings, summed */
    qm_scenario *sc = calloc((size_t)ns, sizeof *sc);
    unsigned char *loaded = calloc((size_t)ns, 1);
    measured *m = malloc(sizeof *m);
    for (int t = 0; t < c->n_targets; t++)
        values[t] = 0.0;
    if (!sc || !loaded || !m)
        rc = -1;
    /* each scenario a target measures, loaded once with theta */
    for (int s = 0; rc == 0 && s < ns; s++) {
        if (!c->scen[s].used)
            continue;
        if (qm_cal_scenario_of(c, s, theta, &sc[s], err, sizeof err) != 0)
            rc = -1;
        else
            loaded[s] = 1, most = sc[s].months > most ? sc[s].months : most;
    }
    double *ser = rc == 0 ? malloc((size_t)QM_S_N * (size_t)most * sizeof *ser) : NULL;
    if (!ser)
        rc = -1;
    for (int r = 0; rc == 0 && r < c->replications; r++) {
        uint64_t rep = (uint64_t)key * (uint64_t)c->replications + (uint64_t)r;
        for (int s = 0; rc == 0 && s < ns; s++)
            if (loaded[s] && (rc = run_one(c, &sc[s], rep, ser)) == 0)
                measure(c, s, ser, sc[s].months, m);
        for (int t = 0; rc == 0 && t < c->n_targets; t++) {
            double s = 0.0, y = value_of(&c->targets[t], m, t, &s);
            if (isfinite(y))
                values[t] += y, saved[t] += s, n[t]++;
        }
    }
    /* a mean over the replicates; a cost share is the share of the mean
     * saving that the mean added costs take, and none without a saving */
    for (int t = 0; t < c->n_targets; t++)
        if (c->targets[t].relation == QM_CAL_REL_COST_SHARE)
            values[t] = rc == 0 && n[t] > 0 && saved[t] > 0.0 ? values[t] / saved[t] : NAN;
        else
            values[t] = rc == 0 && n[t] > 0 ? values[t] / n[t] : NAN;
    for (int s = 0; s < ns; s++)
        if (loaded && loaded[s])
            qm_scenario_free(&sc[s]);
    free(ser);
    free(sc);
    free(loaded);
    free(m);
    return rc;
}
