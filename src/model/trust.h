/* trust.h: how relational trust moves (MODEL.md 4.1): evidence from
 * contact, collaboration, penalties, rupture, and the history a
 * relationship brings from before the market.  Pure functions on one
 * relationship (its prior and mean are the state's, core/state.h); none
 * can fail. */
#ifndef QM_MODEL_TRUST_H
#define QM_MODEL_TRUST_H

#include "qmsim/state.h"

/* One month of evidence: z compares the signal with the expectation,
 * n is the intensity of contact, g the evidence weight, lambda the
 * forgetting factor.  alpha <- lambda alpha + g Phi(z) n, and likewise
 * beta with 1 - Phi(z). */
void qm_trust_update(qm_rel *r, double z, double n, double g, double lambda);

/* Adds collaboration evidence to alpha (joint work). */
void qm_trust_collaborate(qm_rel *r, double amount);

/* Adds negative evidence to beta (a penalty, a docked fee, a lost tender). */
void qm_trust_penalise(qm_rel *r, double amount);

/* Scales the evidence by (1 - rupture): trust falls back to the prior. */
void qm_trust_rupture(qm_rel *r, double rupture);

/* Evidence of a relationship that has run for age months with a mean
 * evidence share phi per month: the steady accumulation of
 * qm_trust_update with n = 1 (MODEL.md 5). */
void qm_trust_history(qm_rel *r, double age, double phi, double g, double lambda);

#endif
