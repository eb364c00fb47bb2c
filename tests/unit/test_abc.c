/* test_abc.c: the ABC sampler on problems whose posterior is known: priors
 * and distances against hand-computed values, a normal mean with known
 * variance (conjugate posterior), a bimodal posterior, the coverage of 90 %
 * intervals over synthetic data sets, and results that do not depend on
 * threads or on being resumed from recorded batches. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "qmsim/abc.h"
#include "qmsim/rng.h"

/* ---- priors and distances ---- */

START_TEST(prior_uniform_and_loguniform)
{
    qm_prior u = {QM_PRIOR_UNIFORM, 2.0, 6.0, 0, 0};
    ck_assert_double_eq_tol(qm_prior_quantile(&u, 0.25), 3.0, 1e-12);
    ck_assert_double_eq_tol(qm_prior_density(&u, 5.0), 0.25, 1e-12);
    ck_assert_double_eq(qm_prior_density(&u, 6.5), 0.0);
    qm_prior l = {QM_PRIOR_LOGUNIFORM, 1.0, 100.0, 0, 0};
    ck_assert_double_eq_tol(qm_prior_quantile(&l, 0.5), 10.0, 1e-9);
    /* On the log scale: uniform on [0, ln 100]. */
    ck_assert_double_eq_tol(qm_prior_to_scale(&l, 10.0), log(10.0), 1e-12);
    ck_assert_double_eq_tol(qm_prior_density(&l, log(10.0)), 1.0 / log(100.0), 1e-12);
    ck_assert_double_eq(qm_prior_density(&l, log(200.0)), 0.0);
}
END_TEST

START_TEST(prior_normal_and_beta)
{
    /* N(0, 1) on [-1, 1]: phi(0) / (Phi(1) - Phi(-1)) = 0.398942 / 0.682689. */
    qm_prior n = {QM_PRIOR_NORMAL, -1.0, 1.0, 0.0, 1.0};
    ck_assert_double_eq_tol(qm_prior_quantile(&n, 0.5), 0.0, 1e-9);
    ck_assert_double_eq_tol(qm_prior_density(&n, 0.0), 0.584369, 1e-6);
    /* Far in the upper tail the truncation keeps its precision: N(0, 1)
     * on [10, 11] has its median near 10.0680. */
    qm_prior t = {QM_PRIOR_NORMAL, 10.0, 11.0, 0.0, 1.0};
    double med = qm_prior_quantile(&t, 0.5);
    ck_assert(med > 10.06 && med < 10.08);
    /* Beta(2, 2) stretched over [0, 2]: median 1, density 1.5 / 2. */
    qm_prior b = {QM_PRIOR_BETA, 0.0, 2.0, 2.0, 2.0};
    ck_assert_double_eq_tol(qm_prior_quantile(&b, 0.5), 1.0, 1e-9);
    ck_assert_double_eq_tol(qm_prior_density(&b, 1.0), 0.75, 1e-12);
}
END_TEST

START_TEST(prior_errors)
{
    char err[160];
    qm_prior e = {QM_PRIOR_UNIFORM, 3.0, 3.0, 0, 0};
    ck_assert_int_eq(qm_prior_check(&e, err, sizeof err), -1);
    ck_assert_str_eq(err, "an empty range [3, 3]: the first value must be below the second");
    qm_prior l = {QM_PRIOR_LOGUNIFORM, 0.0, 3.0, 0, 0};
    ck_assert_int_eq(qm_prior_check(&l, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "above 0"));
    qm_prior b = {QM_PRIOR_BETA, 0.0, 1.0, 0.0, 2.0};
    ck_assert_int_eq(qm_prior_check(&b, err, sizeof err), -1);
    qm_prior n = {QM_PRIOR_NORMAL, 100.0, 101.0, 0.0, 1.0};
    ck_assert_int_eq(qm_prior_check(&n, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "no mass"));
    qm_prior ok = {QM_PRIOR_BETA, 0.0, 1.0, 2.0, 5.0};
    ck_assert_int_eq(qm_prior_check(&ok, err, sizeof err), 0);
}
END_TEST

