/* test_core.c: the core below the model (src/core): random streams, the
 * parameter registry, draws and the one log-normal, the relationships and
 * events of the state, the walks over providers and agencies, the numeric
 * helpers. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_randist.h>

#include "qmsim/draw.h"
#include "qmsim/qmsim.h"
#include "qmsim/rng.h"
#include "core/num.h"
#include "core/state.h"
#include "core/walk.h"

#define EPS 1e-9

static qm_params defaults(void)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
    return p;
}

/* ---- random streams ---- */

START_TEST(rng_streams)
{
    /* SplitMix64's first output from state 0. */
    ck_assert_uint_eq(qm_rng_mix(0), 0xe220a8397b1dcdafULL);
    ck_assert_uint_eq(qm_rng_seed(1, 2, 3, 4), qm_rng_seed(1, 2, 3, 4));
    ck_assert_uint_ne(qm_rng_seed(1, 2, 3, 4), qm_rng_seed(1, 2, 3, 5));
    ck_assert_uint_ne(qm_rng_seed(1, 2, 3, 4), qm_rng_seed(1, 2, 4, 3));
    ck_assert_uint_ne(qm_rng_seed(1, 0, 3, 4), qm_rng_seed(1, 1, 3, 4));
    gsl_rng *a = qm_rng_alloc(QM_RNG_CMRG, 7, 0, QM_STREAM_COMMISSIONER, 3);
    gsl_rng *b = qm_rng_alloc(QM_RNG_CMRG, 7, 0, QM_STREAM_COMMISSIONER, 3);
    gsl_rng *c = qm_rng_alloc(QM_RNG_CMRG, 7, 0, QM_STREAM_COMMISSIONER, 4);
    int same = 1, differ = 0;
    for (int i = 0; i < 100; i++) {
        unsigned long x = gsl_rng_get(a), y = gsl_rng_get(b), z = gsl_rng_get(c);
        same &= x == y;
        differ += x != z;
    }
    ck_assert(same);
    ck_assert_int_gt(differ, 95);
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(c);
}
END_TEST

/* Each generator kind is the GSL type of that name, seeded with the mixed
 * seed folded to 32 bits (docs/ODD.md 2.9); kinds out of range give NULL. */
START_TEST(rng_generators)
{
    for (int g = 0; g < QM_RNG_N; g++) {
        const gsl_rng_type *T = qm_rng_type(g);
        ck_assert_ptr_nonnull(T);
        ck_assert_str_eq(T->name, qm_rng_names[g]);
        uint64_t s = qm_rng_seed(7, 1, QM_STREAM_PROVIDER, 12);
        unsigned long folded = (unsigned long)((s ^ (s >> 32)) & 0xffffffffULL);
        gsl_rng *want = gsl_rng_alloc(T);
        /* xoshiro256++ takes the whole 64-bit seed, the others 32 bits. */
        gsl_rng_set(want, g == QM_RNG_XOSHIRO ? (unsigned long)s : folded ? folded : 1UL);
        gsl_rng *got = qm_rng_alloc(g, 7, 1, QM_STREAM_PROVIDER, 12);
        ck_assert_ptr_nonnull(got);
        for (int i = 0; i < 10; i++)
            ck_assert_uint_eq(gsl_rng_get(got), gsl_rng_get(want));
        gsl_rng_free(want);
        gsl_rng_free(got);
    }
    ck_assert_ptr_null(qm_rng_names[QM_RNG_N]);
    ck_assert_ptr_null(qm_rng_type(-1));
    ck_assert_ptr_null(qm_rng_type(QM_RNG_N));
    ck_assert_ptr_null(qm_rng_alloc(QM_RNG_N, 7, 0, QM_STREAM_MARKET, 0));
    ck_assert_ptr_eq(qm_rng_type(QM_RNG_CMRG), gsl_rng_cmrg);
    ck_assert_ptr_eq(qm_rng_type(QM_RNG_XOSHIRO), qm_rng_xoshiro256pp);
}
END_TEST

