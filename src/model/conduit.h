/* conduit.h: knowledge conduits (MODEL.md 4.4): transfer from agencies to
 * commissioners, absorptive capacity and cognitive distance, capability
 * borrowed while an engagement runs, and the dependency it creates. */
#ifndef QM_MODEL_CONDUIT_H
#define QM_MODEL_CONDUIT_H

#include "qmsim/params.h"
#include "qmsim/state.h"

/* Absorptive capacity abs = absorb_base + absorb_slope K (Cohen and
 * Levinthal 1990).  Pure. */
double qm_conduit_absorb(const qm_params *p, double K);

/* Inverted U in cognitive distance D (Nooteboom 2007): H(D) =
 * (D / D*) exp(1 - D / D*), 1 at the peak D* and 0 at D = 0.  Pure. */
double qm_conduit_distance(const qm_params *p, double D);

/* One month of transfer from an agency of skill S through conduit:
 * dK = eta abs(K) H(|S - K|) theta fit T^gamma (S - K)+, with eta by
 * conduit, theta = 1 with a transfer clause else theta_a.  Pure. */
double qm_conduit_transfer(const qm_params *p, int conduit, double K, double S,
                           double theta, double fit, double T);

/* MODEL.md 4.4 (v2): the share of a commissioner's analytic work that
 * outside staff do, from the FTE its analytic engagements delivered:
 * min(1, fte / coverage_fte) (coverage_fte FTE do all of it).  Pure. */
double qm_conduit_outsourced(const qm_params *p, double fte);

/* Capability an engagement lends while it runs: coverage S fit, with
 * coverage = min(1, fte / coverage_fte).  Pure. */
double qm_conduit_borrowed(const qm_params *p, double fte, double S, double fit);

/* Share of effective capability that comes from outside, in [0,1].  Pure. */
double qm_conduit_dependency(double own, double effective);

/* One month of the conduits of commissioner c's running engagements:
 * transfer to its analytic and procurement knowledge, the capability
 * placed or advising staff lend (cm->borrowed) and the tool a product
 * leaves (cm->tool).  Changes only commissioner c. */
void qm_conduit_learn(qm_sim *sim, int c);

#endif
