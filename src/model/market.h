/* market.h: provider quality drift, entry and exit (MODEL.md 4.3, 2
 * Provider).  Pure functions; none can fail. */
#ifndef QMSIM_MARKET_H
#define QMSIM_MARKET_H

#include "qmsim/params.h"

/* Next month's true quality: rises with challenge in [0,1], slips when the
 * relationship is too close, reverts toward q0, plus noise (a standard
 * normal draw scaled by drift_sd); clipped to [0,1]. */
double qm_market_drift(const qm_params *p, double q, double q0, double challenge,
                       int too_close, double z);

/* Whether a provider of this kind leaves after loss_months of losses: NHS
 * providers never do. */
int qm_market_exits(const qm_params *p, int kind, int loss_months);

/* Monthly probability that an independent provider enters a service, from
 * the share of its contracts recently tendered and its margin. */
double qm_market_entry_prob(const qm_params *p, double tender_share, double margin);

/* Market concentration from the sum and the sum of squares of the
 * volumes: sum of squared shares = sumsq / sum^2, 0 when nothing is held. */
double qm_market_hhi_sums(double sum, double sumsq);

/* Market concentration: sum of squared shares of the volumes in v[0..n). */
double qm_market_hhi(const double *v, int n, int stride);

#endif