START_TEST(distance_values_and_bands)
{
    qm_abc_target t[2] = {{0, 10.0, 2.0, 0, 0}, {1, 0, 0, 0.0, 0.1}};
    /* deviations 1.5 and 0.5: sqrt((2.25 + 0.25) / 2) = 1.118034 */
    double x[2] = {13.0, 0.15};
    ck_assert_double_eq_tol(qm_abc_distance(t, 2, x), sqrt(1.25), 1e-12);
    double in[2] = {10.0, 0.05};
    ck_assert_double_eq(qm_abc_distance(t, 2, in), 0.0);
    double below[2] = {10.0, -0.2};   /* 0.2 below the band: 2 widths */
    ck_assert_double_eq_tol(qm_abc_distance(t, 2, below), sqrt(4.0 / 2), 1e-12);
    double bad[2] = {NAN, 0.05};
    ck_assert(isinf(qm_abc_distance(t, 2, bad)));
    /* a band with a tolerance measures a miss in tolerances: 4 of 0.05 */
    qm_abc_target wide = {1, 0, 0.05, 0.0, 100.0};
    ck_assert_double_eq_tol(qm_abc_deviation(&wide, -0.2), 4.0, 1e-12);
    ck_assert_double_eq(qm_abc_deviation(&wide, 50.0), 0.0);
}
END_TEST

/* ---- toy simulators ---- */

/* y-bar of n draws from N(mu, 1): N(mu, 1/n), drawn from the key's stream. */
typedef struct normal_ctx {
    int n;
    uint64_t seed;
} normal_ctx;

static int sim_normal_mean(void *ctx, const double *theta, long key, double *values)
{
    const normal_ctx *c = ctx;
    gsl_rng *r = qm_rng_alloc(QM_RNG_CMRG, c->seed, 0, 77, (uint64_t)key);
    values[0] = theta[0] + gsl_ran_gaussian(r, 1.0 / sqrt(c->n));
    gsl_rng_free(r);
    return 0;
}

/* y = theta^2 + N(0, 0.05^2): theta = +1 and -1 fit y = 1 equally. */
static int sim_square(void *ctx, const double *theta, long key, double *values)
{
    (void)ctx;
    gsl_rng *r = qm_rng_alloc(QM_RNG_CMRG, 5, 0, 78, (uint64_t)key);
    values[0] = theta[0] * theta[0] + gsl_ran_gaussian(r, 0.05);
    gsl_rng_free(r);
    return 0;
}

static void normal_config(qm_abc_config *c, double ybar, int n, uint64_t seed)
{
    qm_abc_defaults(c);
    c->n_params = 1;
    c->prior[0] = (qm_prior){QM_PRIOR_NORMAL, -20.0, 20.0, 0.0, 3.0};
    c->n_targets = 1;
    c->target[0] = (qm_abc_target){0, ybar, 1.0 / sqrt(n), 0, 0};
    c->seed = seed;
    c->particles = 500;
    c->min_tolerance = 0.1;
    c->budget = 100000;
}

