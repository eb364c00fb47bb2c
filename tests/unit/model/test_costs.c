/* test_costs.c: MODEL.md 4.2, transaction costs (src/model/costs.c): the
 * month's contracting time, the tenders' monthly charge, the monitoring
 * cost. */
#include "fixture.h"
#include "model/costs.h"

START_TEST(take_time)
{
    qm_commissioner cm = {0};
    cm.con_free = 1.0;
    /* 0.4 fits: 0.6 left */
    ck_assert_int_eq(qm_costs_take_time(&cm, 0.4), 1);
    ck_assert_double_eq_tol(cm.con_free, 0.6, EPS);
    ck_assert_double_eq_tol(cm.t.contracting_used, 0.4, EPS);
    /* 0.7 does not: nothing is taken, the work waits as a shortfall */
    ck_assert_int_eq(qm_costs_take_time(&cm, 0.7), 0);
    ck_assert_double_eq_tol(cm.con_free, 0.6, EPS);
    ck_assert_double_eq_tol(cm.t.staff_shortfall, 0.7, EPS);
    /* Exactly what is left fits, rounding aside. */
    ck_assert_int_eq(qm_costs_take_time(&cm, 0.6 + 1e-13), 1);
    ck_assert_double_eq_tol(cm.con_free, 0.0, 1e-12);
}
END_TEST

START_TEST(spend_time)
{
    qm_commissioner cm = {0};
    cm.con_free = 0.5;
    /* Committed work of 0.8: 0.5 from the free time, 0.3 short */
    qm_costs_spend_time(&cm, 0.8);
    ck_assert_double_eq_tol(cm.con_free, 0.0, EPS);
    ck_assert_double_eq_tol(cm.t.contracting_used, 0.5, EPS);
    ck_assert_double_eq_tol(cm.t.staff_shortfall, 0.3, EPS);
}
END_TEST

START_TEST(monitoring_cost)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
    p.monitor.cost = 0.1;
    p.monitor.trust_discount = 0.5;
    /* 0.1 x 0.5 x (1 - 0.5 x 0.8) = 0.03 for a block contract */
    ck_assert_double_eq_tol(qm_costs_monitoring(&p, QM_PAY_BLOCK, 0.5, 0.8), 0.03, EPS);
    p.monitor.pay_factor[QM_PAY_ACTIVITY] = 1.5;
    p.monitor.pay_factor[QM_PAY_OUTCOME] = 2.0;
    ck_assert_double_eq_tol(qm_costs_monitoring(&p, QM_PAY_ACTIVITY, 0.5, 0.8), 0.045, EPS);
    ck_assert_double_eq_tol(qm_costs_monitoring(&p, QM_PAY_OUTCOME, 0.5, 0.8), 0.06, EPS);
    /* A tender costs 6 FTE-months over 9 months by default. */
    qm_params_defaults(qm_param_table, &p);
    ck_assert_double_eq_tol(qm_costs_tender_month(&p), 6.0 / 9.0, EPS);
}
END_TEST

/* At month 10, three tenders: one started this month (its first month was
 * charged when it started), one running (ends at 14), one completing (ends
 * at 10).  Only the running one is charged: 6/9 FTE-month, 3,333.33 GBP. */
START_TEST(charge_tenders)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    sim->month = 10;
    qm_commissioner *cm = &sim->comm[0];
    cm->con_free = 2.0;
    cm->used_R = 0;
    QM_CON(sim, 0, 0)->tender_end = 14;
    QM_CON(sim, 0, 1)->tender_end = 10;
    QM_CON(sim, 1, 0)->tender_end = 19; /* another commissioner's: not charged */
    qm_costs_charge_tenders(sim, 0);
    ck_assert_double_eq_tol(cm->tender_load, 6.0 / 9.0, EPS);
    ck_assert_double_eq_tol(cm->con_free, 2.0 - 6.0 / 9.0, EPS);
    ck_assert_double_eq_tol(cm->t.tc_tender, 6.0 / 9.0 * 5000.0, 1e-6);
    ck_assert_int_eq(cm->used_R, 1);
    /* A tender that started this month is not charged again. */
    QM_CON(sim, 0, 0)->tender_end = 19;
    cm->t.tc_tender = 0.0;
    qm_costs_charge_tenders(sim, 0);
    ck_assert_double_eq_tol(cm->tender_load, 0.0, EPS);
    ck_assert_double_eq_tol(cm->t.tc_tender, 0.0, EPS);
    /* A running tender is charged even when the time is gone. */
    QM_CON(sim, 0, 0)->tender_end = 12;
    cm->con_free = 0.25;
    qm_costs_charge_tenders(sim, 0);
    ck_assert_double_eq_tol(cm->con_free, 0.0, EPS);
    ck_assert_double_eq_tol(cm->t.staff_shortfall, 6.0 / 9.0 - 0.25, EPS);
    fx_close(f);
}
END_TEST

static void add(TCase *tc)
{
    tcase_add_test(tc, take_time);
    tcase_add_test(tc, spend_time);
    tcase_add_test(tc, monitoring_cost);
    tcase_add_test(tc, charge_tenders);
}

int main(void)
{
    return fx_run("costs", add);
}
