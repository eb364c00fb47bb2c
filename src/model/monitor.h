/* monitor.h: monitoring (MODEL.md 3.3): information quality, the noise of
 * the quality signal, the share of activity reported, and one month's
 * monitoring of a contract. */
#ifndef QM_MODEL_MONITOR_H
#define QM_MODEL_MONITOR_H

#include "qmsim/params.h"
#include "qmsim/state.h"

/* I_c = d_c (info_base + info_analytic A_eff).  Pure. */
double qm_monitor_info(const qm_params *p, double data, double A_eff);

/* sigma = sigma0 (1 - info_cut I_c)(1 - monitoring_cut M_k).  Pure. */
double qm_monitor_sigma(const qm_params *p, double info, double M);

/* Share of delivered activity that is reported: 1 - umax (1 - I).  Pure. */
double qm_monitor_reported_share(const qm_params *p, double info);

/* One month of monitoring of c's contract for s (in force): the activity
 * reported; when the monitoring time fits (MODEL.md 4.2), a quality signal
 * y = q + N(0, sigma^2) that moves the perceived quality, and the trust
 * evidence it gives (MODEL.md 4.1).  Draws from c's stream; changes only
 * commissioner c. */
void qm_monitor_contract(qm_sim *sim, int c, int s);

#endif
