/* timeline.h: the scenario's timeline events (MODEL.md 6). */
#ifndef QM_MODEL_TIMELINE_H
#define QM_MODEL_TIMELINE_H

#include "qmsim/state.h"

/* MODEL.md 4.1, 6 (v2): the share of a relationship's evidence a
 * reorganisation leaves, (1 - staff_loss)(1 - rupture): the staff who
 * left take their share of its history, and the staff who stay lose a
 * share rupture of theirs as teams and roles are redrawn.  Pure. */
double qm_timeline_history_kept(double staff_loss, double rupture);

/* MODEL.md 6 (v2): the share of a commissioner's data flows working in
 * month, when they stopped in month from and are rebuilt evenly over
 * months: 0 in the month they stopped, 1 from months later on, and 1
 * before, or when months is 0.  Pure.  Inline, as the next: monitoring
 * reads it for every contract every month. */
static inline double qm_timeline_data_flow(int month, int from, int months)
{
    if (months <= 0 || month < from || month >= from + months)
        return 1.0;
    return (double)(month - from) / months;
}

/* The same for commissioner c this month.  Reads only. */
static inline double qm_timeline_data_flow_of(const qm_sim *sim, int c)
{
    const qm_commissioner *cm = &sim->comm[c];
    return qm_timeline_data_flow(sim->month, cm->rebuild_from, cm->rebuild_months);
}

/* Applies the timeline events of this month, in the scenario's order
 * (MODEL.md 3 step 1): reorganisations, externalisation, policy,
 * directives, priority shifts and demand shocks.  Events of past months
 * that were skipped are passed over.  Serial. */
void qm_timeline_apply(qm_sim *sim);

#endif
