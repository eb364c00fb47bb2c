/* test_output.c: the HDF5 writer, with hand-made frames read back through
 * the HDF5 C API: layout, values, attributes, scales, and the atomic
 * publish/abort behaviour. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "qmsim/output.h"

enum { NC = 3, NP = 4, NS = 2, NA = 2, MONTHS = 30, FLUSH = 7 };

static char dir[256];
static char path[300];

static const char *const c_names[NC] = {"North", "South", "East"};
static const char *const p_names[NP] = {"Acute A", "Community B", "Indie C", "entrant 3"};
static const char *const p_kinds[NP] = {"nhs_acute", "nhs_community", "independent", "voluntary"};
static const int p_entrant[NP] = {0, 0, 0, 1};
static const int p_entry[NP] = {-1, -1, -1, 12};
static const char *const s_names[NS] = {"diabetes", "stroke"};
static const char *const a_names[NA] = {"Midlands CSU", "Freelance 1"};
static const char *const a_kinds[NA] = {"csu", "freelance"};

static qm_run_info make_info(void)
{
    qm_run_info info = {0};
    info.version = "0.1.0";
    info.scenario_name = "test scenario";
    info.scenario_source = "builtin:baseline";
    info.scenario_text = "horizon = 30;\n";
    info.resolved_text = "horizon = 30;\nseed = 42;\n";
    info.seed = 42;
    info.replicate = 3;
    info.generator = "mt19937";
    info.threads = 2;
    info.months = MONTHS;
    info.start_month = 4;
    info.panels = 1;
    info.events = 1;
    info.flush_months = FLUSH;
    return info;
}

/* The entity table of a file with na agencies (0 or NA). */
static qm_entities make_entities(int na)
{
    qm_entities e = {NC, c_names, NP, p_names, p_kinds, p_entrant, p_entry, NS, s_names,
                     na, na ? a_names : NULL, na ? a_kinds : NULL};
    return e;
}

/* The values the fake run writes, so the reader can check them. */
static double series_value(int s, int t) { return 100.0 * s + t + 0.25; }
static double cpanel_value(int v, int c, int t) { return 1000.0 * v + 10.0 * c + t; }
static double ppanel_value(int v, int p, int t) { return -1000.0 * v - 10.0 * p - t; }
static double apanel_value(int v, int a, int t) { return 0.5 + 100.0 * v + 7.0 * a + t; }
static int events_in(int t) { return t % 3; }

/* A frame built by hand (qm_frame_alloc belongs to the engine), with na
 * agencies (0 or NA). */
static qm_frame *frame_new(int na)
{
    qm_frame *f = calloc(1, sizeof *f);
    ck_assert_ptr_nonnull(f);
    f->n_commissioners = NC;
    f->n_providers = NP;
    f->n_agencies = na;
    if (na > 0) {
        f->apanel = malloc(sizeof(double) * QM_AP_N * (size_t)na);
        ck_assert_ptr_nonnull(f->apanel);
    }
    f->cpanel = malloc(sizeof(double) * QM_CP_N * NC);
    f->ppanel = malloc(sizeof(double) * QM_PP_N * NP);
    f->cap_events = 4;
    f->events = malloc(sizeof(qm_event) * 4);
    ck_assert(f->cpanel && f->ppanel && f->events);
    return f;
}

static void frame_fill(qm_frame *f, int t)
{
    int i, j;
    f->month = t;
    for (i = 0; i < QM_S_N; i++)
        f->series[i] = series_value(i, t);
    for (i = 0; i < QM_CP_N; i++)
        for (j = 0; j < NC; j++)
            f->cpanel[i * NC + j] = cpanel_value(i, j, t);
    for (i = 0; i < QM_PP_N; i++)
        for (j = 0; j < NP; j++)
            f->ppanel[i * NP + j] = ppanel_value(i, j, t);
    for (i = 0; i < QM_AP_N; i++)
        for (j = 0; j < f->n_agencies; j++)
            f->apanel[i * f->n_agencies + j] = apanel_value(i, j, t);
    f->n_events = events_in(t);
    for (i = 0; i < f->n_events; i++) {
        qm_event e = {t, (t + i) % QM_EV_N, i % NC, i % NS, (t + i) % NP, i ? 0 : -1, t + 0.5 * i};
        f->events[i] = e;
    }
}

static void frame_free(qm_frame *f)
{
    free(f->cpanel);
    free(f->ppanel);
    free(f->apanel);
    free(f->events);
    free(f);
}