/* xoshiro256++ against the outputs of the authors' reference code
 * (prng.di.unimi.it/xoshiro256plusplus.c) from the state {1, 2, 3, 4}. */
START_TEST(xoshiro_reference)
{
    static const uint64_t want[10] = {
        41943041ULL, 58720359ULL, 3588806011781223ULL, 3591011842654386ULL,
        9228616714210784205ULL, 9973669472204895162ULL, 14011001112246962877ULL,
        12406186145184390807ULL, 15849039046786891736ULL, 10450023813501588000ULL};
    static const uint64_t state[4] = {1, 2, 3, 4};
    gsl_rng *r = gsl_rng_alloc(qm_rng_xoshiro256pp);
    ck_assert_ptr_nonnull(r);
    qm_rng_xoshiro_set_state(r, state);
    for (int i = 0; i < 10; i++)
        ck_assert_uint_eq(qm_rng_xoshiro_next(r), want[i]);
    /* gsl_rng_get is the upper 32 bits, gsl_rng_uniform the upper 53. */
    qm_rng_xoshiro_set_state(r, state);
    ck_assert_uint_eq(gsl_rng_get(r), want[0] >> 32);
    ck_assert(gsl_rng_uniform(r) == (double)(want[1] >> 11) * 0x1.0p-53);
    ck_assert_uint_eq(gsl_rng_max(r), 0xffffffffUL);
    /* Seeding: SplitMix64 outputs from the seed, as the authors advise. */
    gsl_rng_set(r, 0);
    uint64_t first = qm_rng_xoshiro_next(r);
    ck_assert_uint_ne(first, 0);
    gsl_rng_free(r);
}
END_TEST

/* The samplers: sample mean and variance of 200,000 draws within 5
 * standard errors of the distribution's, over the means the model uses
 * (inversion below 10, PTRS above); the probabilities of small counts
 * against the Poisson's own. */
static void poisson_moments(gsl_rng *r, double mu)
{
    const int n = 200000;
    double s = 0.0, s2 = 0.0;
    for (int i = 0; i < n; i++) {
        double k = qm_draw_poisson(r, mu);
        ck_assert(k >= 0.0 && k == floor(k));
        s += k;
        s2 += k * k;
    }
    double m = s / n, v = s2 / n - m * m;
    ck_assert_msg(fabs(m - mu) < 5.0 * sqrt(mu / n), "mean %g for mu %g", m, mu);
    /* var of the sample variance of a Poisson: (mu + 2 mu^2) / n */
    ck_assert_msg(fabs(v - mu) < 5.0 * sqrt((mu + 2.0 * mu * mu) / n), "var %g for mu %g", v, mu);
}

START_TEST(samplers)
{
    gsl_rng *r = qm_rng_alloc(QM_RNG_XOSHIRO, 11, 0, QM_STREAM_MARKET, 3);
    const double mus[] = {0.3, 4.0, 9.99, 10.0, 45.0, 450.0, 9000.0};
    for (size_t i = 0; i < sizeof mus / sizeof *mus; i++)
        poisson_moments(r, mus[i]);
    ck_assert(qm_draw_poisson(r, 0.0) == 0.0);
    ck_assert(qm_draw_poisson(r, -1.0) == 0.0);
    /* P(K = k) at mu = 12 (PTRS), k = 5..15, within 5 standard errors. */
    {
        const int n = 400000;
        int count[16] = {0};
        for (int i = 0; i < n; i++) {
            double k = qm_draw_poisson(r, 12.0);
            if (k >= 5 && k <= 15)
                count[(int)k]++;
        }
        for (int k = 5; k <= 15; k++) {
            double p = gsl_ran_poisson_pdf((unsigned)k, 12.0);
            ck_assert_msg(fabs(count[k] / (double)n - p) < 5.0 * sqrt(p * (1 - p) / n),
                          "P(%d) %g, want %g", k, count[k] / (double)n, p);
        }
    }
    double s = 0.0, s2 = 0.0;
    const int n = 200000;
    for (int i = 0; i < n; i++) {
        double z = qm_draw_gaussian(r, 2.0);
        s += z;
        s2 += z * z;
    }
    ck_assert(fabs(s / n) < 5.0 * 2.0 / sqrt(n));
    ck_assert(fabs(s2 / n - 4.0) < 5.0 * 4.0 * sqrt(2.0 / n));
    gsl_rng_free(r);
}
END_TEST

