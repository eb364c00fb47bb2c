/* step.c: one month of the model, in the order of MODEL.md 3: which rule
 * of src/model runs when, over which entities, in parallel or serially.
 *
 * Per-commissioner phases run in parallel: each commissioner touches only
 * its own contracts, relationships, tallies, events and random stream, and
 * reads provider state that no one writes during the phase.  Whatever two
 * commissioners compete for (provider capacity in tenders, agencies'
 * bookings) is resolved afterwards, serially, in commissioner id order, so
 * results do not depend on the number of threads.  The passes over
 * contracts ask the memory early for what the next contracts will read
 * (bench/README.md); the rules themselves know nothing of threads or
 * memory. */
#include "qmsim/sim.h"

#include <string.h>

#include "core/state.h"
#include "core/team.h"
#include "model/costs.h"
#include "model/conduit.h"
#include "model/decide.h"
#include "model/delivery.h"
#include "model/develop.h"
#include "model/engagements.h"
#include "model/knowledge.h"
#include "model/market.h"
#include "model/monitor.h"
#include "model/tender.h"
#include "model/timeline.h"

#define PS QM_PS
#define CON QM_CON
/* How many contracts ahead the passes over contracts ask the memory for
 * the provider-service entries they will read (see ahead()). */
#define QM_PREFETCH 6

static int threads_of(const qm_sim *sim)
{
    return sim->threads > 0 ? sim->threads : 1;
}

/* Passes that gather per (provider, service) totals from every contract
 * give each thread one block of services: each total then has one writer,
 * which sums it in commissioner order whatever the threads, and each
 * thread still reads its contracts commissioner by commissioner, in memory
 * order, instead of one service at a time across the whole array. */
static int service_blocks(const qm_sim *sim)
{
    int n = threads_of(sim);
    return n < sim->n_services ? n : sim->n_services;
}

static int block_start(const qm_sim *sim, int b, int blocks)
{
    return (int)((long)sim->n_services * b / blocks);
}

/* Zeroes part b of the blocks equal parts of the bytes at p: threads that
 * clear an array together before a pass each clear one contiguous part
 * (not one strided block of services, whose lines they would share). */
static void zero_part(void *p, size_t bytes, int b, int blocks)
{
    size_t lo = bytes * (size_t)b / (size_t)blocks, hi = bytes * (size_t)(b + 1) / (size_t)blocks;
    memset((char *)p + lo, 0, hi - lo);
}

/* A rule of a parallel phase and the simulation it runs on. */
typedef struct commissioner_rule {
    qm_sim *sim;
    void (*rule)(qm_sim *, int);
} commissioner_rule;

static void run_rule(void *ctx, int c, int n)
{
    (void)n;
    const commissioner_rule *r = ctx;
    if (r->sim->comm[c].active)
        r->rule(r->sim, c);
}

/* Runs rule for every active commissioner, in parallel: a rule of a
 * parallel phase touches only its own commissioner's state. */
static void each_commissioner(qm_sim *sim, void (*rule)(qm_sim *, int))
{
    commissioner_rule r = {sim, rule};
    qm_team_for(sim->n_commissioners, threads_of(sim), run_rule, &r);
}

/* Runs rule for every active commissioner, serially in id order: what
 * commissioners compete for goes to the lower id first. */
static void each_commissioner_in_order(qm_sim *sim, void (*rule)(qm_sim *, int))
{
    for (int c = 0; c < sim->n_commissioners; c++)
        if (sim->comm[c].active)
            rule(sim, c);
}

/* The contract d places after contract index k, when it is in force:
 * passes over contracts ask the memory early for the provider-service
 * entries it will read, which beyond national scale are far apart and
 * come from memory, not cache (bench/README.md).  NULL when none. */
static const qm_contract *ahead(const qm_sim *sim, size_t k, size_t d)
{
    size_t a = k + d;
    if (a >= (size_t)sim->n_commissioners * sim->n_services || !sim->con[a].active)
        return NULL;
    return &sim->con[a];
}

