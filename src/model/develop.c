/* develop.c: effort, capacity, stalling and starting of service
 * developments (MODEL.md 4.5). */
#include "qmsim/develop.h"

#include <math.h>

double qm_develop_effort(const qm_params *p, int stage, double z)
{
    double m = p->develop.effort[stage], cv = p->develop.effort_cv;
    double s2 = log1p(cv * cv);
    return exp(log(m) - 0.5 * s2 + sqrt(s2) * z);
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
