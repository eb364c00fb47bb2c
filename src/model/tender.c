/* tender.c: MODEL.md 4.3, competitive tenders: the start (when the staff
 * time fits, MODEL.md 4.2), the shortlist and bids (price u (1 + mark-up),
 * quality claimed with optimism), the scores, the ranking and the award in
 * id order. */
#include "model/tender.h"

#include <stdlib.h>
#include <gsl/gsl_randist.h>

#include "qmsim/draw.h"

#include "core/state.h"
#include "core/walk.h"
#include "model/contracts.h"
#include "model/costs.h"
#include "model/monitor.h"

double qm_tender_credit(double info, double q, double claim)
{
    return info * q + (1.0 - info) * claim;
}

double qm_tender_believed_cost(const qm_params *p, double u, double uniform)
{
    return u * (1.0 - 2.0 * p->tender.cost_optimism * uniform);
}

double qm_tender_score(const qm_params *p, double qhat, double price, double tariff, double trust)
{
    return p->tender.w_quality * qhat - p->tender.w_price * price / tariff + p->tender.w_trust * trust;
}

static int by_score(const void *a, const void *b)
{
    const qm_bid *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->provider > y->provider) - (x->provider < y->provider);
}

void qm_tender_rank(qm_bid *bids, int n)
{
    qsort(bids, (size_t)n, sizeof *bids, by_score);
}

/* MODEL.md 4.2: a tender that does not fit is rolled over instead (the
 * caller does the rollover). */
int qm_tender_start(qm_sim *sim, int c, qm_contract *k)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    int s = qm_state_service(sim, k);
    double per_month = qm_costs_tender_month(P);
    if (!qm_costs_take_time(cm, per_month))
        return 0;
    cm->t.tc_tender += per_month * P->cost.salary;
    cm->t.tenders_started++;
    cm->used_R = 1;
    k->tender_end = sim->month + P->cost.tender_duration;
    k->expiry = k->tender_end;
    qm_state_event(sim, c, QM_EV_TENDER_START, s, k->provider, -1, 0.0);
    return 1;
}

/* The shortlist: the incumbent when it can still take the contract, then
 * providers within reach by reservoir sampling among the eligible ones who
 * find the specialist staff to bid.  Returns how many. */
static int shortlist(qm_sim *sim, int c, const qm_contract *k, qm_bid *bids)
{
    qm_commissioner *cm = &sim->comm[c];
    int s = qm_state_service(sim, k);
    const qm_service_spec *sv = &sim->sc->services[s];
    /* Each contract keeps room for sim->bid_slots bids (the scenario's
     * max_bidders). */
    int n = 0, seen = 0, room = sim->p.tender.max_bidders;
    if (room > sim->bid_slots)
        room = sim->bid_slots;
    if (qm_contracts_fits(sim, k->provider, s, k))
        bids[n++].provider = k->provider, room--;
    int first_other = n;
    qm_walk walk;
    qm_walk_start(sim, &walk, s, cm->position);
    for (int p; room > 0 && (p = qm_walk_next(&walk)) >= 0;) {
        if (p == k->provider || !qm_contracts_walk_fits(sim, &walk, p, k))
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
    return n;
}

/* MODEL.md 4.3: bids price u (1 + mark-up) and claim q + optimism; the
 * incumbent is credited with its monitored record, an outsider with
 * I q + (1 - I) claim. */
void qm_tender_collect(qm_sim *sim, int c, qm_contract *k)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    int s = qm_state_service(sim, k);
    const qm_service_spec *sv = &sim->sc->services[s];
    qm_contract_x *x = QM_CONX(sim, k);
    qm_bid bids[QM_BIDS_MAX];
    int n = shortlist(sim, c, k, bids);
    double ref = qm_monitor_reference(sim, k);
    double bench = qm_monitor_contract_expected(sim, c, k) - P->monitor.aspiration;
    for (int i = 0; i < n; i++) {
        int p = bids[i].provider;
        size_t ps = QM_PS(sim, p, s);
        const qm_provider *pr = &sim->prov[p];
        /* MODEL.md 4.3 (v2): an outsider prices on the unit cost it
         * believes, an incumbent on the one it knows. */
        double u = p == k->provider ? sim->unit_cost[ps]
                 : qm_tender_believed_cost(P, sim->unit_cost[ps], gsl_rng_uniform(cm->rng));
        bids[i].cost = u;
        bids[i].price = u * (1.0 + pr->markup);
        bids[i].trust = qm_state_trust(sim, c, p);
        double claim = sim->quality[ps] + pr->optimism +
                       qm_draw_gaussian(cm->rng, P->tender.claim_noise_sd);
        bids[i].qhat = p == k->provider ? k->qhat : qm_tender_credit(cm->info, sim->quality[ps], claim);
        bids[i].score = qm_tender_score(P, bids[i].qhat, bids[i].price, ref, bids[i].trust);
    }
    /* MODEL.md 2 (v2): without a tariff, the lowest credible price bid
     * becomes the reference; a bid is credible when the quality credited
     * to it reaches the commissioner's benchmark. */
    if (!sv->tariffed)
        for (int i = 0; i < n; i++)
            if (bids[i].qhat >= bench && (x->ref_price <= 0.0 || bids[i].price < x->ref_price))
                x->ref_price = bids[i].price;
    qm_tender_rank(bids, n);
    qm_ranked_bid *B = QM_BIDS_OF(sim, k);
    k->n_bids = n;
    for (int i = 0; i < n; i++)
        B[i] = (qm_ranked_bid){bids[i].provider, bids[i].price, bids[i].qhat, bids[i].cost};
}

/* MODEL.md 4.3: capacity is allocated in id order; MODEL.md 4.2: every
 * bidder bears its bid. */
void qm_tender_award(qm_sim *sim, int c, qm_contract *k)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    int s = qm_state_service(sim, k);
    int W = P->market.entry_window;
    const qm_ranked_bid *B = QM_BIDS_OF(sim, k);
    for (int i = 0; i < k->n_bids; i++) {
        qm_provider *pr = &sim->prov[B[i].provider];
        pr->bid_cost += P->cost.bid * P->cost.provider_salary;
        cm->t.tc_bid += P->cost.bid * P->cost.provider_salary;
    }
    k->tender_end = -1;
    k->last_tender = sim->month;
    cm->t.tenders_completed++;
    sim->tender_ring[s * W + sim->month % W]++;
    for (int i = 0; i < k->n_bids; i++) {
        int p = B[i].provider;
        if (!qm_contracts_fits(sim, p, s, k))
            continue;
        if (p != k->provider) {
            qm_contracts_switch(sim, c, k, p, 1);
            k->qhat = B[i].qhat;
            /* MODEL.md 4.2, 4.3 (v2): the winner mobilises the service,
             * and a price built on an optimistic cost is yet to show. */
            double mob = P->cost.mobilisation * P->cost.provider_salary;
            sim->prov[p].bid_cost += mob;
            cm->t.tc_mobilisation += mob;
            if (B[i].cost < sim->unit_cost[QM_PS(sim, p, s)])
                QM_CONX(sim, k)->bid_cost = B[i].cost;
        }
        k->price = B[i].price;
        if (P->policy.payment_type > 0)
            k->payment = P->policy.payment_type - 1;
        qm_contracts_renew(sim, c, k, QM_EV_AWARD, P->contract.term);
        qm_contracts_consolidate(sim, c, k);
        return;
    }
    qm_contracts_renew(sim, c, k, QM_EV_ROLLOVER, P->contract.term * P->cost.decision_extension);
}