START_TEST(normal_mean_conjugate)
{
    /* Prior N(0, 3^2), n = 25 draws of sd 1 with mean 1.3: posterior
     * precision 1/9 + 25 = 25.1111, mean 25 * 1.3 / 25.1111 = 1.29425,
     * sd 0.199557; 90 % interval 1.29425 -/+ 1.644854 * 0.199557. */
    double pm = 25 * 1.3 / (1.0 / 9 + 25), psd = 1.0 / sqrt(1.0 / 9 + 25);
    qm_abc_config c;
    normal_config(&c, 1.3, 25, 11);
    normal_ctx ctx = {25, 99};
    qm_abc *a = qm_abc_create(&c);
    ck_assert_ptr_nonnull(a);
    ck_assert_int_eq(qm_abc_run(a, sim_normal_mean, &ctx, 1), 0);
    ck_assert_int_eq(qm_abc_stopped(a), QM_ABC_STOP_TOLERANCE);
    const qm_abc_gen *g = qm_abc_posterior(a);
    ck_assert_ptr_nonnull(g);
    qm_abc_marginal m;
    qm_abc_marginal_of(g, 1, 0, 0.05, 0.95, &m);
    /* Monte Carlo error of a mean over an ESS of a few hundred: sd/sqrt(ESS)
     * ~ 0.01; ABC's tolerance widens the posterior by a few per cent. */
    ck_assert_msg(fabs(m.mean - pm) < 0.04, "mean %g, expected %g", m.mean, pm);
    ck_assert_msg(fabs(m.sd - psd) < 0.03, "sd %g, expected %g", m.sd, psd);
    ck_assert_msg(fabs(m.lo - (pm - 1.644854 * psd)) < 0.06, "5 %% %g", m.lo);
    ck_assert_msg(fabs(m.hi - (pm + 1.644854 * psd)) < 0.06, "95 %% %g", m.hi);
    ck_assert(g->ess > 100.0);
    /* Tolerances shrink from generation to generation. */
    for (int i = 1; i < qm_abc_n_gens(a); i++)
        ck_assert(qm_abc_gen_at(a, i)->tolerance <= qm_abc_gen_at(a, i - 1)->tolerance);
    qm_abc_free(a);
}
END_TEST

START_TEST(bimodal)
{
    qm_abc_config c;
    qm_abc_defaults(&c);
    c.n_params = 1;
    c.prior[0] = (qm_prior){QM_PRIOR_UNIFORM, -3.0, 3.0, 0, 0};
    c.n_targets = 1;
    c.target[0] = (qm_abc_target){0, 1.0, 0.05, 0, 0};
    c.seed = 3;
    c.particles = 600;
    c.min_tolerance = 0.5;
    c.budget = 100000;
    qm_abc *a = qm_abc_create(&c);
    ck_assert_int_eq(qm_abc_run(a, sim_square, NULL, 2), 0);
    const qm_abc_gen *g = qm_abc_posterior(a);
    double up = 0.0, near = 0.0;
    for (int i = 0; i < g->n; i++) {
        double th = g->theta[i];
        up += th > 0.0 ? g->weight[i] : 0.0;
        near += fabs(fabs(th) - 1.0) < 0.1 ? g->weight[i] : 0.0;
    }
    ck_assert_msg(up > 0.3 && up < 0.7, "weight on theta > 0: %g (both modes expected)", up);
    ck_assert_msg(near > 0.9, "weight within 0.1 of a mode: %g", near);
    qm_abc_free(a);
}
END_TEST

START_TEST(coverage_of_intervals)
{
    /* Over synthetic data sets whose truth is drawn from the prior, the
     * posterior's 90 % interval should contain the truth about 90 % of the
     * time (100 data sets: a binomial sd of 3 points). */
    int hits = 0, sets = 100;
    gsl_rng *r = qm_rng_alloc(QM_RNG_CMRG, 2024, 0, 79, 0);
    for (int k = 0; k < sets; k++) {
        double truth = gsl_ran_gaussian(r, 3.0);
        double ybar = truth + gsl_ran_gaussian(r, 1.0 / sqrt(10.0));
        qm_abc_config c;
        normal_config(&c, ybar, 10, 1000 + k);
        c.particles = 300;
        c.min_tolerance = 0.2;
        normal_ctx ctx = {10, 5000 + (uint64_t)k};
        qm_abc *a = qm_abc_create(&c);
        ck_assert_int_eq(qm_abc_run(a, sim_normal_mean, &ctx, 1), 0);
        qm_abc_marginal m;
        qm_abc_marginal_of(qm_abc_posterior(a), 1, 0, 0.05, 0.95, &m);
        hits += truth >= m.lo && truth <= m.hi;
        qm_abc_free(a);
    }
    gsl_rng_free(r);
    ck_assert_msg(hits >= 82 && hits <= 97, "90 %% intervals held the truth %d times in %d", hits,
                  sets);
}
END_TEST

