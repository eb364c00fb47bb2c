/* test_meta.c: the one table of what the output's numbers mean
 * (src/observe/meta.c): every series of the model has an entry with the
 * unit its dataset carries, every key outcome of a comparison has one,
 * kinds and ranges agree, and a sum over months keeps only its floor. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qmsim/comparison.h"
#include "qmsim/meta.h"

START_TEST(test_every_series)
{
    for (int k = 0; k < QM_S_N; k++) {
        const qm_meta *m = qm_meta_find(qm_series_defs[k].name);
        ck_assert_msg(m != NULL, "series %s has no metadata", qm_series_defs[k].name);
        ck_assert_msg(!strcmp(m->unit, qm_series_defs[k].units), "%s: unit %s, dataset %s",
                      m->name, m->unit, qm_series_defs[k].units);
        ck_assert_msg(m->label[0] >= 'A' && m->label[0] <= 'Z', "%s: label '%s'", m->name,
                      m->label);
        if (m->kind == QM_KIND_INDEX)
            ck_assert(m->lo == 0.0 && m->hi == 1.0 && m->agg == QM_AGG_MEAN);
        if (m->time == QM_TIME_FLOW && m->kind == QM_KIND_COUNT)
            ck_assert(m->agg == QM_AGG_SUM && m->lo == 0.0);
        if (m->time == QM_TIME_STOCK && m->kind != QM_KIND_INDEX)
            ck_assert(m->agg == QM_AGG_MEAN);
    }
}
END_TEST

START_TEST(test_key_outcomes)
{
    for (int q = 0; q < QM_KO_N; q++) {
        const qm_meta *m = qm_meta_outcome(qm_outcomes_key_defs[q].name);
        ck_assert_msg(m != NULL, "outcome %s has no metadata", qm_outcomes_key_defs[q].name);
        ck_assert_msg(!strcmp(m->unit, qm_outcomes_key_defs[q].units), "%s: %s vs %s", m->name,
                      m->unit, qm_outcomes_key_defs[q].units);
    }
    /* "agency_fees" is a series (GBP a month) and an outcome (GBP a year). */
    ck_assert_str_eq(qm_meta_find("agency_fees")->unit, "GBP");
    ck_assert_str_eq(qm_meta_outcome("agency_fees")->unit, "GBP/year");
    ck_assert_int_eq(qm_meta_outcome("tender_share")->kind, QM_KIND_SHARE);
    ck_assert(qm_meta_outcome("tender_share")->hi == 1.0);
}
END_TEST

START_TEST(test_unknown_and_ranges)
{
    ck_assert_ptr_null(qm_meta_find("no_such_series"));
    ck_assert_str_eq(qm_meta_label("no_such_series"), "no_such_series");
    const qm_meta *p = qm_meta_get("no_such_series");
    ck_assert(isinf(p->lo) && p->lo < 0 && isinf(p->hi));
    double lo, hi;
    qm_meta_reduce_range(qm_meta_find("trust_mean_provider"), "mean", &lo, &hi);
    ck_assert(lo == 0.0 && hi == 1.0);
    qm_meta_reduce_range(qm_meta_find("trust_mean_provider"), "sum", &lo, &hi);
    ck_assert(lo == 0.0 && isinf(hi));
    qm_meta_reduce_range(qm_meta_find("provider_profit"), "sum", &lo, &hi);
    ck_assert(isinf(lo) && lo < 0);
    ck_assert_str_eq(qm_meta_kind_name(QM_KIND_MONEY), "money");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("meta");
    TCase *tc = tcase_create("meta");
    tcase_add_test(tc, test_every_series);
    tcase_add_test(tc, test_key_outcomes);
    tcase_add_test(tc, test_unknown_and_ranges);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
