/* request.h: the explorer's requests, read and checked before anything is
 * allocated for them (`qmsim explore`, docs/explore.md).
 *
 * A request is a JSON object.  Its fields are checked here for shape, type
 * and the explorer's own limits; the scenario settings it carries are
 * checked afterwards by the scenario loader, exactly as `qmsim run --set`
 * checks them.  Every problem becomes one readable message in a qm_errors. */
#ifndef QMSIM_EXPLORE_REQUEST_H
#define QMSIM_EXPLORE_REQUEST_H

#include <stddef.h>

#include "qmsim/scenario.h"

#define QM_X_ARMS 2            /* settings run side by side (Compare) */
#define QM_X_SETS 64           /* settings of one arm */
#define QM_X_SET_LEN 256       /* one "key=value", NUL included */
#define QM_X_NAME_LEN 96       /* a bundled scenario's name, NUL included */
#define QM_X_ID_LEN 32         /* hex digits of a session id */

/* What the explorer allows (qmsim explore's options). */
typedef struct qm_xlimits {
    int max_sessions;          /* sessions open at once */
    int max_months;            /* horizon of a run */
    int max_contracts;         /* commissioner slots x services of one run */
    int max_providers;         /* provider slots (entrants included) of one run */
    double max_state;          /* bytes of model state of one run */
    int max_step;              /* months one step request may ask for */
    size_t max_body;           /* bytes of a request body */
    double idle_seconds;       /* a session unused this long is freed */
} qm_xlimits;

/* Fills l with the defaults documented in docs/explore.md.  Cannot fail. */
void qm_xlimits_default(qm_xlimits *l);

/* A reorganisation added to an arm's timeline (MODEL.md 6). */
typedef struct qm_xreorg {
    int on;                    /* 0: none added */
    int month;
    double staff_loss, knowledge_loss;
    int merge;                 /* merge bodies in groups of this many */
} qm_xreorg;

/* One arm's settings: --set overrides and an optional reorganisation. */
typedef struct qm_xarm_req {
    int n_sets;
    char sets[QM_X_SETS][QM_X_SET_LEN];   /* "path.to.key=value" */
    qm_xreorg reorg;
} qm_xarm_req;

/* POST /api/setup. */
typedef struct qm_xsetup {
    char session[QM_X_ID_LEN + 1];
    char scenario[QM_X_NAME_LEN];          /* a bundled name: teaching/relational */
    long long seed;                         /* -1: the scenario's */
    int months;                             /* 0: the scenario's */
    int n_arms;                             /* 1, or 2 to compare */
    qm_xarm_req arm[QM_X_ARMS];
} qm_xsetup;

/* Reads a setup request: {"session", "scenario", "seed"?, "months"?,
 * "arms": [{"set": {KEY: VALUE...}, "reorganisation": null | {"month",
 * "staff_loss"?, "knowledge_loss"?, "merge"?}}, ...]}.  Values of "set" are
 * numbers (kept as written), strings or true/false.  Returns 0 and fills
 * *out, or the number of problems with one message each in err (malformed
 * JSON, unknown or missing fields, wrong types, a key with characters a
 * scenario key never has, a name that is a path, a value out of the
 * explorer's limits or of the timeline's ranges).  Reads only. */
int qm_xreq_setup(const char *body, size_t len, const qm_xlimits *lim, qm_xsetup *out,
                  qm_errors *err);

/* Reads a step request {"session", "months"?} (months 1 to lim->max_step,
 * default 1).  Returns 0, or the number of problems (messages in err). */
int qm_xreq_step(const char *body, size_t len, const qm_xlimits *lim,
                 char session[QM_X_ID_LEN + 1], int *months, qm_errors *err);

/* Reads a request that names only a session, {"session"}.  Returns 0, or
 * the number of problems (messages in err). */
int qm_xreq_session(const char *body, size_t len, char session[QM_X_ID_LEN + 1],
                    qm_errors *err);

/* 1 when s is a well-formed session id (QM_X_ID_LEN lower-case hex
 * digits), else 0. */
int qm_xreq_id_ok(const char *s);

/* 1 when s may be a bundled scenario's name: 1 to QM_X_NAME_LEN - 1
 * letters, digits, '_', '-' and inner single '/' (no dots, so never a
 * path outside the scenarios), else 0. */
int qm_xreq_name_ok(const char *s);

#endif