/* Writes a whole fake run of `months` months with na agencies to path;
 * returns close's rc. */
static int write_run(const qm_run_info *info, int force, int months, int na,
                     char *err, size_t n)
{
    qm_entities ent = make_entities(na);
    qm_output *o = qm_output_open(path, force, info, NC, NP, na, err, n);
    qm_frame *f = frame_new(na);
    int t, rc;
    ck_assert_msg(o != NULL, "open failed: %s", err);
    for (t = 0; t < months; t++) {
        frame_fill(f, t);
        ck_assert_msg(qm_output_write(o, f, err, n) == 0, "write failed: %s", err);
    }
    frame_free(f);
    rc = qm_output_close(o, &ent, err, n);
    return rc;
}

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* Whether a temporary file or a lock of the writer is left in dir. */
static int partial_exists(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int found = 0;
    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if ((n > 8 && !strcmp(e->d_name + n - 8, ".partial"))
            || (n > 5 && !strcmp(e->d_name + n - 5, ".lock")))
            found = 1;
    }
    closedir(d);
    return found;
}

static void setup(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/qmsim_output_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.h5", dir);
}

static void teardown(void)
{
    char cmd[400];
    chmod(dir, 0755);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* ---- readers ----------------------------------------------------------- */

static int rank_dims(hid_t f, const char *name, hsize_t *dims)
{
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT), s;
    int r;
    ck_assert_msg(d >= 0, "no dataset %s", name);
    s = H5Dget_space(d);
    r = H5Sget_simple_extent_dims(s, dims, NULL);
    H5Sclose(s);
    H5Dclose(d);
    return r;
}

static double *read_doubles(hid_t f, const char *name)
{
    hsize_t dims[2] = {1, 1};
    int r = rank_dims(f, name, dims);
    size_t n = (size_t)dims[0] * (r == 2 ? (size_t)dims[1] : 1);
    double *v = malloc((n ? n : 1) * sizeof *v);
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    ck_assert_int_ge(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v), 0);
    H5Dclose(d);
    return v;
}

static char *attr_str(hid_t loc, const char *obj, const char *name)
{
    hid_t a = H5Aopen_by_name(loc, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    hid_t t = H5Tcopy(H5T_C_S1);
    char *v = NULL, *out;
    ck_assert_msg(a >= 0, "no attribute %s on %s", name, obj);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    ck_assert_int_ge(H5Aread(a, t, &v), 0);
    out = strdup(v);
    H5free_memory(v);
    H5Tclose(t);
    H5Aclose(a);
    return out;
}

static long long attr_int(hid_t loc, const char *obj, const char *name)
{
    long long v = -999;
    hid_t a = H5Aopen_by_name(loc, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert_msg(a >= 0, "no attribute %s on %s", name, obj);
    ck_assert_int_ge(H5Aread(a, H5T_NATIVE_LLONG, &v), 0);
    H5Aclose(a);
    return v;
}

static void check_str_attr(hid_t loc, const char *obj, const char *name, const char *want)
{
    char *v = attr_str(loc, obj, name);
    ck_assert_str_eq(v, want);
    free(v);
}

/* Checks that the dataset is chunked with shuffle and deflate, and that
 * its first dimension is unlimited. */
static void check_timed_layout(hid_t f, const char *name, hsize_t chunk0)
{
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT), p = H5Dget_create_plist(d), s = H5Dget_space(d);
    hsize_t chunk[2], maxdims[2];
    unsigned flags;
    ck_assert_int_eq(H5Pget_layout(p), H5D_CHUNKED);
    H5Pget_chunk(p, 2, chunk);
    ck_assert_int_eq(chunk[0], chunk0);
    ck_assert_int_ge(H5Pget_filter_by_id2(p, H5Z_FILTER_SHUFFLE, &flags, NULL, NULL, 0, NULL, NULL), 0);
    ck_assert_int_ge(H5Pget_filter_by_id2(p, H5Z_FILTER_DEFLATE, &flags, NULL, NULL, 0, NULL, NULL), 0);
    H5Sget_simple_extent_dims(s, NULL, maxdims);
    ck_assert(maxdims[0] == H5S_UNLIMITED);
    H5Sclose(s);
    H5Pclose(p);
    H5Dclose(d);
}

static void check_attached(hid_t f, const char *var, const char *scale, unsigned idx)
{
    hid_t d = H5Dopen2(f, var, H5P_DEFAULT), s = H5Dopen2(f, scale, H5P_DEFAULT);
    ck_assert_int_gt(H5DSis_scale(s), 0);
    ck_assert_msg(H5DSis_attached(d, s, idx) > 0, "%s not attached to %s", scale, var);
    H5Dclose(s);
    H5Dclose(d);
}

/* Checks a 1-D dataset of variable-length UTF-8 strings against WANT. */
static void check_strings(hid_t f, const char *name, int n, const char *const *want)
{
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT), t = H5Tcopy(H5T_C_S1), ft, s;
    hsize_t len;
    char **v;
    int i;

    ck_assert_msg(d >= 0, "no dataset %s", name);
    ft = H5Dget_type(d);
    ck_assert(H5Tis_variable_str(ft) > 0);
    ck_assert_int_eq(H5Tget_cset(ft), H5T_CSET_UTF8);
    s = H5Dget_space(d);
    H5Sget_simple_extent_dims(s, &len, NULL);
    ck_assert_int_eq(len, n);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    v = calloc((size_t)n + 1, sizeof *v);
    ck_assert_int_ge(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v), 0);
    for (i = 0; i < n; i++)
        ck_assert_str_eq(v[i], want[i]);
    ck_assert(H5Aexists(d, "description") > 0);
    H5Dvlen_reclaim(t, s, H5P_DEFAULT, v);
    free(v);
    H5Tclose(ft);
    H5Tclose(t);
    H5Sclose(s);
    H5Dclose(d);
}

