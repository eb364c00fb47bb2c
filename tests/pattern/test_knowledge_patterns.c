/* test_knowledge_patterns.c: patterns P3, P5 and P6 of MODEL.md 1, each on
 * the mean over 20 replications of the bundled scenarios. */
#include <check.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

#include "patterns.h"

/* P3: developments are slow and capacity-bound (baseline). */
START_TEST(p3_slow_capacity_bound_developments)
{
    qm_scenario sc = pt_load("baseline", NULL, 0);
    double median = 0.0, stall = 0.0;
    int reps = 0;
    for (int rep = 0; rep < PT_REPS; rep++) {
        pt_result r = pt_run_full(&sc, rep, 0);
        double done = pt_sum(&r, QM_S_DEVELOPMENTS_COMPLETED, 0, r.months);
        double abandoned = pt_sum(&r, QM_S_DEVELOPMENTS_ABANDONED, 0, r.months);
        double stalled = pt_sum(&r, QM_S_DEVELOPMENTS_LAUNCHED_AFTER_STALL, 0, r.months) + abandoned;
        if (r.n_launch > 0 && done + abandoned > 0) {
            gsl_sort(r.launch, 1, (size_t)r.n_launch);
            median += gsl_stats_median_from_sorted_data(r.launch, 1, (size_t)r.n_launch);
            stall += stalled / (done + abandoned);
            reps++;
        }
        pt_free(&r);
    }
    ck_assert_int_gt(reps, PT_REPS / 2);
    median /= reps;
    stall /= reps;
    printf("P3 baseline: median months from start to launch %.1f (target >= 18); "
           "developments that stalled at least once %.1f %% (target 15-50 %%)\n", median, 100 * stall);
    ck_assert_msg(median >= 18.0, "P3: median %.2f < 18", median);
    ck_assert_msg(stall >= 0.15 && stall <= 0.50, "P3: stall share %.3f outside [0.15, 0.50]", stall);
    qm_scenario_free(&sc);
}
END_TEST

/* Index of the first reorganisation in a scenario's timeline. */
static int reorganisation_of(const qm_scenario *sc)
{
    for (int i = 0; i < sc->n_timeline; i++)
        if (sc->timeline[i].type == QM_TL_REORGANISATION)
            return i;
    return -1;
}

/* P5 (MODEL.md 1, v2 targets): reorganisation ruptures relationships.
 * csu_2013 against the same scenario whose reorganisation changes
 * nothing, replicate by replicate: at the reorganisation mean trust in
 * incumbent providers falls by at least 0.05 and contextual knowledge
 * drops; developments under way launch 3 to 9 months later than the same
 * developments without it (matched by commissioner, service and start
 * month, over those that launch in both runs). */
START_TEST(p5_reorganisation_ruptures)
{
    qm_scenario sc = pt_load("csu_2013", NULL, 0);
    qm_scenario calm = pt_load("csu_2013", NULL, 0);
    int i = reorganisation_of(&sc);
    ck_assert_int_ge(i, 0);
    int R = sc.timeline[i].month;
    qm_timeline_event *ev = &calm.timeline[i];
    ev->staff_loss = ev->knowledge_loss = ev->rupture = ev->setback = ev->split_share = 0.0;
    ev->data_months = 0;
    ev->merge = 1;
    double dtrust = 0.0, dknow = 0.0, delay = 0.0;
    int matched = 0, under_way = 0;
    for (int rep = 0; rep < PT_REPS; rep++) {
        pt_result r = pt_run_full(&sc, rep, R), c = pt_run_full(&calm, rep, R);
        dtrust += PT_AT(&r, R, QM_S_TRUST_MEAN_PROVIDER) - PT_AT(&r, R - 1, QM_S_TRUST_MEAN_PROVIDER);
        dknow += PT_AT(&r, R, QM_S_KNOWLEDGE_CONTEXTUAL_MEAN) - PT_AT(&r, R - 1, QM_S_KNOWLEDGE_CONTEXTUAL_MEAN);
        double d;
        matched += pt_matched_delay(&c, &r, &d);
        delay += d;
        under_way += c.n_under_way;
        pt_free(&r);
        pt_free(&c);
    }
    dtrust /= PT_REPS;
    dknow /= PT_REPS;
    ck_assert(matched > 0);
    delay /= matched;
    printf("P5 csu_2013 at month %d: mean trust in providers changes by %+.3f (target <= -0.05), "
           "contextual knowledge by %+.3f (target < 0);\n"
           "   developments under way launch %.1f months later than without the reorganisation "
           "(target 3-9; %d of the %d that launch without it launch with it)\n",
           R, dtrust, dknow, delay, matched, under_way);
    ck_assert_msg(dtrust <= -0.05, "P5: trust fell by %.4f < 0.05", -dtrust);
    ck_assert_msg(dknow < 0.0, "P5: knowledge did not drop (%+.4f)", dknow);
    ck_assert_msg(delay >= 3.0 && delay <= 9.0, "P5: developments delayed %.2f months, not 3-9", delay);
    qm_scenario_free(&sc);
    qm_scenario_free(&calm);
}
END_TEST

typedef struct p6 {
    double renewals, analytic_end, dependency;
} p6;

static p6 measure_p6(const char *name)
{
    qm_scenario sc = pt_load(name, NULL, 0);
    p6 x = {0};
    for (int rep = 0; rep < PT_REPS; rep++) {
        pt_result r = pt_run_full(&sc, rep, 0);
        x.renewals += pt_sum(&r, QM_S_ENGAGEMENT_RENEWALS, 0, r.months);
        x.analytic_end += PT_AT(&r, r.months - 1, QM_S_KNOWLEDGE_ANALYTIC_MEAN);
        x.dependency += pt_sum(&r, QM_S_DEPENDENCY_INDEX, r.months - 12, r.months) / 12.0;
        pt_free(&r);
    }
    x.renewals /= PT_REPS;
    x.analytic_end /= PT_REPS;
    x.dependency /= PT_REPS;
    qm_scenario_free(&sc);
    return x;
}

/* P6: without transfer clauses, dependency (outsourced_commissioning
 * against kt_mandate, which differ only in the clause). */
START_TEST(p6_no_clause_breeds_dependency)
{
    p6 a = measure_p6("outsourced_commissioning"), b = measure_p6("kt_mandate");
    printf("P6: engagement renewals %.1f without clauses vs %.1f with; final analytic knowledge %.3f vs %.3f;\n"
           "   dependency index (last year) %.3f vs %.3f\n",
           a.renewals, b.renewals, a.analytic_end, b.analytic_end, a.dependency, b.dependency);
    ck_assert_msg(a.renewals > b.renewals, "P6: renewals %.2f <= %.2f", a.renewals, b.renewals);
    ck_assert_msg(a.analytic_end < b.analytic_end, "P6: analytic %.3f >= %.3f", a.analytic_end, b.analytic_end);
    ck_assert_msg(a.dependency > b.dependency, "P6: dependency %.3f <= %.3f", a.dependency, b.dependency);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc > 1)
        pt_srcdir = argv[1];
    Suite *s = suite_create("patterns");
    TCase *tc = tcase_create("knowledge");
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, p3_slow_capacity_bound_developments);
    tcase_add_test(tc, p5_reorganisation_ruptures);
    tcase_add_test(tc, p6_no_clause_breeds_dependency);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