/* ---- the parameter registry ---- */

START_TEST(registry_is_consistent)
{
    /* Every default lies in its range, so a scenario of defaults is valid. */
    const qm_param_def *tabs[] = {qm_param_table, qm_service_fields, qm_cgroup_fields,
                                  qm_pgroup_fields, qm_agroup_fields, qm_timeline_fields};
    for (int t = 0; t < 6; t++)
        for (const qm_param_def *d = tabs[t]; d->path; d++) {
            if (d->type == QM_T_DOUBLE || d->type == QM_T_INT || d->type == QM_T_DIST)
                ck_assert_msg(d->def >= d->min && d->def <= d->max, "%s default out of range", d->path);
            ck_assert_msg(d->doc && d->doc[0], "%s lacks a description", d->path);
        }
    qm_params p = defaults();
    char msg[256];
    ck_assert_int_eq(qm_params_check(&p, msg, sizeof msg), 0);
}
END_TEST

/* ---- draws and the one log-normal ---- */

/* A log-normal of mean 8 and cv 0.3: sigma^2 = ln(1.09), mu = ln 8 -
 * sigma^2 / 2, so that exp(mu + sigma^2 / 2) = 8; the attribute draw and
 * the effort draw of the model share it. */
START_TEST(lognormal)
{
    double mu, sigma;
    qm_draw_lognormal_shape(8.0, 0.09, &mu, &sigma);
    ck_assert_double_eq_tol(sigma * sigma, log(1.09), EPS);
    ck_assert_double_eq_tol(mu, log(8.0) - 0.5 * log(1.09), EPS);
    ck_assert_double_eq_tol(exp(mu + 0.5 * sigma * sigma), 8.0, EPS);
    ck_assert_double_eq_tol(qm_draw_lognormal_at(8.0, 0.09, 0.0), exp(mu), EPS);
    ck_assert_double_eq_tol(qm_draw_lognormal_at(8.0, 0.09, 1.5), exp(mu + 1.5 * sigma), EPS);
    /* A scenario's lognormal of mean 8 and sd 2.4 is the same variable,
     * drawn by GSL from the stream, then clipped to the range. */
    qm_dist d = {.kind = QM_DIST_LOGNORMAL, .a = 8.0, .b = 2.4};
    gsl_rng *r = qm_rng_alloc(QM_RNG_CMRG, 1, 0, QM_STREAM_INIT_PROVIDER, 0);
    gsl_rng *same = gsl_rng_clone(r);
    qm_draw_lognormal_shape(8.0, (2.4 * 2.4) / (8.0 * 8.0), &mu, &sigma);
    double sum = 0.0;
    for (int i = 0; i < 20000; i++) {
        double x = qm_draw(&d, r, i, 0.0, 1e9);
        ck_assert_double_eq(x, gsl_ran_lognormal(same, mu, sigma));
        sum += x;
    }
    ck_assert_double_eq_tol(sum / 20000, 8.0, 0.1);
    ck_assert_double_eq_tol(qm_draw(&d, r, 0, 0.0, 1.0), 1.0, EPS);
    gsl_rng_free(r);
    gsl_rng_free(same);
}
END_TEST

START_TEST(numeric_helpers)
{
    ck_assert_double_eq(qm_num_clamp01(-0.5), 0.0);
    ck_assert_double_eq(qm_num_clamp01(0.25), 0.25);
    ck_assert_double_eq(qm_num_clamp01(1.5), 1.0);
    ck_assert(isnan(qm_num_clamp01(NAN)));
    ck_assert_double_eq(qm_num_pos(-2.0), 0.0);
    ck_assert_double_eq(qm_num_pos(2.0), 2.0);
}
END_TEST

