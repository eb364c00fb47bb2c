/* observe.c: the monthly observations of MODEL.md 7, read off the state. */
#include "qmsim/observe.h"

#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "qmsim/market.h"
#include "qmsim/sim.h"

const qm_var_def qm_series_defs[QM_S_N] = {
    {"contracts_active", "contracts", "Contracts in force at the end of the month"},
    {"decisions_renew", "decisions", "Expiring contracts renewed with the incumbent (rollovers included)"},
    {"decisions_renegotiate", "decisions", "Expiring contracts renegotiated with the incumbent"},
    {"decisions_tender", "decisions", "Expiring contracts sent to competitive tender"},
    {"decisions_decommission", "decisions", "Expiring contracts decommissioned"},
    {"decisions_rollover", "decisions", "Renewals forced because a chosen tender did not fit the contracting staff's time"},
    {"tenders_started", "tenders", "Tenders started"},
    {"tenders_completed", "tenders", "Tenders completed and awarded"},
    {"switches", "contracts", "Contracts moved to a different provider"},
    {"contracts_block", "contracts", "Contracts paid by block"},
    {"contracts_activity", "contracts", "Contracts paid by activity (payment by results)"},
    {"contracts_outcome", "contracts", "Contracts paid by outcome"},
    {"trust_mean_provider", "1", "Mean trust of commissioners in their incumbent providers, over contracts"},
    {"trust_q25_provider", "1", "Lower quartile of trust in incumbent providers"},
    {"trust_median_provider", "1", "Median trust in incumbent providers"},
    {"trust_q75_provider", "1", "Upper quartile of trust in incumbent providers"},
    {"trust_mean_nhs", "1", "Mean trust in NHS incumbents"},
    {"trust_mean_independent", "1", "Mean trust in independent incumbents (0 when none)"},
    {"trust_mean_voluntary", "1", "Mean trust in voluntary incumbents (0 when none)"},
    {"tc_ex_ante", "GBP", "Ex ante transaction costs: renewal negotiation, tendering and bidding"},
    {"tc_ex_post", "GBP", "Ex post transaction costs: monitoring, renegotiation and switching"},
    {"tc_commissioner", "GBP", "Transaction costs borne by commissioners"},
    {"tc_provider", "GBP", "Transaction costs borne by providers (bids)"},
    {"tc_renewal", "GBP", "Staff cost of renewals"},
    {"tc_renegotiation", "GBP", "Staff cost of renegotiations"},
    {"tc_tender", "GBP", "Commissioners' staff cost of running tenders"},
    {"tc_bid", "GBP", "Providers' staff cost of bidding"},
    {"tc_monitoring", "GBP", "Staff cost of monitoring"},
    {"tc_switching", "GBP", "Staff cost of moving services between providers"},
    {"staff_shortfall", "FTE-months", "Contracting work that did not fit into the staff's time"},
    {"spend", "GBP", "Payments from commissioners to providers"},
    {"budget", "GBP", "Commissioners' monthly budgets"},
    {"activity", "units", "Activity delivered"},
    {"unmet_demand", "units", "Demand not delivered for lack of capacity or of a contract"},
    {"quality_delivered", "1", "Mean realised quality, weighted by activity"},
    {"hhi_mean", "1", "Herfindahl-Hirschman index of contracted volume, mean over services"},
    {"provider_entries", "providers", "Providers entering the market"},
    {"provider_exits", "providers", "Providers leaving the market"},
    {"providers_active", "providers", "Providers in the market"},
    {"provider_profit", "GBP", "Providers' revenue less delivery and bidding costs"},
    {"knowledge_analytic_mean", "1", "Mean analytic knowledge A_c of commissioners"},
    {"knowledge_contextual_mean", "1", "Mean contextual knowledge X_c of commissioners"},
    {"knowledge_procurement_mean", "1", "Mean procurement knowledge R_c of commissioners"},
    {"information_quality_mean", "1", "Mean information quality I_c of commissioners"},
};

