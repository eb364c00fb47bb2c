/* evaluate.c: one run of a sweep: the model (or the Ishigami test
 * function) at a design point and replicate, its series reduced to the
 * sweep's outcomes and the series it saves. */
#include "qmsim/sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qmsim/observe.h"
#include "qmsim/sim.h"
#include "sweep/sweepfile_read.h"

/* ---- Runs. ---- */

size_t qm_sweep_record_values(const qm_sweep *sw)
{
    return (size_t)sw->n_outcomes + (size_t)sw->n_series * (size_t)sw->months;
}

double qm_ishigami(double x1, double x2, double x3)
{
    double s2 = sin(x2);
    return sin(x1) + 7.0 * s2 * s2 + 0.1 * x3 * x3 * x3 * x3 * sin(x1);
}

/* Running reductions of the outcomes over one run. */
static void reduce_month(const qm_sweep *sw, int month, const double *series, double *acc,
                         int *count)
{
    for (int i = 0; i < sw->n_outcomes; i++) {
        const qm_outcome *o = &sw->outcomes[i];
        if (month < o->from || (o->to >= 0 && month > o->to))
            continue;
        double x = series[o->series];
        switch (o->reduce) {
        case QM_REDUCE_MEAN:
        case QM_REDUCE_SUM: acc[i] = count[i] ? acc[i] + x : x; break;
        case QM_REDUCE_FINAL: acc[i] = x; break;
        case QM_REDUCE_MIN: acc[i] = count[i] && !(x < acc[i]) ? acc[i] : x; break;
        default: acc[i] = count[i] && !(x > acc[i]) ? acc[i] : x; break;
        }
        count[i]++;
    }
}

static void finish_reduce(const qm_sweep *sw, double *acc, const int *count)
{
    for (int i = 0; i < sw->n_outcomes; i++) {
        if (!count[i])
            acc[i] = NAN;
        else if (sw->outcomes[i].reduce == QM_REDUCE_MEAN)
            acc[i] /= count[i];
    }
}

static int run_ishigami(const qm_sweep *sw, long p, double *values)
{
    double x[3] = {0, 0, 0};
    for (int i = 0; i < sw->n_factors; i++)
        x[sw->factors[i].path[1] - '1'] = sw->values[p * sw->n_factors + i];
    double y = qm_ishigami(x[0], x[1], x[2]);
    int count[QM_SWEEP_MAX_OUTCOMES] = {0};
    reduce_month(sw, 0, &y, values, count);
    finish_reduce(sw, values, count);
    for (int s = 0; s < sw->n_series; s++)
        values[sw->n_outcomes + s] = y;
    return QM_RUN_OK;
}

/* One simulation of design point p, replicate rep: the base with `set`,
 * the point's factor values and then the n_extra overrides extra; its
 * outcomes into values and, when series is not NULL, its saved series.
 * Returns QM_RUN_OK or QM_RUN_FAILED with a message in err. */
static int simulate(const qm_sweep *sw, long p, long rep, const char *const *extra, int n_extra,
                    double *values, double *series, char *err, size_t errlen)
{
    int k = sw->n_factors, no = sw->n_outcomes, rc = QM_RUN_FAILED;
    int n_ov = sw->n_sets + k + n_extra;
    const char **ov = malloc(((size_t)n_ov + 1) * sizeof *ov);
    char *buf = malloc((size_t)k * (QM_SWEEP_PATH_MAX + 512) + 1);
    qm_errors *e = malloc(sizeof *e);
    int *count = calloc((size_t)no, sizeof *count);
    qm_scenario sc;
    qm_sim *sim = NULL;
    qm_frame *f = NULL;
    memset(&sc, 0, sizeof sc);
    if (!ov || !buf || !e || !count) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    for (int i = 0; i < sw->n_sets; i++)
        ov[i] = sw->sets[i];
    for (int i = 0; i < k; i++) {
        char *b = buf + (size_t)i * (QM_SWEEP_PATH_MAX + 512);
        qm_swf_override_text(&sw->factors[i], sw->values[p * k + i], b, QM_SWEEP_PATH_MAX + 512);
        ov[sw->n_sets + i] = b;
    }
    for (int i = 0; i < n_extra; i++)
        ov[sw->n_sets + k + i] = extra[i];
    if (qm_scenario_load_text(sw->base_text, sw->base_source, ov, n_ov, &sc, e) != 0) {
        const char *m = e->n ? e->msg[0] : "scenario not loaded";
        snprintf(err, errlen, "point %ld%s: %s", p, n_extra ? " (reference)" : "",
                 strncmp(m, "--set: ", 7) ? m : m + 7);
        goto done;
    }
    char msg[512];
    sim = qm_sim_create(&sc, sw->seed, (uint64_t)rep, 1, msg, sizeof msg);
    f = sim ? qm_frame_alloc(sim) : NULL;
    if (!f) {
        snprintf(err, errlen, "point %ld: %s", p, sim ? "out of memory" : msg);
        goto done;
    }
    while (sim->month < sim->months) {
        qm_sim_step(sim);
        qm_observe(sim, f);
        reduce_month(sw, f->month, f->series, values, count);
        if (series && f->month < sw->months)
            for (int s = 0; s < sw->n_series; s++)
                series[(size_t)s * (size_t)sw->months + (size_t)f->month] = f->series[sw->series[s]];
    }
    finish_reduce(sw, values, count);
    rc = QM_RUN_OK;
done:
    qm_frame_free(f);
    qm_sim_free(sim);
    qm_scenario_free(&sc);
    free(ov);
    free(buf);
    free(e);
    free(count);
    return rc;
}

int qm_sweep_run(const qm_sweep *sw, long j, double *values, char *err, size_t errlen)
{
    size_t nv = qm_sweep_record_values(sw);
    for (size_t i = 0; i < nv; i++)
        values[i] = NAN;
    if (j < 0 || j >= sw->n_runs) {
        snprintf(err, errlen, "run %ld does not exist", j);
        return QM_RUN_FAILED;
    }
    long p = j / sw->replications, rep = j % sw->replications;
    if (sw->model == QM_MODEL_ISHIGAMI)
        return run_ishigami(sw, p, values);
    int no = sw->n_outcomes;
    int rc = simulate(sw, p, rep, NULL, 0, values, values + no, err, errlen);
    if (rc == QM_RUN_OK && sw->n_reference > 0) {
        /* docs/sweeps.md: the reference runs the same point and replicate
         * (the same seeds: common random numbers) with the reference's
         * overrides, and each outcome is the run's value minus its
         * reference's: a paired difference. */
        double *ref = malloc(((size_t)no + 1) * sizeof *ref);
        if (!ref) {
            snprintf(err, errlen, "out of memory");
            rc = QM_RUN_FAILED;
        } else {
            for (int i = 0; i < no; i++)
                ref[i] = NAN;
            rc = simulate(sw, p, rep, (const char *const *)sw->reference, sw->n_reference, ref,
                          NULL, err, errlen);
            for (int i = 0; rc == QM_RUN_OK && i < no; i++)
                values[i] -= ref[i];
            free(ref);
        }
    }
    if (rc != QM_RUN_OK)
        for (size_t i = 0; i < nv; i++)
            values[i] = NAN;
    return rc;
}
