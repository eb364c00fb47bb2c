/* conduit.c: how knowledge moves from agencies to commissioners, and how
 * commissioners choose and judge agencies (MODEL.md 4.4). */
#include "model/conduit.h"

#include <math.h>

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

double qm_conduit_utility(const qm_params *p, double T, double S, double fee,
                          double fit, int host, double push)
{
    return p->engage.w_trust * T + p->engage.w_skill * S -
           p->engage.w_fee * fee / p->engage.reference_fee + p->engage.w_fit * fit +
           (host ? p->engage.w_host : 0.0) + p->engage.w_push * push;
}

double qm_conduit_docking(const qm_params *p, double achieved, double period_fee)
{
    return achieved < p->engage.fail_share ? p->engage.dock * period_fee : 0.0;
}