const qm_var_def qm_cpanel_defs[QM_CP_N] = {
    {"spend", "GBP", "Payments to providers"},
    {"budget", "GBP", "Monthly budget"},
    {"contracting_used", "FTE-months", "Contracting staff time used"},
    {"staff_shortfall", "FTE-months", "Contracting work that did not fit"},
    {"knowledge_analytic", "1", "Analytic knowledge A_c"},
    {"knowledge_contextual", "1", "Contextual knowledge X_c"},
    {"knowledge_procurement", "1", "Procurement knowledge R_c"},
    {"information_quality", "1", "Information quality I_c"},
    {"trust_mean", "1", "Mean trust in incumbent providers"},
    {"tenders_running", "tenders", "Tenders in progress"},
    {"transaction_costs", "GBP", "Transaction costs borne"},
    {"unmet_demand", "units", "Demand not delivered"},
};

const qm_var_def qm_ppanel_defs[QM_PP_N] = {
    {"active", "1", "1 while the provider is in the market"},
    {"revenue", "GBP", "Payments received"},
    {"delivery_cost", "GBP", "Unit cost of activity delivered"},
    {"profit", "GBP", "Revenue less delivery and bidding costs"},
    {"activity", "units", "Activity delivered"},
    {"capacity", "units", "Capacity summed over services offered"},
    {"quality_mean", "1", "True quality, mean over services offered"},
    {"contracts_held", "contracts", "Contracts held"},
    {"loss_months", "months", "Consecutive months of losses"},
};

const char *const qm_event_names[QM_EV_N] = {
    "renew", "renegotiate", "rollover", "tender_start", "award", "switch",
    "decommission", "entry", "exit", "engagement_start", "engagement_renew",
    "engagement_end", "engagement_docked", "development_start",
    "development_launch", "development_abandon", "reorganisation", "merge",
    "split", "policy", "directive", "priority_shift", "demand_shock",
    "externalise_analytics"};

qm_frame *qm_frame_alloc(const qm_sim *sim)
{
    qm_frame *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    size_t C = (size_t)sim->n_commissioners, P = (size_t)sim->max_providers;
    f->n_commissioners = sim->n_commissioners;
    f->n_providers = sim->max_providers;
    f->cap_events = (int)(C * (size_t)sim->cap_events + (size_t)sim->cap_market_events);
    f->cpanel = calloc(QM_CP_N * C, sizeof(double));
    f->ppanel = calloc(QM_PP_N * P, sizeof(double));
    f->events = calloc((size_t)f->cap_events, sizeof(qm_event));
    f->work = calloc(C * (size_t)sim->n_services + 1, sizeof(double));
    if (!f->cpanel || !f->ppanel || !f->events || !f->work) {
        qm_frame_free(f);
        return NULL;
    }
    return f;
}

void qm_frame_free(qm_frame *f)
{
    if (!f)
        return;
    free(f->cpanel);
    free(f->ppanel);
    free(f->events);
    free(f->work);
    free(f);
}

static void sum_tallies(const qm_sim *sim, double *x)
{
    for (int c = 0; c < sim->n_commissioners; c++) {
        const qm_tally *t = &sim->comm[c].t;
        x[QM_S_DECISIONS_RENEW] += t->decisions[0];
        x[QM_S_DECISIONS_RENEGOTIATE] += t->decisions[1];
        x[QM_S_DECISIONS_TENDER] += t->decisions[2];
        x[QM_S_DECISIONS_DECOMMISSION] += t->decisions[3];
        x[QM_S_DECISIONS_ROLLOVER] += t->rollovers;
        x[QM_S_TENDERS_STARTED] += t->tenders_started;
        x[QM_S_TENDERS_COMPLETED] += t->tenders_completed;
        x[QM_S_SWITCHES] += t->switches;
        x[QM_S_TC_RENEWAL] += t->tc_renewal;
        x[QM_S_TC_RENEGOTIATION] += t->tc_renegotiation;
        x[QM_S_TC_TENDER] += t->tc_tender;
        x[QM_S_TC_BID] += t->tc_bid;
        x[QM_S_TC_MONITORING] += t->tc_monitoring;
        x[QM_S_TC_SWITCHING] += t->tc_switching;
        x[QM_S_STAFF_SHORTFALL] += t->staff_shortfall;
        x[QM_S_SPEND] += t->spend;
        x[QM_S_ACTIVITY] += t->activity;
        x[QM_S_UNMET_DEMAND] += t->unmet;
        x[QM_S_QUALITY_DELIVERED] += t->quality_sum;
        x[QM_S_BUDGET] += sim->comm[c].budget;
        x[QM_S_KNOWLEDGE_ANALYTIC_MEAN] += sim->comm[c].A;
        x[QM_S_KNOWLEDGE_CONTEXTUAL_MEAN] += sim->comm[c].X;
        x[QM_S_KNOWLEDGE_PROCUREMENT_MEAN] += sim->comm[c].R;
        x[QM_S_INFORMATION_QUALITY_MEAN] += sim->comm[c].info;
    }
    double C = sim->n_commissioners;
    x[QM_S_TC_EX_ANTE] = x[QM_S_TC_RENEWAL] + x[QM_S_TC_TENDER] + x[QM_S_TC_BID];
    x[QM_S_TC_EX_POST] = x[QM_S_TC_MONITORING] + x[QM_S_TC_RENEGOTIATION] + x[QM_S_TC_SWITCHING];
    x[QM_S_TC_PROVIDER] = x[QM_S_TC_BID];
    x[QM_S_TC_COMMISSIONER] = x[QM_S_TC_EX_ANTE] + x[QM_S_TC_EX_POST] - x[QM_S_TC_BID];
    x[QM_S_QUALITY_DELIVERED] = x[QM_S_ACTIVITY] > 0.0 ? x[QM_S_QUALITY_DELIVERED] / x[QM_S_ACTIVITY] : 0.0;
    x[QM_S_KNOWLEDGE_ANALYTIC_MEAN] /= C;
    x[QM_S_KNOWLEDGE_CONTEXTUAL_MEAN] /= C;
    x[QM_S_KNOWLEDGE_PROCUREMENT_MEAN] /= C;
    x[QM_S_INFORMATION_QUALITY_MEAN] /= C;
}