/* ---- the state: relationships, events, walks ---- */

/* One commissioner; four independents round the circle at 0.125, 0.375,
 * 0.625 and 0.875; a CSU and a firm; at most three relationships. */
static const char *const small =
    "name = \"core\"; seed = 9; months = 12;\n"
    "services = ( { name = \"a\"; } );\n"
    "commissioners = ( { prefix = \"C\"; count = 1; } );\n"
    "providers = ( { kind = \"nhs_acute\"; count = 1; },\n"
    "              { kind = \"independent\"; count = 4; } );\n"
    "agencies = ( { kind = \"csu\"; count = 1; }, { kind = \"commercial\"; count = 1; } );\n"
    "trust = { max_relationships = 3; };\n"
    "market = { reach = 3; };\n";

static qm_sim *open_small(qm_scenario *sc)
{
    static qm_errors err;
    char msg[256];
    int bad = qm_scenario_load_text(small, "core", NULL, 0, sc, &err);
    ck_assert_msg(bad == 0, "%s", bad ? err.msg[0] : "");
    qm_sim *sim = qm_sim_create(sc, sc->seed, 0, 1, msg, sizeof msg);
    ck_assert_msg(sim != NULL, "%s", msg);
    return sim;
}

/* A relationship is created at its partner's prior (an independent 0.5,
 * a CSU 0.7, a firm 0.45); when the list is full the least recently
 * active one is forgotten. */
START_TEST(relationships)
{
    qm_scenario sc;
    qm_sim *sim = open_small(&sc);
    qm_commissioner *cm = &sim->comm[0];
    ck_assert_int_eq(cm->n_rel, 1); /* the initial incumbent, the NHS trust */
    ck_assert_double_eq_tol(qm_state_prior(sim, 1), 0.5, EPS);
    ck_assert_double_eq_tol(qm_state_prior(sim, qm_state_agency_partner(sim, 0)), 0.7, EPS);
    ck_assert_double_eq_tol(qm_state_prior(sim, qm_state_agency_partner(sim, 1)), 0.45, EPS);
    ck_assert_ptr_null(qm_state_rel(sim, 0, 1, 0));
    ck_assert_double_eq_tol(qm_state_trust(sim, 0, 1), 0.5, EPS);
    sim->month = 4;
    qm_rel *r = qm_state_rel(sim, 0, 1, 1);
    ck_assert_int_eq(r->provider, 1);
    ck_assert_int_eq(r->last_contact, 4);
    ck_assert_double_eq_tol(qm_state_rel_mean(r), 0.5, EPS);
    r->alpha = 2.0;
    ck_assert_double_eq_tol(qm_state_trust(sim, 0, 1), 4.0 / 6.0, EPS);
    ck_assert_ptr_eq(qm_state_rel(sim, 0, 1, 1), r);
    sim->month = 5;
    qm_state_rel(sim, 0, 2, 1);
    ck_assert_int_eq(cm->n_rel, 3);
    /* Full: the incumbent's (last contact -1, before the market) goes. */
    sim->month = 6;
    qm_rel *s = qm_state_rel(sim, 0, qm_state_agency_partner(sim, 0), 1);
    ck_assert_int_eq(cm->n_rel, 3);
    ck_assert_ptr_eq(s, &cm->rel[0]);
    ck_assert_ptr_null(qm_state_rel(sim, 0, 0, 0));
    ck_assert_int_eq(cm->rel_id[0], qm_state_agency_partner(sim, 0));
    qm_sim_free(sim);
    qm_scenario_free(&sc);
}
END_TEST

/* Events go to their commissioner's buffer, or the market's; a full
 * buffer drops them and counts them. */
