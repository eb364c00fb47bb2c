/* cmp.h: what the files of the comparison library share about a
 * comparison in memory (src/compare/comparison.c); the public part is
 * qmsim/comparison.h.  Not a public header. */
#ifndef QMSIM_COMPARE_CMP_H
#define QMSIM_COMPARE_CMP_H

#include "qmsim/comparison.h"

/* strdup of s, NULL read as "".  NULL when memory runs out. */
char *qm_cmp_strdup(const char *s);

/* Allocates d's per-run arrays for n runs: scenario, replicate, seed,
 * file, outcomes (NaN; d->n_out must be set), the kept series (NaN) when
 * d->n_ser and d->T are positive, and event counts (zero) when
 * with_events.  Returns 0, or -1 when memory runs out (d still freeable). */
int qm_cmp_alloc_runs(qm_cmp *d, int n, int with_events);

/* Names, units and descriptions of the n model series ids kept across
 * replications.  Returns 0, or -1 when memory runs out. */
int qm_cmp_set_model_series(qm_cmp *d, const int *ids, int n);

#endif
