/* market.c: MODEL.md 4.3 (and 2 Provider), the market: quality drift,
 * exit after losses with the contracts' fallback provider, entry under an
 * open market, and the margins and concentration it reads.  The challenge
 * each contract brings its provider is inline in market.h (the engine
 * runs it for every contract). */
#include "model/market.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "qmsim/draw.h"

#include "core/num.h"
#include "core/state.h"
#include "core/walk.h"
#include "model/contracts.h"
#include "model/init.h"

/* MODEL.md 4.3: the month's pull of challenge on quality, less the slip
 * of a relationship that is too close. */
static double challenge_pull(const qm_params *p, double challenge, int too_close)
{
    return p->market.drift_challenge * challenge - (too_close ? p->market.drift_close : 0.0);
}

double qm_market_drift(const qm_params *p, double q, double q0, double z)
{
    double dq = p->market.reversion * (q0 - q) + p->market.drift_sd * z;
    return qm_num_clamp01(q + dq);
}

double qm_market_lift(const qm_params *p, double lift, double challenge, int too_close)
{
    double b = p->market.challenge_bound;
    lift += challenge_pull(p, challenge, too_close) - p->market.reversion * lift;
    return lift > b ? b : lift < -b ? -b : lift;
}

int qm_market_exits(const qm_params *p, int kind, int loss_months)
{
    if (kind != QM_PK_INDEPENDENT && kind != QM_PK_VOLUNTARY)
        return 0;
    return loss_months >= p->market.exit_loss_months;
}

double qm_market_entry_prob(const qm_params *p, double tender_share, double margin)
{
    double m = margin > 0.0 ? margin / p->market.entry_margin_scale : 0.0;
    if (m > 1.0)
        m = 1.0;
    double prob = p->market.entry_rate * tender_share * m;
    return qm_num_clamp01(prob);
}

double qm_market_hhi_sums(double sum, double sumsq)
{
    return sum > 0.0 ? sumsq / (sum * sum) : 0.0;
}

double qm_market_hhi(const double *v, int n, int stride)
{
    double sum = 0.0, sumsq = 0.0;
    for (int i = 0; i < n; i++) {
        double x = v[(long)i * stride];
        sum += x;
        sumsq += x * x;
    }
    return qm_market_hhi_sums(sum, sumsq);
}

void qm_market_drift_provider(qm_sim *sim, int p)
{
    qm_provider *pr = &sim->prov[p];
    if (!pr->active)
        return;
    for (int s = 0; s < sim->n_services; s++) {
        size_t ps = QM_PS(sim, p, s);
        if (!sim->offers[ps])
            continue;
        sim->quality[ps] = qm_market_drift(&sim->p, sim->quality[ps], sim->quality0[ps],
                                           qm_draw_gaussian(pr->rng, 1.0));
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
        if (p == k->provider || sim->exiting[p] || !qm_contracts_walk_fits(sim, &walk, p, k))
            continue;
        if (sim->prov[p].kind <= QM_PK_NHS_MENTAL)
            return p;
        if (any < 0)
            any = p;
    }
    return any;
}

/* The contract of a departing provider moves on, or lapses: nobody can
 * take it and the demand goes unmet. */
static void move_on(qm_sim *sim, int c, qm_contract *k)
{
    int s = qm_state_service(sim, k);
    int q = fallback_provider(sim, c, s, k);
    if (q >= 0) {
        qm_contracts_switch(sim, c, k, q, 0);
        k->qhat = sim->quality[QM_PS(sim, q, s)];
        k->tender_end = -1;
        qm_contracts_renew(sim, c, k, QM_EV_AWARD, sim->p.contract.term * sim->p.cost.decision_extension);
    } else {
        sim->held[QM_PS(sim, k->provider, s)] -= k->volume;
        qm_walk_refresh(sim, k->provider, s);
        k->active = 0;
    }
}

void qm_market_exit_decide(qm_sim *sim, int p)
{
    const qm_provider *pr = &sim->prov[p];
    sim->exiting[p] = pr->active && qm_market_exits(&sim->p, pr->kind, pr->loss_months);
}

/* Providers leaving this month go together: one pass over the contracts
 * moves theirs on, so exits cost no more than a month's bookkeeping. */
void qm_market_exit(qm_sim *sim)
{
    int any = 0;
    for (int p = 0; p < sim->n_providers; p++) {
        if (!sim->exiting[p])
            continue;
        qm_provider *pr = &sim->prov[p];
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
            qm_contract *k = QM_CON(sim, c, s);
            if (k->active && sim->exiting[k->provider])
                move_on(sim, sim->comm[c].holder, k);
        }
}

/* An independent provider enters service s alone, set up as the scenario's
 * entrant template says. */
static void enter_service(qm_sim *sim, int s)
{
    int p = sim->n_providers++;
    qm_provider_group G = sim->sc->entrant;
    int only = s;
    G.n_services = 1;
    G.services = &only;
    G.kind = QM_PK_INDEPENDENT;
    qm_init_provider(sim, p, &G, p, sim->market_rng, gsl_rng_uniform(sim->market_rng));
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
            const qm_contract *k = QM_CON(sim, c, s);
            if (!k->active)
                continue;
            pay[s] += k->price * k->volume;
            cost[s] += sim->unit_cost[QM_PS(sim, k->provider, s)] * k->volume;
        }
    for (int s = 0; s < S; s++)
        margin[s] = pay[s] > 0.0 ? (pay[s] - cost[s]) / pay[s] : 0.0;
}

/* MODEL.md 4.3: entry grows with the share of the service recently
 * tendered and its margin. */
void qm_market_entry(qm_sim *sim)
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

void qm_market_count_decisions(qm_sim *sim, int c, int lo, int hi)
{
    int W = sim->p.market.entry_window;
    const qm_event *e = sim->comm[c].events;
    for (int i = 0; i < sim->comm[c].n_events; i++)
        if (e[i].type <= QM_EV_TENDER_START && e[i].service >= lo && e[i].service < hi)
            sim->decision_ring[e[i].service * W + sim->month % W]++;
}
