/* step.c: one month of the model, in the order of MODEL.md 3.
 *
 * Per-commissioner phases run in parallel: each commissioner touches only
 * its own contracts, relationships, tallies, events and random stream, and
 * reads provider state that no one writes during the phase.  Whatever two
 * commissioners compete for (provider capacity in tenders) is resolved
 * afterwards, serially, in commissioner id order, so results do not depend
 * on the number of threads. */
#include "qmsim/sim.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "model/decide.h"
#include "model/delivery.h"
#include "model/knowledge.h"
#include "model/market.h"
#include "model/monitor.h"
#include "model/tender.h"
#include "engine/phases.h"
#include "model/trust.h"

#define PS QM_PS
#define CON QM_CON
/* How many contracts ahead the passes over contracts ask the memory for
 * the provider-service entries they will read (see ahead()). */
#define QM_PREFETCH 6
#define BIDS(sim, c, s) (&(sim)->bids[(size_t)(c) * (sim)->n_services + (s)])

static double clamp01(double x)
{
    return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x;
}

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

/* Staff time is finite (MODEL.md 4.2): take fte from the month's free
 * contracting time; what does not fit is recorded as a shortfall. */
int qm_step_take_time(qm_commissioner *cm, double fte)
{
    if (fte <= cm->con_free + 1e-12) {
        cm->con_free -= fte;
        cm->t.contracting_used += fte;
        return 1;
    }
    cm->t.staff_shortfall += fte;
    return 0;
}

/* Time that must be spent whether it fits or not (committed work). */
void qm_step_spend_time(qm_commissioner *cm, double fte)
{
    double fit = fte < cm->con_free ? fte : cm->con_free;
    cm->con_free -= fit;
    cm->t.contracting_used += fit;
    cm->t.staff_shortfall += fte - fit;
}

