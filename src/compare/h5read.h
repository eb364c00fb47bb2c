/* h5read.h: HDF5 readers of the comparison library (src/compare/h5read.c):
 * attributes, string tables and double tables of qmsim's files.  Internal:
 * it exposes HDF5's types, which include/qmsim never does.  Errors are
 * silent; callers say what they could not read. */
#ifndef QMSIM_COMPARE_H5READ_H
#define QMSIM_COMPARE_H5READ_H

#include <stddef.h>
#include <hdf5.h>

/* Opens path read-only with HDF5's error printing turned off for the
 * process.  Returns the file, or -1 with a message in err: "cannot open
 * PATH: REASON", "PATH is not an HDF5 file" or "cannot open PATH as HDF5". */
hid_t qm_h5_open(const char *path, char *err, size_t errlen);

/* Turns off HDF5's printing of its error stack for the process.  Cannot
 * fail. */
void qm_h5_silence(void);

/* A string attribute as a malloc'd string; NULL when missing. */
char *qm_h5_str_attr(hid_t loc, const char *name);

/* A scalar attribute read as type (H5T_NATIVE_LLONG, H5T_NATIVE_UINT64,
 * H5T_NATIVE_DOUBLE) into v; 0, or -1 when missing. */
int qm_h5_num_attr(hid_t loc, const char *name, hid_t type, void *v);

/* A 1-D string dataset (or attribute when path starts with '@') as a
 * malloc'd array of malloc'd strings; NULL when missing.  *n is set. */
char **qm_h5_strings(hid_t loc, const char *path, int *n);

/* Frees what qm_h5_strings returned.  Safe on NULL. */
void qm_h5_strings_free(char **v, int n);

/* A 1-D or 2-D dataset as malloc'd doubles, its shape in dims (dims[1] is
 * 1 for 1-D); NULL when missing or of another rank. */
double *qm_h5_doubles(hid_t loc, const char *path, hsize_t dims[2]);

#endif
