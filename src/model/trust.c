/* trust.c: MODEL.md 4.1, trust as a Beta reputation (Josang and Ismail
 * 2002): monthly evidence weighed against the expectation and forgotten
 * at lambda, collaboration, penalties, a reorganisation's rupture, and
 * the evidence of a relationship's age at the start (MODEL.md 5).  The
 * relationship's prior and mean T are the state's (core/state.c), which
 * looks relationships up and creates them at the prior. */
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
