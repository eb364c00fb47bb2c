/* decide.c: MODEL.md 4.3, the decision at a contract's expiry: the logit
 * utilities of renew, renegotiate, tender and decommission, the choice,
 * and what it leads to: a renewal, a renegotiation, a tender or its
 * rollover when the staff time does not fit (MODEL.md 4.2), a
 * decommissioning and its settlement. */
#include "model/decide.h"

#include <math.h>
#include <gsl/gsl_rng.h>

#include "core/num.h"
#include "core/state.h"
#include "core/walk.h"
#include "model/contracts.h"
#include "model/costs.h"
#include "model/delivery.h"
#include "model/monitor.h"
#include "model/tender.h"

void qm_decide_utilities(const qm_params *p, const qm_decision_in *in,
                         double V[QM_DEC_N], int avail[QM_DEC_N])
{
    double gap = qm_num_pos(in->gap);
    double cap = in->free_capacity > p->decision.capacity_floor ? in->free_capacity : p->decision.capacity_floor;
    double ten = in->tenure / p->decision.tenure_scale;

    V[QM_DEC_RENEW] = p->decision.b_trust * in->trust + p->decision.b_tenure * (ten < 1.0 ? ten : 1.0) - p->decision.b_gap * gap;
    V[QM_DEC_RENEGOTIATE] = p->decision.b_reneg0 + p->decision.b_reneg_gap * gap - p->decision.b_tc * p->cost.renegotiation / cap;
    V[QM_DEC_TENDER] = p->decision.b_tender0 + p->decision.b_market * in->market + p->decision.b_policy * in->pressure +
                       p->decision.b_gap * gap + p->decision.b_alt * log1p(in->n_alt) -
                       p->decision.b_tc * p->cost.tender / cap - p->decision.b_risk * in->risk * in->share -
                       p->decision.b_parcel * (1.0 - in->parcel) - p->decision.b_trust * in->trust;
    /* MODEL.md 4.3 gives no utility for decommissioning: when a completed
     * development replaces the service it is the natural course, so it
     * takes the renewal utility it replaces. */
    V[QM_DEC_DECOMMISSION] = V[QM_DEC_RENEW];
    avail[QM_DEC_RENEW] = avail[QM_DEC_RENEGOTIATE] = avail[QM_DEC_TENDER] = 1;
    avail[QM_DEC_DECOMMISSION] = in->can_decommission != 0;
}

void qm_decide_probs(const double V[QM_DEC_N], const int avail[QM_DEC_N], double prob[QM_DEC_N])
{
    double vmax = -HUGE_VAL, sum = 0.0;
    for (int i = 0; i < QM_DEC_N; i++)
        if (avail[i] && V[i] > vmax)
            vmax = V[i];
    for (int i = 0; i < QM_DEC_N; i++) {
        prob[i] = avail[i] ? exp(V[i] - vmax) : 0.0;
        sum += prob[i];
    }
    for (int i = 0; i < QM_DEC_N; i++)
        prob[i] /= sum;
}

int qm_decide_pick(const double prob[QM_DEC_N], double u)
{
    double acc = 0.0;
    int last = 0;
    for (int i = 0; i < QM_DEC_N; i++) {
        if (prob[i] <= 0.0)
            continue;
        last = i;
        acc += prob[i];
        if (u < acc)
            return i;
    }
    return last;
}

/* Alternatives to the incumbent within reach, each discounted by the
 * chance that it cannot find specialist staff (MODEL.md 4.3, n_alt). */
static double alternatives(const qm_sim *sim, int c, const qm_contract *k)
{
    int s = qm_state_service(sim, k);
    double n = 0.0, w = 1.0 - sim->sc->services[s].scarcity;
    qm_walk walk;
    qm_walk_start(sim, &walk, s, sim->comm[c].position);
    for (int p; (p = qm_walk_next(&walk)) >= 0;)
        if (p != k->provider && qm_contracts_walk_fits(sim, &walk, p, k))
            n += w;
    return n;
}

/* share_p: the share of the incumbent's income this contract represents. */
static double income_share(const qm_sim *sim, const qm_contract *k)
{
    double rev = sim->prov[k->provider].revenue;
    return rev > 0.0 ? qm_num_clamp01(k->paid / rev) : 1.0;
}

