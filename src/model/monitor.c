/* monitor.c: what commissioners can see of quality and activity
 * (MODEL.md 3.3) and what seeing it costs (MODEL.md 4.2). */
#include "model/monitor.h"

double qm_monitor_info(const qm_params *p, double data, double A_eff)
{
    return data * (p->monitor.info_base + p->monitor.info_analytic * A_eff);
}

double qm_monitor_sigma(const qm_params *p, double info, double M)
{
    return p->monitor.sigma0 * (1.0 - p->monitor.info_noise_cut * info) *
           (1.0 - p->monitor.monitoring_noise_cut * M);
}

double qm_monitor_cost(const qm_params *p, int payment, double M, double T)
{
    double factor = payment == QM_PAY_BLOCK ? 1.0 : p->monitor.pay_factor[payment];
    return p->monitor.cost * M * (1.0 - p->monitor.trust_discount * T) * factor;
}

double qm_monitor_reported_share(const qm_params *p, double info)
{
    return 1.0 - p->monitor.undercount_max * (1.0 - info);
}