/* Trust in incumbents: mean, quartiles and means by provider kind. */
static void observe_contracts(const qm_sim *sim, qm_frame *f)
{
    double *x = f->series, kind_sum[3] = {0}, kind_n[3] = {0};
    size_t n = 0;
    for (int c = 0; c < sim->n_commissioners; c++)
        for (int s = 0; s < sim->n_services; s++) {
            const qm_contract *k = &sim->con[(size_t)c * sim->n_services + s];
            if (!k->active)
                continue;
            int kind = sim->prov[k->provider].kind;
            int g = kind == QM_PK_INDEPENDENT ? 1 : kind == QM_PK_VOLUNTARY ? 2 : 0;
            double T = qm_sim_trust(sim, c, k->provider);
            f->work[n++] = T;
            kind_sum[g] += T;
            kind_n[g]++;
            x[QM_S_CONTRACTS_BLOCK + k->payment]++;
        }
    x[QM_S_CONTRACTS_ACTIVE] = (double)n;
    x[QM_S_TRUST_MEAN_NHS] = kind_n[0] > 0 ? kind_sum[0] / kind_n[0] : 0.0;
    x[QM_S_TRUST_MEAN_INDEPENDENT] = kind_n[1] > 0 ? kind_sum[1] / kind_n[1] : 0.0;
    x[QM_S_TRUST_MEAN_VOLUNTARY] = kind_n[2] > 0 ? kind_sum[2] / kind_n[2] : 0.0;
    if (n == 0)
        return;
    x[QM_S_TRUST_MEAN_PROVIDER] = gsl_stats_mean(f->work, 1, n);
    gsl_sort(f->work, 1, n);
    x[QM_S_TRUST_Q25_PROVIDER] = gsl_stats_quantile_from_sorted_data(f->work, 1, n, 0.25);
    x[QM_S_TRUST_MEDIAN_PROVIDER] = gsl_stats_quantile_from_sorted_data(f->work, 1, n, 0.5);
    x[QM_S_TRUST_Q75_PROVIDER] = gsl_stats_quantile_from_sorted_data(f->work, 1, n, 0.75);
}

static void observe_market(const qm_sim *sim, double *x)
{
    double h = 0.0;
    for (int s = 0; s < sim->n_services; s++)
        h += qm_market_hhi(sim->held + s, sim->n_providers, sim->n_services);
    x[QM_S_HHI_MEAN] = h / sim->n_services;
    x[QM_S_PROVIDER_ENTRIES] = sim->month_entries;
    x[QM_S_PROVIDER_EXITS] = sim->month_exits;
    for (int p = 0; p < sim->n_providers; p++) {
        const qm_provider *pr = &sim->prov[p];
        x[QM_S_PROVIDERS_ACTIVE] += pr->active;
        x[QM_S_PROVIDER_PROFIT] += pr->revenue - pr->delivery_cost - pr->bid_cost;
    }
}