/* MODEL.md 4.2 (v2): the provider's side of a renewal or renegotiation
 * that took the commissioner fte FTE-months, GBP. */
static double provider_side(const qm_params *P, double fte)
{
    return fte * P->cost.provider_negotiation * P->cost.provider_salary;
}

/* The incumbent, a new price toward the reference price (MODEL.md 2, v2),
 * the policy's payment type and closer monitoring. */
static void renegotiate(qm_sim *sim, int c, qm_contract *k)
{
    const qm_params *P = &sim->p;
    double ref = qm_monitor_reference(sim, k);
    k->price += P->decision.reneg_price_weight * (ref - k->price);
    if (P->policy.payment_type > 0)
        k->payment = P->policy.payment_type - 1;
    k->monitoring = qm_num_clamp01(k->monitoring + P->monitor.renegotiation_step);
    sim->comm[c].used_R = 1;
    qm_contracts_renew(sim, c, k, QM_EV_RENEGOTIATE, P->contract.term);
    qm_contracts_consolidate(sim, c, k);
}

/* The old service is decommissioned in favour of the new pathway, which
 * goes by negotiation to the best other provider with room within
 * `market.reach` (MODEL.md 4.3, 4.5; a walk, not a pass over every
 * provider, so the work per decommissioning does not grow with the
 * market); ties go to the lowest id.  The move itself is settled serially
 * with the awards.  Returns 0 when no provider can take it. */
static int decommission(qm_sim *sim, int c, qm_contract *k)
{
    qm_commissioner *cm = &sim->comm[c];
    int s = qm_state_service(sim, k);
    int best = -1;
    double best_v = -HUGE_VAL;
    qm_walk walk;
    qm_walk_start(sim, &walk, s, cm->position);
    for (int p; (p = qm_walk_next(&walk)) >= 0;) {
        if (p == k->provider || !qm_contracts_walk_fits(sim, &walk, p, k))
            continue;
        double v = qm_state_trust(sim, c, p) + sim->quality[QM_PS(sim, p, s)];
        if (v > best_v || (v == best_v && p < best))
            best_v = v, best = p;
    }
    k->replace_ready = 0;
    if (best < 0)
        return 0;
    cm->t.decisions[QM_DEC_DECOMMISSION]++;
    qm_ranked_bid *B = QM_BIDS_OF(sim, k);
    k->n_bids = 1;
    B[0].provider = best;
    B[0].price = sim->sc->services[s].tariff;
    B[0].qhat = k->qhat;
    k->decommission = 1;
    return 1;
}

/* The option the commissioner picks: the logit over the utilities, then
 * a mandate that sends a share of expiring contracts to tender regardless. */
static int choose(qm_sim *sim, int c, qm_contract *k)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    const qm_service_spec *sv = &sim->sc->services[qm_state_service(sim, k)];
    qm_decision_in in = {
        .trust = qm_state_trust(sim, c, k->provider),
        .tenure = sim->month - k->incumbent_since,
        .gap = qm_monitor_contract_gap(sim, c, k),
        .free_capacity = cm->con_free,
        .n_alt = alternatives(sim, c, k),
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
    if (P->policy.tender_mandate > 0.0 && gsl_rng_uniform(cm->rng) < P->policy.tender_mandate)
        choice = QM_DEC_TENDER;
    return choice;
}

/* Whether the incumbent of contract k truly delivers below its service's
 * published rating: a tender on it is a well-informed one (an observed
 * measure of MODEL.md 1's "better-informed choices"; no rule reads it). */
static int laggard(const qm_sim *sim, const qm_contract *k)
{
    int s = qm_state_service(sim, k);
    const qm_contract_x *x = QM_CONX(sim, k);
    double q = sim->quality[QM_PS(sim, k->provider, s)] + x->lift + x->effort + k->bonus;
    return q < sim->svc_rating[s];
}

