/* state.h: the model state (MODEL.md 2): commissioners, providers,
 * support agencies, contracts, relationships, engagements, developments,
 * the month's events and tallies, and the simulation that holds them.
 *
 * State shared by all threads (entities, contracts, relationships) is
 * separate from per-commissioner scratch (random stream, tallies, the
 * month's events), which only the thread handling that commissioner
 * writes.  The engine allocates it (qmsim/sim.h); the model's rules
 * change it; the observer reads it.  Types only: the functions that look
 * relationships up and record events are internal to the library. */
#ifndef QMSIM_STATE_H
#define QMSIM_STATE_H

#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "qmsim/params.h"

/* A relationship between a commissioner and a partner (MODEL.md 2
 * Relationship): trust is the Beta reputation
 * T = (alpha + a0) / (alpha + beta + a0 + b0). */
typedef struct qm_rel {
    int32_t provider;      /* partner id, -1 for an empty slot */
    int32_t last_contact;  /* month of the last evidence */
    double alpha, beta;    /* accumulated evidence */
    double a0, b0;         /* prior pseudo-counts */
} qm_rel;

/* Event types of the /events table.  Append new types at the end. */
typedef enum {
    QM_EV_RENEW = 0, QM_EV_RENEGOTIATE, QM_EV_ROLLOVER, QM_EV_TENDER_START,
    QM_EV_AWARD, QM_EV_SWITCH, QM_EV_DECOMMISSION, QM_EV_ENTRY, QM_EV_EXIT,
    QM_EV_ENGAGEMENT_START, QM_EV_ENGAGEMENT_RENEW, QM_EV_ENGAGEMENT_END,
    QM_EV_ENGAGEMENT_DOCKED, QM_EV_DEVELOPMENT_START, QM_EV_DEVELOPMENT_LAUNCH,
    QM_EV_DEVELOPMENT_ABANDON, QM_EV_REORGANISATION, QM_EV_MERGE, QM_EV_SPLIT,
    QM_EV_POLICY, QM_EV_DIRECTIVE, QM_EV_PRIORITY_SHIFT, QM_EV_DEMAND_SHOCK,
    QM_EV_EXTERNALISE,
    QM_EV_N
} qm_event_type;

/* One row of the event table.  Ids are -1 where they do not apply. */
typedef struct qm_event {
    int32_t month;
    int32_t type;          /* qm_event_type */
    int32_t commissioner;
    int32_t service;
    int32_t provider;      /* the provider concerned (winner, entrant...) */
    int32_t other;         /* previous provider in a switch; agency of an
                              engagement or externalisation; absorbed or new
                              commissioner of a merge or split; position in
                              the scenario's timeline of a policy event;
                              else -1 */
    double value;          /* by type (docs/output.md): a price, a fee, the
                              fee docked, months to launch or run, a
                              population, a share, a factor, or 0 */
} qm_event;


/* Counters one commissioner accumulates during a month; summed in id
 * order by the observer so totals do not depend on threads. */
typedef struct qm_tally {
    double decisions[4];   /* renew, renegotiate, tender, decommission */
    double rollovers;
    double tenders_started, tenders_completed, switches;
    double tc_renewal, tc_renegotiation, tc_tender, tc_bid;
    double tc_monitoring, tc_switching;   /* all in GBP */
    double staff_shortfall;               /* FTE-months of work that waited */
    double contracting_used;              /* FTE-months */
    double spend, activity, unmet, quality_sum;
    double fees;                          /* paid to agencies, GBP, net of docking */
    double fees_kind[QM_AK_N];
    double engagements_started, engagement_renewals, engagements_docked, engagements_ended;
    double tc_dispute, tc_development, tc_provider_development; /* GBP */
    double dev_started, dev_completed, dev_stalled, dev_abandoned;
    double dev_launch_months;             /* summed over launches this month */
    double dev_launched_stalled;          /* launches that had ever stalled */
    double dev_shortfall;                 /* FTE-months developments lacked */
    double decommissions;
    /* v2 (MODEL.md 3.2, 4.2, 4.3) */
    double tc_mobilisation, tc_coding, tc_outcome_measurement; /* providers, GBP */
    double tc_provider_monitoring, tc_provider_negotiation;    /* providers, GBP */
    double tc_provider_renegotiation;     /* providers' side, GBP (ex post) */
    double reported;                      /* activity reported, units */
    double handbacks, upward_renegotiations;
    double tenders_laggard;               /* tenders started on an incumbent below its service's rating */
} qm_tally;

