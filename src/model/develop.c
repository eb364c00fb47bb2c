/* develop.c: effort, capacity, stalling and starting of service
 * developments (MODEL.md 4.5). */
#include "model/develop.h"

#include <math.h>

#include "qmsim/draw.h"

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
