/* init.c: MODEL.md 5, initialisation: the commissioners, providers and
 * agencies drawn from the scenario's distributions (each entity from its
 * own stream), the provider set-up entrants share, each commissioner's
 * host CSU, and the initial contracts: one per service with the nearest
 * NHS provider by default, staggered expiries, and trust evidence for
 * relationships that pre-date the market. */
#include "model/init.h"

#include <stdio.h>
#include <gsl/gsl_cdf.h>

#include "qmsim/draw.h"
#include "qmsim/rng.h"
#include "core/state.h"
#include "core/walk.h"
#include "model/monitor.h"
#include "model/trust.h"

static int is_nhs(int kind)
{
    return kind == QM_PK_NHS_ACUTE || kind == QM_PK_NHS_COMMUNITY || kind == QM_PK_NHS_MENTAL;
}

static double draw_field(const qm_param_def *tab, const char *name, const void *group,
                         gsl_rng *r, int index)
{
    const qm_param_def *d = qm_params_find(tab, name);
    const qm_dist *dist = (const qm_dist *)((const char *)group + d->offset);
    return qm_draw(dist, r, index, d->min, d->max);
}

static void entity_name(char *dst, const char *prefix, int n_names,
                        const char (*names)[QM_NAME_MAX], int i)
{
    if (i < n_names)
        snprintf(dst, QM_NAME_MAX, "%s", names[i]);
    else
        snprintf(dst, QM_NAME_MAX, "%.*s %d", QM_NAME_MAX - 14, prefix, (i + 1) % 1000000000);
}

void qm_init_commissioners(qm_sim *sim)
{
    const qm_scenario *sc = sim->sc;
    int c = 0;
    gsl_rng *r = gsl_rng_alloc(qm_rng_type(sim->sc->generator));
    for (int g = 0; g < sc->n_cgroups; g++) {
        const qm_commissioner_group *G = &sc->cgroups[g];
        for (int i = 0; i < G->count; i++, c++) {
            qm_commissioner *cm = &sim->comm[c];
            qm_rng_reseed(r, sim->seed, sim->replicate, QM_STREAM_INIT_COMMISSIONER, (uint64_t)c);
            entity_name(cm->name, G->prefix, G->n_names, (const char (*)[QM_NAME_MAX])G->names, i);
            cm->group = g;
            cm->population = draw_field(qm_cgroup_fields, "population", G, r, i);
            cm->budget = cm->population * draw_field(qm_cgroup_fields, "budget_per_capita", G, r, i);
            cm->dev_staff = draw_field(qm_cgroup_fields, "development_staff", G, r, i);
            cm->con_staff = draw_field(qm_cgroup_fields, "contracting_staff", G, r, i);
            cm->A = draw_field(qm_cgroup_fields, "analytic", G, r, i);
            cm->X = draw_field(qm_cgroup_fields, "contextual", G, r, i);
            cm->R = draw_field(qm_cgroup_fields, "procurement", G, r, i);
            cm->data = draw_field(qm_cgroup_fields, "data_infrastructure", G, r, i);
            cm->market = draw_field(qm_cgroup_fields, "market_orientation", G, r, i);
            cm->risk = draw_field(qm_cgroup_fields, "risk_aversion", G, r, i);
            cm->receptivity = draw_field(qm_cgroup_fields, "receptivity", G, r, i);
            cm->A_eff = cm->A;
            cm->info = qm_monitor_info(&sim->p, cm->data, cm->A_eff);
            cm->position = (double)c / sim->n_commissioners;
            cm->active = 1;
            cm->host = -1;
            cm->request_agency = -1;
            cm->benefit_service = cm->benefit_service_new = -1;
            cm->split_at = -1;
            for (int k = 0; k < sim->p.trust.max_relationships; k++)
                cm->rel[k].provider = cm->rel_id[k] = -1;
        }
    }
    gsl_rng_free(r);
}

