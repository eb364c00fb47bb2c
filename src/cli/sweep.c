/* sweep.c: `qmsim sweep`: runs a sweep file's design with the sweep
 * runner (qmsim/runner.h) on threads, or over MPI ranks under mpirun, and
 * prints its progress, its failed runs and how it ended. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/print.h"
#include "qmsim/runner.h"

#define MAX_FAILURES_SHOWN 5
#define LOG_SECONDS 60.0     /* between progress lines when not on a terminal */

/* Command-line options of `qmsim sweep`. */
typedef struct sweep_opts {
    const char *file;          /* SWEEP.cfg */
    int threads;
    int quiet, dry_run;
    qm_runner_opts run;        /* RESULT.h5, --resume, --force, --shard */
} sweep_opts;

/* What is shown of a sweep in progress. */
typedef struct sweep_view {
    const sweep_opts *o;
    double t0, shown;          /* start and last redraw of the progress bar */
    int bar;                   /* draw a progress bar */
    int failures_shown;
} sweep_view;


/* --shard I/N.  0, or -1 after a message. */
static int parse_shard(const char *s, sweep_opts *o)
{
    const char *slash = s ? strchr(s, '/') : NULL;
    char buf[32];
    long long si, sn;
    if (!slash || (size_t)(slash - s) >= sizeof buf) {
        fprintf(stderr, "qmsim sweep: --shard expects I/N (e.g. 0/8), got '%s'\n", s ? s : "");
        return -1;
    }
    snprintf(buf, sizeof buf, "%.*s", (int)(slash - s), s);
    if (qm_args_integer("sweep", "--shard's N", slash + 1, 1, 1000000, &sn)
        || qm_args_integer("sweep", "--shard's I", buf, 0, sn - 1, &si))
        return -1;
    o->run.shard_i = (int)si;
    o->run.shard_n = (int)sn;
    return 0;
}

/* One option or argument (qm_args_fn). */
static int on_option(void *ctx, int id, const char *opt, const char *val, long long num)
{
    sweep_opts *o = ctx;
    switch (id) {
    case QM_O_SWEEP_QUIET: o->quiet = 1; return 0;
    case QM_O_SWEEP_FORCE: o->run.force = 1; return 0;
    case QM_O_SWEEP_RESUME: o->run.resume = 1; return 0;
    case QM_O_SWEEP_DRY_RUN: o->dry_run = 1; return 0;
    case QM_O_SWEEP_OUTPUT: o->run.out = val; return 0;
    case QM_O_SWEEP_THREADS: o->threads = (int)num; return 0;
    case QM_O_SWEEP_SHARD: return parse_shard(val, o);
    default: break;
    }
    if (o->file) {
        fprintf(stderr, "qmsim sweep: more than one sweep file given ('%s', '%s')\n", o->file,
                opt);
        return -1;
    }
    o->file = opt;
    return 0;
}

/* Returns 0, 1 for --help, or -1 on bad usage (message printed). */
static int parse_args(int argc, char **argv, sweep_opts *o)
{
    o->threads = 1;
    int a = qm_args_parse(&qm_options_sweep, argc, argv, on_option, o);
    if (a != 0)
        return a;
    if (!o->file) {
        fprintf(stderr, "qmsim sweep: no sweep file given (usage: qmsim sweep SWEEP.cfg -o "
                "RESULT.h5)\n");
        return -1;
    }
    if (!o->run.out && !o->dry_run) {
        fprintf(stderr, "qmsim sweep: no result file given (-o RESULT.h5)\n");
        return -1;
    }
    if (o->run.resume && o->run.force) {
        fprintf(stderr, "qmsim sweep: --resume and --force contradict each other\n");
        return -1;
    }
    return 0;
}

/* Loads the sweep and prints its problems (when loud); 0, or exit status. */
static int load(const sweep_opts *o, qm_sweep *sw, int loud)
{
    qm_errors *err = malloc(sizeof *err);
    if (!err) {
        fprintf(stderr, "qmsim sweep: out of memory\n");
        return 1;
    }
    int rc = qm_sweep_load(o->file, sw, err) != 0 ? 2 : 0;
    if (rc && loud)
        qm_print_errors(err);
    free(err);
    return rc;
}

/* A bar redrawn at most ten times a second on a terminal; elsewhere (a
 * batch job's log) a line every LOG_SECONDS, unless quiet. */
