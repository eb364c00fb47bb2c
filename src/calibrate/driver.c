/* driver.c: running a calibration (qm_cal_run): the ABC sampler's batches
 * simulated on threads, each simulation appended to a journal as it ends
 * (the sweep's, src/sweep/journal.c, one record per attempt key), so that
 * a killed calibration resumed from its journal replays the same batches
 * with the same values and ends with the same result; progress after each
 * simulation; the result written at the end. */
#include "qmsim/calibrate.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "calibrate/driver_mpi.h"
#include "qmsim/outfile.h"

#define FNV_BASIS 0xcbf29ce484222325ULL

/* Hashes the string p (with its NUL) into h. */
static uint64_t fnv(uint64_t h, const char *p)
{
    for (p = p ? p : ""; ; p++) {
        h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
        if (!*p)
            return h;
    }
}

/* Identity of a calibration for its journal: its text, base and targets,
 * and the sources and texts of the targets' other scenarios. */
static uint64_t cal_key(const qm_cal *c)
{
    uint64_t h = fnv(fnv(fnv(FNV_BASIS, c->text), c->base_source), c->base_resolved);
    for (int s = 1; s < c->n_scen; s++)
        h = fnv(fnv(h, c->scen[s].source), c->scen[s].text);
    return h ^ (uint64_t)c->n_targets;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* What a run carries between its steps. */
typedef struct drive {
    const qm_cal *c;
    const qm_cal_opts *o;
    qm_abc *a;
    qm_journal *j;
    unsigned char *done;       /* per attempt key: in the journal */
    double *theta, *vals;      /* the batch */
    long resumed;              /* simulations replayed */
    long in_batch;             /* simulated so far in this batch */
    double t0;
    int failed;                /* a journal write failed */
    int stop;                  /* interrupted */
    char *err;
    size_t errlen;
} drive;

static void show(drive *d)
{
    if (!d->o->progress)
        return;
    qm_cal_progress p = {0};
    const qm_abc_gen *g = qm_abc_posterior(d->a);
    p.generation = qm_abc_generation(d->a);
    p.accepted = qm_abc_filling(d->a, &p.tolerance);
    p.particles = d->c->abc.particles;
    p.simulations = qm_abc_simulations(d->a) + d->in_batch;
    p.budget = d->c->abc.budget;
    p.resumed = d->resumed;
    p.seconds = now() - d->t0;
    p.acceptance = g && g->attempts > 0 && p.accepted == 0 ? g->acceptance : 0.0;
    long gen_sims = p.simulations;
    for (int i = 0; i < qm_abc_n_gens(d->a); i++)
        gen_sims -= qm_abc_gen_at(d->a, i)->simulations;
    if (gen_sims > 0 && p.accepted > 0)
        p.acceptance = (double)p.accepted / (double)gen_sims;
    d->o->progress(d->o->ctx, &p);
}

/* Journals attempt i of the batch (key first + i), simulated with status
 * rc in wall seconds, and shows the progress.  One at a time. */
static void record(drive *d, long first, int i, int rc, double wall)
{
    qm_journal_rec r = {first + i, rc == 0 ? QM_RUN_OK : QM_RUN_FAILED, wall,
                        &d->vals[(size_t)i * d->c->n_targets]};
    char msg[512];
    {
        if (!d->failed && qm_journal_append(d->j, &r, msg, sizeof msg) != 0) {
            d->failed = 1;
            snprintf(d->err, d->errlen, "%s", msg);
        }
        d->in_batch++;
        if (d->o->interrupted && d->o->interrupted(d->o->ctx))
            d->stop = 1;
        show(d);
    }
}

/* Simulates attempt i of the batch (key first + i) and records it. */
static void simulate_one(drive *d, long first, int i)
{
    int m = d->c->n_targets;
    double t = now(), *v = &d->vals[(size_t)i * m];
    int rc = qm_cal_simulate((void *)d->c, &d->theta[(size_t)i * d->c->n_params], first + i, v);
#pragma omp critical(qm_cal_record)
    record(d, first, i, rc, now() - t);
}

/* What an MPI rank finished (qm_cal_mpi_done). */
typedef struct mpi_ctx {
    drive *d;
    long first;
} mpi_ctx;

static void mpi_done(void *ctx, int i, int status)
{
    mpi_ctx *x = ctx;
    record(x->d, x->first, i, status, 0.0);
}

static int mpi_stop(void *ctx)
{
    drive *d = ctx;
    return d->stop || d->failed;
}

/* The attempts of a batch not in the journal, simulated on MPI ranks. */
static void run_on_ranks(drive *d, int n, long first)
{
    int *todo = malloc((size_t)n * sizeof *todo), k = 0;
    mpi_ctx x = {d, first};
    if (!todo) {
        d->failed = 1;
        snprintf(d->err, d->errlen, "out of memory");
        return;
    }
    for (int i = 0; i < n; i++)
        if (!d->done[first + i])
            todo[k++] = i;
    if (qm_cal_mpi_batch(d->c, d->o->mpi_size, d->theta, first, todo, k, d->vals, mpi_done, &x,
                         mpi_stop, d) != 0 && !d->stop && !d->failed) {
        d->failed = 1;
        snprintf(d->err, d->errlen, "out of memory");
    }
    free(todo);
}

/* One batch: replayed from the journal where it holds the attempt,
 * simulated otherwise.  0, or -1 when interrupted or failed. */
static int run_batch(drive *d, int n, long first)
{
    int m = d->c->n_targets, threads = d->o->threads > 0 ? d->o->threads : 1;
    qm_journal_rec r = {0};
    d->in_batch = 0;
    for (int i = 0; i < n; i++) {
        if (!d->done[first + i])
            continue;
        r.values = &d->vals[(size_t)i * m];
        if (qm_journal_read(d->j, first + i, &r) != 0 || r.status != QM_RUN_OK)
            for (int t = 0; t < m; t++)
                d->vals[(size_t)i * m + t] = NAN;
        d->resumed++;
        d->in_batch++;
    }
    if (d->o->mpi_size > 1) {
        run_on_ranks(d, n, first);
    } else {
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (int i = 0; i < n; i++)
            if (!d->done[first + i] && !d->stop && !d->failed)
                simulate_one(d, first, i);
    }
    for (int i = 0; i < n; i++)
        d->done[first + i] = 1;
    return d->stop || d->failed ? -1 : 0;
}

/* Opens the journal beside the result.  0, or an exit status. */
static int open_journal(drive *d, char *jpath)
{
    const qm_cal_opts *o = d->o;
    if (!o->resume && !o->force && exists(jpath)) {
        snprintf(d->err, d->errlen, "%s holds an interrupted calibration: finish it with "
                 "--resume, or start again with --force", jpath);
        return 2;
    }
    long n = d->c->abc.budget;
    d->done = calloc((size_t)n, 1);
    if (!d->done) {
        snprintf(d->err, d->errlen, "out of memory");
        return 1;
    }
    char msg[1024];
    d->j = qm_journal_open(jpath, cal_key(d->c), n, (size_t)d->c->n_targets, o->resume,
                           d->done, msg, sizeof msg);
    if (!d->j) {
        if (strstr(msg, "different sweep"))
            snprintf(d->err, d->errlen, "%s is the journal of a different calibration (the "
                     "file or its base scenario changed since it was written); use --force to "
                     "start again", jpath);
        else
            snprintf(d->err, d->errlen, "%s", msg);
        return strstr(msg, "different sweep") ? 2 : 1;
    }
    return 0;
}

/* Runs the sampler to its end.  0, or an exit status. */
static int drive_all(drive *d)
{
    long first;
    size_t B = (size_t)d->c->abc.particles;
    d->theta = malloc(B * (size_t)d->c->n_params * sizeof *d->theta);
    d->vals = malloc(B * (size_t)d->c->n_targets * sizeof *d->vals);
    if (!d->theta || !d->vals) {
        snprintf(d->err, d->errlen, "out of memory");
        return 1;
    }
    for (int n; (n = qm_abc_next(d->a, d->theta, &first)) > 0;) {
        if (run_batch(d, n, first) != 0) {
            if (!d->failed)
                snprintf(d->err, d->errlen, "interrupted; the simulations done are kept in the "
                         "journal: run again with --resume to finish");
            return 1;
        }
        if (qm_abc_feed(d->a, d->vals, n) != 0) {
            snprintf(d->err, d->errlen, "out of memory");
            return 1;
        }
        show(d);
    }
    if (!qm_abc_posterior(d->a)) {
        snprintf(d->err, d->errlen, "no generation was completed: the budget of %ld simulations "
                 "ran out before %d particles were accepted (raise budget.simulations, or widen "
                 "the tolerances)", d->c->abc.budget, d->c->abc.particles);
        return 1;
    }
    return 0;
}

int qm_cal_run(const qm_cal *c, const qm_cal_opts *o, char *err, size_t errlen)
{
    qm_outfile *of = qm_outfile_begin(o->out, o->force, err, errlen);
    if (!of) {
        qm_cal_mpi_stop(o->mpi_size);
        return 2;
    }
    size_t n = strlen(o->out) + 16;
    char *jpath = malloc(n);
    drive d = {.c = c, .o = o, .err = err, .errlen = errlen, .t0 = now()};
    int rc = 1;
    if (!jpath) {
        snprintf(err, errlen, "out of memory");
        qm_outfile_discard(of);
        qm_cal_mpi_stop(o->mpi_size);
        return 1;
    }
    snprintf(jpath, n, "%s.journal", o->out);
    rc = open_journal(&d, jpath);
    if (rc == 0 && !(d.a = qm_abc_create(&c->abc))) {
        snprintf(err, errlen, "out of memory");
        rc = 1;
    }
    if (rc == 0)
        rc = drive_all(&d);
    qm_cal_mpi_stop(o->mpi_size);
    int writing = rc == 0;
    if (rc == 0 && qm_calresult_write(qm_outfile_temp(of), c, d.a, err, errlen) != 0)
        rc = 1;
    if (rc == 0)
        rc = qm_outfile_commit(of, err, errlen) != 0 ? 1 : 0;
    else
        qm_outfile_discard(of);
    if (writing && rc != 0) { /* the journal is kept below: say so */
        size_t k = strlen(err);
        snprintf(err + k, errlen - k, " (the simulations stay in %s: rerun with --resume)",
                 jpath);
    }
    qm_journal_close(d.j, rc == 0);
    qm_abc_free(d.a);
    free(d.done);
    free(d.theta);
    free(d.vals);
    free(jpath);
    return rc;
}
