/* scenario.h: reading, validating and writing scenario files (libconfig).
 *
 * A scenario is read in one pass that collects every problem it finds, so a
 * user sees all of them at once as "FILE:LINE: message" lines.  Sizes are
 * checked before anything is allocated.  The model never reads files: it
 * takes a resolved qm_scenario. */
#ifndef QMSIM_SCENARIO_H
#define QMSIM_SCENARIO_H

#include <stddef.h>
#include <stdio.h>
#include "qmsim/params.h"

#define QM_ERR_MAX 64        /* problems kept per load; more are counted */
#define QM_ERR_LEN 1024   /* room for a message that lists every valid key */

/* Problems found while loading a scenario. */
typedef struct qm_errors {
    int n;                           /* problems found (may exceed QM_ERR_MAX) */
    char msg[QM_ERR_MAX][QM_ERR_LEN];/* "FILE:LINE: message" */
} qm_errors;

/* Records a problem; formats like printf.  Cannot fail (extra problems are
 * counted, not stored). */
void qm_errors_add(qm_errors *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The bundled default scenario (scenarios/baseline.cfg), compiled in. */
extern const char qm_builtin_baseline[];

/* Loads a scenario.  path NULL means the built-in baseline.  overrides is a
 * list of n "path.to.key=value" strings applied after the file is read
 * (as --set on the command line), each checked like a key in the file.
 * On success returns 0 and fills *out (free with qm_scenario_free).  On any
 * problem returns the number of problems, fills err, and leaves *out empty
 * (nothing to free). */
int qm_scenario_load(const char *path, const char *const *overrides, int n,
                     qm_scenario *out, qm_errors *err);

/* As qm_scenario_load, from text in memory; name is used in messages. */
int qm_scenario_load_text(const char *text, const char *name,
                          const char *const *overrides, int n,
                          qm_scenario *out, qm_errors *err);

/* Releases everything a loaded scenario owns.  Safe on a zeroed struct. */
void qm_scenario_free(qm_scenario *s);

/* Writes the resolved scenario (every default filled in) as libconfig text.
 * Returns a malloc'd string the caller frees, or NULL when out of memory.
 * The text loads back to an identical scenario. */
char *qm_scenario_resolved_text(const qm_scenario *s);

/* Writes docs/scenarios.md-style Markdown reference of every key to f. */
void qm_scenario_write_reference(FILE *f);

#endif
