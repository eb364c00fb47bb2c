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

#endif
