/* timeline.h: the scenario's timeline events (MODEL.md 6). */
#ifndef QM_MODEL_TIMELINE_H
#define QM_MODEL_TIMELINE_H

#include "qmsim/state.h"

/* MODEL.md 4.1, 6 (v2): the share of a relationship's evidence a
 * reorganisation leaves, (1 - staff_loss)(1 - rupture): the staff who
 * left take their share of its history, and the staff who stay lose a
 * share rupture of theirs as teams and roles are redrawn.  Pure. */
double qm_timeline_history_kept(double staff_loss, double rupture);

/* Applies the timeline events of this month, in the scenario's order
 * (MODEL.md 3 step 1): reorganisations, externalisation, policy,
 * directives, priority shifts and demand shocks.  Events of past months
 * that were skipped are passed over.  Serial. */
void qm_timeline_apply(qm_sim *sim);

#endif
