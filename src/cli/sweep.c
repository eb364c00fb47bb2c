/* sweep.c: `qmsim sweep` (runs a sweep file's design on threads, one run
 * each, journalling every run so that --resume can finish it) and
 * `qmsim merge` (joins the shards of a sweep into one result). */
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <omp.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/sweep.h"
#include "qmsim/qmsim.h"

void qm_cli_print_errors(const qm_errors *err);

#define MAX_FAILURES_SHOWN 5
#define LOG_SECONDS 60.0     /* between progress lines when not on a terminal */

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

int sweep_interrupted(void)
{
    return stop_signal != 0;
}

static void sweep_usage(FILE *f)
{
    fprintf(f,
            "usage: qmsim sweep SWEEP.cfg -o RESULT.h5 [options]\n"
            "\n"
            "Runs every run of a sweep file's design (docs/sweeps.md) and writes one\n"
            "HDF5 result.  Completed runs go to RESULT.h5.journal as they finish, so\n"
            "an interrupted sweep can be finished with --resume.\n"
            "\n"
            "options:\n"
            "  -o, --output RESULT.h5  result file (required)\n"
            "  --threads N             runs at once, one thread each (default 1)\n"
            "  --resume                finish an interrupted sweep from its journal\n"
            "  --shard I/N             run only share I of N (0 <= I < N); join the\n"
            "                          shards with `qmsim merge`\n"
            "  --force                 replace an existing result or journal\n"
            "  --dry-run               check the sweep file and print its size only\n"
            "  -q, --quiet             no progress bar and no closing line\n"
            "  -h, --help              this help\n"
            "\n"
            "Built with -DQMSIM_MPI=ON, `mpirun -np N qmsim sweep ...` spreads the runs\n"
            "over ranks (docs/clusters.md).\n");
}

/* Returns 0, 1 for --help, or -1 on bad usage (message printed). */
static int parse_args(int argc, char **argv, sweep_opts *o)
{
    o->threads = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            return 1;
        if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
            o->quiet = 1;
        else if (!strcmp(a, "--force"))
            o->force = 1;
        else if (!strcmp(a, "--resume"))
            o->resume = 1;
        else if (!strcmp(a, "--dry-run"))
            o->dry_run = 1;
        else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!next) {
                fprintf(stderr, "qmsim sweep: %s needs a file name\n", a);
                return -1;
            }
            o->out = argv[++i];
        } else if (!strcmp(a, "--threads")) {
            if (qm_args_threads("sweep", a, next, &o->threads))
                return -1;
            i++;
        } else if (!strcmp(a, "--shard")) {
            const char *slash = next ? strchr(next, '/') : NULL;
            char buf[32];
            long long si, sn;
            if (!slash || (size_t)(slash - next) >= sizeof buf) {
                fprintf(stderr, "qmsim sweep: --shard expects I/N (e.g. 0/8), got '%s'\n",
                        next ? next : "");
                return -1;
            }
            snprintf(buf, sizeof buf, "%.*s", (int)(slash - next), next);
            if (qm_args_integer("sweep", "--shard's N", slash + 1, 1, 1000000, &sn)
                || qm_args_integer("sweep", "--shard's I", buf, 0, sn - 1, &si))
                return -1;
            o->shard_i = (int)si;
            o->shard_n = (int)sn;
            i++;
        } else if (a[0] == '-') {
            fprintf(stderr, "qmsim sweep: unknown option '%s' (try 'qmsim sweep --help')\n", a);
            return -1;
        } else if (o->file) {
            fprintf(stderr, "qmsim sweep: more than one sweep file given ('%s', '%s')\n",
                    o->file, a);
            return -1;
        } else
            o->file = a;
    }
    if (!o->file) {
        fprintf(stderr, "qmsim sweep: no sweep file given (usage: qmsim sweep SWEEP.cfg -o "
                "RESULT.h5)\n");
        return -1;
    }
    if (!o->out && !o->dry_run) {
        fprintf(stderr, "qmsim sweep: no result file given (-o RESULT.h5)\n");
        return -1;
    }
    if (o->resume && o->force) {
        fprintf(stderr, "qmsim sweep: --resume and --force contradict each other\n");
        return -1;
    }
    return 0;
}

