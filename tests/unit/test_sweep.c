/* test_sweep.c: sweep designs (bounds, LHS strata, Saltelli matrices on
 * GSL's Sobol sequence, Morris trajectories), factor values, the journal,
 * common random numbers, sweep-file checks, and Sobol indices and Morris
 * effects against analytic values (the Ishigami function). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_qrng.h>

#include "qmsim/sweep.h"

#define PI 3.14159265358979323846

/* ---- Designs. ---- */

START_TEST(grid_levels_and_order)
{
    int levels[3] = {2, 3, 1};
    long n = qm_design_grid_size(3, levels, 1000);
    ck_assert_int_eq(n, 6);
    double u[18];
    qm_design_grid(3, levels, u);
    /* Last factor fastest; a single level sits at the middle. */
    double want[6][3] = {{0, 0, .5}, {0, .5, .5}, {0, 1, .5}, {1, 0, .5}, {1, .5, .5}, {1, 1, .5}};
    for (int p = 0; p < 6; p++)
        for (int i = 0; i < 3; i++)
            ck_assert_double_eq_tol(u[p * 3 + i], want[p][i], 1e-15);
    int big[2] = {100000, 100000};
    ck_assert_int_eq(qm_design_grid_size(2, big, 1000000), 0);
    int zero[2] = {3, 0};
    ck_assert_int_eq(qm_design_grid_size(2, zero, 1000), 0);
}
END_TEST

START_TEST(lhs_strata)
{
    enum { N = 50, K = 4 };
    static double u[N * K], v[N * K], w[N * K];
    ck_assert_int_eq(qm_design_lhs(N, K, 7, u), 0);
    for (int i = 0; i < K; i++) {
        int seen[N] = {0};
        for (int p = 0; p < N; p++) {
            double x = u[p * K + i];
            ck_assert(x >= 0.0 && x < 1.0);
            seen[(int)floor(x * N)]++;
        }
        for (int s = 0; s < N; s++)
            ck_assert_msg(seen[s] == 1, "factor %d stratum %d holds %d points", i, s, seen[s]);
    }
    ck_assert_int_eq(qm_design_lhs(N, K, 7, v), 0);
    ck_assert_int_eq(qm_design_lhs(N, K, 8, w), 0);
    ck_assert(memcmp(u, v, sizeof u) == 0);
    ck_assert(memcmp(u, w, sizeof u) != 0);
}
END_TEST

START_TEST(saltelli_matrices)
{
    enum { N = 64, K = 3 };
    static double u[N * (K + 2) * K];
    ck_assert_int_eq(qm_design_saltelli(N, K, u), 0);
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, 2 * K);
    double x[2 * K];
    for (int j = 0; j < N; j++) {
        gsl_qrng_get(q, x);
        const double *blk = u + j * (K + 2) * K;
        for (int i = 0; i < K; i++) {
            ck_assert_double_eq(blk[i], x[i]);                  /* A */
            ck_assert_double_eq(blk[(K + 1) * K + i], x[K + i]); /* B */
            for (int m = 0; m < K; m++)                          /* AB^(m) */
                ck_assert_double_eq(blk[(1 + m) * K + i], i == m ? x[K + i] : x[i]);
        }
        for (int r = 0; r < (K + 2) * K; r++)
            ck_assert(blk[r] >= 0.0 && blk[r] < 1.0);
    }
    gsl_qrng_free(q);
    /* The Sobol sequence's first point, then its characteristic second. */
    ck_assert_double_eq(u[0], 0.5);
    ck_assert_double_eq(u[(K + 2) * K], 0.75);
    ck_assert_int_eq(qm_design_saltelli(4, 0, u), -1);
    ck_assert_int_eq(qm_design_saltelli(4, QM_SWEEP_MAX_SOBOL_FACTORS + 1, u), -1);
}
END_TEST

