/* result.c: the sweep result file (HDF5; docs/sweeps.md has the layout):
 * building its contents from a sweep, writing it, reading it back. */
#include "qmsim/sweep.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "io/h5.h"
#include "qmsim/observe.h"
#include "qmsim/version.h"

#define KIND "qmsim sweep"
#define SERIES_BLOCK 64        /* runs per chunk and per write of a saved series */

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

/* A malloc'd array of n strings, each copied. */
static char **str_array(int n)
{
    return calloc((size_t)n + 1, sizeof(char *));
}

static void free_strs(char **a, int n)
{
    if (!a)
        return;
    for (int i = 0; i < n; i++)
        free(a[i]);
    free(a);
}

void qm_result_free(qm_result *r)
{
    if (!r)
        return;
    free(r->version);
    free(r->sweep_file);
    free(r->sweep_text);
    free(r->base);
    free(r->base_source);
    free(r->base_text);
    free(r->base_resolved);
    free_strs(r->factor_names, r->n_factors);
    free_strs(r->factor_paths, r->n_factors);
    free_strs(r->factor_labels, r->n_factors);
    free(r->factor_min);
    free(r->factor_max);
    free(r->factor_log);
    free(r->factor_integer);
    free(r->design_values);
    free(r->design_unit);
    free_strs(r->outcome_names, r->n_outcomes);
    free_strs(r->outcome_series, r->n_outcomes);
    free_strs(r->outcome_reduce, r->n_outcomes);
    free(r->outcome_from);
    free(r->outcome_to);
    free_strs(r->series_names, r->n_series);
    free(r->point);
    free(r->replicate);
    free(r->seeds);
    free(r->status);
    free(r->wall);
    free(r->outcomes);
    memset(r, 0, sizeof *r);
}

/* Allocates the arrays of a result with these sizes.  Returns 0 or -1. */
static int result_alloc(qm_result *r, int k, long np, int m, int ns, long n)
{
    size_t pk = (size_t)np * (size_t)k;
    r->n_factors = k;
    r->n_points = np;
    r->n_outcomes = m;
    r->n_series = ns;
    r->n_runs = n;
    r->factor_names = str_array(k);
    r->factor_paths = str_array(k);
    r->factor_labels = str_array(k);
    r->factor_min = calloc((size_t)k, sizeof(double));
    r->factor_max = calloc((size_t)k, sizeof(double));
    r->factor_log = calloc((size_t)k, sizeof(int));
    r->factor_integer = calloc((size_t)k, sizeof(int));
    r->design_values = calloc(pk ? pk : 1, sizeof(double));
    r->design_unit = calloc(pk ? pk : 1, sizeof(double));
    r->outcome_names = str_array(m);
    r->outcome_series = str_array(m);
    r->outcome_reduce = str_array(m);
    r->outcome_from = calloc((size_t)m + 1, sizeof(int));
    r->outcome_to = calloc((size_t)m + 1, sizeof(int));
    r->series_names = str_array(ns);
    r->point = calloc((size_t)n, sizeof(int64_t));
    r->replicate = calloc((size_t)n, sizeof(int64_t));
    r->seeds = calloc((size_t)n, sizeof(uint64_t));
    r->status = calloc((size_t)n, sizeof(int32_t));
    r->wall = calloc((size_t)n, sizeof(double));
    r->outcomes = calloc((size_t)n * (size_t)m, sizeof(double));
    return r->factor_names && r->factor_paths && r->factor_labels && r->factor_min
                   && r->factor_max && r->factor_log && r->factor_integer && r->design_values
                   && r->design_unit && r->outcome_names && r->outcome_series
                   && r->outcome_reduce && r->outcome_from && r->outcome_to && r->series_names
                   && r->point && r->replicate && r->seeds && r->status && r->wall && r->outcomes
               ? 0 : -1;
}

