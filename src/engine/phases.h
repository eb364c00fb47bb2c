/* phases.h: the parts of the monthly step that live in their own files
 * (internal to the engine).  Functions taking a commissioner c run in the
 * parallel phases and touch only that commissioner's state; the _settle
 * functions run serially in id order. */
#ifndef QMSIM_PHASES_H
#define QMSIM_PHASES_H

#include "qmsim/sim.h"
#include "core/state.h"
#include "core/walk.h"

/* Sets up provider slot p from group G (entity index i within it), drawing
 * from r.  Used at the start and for entrants.  Cannot fail. */
void qm_sim_provider_init(qm_sim *sim, int p, const qm_provider_group *G, int i,
                          gsl_rng *r, double position);

/* The CSU nearest to a position on the circle, -1 when there is none. */
int qm_sim_nearest_csu(const qm_sim *sim, double position);

/* Staff time of the month (step.c): take_time fails when fte does not fit;
 * spend_time takes what fits and records the rest as a shortfall. */
int qm_step_take_time(qm_commissioner *cm, double fte);
void qm_step_spend_time(qm_commissioner *cm, double fte);

/* Step 5, knowledge conduits: transfer through engagements, borrowed and
 * product capability, decay, information quality and dependency. */
void qm_support_learn(qm_sim *sim, int c);

/* Step 8: engagements' progress, reviews, fees and expiry decisions, and
 * the choice of an agency when a need arises (recorded, not booked). */
void qm_support_work(qm_sim *sim, int c);

/* Step 8, serial: renewals, endings and new bookings in id order; agency
 * revenue. */
void qm_support_settle(qm_sim *sim);

/* Step 9: CSU self-sufficiency (MODEL.md 2, Support agency). */
void qm_support_market(qm_sim *sim);

/* Ends engagement e of commissioner c and frees its booking.  Serial. */
void qm_support_end(qm_sim *sim, int c, int e);

/* Books an engagement with agency a.  Serial.  Returns the slot or -1. */
int qm_support_book(qm_sim *sim, int c, int a, int purpose, double fte, int clause);

/* Step 6: developments of commissioner c (MODEL.md 4.5). */
void qm_develop_step(qm_sim *sim, int c);

/* Step 6, serial: publishes realised benefits to neighbours. */
void qm_develop_settle(qm_sim *sim);

/* Starts a development of service s for commissioner c; returns its slot
 * or -1 when all slots are taken. */
int qm_develop_begin(qm_sim *sim, int c, int s, int directive);

/* Step 1: applies the timeline events of this month (MODEL.md 6). */
void qm_timeline_apply(qm_sim *sim);

#endif
