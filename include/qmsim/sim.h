/* sim.h: the model state and the monthly step (MODEL.md 2 and 3).
 *
 * State shared by all threads (entities, contracts, relationships) is
 * separate from per-commissioner scratch (random stream, tallies, the
 * month's events), which only the thread handling that commissioner
 * writes.  Everything is allocated by qm_sim_create; the monthly step
 * allocates nothing. */
#ifndef QMSIM_SIM_H
#define QMSIM_SIM_H

#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "qmsim/params.h"
#include "qmsim/observe.h"
#include "qmsim/trust.h"


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

/* A service development (MODEL.md 2 Service development, 4.5). */
typedef struct qm_development {
    int active;             /* in progress or running with a benefit to come */
    int service;
    int stage;              /* 0 needs .. 3 implementation, 4 running */
    double done;            /* effort done in the current stage, FTE-months */
    double need[4];         /* effort required per stage */
    int lead;               /* 0 commissioner, 1 provider, 2 agency */
    int stalled_months;     /* cumulative */
    int ever_stalled;
    int start, launch;      /* months; launch -1 until running */
    int directive;          /* started by a directive */
    int replaces;           /* the new service can replace the old contract */
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
    double dependency;      /* share of effective capability from outside */
    double dev_free;        /* development FTE available this month */
    double last_overflow_con, last_overflow_dev; /* work that waited last month */
    int host;               /* host CSU, -1 none */
    int n_eng;
    qm_engagement *eng;     /* engagement.max_per_commissioner slots */
    int n_dev;
    qm_development *dev;    /* development.max_slots slots */
    int request_agency;     /* agency chosen this month, -1 none */
    int request_purpose;
    int request_clause;
    double benefit_new;     /* benefit realised this month (own write) */
    int benefit_service_new;
    double benefit_seen;    /* last realised benefit, visible to neighbours */
    int benefit_service;
    int split_at;           /* month it was last split, -1 never */
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

/* Contract k = c * n_services + s (MODEL.md 2, Contract).  A commissioner
 * holds at most one contract per service line.  The record is two aligned
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
                             * before use (qm_sim_incumbent_rel) */
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

/* Ranked bids of a contract's completed tender, awarded in id order.  Kept
 * apart from qm_contract so that the monthly loops over contracts do not
 * drag them through the cache. */
typedef struct qm_bids {
    int provider[QM_BIDS_MAX];
    double price[QM_BIDS_MAX];
    double qhat[QM_BIDS_MAX];
} qm_bids;

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
    qm_bids *bids;          /* one per contract, same index */
    /* provider-service arrays, [p * n_services + s] */
    unsigned char *offers;
    double *capacity, *unit_cost, *quality, *quality0;
    double *held;           /* expected volume under contract */
    double *ps_demand;      /* demand routed this month */
    double *ps_challenge;   /* challenge felt this month, in [0,1] */
    unsigned char *ps_close;/* a relationship is too close */
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

/* Walks the providers offering a service from nearest to farthest from a
 * position on the circle (ties to the lower id), at most reach of them. */
typedef struct qm_walk {
    const int *list;        /* providers offering the service, by position */
    const double *at;       /* their positions */
    const double *room;     /* their room (NULL for agencies) */
    int last;               /* place of the one returned last */
    int n;                  /* how many */
    int left, right;        /* next candidates on each side */
    int taken, limit;
    double pos;
} qm_walk;

/* Starts a walk over service s from position pos, limited to
 * market.reach providers.  Cannot fail. */
void qm_walk_start(const qm_sim *sim, qm_walk *w, int s, double pos);

/* Starts a walk over all agencies from position pos, limited to
 * engagement.reach of them.  Cannot fail. */
void qm_walk_agencies(const qm_sim *sim, qm_walk *w, double pos);

/* The next provider (or agency) of the walk, or -1 when done.  Cannot fail. */
int qm_walk_next(qm_walk *w);

/* Room of the provider a service walk returned last: its capacity less
 * the volume it holds, -HUGE_VAL when it has left the market. */
static inline double qm_walk_room(const qm_walk *w)
{
    return w->room[w->last];
}

/* Adds provider p, which now offers service s, to the service's list in
 * position order.  The list has room for every provider slot. */
void qm_sim_list_add(qm_sim *sim, int s, int p);

/* Brings the list's copy of the room of provider p in service s up to
 * date; called whenever its capacity, held volume or activity changes. */
void qm_sim_room(qm_sim *sim, int p, int s);

/* Builds the initial state of one replicate (MODEL.md 5).  threads <= 0
 * means OpenMP's default.  Returns NULL and writes a message into err when
 * the scenario needs more than it can have (e.g. no provider offers a
 * service) or memory runs out. */
qm_sim *qm_sim_create(const qm_scenario *sc, uint64_t seed, uint64_t replicate,
                      int threads, char *err, size_t errlen);

/* Runs one month (MODEL.md 3).  Cannot fail; allocates nothing. */
void qm_sim_step(qm_sim *sim);

/* Releases the simulation.  Safe on NULL. */
void qm_sim_free(qm_sim *sim);

/* Memory the state of a scenario would need, in bytes, computed before
 * anything is allocated. */
size_t qm_sim_footprint(const qm_scenario *sc);

/* Trust in provider p held by commissioner c: the relationship's Beta
 * mean, or the prior when there is no relationship.  Reads only. */
double qm_sim_trust(const qm_sim *sim, int c, int p);

/* Relationship slot for (c, p), created at the prior when absent and
 * create is nonzero (forgetting the least recently active one when full);
 * NULL when absent and not created. */
qm_rel *qm_sim_rel(qm_sim *sim, int c, int p, int create);

/* qm_sim_rel and qm_sim_trust for the provider of commissioner c's
 * contract k: the same slot and value, found straight from the contract's
 * hint while it is right, which spares a scan and lets passes over
 * contracts ask the memory for the relationship early. */
qm_rel *qm_sim_incumbent_rel(qm_sim *sim, int c, qm_contract *k, int create);
double qm_sim_incumbent_trust(const qm_sim *sim, int c, qm_contract *k);

/* Sets up provider slot p from group G (entity index i within it), drawing
 * from r.  Used at the start and for entrants.  Cannot fail. */
void qm_sim_provider_init(qm_sim *sim, int p, const qm_provider_group *G, int i,
                          gsl_rng *r, double position);

/* Prior mean trust in a partner: a provider id, or max_providers + agency
 * id for an agency.  Reads only. */
double qm_sim_prior(const qm_sim *sim, int partner);

/* The CSU nearest to a position on the circle, -1 when there is none. */
int qm_sim_nearest_csu(const qm_sim *sim, double position);

/* Records an event for commissioner c (or the market when c < 0). */
void qm_sim_event(qm_sim *sim, int c, int type, int s, int p, int other, double value);

#endif
