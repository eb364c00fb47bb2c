/* h5.c: the one set of HDF5 helpers (h5.h): attributes, groups and whole
 * datasets for the writers (run files, sweep results, comparisons), and
 * the readers of attributes, string tables and double tables for the
 * commands that read those files back. */
#include "io/h5.h"
#include "qmsim/outfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Writing ---------------------------------------------------------- */

void qm_h5_release(hid_t id)
{
    hid_t saved;
    if (id < 0)
        return;
    saved = H5Eget_current_stack();
    H5Idec_ref(id);
    if (saved >= 0)
        H5Eset_current_stack(saved);
}

hid_t qm_h5_str_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return QM_H5_NONE;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        qm_h5_release(t);
        return QM_H5_NONE;
    }
    return t;
}

/* Creates LOC@NAME of FTYPE over SPACE and writes V (MTYPE) unless
 * EMPTY.  Returns 0 or -1; a failed close is a failure. */
static int write_attr(hid_t loc, const char *name, hid_t ftype, hid_t mtype, hid_t space,
                      int empty, const void *v)
{
    int rc = -1;
    hid_t a = H5Acreate2(loc, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT);
    if (a >= 0 && (empty || H5Awrite(a, mtype, v) >= 0))
        rc = 0;
    if (a >= 0 && H5Aclose(a) < 0)
        rc = -1;
    return rc;
}

int qm_h5_put_attr(hid_t loc, const char *name, hid_t ftype, hid_t mtype, const void *value)
{
    hid_t space = H5Screate(H5S_SCALAR);
    int rc;
    if (space < 0)
        return -1;
    rc = write_attr(loc, name, ftype, mtype, space, 0, value);
    qm_h5_release(space);
    return rc;
}

int qm_h5_put_str_attr(hid_t loc, const char *name, const char *value)
{
    int rc;
    hid_t t = qm_h5_str_type();
    if (t < 0)
        return -1;
    if (!value)
        value = "";
    rc = qm_h5_put_attr(loc, name, t, t, &value);
    qm_h5_release(t);
    return rc;
}

int qm_h5_put_attr_array(hid_t loc, const char *name, hid_t ftype, hid_t mtype, int n,
                         const void *v)
{
    hsize_t d = (hsize_t)n;
    hid_t space = H5Screate_simple(1, &d, NULL);
    int rc;
    if (space < 0)
        return -1;
    rc = write_attr(loc, name, ftype, mtype, space, n == 0, v);
    qm_h5_release(space);
    return rc;
}

int qm_h5_put_strs_attr(hid_t loc, const char *name, int n, const char *const *v)
{
    int rc;
    hid_t t = qm_h5_str_type();
    if (t < 0)
        return -1;
    rc = qm_h5_put_attr_array(loc, name, t, t, n, v);
    qm_h5_release(t);
    return rc;
}

hid_t qm_h5_put_group(hid_t loc, const char *name)
{
    hid_t g = QM_H5_NONE, gcpl = H5Pcreate(H5P_GROUP_CREATE);
    if (gcpl < 0)
        return QM_H5_NONE;
    if (H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) >= 0)
        g = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    qm_h5_release(gcpl);
    return g;
}

enum {
    CONVERSION_MIN = 4096,     /* bytes: the smallest conversion buffer */
    CONVERSION_MAX = 1 << 20   /* bytes: HDF5's default, which larger writes keep */
};

/* The transfer list for writing N elements of MTYPE as FTYPE.  A write
 * that converts (variable-length strings always do) otherwise has HDF5
 * allocate and zero buffers of its default size, 1 MiB, for each dataset
 * however small: for the few hundred names of a run file
 * that was 8 % of a national run's time (bench/README.md).  Buffers of
 * the size the write needs do the same work. */
static hid_t conversion_plist(hid_t mtype, hid_t ftype, hsize_t n)
{
    /* A variable-length element is 16 bytes on disk (length, heap address
     * and index) whatever H5Tget_size says of its type; HDF5 refuses a
     * buffer smaller than one element and works through a larger
     * selection in strips, so a floor is all that is needed. */
    size_t each = H5Tget_size(mtype), fsize = H5Tget_size(ftype), bytes;
    hid_t dxpl;

    if (fsize > each)
        each = fsize;
    if (each < 16)
        each = 16;
    if (n > (hsize_t)(CONVERSION_MAX / each))
        return H5P_DEFAULT;
    bytes = (size_t)n * each;
    if (bytes < CONVERSION_MIN)
        bytes = CONVERSION_MIN;
    dxpl = H5Pcreate(H5P_DATASET_XFER);
    if (dxpl >= 0 && H5Pset_buffer(dxpl, bytes, NULL, NULL) < 0) {
        qm_h5_release(dxpl);
        dxpl = QM_H5_NONE;
    }
    return dxpl;
}

