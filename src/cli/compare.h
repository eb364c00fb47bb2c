/* compare.h: what `qmsim compare` and `qmsim report` share: the key
 * outcomes of a run, outcome lists, and small HDF5 readers
 * (docs/analysis.md describes the outcomes and the comparison file). */
#ifndef QMSIM_CLI_COMPARE_H
#define QMSIM_CLI_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include <hdf5.h>

#include "qmsim/observe.h"

/* The key outcomes of a run, each a number per run (docs/analysis.md). */
typedef enum {
    QM_KO_TENDER_SHARE = 0,  /* tenders over expiry decisions */
    QM_KO_SWITCH_RATE,       /* switches a year per contract in force */
    QM_KO_TC_PER_SPEND,      /* transaction costs per GBP paid to providers */
    QM_KO_TRUST,             /* mean trust in incumbent providers */
    QM_KO_QUALITY,           /* quality delivered, weighted by activity */
    QM_KO_UNMET_SHARE,       /* unmet demand over demand */
    QM_KO_AGENCY_FEES,       /* fees to support agencies a year, GBP */
    QM_KO_DEPENDENCY,        /* mean dependency index */
    QM_KO_DEVELOPMENTS,      /* service developments launched */
    QM_KO_N
} qm_key_outcome;

/* Name, unit and meaning of each key outcome. */
extern const qm_var_def qm_key_outcome_defs[QM_KO_N];

#define QM_CMP_NAME_MAX 96   /* longest outcome name, with the NUL */
#define QM_CMP_MAX_OUTCOMES 128

/* One outcome to measure: a key outcome, a reduction of a series
 * ("mean:spend"), or (from a sweep result) a column of /outcomes. */
typedef struct qm_cmp_outcome {
    char name[QM_CMP_NAME_MAX];  /* as printed and stored */
    int key;                     /* qm_key_outcome, or -1 */
    int reduce;                  /* qm_reduce_kind when key is -1 */
    int series;                  /* qm_series_id when key is -1; -1 for a sweep column */
    int column;                  /* sweep column, else -1 */
    char desc[200];              /* a sweep column's definition; else empty */
} qm_cmp_outcome;

/* Parses a comma-separated list of outcomes: key outcome names, and
 * REDUCE:SERIES with REDUCE one of mean, sum, final, min, max (a bare
 * series name means mean:SERIES).  list NULL gives every key outcome.
 * Fills out (room for max) and returns how many, or -1 with a message in
 * err naming the first unknown entry. */
int qm_cmp_outcomes_parse(const char *list, qm_cmp_outcome *out, int max, char *err,
                          size_t errlen);

/* Value of outcome o for one run whose series are ser[k * stride + t]
 * (k a qm_series_id, t < months).  NaN when it does not exist (a share of
 * nothing, no months).  Reads only; cannot fail. */
double qm_cmp_outcome_eval(const qm_cmp_outcome *o, const double *ser, size_t stride,
                           int months);

/* Plain-words meaning of o into buf (size n); returns buf. */
const char *qm_cmp_outcome_describe(const qm_cmp_outcome *o, char *buf, size_t n);

/* The series a comparison keeps across replications and a report draws,
 * by default, in order. */
extern const int qm_cmp_main_series[];
extern const int qm_cmp_main_series_n;

/* ---- Output helpers shared by compare, summary and report. ---- */

/* x in about four significant figures (with a sign when sign), without an
 * exponent for everyday magnitudes; "n/a" when it does not exist.  Writes
 * buf (size n) and returns it. */
const char *qm_cli_num(double x, int sign, char *buf, size_t n);

/* Prints s to stdout as a JSON string (NULL as ""). */
void qm_cli_json_str(const char *s);

/* Prints x to stdout as a JSON number (%.17g), or null for NaN and
 * infinities (JSON has neither). */
void qm_cli_json_num(double x);

/* ---- HDF5 readers (errors are silent: callers print their own). ---- */

/* A string attribute as a malloc'd string; NULL when missing. */
char *qm_h5_str_attr(hid_t loc, const char *name);

/* A scalar integer attribute; 0, or -1 when missing. */
int qm_h5_int_attr(hid_t loc, const char *name, long long *v);

/* A 1-D string dataset (or attribute when path starts with '@') as a
 * malloc'd array of malloc'd strings; NULL when missing.  *n is set. */
char **qm_h5_strings(hid_t loc, const char *path, int *n);

/* Frees what qm_h5_strings returned.  Safe on NULL. */
void qm_h5_strings_free(char **v, int n);

/* A 1-D or 2-D dataset as malloc'd doubles, its shape in dims (dims[1] is
 * 1 for 1-D); NULL when missing or of another rank. */
double *qm_h5_doubles(hid_t loc, const char *path, hsize_t dims[2]);

/* Opens a qmsim file read-only with HDF5's error stack silenced; -1 with
 * a message (prefixed by cmd) when missing or not HDF5. */
hid_t qm_h5_open(const char *cmd, const char *path);

/* Reads a run file's monthly series: a malloc'd QM_S_N x months array
 * (series k at [k * months + t]; NaN for a series the file lacks) and
 * months_written.  Returns NULL when the file has no /series. */
double *qm_h5_run_series(hid_t f, int *months);

/* Reads the type of every row of a run file's /events into a malloc'd
 * array (*n rows); NULL with *n 0 when the file has no events. */
qm_event *qm_h5_run_events(hid_t f, int *n);

#endif
