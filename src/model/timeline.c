/* timeline.c: MODEL.md 6, timeline events, applied at the start of their
 * month, serially: reorganisation (staff lost with their share of
 * relationships, provider leads and developments, knowledge lost, data
 * flows stopped and rebuilt; mergers and splits of commissioners),
 * externalisation of analysts into CSUs, policy changes, directives,
 * priority shifts and demand shocks. */
#include "model/timeline.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/state.h"
#include "core/walk.h"
#include "model/develop.h"
#include "model/engagements.h"
#include "model/trust.h"

/* ---- reorganisation ---- */

double qm_timeline_history_kept(double staff_loss, double rupture)
{
    return (1.0 - staff_loss) * (1.0 - rupture);
}

/* MODEL.md 6 (v2): a reorganisation works through people (P5).  The
 * staff who leave take with them their share of every relationship's
 * history (trust they held returns to the stranger's prior), of the
 * arrangements by which providers lead developments and of the
 * developments they owned, whose unrecorded work on the current stage is
 * lost; data flows stop and are rebuilt over months.  Two draws for every
 * development in progress, whatever the losses, so that scenarios that
 * differ only in them keep their random streams in step. */
static void reorganise(qm_sim *sim, int c, const qm_timeline_event *ev)
{
    qm_commissioner *cm = &sim->comm[c];
    double L = ev->staff_loss;
    cm->dev_staff *= 1.0 - L;
    cm->con_staff *= 1.0 - L;
    cm->A *= 1.0 - ev->knowledge_loss;
    cm->X *= 1.0 - ev->knowledge_loss;
    cm->R *= 1.0 - ev->knowledge_loss;
    double kept = qm_timeline_history_kept(L, ev->rupture);
    for (int i = 0; i < cm->n_rel; i++)
        qm_trust_rupture(&cm->rel[i], 1.0 - kept);
    for (int i = 0; i < cm->n_dev; i++) {
        qm_development *d = &cm->dev[i];
        if (!d->active || d->stage >= QM_STAGE_RUNNING)
            continue;
        double lead_left = gsl_rng_uniform(cm->rng), owner_left = gsl_rng_uniform(cm->rng);
        if (d->lead == 1 && lead_left < L)
            d->lead = 0; /* the commissioner now carries all of it */
        if (owner_left < L)
            d->done *= 1.0 - ev->setback;
    }
    if (ev->data_months > 0) {
        cm->rebuild_from = sim->month;
        cm->rebuild_months = ev->data_months;
    }
    qm_state_event(sim, c, QM_EV_REORGANISATION, -1, -1, -1, L);
}

/* Relationship evidence of a body absorbed in a merger: the larger record
 * of each partner survives. */
static void merge_relationships(qm_sim *sim, int into, const qm_commissioner *from)
{
    for (int i = 0; i < from->n_rel; i++) {
        const qm_rel *r = &from->rel[i];
        qm_rel *mine = qm_state_rel(sim, into, r->provider, 0);
        if (!mine)
            *qm_state_rel(sim, into, r->provider, 1) = *r;
        else if (r->alpha + r->beta > mine->alpha + mine->beta)
            *mine = *r;
    }
}

/* Multiplies the demand share of every contract slot in c's chain by w. */
static void scale_shares(qm_sim *sim, int c, double w)
{
    for (int o = c; o >= 0; o = qm_state_next_slot(sim, o))
        for (int s = 0; s < sim->n_services; s++)
            QM_SHARE(sim, QM_CON(sim, o, s)) *= w;
}

/* MODEL.md 6 (v2): a merger keeps every contract of the merged bodies,
 * with its provider, terms, volume and any tender in progress; the merged
 * body holds them all (several per service) and consolidates later, by
 * decisions at expiry (qm_contracts_consolidate).  Each contract becomes
 * the share of the merged body's demand that its population brought, so
 * every contract's expected demand, the providers' held volumes and
 * therefore each service's concentration are what they were. */
