/* engagements.c: MODEL.md 4.4, engagements of support agencies: when a
 * commissioner needs support (work that overflows its staff, analytic
 * knowledge below its need), which agency it picks (a logit on trust,
 * skill, fee, context fit, the host CSU's familiarity and push), the
 * deliverables' progress and reviews (a failure docks the fee and hurts
 * trust), consultant turnover eating the context built up, renewal while
 * the need persists, and the CSUs' self-sufficiency (MODEL.md 2). */
#include "model/engagements.h"

#include <math.h>
#include <gsl/gsl_randist.h>

#include "core/state.h"
#include "core/walk.h"
#include "model/costs.h"
#include "model/trust.h"

double qm_engagements_utility(const qm_params *p, double T, double S, double fee,
                              double fit, int host, double push)
{
    return p->engage.w_trust * T + p->engage.w_skill * S -
           p->engage.w_fee * fee / p->engage.reference_fee + p->engage.w_fit * fit +
           (host ? p->engage.w_host : 0.0) + p->engage.w_push * push;
}

/* MODEL.md 4.4: a failed deliverable docks the fee (default 25 %); (v2)
 * docking is rare: only a failure clear enough to stand in a dispute,
 * progress below dock_share, is docked.  A disappointing review (below
 * fail_share) still counts against the agency through the trust
 * evidence of every month's progress. */
double qm_engagements_docking(const qm_params *p, double achieved, double period_fee)
{
    double bar = p->engage.dock_share < p->engage.fail_share ? p->engage.dock_share : p->engage.fail_share;
    return achieved < bar ? p->engage.dock * period_fee : 0.0;
}

/* Share of booked staff an agency actually delivers: a CSU serves all its
 * clients from one capacity, so overload spreads it thin. */
static double thinness(const qm_agency *ag)
{
    return ag->booked > ag->capacity && ag->booked > 0.0 ? ag->capacity / ag->booked : 1.0;
}


static int need_persists(const qm_sim *sim, const qm_commissioner *cm, int purpose)
{
    const qm_params *P = &sim->p;
    double need = P->knowledge.analytic_need - P->engage.transfer_margin;
    switch (purpose) {
    case QM_PURPOSE_ANALYTICS: return cm->A < need;
    case QM_PURPOSE_PROCUREMENT: return cm->last_overflow_con > P->engage.overflow_trigger || cm->R < need;
    case QM_PURPOSE_REDESIGN: return cm->last_overflow_dev > P->engage.overflow_trigger;
    default: return cm->A < need || cm->last_overflow_con > P->engage.overflow_trigger;
    }
}

static void review(qm_sim *sim, int c, int i)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    qm_engagement *e = &cm->eng[i];
    double achieved = e->achieved / P->engage.review_months;
    double docked = qm_engagements_docking(P, achieved, e->fee * P->engage.review_months);
    e->achieved = 0.0;
    if (docked <= 0.0)
        return;
    /* A failed deliverable docks the fee, hurts trust and costs a dispute. */
    e->paid -= docked;
    cm->t.engagements_docked++;
    qm_rel *rel = qm_state_rel(sim, c, qm_state_agency_partner(sim, e->agency), 1);
    qm_trust_penalise(rel, P->trust.penalty);
    qm_costs_spend_time(cm, P->cost.dispute);
    cm->t.tc_dispute += P->cost.dispute * P->cost.salary;
    qm_state_event(sim, c, QM_EV_ENGAGEMENT_DOCKED, -1, -1, e->agency, docked);
}

static void work(qm_sim *sim, int c, int i)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    qm_engagement *e = &cm->eng[i];
    const qm_agency *ag = &sim->agency[e->agency];
    int age = sim->month - e->start;
    double thin = thinness(ag);
    double score = ag->skill * e->clarity * thin;

    e->delivered = e->fte * thin;
    e->achieved += score;
    e->paid = e->fee;
    if (age > 0 && age % P->engage.shift_months == 0)
        e->clarity *= 1.0 - P->engage.shift_loss;
    /* Consultants learn the context, and take it with them when they go. */
    e->context += P->knowledge.context_rate * (1.0 - e->context);
    e->context *= 1.0 - ag->turnover;
    qm_rel *rel = qm_state_rel(sim, c, qm_state_agency_partner(sim, e->agency), 1);
    qm_trust_update(rel, (score - P->engage.fail_share) / P->engage.progress_sd, 1.0,
                    P->trust.evidence_weight, P->trust.forgetting);
    rel->last_contact = sim->month;
    if (age > 0 && age % P->engage.review_months == 0)
        review(sim, c, i);
    cm->t.fees += e->paid;
    cm->t.fees_kind[ag->kind] += e->paid;
    e->decision = 0;
    if (sim->month < e->expiry)
        return;
    /* At expiry it is renewed while the need persists (MODEL.md 4.4). */
    int room = sim->month + P->engage.term - e->first_start <= P->engage.max_months;
    e->decision = room && need_persists(sim, cm, e->purpose) ? 1 : -1;
}

