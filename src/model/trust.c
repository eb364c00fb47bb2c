/* trust.c: Beta-reputation trust (MODEL.md 4.1, Josang and Ismail 2002). */
#include "model/trust.h"

#include <math.h>
#include <gsl/gsl_cdf.h>

void qm_trust_update(qm_rel *r, double z, double n, double g, double lambda)
{
    double phi = gsl_cdf_ugaussian_P(z);
    r->alpha = lambda * r->alpha + g * phi * n;
    r->beta = lambda * r->beta + g * (1.0 - phi) * n;
}

void qm_trust_collaborate(qm_rel *r, double amount)
{
    r->alpha += amount;
}

void qm_trust_penalise(qm_rel *r, double amount)
{
    r->beta += amount;
}

void qm_trust_rupture(qm_rel *r, double rupture)
{
    r->alpha *= 1.0 - rupture;
    r->beta *= 1.0 - rupture;
}

/* Sum of g lambda^i for i < age: what age months of updates accumulate. */
void qm_trust_history(qm_rel *r, double age, double phi, double g, double lambda)
{
    double acc = lambda < 1.0 ? g * (1.0 - pow(lambda, age)) / (1.0 - lambda) : g * age;
    r->alpha = acc * phi;
    r->beta = acc * (1.0 - phi);
}
