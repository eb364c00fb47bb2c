/* test_delivery.c: MODEL.md 3.2, delivery (src/model/delivery.c): demand,
 * capacity rationing, realised quality, payment by type, and the money
 * that reaches providers. */
#include <gsl/gsl_randist.h>

#include "fixture.h"
#include "model/delivery.h"

enum { ACUTE = 0, COMMUNITY = 1, FIRM = 2 };

START_TEST(payments)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
    p.contract.outcome_base_share = 0.8;
    p.contract.outcome_cap = 1.2;
    p.monitor.expectation = 0.6;
    ck_assert_double_eq_tol(qm_delivery_payment(&p, QM_PAY_BLOCK, 100, 10, 12, 0.5), 1000, EPS);
    ck_assert_double_eq_tol(qm_delivery_payment(&p, QM_PAY_ACTIVITY, 100, 10, 12, 0.5), 1200, EPS);
    ck_assert_double_eq_tol(qm_delivery_payment(&p, QM_PAY_OUTCOME, 100, 10, 12, 0.66), 1020, EPS);
    ck_assert_double_eq_tol(qm_delivery_payment(&p, QM_PAY_OUTCOME, 100, 10, 12, 0.99), 1040, EPS);
}
END_TEST

/* C1 (100,000 people): acute demand Poisson(2 x 1.5 x 100) under a
 * demand shock of 1.5, community Poisson(10 x 100), drawn in that order
 * from C1's stream.  Demand without a contract is unmet. */
START_TEST(demand)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    sim->demand_factor[0] = 1.5;
    QM_CON(sim, 0, 1)->active = 0;
    gsl_rng *same = gsl_rng_clone(cm->rng);
    double acute = qm_draw_poisson(same, 300.0);
    double community = qm_draw_poisson(same, 1000.0);
    gsl_rng_free(same);
    qm_delivery_demand(sim, 0);
    ck_assert_double_eq(QM_CON(sim, 0, 0)->demand, acute);
    ck_assert_double_eq(QM_CON(sim, 0, 1)->demand, community);
    ck_assert_double_eq_tol(cm->t.unmet, community, EPS);
    /* The invoices name the provider asked and what is asked; the slot
     * without a contract in force asks no one. */
    ck_assert_int_eq(QM_INVOICE(sim, 0, 0)->provider, QM_CON(sim, 0, 0)->provider);
    ck_assert_double_eq(QM_INVOICE(sim, 0, 0)->demand, acute);
    ck_assert_int_eq(QM_INVOICE(sim, 0, 1)->provider, -1);
    fx_close(f);
}
END_TEST

/* Acute is asked for 240 + 960 = 1,200 acute units against a capacity of
 * 1,000: each contract gets 1,000 / 1,200 of its demand, C1's 200.
 * Without noise, realised quality is 0.7 + the bonus 0.05 - the switching
 * dip 0.05 while it lasts.  A block contract pays price x volume =
 * 1,000 x 200; the provider's delivery cost is 200 x 900. */