hid_t qm_h5_put_dataset(hid_t loc, const char *name, hid_t ftype, hid_t mtype, int rank,
                        const hsize_t *dims, hid_t dcpl, const void *data)
{
    hsize_t n = dims[0] * (rank > 1 ? dims[1] : 1);
    hid_t d = QM_H5_NONE, space = H5Screate_simple(rank, dims, NULL);
    if (space < 0)
        return QM_H5_NONE;
    hid_t dxpl = conversion_plist(mtype, ftype, n);
    d = H5Dcreate2(loc, name, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (d >= 0 && n > 0 && (dxpl < 0 || H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, dxpl, data) < 0)) {
        qm_h5_release(d);
        d = QM_H5_NONE;
    }
    if (dxpl != H5P_DEFAULT)
        qm_h5_release(dxpl);
    qm_h5_release(space);
    return d;
}

/* Keeps the innermost HDF5 error description: the deepest frame says what
 * actually went wrong.  A system error ("..., errno = 28, error message =
 * 'No space left on device', ...") is cut down to its message. */
typedef struct reason_buf {
    char *out;
    size_t n;
} reason_buf;

static herr_t innermost_desc(unsigned n, const H5E_error2_t *e, void *data)
{
    static const char key[] = "error message = '";
    reason_buf *rb = data;
    const char *m, *end;

    (void)n;
    if (rb->out[0] != '\0' || !e || !e->desc || !e->desc[0])
        return 0;
    m = strstr(e->desc, key);
    if (m && (end = strchr(m + sizeof key - 1, '\'')) != NULL)
        snprintf(rb->out, rb->n, "%.*s", (int)(end - m - (sizeof key - 1)), m + sizeof key - 1);
    else
        snprintf(rb->out, rb->n, "%.*s", (int)strcspn(e->desc, "\n"), e->desc);
    return 0;
}

void qm_h5_reason(char *buf, size_t n)
{
    reason_buf rb = {buf, n};
    if (!buf || n == 0)
        return;
    buf[0] = '\0';
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_desc, &rb);
}

/* ---- Reading ---------------------------------------------------------- */

hid_t qm_h5_open_read(const char *path, char *err, size_t errlen)
{
    struct stat st;
    hid_t f;
    qm_outfile_hdf5_setup(); /* one sentence, not HDF5's stack */
    if (stat(path, &st) != 0 || access(path, R_OK) != 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return QM_H5_NONE;
    }
    if (S_ISDIR(st.st_mode) || H5Fis_hdf5(path) <= 0) {
        snprintf(err, errlen, "%s is not an HDF5 file", path);
        return QM_H5_NONE;
    }
    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        snprintf(err, errlen, "cannot open %s as HDF5", path);
    return f;
}

/* Opens LOC@NAME when it exists; QM_H5_NONE otherwise. */
static hid_t open_attr(hid_t loc, const char *name)
{
    if (H5Aexists(loc, name) <= 0)
        return QM_H5_NONE;
    return H5Aopen(loc, name, H5P_DEFAULT);
}

/* Reads the string attribute A of file type FT into a malloc'd string, in
 * the file's character set (HDF5 will not convert between sets). */
static char *read_str(hid_t a, hid_t ft)
{
    hid_t mt = H5Tcopy(H5T_C_S1);
    char *out = NULL;
    if (mt < 0 || H5Tset_cset(mt, H5Tget_cset(ft)) < 0) {
        /* nothing read */
    } else if (H5Tis_variable_str(ft) > 0) {
        char *v = NULL;
        if (H5Tset_size(mt, H5T_VARIABLE) >= 0 && H5Aread(a, mt, &v) >= 0 && v) {
            out = strdup(v);
            H5free_memory(v);
        }
    } else {
        size_t n = H5Tget_size(ft);
        out = n > 0 ? calloc(1, n + 1) : NULL;
        if (out && (H5Tset_size(mt, n + 1) < 0 || H5Aread(a, mt, out) < 0)) {
            free(out);
            out = NULL;
        }
    }
    if (mt >= 0)
        H5Tclose(mt);
    return out;
}

char *qm_h5_read_str_attr(hid_t loc, const char *name)
{
    hid_t a = open_attr(loc, name), ft;
    char *out = NULL;
    if (a < 0)
        return NULL;
    ft = H5Aget_type(a);
    if (ft >= 0 && H5Tget_class(ft) == H5T_STRING)
        out = read_str(a, ft);
    if (ft >= 0)
        H5Tclose(ft);
    H5Aclose(a);
    return out;
}

