/* draw.h: draws from the scenario's attribute distributions (MODEL.md 5),
 * and the one log-normal given by its own mean and spread that they and
 * the model's effort draws share. */
#ifndef QMSIM_DRAW_H
#define QMSIM_DRAW_H

#include <gsl/gsl_rng.h>
#include "qmsim/params.h"

/* One draw for the index-th entity of a group, clipped to [lo, hi].  A list
 * gives its index-th value; a constant its value.  Cannot fail. */
double qm_draw(const qm_dist *d, gsl_rng *r, int index, double lo, double hi);

/* The normal (mu, sigma) whose exponential is a log-normal variable of
 * mean `mean` and squared coefficient of variation cv2 = (sd / mean)^2:
 * sigma^2 = ln(1 + cv2), mu = ln(mean) - sigma^2 / 2.  Cannot fail. */
void qm_draw_lognormal_shape(double mean, double cv2, double *mu, double *sigma);

/* That log-normal variable at the standard normal deviate z:
 * exp(mu + sigma z).  Cannot fail. */
double qm_draw_lognormal_at(double mean, double cv2, double z);

/* A Poisson variate of mean mu (0 when mu <= 0), exactly distributed:
 * inversion by sequential search below mean 10, above it Hormann's
 * transformed rejection with squeeze (PTRS; W. Hormann 1993, "The
 * transformed rejection method for generating Poisson random variables",
 * Insurance: Mathematics and Economics 12, 39-45), which takes two
 * uniforms for about 9 draws in 10 whatever the mean.  Cannot fail. */
double qm_draw_poisson(gsl_rng *r, double mu);

/* A normal variate of mean 0 and deviation sigma by GSL's ziggurat
 * (gsl_ran_gaussian_ziggurat; Marsaglia and Tsang 2000), exact and about
 * six times faster than the polar method.  Cannot fail. */
double qm_draw_gaussian(gsl_rng *r, double sigma);

#endif
