/* draw.h: draws from the scenario's attribute distributions (MODEL.md 5). */
#ifndef QMSIM_DRAW_H
#define QMSIM_DRAW_H

#include <gsl/gsl_rng.h>
#include "qmsim/params.h"

/* One draw for the index-th entity of a group, clipped to [lo, hi].  A list
 * gives its index-th value; a constant its value.  Cannot fail. */
double qm_draw(const qm_dist *d, gsl_rng *r, int index, double lo, double hi);

#endif
