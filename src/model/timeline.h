/* timeline.h: the scenario's timeline events (MODEL.md 6). */
#ifndef QM_MODEL_TIMELINE_H
#define QM_MODEL_TIMELINE_H

#include "qmsim/state.h"

/* Applies the timeline events of this month, in the scenario's order
 * (MODEL.md 3 step 1): reorganisations, externalisation, policy,
 * directives, priority shifts and demand shocks.  Events of past months
 * that were skipped are passed over.  Serial. */
void qm_timeline_apply(qm_sim *sim);

#endif
