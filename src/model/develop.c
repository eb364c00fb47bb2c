/* develop.c: MODEL.md 4.5, service developments, the whole of them: how
 * they start (when a commissioner wants one, copying a neighbour's
 * realised benefit, or by directive), their effort per stage, how
 * development staff are spread over them with the help of a leading
 * provider or a redesign engagement, stalling and abandonment, launch,
 * and the benefit realised after a lag: uncertain, a quality gain or a
 * unit-cost cut (v2). */
#include "model/develop.h"

#include <math.h>
#include <gsl/gsl_randist.h>

#include "qmsim/draw.h"
#include "core/state.h"
#include "model/monitor.h"
#include "model/knowledge.h"
#include "model/trust.h"

double qm_develop_effort(const qm_params *p, int stage, double z)
{
    double cv = p->develop.effort_cv;
    return qm_draw_lognormal_at(p->develop.effort[stage], cv * cv, z);
}

int qm_develop_slots(const qm_params *p, double dev_staff)
{
    double n = floor(dev_staff / p->develop.fte_each);
    return n > p->develop.max_slots ? p->develop.max_slots : (int)n;
}

int qm_develop_stalls(const qm_params *p, double alloc)
{
    return alloc < p->develop.min_share * p->develop.monthly_need;
}

double qm_develop_start_prob(const qm_params *p, double gap, double neighbour_benefit)
{
    double prob = p->develop.start_base + p->develop.start_gap * (gap > 0.0 ? gap : 0.0) +
                  p->develop.copy_rate * (neighbour_benefit > 0.0 ? neighbour_benefit : 0.0);
    return prob > 1.0 ? 1.0 : prob;
}

int qm_develop_benefit_is_cost(const qm_params *p, double u)
{
    return u < p->develop.cost_share;
}

double qm_develop_benefit_size(const qm_params *p, int cost, double z)
{
    if (!cost)
        return p->develop.quality_gain + p->develop.quality_gain_sd * z;
    double cut = p->develop.cost_cut + p->develop.cost_cut_sd * z;
    return cut < 1.0 ? cut : 1.0;
}

double qm_develop_provider_cost_factor(double cut, double volume, double held)
{
    if (held <= 0.0)
        return 1.0;
    double part = volume < held ? volume / held : 1.0;
    return 1.0 - cut * part;
}

static int in_progress(const qm_commissioner *cm, int s)
{
    for (int i = 0; i < cm->n_dev; i++)
        if (cm->dev[i].active && cm->dev[i].service == s && cm->dev[i].stage < QM_STAGE_RUNNING)
            return 1;
    return 0;
}

static int count_in_progress(const qm_commissioner *cm)
{
    int n = 0;
    for (int i = 0; i < cm->n_dev; i++)
        n += cm->dev[i].active && cm->dev[i].stage < QM_STAGE_RUNNING;
    return n;
}

static int redesign_engagement(const qm_commissioner *cm)
{
    for (int i = 0; i < cm->n_eng; i++)
        if (cm->eng[i].active && cm->eng[i].purpose == QM_PURPOSE_REDESIGN)
            return i;
    return -1;
}

int qm_develop_begin(qm_sim *sim, int c, int s, int directive)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    int i = 0;
    while (i < P->develop.max_slots && cm->dev[i].active)
        i++;
    if (i == P->develop.max_slots)
        return -1;
    qm_development *d = &cm->dev[i];
    *d = (qm_development){0};
    d->active = 1;
    d->service = s;
    d->start = sim->month;
    d->launch = -1;
    d->directive = directive;
    for (int k = 0; k < QM_STAGE_RUNNING; k++)
        d->need[k] = qm_develop_effort(P, k, qm_draw_gaussian(cm->rng, 1.0));
    /* A trusted incumbent may lead; else an agency engaged for redesign. */
    const qm_contract *k = qm_state_main_contract(sim, c, s);
    if (k && qm_state_trust(sim, c, k->provider) >= P->develop.lead_trust)
        d->lead = 1;
    else if (redesign_engagement(cm) >= 0)
        d->lead = 2;
    d->replaces = gsl_rng_uniform(cm->rng) < P->develop.replace_share;
    if (i >= cm->n_dev)
        cm->n_dev = i + 1;
    cm->t.dev_started++;
    qm_state_event(sim, c, QM_EV_DEVELOPMENT_START, s, d->lead == 1 ? k->provider : -1, -1,
                 directive ? 1.0 : 0.0);
    return i;
}