static int holds(const qm_commissioner *cm, int purpose)
{
    for (int i = 0; i < cm->n_eng; i++)
        if (cm->eng[i].active && (cm->eng[i].purpose == purpose ||
                                  cm->eng[i].purpose == QM_PURPOSE_OUTSOURCED))
            return 1;
    return 0;
}

/* What support the commissioner lacks, or -1 (MODEL.md 4.4: work that
 * overflows its staff, analytic knowledge below its need). */
static int detect_need(const qm_sim *sim, const qm_commissioner *cm)
{
    const qm_params *P = &sim->p;
    int analytic = cm->A < P->knowledge.analytic_need && !holds(cm, QM_PURPOSE_ANALYTICS);
    int contracting = cm->last_overflow_con > P->engage.overflow_trigger &&
                      !holds(cm, QM_PURPOSE_PROCUREMENT);
    int development = cm->last_overflow_dev > P->engage.overflow_trigger &&
                      !holds(cm, QM_PURPOSE_REDESIGN);
    if (analytic && contracting)
        return QM_PURPOSE_OUTSOURCED;
    if (analytic)
        return QM_PURPOSE_ANALYTICS;
    if (contracting)
        return QM_PURPOSE_PROCUREMENT;
    if (development)
        return QM_PURPOSE_REDESIGN;
    return -1;
}

static int free_slot(const qm_sim *sim, const qm_commissioner *cm)
{
    for (int i = 0; i < sim->p.engage.max_per_commissioner; i++)
        if (!cm->eng[i].active)
            return i;
    return -1;
}

static int takes_clients(const qm_agency *ag, double fte)
{
    return ag->kind == QM_AK_CSU || ag->capacity - ag->booked >= fte;
}

/* Utility of agency a for commissioner c, or -HUGE_VAL when it cannot
 * take the work. */
static double agency_value(const qm_sim *sim, int c, int a)
{
    const qm_agency *ag = &sim->agency[a];
    if (ag->capacity <= 0.0 || !takes_clients(ag, sim->p.engage.fte))
        return -HUGE_VAL;
    return qm_engagements_utility(&sim->p, qm_state_trust(sim, c, qm_state_agency_partner(sim, a)), ag->skill,
                              ag->fee, ag->fit, a == sim->comm[c].host, ag->push);
}

/* Logit over the agencies within reach that can take the work (MODEL.md
 * 4.4). */
static int choose_agency(qm_sim *sim, int c)
{
    int id[QM_REACH_MAX], n = 0;
    double v[QM_REACH_MAX], vmax = -HUGE_VAL, sum = 0.0, acc = 0.0;
    qm_walk walk;
    qm_walk_agencies(sim, &walk, sim->comm[c].position);
    for (int a; (a = qm_walk_next(&walk)) >= 0;) {
        double u = agency_value(sim, c, a);
        if (u == -HUGE_VAL)
            continue;
        id[n] = a;
        v[n] = u;
        vmax = u > vmax ? u : vmax;
        n++;
    }
    if (n == 0)
        return -1;
    for (int i = 0; i < n; i++)
        sum += exp(v[i] - vmax);
    double u = gsl_rng_uniform(sim->comm[c].rng) * sum;
    for (int i = 0; i < n; i++) {
        acc += exp(v[i] - vmax);
        if (u < acc)
            return id[i];
    }
    return id[n - 1];
}

