/* observe.c: the monthly observations of MODEL.md 7, read off the state. */
#include "qmsim/observe.h"

#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_statistics_double.h>

#include "model/market.h"
#include "qmsim/sim.h"
#include "core/state.h"

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
    {"knowledge_effective_mean", "1", "Mean effective analytic capability (own, borrowed or a product's) of commissioners"},
    {"dependency_index", "1", "Mean share of commissioners' effective analytic capability that comes from outside"},
    {"engagements_active", "engagements", "Engagements of support agencies running"},
    {"engagements_started", "engagements", "Engagements started"},
    {"engagement_renewals", "engagements", "Engagements renewed at expiry"},
    {"engagements_ended", "engagements", "Engagements ended"},
    {"engagements_docked", "engagements", "Engagements whose fee was docked after a failed deliverable"},
    {"engagements_placement", "engagements", "Running engagements that place staff with the client"},
    {"engagements_product", "engagements", "Running engagements that deploy a product"},
    {"engagements_advisory", "engagements", "Running engagements that advise remotely"},
    {"engagements_with_clause", "engagements", "Running engagements with a knowledge-transfer clause"},
    {"agency_fees", "GBP", "Fees paid to support agencies, net of docking"},
    {"agency_fees_csu", "GBP", "Fees paid to commissioning support units"},
    {"agency_fees_commercial", "GBP", "Fees paid to commercial consultancies"},
    {"agency_fees_not_for_profit", "GBP", "Fees paid to not-for-profit agencies"},
    {"agency_fees_freelance", "GBP", "Fees paid to freelance consultants"},
    {"agency_fees_public_health", "GBP", "Fees paid to public-health teams"},
    {"agency_revenue", "GBP", "Fees received by support agencies"},
    {"agency_capacity", "FTE", "Staff of support agencies"},
    {"trust_mean_agency", "1", "Mean trust of commissioners in the agencies they engage"},
    {"trust_mean_csu", "1", "Mean trust in engaged CSUs (0 when none)"},
    {"trust_mean_commercial", "1", "Mean trust in engaged commercial consultancies (0 when none)"},
    {"trust_mean_not_for_profit", "1", "Mean trust in engaged not-for-profit agencies (0 when none)"},
    {"trust_mean_freelance", "1", "Mean trust in engaged freelancers (0 when none)"},
    {"trust_mean_public_health", "1", "Mean trust in engaged public-health teams (0 when none)"},
    {"developments_started", "developments", "Service developments started"},
    {"developments_completed", "developments", "Service developments launched"},
    {"developments_stalled", "developments", "Developments stalled this month for lack of staff"},
    {"developments_abandoned", "developments", "Developments abandoned"},
    {"developments_in_progress", "developments", "Developments in progress at the end of the month"},
    {"developments_launched_after_stall", "developments", "Launches this month of developments that had stalled at least once"},
    {"development_months_to_launch", "months", "Mean months from start to launch of the developments launched this month (0 when none)"},
    {"tc_development", "GBP", "Staff cost of specifying and procuring developments (commissioners and leading providers)"},
    {"tc_dispute", "GBP", "Staff cost of disputes over failed deliverables"},
    {"commissioners_active", "commissioners", "Commissioning bodies in existence"},
    {"reorganisations", "events", "Reorganisation events this month"},
    {"tc_mobilisation", "GBP", "Providers' staff cost of mobilising a service won from an incumbent (ex post)"},
    {"tc_coding", "GBP", "Providers' coding and billing cost under activity payment (ex post)"},
    {"tc_outcome_measurement", "GBP", "Providers' cost of measuring outcomes under outcome payment (ex post)"},
    {"tc_provider_monitoring", "GBP", "Providers' side of monitoring: returns and review meetings (ex post)"},
    {"tc_provider_negotiation", "GBP", "Providers' side of renewals (ex ante); their side of renegotiations is in tc_renegotiation"},
    {"activity_reported", "units", "Activity reported to commissioners (coding drift under activity payment, an under-count otherwise)"},
    {"contracts_handed_back", "contracts", "Contracts an outsider handed back once its true cost showed (re-procured)"},
    {"renegotiations_upward", "contracts", "Prices renegotiated up to an outsider's revealed cost"},
    {"tenders_on_laggards", "tenders", "Tenders started on an incumbent truly below its service's published rating"},
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
    {"active", "1", "1 while the commissioning body exists (mergers end bodies; splits create them)"},
    {"population", "people", "Population served"},
    {"knowledge_effective", "1", "Effective analytic capability: own, borrowed or a product's"},
    {"dependency_index", "1", "Share of effective analytic capability from outside"},
    {"engagements", "engagements", "Engagements running"},
    {"agency_fees", "GBP", "Fees paid to agencies, net of docking"},
    {"developments", "developments", "Developments in progress"},
    {"development_staff_free", "FTE", "Development staff available after absence and contracting overflow"},
};