static void reset_month(qm_sim *sim)
{
    int C = sim->n_commissioners, P = sim->n_providers;
#pragma omp parallel for schedule(static) num_threads(threads_of(sim))
    for (int c = 0; c < C; c++) {
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
#pragma omp parallel for schedule(static) num_threads(threads_of(sim))
    for (int p = 0; p < P; p++) {
        qm_provider *pr = &sim->prov[p];
        pr->revenue = pr->delivery_cost = pr->bid_cost = pr->activity = 0.0;
    }
    sim->n_market_events = 0;
    sim->month_entries = sim->month_exits = sim->month_reorganisations = 0.0;
    int W = sim->p.market.entry_window;
    for (int s = 0; s < sim->n_services; s++) {
        sim->tender_ring[s * W + sim->month % W] = 0;
        sim->decision_ring[s * W + sim->month % W] = 0;
    }
}

/* ---- 2. Delivery (MODEL.md 3.2) ---- */

static void draw_demand(qm_sim *sim, int c)
{
    if (!sim->comm[c].active)
        return;
    qm_commissioner *cm = &sim->comm[c];
    for (int s = 0; s < sim->n_services; s++) {
        qm_contract *k = CON(sim, c, s);
        double mu = sim->sc->services[s].demand * sim->demand_factor[s] * cm->population / 1000.0;
        k->demand = (double)gsl_ran_poisson(cm->rng, mu);
        if (!k->active)
            cm->t.unmet += k->demand;
    }
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

static void deliver(qm_sim *sim, int c)
{
    if (!sim->comm[c].active)
        return;
    qm_commissioner *cm = &sim->comm[c];
    const qm_params *P = &sim->p;
    for (int s = 0; s < sim->n_services; s++) {
        qm_contract *k = CON(sim, c, s);
        const qm_contract *a = ahead(sim, (size_t)(k - sim->con), QM_PREFETCH);
        if (a) {
            size_t pa = ahead_ps(sim, a);
            __builtin_prefetch(&sim->capacity[pa]);
            __builtin_prefetch(&sim->ps_demand[pa]);
            __builtin_prefetch(&sim->quality[pa]);
        }
        if (!k->active)
            continue;
        size_t ps = PS(sim, k->provider, s);
        double cap = sim->capacity[ps], dem = sim->ps_demand[ps];
        /* Capacity is rationed in proportion to demand, so no commissioner
         * is served first. */
        double ratio = dem > cap ? cap / dem : 1.0;
        k->delivered = k->demand * ratio;
        double dip = sim->month < k->dip_until ? P->cost.switch_dip : 0.0;
        k->quality = clamp01(sim->quality[ps] + k->bonus - dip +
                             gsl_ran_gaussian(cm->rng, P->delivery.quality_noise_sd));
        k->paid = qm_delivery_payment(P, k->payment, k->price, k->volume, k->delivered, k->qhat);
        cm->t.spend += k->paid;
        cm->t.activity += k->delivered;
        cm->t.unmet += k->demand - k->delivered;
        cm->t.quality_sum += k->quality * k->delivered;
    }
}

static void phase_delivery(qm_sim *sim)
{
    int C = sim->n_commissioners, S = sim->n_services;
#pragma omp parallel for schedule(static) num_threads(threads_of(sim))
    for (int c = 0; c < C; c++)
        draw_demand(sim, c);
    /* Slots of entrants yet to come hold zeros from creation. */
    memset(sim->ps_demand, 0, (size_t)sim->n_providers * S * sizeof(double));
    int blocks = service_blocks(sim);
#pragma omp parallel for schedule(static) num_threads(blocks)
    for (int b = 0; b < blocks; b++) {
        int lo = block_start(sim, b, blocks), hi = block_start(sim, b + 1, blocks);
        for (int c = 0; c < C; c++)
            for (int s = lo; s < hi; s++) {
                const qm_contract *k = CON(sim, c, s);
                const qm_contract *a = ahead(sim, (size_t)(k - sim->con), (size_t)S);
                if (a)
                    __builtin_prefetch(&sim->ps_demand[ahead_ps(sim, a)], 1);
                if (k->active)
                    sim->ps_demand[PS(sim, k->provider, s)] += k->demand;
            }
    }
#pragma omp parallel for schedule(static) num_threads(threads_of(sim))
    for (int c = 0; c < C; c++)
        deliver(sim, c);
    /* Money moves from commissioner to provider in contract order. */
    for (int c = 0; c < C; c++)
        for (int s = 0; s < S; s++) {
            qm_contract *k = CON(sim, c, s);
            const qm_contract *a = ahead(sim, (size_t)(k - sim->con), QM_PREFETCH);
            if (a) {
                __builtin_prefetch(&sim->prov[a->provider].revenue, 1);
                __builtin_prefetch(&sim->unit_cost[ahead_ps(sim, a)]);
            }
            if (!k->active)
                continue;
            qm_provider *pr = &sim->prov[k->provider];
            pr->revenue += k->paid;
            pr->delivery_cost += k->delivered * sim->unit_cost[PS(sim, k->provider, s)];
            pr->activity += k->delivered;
        }
}

/* ---- 3-5. Monitoring, trust, knowledge (MODEL.md 3.3, 4.1, 4.4) ---- */

static void charge_tenders(qm_sim *sim, int c)
{
    qm_commissioner *cm = &sim->comm[c];
    const qm_params *P = &sim->p;
    double per_month = P->cost.tender / P->cost.tender_duration;
    cm->tender_load = 0.0;
    for (int s = 0; s < sim->n_services; s++) {
        qm_contract *k = CON(sim, c, s);
        /* Months after the start month and before completion. */
        if (k->tender_end > sim->month && k->tender_end - P->cost.tender_duration < sim->month) {
            qm_step_spend_time(cm, per_month);
            cm->tender_load += per_month;
            cm->t.tc_tender += per_month * P->cost.salary;
            cm->used_R = 1;
        }
    }
}

static void monitor_contract(qm_sim *sim, int c, int s)
{
    qm_commissioner *cm = &sim->comm[c];
    const qm_params *P = &sim->p;
    qm_contract *k = CON(sim, c, s);
    qm_rel *rel = qm_state_incumbent_rel(sim, c, k, 1);
    double T = qm_state_rel_mean(rel);
    double fte = qm_monitor_cost(P, k->payment, k->monitoring, T);

    k->reported = k->delivered * qm_monitor_reported_share(P, cm->info);
    k->monitored = qm_step_take_time(cm, fte);
    if (!k->monitored)
        return;
    cm->t.tc_monitoring += fte * P->cost.salary;
    cm->used_A = 1;
    double sigma = qm_monitor_sigma(P, cm->info, k->monitoring);
    double signal = k->quality + gsl_ran_gaussian(cm->rng, sigma);
    k->qhat += P->monitor.perception_weight * (signal - k->qhat);
    /* MODEL.md 4.1: evidence from the signal against the expectation. */
    qm_trust_update(rel, (signal - P->monitor.expectation) / sigma, 1.0,
                    P->trust.evidence_weight, P->trust.forgetting);
    rel->last_contact = sim->month;
}

static void observe_and_learn(qm_sim *sim, int c)
{
    if (!sim->comm[c].active)
        return;
    charge_tenders(sim, c);
    for (int s = 0; s < sim->n_services; s++) {
        /* Only this commissioner's contracts: another thread may be adding
         * to the next one's relationships. */
        int t = s + QM_PREFETCH;
        if (t < sim->n_services && CON(sim, c, t)->active)
            qm_state_prefetch_rel(sim, c, CON(sim, c, t));
        if (CON(sim, c, s)->active)
            monitor_contract(sim, c, s);
    }
    qm_support_learn(sim, c);
}

/* ---- 7. Contract round (MODEL.md 4.3) ---- */

/* Whether a provider with this much room (capacity less the volume it
 * holds) could take contract k: the contract's own volume counts as free
 * when p already holds it (MODEL.md 4.3 eligibility). */
static int room_fits(const qm_sim *sim, double room, int p, const qm_contract *k)
{
    double spare = p == k->provider ? room + k->volume : room;
    return spare >= sim->p.tender.eligibility_share * k->volume;
}

static int can_take(const qm_sim *sim, int p, int s, const qm_contract *k)
{
    size_t ps = PS(sim, p, s);
    return sim->prov[p].active && sim->offers[ps] &&
           room_fits(sim, sim->capacity[ps] - sim->held[ps], p, k);
}

/* can_take for the provider a walk returned last, from the room kept along
 * the walk's list (-inf once it has left): the same test without reading
 * the provider's records, which beyond national scale are far apart in
 * memory (bench/README.md). */
static int walk_can_take(const qm_sim *sim, const qm_walk *w, int p, const qm_contract *k)
{
    return room_fits(sim, qm_walk_room(w), p, k);
}

/* Alternatives to the incumbent within reach, each discounted by the
 * chance that it cannot find specialist staff (MODEL.md 4.3, n_alt). */
static double alternatives(const qm_sim *sim, int c, int s, const qm_contract *k)
{
    double n = 0.0, w = 1.0 - sim->sc->services[s].scarcity;
    qm_walk walk;
    qm_walk_start(sim, &walk, s, sim->comm[c].position);
    for (int p; (p = qm_walk_next(&walk)) >= 0;)
        if (p != k->provider && walk_can_take(sim, &walk, p, k))
            n += w;
    return n;
}

static double income_share(const qm_sim *sim, const qm_contract *k)
{
    double rev = sim->prov[k->provider].revenue;
    return rev > 0.0 ? clamp01(k->paid / rev) : 1.0;
}

static void renew(qm_sim *sim, int c, int s, int type, double term)
{
    qm_contract *k = CON(sim, c, s);
    k->start = sim->month;
    k->expiry = sim->month + (int)ceil(term);
    qm_state_event(sim, c, type, s, k->provider, -1, k->price);
}

static void renegotiate(qm_sim *sim, int c, int s)
{
    const qm_params *P = &sim->p;
    qm_contract *k = CON(sim, c, s);
    double tariff = sim->sc->services[s].tariff;
    k->price += P->decision.reneg_price_weight * (tariff - k->price);
    if (P->policy.payment_type > 0)
        k->payment = P->policy.payment_type - 1;
    k->monitoring = clamp01(k->monitoring + P->monitor.renegotiation_step);
    sim->comm[c].used_R = 1;
    renew(sim, c, s, QM_EV_RENEGOTIATE, P->contract.term);
}

static int start_tender(qm_sim *sim, int c, int s)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    qm_contract *k = CON(sim, c, s);
    double per_month = P->cost.tender / P->cost.tender_duration;
    /* A tender that does not fit is rolled over instead (MODEL.md 4.2). */
    if (!qm_step_take_time(cm, per_month))
        return 0;
    cm->t.tc_tender += per_month * P->cost.salary;
    cm->t.tenders_started++;
    cm->used_R = 1;
    k->tender_end = sim->month + P->cost.tender_duration;
    k->expiry = k->tender_end;
    qm_state_event(sim, c, QM_EV_TENDER_START, s, k->provider, -1, 0.0);
    return 1;
}

/* The old service is decommissioned in favour of the new pathway, which
 * goes by negotiation to the best other provider with room within
 * `market.reach` (MODEL.md 4.3, 4.5; a walk, not a pass over every
 * provider, so the work per decommissioning does not grow with the
 * market); ties go to the lowest id.  The move itself is settled serially
 * with the awards. */
static int decommission(qm_sim *sim, int c, int s)
{
    qm_commissioner *cm = &sim->comm[c];
    qm_contract *k = CON(sim, c, s);
    int best = -1;
    double best_v = -HUGE_VAL;
    qm_walk walk;
    qm_walk_start(sim, &walk, s, cm->position);
    for (int p; (p = qm_walk_next(&walk)) >= 0;) {
        if (p == k->provider || !walk_can_take(sim, &walk, p, k))
            continue;
        double v = qm_state_trust(sim, c, p) + sim->quality[PS(sim, p, s)];
        if (v > best_v || (v == best_v && p < best))
            best_v = v, best = p;
    }
    k->replace_ready = 0;
    if (best < 0)
        return 0;
    cm->t.decisions[QM_DEC_DECOMMISSION]++;
    qm_bids *B = BIDS(sim, c, s);
    k->n_bids = 1;
    B->provider[0] = best;
    B->price[0] = sim->sc->services[s].tariff;
    B->qhat[0] = k->qhat;
    k->decommission = 1;
    return 1;
}

static void decide(qm_sim *sim, int c, int s)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    qm_contract *k = CON(sim, c, s);
    const qm_service_spec *sv = &sim->sc->services[s];
    qm_decision_in in = {
        .trust = qm_state_trust(sim, c, k->provider),
        .tenure = sim->month - k->incumbent_since,
        .gap = (P->monitor.expectation - k->qhat) + (k->price / sv->tariff - 1.0),
        .free_capacity = cm->con_free,
        .n_alt = alternatives(sim, c, s, k),
        .share = income_share(sim, k),
        .market = cm->market, .risk = cm->risk, .parcel = sv->parcelability,
        .pressure = P->policy.tender_pressure,
        .can_decommission = k->replace_ready,
    };
    double V[QM_DEC_N], prob[QM_DEC_N];
    int avail[QM_DEC_N];
    qm_decide_utilities(P, &in, V, avail);
    qm_decide_probs(V, avail, prob);
    int choice = qm_decide_pick(prob, gsl_rng_uniform(cm->rng));
    /* A mandate sends a share of expiring contracts to tender regardless. */
    if (P->policy.tender_mandate > 0.0 && gsl_rng_uniform(cm->rng) < P->policy.tender_mandate)
        choice = QM_DEC_TENDER;

    double fte = choice == QM_DEC_RENEGOTIATE ? P->cost.renegotiation : P->cost.renewal;
    /* With nowhere to move the new pathway, the old contract is renewed. */
    if (choice == QM_DEC_DECOMMISSION && decommission(sim, c, s))
        return;
    if (choice == QM_DEC_DECOMMISSION)
        choice = QM_DEC_RENEW;
    if (choice == QM_DEC_TENDER) {
        if (start_tender(sim, c, s)) {
            cm->t.decisions[QM_DEC_TENDER]++;
            return;
        }
        cm->t.decisions[QM_DEC_RENEW]++;
        cm->t.rollovers++;
        renew(sim, c, s, QM_EV_ROLLOVER, P->contract.term * P->cost.decision_extension);
        return;
    }
    if (!qm_step_take_time(cm, fte)) {
        k->expiry = sim->month + 1; /* the work waits a month */
        return;
    }
    if (choice == QM_DEC_RENEGOTIATE) {
        cm->t.tc_renegotiation += fte * P->cost.salary;
        cm->t.decisions[QM_DEC_RENEGOTIATE]++;
        renegotiate(sim, c, s);
    } else {
        cm->t.tc_renewal += fte * P->cost.salary;
        cm->t.decisions[QM_DEC_RENEW]++;
        renew(sim, c, s, QM_EV_RENEW, P->contract.term);
    }
}