/* "a,b,c" from a list of names; "" for numbers. */
static char *labels_of(const qm_factor *f)
{
    if (!f->labels)
        return strdup("");
    size_t n = 1;
    for (int i = 0; i < f->n_values; i++)
        n += strlen(f->labels[i]) + 1;
    char *s = malloc(n), *p = s;
    if (!s)
        return NULL;
    *s = '\0';
    for (int i = 0; i < f->n_values; i++)
        p += sprintf(p, "%s%s", i ? "," : "", f->labels[i]);
    return s;
}

static const char *series_name(int model, int s)
{
    return model == QM_MODEL_ISHIGAMI ? "y" : qm_series_defs[s].name;
}

int qm_result_from_sweep(const qm_sweep *sw, qm_result *r)
{
    memset(r, 0, sizeof *r);
    int k = sw->n_factors, m = sw->n_outcomes;
    if (result_alloc(r, k, sw->n_points, m, sw->n_series, sw->n_runs) != 0)
        return -1;
    r->version = strdup(QMSIM_VERSION);
    r->sweep_file = dup_or_empty(sw->file);
    r->sweep_text = dup_or_empty(sw->text);
    r->base = dup_or_empty(sw->base);
    r->base_source = dup_or_empty(sw->base_source);
    r->base_text = dup_or_empty(sw->base_text);
    r->base_resolved = dup_or_empty(sw->base_resolved);
    int bad = !r->version || !r->sweep_file || !r->sweep_text || !r->base || !r->base_source
              || !r->base_text || !r->base_resolved;
    r->design = sw->design;
    r->model = sw->model;
    r->samples = sw->samples;
    r->levels = sw->levels;
    r->replications = sw->replications;
    r->months = sw->months;
    r->seed = sw->seed;
    for (int i = 0; i < k; i++) {
        const qm_factor *f = &sw->factors[i];
        r->factor_names[i] = strdup(f->name);
        r->factor_paths[i] = strdup(f->path);
        r->factor_labels[i] = labels_of(f);
        bad |= !r->factor_names[i] || !r->factor_paths[i] || !r->factor_labels[i];
        r->factor_min[i] = f->min;
        r->factor_max[i] = f->max;
        r->factor_log[i] = f->log;
        r->factor_integer[i] = f->integer;
    }
    memcpy(r->design_values, sw->values, (size_t)sw->n_points * (size_t)k * sizeof(double));
    memcpy(r->design_unit, sw->unit, (size_t)sw->n_points * (size_t)k * sizeof(double));
    for (int i = 0; i < m; i++) {
        const qm_outcome *o = &sw->outcomes[i];
        r->outcome_names[i] = strdup(o->name);
        r->outcome_series[i] = strdup(series_name(sw->model, o->series));
        r->outcome_reduce[i] = strdup(qm_reduce_names[o->reduce]);
        bad |= !r->outcome_names[i] || !r->outcome_series[i] || !r->outcome_reduce[i];
        r->outcome_from[i] = o->from;
        r->outcome_to[i] = o->to;
    }
    for (int s = 0; s < sw->n_series; s++) {
        r->series_names[s] = strdup(series_name(sw->model, sw->series[s]));
        bad |= !r->series_names[s];
    }
    for (long j = 0; j < sw->n_runs; j++) {
        r->point[j] = j / sw->replications;
        r->replicate[j] = j % sw->replications;
        r->seeds[j] = sw->seed;
        r->status[j] = QM_RUN_MISSING;
        r->wall[j] = NAN;
    }
    for (size_t i = 0; i < (size_t)sw->n_runs * (size_t)m; i++)
        r->outcomes[i] = NAN;
    return bad ? -1 : 0;
}

/* ---- Writing. ---- */

static int attr_int(hid_t loc, const char *name, long long v)
{
    int64_t x = v;
    return qm_h5_put_attr(loc, name, H5T_NATIVE_INT64, H5T_NATIVE_INT64, &x);
}