void qm_init_provider(qm_sim *sim, int p, const qm_provider_group *G, int i,
                      gsl_rng *r, double position)
{
    qm_provider *pr = &sim->prov[p];
    int S = sim->n_services;
    entity_name(pr->name, G->prefix, G->n_names, (const char (*)[QM_NAME_MAX])G->names, i);
    pr->kind = G->kind;
    pr->active = 1;
    pr->position = position;
    pr->markup = draw_field(qm_pgroup_fields, "markup", G, r, i);
    pr->optimism = draw_field(qm_pgroup_fields, "optimism", G, r, i);
    pr->sharing = draw_field(qm_pgroup_fields, "sharing", G, r, i);
    for (int j = 0; j < (G->n_services ? G->n_services : S); j++) {
        int s = G->n_services ? G->services[j] : j;
        const qm_service_spec *sv = &sim->sc->services[s];
        size_t ps = QM_PS(sim, p, s);
        double pos = draw_field(qm_pgroup_fields, "cost_position", G, r, i);
        sim->offers[ps] = 1;
        sim->capacity[ps] = draw_field(qm_pgroup_fields, "capacity", G, r, i);
        sim->quality[ps] = sim->quality0[ps] = draw_field(qm_pgroup_fields, "quality", G, r, i);
        sim->unit_cost[ps] = sv->tariff * (sv->cost_min + pos * (sv->cost_max - sv->cost_min));
    }
}

void qm_init_providers(qm_sim *sim)
{
    const qm_scenario *sc = sim->sc;
    int p = 0;
    gsl_rng *r = gsl_rng_alloc(qm_rng_type(sim->sc->generator));
    for (int g = 0; g < sc->n_pgroups; g++) {
        const qm_provider_group *G = &sc->pgroups[g];
        for (int i = 0; i < G->count; i++, p++) {
            qm_rng_reseed(r, sim->seed, sim->replicate, QM_STREAM_INIT_PROVIDER, (uint64_t)p);
            qm_init_provider(sim, p, G, i, r, (i + 0.5) / G->count);
            sim->prov[p].group = g;
            sim->prov[p].entry_month = -1;
        }
    }
    sim->n_providers = p;
    gsl_rng_free(r);
}

/* The initial incumbent of service s for commissioner c (MODEL.md 5): the
 * nearest NHS provider offering it, else the nearest provider, or one
 * chosen at random among those offering it. */
static int initial_provider(const qm_sim *sim, int c, int s, gsl_rng *r)
{
    int n = sim->svc_n[s];
    if (n == 0)
        return -1;
    if (sim->p.contract.initial_rule == QM_INIT_RANDOM)
        return sim->svc_prov[(size_t)s * sim->max_providers + gsl_rng_uniform_int(r, (unsigned long)n)];
    qm_walk w;
    qm_walk_start(sim, &w, s, sim->comm[c].position);
    w.limit = n; /* the whole list: the nearest NHS provider may be far */
    int first = -1, p;
    while ((p = qm_walk_next(&w)) >= 0) {
        if (first < 0)
            first = p;
        if (is_nhs(sim->prov[p].kind))
            return p;
    }
    return first;
}

static void init_contract(qm_sim *sim, int c, int s, int p, gsl_rng *r)
{
    const qm_params *P = &sim->p;
    const qm_service_spec *sv = &sim->sc->services[s];
    qm_commissioner *cm = &sim->comm[c];
    qm_contract *k = QM_CON(sim, c, s);
    size_t ps = QM_PS(sim, p, s);
    double age = P->contract.age_min + (P->contract.age_max - P->contract.age_min) * gsl_rng_uniform(r);
    int window = 12 * P->contract.stagger_years;

    k->active = 1;
    k->provider = p;
    k->rel_hint = -1;
    k->payment = P->policy.payment_type > 0 ? P->policy.payment_type - 1 : sv->payment;
    k->expiry = (int)gsl_rng_uniform_int(r, (unsigned long)window);
    k->start = k->expiry - P->contract.term;
    k->incumbent_since = -(int)age;
    k->tender_end = k->last_tender = k->dip_until = -1;
    k->price = sv->tariff * P->contract.initial_price_ratio;
    k->volume = sv->demand * cm->population / 1000.0;
    k->monitoring = P->contract.monitoring;
    k->qhat = sim->quality[ps];
    sim->held[ps] += k->volume;

    /* Relationships pre-date the market: evidence as if monitored for
     * their whole age at today's quality (MODEL.md 5). */
    qm_rel *rel = qm_state_rel(sim, c, p, 1);
    double sigma = qm_monitor_sigma(P, cm->info, k->monitoring);
    double phi = gsl_cdf_ugaussian_P((sim->quality[ps] - P->monitor.expectation) / sigma);
    qm_trust_history(rel, age, phi, P->trust.evidence_weight, P->trust.forgetting);
    rel->last_contact = -1;
}