/* ---- tests ------------------------------------------------------------- */

START_TEST(test_layout_and_values)
{
    qm_run_info info = make_info();
    char err[512] = "";
    hid_t f;
    hsize_t dims[2];
    char name[200];
    int i, t, v, c;

    ck_assert_int_eq(write_run(&info, 0, MONTHS, NA, err, sizeof err), 0);
    ck_assert(exists(path));
    ck_assert(!partial_exists());

    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert(f >= 0);
    /* root attributes */
    check_str_attr(f, ".", "qmsim_version", "0.1.0");
    check_str_attr(f, ".", "scenario_name", "test scenario");
    check_str_attr(f, ".", "scenario_source", "builtin:baseline");
    check_str_attr(f, ".", "scenario_text", "horizon = 30;\n");
    check_str_attr(f, ".", "scenario_resolved", "horizon = 30;\nseed = 42;\n");
    check_str_attr(f, ".", "generator", "mt19937");
    ck_assert_int_eq(attr_int(f, ".", "seed"), 42);
    ck_assert_int_eq(attr_int(f, ".", "replicate"), 3);
    ck_assert_int_eq(attr_int(f, ".", "threads"), 2);
    ck_assert_int_eq(attr_int(f, ".", "months"), MONTHS);
    ck_assert_int_eq(attr_int(f, ".", "start_month"), 4);
    ck_assert_int_eq(attr_int(f, ".", "complete"), 1);
    ck_assert_int_eq(attr_int(f, ".", "months_written"), MONTHS);
    {
        char *created = attr_str(f, ".", "created");
        ck_assert_int_eq(strlen(created), 20); /* 2024-01-31T12:00:00Z */
        ck_assert(created[10] == 'T' && created[19] == 'Z');
        free(created);
    }

    /* /series: time scale and every series */
    ck_assert_int_eq(rank_dims(f, "series/time", dims), 1);
    ck_assert_int_eq(dims[0], MONTHS);
    {
        int32_t tv[MONTHS];
        hid_t d = H5Dopen2(f, "series/time", H5P_DEFAULT);
        ck_assert_int_ge(H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, tv), 0);
        H5Dclose(d);
        for (t = 0; t < MONTHS; t++)
            ck_assert_int_eq(tv[t], t);
    }
    check_str_attr(f, "series/time", "units", "months");
    for (i = 0; i < QM_S_N; i++) {
        double *x;
        snprintf(name, sizeof name, "series/%s", qm_series_defs[i].name);
        ck_assert_int_eq(rank_dims(f, name, dims), 1);
        ck_assert_int_eq(dims[0], MONTHS);
        check_str_attr(f, name, "units", qm_series_defs[i].units);
        check_str_attr(f, name, "description", qm_series_defs[i].description);
        check_attached(f, name, "series/time", 0);
        x = read_doubles(f, name);
        for (t = 0; t < MONTHS; t++)
            ck_assert_double_eq(x[t], series_value(i, t));
        free(x);
    }
    snprintf(name, sizeof name, "series/%s", qm_series_defs[0].name);
    check_timed_layout(f, name, 512);

    /* panels */
    for (v = 0; v < QM_CP_N; v++) {
        double *x;
        snprintf(name, sizeof name, "panels/commissioner/%s", qm_cpanel_defs[v].name);
        ck_assert_int_eq(rank_dims(f, name, dims), 2);
        ck_assert_int_eq(dims[0], MONTHS);
        ck_assert_int_eq(dims[1], NC);
        check_timed_layout(f, name, FLUSH);
        check_attached(f, name, "panels/commissioner/time", 0);
        check_attached(f, name, "panels/commissioner/commissioner", 1);
        x = read_doubles(f, name);
        for (t = 0; t < MONTHS; t++)
            for (c = 0; c < NC; c++)
                ck_assert_double_eq(x[t * NC + c], cpanel_value(v, c, t));
        free(x);
    }
    for (v = 0; v < QM_PP_N; v++) {
        double *x;
        snprintf(name, sizeof name, "panels/provider/%s", qm_ppanel_defs[v].name);
        ck_assert_int_eq(rank_dims(f, name, dims), 2);
        ck_assert_int_eq(dims[0], MONTHS);
        ck_assert_int_eq(dims[1], NP);
        check_attached(f, name, "panels/provider/provider", 1);
        x = read_doubles(f, name);
        for (t = 0; t < MONTHS; t++)
            for (c = 0; c < NP; c++)
                ck_assert_double_eq(x[t * NP + c], ppanel_value(v, c, t));
        free(x);
    }
    ck_assert_int_eq(rank_dims(f, "panels/provider/time", dims), 1);
    ck_assert_int_eq(dims[0], MONTHS);
    for (v = 0; v < QM_AP_N; v++) {
        double *x;
        snprintf(name, sizeof name, "panels/agency/%s", qm_apanel_defs[v].name);
        ck_assert_int_eq(rank_dims(f, name, dims), 2);
        ck_assert_int_eq(dims[0], MONTHS);
        ck_assert_int_eq(dims[1], NA);
        check_timed_layout(f, name, FLUSH);
        check_str_attr(f, name, "units", qm_apanel_defs[v].units);
        check_str_attr(f, name, "description", qm_apanel_defs[v].description);
        check_attached(f, name, "panels/agency/time", 0);
        check_attached(f, name, "panels/agency/agency", 1);
        x = read_doubles(f, name);
        for (t = 0; t < MONTHS; t++)
            for (c = 0; c < NA; c++)
                ck_assert_double_eq(x[t * NA + c], apanel_value(v, c, t));
        free(x);
    }
    ck_assert_int_eq(rank_dims(f, "panels/agency/time", dims), 1);
    ck_assert_int_eq(dims[0], MONTHS);
    check_str_attr(f, "panels/agency/time", "units", "months");
    {
        int32_t ids[NA];
        hid_t d = H5Dopen2(f, "panels/agency/agency", H5P_DEFAULT);
        ck_assert_int_eq(rank_dims(f, "panels/agency/agency", dims), 1);
        ck_assert_int_eq(dims[0], NA);
        ck_assert_int_ge(H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, ids), 0);
        H5Dclose(d);
        for (i = 0; i < NA; i++)
            ck_assert_int_eq(ids[i], i);
    }

    /* events: every row, and the enum names */
    {
        hsize_t n;
        int want = 0, row = 0, e;
        qm_event *ev;
        hid_t d = H5Dopen2(f, "events", H5P_DEFAULT), ft = H5Dget_type(d), et;
        int idx = H5Tget_member_index(ft, "type");
        char ename[32];
        int32_t val = 4;

        for (t = 0; t < MONTHS; t++)
            want += events_in(t);
        rank_dims(f, "events", &n);
        ck_assert_int_eq(n, want);
        ck_assert_int_ge(idx, 0);
        et = H5Tget_member_type(ft, (unsigned)idx);
        ck_assert_int_eq(H5Tget_class(et), H5T_ENUM);
        ck_assert_int_eq(H5Tget_nmembers(et), QM_EV_N);
        ck_assert_int_ge(H5Tenum_nameof(et, &val, ename, sizeof ename), 0);
        ck_assert_str_eq(ename, qm_event_names[4]);
        check_timed_layout(f, "events", 1024);
        check_attached(f, "events", "event", 0);
        ck_assert(H5Aexists(d, "description") > 0 && H5Aexists(d, "units") > 0);
        {
            char *desc = attr_str(f, "events", "description");
            ck_assert_msg(strstr(desc, "agency") && strstr(desc, "merge or split")
                          && strstr(desc, "monthly fee"), "description: %s", desc);
            free(desc);
        }

        /* read back in the writer's own layout: a compound of native ints */
        {
            hid_t m = H5Tcreate(H5T_COMPOUND, sizeof(qm_event)), em = H5Tenum_create(H5T_NATIVE_INT32);
            int32_t k;
            for (k = 0; k < QM_EV_N; k++)
                H5Tenum_insert(em, qm_event_names[k], &k);
            H5Tinsert(m, "month", HOFFSET(qm_event, month), H5T_NATIVE_INT32);
            H5Tinsert(m, "type", HOFFSET(qm_event, type), em);
            H5Tinsert(m, "commissioner", HOFFSET(qm_event, commissioner), H5T_NATIVE_INT32);
            H5Tinsert(m, "service", HOFFSET(qm_event, service), H5T_NATIVE_INT32);
            H5Tinsert(m, "provider", HOFFSET(qm_event, provider), H5T_NATIVE_INT32);
            H5Tinsert(m, "other", HOFFSET(qm_event, other), H5T_NATIVE_INT32);
            H5Tinsert(m, "value", HOFFSET(qm_event, value), H5T_NATIVE_DOUBLE);
            ev = malloc(sizeof *ev * (size_t)n);
            ck_assert_int_ge(H5Dread(d, m, H5S_ALL, H5S_ALL, H5P_DEFAULT, ev), 0);
            H5Tclose(em);
            H5Tclose(m);
        }
        for (t = 0; t < MONTHS; t++)
            for (e = 0; e < events_in(t); e++, row++) {
                ck_assert_int_eq(ev[row].month, t);
                ck_assert_int_eq(ev[row].type, (t + e) % QM_EV_N);
                ck_assert_int_eq(ev[row].commissioner, e % NC);
                ck_assert_int_eq(ev[row].service, e % NS);
                ck_assert_int_eq(ev[row].provider, (t + e) % NP);
                ck_assert_int_eq(ev[row].other, e ? 0 : -1);
                ck_assert_double_eq(ev[row].value, t + 0.5 * e);
            }
        free(ev);
        H5Tclose(et);
        H5Tclose(ft);
        H5Dclose(d);
    }

    /* entities */
    check_strings(f, "entities/commissioner/name", NC, c_names);
    check_strings(f, "entities/provider/name", NP, p_names);
    check_strings(f, "entities/provider/kind", NP, p_kinds);
    check_strings(f, "entities/service/name", NS, s_names);
    check_strings(f, "entities/agency/name", NA, a_names);
    check_strings(f, "entities/agency/kind", NA, a_kinds);
    check_attached(f, "entities/agency/name", "entities/agency/agency", 0);
    check_attached(f, "entities/agency/kind", "entities/agency/agency", 0);
    {
        int32_t ent[NP], mon[NP];
        hid_t d = H5Dopen2(f, "entities/provider/entrant", H5P_DEFAULT);
        ck_assert_int_ge(H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, ent), 0);
        H5Dclose(d);
        d = H5Dopen2(f, "entities/provider/entry_month", H5P_DEFAULT);
        ck_assert_int_ge(H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, mon), 0);
        H5Dclose(d);
        for (i = 0; i < NP; i++) {
            ck_assert_int_eq(ent[i], p_entrant[i]);
            ck_assert_int_eq(mon[i], p_entry[i]);
        }
    }
    check_attached(f, "entities/provider/kind", "entities/provider/provider", 0);
    H5Fclose(f);
}
END_TEST

