/* delivery.c: MODEL.md 3.2, delivery: demand, the activity capacity
 * allows, realised quality, and payment by type (MODEL.md 2 Contract).
 * The per-contract rules the engine runs for every contract every month
 * (route, deliver, pay) are inline in delivery.h. */
#include "model/delivery.h"

#include <gsl/gsl_randist.h>

#include "qmsim/draw.h"

#include "core/num.h"

double qm_delivery_payment(const qm_params *p, int payment, double price, double volume,
                           double delivered, double qhat)
{
    switch (payment) {
    case QM_PAY_ACTIVITY:
        return price * delivered;
    case QM_PAY_OUTCOME: {
        double e = p->monitor.expectation;
        double r = e > 0.0 ? qhat / e : p->contract.outcome_cap;
        if (r > p->contract.outcome_cap)
            r = p->contract.outcome_cap;
        if (r < 0.0)
            r = 0.0;
        double base = p->contract.outcome_base_share;
        return price * volume * (base + (1.0 - base) * r);
    }
    default:
        return price * volume;
    }
}

double qm_delivery_supply(const qm_params *p, int payment, double available, double plan)
{
    if (payment == QM_PAY_ACTIVITY)
        return available;
    double most = p->delivery.block_tolerance * plan;
    return available < most ? available : most;
}

double qm_delivery_effort(const qm_params *p, int payment, double effort)
{
    double target = payment == QM_PAY_OUTCOME ? p->delivery.effort_gain : 0.0;
    return effort + p->delivery.effort_rate * (target - effort);
}

double qm_delivery_unit_cost(const qm_params *p, double u, double effort)
{
    return u * (1.0 + p->delivery.effort_cost * effort);
}

double qm_delivery_provider_costs(const qm_params *p, int payment, double paid)
{
    if (payment == QM_PAY_ACTIVITY)
        return p->cost.coding_share * paid;
    if (payment == QM_PAY_OUTCOME)
        return p->cost.outcome_measurement * p->cost.provider_salary;
    return 0.0;
}

void qm_delivery_demand(qm_sim *sim, int c)
{
    qm_commissioner *cm = &sim->comm[c];
    for (int s = 0; s < sim->n_services; s++) {
        double mu = sim->sc->services[s].demand * sim->demand_factor[s] * cm->population / 1000.0;
        for (int o = c; o >= 0; o = qm_state_next_slot(sim, o)) {
            qm_contract *k = QM_CON(sim, o, s);
            k->demand = qm_draw_poisson(cm->rng, mu * QM_SHARE(sim, k));
            qm_invoice *v = QM_INVOICE_OF(sim, k);
            v->demand = k->demand;
            v->provider = k->active ? k->provider : -1;
            if (!k->active)
                cm->t.unmet += k->demand;
        }
    }
}

