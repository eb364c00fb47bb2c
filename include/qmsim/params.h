/* params.h: every behavioural number of the model, with its default and range.
 *
 * The engine reads numbers only from a qm_params (scalars) and from the
 * entity specifications of a qm_scenario.  The tables declared at the end
 * (qm_param_table and the field tables) are the single source of truth for
 * each parameter's scenario path, default, range, unit and meaning: the
 * scenario reader, the resolved-scenario writer and docs/scenarios.md are
 * all generated from them.
 */
#ifndef QMSIM_PARAMS_H
#define QMSIM_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#define QM_NAME_MAX 48       /* longest entity name, including the NUL */
#define QM_LIST_MAX 4096     /* longest explicit list in a scenario */
#define QM_BIDS_MAX 16       /* most bidders a tender shortlists */
#define QM_REACH_MAX 256     /* most agencies a commissioner considers */

/* Payment types of a contract (MODEL.md 2, Contract). */
typedef enum { QM_PAY_BLOCK = 0, QM_PAY_ACTIVITY, QM_PAY_OUTCOME, QM_PAY_N } qm_payment;

/* Provider kinds (MODEL.md 2, Provider). */
typedef enum {
    QM_PK_NHS_ACUTE = 0, QM_PK_NHS_COMMUNITY, QM_PK_NHS_MENTAL,
    QM_PK_INDEPENDENT, QM_PK_VOLUNTARY, QM_PK_N
} qm_provider_kind;

/* Support agency kinds (MODEL.md 2, Support agency). */
typedef enum {
    QM_AK_CSU = 0, QM_AK_COMMERCIAL, QM_AK_NOT_FOR_PROFIT, QM_AK_FREELANCE,
    QM_AK_PUBLIC_HEALTH, QM_AK_N
} qm_agency_kind;

/* Knowledge conduits of an engagement (MODEL.md 2 Engagement, 4.4). */
typedef enum { QM_CONDUIT_PLACEMENT = 0, QM_CONDUIT_PRODUCT, QM_CONDUIT_ADVISORY, QM_CONDUIT_N } qm_conduit;

/* Purposes of an engagement (MODEL.md 2 Engagement). */
typedef enum {
    QM_PURPOSE_ANALYTICS = 0, QM_PURPOSE_REDESIGN, QM_PURPOSE_PROCUREMENT,
    QM_PURPOSE_OUTSOURCED, QM_PURPOSE_N
} qm_purpose;

/* Timeline event types (MODEL.md 6). */
typedef enum {
    QM_TL_REORGANISATION = 0, QM_TL_EXTERNALISE, QM_TL_POLICY, QM_TL_DIRECTIVE,
    QM_TL_PRIORITY_SHIFT, QM_TL_DEMAND_SHOCK, QM_TL_N
} qm_timeline_type;

/* Rules for assigning initial contracts (MODEL.md 5). */
typedef enum { QM_INIT_NEAREST_NHS = 0, QM_INIT_RANDOM, QM_INIT_N } qm_init_rule;

/* Neighbourhood of commissioners (MODEL.md 2, Time and space). */
typedef enum { QM_NB_RING = 0, QM_NB_NONE, QM_NB_N } qm_neighbours;

/* A distribution for a heterogeneous attribute (MODEL.md 5).  A plain
 * number in the scenario file is a constant.  Draws are clipped to the
 * attribute's range; the clip is documented with each attribute. */
typedef enum {
    QM_DIST_CONST = 0, QM_DIST_UNIFORM, QM_DIST_NORMAL, QM_DIST_LOGNORMAL,
    QM_DIST_BETA, QM_DIST_LIST, QM_DIST_N
} qm_dist_kind;

typedef struct qm_dist {
    qm_dist_kind kind;
    double a;            /* const: value; uniform: min; normal/lognormal: mean; beta: a */
    double b;            /* uniform: max; normal/lognormal: sd; beta: b */
    int n;               /* list: number of values */
    double *values;      /* list: values, owned by the scenario */
} qm_dist;

