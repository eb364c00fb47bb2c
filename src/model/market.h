/* market.h: the market (MODEL.md 4.3, 2 Provider): the challenge each
 * provider feels, quality drift, exit and the fallback provider, entry,
 * the market margins and concentration. */
#ifndef QM_MODEL_MARKET_H
#define QM_MODEL_MARKET_H

#include "qmsim/params.h"
#include "qmsim/state.h"
#include "core/state.h"

/* Next month's true quality of a provider's service: reverts toward q0,
 * plus noise (a standard normal draw scaled by drift_sd); clipped to
 * [0,1].  (v2: challenge and closeness act on each contract's lift,
 * qm_market_lift, not on the provider's quality for every commissioner.)
 * Pure. */
double qm_market_drift(const qm_params *p, double q, double q0, double z);

/* Whether a provider of this kind leaves after loss_months of losses: NHS
 * providers never do.  Pure. */
int qm_market_exits(const qm_params *p, int kind, int loss_months);

/* Monthly probability that an independent provider enters a service, from
 * the share of its contracts recently tendered and its margin.  Pure. */
double qm_market_entry_prob(const qm_params *p, double tender_share, double margin);

/* Market concentration from the sum and the sum of squares of the
 * volumes: sum of squared shares = sumsq / sum^2, 0 when nothing is held.
 * Pure. */
double qm_market_hhi_sums(double sum, double sumsq);

/* Market concentration: sum of squared shares of the volumes in v[0..n).
 * Pure. */
double qm_market_hhi(const double *v, int n, int stride);

/* MODEL.md 4.3 (v2): next month's quality gain of one contract from
 * challenge in [0,1]: it rises by drift_challenge x challenge, slips by
 * drift_close when the relationship is too close, reverts toward 0 at the
 * provider's reversion rate, and stays within +-challenge_bound.  Pure. */
double qm_market_lift(const qm_params *p, double lift, double challenge, int too_close);

/* MODEL.md 4.3 (v2): challenge acts on the contract that was challenged.
 * As the month ends, contract k (in force), held by commissioner c,
 * records the trust in its incumbent, and its quality gain from challenge
 * moves with the contract's own challenge (a recent or running tender,
 * else its monitoring) and whether the relationship is too close: one
 * tender somewhere lifts no other commissioner's contract.  Changes only
 * the contract.  Inline: the engine runs it for every contract every
 * month. */
static inline void qm_market_challenge(qm_sim *sim, int c, qm_contract *k)
{
    const qm_params *P = &sim->p;
    k->trust = qm_state_incumbent_trust(sim, c, k);
    int recent = k->last_tender >= 0 && sim->month - k->last_tender < P->market.challenge_months;
    double ch = recent || k->tender_end >= 0 ? 1.0 : k->monitoring;
    int close = k->trust > P->market.close_threshold && k->monitoring < P->market.close_monitoring;
    qm_contract_x *x = QM_CONX(sim, k);
    x->lift = qm_market_lift(P, x->lift, ch, close);
}

/* Provider p's base quality drifts in each service it offers (v2:
 * reversion and noise only; challenge and closeness act per contract),
 * and a month of losses is counted.  Draws from p's stream; changes only p. */
void qm_market_drift_provider(qm_sim *sim, int p);

/* Whether provider p leaves this month (in force and loss-making for
 * long enough), into sim->exiting[p].  Reads and writes only p's entries:
 * runs for every provider after the drift, on the threads. */
void qm_market_exit_decide(qm_sim *sim, int p);

/* The providers qm_market_exit_decide marked leave together, in id order,
 * and their contracts move to the nearest provider within reach that can
 * take them (NHS first), or lapse when none can.  Serial. */
void qm_market_exit(qm_sim *sim);

/* Under an open market, an independent provider may enter each service
 * with the probability its recent tenders and margin give.  Draws from
 * the market stream; serial. */
void qm_market_entry(qm_sim *sim);

/* Counts commissioner c's expiry decisions of this month in services lo
 * to hi - 1, per service, in the entry window, which entry reads.  Counts
 * are integers, so the order commissioners are counted in does not
 * matter; callers that run at once give each a separate range of
 * services.  Cannot fail. */
void qm_market_count_decisions(qm_sim *sim, int c, int lo, int hi);

#endif