START_TEST(morris_trajectories)
{
    enum { R = 40, K = 5, P = 4 };
    static double u[R * (K + 1) * K];
    ck_assert_int_eq(qm_design_morris(R, K, P, 3, u), 0);
    double delta = P / (2.0 * (P - 1));
    for (int t = 0; t < R; t++) {
        int moved[K] = {0};
        for (int s = 0; s <= K; s++)
            for (int i = 0; i < K; i++) {
                double x = u[(t * (K + 1) + s) * K + i];
                ck_assert(x >= -1e-12 && x <= 1 + 1e-12);
                double lv = x * (P - 1);
                ck_assert_msg(fabs(lv - round(lv)) < 1e-9, "off the grid: %g", x);
            }
        for (int s = 1; s <= K; s++) {
            const double *a = u + (t * (K + 1) + s - 1) * K, *b = a + K;
            int changed = 0;
            for (int i = 0; i < K; i++)
                if (a[i] != b[i]) {
                    changed++;
                    moved[i]++;
                    ck_assert_double_eq_tol(fabs(b[i] - a[i]), delta, 1e-12);
                }
            ck_assert_int_eq(changed, 1);
        }
        for (int i = 0; i < K; i++)
            ck_assert_int_eq(moved[i], 1);
    }
    ck_assert_int_eq(qm_design_morris(R, K, 3, 3, u), -1);   /* odd levels */
}
END_TEST

START_TEST(factor_values)
{
    qm_factor lin = {.min = 2, .max = 6};
    ck_assert_double_eq(qm_factor_value(&lin, 0), 2);
    ck_assert_double_eq(qm_factor_value(&lin, 0.25), 3);
    ck_assert_double_eq(qm_factor_value(&lin, 1), 6);
    qm_factor lg = {.min = 1, .max = 100, .log = 1};
    ck_assert_double_eq_tol(qm_factor_value(&lg, 0.5), 10, 1e-12);
    ck_assert_double_eq_tol(qm_factor_value(&lg, 1), 100, 1e-12);
    qm_factor in = {.min = 1, .max = 5, .integer = 1};
    int count[6] = {0};
    for (int i = 0; i < 1000; i++)
        count[(int)qm_factor_value(&in, (i + 0.5) / 1000)]++;
    for (int v = 1; v <= 5; v++)
        ck_assert_int_eq(count[v], 200);   /* every integer equally likely */
    ck_assert_double_eq(qm_factor_value(&in, 1), 5);
    double vals[3] = {0.1, 0.5, 0.9};
    qm_factor li = {.is_list = 1, .n_values = 3, .values = vals, .min = 0.1, .max = 0.9};
    ck_assert_double_eq(qm_factor_value(&li, 0), 0.1);
    ck_assert_double_eq(qm_factor_value(&li, 0.5), 0.5);   /* the grid's middle level */
    ck_assert_double_eq(qm_factor_value(&li, 1), 0.9);
}
END_TEST

/* ---- Sensitivity against theory. ---- */

static qm_sweep load_ok(const char *text)
{
    static qm_errors err;
    qm_sweep sw;
    int bad = qm_sweep_load_text(text, "t.cfg", ".", NULL, NULL, &sw, &err);
    ck_assert_msg(bad == 0, "sweep: %s", bad ? err.msg[0] : "");
    return sw;
}

static const char *ISHIGAMI =
    "base = \"builtin:ishigami\"; design = \"sobol\"; samples = %d; seed = 1;\n"
    "factors = ( { path = \"x1\"; range = [-3.141592653589793, 3.141592653589793]; },\n"
    "            { path = \"x2\"; range = [-3.141592653589793, 3.141592653589793]; },\n"
    "            { path = \"x3\"; range = [-3.141592653589793, 3.141592653589793]; } );\n"
    "outcomes = ( { name = \"y\"; series = \"y\"; reduce = \"final\"; } );\n";

