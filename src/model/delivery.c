/* delivery.c: payment by type (MODEL.md 2 Contract, 3.2). */
#include "model/delivery.h"

double qm_delivery_payment(const qm_params *p, int payment, double price, double volume,
                           double delivered, double qhat)
{
    switch (payment) {
    case QM_PAY_ACTIVITY:
        return price * delivered;
    case QM_PAY_OUTCOME: {
        double e = p->monitor.expectation;
        double r = e > 0.0 ? qhat / e : p->contract.outcome_cap;
        if (r > p->contract.outcome_cap)
            r = p->contract.outcome_cap;
        if (r < 0.0)
            r = 0.0;
        double base = p->contract.outcome_base_share;
        return price * volume * (base + (1.0 - base) * r);
    }
    default:
        return price * volume;
    }
}
