/* sim.c: the state's storage (MODEL.md 2): what a scenario needs, its
 * allocation, laid out for the monthly passes, and its release; and the
 * creation of one replicate, whose initial values come from the model's
 * initialisation (src/model/init.c, MODEL.md 5). */
#define _DEFAULT_SOURCE /* madvise, for huge pages */
#include "qmsim/sim.h"

#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "qmsim/rng.h"
#include "core/walk.h"
#include "model/init.h"

/* Arrays of the state at least this big are backed by huge pages where the
 * system offers them (2 MiB on x86-64 and arm64 Linux). */
#define HUGE_PAGE ((size_t)2 << 20)

/* Zeroed memory for one of the state's arrays, aligned to a cache line
 * at least; freed with free().  A big array is aligned to a huge page and
 * offered to the kernel as huge pages: beyond national scale the monthly
 * passes touch more 4 KiB pages than the TLB maps, and its misses cost
 * about a tenth of the run (bench/README.md). */
static void *state_calloc(size_t n, size_t size)
{
    size_t align = 64;
    if (n == 0)
        n = 1;
    if (size && n > (SIZE_MAX - HUGE_PAGE) / size)
        return NULL;
    size_t bytes = n * size;
#ifdef MADV_HUGEPAGE
    if (bytes >= HUGE_PAGE)
        align = HUGE_PAGE;
#endif
    size_t rounded = (bytes + align - 1) / align * align;
    void *p = aligned_alloc(align, rounded);
    if (!p)
        return NULL;
#ifdef MADV_HUGEPAGE
    if (align == HUGE_PAGE)
        (void)madvise(p, rounded, MADV_HUGEPAGE); /* advice: a refusal is harmless */
#endif
    memset(p, 0, bytes);
    return p;
}

static int total_commissioners(const qm_scenario *sc)
{
    long n = 0;
    for (int g = 0; g < sc->n_cgroups; g++)
        n += sc->cgroups[g].count;
    return n > 0x7fffffff ? -1 : (int)n;
}

static int total_providers(const qm_scenario *sc)
{
    long n = sc->p.market.max_entrants;
    for (int g = 0; g < sc->n_pgroups; g++)
        n += sc->pgroups[g].count;
    return n > 0x7fffffff ? -1 : (int)n;
}

static int total_agencies(const qm_scenario *sc)
{
    long n = 0;
    for (int g = 0; g < sc->n_agroups; g++)
        n += sc->agroups[g].count;
    return (int)n;
}

#define QM_SLOTS_MAX 1000000 /* commissioner slots a run may reserve */

/* Commissioner slots a run can need: splits add bodies (MODEL.md 6).
 * -1 when they would exceed QM_SLOTS_MAX. */
double qm_sim_commissioner_slots(const qm_scenario *sc)
{
    double n = 0.0, slots;
    for (int g = 0; g < sc->n_cgroups; g++)
        n += sc->cgroups[g].count;
    slots = n;
    for (int i = 0; i < sc->n_timeline; i++) {
        const qm_timeline_event *e = &sc->timeline[i];
        if (e->type != QM_TL_REORGANISATION)
            continue;
        if (e->merge > 1)
            n = ceil(n / e->merge);
        double add = ceil(e->split_share * n);
        n += add;
        slots += add;
    }
    return slots;
}

/* The slots this run reserves, or -1 beyond QM_SLOTS_MAX. */
static int commissioner_slots(const qm_scenario *sc)
{
    double slots = qm_sim_commissioner_slots(sc);
    return slots > QM_SLOTS_MAX ? -1 : (int)slots;
}

/* The most bids a tender can shortlist in this run: the scenario's
 * max_bidders, which no timeline event changes (policy events set only
 * policy.* keys); each contract keeps room for that many between the
 * tender's close and the award. */
static int bid_slots(const qm_scenario *sc)
{
    int n = sc->p.tender.max_bidders;
    return n < 1 ? 1 : n > QM_BIDS_MAX ? QM_BIDS_MAX : n;
}