START_TEST(ishigami_sobol_indices)
{
    char text[1024];
    enum { N = 4096 };
    snprintf(text, sizeof text, ISHIGAMI, N);
    qm_sweep sw = load_ok(text);
    ck_assert_int_eq(sw.n_points, N * 5);
    double *y = malloc((size_t)sw.n_runs * sizeof *y), v;
    char msg[128];
    for (long j = 0; j < sw.n_runs; j++) {
        ck_assert_int_eq(qm_sweep_run(&sw, j, &v, msg, sizeof msg), QM_RUN_OK);
        y[j] = v;
    }
    /* Analytic indices for a = 7, b = 0.1 on [-pi, pi]^3. */
    double a = 7, b = 0.1, pi4 = pow(PI, 4), pi8 = pow(PI, 8);
    double V1 = 0.5 * pow(1 + b * pi4 / 5, 2), V2 = a * a / 8, V13 = 8 * b * b * pi8 / 225;
    double V = V1 + V2 + V13;
    double s1[3] = {V1 / V, V2 / V, 0}, st[3] = {(V1 + V13) / V, V2 / V, V13 / V};
    ck_assert_double_eq_tol(s1[0], 0.3139, 1e-4);
    ck_assert_double_eq_tol(st[2], 0.2437, 1e-4);
    double S1[3], S1l[3], S1h[3], ST[3], STl[3], STh[3];
    int used = qm_sobol_indices(N, 3, y, 500, 0.95, 11, S1, S1l, S1h, ST, STl, STh);
    ck_assert_int_eq(used, N);
    for (int i = 0; i < 3; i++) {
        ck_assert_msg(S1l[i] <= s1[i] && s1[i] <= S1h[i], "S1[%d] = %g: [%g, %g] misses %g", i,
                      S1[i], S1l[i], S1h[i], s1[i]);
        ck_assert_msg(STl[i] <= st[i] && st[i] <= STh[i], "ST[%d] = %g: [%g, %g] misses %g", i,
                      ST[i], STl[i], STh[i], st[i]);
        ck_assert_double_eq_tol(S1[i], s1[i], 0.03);
        ck_assert_double_eq_tol(ST[i], st[i], 0.03);
        ck_assert(S1h[i] - S1l[i] < 0.15 && STh[i] - STl[i] < 0.15);
    }
    /* A NaN in one sample's block leaves that sample out. */
    y[7] = NAN;
    ck_assert_int_eq(qm_sobol_indices(N, 3, y, 0, 0.95, 11, S1, S1l, S1h, ST, STl, STh), N - 1);
    free(y);
    qm_sweep_free(&sw);
}
END_TEST

START_TEST(morris_linear_effects)
{
    /* y = 3 u1 + u3^2 (u2 inert): in unit terms EE1 = 3 exactly, EE2 = 0. */
    enum { R = 30, K = 3, P = 4 };
    static double u[R * (K + 1) * K], y[R * (K + 1)];
    ck_assert_int_eq(qm_design_morris(R, K, P, 5, u), 0);
    for (int p = 0; p < R * (K + 1); p++)
        y[p] = 3 * u[p * K] + u[p * K + 2] * u[p * K + 2];
    double mu[K], ms[K], sd[K], lo[K], hi[K];
    ck_assert_int_eq(qm_morris_effects(R, K, u, y, 200, 0.9, 1, mu, ms, sd, lo, hi), R);
    ck_assert_double_eq_tol(ms[0], 3, 1e-9);
    ck_assert_double_eq_tol(sd[0], 0, 1e-9);
    ck_assert_double_eq_tol(ms[1], 0, 1e-12);
    /* u3^2 steps of 2/3 from level l/3: EE = (2 l/3 + 2/3) or its mirror. */
    ck_assert(ms[2] > 0.6 && ms[2] < 1.4 && sd[2] > 0);
    ck_assert(lo[0] <= 3 + 1e-9 && hi[0] >= 3 - 1e-9);
}
END_TEST

/* ---- Runs, common random numbers, the journal. ---- */