/* Shortlists and ranks the bids of a tender that completes this month;
 * the award itself waits for the serial phase. */
static void collect_bids(qm_sim *sim, int c, int s)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    qm_contract *k = CON(sim, c, s);
    const qm_service_spec *sv = &sim->sc->services[s];
    qm_bid bids[QM_BIDS_MAX];
    int n = 0, seen = 0, room = P->tender.max_bidders;

    /* The incumbent always bids; others are shortlisted by reservoir
     * sampling among eligible providers within reach who find the staff
     * to bid. */
    if (can_take(sim, k->provider, s, k))
        bids[n++].provider = k->provider, room--;
    int first_other = n;
    qm_walk walk;
    qm_walk_start(sim, &walk, s, cm->position);
    for (int p; room > 0 && (p = qm_walk_next(&walk)) >= 0;) {
        if (p == k->provider || !walk_can_take(sim, &walk, p, k))
            continue;
        if (gsl_rng_uniform(cm->rng) < sv->scarcity)
            continue;
        seen++;
        if (n - first_other < room)
            bids[n++].provider = p;
        else {
            int j = (int)gsl_rng_uniform_int(cm->rng, (unsigned long)seen);
            if (j < room)
                bids[first_other + j].provider = p;
        }
    }
    for (int i = 0; i < n; i++) {
        int p = bids[i].provider;
        size_t ps = PS(sim, p, s);
        const qm_provider *pr = &sim->prov[p];
        bids[i].price = sim->unit_cost[ps] * (1.0 + pr->markup);
        bids[i].trust = qm_state_trust(sim, c, p);
        double claim = sim->quality[ps] + pr->optimism +
                       gsl_ran_gaussian(cm->rng, P->tender.claim_noise_sd);
        bids[i].qhat = p == k->provider ? k->qhat : qm_tender_credit(cm->info, sim->quality[ps], claim);
        bids[i].score = qm_tender_score(P, bids[i].qhat, bids[i].price, sv->tariff, bids[i].trust);
    }
    qm_tender_rank(bids, n);
    qm_bids *B = BIDS(sim, c, s);
    k->n_bids = n;
    for (int i = 0; i < n; i++) {
        B->provider[i] = bids[i].provider;
        B->price[i] = bids[i].price;
        B->qhat[i] = bids[i].qhat;
    }
}