/* ---- determinism and resumption ---- */

static int same_gens(const qm_abc *a, const qm_abc *b)
{
    if (qm_abc_n_gens(a) != qm_abc_n_gens(b) || qm_abc_simulations(a) != qm_abc_simulations(b))
        return 0;
    for (int i = 0; i < qm_abc_n_gens(a); i++) {
        const qm_abc_gen *x = qm_abc_gen_at(a, i), *y = qm_abc_gen_at(b, i);
        if (x->n != y->n || x->tolerance != y->tolerance ||
            memcmp(x->theta, y->theta, (size_t)x->n * sizeof(double)) ||
            memcmp(x->weight, y->weight, (size_t)x->n * sizeof(double)) ||
            memcmp(x->distance, y->distance, (size_t)x->n * sizeof(double)))
            return 0;
    }
    return 1;
}

START_TEST(threads_do_not_matter)
{
    qm_abc_config c;
    normal_config(&c, 0.7, 25, 5);
    c.particles = 200;
    c.batch = 64;
    normal_ctx ctx = {25, 8};
    qm_abc *one = qm_abc_create(&c), *two = qm_abc_create(&c);
    ck_assert_int_eq(qm_abc_run(one, sim_normal_mean, &ctx, 1), 0);
    ck_assert_int_eq(qm_abc_run(two, sim_normal_mean, &ctx, 2), 0);
    ck_assert(qm_abc_n_gens(one) >= 3);
    ck_assert(same_gens(one, two));
    qm_abc_free(one);
    qm_abc_free(two);
}
END_TEST

START_TEST(resume_replays_to_the_same_result)
{
    qm_abc_config c;
    normal_config(&c, -0.4, 25, 6);
    c.particles = 150;
    c.batch = 40;
    normal_ctx ctx = {25, 9};
    qm_abc *whole = qm_abc_create(&c);
    ck_assert_int_eq(qm_abc_run(whole, sim_normal_mean, &ctx, 1), 0);

    /* Record the first k batches as a journal would, "kill", then replay
     * them into a new sampler and finish. */
    enum { K = 7, B = 40 };
    double log_vals[K][B];
    long log_first[K];
    int log_n[K];
    qm_abc *first = qm_abc_create(&c);
    double theta[B], vals[B];
    for (int k = 0; k < K; k++) {
        log_n[k] = qm_abc_next(first, theta, &log_first[k]);
        ck_assert_int_gt(log_n[k], 0);
        for (int i = 0; i < log_n[k]; i++)
            sim_normal_mean(&ctx, &theta[i], log_first[k] + i, &vals[i]);
        memcpy(log_vals[k], vals, sizeof vals);
        qm_abc_feed(first, vals, log_n[k]);
    }
    qm_abc_free(first);
    qm_abc *resumed = qm_abc_create(&c);
    for (int k = 0; k < K; k++) {
        long f;
        ck_assert_int_eq(qm_abc_next(resumed, theta, &f), log_n[k]);
        ck_assert_int_eq(f, log_first[k]);
        qm_abc_feed(resumed, log_vals[k], log_n[k]);
    }
    ck_assert_int_eq(qm_abc_run(resumed, sim_normal_mean, &ctx, 2), 0);
    ck_assert(same_gens(whole, resumed));
    qm_abc_free(whole);
    qm_abc_free(resumed);
}
END_TEST

/* ---- rejection and stopping rules ---- */

