/* test_h5.c: the one set of HDF5 helpers (src/io/h5.c): what the writers
 * put is what the readers get back, and the readers' answers for what is
 * missing, of another type or of another shape. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "io/h5.h"

static char dir[64], path[128];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/qmsim_h5_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.h5", dir);
}

static void teardown(void)
{
    unlink(path);
    rmdir(dir);
}

/* A file with one of everything the writers make. */
static void write_file(void)
{
    static const char *const names[] = {"alpha", "", "gamma"};
    static const double table[6] = {1, 2, 3, 4, 5, 6};
    static const int ints[3] = {7, 8, 9};
    int64_t big = 1234567890123LL;
    hsize_t d1[1] = {3}, d2[2] = {2, 3}, d0[1] = {0};
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), t, g, d;
    ck_assert(f >= 0);
    ck_assert_int_eq(qm_h5_put_str_attr(f, "kind", "qmsim test"), 0);
    ck_assert_int_eq(qm_h5_put_str_attr(f, "empty", NULL), 0);
    ck_assert_int_eq(qm_h5_put_attr(f, "big", H5T_STD_I64LE, H5T_NATIVE_INT64, &big), 0);
    ck_assert_int_eq(qm_h5_put_attr(f, "big", H5T_STD_I64LE, H5T_NATIVE_INT64, &big), -1);
    ck_assert_int_eq(qm_h5_put_attr_array(f, "ints", H5T_NATIVE_INT, H5T_NATIVE_INT, 3, ints), 0);
    ck_assert_int_eq(qm_h5_put_strs_attr(f, "names", 3, names), 0);
    g = qm_h5_put_group(f, "g");
    ck_assert(g >= 0);
    t = qm_h5_str_type();
    ck_assert(t >= 0);
    d = qm_h5_put_dataset(g, "names", t, t, 1, d1, H5P_DEFAULT, names);
    ck_assert(d >= 0);
    qm_h5_release(d);
    qm_h5_release(t);
    d = qm_h5_put_dataset(g, "table", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, d2, H5P_DEFAULT, table);
    ck_assert(d >= 0);
    qm_h5_release(d);
    d = qm_h5_put_dataset(g, "empty", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, d0, H5P_DEFAULT, NULL);
    ck_assert(d >= 0);
    qm_h5_release(d);
    /* A fixed-length ASCII string attribute, as other tools write them. */
    t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, 5);
    hid_t sp = H5Screate(H5S_SCALAR), a = H5Acreate2(f, "fixed", t, sp, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert(H5Awrite(a, t, "abcde") >= 0);
    H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    qm_h5_release(g);
    ck_assert(H5Fclose(f) >= 0);
}

START_TEST(test_round_trip)
{
    char err[256] = "";
    long long v = 0;
    int ints[3] = {0, 0, 0}, n = -1;
    hsize_t dims[2];
    write_file();
    hid_t f = qm_h5_open_read(path, err, sizeof err);
    ck_assert_msg(f >= 0, "%s", err);
    char *s = qm_h5_read_str_attr(f, "kind");
    ck_assert_str_eq(s, "qmsim test");
    free(s);
    s = qm_h5_read_str_attr(f, "empty");
    ck_assert_str_eq(s, "");
    free(s);
    s = qm_h5_read_str_attr(f, "fixed");
    ck_assert_str_eq(s, "abcde");
    free(s);
    ck_assert_ptr_null(qm_h5_read_str_attr(f, "missing"));
    ck_assert_ptr_null(qm_h5_read_str_attr(f, "big"));      /* not a string */
    ck_assert_int_eq(qm_h5_read_int_attr(f, "big", &v), 0);
    ck_assert(v == 1234567890123LL);
    ck_assert_int_eq(qm_h5_read_int_attr(f, "missing", &v), -1);
    ck_assert_int_eq(qm_h5_read_attr_array(f, "ints", H5T_NATIVE_INT, 3, ints), 0);
    ck_assert(ints[0] == 7 && ints[1] == 8 && ints[2] == 9);
    ck_assert_int_eq(qm_h5_read_attr_array(f, "ints", H5T_NATIVE_INT, 2, ints), -1);
    char **names = qm_h5_read_strings(f, "@names", &n);
    ck_assert_int_eq(n, 3);
    ck_assert_str_eq(names[0], "alpha");
    ck_assert_str_eq(names[1], "");
    ck_assert_str_eq(names[2], "gamma");
    ck_assert_ptr_null(names[3]);
    qm_h5_free_strings(names, n);
    names = qm_h5_read_strings(f, "g/names", &n);
    ck_assert_int_eq(n, 3);
    ck_assert_str_eq(names[2], "gamma");
    qm_h5_free_strings(names, n);
    ck_assert_ptr_null(qm_h5_read_strings(f, "g/table", &n));   /* not strings */
    ck_assert_int_eq(n, 0);
    ck_assert_ptr_null(qm_h5_read_strings(f, "g/missing", &n));
    double *t = qm_h5_read_doubles(f, "g/table", dims);
    ck_assert_ptr_nonnull(t);
    ck_assert(dims[0] == 2 && dims[1] == 3 && t[5] == 6.0);
    free(t);
    t = qm_h5_read_doubles(f, "g/empty", dims);
    ck_assert_ptr_nonnull(t);
    ck_assert(dims[0] == 0 && dims[1] == 1);
    free(t);
    ck_assert_ptr_null(qm_h5_read_doubles(f, "nowhere", dims));
    double into[6];
    ck_assert_int_eq(qm_h5_read_into(f, "g/table", H5T_NATIVE_DOUBLE, 2, 2, 3, into), 0);
    ck_assert(into[3] == 4.0);
    ck_assert_int_eq(qm_h5_read_into(f, "g/table", H5T_NATIVE_DOUBLE, 2, 3, 2, into), -1);
    ck_assert_int_eq(qm_h5_read_into(f, "g/table", H5T_NATIVE_DOUBLE, 1, 6, 0, into), -1);
    H5Fclose(f);
}
END_TEST