/* A 1-D attribute of n values (strings when type is -1). */
static int attr_array(hid_t loc, const char *name, hid_t type, int n, const void *v)
{
    if (type < 0)
        return qm_h5_put_strs_attr(loc, name, n, v);
    return qm_h5_put_attr_array(loc, name, type, type, n, v);
}

/* A dataset of rank 1 or 2 written at once; returns its id or -1. */
static hid_t dataset(hid_t loc, const char *name, hid_t type, int rank, hsize_t d0, hsize_t d1,
                     const void *v)
{
    hsize_t d[2] = {d0, d1};
    return qm_h5_put_dataset(loc, name, type, type, rank, d, H5P_DEFAULT, v);
}

/* One 1-D attribute of a table: its name, type (-1: strings) and values. */
typedef struct {
    const char *name;
    hid_t type;
    const void *v;
} col_attr;

/* A [rows, k] table of doubles called name, with n_attrs attributes of k
 * values each; closes it.  0 or -1. */
static int table(hid_t loc, const char *name, hsize_t rows, int k, const double *v,
                 const col_attr *attrs, size_t n_attrs)
{
    hid_t d = dataset(loc, name, H5T_NATIVE_DOUBLE, 2, rows, (hsize_t)k, v);
    if (d < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n_attrs; i++)
        rc |= attr_array(d, attrs[i].name, attrs[i].type, k, attrs[i].v);
    H5Dclose(d);
    return rc;
}

static int write_design(hid_t f, const qm_result *r)
{
    int k = r->n_factors;
    const col_attr design[] = {{"columns", -1, r->factor_names},
                               {"paths", -1, r->factor_paths},
                               {"labels", -1, r->factor_labels},
                               {"min", H5T_NATIVE_DOUBLE, r->factor_min},
                               {"max", H5T_NATIVE_DOUBLE, r->factor_max},
                               {"log", H5T_NATIVE_INT, r->factor_log},
                               {"integer", H5T_NATIVE_INT, r->factor_integer}};
    int rc = table(f, "design", (hsize_t)r->n_points, k, r->design_values, design,
                   sizeof design / sizeof design[0]);
    /* design_unit carries only the column names. */
    return table(f, "design_unit", (hsize_t)r->n_points, k, r->design_unit, design, 1) | rc;
}

static int write_runs(hid_t f, const qm_result *r)
{
    hid_t g = H5Gcreate2(f, "runs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return -1;
    struct {
        const char *name;
        hid_t type;
        const void *v;
    } cols[] = {{"point", H5T_NATIVE_INT64, r->point},
                {"replicate", H5T_NATIVE_INT64, r->replicate},
                {"seed", H5T_NATIVE_UINT64, r->seeds},
                {"status", H5T_NATIVE_INT32, r->status},
                {"wall_time", H5T_NATIVE_DOUBLE, r->wall}};
    int rc = 0;
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        hid_t d = dataset(g, cols[i].name, cols[i].type, 1, (hsize_t)r->n_runs, 0, cols[i].v);
        if (d < 0)
            rc = -1;
        else
            H5Dclose(d);
    }
    H5Gclose(g);
    return rc;
}

static int write_outcomes(hid_t f, const qm_result *r)
{
    const col_attr cols[] = {{"columns", -1, r->outcome_names},
                             {"series", -1, r->outcome_series},
                             {"reduce", -1, r->outcome_reduce},
                             {"from", H5T_NATIVE_INT, r->outcome_from},
                             {"to", H5T_NATIVE_INT, r->outcome_to}};
    return table(f, "outcomes", (hsize_t)r->n_runs, r->n_outcomes, r->outcomes, cols,
                 sizeof cols / sizeof cols[0]);
}

/* Units and meaning of a saved series, as in a run's file. */
static void series_doc(const qm_result *r, const char *name, const char **units, const char **doc)
{
    *units = "1";
    *doc = "Ishigami function, a = 7, b = 0.1";
    if (r->model == QM_MODEL_ISHIGAMI)
        return;
    for (int s = 0; s < QM_S_N; s++)
        if (!strcmp(qm_series_defs[s].name, name)) {
            *units = qm_series_defs[s].units;
            *doc = qm_series_defs[s].description;
        }
}

