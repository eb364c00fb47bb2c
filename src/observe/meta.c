/* meta.c: what each series of the model (MODEL.md 7, qm_series_defs) and
 * each key outcome of a comparison (docs/analysis.md) means to a reader:
 * label, unit, kind, stock or flow, aggregation over time and range
 * (qmsim/meta.h).  Units are those of qm_series_defs; tests/unit/test_meta.c
 * checks that every series has an entry with the same unit. */
#include <math.h>
#include <string.h>

#include "qmsim/meta.h"

#define INF HUGE_VAL
/* A flow of things in a month; a stock of things at its end. */
#define CNT_F(n, l, u) {n, l, u, QM_KIND_COUNT, QM_TIME_FLOW, QM_AGG_SUM, 0.0, INF}
#define CNT_S(n, l, u) {n, l, u, QM_KIND_COUNT, QM_TIME_STOCK, QM_AGG_MEAN, 0.0, INF}
/* Pounds paid in a month (never negative unless said). */
#define GBP_F(n, l) {n, l, "GBP", QM_KIND_MONEY, QM_TIME_FLOW, QM_AGG_SUM, 0.0, INF}
/* A score in [0, 1] at the end of a month. */
#define IDX(n, l) {n, l, "1", QM_KIND_INDEX, QM_TIME_STOCK, QM_AGG_MEAN, 0.0, 1.0}