/* Datasets written with conversion, of every size around the limits of
 * the conversion buffer qm_h5_put_dataset sizes for them (a floor of
 * 4 KiB, at least 16 bytes an element, HDF5's 1 MiB default above 1 MiB):
 * a string dataset of one element once failed with too small a buffer. */
START_TEST(test_converted_sizes)
{
    static const hsize_t sizes[] = {1, 2, 255, 256, 257, 65535, 65536, 65537, 70000};
    char err[256] = "", name[32];
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), t = qm_h5_str_type();
    size_t most = 70000;
    const char **strs = malloc(most * sizeof *strs);
    char *text = malloc(most * 8);
    double *x = malloc(most * sizeof *x);
    ck_assert(f >= 0 && t >= 0 && strs && text && x);
    for (size_t i = 0; i < most; i++) {
        snprintf(text + 8 * i, 8, "n%zu", i);
        strs[i] = text + 8 * i;
        x[i] = (double)i + 0.5;
    }
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        hsize_t n = sizes[k];
        snprintf(name, sizeof name, "s%llu", (unsigned long long)n);
        hid_t d = qm_h5_put_dataset(f, name, t, t, 1, &n, H5P_DEFAULT, strs);
        ck_assert_msg(d >= 0, "strings of %llu", (unsigned long long)n);
        qm_h5_release(d);
        snprintf(name, sizeof name, "f%llu", (unsigned long long)n);
        d = qm_h5_put_dataset(f, name, H5T_IEEE_F32LE, H5T_NATIVE_DOUBLE, 1, &n, H5P_DEFAULT, x);
        ck_assert_msg(d >= 0, "floats of %llu", (unsigned long long)n);
        qm_h5_release(d);
    }
    qm_h5_release(t);
    ck_assert(H5Fclose(f) >= 0);
    f = qm_h5_open_read(path, err, sizeof err);
    ck_assert_msg(f >= 0, "%s", err);
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        int n = -1;
        hsize_t dims[2];
        snprintf(name, sizeof name, "s%llu", (unsigned long long)sizes[k]);
        char **back = qm_h5_read_strings(f, name, &n);
        ck_assert_ptr_nonnull(back);
        ck_assert_int_eq(n, (int)sizes[k]);
        ck_assert_str_eq(back[0], "n0");
        ck_assert_str_eq(back[n - 1], strs[n - 1]);
        qm_h5_free_strings(back, n);
        snprintf(name, sizeof name, "f%llu", (unsigned long long)sizes[k]);
        double *v = qm_h5_read_doubles(f, name, dims);
        ck_assert_ptr_nonnull(v);
        ck_assert(dims[0] == sizes[k] && v[dims[0] - 1] == (double)(float)x[dims[0] - 1]);
        free(v);
    }
    H5Fclose(f);
    free(strs);
    free(text);
    free(x);
}
END_TEST

START_TEST(test_open_read_messages)
{
    char err[256], want[300];
    char missing[160], text[160];
    snprintf(missing, sizeof missing, "%s/missing.h5", dir);
    ck_assert(qm_h5_open_read(missing, err, sizeof err) < 0);
    snprintf(want, sizeof want, "cannot open %s: No such file or directory", missing);
    ck_assert_str_eq(err, want);
    ck_assert(qm_h5_open_read(dir, err, sizeof err) < 0);
    snprintf(want, sizeof want, "%s is not an HDF5 file", dir);
    ck_assert_str_eq(err, want);
    snprintf(text, sizeof text, "%s/text.h5", dir);
    FILE *fp = fopen(text, "w");
    ck_assert_ptr_nonnull(fp);
    fputs("not hdf5\n", fp);
    fclose(fp);
    ck_assert(qm_h5_open_read(text, err, sizeof err) < 0);
    snprintf(want, sizeof want, "%s is not an HDF5 file", text);
    ck_assert_str_eq(err, want);
    unlink(text);
}
END_TEST

int main(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* the failures tested are expected */
    Suite *s = suite_create("h5");
    TCase *tc = tcase_create("h5");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_converted_sizes);
    tcase_add_test(tc, test_open_read_messages);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
