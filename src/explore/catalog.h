/* catalog.h: what the explorer offers: the bundled scenarios (read once at
 * start), the controls for the causes a class is about, and the parameter
 * registry for the search box, as the JSON the page reads
 * (GET /api/scenarios; docs/explore.md). */
#ifndef QMSIM_EXPLORE_CATALOG_H
#define QMSIM_EXPLORE_CATALOG_H

#include <stddef.h>

#include "explore/request.h"
#include "qmsim/scenario.h"

/* One scenario the page can choose by name. */
typedef struct qm_xscenario {
    char name[QM_X_NAME_LEN];   /* "teaching/relational": its path under scenarios/ */
    char *path;                 /* the file the server reads (never sent by a client) */
    qm_scenario sc;             /* as loaded at start, for its description and values */
    int rank;                   /* order in the list: the teacher's, teaching, others */
    char why[256];              /* "" when the explorer can run it, else why not */
} qm_xscenario;

typedef struct qm_xcatalog {
    int n;
    qm_xscenario *s;
    char *json;                 /* GET /api/scenarios, built once */
    size_t json_len;
    const char *chosen;         /* name the page selects first */
} qm_xcatalog;

/* Reads every scenario file under dir (and one level of folders below it),
 * keeping those that load (sweep files do not), plus extra (a scenario
 * the teacher named on the command line; may be NULL), then builds the
 * page's JSON.  Returns 0, or -1 with a message in err when extra does not
 * load (its problems are in errs), when no scenario at all can be read, or
 * when memory runs out.  Free with qm_xcatalog_free. */
int qm_xcatalog_build(qm_xcatalog *cat, const char *dir, const char *extra,
                      const qm_xlimits *lim, qm_errors *errs, char *err, size_t errlen);

/* The scenario called name, or NULL. */
const qm_xscenario *qm_xcatalog_find(const qm_xcatalog *cat, const char *name);

/* Releases everything the catalogue holds.  Safe on a zeroed catalogue. */
void qm_xcatalog_free(qm_xcatalog *cat);

/* Checks a loaded scenario against the explorer's limits before anything
 * is allocated for a run: months, contracts (commissioner slots, splits
 * included, times services), provider slots and the model state's bytes.
 * Returns 0, or -1 with a sentence for the page in why (size n). */
int qm_xcatalog_fits(const qm_scenario *sc, const qm_xlimits *lim, char *why, size_t n);

#endif
