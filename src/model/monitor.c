/* monitor.c: MODEL.md 3.3, monitoring: what commissioners can see of
 * quality and activity.  A month's monitoring of a contract, with the
 * evidence it gives to trust (MODEL.md 4.1), is inline in monitor.h (the
 * engine runs it for every contract); what it costs is in costs.c
 * (MODEL.md 4.2). */
#include "model/monitor.h"

#include "core/state.h"

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


/* MODEL.md 2, 3.3 (v2): the benchmark mixes the commissioner's own view of
 * the providers it knows for the service with the published rating, the
 * rating weighted by information quality; an unknown rating (nothing yet
 * published) leaves the own view. */
double qm_monitor_expected(const qm_params *p, double info, double qhat, double rating)
{
    double bench = rating > 0.0 ? (1.0 - info) * qhat + info * rating : qhat;
    return bench + p->monitor.aspiration;
}

double qm_monitor_gap(double expected, double qhat, double price, double reference)
{
    return (expected - qhat) + (reference > 0.0 ? price / reference - 1.0 : 0.0);
}

double qm_monitor_reference(const qm_sim *sim, const qm_contract *k)
{
    const qm_service_spec *sv = &sim->sc->services[qm_state_service(sim, k)];
    if (sv->tariffed)
        return sv->tariff;
    double ref = QM_CONX(sim, k)->ref_price;
    return ref > 0.0 ? ref : k->price;
}

double qm_monitor_contract_expected(const qm_sim *sim, int c, const qm_contract *k)
{
    return qm_monitor_expected(&sim->p, sim->comm[c].info, k->qhat,
                               sim->svc_rating[qm_state_service(sim, k)]);
}

double qm_monitor_contract_gap(const qm_sim *sim, int c, const qm_contract *k)
{
    return qm_monitor_gap(qm_monitor_contract_expected(sim, c, k), k->qhat, k->price,
                          qm_monitor_reference(sim, k));
}

double qm_monitor_coding_drift(const qm_params *p, double info, double M)
{
    return p->delivery.coding_drift * (1.0 - info) * (1.0 - M);
}

double qm_monitor_reported_factor(const qm_params *p, int payment, double info, double M)
{
    if (payment == QM_PAY_ACTIVITY)
        return 1.0 + qm_monitor_coding_drift(p, info, M);
    return qm_monitor_reported_share(p, info);
}

/* MODEL.md 2 (v2): published ratings are last month's quality delivered
 * in each service, weighted by activity; a service with no activity keeps
 * its last rating.  Each service's sum runs in contract order. */
void qm_monitor_publish(qm_sim *sim, int lo, int hi)
{
    int C = sim->n_commissioners;
    for (int s = lo; s < hi; s++) {
        double q = 0.0, a = 0.0;
        /* Every slot's contract: a merged body's contracts stay in the
         * slots of the bodies it absorbed (MODEL.md 6, v2). */
        for (int o = 0; o < C; o++) {
            const qm_invoice *v = QM_INVOICE(sim, o, s);
            if (v->provider < 0)
                continue;
            q += v->quality * v->delivered;
            a += v->delivered;
        }
        if (a > 0.0)
            sim->svc_rating[s] = q / a;
    }
}
