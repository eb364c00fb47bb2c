/* test_compare.c: the comparison library (qmsim/comparison.h) and the JSON
 * writer (qmsim/json.h) against hand-computed values: outcome lists and
 * their evaluation, the series kept, means with t intervals, paired and
 * Welch differences, a series' summary, the comparison file written and
 * read back, and the common-random-numbers runner (the same scenario twice
 * differs by exactly 0, on one thread or two). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qmsim/qmsim.h"
#include "qmsim/comparison.h"
#include "qmsim/json.h"

/* What f printed, as a malloc'd string. */
typedef struct capture {
    char *buf;
    size_t len;
    FILE *f;
} capture;

static void cap_open(capture *c)
{
    c->f = open_memstream(&c->buf, &c->len);
    ck_assert_ptr_nonnull(c->f);
}

static const char *cap_close(capture *c)
{
    fclose(c->f);
    return c->buf;
}

/* ---- JSON ---- */

START_TEST(json_strings)
{
    capture c;
    cap_open(&c);
    qm_json_str(c.f, "a\"b\\c\n\x01é");
    fputc(' ', c.f);
    qm_json_str(c.f, NULL);
    ck_assert_str_eq(cap_close(&c), "\"a\\\"b\\\\c\\u000a\\u0001é\" \"\"");
    free(c.buf);
}
END_TEST

START_TEST(json_numbers_round_trip)
{
    const double xs[] = {0.1, 1.0 / 3.0, -2.5e-300, 1e300, 0.0, 123456789.125};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        capture c;
        cap_open(&c);
        qm_json_num(c.f, xs[i]);
        ck_assert(strtod(cap_close(&c), NULL) == xs[i]);
        free(c.buf);
    }
    capture c;
    cap_open(&c);
    qm_json_num(c.f, 0.1);
    fputc(' ', c.f);
    qm_json_num(c.f, NAN);
    fputc(' ', c.f);
    qm_json_num(c.f, -INFINITY);
    fputc(' ', c.f);
    qm_json_setting(c.f, 0.95);
    fputc(' ', c.f);
    qm_json_setting(c.f, INFINITY);
    ck_assert_str_eq(cap_close(&c), "0.10000000000000001 null null 0.95 null");
    free(c.buf);
    /* A setting %g would round is written in full. */
    cap_open(&c);
    qm_json_setting(c.f, 0.123456789);
    ck_assert(strtod(cap_close(&c), NULL) == 0.123456789);
    free(c.buf);
}
END_TEST

/* ---- Outcomes ---- */

START_TEST(outcome_lists)
{
    qm_cmp_outcome o[QM_CMP_MAX_OUTCOMES];
    char err[512];
    ck_assert_int_eq(qm_outcomes_parse(NULL, o, QM_CMP_MAX_OUTCOMES, err, sizeof err), QM_KO_DEFAULT_N);
    ck_assert_str_eq(o[0].name, "tender_share");
    ck_assert_int_eq(o[QM_KO_DEVELOPMENTS].key, QM_KO_DEVELOPMENTS);
    ck_assert_int_eq(qm_outcomes_parse("trust,sum:spend,spend", o, 8, err, sizeof err), 3);
    ck_assert_int_eq(o[0].key, QM_KO_TRUST);
    ck_assert_str_eq(o[1].name, "sum:spend");
    ck_assert_int_eq(o[1].reduce, QM_REDUCE_SUM);
    ck_assert_int_eq(o[1].series, QM_S_SPEND);
    ck_assert_str_eq(o[2].name, "mean:spend");   /* a bare series is its mean */
    ck_assert_int_eq(o[2].reduce, QM_REDUCE_MEAN);
    ck_assert_int_eq(qm_outcomes_parse("trust,median:spend", o, 8, err, sizeof err), -1);
    ck_assert(strstr(err, "unknown outcome 'median:spend'") != NULL);
    ck_assert_int_eq(qm_outcomes_parse("trust,,spend", o, 8, err, sizeof err), -1);
    ck_assert_int_eq(qm_outcomes_parse("trust,spend", o, 1, err, sizeof err), -1);
    ck_assert_str_eq(err, "more than 1 outcomes");
    ck_assert(qm_outcomes_listed(NULL, "spend"));
    ck_assert(qm_outcomes_listed("trust,spend", "spend"));
    ck_assert(!qm_outcomes_listed("trust,spends", "spend"));
}
END_TEST