START_TEST(rejection_over_a_latin_hypercube)
{
    qm_abc_config c;
    normal_config(&c, 1.0, 25, 7);
    c.method = QM_ABC_REJECTION;
    c.prior[0] = (qm_prior){QM_PRIOR_UNIFORM, -5.0, 5.0, 0, 0};
    c.particles = 2000;
    c.tolerance = 1.0;    /* within one standard error */
    c.budget = 0;
    normal_ctx ctx = {25, 10};
    qm_abc *a = qm_abc_create(&c);
    ck_assert_int_eq(qm_abc_run(a, sim_normal_mean, &ctx, 2), 0);
    ck_assert_int_eq(qm_abc_stopped(a), QM_ABC_STOP_DONE);
    ck_assert_int_eq(qm_abc_simulations(a), 2000);
    const qm_abc_gen *g = qm_abc_posterior(a);
    /* Accepted where |theta + e - 1| <= 0.2 with e ~ N(0, 0.2^2): over a
     * uniform prior of width 10 that has probability 0.4 / 10, so about
     * 2000 x 0.04 = 80 samples (binomial sd 9), all with equal weight. */
    ck_assert_msg(g->n > 50 && g->n < 110, "accepted %d", g->n);
    for (int i = 0; i < g->n; i++) {
        ck_assert(g->distance[i] <= 1.0);
        ck_assert_double_eq_tol(g->weight[i], 1.0 / g->n, 1e-12);
    }
    qm_abc_free(a);
}
END_TEST

START_TEST(budget_stops_and_keeps_the_last_whole_generation)
{
    qm_abc_config c;
    normal_config(&c, 0.0, 25, 8);
    c.particles = 100;
    c.min_tolerance = 0.0;
    c.budget = 1000;
    normal_ctx ctx = {25, 11};
    qm_abc *a = qm_abc_create(&c);
    ck_assert_int_eq(qm_abc_run(a, sim_normal_mean, &ctx, 1), 0);
    ck_assert_int_eq(qm_abc_stopped(a), QM_ABC_STOP_BUDGET);
    ck_assert(qm_abc_simulations(a) <= 1000);
    ck_assert(qm_abc_n_gens(a) >= 2);
    ck_assert_int_eq(qm_abc_posterior(a)->n, 100);
    qm_abc_free(a);
}
END_TEST

START_TEST(config_errors)
{
    qm_abc_config c;
    char err[200];
    normal_config(&c, 0.0, 25, 1);
    ck_assert_int_eq(qm_abc_check(&c, err, sizeof err), 0);
    c.target[0] = (qm_abc_target){1, 0, 0, 0.5, 0.1};
    ck_assert_int_eq(qm_abc_check(&c, err, sizeof err), -1);
    ck_assert_str_eq(err, "target 1: a band needs min <= max, got [0.5, 0.1]");
    normal_config(&c, 0.0, 25, 1);
    c.prior[0] = (qm_prior){QM_PRIOR_UNIFORM, 1.0, 1.0, 0, 0};
    ck_assert_int_eq(qm_abc_check(&c, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "parameter 1: an empty range"));
    normal_config(&c, 0.0, 25, 1);
    c.particles = 1;
    ck_assert_int_eq(qm_abc_check(&c, err, sizeof err), -1);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("abc");
    TCase *t = tcase_create("priors");
    tcase_add_test(t, prior_uniform_and_loguniform);
    tcase_add_test(t, prior_normal_and_beta);
    tcase_add_test(t, prior_errors);
    tcase_add_test(t, distance_values_and_bands);
    tcase_add_test(t, config_errors);
    suite_add_tcase(s, t);
    t = tcase_create("posteriors");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, normal_mean_conjugate);
    tcase_add_test(t, bimodal);
    tcase_add_test(t, coverage_of_intervals);
    tcase_add_test(t, threads_do_not_matter);
    tcase_add_test(t, resume_replays_to_the_same_result);
    tcase_add_test(t, rejection_over_a_latin_hypercube);
    tcase_add_test(t, budget_stops_and_keeps_the_last_whole_generation);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *r = srunner_create(suite());
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
