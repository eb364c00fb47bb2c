/* driver_mpi.h: the calibration driver's MPI part (driver_mpi.c), shared
 * with driver.c only.  Internal to the library. */
#ifndef QMSIM_CALIBRATE_DRIVER_MPI_H
#define QMSIM_CALIBRATE_DRIVER_MPI_H

#include "qmsim/calibrate.h"

/* Called on rank 0 for each simulation a worker finished: attempt i of
 * the batch, its status (0 or -1) and values (already in place). */
typedef void (*qm_cal_mpi_done)(void *ctx, int i, int status);

/* Rank 0: simulates the attempts todo[0..n_todo) of a batch (theta rows
 * of c->n_params, keys first + i) on ranks 1..size-1, one at a time each,
 * writing attempt i's values to vals[i * n_targets] and calling done
 * after each.  stop (polled between results; NULL: never) ends the handing
 * out early.  Returns 0, or -1 when interrupted. */
__attribute__((visibility("hidden")))
int qm_cal_mpi_batch(const qm_cal *c, int size, const double *theta, long first,
                     const int *todo, int n_todo, double *vals, qm_cal_mpi_done done,
                     void *ctx, int (*stop)(void *ctx), void *stop_ctx);

/* Rank 0: tells ranks 1..size-1 that the calibration is over. */
__attribute__((visibility("hidden")))
void qm_cal_mpi_stop(int size);

#endif
