/* suggest.h: the one did-you-mean of qmsim's readers (src/io/suggest.c):
 * the name closest to what was typed, when it is close enough to be a
 * likely typo.  Used by the scenario reader and the sweep-file reader. */
#ifndef QMSIM_IO_SUGGEST_H
#define QMSIM_IO_SUGGEST_H

#include <stddef.h>

/* Longest name (and typed text) compared; longer ones are never close. */
#define QM_SUGGEST_MAX 80

/* A search for the candidate nearest to what was typed. */
typedef struct qm_suggest {
    const char *typed;  /* what the user wrote */
    size_t limit;       /* most edits still taken for a typo */
    size_t bestd;       /* edits to the best candidate so far */
    size_t bestl;       /* length of the part of best that was compared */
    const char *best;   /* the nearest candidate so far, or NULL */
} qm_suggest;

/* Starts a search for TYPED.  A candidate is close enough within
 * max(2, KEYLEN / 3) edits, KEYLEN being the length of the key as typed
 * (the caller may pass the length of the key's last part only).  Cannot
 * fail. */
void qm_suggest_init(qm_suggest *g, const char *typed, size_t keylen);

/* Compares the first LEN bytes of CAND with what was typed (insertions,
 * deletions, substitutions and swaps of two neighbours count one edit
 * each) and keeps it when it is close enough and strictly nearer than the
 * best so far: of equally near candidates the first tried wins. */
void qm_suggest_try(qm_suggest *g, const char *cand, size_t len);

/* Tries each of the N names (N < 0: up to a NULL entry; NAMES may be
 * NULL then). */
void qm_suggest_names(qm_suggest *g, const char *const *names, int n);

/* The one of the N names (N < 0: NULL-terminated) nearest to TYPED, by
 * the rule of qm_suggest_init with TYPED's own length, or NULL when none
 * is close enough. */
const char *qm_suggest_nearest(const char *typed, const char *const *names, int n);

#endif
