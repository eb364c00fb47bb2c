/* posterior.c: a calibration's posterior driving a comparison (`qmsim
 * compare --posterior`): replicate r of every scenario runs with the
 * parameters of one posterior particle, drawn by weight from a stream of
 * (seed, r), so that reform differences carry parameter uncertainty as
 * well as noise and stay paired run for run. */
#include "qmsim/calibrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>

#include "qmsim/rng.h"

/* The stream kind of the particle draws ("POS"). */
#define POSTERIOR_STREAM 0x504f53u
#define OVERRIDE_BYTES (QM_SWEEP_PATH_MAX + 512)

void qm_cal_posterior_close(qm_cal_posterior *p)
{
    if (!p)
        return;
    qm_cal_free(&p->cal);
    qm_calresult_free(&p->res);
    free(p->cum);
    memset(p, 0, sizeof *p);
}

int qm_cal_posterior_open(const char *path, uint64_t seed, qm_cal_posterior *p, char *err,
                          size_t errlen)
{
    memset(p, 0, sizeof *p);
    if (qm_calresult_read(path, &p->res, err, errlen) != 0)
        return -1;
    qm_errors *e = malloc(sizeof *e);
    if (!e || qm_cal_load_result(&p->res, path, &p->cal, e) != 0) {
        snprintf(err, errlen, "%s: the calibration it records cannot be read: %s", path,
                 e ? e->msg[0] : "out of memory");
        free(e);
        qm_cal_posterior_close(p);
        return -1;
    }
    free(e);
    p->seed = seed;
    p->gen = qm_calresult_last(&p->res);
    int n = p->gen >= 0 ? p->res.gen_n[p->gen] : 0;
    p->cum = malloc((size_t)(n ? n : 1) * sizeof *p->cum);
    if (n < 1 || !p->cum || p->cal.n_params != p->res.n_params) {
        snprintf(err, errlen, "%s holds no posterior particles", path);
        qm_cal_posterior_close(p);
        return -1;
    }
    double c = 0.0;
    for (int i = 0; i < n; i++)
        p->cum[i] = c += p->res.weight[p->gen][i];
    p->cum[n - 1] = 1.0 + 1e-12;   /* a uniform draw always lands */
    return 0;
}

int qm_cal_posterior_particle(const qm_cal_posterior *p, int r)
{
    gsl_rng *g = qm_rng_alloc(QM_RNG_CMRG, p->seed, (uint64_t)r, POSTERIOR_STREAM, 0);
    double u = g ? gsl_rng_uniform(g) : 0.5;
    gsl_rng_free(g);
    int lo = 0, hi = p->res.gen_n[p->gen] - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (p->cum[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int qm_cal_posterior_scenario(void *ctx, const qm_scenario *sc, int s, int r, qm_scenario *out,
                              char *err, size_t errlen)
{
    const qm_cal_posterior *p = ctx;
    int d = p->cal.n_params, i = qm_cal_posterior_particle(p, r), rc = -1;
    const double *theta = &p->res.theta[p->gen][(size_t)i * (size_t)d];
    char *text = qm_scenario_resolved_text(sc), *buf = malloc((size_t)d * OVERRIDE_BYTES);
    const char **ov = malloc((size_t)d * sizeof *ov);
    qm_errors *e = malloc(sizeof *e);
    (void)s;
    if (!text || !buf || !ov || !e) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    for (int j = 0; j < d; j++) {
        qm_cal_override(&p->cal, j, theta[j], buf + (size_t)j * OVERRIDE_BYTES, OVERRIDE_BYTES);
        ov[j] = buf + (size_t)j * OVERRIDE_BYTES;
    }
    if (qm_scenario_load_text(text, sc->source_name, ov, d, out, e) != 0) {
        snprintf(err, errlen, "posterior particle %d: %s", i, e->n ? e->msg[0] : "not loaded");
        memset(out, 0, sizeof *out);
        goto done;
    }
    rc = 0;
done:
    free(text);
    free(buf);
    free(ov);
    free(e);
    return rc;
}