START_TEST(outcome_values)
{
    enum { T = 2 };
    double ser[QM_S_N * T] = {0};
    qm_cmp_outcome o[8];
    char err[512];
#define SET(k, a, b) (ser[(k) * T] = (a), ser[(k) * T + 1] = (b))
    SET(QM_S_SPEND, 1.0, 3.0);
    SET(QM_S_DECISIONS_TENDER, 1.0, 1.0);
    SET(QM_S_DECISIONS_RENEW, 1.0, 0.0);
    SET(QM_S_DECISIONS_RENEGOTIATE, 0.0, 1.0);
    SET(QM_S_QUALITY_DELIVERED, 0.5, 1.0);
    SET(QM_S_ACTIVITY, 1.0, 3.0);
    SET(QM_S_UNMET_DEMAND, 1.0, 1.0);
    SET(QM_S_AGENCY_FEES, 6.0, 6.0);
#undef SET
    int n = qm_outcomes_parse("sum:spend,mean:spend,final:spend,min:spend,max:spend,"
                              "tender_share,quality,unmet_share,agency_fees,switch_rate",
                              o, 8, err, sizeof err);
    ck_assert_int_eq(n, -1);   /* ten do not fit in eight */
    qm_cmp_outcome all[16];
    n = qm_outcomes_parse("sum:spend,mean:spend,final:spend,min:spend,max:spend,"
                          "tender_share,quality,unmet_share,agency_fees,switch_rate",
                          all, 16, err, sizeof err);
    ck_assert_int_eq(n, 10);
    const double want[10] = {4.0, 2.0, 3.0, 1.0, 3.0,
                             2.0 / 4.0,               /* tenders over decisions */
                             (0.5 * 1 + 1.0 * 3) / 4,  /* quality weighted by activity */
                             2.0 / 6.0,               /* unmet over unmet + activity */
                             12.0 / (2.0 / 12.0),     /* fees a year */
                             NAN};                    /* no contracts: no switch rate */
    for (int i = 0; i < n; i++) {
        double v = qm_outcomes_eval(&all[i], ser, T, T);
        if (isnan(want[i]))
            ck_assert(isnan(v));
        else
            ck_assert_double_eq_tol(v, want[i], 1e-12);
    }
    ck_assert(isnan(qm_outcomes_eval(&all[0], ser, T, 0)));
    char desc[400];
    ck_assert(strstr(qm_outcomes_describe(&all[0], desc, sizeof desc), "sum over the months of")
              != NULL);
}
END_TEST

/* The development outcomes of P3 by hand: four months, launches of 1, 2,
 * 0, 1 developments whose mean months to launch are 10, 20, -, 30. */
START_TEST(outcome_developments)
{
    enum { T = 4 };
    double ser[QM_S_N * T] = {0};
    const double n[T] = {1, 2, 0, 1}, m[T] = {10, 20, 0, 30};
    for (int t = 0; t < T; t++) {
        ser[QM_S_DEVELOPMENTS_COMPLETED * T + t] = n[t];
        ser[QM_S_DEVELOPMENT_MONTHS_TO_LAUNCH * T + t] = m[t];
    }
    ser[QM_S_DEVELOPMENTS_LAUNCHED_AFTER_STALL * T + 1] = 1;  /* one launch stalled */
    ser[QM_S_DEVELOPMENTS_ABANDONED * T + 3] = 1;             /* one abandoned */
    qm_cmp_outcome o[2];
    char err[512];
    ck_assert_int_eq(qm_outcomes_parse("launch_months,stalled_share", o, 2, err, sizeof err), 2);
    /* launches at 10, 20, 20, 30: half (2 of 4) reached at 20 */
    ck_assert_double_eq_tol(qm_outcomes_eval(&o[0], ser, T, T), 20.0, 1e-12);
    /* (1 stalled + 1 abandoned) / (4 launched + 1 abandoned) */
    ck_assert_double_eq_tol(qm_outcomes_eval(&o[1], ser, T, T), 2.0 / 5.0, 1e-12);
    ck_assert(isnan(qm_outcomes_eval(&o[0], ser, T, 1) - 10.0) == 0);
    for (int t = 0; t < T; t++)
        ser[QM_S_DEVELOPMENTS_COMPLETED * T + t] = 0;
    ck_assert(isnan(qm_outcomes_eval(&o[0], ser, T, T)));
}
END_TEST

