/* test_monitor.c: MODEL.md 3.3, monitoring (src/model/monitor.c): what
 * a commissioner sees of quality and activity, and what a month of
 * monitoring does to its record and its trust (MODEL.md 4.1). */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "fixture.h"
#include "model/monitor.h"

START_TEST(noise_information_reporting)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
    p.monitor.sigma0 = 0.15;
    p.monitor.info_noise_cut = p.monitor.monitoring_noise_cut = 0.5;
    p.monitor.info_base = 0.4;
    p.monitor.info_analytic = 0.6;
    p.monitor.undercount_max = 0.1;
    ck_assert_double_eq_tol(qm_monitor_sigma(&p, 0.5, 0.4), 0.15 * 0.75 * 0.8, EPS);
    ck_assert_double_eq_tol(qm_monitor_info(&p, 0.5, 0.5), 0.35, EPS);
    ck_assert_double_eq_tol(qm_monitor_reported_share(&p, 0.35), 0.935, EPS);
    /* Better information and monitoring never make the signal noisier. */
    ck_assert(qm_monitor_sigma(&p, 1.0, 1.0) < qm_monitor_sigma(&p, 0.0, 0.0));
}
END_TEST

/* C1 monitors its acute contract (block, M 0.5) at month 6 with no prior
 * record of Acute: trust is the prior 0.7, so the time is
 * 0.1 x 0.5 x (1 - 0.5 x 0.7) = 0.0325 FTE-month (162.50 GBP).  With
 * I = 0.5, 95 % of the 100 units delivered are reported; the signal's
 * sd is 0.15 x 0.75 x 0.75 = 0.084375; the record moves a fifth of the
 * way to the signal; the evidence is Phi((y - 0.6) / sd) x 0.5. */
START_TEST(a_month_of_monitoring)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    sim->month = 6;
    fx_forget(sim);
    qm_commissioner *cm = &sim->comm[0];
    cm->info = 0.5;
    cm->con_free = 2.0;
    cm->used_A = 0;
    qm_contract *k = QM_CON(sim, 0, 0);
    k->delivered = 100.0;
    k->quality = 0.72;
    k->qhat = 0.65;
    double sd = 0.084375;
    gsl_rng *same = gsl_rng_clone(cm->rng);
    double y = 0.72 + qm_draw_gaussian(same, sd);
    gsl_rng_free(same);
    qm_monitor_contract(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_int_eq(k->monitored, 1);
    ck_assert_double_eq_tol(cm->con_free, 2.0 - 0.0325, EPS);
    ck_assert_double_eq_tol(cm->t.tc_monitoring, 162.5, 1e-9);
    ck_assert_int_eq(cm->used_A, 1);
    ck_assert_double_eq_tol(k->qhat, 0.65 + 0.2 * (y - 0.65), EPS);
    const qm_rel *r = qm_state_rel(sim, 0, 0, 0);
    ck_assert_ptr_nonnull(r);
    double phi = gsl_cdf_ugaussian_P((y - 0.6) / sd);
    ck_assert_double_eq_tol(r->alpha, 0.5 * phi, EPS);
    ck_assert_double_eq_tol(r->beta, 0.5 * (1.0 - phi), EPS);
    ck_assert_int_eq(r->last_contact, 6);
    fx_close(f);
}
END_TEST

/* Monitoring that does not fit the staff's time is not done: no signal,
 * no evidence, and the time is a shortfall; activity is still reported. */
START_TEST(monitoring_that_does_not_fit)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    fx_forget(sim);
    qm_commissioner *cm = &sim->comm[0];
    cm->info = 0.5;
    cm->con_free = 0.01;
    cm->used_A = 0;
    qm_contract *k = QM_CON(sim, 0, 0);
    k->delivered = 100.0;
    k->qhat = 0.65;
    qm_monitor_contract(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_int_eq(k->monitored, 0);
    ck_assert_double_eq_tol(k->qhat, 0.65, EPS);
    ck_assert_double_eq_tol(cm->t.staff_shortfall, 0.0325, EPS);
    ck_assert_double_eq_tol(cm->t.tc_monitoring, 0.0, EPS);
    ck_assert_int_eq(cm->used_A, 0);
    const qm_rel *r = qm_state_rel(sim, 0, 0, 0);
    ck_assert_double_eq_tol(r->alpha + r->beta, 0.0, EPS);
    fx_close(f);
}
END_TEST