/* An engagement of a support agency (MODEL.md 2 Engagement, 4.4). */
typedef struct qm_engagement {
    int active;
    int agency;
    int purpose;            /* qm_purpose */
    int conduit;            /* qm_conduit */
    int clause;             /* knowledge-transfer clause */
    int first_start;        /* month the first term started */
    int start, expiry;      /* current term */
    int renewals;
    double fte;             /* booked FTE */
    double fee;             /* GBP per month at full delivery */
    double clarity;         /* brief clarity */
    double context;         /* local context its staff have built */
    double achieved;        /* delivery against plan summed over the review period */
    double delivered;       /* effective FTE delivered this month */
    double paid;            /* fee due this month, net of docking */
    int decision;           /* set in the parallel phase: 1 renew, -1 end */
} qm_engagement;

/* The stages of a service development (MODEL.md 4.5): needs assessment,
 * specification, procurement and implementation, then running. */
enum {
    QM_STAGE_NEEDS,
    QM_STAGE_SPECIFY,
    QM_STAGE_PROCURE,
    QM_STAGE_IMPLEMENT,
    QM_STAGE_RUNNING,
};

/* A service development (MODEL.md 2 Service development, 4.5). */
typedef struct qm_development {
    int active;             /* in progress or running with a benefit to come */
    int service;
    int stage;              /* QM_STAGE_* */
    double done;            /* effort done in the current stage, FTE-months */
    double need[QM_STAGE_RUNNING]; /* effort required per stage */
    int lead;               /* 0 commissioner, 1 provider, 2 agency */
    int stalled_months;     /* cumulative */
    int ever_stalled;
    int start, launch;      /* months; launch -1 until running */
    int directive;          /* started by a directive */
    int replaces;           /* the new service can replace the old contract */
    int realised;           /* its benefit was drawn this month, to be
                             * settled serially (qm_develop_publish) */
    int cost_benefit;       /* the benefit is a unit-cost cut, else a
                             * quality gain (MODEL.md 4.5 v2) */
    double benefit;         /* its size: quality gained or share of unit
                             * cost cut; nil or negative when it failed */
} qm_development;

/* Support agency (MODEL.md 2 Support agency). */
typedef struct qm_agency {
    char name[QM_NAME_MAX];
    int kind;               /* qm_agency_kind */
    int group;
    int conduit;
    double position;
    double capacity, skill, fit, fee, transfer, turnover, push;
    double booked;          /* FTE booked by engagements */
    double revenue;         /* this month, GBP */
    int clients;            /* engagements running */
    double *revenue_ring;   /* csu_window months of revenue */
} qm_agency;

/* Commissioner (MODEL.md 2). */
typedef struct qm_commissioner {
    char name[QM_NAME_MAX];
    int group;
    double population;
    double budget;          /* GBP per month */
    double dev_staff;       /* D_c, FTE */
    double con_staff;       /* K_c, FTE */
    double A, X, R;         /* analytic, contextual, procurement knowledge */
    double data;            /* d_c */
    double market;          /* m_c */
    double risk;            /* r_c */
    double receptivity;
    double info;            /* I_c this month */
    double A_eff;           /* effective analytic knowledge (own + borrowed) */
    double tender_load;     /* FTE committed this month to running tenders */
    double con_free;        /* contracting FTE still free this month */
    double position;        /* place on the unit circle, for "nearest" */
    int used_R;             /* procurement knowledge used this month */
    int used_A;             /* analytic knowledge used this month */
    int active;             /* 0 once absorbed by a merger, or an unused slot */
    double tool;            /* capability of a product in use */
    double borrowed;        /* capability lent by running engagements */
    double outsourced;      /* share of its analytic work outside staff did
                             * this month (MODEL.md 4.4, v2) */
    double dependency;      /* share of effective capability from outside */
    double dev_free;        /* development FTE available this month */
    double last_overflow_con, last_overflow_dev; /* work that waited last month */
    int host;               /* host CSU, -1 none */
    int n_eng;
    qm_engagement *eng;     /* engagement.max_per_commissioner slots */
    int n_dev;
    qm_development *dev;    /* development.max_slots slots */
    int to_settle;          /* contracts its contract round left for the
                             * serial settle (awards, decommissionings) */
    int request_agency;     /* agency chosen this month, -1 none */
    int request_purpose;
    int request_clause;
    double benefit_new;     /* benefit realised this month (own write) */
    int benefit_service_new;
    double benefit_seen;    /* last realised benefit, visible to neighbours */
    int benefit_service;
    int split_at;           /* month it was last split, -1 never */
    int rebuild_from;       /* month its data flows stopped at a
                             * reorganisation (MODEL.md 6, v2) */
    int rebuild_months;     /* months to rebuild them, 0 none */
    int holder;             /* commissioner that holds this slot's contracts:
                             * itself, or the body that absorbed it in a
                             * merger (MODEL.md 6) */
    int chain;              /* next slot whose contracts this commissioner
                             * holds, -1 at the end: a merged body keeps
                             * every contract of its members */
    int n_rel;
    qm_rel *rel;            /* max_relationships slots in the shared pool */
    int32_t *rel_id;        /* rel[i].provider, packed: look-ups scan this
                             * (4 bytes a slot, not 40) */
    gsl_rng *rng;           /* this commissioner's stream */
    qm_tally t;             /* this month's counters */
    int n_events;
    qm_event *events;       /* this month's events, cap_events slots */
    long events_dropped;    /* events lost to a full buffer (never expected) */
} qm_commissioner;

