/* runner_mpi.c: a sweep over MPI ranks (qmsim/runner.h, docs/clusters.md),
 * in the library of a build with -DQMSIM_MPI=ON.
 *
 * Rank 0 keeps the journal and writes the one result; it hands runs out
 * one at a time to whichever rank asks next (a dynamic queue), so fast
 * and slow runs balance themselves.  Ranks 1..N-1 each run one run at a
 * time and send back its record.  Without MPI the functions do nothing:
 * no process is ever launched by mpirun, so the threaded runner serves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "qmsim/runner.h"

#ifdef QMSIM_HAVE_MPI

#include <mpi.h>

enum { TAG_READY = 1, TAG_RESULT, TAG_WORK, TAG_STOP };
#define MSG_BYTES 256          /* a failed run's message, after its record */

int qm_runner_mpi_launched(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE",
                                       "PMI_RANK", NULL};
    for (int i = 0; vars[i]; i++)
        if (getenv(vars[i]))
            return 1;
    return 0;
}

void qm_runner_mpi_init(int *rank, int *size)
{
    MPI_Init(NULL, NULL);
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
}

void qm_runner_mpi_finalize(void)
{
    MPI_Finalize();
}

void qm_runner_mpi_abort(int code)
{
    MPI_Abort(MPI_COMM_WORLD, code);
}

int qm_runner_mpi_max(int v)
{
    int worst = v;
    MPI_Allreduce(&v, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return worst;
}

int qm_runner_mpi_share(int v)
{
    MPI_Bcast(&v, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return v;
}

/* Seconds on the monotonic clock: a run's wall time. */
static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int qm_runner_mpi_worker(const qm_sweep *sw)
{
    size_t nv = qm_sweep_record_values(sw), rb = qm_journal_rec_bytes(nv);
    unsigned char *buf = malloc(rb + MSG_BYTES);
    double *values = malloc((nv + 1) * sizeof *values);
    if (!buf || !values) {
        free(buf);
        free(values);
        return -1;
    }
    MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_READY, MPI_COMM_WORLD);
    for (;;) {
        long run;
        MPI_Status st;
        MPI_Recv(&run, 1, MPI_LONG, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        if (st.MPI_TAG != TAG_WORK)
            break;
        char *msg = (char *)buf + rb;
        memset(msg, 0, MSG_BYTES);
        double t0 = now();
        qm_journal_rec r = {.run = run, .values = values};
        r.status = qm_sweep_run(sw, run, values, msg, MSG_BYTES);
        r.wall = now() - t0;
        qm_journal_rec_pack(&r, nv, buf);
        MPI_Send(buf, (int)(rb + MSG_BYTES), MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
    }
    free(buf);
    free(values);
    return 0;
}

/* Unpacks and records a worker's result.  0, or -1 with a message. */
static int take_result(qm_runner *st, unsigned char *buf, size_t rb, double *values, int from,
                       const qm_runner_hooks *h, char *err, size_t errlen)
{
    qm_journal_rec r = {.values = values};
    char *msg = (char *)buf + rb;
    msg[MSG_BYTES - 1] = '\0';
    if (qm_journal_rec_unpack(buf, st->nvalues, &r) != 0) {
        snprintf(err, errlen, "a damaged record from rank %d", from);
        return -1;
    }
    return qm_runner_record(st, &r, msg, h, err, errlen);
}

int qm_runner_mpi_master(qm_runner *st, int size, const qm_runner_hooks *h, char *err,
                         size_t errlen)
{
    size_t rb = qm_journal_rec_bytes(st->nvalues);
    unsigned char *buf = malloc(rb + MSG_BYTES);
    double *values = malloc((st->nvalues + 1) * sizeof *values);
    if (!buf || !values) {
        free(buf);
        free(values);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    long next = 0;
    int active = size - 1, failed = 0;
    while (active > 0) {
        MPI_Status ms;
        MPI_Recv(buf, (int)(rb + MSG_BYTES), MPI_BYTE, MPI_ANY_SOURCE, MPI_ANY_TAG,
                 MPI_COMM_WORLD, &ms);
        if (ms.MPI_TAG == TAG_RESULT && !failed
            && take_result(st, buf, rb, values, ms.MPI_SOURCE, h, err, errlen) != 0)
            failed = 1;
        if (!failed && !(h && h->stop && h->stop(h->ctx)) && next < st->n_todo) {
            long run = st->todo[next++];
            MPI_Send(&run, 1, MPI_LONG, ms.MPI_SOURCE, TAG_WORK, MPI_COMM_WORLD);
        } else {
            long none = -1;
            MPI_Send(&none, 1, MPI_LONG, ms.MPI_SOURCE, TAG_STOP, MPI_COMM_WORLD);
            active--;
        }
    }
    free(buf);
    free(values);
    return failed ? -1 : 0;
}

#else

int qm_runner_mpi_launched(void)
{
    return 0;
}

void qm_runner_mpi_init(int *rank, int *size)
{
    *rank = 0;
    *size = 1;
}

void qm_runner_mpi_finalize(void)
{
}

void qm_runner_mpi_abort(int code)
{
    exit(code);
}

int qm_runner_mpi_max(int v)
{
    return v;
}

int qm_runner_mpi_share(int v)
{
    return v;
}

int qm_runner_mpi_master(qm_runner *st, int size, const qm_runner_hooks *h, char *err,
                         size_t errlen)
{
    (void)st, (void)size, (void)h;
    snprintf(err, errlen, "this qmsim was built without MPI");
    return -1;
}

int qm_runner_mpi_worker(const qm_sweep *sw)
{
    (void)sw;
    return -1;
}

#endif
