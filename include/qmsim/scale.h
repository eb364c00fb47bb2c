/* scale.h: multiplying a scenario's entities for scaling studies (issue:
 * performance at national scale).  The model is unchanged: K times the
 * commissioners, providers, agencies and entrant slots. */
#ifndef QMSIM_SCALE_H
#define QMSIM_SCALE_H

#include <stddef.h>
#include "qmsim/params.h"

#define QM_SCALE_MAX 1000

/* Multiplies every commissioner, provider and agency group's count and
 * market.max_entrants by k (1..QM_SCALE_MAX).  Explicit names are repeated
 * with a suffix ("Vale #2"); list distributions repeat their values.
 * Returns 0, or -1 with a message in err: k out of range or counts that
 * would be too large (the scenario is then unchanged), or out of memory
 * (the scenario may be partly scaled; it stays safe to free). */
int qm_scale_apply(qm_scenario *sc, int k, char *err, size_t errlen);

#endif
