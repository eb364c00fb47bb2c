/* runner.h: running a sweep (src/sweep/runner.c, runner_mpi.c) and
 * joining its shards (src/sweep/merge.c); docs/sweeps.md and
 * docs/clusters.md.
 *
 * A runner keeps the state of one sweep (or one shard of it) in progress:
 * which runs are done, the journal they go to as they finish, and the
 * result arrays.  qm_runner_begin prepares it (a new journal, or the one
 * of an interrupted sweep with resume), the runs are done on threads
 * (qm_runner_threads) or on MPI ranks (qm_runner_mpi_master and
 * qm_runner_mpi_worker), each recorded with qm_runner_record, and
 * qm_runner_write writes the result file from the journal.  The runner
 * prints nothing: hooks tell the caller of failed runs and progress, and
 * errors come back as messages that name no command.  Results do not
 * depend on threads, ranks or shards (qmsim/sweep.h). */
#ifndef QMSIM_RUNNER_H
#define QMSIM_RUNNER_H

#include <stddef.h>

#include "qmsim/sweep.h"

/* What a runner is asked to do. */
typedef struct qm_runner_opts {
    const char *out;           /* RESULT.h5; the journal is RESULT.h5.journal */
    int resume;                /* finish an interrupted sweep from its journal */
    int force;                 /* replace an existing result or journal */
    int shard_i, shard_n;      /* shard_n 0: the whole sweep */
} qm_runner_opts;

/* A sweep in progress.  The fields are the runner's; callers read them. */
typedef struct qm_runner {
    qm_runner_opts o;
    qm_sweep sw;               /* the sweep, owned by the runner */
    qm_result res;             /* runs filled in as they complete */
    qm_journal *jn;
    qm_outfile *of;            /* the result's destination, locked from begin */
    char *journal;             /* OUT.journal */
    unsigned char *done;       /* per run: recorded in the journal */
    long *todo;                /* runs of this shard still to do, in order */
    long n_todo;
    long total;                /* runs of this shard */
    long n_done, n_failed;     /* recorded so far (resumed ones included) */
    long n_resumed;            /* recorded in the journal before this process */
    size_t nvalues;            /* values per record */
    int io_failed;             /* the journal could not be written: stop */
    int already_complete;      /* resume of a finished result: nothing to do */
} qm_runner;

/* How a runner tells its caller what happens.  Any hook may be NULL. */
typedef struct qm_runner_hooks {
    /* A run failed (before it is journalled): rec its record, msg why. */
    void (*failed)(void *ctx, const qm_runner *st, const qm_journal_rec *rec, const char *msg);
    /* A run was recorded: st's counts have moved. */
    void (*progress)(void *ctx, const qm_runner *st);
    /* Nonzero: start no more runs (an interruption). */
    int (*stop)(void *ctx);
    void *ctx;
} qm_runner_hooks;

/* Runs of sweep sw in shard shard_i of shard_n (shard_n 0: all of them).
 * Cannot fail. */
long qm_runner_shard_runs(const qm_sweep *sw, int shard_i, int shard_n);

/* Prepares st for sweep sw, which st takes over (qm_runner_free frees it,
 * also on failure): checks the output, opens the journal (or resumes it,
 * reading back the runs it holds) and lists the runs to do.  A result of
 * the same sweep and shard already at o->out with resume and no journal
 * sets st->already_complete and returns 0.  Returns 0, or the exit status
 * with a message in err: 1 out of memory or a journal that cannot be read
 * back, 2 an existing result or journal in the way, or a journal that
 * cannot be opened. */
int qm_runner_begin(qm_runner *st, qm_sweep *sw, const qm_runner_opts *o, char *err,
                    size_t errlen);

/* Records one finished run: h->failed when it failed, then the journal,
 * the result arrays and h->progress.  Call from one thread at a time.
 * Returns 0, or -1 with a message in err when the journal cannot be
 * written (st->io_failed is then set: the sweep should stop). */
int qm_runner_record(qm_runner *st, const qm_journal_rec *r, const char *msg,
                     const qm_runner_hooks *h, char *err, size_t errlen);

/* Does the runs still to do on threads threads, one run each, recording
 * each as it finishes; starts no more once h->stop says so or the journal
 * fails.  Returns 0, or -1 with a message in err (out of memory; a
 * journal that cannot be written, with st->io_failed set). */
int qm_runner_threads(qm_runner *st, int threads, const qm_runner_hooks *h, char *err,
                      size_t errlen);

/* Writes the result file from the result arrays and the journal's saved
 * series once every run of the shard is recorded.  Returns 0, or -1 with
 * a message in err (the runs stay in the journal). */
int qm_runner_write(qm_runner *st, char *err, size_t errlen);

/* Releases what st owns (its sweep too) and zeroes it; remove_journal 1
 * also deletes the journal file.  Safe on a zeroed runner. */
void qm_runner_free(qm_runner *st, int remove_journal);

/* ---- MPI (runner_mpi.c; with -DQMSIM_MPI=ON, else they do nothing) ----
 * Rank 0 keeps the journal and writes the one result; it hands runs out
 * one at a time to whichever rank asks next, so fast and slow runs
 * balance themselves; ranks 1..N-1 each do one run at a time. */

/* 1 when this process was started by mpirun or srun in an MPI build, else
 * 0.  Cannot fail. */
int qm_runner_mpi_launched(void);

/* Starts MPI and gives this process's rank and the number of ranks (0 and
 * 1 without MPI).  Call once, before the others below. */
void qm_runner_mpi_init(int *rank, int *size);

/* Ends MPI.  Call once, last. */
void qm_runner_mpi_finalize(void);

/* Stops every rank with exit status code (MPI_Abort). */
void qm_runner_mpi_abort(int code);

/* The largest of every rank's v (all ranks call it). */
int qm_runner_mpi_max(int v);

/* Rank 0's v, on every rank (all ranks call it). */
int qm_runner_mpi_share(int v);

/* Rank 0 of size ranks: hands out st's runs to do and records what the
 * workers send back, until every worker has been told to stop (after the
 * last run, h->stop, or a failure).  Returns 0, or -1 with a message in
 * err: out of memory (the caller should abort), a damaged record from a
 * rank, or a journal that cannot be written (st->io_failed set). */
int qm_runner_mpi_master(qm_runner *st, int size, const qm_runner_hooks *h, char *err,
                         size_t errlen);

/* Ranks 1..N-1: asks rank 0 for runs of sw, does them and sends back their
 * records until told to stop.  Returns 0, or -1 out of memory (the caller
 * should abort). */
int qm_runner_mpi_worker(const qm_sweep *sw);

/* ---- Shards (merge.c) ---- */

/* Joins the shard files in[0..n) of one sweep into the result an
 * unsharded sweep gives, written to out (replaced only with force); every
 * run must be in some shard.  *runs is set to the runs of the sweep.
 * Returns 0, or the exit status with a message in err: 2 a shard that
 * cannot be read, of another sweep, missing runs, or an existing out; 1
 * out of memory or a file that cannot be written. */
int qm_merge_shards(const char *const *in, int n, const char *out, int force, long *runs,
                    char *err, size_t errlen);

#endif