void qm_decide_expiry(qm_sim *sim, int c, qm_contract *k)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    int choice = choose(sim, c, k);
    double fte = choice == QM_DEC_RENEGOTIATE ? P->cost.renegotiation : P->cost.renewal;
    /* With nowhere to move the new pathway, the old contract is renewed. */
    if (choice == QM_DEC_DECOMMISSION && decommission(sim, c, k))
        return;
    if (choice == QM_DEC_DECOMMISSION)
        choice = QM_DEC_RENEW;
    if (choice == QM_DEC_TENDER) {
        if (qm_tender_start(sim, c, k)) {
            cm->t.decisions[QM_DEC_TENDER]++;
            cm->t.tenders_laggard += laggard(sim, k);
            return;
        }
        /* MODEL.md 4.2: capacity is one of the reasons renewal persists. */
        cm->t.decisions[QM_DEC_RENEW]++;
        cm->t.rollovers++;
        qm_contracts_renew(sim, c, k, QM_EV_ROLLOVER, P->contract.term * P->cost.decision_extension);
        return;
    }
    if (!qm_costs_take_time(cm, fte)) {
        k->expiry = sim->month + 1; /* the work waits a month */
        return;
    }
    double prov = provider_side(P, fte);
    QM_CONX(sim, k)->owed += prov;
    if (choice == QM_DEC_RENEGOTIATE) {
        cm->t.tc_renegotiation += fte * P->cost.salary;
        cm->t.tc_provider_renegotiation += prov;
        cm->t.decisions[QM_DEC_RENEGOTIATE]++;
        renegotiate(sim, c, k);
    } else {
        cm->t.tc_renewal += fte * P->cost.salary;
        cm->t.tc_provider_negotiation += prov;
        cm->t.decisions[QM_DEC_RENEW]++;
        qm_contracts_renew(sim, c, k, QM_EV_RENEW, P->contract.term);
    }
}

void qm_decide_settle_decommission(qm_sim *sim, int c, qm_contract *k)
{
    int s = qm_state_service(sim, k);
    const qm_ranked_bid *B = QM_BIDS_OF(sim, k);
    int p = B[0].provider;
    k->decommission = 0;
    k->n_bids = 0;
    if (qm_contracts_fits(sim, p, s, k)) {
        qm_contracts_switch(sim, c, k, p, 0);
        k->price = B[0].price;
        qm_state_event(sim, c, QM_EV_DECOMMISSION, s, p, -1, k->price);
    }
    qm_contracts_renew(sim, c, k, QM_EV_AWARD, sim->p.contract.term);
    qm_contracts_consolidate(sim, c, k);
}

/* Re-procurement after a hand-back: the provider delivers at cost until
 * the tender ends; without the staff time for a tender, the price is
 * renegotiated up instead.  Returns 1 when a tender started. */
static int hand_back(qm_sim *sim, int c, qm_contract *k, double cost)
{
    if (!qm_tender_start(sim, c, k))
        return 0;
    k->price = cost;
    sim->comm[c].t.handbacks++;
    return 1;
}

/* The outsider asks for a price at its true cost plus its mark-up: a
 * renegotiation both sides bear. */
static void ask_more(qm_sim *sim, int c, qm_contract *k, double cost)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    double fte = P->cost.renegotiation;
    qm_costs_spend_time(cm, fte);
    cm->t.tc_renegotiation += fte * P->cost.salary;
    double prov = provider_side(P, fte);
    cm->t.tc_provider_renegotiation += prov;
    QM_CONX(sim, k)->owed += prov;
    k->price = cost * (1.0 + sim->prov[k->provider].markup);
    cm->t.upward_renegotiations++;
    qm_state_event(sim, c, QM_EV_RENEGOTIATE, qm_state_service(sim, k), k->provider, -1, k->price);
}

void qm_decide_review(qm_sim *sim, int c, qm_contract *k)
{
    const qm_params *P = &sim->p;
    qm_contract_x *x = QM_CONX(sim, k);
    double u = sim->unit_cost[QM_PS(sim, k->provider, qm_state_service(sim, k))];
    double cost = qm_delivery_unit_cost(P, u, x->effort);
    int r = qm_contracts_revealed(sim->month - k->incumbent_since, P->contract.reveal_months,
                                  x->bid_cost, cost, k->price);
    if (r == 0)
        return;
    x->bid_cost = 0.0;
    if (r == 1)
        return;
    if (gsl_rng_uniform(sim->comm[c].rng) < P->contract.handback_prob && hand_back(sim, c, k, cost))
        return;
    ask_more(sim, c, k, cost);
}