static int events_per_commissioner(const qm_params *p, int n_services)
{
    /* At most a decision, an award and a switch per contract a month, a
     * switch and award more when a provider exits, and a few events per
     * engagement and development slot (start, renewal, docking, end;
     * start, launch, abandonment, a move in a merger). */
    return 5 * n_services + 4 + 4 * p->engage.max_per_commissioner + 4 * p->develop.max_slots;
}

size_t qm_sim_footprint(const qm_scenario *sc)
{
    if (commissioner_slots(sc) < 0 || total_providers(sc) < 0)
        return SIZE_MAX; /* more than any machine has */
    size_t C = (size_t)commissioner_slots(sc), P = (size_t)total_providers(sc);
    size_t S = (size_t)sc->n_services, W = (size_t)sc->p.market.entry_window;
    size_t A = (size_t)total_agencies(sc);
    const gsl_rng_type *T = qm_rng_type(sc->generator);
    size_t rng = sizeof(gsl_rng) + (T ? T->size : 0);
    size_t sz = C * (sizeof(qm_commissioner) + rng)
              + P * (sizeof(qm_provider) + rng)
              + C * S * (sizeof(qm_contract) + sizeof(qm_contract_x) + sizeof(qm_invoice) +
                         bid_slots(sc) * sizeof(qm_ranked_bid) +
                         sizeof(double))
              + P * S * (1 + 10 * sizeof(double) + 2 * sizeof(int)) + P
              + 2 * S * W * sizeof(int) + 2 * S * sizeof(double)
              + C * (size_t)sc->p.trust.max_relationships * (sizeof(qm_rel) + sizeof(int32_t))
              + C * (size_t)events_per_commissioner(&sc->p, sc->n_services) * sizeof(qm_event)
              + (P + S + C * S) * sizeof(qm_event)
              + C * S * sizeof(double)
              + A * (sizeof(qm_agency) + ((size_t)sc->p.engage.csu_window + 1) * sizeof(double))
              + C * (size_t)sc->p.engage.max_per_commissioner * sizeof(qm_engagement)
              + C * (size_t)sc->p.develop.max_slots * sizeof(qm_development);
    return sz;
}

void qm_sim_free(qm_sim *sim)
{
    if (!sim)
        return;
    if (sim->comm)
        for (int c = 0; c < sim->max_commissioners; c++)
            gsl_rng_free(sim->comm[c].rng);
    if (sim->prov)
        for (int p = 0; p < sim->max_providers; p++)
            gsl_rng_free(sim->prov[p].rng);
    gsl_rng_free(sim->market_rng);
    free(sim->comm);
    free(sim->prov);
    free(sim->con);
    free(sim->bids);
    free(sim->share);
    free(sim->conx);
    free(sim->invoice);
    free(sim->svc_rating);
    free(sim->offers);
    free(sim->capacity);
    free(sim->unit_cost);
    free(sim->quality);
    free(sim->quality0);
    free(sim->held);
    free(sim->ps_demand);
    free(sim->svc_prov);
    free(sim->svc_n);
    free(sim->agency_order);
    free(sim->svc_pos);
    free(sim->agency_pos);
    free(sim->exiting);
    free(sim->tender_ring);
    free(sim->decision_ring);
    free(sim->svc_margin);
    free(sim->svc_room);
    free(sim->ps_place);
    free(sim->rel_pool);
    free(sim->rel_id_pool);
    free(sim->event_pool);
    free(sim->market_events);
    if (sim->agency)
        for (int a = 0; a < sim->n_agencies; a++)
            free(sim->agency[a].revenue_ring);
    free(sim->agency);
    free(sim->eng_pool);
    free(sim->dev_pool);
    free(sim->demand_factor);
    free(sim);
}

