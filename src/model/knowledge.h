/* knowledge.h: commissioner knowledge stocks (MODEL.md 4.4, the part of
 * the core model: decay, turnover and the interpersonal conduit).  Pure
 * functions; none can fail. */
#ifndef QMSIM_KNOWLEDGE_H
#define QMSIM_KNOWLEDGE_H

#include "qmsim/params.h"

/* One month of decay and turnover: K (1 - delta), delta = decay_used when
 * used else decay_idle; then leavers (staff_turnover) are replaced by
 * hires who bring hire_level. */
double qm_knowledge_decay(const qm_params *p, double K, int used);

/* Interpersonal conduit: X + eta_rel T w (1 - X). */
double qm_knowledge_interpersonal(const qm_params *p, double X, double T, double w);

#endif