static int write_series(hid_t f, const qm_result *r, qm_series_source src, void *ctx,
                        char *err, size_t errlen)
{
    int ns = r->n_series, T = r->months, rc = -1;
    hsize_t N = (hsize_t)r->n_runs;
    hid_t g = H5Gcreate2(f, "series", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t *ds = calloc((size_t)ns, sizeof *ds);
    double *blk = malloc((size_t)SERIES_BLOCK * (size_t)ns * (size_t)T * sizeof(double));
    double *rows = malloc((size_t)SERIES_BLOCK * (size_t)T * sizeof(double));
    hid_t space = -1, dcpl = -1;
    if (g < 0 || !ds || !blk || !rows)
        goto out;
    for (int s = 0; s < ns; s++)
        ds[s] = -1;
    hsize_t dims[2] = {N, (hsize_t)T};
    hsize_t chunk[2] = {N < SERIES_BLOCK ? N : SERIES_BLOCK, (hsize_t)T};
    space = H5Screate_simple(2, dims, NULL);
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (space < 0 || dcpl < 0 || H5Pset_chunk(dcpl, 2, chunk) < 0 || H5Pset_shuffle(dcpl) < 0
        || H5Pset_deflate(dcpl, 4) < 0)
        goto out;
    for (int s = 0; s < ns; s++) {
        const char *units, *doc;
        ds[s] = H5Dcreate2(g, r->series_names[s], H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, dcpl,
                           H5P_DEFAULT);
        series_doc(r, r->series_names[s], &units, &doc);
        if (ds[s] < 0 || qm_h5_put_str_attr(ds[s], "units", units) < 0
            || qm_h5_put_str_attr(ds[s], "description", doc) < 0)
            goto out;
    }
    for (hsize_t b = 0; b < N; b += SERIES_BLOCK) {
        hsize_t cnt = N - b < SERIES_BLOCK ? N - b : SERIES_BLOCK;
        for (hsize_t i = 0; i < cnt; i++) {
            double *dst = blk + i * (hsize_t)ns * (hsize_t)T;
            if (src(ctx, (long)(b + i), dst) != 0) {
                snprintf(err, errlen, "cannot read the saved series of run %llu",
                         (unsigned long long)(b + i));
                goto out;
            }
        }
        hsize_t start[2] = {b, 0}, count[2] = {cnt, (hsize_t)T};
        hid_t mem = H5Screate_simple(2, count, NULL);
        if (mem < 0 || H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, count, NULL) < 0) {
            if (mem >= 0)
                H5Sclose(mem);
            goto out;
        }
        for (int s = 0; s < ns; s++) {
            for (hsize_t i = 0; i < cnt; i++)
                memcpy(rows + i * (hsize_t)T, blk + (i * (hsize_t)ns + (hsize_t)s) * (hsize_t)T,
                       (size_t)T * sizeof(double));
            if (H5Dwrite(ds[s], H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, rows) < 0) {
                H5Sclose(mem);
                goto out;
            }
        }
        H5Sclose(mem);
    }
    rc = 0;
out:
    for (int s = 0; ds && s < ns; s++)
        if (ds[s] >= 0)
            H5Dclose(ds[s]);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    if (g >= 0)
        H5Gclose(g);
    free(ds);
    free(blk);
    free(rows);
    return rc;
}