START_TEST(kept_series)
{
    int ids[QM_S_N];
    char err[256];
    ck_assert_int_eq(qm_outcomes_keep(NULL, ids, err, sizeof err), qm_outcomes_main_series_n);
    ck_assert_int_eq(qm_outcomes_keep("all", ids, err, sizeof err), QM_S_N);
    ck_assert_int_eq(qm_outcomes_keep("none", ids, err, sizeof err), 0);
    ck_assert_int_eq(qm_outcomes_keep("spend,switches,spend", ids, err, sizeof err), 2);
    ck_assert_int_eq(ids[0], QM_S_SPEND);
    ck_assert_int_eq(ids[1], QM_S_SWITCHES);
    ck_assert_int_eq(qm_outcomes_keep("spend,trust", ids, err, sizeof err), -1);
    ck_assert_str_eq(err, "'trust' is not a series of the model");
    ck_assert_int_eq(qm_outcomes_series_index("spend"), QM_S_SPEND);
    ck_assert_int_eq(qm_outcomes_series_index("nothing"), -1);
}
END_TEST

/* ---- Statistics ---- */

START_TEST(means_with_t_intervals)
{
    const double x[4] = {1.0, NAN, 2.0, 3.0};
    int n;
    double mean, lo, hi;
    qm_stats_mean_ci(x, 4, 0.95, &n, &mean, &lo, &hi);
    /* s = 1, t(0.975; 2) = 4.302652729911275, half = t s / sqrt(3). */
    double half = 4.302652729911275 / sqrt(3.0);
    ck_assert_int_eq(n, 3);
    ck_assert_double_eq_tol(mean, 2.0, 1e-15);
    ck_assert_double_eq_tol(lo, 2.0 - half, 1e-9);
    ck_assert_double_eq_tol(hi, 2.0 + half, 1e-9);
    qm_stats_mean_ci(x, 1, 0.95, &n, &mean, &lo, &hi);
    ck_assert_int_eq(n, 1);
    ck_assert_double_eq(mean, 1.0);
    ck_assert(isnan(lo) && isnan(hi));
    qm_stats_mean_ci(x + 1, 1, 0.95, &n, &mean, &lo, &hi);
    ck_assert_int_eq(n, 0);
    ck_assert(isnan(mean));
}
END_TEST

START_TEST(series_summary)
{
    const double v[3] = {2.0, NAN, 3.0};
    qm_stats_summary s;
    qm_stats_summarise(v, 3, &s);
    ck_assert(isnan(s.total) && isnan(s.mean));
    ck_assert_double_eq(s.min, 2.0);
    ck_assert_double_eq(s.max, 3.0);
    ck_assert_double_eq(s.final, 3.0);
    qm_stats_summarise(v, 0, &s);
    ck_assert_double_eq(s.total, 0.0);
    ck_assert(isnan(s.mean) && isnan(s.min) && isnan(s.max) && isnan(s.final));
}
END_TEST

/* A comparison of two scenarios of R runs each, one outcome y = base + the
 * replicate (+ step for the second scenario), one kept series of T months,
 * replicates as given (-1: unknown, so unpaired). */
static void make_cmp(qm_cmp *d, int R, double step, int paired)
{
    enum { T = 3 };
    memset(d, 0, sizeof *d);
    d->source = QM_CMP_SCENARIOS;
    d->seed = 7;
    d->replications = R;
    d->n_scen = 2;
    d->scen = calloc(2, sizeof *d->scen);
    for (int s = 0; s < 2; s++) {
        d->scen[s].name = strdup(s ? "second" : "first");
        d->scen[s].source = strdup("hand.cfg");
        d->scen[s].description = strdup("made by hand");
        d->scen[s].settings = strdup(s ? "a=1" : "");
        d->scen[s].resolved = strdup("");
        d->scen[s].months = T;
        d->scen[s].runs = R;
    }
    d->n_out = 1;
    d->out = calloc(1, sizeof *d->out);
    snprintf(d->out[0].name, sizeof d->out[0].name, "sum:spend");
    d->out[0].key = -1;
    d->out[0].reduce = QM_REDUCE_SUM;
    d->out[0].series = QM_S_SPEND;
    d->out[0].column = -1;
    d->n_runs = 2 * R;
    d->T = T;
    d->n_ser = 1;
    d->ser_names = calloc(1, sizeof(char *));
    d->ser_units = calloc(1, sizeof(char *));
    d->ser_desc = calloc(1, sizeof(char *));
    d->ser_names[0] = strdup("spend");
    d->ser_units[0] = strdup("GBP");
    d->ser_desc[0] = strdup("Spend");
    d->run_scen = calloc((size_t)d->n_runs, sizeof *d->run_scen);
    d->run_rep = calloc((size_t)d->n_runs, sizeof *d->run_rep);
    d->run_seed = calloc((size_t)d->n_runs, sizeof *d->run_seed);
    d->run_file = calloc((size_t)d->n_runs, sizeof *d->run_file);
    d->y = calloc((size_t)d->n_runs, sizeof *d->y);
    d->ser = calloc((size_t)d->n_runs * T, sizeof *d->ser);
    d->events = calloc((size_t)d->n_runs * QM_EV_N, sizeof *d->events);
    for (int j = 0; j < d->n_runs; j++) {
        int s = j / R, r = j % R;
        d->run_scen[j] = s;
        d->run_rep[j] = paired ? r : -1;
        d->run_seed[j] = 7;
        d->run_file[j] = strdup("");
        d->y[j] = 10.0 + r + (s ? step : 0.0);
        for (int t = 0; t < T; t++)
            d->ser[(size_t)j * T + (size_t)t] = s * 100.0 + r + t;
        d->events[(size_t)j * QM_EV_N + QM_EV_SWITCH] = r + 1;
    }
}

