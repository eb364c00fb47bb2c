/* monitor.h: monitoring (MODEL.md 3.3): information quality, the noise of
 * the quality signal, the share of activity reported, and one month's
 * monitoring of a contract. */
#ifndef QM_MODEL_MONITOR_H
#define QM_MODEL_MONITOR_H

#include <gsl/gsl_randist.h>

#include "qmsim/draw.h"
#include "qmsim/params.h"
#include "qmsim/state.h"
#include "core/state.h"
#include "model/costs.h"
#include "model/trust.h"

/* I_c = d_c (info_base + info_analytic A_eff).  Pure. */
double qm_monitor_info(const qm_params *p, double data, double A_eff);

/* sigma = sigma0 (1 - info_cut I_c)(1 - monitoring_cut M_k).  Pure. */
double qm_monitor_sigma(const qm_params *p, double info, double M);

/* Share of delivered activity that is reported: 1 - umax (1 - I).  Pure. */
double qm_monitor_reported_share(const qm_params *p, double info);

/* MODEL.md 3.3: one month of monitoring of contract k (in force), held by
 * commissioner c:
 * the activity reported; when the monitoring time fits (MODEL.md 4.2), a
 * quality signal y = q + N(0, sigma^2) that moves the perceived quality,
 * and the trust evidence it gives (MODEL.md 4.1).  Draws from c's stream;
 * changes only commissioner c.  Inline: the engine runs it for every
 * contract every month, and a call apiece would cost more than the rule's
 * own arithmetic. */
static inline void qm_monitor_contract(qm_sim *sim, int c, qm_contract *k)
{
    qm_commissioner *cm = &sim->comm[c];
    const qm_params *P = &sim->p;
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
    double signal = k->quality + qm_draw_gaussian(cm->rng, sigma);
    k->qhat += P->monitor.perception_weight * (signal - k->qhat);
    /* MODEL.md 4.1: evidence from the signal against the expectation. */
    qm_trust_update(rel, (signal - P->monitor.expectation) / sigma, 1.0,
                    P->trust.evidence_weight, P->trust.forgetting);
    rel->last_contact = sim->month;
}

#endif
