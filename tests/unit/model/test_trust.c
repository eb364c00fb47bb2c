/* test_trust.c: MODEL.md 4.1, trust as a Beta reputation (src/model/trust.c,
 * with the relationship's prior and mean of src/core/state.c). */
#include <math.h>

#include "fixture.h"
#include "model/trust.h"

START_TEST(prior_and_updates)
{
    qm_rel r;
    qm_state_rel_init(&r, 3, 0.7, 4.0);
    ck_assert_double_eq_tol(r.a0, 2.8, EPS);
    ck_assert_double_eq_tol(r.b0, 1.2, EPS);
    ck_assert_double_eq_tol(qm_state_rel_mean(&r), 0.7, EPS);
    /* z = 0: Phi = 1/2, alpha = beta = 0.25; T = 3.05 / 4.5 */
    qm_trust_update(&r, 0.0, 1.0, 0.5, 0.97);
    ck_assert_double_eq_tol(qm_state_rel_mean(&r), 3.05 / 4.5, EPS);
    /* z = 1: Phi(1) = 0.8413447461; alpha = 0.2425 + 0.42067237, beta = 0.2425 + 0.07932763 */
    qm_trust_update(&r, 1.0, 1.0, 0.5, 0.97);
    ck_assert_double_eq_tol(r.alpha, 0.663172373, 1e-8);
    ck_assert_double_eq_tol(r.beta, 0.321827627, 1e-8);
    ck_assert_double_eq_tol(qm_state_rel_mean(&r), 3.463172373 / 4.985, 1e-8);
}
END_TEST

START_TEST(penalty_rupture_history)
{
    qm_rel r;
    qm_state_rel_init(&r, 0, 0.5, 4.0);
    qm_trust_collaborate(&r, 2.0);
    qm_trust_penalise(&r, 2.0);
    ck_assert_double_eq_tol(qm_state_rel_mean(&r), 4.0 / 8.0, EPS);
    qm_trust_penalise(&r, 4.0);
    ck_assert_double_eq_tol(qm_state_rel_mean(&r), 4.0 / 12.0, EPS);
    qm_trust_rupture(&r, 1.0);
    ck_assert_double_eq_tol(qm_state_rel_mean(&r), 0.5, EPS); /* back to the prior */
    /* 10 months at phi 0.8: acc = 0.5 (1 - 0.97^10) / 0.03 = 4.3762646 */
    qm_trust_history(&r, 10.0, 0.8, 0.5, 0.97);
    double acc = 0.5 * (1.0 - pow(0.97, 10.0)) / 0.03;
    ck_assert_double_eq_tol(acc, 4.3762646, 1e-6);
    ck_assert_double_eq_tol(r.alpha, 0.8 * acc, EPS);
    ck_assert_double_eq_tol(r.beta, 0.2 * acc, EPS);
    /* Without forgetting the evidence is g per month. */
    qm_trust_history(&r, 10.0, 0.8, 0.5, 1.0);
    ck_assert_double_eq_tol(r.alpha, 4.0, EPS);
    ck_assert_double_eq_tol(r.beta, 1.0, EPS);
}
END_TEST

START_TEST(stays_in_unit_interval)
{
    qm_rel r;
    qm_state_rel_init(&r, 0, 0.45, 4.0);
    for (int i = 0; i < 2000; i++) {
        qm_trust_update(&r, (i % 7) - 3.0 + 50.0 * (i % 2 ? 1 : -1), 3.0, 0.5, 0.97);
        double T = qm_state_rel_mean(&r);
        ck_assert(T >= 0.0 && T <= 1.0 && isfinite(T));
    }
}
END_TEST

/* A partial rupture keeps that share of the history: alpha 6, beta 2 with
 * rupture 0.25 leave 4.5 and 1.5; with prior 2.8 / 1.2 trust goes from
 * 8.8 / 12 to 7.3 / 10, toward the prior 0.7. */
START_TEST(partial_rupture)
{
    qm_rel r;
    qm_state_rel_init(&r, 0, 0.7, 4.0);
    r.alpha = 6.0;
    r.beta = 2.0;
    ck_assert_double_eq_tol(qm_state_rel_mean(&r), 8.8 / 12.0, EPS);
    qm_trust_rupture(&r, 0.25);
    ck_assert_double_eq_tol(r.alpha, 4.5, EPS);
    ck_assert_double_eq_tol(r.beta, 1.5, EPS);
    ck_assert_double_eq_tol(qm_state_rel_mean(&r), 7.3 / 10.0, EPS);
}
END_TEST

static void add(TCase *tc)
{
    tcase_add_test(tc, prior_and_updates);
    tcase_add_test(tc, penalty_rupture_history);
    tcase_add_test(tc, stays_in_unit_interval);
    tcase_add_test(tc, partial_rupture);
}

int main(void)
{
    return fx_run("trust", add);
}