static int write_root(hid_t f, const qm_result *r)
{
    const struct {
        const char *name, *value;
    } strs[] = {{"kind", KIND},
                {"qmsim_version", r->version},
                {"sweep_file", r->sweep_file},
                {"sweep_text", r->sweep_text},
                {"base", r->base},
                {"base_source", r->base_source},
                {"base_text", r->base_text},
                {"base_resolved", r->base_resolved},
                {"design", qm_design_names[r->design]},
                {"model", r->model == QM_MODEL_ISHIGAMI ? "ishigami" : "qmsim"}};
    const struct {
        const char *name;
        long long value;
    } ints[] = {{"samples", r->samples},   {"levels", r->levels},
                {"replications", r->replications}, {"months", r->months},
                {"n_points", r->n_points}, {"n_runs", r->n_runs}};
    int rc = 0;
    uint64_t seed = r->seed;
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        rc |= qm_h5_put_str_attr(f, strs[i].name, strs[i].value);
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        rc |= attr_int(f, ints[i].name, ints[i].value);
    rc |= qm_h5_put_attr(f, "seed", H5T_NATIVE_UINT64, H5T_NATIVE_UINT64, &seed);
    if (r->shard_n > 0) {
        rc |= attr_int(f, "shard_index", r->shard_i);
        rc |= attr_int(f, "shard_count", r->shard_n);
    }
    return rc;
}

/* Everything of the file, in order.  0 or -1. */
static int write_all(hid_t f, const qm_result *r, qm_series_source src, void *ctx, char *err,
                     size_t errlen)
{
    int rc = write_root(f, r);
    rc |= write_design(f, r);
    rc |= write_runs(f, r);
    rc |= write_outcomes(f, r);
    if (rc == 0 && r->n_series > 0)
        rc |= write_series(f, r, src, ctx, err, errlen);
    if (rc == 0)
        rc |= attr_int(f, "complete", 1);
    if (rc == 0 && H5Fflush(f, H5F_SCOPE_LOCAL) < 0)
        rc = -1;
    return rc;
}

int qm_result_write_to(qm_outfile *of, const qm_result *r, qm_series_source src, void *ctx,
                       char *err, size_t errlen)
{
    const char *temp = qm_outfile_temp(of);
    char why[256];
    err[0] = '\0';
    hid_t f = H5Fcreate(temp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0) {
        qm_h5_reason(why, sizeof why);
        snprintf(err, errlen, "cannot create %s: %s", temp, why[0] ? why : strerror(errno));
        qm_outfile_discard(of);
        return -1;
    }
    int rc = write_all(f, r, src, ctx, err, errlen);
    if (rc != 0) {
        qm_h5_reason(why, sizeof why);
        if (!err[0])
            snprintf(err, errlen, "cannot write %s: %s", temp, why[0] ? why : "HDF5 error");
        /* Giving the space back first lets the close below succeed on a
         * full disk (see qm_outfile_hdf5_setup). */
        if (truncate(temp, 0) != 0)
            errno = 0;
    }
    if (H5Fclose(f) < 0 && rc == 0) {
        qm_h5_reason(why, sizeof why);
        snprintf(err, errlen, "cannot write %s: %s", temp, why[0] ? why : "HDF5 error");
        rc = -1;
    }
    if (rc != 0) {
        qm_outfile_discard(of);
        return -1;
    }
    return qm_outfile_commit(of, err, errlen);
}

int qm_result_write(const char *path, int force, const qm_result *r, qm_series_source src,
                    void *ctx, char *err, size_t errlen)
{
    qm_outfile *of = qm_outfile_begin(path, force, err, errlen);
    return of ? qm_result_write_to(of, r, src, ctx, err, errlen) : -1;
}

/* ---- Reading. ---- */

/* Reads a 1-D attribute of exactly n values (strings when type is -1). */
static int read_array(hid_t loc, const char *name, hid_t type, int n, void *v)
{
    char at[64], **got, **out = v;
    int cnt = 0;
    if (type >= 0)
        return qm_h5_read_attr_array(loc, name, type, n, v);
    snprintf(at, sizeof at, "@%s", name);
    got = qm_h5_read_strings(loc, at, &cnt);
    if (!got || cnt != n) {
        qm_h5_free_strings(got, cnt);
        return -1;
    }
    for (int i = 0; i < n; i++)
        out[i] = got[i];
    free(got);
    return 0;
}