static void contract_round(qm_sim *sim, int c)
{
    if (!sim->comm[c].active)
        return;
    for (int s = 0; s < sim->n_services; s++) {
        qm_contract *k = CON(sim, c, s);
        k->n_bids = 0;
        if (!k->active)
            continue;
        if (k->tender_end == sim->month)
            collect_bids(sim, c, s);
        else if (k->tender_end < sim->month && k->expiry <= sim->month)
            decide(sim, c, s);
    }
}

/* Moves contract k of (c, s) to provider p (MODEL.md 4.3 switching). */
static void switch_provider(qm_sim *sim, int c, int s, int p, int lost_tender)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    qm_contract *k = CON(sim, c, s);
    int old = k->provider;
    sim->held[PS(sim, old, s)] -= k->volume;
    sim->held[PS(sim, p, s)] += k->volume;
    qm_walk_refresh(sim, old, s);
    qm_walk_refresh(sim, p, s);
    k->provider = p;
    k->incumbent_since = sim->month;
    k->dip_until = sim->month + P->cost.switch_dip_months;
    qm_step_spend_time(cm, P->cost.switching);
    cm->t.tc_switching += P->cost.switching * P->cost.salary;
    cm->t.switches++;
    /* A new relationship starts at the prior; the loser's record suffers. */
    qm_rel *rel = qm_state_rel(sim, c, p, 1);
    qm_state_rel_init(rel, p, qm_state_prior(sim, p), P->trust.prior_strength);
    rel->last_contact = sim->month;
    qm_rel *lost = qm_state_rel(sim, c, old, 0);
    if (lost && lost_tender)
        qm_trust_penalise(lost, P->trust.penalty);
    qm_state_event(sim, c, QM_EV_SWITCH, s, p, old, k->price);
}