/* Provider (MODEL.md 2).  Per-service attributes live in the provider-
 * service arrays of qm_sim, indexed [p * n_services + s]. */
typedef struct qm_provider {
    /* What walks, bids and exits read come first, in the record's first
     * cache line; the name, read only for output, comes last. */
    int kind;               /* qm_provider_kind */
    int group;              /* provider group, -1 for entrants */
    int active;             /* 0 for an empty entrant slot or after exit */
    int entrant;
    int entry_month;
    double position;        /* place on the unit circle, for "nearest" */
    double markup, optimism, sharing;
    int loss_months;        /* consecutive months of losses */
    double revenue, delivery_cost, bid_cost; /* this month, GBP */
    double activity;
    gsl_rng *rng;
    char name[QM_NAME_MAX];
} qm_provider;

/* Contract k = c * n_services + s (MODEL.md 2, Contract): the slot of
 * commissioner c for service s.  A commissioner holds the contracts of
 * its own slots and of the slots of the bodies it absorbed in mergers
 * (qm_commissioner.chain), so it may hold several for one service; each is
 * a share of its demand for that service (qm_sim.share).  The record is two aligned
 * 64-byte lines, the fields most monthly passes over all contracts read in
 * the first, so that a pass that needs only them streams half of it
 * (MODEL.md 3.2-4.3; bench/README.md); flags are bytes to make it fit. */
typedef struct qm_contract {
    /* the hot line */
    _Alignas(64) int provider;
    int expiry;             /* month the term ends (decision month) */
    int tender_end;         /* month a running tender completes, -1 none */
    int last_tender;        /* month the last tender completed, -1 never */
    unsigned char active;
    unsigned char payment;  /* qm_payment */
    unsigned char n_bids;   /* ranked bids waiting in qm_sim.bids for the award */
    unsigned char decommission; /* decided this month; settled serially */
    int rel_hint;           /* where the relationship with the provider was
                             * last found in the commissioner's list; checked
                             * before use (qm_state_incumbent_rel) */
    double demand;          /* this month */
    double delivered;       /* this month */
    double paid;            /* this month */
    double trust;           /* trust in the provider at the end of the month */
    double monitoring;      /* M_k */
    /* the second line */
    double price;           /* GBP per unit */
    double volume;          /* expected units per month */
    double qhat;            /* perceived quality (monitored record) */
    double bonus;           /* quality gain realised by developments */
    double reported, quality; /* this month */
    int start;              /* month the current term started */
    int incumbent_since;    /* month the current provider took the service */
    int dip_until;          /* switching quality dip lasts until this month */
    unsigned char replace_ready; /* a completed development can replace it */
    unsigned char monitored;     /* this month */
} qm_contract;

_Static_assert(sizeof(qm_contract) == 128, "a contract is two cache lines");

/* The v2 side of a contract (MODEL.md 2 Contract, 3.2, 4.3), kept apart
 * from qm_contract (whose two cache lines are full) in qm_sim.conx, at the
 * contract's own index.  Zero is a valid state of every field: a contract
 * that has not yet set one (a merger's or a split's) behaves as new. */