/* Number of columns of a 2-D dataset's "columns" attribute, or -1. */
static int columns(hid_t f, const char *name)
{
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    if (d < 0)
        return -1;
    int n = -1;
    if (H5Aexists(d, "columns") > 0) {
        hid_t a = H5Aopen(d, "columns", H5P_DEFAULT), s = a >= 0 ? H5Aget_space(a) : -1;
        hsize_t k = 0;
        if (s >= 0 && H5Sget_simple_extent_dims(s, &k, NULL) == 1 && k < 1000000)
            n = (int)k;
        if (s >= 0)
            H5Sclose(s);
        if (a >= 0)
            H5Aclose(a);
    }
    H5Dclose(d);
    return n;
}

static int index_of(const char *const *names, const char *s)
{
    for (int i = 0; s && names[i]; i++)
        if (!strcmp(names[i], s))
            return i;
    return -1;
}

/* The root attributes: kind, completion, sizes, seed, shard; n_points and
 * n_runs into *np and *n.  0, or -1 with a message in err. */
static int read_root(hid_t f, qm_result *r, long *np, long *n, char *err, size_t errlen)
{
    long long v[9];
    char *kind = qm_h5_read_str_attr(f, "kind"), *design = qm_h5_read_str_attr(f, "design");
    char *model = qm_h5_read_str_attr(f, "model");
    int ok = kind && !strcmp(kind, KIND);
    r->design = index_of(qm_design_names, design);
    r->model = model && !strcmp(model, "ishigami") ? QM_MODEL_ISHIGAMI : QM_MODEL_ABM;
    free(kind);
    free(design);
    free(model);
    if (!ok) {
        snprintf(err, errlen, "not a qmsim sweep result");
        return -1;
    }
    if (qm_h5_read_int_attr(f, "complete", &v[0]) != 0 || v[0] != 1) {
        snprintf(err, errlen, "incomplete sweep result (the sweep did not finish)");
        return -1;
    }
    const char *keys[] = {"samples", "levels", "replications", "months", "n_points", "n_runs"};
    for (int i = 0; i < 6; i++)
        if (qm_h5_read_int_attr(f, keys[i], &v[i]) != 0 || v[i] < 0) {
            snprintf(err, errlen, "attribute %s is missing", keys[i]);
            return -1;
        }
    if (r->design < 0 || qm_h5_read_attr(f, "seed", H5T_NATIVE_UINT64, &r->seed) != 0
        || v[4] > QM_SWEEP_MAX_POINTS || v[5] > QM_SWEEP_MAX_RUNS || v[5] < 1 || v[4] < 1) {
        snprintf(err, errlen, "damaged sweep result (design, seed or sizes)");
        return -1;
    }
    r->samples = (int)v[0];
    r->levels = (int)v[1];
    r->replications = (int)v[2];
    r->months = (int)v[3];
    long long si = 0, sn = 0;
    if (qm_h5_read_int_attr(f, "shard_count", &sn) == 0
        && qm_h5_read_int_attr(f, "shard_index", &si) == 0) {
        r->shard_i = (int)si;
        r->shard_n = (int)sn;
    }
    *np = (long)v[4];
    *n = (long)v[5];
    r->version = qm_h5_read_str_attr(f, "qmsim_version");
    r->sweep_file = qm_h5_read_str_attr(f, "sweep_file");
    r->sweep_text = qm_h5_read_str_attr(f, "sweep_text");
    r->base = qm_h5_read_str_attr(f, "base");
    r->base_source = qm_h5_read_str_attr(f, "base_source");
    r->base_text = qm_h5_read_str_attr(f, "base_text");
    r->base_resolved = qm_h5_read_str_attr(f, "base_resolved");
    return 0;
}

/* The numbers of factors, outcomes and saved series, and the result's
 * arrays allocated for them.  0, or -1 with a message in err. */