int qm_h5_read_attr(hid_t loc, const char *name, hid_t mtype, void *v)
{
    hid_t a = open_attr(loc, name);
    int rc;
    if (a < 0)
        return -1;
    rc = H5Aread(a, mtype, v) < 0 ? -1 : 0;
    H5Aclose(a);
    return rc;
}

int qm_h5_read_int_attr(hid_t loc, const char *name, long long *v)
{
    return qm_h5_read_attr(loc, name, H5T_NATIVE_LLONG, v);
}

int qm_h5_read_attr_array(hid_t loc, const char *name, hid_t mtype, int n, void *v)
{
    hid_t a = open_attr(loc, name), s = a >= 0 ? H5Aget_space(a) : QM_H5_NONE;
    hsize_t d = 0;
    int rc = -1;
    if (s >= 0 && H5Sget_simple_extent_ndims(s) == 1
        && H5Sget_simple_extent_dims(s, &d, NULL) == 1 && d == (hsize_t)n)
        rc = H5Aread(a, mtype, v) >= 0 ? 0 : -1;
    if (s >= 0)
        H5Sclose(s);
    if (a >= 0)
        H5Aclose(a);
    return rc;
}

void qm_h5_free_strings(char **v, int n)
{
    if (!v)
        return;
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Copies the CNT strings of RAW (read with MT over SPACE) into a malloc'd
 * array and gives RAW's strings back to HDF5.  NULL when memory runs out. */
static char **copy_strings(char **raw, hssize_t cnt, hid_t mt, hid_t space)
{
    char **out = calloc((size_t)cnt + 1, sizeof *out);
    for (hssize_t i = 0; out && i < cnt; i++) {
        out[i] = strdup(raw[i] ? raw[i] : "");
        if (!out[i]) {
            qm_h5_free_strings(out, (int)i);
            out = NULL;
        }
    }
    if (cnt > 0)
        H5Dvlen_reclaim(mt, space, H5P_DEFAULT, raw);
    return out;
}

/* Reads the CNT variable-length strings of OBJ (an attribute when ATTR)
 * of file type FT over SPACE.  NULL when they cannot be read. */
static char **read_strings(hid_t obj, int attr, hid_t ft, hid_t space, hssize_t cnt)
{
    hid_t mt = H5Tcopy(H5T_C_S1);
    char **raw = calloc((size_t)cnt + 1, sizeof *raw), **out = NULL;
    if (mt >= 0 && raw) {
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5Tget_cset(ft));
        if (cnt == 0 || (attr ? H5Aread(obj, mt, raw)
                              : H5Dread(obj, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw)) >= 0)
            out = copy_strings(raw, cnt, mt, space);
    }
    free(raw);
    if (mt >= 0)
        H5Tclose(mt);
    return out;
}

char **qm_h5_read_strings(hid_t loc, const char *path, int *n)
{
    int attr = path[0] == '@';
    hid_t obj, space, ft;
    char **out = NULL;
    hssize_t cnt = 0;
    *n = 0;
    if (attr)
        obj = open_attr(loc, path + 1);
    else
        obj = H5Lexists(loc, path, H5P_DEFAULT) > 0 ? H5Dopen2(loc, path, H5P_DEFAULT)
                                                    : QM_H5_NONE;
    if (obj < 0)
        return NULL;
    space = attr ? H5Aget_space(obj) : H5Dget_space(obj);
    ft = attr ? H5Aget_type(obj) : H5Dget_type(obj);
    if (space >= 0 && ft >= 0 && H5Tget_class(ft) == H5T_STRING && H5Tis_variable_str(ft) > 0
        && (cnt = H5Sget_simple_extent_npoints(space)) >= 0)
        out = read_strings(obj, attr, ft, space, cnt);
    if (out)
        *n = (int)cnt;
    if (ft >= 0)
        H5Tclose(ft);
    if (space >= 0)
        H5Sclose(space);
    if (attr)
        H5Aclose(obj);
    else
        H5Dclose(obj);
    return out;
}

double *qm_h5_read_doubles(hid_t loc, const char *path, hsize_t dims[2])
{
    hid_t d, space;
    double *v = NULL;
    int rank;
    if (H5Lexists(loc, path, H5P_DEFAULT) <= 0 || (d = H5Dopen2(loc, path, H5P_DEFAULT)) < 0)
        return NULL;
    space = H5Dget_space(d);
    dims[0] = 0;
    dims[1] = 1;
    rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    if ((rank == 1 || rank == 2) && H5Sget_simple_extent_dims(space, dims, NULL) >= 0) {
        size_t n = (size_t)dims[0] * (size_t)dims[1];
        v = malloc((n ? n : 1) * sizeof *v);
        if (v && n && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
            free(v);
            v = NULL;
        }
    }
    if (space >= 0)
        H5Sclose(space);
    H5Dclose(d);
    return v;
}