START_TEST(test_abort_leaves_nothing)
{
    qm_run_info info = make_info();
    char err[512] = "";
    qm_output *o = qm_output_open(path, 0, &info, NC, NP, NA, err, sizeof err);
    qm_frame *f = frame_new(NA);
    int t;
    ck_assert_msg(o != NULL, "%s", err);
    ck_assert(partial_exists());
    ck_assert(!exists(path));
    for (t = 0; t < 2 * FLUSH + 1; t++) { /* some months reach the disk */
        frame_fill(f, t);
        ck_assert_int_eq(qm_output_write(o, f, err, sizeof err), 0);
    }
    frame_free(f);
    qm_output_abort(o);
    ck_assert(!partial_exists());
    ck_assert(!exists(path));
    qm_output_abort(NULL); /* safe */
}
END_TEST

START_TEST(test_existing_file_needs_force)
{
    qm_run_info info = make_info();
    char err[512] = "", buf[16] = "";
    FILE *fp = fopen(path, "w");
    hid_t f;

    ck_assert_ptr_nonnull(fp);
    fputs("old data", fp);
    fclose(fp);
    ck_assert_ptr_null(qm_output_open(path, 0, &info, NC, NP, NA, err, sizeof err));
    ck_assert_msg(strstr(err, "exists; use --force to overwrite") && strstr(err, path),
                  "message: %s", err);
    ck_assert(!partial_exists());
    fp = fopen(path, "r");
    ck_assert_ptr_nonnull(fgets(buf, sizeof buf, fp));
    fclose(fp);
    ck_assert_str_eq(buf, "old data");

    /* With force the old file is replaced, only once the run is done. */
    info.seed = 7;
    ck_assert_int_eq(write_run(&info, 1, 5, NA, err, sizeof err), 0);
    ck_assert(!partial_exists());
    ck_assert_int_gt(H5Fis_hdf5(path), 0);
    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert_int_eq(attr_int(f, ".", "seed"), 7);
    ck_assert_int_eq(attr_int(f, ".", "months_written"), 5);
    H5Fclose(f);
}
END_TEST