START_TEST(common_random_numbers)
{
    /* Points 0 and 1 have identical parameters: replicate r must give the
     * same outcome at both, and different replicates must differ. */
    qm_sweep sw = load_ok(
        "base = \"builtin:baseline\"; set = [\"months=24\"]; design = \"grid\";\n"
        "replications = 2; seed = 9;\n"
        "factors = ( { path = \"policy.tender_pressure\"; values = [0.3, 0.3, 0.9]; } );\n"
        "outcomes = ( { name = \"spend\"; series = \"spend\"; reduce = \"sum\"; },\n"
        "             { name = \"tenders\"; series = \"decisions_tender\"; reduce = \"sum\"; } );\n"
        "series = [\"spend\"];\n");
    ck_assert_int_eq(sw.n_runs, 6);
    ck_assert_int_eq(sw.months, 24);
    size_t nv = qm_sweep_record_values(&sw);
    ck_assert_int_eq((int)nv, 2 + 24);
    double v[6][26];
    char msg[256];
    for (int j = 0; j < 6; j++)
        ck_assert_msg(qm_sweep_run(&sw, j, v[j], msg, sizeof msg) == QM_RUN_OK, "%s", msg);
    ck_assert(memcmp(v[0], v[2], sizeof v[0]) == 0);   /* point 0 vs 1, replicate 0 */
    ck_assert(memcmp(v[1], v[3], sizeof v[0]) == 0);   /* replicate 1 */
    ck_assert(v[0][0] != v[1][0]);
    double sum = 0;
    for (int t = 0; t < 24; t++)
        sum += v[0][2 + t];
    ck_assert_double_eq_tol(sum, v[0][0], 1e-6 * fabs(sum));   /* the saved series adds up */
    double again[26];
    qm_sweep_run(&sw, 4, again, msg, sizeof msg);
    ck_assert(memcmp(again, v[4], sizeof again) == 0);
    qm_sweep_free(&sw);
}
END_TEST

/* A reference (docs/sweeps.md): each run is paired with the same point and
 * replicate under the reference's overrides, and its outcomes are the
 * run's minus the reference's.  A reference that changes nothing gives
 * zero; one that undoes the factor gives the factor's effect, the same as
 * the difference of two plain runs; the saved series are the run's own. */
START_TEST(reference_pairs_each_run)
{
    const char *plain =
        "base = \"builtin:baseline\"; set = [\"months=24\"]; design = \"grid\";\n"
        "replications = 2; seed = 9;\n"
        "factors = ( { path = \"policy.tender_pressure\"; values = [0.0, 0.9]; } );\n"
        "outcomes = ( { name = \"spend\"; series = \"spend\"; reduce = \"sum\"; },\n"
        "             { name = \"tenders\"; series = \"decisions_tender\"; reduce = \"sum\"; } );\n"
        "series = [\"spend\"];\n";
    char text[1024];
    qm_sweep a = load_ok(plain);
    snprintf(text, sizeof text, "%sreference = [\"months=24\"];\n", plain);
    qm_sweep same = load_ok(text);
    snprintf(text, sizeof text, "%sreference = [\"policy.tender_pressure=0\"];\n", plain);
    qm_sweep undo = load_ok(text);
    ck_assert_int_eq(undo.n_reference, 1);
    double v[4][26], w[26], u[26];
    char msg[256];
    for (int j = 0; j < 4; j++)
        ck_assert_msg(qm_sweep_run(&a, j, v[j], msg, sizeof msg) == QM_RUN_OK, "%s", msg);
    for (int j = 0; j < 4; j++) {
        ck_assert_msg(qm_sweep_run(&same, j, w, msg, sizeof msg) == QM_RUN_OK, "%s", msg);
        ck_assert_double_eq(w[0], 0.0);
        ck_assert_double_eq(w[1], 0.0);
        ck_assert(memcmp(w + 2, v[j] + 2, 24 * sizeof(double)) == 0);
        ck_assert_msg(qm_sweep_run(&undo, j, u, msg, sizeof msg) == QM_RUN_OK, "%s", msg);
        /* Run j is point j / 2, replicate j % 2; point 0 has pressure 0. */
        ck_assert_double_eq(u[0], v[j][0] - v[j % 2][0]);
        ck_assert_double_eq(u[1], v[j][1] - v[j % 2][1]);
    }
    ck_assert(v[2][1] > v[0][1]);   /* pressure raises tendering: the difference is not nil */
    qm_sweep_free(&a);
    qm_sweep_free(&same);
    qm_sweep_free(&undo);
}
END_TEST

