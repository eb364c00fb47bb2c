/* monitor.h: information quality and monitoring (MODEL.md 3.3, 4.2).
 * Pure functions; none can fail. */
#ifndef QMSIM_MONITOR_H
#define QMSIM_MONITOR_H

#include "qmsim/params.h"

/* I_c = d_c (info_base + info_analytic A_eff), in [0,1]. */
double qm_monitor_info(const qm_params *p, double data, double A_eff);

/* sigma = sigma0 (1 - info_cut I_c)(1 - monitoring_cut M_k). */
double qm_monitor_sigma(const qm_params *p, double info, double M);

/* Staff time of one contract-month of monitoring, FTE-months:
 * cost M (1 - trust_discount T) x the payment type's factor (block 1). */
double qm_monitor_cost(const qm_params *p, int payment, double M, double T);

/* Share of delivered activity that is reported: 1 - umax (1 - I). */
double qm_monitor_reported_share(const qm_params *p, double info);

#endif