START_TEST(paired_and_welch_differences)
{
    qm_cmp d;
    make_cmp(&d, 3, 2.0, 1);
    qm_cmp_stat *st = qm_stats_compare(&d, 0.95);
    ck_assert_ptr_nonnull(st);
    /* Paired: every difference is exactly 2, so the interval is [2, 2]. */
    ck_assert_int_eq(st[1].pairs, 3);
    ck_assert_double_eq(st[1].diff, 2.0);
    ck_assert_double_eq(st[1].dlo, 2.0);
    ck_assert_double_eq(st[1].dhi, 2.0);
    ck_assert_int_eq(st[1].sig, 1);
    ck_assert_int_eq(st[0].sig, -1);   /* the reference has no difference */
    ck_assert(isnan(st[0].diff));
    free(st);
    qm_cmp_free(&d);
    /* Unpaired (replicates unknown): Welch's interval of two samples of
     * variance 1: se = sqrt(2/3), df = 4. */
    make_cmp(&d, 3, 2.0, 0);
    st = qm_stats_compare(&d, 0.95);
    double half = 2.7764451051977987 * sqrt(2.0 / 3.0);
    ck_assert_int_eq(st[1].pairs, 0);
    ck_assert_double_eq_tol(st[1].diff, 2.0, 1e-12);
    ck_assert_double_eq_tol(st[1].dlo, 2.0 - half, 1e-9);
    ck_assert_double_eq_tol(st[1].dhi, 2.0 + half, 1e-9);
    ck_assert_int_eq(st[1].sig, 0);    /* the interval includes 0 */
    free(st);
    qm_cmp_free(&d);
}
END_TEST

/* ---- The comparison file ---- */

START_TEST(comparison_file_round_trip)
{
    char path[] = "/tmp/qmsim-test-compare-XXXXXX", err[1024];
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    unlink(path);
    qm_cmp d;
    make_cmp(&d, 4, 1.0, 1);
    qm_cmp_stat *st = qm_stats_compare(&d, 0.9);
    ck_assert_int_eq(qm_cmpfile_write(path, 0, &d, st, 0.9, err, sizeof err), QM_CMP_OK);
    /* An existing file is kept without force; the new one stays partial. */
    ck_assert_int_eq(qm_cmpfile_write(path, 0, &d, st, 0.9, err, sizeof err), QM_CMP_FAILED);
    ck_assert(strstr(err, "appeared meanwhile") != NULL);
    char partial[sizeof path + 16];
    snprintf(partial, sizeof partial, "%s.partial", path);
    ck_assert_int_eq(unlink(partial), 0);

    qm_cmpfile cf;
    ck_assert_int_eq(qm_cmpfile_read(path, NULL, 64, &cf, err, sizeof err), QM_CMP_OK);
    ck_assert_int_eq(cf.n_scen, 2);
    ck_assert_str_eq(cf.scen[1].name, "second");
    ck_assert_str_eq(cf.scen[1].settings, "a=1");
    ck_assert_int_eq(cf.scen[1].runs, 4);
    ck_assert_str_eq(cf.source, "scenarios");
    ck_assert_int_eq(cf.seed, 7);
    ck_assert_int_eq(cf.n_out, 1);
    ck_assert_str_eq(cf.out_names[0], "sum:spend");
    ck_assert_double_eq(cf.level, 0.9);
    for (int s = 0; s < 2; s++) {
        ck_assert_double_eq(cf.mean[s], st[s].mean);
        ck_assert(cf.lo[s] == st[s].lo && cf.hi[s] == st[s].hi);
        ck_assert_int_eq(cf.sig[s], st[s].sig);
    }
    /* Bands: the mean over replicates 0..3 of s * 100 + r + t. */
    ck_assert(cf.has_bands);
    ck_assert_int_eq(cf.n_ser, 1);
    ck_assert_int_eq(cf.T, 3);
    ck_assert_str_eq(cf.ser_units[0], "GBP");
    ck_assert_double_eq_tol(cf.smean[1 * 3 + 2], 100.0 + 1.5 + 2.0, 1e-12);
    ck_assert_double_eq_tol(cf.slo[0], 0.075, 1e-12);   /* 2.5th percentile of 0..3 */
    ck_assert_double_eq_tol(cf.ev_mean[1 * QM_EV_N + QM_EV_SWITCH], 2.5, 1e-12);
    qm_cmpfile_free(&cf);

    /* Only the series listed are read. */
    ck_assert_int_eq(qm_cmpfile_read(path, "switches", 64, &cf, err, sizeof err), QM_CMP_OK);
    ck_assert_int_eq(cf.n_ser, 0);
    ck_assert_int_eq(cf.n_band_names, 1);
    ck_assert_str_eq(cf.band_names[0], "spend");
    qm_cmpfile_free(&cf);
    free(st);
    qm_cmp_free(&d);
    unlink(path);
    ck_assert_int_eq(qm_cmpfile_read(path, NULL, 64, &cf, err, sizeof err), QM_CMP_FAILED);
    ck_assert(strstr(err, "cannot open") != NULL);
    qm_cmpfile_free(&cf);
}
END_TEST