START_TEST(journal_resume_and_torn_tail)
{
    char path[] = "/tmp/qmsim-journal-XXXXXX";
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    close(fd);
    char err[512];
    unsigned char done[10] = {0};
    double vals[3];
    qm_journal *j = qm_journal_open(path, 42, 10, 3, 0, done, err, sizeof err);
    ck_assert_msg(j != NULL, "%s", err);
    for (long r = 0; r < 4; r++) {
        vals[0] = r;
        vals[1] = r * 2.5;
        vals[2] = NAN;
        qm_journal_rec rec = {.run = r * 2, .status = QM_RUN_OK, .wall = 0.1, .values = vals};
        ck_assert_int_eq(qm_journal_append(j, &rec, err, sizeof err), 0);
    }
    qm_journal_close(j, 0);
    /* A torn record at the end, as a kill would leave. */
    FILE *f = fopen(path, "ab");
    fwrite("garbage", 1, 7, f);
    fclose(f);
    j = qm_journal_open(path, 42, 10, 3, 1, done, err, sizeof err);
    ck_assert_msg(j != NULL, "%s", err);
    for (int r = 0; r < 10; r++)
        ck_assert_int_eq(done[r], r % 2 == 0 && r < 8);
    qm_journal_rec back = {.values = vals};
    ck_assert_int_eq(qm_journal_read(j, 6, &back), 0);
    ck_assert_int_eq(back.run, 6);
    ck_assert_double_eq(vals[1], 7.5);
    ck_assert(isnan(vals[2]));
    ck_assert_int_eq(qm_journal_read(j, 1, &back), -1);
    qm_journal_rec more = {.run = 9, .status = QM_RUN_FAILED, .wall = 0, .values = vals};
    ck_assert_int_eq(qm_journal_append(j, &more, err, sizeof err), 0);
    qm_journal_close(j, 0);
    memset(done, 0, sizeof done);
    j = qm_journal_open(path, 42, 10, 3, 1, done, err, sizeof err);
    ck_assert(j && done[9] && done[6] && !done[7]);
    qm_journal_close(j, 0);
    /* Another sweep's journal is refused. */
    ck_assert(qm_journal_open(path, 43, 10, 3, 1, done, err, sizeof err) == NULL);
    ck_assert(strstr(err, "different sweep") != NULL);
    unlink(path);
}
END_TEST

/* ---- Sweep-file problems. ---- */

static void expect_problem(const char *text, const char *want)
{
    static qm_errors err;
    qm_sweep sw;
    int n = qm_sweep_load_text(text, "bad.cfg", ".", NULL, NULL, &sw, &err);
    ck_assert_msg(n > 0, "no problem found; wanted '%s'", want);
    for (int i = 0; i < n && i < QM_ERR_MAX; i++)
        if (strstr(err.msg[i], want))
            return;
    ck_abort_msg("wanted '%s', got '%s'", want, err.msg[0]);
}

#define HEAD "base = \"builtin:baseline\"; design = \"lhs\"; samples = 4;\n"
#define OUT "outcomes = ( { name = \"t\"; series = \"decisions_tender\"; } );\n"