static const qm_meta table[] = {
    CNT_S("contracts_active", "Contracts in force", "contracts"),
    CNT_F("decisions_renew", "Contracts renewed at expiry", "decisions"),
    CNT_F("decisions_renegotiate", "Contracts renegotiated at expiry", "decisions"),
    CNT_F("decisions_tender", "Contracts sent to tender at expiry", "decisions"),
    CNT_F("decisions_decommission", "Contracts decommissioned at expiry", "decisions"),
    CNT_F("decisions_rollover", "Renewals forced by lack of staff", "decisions"),
    CNT_F("tenders_started", "Tenders started", "tenders"),
    CNT_F("tenders_completed", "Tenders completed", "tenders"),
    CNT_F("switches", "Contracts moved to another provider", "contracts"),
    CNT_S("contracts_block", "Contracts paid by block", "contracts"),
    CNT_S("contracts_activity", "Contracts paid by activity", "contracts"),
    CNT_S("contracts_outcome", "Contracts paid by outcome", "contracts"),
    IDX("trust_mean_provider", "Trust in incumbent providers (mean)"),
    IDX("trust_q25_provider", "Trust in incumbent providers (lower quartile)"),
    IDX("trust_median_provider", "Trust in incumbent providers (median)"),
    IDX("trust_q75_provider", "Trust in incumbent providers (upper quartile)"),
    IDX("trust_mean_nhs", "Trust in NHS providers"),
    IDX("trust_mean_independent", "Trust in independent providers"),
    IDX("trust_mean_voluntary", "Trust in voluntary providers"),
    GBP_F("tc_ex_ante", "Transaction costs before contracting"),
    GBP_F("tc_ex_post", "Transaction costs after contracting"),
    GBP_F("tc_commissioner", "Transaction costs borne by commissioners"),
    GBP_F("tc_provider", "Transaction costs borne by providers"),
    GBP_F("tc_renewal", "Cost of renewals"),
    GBP_F("tc_renegotiation", "Cost of renegotiations"),
    GBP_F("tc_tender", "Cost of running tenders"),
    GBP_F("tc_bid", "Cost of bidding"),
    GBP_F("tc_monitoring", "Cost of monitoring"),
    GBP_F("tc_switching", "Cost of switching provider"),
    {"staff_shortfall", "Contracting work beyond staff time", "FTE-months", QM_KIND_AMOUNT,
     QM_TIME_FLOW, QM_AGG_SUM, 0.0, INF},
    GBP_F("spend", "Payments to providers"),
    GBP_F("budget", "Commissioners' budgets"),
    {"activity", "Activity delivered", "units", QM_KIND_AMOUNT, QM_TIME_FLOW, QM_AGG_SUM, 0.0,
     INF},
    {"unmet_demand", "Demand not delivered", "units", QM_KIND_AMOUNT, QM_TIME_FLOW, QM_AGG_SUM,
     0.0, INF},
    IDX("quality_delivered", "Quality delivered"),
    IDX("hhi_mean", "Market concentration (HHI)"),
    CNT_F("provider_entries", "Providers entering", "providers"),
    CNT_F("provider_exits", "Providers leaving", "providers"),
    CNT_S("providers_active", "Providers in the market", "providers"),
    {"provider_profit", "Providers' profit", "GBP", QM_KIND_MONEY, QM_TIME_FLOW, QM_AGG_SUM,
     -INF, INF},
    IDX("knowledge_analytic_mean", "Commissioners' analytic knowledge"),
    IDX("knowledge_contextual_mean", "Commissioners' contextual knowledge"),
    IDX("knowledge_procurement_mean", "Commissioners' procurement knowledge"),
    IDX("information_quality_mean", "Commissioners' information quality"),
    IDX("knowledge_effective_mean", "Commissioners' effective analytic capability"),
    IDX("dependency_index", "Dependency on outside analysts"),
    CNT_S("engagements_active", "Agency engagements running", "engagements"),
    CNT_F("engagements_started", "Agency engagements started", "engagements"),
    CNT_F("engagement_renewals", "Agency engagements renewed", "engagements"),
    CNT_F("engagements_ended", "Agency engagements ended", "engagements"),
    CNT_F("engagements_docked", "Agency fees docked", "engagements"),
    CNT_S("engagements_placement", "Engagements placing staff", "engagements"),
    CNT_S("engagements_product", "Engagements deploying a product", "engagements"),
    CNT_S("engagements_advisory", "Engagements advising remotely", "engagements"),
    CNT_S("engagements_with_clause", "Engagements with a knowledge-transfer clause",
          "engagements"),
    GBP_F("agency_fees", "Fees paid to support agencies"),
    GBP_F("agency_fees_csu", "Fees paid to CSUs"),
    GBP_F("agency_fees_commercial", "Fees paid to commercial consultancies"),
    GBP_F("agency_fees_not_for_profit", "Fees paid to not-for-profit agencies"),
    GBP_F("agency_fees_freelance", "Fees paid to freelancers"),
    GBP_F("agency_fees_public_health", "Fees paid to public-health teams"),
    GBP_F("agency_revenue", "Fees received by agencies"),
    {"agency_capacity", "Staff of support agencies", "FTE", QM_KIND_AMOUNT, QM_TIME_STOCK,
     QM_AGG_MEAN, 0.0, INF},
    IDX("trust_mean_agency", "Trust in engaged agencies"),
    IDX("trust_mean_csu", "Trust in engaged CSUs"),
    IDX("trust_mean_commercial", "Trust in engaged consultancies"),
    IDX("trust_mean_not_for_profit", "Trust in engaged not-for-profit agencies"),
    IDX("trust_mean_freelance", "Trust in engaged freelancers"),
    IDX("trust_mean_public_health", "Trust in engaged public-health teams"),
    CNT_F("developments_started", "Service developments started", "developments"),
    CNT_F("developments_completed", "Service developments launched", "developments"),
    CNT_F("developments_stalled", "Service developments stalled", "developments"),
    CNT_F("developments_abandoned", "Service developments abandoned", "developments"),
    CNT_S("developments_in_progress", "Service developments in progress", "developments"),
    CNT_F("developments_launched_after_stall", "Launches after a stall", "developments"),
    {"development_months_to_launch", "Months from start to launch", "months", QM_KIND_MONTHS,
     QM_TIME_STOCK, QM_AGG_MEAN, 0.0, INF},
    GBP_F("tc_development", "Cost of specifying developments"),
    GBP_F("tc_dispute", "Cost of disputes"),
    CNT_S("commissioners_active", "Commissioning bodies", "commissioners"),
    CNT_F("reorganisations", "Reorganisations", "events"),
    GBP_F("tc_mobilisation", "Providers' cost of mobilising a won service"),
    GBP_F("tc_coding", "Providers' cost of coding and billing activity"),
    GBP_F("tc_outcome_measurement", "Providers' cost of measuring outcomes"),
    GBP_F("tc_provider_monitoring", "Providers' side of monitoring"),
    GBP_F("tc_provider_negotiation", "Providers' side of renewals"),
    {"activity_reported", "Activity reported to commissioners", "units", QM_KIND_AMOUNT,
     QM_TIME_FLOW, QM_AGG_SUM, 0.0, INF},
    CNT_F("contracts_handed_back", "Contracts handed back by outsiders", "contracts"),
    CNT_F("renegotiations_upward", "Prices renegotiated up to a revealed cost", "contracts"),
    CNT_F("tenders_on_laggards", "Tenders on incumbents below their service's rating", "tenders"),
    /* The key outcomes of a comparison (src/compare/outcomes.c). */
    {"tender_share", "Expiring contracts sent to tender", "1", QM_KIND_SHARE, QM_TIME_FLOW,
     QM_AGG_MEAN, 0.0, 1.0},
    {"switch_rate", "Switches of provider a year per contract", "1/year", QM_KIND_AMOUNT,
     QM_TIME_FLOW, QM_AGG_MEAN, 0.0, INF},
    {"tc_per_spend", "Transaction costs as a share of spend", "GBP/GBP", QM_KIND_SHARE,
     QM_TIME_FLOW, QM_AGG_MEAN, 0.0, INF},
    {"trust", "Trust in incumbent providers", "1", QM_KIND_INDEX, QM_TIME_STOCK, QM_AGG_MEAN,
     0.0, 1.0},
    {"quality", "Quality delivered", "1", QM_KIND_INDEX, QM_TIME_STOCK, QM_AGG_MEAN, 0.0, 1.0},
    {"unmet_share", "Demand not delivered", "1", QM_KIND_SHARE, QM_TIME_FLOW, QM_AGG_MEAN, 0.0,
     1.0},
    {"agency_fees", "Fees paid to support agencies a year", "GBP/year", QM_KIND_MONEY,
     QM_TIME_FLOW, QM_AGG_MEAN, 0.0, INF},
    {"dependency", "Dependency on outside analysts", "1", QM_KIND_INDEX, QM_TIME_STOCK,
     QM_AGG_MEAN, 0.0, 1.0},
    {"developments", "Service developments launched", "developments", QM_KIND_COUNT,
     QM_TIME_FLOW, QM_AGG_SUM, 0.0, INF},
    {"spend_year", "Payments to providers a year", "GBP/year", QM_KIND_MONEY, QM_TIME_FLOW,
     QM_AGG_MEAN, 0.0, INF},
    {"tc_total", "Transaction costs of both sides a year", "GBP/year", QM_KIND_MONEY,
     QM_TIME_FLOW, QM_AGG_MEAN, 0.0, INF},
    {"net_cost", "Spend plus transaction costs a year", "GBP/year", QM_KIND_MONEY,
     QM_TIME_FLOW, QM_AGG_MEAN, 0.0, INF},
    {"launch_months", "Months from start to launch (median)", "months", QM_KIND_MONTHS,
     QM_TIME_FLOW, QM_AGG_MEAN, 0.0, INF},
    {"stalled_share", "Finished developments that stalled", "1", QM_KIND_SHARE, QM_TIME_FLOW,
     QM_AGG_MEAN, 0.0, 1.0},
};
#define N_TABLE ((int)(sizeof table / sizeof table[0]))
/* Where the key outcomes start: "agency_fees" is both a series (GBP a
 * month) and a key outcome (GBP a year); a lookup finds the series, and
 * qm_meta_outcome the outcome. */