static void award(qm_sim *sim, int c, int s)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    qm_contract *k = CON(sim, c, s);
    int W = P->market.entry_window;
    const qm_bids *B = BIDS(sim, c, s);
    for (int i = 0; i < k->n_bids; i++) {
        qm_provider *pr = &sim->prov[B->provider[i]];
        pr->bid_cost += P->cost.bid * P->cost.provider_salary;
        cm->t.tc_bid += P->cost.bid * P->cost.provider_salary;
    }
    k->tender_end = -1;
    k->last_tender = sim->month;
    cm->t.tenders_completed++;
    sim->tender_ring[s * W + sim->month % W]++;
    /* Capacity goes to the best bid that still fits, in commissioner id
     * order across the market. */
    for (int i = 0; i < k->n_bids; i++) {
        int p = B->provider[i];
        if (!can_take(sim, p, s, k))
            continue;
        if (p != k->provider) {
            switch_provider(sim, c, s, p, 1);
            k->qhat = B->qhat[i];
        }
        k->price = B->price[i];
        if (P->policy.payment_type > 0)
            k->payment = P->policy.payment_type - 1;
        renew(sim, c, s, QM_EV_AWARD, P->contract.term);
        return;
    }
    renew(sim, c, s, QM_EV_ROLLOVER, P->contract.term * P->cost.decision_extension);
}

