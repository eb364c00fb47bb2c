/* conduit.c: MODEL.md 4.4, knowledge conduits: how knowledge moves from
 * agencies to commissioners (placement, product, advisory), how much a
 * commissioner absorbs, and the capability it borrows while an engagement
 * runs. */
#include "model/conduit.h"

#include <math.h>

#include "core/state.h"

double qm_conduit_absorb(const qm_params *p, double K)
{
    return p->knowledge.absorb_base + p->knowledge.absorb_slope * K;
}

double qm_conduit_distance(const qm_params *p, double D)
{
    double x = D / p->knowledge.distance_peak;
    return x * exp(1.0 - x);
}

static double eta_of(const qm_params *p, int conduit)
{
    switch (conduit) {
    case QM_CONDUIT_PRODUCT: return p->knowledge.eta_product;
    case QM_CONDUIT_ADVISORY: return p->knowledge.eta_advisory;
    default: return p->knowledge.eta_placement;
    }
}

double qm_conduit_transfer(const qm_params *p, int conduit, double K, double S,
                           double theta, double fit, double T)
{
    double gap = S - K;
    if (gap <= 0.0)
        return 0.0;
    return eta_of(p, conduit) * qm_conduit_absorb(p, K) * qm_conduit_distance(p, gap) * theta *
           fit * pow(T, p->knowledge.trust_exponent) * gap;
}

double qm_conduit_borrowed(const qm_params *p, double fte, double S, double fit)
{
    double coverage = fte / p->engage.coverage_fte;
    return (coverage < 1.0 ? coverage : 1.0) * S * fit;
}

double qm_conduit_dependency(double own, double effective)
{
    if (effective <= 0.0 || own >= effective)
        return 0.0;
    return (effective - own) / effective;
}

static int analytic_purpose(int purpose)
{
    return purpose == QM_PURPOSE_ANALYTICS || purpose == QM_PURPOSE_OUTSOURCED ||
           purpose == QM_PURPOSE_REDESIGN;
}

/* People placement, product deployment and advice (MODEL.md 4.4): the
 * engagement's purpose says which stock it feeds. */
static void transfer(qm_sim *sim, qm_commissioner *cm, int c, const qm_engagement *e)
{
    const qm_params *P = &sim->p;
    const qm_agency *ag = &sim->agency[e->agency];
    double T = qm_state_trust(sim, c, qm_state_agency_partner(sim, e->agency));
    double theta = e->clause ? 1.0 : ag->transfer;
    if (analytic_purpose(e->purpose))
        cm->A += qm_conduit_transfer(P, e->conduit, cm->A, ag->skill, theta, e->context, T);
    if (e->purpose == QM_PURPOSE_PROCUREMENT || e->purpose == QM_PURPOSE_OUTSOURCED)
        cm->R += qm_conduit_transfer(P, e->conduit, cm->R, ag->skill, theta, e->context, T);
}

void qm_conduit_learn(qm_sim *sim, int c)
{
    const qm_params *P = &sim->p;
    qm_commissioner *cm = &sim->comm[c];
    double lent = 0.0, outside = 0.0;
    for (int i = 0; i < cm->n_eng; i++) {
        const qm_engagement *e = &cm->eng[i];
        if (!e->active)
            continue;
        transfer(sim, cm, c, e);
        if (!analytic_purpose(e->purpose))
            continue;
        outside += e->delivered;
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
    cm->outsourced = qm_conduit_outsourced(P, outside);
}

double qm_conduit_outsourced(const qm_params *p, double fte)
{
    double share = fte / p->engage.coverage_fte;
    return share < 1.0 ? share : 1.0;
}