/* MODEL.md 2, 3.3 (v2): the benchmark, the gap and the coding drift,
 * against hand-computed values. */
START_TEST(benchmark_gap_and_coding)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
    p.monitor.aspiration = 0.02;
    p.delivery.coding_drift = 0.08;
    p.monitor.undercount_max = 0.1;
    /* e = (1 - 0.4) 0.70 + 0.4 0.80 + 0.02 = 0.76 */
    ck_assert_double_eq_tol(qm_monitor_expected(&p, 0.4, 0.70, 0.80), 0.76, EPS);
    /* no rating yet: own view plus the margin */
    ck_assert_double_eq_tol(qm_monitor_expected(&p, 0.4, 0.70, 0.0), 0.72, EPS);
    /* a provider above its peers shows a negative gap */
    ck_assert_double_eq_tol(qm_monitor_expected(&p, 1.0, 0.85, 0.75) - 0.85, -0.08, EPS);
    /* gap = (0.76 - 0.70) + (1100 / 1000 - 1) = 0.16 */
    ck_assert_double_eq_tol(qm_monitor_gap(0.76, 0.70, 1100, 1000), 0.16, EPS);
    ck_assert_double_eq_tol(qm_monitor_gap(0.76, 0.70, 1100, 0), 0.06, EPS);
    /* drift 0.08 (1 - 0.5)(1 - 0.25) = 0.03; shrinks with I and M */
    ck_assert_double_eq_tol(qm_monitor_coding_drift(&p, 0.5, 0.25), 0.03, EPS);
    ck_assert(qm_monitor_coding_drift(&p, 0.8, 0.25) < qm_monitor_coding_drift(&p, 0.5, 0.25));
    ck_assert(qm_monitor_coding_drift(&p, 0.5, 0.5) < qm_monitor_coding_drift(&p, 0.5, 0.25));
    ck_assert_double_eq_tol(qm_monitor_reported_factor(&p, QM_PAY_ACTIVITY, 0.5, 0.25), 1.03, EPS);
    ck_assert_double_eq_tol(qm_monitor_reported_factor(&p, QM_PAY_BLOCK, 0.5, 0.25), 0.95, EPS);
    ck_assert_double_eq_tol(qm_monitor_reported_factor(&p, QM_PAY_OUTCOME, 0.5, 0.25), 0.95, EPS);
}
END_TEST

/* MODEL.md 3.2 (v2): a service's rating is the quality delivered,
 * weighted by activity, over the month's invoices: acute (0.8 x 300 +
 * 0.5 x 100) / 400 = 0.725; C2's slot bills no one and counts for
 * nothing; community, with nothing delivered, keeps its last rating; a
 * range of services leaves the others alone. */
START_TEST(service_ratings)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    qm_invoice *a1 = QM_INVOICE(sim, 0, 0), *a2 = QM_INVOICE(sim, 1, 0);
    qm_invoice *c1 = QM_INVOICE(sim, 0, 1), *c2 = QM_INVOICE(sim, 1, 1);
    *a1 = (qm_invoice){.provider = 0, .delivered = 300.0, .quality = 0.8};
    *a2 = (qm_invoice){.provider = 2, .delivered = 100.0, .quality = 0.5};
    *c1 = (qm_invoice){.provider = 1, .delivered = 0.0, .quality = 0.9};
    *c2 = (qm_invoice){.provider = -1, .delivered = 50.0, .quality = 0.1};
    sim->svc_rating[0] = sim->svc_rating[1] = 0.6;
    qm_monitor_publish(sim, 1, 2);
    ck_assert_double_eq_tol(sim->svc_rating[0], 0.6, EPS);
    ck_assert_double_eq_tol(sim->svc_rating[1], 0.6, EPS);
    qm_monitor_publish(sim, 0, 2);
    ck_assert_double_eq_tol(sim->svc_rating[0], 0.725, EPS);
    ck_assert_double_eq_tol(sim->svc_rating[1], 0.6, EPS);
    fx_close(f);
}
END_TEST

static void add(TCase *tc)
{
    tcase_add_test(tc, noise_information_reporting);
    tcase_add_test(tc, a_month_of_monitoring);
    tcase_add_test(tc, monitoring_that_does_not_fit);
    tcase_add_test(tc, benchmark_gap_and_coding);
    tcase_add_test(tc, service_ratings);
}

int main(void)
{
    return fx_run("monitor", add);
}
