/* costs.h: transaction costs (MODEL.md 4.2): the staff time every
 * activity takes from the month's contracting time, the tenders' monthly
 * charge, and the cost formulas. */
#ifndef QM_MODEL_COSTS_H
#define QM_MODEL_COSTS_H

#include "qmsim/state.h"

/* Takes fte FTE-months from the commissioner's free contracting time this
 * month and returns 1; when it does not fit, takes nothing, records it as
 * a staff shortfall (work that waits) and returns 0.  Changes only cm. */
int qm_costs_take_time(qm_commissioner *cm, double fte);

/* Spends fte of committed work whether it fits or not: what fits comes
 * from the free time, the rest is recorded as a shortfall.  Changes only
 * cm. */
void qm_costs_spend_time(qm_commissioner *cm, double fte);

/* The commissioner's staff time of one month of a running tender:
 * cost.tender spread over cost.tender_duration months. */
double qm_costs_tender_month(const qm_params *p);

/* Staff time of one contract-month of monitoring, FTE-months:
 * cost M (1 - trust_discount T) x the payment type's factor (block 1). */
double qm_costs_monitoring(const qm_params *p, int payment, double M, double T);

/* Charges commissioner c this month's share of each tender it is running
 * (months after the start month and before completion), spent whether it
 * fits or not; sets its tender_load.  Changes only commissioner c. */
void qm_costs_charge_tenders(qm_sim *sim, int c);

#endif