START_TEST(sweep_file_problems)
{
    expect_problem(HEAD "factors = ( { path = \"policy.tender_presure\"; range = [0.0, 1.0]; } );\n" OUT,
                   "bad.cfg:2: factor 'policy.tender_presure': unknown key 'policy.tender_presure' "
                   "(did you mean 'policy.tender_pressure'?)");
    expect_problem(HEAD "factors = ( { path = \"policy.tender_pressure\"; range = [0.5, 0.5]; } );\n" OUT,
                   "bad.cfg:2: factor 'policy.tender_pressure': range [0.5, 0.5] is empty");
    expect_problem(HEAD "factors = ( { path = \"policy.tender_pressure\"; range = [0.0, 2.0]; } );\n" OUT,
                   "out of range [0, 1]");
    expect_problem(HEAD "factors = ( { path = \"policy.tender_pressure\"; range = [0.0, 1.0]; } );\n"
                   "outcomes = ( { name = \"t\"; series = \"decisions_tendr\"; } );\n",
                   "bad.cfg:3: outcome 't': series 'decisions_tendr' is not a series of the model "
                   "(did you mean 'decisions_tender'?)");
    expect_problem(HEAD "factors = ( { path = \"policy.open_market\"; range = [0.0, 1.0]; } );\n" OUT,
                   "takes true or false, not a range");
    expect_problem("base = \"builtin:ishigami\"; design = \"sobol\"; samples = 8;\n"
                   "factors = ( { path = \"x4\"; range = [0.0, 1.0]; } );\n"
                   "outcomes = ( { name = \"y\"; series = \"y\"; } );\n",
                   "has the factors x1, x2 and x3");
    expect_problem("base = \"builtin:baseline\"; design = \"sobl\"; samples = 4;\n"
                   "factors = ( { path = \"policy.tender_pressure\"; range = [0.0, 1.0]; } );\n" OUT,
                   "(did you mean 'sobol'?)");
    expect_problem(HEAD "factors = ( { path = \"policy.tender_pressure\"; range = [0.0, 1.0]; } );\n"
                   "outcomes = ( { name = \"t\"; series = \"spend\"; months = [100, 200]; } );\n",
                   "runs past the last month");
    expect_problem(HEAD "factors = ( { path = \"policy.tender_pressure\"; range = [0.0, 1.0]; } );\n" OUT
                   "reference = [\"policy.tender_presure=0\"];\n",
                   "bad.cfg:4: reference: unknown key 'policy.tender_presure' (did you mean 'policy.tender_pressure'?)");
    expect_problem(HEAD "factors = ( { path = \"policy.tender_pressure\"; range = [0.0, 1.0]; } );\n" OUT
                   "reference = [\"policy.tender_pressure\"];\n",
                   "reference[0] must be a \"path=value\" string");
}
END_TEST

/* The sweep file and its base are read by the one whole-file reader. */
START_TEST(sweep_file_unreadable)
{
    static qm_errors err;
    qm_sweep sw;
    char dir[] = "/tmp/qmsim_sweep_XXXXXX", nul[64], base[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_gt(qm_sweep_load(dir, &sw, &err), 0);
    ck_assert_int_eq(strncmp(err.msg[0], dir, strlen(dir)), 0);
    ck_assert_str_eq(err.msg[0] + strlen(dir), ": cannot read: Is a directory");
    snprintf(nul, sizeof nul, "%s/nul.cfg", dir);
    FILE *f = fopen(nul, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("base = \"builtin:baseline\";", f);
    fputc('\0', f);
    fclose(f);
    ck_assert_int_gt(qm_sweep_load(nul, &sw, &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg[0], "nul.cfg: cannot read: a NUL byte (not a text file)"));
    snprintf(base, sizeof base, "%s/base.cfg", dir);
    f = fopen(base, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "base = \"%s\";\n", nul);
    fclose(f);
    ck_assert_int_gt(qm_sweep_load(base, &sw, &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg[0], "base.cfg:1: base scenario '"));
    ck_assert_ptr_nonnull(strstr(err.msg[0], "nul.cfg' cannot be read: Invalid argument"));
    unlink(nul);
    unlink(base);
    rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sweep");
    TCase *d = tcase_create("designs");
    tcase_add_test(d, grid_levels_and_order);
    tcase_add_test(d, lhs_strata);
    tcase_add_test(d, saltelli_matrices);
    tcase_add_test(d, morris_trajectories);
    tcase_add_test(d, factor_values);
    suite_add_tcase(s, d);
    TCase *a = tcase_create("sensitivity");
    tcase_add_test(a, ishigami_sobol_indices);
    tcase_add_test(a, morris_linear_effects);
    suite_add_tcase(s, a);
    TCase *r = tcase_create("runs");
    tcase_add_test(r, common_random_numbers);
    tcase_add_test(r, reference_pairs_each_run);
    tcase_add_test(r, journal_resume_and_torn_tail);
    tcase_add_test(r, sweep_file_problems);
    tcase_add_test(r, sweep_file_unreadable);
    suite_add_tcase(s, r);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
