/* delivery.h: what a contract pays (MODEL.md 3.2).  Pure; cannot fail. */
#ifndef QMSIM_DELIVERY_H
#define QMSIM_DELIVERY_H

#include "qmsim/params.h"

/* Payment for one month: block pays price x expected volume; activity pays
 * price x delivered; outcome pays a base share of the block value plus the
 * rest scaled by perceived over expected quality (capped). */
double qm_delivery_payment(const qm_params *p, int payment, double price, double volume,
                           double delivered, double qhat);

#endif
