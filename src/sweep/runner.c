/* runner.c: running a sweep (qmsim/runner.h, docs/sweeps.md): the runs of
 * a sweep or of one shard, journalled as they finish so that an
 * interrupted sweep can be resumed, done on threads one run each, and the
 * result file written from the journal at the end. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <omp.h>

#include "qmsim/runner.h"

static int in_shard(int shard_i, int shard_n, long j)
{
    return shard_n == 0 || j % shard_n == shard_i;
}

long qm_runner_shard_runs(const qm_sweep *sw, int shard_i, int shard_n)
{
    long mine = 0;
    for (long j = 0; j < sw->n_runs; j++)
        mine += in_shard(shard_i, shard_n, j);
    return mine;
}

/* Fills the result arrays from a record. */
static void store(qm_runner *st, const qm_journal_rec *r)
{
    qm_result *res = &st->res;
    res->status[r->run] = r->status;
    res->wall[r->run] = r->wall;
    memcpy(res->outcomes + (size_t)r->run * (size_t)res->n_outcomes, r->values,
           (size_t)res->n_outcomes * sizeof(double));
    st->n_done++;
    st->n_failed += r->status != QM_RUN_OK;
}

int qm_runner_record(qm_runner *st, const qm_journal_rec *r, const char *msg,
                     const qm_runner_hooks *h, char *err, size_t errlen)
{
    if (r->status != QM_RUN_OK && h && h->failed)
        h->failed(h->ctx, st, r, msg);
    if (qm_journal_append(st->jn, r, err, errlen) != 0) {
        st->io_failed = 1;
        return -1;
    }
    st->done[r->run] = 1;
    store(st, r);
    if (h && h->progress)
        h->progress(h->ctx, st);
    return 0;
}

void qm_runner_free(qm_runner *st, int remove_journal)
{
    qm_journal_close(st->jn, remove_journal);
    qm_outfile_discard(st->of);
    qm_result_free(&st->res);
    qm_sweep_free(&st->sw);
    free(st->journal);
    free(st->done);
    free(st->todo);
    memset(st, 0, sizeof *st);
}

/* Whether path is a finished result of the sweep (and shard) in res. */
static int same_result(const char *path, const qm_result *res)
{
    qm_result old;
    char err[512];
    if (qm_result_read(path, &old, err, sizeof err) != 0)
        return 0;
    int same = old.sweep_text && !strcmp(old.sweep_text, res->sweep_text)
               && old.base_resolved && !strcmp(old.base_resolved, res->base_resolved)
               && old.base_source && !strcmp(old.base_source, res->base_source)
               && old.shard_i == res->shard_i && old.shard_n == res->shard_n
               && old.n_runs == res->n_runs;
    qm_result_free(&old);
    return same;
}

/* The runs of the shard: done ones read back from the journal, the rest
 * listed to do.  0, or 1 with a message. */
static int list_runs(qm_runner *st, double *values, char *err, size_t errlen)
{
    const qm_runner_opts *o = &st->o;
    qm_journal_rec r = {.values = values};
    for (long j = 0; j < st->sw.n_runs; j++) {
        if (!in_shard(o->shard_i, o->shard_n, j))
            continue;
        st->total++;
        if (!st->done[j])
            st->todo[st->n_todo++] = j;
        else if (qm_journal_read(st->jn, j, &r) == 0)
            store(st, &r);
        else {
            snprintf(err, errlen, "cannot read run %ld back from %s", j, st->journal);
            return 1;
        }
    }
    st->n_resumed = st->n_done;
    return 0;
}

