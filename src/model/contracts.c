/* contracts.c: MODEL.md 4.3, the contract itself: who is eligible to hold
 * it, the start of a new term, and a change of provider with its costs
 * (switching time, the quality dip, a new relationship at the prior). */
#include "model/contracts.h"

#include <math.h>

#include "core/state.h"
#include "model/costs.h"
#include "model/trust.h"

qm_contract *qm_contracts_consolidate(qm_sim *sim, int c, qm_contract *k)
{
    int s = qm_state_service(sim, k);
    for (int o = c; o >= 0; o = qm_state_next_slot(sim, o)) {
        qm_contract *j = QM_CON(sim, o, s);
        if (j == k || !j->active || j->provider != k->provider || j->decommission ||
            j->tender_end >= sim->month)
            continue;
        /* MODEL.md 3.3 (v2): the plan and the reported demand add, as the
         * volumes do; the provider's costs still owed move with them. */
        qm_contract_x *xj = QM_CONX(sim, j), *xk = QM_CONX(sim, k);
        double pj = xj->plan > 0.0 ? xj->plan : j->volume;
        double pk = xk->plan > 0.0 ? xk->plan : k->volume;
        xj->seen = (xj->seen > 0.0 ? xj->seen : pj) + (xk->seen > 0.0 ? xk->seen : pk);
        xj->plan = pj + pk;
        xj->owed += xk->owed;
        *xk = (qm_contract_x){0};
        j->volume += k->volume;
        QM_SHARE(sim, j) += QM_SHARE(sim, k);
        QM_SHARE(sim, k) = 0.0;
        k->active = 0;
        k->tender_end = -1;
        k->n_bids = 0;
        return j;
    }
    return k;
}

void qm_contracts_renew(qm_sim *sim, int c, qm_contract *k, int type, double term)
{
    qm_contract_x *x = QM_CONX(sim, k);
    k->start = sim->month;
    k->expiry = sim->month + (int)ceil(term);
    /* MODEL.md 3.3 (v2): a new term is planned on the demand reported. */
    if (x->seen > 0.0)
        x->plan = x->seen;
    qm_state_event(sim, c, type, qm_state_service(sim, k), k->provider, -1, k->price);
}

/* MODEL.md 4.2 and 4.3: a change of provider costs switching time and a
 * quality dip, and starts a new relationship at the prior. */
void qm_contracts_switch(qm_sim *sim, int c, qm_contract *k, int p, int lost_tender)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    int s = qm_state_service(sim, k);
    int old = k->provider;
    sim->held[QM_PS(sim, old, s)] -= k->volume;
    sim->held[QM_PS(sim, p, s)] += k->volume;
    qm_walk_refresh(sim, old, s);
    qm_walk_refresh(sim, p, s);
    k->provider = p;
    k->incumbent_since = sim->month;
    /* A new provider starts without the old one's challenge or effort. */
    qm_contract_x *x = QM_CONX(sim, k);
    x->lift = x->effort = x->bid_cost = 0.0;
    k->dip_until = sim->month + P->cost.switch_dip_months;
    qm_costs_spend_time(cm, P->cost.switching);
    cm->t.tc_switching += P->cost.switching * P->cost.salary;
    cm->t.switches++;
    /* A new relationship starts at the prior; the loser's record suffers. */
    qm_rel *rel = qm_state_rel(sim, c, p, 1);
    qm_state_rel_init(rel, p, qm_state_prior(sim, p), P->trust.prior_strength);
    rel->last_contact = sim->month;
    qm_rel *lost = qm_state_rel(sim, c, old, 0);
    if (lost && lost_tender)
        qm_trust_penalise(lost, P->trust.penalty);
    qm_state_event(sim, c, QM_EV_SWITCH, s, p, old, k->price);
}

/* MODEL.md 4.3 (v2): an outsider priced on an optimistic unit cost finds
 * its true cost once it delivers. */
int qm_contracts_revealed(int months_held, int reveal_months, double bid_cost, double true_cost,
                          double price)
{
    if (bid_cost <= 0.0 || months_held < reveal_months)
        return 0;
    return true_cost > price ? 2 : 1;
}
