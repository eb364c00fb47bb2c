/* team.h: a loop shared out among a run's threads, each taking one
 * contiguous range of the indices (OpenMP's static schedule), so that
 * which thread does what never depends on anything but n and threads.
 * One thread runs a plain loop: libgomp ends even a region of one thread
 * in a barrier whose wake-up is a system call, and a month runs some
 * seventeen such loops (bench/README.md). */
#ifndef QM_CORE_TEAM_H
#define QM_CORE_TEAM_H

/* What the loop runs for index i of n, with the caller's ctx. */
typedef void (*qm_team_body)(void *ctx, int i, int n);

/* Runs body(ctx, i, n) for every i in [0, n) on `threads` threads (one
 * when threads <= 1).  The body must touch only what index i owns. */
void qm_team_for(int n, int threads, qm_team_body body, void *ctx);

#endif