START_TEST(test_unwritable_directory)
{
    qm_run_info info = make_info();
    char err[512] = "", bad[400];

    snprintf(bad, sizeof bad, "%s/missing/out.h5", dir);
    ck_assert_ptr_null(qm_output_open(bad, 0, &info, NC, NP, NA, err, sizeof err));
    ck_assert_msg(strstr(err, "missing") && strstr(err, strerror(ENOENT)), "message: %s", err);

    /* root may write anywhere: only test permissions as an ordinary user */
    if (geteuid() != 0) {
        char ro[300];
        snprintf(ro, sizeof ro, "%s/ro", dir);
        ck_assert_int_eq(mkdir(ro, 0555), 0);
        snprintf(bad, sizeof bad, "%s/out.h5", ro);
        err[0] = '\0';
        ck_assert_ptr_null(qm_output_open(bad, 0, &info, NC, NP, NA, err, sizeof err));
        ck_assert_msg(strstr(err, ro) && strstr(err, strerror(EACCES)), "message: %s", err);
        chmod(ro, 0755);
    }

    /* A second writer of the same file is refused at once, and the first
     * one finishes whole. */
    {
        qm_output *first = qm_output_open(path, 0, &info, NC, NP, NA, err, sizeof err);
        qm_entities ent = make_entities(NA);
        ck_assert_msg(first != NULL, "%s", err);
        err[0] = '\0';
        ck_assert_ptr_null(qm_output_open(path, 1, &info, NC, NP, NA, err, sizeof err));
        ck_assert_msg(strstr(err, "another qmsim is writing") && strstr(err, path),
                      "message: %s", err);
        ck_assert_int_eq(qm_output_close(first, &ent, err, sizeof err), 0);
        ck_assert(exists(path) && !partial_exists());
    }
}
END_TEST