static void observe_commissioners(const qm_sim *sim, qm_frame *f)
{
    int C = sim->n_commissioners, S = sim->n_services;
    double *v = f->cpanel;
    for (int c = 0; c < C; c++) {
        const qm_commissioner *cm = &sim->comm[c];
        const qm_tally *t = &cm->t;
        double tsum = 0.0, tn = 0.0, running = 0.0;
        for (int s = 0; s < S; s++) {
            const qm_contract *k = &sim->con[(size_t)c * S + s];
            if (!k->active)
                continue;
            tsum += qm_sim_trust(sim, c, k->provider);
            tn++;
            running += k->tender_end >= sim->month;
        }
        v[QM_CP_SPEND * C + c] = t->spend;
        v[QM_CP_BUDGET * C + c] = cm->budget;
        v[QM_CP_CONTRACTING_USED * C + c] = t->contracting_used;
        v[QM_CP_STAFF_SHORTFALL * C + c] = t->staff_shortfall;
        v[QM_CP_KNOWLEDGE_ANALYTIC * C + c] = cm->A;
        v[QM_CP_KNOWLEDGE_CONTEXTUAL * C + c] = cm->X;
        v[QM_CP_KNOWLEDGE_PROCUREMENT * C + c] = cm->R;
        v[QM_CP_INFORMATION_QUALITY * C + c] = cm->info;
        v[QM_CP_TRUST_MEAN * C + c] = tn > 0 ? tsum / tn : 0.0;
        v[QM_CP_TENDERS_RUNNING * C + c] = running;
        v[QM_CP_TRANSACTION_COSTS * C + c] = t->tc_renewal + t->tc_renegotiation + t->tc_tender +
                                             t->tc_monitoring + t->tc_switching;
        v[QM_CP_UNMET_DEMAND * C + c] = t->unmet;
    }
}

static void observe_providers(const qm_sim *sim, qm_frame *f)
{
    int P = sim->max_providers, S = sim->n_services;
    double *v = f->ppanel;
    memset(v, 0, (size_t)QM_PP_N * P * sizeof(double));
    for (int p = 0; p < sim->n_providers; p++) {
        const qm_provider *pr = &sim->prov[p];
        double cap = 0.0, q = 0.0, nq = 0.0;
        for (int s = 0; s < S; s++) {
            size_t ps = (size_t)p * S + s;
            if (!sim->offers[ps])
                continue;
            cap += sim->capacity[ps];
            q += sim->quality[ps];
            nq++;
        }
        v[QM_PP_ACTIVE * P + p] = pr->active;
        v[QM_PP_REVENUE * P + p] = pr->revenue;
        v[QM_PP_DELIVERY_COST * P + p] = pr->delivery_cost;
        v[QM_PP_PROFIT * P + p] = pr->revenue - pr->delivery_cost - pr->bid_cost;
        v[QM_PP_ACTIVITY * P + p] = pr->activity;
        v[QM_PP_CAPACITY * P + p] = cap;
        v[QM_PP_QUALITY_MEAN * P + p] = nq > 0 ? q / nq : 0.0;
        v[QM_PP_LOSS_MONTHS * P + p] = pr->loss_months;
    }
    for (size_t k = 0; k < (size_t)sim->n_commissioners * S; k++)
        if (sim->con[k].active)
            v[QM_PP_CONTRACTS_HELD * P + sim->con[k].provider]++;
}

static void observe_events(const qm_sim *sim, qm_frame *f)
{
    int n = 0;
    for (int c = 0; c < sim->n_commissioners; c++) {
        const qm_commissioner *cm = &sim->comm[c];
        memcpy(f->events + n, cm->events, (size_t)cm->n_events * sizeof(qm_event));
        n += cm->n_events;
    }
    memcpy(f->events + n, sim->market_events, (size_t)sim->n_market_events * sizeof(qm_event));
    f->n_events = n + sim->n_market_events;
}

void qm_observe(const qm_sim *sim, qm_frame *f)
{
    f->month = sim->month - 1;
    memset(f->series, 0, sizeof f->series);
    sum_tallies(sim, f->series);
    observe_contracts(sim, f);
    observe_market(sim, f->series);
    observe_commissioners(sim, f);
    observe_providers(sim, f);
    observe_events(sim, f);
}
