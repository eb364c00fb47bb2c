/* draw.c: attribute distributions (MODEL.md 5). */
#include "qmsim/draw.h"

#include <math.h>
#include <gsl/gsl_randist.h>

double qm_draw(const qm_dist *d, gsl_rng *r, int index, double lo, double hi)
{
    double x;
    switch (d->kind) {
    case QM_DIST_UNIFORM: x = d->a + (d->b - d->a) * gsl_rng_uniform(r); break;
    case QM_DIST_NORMAL: x = d->a + gsl_ran_gaussian(r, d->b); break;
    case QM_DIST_LOGNORMAL: {
        /* The scenario gives the variable's own mean and sd. */
        double s2 = log1p((d->b * d->b) / (d->a * d->a));
        x = gsl_ran_lognormal(r, log(d->a) - 0.5 * s2, sqrt(s2));
        break;
    }
    case QM_DIST_BETA: x = gsl_ran_beta(r, d->a, d->b); break;
    case QM_DIST_LIST: x = d->n > 0 ? d->values[index % d->n] : d->a; break;
    default: x = d->a; break;
    }
    return x < lo ? lo : x > hi ? hi : x;
}
