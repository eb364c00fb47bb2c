/* delivery.h: delivery and payment (MODEL.md 3.2): each month's demand,
 * the activity delivered within the provider's capacity, the realised
 * quality, and what the commissioner pays and the provider earns. */
#ifndef QM_MODEL_DELIVERY_H
#define QM_MODEL_DELIVERY_H

#include <gsl/gsl_randist.h>

#include "qmsim/draw.h"
#include "qmsim/params.h"
#include "qmsim/state.h"
#include "core/num.h"
#include "core/state.h"

/* Payment for one month: block pays price x expected volume; activity pays
 * price x delivered; outcome pays a base share of the block value plus the
 * rest scaled by perceived over expected quality (capped).  Pure. */
double qm_delivery_payment(const qm_params *p, int payment, double price, double volume,
                           double delivered, double qhat);

/* Draws this month's demand of each contract commissioner c holds,
 * Poisson(share x demand x demand factor x population / 1000), where the
 * share is the contract's part of c's demand for its service (MODEL.md 2
 * Contract, v2); the part of a slot without a contract in force is unmet.
 * Draws from c's stream; changes only c and the contracts it holds. */
void qm_delivery_demand(qm_sim *sim, int c);

/* Adds the demand of contract k (in force) to what its provider is asked
 * for this month.  The caller gives each provider-service entry one
 * writer. */
static inline void qm_delivery_route(qm_sim *sim, const qm_contract *k)
{
    sim->ps_demand[QM_PS(sim, k->provider, qm_state_service(sim, k))] += k->demand;
}

/* MODEL.md 3.2: contract k (in force), held by commissioner c, delivers: capacity is
 * rationed in proportion to demand, realised quality is the provider's
 * quality plus the development bonus, less a switching dip, plus noise;
 * the payment follows the payment type.  Draws from c's stream; changes
 * only c.  Inline, as route and pay: the engine runs them for every
 * contract every month, and a call apiece would cost more than their
 * arithmetic. */
static inline void qm_delivery_deliver(qm_sim *sim, int c, qm_contract *k)
{
    qm_commissioner *cm = &sim->comm[c];
    const qm_params *P = &sim->p;
    size_t ps = QM_PS(sim, k->provider, qm_state_service(sim, k));
    double cap = sim->capacity[ps], dem = sim->ps_demand[ps];
    /* Capacity is rationed in proportion to demand, so no commissioner
     * is served first. */
    double ratio = dem > cap ? cap / dem : 1.0;
    k->delivered = k->demand * ratio;
    double dip = sim->month < k->dip_until ? P->cost.switch_dip : 0.0;
    k->quality = qm_num_clamp01(sim->quality[ps] + k->bonus - dip +
                                qm_draw_gaussian(cm->rng, P->delivery.quality_noise_sd));
    k->paid = qm_delivery_payment(P, k->payment, k->price, k->volume, k->delivered, k->qhat);
    cm->t.spend += k->paid;
    cm->t.activity += k->delivered;
    cm->t.unmet += k->demand - k->delivered;
    cm->t.quality_sum += k->quality * k->delivered;
}

/* Money moves from contract k (in force) to its provider: revenue,
 * delivery cost at the provider's unit cost, and activity.  Serial, in
 * contract order. */
static inline void qm_delivery_pay(qm_sim *sim, const qm_contract *k)
{
    qm_provider *pr = &sim->prov[k->provider];
    pr->revenue += k->paid;
    pr->delivery_cost += k->delivered * sim->unit_cost[QM_PS(sim, k->provider, qm_state_service(sim, k))];
    pr->activity += k->delivered;
}

#endif