/* qm_output_create on a destination begun before the work (as qmsim run
 * does): the lock is held from qm_outfile_begin on; on bad sizes the begun
 * destination is given back (no temporary file, no lock); otherwise the
 * file is written and committed whole. */
START_TEST(test_create_on_begun)
{
    qm_run_info info = make_info();
    qm_entities ent = make_entities(NA);
    char err[512] = "";
    qm_outfile *of = qm_outfile_begin(path, 0, err, sizeof err);
    ck_assert_msg(of != NULL, "%s", err);
    ck_assert(partial_exists());
    ck_assert_ptr_null(qm_outfile_begin(path, 1, err, sizeof err));
    ck_assert_msg(strstr(err, "another qmsim is writing"), "message: %s", err);
    ck_assert_ptr_null(qm_output_create(of, &info, 0, NP, NA, err, sizeof err));
    ck_assert_msg(strstr(err, "commissioners") != NULL, "message: %s", err);
    ck_assert(!partial_exists() && !exists(path));

    of = qm_outfile_begin(path, 0, err, sizeof err);
    ck_assert_msg(of != NULL, "%s", err);
    qm_output *o = qm_output_create(of, &info, NC, NP, NA, err, sizeof err);
    ck_assert_msg(o != NULL, "%s", err);
    ck_assert_int_eq(qm_output_close(o, &ent, err, sizeof err), 0);
    ck_assert(exists(path) && !partial_exists());
}
END_TEST