static void merge_contracts(qm_sim *sim, int into, int from, double pa, double pb)
{
    scale_shares(sim, into, pa / (pa + pb));
    scale_shares(sim, from, pb / (pa + pb));
    int last = into;
    while (sim->comm[last].chain >= 0)
        last = sim->comm[last].chain;
    sim->comm[last].chain = from;
    for (int o = from; o >= 0; o = qm_state_next_slot(sim, o))
        sim->comm[o].holder = into;
}

static double weighted(double x, double wx, double y, double wy)
{
    return (x * wx + y * wy) / (wx + wy);
}

static void absorb(qm_sim *sim, int into, int from)
{
    qm_commissioner *a = &sim->comm[into], *b = &sim->comm[from];
    double pa = a->population, pb = b->population;
    a->A = weighted(a->A, pa, b->A, pb);
    a->X = weighted(a->X, pa, b->X, pb);
    a->R = weighted(a->R, pa, b->R, pb);
    a->data = weighted(a->data, pa, b->data, pb);
    a->population += pb;
    a->budget += b->budget;
    a->dev_staff += b->dev_staff;
    a->con_staff += b->con_staff;
    merge_contracts(sim, into, from, pa, pb);
    merge_relationships(sim, into, b);
    for (int i = 0; i < b->n_eng; i++)
        if (b->eng[i].active)
            qm_engagements_end(sim, from, i);
    /* Developments move across while there is room; the rest are dropped. */
    int j = 0;
    for (int i = 0; i < b->n_dev; i++) {
        if (!b->dev[i].active)
            continue;
        while (j < sim->p.develop.max_slots && a->dev[j].active)
            j++;
        if (j < sim->p.develop.max_slots) {
            a->dev[j] = b->dev[i];
            if (j >= a->n_dev)
                a->n_dev = j + 1;
        } else {
            a->t.dev_abandoned++;
            qm_state_event(sim, into, QM_EV_DEVELOPMENT_ABANDON, b->dev[i].service, -1, -1, 0.0);
        }
        b->dev[i].active = 0;
    }
    b->active = 0;
    qm_state_event(sim, into, QM_EV_MERGE, -1, -1, from, pb);
}

static void merge_all(qm_sim *sim, int size)
{
    int into = -1, members = 0;
    for (int c = 0; c < sim->n_commissioners; c++) {
        if (!sim->comm[c].active)
            continue;
        if (members == 0 || members == size) {
            into = c;
            members = 1;
            continue;
        }
        absorb(sim, into, c);
        members++;
    }
}

/* MODEL.md 3.3 (v2): a contract that gives half its volume to a split's
 * new body plans on half the demand it planned on (its volume until a
 * term has set a plan), and half its reported demand; the provider's
 * costs still owed stay with it. */
static void halve_plan(qm_sim *sim, qm_contract *k)
{
    qm_contract_x *x = QM_CONX(sim, k);
    x->plan = (x->plan > 0.0 ? x->plan : k->volume) / 2;
    x->seen /= 2;
}

/* The new body d of a split of c, which holds contracts of an earlier
 * merger, gets for each service a copy of c's main contract with half of
 * the volume c holds for the service; each of c's contracts keeps half of
 * its own, and the providers' held volumes follow. */
static void split_chain(qm_sim *sim, int c, int d)
{
    for (int s = 0; s < sim->n_services; s++) {
        qm_contract *m = qm_state_main_contract(sim, c, s), *n = QM_CON(sim, d, s);
        if (!m) {
            n->active = 0;
            continue;
        }
        double total = 0.0, plan = 0.0, seen = 0.0;
        for (int o = c; o >= 0; o = qm_state_next_slot(sim, o)) {
            qm_contract *k = QM_CON(sim, o, s);
            if (!k->active)
                continue;
            sim->held[QM_PS(sim, k->provider, s)] -= k->volume / 2;
            qm_walk_refresh(sim, k->provider, s);
            total += k->volume / 2;
            halve_plan(sim, k);
            plan += QM_CONX(sim, k)->plan;
            seen += QM_CONX(sim, k)->seen;
            k->volume /= 2;
        }
        *n = *m;
        n->volume = total;
        qm_contract_x *xn = QM_CONX(sim, n);
        *xn = *QM_CONX(sim, m);
        xn->plan = plan, xn->seen = seen, xn->owed = 0.0;
        n->rel_hint = -1;
        sim->held[QM_PS(sim, n->provider, s)] += total;
        qm_walk_refresh(sim, n->provider, s);
    }
}