void qm_engagements_work(qm_sim *sim, int c)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    cm->request_agency = -1;
    for (int i = 0; i < cm->n_eng; i++)
        if (cm->eng[i].active)
            work(sim, c, i);
    if (sim->n_agencies == 0 || free_slot(sim, cm) < 0)
        return;
    int purpose = detect_need(sim, cm);
    /* Receptivity is how readily a need becomes a purchase. */
    if (purpose < 0 || gsl_rng_uniform(cm->rng) >= cm->receptivity)
        return;
    int a = choose_agency(sim, c);
    if (a < 0)
        return;
    cm->request_agency = a;
    cm->request_purpose = purpose;
    cm->request_clause = P->policy.transfer_clause || gsl_rng_uniform(cm->rng) < P->engage.clause_share;
}

void qm_engagements_end(qm_sim *sim, int c, int i)
{
    qm_commissioner *cm = &sim->comm[c];
    qm_engagement *e = &cm->eng[i];
    qm_agency *ag = &sim->agency[e->agency];
    ag->booked -= e->fte;
    if (ag->booked < 1e-9)
        ag->booked = 0.0;
    ag->clients--;
    e->active = 0;
    cm->t.engagements_ended++;
    qm_state_event(sim, c, QM_EV_ENGAGEMENT_END, -1, -1, e->agency,
                 (double)(sim->month - e->first_start));
}

int qm_engagements_book(qm_sim *sim, int c, int a, int purpose, double fte, int clause)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    qm_agency *ag = &sim->agency[a];
    int i = free_slot(sim, cm);
    if (i < 0)
        return -1;
    qm_engagement *e = &cm->eng[i];
    *e = (qm_engagement){0};
    e->active = 1;
    e->agency = a;
    e->purpose = purpose;
    e->conduit = ag->conduit;
    e->clause = clause;
    e->first_start = e->start = sim->month;
    e->expiry = sim->month + P->engage.term;
    e->fte = fte;
    e->fee = fte * ag->fee;
    e->clarity = P->engage.clarity;
    e->context = ag->fit;
    ag->booked += fte;
    ag->clients++;
    if (i >= cm->n_eng)
        cm->n_eng = i + 1;
    cm->t.engagements_started++;
    qm_state_rel(sim, c, qm_state_agency_partner(sim, a), 1)->last_contact = sim->month;
    qm_state_event(sim, c, QM_EV_ENGAGEMENT_START, -1, -1, a, e->fee);
    return i;
}

static void renew(qm_sim *sim, int c, int i)
{
    const qm_params *P = &sim->p;
    qm_engagement *e = &sim->comm[c].eng[i];
    e->start = sim->month;
    e->expiry = sim->month + P->engage.term;
    e->clarity = P->engage.clarity;
    e->renewals++;
    sim->comm[c].t.engagement_renewals++;
    qm_state_event(sim, c, QM_EV_ENGAGEMENT_RENEW, -1, -1, e->agency, e->fee);
}

void qm_engagements_settle(qm_sim *sim, int c)
{
    qm_commissioner *cm = &sim->comm[c];
    for (int i = 0; i < cm->n_eng; i++) {
        qm_engagement *e = &cm->eng[i];
        if (!e->active)
            continue;
        /* Fees move from commissioner to agency in id order. */
        sim->agency[e->agency].revenue += e->paid;
        e->paid = 0.0;
        if (e->decision > 0)
            renew(sim, c, i);
        else if (e->decision < 0)
            qm_engagements_end(sim, c, i);
        e->decision = 0;
    }
    int a = cm->request_agency;
    if (a >= 0 && takes_clients(&sim->agency[a], sim->p.engage.fte))
        qm_engagements_book(sim, c, a, cm->request_purpose, sim->p.engage.fte, cm->request_clause);
    cm->request_agency = -1;
}

/* MODEL.md 2 Support agency: a CSU must pay its way over a rolling
 * window, else it shrinks. */
void qm_engagements_csu(qm_sim *sim, int a)
{
    const qm_params *P = &sim->p;
    int W = P->engage.csu_window;
    qm_agency *ag = &sim->agency[a];
    ag->revenue_ring[sim->month % W] = ag->revenue;
    if (ag->kind != QM_AK_CSU || sim->month + 1 < W)
        return;
    double rev = 0.0;
    for (int i = 0; i < W; i++)
        rev += ag->revenue_ring[i];
    if (rev < ag->capacity * P->engage.csu_staff_cost * W)
        ag->capacity *= 1.0 - P->engage.csu_shrink;
}
