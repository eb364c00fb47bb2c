/* test_conduit.c: MODEL.md 4.4, knowledge conduits (src/model/conduit.c):
 * transfer, absorptive capacity, cognitive distance, borrowed capability
 * and dependency. */
#include <math.h>

#include "fixture.h"
#include "model/conduit.h"

START_TEST(transfer_and_absorption)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
    p.knowledge.absorb_base = 0.2; p.knowledge.absorb_slope = 0.8;
    p.knowledge.distance_peak = 0.4; p.knowledge.trust_exponent = 1.0;
    p.knowledge.eta_placement = 0.08; p.knowledge.eta_product = 0.02; p.knowledge.eta_advisory = 0.01;
    ck_assert_double_eq_tol(qm_conduit_absorb(&p, 0.5), 0.6, EPS);
    /* The inverted U: 1 at the peak, lower either side, 0 at no distance. */
    ck_assert_double_eq_tol(qm_conduit_distance(&p, 0.4), 1.0, EPS);
    ck_assert_double_eq_tol(qm_conduit_distance(&p, 0.2), 0.5 * exp(0.5), EPS);
    ck_assert_double_eq_tol(qm_conduit_distance(&p, 0.8), 2.0 * exp(-1.0), EPS);
    ck_assert_double_eq_tol(qm_conduit_distance(&p, 0.0), 0.0, EPS);
    /* K 0.3, S 0.7: gap 0.4 at the peak; abs 0.44; 0.08 x 0.44 x 1 x 1 x 0.8 x 0.5 x 0.4 */
    ck_assert_double_eq_tol(qm_conduit_transfer(&p, QM_CONDUIT_PLACEMENT, 0.3, 0.7, 1.0, 0.8, 0.5), 0.005632, EPS);
    ck_assert_double_eq_tol(qm_conduit_transfer(&p, QM_CONDUIT_PRODUCT, 0.3, 0.7, 1.0, 0.8, 0.5), 0.001408, EPS);
    ck_assert_double_eq_tol(qm_conduit_transfer(&p, QM_CONDUIT_ADVISORY, 0.3, 0.7, 1.0, 0.8, 0.5), 0.000704, EPS);
    ck_assert_double_eq_tol(qm_conduit_transfer(&p, QM_CONDUIT_PLACEMENT, 0.3, 0.7, 0.3, 0.8, 0.5), 0.0016896, EPS);
    /* Nothing flows from an agency that knows less. */
    ck_assert_double_eq_tol(qm_conduit_transfer(&p, QM_CONDUIT_PLACEMENT, 0.8, 0.7, 1.0, 1.0, 1.0), 0.0, EPS);
    /* A clause (theta = 1) transfers more than a firm's own orientation. */
    ck_assert(qm_conduit_transfer(&p, 0, 0.3, 0.7, 1.0, 0.8, 0.5) > qm_conduit_transfer(&p, 0, 0.3, 0.7, 0.2, 0.8, 0.5));
}
END_TEST

START_TEST(borrowing_and_dependency)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
    p.engage.coverage_fte = 2.0;
    ck_assert_double_eq_tol(qm_conduit_borrowed(&p, 1.0, 0.7, 0.8), 0.28, EPS);
    ck_assert_double_eq_tol(qm_conduit_borrowed(&p, 4.0, 0.7, 0.8), 0.56, EPS);
    /* MODEL.md 4.4 (v2): 0.5 of 2 covering FTE is a quarter of the
     * analytic work outsourced; 3 FTE do all of it. */
    ck_assert_double_eq_tol(qm_conduit_outsourced(&p, 0.5), 0.25, EPS);
    ck_assert_double_eq_tol(qm_conduit_outsourced(&p, 3.0), 1.0, EPS);
    ck_assert_double_eq_tol(qm_conduit_outsourced(&p, 0.0), 0.0, EPS);
    ck_assert_double_eq_tol(qm_conduit_dependency(0.3, 0.56), 0.26 / 0.56, EPS);
    ck_assert_double_eq_tol(qm_conduit_dependency(0.6, 0.5), 0.0, EPS);
    ck_assert_double_eq_tol(qm_conduit_dependency(0.0, 0.0), 0.0, EPS);
}
END_TEST

/* C1 (A 0.4, R 0.3) engages the CSU (skill 0.7, prior trust 0.7) with 1
 * FTE delivered and a context of 0.8 built up. */
static fx *engaged(int purpose, int conduit, int clause, double context)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    fx_forget(sim);
    qm_commissioner *cm = &sim->comm[0];
    cm->tool = 0.0;
    qm_engagement *e = &cm->eng[0];
    *e = (qm_engagement){.active = 1, .agency = 0, .purpose = purpose, .conduit = conduit,
                         .clause = clause, .context = context, .delivered = 1.0, .fte = 1.0};
    cm->n_eng = 1;
    return f;
}

