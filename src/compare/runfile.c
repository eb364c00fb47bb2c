/* runfile.c: reading a run file (docs/output.md): its attributes, its
 * monthly series, its events and its entity names, for the commands that
 * compare, summarise or report runs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/h5.h"
#include "qmsim/comparison.h"

struct qm_runfile {
    hid_t f;
};

qm_runfile *qm_runfile_open(const char *path, char *err, size_t errlen)
{
    hid_t f = qm_h5_open_read(path, err, errlen);
    if (f < 0)
        return NULL;
    /* A file whose datasets do not read back is never used (docs/reliability.md). */
    if (qm_h5_check_whole(f, path, err, errlen) != 0) {
        H5Fclose(f);
        return NULL;
    }
    qm_runfile *rf = malloc(sizeof *rf);
    if (!rf) {
        snprintf(err, errlen, "out of memory");
        H5Fclose(f);
        return NULL;
    }
    rf->f = f;
    return rf;
}

void qm_runfile_close(qm_runfile *rf)
{
    if (!rf)
        return;
    H5Fclose(rf->f);
    free(rf);
}

char *qm_runfile_attr(const qm_runfile *rf, const char *name)
{
    return qm_h5_read_str_attr(rf->f, name);
}

int qm_runfile_int(const qm_runfile *rf, const char *name, long long *v)
{
    return qm_h5_read_int_attr(rf->f, name, v);
}

int qm_runfile_u64(const qm_runfile *rf, const char *name, uint64_t *v)
{
    return qm_h5_read_attr(rf->f, name, H5T_NATIVE_UINT64, v);
}

int qm_runfile_has(const qm_runfile *rf, const char *path)
{
    return H5Lexists(rf->f, path, H5P_DEFAULT) > 0;
}

int qm_runfile_has_group(const qm_runfile *rf, const char *path)
{
    hid_t g;
    if (H5Lexists(rf->f, path, H5P_DEFAULT) <= 0 || (g = H5Gopen2(rf->f, path, H5P_DEFAULT)) < 0)
        return 0;
    H5Gclose(g);
    return 1;
}

double *qm_runfile_series(const qm_runfile *rf, int *months)
{
    long long mw = 0;
    *months = 0;
    if (H5Lexists(rf->f, "series", H5P_DEFAULT) <= 0)
        return NULL;
    hid_t g = H5Gopen2(rf->f, "series", H5P_DEFAULT);
    if (g < 0)
        return NULL;
    if (qm_h5_read_int_attr(rf->f, "months_written", &mw) != 0) {
        hsize_t dims[2];
        double *t = qm_h5_read_doubles(g, "time", dims);
        mw = t ? (long long)dims[0] : 0;
        free(t);
    }
    size_t T = mw > 0 ? (size_t)mw : 0;
    double *ser = malloc(((size_t)QM_S_N * T + 1) * sizeof *ser);
    for (int k = 0; ser && k < QM_S_N; k++) {
        hsize_t dims[2];
        double *v = qm_h5_read_doubles(g, qm_series_defs[k].name, dims);
        for (size_t t = 0; t < T; t++)
            ser[(size_t)k * T + t] = v && t < dims[0] ? v[t] : NAN;
        free(v);
    }
    H5Gclose(g);
    *months = (int)T;
    return ser;
}

/* The memory type of an /events row (qm_event). */
static hid_t event_type(hid_t *e)
{
    *e = H5Tenum_create(H5T_NATIVE_INT32);
    for (int v = 0; v < QM_EV_N; v++)
        H5Tenum_insert(*e, qm_event_names[v], &v);
    hid_t c = H5Tcreate(H5T_COMPOUND, sizeof(qm_event));
    H5Tinsert(c, "month", HOFFSET(qm_event, month), H5T_NATIVE_INT32);
    H5Tinsert(c, "type", HOFFSET(qm_event, type), *e);
    H5Tinsert(c, "commissioner", HOFFSET(qm_event, commissioner), H5T_NATIVE_INT32);
    H5Tinsert(c, "service", HOFFSET(qm_event, service), H5T_NATIVE_INT32);
    H5Tinsert(c, "provider", HOFFSET(qm_event, provider), H5T_NATIVE_INT32);
    H5Tinsert(c, "other", HOFFSET(qm_event, other), H5T_NATIVE_INT32);
    H5Tinsert(c, "value", HOFFSET(qm_event, value), H5T_NATIVE_DOUBLE);
    return c;
}

qm_event *qm_runfile_events(const qm_runfile *rf, int *n)
{
    *n = 0;
    if (H5Lexists(rf->f, "events", H5P_DEFAULT) <= 0)
        return NULL;
    hid_t d = H5Dopen2(rf->f, "events", H5P_DEFAULT), space = -1, e = -1, c = -1;
    qm_event *ev = NULL;
    if (d < 0)
        return NULL;
    hssize_t cnt;
    space = H5Dget_space(d);
    if (space >= 0 && (cnt = H5Sget_simple_extent_npoints(space)) > 0) {
        c = event_type(&e);
        ev = malloc((size_t)cnt * sizeof *ev);
        if (ev && H5Dread(d, c, H5S_ALL, H5S_ALL, H5P_DEFAULT, ev) < 0) {
            free(ev);
            ev = NULL;
        }
        if (ev)
            *n = (int)cnt;
    }
    if (c >= 0)
        H5Tclose(c);
    if (e >= 0)
        H5Tclose(e);
    if (space >= 0)
        H5Sclose(space);
    H5Dclose(d);
    return ev;
}

char **qm_runfile_strings(const qm_runfile *rf, const char *path, int *n)
{
    return qm_h5_read_strings(rf->f, path, n);
}

void qm_runfile_strings_free(char **v, int n)
{
    qm_h5_free_strings(v, n);
}

/* What qm_runfile_each_series passes to its H5Literate callback. */
typedef struct each_ctx {
    int (*fn)(void *ctx, const char *name, const double *v, size_t n);
    void *ctx;
    int max, seen;
} each_ctx;

static herr_t visit(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    each_ctx *e = data;
    hid_t obj;
    hsize_t dims[2];
    (void)info;
    if (strcmp(name, "time") == 0 || (obj = H5Oopen(g, name, H5P_DEFAULT)) < 0)
        return 0;
    int is_dataset = H5Iget_type(obj) == H5I_DATASET, rank = -1;
    if (is_dataset) {
        hid_t space = H5Dget_space(obj);
        rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
        if (space >= 0)
            H5Sclose(space);
    }
    H5Oclose(obj);
    if (!is_dataset)
        return 0;
    if (e->seen >= e->max)
        return -1;
    double *v = rank == 1 ? qm_h5_read_doubles(g, name, dims) : NULL;
    int rc = e->fn(e->ctx, name, v, v ? (size_t)dims[0] : 0);
    e->seen += v != NULL;
    free(v);
    return rc || !v ? -1 : 0;
}

int qm_runfile_each_series(const qm_runfile *rf, int max,
                           int (*fn)(void *ctx, const char *name, const double *v, size_t n),
                           void *ctx)
{
    each_ctx e = {fn, ctx, max, 0};
    hsize_t idx = 0;
    hid_t g = H5Gopen2(rf->f, "series", H5P_DEFAULT);
    if (g < 0)
        return -1;
    /* Creation order is the order of the series table; older or foreign
     * files may not track it, so fall back to names. */
    herr_t rc = H5Literate(g, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, visit, &e);
    if (rc < 0 && e.seen == 0 && idx == 0)
        rc = H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, visit, &e);
    H5Gclose(g);
    return rc < 0 ? -1 : 0;
}
