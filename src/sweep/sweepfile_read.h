/* sweepfile_read.h: the parts of the sweep-file reader (src/sweep/sweep.c and
 * sweepfile_*.c, docs/sweeps.md) and what they share.  Internal to the
 * library (hidden from its exported symbols); the interface is
 * qmsim/sweep.h.  The parts, one module with the prefix qm_swf_:
 *
 *   sweep.c              loading (qm_sweep_load), top-level keys, the design, freeing
 *   sweepfile_value.c    typed keys and unknown-key reports
 *   sweepfile_base.c     finding and reading the base scenario
 *   sweepfile_factor.c   the factors, and their check against the base
 *   sweepfile_outcome.c  the outcomes and the saved series
 *
 * Every problem is reported as "FILE:LINE: message". */
#ifndef QMSIM_SWEEP_SWEEPFILE_READ_H
#define QMSIM_SWEEP_SWEEPFILE_READ_H

#include <libconfig.h>

#include "qmsim/sweep.h"

#define QM_SWF_HIDDEN __attribute__((visibility("hidden")))

#define MAX_TEXT (16L << 20)   /* largest sweep or scenario file read */

/* What the reader carries: where messages go and what is being built. */
typedef struct rd {
    const char *file;
    qm_errors *err;
    qm_sweep *sw;
} rd;

/* ---- sweepfile_value.c ---------------------------------------------- */

/* The line of setting s in the file; 0 for NULL. */
QM_SWF_HIDDEN int qm_swf_line(const config_setting_t *s);

/* Reports the keys of group g that are not among the NULL-terminated keys,
 * shown after ctx, with the nearest key when one is close. */
QM_SWF_HIDDEN void qm_swf_check_keys(rd *r, const config_setting_t *g, const char *const *keys,
                                     const char *ctx);

/* Whether s is an integer or a real number. */
QM_SWF_HIDDEN int qm_swf_is_number(const config_setting_t *s);

/* "an integer", "a string"... for the type of s. */
QM_SWF_HIDDEN const char *qm_swf_type_word(const config_setting_t *s);

/* The integer key g.key (shown after ctx) in [lo, hi] into *out; absent
 * leaves *out.  Returns 1 when the key is present (reported when bad). */
QM_SWF_HIDDEN int qm_swf_get_int(rd *r, const config_setting_t *g, const char *key,
                                 const char *ctx, long long lo, long long hi, long long *out);

/* The string key g.key (shown after ctx); NULL when absent (reported when
 * required) or not a string (reported). */
QM_SWF_HIDDEN const char *qm_swf_get_str(rd *r, const config_setting_t *g, const char *key,
                                         const char *ctx, int required);

/* ---- sweepfile_base.c ------------------------------------------------ */

/* Reads a whole text file of at most MAX_TEXT bytes (qm_file_read) into a
 * malloc'd string; NULL with errno set on failure, EINVAL for a NUL byte
 * inside. */
QM_SWF_HIDDEN char *qm_swf_read_text(const char *path);

/* Finds the base scenario base (a path, a bare name looked for beside the
 * sweep file in dir, in QMSIM_SCENARIO_PATH and among the bundled
 * scenarios, or builtin:NAME) and reads its text into r->sw; reports at
 * line when it cannot. */
QM_SWF_HIDDEN void qm_swf_resolve_base(rd *r, const char *base, const char *dir, int line);

/* ---- sweepfile_factor.c ---------------------------------------------- */

/* Reads the factors list into r->sw (names and paths unique). */
QM_SWF_HIDDEN void qm_swf_read_factors(rd *r, config_setting_t *root);

/* Checks factor f's path and values against the base scenario, loaded
 * with the n_sets fixed overrides and the factor at each end of its range
 * (each value of a list); the loader's problems are reported as the
 * factor's. */
QM_SWF_HIDDEN void qm_swf_check_factor(rd *r, qm_factor *f, const char *const *sets, int n_sets);

/* The override "path=value" that sets factor f to v (for a list of
 * names, v is the name's index) into buf (n bytes). */
QM_SWF_HIDDEN void qm_swf_override_text(const qm_factor *f, double v, char *buf, size_t n);

/* Frees what factor f owns.  Cannot fail. */
QM_SWF_HIDDEN void qm_swf_free_factor(qm_factor *f);

/* ---- sweepfile_outcome.c --------------------------------------------- */

/* Reads the outcomes list into r->sw (names unique). */
QM_SWF_HIDDEN void qm_swf_read_outcomes(rd *r, config_setting_t *root);

/* Reads series = "all" or a list of series names: the series saved whole
 * for every run. */
QM_SWF_HIDDEN void qm_swf_read_series(rd *r, config_setting_t *root);

#endif
