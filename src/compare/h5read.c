/* h5read.c: HDF5 readers of the comparison library (h5read.h). */
#include "compare/h5read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

hid_t qm_h5_open(const char *path, char *err, size_t errlen)
{
    struct stat st;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (stat(path, &st) != 0 || access(path, R_OK) != 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode) || H5Fis_hdf5(path) <= 0) {
        snprintf(err, errlen, "%s is not an HDF5 file", path);
        return -1;
    }
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        snprintf(err, errlen, "cannot open %s as HDF5", path);
    return f;
}

void qm_h5_silence(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

char *qm_h5_str_attr(hid_t loc, const char *name)
{
    hid_t a, ft, mt = -1;
    char *out = NULL;
    if (H5Aexists(loc, name) <= 0 || (a = H5Aopen(loc, name, H5P_DEFAULT)) < 0)
        return NULL;
    ft = H5Aget_type(a);
    /* HDF5 will not convert between character sets: read in the file's. */
    if (ft >= 0 && H5Tget_class(ft) == H5T_STRING && (mt = H5Tcopy(H5T_C_S1)) >= 0
        && H5Tset_cset(mt, H5Tget_cset(ft)) >= 0) {
        if (H5Tis_variable_str(ft) > 0) {
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
    }
    if (mt >= 0)
        H5Tclose(mt);
    if (ft >= 0)
        H5Tclose(ft);
    H5Aclose(a);
    return out;
}

int qm_h5_num_attr(hid_t loc, const char *name, hid_t type, void *v)
{
    hid_t a;
    if (H5Aexists(loc, name) <= 0 || (a = H5Aopen(loc, name, H5P_DEFAULT)) < 0)
        return -1;
    int rc = H5Aread(a, type, v) < 0 ? -1 : 0;
    H5Aclose(a);
    return rc;
}

void qm_h5_strings_free(char **v, int n)
{
    if (!v)
        return;
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Reads cnt variable-length strings of obj (a dataset, or an attribute
 * when attr) into a malloc'd array of malloc'd strings; NULL on failure. */
static char **read_strings(hid_t obj, int attr, hid_t space, hid_t ft, hssize_t cnt)
{
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, H5T_VARIABLE);
    H5Tset_cset(mt, H5Tget_cset(ft));
    char **raw = calloc((size_t)cnt + 1, sizeof *raw);
    char **out = calloc((size_t)cnt + 1, sizeof *out);
    if (!raw || !out
        || (cnt > 0 && (attr ? H5Aread(obj, mt, raw)
                             : H5Dread(obj, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw)) < 0)) {
        free(out);
        free(raw);
        H5Tclose(mt);
        return NULL;
    }
    for (hssize_t i = 0; i < cnt; i++) {
        out[i] = strdup(raw[i] ? raw[i] : "");
        if (!out[i]) {
            qm_h5_strings_free(out, (int)i);
            out = NULL;
            break;
        }
    }
    if (cnt > 0)
        H5Dvlen_reclaim(mt, space, H5P_DEFAULT, raw);
    free(raw);
    H5Tclose(mt);
    return out;
}

char **qm_h5_strings(hid_t loc, const char *path, int *n)
{
    int attr = path[0] == '@';
    hid_t obj = -1, space = -1, ft = -1;
    char **out = NULL;
    hssize_t cnt = 0;
    *n = 0;
    if (attr) {
        if (H5Aexists(loc, path + 1) <= 0 || (obj = H5Aopen(loc, path + 1, H5P_DEFAULT)) < 0)
            return NULL;
        space = H5Aget_space(obj);
        ft = H5Aget_type(obj);
    } else {
        if (H5Lexists(loc, path, H5P_DEFAULT) <= 0
            || (obj = H5Dopen2(loc, path, H5P_DEFAULT)) < 0)
            return NULL;
        space = H5Dget_space(obj);
        ft = H5Dget_type(obj);
    }
    if (space >= 0 && ft >= 0 && H5Tget_class(ft) == H5T_STRING && H5Tis_variable_str(ft) > 0
        && (cnt = H5Sget_simple_extent_npoints(space)) >= 0) {
        out = read_strings(obj, attr, space, ft, cnt);
        if (out)
            *n = (int)cnt;
    }
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

double *qm_h5_doubles(hid_t loc, const char *path, hsize_t dims[2])
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