START_TEST(test_bad_input)
{
    qm_run_info info = make_info();
    qm_entities ent = make_entities(NA);
    char err[512] = "";
    qm_output *o;
    qm_frame *f = frame_new(NA);

    ck_assert_ptr_null(qm_output_open(path, 0, &info, 0, NP, NA, err, sizeof err));
    ck_assert_msg(strstr(err, "commissioners") != NULL, "message: %s", err);
    ck_assert(!partial_exists());
    err[0] = '\0';
    ck_assert_ptr_null(qm_output_open(path, 0, &info, NC, NP, -1, err, sizeof err));
    ck_assert_msg(strstr(err, "agencies") != NULL, "message: %s", err);
    ck_assert(!partial_exists());

    /* A frame out of order fails, and the run cannot then be published. */
    o = qm_output_open(path, 0, &info, NC, NP, NA, err, sizeof err);
    ck_assert_ptr_nonnull(o);
    frame_fill(f, 1);
    ck_assert_int_eq(qm_output_write(o, f, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "out of order") != NULL, "message: %s", err);
    ck_assert_int_eq(qm_output_close(o, &ent, err, sizeof err), -1);
    ck_assert(!partial_exists());
    ck_assert(!exists(path));

    /* A frame of the wrong size. */
    o = qm_output_open(path, 0, &info, NC, NP, NA, err, sizeof err);
    frame_fill(f, 0);
    f->n_providers = NP + 1;
    ck_assert_int_eq(qm_output_write(o, f, err, sizeof err), -1);
    qm_output_abort(o);

    /* A frame with the wrong number of agencies, or without its agency panel. */
    o = qm_output_open(path, 0, &info, NC, NP, NA, err, sizeof err);
    f->n_providers = NP;
    f->n_agencies = NA - 1;
    ck_assert_int_eq(qm_output_write(o, f, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "agencies") != NULL, "message: %s", err);
    qm_output_abort(o);
    o = qm_output_open(path, 0, &info, NC, NP, NA, err, sizeof err);
    f->n_agencies = NA;
    {
        double *ap = f->apanel;
        f->apanel = NULL;
        ck_assert_int_eq(qm_output_write(o, f, err, sizeof err), -1);
        ck_assert_msg(strstr(err, "no panels") != NULL, "message: %s", err);
        f->apanel = ap;
    }
    qm_output_abort(o);
    ck_assert(!partial_exists() && !exists(path));

    /* An entity table that does not match. */
    o = qm_output_open(path, 0, &info, NC, NP, NA, err, sizeof err);
    f->n_providers = NP;
    ck_assert_int_eq(qm_output_write(o, f, err, sizeof err), 0);
    ent.n_providers = NP - 1;
    ck_assert_int_eq(qm_output_close(o, &ent, err, sizeof err), -1);
    ck_assert(!partial_exists() && !exists(path));

    /* Entity tables with the wrong agencies, or without their names. */
    o = qm_output_open(path, 0, &info, NC, NP, NA, err, sizeof err);
    ck_assert_int_eq(qm_output_write(o, f, err, sizeof err), 0);
    ent = make_entities(0);
    ck_assert_int_eq(qm_output_close(o, &ent, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "0 agencies") != NULL, "message: %s", err);
    o = qm_output_open(path, 0, &info, NC, NP, NA, err, sizeof err);
    ck_assert_int_eq(qm_output_write(o, f, err, sizeof err), 0);
    ent = make_entities(NA);
    ent.agency_kinds = NULL;
    ck_assert_int_eq(qm_output_close(o, &ent, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "missing an array") != NULL, "message: %s", err);
    ck_assert(!partial_exists() && !exists(path));
    frame_free(f);
}
END_TEST