int sweep_load(const sweep_opts *o, qm_sweep *sw, int loud)
{
    qm_errors *err = malloc(sizeof *err);
    if (!err) {
        fprintf(stderr, "qmsim sweep: out of memory\n");
        return 1;
    }
    int rc = qm_sweep_load(o->file, sw, err) != 0 ? 2 : 0;
    if (rc && loud)
        qm_cli_print_errors(err);
    free(err);
    return rc;
}

/* A bar redrawn at most ten times a second on a terminal; elsewhere (a
 * batch job's log) a line every LOG_SECONDS, unless quiet. */
static void progress(sweep_state *st, int last)
{
    if (!st->bar && (st->o->quiet || last))
        return;
    double t = qm_args_now();
    if (!last && t - st->shown < (st->bar ? 0.1 : LOG_SECONDS))
        return;
    st->shown = t;
    long done = st->n_done - st->n_resumed, left = st->total - st->n_done;
    double eta = done > 0 ? (t - st->t0) * (double)left / (double)done : 0.0;
    if (!st->bar) {
        fprintf(stderr, "qmsim sweep: %ld/%ld runs, %ld failed, ETA %.0f s\n", st->n_done,
                st->total, st->n_failed, eta);
        return;
    }
    int width = 30, fill = st->total > 0 ? (int)(width * st->n_done / st->total) : width;
    fprintf(stderr, "\r[%.*s%*s] %ld/%ld runs, %ld failed, ETA %.0f s ", fill,
            "##############################", width - fill, "", st->n_done, st->total,
            st->n_failed, eta);
    if (last)
        fputc('\n', stderr);
}

/* Fills the result arrays from a record. */
static void store(sweep_state *st, const qm_journal_rec *r)
{
    qm_result *res = &st->res;
    res->status[r->run] = r->status;
    res->wall[r->run] = r->wall;
    memcpy(res->outcomes + (size_t)r->run * (size_t)res->n_outcomes, r->values,
           (size_t)res->n_outcomes * sizeof(double));
    st->n_done++;
    st->n_failed += r->status != QM_RUN_OK;
}

int sweep_record(sweep_state *st, const qm_journal_rec *r, const char *msg)
{
    char err[512];
    if (r->status != QM_RUN_OK && st->failures_shown++ < MAX_FAILURES_SHOWN) {
        if (st->bar)
            fputc('\n', stderr);
        fprintf(stderr, "qmsim sweep: run %ld (point %ld, replicate %ld) failed: %s\n", r->run,
                r->run / st->sw.replications, r->run % st->sw.replications, msg ? msg : "");
    }
    if (qm_journal_append(st->jn, r, err, sizeof err) != 0) {
        if (!st->io_failed)
            fprintf(stderr, "\nqmsim sweep: %s\n", err);
        st->io_failed = 1;
        return -1;
    }
    st->done[r->run] = 1;
    store(st, r);
    progress(st, 0);
    return 0;
}

