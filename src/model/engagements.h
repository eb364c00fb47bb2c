/* engagements.h: engagements of support agencies (MODEL.md 4.4): the need
 * for support, the choice of an agency, the work and its reviews (docking
 * a failed deliverable), renewal or end at expiry, new bookings, and the
 * CSUs' self-sufficiency. */
#ifndef QM_MODEL_ENGAGEMENTS_H
#define QM_MODEL_ENGAGEMENTS_H

#include "qmsim/params.h"
#include "qmsim/state.h"

/* Utility of an agency to a commissioner (MODEL.md 4.4: trust, skill, fee,
 * context fit, familiarity for the host CSU, marketing push).  Pure. */
double qm_engagements_utility(const qm_params *p, double T, double S, double fee,
                              double fit, int host, double push);

/* Mean delivery against plan over a review: docked when below the lesser
 * of dock_share and fail_share (MODEL.md 4.4 v2: docking is rare; a
 * failure must be clear enough to stand in a dispute).  Returns the fee
 * docked for the period (0 when not docked).  Pure. */
double qm_engagements_docking(const qm_params *p, double achieved, double period_fee);

/* A month of commissioner c's engagements: delivery (thinned when its
 * agency is overbooked), brief clarity, consultants' context and its loss
 * to turnover, trust evidence, reviews with docking, fees, and the
 * decision at expiry; then, when a need arises and a slot is free, the
 * choice of an agency (recorded in cm->request_*, booked by
 * qm_engagements_settle).  Draws from c's stream; changes only c. */
void qm_engagements_work(qm_sim *sim, int c);

/* Settles commissioner c's engagements, in commissioner id order: fees go
 * to the agencies, decided renewals and endings happen, and the agency it
 * chose is booked when it still takes clients.  Serial. */
void qm_engagements_settle(qm_sim *sim, int c);

/* A CSU's self-sufficiency (MODEL.md 2 Support agency): it records the
 * month's revenue and, when its revenue over the rolling window does not
 * cover its staff, its capacity shrinks.  Serial. */
void qm_engagements_csu(qm_sim *sim, int a);

/* Ends engagement i of commissioner c and frees its booking.  Serial. */
void qm_engagements_end(qm_sim *sim, int c, int i);

/* Books an engagement of fte with agency a for purpose, with or without a
 * transfer clause, in c's first free slot.  Serial.  Returns the slot, or
 * -1 when every slot is taken. */
int qm_engagements_book(qm_sim *sim, int c, int a, int purpose, double fte, int clause);

#endif
