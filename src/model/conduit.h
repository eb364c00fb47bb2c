/* conduit.h: knowledge conduits, borrowed capability and the choice of a
 * support agency (MODEL.md 4.4).  Pure functions; none can fail. */
#ifndef QMSIM_CONDUIT_H
#define QMSIM_CONDUIT_H

#include "qmsim/params.h"

/* Absorptive capacity abs = absorb_base + absorb_slope K (Cohen and
 * Levinthal 1990). */
double qm_conduit_absorb(const qm_params *p, double K);

/* Inverted U in cognitive distance D (Nooteboom 2007): H(D) =
 * (D / D*) exp(1 - D / D*), 1 at the peak D* and 0 at D = 0. */
double qm_conduit_distance(const qm_params *p, double D);

/* One month of transfer from an agency of skill S through conduit:
 * dK = eta abs(K) H(|S - K|) theta fit T^gamma (S - K)+, with eta by
 * conduit, theta = 1 with a transfer clause else theta_a. */
double qm_conduit_transfer(const qm_params *p, int conduit, double K, double S,
                           double theta, double fit, double T);

/* Capability an engagement lends while it runs: coverage S fit, with
 * coverage = min(1, fte / coverage_fte). */
double qm_conduit_borrowed(const qm_params *p, double fte, double S, double fit);

/* Share of effective capability that comes from outside, in [0,1]. */
double qm_conduit_dependency(double own, double effective);

/* Utility of an agency to a commissioner (MODEL.md 4.4: trust, skill, fee,
 * context fit, familiarity for the host CSU, marketing push). */
double qm_conduit_utility(const qm_params *p, double T, double S, double fee,
                          double fit, int host, double push);

/* Mean delivery against plan over a review: a failure when below
 * fail_share.  Returns the fee docked for the period (0 when passed). */
double qm_conduit_docking(const qm_params *p, double achieved, double period_fee);

#endif
