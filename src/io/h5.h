/* h5.h: the one set of HDF5 helpers (src/io/h5.c) that every writer and
 * reader of qmsim's files uses: attributes, groups and whole datasets
 * written at once, and the readers of attributes, string tables and
 * double tables.  Internal to the library and the commands: it exposes
 * HDF5's types, which the public headers in include/qmsim never do. */
#ifndef QMSIM_IO_H5_H
#define QMSIM_IO_H5_H

#include <stddef.h>

#include <hdf5.h>

#define QM_H5_NONE ((hid_t)-1)

/* ---- Writing ---------------------------------------------------------- */

/* Closes any HDF5 object without clearing the error stack, so that a
 * failure met before the cleanup can still be reported.  Safe on a
 * negative id.  Cannot fail. */
void qm_h5_release(hid_t id);

/* A new variable-length UTF-8 string type (h5py and xarray read it as
 * str); the caller releases it.  QM_H5_NONE when HDF5 fails. */
hid_t qm_h5_str_type(void);

/* Writes the scalar attribute LOC@NAME of file type FTYPE from VALUE (of
 * memory type MTYPE).  Returns 0, or -1 when HDF5 fails (the attribute
 * exists already, the disk is full). */
int qm_h5_put_attr(hid_t loc, const char *name, hid_t ftype, hid_t mtype, const void *value);

/* Writes the string attribute LOC@NAME (variable-length UTF-8); NULL is
 * written as "".  Returns 0 or -1 as qm_h5_put_attr. */
int qm_h5_put_str_attr(hid_t loc, const char *name, const char *value);

/* Writes the 1-D attribute LOC@NAME of N values of file type FTYPE from V
 * (of memory type MTYPE).  Returns 0 or -1 as qm_h5_put_attr. */
int qm_h5_put_attr_array(hid_t loc, const char *name, hid_t ftype, hid_t mtype, int n,
                         const void *v);

/* Writes the 1-D string attribute LOC@NAME of the N strings V (none NULL).
 * Returns 0 or -1 as qm_h5_put_attr. */
int qm_h5_put_strs_attr(hid_t loc, const char *name, int n, const char *const *v);

/* Creates the group LOC/NAME whose links keep their creation order, so
 * readers list variables in the order they were written.  Returns the
 * open group (the caller closes it) or QM_H5_NONE. */
hid_t qm_h5_put_group(hid_t loc, const char *name);

/* Creates the dataset LOC/NAME of rank 1 or 2 with the shape DIMS, file
 * type FTYPE and creation list DCPL (H5P_DEFAULT: contiguous), and writes
 * DATA (memory type MTYPE) into it unless it is empty.  Returns the open
 * dataset (the caller closes it) or QM_H5_NONE, with nothing left open. */
hid_t qm_h5_put_dataset(hid_t loc, const char *name, hid_t ftype, hid_t mtype, int rank,
                        const hsize_t *dims, hid_t dcpl, const void *data);

/* The innermost description on HDF5's error stack, which says what went
 * wrong ("No space left on device"), into buf; "" when the stack is
 * empty.  Call it right after the failing call. */
void qm_h5_reason(char *buf, size_t n);

/* ---- Reading ----------------------------------------------------------
 * The readers print nothing: a caller says what it could not read. */

/* Opens PATH read-only, with the automatic printing of HDF5's error stack
 * turned off for the rest of the process (a reader looks for what may be
 * missing).  Returns the open file, or QM_H5_NONE with a message in ERR:
 * "cannot open PATH: REASON" (missing or unreadable), "PATH is not an HDF5
 * file" (a directory, another format) or "cannot open PATH as HDF5". */
hid_t qm_h5_open_read(const char *path, char *err, size_t errlen);

/* The string attribute LOC@NAME (variable or fixed length, in the
 * character set of the file) as a malloc'd string; NULL when it is
 * missing, not a string, or memory runs out. */
char *qm_h5_read_str_attr(hid_t loc, const char *name);

/* Reads the scalar attribute LOC@NAME, converted to memory type MTYPE,
 * into V.  Returns 0, or -1 when it is missing or cannot be converted. */
int qm_h5_read_attr(hid_t loc, const char *name, hid_t mtype, void *v);

/* Reads the scalar integer attribute LOC@NAME into *V.  Returns 0, or -1
 * when it is missing or not a number. */
int qm_h5_read_int_attr(hid_t loc, const char *name, long long *v);

/* Reads the 1-D attribute LOC@NAME of exactly N values, converted to
 * memory type MTYPE, into V.  Returns 0, or -1 when it is missing, of
 * another shape or cannot be converted. */
int qm_h5_read_attr_array(hid_t loc, const char *name, hid_t mtype, int n, void *v);

/* The 1-D variable-length string dataset LOC/PATH (or the attribute LOC@NAME
 * when PATH is "@NAME") as a malloc'd array of *N malloc'd strings (a NULL
 * entry after the last); NULL with *N 0 when it is missing, of another
 * type, or memory runs out.  qm_h5_free_strings gives it back. */
char **qm_h5_read_strings(hid_t loc, const char *path, int *n);

/* Frees what qm_h5_read_strings returned (N strings).  Safe on NULL. */
void qm_h5_free_strings(char **v, int n);

/* The 1-D or 2-D dataset LOC/PATH as malloc'd doubles, its shape in DIMS
 * (DIMS[1] is 1 for 1-D); NULL when it is missing, of another rank, or
 * cannot be read or converted. */
double *qm_h5_read_doubles(hid_t loc, const char *path, hsize_t dims[2]);

/* Reads the whole dataset LOC/PATH, of rank RANK and shape D0 (x D1),
 * converted to memory type MTYPE, into V.  Returns 0, or -1 when it is
 * missing, of another rank or shape, or cannot be read. */
int qm_h5_read_into(hid_t loc, const char *path, hid_t mtype, int rank, hsize_t d0,
                    hsize_t d1, void *v);

/* Reads every dataset of the open file f whole (decompressing every
 * chunk), so that a damaged file is refused rather than summarised as
 * fine.  Returns 0, or -1 with "PATH is damaged: /DATASET cannot be read
 * (...)" in err. */
int qm_h5_check_whole(hid_t f, const char *path, char *err, size_t errlen);

#endif
