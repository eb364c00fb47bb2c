/* draw.c: attribute distributions (MODEL.md 5). */
#include "qmsim/draw.h"

#include <math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>

void qm_draw_lognormal_shape(double mean, double cv2, double *mu, double *sigma)
{
    double s2 = log1p(cv2);
    *mu = log(mean) - 0.5 * s2;
    *sigma = sqrt(s2);
}

double qm_draw_lognormal_at(double mean, double cv2, double z)
{
    double mu, sigma;
    qm_draw_lognormal_shape(mean, cv2, &mu, &sigma);
    return exp(mu + sigma * z);
}

double qm_draw(const qm_dist *d, gsl_rng *r, int index, double lo, double hi)
{
    double x;
    switch (d->kind) {
    case QM_DIST_UNIFORM: x = d->a + (d->b - d->a) * gsl_rng_uniform(r); break;
    case QM_DIST_NORMAL: x = d->a + qm_draw_gaussian(r, d->b); break;
    case QM_DIST_LOGNORMAL: {
        /* The scenario gives the variable's own mean and sd. */
        double mu, sigma;
        qm_draw_lognormal_shape(d->a, (d->b * d->b) / (d->a * d->a), &mu, &sigma);
        x = gsl_ran_lognormal(r, mu, sigma);
        break;
    }
    case QM_DIST_BETA: x = gsl_ran_beta(r, d->a, d->b); break;
    case QM_DIST_LIST: x = d->n > 0 ? d->values[index % d->n] : d->a; break;
    default: x = d->a; break;
    }
    return x < lo ? lo : x > hi ? hi : x;
}

double qm_draw_gaussian(gsl_rng *r, double sigma)
{
    return gsl_ran_gaussian_ziggurat(r, sigma);
}

/* Inversion: the first k at which the cumulative probability passes a
 * uniform.  For mu < 10 the sum stays far from underflow and takes mu + 1
 * steps on average. */
static double poisson_inversion(gsl_rng *r, double mu)
{
    double u = gsl_rng_uniform(r), p = exp(-mu), f = p;
    unsigned k = 0;
    while (u > f && p > 0.0) {
        k++;
        p *= mu / k;
        f += p;
    }
    return (double)k;
}

/* PTRS, as in Hormann (1993), table 2 (the constants are his). */
static double poisson_ptrs(gsl_rng *r, double mu)
{
    double slam = sqrt(mu), loglam = log(mu);
    double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
    double inv_alpha = 1.1239 + 1.1328 / (b - 3.4), v_r = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        double u = gsl_rng_uniform(r) - 0.5, v = gsl_rng_uniform(r);
        double us = 0.5 - fabs(u);
        double k = floor((2.0 * a / us + b) * u + mu + 0.43);
        if (us >= 0.07 && v <= v_r)
            return k;
        if (k < 0.0 || (us < 0.013 && v > us))
            continue;
        if (log(v) + log(inv_alpha) - log(a / (us * us) + b)
            <= -mu + k * loglam - gsl_sf_lnfact((unsigned)k))
            return k;
    }
}

double qm_draw_poisson(gsl_rng *r, double mu)
{
    if (!(mu > 0.0))
        return 0.0;
    return mu < 10.0 ? poisson_inversion(r, mu) : poisson_ptrs(r, mu);
}
