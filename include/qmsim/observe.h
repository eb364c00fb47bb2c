/* observe.h: what a month of the model looks like from outside.
 *
 * The observer reads the model state after a step and fills a qm_frame:
 * the monthly series, the per-entity panels and the month's events.  It
 * never changes the state; the writer never looks at the state.  The tables
 * of names, units and descriptions below are what the HDF5 file carries. */
#ifndef QMSIM_OBSERVE_H
#define QMSIM_OBSERVE_H

#include <stdint.h>
#include "qmsim/state.h"

/* Monthly series (MODEL.md 7).  Append new series at the end. */
typedef enum {
    QM_S_CONTRACTS_ACTIVE = 0,
    QM_S_DECISIONS_RENEW,
    QM_S_DECISIONS_RENEGOTIATE,
    QM_S_DECISIONS_TENDER,
    QM_S_DECISIONS_DECOMMISSION,
    QM_S_DECISIONS_ROLLOVER,
    QM_S_TENDERS_STARTED,
    QM_S_TENDERS_COMPLETED,
    QM_S_SWITCHES,
    QM_S_CONTRACTS_BLOCK,
    QM_S_CONTRACTS_ACTIVITY,
    QM_S_CONTRACTS_OUTCOME,
    QM_S_TRUST_MEAN_PROVIDER,
    QM_S_TRUST_Q25_PROVIDER,
    QM_S_TRUST_MEDIAN_PROVIDER,
    QM_S_TRUST_Q75_PROVIDER,
    QM_S_TRUST_MEAN_NHS,
    QM_S_TRUST_MEAN_INDEPENDENT,
    QM_S_TRUST_MEAN_VOLUNTARY,
    QM_S_TC_EX_ANTE,
    QM_S_TC_EX_POST,
    QM_S_TC_COMMISSIONER,
    QM_S_TC_PROVIDER,
    QM_S_TC_RENEWAL,
    QM_S_TC_RENEGOTIATION,
    QM_S_TC_TENDER,
    QM_S_TC_BID,
    QM_S_TC_MONITORING,
    QM_S_TC_SWITCHING,
    QM_S_STAFF_SHORTFALL,
    QM_S_SPEND,
    QM_S_BUDGET,
    QM_S_ACTIVITY,
    QM_S_UNMET_DEMAND,
    QM_S_QUALITY_DELIVERED,
    QM_S_HHI_MEAN,
    QM_S_PROVIDER_ENTRIES,
    QM_S_PROVIDER_EXITS,
    QM_S_PROVIDERS_ACTIVE,
    QM_S_PROVIDER_PROFIT,
    QM_S_KNOWLEDGE_ANALYTIC_MEAN,
    QM_S_KNOWLEDGE_CONTEXTUAL_MEAN,
    QM_S_KNOWLEDGE_PROCUREMENT_MEAN,
    QM_S_INFORMATION_QUALITY_MEAN,
    /* knowledge conduits, engagements and developments (MODEL.md 4.4, 4.5) */
    QM_S_KNOWLEDGE_EFFECTIVE_MEAN,
    QM_S_DEPENDENCY_INDEX,
    QM_S_ENGAGEMENTS_ACTIVE,
    QM_S_ENGAGEMENTS_STARTED,
    QM_S_ENGAGEMENT_RENEWALS,
    QM_S_ENGAGEMENTS_ENDED,
    QM_S_ENGAGEMENTS_DOCKED,
    QM_S_ENGAGEMENTS_PLACEMENT,
    QM_S_ENGAGEMENTS_PRODUCT,
    QM_S_ENGAGEMENTS_ADVISORY,
    QM_S_ENGAGEMENTS_WITH_CLAUSE,
    QM_S_AGENCY_FEES,
    QM_S_AGENCY_FEES_CSU,
    QM_S_AGENCY_FEES_COMMERCIAL,
    QM_S_AGENCY_FEES_NOT_FOR_PROFIT,
    QM_S_AGENCY_FEES_FREELANCE,
    QM_S_AGENCY_FEES_PUBLIC_HEALTH,
    QM_S_AGENCY_REVENUE,
    QM_S_AGENCY_CAPACITY,
    QM_S_TRUST_MEAN_AGENCY,
    QM_S_TRUST_MEAN_CSU,
    QM_S_TRUST_MEAN_COMMERCIAL,
    QM_S_TRUST_MEAN_NOT_FOR_PROFIT,
    QM_S_TRUST_MEAN_FREELANCE,
    QM_S_TRUST_MEAN_PUBLIC_HEALTH,
    QM_S_DEVELOPMENTS_STARTED,
    QM_S_DEVELOPMENTS_COMPLETED,
    QM_S_DEVELOPMENTS_STALLED,
    QM_S_DEVELOPMENTS_ABANDONED,
    QM_S_DEVELOPMENTS_IN_PROGRESS,
    QM_S_DEVELOPMENTS_LAUNCHED_AFTER_STALL,
    QM_S_DEVELOPMENT_MONTHS_TO_LAUNCH,
    QM_S_TC_DEVELOPMENT,
    QM_S_TC_DISPUTE,
    QM_S_COMMISSIONERS_ACTIVE,
    QM_S_REORGANISATIONS,
    QM_S_TC_MOBILISATION,
    QM_S_TC_CODING,
    QM_S_TC_OUTCOME_MEASUREMENT,
    QM_S_TC_PROVIDER_MONITORING,
    QM_S_TC_PROVIDER_NEGOTIATION,
    QM_S_ACTIVITY_REPORTED,
    QM_S_CONTRACTS_HANDED_BACK,
    QM_S_RENEGOTIATIONS_UPWARD,
    QM_S_TENDERS_ON_LAGGARDS,
    QM_S_N
} qm_series_id;