/* Scalar parameters, grouped as in the scenario file. */
typedef struct qm_params {
    struct {
        int term;                /* default contract term, months */
        int stagger_years;       /* initial expiries spread over this many years */
        double monitoring;       /* initial monitoring intensity M_k */
        double initial_price_ratio; /* initial price / tariff */
        double incumbent_headroom;  /* incumbent capacity >= headroom x initial volume */
        double outcome_base_share;  /* outcome payment: fixed share */
        double outcome_cap;         /* outcome payment: cap on quality ratio */
        int initial_rule;        /* qm_init_rule */
        double age_min;          /* relationship age at start, months (uniform) */
        double age_max;
        int reveal_months;       /* v2: months after which an outsider's true cost shows */
        double handback_prob;    /* v2: a loss-making outsider hands the contract back */
    } contract;
    struct {
        double quality_noise_sd; /* sd of realised quality around q */
        double block_tolerance;  /* v2: block supplies up to this multiple of the plan */
        double coding_drift;     /* v2: activity over-reported at I_c = M_k = 0 */
        double plan_weight;      /* v2: monthly weight of reported demand in the plan */
        double effort_gain;      /* v2: bound on the quality outcome payment buys */
        double effort_rate;      /* v2: monthly approach to that bound */
        double effort_cost;      /* v2: unit-cost rise per unit of quality gained */
    } delivery;
    struct {
        double sigma0;           /* signal noise sd at zero information/monitoring */
        double info_base;        /* I_c = d_c (info_base + info_analytic A) */
        double info_analytic;
        double info_noise_cut;   /* sigma = sigma0 (1 - cut_I I)(1 - cut_M M) */
        double monitoring_noise_cut;
        double undercount_max;   /* under-count of activity at I_c = 0 */
        double cost;             /* FTE-months per contract-month at M=1, T=0 */
        double trust_discount;   /* monitoring cost x (1 - discount T) */
        double pay_factor[QM_PAY_N]; /* monitoring cost by payment type (block: 1) */
        double expectation;      /* e: the quality a commissioner wants */
        double perception_weight;/* weight of a new signal in perceived quality */
        double renegotiation_step; /* monitoring rise after a renegotiation */
        double aspiration;       /* v2: margin above the benchmark */
    } monitor;
    struct {
        double evidence_weight;  /* g */
        double forgetting;       /* lambda */
        double prior_strength;   /* a0 + b0 */
        double prior[QM_PK_N];   /* prior mean by provider kind */
        double agency_prior[QM_AK_N]; /* prior mean by agency kind */
        double collaboration;    /* alpha added per month of joint work */
        double penalty;          /* beta added by a penalty or a lost tender */
        int max_relationships;   /* relationships kept per commissioner */
    } trust;
    struct {
        double salary;           /* commissioner staff, GBP per FTE-month */
        double provider_salary;  /* provider staff, GBP per FTE-month */
        double renewal;          /* FTE-months */
        double renegotiation;
        double tender;           /* commissioner's total for one tender */
        int tender_duration;     /* months */
        double bid;              /* each bidder */
        double switching;
        double switch_dip;       /* quality dip after a switch */
        int switch_dip_months;
        double decision_extension; /* rollover term as a share of the term */
        double dispute;          /* dispute after a failed deliverable */
        double mobilisation;     /* v2: a winning outsider's one-off, FTE-months */
        double coding_share;     /* v2: coding and billing, share of activity payment */
        double outcome_measurement; /* v2: provider FTE-months per outcome contract-month */
        double provider_monitoring; /* v2: provider time per unit of monitoring time */
        double provider_negotiation; /* v2: provider time per unit of negotiation time */
    } cost;
    struct {
        double b_trust, b_tenure, tenure_scale, b_gap;
        double b_reneg0, b_reneg_gap, b_tc;
        double b_tender0, b_market, b_policy, b_alt, b_risk, b_parcel;
        double capacity_floor;   /* FTE: free capacity never below this in V */
        double reneg_price_weight; /* price moves this far toward the tariff */
    } decision;
    struct {
        double w_quality, w_price, w_trust;
        double eligibility_share;/* spare capacity needed, share of volume */
        double claim_noise_sd;   /* noise on a bidder's quality claim */
        int max_bidders;         /* shortlist size, at most QM_BIDS_MAX */
        double cost_optimism;    /* v2: mean share an outsider underestimates its unit cost */
    } tender;
    struct {
        double drift_challenge;  /* monthly quality rise under challenge */
        double drift_close;      /* monthly slip when too close */
        double close_threshold;  /* trust above which a relationship is too close */
        double close_monitoring; /* ... and monitoring below which */
        int challenge_months;    /* a tender this recent counts as challenge */
        double challenge_bound;  /* v2: most quality challenge adds to one contract */
        double drift_sd;
        double reversion;        /* monthly pull toward the provider's base quality */
        int exit_loss_months;    /* consecutive loss months before exit */
        double entry_rate;       /* entry probability scale per service-month */
        double entry_margin_scale; /* margin at which entry saturates */
        int entry_window;        /* months over which tendering share is measured */
        int max_entrants;        /* capacity reserved for entrants */
        int reach;               /* nearest offering providers looked at */
    } market;
    struct {
        double tender_pressure;  /* in [0,1] */
        double tender_mandate;   /* share of expiring contracts forced to tender */
        int open_market;         /* any qualified provider may enter */
        int payment_type;        /* 0 keep the service's own, else qm_payment + 1 */
        int transfer_clause;     /* every engagement carries a transfer clause */
        double ig_strictness;    /* information-governance strictness in [0,1] */
    } policy;
    struct {
        double decay_used, decay_idle;   /* monthly */
        double staff_turnover;           /* commissioner staff, monthly */
        double hire_level;               /* knowledge a new hire brings */
        double eta_relationship;         /* interpersonal conduit rate */
        double analytic_need;            /* analytic knowledge a commissioner wants */
        double eta_placement, eta_product, eta_advisory; /* conduit rates */
        double absorb_base, absorb_slope;/* abs = base + slope K */
        double distance_peak;            /* peak of the inverted U in distance */
        double trust_exponent;           /* gamma */
        double tool_decay_used, tool_decay_idle; /* a product's capability */
        double context_rate;             /* engagement context built a month */
        double ig_effect;                /* data lost at full IG strictness */
    } knowledge;
    struct {
        int term;                /* months */
        int max_per_commissioner;
        double fte;              /* size of an engagement */
        double overflow_trigger; /* FTE-months of waiting work that trigger support */
        double coverage_fte;     /* FTE that cover a commissioner's analytic work */
        double w_trust, w_skill, w_fee, w_fit, w_host, w_push; /* agency choice logit */
        double reference_fee;    /* GBP per FTE-month */
        int reach;               /* nearest agencies a commissioner considers */
        double clause_share;     /* engagements with a clause absent a mandate */
        int review_months;       /* deliverables reviewed this often */
        double fail_share;       /* progress below this share of plan fails */
        double dock_share;       /* progress below this is docked (v2) */
        double dock;             /* share of fee docked on failure */
        double clarity;          /* brief clarity at the start */
        int shift_months;        /* priorities shift this often */
        double shift_loss;       /* clarity lost at a shift */
        double progress_sd;      /* sd for trust evidence from progress */
        int max_months;          /* longest engagement with renewals */
        double transfer_margin;  /* need persists while K < need - margin */
        double csu_staff_cost;   /* GBP per FTE-month an agency pays */
        int csu_window;          /* months of the self-sufficiency rule */
        double csu_shrink;       /* capacity lost a month when short */
    } engage;
    struct {
        double effort[4];        /* mean FTE-months per stage */
        double effort_cv;        /* coefficient of variation of effort */
        double fte_each;         /* development staff a development needs */
        int max_slots;           /* developments a commissioner can hold */
        double absence_mean;     /* share of development staff away in a month */
        double absence_concentration; /* of its Beta draw */
        double monthly_need;     /* FTE a month for normal progress */
        double min_share;        /* below this share of need it stalls */
        int abandon_months;      /* stalled months before abandonment */
        int benefit_lag;         /* months from launch to benefit */
        double quality_gain;     /* realised quality gain */
        double start_base;       /* start probability per service-month */
        double start_gap;        /* extra start probability per unit of gap */
        double lead_trust;       /* provider trust for a provider lead */
        double provider_share;   /* effort a provider lead carries */
        double replace_share;    /* developments that replace the service */
        double copy_rate;        /* copy probability per unit of benefit */
    } develop;
    struct {
        int panels;              /* write per-entity panels */
        int events;              /* write the event table */
        int flush_months;        /* months buffered before a write */
    } output;
} qm_params;

