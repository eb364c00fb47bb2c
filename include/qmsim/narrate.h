/* narrate.h: the story of a run in plain words, event by event
 * (`qmsim run --narrate`, and the events of `qmsim report`). */
#ifndef QMSIM_NARRATE_H
#define QMSIM_NARRATE_H

#include <stddef.h>
#include <stdio.h>

#include "qmsim/observe.h"

struct qm_sim;

/* Kinds of names a story looks up. */
typedef enum {
    QM_STORY_COMMISSIONER = 0, QM_STORY_PROVIDER, QM_STORY_SERVICE, QM_STORY_AGENCY,
    QM_STORY_POLICY,            /* parameter path of timeline entry i */
    QM_STORY_KINDS
} qm_story_kind;

/* Where a story finds names: from a running simulation or a run file. */
typedef struct qm_story {
    const char *(*name)(const void *ctx, int kind, int id); /* NULL or "" when unknown */
    const void *ctx;
    int n[QM_STORY_KINDS];      /* ids 0..n-1 exist for each kind */
} qm_story;

/* Writes event i of a month's events ev[0..n) as one clause ("Northshire
 * tendered its diabetes contract (held by Riverside Community)") into buf
 * (size len, always terminated).  Returns the clause's length, or 0 when
 * event i is told by another event's clause (an award is told with the
 * switch it caused).  Reads only; cannot fail. */
size_t qm_narrate_clause(const qm_story *st, const qm_event *ev, int n, int i, char *buf,
                         size_t len);

/* 1 when event e concerns the commissioner, provider, service or agency
 * called filter (case ignored, '_' and ' ' alike), or concerns everyone
 * (policy changes, priority shifts, demand shocks to every service); 1
 * for every event when filter is NULL. */
int qm_narrate_match(const qm_story *st, const qm_event *e, const char *filter);

/* 1 when filter names a commissioner, provider, service or agency. */
int qm_narrate_known(const qm_story *st, const char *filter);

/* Prints a month's events, one line per run of events of the same
 * commissioner: "Month 37: clause; clause."  Cannot fail. */
void qm_narrate_events(const qm_story *st, const qm_event *ev, int n, const char *filter,
                       FILE *out);

/* A story whose names come from a running simulation (which must outlive
 * it).  Cannot fail. */
void qm_narrate_story(const struct qm_sim *sim, qm_story *st);

/* Prints the story of the month just observed in f (and, every twelfth
 * month, a line on the state of the area) to out.  Returns 0, or -1 with a
 * message on stderr when filter names nothing in the run. */
int qm_narrate_month(const struct qm_sim *sim, const qm_frame *f, const char *filter, FILE *out);

#endif
