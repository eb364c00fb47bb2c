/* develop.h: service developments (MODEL.md 4.5).  Pure functions; none
 * can fail. */
#ifndef QMSIM_DEVELOP_H
#define QMSIM_DEVELOP_H

#include "qmsim/params.h"

/* Effort of a stage: log-normal with the stage's mean and effort_cv, from a
 * standard normal draw z. */
double qm_develop_effort(const qm_params *p, int stage, double z);

/* Developments a commissioner's staff allow at once:
 * min(max_slots, floor(dev_staff / fte_each)). */
int qm_develop_slots(const qm_params *p, double dev_staff);

/* Whether a development given alloc FTE this month stalls. */
int qm_develop_stalls(const qm_params *p, double alloc);

/* Probability of starting a development of a service this month, from the
 * perceived gap and a neighbour's realised benefit on it (copying). */
double qm_develop_start_prob(const qm_params *p, double gap, double neighbour_benefit);

#endif