/* The neighbours' latest realised benefit on service s (ring, MODEL.md
 * 4.4 copy, adapt and paste), read from what the last settle published. */
static double neighbour_benefit(const qm_sim *sim, int c, int s)
{
    if (sim->sc->neighbours != QM_NB_RING || sim->n_commissioners < 2)
        return 0.0;
    int n = sim->n_commissioners, best = 0;
    double b = 0.0;
    for (int step = -1; step <= 1; step += 2) {
        int j = ((c + step) % n + n) % n;
        const qm_commissioner *o = &sim->comm[j];
        if (o->active && o->benefit_service == s && o->benefit_seen > b)
            b = o->benefit_seen, best = 1;
    }
    return best ? b : 0.0;
}

static void maybe_start(qm_sim *sim, int c)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    if (count_in_progress(cm) >= qm_develop_slots(P, cm->dev_staff))
        return;
    for (int s = 0; s < sim->n_services; s++) {
        const qm_contract *k = qm_state_main_contract(sim, c, s);
        if (!k || in_progress(cm, s))
            continue;
        double gap = qm_monitor_contract_gap(sim, c, k);
        double prob = qm_develop_start_prob(P, gap, neighbour_benefit(sim, c, s));
        if (gsl_rng_uniform(cm->rng) < prob) {
            qm_develop_begin(sim, c, s, 0);
            return; /* one new development a month */
        }
    }
}

static void launch(qm_sim *sim, int c, qm_development *d)
{
    qm_commissioner *cm = &sim->comm[c];
    d->launch = sim->month;
    cm->t.dev_completed++;
    cm->t.dev_launch_months += sim->month - d->start;
    cm->t.dev_launched_stalled += d->ever_stalled;
    if (d->replaces)
        for (int o = c; o >= 0; o = qm_state_next_slot(sim, o))
            QM_CON(sim, o, d->service)->replace_ready = 1;
    qm_state_event(sim, c, QM_EV_DEVELOPMENT_LAUNCH, d->service, -1, -1, (double)(sim->month - d->start));
}

/* One month of work on development d with alloc FTE from the commissioner
 * and extra from a leading provider or agency. */
static void advance(qm_sim *sim, int c, qm_development *d, double alloc, double extra)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    double total = alloc + extra;
    if (total < P->develop.monthly_need)
        cm->t.dev_shortfall += P->develop.monthly_need - total;
    /* Specification and procurement prepare a contract: ex ante costs. */
    if (d->stage == QM_STAGE_SPECIFY || d->stage == QM_STAGE_PROCURE)
        cm->t.tc_development += alloc * P->cost.salary;
    if (qm_develop_stalls(P, total)) {
        d->stalled_months++;
        d->ever_stalled = 1;
        cm->t.dev_stalled++;
        if (d->stalled_months >= P->develop.abandon_months) {
            d->active = 0;
            cm->t.dev_abandoned++;
            qm_state_event(sim, c, QM_EV_DEVELOPMENT_ABANDON, d->service, -1, -1,
                         (double)(sim->month - d->start));
        }
        return;
    }
    /* MODEL.md 6 (v2): needs assessment and specification are data work,
     * which runs at the share of data flows rebuilt since a reorganisation. */
    d->done += d->stage <= QM_STAGE_SPECIFY ? total * qm_monitor_data_flow_of(sim, c) : total;
    while (d->stage < QM_STAGE_RUNNING && d->done >= d->need[d->stage]) {
        d->done -= d->need[d->stage];
        d->stage++;
    }
    if (d->stage == QM_STAGE_RUNNING)
        launch(sim, c, d);
}

/* A leading provider carries part of the effort at its own cost, and the
 * joint work builds trust and contextual knowledge (MODEL.md 4.1, 4.4). */
