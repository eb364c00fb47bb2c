/* support.c: support agencies and engagements (MODEL.md 4.4): need,
 * choice of agency, delivery, reviews and docking, renewal, knowledge
 * transfer through the conduits, borrowed capability and dependency. */
#include <math.h>
#include <gsl/gsl_randist.h>

#include "engine/phases.h"
#include "model/trust.h"
#include "model/conduit.h"
#include "model/knowledge.h"
#include "model/monitor.h"

static int agency_partner(const qm_sim *sim, int a)
{
    return sim->max_providers + a;
}

/* Share of booked staff an agency actually delivers: a CSU serves all its
 * clients from one capacity, so overload spreads it thin. */
static double thinness(const qm_agency *ag)
{
    return ag->booked > ag->capacity && ag->booked > 0.0 ? ag->capacity / ag->booked : 1.0;
}

static int analytic_purpose(int purpose)
{
    return purpose == QM_PURPOSE_ANALYTICS || purpose == QM_PURPOSE_OUTSOURCED ||
           purpose == QM_PURPOSE_REDESIGN;
}

/* ---- Step 5: conduits ---- */

static void transfer(qm_sim *sim, qm_commissioner *cm, int c, const qm_engagement *e)
{
    const qm_params *P = &sim->p;
    const qm_agency *ag = &sim->agency[e->agency];
    double T = qm_state_trust(sim, c, agency_partner(sim, e->agency));
    double theta = e->clause ? 1.0 : ag->transfer;
    if (analytic_purpose(e->purpose))
        cm->A += qm_conduit_transfer(P, e->conduit, cm->A, ag->skill, theta, e->context, T);
    if (e->purpose == QM_PURPOSE_PROCUREMENT || e->purpose == QM_PURPOSE_OUTSOURCED)
        cm->R += qm_conduit_transfer(P, e->conduit, cm->R, ag->skill, theta, e->context, T);
}

void qm_support_learn(qm_sim *sim, int c)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    double lent = 0.0;
    for (int i = 0; i < cm->n_eng; i++) {
        const qm_engagement *e = &cm->eng[i];
        if (!e->active)
            continue;
        transfer(sim, cm, c, e);
        if (!analytic_purpose(e->purpose))
            continue;
        const qm_agency *ag = &sim->agency[e->agency];
        double b = qm_conduit_borrowed(P, e->delivered, ag->skill, e->context);
        /* A product leaves a tool behind; placed or advising staff lend
         * capability only while they are there. */
        if (e->conduit == QM_CONDUIT_PRODUCT)
            cm->tool = b > cm->tool ? b : cm->tool;
        else if (b > lent)
            lent = b;
    }
    cm->borrowed = lent;
    /* In-house analysts whose work is done by others are idle (MODEL.md 4.4
     * decay when not used; P6 deskilling). */
    int own_used = cm->used_A && cm->A >= lent;
    cm->A = qm_knowledge_decay(P, cm->A, own_used);
    cm->X = qm_knowledge_decay(P, cm->X, cm->n_rel > 0);
    cm->R = qm_knowledge_decay(P, cm->R, cm->used_R);
    double td = cm->used_A ? P->knowledge.tool_decay_used : P->knowledge.tool_decay_idle;
    cm->tool *= 1.0 - td;
    cm->used_R = 0;
    double eff = cm->A;
    if (lent > eff)
        eff = lent;
    if (cm->tool > eff)
        eff = cm->tool;
    cm->A_eff = eff > 1.0 ? 1.0 : eff;
    cm->dependency = qm_conduit_dependency(cm->A, cm->A_eff);
    double data = cm->data * (1.0 - P->knowledge.ig_effect * P->policy.ig_strictness);
    double info = qm_monitor_info(P, data, cm->A_eff);
    cm->info = info < 0.0 ? 0.0 : info > 1.0 ? 1.0 : info;
}

/* ---- Step 8: engagements at work ---- */

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
    double docked = qm_conduit_docking(P, achieved, e->fee * P->engage.review_months);
    e->achieved = 0.0;
    if (docked <= 0.0)
        return;
    /* A failed deliverable docks the fee, hurts trust and costs a dispute. */
    e->paid -= docked;
    cm->t.engagements_docked++;
    qm_rel *rel = qm_state_rel(sim, c, agency_partner(sim, e->agency), 1);
    qm_trust_penalise(rel, P->trust.penalty);
    qm_step_spend_time(cm, P->cost.dispute);
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
    qm_rel *rel = qm_state_rel(sim, c, agency_partner(sim, e->agency), 1);
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
    return qm_conduit_utility(&sim->p, qm_state_trust(sim, c, agency_partner(sim, a)), ag->skill,
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

void qm_support_work(qm_sim *sim, int c)
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

void qm_support_end(qm_sim *sim, int c, int i)
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

int qm_support_book(qm_sim *sim, int c, int a, int purpose, double fte, int clause)
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
    qm_state_rel(sim, c, agency_partner(sim, a), 1)->last_contact = sim->month;
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

void qm_support_settle(qm_sim *sim)
{
    for (int a = 0; a < sim->n_agencies; a++)
        sim->agency[a].revenue = 0.0;
    for (int c = 0; c < sim->n_commissioners; c++) {
        qm_commissioner *cm = &sim->comm[c];
        if (!cm->active)
            continue;
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
                qm_support_end(sim, c, i);
            e->decision = 0;
        }
        int a = cm->request_agency;
        if (a >= 0 && takes_clients(&sim->agency[a], sim->p.engage.fte))
            qm_support_book(sim, c, a, cm->request_purpose, sim->p.engage.fte, cm->request_clause);
        cm->request_agency = -1;
    }
}

void qm_support_market(qm_sim *sim)
{
    const qm_params *P = &sim->p;
    int W = P->engage.csu_window;
    for (int a = 0; a < sim->n_agencies; a++) {
        qm_agency *ag = &sim->agency[a];
        ag->revenue_ring[sim->month % W] = ag->revenue;
        if (ag->kind != QM_AK_CSU || sim->month + 1 < W)
            continue;
        double rev = 0.0;
        for (int i = 0; i < W; i++)
            rev += ag->revenue_ring[i];
        /* A CSU must pay its way over a rolling window, else it shrinks. */
        if (rev < ag->capacity * P->engage.csu_staff_cost * W)
            ag->capacity *= 1.0 - P->engage.csu_shrink;
    }
}