static int first_outcome(void)
{
    for (int i = 0; i < N_TABLE; i++)
        if (!strcmp(table[i].name, "tender_share"))
            return i;
    return N_TABLE;
}
#define FIRST_OUTCOME first_outcome()

static const qm_meta *find_from(const char *name, int from)
{
    for (int i = from; name && i < N_TABLE; i++)
        if (!strcmp(table[i].name, name))
            return &table[i];
    return NULL;
}

const qm_meta *qm_meta_find(const char *name)
{
    return find_from(name, 0);
}

const qm_meta *qm_meta_outcome(const char *name)
{
    const qm_meta *m = find_from(name, FIRST_OUTCOME);
    return m ? m : qm_meta_find(name);
}

const qm_meta *qm_meta_get(const char *name)
{
    static const qm_meta plain = {"", "", "", QM_KIND_AMOUNT, QM_TIME_FLOW, QM_AGG_MEAN, -INF,
                                  INF};
    const qm_meta *m = qm_meta_find(name);
    return m ? m : &plain;
}

const char *qm_meta_label(const char *name)
{
    const qm_meta *m = qm_meta_find(name);
    return m ? m->label : name;
}

const char *qm_meta_kind_name(qm_meta_kind kind)
{
    static const char *const names[] = {"count", "share", "money", "index", "months",
                                        "amount"};
    return kind >= QM_KIND_COUNT && kind <= QM_KIND_AMOUNT ? names[kind] : "amount";
}

void qm_meta_reduce_range(const qm_meta *m, const char *reduce, double *lo, double *hi)
{
    *lo = m->lo;
    *hi = m->hi;
    if (reduce && !strcmp(reduce, "sum")) {
        *lo = m->lo >= 0.0 ? 0.0 : -INF;
        *hi = INF;
    }
}
