/* knowledge.h: commissioner knowledge stocks (MODEL.md 4.4): decay and
 * turnover, the interpersonal conduit, and the month's effective
 * capability, dependency and information quality. */
#ifndef QM_MODEL_KNOWLEDGE_H
#define QM_MODEL_KNOWLEDGE_H

#include "qmsim/params.h"
#include "qmsim/state.h"

/* One month of decay and turnover: K (1 - delta), delta = decay_used when
 * used else decay_idle; then leavers (staff_turnover) are replaced by
 * hires who bring hire_level.  Pure. */
double qm_knowledge_decay(const qm_params *p, double K, int used);

/* MODEL.md 4.4 (v2): deskilling is proportional to the share outsourced.
 * One month of decay and turnover where the share `idle` in [0,1] of the
 * work is done by others: delta = idle decay_idle + (1 - idle) decay_used;
 * idle 0 and 1 give qm_knowledge_decay used and unused.  Pure. */
double qm_knowledge_decay_share(const qm_params *p, double K, double idle);

/* Interpersonal conduit: X + eta_rel T w (1 - X).  Pure. */
double qm_knowledge_interpersonal(const qm_params *p, double X, double T, double w);

/* The month's decay and turnover of commissioner c's stocks (the share
 * of its analytic work that outside staff did idles, the rest is used,
 * MODEL.md 4.4 v2; unused analytic knowledge idles whole), the product's
 * tool forgotten when unused, and from them the effective analytic
 * capability, the dependency index and information quality.  Runs after
 * qm_conduit_learn.  Changes only commissioner c. */
void qm_knowledge_update(qm_sim *sim, int c);

#endif