/* Per-commissioner panel variables. */
typedef enum {
    QM_CP_SPEND = 0, QM_CP_BUDGET, QM_CP_CONTRACTING_USED, QM_CP_STAFF_SHORTFALL,
    QM_CP_KNOWLEDGE_ANALYTIC, QM_CP_KNOWLEDGE_CONTEXTUAL, QM_CP_KNOWLEDGE_PROCUREMENT,
    QM_CP_INFORMATION_QUALITY, QM_CP_TRUST_MEAN, QM_CP_TENDERS_RUNNING,
    QM_CP_TRANSACTION_COSTS, QM_CP_UNMET_DEMAND,
    QM_CP_ACTIVE, QM_CP_POPULATION, QM_CP_KNOWLEDGE_EFFECTIVE, QM_CP_DEPENDENCY,
    QM_CP_ENGAGEMENTS, QM_CP_AGENCY_FEES, QM_CP_DEVELOPMENTS, QM_CP_DEVELOPMENT_STAFF_FREE,
    QM_CP_N
} qm_cpanel_id;

/* Per-agency panel variables. */
typedef enum {
    QM_AP_CAPACITY = 0, QM_AP_BOOKED, QM_AP_LOAD, QM_AP_REVENUE, QM_AP_CLIENTS, QM_AP_N
} qm_apanel_id;

/* Per-provider panel variables. */
typedef enum {
    QM_PP_ACTIVE = 0, QM_PP_REVENUE, QM_PP_DELIVERY_COST, QM_PP_PROFIT, QM_PP_ACTIVITY,
    QM_PP_CAPACITY, QM_PP_QUALITY_MEAN, QM_PP_CONTRACTS_HELD, QM_PP_LOSS_MONTHS,
    QM_PP_N
} qm_ppanel_id;

/* Name, unit and meaning of an output variable. */
typedef struct qm_var_def {
    const char *name;
    const char *units;
    const char *description;
} qm_var_def;

extern const qm_var_def qm_series_defs[QM_S_N];
extern const qm_var_def qm_cpanel_defs[QM_CP_N];
extern const qm_var_def qm_ppanel_defs[QM_PP_N];
extern const qm_var_def qm_apanel_defs[QM_AP_N];
extern const char *const qm_event_names[QM_EV_N];

/* One month of observations.  Panels are variable-major:
 * cpanel[v * n_commissioners + c].  n_commissioners counts commissioner
 * slots, including those that mergers empty and splits fill. */
typedef struct qm_frame {
    int month;
    double series[QM_S_N];
    int n_commissioners;
    int n_providers;         /* provider slots, entrants included */
    int n_agencies;          /* may be 0 */
    double *cpanel;
    double *ppanel;
    double *apanel;          /* QM_AP_N x n_agencies; NULL when no agencies */
    int n_events;
    int cap_events;
    qm_event *events;
    double *work;            /* observer's scratch, one slot per contract */
    double *work2;           /* a copy of it, for a second thread */
    int n_work;              /* slots of work in use */
    double *work_market;     /* observer's scratch, two slots per service */
    unsigned char *work_kind;/* observer's scratch, one slot per provider */
} qm_frame;

/* Allocates a frame sized for a simulation; NULL when out of memory. */
qm_frame *qm_frame_alloc(const qm_sim *sim);
void qm_frame_free(qm_frame *f);

/* Fills f from the state after the step of month sim->month - 1.
 * Reads only; cannot fail. */
void qm_observe(const qm_sim *sim, qm_frame *f);

#endif