/* qm_runner_begin but for the freeing on failure. */
static int begin(qm_runner *st, const qm_runner_opts *o, double *values, char *err,
                 size_t errlen)
{
    qm_sweep *sw = &st->sw;
    size_t n = strlen(o->out) + 9;
    st->journal = malloc(n);
    st->done = calloc((size_t)sw->n_runs, 1);
    st->todo = malloc((size_t)sw->n_runs * sizeof *st->todo);
    if (!st->journal || !st->done || !st->todo || !values
        || qm_result_from_sweep(sw, &st->res) != 0) {
        snprintf(err, errlen, "out of memory");
        return 1;
    }
    snprintf(st->journal, n, "%s.journal", o->out);
    st->res.shard_i = o->shard_i;
    st->res.shard_n = o->shard_n;
    int have_journal = access(st->journal, F_OK) == 0;
    if (!o->force && o->resume && !have_journal && access(o->out, F_OK) == 0
        && same_result(o->out, &st->res)) {
        /* Finished earlier (a requeued job, say): nothing left to do. */
        st->already_complete = 1;
        return 0;
    }
    if (qm_outfile_check(o->out, o->force, err, errlen) != 0)
        return 2; /* before the journal is looked at: an existing file, say */
    if (have_journal && !o->resume && !o->force) {
        snprintf(err, errlen, "%s exists: an interrupted sweep; finish it with --resume or "
                 "start again with --force", st->journal);
        return 2;
    }
    /* The destination is checked and locked before the journal is touched:
     * a second sweep to the same file stops here. */
    st->of = qm_outfile_begin(o->out, o->force, err, errlen);
    if (!st->of)
        return 2;
    st->jn = qm_journal_open(st->journal, qm_sweep_key(sw, o->shard_i, o->shard_n), sw->n_runs,
                             st->nvalues, o->resume, st->done, err, errlen);
    if (!st->jn) /* a journal of another sweep is bad input; a full disk is not */
        return strstr(err, "different sweep") ? 2 : 1;
    return list_runs(st, values, err, errlen);
}

int qm_runner_begin(qm_runner *st, qm_sweep *sw, const qm_runner_opts *o, char *err,
                    size_t errlen)
{
    memset(st, 0, sizeof *st);
    st->sw = *sw;
    memset(sw, 0, sizeof *sw);
    st->o = *o;
    st->nvalues = qm_sweep_record_values(&st->sw);
    double *values = malloc((st->nvalues + 1) * sizeof *values);
    int rc = begin(st, &st->o, values, err, errlen);
    free(values);
    if (rc != 0)
        qm_runner_free(st, 0);
    return rc;
}

/* The saved series of run j, from the journal (NaN for runs not done). */
static int series_from_journal(void *ctx, long j, double *buf)
{
    qm_runner *st = ctx;
    size_t no = (size_t)st->sw.n_outcomes, ns = st->nvalues - no;
    if (!st->done[j]) {
        for (size_t i = 0; i < ns; i++)
            buf[i] = NAN;
        return 0;
    }
    double *values = malloc(st->nvalues * sizeof *values);
    qm_journal_rec r = {.values = values};
    int rc = values && qm_journal_read(st->jn, j, &r) == 0 ? 0 : -1;
    if (rc == 0)
        memcpy(buf, values + no, ns * sizeof *buf);
    free(values);
    return rc;
}

int qm_runner_write(qm_runner *st, char *err, size_t errlen)
{
    qm_outfile *of = st->of;
    st->of = NULL; /* consumed by the writer */
    return qm_result_write_to(of, &st->res, series_from_journal, st, err, errlen);
}

/* Seconds on the monotonic clock: a run's wall time. */
static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int qm_runner_threads(qm_runner *st, int threads, const qm_runner_hooks *h, char *err,
                      size_t errlen)
{
    const qm_sweep *sw = &st->sw;
    double *values = malloc((size_t)threads * (st->nvalues + 1) * sizeof *values);
    if (!values) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    volatile int stop = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (long i = 0; i < st->n_todo; i++) {
        if (stop || (h && h->stop && h->stop(h->ctx)))
            continue;
        char msg[512] = "";
        double *v = values + (size_t)omp_get_thread_num() * (st->nvalues + 1);
        double t0 = now();
        qm_journal_rec r = {.run = st->todo[i], .values = v};
        r.status = qm_sweep_run(sw, r.run, v, msg, sizeof msg);
        r.wall = now() - t0;
#pragma omp critical(qm_sweep_record)
        {
            if (!stop && qm_runner_record(st, &r, msg, h, err, errlen) != 0)
                stop = 1;
        }
    }
    free(values);
    return st->io_failed ? -1 : 0;
}