static void state_free(sweep_state *st, int remove_journal)
{
    qm_journal_close(st->jn, remove_journal);
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

static int in_shard(const sweep_opts *o, long j)
{
    return o->shard_n == 0 || j % o->shard_n == o->shard_i;
}

static int begin(sweep_state *st, const sweep_opts *o)
{
    char err[1024];
    qm_sweep *sw = &st->sw;
    st->o = o;
    size_t n = strlen(o->out) + 9;
    st->journal = malloc(n);
    st->done = calloc((size_t)sw->n_runs, 1);
    st->todo = malloc((size_t)sw->n_runs * sizeof *st->todo);
    st->nvalues = qm_sweep_record_values(sw);
    double *values = malloc((st->nvalues + 1) * sizeof *values);
    if (!st->journal || !st->done || !st->todo || !values
        || qm_result_from_sweep(sw, &st->res) != 0) {
        free(values);
        fprintf(stderr, "qmsim sweep: out of memory\n");
        return 1;
    }
    snprintf(st->journal, n, "%s.journal", o->out);
    st->res.shard_i = o->shard_i;
    st->res.shard_n = o->shard_n;
    int have_journal = access(st->journal, F_OK) == 0;
    if (!o->force && access(o->out, F_OK) == 0) {
        free(values);
        if (o->resume && !have_journal && same_result(o->out, &st->res)) {
            /* Finished earlier (a requeued job, say): nothing left to do. */
            st->already_complete = 1;
            return 0;
        }
        fprintf(stderr, "qmsim sweep: %s exists (use --force to replace it)\n", o->out);
        return 2;
    }
    if (have_journal && !o->resume && !o->force) {
        fprintf(stderr, "qmsim sweep: %s exists: an interrupted sweep; finish it with "
                "--resume or start again with --force\n", st->journal);
        free(values);
        return 2;
    }
    st->jn = qm_journal_open(st->journal, qm_sweep_key(sw, o->shard_i, o->shard_n), sw->n_runs,
                             st->nvalues, o->resume, st->done, err, sizeof err);
    if (!st->jn) {
        fprintf(stderr, "qmsim sweep: %s\n", err);
        free(values);
        return 2;
    }
    qm_journal_rec r = {.values = values};
    for (long j = 0; j < sw->n_runs; j++) {
        if (!in_shard(o, j))
            continue;
        st->total++;
        if (!st->done[j])
            st->todo[st->n_todo++] = j;
        else if (qm_journal_read(st->jn, j, &r) == 0)
            store(st, &r);
        else {
            fprintf(stderr, "qmsim sweep: cannot read run %ld back from %s\n", j, st->journal);
            free(values);
            return 1;
        }
    }
    free(values);
    st->n_resumed = st->n_done;
    if (o->resume && !o->quiet)
        fprintf(stderr, "qmsim sweep: resuming: %ld of %ld runs done, %ld to go\n", st->n_done,
                st->total, st->n_todo);
    st->bar = !o->quiet && isatty(STDERR_FILENO);
    st->t0 = st->shown = qm_args_now();
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    return 0;
}

int sweep_begin(sweep_state *st, const sweep_opts *o)
{
    int rc = begin(st, o);
    if (rc != 0)
        state_free(st, 0);
    return rc;
}

/* The saved series of run j, from the journal (NaN for runs not done). */
static int series_from_journal(void *ctx, long j, double *buf)
{
    sweep_state *st = ctx;
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


int sweep_end(sweep_state *st, int interrupted)
{
    char err[1024];
    const sweep_opts *o = st->o;
    if (st->already_complete) {
        if (!o->quiet)
            fprintf(stderr, "qmsim sweep: %s is already complete; nothing to do\n", o->out);
        state_free(st, 0);
        return 0;
    }
    progress(st, 1);
    if (st->io_failed) {
        state_free(st, 0);
        return 1;
    }
    if (interrupted || st->n_done < st->total) {
        char shard[64] = "";
        if (o->shard_n)
            snprintf(shard, sizeof shard, " --shard %d/%d", o->shard_i, o->shard_n);
        fprintf(stderr, "qmsim sweep: interrupted after %ld of %ld runs; finish with\n"
                "  qmsim sweep %s -o %s%s --resume\n", st->n_done, st->total, o->file, o->out,
                shard);
        state_free(st, 0);
        return 130;
    }
    double t = qm_args_now() - st->t0;
    if (qm_result_write(o->out, o->force, &st->res, series_from_journal, st, err,
                        sizeof err) != 0) {
        fprintf(stderr, "qmsim sweep: %s (the runs stay in %s: rerun with --resume)\n", err,
                st->journal);
        state_free(st, 0);
        return 1;
    }
    if (!o->quiet)
        fprintf(stderr, "qmsim: wrote %s (%ld runs%s, %ld failed, %.2f s)\n", o->out, st->total,
                o->shard_n ? " of this shard" : "", st->n_failed, t);
    state_free(st, 1);
    return 0;
}

static void dry_run(const qm_sweep *sw, const sweep_opts *o)
{
    printf("%s: valid sweep: %s design over %d factor%s, %ld points x %d replication%s = %ld "
           "runs",
           sw->file, qm_design_names[sw->design], sw->n_factors, sw->n_factors == 1 ? "" : "s",
           sw->n_points, sw->replications, sw->replications == 1 ? "" : "s", sw->n_runs);
    if (o->shard_n) {
        long mine = 0;
        for (long j = 0; j < sw->n_runs; j++)
            mine += j % o->shard_n == o->shard_i;
        printf(" (%ld in shard %d/%d)", mine, o->shard_i, o->shard_n);
    }
    printf("; base %s, seed %llu, %d outcome%s\n", sw->base_source, (unsigned long long)sw->seed,
           sw->n_outcomes, sw->n_outcomes == 1 ? "" : "s");
}

/* Runs the shard's remaining runs on o->threads threads, one run each. */
static int run_threads(sweep_state *st)
{
    const qm_sweep *sw = &st->sw;
    int T = st->o->threads;
    double *values = malloc((size_t)T * (st->nvalues + 1) * sizeof *values);
    if (!values) {
        fprintf(stderr, "qmsim sweep: out of memory\n");
        return -1;
    }
    volatile int stop = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(T)
    for (long i = 0; i < st->n_todo; i++) {
        if (stop || sweep_interrupted())
            continue;
        char msg[512] = "";
        double *v = values + (size_t)omp_get_thread_num() * (st->nvalues + 1);
        double t0 = qm_args_now();
        qm_journal_rec r = {.run = st->todo[i], .values = v};
        r.status = qm_sweep_run(sw, r.run, v, msg, sizeof msg);
        r.wall = qm_args_now() - t0;
#pragma omp critical(qm_sweep_record)
        {
            if (!stop && sweep_record(st, &r, msg) != 0)
                stop = 1;
        }
    }
    free(values);
    return 0;
}

int sweep_local(const sweep_opts *o)
{
    static sweep_state st;
    memset(&st, 0, sizeof st);
    int rc = sweep_load(o, &st.sw, 1);
    if (rc != 0)
        return rc;
    if (o->dry_run) {
        dry_run(&st.sw, o);
        qm_sweep_free(&st.sw);
        return 0;
    }
    rc = sweep_begin(&st, o);
    if (rc != 0)
        return rc;
    if (run_threads(&st) != 0) {
        state_free(&st, 0);
        return 1;
    }
    return sweep_end(&st, sweep_interrupted());
}

int qm_cli_sweep(int argc, char **argv)
{
    static sweep_opts o;
    memset(&o, 0, sizeof o);
    int a = parse_args(argc, argv, &o);
    if (a != 0) {
        if (a > 0)
            sweep_usage(stdout);
        return a > 0 ? 0 : 2;
    }
#ifdef QMSIM_HAVE_MPI
    if (sweep_mpi_launched())
        return sweep_mpi(&o);
#endif
    return sweep_local(&o);
}

/* ---- qmsim merge ---- */

typedef struct merge_src {
    int n;
    qm_result *shards;
    qm_result_series **series;
    int *owner;                /* per run: the shard it comes from */
} merge_src;

static int series_from_shards(void *ctx, long j, double *buf)
{
    merge_src *m = ctx;
    return qm_result_series_read(m->series[m->owner[j]], j, buf);
}

static int same_str(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

/* Whether b is a shard of the same sweep as a; else a message. */
static int same_sweep(const qm_result *a, const qm_result *b, char *why, size_t n)
{
    if (!same_str(a->sweep_text, b->sweep_text))
        snprintf(why, n, "its sweep file differs");
    else if (!same_str(a->base_resolved, b->base_resolved) || !same_str(a->base_source, b->base_source))
        snprintf(why, n, "its base scenario differs");
    else if (a->n_runs != b->n_runs || a->n_points != b->n_points
             || a->n_outcomes != b->n_outcomes || a->n_series != b->n_series
             || a->months != b->months || a->seed != b->seed)
        snprintf(why, n, "its design or outcomes differ");
    else {
        for (int s = 0; s < a->n_series; s++)
            if (!same_str(a->series_names[s], b->series_names[s])) {
                snprintf(why, n, "its saved series differ");
                return 0;
            }
        return 1;
    }
    return 0;
}

static int merge_usage(FILE *f, int rc)
{
    fprintf(f, "usage: qmsim merge RESULT.h5 SHARD.h5... [--force]\n"
               "\n"
               "Joins the shard files of one sweep (`qmsim sweep --shard I/N`) into the\n"
               "result an unsharded sweep gives.  Every run must be in some shard.\n"
               "\n"
               "  --force       replace an existing RESULT.h5\n"
               "  -h, --help    this help\n");
    return rc;
}

int qm_cli_merge(int argc, char **argv)
{
    const char *out = NULL;
    int force = 0, n = 0, rc = 2;
    char **in = calloc((size_t)argc, sizeof *in);
    char err[1024];
    if (!in)
        return 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            free(in);
            return merge_usage(stdout, 0);
        }
        if (!strcmp(argv[i], "--force"))
            force = 1;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "qmsim merge: unknown option '%s'\n", argv[i]);
            free(in);
            return 2;
        } else if (!out)
            out = argv[i];
        else
            in[n++] = argv[i];
    }
    if (!out || n == 0) {
        free(in);
        return merge_usage(stderr, 2);
    }
    merge_src m = {.n = n};
    m.shards = calloc((size_t)n, sizeof *m.shards);
    m.series = calloc((size_t)n, sizeof *m.series);
    qm_result merged;
    memset(&merged, 0, sizeof merged);
    if (!m.shards || !m.series)
        goto out;
    for (int i = 0; i < n; i++) {
        if (qm_result_read(in[i], &m.shards[i], err, sizeof err) != 0) {
            fprintf(stderr, "qmsim merge: %s: %s\n", in[i], err);
            goto out;
        }
        char why[128];
        if (i > 0 && !same_sweep(&m.shards[0], &m.shards[i], why, sizeof why)) {
            fprintf(stderr, "qmsim merge: %s is not a shard of the same sweep as %s: %s\n",
                    in[i], in[0], why);
            goto out;
        }
    }
    qm_result *r0 = &m.shards[0];
    long N = r0->n_runs, missing = 0, first_missing = -1;
    m.owner = malloc((size_t)N * sizeof *m.owner);
    if (!m.owner)
        goto out;
    for (long j = 0; j < N; j++) {
        m.owner[j] = -1;
        for (int i = 0; i < n && m.owner[j] < 0; i++)
            if (m.shards[i].status[j] != QM_RUN_MISSING)
                m.owner[j] = i;
        if (m.owner[j] < 0 && missing++ == 0)
            first_missing = j;
    }
    if (missing) {
        fprintf(stderr, "qmsim merge: %ld of %ld runs are in none of the files (the first is "
                "run %ld", missing, N, first_missing);
        if (r0->shard_n > 0)
            fprintf(stderr, ", of shard %ld/%d", first_missing % r0->shard_n, r0->shard_n);
        fprintf(stderr, "); give every shard\n");
        goto out;
    }
    /* The merged result: the first shard's header, every run's row. */
    merged = *r0;
    merged.shard_i = merged.shard_n = 0;
    merged.status = malloc((size_t)N * sizeof *merged.status);
    merged.wall = malloc((size_t)N * sizeof *merged.wall);
    merged.outcomes = malloc((size_t)N * (size_t)r0->n_outcomes * sizeof *merged.outcomes);
    if (!merged.status || !merged.wall || !merged.outcomes) {
        rc = 1;
        goto out;
    }
    for (long j = 0; j < N; j++) {
        const qm_result *s = &m.shards[m.owner[j]];
        merged.status[j] = s->status[j];
        merged.wall[j] = s->wall[j];
        memcpy(merged.outcomes + j * r0->n_outcomes, s->outcomes + j * r0->n_outcomes,
               (size_t)r0->n_outcomes * sizeof(double));
    }
    for (int i = 0; i < n && r0->n_series > 0; i++)
        if (!(m.series[i] = qm_result_series_open(in[i], &m.shards[i], err, sizeof err))) {
            fprintf(stderr, "qmsim merge: %s\n", err);
            rc = 1;
            goto out;
        }
    if (qm_result_write(out, force, &merged, series_from_shards, &m, err, sizeof err) != 0) {
        fprintf(stderr, "qmsim merge: %s\n", err);
        rc = access(out, F_OK) == 0 && !force ? 2 : 1;
        goto out;
    }
    fprintf(stderr, "qmsim: wrote %s (%ld runs from %d file%s)\n", out, N, n, n == 1 ? "" : "s");
    rc = 0;
out:
    free(merged.status);
    free(merged.wall);
    free(merged.outcomes);
    for (int i = 0; m.shards && i < n; i++) {
        qm_result_series_close(m.series ? m.series[i] : NULL);
        qm_result_free(&m.shards[i]);
    }
    free(m.shards);
    free(m.series);
    free(m.owner);
    free(in);
    return rc;
}
