/* month.h: one month of a run as the explorer's page reads it: the
 * series, the market (contracts and engagements), developments by stage
 * and the story of the month in the words of `qmsim run --narrate`
 * (docs/explore.md describes every field). */
#ifndef QMSIM_EXPLORE_MONTH_H
#define QMSIM_EXPLORE_MONTH_H

#include "qmsim/json.h"
#include "qmsim/observe.h"
#include "qmsim/sim.h"

/* Slots of commissioners and providers the page has been told about, so
 * that each month names only the newcomers (entrants, split bodies). */
typedef struct qm_xseen {
    unsigned char *comm;     /* max_commissioners flags */
    unsigned char *prov;     /* max_providers flags */
} qm_xseen;

/* Allocates the flags for sim, all clear.  Returns 0, or -1 when out of
 * memory (nothing to free). */
int qm_xseen_alloc(qm_xseen *seen, const qm_sim *sim);

/* Frees the flags.  Safe on a zeroed struct. */
void qm_xseen_free(qm_xseen *seen);

/* Appends the entities of sim as a JSON object: services, the names and
 * kinds of every commissioner, provider and agency slot in use, payment
 * and engagement kinds, the calendar (start month) and horizon, and the
 * contracts ("k") and engagements ("g") the run starts with.  Marks
 * the slots announced in seen.  Reads the state only. */
void qm_xmonth_entities(qm_jbuf *b, const qm_sim *sim, qm_xseen *seen);

/* Appends the month just observed in f (after qm_sim_step and qm_observe)
 * as a JSON object: "m" its index, "s" every series of qm_series_defs in
 * order, "dev" developments by stage, "k" the contracts in force, "g" the
 * engagements running, "ca"/"pa" which commissioner and provider slots
 * are active, "cn"/"pn" names of slots newly in use, "story" the month's
 * narration as --narrate prints it, "by" the narration as
 * --narrate-filter NAME prints it for each name whose story differs from
 * "common" (what every filter shows: changes that concern everyone).
 * Updates seen; reads the state only. */
void qm_xmonth_json(qm_jbuf *b, const qm_sim *sim, const qm_frame *f, qm_xseen *seen);

#endif
