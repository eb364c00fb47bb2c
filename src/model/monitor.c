/* monitor.c: MODEL.md 3.3, monitoring: what commissioners can see of
 * quality and activity, and the evidence a monitored contract gives to
 * trust (MODEL.md 4.1); what it costs is in costs.c (MODEL.md 4.2). */
#include "model/monitor.h"

#include <gsl/gsl_randist.h>

#include "core/state.h"
#include "model/costs.h"
#include "model/trust.h"

double qm_monitor_info(const qm_params *p, double data, double A_eff)
{
    return data * (p->monitor.info_base + p->monitor.info_analytic * A_eff);
}

double qm_monitor_sigma(const qm_params *p, double info, double M)
{
    return p->monitor.sigma0 * (1.0 - p->monitor.info_noise_cut * info) *
           (1.0 - p->monitor.monitoring_noise_cut * M);
}

double qm_monitor_reported_share(const qm_params *p, double info)
{
    return 1.0 - p->monitor.undercount_max * (1.0 - info);
}

void qm_monitor_contract(qm_sim *sim, int c, int s)
{
    qm_commissioner *cm = &sim->comm[c];
    const qm_params *P = &sim->p;
    qm_contract *k = QM_CON(sim, c, s);
    qm_rel *rel = qm_state_incumbent_rel(sim, c, k, 1);
    double T = qm_state_rel_mean(rel);
    double fte = qm_costs_monitoring(P, k->payment, k->monitoring, T);

    k->reported = k->delivered * qm_monitor_reported_share(P, cm->info);
    k->monitored = qm_costs_take_time(cm, fte);
    if (!k->monitored)
        return;
    cm->t.tc_monitoring += fte * P->cost.salary;
    cm->used_A = 1;
    double sigma = qm_monitor_sigma(P, cm->info, k->monitoring);
    double signal = k->quality + gsl_ran_gaussian(cm->rng, sigma);
    k->qhat += P->monitor.perception_weight * (signal - k->qhat);
    /* MODEL.md 4.1: evidence from the signal against the expectation. */
    qm_trust_update(rel, (signal - P->monitor.expectation) / sigma, 1.0,
                    P->trust.evidence_weight, P->trust.forgetting);
    rel->last_contact = sim->month;
}