int qm_h5_read_into(hid_t loc, const char *path, hid_t mtype, int rank, hsize_t d0,
                    hsize_t d1, void *v)
{
    hid_t d = H5Dopen2(loc, path, H5P_DEFAULT), s = d >= 0 ? H5Dget_space(d) : QM_H5_NONE;
    hsize_t dims[2] = {0, 0};
    int rc = -1;
    if (s >= 0 && H5Sget_simple_extent_ndims(s) == rank
        && H5Sget_simple_extent_dims(s, dims, NULL) == rank && dims[0] == d0
        && (rank == 1 || dims[1] == d1))
        rc = d0 * (rank > 1 ? d1 : 1) == 0
                     || H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0
                 ? 0 : -1;
    if (s >= 0)
        H5Sclose(s);
    if (d >= 0)
        H5Dclose(d);
    return rc;
}

/* ---- Checking a whole file -------------------------------------------- */

enum { CHECK_BLOCK = 4 << 20 }; /* bytes read at a time */

/* Reads dataset d whole, in blocks of rows along its first dimension, so
 * that every chunk is decompressed once.  0, or -1. */
static int read_whole(hid_t d)
{
    hid_t ft = H5Dget_type(d), t = ft >= 0 ? H5Tget_native_type(ft, H5T_DIR_DEFAULT) : -1;
    hid_t fs = H5Dget_space(d), ms = QM_H5_NONE;
    hsize_t dims[H5S_MAX_RANK], start[H5S_MAX_RANK] = {0}, count[H5S_MAX_RANK];
    int rank = fs >= 0 ? H5Sget_simple_extent_ndims(fs) : -1, rc = -1;
    size_t tsize = t >= 0 ? H5Tget_size(t) : 0, row = tsize;
    void *buf = NULL;
    if (rank < 0 || tsize == 0)
        goto out;
    if (rank == 0 || H5Sget_simple_extent_npoints(fs) == 0) {
        rc = 0; /* a scalar is read with its attributes' care; empty is whole */
        if (rank == 0 && (buf = malloc(tsize)) != NULL) {
            rc = H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0 ? -1 : 0;
            if (rc == 0)
                H5Dvlen_reclaim(t, fs, H5P_DEFAULT, buf);
        }
        goto out;
    }
    H5Sget_simple_extent_dims(fs, dims, NULL);
    for (int i = 1; i < rank; i++)
        row *= (size_t)dims[i];
    hsize_t step = row >= CHECK_BLOCK ? 1 : CHECK_BLOCK / row;
    buf = malloc(row * (size_t)(step < dims[0] ? step : dims[0]));
    if (!buf)
        goto out;
    rc = 0;
    for (hsize_t r0 = 0; r0 < dims[0] && rc == 0; r0 += step) {
        start[0] = r0;
        count[0] = dims[0] - r0 < step ? dims[0] - r0 : step;
        for (int i = 1; i < rank; i++)
            count[i] = dims[i];
        ms = H5Screate_simple(rank, count, NULL);
        if (ms < 0 || H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0
            || H5Dread(d, t, ms, fs, H5P_DEFAULT, buf) < 0)
            rc = -1;
        else
            H5Dvlen_reclaim(t, ms, H5P_DEFAULT, buf);
        qm_h5_release(ms);
        ms = QM_H5_NONE;
    }
out:
    free(buf);
    qm_h5_release(fs);
    qm_h5_release(t);
    qm_h5_release(ft);
    return rc;
}

typedef struct check_ctx {
    char *bad;
    size_t n;
} check_ctx;

static herr_t check_object(hid_t loc, const char *name, const H5O_info_t *info, void *data)
{
    check_ctx *c = data;
    if (info->type != H5O_TYPE_DATASET)
        return 0;
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    int rc = d >= 0 ? read_whole(d) : -1;
    qm_h5_release(d);
    if (rc != 0) {
        char why[200];
        qm_h5_reason(why, sizeof why);
        snprintf(c->bad, c->n, "/%s cannot be read%s%s", name, why[0] ? ": " : "", why);
        return 1; /* stop at the first */
    }
    return 0;
}

int qm_h5_check_whole(hid_t f, const char *path, char *err, size_t errlen)
{
    char bad[400] = "";
    check_ctx c = {bad, sizeof bad};
    herr_t r = H5Ovisit(f, H5_INDEX_NAME, H5_ITER_NATIVE, check_object, &c);
    if (r == 0)
        return 0;
    snprintf(err, errlen, "%s is damaged: %s (the file is incomplete or corrupt; write it again)",
             path, bad[0] ? bad : "its structure cannot be read");
    return -1;
}