static void settle_decommission(qm_sim *sim, int c, int s)
{
    qm_contract *k = CON(sim, c, s);
    const qm_bids *B = BIDS(sim, c, s);
    int p = B->provider[0];
    k->decommission = 0;
    k->n_bids = 0;
    if (can_take(sim, p, s, k)) {
        switch_provider(sim, c, s, p, 0);
        k->price = B->price[0];
        qm_state_event(sim, c, QM_EV_DECOMMISSION, s, p, -1, k->price);
    }
    renew(sim, c, s, QM_EV_AWARD, sim->p.contract.term);
}

static void phase_contracts(qm_sim *sim)
{
    int C = sim->n_commissioners, W = sim->p.market.entry_window;
#pragma omp parallel for schedule(static) num_threads(threads_of(sim))
    for (int c = 0; c < C; c++)
        contract_round(sim, c);
    for (int c = 0; c < C; c++) {
        for (int s = 0; s < sim->n_services; s++) {
            if (CON(sim, c, s)->tender_end == sim->month)
                award(sim, c, s);
            else if (CON(sim, c, s)->decommission)
                settle_decommission(sim, c, s);
        }
        /* Expiry decisions per service feed the entry window. */
        const qm_event *e = sim->comm[c].events;
        for (int i = 0; i < sim->comm[c].n_events; i++)
            if (e[i].type <= QM_EV_TENDER_START)
                sim->decision_ring[e[i].service * W + sim->month % W]++;
    }
}

/* ---- 9. Market (MODEL.md 4.3: drift, entry, exit) ---- */

/* Trust in each incumbent as the month ends, read by the market step and
 * the observer (one look-up per contract a month), and the challenge each
 * provider feels in each service (MODEL.md 4.3 quality drift), gathered in
 * the same pass over the contracts. */
