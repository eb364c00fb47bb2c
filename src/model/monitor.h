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

/* MODEL.md 6 (v2): the share of a commissioner's data flows working in
 * month, when they stopped in month from and are rebuilt evenly over
 * months: 0 in the month they stopped, 1 from months later on, and 1
 * before, or when months is 0.  Pure.  Set by a reorganisation
 * (timeline.c); read by monitoring, needs assessment and specification,
 * so it lives with the information it limits.  Inline, as the next:
 * monitoring reads it for every contract every month. */
static inline double qm_monitor_data_flow(int month, int from, int months)
{
    if (months <= 0 || month < from || month >= from + months)
        return 1.0;
    return (double)(month - from) / months;
}

/* The same for commissioner c this month.  Reads only. */
static inline double qm_monitor_data_flow_of(const qm_sim *sim, int c)
{
    const qm_commissioner *cm = &sim->comm[c];
    return qm_monitor_data_flow(sim->month, cm->rebuild_from, cm->rebuild_months);
}

/* I_c = d_c (info_base + info_analytic A_eff).  Pure. */
double qm_monitor_info(const qm_params *p, double data, double A_eff);

/* sigma = sigma0 (1 - info_cut I_c)(1 - monitoring_cut M_k).  Pure. */
double qm_monitor_sigma(const qm_params *p, double info, double M);

/* Share of delivered activity that is reported: 1 - umax (1 - I).  Pure. */
double qm_monitor_reported_share(const qm_params *p, double info);

/* MODEL.md 2, 3.3 (v2): expected quality
 * e_cs = (1 - I) qhat + I rating + aspiration: the commissioner's own
 * perceived quality of the provider it knows for the service and the
 * published rating, the rating weighted by information quality I; with no
 * rating yet (rating <= 0), qhat + aspiration.  Pure. */
double qm_monitor_expected(const qm_params *p, double info, double qhat, double rating);

/* MODEL.md 3.3 (v2): perceived shortfall
 * gap = (expected - qhat) + (price / reference - 1), before its positive
 * part; a reference <= 0 contributes no price term.  Pure. */
double qm_monitor_gap(double expected, double qhat, double price, double reference);

/* MODEL.md 2 (v2): the reference price of contract k: its service's
 * tariff, or for an untariffed service the lowest credible price bid so
 * far for the contract (its own price until a tender has seen one).
 * Reads only. */
double qm_monitor_reference(const qm_sim *sim, const qm_contract *k);

/* Expected quality and gap of contract k, held by commissioner c, from
 * c's information, the contract's perceived quality and its service's
 * rating.  Reads only. */
double qm_monitor_contract_expected(const qm_sim *sim, int c, const qm_contract *k);
double qm_monitor_contract_gap(const qm_sim *sim, int c, const qm_contract *k);

/* MODEL.md 3.2 (v2): share by which reported activity exceeds true
 * activity under activity payment, coding_drift (1 - I)(1 - M).  Pure. */
double qm_monitor_coding_drift(const qm_params *p, double info, double M);

/* Reported over true activity by payment type: 1 + coding drift under
 * activity payment, else the reported share (under-count).  Pure. */
double qm_monitor_reported_factor(const qm_params *p, int payment, double info, double M);

/* Publishes the rating of each service in [lo, hi) (activity-weighted
 * quality delivered this month, summed in contract order from the
 * month's invoices) into sim->svc_rating; a service without activity
 * keeps its last.  Writes only those ratings: callers that run at once
 * give each a separate range of services. */
void qm_monitor_publish(qm_sim *sim, int lo, int hi);

/* MODEL.md 3.3: one month of monitoring of contract k (in force), held by
 * commissioner c: when the monitoring time fits (MODEL.md 4.2), a
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

    k->monitored = qm_costs_take_time(cm, fte);
    if (!k->monitored)
        return;
    cm->t.tc_monitoring += fte * P->cost.salary;
    /* MODEL.md 4.2 (v2): the provider's side of monitoring. */
    double prov = fte * P->cost.provider_monitoring * P->cost.provider_salary;
    cm->t.tc_provider_monitoring += prov;
    QM_CONX(sim, k)->owed += prov;
    cm->used_A = 1;
    double sigma = qm_monitor_sigma(P, cm->info, k->monitoring);
    double signal = k->quality + qm_draw_gaussian(cm->rng, sigma);
    /* MODEL.md 6 (v2): after a reorganisation a signal arrives only
     * through the data flows rebuilt so far, so it weighs that much in the
     * record and as contact n in the trust evidence (MODEL.md 4.1); the
     * history still fades at lambda. */
    double flow = qm_monitor_data_flow_of(sim, c);
    k->qhat += P->monitor.perception_weight * flow * (signal - k->qhat);
    /* MODEL.md 4.1: evidence from the signal against the expectation. */
    qm_trust_update(rel, (signal - P->monitor.expectation) / sigma, flow,
                    P->trust.evidence_weight, P->trust.forgetting);
    rel->last_contact = sim->month;
}

#endif