/* Placement with a clause: dA = 0.08 x (0.2 + 0.8 x 0.4) x H(0.3) x 1 x
 * 0.8 x 0.7 x 0.3, H(0.3) = 0.75 e^0.25; capability lent while it runs:
 * min(1, 1 / 2) x 0.7 x 0.8 = 0.28. */
START_TEST(placement_with_a_clause)
{
    fx *f = engaged(QM_PURPOSE_ANALYTICS, QM_CONDUIT_PLACEMENT, 1, 0.8);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    double dA = 0.08 * 0.52 * (0.75 * exp(0.25)) * 1.0 * 0.8 * 0.7 * 0.3;
    qm_conduit_learn(sim, 0);
    ck_assert_double_eq_tol(cm->A, 0.4 + dA, EPS);
    ck_assert_double_eq_tol(cm->R, 0.3, EPS);
    ck_assert_double_eq_tol(cm->borrowed, 0.28, EPS);
    ck_assert_double_eq_tol(cm->tool, 0.0, EPS);
    fx_close(f);
}
END_TEST

/* Without a clause the agency's own orientation (0.3) sets theta; a
 * product leaves a tool (0.28) rather than lending capability; procurement
 * work feeds R and lends nothing; outsourced commissioning feeds both. */
START_TEST(theta_products_and_purposes)
{
    double H = 0.75 * exp(0.25);
    fx *f = engaged(QM_PURPOSE_ANALYTICS, QM_CONDUIT_PLACEMENT, 0, 0.8);
    qm_conduit_learn(f->sim, 0);
    ck_assert_double_eq_tol(f->sim->comm[0].A, 0.4 + 0.08 * 0.52 * H * 0.3 * 0.8 * 0.7 * 0.3, EPS);
    fx_close(f);
    f = engaged(QM_PURPOSE_ANALYTICS, QM_CONDUIT_PRODUCT, 1, 0.8);
    qm_conduit_learn(f->sim, 0);
    ck_assert_double_eq_tol(f->sim->comm[0].tool, 0.28, EPS);
    ck_assert_double_eq_tol(f->sim->comm[0].borrowed, 0.0, EPS);
    ck_assert_double_eq_tol(f->sim->comm[0].A, 0.4 + 0.02 * 0.52 * H * 0.8 * 0.7 * 0.3, EPS);
    fx_close(f);
    /* R 0.3, gap 0.4 at the peak: 0.08 x (0.2 + 0.24) x 1 x 0.8 x 0.7 x 0.4 */
    f = engaged(QM_PURPOSE_PROCUREMENT, QM_CONDUIT_PLACEMENT, 1, 0.8);
    qm_conduit_learn(f->sim, 0);
    ck_assert_double_eq_tol(f->sim->comm[0].R, 0.3 + 0.08 * 0.44 * 0.8 * 0.7 * 0.4, EPS);
    ck_assert_double_eq_tol(f->sim->comm[0].A, 0.4, EPS);
    ck_assert_double_eq_tol(f->sim->comm[0].borrowed, 0.0, EPS);
    fx_close(f);
    f = engaged(QM_PURPOSE_OUTSOURCED, QM_CONDUIT_PLACEMENT, 1, 0.8);
    qm_conduit_learn(f->sim, 0);
    ck_assert(f->sim->comm[0].A > 0.4 && f->sim->comm[0].R > 0.3);
    ck_assert_double_eq_tol(f->sim->comm[0].borrowed, 0.28, EPS);
    fx_close(f);
}
END_TEST

/* Consultant turnover eats the context an engagement has built
 * (engagements.c); less context transfers less and lends less: never
 * more. */
START_TEST(less_context_less_learning)
{
    fx *a = engaged(QM_PURPOSE_ANALYTICS, QM_CONDUIT_PLACEMENT, 1, 0.8);
    fx *b = engaged(QM_PURPOSE_ANALYTICS, QM_CONDUIT_PLACEMENT, 1, 0.4);
    qm_conduit_learn(a->sim, 0);
    qm_conduit_learn(b->sim, 0);
    ck_assert(b->sim->comm[0].A < a->sim->comm[0].A);
    ck_assert_double_eq_tol(b->sim->comm[0].borrowed, 0.14, EPS);
    fx_close(a);
    fx_close(b);
}
END_TEST

static void add(TCase *tc)
{
    tcase_add_test(tc, transfer_and_absorption);
    tcase_add_test(tc, borrowing_and_dependency);
    tcase_add_test(tc, placement_with_a_clause);
    tcase_add_test(tc, theta_products_and_purposes);
    tcase_add_test(tc, less_context_less_learning);
}

int main(void)
{
    return fx_run("conduit", add);
}