static double provider_lead(qm_sim *sim, int c, const qm_development *d)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    const qm_contract *k = qm_state_main_contract(sim, c, d->service);
    if (!k)
        return 0.0;
    double fte = P->develop.provider_share * P->develop.monthly_need;
    qm_rel *rel = qm_state_rel(sim, c, k->provider, 1);
    qm_trust_collaborate(rel, P->trust.collaboration);
    cm->X = qm_knowledge_interpersonal(P, cm->X, qm_state_rel_mean(rel), sim->prov[k->provider].sharing);
    /* As for the commissioner, specification and procurement are ex ante
     * transaction costs; the rest is development work. */
    if (d->stage == QM_STAGE_SPECIFY || d->stage == QM_STAGE_PROCURE)
        cm->t.tc_provider_development += fte * P->cost.provider_salary;
    return fte;
}

/* MODEL.md 4.5 (v2): once the lag has passed, the benefit turns out to be
 * a quality gain or a unit-cost cut of an uncertain size; it is settled
 * serially (qm_develop_publish), since a cost cut changes a provider. */
static void realise(qm_sim *sim, int c, qm_development *d)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    if (d->realised || sim->month < d->launch + P->develop.benefit_lag)
        return;
    d->cost_benefit = qm_develop_benefit_is_cost(P, gsl_rng_uniform(cm->rng));
    d->benefit = qm_develop_benefit_size(P, d->cost_benefit, qm_draw_gaussian(cm->rng, 1.0));
    d->realised = 1;
    cm->benefit_new = d->benefit;
    cm->benefit_service_new = d->service;
}

void qm_develop_step(qm_sim *sim, int c)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    double m = P->develop.absence_mean, k = P->develop.absence_concentration;
    double absent = m > 0.0 ? gsl_ran_beta(cm->rng, m * k, (1.0 - m) * k) : 0.0;
    /* Contracting work that did not fit is done by development staff. */
    double pool = cm->dev_staff * (1.0 - absent) - cm->t.staff_shortfall;
    int r = redesign_engagement(cm);
    if (r >= 0)
        pool += cm->eng[r].delivered;
    cm->dev_free = pool > 0.0 ? pool : 0.0;
    cm->benefit_new = 0.0;
    cm->benefit_service_new = -1;
    int n = count_in_progress(cm);
    double each = n > 0 ? cm->dev_free / n : 0.0;
    if (each > P->develop.monthly_need)
        each = P->develop.monthly_need;
    for (int i = 0; i < cm->n_dev; i++) {
        qm_development *d = &cm->dev[i];
        if (!d->active)
            continue;
        if (d->stage == QM_STAGE_RUNNING) {
            realise(sim, c, d);
            continue;
        }
        /* A leading provider carries part of the effort: the commissioner's
         * staff do the rest, and the pace stays bounded by the need. */
        double extra = d->lead == 1 ? provider_lead(sim, c, d) : 0.0;
        double own = each + extra > P->develop.monthly_need ? P->develop.monthly_need - extra : each;
        advance(sim, c, d, own, extra);
    }
    maybe_start(sim, c);
}

/* A realised benefit lands on every contract c holds for the service. */
static void settle(qm_sim *sim, int c, const qm_development *d)
{
    for (int o = c; o >= 0; o = qm_state_next_slot(sim, o)) {
        qm_contract *k = QM_CON(sim, o, d->service);
        if (!d->cost_benefit) {
            k->bonus += d->benefit; /* whoever delivers it */
            continue;
        }
        if (!k->active)
            continue;
        /* The redesigned service costs less to deliver and is bought for
         * less: the saving is proportionate to what is spent on it. */
        size_t ps = QM_PS(sim, k->provider, d->service);
        sim->unit_cost[ps] *= qm_develop_provider_cost_factor(d->benefit, k->volume, sim->held[ps]);
        k->price *= 1.0 - d->benefit;
    }
}

void qm_develop_publish(qm_sim *sim, int c)
{
    qm_commissioner *cm = &sim->comm[c];
    for (int i = 0; i < cm->n_dev; i++) {
        qm_development *d = &cm->dev[i];
        if (!d->active || !d->realised)
            continue;
        settle(sim, c, d);
        d->active = 0;
    }
    /* Neighbours see realised benefits, failures too (MODEL.md 4.5 v2). */
    if (cm->benefit_service_new >= 0) {
        cm->benefit_seen = cm->benefit_new;
        cm->benefit_service = cm->benefit_service_new;
    }
}
