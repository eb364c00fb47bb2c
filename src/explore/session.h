/* session.h: the explorer's sessions: one per browser tab, each with one
 * run (or two side by side, for Compare) that advances only when asked.
 *
 * The table is shared by the server's threads: a session is used by one
 * request at a time (acquire/release), sessions unused for the idle limit
 * are freed, and the number open at once is limited
 * (docs/explore.md). */
#ifndef QMSIM_EXPLORE_SESSION_H
#define QMSIM_EXPLORE_SESSION_H

#include <pthread.h>
#include <stddef.h>

#include "explore/catalog.h"
#include "qmsim/json.h"
#include "explore/month.h"
#include "explore/request.h"
#include "qmsim/scenario.h"
#include "qmsim/sim.h"

/* One run of a session: a scenario with its settings, and its state. */
typedef struct qm_xarm {
    qm_scenario sc;                 /* loaded with the arm's settings */
    char *text;                     /* the scenario text it was loaded from */
    char *source;                   /* the bundled file's path, or the name of the
                                     * file with a reorganisation written in */
    char *file_name;                /* that file's name, to download it */
    int n_sets;
    char (*sets)[QM_X_SET_LEN];     /* overrides, seed and months last */
    char *command;                  /* the `qmsim run` that writes the same file */
    qm_sim *sim;
    qm_frame *f;
    qm_xseen seen;
} qm_xarm;

typedef struct qm_xsession {
    char id[QM_X_ID_LEN + 1];
    int busy;                       /* a request is using it (table lock) */
    int closing;                    /* free it when that request ends */
    double last;                    /* seconds (monotonic) it was last used */
    char scenario[QM_X_NAME_LEN];   /* the catalogue name of its scenario */
    int n_arms;                     /* 0 until set up */
    qm_xarm *arm[QM_X_ARMS];        /* n_arms runs, NULL beyond */
} qm_xsession;

typedef struct qm_xsessions {
    pthread_mutex_t lock;
    const qm_xlimits *lim;
    int n;                          /* open */
    int cap;
    qm_xsession **s;
} qm_xsessions;

/* Seconds on the monotonic clock. */
double qm_xnow(void);

/* Prepares an empty table under the limits lim (borrowed).  Returns 0, or
 * -1 when out of memory. */
int qm_xsessions_init(qm_xsessions *t, const qm_xlimits *lim);

/* Frees every session and the table.  No request may be running. */
void qm_xsessions_free(qm_xsessions *t);

/* Opens a session with a fresh random id (written to id).  Returns 0; 1
 * when lim->max_sessions are already open (after freeing idle ones); -1
 * when out of memory or no random id could be drawn. */
int qm_xsessions_open(qm_xsessions *t, char id[QM_X_ID_LEN + 1]);

/* The session id, marked busy for the caller, or NULL: *why is 1 when no
 * session has that id (never opened, closed or freed when idle), 2 when
 * another request is using it. */
qm_xsession *qm_xsessions_acquire(qm_xsessions *t, const char *id, int *why);

/* Ends the caller's use of s (and frees it when it was closed meanwhile).
 * Cannot fail. */
void qm_xsessions_release(qm_xsessions *t, qm_xsession *s);

/* Closes session id: freed now, or when the request using it ends.
 * Returns 0, or 1 when there is no such session. */
int qm_xsessions_close(qm_xsessions *t, const char *id);

/* Frees the sessions not used for lim->idle_seconds before now and not
 * busy.  Returns how many were freed. */
int qm_xsessions_reap(qm_xsessions *t, double now);

/* Sessions open now. */
int qm_xsessions_count(qm_xsessions *t);

/* Sets up the runs of a setup request: each arm's scenario loaded from the
 * catalogue's file with its settings through the scenario loader (as
 * `qmsim run --set`), its reorganisation written into its timeline, the
 * explorer's limits checked, then the state built at month 0.  Replaces
 * the session's runs only on success.  Returns 0, or the number of
 * problems with one message each in err. */
int qm_xsession_setup(qm_xsession *s, const qm_xsetup *req, const qm_xcatalog *cat,
                      const qm_xlimits *lim, qm_errors *err);

/* Appends the setup's reply: for each arm its entities and command line.
 * Reads only. */
void qm_xsession_setup_json(qm_jbuf *b, qm_xsession *s);

/* Runs one month of every arm and appends it as one line of JSON
 * ({"m": month, "arms": [month of each arm]}\n).  Returns 0, or 1 when
 * the runs have reached their horizon (nothing appended). */
int qm_xsession_step(qm_xsession *s, qm_jbuf *b);

/* Writes the resolved scenario text with a reorganisation added to its
 * timeline (MODEL.md 6), as a malloc'd string, or NULL when the text has
 * no timeline list in the resolved form or memory runs out.  Pure. */
char *qm_xsession_reorg_text(const char *resolved, const qm_xreorg *r);

/* The file name a run is written to: its scenario's name (characters
 * other than letters, digits, '_', '-' and '.' as '_'), "-B" for the
 * second setting, ".h5".  Into buf (size n). */
void qm_xsession_out_name(const qm_xarm *a, int arm, char *buf, size_t n);

/* Shell-quotes s for a command line shown to the user, appending to b. */
void qm_xsession_quote(qm_jbuf *b, const char *s);

#endif