static int alloc_state(qm_sim *sim)
{
    size_t C = (size_t)sim->max_commissioners, P = (size_t)sim->max_providers;
    size_t S = (size_t)sim->n_services, W = (size_t)sim->p.market.entry_window;
    size_t A = (size_t)sim->n_agencies;
    size_t E = (size_t)sim->p.engage.max_per_commissioner, V = (size_t)sim->p.develop.max_slots;
    sim->agency = calloc(A + 1, sizeof *sim->agency);
    sim->eng_pool = calloc(C * E, sizeof *sim->eng_pool);
    sim->dev_pool = calloc(C * V, sizeof *sim->dev_pool);
    sim->demand_factor = calloc(S, sizeof(double));
    if (!sim->agency || !sim->eng_pool || !sim->dev_pool || !sim->demand_factor)
        return -1;
    for (size_t s = 0; s < S; s++)
        sim->demand_factor[s] = 1.0;
    for (size_t a = 0; a < A; a++)
        if (!(sim->agency[a].revenue_ring = calloc((size_t)sim->p.engage.csu_window, sizeof(double))))
            return -1;
    sim->comm = state_calloc(C, sizeof *sim->comm);
    sim->prov = state_calloc(P, sizeof *sim->prov);
    sim->con = state_calloc(C * S, sizeof *sim->con); /* each hot line one cache line */
    sim->bids = calloc(C * S * (size_t)sim->bid_slots, sizeof *sim->bids);
    sim->share = calloc(C * S, sizeof *sim->share);
    sim->conx = calloc(C * S, sizeof *sim->conx);
    sim->invoice = state_calloc(C * S, sizeof *sim->invoice);
    sim->svc_rating = calloc(S, sizeof(double));
    sim->offers = state_calloc(P * S + 1, 1);
    sim->capacity = state_calloc(P * S + 1, sizeof(double));
    sim->unit_cost = state_calloc(P * S + 1, sizeof(double));
    sim->quality = state_calloc(P * S + 1, sizeof(double));
    sim->quality0 = state_calloc(P * S + 1, sizeof(double));
    sim->held = state_calloc(P * S + 1, sizeof(double));
    sim->ps_demand = state_calloc(P * S + 1, sizeof(double));
    sim->svc_prov = state_calloc(P * S + 1, sizeof(int));
    sim->svc_n = calloc(S, sizeof(int));
    sim->agency_order = calloc(A + 1, sizeof(int));
    sim->svc_pos = state_calloc(P * S + 1, sizeof(double));
    sim->svc_room = state_calloc(P * S + 1, sizeof(double));
    sim->ps_place = state_calloc(P * S + 1, sizeof(int));
    sim->agency_pos = calloc(A + 1, sizeof(double));
    sim->exiting = calloc(P + 1, 1);
    sim->tender_ring = calloc(S * W, sizeof(int));
    sim->decision_ring = calloc(S * W, sizeof(int));
    sim->svc_margin = calloc(2 * S, sizeof(double));
    sim->rel_pool = state_calloc(C * (size_t)sim->p.trust.max_relationships, sizeof(qm_rel));
    sim->rel_id_pool = state_calloc(C * (size_t)sim->p.trust.max_relationships, sizeof(int32_t));
    sim->cap_events = events_per_commissioner(&sim->p, sim->n_services);
    sim->event_pool = calloc(C * (size_t)sim->cap_events, sizeof(qm_event));
    sim->cap_market_events = (int)(P + S + C * S);
    sim->market_events = calloc((size_t)sim->cap_market_events, sizeof(qm_event));
    int G = sim->sc->generator;
    sim->market_rng = qm_rng_alloc(G, sim->seed, sim->replicate, QM_STREAM_MARKET, 0);
    if (!sim->comm || !sim->prov || !sim->con || !sim->bids || !sim->share || !sim->conx || !sim->invoice || !sim->svc_rating ||
        !sim->offers || !sim->capacity ||
        !sim->unit_cost || !sim->quality || !sim->quality0 || !sim->held ||
        !sim->ps_demand || !sim->tender_ring ||
        !sim->svc_prov || !sim->svc_n || !sim->exiting || !sim->agency_order ||
        !sim->svc_pos || !sim->svc_room || !sim->ps_place || !sim->agency_pos ||
        !sim->decision_ring || !sim->svc_margin || !sim->rel_pool || !sim->rel_id_pool ||
        !sim->event_pool || !sim->market_events || !sim->market_rng)
        return -1;
    for (size_t c = 0; c < C; c++) {
        qm_commissioner *cm = &sim->comm[c];
        cm->rel = sim->rel_pool + c * (size_t)sim->p.trust.max_relationships;
        cm->rel_id = sim->rel_id_pool + c * (size_t)sim->p.trust.max_relationships;
        cm->events = sim->event_pool + c * (size_t)sim->cap_events;
        cm->eng = sim->eng_pool + c * E;
        cm->dev = sim->dev_pool + c * V;
        /* Each slot starts holding its own contracts, each the whole of
         * its demand for the service (MODEL.md 2 Contract). */
        cm->holder = (int)c;
        cm->chain = -1;
        for (size_t s = 0; s < S; s++) {
            sim->share[c * S + s] = 1.0;
            sim->invoice[c * S + s].provider = -1;
        }
        cm->rng = qm_rng_alloc(G, sim->seed, sim->replicate, QM_STREAM_COMMISSIONER, c);
        if (!cm->rng)
            return -1;
    }
    for (size_t p = 0; p < P; p++) {
        sim->prov[p].rng = qm_rng_alloc(G, sim->seed, sim->replicate, QM_STREAM_PROVIDER, p);
        if (!sim->prov[p].rng)
            return -1;
    }
    return 0;
}