/* ---- The common-random-numbers runner ---- */

static void count_progress(void *ctx, int done, int total)
{
    int *calls = ctx;
    ck_assert_int_le(done, total);
    (*calls)++;
}

/* The baseline twice, R replicates each, on threads threads. */
static void run_twice(int threads, qm_cmp *d)
{
    static qm_errors e;
    const char *sets[] = {"months=4"};
    qm_scenario sc[2];
    char err[1024];
    int calls = 0, keep[1] = {QM_S_SPEND};
    for (int s = 0; s < 2; s++)
        ck_assert_int_eq(qm_scenario_load(NULL, sets, 1, &sc[s], &e), 0);
    const char *files[2] = {"builtin", "builtin"};
    qm_crn_plan p = {sc, files, 2, 3, 11, sets, 1, keep, 1, threads, count_progress, &calls};
    memset(d, 0, sizeof *d);
    char out_err[256];
    d->out = calloc(QM_KO_N, sizeof *d->out);
    d->n_out = qm_outcomes_parse(NULL, d->out, QM_KO_N, out_err, sizeof out_err);
    ck_assert_int_eq(qm_crn_run(&p, d, err, sizeof err), QM_CMP_OK);
    ck_assert_int_eq(calls, 6);
    for (int s = 0; s < 2; s++)
        qm_scenario_free(&sc[s]);
}

START_TEST(common_random_numbers)
{
    qm_cmp a, b;
    run_twice(1, &a);
    run_twice(2, &b);
    ck_assert_int_eq(a.n_runs, 6);
    /* The labels of the same name are told apart by their file. */
    ck_assert_str_ne(a.scen[0].name, a.scen[1].name);
    ck_assert_str_eq(a.scen[0].settings, "months=4");
    for (int j = 0; j < a.n_runs * a.n_out; j++)
        ck_assert(memcmp(&a.y[j], &b.y[j], sizeof(double)) == 0);   /* threads change nothing */
    qm_cmp_stat *st = qm_stats_compare(&a, 0.95);
    for (int m = 0; m < a.n_out; m++)
        if (isfinite(st[m * 2 + 1].diff)) {
            ck_assert_int_eq(st[m * 2 + 1].pairs, 3);
            ck_assert_double_eq(st[m * 2 + 1].diff, 0.0);   /* the same runs, pair by pair */
        }
    ck_assert_double_eq(a.ser[3], a.ser[3 * 4 * 1 + 3]);   /* kept series of run 0 and run 3 */
    free(st);
    qm_cmp_free(&a);
    qm_cmp_free(&b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("compare");
    TCase *j = tcase_create("json");
    tcase_add_test(j, json_strings);
    tcase_add_test(j, json_numbers_round_trip);
    suite_add_tcase(s, j);
    TCase *o = tcase_create("outcomes");
    tcase_add_test(o, outcome_lists);
    tcase_add_test(o, outcome_values);
    tcase_add_test(o, outcome_developments);
    tcase_add_test(o, kept_series);
    suite_add_tcase(s, o);
    TCase *t = tcase_create("statistics");
    tcase_add_test(t, means_with_t_intervals);
    tcase_add_test(t, series_summary);
    tcase_add_test(t, paired_and_welch_differences);
    suite_add_tcase(s, t);
    TCase *f = tcase_create("files and runs");
    tcase_add_test(f, comparison_file_round_trip);
    tcase_add_test(f, common_random_numbers);
    suite_add_tcase(s, f);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
