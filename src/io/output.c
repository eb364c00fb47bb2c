/* output.c: what every part of the run-file writer (output_*.c) uses: its
 * messages, with HDF5's own description of a failure, and the small HDF5
 * steps of the layout (scalar attributes, fixed datasets, scales,
 * appending rows).  The file's lifecycle is output_file.c. */
#include "qmsim/output.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "io/h5.h"
#include "io/output_int.h"

/* ---- messages ---------------------------------------------------------- */

void qm_out_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Reports an HDF5 failure: "WHAT in FILE: detail".  Call it right after the
 * failing call, before any other HDF5 call clears the error stack. */
void qm_out_h5_err(char *err, size_t errlen, const char *file, const char *what)
{
    char detail[256];
    qm_h5_reason(detail, sizeof detail);
    qm_out_err(err, errlen, "%s: HDF5 error %s%s%s", file, what,
               detail[0] ? ": " : "", detail);
}

/* ---- small HDF5 helpers (the shared ones are in h5.c) ------------------ */

void qm_out_close_id(hid_t *id)
{
    qm_h5_release(*id);
    *id = NO_ID;
}

int qm_out_put_i32(hid_t loc, const char *name, int32_t v)
{
    return qm_h5_put_attr(loc, name, H5T_STD_I32LE, H5T_NATIVE_INT32, &v);
}

int qm_out_put_u64(hid_t loc, const char *name, uint64_t v)
{
    return qm_h5_put_attr(loc, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &v);
}

/* Creates a fixed 1-D dataset LOC/NAME of n elements and writes DATA. */
hid_t qm_out_make_fixed(hid_t loc, const char *name, hid_t ftype, hid_t mtype,
                        hsize_t n, const void *data)
{
    return qm_h5_put_dataset(loc, name, ftype, mtype, 1, &n, H5P_DEFAULT, data);
}

/* Appends ROWS rows (each WIDTH wide, or scalar when width is 0) after
 * OLD rows of D.  Returns 0 or -1. */
int qm_out_append_rows(hid_t d, hid_t mtype, hsize_t old, hsize_t rows,
                       int width, const void *data)
{
    int rank = width > 0 ? 2 : 1, rc = -1;
    hsize_t size[2] = {old + rows, (hsize_t)width};
    hsize_t start[2] = {old, 0}, count[2] = {rows, (hsize_t)width};
    hid_t fspace = NO_ID, mspace = NO_ID;

    if (rows == 0)
        return 0;
    if (H5Dset_extent(d, size) < 0 || (fspace = H5Dget_space(d)) < 0)
        return -1;
    mspace = H5Screate_simple(rank, count, NULL);
    if (mspace >= 0
        && H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, NULL, count, NULL) >= 0
        && H5Dwrite(d, mtype, mspace, fspace, H5P_DEFAULT, data) >= 0)
        rc = 0;
    qm_h5_release(mspace);
    qm_h5_release(fspace);
    return rc;
}

/* Makes D the dimension scale NAME, with a description. */
int qm_out_make_scale(hid_t d, const char *name, const char *units, const char *desc)
{
    if (H5DSset_scale(d, name) < 0 || qm_h5_put_str_attr(d, "description", desc) < 0)
        return -1;
    return units ? qm_h5_put_str_attr(d, "units", units) : 0;
}