/* Provider-service index of a contract found by ahead(). */
static size_t ahead_ps(const qm_sim *sim, const qm_contract *a)
{
    return PS(sim, a->provider, (size_t)(a - sim->con) % sim->n_services);
}

static void reset_commissioner(void *ctx, int c, int n)
{
    qm_sim *sim = ctx;
    (void)n;
    qm_commissioner *cm = &sim->comm[c];
    /* Work that waited last month is what makes a commissioner look
     * for support this month (MODEL.md 4.4). */
    cm->last_overflow_con = cm->t.staff_shortfall;
    cm->last_overflow_dev = cm->t.dev_shortfall;
    memset(&cm->t, 0, sizeof cm->t);
    cm->n_events = 0;
    cm->con_free = cm->con_staff;
    cm->used_A = 0;
}

static void reset_provider(void *ctx, int p, int n)
{
    qm_sim *sim = ctx;
    (void)n;
    qm_provider *pr = &sim->prov[p];
    pr->revenue = pr->delivery_cost = pr->bid_cost = pr->activity = 0.0;
}

/* The month's counters and scratch start afresh. */
static void reset_month(qm_sim *sim)
{
    qm_team_for(sim->n_commissioners, threads_of(sim), reset_commissioner, sim);
    qm_team_for(sim->n_providers, threads_of(sim), reset_provider, sim);
    for (int a = 0; a < sim->n_agencies; a++)
        sim->agency[a].revenue = 0.0;
    sim->n_market_events = 0;
    sim->month_entries = sim->month_exits = sim->month_reorganisations = 0.0;
    int W = sim->p.market.entry_window;
    for (int s = 0; s < sim->n_services; s++) {
        sim->tender_ring[s * W + sim->month % W] = 0;
        sim->decision_ring[s * W + sim->month % W] = 0;
    }
}

/* ---- 2. Delivery (MODEL.md 3.2, src/model/delivery.c) ---- */

/* Every rule over commissioner c's contracts walks the slots it holds:
 * its own, then those of bodies it absorbed (MODEL.md 6). */
static void deliver(qm_sim *sim, int c)
{
    for (int o = c; o >= 0; o = qm_state_next_slot(sim, o))
        for (int s = 0; s < sim->n_services; s++) {
            qm_contract *k = CON(sim, o, s);
            const qm_contract *a = ahead(sim, (size_t)(k - sim->con), QM_PREFETCH);
            if (a) {
                size_t pa = ahead_ps(sim, a);
                __builtin_prefetch(&sim->capacity[pa]);
                __builtin_prefetch(&sim->ps_demand[pa]);
                __builtin_prefetch(&sim->quality[pa]);
                __builtin_prefetch(&sim->unit_cost[pa]);
            }
            if (k->active)
                qm_delivery_deliver(sim, c, k);
        }
}

/* Block b of the services: each contract's demand is added to what its
 * provider is asked for, in commissioner order, from the invoices. */
static void route_block(qm_sim *sim, int b, int blocks)
{
    int C = sim->n_commissioners, S = sim->n_services;
    int lo = block_start(sim, b, blocks), hi = block_start(sim, b + 1, blocks);
    for (int c = 0; c < C; c++)
        for (int s = lo; s < hi; s++) {
            const qm_invoice *v = QM_INVOICE(sim, c, s);
            if (c + 1 < C && v[S].provider >= 0)
                __builtin_prefetch(&sim->ps_demand[PS(sim, v[S].provider, s)], 1);
            if (v->provider >= 0)
                qm_delivery_route(sim, v, s);
        }
}

/* The demand each provider is asked for, per service.  Slots of entrants
 * yet to come hold zeros from creation. */
