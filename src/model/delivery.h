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
#include "model/monitor.h"

/* Payment for one month: block pays price x planned volume; activity pays
 * price x reported activity (v2: what is paid for is what is reported);
 * outcome pays a base share of the block value plus the
 * rest scaled by perceived over expected quality (capped).  Pure. */
double qm_delivery_payment(const qm_params *p, int payment, double price, double volume,
                           double delivered, double qhat);

/* Draws this month's demand of each contract commissioner c holds,
 * Poisson(share x demand x demand factor x population / 1000), where the
 * share is the contract's part of c's demand for its service (MODEL.md 2
 * Contract, v2); the part of a slot without a contract in force is unmet.
 * Each slot's invoice names the provider asked (-1 for none) and what is
 * asked.  Draws from c's stream; changes only c and the contracts it holds
 * (with their invoices). */
void qm_delivery_demand(qm_sim *sim, int c);

/* Adds the demand on invoice v (of a contract in force, for service s) to
 * what its provider is asked for this month.  The caller gives each
 * provider-service entry one writer. */
static inline void qm_delivery_route(qm_sim *sim, const qm_invoice *v, int s)
{
    sim->ps_demand[QM_PS(sim, v->provider, s)] += v->demand;
}

/* MODEL.md 3.2 (v2): what the provider supplies of a contract's demand
 * when capacity allows `available` of it: under block and outcome payment
 * (a block base) at most block_tolerance x the planned volume; under
 * activity payment all it can.  Pure. */
double qm_delivery_supply(const qm_params *p, int payment, double available, double plan);

/* MODEL.md 3.2 (v2): next month's quality gain from the provider's effort
 * on a contract: toward effort_gain under outcome payment, back toward 0
 * otherwise, effort_rate of the way a month.  Pure. */
double qm_delivery_effort(const qm_params *p, int payment, double effort);

/* MODEL.md 3.2 (v2): a provider's unit cost on a contract where effort
 * adds quality: u (1 + effort_cost x effort).  Pure. */
double qm_delivery_unit_cost(const qm_params *p, double u, double effort);

/* MODEL.md 4.2 (v2): the provider's transaction costs of a contract-month
 * by payment type, GBP: coding and billing (a share of an activity
 * payment) or outcome measurement (staff time); none under block.
 * Pure. */
double qm_delivery_provider_costs(const qm_params *p, int payment, double paid);

/* MODEL.md 3.2: contract k (in force), held by commissioner c, delivers:
 * capacity is rationed in proportion to demand, and the provider supplies
 * by payment type (v2); realised quality is the provider's quality plus
 * challenge on this contract, effort and the development bonus, less a
 * switching dip, plus noise; reported activity (v2: coding drift under
 * activity payment, an under-count otherwise) is what is paid for and
 * planned on; the month's invoice to the provider is written (what
 * qm_delivery_pay settles).  Draws from c's stream; changes only c and
 * the contracts it holds (with their v2 records and invoices).  Inline,
 * as route and pay: the engine runs them for every contract every month,
 * and a call apiece would cost more than their arithmetic. */
static inline void qm_delivery_deliver(qm_sim *sim, int c, qm_contract *k)
{
    qm_commissioner *cm = &sim->comm[c];
    const qm_params *P = &sim->p;
    qm_contract_x *x = QM_CONX(sim, k);
    size_t ps = QM_PS(sim, k->provider, qm_state_service(sim, k));
    double cap = sim->capacity[ps], dem = sim->ps_demand[ps];
    /* Capacity is rationed in proportion to demand, so no commissioner
     * is served first. */
    double ratio = dem > cap ? cap / dem : 1.0;
    double plan = x->plan > 0.0 ? x->plan : k->volume;
    k->delivered = qm_delivery_supply(P, k->payment, k->demand * ratio, plan);
    double factor = qm_monitor_reported_factor(P, k->payment, cm->info, k->monitoring);
    k->reported = k->delivered * factor;
    double seen = k->demand * factor;
    x->seen = x->seen > 0.0 ? x->seen + P->delivery.plan_weight * (seen - x->seen) : seen;
    x->effort = qm_delivery_effort(P, k->payment, x->effort);
    double dip = sim->month < k->dip_until ? P->cost.switch_dip : 0.0;
    k->quality = qm_num_clamp01(sim->quality[ps] + x->lift + x->effort + k->bonus - dip +
                                qm_draw_gaussian(cm->rng, P->delivery.quality_noise_sd));
    k->paid = qm_delivery_payment(P, k->payment, k->price, plan, k->reported, k->qhat);
    double ptc = qm_delivery_provider_costs(P, k->payment, k->paid);
    /* The month's bill carries what the provider is owed, which the
     * payment settles (MODEL.md 4.2). */
    qm_invoice *v = QM_INVOICE_OF(sim, k);
    v->paid = k->paid;
    v->cost = k->delivered * qm_delivery_unit_cost(P, sim->unit_cost[ps], x->effort);
    v->delivered = k->delivered;
    v->quality = k->quality;
    v->owed = x->owed + ptc;
    x->owed = 0.0;
    if (k->payment == QM_PAY_ACTIVITY)
        cm->t.tc_coding += ptc;
    else
        cm->t.tc_outcome_measurement += ptc;
    cm->t.spend += k->paid;
    cm->t.activity += k->delivered;
    cm->t.reported += k->reported;
    cm->t.unmet += k->demand - k->delivered;
    cm->t.quality_sum += k->quality * k->delivered;
}

/* Money moves from a contract's invoice v to its provider: revenue,
 * delivery cost at the provider's unit cost on the contract, activity,
 * and the provider's transaction costs the contract has incurred since
 * the last settlement (v2).  Serial for each provider, in contract
 * order; the caller passes only invoices that name a provider. */
static inline void qm_delivery_pay(qm_sim *sim, const qm_invoice *v)
{
    qm_provider *pr = &sim->prov[v->provider];
    pr->revenue += v->paid;
    pr->delivery_cost += v->cost;
    pr->activity += v->delivered;
    pr->bid_cost += v->owed;
}

#endif
