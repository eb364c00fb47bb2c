/* draw.c: attribute distributions (MODEL.md 5). */
#include "qmsim/draw.h"

#include <math.h>
#include <gsl/gsl_randist.h>

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
    case QM_DIST_NORMAL: x = d->a + gsl_ran_gaussian(r, d->b); break;
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
