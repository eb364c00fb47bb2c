/* develop.h: service developments (MODEL.md 4.5): their start, effort,
 * staffing, stalls, launch and benefits. */
#ifndef QM_MODEL_DEVELOP_H
#define QM_MODEL_DEVELOP_H

#include "qmsim/params.h"
#include "qmsim/state.h"

/* Effort of a stage: log-normal with the stage's mean and effort_cv, from a
 * standard normal draw z.  Pure. */
double qm_develop_effort(const qm_params *p, int stage, double z);

/* Developments a commissioner's staff allow at once:
 * min(max_slots, floor(dev_staff / fte_each)).  Pure. */
int qm_develop_slots(const qm_params *p, double dev_staff);

/* Whether a development given alloc FTE this month stalls: below
 * min_share of its monthly need.  Pure. */
int qm_develop_stalls(const qm_params *p, double alloc);

/* Probability of starting a development of a service this month, from the
 * perceived gap and a neighbour's realised benefit on it (copying).
 * Pure. */
double qm_develop_start_prob(const qm_params *p, double gap, double neighbour_benefit);

/* Starts a development of service s for commissioner c (by directive when
 * directive is nonzero): efforts drawn per stage, a trusted incumbent or a
 * redesign agency may lead, and it may replace the old contract once
 * running.  Returns its slot, or -1 when all slots are taken.  Draws from
 * c's stream; changes only c. */
int qm_develop_begin(qm_sim *sim, int c, int s, int directive);

/* A month of commissioner c's developments: staff absence, the time left
 * after contracting work that did not fit, a redesign engagement's FTE,
 * spread evenly over the developments in progress; each advances, stalls
 * or is abandoned, launches or realises its benefit; then perhaps a new
 * one starts.  Draws from c's stream; changes only c. */
void qm_develop_step(qm_sim *sim, int c);

/* Publishes the benefit c realised this month to its neighbours (MODEL.md
 * 4.4 copy, adapt and paste), so that next month they read what every
 * commissioner saw this month whatever the threads.  Serial. */
void qm_develop_publish(qm_sim *sim, int c);

#endif
