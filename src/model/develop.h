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

/* MODEL.md 4.5 (v2): whether a benefit is a unit-cost cut (a uniform
 * draw u below cost_share) rather than a quality gain.  Pure. */
int qm_develop_benefit_is_cost(const qm_params *p, double u);

/* MODEL.md 4.5 (v2): the size of a benefit from a standard normal draw z:
 * cost_cut + cost_cut_sd z for a unit-cost cut, quality_gain +
 * quality_gain_sd z for a quality gain; nil or negative when the redesign
 * failed.  A cut is at most 1 (the whole cost).  Pure. */
double qm_develop_benefit_size(const qm_params *p, int cost, double z);

/* MODEL.md 4.5 (v2): the factor on a provider's unit cost for a service
 * when a cut of share cut applies to the volume of one contract among
 * held under contract with it: 1 - cut min(1, volume / held), so that its
 * cost of delivering falls by cut on that contract's activity.  1 when it
 * holds nothing.  Pure. */
double qm_develop_provider_cost_factor(double cut, double volume, double held);

/* Starts a development of service s for commissioner c (by directive when
 * directive is nonzero): efforts drawn per stage, a trusted incumbent or a
 * redesign agency may lead, and it may replace the old contract once
 * running.  Returns its slot, or -1 when all slots are taken.  Draws from
 * c's stream; changes only c. */
int qm_develop_begin(qm_sim *sim, int c, int s, int directive);

/* A month of commissioner c's developments: staff absence, the time left
 * after contracting work that did not fit, a redesign engagement's FTE,
 * spread evenly over the developments in progress; each advances, stalls
 * or is abandoned, or launches; a running one whose lag has passed draws
 * its benefit (kind and size, MODEL.md 4.5 v2), settled by
 * qm_develop_publish; then perhaps a new one starts.  Draws from c's
 * stream; changes only c. */
void qm_develop_step(qm_sim *sim, int c);

/* Settles the benefits c's developments drew this month, serially in id
 * order: a quality gain raises the realised quality of every contract c
 * holds for the service, whoever delivers it; a unit-cost cut lowers
 * their prices and each provider's unit cost for the service in
 * proportion to the contract's part of its volume (a provider others buy
 * from too: hence serial).  Then the development ends, and the benefit,
 * whatever its sign, is what c's neighbours see when they think of
 * copying it (MODEL.md 4.4 copy, adapt and paste; they read it next
 * month, whatever the threads). */
void qm_develop_publish(qm_sim *sim, int c);

#endif
