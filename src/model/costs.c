/* costs.c: MODEL.md 4.2, transaction costs: staff time is finite, and
 * every activity takes some of it.  Owns the month's contracting time
 * (take and spend), the tenders' monthly charge and the cost formulas;
 * the rules that incur a cost record it where they run. */
#include "model/costs.h"

#include "core/state.h"

/* MODEL.md 4.2: work that does not fit into K_c this month waits. */
int qm_costs_take_time(qm_commissioner *cm, double fte)
{
    if (fte <= cm->con_free + 1e-12) {
        cm->con_free -= fte;
        cm->t.contracting_used += fte;
        return 1;
    }
    cm->t.staff_shortfall += fte;
    return 0;
}

void qm_costs_spend_time(qm_commissioner *cm, double fte)
{
    double fit = fte < cm->con_free ? fte : cm->con_free;
    cm->con_free -= fit;
    cm->t.contracting_used += fit;
    cm->t.staff_shortfall += fte - fit;
}

double qm_costs_tender_month(const qm_params *p)
{
    return p->cost.tender / p->cost.tender_duration;
}

/* MODEL.md 4.2: monitoring 0.1 x M_k x (1 - 0.5 T) per contract-month. */
double qm_costs_monitoring(const qm_params *p, int payment, double M, double T)
{
    double factor = payment == QM_PAY_BLOCK ? 1.0 : p->monitor.pay_factor[payment];
    return p->monitor.cost * M * (1.0 - p->monitor.trust_discount * T) * factor;
}

/* MODEL.md 4.2: a tender costs the commissioner cost.tender spread over
 * its duration; the start month's share was taken when it started. */
void qm_costs_charge_tenders(qm_sim *sim, int c)
{
    qm_commissioner *cm = &sim->comm[c];
    const qm_params *P = &sim->p;
    double per_month = qm_costs_tender_month(P);
    cm->tender_load = 0.0;
    for (int o = c; o >= 0; o = qm_state_next_slot(sim, o))
        for (int s = 0; s < sim->n_services; s++) {
            qm_contract *k = QM_CON(sim, o, s);
            if (k->tender_end > sim->month && k->tender_end - P->cost.tender_duration < sim->month) {
                qm_costs_spend_time(cm, per_month);
                cm->tender_load += per_month;
                cm->t.tc_tender += per_month * P->cost.salary;
                cm->used_R = 1;
            }
        }
}
