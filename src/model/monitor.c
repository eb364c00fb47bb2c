/* monitor.c: MODEL.md 3.3, monitoring: what commissioners can see of
 * quality and activity.  A month's monitoring of a contract, with the
 * evidence it gives to trust (MODEL.md 4.1), is inline in monitor.h (the
 * engine runs it for every contract); what it costs is in costs.c
 * (MODEL.md 4.2). */
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

double qm_monitor_reported_share(const qm_params *p, double info)
{
    return 1.0 - p->monitor.undercount_max * (1.0 - info);
}

