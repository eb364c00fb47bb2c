/* sweep.h: what `qmsim sweep`'s runners share: the threaded runner in
 * sweep.c and the MPI runner in sweep_mpi.c.  Not a public header. */
#ifndef QMSIM_CLI_SWEEP_H
#define QMSIM_CLI_SWEEP_H

#include "qmsim/sweep.h"

/* Command-line options of `qmsim sweep`. */
typedef struct sweep_opts {
    const char *file;          /* SWEEP.cfg */
    const char *out;           /* RESULT.h5 */
    int threads;
    int resume, force, quiet, dry_run;
    int shard_i, shard_n;      /* shard_n 0: the whole sweep */
} sweep_opts;

/* A sweep in progress: what has been run, and where it goes. */
typedef struct sweep_state {
    const sweep_opts *o;
    qm_sweep sw;
    qm_result res;             /* runs filled in as they complete */
    qm_journal *jn;
    char *journal;             /* OUT.journal */
    unsigned char *done;       /* per run: recorded in the journal */
    long *todo;                /* runs of this shard still to do, in order */
    long n_todo;
    long total;                /* runs of this shard */
    long n_done, n_failed;     /* recorded so far (resumed ones included) */
    long n_resumed;
    size_t nvalues;            /* values per record */
    double t0, shown;          /* start and last redraw of the progress bar */
    int bar;                   /* draw a progress bar */
    int failures_shown;
    int io_failed;             /* the journal could not be written */
    int already_complete;      /* --resume of a finished result: nothing to do */
} sweep_state;

/* Loads the sweep and prints its problems (when loud); 0, or exit status 2. */
int sweep_load(const sweep_opts *o, qm_sweep *sw, int loud);

/* Prepares st for a loaded sweep: checks the output, opens (or resumes)
 * the journal and lists the runs to do.  Returns 0 or an exit status,
 * with a message printed; on failure st (its sweep too) is released. */
int sweep_begin(sweep_state *st, const sweep_opts *o);

/* Records one finished run: journal, result arrays, progress.  Call from
 * one thread at a time.  Returns 0, -1 when the journal cannot be written
 * (the sweep should stop). */
int sweep_record(sweep_state *st, const qm_journal_rec *r, const char *msg);

/* Writes the result (or reports an interruption) and releases st.
 * Returns the exit status. */
int sweep_end(sweep_state *st, int interrupted);

/* The whole sweep in this process, on o->threads threads. */
int sweep_local(const sweep_opts *o);

/* Nonzero once SIGINT or SIGTERM has arrived (after sweep_begin). */
int sweep_interrupted(void);

#ifdef QMSIM_HAVE_MPI
/* Whether this process was started by mpirun/srun. */
int sweep_mpi_launched(void);
/* The whole sweep under MPI: rank 0 hands out runs and writes the result. */
int sweep_mpi(const sweep_opts *o);
#endif

#endif
