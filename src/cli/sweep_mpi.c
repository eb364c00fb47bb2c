/* sweep_mpi.c: `qmsim sweep` under MPI (built with -DQMSIM_MPI=ON).
 *
 * Rank 0 keeps the journal and writes the one result; it hands runs out
 * one at a time to whichever rank asks next (a dynamic queue), so fast
 * and slow runs balance themselves.  Ranks 1..N-1 each run one run at a
 * time and send back its record.  With a single rank the sweep runs on
 * threads as without MPI.  The file compiles to nothing without MPI. */
#ifdef QMSIM_HAVE_MPI

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <mpi.h>

#include "cli/args.h"
#include "cli/sweep.h"

enum { TAG_READY = 1, TAG_RESULT, TAG_WORK, TAG_STOP };
#define MSG_BYTES 256          /* a failed run's message, after its record */

int sweep_mpi_launched(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE",
                                       "PMI_RANK", NULL};
    for (int i = 0; vars[i]; i++)
        if (getenv(vars[i]))
            return 1;
    return 0;
}

/* Ranks 1..N-1: ask for a run, run it, send its record, until told to stop. */
static int worker(const qm_sweep *sw)
{
    size_t nv = qm_sweep_record_values(sw), rb = qm_journal_rec_bytes(nv);
    unsigned char *buf = malloc(rb + MSG_BYTES);
    double *values = malloc((nv + 1) * sizeof *values);
    if (!buf || !values) {
        fprintf(stderr, "qmsim sweep: out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
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
        double t0 = qm_args_now();
        qm_journal_rec r = {.run = run, .values = values};
        r.status = qm_sweep_run(sw, run, values, msg, MSG_BYTES);
        r.wall = qm_args_now() - t0;
        qm_journal_rec_pack(&r, nv, buf);
        MPI_Send(buf, (int)(rb + MSG_BYTES), MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
    }
    free(buf);
    free(values);
    return 0;
}

/* Rank 0: the queue.  Returns 0, or -1 when the journal failed. */
static int master(sweep_state *st, int size)
{
    size_t nv = st->nvalues, rb = qm_journal_rec_bytes(nv);
    unsigned char *buf = malloc(rb + MSG_BYTES);
    double *values = malloc((nv + 1) * sizeof *values);
    if (!buf || !values) {
        fprintf(stderr, "qmsim sweep: out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    long next = 0;
    int active = size - 1, failed = 0;
    while (active > 0) {
        MPI_Status ms;
        MPI_Recv(buf, (int)(rb + MSG_BYTES), MPI_BYTE, MPI_ANY_SOURCE, MPI_ANY_TAG,
                 MPI_COMM_WORLD, &ms);
        if (ms.MPI_TAG == TAG_RESULT) {
            qm_journal_rec r = {.values = values};
            char *msg = (char *)buf + rb;
            msg[MSG_BYTES - 1] = '\0';
            if (qm_journal_rec_unpack(buf, nv, &r) != 0) {
                fprintf(stderr, "qmsim sweep: a damaged record from rank %d\n", ms.MPI_SOURCE);
                failed = 1;
            } else if (!failed && sweep_record(st, &r, msg) != 0)
                failed = 1;
        }
        if (!failed && !sweep_interrupted() && next < st->n_todo) {
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

int sweep_mpi(const sweep_opts *o)
{
    int rank = 0, size = 1, rc;
    MPI_Init(NULL, NULL);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    static sweep_state st;
    memset(&st, 0, sizeof st);
    /* Every rank reads the sweep; any rank that cannot stops them all. */
    rc = sweep_load(o, &st.sw, rank == 0);
    int worst = rc;
    MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (worst != 0 || o->dry_run || size == 1) {
        if (worst != 0 && rc == 0 && rank == 0)
            fprintf(stderr, "qmsim sweep: another rank could not read %s (is it on a file "
                    "system every node sees?)\n", o->file);
        if (worst == 0 && rank == 0 && o->dry_run)
            printf("%s: valid sweep: %ld runs over %d rank%s\n", o->file, st.sw.n_runs, size,
                   size == 1 ? "" : "s");
        int single = worst == 0 && !o->dry_run && size == 1;
        qm_sweep_free(&st.sw);
        rc = single ? sweep_local(o) : 0;   /* one rank: the ordinary threaded sweep */
        MPI_Finalize();
        return worst != 0 ? worst : rc;
    }
    if (rank == 0) {
        if (o->threads > 1 && !o->quiet)
            fprintf(stderr, "qmsim sweep: under MPI each rank does one run at a time; "
                    "--threads is ignored\n");
        rc = sweep_begin(&st, o);   /* frees st when it fails */
    }
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (rc != 0) {
        if (rank != 0)
            qm_sweep_free(&st.sw);
        MPI_Finalize();
        return rc;
    }
    if (rank == 0) {
        if (!o->quiet)
            fprintf(stderr, "qmsim sweep: %ld runs to do on %d worker rank%s\n", st.n_todo,
                    size - 1, size == 2 ? "" : "s");
        master(&st, size);
        rc = sweep_end(&st, sweep_interrupted());
    } else {
        rc = worker(&st.sw);
        qm_sweep_free(&st.sw);
    }
    MPI_Finalize();
    return rc;
}

#endif