/* Splits commissioner c in two: the new body takes half the population,
 * staff and budget, and half of every contract's volume with the same
 * provider and terms; both keep the knowledge and the relationships, each
 * with half of every relationship's evidence. */
static void split(qm_sim *sim, int c)
{
    if (sim->n_commissioners >= sim->max_commissioners)
        return;
    int d = sim->n_commissioners++;
    qm_commissioner *a = &sim->comm[c], *b = &sim->comm[d];
    gsl_rng *rng = b->rng;
    qm_rel *rel = b->rel;
    int32_t *rel_id = b->rel_id;
    qm_event *events = b->events;
    qm_engagement *eng = b->eng;
    qm_development *dev = b->dev;
    *b = *a;
    b->rng = rng, b->rel = rel, b->rel_id = rel_id, b->events = events, b->eng = eng, b->dev = dev;
    b->holder = d, b->chain = -1;
    b->n_events = 0;
    b->n_eng = b->n_dev = 0;
    memcpy(b->rel, a->rel, (size_t)a->n_rel * sizeof(qm_rel));
    memcpy(b->rel_id, a->rel_id, (size_t)a->n_rel * sizeof(int32_t));
    /* MODEL.md 6 (v2): the staff who move to the new body take their half
     * of each relationship's history; each body keeps what its people
     * hold. */
    for (int i = 0; i < a->n_rel; i++) {
        qm_trust_rupture(&a->rel[i], 0.5);
        qm_trust_rupture(&b->rel[i], 0.5);
    }
    char base[QM_NAME_MAX];
    memcpy(base, a->name, sizeof base);
    snprintf(b->name, QM_NAME_MAX, "%.*s (split)", QM_NAME_MAX - 9, base);
    a->population /= 2, b->population = a->population;
    a->budget /= 2, b->budget = a->budget;
    a->dev_staff /= 2, b->dev_staff = a->dev_staff;
    a->con_staff /= 2, b->con_staff = a->con_staff;
    if (a->chain >= 0)
        split_chain(sim, c, d);
    else
        for (int s = 0; s < sim->n_services; s++) {
            qm_contract *k = QM_CON(sim, c, s), *n = QM_CON(sim, d, s);
            *n = *k;
            halve_plan(sim, k);
            *QM_CONX(sim, n) = *QM_CONX(sim, k);
            QM_CONX(sim, n)->owed = 0.0;
            k->volume /= 2;
            n->volume = k->volume;
        }
    qm_state_event(sim, c, QM_EV_SPLIT, -1, -1, d, b->population);
}

static void split_share(qm_sim *sim, double share)
{
    int active = 0;
    for (int c = 0; c < sim->n_commissioners; c++)
        active += sim->comm[c].active;
    int todo = (int)ceil(share * active), n0 = sim->n_commissioners;
    /* Largest populations first; ties to the lower id. */
    for (int done = 0; done < todo; done++) {
        int best = -1;
        for (int c = 0; c < n0; c++)
            if (sim->comm[c].active && sim->comm[c].split_at != sim->month &&
                (best < 0 || sim->comm[c].population > sim->comm[best].population))
                best = c;
        if (best < 0)
            break;
        sim->comm[best].split_at = sim->month;
        split(sim, best);
    }
}

static void reorganisation(qm_sim *sim, const qm_timeline_event *ev)
{
    for (int c = 0; c < sim->n_commissioners; c++)
        if (sim->comm[c].active)
            reorganise(sim, c, ev);
    if (ev->merge > 1)
        merge_all(sim, ev->merge);
    if (ev->split_share > 0.0)
        split_share(sim, ev->split_share);
    sim->month_reorganisations++;
}

