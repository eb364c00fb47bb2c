/* server.h: `qmsim explore`, the live classroom explorer: a local web
 * server (GNU libmicrohttpd) and one page that runs qmsim's engine month
 * by month in the browser (docs/explore.md). */
#ifndef QMSIM_EXPLORE_SERVER_H
#define QMSIM_EXPLORE_SERVER_H

#include "explore/request.h"

/* How the server is started (qmsim explore's options). */
typedef struct qm_xopts {
    const char *scenario;      /* a scenario file the teacher names, or NULL */
    const char *bind;          /* numeric address to listen on; loopback by default */
    int port;                  /* TCP port; 0 takes any free port */
    int threads;               /* threads answering requests */
    int max_connections;       /* connections open at once */
    qm_xlimits lim;            /* sessions, months, sizes, idle time */
    const char *scenario_dir;  /* NULL: the installed or source scenarios */
    const char *page_dir;      /* NULL: the installed or source share/explore */
    const char *chartjs;       /* NULL: Debian's libjs-chart.js (or $QMSIM_CHARTJS) */
} qm_xopts;

/* Fills o with the defaults of docs/explore.md.  Cannot fail. */
void qm_xopts_default(qm_xopts *o);

/* Serves the explorer until SIGINT or SIGTERM, printing the address to
 * open on stdout (and, for an address other than loopback, a warning that
 * anyone on that network can use it).  Returns the exit status: 0 after a
 * clean stop, 1 when the server cannot start (port taken, page files
 * missing), 2 when the scenario named cannot be explored (its problems
 * printed). */
int qm_explore_serve(const qm_xopts *o);

#endif
