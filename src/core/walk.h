/* walk.h (internal): the lists of providers offering each service, and
 * of agencies, in order of position on the unit circle, and the walks
 * over them from nearest to farthest (MODEL.md 2: commissioners reach the
 * providers and agencies near them).  Each list keeps a copy of its
 * providers' positions and room, so that a walk reads them in order
 * instead of from each provider's records, which beyond national scale
 * are far apart in memory (bench/README.md). */
#ifndef QM_CORE_WALK_H
#define QM_CORE_WALK_H

#include <math.h>
#include "qmsim/state.h"

/* Walks the providers offering a service (or the agencies) from nearest
 * to farthest from a position on the circle (ties to the lower id), at
 * most limit of them. */
typedef struct qm_walk {
    const int *list;        /* providers offering the service, by position */
    const double *at;       /* their positions */
    const double *room;     /* their room (NULL for agencies) */
    int last;               /* place of the one returned last */
    int n;                  /* how many */
    int left, right;        /* next candidates on each side */
    int taken, limit;
    double pos;
} qm_walk;

/* Distance between two positions on the unit circle, in [0, 0.5].
 * Inline: every step of a walk measures two. */
static inline double qm_walk_distance(double a, double b)
{
    double d = fabs(a - b);
    return d > 0.5 ? 1.0 - d : d;
}

/* Starts a walk over service s from position pos, limited to
 * market.reach providers.  Cannot fail. */
void qm_walk_start(const qm_sim *sim, qm_walk *w, int s, double pos);

/* Starts a walk over all agencies from position pos, limited to
 * engagement.reach of them.  Cannot fail. */
void qm_walk_agencies(const qm_sim *sim, qm_walk *w, double pos);

/* The next provider (or agency) of the walk, or -1 when done.  Cannot fail. */
int qm_walk_next(qm_walk *w);

/* Room of the provider a service walk returned last: its capacity less
 * the volume it holds, -HUGE_VAL when it has left the market. */
static inline double qm_walk_room(const qm_walk *w)
{
    return w->room[w->last];
}

/* Builds the lists of the initial providers of each service and of the
 * agencies, in position order (ties by id).  Reads positions and offers;
 * fills svc_prov, svc_pos, svc_n, ps_place, agency_order and agency_pos.
 * Returns -1 when out of memory, else 0. */
int qm_walk_build(qm_sim *sim);

/* Adds provider p, which now offers service s, to the service's list in
 * position order.  The list has room for every provider slot. */
void qm_walk_add(qm_sim *sim, int s, int p);

/* Brings the list's copy of the room of provider p in service s up to
 * date; called whenever its capacity, held volume or activity changes. */
void qm_walk_refresh(qm_sim *sim, int p, int s);

#endif
