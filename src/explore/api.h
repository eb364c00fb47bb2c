/* api.h: the explorer's API (api.c) and the server state it answers from,
 * which the HTTP glue (server.c) owns.  Internal to src/explore. */
#ifndef QMSIM_EXPLORE_API_H
#define QMSIM_EXPLORE_API_H

#include <limits.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "explore/catalog.h"
#include "explore/server.h"
#include "explore/session.h"

/* A page file, read once at start. */
typedef struct qm_xfile {
    const char *url;            /* "/", "/explore.js", ... */
    const char *type;           /* Content-Type */
    char *data;
    size_t len;
} qm_xfile;

#define QM_X_FILES 7

typedef struct qm_xserver {
    qm_xopts o;
    qm_xcatalog cat;
    qm_xsessions sessions;
    qm_xfile files[QM_X_FILES];
    int loopback;               /* listening on a loopback address only */
    char tmpdir[PATH_MAX];      /* private folder for downloads */
    struct MHD_Daemon *daemon;
    atomic_int started;         /* listening: MHD's messages are no longer printed */
    pthread_t reaper;
    pthread_mutex_t stop_lock;
    pthread_cond_t stop_cond;
    int stopping;
} qm_xserver;

/* A request's body as it arrives. */
typedef struct qm_xrequest {
    char *body;
    size_t n;
    int too_big;                /* more than lim.max_body bytes were sent */
} qm_xrequest;

/* Answers an /api/ request whose body (if any) has fully arrived. */
enum MHD_Result qm_xapi_handle(qm_xserver *sv, struct MHD_Connection *c, const char *url,
                               const char *method, qm_xrequest *r);

#endif