/* Specification of one service line (MODEL.md 2, Service line). */
typedef struct qm_service_spec {
    char name[QM_NAME_MAX];
    double demand;         /* units per 1,000 population per month */
    double tariff;         /* reference price, GBP per unit */
    double cost_min;       /* unit cost range as a share of the tariff */
    double cost_max;
    double parcelability;  /* b_s in [0,1] */
    double scarcity;       /* staff scarcity in [0,1] */
    int payment;           /* default qm_payment */
    int tariffed;          /* v2: 1 when a national tariff is the reference price */
    int line;              /* source line, 0 if unknown */
} qm_service_spec;

/* A group of commissioners sharing attribute distributions. */
typedef struct qm_commissioner_group {
    char prefix[QM_NAME_MAX];
    int count;
    int n_names;
    char (*names)[QM_NAME_MAX];
    qm_dist population;
    qm_dist budget_per_capita;   /* GBP per person per month */
    qm_dist development_staff;   /* FTE */
    qm_dist contracting_staff;   /* FTE */
    qm_dist analytic, contextual, procurement;
    qm_dist data_infrastructure;
    qm_dist market_orientation;
    qm_dist risk_aversion;
    qm_dist receptivity;
    int line;
} qm_commissioner_group;

/* A group of providers of one kind offering the same services. */
typedef struct qm_provider_group {
    char prefix[QM_NAME_MAX];
    int kind;                    /* qm_provider_kind */
    int count;
    int n_names;
    char (*names)[QM_NAME_MAX];
    int n_services;              /* 0 means all services */
    int *services;               /* indices into the service list */
    qm_dist capacity;            /* units per month per service offered */
    qm_dist quality;             /* true quality q */
    qm_dist cost_position;       /* position of unit cost in the service's range */
    qm_dist markup;              /* bid mark-up */
    qm_dist optimism;            /* quality over-claim in bids */
    qm_dist sharing;             /* willingness to share knowledge w_p */
    int line;
} qm_provider_group;