static void measure_trust_and_challenge(qm_sim *sim)
{
    const qm_params *P = &sim->p;
    size_t n = (size_t)sim->n_providers * sim->n_services; /* the rest is still zero */
    int C = sim->n_commissioners, blocks = service_blocks(sim);
    memset(sim->ps_challenge, 0, n * sizeof(double));
    memset(sim->ps_close, 0, n);
#pragma omp parallel for schedule(static) num_threads(blocks)
    for (int b = 0; b < blocks; b++) {
        int lo = block_start(sim, b, blocks), hi = block_start(sim, b + 1, blocks);
        for (int c = 0; c < C; c++)
            for (int s = lo; s < hi; s++) {
                qm_contract *k = CON(sim, c, s);
                const qm_contract *a = ahead(sim, (size_t)(k - sim->con), (size_t)sim->n_services);
                if (a) {
                    __builtin_prefetch(&sim->ps_challenge[ahead_ps(sim, a)], 1);
                    __builtin_prefetch(&sim->ps_close[ahead_ps(sim, a)], 1);
                    qm_state_prefetch_rel(sim, c + 1, a);
                }
                if (!k->active)
                    continue;
                k->trust = qm_state_incumbent_trust(sim, c, k);
                size_t ps = PS(sim, k->provider, s);
                int recent = k->last_tender >= 0 &&
                             sim->month - k->last_tender < P->market.challenge_months;
                double ch = recent || k->tender_end >= 0 ? 1.0 : k->monitoring;
                if (ch > sim->ps_challenge[ps])
                    sim->ps_challenge[ps] = ch;
                if (k->trust > P->market.close_threshold &&
                    k->monitoring < P->market.close_monitoring)
                    sim->ps_close[ps] = 1;
            }
    }
}

static void drift_provider(qm_sim *sim, int p)
{
    qm_provider *pr = &sim->prov[p];
    if (!pr->active)
        return;
    for (int s = 0; s < sim->n_services; s++) {
        size_t ps = PS(sim, p, s);
        if (!sim->offers[ps])
            continue;
        sim->quality[ps] = qm_market_drift(&sim->p, sim->quality[ps], sim->quality0[ps],
                                           sim->ps_challenge[ps], sim->ps_close[ps],
                                           gsl_ran_ugaussian(pr->rng));
    }
    double profit = pr->revenue - pr->delivery_cost - pr->bid_cost;
    pr->loss_months = profit < 0.0 ? pr->loss_months + 1 : 0;
}

/* Where a departing provider's contracts go: the nearest active provider
 * within reach that offers the service and has room, NHS first. */
static int fallback_provider(const qm_sim *sim, int c, int s, const qm_contract *k)
{
    int any = -1;
    qm_walk walk;
    qm_walk_start(sim, &walk, s, sim->comm[c].position);
    for (int p; (p = qm_walk_next(&walk)) >= 0;) {
        if (p == k->provider || sim->exiting[p] || !walk_can_take(sim, &walk, p, k))
            continue;
        if (sim->prov[p].kind <= QM_PK_NHS_MENTAL)
            return p;
        if (any < 0)
            any = p;
    }
    return any;
}

/* Providers leaving this month go together: one pass over the contracts
 * moves theirs on, so exits cost no more than a month's bookkeeping. */
static void exit_providers(qm_sim *sim)
{
    int any = 0;
    for (int p = 0; p < sim->n_providers; p++) {
        qm_provider *pr = &sim->prov[p];
        sim->exiting[p] = pr->active && qm_market_exits(&sim->p, pr->kind, pr->loss_months);
        if (!sim->exiting[p])
            continue;
        any = 1;
        pr->active = 0;
        for (int s = 0; s < sim->n_services; s++)
            qm_walk_refresh(sim, p, s);
        sim->month_exits++;
        qm_state_event(sim, -1, QM_EV_EXIT, -1, p, -1, 0.0);
    }
    if (!any)
        return;
    for (int c = 0; c < sim->n_commissioners; c++)
        for (int s = 0; s < sim->n_services; s++) {
            qm_contract *k = CON(sim, c, s);
            if (!k->active || !sim->exiting[k->provider])
                continue;
            int q = fallback_provider(sim, c, s, k);
            if (q >= 0) {
                switch_provider(sim, c, s, q, 0);
                k->qhat = sim->quality[PS(sim, q, s)];
                k->tender_end = -1;
                renew(sim, c, s, QM_EV_AWARD, sim->p.contract.term * sim->p.cost.decision_extension);
            } else {
                sim->held[PS(sim, k->provider, s)] -= k->volume;
                qm_walk_refresh(sim, k->provider, s);
                k->active = 0; /* nobody can take it: the demand goes unmet */
            }
        }
}

