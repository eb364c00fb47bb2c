/* driver_mpi.c: a calibration over MPI ranks (docs/clusters.md), in the
 * library of a build with -DQMSIM_MPI=ON.  Rank 0 runs the sampler, keeps
 * the journal and writes the result, as on one machine; it hands the
 * simulations of each batch to ranks 1..N-1 one at a time (a dynamic
 * queue, as the sweep's runner does, src/sweep/runner_mpi.c).  A
 * simulation is a function of its parameters and key alone, so the result
 * is the same for any number of ranks.  Without MPI these do nothing. */
#include <stdlib.h>
#include <string.h>

#include "calibrate/driver_mpi.h"

#ifdef QMSIM_HAVE_MPI

#include <mpi.h>

enum { TAG_WORK = 11, TAG_RESULT, TAG_STOP };

/* Sends attempt i (its index, key and parameters) to rank to. */
static void send_work(const qm_cal *c, int to, int i, long key, const double *theta, double *msg)
{
    int d = c->n_params;
    msg[0] = i;
    msg[1] = (double)key;
    memcpy(msg + 2, &theta[(size_t)i * d], (size_t)d * sizeof *msg);
    MPI_Send(msg, d + 2, MPI_DOUBLE, to, TAG_WORK, MPI_COMM_WORLD);
}

int qm_cal_mpi_batch(const qm_cal *c, int size, const double *theta, long first,
                     const int *todo, int n_todo, double *vals, qm_cal_mpi_done done,
                     void *ctx, int (*stop)(void *ctx), void *stop_ctx)
{
    int d = c->n_params, m = c->n_targets, next = 0, out = 0, stopped = 0;
    double *msg = malloc((size_t)(d > m ? d : m) * sizeof *msg + 2 * sizeof *msg);
    if (!msg)
        return -1;
    for (int r = 1; r < size && next < n_todo; r++, out++)
        send_work(c, r, todo[next], first + todo[next], theta, msg), next++;
    while (out > 0) {
        MPI_Status st;
        MPI_Recv(msg, m + 2, MPI_DOUBLE, MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &st);
        out--;
        int i = (int)msg[0];
        memcpy(&vals[(size_t)i * m], msg + 2, (size_t)m * sizeof *msg);
        done(ctx, i, (int)msg[1]);
        stopped |= stop && stop(stop_ctx);
        if (!stopped && next < n_todo) {
            send_work(c, st.MPI_SOURCE, todo[next], first + todo[next], theta, msg);
            next++, out++;
        }
    }
    free(msg);
    return stopped ? -1 : 0;
}

void qm_cal_mpi_stop(int size)
{
    for (int r = 1; r < size; r++)
        MPI_Send(NULL, 0, MPI_DOUBLE, r, TAG_STOP, MPI_COMM_WORLD);
}

int qm_cal_mpi_worker(const qm_cal *c)
{
    int d = c->n_params, m = c->n_targets;
    double *msg = malloc((size_t)(d > m ? d : m) * sizeof *msg + 2 * sizeof *msg);
    if (!msg)
        return -1;
    for (;;) {
        MPI_Status st;
        MPI_Recv(msg, d + 2, MPI_DOUBLE, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        if (st.MPI_TAG != TAG_WORK)
            break;
        double theta[QM_ABC_MAX_PARAMS];
        memcpy(theta, msg + 2, (size_t)d * sizeof *msg);
        long key = (long)msg[1];
        int rc = qm_cal_simulate((void *)c, theta, key, msg + 2);
        msg[1] = rc;
        MPI_Send(msg, m + 2, MPI_DOUBLE, 0, TAG_RESULT, MPI_COMM_WORLD);
    }
    free(msg);
    return 0;
}

#else

int qm_cal_mpi_batch(const qm_cal *c, int size, const double *theta, long first,
                     const int *todo, int n_todo, double *vals, qm_cal_mpi_done done,
                     void *ctx, int (*stop)(void *ctx), void *stop_ctx)
{
    (void)c, (void)size, (void)theta, (void)first, (void)todo, (void)n_todo, (void)vals;
    (void)done, (void)ctx, (void)stop, (void)stop_ctx;
    return -1;
}

void qm_cal_mpi_stop(int size)
{
    (void)size;
}

int qm_cal_mpi_worker(const qm_cal *c)
{
    (void)c;
    return -1;
}

#endif