/* A group of support agencies of one kind (MODEL.md 2, Support agency). */
typedef struct qm_agency_group {
    char prefix[QM_NAME_MAX];
    int kind;                    /* qm_agency_kind */
    int count;
    int n_names;
    char (*names)[QM_NAME_MAX];
    int conduit;                 /* qm_conduit it works through */
    qm_dist capacity;            /* FTE */
    qm_dist skill;               /* S_a */
    qm_dist context_fit;         /* F_a */
    qm_dist fee;                 /* GBP per FTE-month */
    qm_dist transfer;            /* theta_a */
    qm_dist turnover;            /* staff turnover a month */
    qm_dist push;                /* marketing push */
    int line;
} qm_agency_group;

/* One timeline event (MODEL.md 6).  Fields apply by type; see
 * qm_timeline_fields for which. */
typedef struct qm_timeline_event {
    int month;
    int type;                    /* qm_timeline_type */
    double staff_loss;           /* reorganisation */
    double knowledge_loss;
    double rupture;
    double setback;
    int merge;                   /* reorganisation: merge groups of this size */
    double split_share;          /* reorganisation: share of bodies split in two */
    double share;                /* externalise: analysts moved; directive: bodies told */
    int service;                 /* directive, demand_shock: index, -1 all */
    double factor;               /* demand_shock: demand multiplier */
    double clarity_loss;         /* priority_shift */
    char key[QM_NAME_MAX];       /* policy: parameter path */
    double value;                /* policy: new value (enum index for enums) */
    int line;
} qm_timeline_event;

