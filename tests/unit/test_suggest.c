/* test_suggest.c: the one did-you-mean (src/io/suggest.c) that the
 * scenario and sweep-file readers share: the distance, the rule of how
 * near is near enough, and which of equally near names wins. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "io/suggest.h"

static const char *const top[] = {"base", "set", "design", "samples", "levels",
                                  "replications", "seed", "factors", "outcomes",
                                  "series", NULL};
static const char *const factor[] = {"path", "name", "range", "values", "log", "levels", NULL};

static void near_is(const char *typed, const char *const *names, const char *want)
{
    const char *got = qm_suggest_nearest(typed, names, -1);
    if (!want)
        ck_assert_msg(got == NULL, "'%s': wanted nothing, got '%s'", typed, got);
    else
        ck_assert_msg(got && !strcmp(got, want), "'%s': wanted '%s', got '%s'", typed, want,
                      got ? got : "(nothing)");
}

START_TEST(test_one_edit)
{
    near_is("sample", top, "samples");     /* a deletion */
    near_is("serires", top, "series");     /* an insertion */
    near_is("desigm", top, "design");      /* a substitution */
    near_is("rnage", factor, "range");     /* a swap is one edit, so not 'name' */
    near_is("esed", top, "seed");          /* not 'set' */
    near_is("base", top, "base");
}
END_TEST

START_TEST(test_limit)
{
    /* Within max(2, length / 3) edits of the typed text. */
    near_is("ae", top, "base");            /* 2 edits, length 2 */
    near_is("xyzw", top, NULL);
    near_is("lvls", top, "levels");        /* 2 edits, length 4 */
    near_is("leervls", top, NULL);         /* 3 edits, length 7: limit 2 */
    near_is("replcatins", top, "replications"); /* 2 edits, length 10 */
    near_is("rplcatins", top, "replications");  /* 3 edits, length 9: limit 3 */
}
END_TEST

START_TEST(test_ties_and_counts)
{
    static const char *const names[] = {"abc", "abd", "xyz", NULL};
    qm_suggest g;
    near_is("abx", names, "abc");          /* the first of equally near names */
    ck_assert_str_eq(qm_suggest_nearest("xyy", names, 3), "xyz");
    ck_assert_ptr_null(qm_suggest_nearest("xyy", names, 2)); /* only the first two */
    /* The limit may come from part of the key (its last component), and a
     * candidate may be compared on a prefix only. */
    qm_suggest_init(&g, "polcy", 2);
    qm_suggest_try(&g, "policy.tender_pressure", 6);
    ck_assert_ptr_nonnull(g.best);
    ck_assert_uint_eq(g.bestl, 6);
    ck_assert_uint_eq(g.bestd, 1);
    /* Longer than QM_SUGGEST_MAX: never near. */
    char longer[QM_SUGGEST_MAX + 2];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    const char *const one[] = {longer, NULL};
    ck_assert_ptr_null(qm_suggest_nearest(longer, one, -1));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("suggest");
    TCase *tc = tcase_create("suggest");
    tcase_add_test(tc, test_one_edit);
    tcase_add_test(tc, test_limit);
    tcase_add_test(tc, test_ties_and_counts);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