static int read_layout(hid_t f, qm_result *r, long np, long n, char *err, size_t errlen)
{
    int k = columns(f, "design"), m = columns(f, "outcomes"), ns = 0;
    hid_t g = -1;
    H5G_info_t gi;
    if (H5Lexists(f, "series", H5P_DEFAULT) > 0 && (g = H5Gopen2(f, "series", H5P_DEFAULT)) >= 0
        && H5Gget_info(g, &gi) >= 0)
        ns = (int)gi.nlinks;
    if (k < 1 || m < 1 || !r->version || !r->sweep_text || !r->base_source || !r->base_resolved
        || result_alloc(r, k, np, m, ns, n) != 0) {
        if (g >= 0)
            H5Gclose(g);
        snprintf(err, errlen, "damaged sweep result (attributes or columns)");
        return -1;
    }
    for (int s = 0; s < ns; s++) {
        char name[256];
        if (H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, (hsize_t)s, name, sizeof name,
                               H5P_DEFAULT) < 0 || !(r->series_names[s] = strdup(name))) {
            H5Gclose(g);
            snprintf(err, errlen, "damaged sweep result (series)");
            return -1;
        }
    }
    if (g >= 0)
        H5Gclose(g);
    return 0;
}

/* The design and outcome tables, their column attributes, and the runs.
 * 0, or -1 with a message in err. */
static int read_tables(hid_t f, qm_result *r, char *err, size_t errlen)
{
    int k = r->n_factors, m = r->n_outcomes;
    hid_t d = H5Dopen2(f, "design", H5P_DEFAULT), o = H5Dopen2(f, "outcomes", H5P_DEFAULT);
    int rc = d >= 0 && o >= 0 ? 0 : -1;
    if (rc == 0) {
        rc |= read_array(d, "columns", -1, k, r->factor_names);
        rc |= read_array(d, "paths", -1, k, r->factor_paths);
        rc |= read_array(d, "labels", -1, k, r->factor_labels);
        rc |= read_array(d, "min", H5T_NATIVE_DOUBLE, k, r->factor_min);
        rc |= read_array(d, "max", H5T_NATIVE_DOUBLE, k, r->factor_max);
        rc |= read_array(d, "log", H5T_NATIVE_INT, k, r->factor_log);
        rc |= read_array(d, "integer", H5T_NATIVE_INT, k, r->factor_integer);
        rc |= read_array(o, "columns", -1, m, r->outcome_names);
        rc |= read_array(o, "series", -1, m, r->outcome_series);
        rc |= read_array(o, "reduce", -1, m, r->outcome_reduce);
        rc |= read_array(o, "from", H5T_NATIVE_INT, m, r->outcome_from);
        rc |= read_array(o, "to", H5T_NATIVE_INT, m, r->outcome_to);
    }
    if (d >= 0)
        H5Dclose(d);
    if (o >= 0)
        H5Dclose(o);
    hsize_t P = (hsize_t)r->n_points, N = (hsize_t)r->n_runs;
    rc |= qm_h5_read_into(f, "design", H5T_NATIVE_DOUBLE, 2, P, (hsize_t)k, r->design_values);
    rc |= qm_h5_read_into(f, "design_unit", H5T_NATIVE_DOUBLE, 2, P, (hsize_t)k, r->design_unit);
    rc |= qm_h5_read_into(f, "runs/point", H5T_NATIVE_INT64, 1, N, 0, r->point);
    rc |= qm_h5_read_into(f, "runs/replicate", H5T_NATIVE_INT64, 1, N, 0, r->replicate);
    rc |= qm_h5_read_into(f, "runs/seed", H5T_NATIVE_UINT64, 1, N, 0, r->seeds);
    rc |= qm_h5_read_into(f, "runs/status", H5T_NATIVE_INT32, 1, N, 0, r->status);
    rc |= qm_h5_read_into(f, "runs/wall_time", H5T_NATIVE_DOUBLE, 1, N, 0, r->wall);
    rc |= qm_h5_read_into(f, "outcomes", H5T_NATIVE_DOUBLE, 2, N, (hsize_t)m, r->outcomes);
    for (long j = 0; rc == 0 && j < r->n_runs; j++)
        if (r->point[j] < 0 || r->point[j] >= r->n_points)
            rc = -1;
    if (rc != 0)
        snprintf(err, errlen, "damaged sweep result (datasets)");
    return rc;
}