START_TEST(rationing_and_payment)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    sim->month = 3;
    sim->p.delivery.quality_noise_sd = 0.0;
    qm_commissioner *cm = &sim->comm[0];
    qm_contract *k = QM_CON(sim, 0, 0);
    k->demand = 240.0;
    QM_CON(sim, 1, 0)->demand = 960.0;
    k->bonus = 0.05;
    k->dip_until = 4;
    k->payment = QM_PAY_BLOCK;
    /* What the demand draw wrote on the two contracts' invoices. */
    for (int c = 0; c < 2; c++) {
        QM_INVOICE(sim, c, 0)->provider = QM_CON(sim, c, 0)->provider;
        QM_INVOICE(sim, c, 0)->demand = QM_CON(sim, c, 0)->demand;
    }
    qm_delivery_route(sim, QM_INVOICE(sim, 0, 0), 0);
    qm_delivery_route(sim, QM_INVOICE(sim, 1, 0), 0);
    ck_assert_double_eq_tol(sim->ps_demand[QM_PS(sim, ACUTE, 0)], 1200.0, EPS);
    QM_CONX(sim, k)->owed = 123.0; /* the provider's costs of an earlier month */
    qm_delivery_deliver(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_double_eq_tol(k->delivered, 200.0, EPS);
    ck_assert_double_eq_tol(k->quality, 0.7, EPS);
    ck_assert_double_eq_tol(k->paid, 200000.0, EPS);
    ck_assert_double_eq_tol(cm->t.spend, 200000.0, EPS);
    ck_assert_double_eq_tol(cm->t.activity, 200.0, EPS);
    ck_assert_double_eq_tol(cm->t.unmet, 40.0, EPS);
    ck_assert_double_eq_tol(cm->t.quality_sum, 0.7 * 200.0, EPS);
    /* The invoice carries the month's money and what the provider was
     * owed (block payment adds no coding cost); the contract owes nothing
     * once it is written. */
    const qm_invoice *v = QM_INVOICE_OF(sim, k);
    ck_assert_int_eq(v->provider, ACUTE);
    ck_assert_double_eq_tol(v->paid, 200000.0, EPS);
    ck_assert_double_eq_tol(v->cost, 200.0 * 900.0, 1e-6);
    ck_assert_double_eq_tol(v->delivered, 200.0, EPS);
    ck_assert_double_eq_tol(v->owed, 123.0, EPS);
    ck_assert_double_eq_tol(QM_CONX(sim, k)->owed, 0.0, EPS);
    qm_delivery_pay(sim, v);
    const qm_provider *pr = &sim->prov[ACUTE];
    ck_assert_double_eq_tol(pr->revenue, 200000.0, EPS);
    ck_assert_double_eq_tol(pr->delivery_cost, 200.0 * 900.0, 1e-6);
    ck_assert_double_eq_tol(pr->activity, 200.0, EPS);
    ck_assert_double_eq_tol(pr->bid_cost, 123.0, EPS);
    /* Activity payment pays what was reported (here, without coding drift,
     * what was delivered), once the dip is over. */
    sim->month = 4;
    sim->p.delivery.coding_drift = 0.0;
    k->payment = QM_PAY_ACTIVITY;
    k->price = 950.0;
    qm_delivery_deliver(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_double_eq_tol(k->quality, 0.75, EPS);
    ck_assert_double_eq_tol(k->paid, 950.0 * 200.0, 1e-6);
    /* Realised quality stays in [0, 1]. */
    k->bonus = 0.5;
    qm_delivery_deliver(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_double_eq_tol(k->quality, 1.0, EPS);
    fx_close(f);
}
END_TEST

/* MODEL.md 3.2, 4.2 (v2): supply by payment type, effort toward its
 * bound, its unit cost, and the provider's own costs. */
START_TEST(supply_effort_and_provider_costs)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
    p.delivery.block_tolerance = 1.05;
    p.delivery.effort_gain = 0.06;
    p.delivery.effort_rate = 0.1;
    p.delivery.effort_cost = 1.0;
    p.cost.coding_share = 0.003;
    p.cost.outcome_measurement = 0.1;
    p.cost.provider_salary = 5000;
    /* block and outcome ration to 1.05 x plan; activity supplies all */
    ck_assert_double_eq_tol(qm_delivery_supply(&p, QM_PAY_BLOCK, 120, 100), 105, EPS);
    ck_assert_double_eq_tol(qm_delivery_supply(&p, QM_PAY_OUTCOME, 120, 100), 105, EPS);
    ck_assert_double_eq_tol(qm_delivery_supply(&p, QM_PAY_BLOCK, 90, 100), 90, EPS);
    ck_assert_double_eq_tol(qm_delivery_supply(&p, QM_PAY_ACTIVITY, 120, 100), 120, EPS);
    /* effort: 0 -> 0.006 -> 0.0114 under outcome; back down otherwise */
    double e = qm_delivery_effort(&p, QM_PAY_OUTCOME, 0.0);
    ck_assert_double_eq_tol(e, 0.006, EPS);
    ck_assert_double_eq_tol(qm_delivery_effort(&p, QM_PAY_OUTCOME, e), 0.0114, EPS);
    ck_assert_double_eq_tol(qm_delivery_effort(&p, QM_PAY_BLOCK, 0.05), 0.045, EPS);
    ck_assert_double_eq_tol(qm_delivery_unit_cost(&p, 800, 0.05), 840, EPS);
    ck_assert_double_eq_tol(qm_delivery_provider_costs(&p, QM_PAY_ACTIVITY, 1e6), 3000, EPS);
    ck_assert_double_eq_tol(qm_delivery_provider_costs(&p, QM_PAY_OUTCOME, 1e6), 500, EPS);
    ck_assert_double_eq_tol(qm_delivery_provider_costs(&p, QM_PAY_BLOCK, 1e6), 0, EPS);
}
END_TEST

static void add(TCase *tc)
{
    tcase_add_test(tc, payments);
    tcase_add_test(tc, demand);
    tcase_add_test(tc, rationing_and_payment);
    tcase_add_test(tc, supply_effort_and_provider_costs);
}

int main(void)
{
    return fx_run("delivery", add);
}