static void enter_service(qm_sim *sim, int s)
{
    int p = sim->n_providers++;
    qm_provider_group G = sim->sc->entrant;
    int only = s;
    G.n_services = 1;
    G.services = &only;
    G.kind = QM_PK_INDEPENDENT;
    qm_sim_provider_init(sim, p, &G, p, sim->market_rng, gsl_rng_uniform(sim->market_rng));
    sim->prov[p].group = -1;
    sim->prov[p].entrant = 1;
    sim->prov[p].entry_month = sim->month;
    qm_walk_add(sim, s, p);
    sim->month_entries++;
    qm_state_event(sim, -1, QM_EV_ENTRY, s, p, -1, 0.0);
}

/* Market margin of each service: what contracts pay over what delivery
 * costs.  One pass over the contracts in memory order; each service's sums
 * still run in commissioner order. */
static void service_margins(qm_sim *sim, double *margin)
{
    int S = sim->n_services;
    double *pay = margin, *cost = margin + S;
    memset(margin, 0, 2 * (size_t)S * sizeof *margin);
    for (int c = 0; c < sim->n_commissioners; c++)
        for (int s = 0; s < S; s++) {
            const qm_contract *k = CON(sim, c, s);
            if (!k->active)
                continue;
            pay[s] += k->price * k->volume;
            cost[s] += sim->unit_cost[PS(sim, k->provider, s)] * k->volume;
        }
    for (int s = 0; s < S; s++)
        margin[s] = pay[s] > 0.0 ? (pay[s] - cost[s]) / pay[s] : 0.0;
}

static void market_entry(qm_sim *sim)
{
    const qm_params *P = &sim->p;
    int W = P->market.entry_window;
    if (!P->policy.open_market)
        return;
    double *margin = sim->svc_margin;
    service_margins(sim, margin);
    for (int s = 0; s < sim->n_services; s++) {
        double tenders = 0.0, decisions = 0.0;
        for (int i = 0; i < W; i++) {
            tenders += sim->tender_ring[s * W + i];
            decisions += sim->decision_ring[s * W + i];
        }
        double share = decisions > 0.0 ? tenders / decisions : 0.0;
        if (share > 1.0)
            share = 1.0;
        double prob = qm_market_entry_prob(P, share, margin[s]);
        if (gsl_rng_uniform(sim->market_rng) < prob && sim->n_providers < sim->max_providers)
            enter_service(sim, s);
    }
}

static void phase_market(qm_sim *sim)
{
    measure_trust_and_challenge(sim);
    int n = sim->n_providers;
#pragma omp parallel for schedule(static) num_threads(threads_of(sim))
    for (int p = 0; p < n; p++)
        drift_provider(sim, p);
    exit_providers(sim);
    market_entry(sim);
}

void qm_sim_step(qm_sim *sim)
{
    reset_month(sim);
    qm_timeline_apply(sim);                               /* 1 */
    int C = sim->n_commissioners;
    phase_delivery(sim);                                  /* 2 */
#pragma omp parallel for schedule(static) num_threads(threads_of(sim))
    for (int c = 0; c < C; c++)
        observe_and_learn(sim, c);                        /* 3-5 */
#pragma omp parallel for schedule(static) num_threads(threads_of(sim))
    for (int c = 0; c < C; c++)
        if (sim->comm[c].active)
            qm_develop_step(sim, c);                      /* 6 */
    qm_develop_settle(sim);
    phase_contracts(sim);                                 /* 7 */
#pragma omp parallel for schedule(static) num_threads(threads_of(sim))
    for (int c = 0; c < C; c++)
        if (sim->comm[c].active)
            qm_support_work(sim, c);                      /* 8 */
    qm_support_settle(sim);
    phase_market(sim);                                    /* 9 */
    qm_support_market(sim);
    sim->month++;                                         /* 10: the caller observes */
}