START_TEST(events)
{
    qm_scenario sc;
    qm_sim *sim = open_small(&sc);
    qm_commissioner *cm = &sim->comm[0];
    sim->month = 7;
    qm_state_event(sim, 0, QM_EV_SWITCH, 0, 2, 1, 99.0);
    ck_assert_int_eq(cm->n_events, 1);
    const qm_event *e = &cm->events[0];
    ck_assert_int_eq(e->month, 7);
    ck_assert_int_eq(e->type, QM_EV_SWITCH);
    ck_assert_int_eq(e->commissioner, 0);
    ck_assert_int_eq(e->provider, 2);
    ck_assert_int_eq(e->other, 1);
    ck_assert_double_eq(e->value, 99.0);
    qm_state_event(sim, -1, QM_EV_ENTRY, 0, 3, -1, 0.0);
    ck_assert_int_eq(sim->n_market_events, 1);
    ck_assert_int_eq(sim->market_events[0].commissioner, -1);
    cm->n_events = sim->cap_events;
    qm_state_event(sim, 0, QM_EV_RENEW, 0, 0, -1, 0.0);
    ck_assert_int_eq(cm->n_events, sim->cap_events);
    ck_assert_int_eq(cm->events_dropped, 1);
    qm_sim_free(sim);
    qm_scenario_free(&sc);
}
END_TEST

/* From 0.3 the providers of service a, nearest first: the independent at
 * 0.375 (id 2, 0.075 away), the one at 0.125 (id 1, 0.175), the NHS trust
 * at 0.5 (id 0, 0.2); reach 3 stops the walk there.  A list keeps each
 * provider's room. */
START_TEST(walks)
{
    qm_scenario sc;
    qm_sim *sim = open_small(&sc);
    qm_walk w;
    qm_walk_start(sim, &w, 0, 0.3);
    int want[3] = {2, 1, 0}, got[5], n = 0;
    for (int p; (p = qm_walk_next(&w)) >= 0;)
        got[n++] = p;
    ck_assert_int_eq(n, 3);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(got[i], want[i]);
    /* Round the circle: from 0.95, 0.875 (id 4) then 0.125 (id 1). */
    qm_walk_start(sim, &w, 0, 0.95);
    ck_assert_int_eq(qm_walk_next(&w), 4);
    ck_assert_int_eq(qm_walk_next(&w), 1);
    ck_assert_double_eq_tol(qm_walk_distance(0.95, 0.125), 0.175, EPS);
    /* The room a walk reads is the list's copy, refreshed on demand. */
    qm_walk_start(sim, &w, 0, 0.375);
    ck_assert_int_eq(qm_walk_next(&w), 2);
    ck_assert_double_eq_tol(qm_walk_room(&w), sim->capacity[2] - sim->held[2], EPS);
    sim->held[2] = 7.0;
    qm_walk_refresh(sim, 2, 0);
    qm_walk_start(sim, &w, 0, 0.375);
    qm_walk_next(&w);
    ck_assert_double_eq_tol(qm_walk_room(&w), sim->capacity[2] - 7.0, EPS);
    sim->prov[2].active = 0;
    qm_walk_refresh(sim, 2, 0);
    qm_walk_start(sim, &w, 0, 0.375);
    qm_walk_next(&w);
    ck_assert(qm_walk_room(&w) == -HUGE_VAL);
    /* Agencies stand at 0.5 each: the lower id first. */
    qm_walk_agencies(sim, &w, 0.0);
    ck_assert_int_eq(qm_walk_next(&w), 0);
    ck_assert_int_eq(qm_walk_next(&w), 1);
    ck_assert_int_eq(qm_walk_next(&w), -1);
    qm_sim_free(sim);
    qm_scenario_free(&sc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, rng_streams);
    tcase_add_test(tc, rng_generators);
    tcase_add_test(tc, xoshiro_reference);
    tcase_add_test(tc, samplers);
    tcase_add_test(tc, registry_is_consistent);
    tcase_add_test(tc, lognormal);
    tcase_add_test(tc, numeric_helpers);
    tcase_add_test(tc, relationships);
    tcase_add_test(tc, events);
    tcase_add_test(tc, walks);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