static int read_body(hid_t f, qm_result *r, char *err, size_t errlen)
{
    long np = 0, n = 0;
    if (read_root(f, r, &np, &n, err, errlen) != 0 || read_layout(f, r, np, n, err, errlen) != 0)
        return -1;
    return read_tables(f, r, err, errlen);
}

int qm_result_read(const char *path, qm_result *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    hid_t f = -1;
    int rc = -1;
    char why[16];
    f = qm_h5_open_read(path, why, sizeof why);
    if (f >= 0) {
        rc = qm_h5_check_whole(f, path, err, errlen);
        if (rc == 0)
            rc = read_body(f, r, err, errlen);
        H5Fclose(f);
    }
    if (f < 0)
        snprintf(err, errlen, "cannot open %s as HDF5: %s", path,
                 access(path, R_OK) != 0 ? strerror(errno) : "not an HDF5 file");
    if (rc != 0 && !strstr(err, path)) { /* every message names the file */
        char *said = strdup(err);
        snprintf(err, errlen, "%s: %s", path, said ? said : "cannot be read");
        free(said);
    }
    if (rc != 0)
        qm_result_free(r);
    return rc;
}

/* ---- Reading saved series back, run by run. ---- */

struct qm_result_series {
    hid_t file;
    int n;
    int months;
    hid_t *ds;
};

void qm_result_series_close(qm_result_series *s)
{
    if (!s)
        return;
    for (int i = 0; s->ds && i < s->n; i++)
        if (s->ds[i] >= 0)
            H5Dclose(s->ds[i]);
    if (s->file >= 0)
        H5Fclose(s->file);
    free(s->ds);
    free(s);
}

qm_result_series *qm_result_series_open(const char *path, const qm_result *r, char *err,
                                        size_t errlen)
{
    qm_result_series *s = calloc(1, sizeof *s);
    if (!s || !(s->ds = calloc((size_t)r->n_series + 1, sizeof *s->ds))) {
        free(s);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->n = r->n_series;
    s->months = r->months;
    s->file = -1;
    for (int i = 0; i < s->n; i++)
        s->ds[i] = -1;
    int ok = 1;
    s->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    ok = s->file >= 0;
    for (int i = 0; ok && i < s->n; i++) {
        char name[300];
        snprintf(name, sizeof name, "series/%s", r->series_names[i]);
        s->ds[i] = H5Dopen2(s->file, name, H5P_DEFAULT);
        ok = s->ds[i] >= 0;
    }
    if (!ok) {
        snprintf(err, errlen, "cannot open the saved series of %s", path);
        qm_result_series_close(s);
        return NULL;
    }
    return s;
}

int qm_result_series_read(qm_result_series *s, long j, double *buf)
{
    int rc = 0;
    hsize_t start[2] = {(hsize_t)j, 0}, count[2] = {1, (hsize_t)s->months};
    hid_t mem = H5Screate_simple(2, count, NULL);
    for (int i = 0; rc == 0 && i < s->n; i++) {
        hid_t fs = H5Dget_space(s->ds[i]);
        if (fs < 0 || H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0
            || H5Dread(s->ds[i], H5T_NATIVE_DOUBLE, mem, fs, H5P_DEFAULT,
                       buf + (size_t)i * (size_t)s->months) < 0)
            rc = -1;
        if (fs >= 0)
            H5Sclose(fs);
    }
    if (mem >= 0)
        H5Sclose(mem);
    else
        rc = -1;
    return rc;
}
