/* delivery.h: delivery and payment (MODEL.md 3.2): each month's demand,
 * the activity delivered within the provider's capacity, the realised
 * quality, and what the commissioner pays and the provider earns. */
#ifndef QM_MODEL_DELIVERY_H
#define QM_MODEL_DELIVERY_H

#include "qmsim/params.h"
#include "qmsim/state.h"
#include "core/state.h"

/* Payment for one month: block pays price x expected volume; activity pays
 * price x delivered; outcome pays a base share of the block value plus the
 * rest scaled by perceived over expected quality (capped).  Pure. */
double qm_delivery_payment(const qm_params *p, int payment, double price, double volume,
                           double delivered, double qhat);

/* Draws this month's demand of each of commissioner c's contracts,
 * Poisson(demand x demand factor x population / 1000); demand without a
 * contract is unmet.  Draws from c's stream; changes only c. */
void qm_delivery_demand(qm_sim *sim, int c);

/* Adds the demand of c's contract for s (in force) to what its provider
 * is asked for this month.  The caller gives each provider-service entry
 * one writer. */
static inline void qm_delivery_route(qm_sim *sim, int c, int s)
{
    const qm_contract *k = QM_CON(sim, c, s);
    sim->ps_demand[QM_PS(sim, k->provider, s)] += k->demand;
}

/* c's contract for s (in force) delivers: capacity is rationed in
 * proportion to demand, realised quality is the provider's quality plus
 * the development bonus, less a switching dip, plus noise; the payment
 * follows the payment type.  Draws from c's stream; changes only c. */
void qm_delivery_deliver(qm_sim *sim, int c, int s);

/* Money moves from c's contract for s (in force) to its provider: revenue,
 * delivery cost at the provider's unit cost, and activity.  Serial, in
 * contract order. */
static inline void qm_delivery_pay(qm_sim *sim, int c, int s)
{
    const qm_contract *k = QM_CON(sim, c, s);
    qm_provider *pr = &sim->prov[k->provider];
    pr->revenue += k->paid;
    pr->delivery_cost += k->delivered * sim->unit_cost[QM_PS(sim, k->provider, s)];
    pr->activity += k->delivered;
}

#endif