static void show_progress(sweep_view *v, const qm_runner *st, int last)
{
    if (!v->bar && (v->o->quiet || last))
        return;
    double t = qm_args_now();
    if (!last && t - v->shown < (v->bar ? 0.1 : LOG_SECONDS))
        return;
    v->shown = t;
    long done = st->n_done - st->n_resumed, left = st->total - st->n_done;
    double eta = done > 0 ? (t - v->t0) * (double)left / (double)done : 0.0;
    if (!v->bar) {
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

static void on_progress(void *ctx, const qm_runner *st)
{
    sweep_view *v = ctx;
    show_progress(v, st, 0);
}

static void on_failed(void *ctx, const qm_runner *st, const qm_journal_rec *r, const char *msg)
{
    sweep_view *v = ctx;
    if (v->failures_shown++ >= MAX_FAILURES_SHOWN)
        return;
    if (v->bar)
        fputc('\n', stderr);
    fprintf(stderr, "qmsim sweep: run %ld (point %ld, replicate %ld) failed: %s\n", r->run,
            r->run / st->sw.replications, r->run % st->sw.replications, msg ? msg : "");
}

/* Prepares the runner for the loaded sweep sw (taken over) and the view.
 * Returns 0 or an exit status, with a message printed. */
static int begin(qm_runner *st, qm_sweep *sw, const sweep_opts *o, sweep_view *v)
{
    char err[1024];
    int rc = qm_runner_begin(st, sw, &o->run, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "qmsim sweep: %s\n", err);
        return rc;
    }
    *v = (sweep_view){.o = o};
    if (st->already_complete)
        return 0;
    if (o->run.resume && !o->quiet)
        fprintf(stderr, "qmsim sweep: resuming: %ld of %ld runs done, %ld to go\n", st->n_done,
                st->total, st->n_todo);
    v->bar = !o->quiet && isatty(STDERR_FILENO);
    v->t0 = v->shown = qm_args_now();
    qm_args_catch_stop();
    return 0;
}

/* Writes the result (or reports an interruption) and releases st.
 * Returns the exit status. */
static int end(qm_runner *st, sweep_view *v)
{
    char err[1024];
    const sweep_opts *o = v->o;
    if (st->already_complete) {
        if (!o->quiet)
            fprintf(stderr, "qmsim sweep: %s is already complete; nothing to do\n", o->run.out);
        qm_runner_free(st, 0);
        return 0;
    }
    show_progress(v, st, 1);
    if (st->io_failed) {
        qm_runner_free(st, 0);
        return 1;
    }
    if (qm_args_stopped(NULL) || st->n_done < st->total) {
        char shard[64] = "";
        if (o->run.shard_n)
            snprintf(shard, sizeof shard, " --shard %d/%d", o->run.shard_i, o->run.shard_n);
        fprintf(stderr, "qmsim sweep: interrupted after %ld of %ld runs; finish with\n"
                "  qmsim sweep %s -o %s%s --resume\n", st->n_done, st->total, o->file,
                o->run.out, shard);
        qm_runner_free(st, 0);
        return 130;
    }
    double t = qm_args_now() - v->t0;
    if (qm_runner_write(st, err, sizeof err) != 0) {
        fprintf(stderr, "qmsim sweep: %s (the runs stay in %s: rerun with --resume)\n", err,
                st->journal);
        qm_runner_free(st, 0);
        return 1;
    }
    if (!o->quiet)
        fprintf(stderr, "qmsim: wrote %s (%ld runs%s, %ld failed, %.2f s)\n", o->run.out,
                st->total, o->run.shard_n ? " of this shard" : "", st->n_failed, t);
    qm_runner_free(st, 1);
    return 0;
}

static void dry_run(const qm_sweep *sw, const sweep_opts *o)
{
    printf("%s: valid sweep: %s design over %d factor%s, %ld points x %d replication%s = %ld "
           "runs",
           sw->file, qm_design_names[sw->design], sw->n_factors, sw->n_factors == 1 ? "" : "s",
           sw->n_points, sw->replications, sw->replications == 1 ? "" : "s", sw->n_runs);
    if (o->run.shard_n)
        printf(" (%ld in shard %d/%d)", qm_runner_shard_runs(sw, o->run.shard_i, o->run.shard_n),
               o->run.shard_i, o->run.shard_n);
    printf("; base %s, seed %llu, %d outcome%s", sw->base_source, (unsigned long long)sw->seed,
           sw->n_outcomes, sw->n_outcomes == 1 ? "" : "s");
    if (sw->n_reference)
        printf("; each run paired with its reference (%d override%s): outcomes are "
               "differences, two simulations a run", sw->n_reference,
               sw->n_reference == 1 ? "" : "s");
    printf("\n");
}

/* The whole sweep in this process, on o->threads threads. */
static int sweep_local(const sweep_opts *o)
{
    static qm_runner st;
    sweep_view v;
    qm_sweep sw;
    char err[1024];
    int rc = load(o, &sw, 1);
    if (rc != 0)
        return rc;
    if (o->dry_run) {
        dry_run(&sw, o);
        qm_sweep_free(&sw);
        return 0;
    }
    if ((rc = begin(&st, &sw, o, &v)) != 0)
        return rc;
    qm_runner_hooks h = {on_failed, on_progress, qm_args_stopped, &v};
    if (!st.already_complete && qm_runner_threads(&st, o->threads, &h, err, sizeof err) != 0) {
        if (!st.io_failed) {
            fprintf(stderr, "qmsim sweep: %s\n", err);
            qm_runner_free(&st, 0);
            return 1;
        }
        /* A new line only after a progress bar. */
        fprintf(stderr, "%sqmsim sweep: %s\n", v.bar ? "\n" : "", err);
    }
    return end(&st, &v);
}

/* Every rank but the first: the runs rank 0 hands out. */
static int mpi_worker(qm_sweep *sw)
{
    int rc = qm_runner_mpi_worker(sw);
    if (rc != 0) {
        fprintf(stderr, "qmsim sweep: out of memory\n");
        qm_runner_mpi_abort(1);
    }
    qm_sweep_free(sw);
    return rc;
}

/* Rank 0 of size: the queue, the journal and the result. */
static int mpi_master(qm_runner *st, int size, sweep_view *v)
{
    char err[1024];
    const sweep_opts *o = v->o;
    if (!o->quiet)
        fprintf(stderr, "qmsim sweep: %ld runs to do on %d worker rank%s\n", st->n_todo,
                size - 1, size == 2 ? "" : "s");
    qm_runner_hooks h = {on_failed, on_progress, qm_args_stopped, v};
    if (qm_runner_mpi_master(st, size, &h, err, sizeof err) != 0) {
        if (!strcmp(err, "out of memory")) {
            fprintf(stderr, "qmsim sweep: %s\n", err);
            qm_runner_mpi_abort(1);
        }
        fprintf(stderr, "%sqmsim sweep: %s\n", st->io_failed && v->bar ? "\n" : "", err);
    }
    return end(st, v);
}

/* The whole sweep under MPI: rank 0 hands out runs and writes the result. */
static int sweep_mpi(const sweep_opts *o)
{
    int rank = 0, size = 1, rc;
    static qm_runner st;
    sweep_view v = {.o = o};
    qm_sweep sw;
    memset(&sw, 0, sizeof sw);
    qm_runner_mpi_init(&rank, &size);
    /* Every rank reads the sweep; any rank that cannot stops them all. */
    rc = load(o, &sw, rank == 0);
    int worst = qm_runner_mpi_max(rc);
    if (worst != 0 || o->dry_run || size == 1) {
        if (worst != 0 && rc == 0 && rank == 0)
            fprintf(stderr, "qmsim sweep: another rank could not read %s (is it on a file "
                    "system every node sees?)\n", o->file);
        if (worst == 0 && rank == 0 && o->dry_run)
            printf("%s: valid sweep: %ld runs over %d rank%s\n", o->file, sw.n_runs, size,
                   size == 1 ? "" : "s");
        int single = worst == 0 && !o->dry_run && size == 1;
        qm_sweep_free(&sw);
        rc = single ? sweep_local(o) : 0;   /* one rank: the ordinary threaded sweep */
        qm_runner_mpi_finalize();
        return worst != 0 ? worst : rc;
    }
    if (rank == 0) {
        if (o->threads > 1 && !o->quiet)
            fprintf(stderr, "qmsim sweep: under MPI each rank does one run at a time; "
                    "--threads is ignored\n");
        rc = begin(&st, &sw, o, &v);   /* frees the sweep when it fails */
    }
    rc = qm_runner_mpi_share(rc);
    if (rc != 0) {
        if (rank != 0)
            qm_sweep_free(&sw);
        qm_runner_mpi_finalize();
        return rc;
    }
    rc = rank == 0 ? mpi_master(&st, size, &v) : mpi_worker(&sw);
    qm_runner_mpi_finalize();
    return rc;
}

int qm_cli_sweep(int argc, char **argv)
{
    static sweep_opts o;
    memset(&o, 0, sizeof o);
    int a = parse_args(argc, argv, &o);
    if (a != 0) {
        if (a > 0)
            qm_args_help(&qm_options_sweep, stdout);
        return a > 0 ? 0 : 2;
    }
    if (qm_runner_mpi_launched())
        return sweep_mpi(&o);
    return sweep_local(&o);
}