typedef struct qm_contract_x {
    double ref_price;       /* untariffed service: lowest credible bid seen, GBP/unit; 0 unset */
    double plan;            /* units a month the commissioner plans on (reported demand) */
    double seen;            /* reported demand, smoothed over the months */
    double effort;          /* quality gain from the provider's effort (outcome payment) */
    double lift;            /* quality gain from challenge on this contract */
    double owed;            /* provider's transaction costs not yet settled, GBP */
    double bid_cost;        /* unit cost the winner's price was built on; 0 when true */
} qm_contract_x;

/* What a contract in force asks of its provider and bills it for one
 * month (MODEL.md 3.2): written by the commissioner's thread as it draws
 * the demand and delivers, read by the passes that follow, which route
 * demand to providers, pay them in contract order and publish the
 * services' ratings; they read these few bytes and not the contracts
 * themselves, whose cache lines then stay with the thread that works on
 * them (bench/README.md).  The provider is -1 for a slot without a
 * contract in force. */
typedef struct qm_invoice {
    double demand;          /* units asked for */
    double paid;            /* GBP the commissioner pays */
    double cost;            /* GBP the delivery costs the provider */
    double delivered;       /* units */
    double quality;         /* realised quality of what was delivered */
    double owed;            /* provider's transaction costs settled now, GBP */
    int provider;
} qm_invoice;

/* One ranked bid of a contract's completed tender; a contract's bids wait
 * for the award, best first, in qm_sim.bids.  Kept apart from qm_contract
 * so that the monthly loops over contracts do not drag them through the
 * cache. */
typedef struct qm_ranked_bid {
    int provider;
    double price;           /* GBP per unit */
    double qhat;            /* quality credited to the bid */
    double cost;            /* unit cost the price was built on (v2: an outsider's may be optimistic) */
} qm_ranked_bid;

/* The whole simulation. */
typedef struct qm_sim {
    const qm_scenario *sc;  /* borrowed; must outlive the sim */
    qm_params p;            /* copy of the scenario's parameters (policy may change) */
    uint64_t seed, replicate;
    int month;              /* months completed */
    int months;             /* horizon */
    int threads;
    int n_services;
    int n_commissioners;
    int n_providers;        /* slots in use (initial + entrants so far) */
    int max_providers;      /* initial + max_entrants */
    qm_commissioner *comm;
    qm_provider *prov;
    qm_contract *con;       /* n_commissioners * n_services */
    qm_ranked_bid *bids;    /* bid_slots per contract, at bid_slots x its index */
    int bid_slots;          /* the most bids a tender of this run can shortlist */
    double *share;          /* one per contract, same index: the share of
                             * its holder's demand for the service it
                             * serves (MODEL.md 2 Contract, v2) */
    qm_contract_x *conx;    /* one per contract, same index (v2) */
    qm_invoice *invoice;    /* one per contract, same index: this month's */
    double *svc_rating;     /* per service: published rating, activity-weighted
                             * quality delivered last month (MODEL.md 2, v2) */
    /* provider-service arrays, [p * n_services + s] */
    unsigned char *offers;
    double *capacity, *unit_cost, *quality, *quality0;
    double *held;           /* expected volume under contract */
    double *ps_demand;      /* demand routed this month */
    int *svc_prov;          /* [s * max_providers + i]: offering providers by position */
    int *svc_n;             /* providers offering each service */
    int *agency_order;      /* agencies by position */
    double *svc_pos;        /* positions along svc_prov, so that walks read
                             * them in order instead of from each record */
    double *svc_room;       /* along svc_prov: capacity - held of each provider,
                             * -HUGE_VAL once it has left, for the same reason */
    int *ps_place;          /* [p * n_services + s]: place in svc_prov, -1 none */
    double *agency_pos;     /* positions along agency_order */
    unsigned char *exiting; /* providers leaving this month */
    /* per-service market memory */
    int *tender_ring;       /* [s * entry_window + month % window] tenders completed */
    int *decision_ring;     /* expiry decisions taken, same layout */
    double *svc_margin;     /* 2 per service: the month's market margins */
    qm_rel *rel_pool;
    int32_t *rel_id_pool;
    qm_event *event_pool;
    int cap_events;         /* per commissioner */
    int n_agencies;
    qm_agency *agency;
    qm_engagement *eng_pool;
    qm_development *dev_pool;
    double *demand_factor;  /* per service, changed by demand shocks */
    int max_commissioners;  /* slots, including those reserved for splits */
    int next_timeline;      /* first timeline event not yet applied */
    double month_reorganisations;
    qm_event *market_events;/* entries and exits this month */
    int n_market_events, cap_market_events;
    double month_entries, month_exits;
    gsl_rng *market_rng;
} qm_sim;

#endif