/* A complete scenario: what the scenario file says, resolved. */
typedef struct qm_scenario {
    char name[QM_NAME_MAX];
    char description[512];
    uint64_t seed;
    int months;
    int start_month;             /* calendar month of month 0 (4 = April) */
    int neighbours;              /* qm_neighbours */
    int generator;               /* qm_rng_kind: every stream's GSL generator */
    qm_params p;
    int n_services;
    qm_service_spec *services;
    int n_cgroups;
    qm_commissioner_group *cgroups;
    int n_pgroups;
    qm_provider_group *pgroups;
    qm_provider_group entrant;   /* template for market entrants */
    int n_agroups;
    qm_agency_group *agroups;    /* support agencies (may be none) */
    int n_timeline;
    int n_dropped;                 /* timeline events past a horizon shortened by --set
                                    * months (--months): dropped, not refused */
    int first_dropped;             /* the month of the first of them */
    qm_timeline_event *timeline; /* sorted by month, ties in file order */
    char *source_name;           /* file name, or "builtin:baseline" */
    char *source_text;           /* scenario text as given */
} qm_scenario;

/* ---- Parameter metadata: the registry the reader and docs use. ---- */

typedef enum {
    QM_T_DOUBLE = 0, QM_T_INT, QM_T_BOOL, QM_T_ENUM, QM_T_DIST, QM_T_STRING
} qm_ptype;

typedef struct qm_param_def {
    const char *path;            /* scenario path, e.g. "trust.forgetting" */
    qm_ptype type;
    size_t offset;               /* offset in the owning struct */
    double def;                  /* default (for DIST: a constant) */
    double min, max;             /* inclusive range */
    const char *unit;
    const char *doc;
    const char *const *names;    /* ENUM: value names, NULL-terminated */
    unsigned mask;               /* timeline fields: bit t set if event type t takes it */
} qm_param_def;

extern const qm_param_def qm_param_table[];      /* fields of qm_params */
extern const qm_param_def qm_service_fields[];   /* fields of qm_service_spec */
extern const qm_param_def qm_cgroup_fields[];    /* fields of qm_commissioner_group */
extern const qm_param_def qm_pgroup_fields[];    /* fields of qm_provider_group */
extern const qm_param_def qm_agroup_fields[];    /* fields of qm_agency_group */
extern const qm_param_def qm_timeline_fields[];  /* fields of qm_timeline_event */
extern const char *const qm_agency_kind_names[];
extern const char *const qm_conduit_names[];
extern const char *const qm_purpose_names[];
extern const char *const qm_timeline_names[];
extern const char *const qm_payment_names[];
extern const char *const qm_provider_kind_names[];
extern const char *const qm_init_rule_names[];
extern const char *const qm_neighbour_names[];
extern const char *const qm_dist_names[];

/* Number of entries in a NULL-path-terminated table. */
int qm_params_count(const qm_param_def *table);

/* Sets every field in table to its default in the struct at base.
 * DIST fields become constants.  Cannot fail. */
void qm_params_defaults(const qm_param_def *table, void *base);

/* Looks up a table entry by path; NULL when none. */
const qm_param_def *qm_params_find(const qm_param_def *table, const char *path);

/* Index of name in a NULL-terminated list, or -1. */
int qm_params_enum_index(const char *const *names, const char *name);

/* Cross-field checks the per-field ranges cannot express.  Writes at most
 * one message into msg (size n) and returns the number of problems. */
int qm_params_check(const qm_params *p, char *msg, size_t n);

#endif