int qm_sim_plan_threads(int threads, double slots, int writer_core)
{
    int t = threads > 0 ? threads : 1;
    if (writer_core && t > 1)
        t--;
    double most = slots / QM_SIM_SLOTS_PER_THREAD;
    if (t > most)
        t = most >= 1.0 ? (int)most : 1;
    return t;
}

qm_sim *qm_sim_create(const qm_scenario *sc, uint64_t seed, uint64_t replicate,
                      int threads, char *err, size_t errlen)
{
    int C = total_commissioners(sc), P = total_providers(sc);
    if (C <= 0 || P <= 0 || sc->n_services <= 0) {
        snprintf(err, errlen, "the scenario needs at least one commissioner, provider and service");
        return NULL;
    }
    if (!qm_rng_type(sc->generator)) {
        snprintf(err, errlen, "generator %d is not one of the %d known", sc->generator, QM_RNG_N);
        return NULL;
    }
    if (commissioner_slots(sc) < 0) {
        snprintf(err, errlen, "the timeline's splits would need more than %d commissioner slots",
                 QM_SLOTS_MAX);
        return NULL;
    }
    qm_sim *sim = calloc(1, sizeof *sim);
    if (!sim) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    sim->sc = sc;
    sim->p = sc->p;
    sim->seed = seed;
    sim->replicate = replicate;
    sim->months = sc->months;
    sim->threads = threads;
    sim->n_services = sc->n_services;
    sim->n_commissioners = C;
    sim->max_commissioners = commissioner_slots(sc);
    sim->max_providers = P;
    sim->n_agencies = total_agencies(sc);
    sim->bid_slots = bid_slots(sc);
    if (alloc_state(sim) != 0) {
        snprintf(err, errlen, "out of memory allocating the state (%zu bytes)", qm_sim_footprint(sc));
        qm_sim_free(sim);
        return NULL;
    }
    qm_init_commissioners(sim);
    qm_init_providers(sim);
    qm_init_agencies(sim);
    if (qm_walk_build(sim) != 0) {
        snprintf(err, errlen, "out of memory");
        qm_sim_free(sim);
        return NULL;
    }
    if (qm_init_contracts(sim, err, errlen) != 0) {
        qm_sim_free(sim);
        return NULL;
    }
    return sim;
}