START_TEST(test_no_panels_no_events)
{
    qm_run_info info = make_info();
    char err[512] = "";
    char name[200];
    hid_t f;
    hsize_t dims[1];

    info.panels = 0;
    info.flush_months = 0; /* the default */
    ck_assert_int_eq(write_run(&info, 0, 4, NA, err, sizeof err), 0);
    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert(H5Lexists(f, "panels", H5P_DEFAULT) == 0);
    snprintf(name, sizeof name, "series/%s", qm_series_defs[QM_S_SPEND].name);
    ck_assert_int_eq(rank_dims(f, name, dims), 1);
    ck_assert_int_eq(dims[0], 4);
    H5Fclose(f);
    unlink(path);

    /* events on but none happen: an empty table */
    info.panels = 1;
    {
        qm_entities ent = make_entities(NA);
        qm_output *o = qm_output_open(path, 0, &info, NC, NP, NA, err, sizeof err);
        qm_frame *fr = frame_new(NA);
        frame_fill(fr, 0);
        fr->n_events = 0;
        ck_assert_int_eq(qm_output_write(o, fr, err, sizeof err), 0);
        ck_assert_int_eq(qm_output_close(o, &ent, err, sizeof err), 0);
        frame_free(fr);
    }
    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert_int_eq(rank_dims(f, "events", dims), 1);
    ck_assert_int_eq(dims[0], 0);
    H5Fclose(f);
    unlink(path);

    info.events = 0;
    ck_assert_int_eq(write_run(&info, 0, 3, NA, err, sizeof err), 0);
    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert(H5Lexists(f, "events", H5P_DEFAULT) == 0);
    H5Fclose(f);
}
END_TEST

/* A run without agencies has no /panels/agency and no /entities/agency,
 * and its frames may not carry agencies.  Without panels, the agency count
 * of the frames is not checked but the entity table's still is. */
START_TEST(test_no_agencies)
{
    qm_run_info info = make_info();
    qm_entities ent = make_entities(0);
    char err[512] = "";
    char name[200];
    hsize_t dims[2];
    qm_output *o;
    qm_frame *fr;
    hid_t f;
    int v;

    ck_assert_int_eq(write_run(&info, 0, 9, 0, err, sizeof err), 0);
    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert(f >= 0);
    ck_assert(H5Lexists(f, "panels", H5P_DEFAULT) > 0);
    ck_assert(H5Lexists(f, "panels/agency", H5P_DEFAULT) == 0);
    ck_assert(H5Lexists(f, "entities/agency", H5P_DEFAULT) == 0);
    for (v = 0; v < QM_CP_N; v++) {
        snprintf(name, sizeof name, "panels/commissioner/%s", qm_cpanel_defs[v].name);
        ck_assert_int_eq(rank_dims(f, name, dims), 2);
        ck_assert_int_eq(dims[0], 9);
        ck_assert_int_eq(dims[1], NC);
    }
    check_strings(f, "entities/provider/name", NP, p_names);
    H5Fclose(f);
    unlink(path);

    /* a frame with agencies does not fit a file without them */
    o = qm_output_open(path, 0, &info, NC, NP, 0, err, sizeof err);
    ck_assert_ptr_nonnull(o);
    fr = frame_new(NA);
    frame_fill(fr, 0);
    ck_assert_int_eq(qm_output_write(o, fr, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "agencies") != NULL, "message: %s", err);
    qm_output_abort(o);
    frame_free(fr);
    ck_assert(!partial_exists() && !exists(path));

    /* agencies but no panels: no /panels at all, /entities/agency still */
    info.panels = 0;
    ck_assert_int_eq(write_run(&info, 0, 2, NA, err, sizeof err), 0);
    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert(H5Lexists(f, "panels", H5P_DEFAULT) == 0);
    check_strings(f, "entities/agency/name", NA, a_names);
    check_strings(f, "entities/agency/kind", NA, a_kinds);
    H5Fclose(f);
    unlink(path);
    o = qm_output_open(path, 0, &info, NC, NP, NA, err, sizeof err);
    ck_assert_ptr_nonnull(o);
    ck_assert_int_eq(qm_output_close(o, &ent, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "agencies") != NULL, "message: %s", err);
    ck_assert(!partial_exists() && !exists(path));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("output");
    TCase *tc = tcase_create("output");
    SRunner *sr;
    int failed;

    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_layout_and_values);
    tcase_add_test(tc, test_abort_leaves_nothing);
    tcase_add_test(tc, test_existing_file_needs_force);
    tcase_add_test(tc, test_unwritable_directory);
    tcase_add_test(tc, test_create_on_begun);
    tcase_add_test(tc, test_bad_input);
    tcase_add_test(tc, test_no_panels_no_events);
    tcase_add_test(tc, test_no_agencies);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