static void route_demand(qm_sim *sim)
{
    size_t bytes = (size_t)sim->n_providers * sim->n_services * sizeof(double);
    int blocks = service_blocks(sim);
    if (blocks == 1) {
        memset(sim->ps_demand, 0, bytes);
        route_block(sim, 0, 1);
        return;
    }
#pragma omp parallel num_threads(blocks)
    {
#pragma omp for schedule(static)
        for (int b = 0; b < blocks; b++)
            zero_part(sim->ps_demand, bytes, b, blocks);
#pragma omp for schedule(static)
        for (int b = 0; b < blocks; b++)
            route_block(sim, b, blocks);
    }
}

/* Money moves from commissioner to provider in contract order.  Each
 * thread pays the providers of one range of ids (team b of teams),
 * reading every invoice (every contract's deliver wrote one), so each
 * provider's sums keep one writer adding in contract order whatever the
 * threads. */
static void pay_range(void *ctx, int b, int teams)
{
    qm_sim *sim = ctx;
    size_t n = (size_t)sim->n_commissioners * sim->n_services;
    int P = sim->n_providers;
    int lo = (int)((long)P * b / teams), hi = (int)((long)P * (b + 1) / teams);
    for (size_t i = 0; i < n; i++) {
        const qm_invoice *v = &sim->invoice[i];
        if (v->provider < lo || v->provider >= hi)
            continue;
        int next = i + QM_PREFETCH < n ? v[QM_PREFETCH].provider : -1;
        if (next >= 0)
            __builtin_prefetch(&sim->prov[next].revenue, 1);
        qm_delivery_pay(sim, v);
    }
}

static void phase_delivery(qm_sim *sim)
{
    each_commissioner(sim, qm_delivery_demand);
    route_demand(sim);
    each_commissioner(sim, deliver);
    qm_team_for(threads_of(sim), threads_of(sim), pay_range, sim);
}

/* ---- 3-5. Monitoring, trust, knowledge (MODEL.md 3.3, 4.1, 4.2, 4.4) ---- */

/* Each thread publishes the ratings of one block of services. */
static void publish_block(void *ctx, int b, int blocks)
{
    qm_sim *sim = ctx;
    qm_monitor_publish(sim, block_start(sim, b, blocks), block_start(sim, b + 1, blocks));
}

static void publish_ratings(qm_sim *sim)
{
    int blocks = service_blocks(sim);
    qm_team_for(blocks, blocks, publish_block, sim);
}

/* Runs rule on each contract in force that commissioner c holds, asking
 * the memory early for the relationship a later one will read.  Inline,
 * so that each caller's rule is inlined too. */
static inline void each_contract_with_rel(qm_sim *sim, int c,
                                          void (*rule)(qm_sim *, int, qm_contract *))
{
    for (int o = c; o >= 0; o = qm_state_next_slot(sim, o))
        for (int s = 0; s < sim->n_services; s++) {
            /* Only this commissioner's contracts: another thread may be
             * adding to the next one's relationships. */
            int t = s + QM_PREFETCH;
            if (t < sim->n_services && CON(sim, o, t)->active)
                qm_state_prefetch_rel(sim, c, CON(sim, o, t));
            if (CON(sim, o, s)->active)
                rule(sim, c, CON(sim, o, s));
        }
}

static void observe_and_learn(qm_sim *sim, int c)
{
    qm_costs_charge_tenders(sim, c);
    each_contract_with_rel(sim, c, qm_monitor_contract);
    qm_conduit_learn(sim, c);
    qm_knowledge_update(sim, c);
}

/* ---- 7. Contract round (MODEL.md 4.3) ---- */

/* Each contract whose tender completes this month gathers its bids; each
 * contract at expiry is decided. */
static void contract_round(qm_sim *sim, int c)
{
    int left = 0;
    for (int o = c; o >= 0; o = qm_state_next_slot(sim, o))
        for (int s = 0; s < sim->n_services; s++) {
            qm_contract *k = CON(sim, o, s);
            k->n_bids = 0;
            if (!k->active)
                continue;
            if (k->tender_end == sim->month)
                qm_tender_collect(sim, c, k);
            else if (k->tender_end < sim->month && k->expiry <= sim->month)
                qm_decide_expiry(sim, c, k);
            else if (k->tender_end < sim->month)
                qm_decide_review(sim, c, k);
            left += k->active && (k->tender_end == sim->month || k->decommission);
        }
    /* Most commissioners have nothing to award in a month: the serial
     * settle passes them by instead of walking their contracts. */
    sim->comm[c].to_settle = left;
}