int qm_init_contracts(qm_sim *sim, char *err, size_t errlen)
{
    int S = sim->n_services;
    gsl_rng *r = gsl_rng_alloc(qm_rng_type(sim->sc->generator));
    for (int c = 0; c < sim->n_commissioners; c++)
        for (int s = 0; s < S; s++) {
            qm_rng_reseed(r, sim->seed, sim->replicate, QM_STREAM_INIT_CONTRACT,
                          (uint64_t)c * S + s);
            int p = initial_provider(sim, c, s, r);
            if (p < 0) {
                snprintf(err, errlen, "no provider offers service '%s'", sim->sc->services[s].name);
                gsl_rng_free(r);
                return -1;
            }
            init_contract(sim, c, s, p, r);
        }
    gsl_rng_free(r);
    /* Incumbents are sized to what they already deliver. */
    double h = sim->p.contract.incumbent_headroom;
    for (size_t ps = 0; ps < (size_t)sim->n_providers * S; ps++)
        if (sim->capacity[ps] < h * sim->held[ps])
            sim->capacity[ps] = h * sim->held[ps];
    for (int p = 0; p < sim->n_providers; p++)
        for (int s = 0; s < S; s++)
            qm_walk_refresh(sim, p, s);
    return 0;
}

/* The CSU nearest to a position on the circle, -1 when there is none. */
static int nearest_csu(const qm_sim *sim, double position)
{
    int best = -1;
    double bestd = 2.0;
    for (int a = 0; a < sim->n_agencies; a++) {
        if (sim->agency[a].kind != QM_AK_CSU)
            continue;
        double d = qm_walk_distance(position, sim->agency[a].position);
        if (d < bestd)
            bestd = d, best = a;
    }
    return best;
}

/* Agencies, and each commissioner's host CSU: the nearest one (MODEL.md 2). */
void qm_init_agencies(qm_sim *sim)
{
    const qm_scenario *sc = sim->sc;
    int a = 0;
    gsl_rng *r = gsl_rng_alloc(qm_rng_type(sim->sc->generator));
    for (int g = 0; g < sc->n_agroups; g++) {
        const qm_agency_group *G = &sc->agroups[g];
        for (int i = 0; i < G->count; i++, a++) {
            qm_agency *ag = &sim->agency[a];
            qm_rng_reseed(r, sim->seed, sim->replicate, QM_STREAM_INIT_AGENCY, (uint64_t)a);
            entity_name(ag->name, G->prefix, G->n_names, (const char (*)[QM_NAME_MAX])G->names, i);
            ag->kind = G->kind;
            ag->group = g;
            ag->conduit = G->conduit;
            ag->position = (i + 0.5) / G->count;
            ag->capacity = draw_field(qm_agroup_fields, "capacity", G, r, i);
            ag->skill = draw_field(qm_agroup_fields, "skill", G, r, i);
            ag->fit = draw_field(qm_agroup_fields, "context_fit", G, r, i);
            ag->fee = draw_field(qm_agroup_fields, "fee", G, r, i);
            ag->transfer = draw_field(qm_agroup_fields, "transfer", G, r, i);
            ag->turnover = draw_field(qm_agroup_fields, "turnover", G, r, i);
            ag->push = draw_field(qm_agroup_fields, "push", G, r, i);
        }
    }
    gsl_rng_free(r);
    for (int c = 0; c < sim->n_commissioners; c++)
        sim->comm[c].host = nearest_csu(sim, sim->comm[c].position);
}
