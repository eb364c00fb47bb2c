/* state.c: the plumbing of the model state (MODEL.md 2): relationships
 * and their look-up, and the month's events. */
#include "core/state.h"

void qm_state_rel_init(qm_rel *r, int32_t partner, double prior_mean, double strength)
{
    r->provider = partner;
    r->last_contact = -1;
    r->alpha = r->beta = 0.0;
    r->a0 = prior_mean * strength;
    r->b0 = (1.0 - prior_mean) * strength;
}

double qm_state_rel_mean(const qm_rel *r)
{
    return (r->alpha + r->a0) / (r->alpha + r->beta + r->a0 + r->b0);
}

/* The place of the relationship with partner p in the commissioner's
 * list, -1 when there is none. */
static int rel_index(const qm_commissioner *cm, int p)
{
    for (int i = 0; i < cm->n_rel; i++)
        if (cm->rel_id[i] == p)
            return i;
    return -1;
}

double qm_state_prior(const qm_sim *sim, int partner)
{
    if (partner >= sim->max_providers)
        return sim->p.trust.agency_prior[sim->agency[partner - sim->max_providers].kind];
    return sim->p.trust.prior[sim->prov[partner].kind];
}

double qm_state_trust(const qm_sim *sim, int c, int p)
{
    const qm_commissioner *cm = &sim->comm[c];
    int i = rel_index(cm, p);
    return i >= 0 ? qm_state_rel_mean(&cm->rel[i]) : qm_state_prior(sim, p);
}

qm_rel *qm_state_rel(qm_sim *sim, int c, int p, int create)
{
    qm_commissioner *cm = &sim->comm[c];
    int i = rel_index(cm, p);
    if (i >= 0)
        return &cm->rel[i];
    if (!create)
        return NULL;
    int slot = cm->n_rel;
    if (slot == sim->p.trust.max_relationships) {
        /* Forget the least recently active relationship (lowest id on ties). */
        slot = 0;
        for (int j = 1; j < cm->n_rel; j++)
            if (cm->rel[j].last_contact < cm->rel[slot].last_contact)
                slot = j;
    } else {
        cm->n_rel++;
    }
    qm_state_rel_init(&cm->rel[slot], p, qm_state_prior(sim, p), sim->p.trust.prior_strength);
    cm->rel_id[slot] = p;
    cm->rel[slot].last_contact = sim->month;
    return &cm->rel[slot];
}

/* The place of the relationship with p when the hint names it, else -1. */
static int hinted(const qm_commissioner *cm, int hint, int p)
{
    return hint >= 0 && hint < cm->n_rel && cm->rel_id[hint] == p ? hint : -1;
}

qm_rel *qm_state_incumbent_rel(qm_sim *sim, int c, qm_contract *k, int create)
{
    qm_commissioner *cm = &sim->comm[c];
    int i = hinted(cm, k->rel_hint, k->provider);
    if (i >= 0)
        return &cm->rel[i];
    qm_rel *r = qm_state_rel(sim, c, k->provider, create);
    if (r)
        k->rel_hint = (int)(r - cm->rel);
    return r;
}

double qm_state_incumbent_trust(const qm_sim *sim, int c, qm_contract *k)
{
    const qm_commissioner *cm = &sim->comm[c];
    int i = hinted(cm, k->rel_hint, k->provider);
    if (i < 0 && (i = rel_index(cm, k->provider)) < 0)
        return qm_state_prior(sim, k->provider);
    k->rel_hint = i;
    return qm_state_rel_mean(&cm->rel[i]);
}

void qm_state_event(qm_sim *sim, int c, int type, int s, int p, int other, double value)
{
    qm_event *e;
    if (c >= 0) {
        qm_commissioner *cm = &sim->comm[c];
        if (cm->n_events >= sim->cap_events) {
            cm->events_dropped++;
            return;
        }
        e = &cm->events[cm->n_events++];
    } else {
        if (sim->n_market_events >= sim->cap_market_events)
            return;
        e = &sim->market_events[sim->n_market_events++];
    }
    e->month = sim->month;
    e->type = type;
    e->commissioner = c;
    e->service = s;
    e->provider = p;
    e->other = other;
    e->value = value;
}

qm_contract *qm_state_main_contract(const qm_sim *sim, int c, int s)
{
    qm_contract *best = NULL;
    for (int o = c; o >= 0; o = qm_state_next_slot(sim, o)) {
        qm_contract *k = QM_CON(sim, o, s);
        if (k->active && (!best || QM_SHARE(sim, k) > QM_SHARE(sim, best)))
            best = k;
    }
    return best;
}