/* Awards and decommissionings of commissioner c's contracts, serially.
 * Only what c's own round left can need settling: another commissioner's
 * awards change providers' capacity, not c's contracts. */
static void settle_contracts(qm_sim *sim, int c)
{
    if (!sim->comm[c].to_settle)
        return;
    for (int o = c; o >= 0; o = qm_state_next_slot(sim, o))
        for (int s = 0; s < sim->n_services; s++) {
            qm_contract *k = CON(sim, o, s);
            if (k->active && k->tender_end == sim->month)
                qm_tender_award(sim, c, k);
            else if (k->active && k->decommission)
                qm_decide_settle_decommission(sim, c, k);
        }
}

/* The month's expiry decisions per service, once every award is settled
 * (a tender without a bid that fits ends in a rollover): each thread
 * counts one block of services, so each count has one writer. */
static void count_block(void *ctx, int b, int blocks)
{
    qm_sim *sim = ctx;
    int lo = block_start(sim, b, blocks), hi = block_start(sim, b + 1, blocks);
    for (int c = 0; c < sim->n_commissioners; c++)
        if (sim->comm[c].active)
            qm_market_count_decisions(sim, c, lo, hi);
}

static void count_decisions(qm_sim *sim)
{
    int blocks = service_blocks(sim);
    qm_team_for(blocks, blocks, count_block, sim);
}

static void phase_contracts(qm_sim *sim)
{
    each_commissioner(sim, contract_round);
    /* Awards and decommissionings take capacity in commissioner id order. */
    each_commissioner_in_order(sim, settle_contracts);
    count_decisions(sim);
}

/* ---- 8. Support (MODEL.md 4.4) ---- */

static void phase_support(qm_sim *sim)
{
    each_commissioner(sim, qm_engagements_work);
    each_commissioner_in_order(sim, qm_engagements_settle);
}

/* ---- 9. Market (MODEL.md 4.3: drift, entry, exit; 2: CSUs) ---- */

/* Trust in each incumbent as the month ends, read by the market step and
 * the observer (one look-up per contract a month), and each contract's
 * quality gain from its own challenge (MODEL.md 4.3 v2), in one pass over
 * commissioner c's contracts, on the thread that has worked on them all
 * month. */
static void challenge(qm_sim *sim, int c)
{
    each_contract_with_rel(sim, c, qm_market_challenge);
}

/* Provider p's month: its quality drifts, and it decides whether it
 * leaves. */
static void drift(void *ctx, int p, int n)
{
    qm_sim *sim = ctx;
    (void)n;
    qm_market_drift_provider(sim, p);
    qm_market_exit_decide(sim, p);
}

static void phase_market(qm_sim *sim)
{
    each_commissioner(sim, challenge);
    qm_team_for(sim->n_providers, threads_of(sim), drift, sim);
    qm_market_exit(sim);
    qm_market_entry(sim);
    for (int a = 0; a < sim->n_agencies; a++)
        qm_engagements_csu(sim, a);
}

void qm_sim_step(qm_sim *sim)
{
    reset_month(sim);
    qm_timeline_apply(sim);                               /* 1 */
    phase_delivery(sim);                                  /* 2 */
    publish_ratings(sim);                                 /* 3 */
    each_commissioner(sim, observe_and_learn);            /* 3-5 */
    each_commissioner(sim, qm_develop_step);              /* 6 */
    for (int c = 0; c < sim->n_commissioners; c++)
        qm_develop_publish(sim, c);
    phase_contracts(sim);                                 /* 7 */
    phase_support(sim);                                   /* 8 */
    phase_market(sim);                                    /* 9 */
    sim->month++;                                         /* 10: the caller observes */
}