const qm_var_def qm_apanel_defs[QM_AP_N] = {
    {"capacity", "FTE", "Staff available to clients"},
    {"booked", "FTE", "Staff booked by engagements"},
    {"load", "1", "Booked over capacity: above 1 the agency is spread thin"},
    {"revenue", "GBP", "Fees received"},
    {"clients", "engagements", "Engagements running"},
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
    size_t C = (size_t)sim->max_commissioners, P = (size_t)sim->max_providers;
    size_t A = (size_t)sim->n_agencies;
    f->n_commissioners = sim->max_commissioners;
    f->n_providers = sim->max_providers;
    f->n_agencies = sim->n_agencies;
    if (A > 0 && !(f->apanel = calloc(QM_AP_N * A, sizeof(double)))) {
        free(f);
        return NULL;
    }
    f->cap_events = (int)(C * (size_t)sim->cap_events + (size_t)sim->cap_market_events);
    f->cpanel = calloc(QM_CP_N * C, sizeof(double));
    f->ppanel = calloc(QM_PP_N * P, sizeof(double));
    f->events = calloc((size_t)f->cap_events, sizeof(qm_event));
    /* One slot per contract (trust quartiles); two per service (HHI),
     * apart, since the two are gathered at the same time. */
    f->work = calloc(C * (size_t)sim->n_services + 1, sizeof(double));
    f->work2 = calloc(C * (size_t)sim->n_services + 1, sizeof(double));
    f->work_market = calloc(2 * (size_t)sim->n_services, sizeof(double));
    f->work_kind = calloc(P + 1, 1);
    if (!f->cpanel || !f->ppanel || !f->events || !f->work || !f->work2 || !f->work_market || !f->work_kind) {
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
    free(f->work2);
    free(f->work_market);
    free(f->work_kind);
    free(f->apanel);
    free(f);
}

static void add_tally(const qm_tally *t, double *x)
{
    x[QM_S_DECISIONS_RENEW] += t->decisions[0];
    x[QM_S_DECISIONS_RENEGOTIATE] += t->decisions[1];
    x[QM_S_DECISIONS_TENDER] += t->decisions[2];
    x[QM_S_DECISIONS_DECOMMISSION] += t->decisions[3];
    x[QM_S_DECISIONS_ROLLOVER] += t->rollovers;
    x[QM_S_TENDERS_STARTED] += t->tenders_started;
    x[QM_S_TENDERS_COMPLETED] += t->tenders_completed;
    x[QM_S_SWITCHES] += t->switches;
    x[QM_S_TC_RENEWAL] += t->tc_renewal;
    x[QM_S_TC_RENEGOTIATION] += t->tc_renegotiation + t->tc_provider_renegotiation;
    x[QM_S_TC_TENDER] += t->tc_tender;
    x[QM_S_TC_BID] += t->tc_bid;
    x[QM_S_TC_MONITORING] += t->tc_monitoring;
    x[QM_S_TC_SWITCHING] += t->tc_switching;
    x[QM_S_TC_DEVELOPMENT] += t->tc_development + t->tc_provider_development;
    x[QM_S_TC_DISPUTE] += t->tc_dispute;
    x[QM_S_STAFF_SHORTFALL] += t->staff_shortfall;
    x[QM_S_SPEND] += t->spend;
    x[QM_S_ACTIVITY] += t->activity;
    x[QM_S_UNMET_DEMAND] += t->unmet;
    x[QM_S_QUALITY_DELIVERED] += t->quality_sum;
    x[QM_S_AGENCY_FEES] += t->fees;
    for (int k = 0; k < QM_AK_N; k++)
        x[QM_S_AGENCY_FEES_CSU + k] += t->fees_kind[k];
    x[QM_S_ENGAGEMENTS_STARTED] += t->engagements_started;
    x[QM_S_ENGAGEMENT_RENEWALS] += t->engagement_renewals;
    x[QM_S_ENGAGEMENTS_ENDED] += t->engagements_ended;
    x[QM_S_ENGAGEMENTS_DOCKED] += t->engagements_docked;
    x[QM_S_DEVELOPMENTS_STARTED] += t->dev_started;
    x[QM_S_DEVELOPMENTS_COMPLETED] += t->dev_completed;
    x[QM_S_DEVELOPMENTS_STALLED] += t->dev_stalled;
    x[QM_S_DEVELOPMENTS_ABANDONED] += t->dev_abandoned;
    x[QM_S_DEVELOPMENTS_LAUNCHED_AFTER_STALL] += t->dev_launched_stalled;
    x[QM_S_DEVELOPMENT_MONTHS_TO_LAUNCH] += t->dev_launch_months;
    x[QM_S_TC_MOBILISATION] += t->tc_mobilisation;
    x[QM_S_TC_CODING] += t->tc_coding;
    x[QM_S_TC_OUTCOME_MEASUREMENT] += t->tc_outcome_measurement;
    x[QM_S_TC_PROVIDER_MONITORING] += t->tc_provider_monitoring;
    x[QM_S_TC_PROVIDER_NEGOTIATION] += t->tc_provider_negotiation;
    x[QM_S_ACTIVITY_REPORTED] += t->reported;
    x[QM_S_CONTRACTS_HANDED_BACK] += t->handbacks;
    x[QM_S_RENEGOTIATIONS_UPWARD] += t->upward_renegotiations;
    x[QM_S_TENDERS_ON_LAGGARDS] += t->tenders_laggard;
}

static void add_commissioner(const qm_commissioner *cm, double *x)
{
    x[QM_S_COMMISSIONERS_ACTIVE]++;
    x[QM_S_BUDGET] += cm->budget;
    x[QM_S_KNOWLEDGE_ANALYTIC_MEAN] += cm->A;
    x[QM_S_KNOWLEDGE_CONTEXTUAL_MEAN] += cm->X;
    x[QM_S_KNOWLEDGE_PROCUREMENT_MEAN] += cm->R;
    x[QM_S_INFORMATION_QUALITY_MEAN] += cm->info;
    x[QM_S_KNOWLEDGE_EFFECTIVE_MEAN] += cm->A_eff;
    x[QM_S_DEPENDENCY_INDEX] += cm->dependency;
    for (int i = 0; i < cm->n_dev; i++)
        x[QM_S_DEVELOPMENTS_IN_PROGRESS] += cm->dev[i].active && cm->dev[i].stage < QM_STAGE_RUNNING;
}

/* Running engagements by conduit and clause, and trust in their agencies. */
static void add_engagements(const qm_sim *sim, int c, double *x, double *tsum, double *tn)
{
    const qm_commissioner *cm = &sim->comm[c];
    for (int i = 0; i < cm->n_eng; i++) {
        const qm_engagement *e = &cm->eng[i];
        if (!e->active)
            continue;
        int kind = sim->agency[e->agency].kind;
        double T = qm_state_trust(sim, c, sim->max_providers + e->agency);
        x[QM_S_ENGAGEMENTS_ACTIVE]++;
        x[QM_S_ENGAGEMENTS_PLACEMENT + e->conduit]++;
        x[QM_S_ENGAGEMENTS_WITH_CLAUSE] += e->clause;
        tsum[kind] += T;
        tn[kind]++;
    }
}

/* Series sums a commissioner's pass gathers; each is added to in
 * commissioner order. */
typedef struct obs_sums {
    double *x;              /* series from tallies and commissioners */
    double *y;              /* series from contracts */
    double tsum[QM_AK_N], tn[QM_AK_N]; /* trust in engaged agencies by kind */
    double provider_dev;
    double provider_reneg;  /* providers' side of renegotiations */
    double kind_sum[3], kind_n[3];     /* trust in incumbents by provider kind */
    size_t n;               /* contracts in force */
} obs_sums;

static void finish_tallies(const qm_sim *sim, const obs_sums *o)
{
    double *x = o->x, all = 0.0, n = 0.0;
    double C = x[QM_S_COMMISSIONERS_ACTIVE] > 0 ? x[QM_S_COMMISSIONERS_ACTIVE] : 1.0;
    /* MODEL.md 4.2 (v2): ex ante (development, specification, tender, bid,
     * negotiation), ex post (monitoring, enforcement, renegotiation,
     * switching); providers bear bids, mobilisation, coding, outcome
     * measurement and their side of monitoring and negotiation. */
    x[QM_S_TC_EX_ANTE] = x[QM_S_TC_RENEWAL] + x[QM_S_TC_TENDER] + x[QM_S_TC_BID] + x[QM_S_TC_DEVELOPMENT] +
                         x[QM_S_TC_PROVIDER_NEGOTIATION];
    x[QM_S_TC_EX_POST] = x[QM_S_TC_MONITORING] + x[QM_S_TC_RENEGOTIATION] + x[QM_S_TC_SWITCHING] +
                         x[QM_S_TC_DISPUTE] + x[QM_S_TC_MOBILISATION] + x[QM_S_TC_CODING] +
                         x[QM_S_TC_OUTCOME_MEASUREMENT] + x[QM_S_TC_PROVIDER_MONITORING];
    x[QM_S_TC_PROVIDER] = x[QM_S_TC_BID] + o->provider_dev + o->provider_reneg + x[QM_S_TC_MOBILISATION] +
                          x[QM_S_TC_CODING] + x[QM_S_TC_OUTCOME_MEASUREMENT] +
                          x[QM_S_TC_PROVIDER_MONITORING] + x[QM_S_TC_PROVIDER_NEGOTIATION];
    x[QM_S_TC_COMMISSIONER] = x[QM_S_TC_EX_ANTE] + x[QM_S_TC_EX_POST] - x[QM_S_TC_PROVIDER];
    x[QM_S_QUALITY_DELIVERED] = x[QM_S_ACTIVITY] > 0.0 ? x[QM_S_QUALITY_DELIVERED] / x[QM_S_ACTIVITY] : 0.0;
    x[QM_S_DEVELOPMENT_MONTHS_TO_LAUNCH] = x[QM_S_DEVELOPMENTS_COMPLETED] > 0
        ? x[QM_S_DEVELOPMENT_MONTHS_TO_LAUNCH] / x[QM_S_DEVELOPMENTS_COMPLETED] : 0.0;
    static const int means[] = {QM_S_KNOWLEDGE_ANALYTIC_MEAN, QM_S_KNOWLEDGE_CONTEXTUAL_MEAN,
                                QM_S_KNOWLEDGE_PROCUREMENT_MEAN, QM_S_INFORMATION_QUALITY_MEAN,
                                QM_S_KNOWLEDGE_EFFECTIVE_MEAN, QM_S_DEPENDENCY_INDEX};
    for (size_t i = 0; i < sizeof means / sizeof *means; i++)
        x[means[i]] /= C;
    for (int k = 0; k < QM_AK_N; k++) {
        x[QM_S_TRUST_MEAN_CSU + k] = o->tn[k] > 0 ? o->tsum[k] / o->tn[k] : 0.0;
        all += o->tsum[k];
        n += o->tn[k];
    }
    x[QM_S_TRUST_MEAN_AGENCY] = n > 0 ? all / n : 0.0;
    x[QM_S_REORGANISATIONS] = sim->month_reorganisations;
    for (int a = 0; a < sim->n_agencies; a++) {
        x[QM_S_AGENCY_REVENUE] += sim->agency[a].revenue;
        x[QM_S_AGENCY_CAPACITY] += sim->agency[a].capacity;
    }
}

/* The k-th smallest of x[0..n) by quickselect, in linear expected time;
 * reorders x.  Deterministic: the pivot is the middle element. */
static double select_kth(double *x, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        double pivot = x[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (x[i] < pivot)
                i++;
            while (x[j] > pivot)
                j--;
            if (i <= j) {
                double t = x[i];
                x[i] = x[j];
                x[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return x[k];
    }
    return x[k];
}

/* Quantile q of x[0..n), computed exactly as GSL's
 * gsl_stats_quantile_from_sorted_data would on the sorted data, without
 * sorting the whole array. */
static double quantile(double *x, size_t n, double q)
{
    double index = q * (double)(n - 1);
    size_t lhs = (size_t)index;
    double delta = index - (double)lhs;
    double lo = select_kth(x, n, lhs);
    if (lhs == n - 1)
        return lo;
    double hi = x[lhs + 1]; /* the next order statistic: the least of those after lhs */
    for (size_t j = lhs + 2; j < n; j++)
        if (x[j] < hi)
            hi = x[j];
    return (1 - delta) * lo + delta * hi;
}

/* Trust in incumbents of commissioner c: the values for the quartiles, the
 * means by provider kind, contracts by payment; and what its panel row
 * needs (MODEL.md 7). */
static void add_contracts(const qm_sim *sim, qm_frame *f, int c, obs_sums *o,
                          double *tsum, double *tn, double *running)
{
    int S = sim->n_services;
    for (int s = 0; s < S; s++) {
        const qm_contract *k = &sim->con[(size_t)c * S + s];
        if (!k->active)
            continue;
        int g = f->work_kind[k->provider];
        double T = k->trust;
        f->work[o->n] = f->work2[o->n] = T;
        o->n++;
        o->kind_sum[g] += T;
        o->kind_n[g]++;
        o->y[QM_S_CONTRACTS_BLOCK + k->payment]++;
        *tsum += T;
        (*tn)++;
        *running += k->tender_end >= sim->month;
    }
}

static void finish_contracts(qm_frame *f, const obs_sums *o)
{
    double *x = o->y;
    f->n_work = (int)o->n;
    x[QM_S_CONTRACTS_ACTIVE] = (double)o->n;
    x[QM_S_TRUST_MEAN_NHS] = o->kind_n[0] > 0 ? o->kind_sum[0] / o->kind_n[0] : 0.0;
    x[QM_S_TRUST_MEAN_INDEPENDENT] = o->kind_n[1] > 0 ? o->kind_sum[1] / o->kind_n[1] : 0.0;
    x[QM_S_TRUST_MEAN_VOLUNTARY] = o->kind_n[2] > 0 ? o->kind_sum[2] / o->kind_n[2] : 0.0;
}

/* Mean and quartiles of trust in incumbents over contracts, in two halves
 * that can run side by side: each selection reorders its own copy, and an
 * order statistic does not depend on the order it is found in; the mean
 * is taken over the copy in contract order, before it is reordered. */
static void trust_upper(qm_frame *f, double *x)
{
    size_t n = (size_t)f->n_work;
    if (n == 0)
        return;
    x[QM_S_TRUST_MEAN_PROVIDER] = gsl_stats_mean(f->work2, 1, n);
    x[QM_S_TRUST_Q75_PROVIDER] = quantile(f->work2, n, 0.75);
}

static void trust_lower(qm_frame *f, double *x)
{
    size_t n = (size_t)f->n_work;
    if (n == 0)
        return;
    x[QM_S_TRUST_Q25_PROVIDER] = quantile(f->work, n, 0.25);
    x[QM_S_TRUST_MEDIAN_PROVIDER] = quantile(f->work, n, 0.5);
}

static void observe_market(const qm_sim *sim, qm_frame *f, double *x)
{
    /* Sums and sums of squares per service, gathered in one pass in memory
     * order (MODEL.md 7, concentration per service). */
    int S = sim->n_services;
    double *tot = f->work_market, *sq = f->work_market + S, h = 0.0;
    memset(f->work_market, 0, 2 * (size_t)S * sizeof(double));
    for (int p = 0; p < sim->n_providers; p++)
        for (int s = 0; s < S; s++) {
            double v = sim->held[(size_t)p * S + s];
            tot[s] += v;
            sq[s] += v * v;
        }
    for (int s = 0; s < S; s++)
        h += qm_market_hhi_sums(tot[s], sq[s]);
    x[QM_S_HHI_MEAN] = h / S;
    x[QM_S_PROVIDER_ENTRIES] = sim->month_entries;
    x[QM_S_PROVIDER_EXITS] = sim->month_exits;
    for (int p = 0; p < sim->n_providers; p++) {
        const qm_provider *pr = &sim->prov[p];
        x[QM_S_PROVIDERS_ACTIVE] += pr->active;
        x[QM_S_PROVIDER_PROFIT] += pr->revenue - pr->delivery_cost - pr->bid_cost;
    }
}

static void panel_row(const qm_sim *sim, qm_frame *f, int c, double tsum, double tn, double running)
{
    int C = sim->max_commissioners;
    const qm_commissioner *cm = &sim->comm[c];
    const qm_tally *t = &cm->t;
    double *v = f->cpanel;
    int neng = 0, ndev = 0;
    for (int i = 0; i < cm->n_eng; i++)
        neng += cm->eng[i].active;
    for (int i = 0; i < cm->n_dev; i++)
        ndev += cm->dev[i].active && cm->dev[i].stage < QM_STAGE_RUNNING;
    v[QM_CP_ACTIVE * C + c] = 1.0;
    v[QM_CP_POPULATION * C + c] = cm->population;
    v[QM_CP_KNOWLEDGE_EFFECTIVE * C + c] = cm->A_eff;
    v[QM_CP_DEPENDENCY * C + c] = cm->dependency;
    v[QM_CP_ENGAGEMENTS * C + c] = neng;
    v[QM_CP_AGENCY_FEES * C + c] = t->fees;
    v[QM_CP_DEVELOPMENTS * C + c] = ndev;
    v[QM_CP_DEVELOPMENT_STAFF_FREE * C + c] = cm->dev_free;
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
                                         t->tc_monitoring + t->tc_switching +
                                         t->tc_development + t->tc_dispute;
    v[QM_CP_UNMET_DEMAND * C + c] = t->unmet;
}

/* Everything read off the commissioners and their contracts, in one pass
 * so that each commissioner's records come through the cache once a month
 * (bench/README.md): the series of their tallies, knowledge and
 * engagements, the trust in incumbents, and the commissioner panel. */
static void observe_commissioners(const qm_sim *sim, qm_frame *f, double *x, double *y)
{
    obs_sums o = {.x = x, .y = y};
    memset(f->cpanel, 0, (size_t)QM_CP_N * sim->max_commissioners * sizeof(double));
    for (int p = 0; p < sim->n_providers; p++) {
        int kind = sim->prov[p].kind;
        f->work_kind[p] = kind == QM_PK_INDEPENDENT ? 1 : kind == QM_PK_VOLUNTARY ? 2 : 0;
    }
    for (int c = 0; c < sim->n_commissioners; c++) {
        const qm_commissioner *cm = &sim->comm[c];
        double tsum = 0.0, tn = 0.0, running = 0.0;
        add_tally(&cm->t, x);
        o.provider_dev += cm->t.tc_provider_development;
        o.provider_reneg += cm->t.tc_provider_renegotiation;
        if (cm->active) {
            add_commissioner(cm, x);
            add_engagements(sim, c, x, o.tsum, o.tn);
        }
        /* A merged body's contracts include its members' (MODEL.md 6). */
        if (cm->active)
            for (int s = c; s >= 0; s = sim->comm[s].chain)
                add_contracts(sim, f, s, &o, &tsum, &tn, &running);
        if (cm->active)
            panel_row(sim, f, c, tsum, tn, running);
    }
    finish_tallies(sim, &o);
    finish_contracts(f, &o);
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

static void observe_agencies(const qm_sim *sim, qm_frame *f)
{
    int A = sim->n_agencies;
    double *v = f->apanel;
    for (int a = 0; a < A; a++) {
        const qm_agency *ag = &sim->agency[a];
        v[QM_AP_CAPACITY * A + a] = ag->capacity;
        v[QM_AP_BOOKED * A + a] = ag->booked;
        v[QM_AP_LOAD * A + a] = ag->capacity > 0.0 ? ag->booked / ag->capacity : 0.0;
        v[QM_AP_REVENUE * A + a] = ag->revenue;
        v[QM_AP_CLIENTS * A + a] = ag->clients;
    }
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

/* The market's side of a frame: its series, the agencies, the events and
 * the providers. */
static void observe_market_side(const qm_sim *sim, qm_frame *f, double *x)
{
    observe_market(sim, f, x);
    if (f->apanel)
        observe_agencies(sim, f);
    observe_events(sim, f);
    observe_providers(sim, f);
}

/* The two sides, then the two halves of the quartiles, on the run's
 * threads. */
static void observe_team(const qm_sim *sim, qm_frame *f, double part[3][QM_S_N])
{
#pragma omp parallel num_threads(sim->threads)
    {
#pragma omp sections
        {
#pragma omp section
            observe_commissioners(sim, f, part[0], part[1]);
#pragma omp section
            observe_market_side(sim, f, part[2]);
        }
        /* (the sections end in a barrier: the trust values are all in) */
#pragma omp sections
        {
#pragma omp section
            trust_upper(f, part[1]);
#pragma omp section
            trust_lower(f, part[1]);
        }
    }
}

/* The commissioners' side of a frame and the market's are independent, so
 * they are gathered side by side, and then the two halves of the trust
 * quartiles; each sums in its own fixed order, so the frame does not
 * depend on the threads.  The three series parts (tallies,
 * contracts, market) fill disjoint series, each into its own zeroed copy,
 * and are then added (x + 0 is exact). */
void qm_observe(const qm_sim *sim, qm_frame *f)
{
    double part[3][QM_S_N];
    memset(part, 0, sizeof part);
    f->month = sim->month - 1;
    /* One thread gathers without an OpenMP region, which would end in a
     * system call (core/team.h). */
    if (sim->threads > 1) {
        observe_team(sim, f, part);
    } else {
        observe_commissioners(sim, f, part[0], part[1]);
        observe_market_side(sim, f, part[2]);
        trust_upper(f, part[1]);
        trust_lower(f, part[1]);
    }
    for (int i = 0; i < QM_S_N; i++)
        f->series[i] = part[0][i] + part[1][i] + part[2][i];
}
