/* trust.h: relational trust as a Beta reputation (MODEL.md 2 Relationship,
 * 4.1).  Pure functions on one relationship; none can fail. */
#ifndef QMSIM_TRUST_H
#define QMSIM_TRUST_H

#include <stdint.h>

/* A relationship between a commissioner and a partner. */
typedef struct qm_rel {
    int32_t provider;      /* partner id, -1 for an empty slot */
    int32_t last_contact;  /* month of the last evidence */
    double alpha, beta;    /* accumulated evidence */
    double a0, b0;         /* prior pseudo-counts */
} qm_rel;

/* Starts a relationship at the prior: no evidence, a0 = mean * strength. */
void qm_trust_init(qm_rel *r, int32_t partner, double prior_mean, double strength);

/* T = (alpha + a0) / (alpha + beta + a0 + b0). */
double qm_trust_mean(const qm_rel *r);

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