/* ---- the other events ---- */

/* Analysts move into the host CSU, which then serves the commissioner
 * under an analytics engagement (MODEL.md 6). */
static void externalise(qm_sim *sim, const qm_timeline_event *ev)
{
    const qm_params *P = &sim->p;
    for (int c = 0; c < sim->n_commissioners; c++) {
        qm_commissioner *cm = &sim->comm[c];
        if (!cm->active)
            continue;
        double fte = ev->share * P->engage.coverage_fte;
        cm->A *= 1.0 - ev->share;
        qm_state_event(sim, c, QM_EV_EXTERNALISE, -1, -1, cm->host, fte);
        if (cm->host < 0 || fte <= 0.0)
            continue;
        sim->agency[cm->host].capacity += fte;
        qm_engagements_book(sim, c, cm->host, QM_PURPOSE_ANALYTICS, fte, P->policy.transfer_clause);
    }
}

static void set_policy(qm_sim *sim, const qm_timeline_event *ev)
{
    const qm_param_def *d = qm_params_find(qm_param_table, ev->key);
    if (!d)
        return; /* the reader refuses unknown keys */
    void *f = (char *)&sim->p + d->offset;
    if (d->type == QM_T_DOUBLE)
        *(double *)f = ev->value;
    else
        *(int *)f = (int)ev->value;
    qm_state_event(sim, -1, QM_EV_POLICY, -1, -1, (int)(ev - sim->sc->timeline), ev->value);
}

static void directive(qm_sim *sim, const qm_timeline_event *ev)
{
    int active = 0, told = 0;
    for (int c = 0; c < sim->n_commissioners; c++)
        active += sim->comm[c].active;
    int todo = (int)ceil(ev->share * active);
    for (int c = 0; c < sim->n_commissioners && told < todo; c++) {
        if (!sim->comm[c].active)
            continue;
        told++;
        for (int s = 0; s < sim->n_services; s++)
            if (ev->service < 0 || s == ev->service)
                qm_develop_begin(sim, c, s, 1);
        qm_state_event(sim, c, QM_EV_DIRECTIVE, ev->service, -1, -1, 0.0);
    }
}

static void priority_shift(qm_sim *sim, const qm_timeline_event *ev)
{
    for (int c = 0; c < sim->n_commissioners; c++) {
        qm_commissioner *cm = &sim->comm[c];
        for (int i = 0; i < cm->n_eng; i++)
            if (cm->eng[i].active)
                cm->eng[i].clarity *= 1.0 - ev->clarity_loss;
    }
    qm_state_event(sim, -1, QM_EV_PRIORITY_SHIFT, -1, -1, -1, ev->clarity_loss);
}

static void demand_shock(qm_sim *sim, const qm_timeline_event *ev)
{
    for (int s = 0; s < sim->n_services; s++)
        if (ev->service < 0 || s == ev->service)
            sim->demand_factor[s] *= ev->factor;
    qm_state_event(sim, -1, QM_EV_DEMAND_SHOCK, ev->service, -1, -1, ev->factor);
}

void qm_timeline_apply(qm_sim *sim)
{
    const qm_scenario *sc = sim->sc;
    while (sim->next_timeline < sc->n_timeline && sc->timeline[sim->next_timeline].month <= sim->month) {
        const qm_timeline_event *ev = &sc->timeline[sim->next_timeline++];
        if (ev->month < sim->month)
            continue;
        switch (ev->type) {
        case QM_TL_REORGANISATION: reorganisation(sim, ev); break;
        case QM_TL_EXTERNALISE: externalise(sim, ev); break;
        case QM_TL_POLICY: set_policy(sim, ev); break;
        case QM_TL_DIRECTIVE: directive(sim, ev); break;
        case QM_TL_PRIORITY_SHIFT: priority_shift(sim, ev); break;
        case QM_TL_DEMAND_SHOCK: demand_shock(sim, ev); break;
        default: break;
        }
    }
}
