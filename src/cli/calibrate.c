/* calibrate.c: `qmsim calibrate`: runs a calibration file (the driver of
 * src/calibrate) with a progress line and prints the posterior; --dry-run
 * prints its plan; --export-scenario writes the scenario at the posterior
 * median or a particle of a result. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/print.h"
#include "qmsim/calibrate.h"
#include "qmsim/outfile.h"
#include "qmsim/runner.h"

#define LOG_SECONDS 60.0     /* between progress lines when not on a terminal */

typedef struct cal_opts {
    const char *file;        /* CAL.cfg, or CAL.h5 with --export-scenario */
    const char *export_to;
    long long particle;      /* -1: the median */
    int quiet, dry_run;
    qm_cal_opts run;
} cal_opts;

typedef struct cal_view {
    int bar;
    double shown;
} cal_view;


static int on_option(void *ctx, int id, const char *opt, const char *val, long long num)
{
    cal_opts *o = ctx;
    switch (id) {
    case QM_O_CAL_OUTPUT: o->run.out = val; return 0;
    case QM_O_CAL_THREADS: o->run.threads = (int)num; return 0;
    case QM_O_CAL_RESUME: o->run.resume = 1; return 0;
    case QM_O_CAL_FORCE: o->run.force = 1; return 0;
    case QM_O_CAL_DRY_RUN: o->dry_run = 1; return 0;
    case QM_O_CAL_EXPORT: o->export_to = val; return 0;
    case QM_O_CAL_PARTICLE: o->particle = num; return 0;
    case QM_O_CAL_QUIET: o->quiet = 1; return 0;
    default: break;
    }
    if (o->file) {
        fprintf(stderr, "qmsim calibrate: more than one file given ('%s', '%s')\n", o->file, opt);
        return -1;
    }
    o->file = opt;
    return 0;
}

/* 0, 1 for --help, -1 on bad usage (message printed). */
static int parse_args(int argc, char **argv, cal_opts *o)
{
    o->run.threads = 1;
    o->particle = -1;
    int a = qm_args_parse(&qm_options_calibrate, argc, argv, on_option, o);
    if (a != 0)
        return a;
    const char *why = NULL;
    if (!o->file)
        why = "no calibration file given (usage: qmsim calibrate CAL.cfg -o CAL.h5)";
    else if (o->export_to && (o->run.out || o->dry_run || o->run.resume))
        why = "--export-scenario reads a result; it takes no -o, --dry-run or --resume";
    else if (!o->export_to && o->particle >= 0)
        why = "--particle applies to --export-scenario only";
    else if (!o->export_to && !o->run.out && !o->dry_run)
        why = "no result file given (-o CAL.h5)";
    else if (o->run.resume && o->run.force)
        why = "--resume and --force contradict each other";
    if (why) {
        fprintf(stderr, "qmsim calibrate: %s\n", why);
        return -1;
    }
    return 0;
}

/* A progress line: on a terminal redrawn at most ten times a second;
 * elsewhere one line every LOG_SECONDS. */
static void on_progress(void *ctx, const qm_cal_progress *p)
{
    cal_view *v = ctx;
    double t = qm_args_now();
    if (t - v->shown < (v->bar ? 0.1 : LOG_SECONDS))
        return;
    v->shown = t;
    long run = p->simulations - p->resumed;
    double per_sim = run > 0 ? p->seconds / (double)run : 0.0;
    double eta = p->acceptance > 0.0 ? (p->particles - p->accepted) / p->acceptance * per_sim : NAN;
    char eta_s[48] = "ETA of this generation unknown";
    if (isfinite(eta))
        snprintf(eta_s, sizeof eta_s, "ETA of this generation %.0f s", eta);
    fprintf(stderr, "%sqmsim calibrate: generation %d, %d/%d accepted, acceptance %.1f %%, "
            "tolerance %.3g, %ld/%ld simulations, %s%s", v->bar ? "\r" : "", p->generation,
            p->accepted, p->particles, 100.0 * p->acceptance, p->tolerance, p->simulations,
            p->budget, eta_s, v->bar ? "   " : "\n");
}

/* Loads the calibration file, printing its problems.  0 or exit status. */
static int load(const char *file, qm_cal *c)
{
    qm_errors *err = malloc(sizeof *err);
    if (!err) {
        fprintf(stderr, "qmsim calibrate: out of memory\n");
        return 1;
    }
    int rc = qm_cal_load(file, c, err) != 0 ? 2 : 0;
    if (rc)
        qm_print_errors(err);
    free(err);
    return rc;
}

/* As load, printing nothing (the other ranks of an MPI run). */
static int quiet_load(const char *file, qm_cal *c)
{
    qm_errors *err = malloc(sizeof *err);
    int rc = !err ? 1 : qm_cal_load(file, c, err) != 0 ? 2 : 0;
    free(err);
    return rc;
}

static void print_prior(const qm_cal *c, int j)
{
    /* as a calibration file names them (calfile.c), by qm_prior_kind */
    static const char *const words[] = {"uniform", "log_uniform", "normal", "beta"};
    const qm_prior *p = &c->abc.prior[j];
    printf("  %-36s %-11s [%g, %g]", c->params[j].f.name, words[p->kind], p->lo, p->hi);
    if (p->kind == QM_PRIOR_NORMAL)
        printf(" mean %g sd %g", p->a, p->b);
    else if (p->kind == QM_PRIOR_BETA)
        printf(" shape [%g, %g]", p->a, p->b);
    printf("\n");
}

/* --dry-run: what would run. */
static int print_plan(const qm_cal *c)
{
    const qm_abc_config *a = &c->abc;
    printf("%s: valid\n", c->file);
    printf("base: %s (%d months)\n", c->base_source, c->months);
    printf("algorithm: %s, %d %s, %d replication%s each, seed %llu\n",
           qm_abc_method_names[a->method], a->particles,
           a->method == QM_ABC_SMC ? "particles a generation" : "samples",
           c->replications, c->replications == 1 ? "" : "s", (unsigned long long)a->seed);
    if (a->method == QM_ABC_SMC)
        printf("budget: at most %ld simulations, %d generations; stops at tolerance %g or "
               "acceptance below %g\n", a->budget, a->max_generations, a->min_tolerance,
               a->min_acceptance);
    else
        printf("budget: %d simulations; accepts distance <= %g\n", a->particles, a->tolerance);
    printf("parameters (%d):\n", c->n_params);
    for (int j = 0; j < c->n_params; j++)
        print_prior(c, j);
    printf("targets (%d):\n", c->n_targets);
    for (int t = 0; t < c->n_targets; t++) {
        const qm_abc_target *T = &a->target[t];
        const qm_cal_target *C = &c->targets[t];
        if (T->band)
            printf("  %-36s band [%g, %g]\n", C->label, T->lo, T->hi);
        else
            printf("  %-36s observed %g, tolerance %g\n", C->label, T->value, T->tol);
        if (C->relation == QM_CAL_REL_COST_SHARE)
            printf("  %-36s added tc_total of %s over its saving in spend_year against %s "
                   "(means of the paired differences)\n", "", c->scen[C->scenario_entry].name,
                   c->scen[C->relative_entry].name);
        else if (C->relation != QM_CAL_REL_NONE)
            printf("  %-36s %s of %s against %s, replicate by replicate\n", "",
                   qm_cal_relation_names[C->relation],
                   c->scen[C->scenario_entry].name, c->scen[C->relative_entry].name);
    }
    int runs = 0;
    for (int s = 0; s < c->n_scen; s++)
        runs += c->scen[s].used;
    if (c->n_scen > 1) {
        printf("scenarios (%d run for each replicate, the same replicates):\n", runs);
        for (int s = 0; s < c->n_scen; s++) {
            int as = c->scen[s].run_as;
            if (as != s)
                printf("  %-36s the same scenario as %s\n", c->scen[s].name, c->scen[as].name);
            else
                printf("  %-36s %s (%d months)\n", c->scen[s].name, c->scen[s].source,
                       c->scen[s].months);
        }
    }
    printf("model runs: at most %ld (simulations x replications%s)\n",
           (a->method == QM_ABC_SMC ? a->budget : a->particles) * (long)c->replications
           * (long)(runs > 0 ? runs : 1), runs > 1 ? " x scenarios" : "");
    return 0;
}

/* The posterior table after a run. */
static int print_result(const char *path)
{
    qm_calresult r;
    char err[1024];
    if (qm_calresult_read(path, &r, err, sizeof err) != 0) {
        fprintf(stderr, "qmsim calibrate: %s\n", err);
        return 1;
    }
    int g = qm_calresult_last(&r);
    printf("%s: %d generation%s, %s; last tolerance %.3g, acceptance %.1f %%, ESS %.0f\n", path,
           r.n_gens, r.n_gens == 1 ? "" : "s", r.stop, r.gen_tolerance[g],
           100 * r.gen_acceptance[g], r.gen_ess[g]);
    printf("%-36s %12s %12s %12s %12s\n", "parameter", "mean", "median", "5 %", "95 %");
    for (int j = 0; j < r.n_params; j++)
        printf("%-36s %12.5g %12.5g %12.5g %12.5g\n", r.param_names[j], r.mean[j], r.median[j],
               r.lo[j], r.hi[j]);
    qm_calresult_free(&r);
    return 0;
}

/* Runs the loaded calibration c (rank 0 of mpi_size ranks, or alone) and
 * prints the posterior.  The exit status. */
static int run_loaded(cal_opts *o, qm_cal *c, int mpi_size)
{
    cal_view v = {.bar = !o->quiet && isatty(STDERR_FILENO)};
    if (!o->quiet) {
        o->run.progress = on_progress;
        o->run.ctx = &v;
    }
    o->run.interrupted = qm_args_stopped;
    o->run.mpi_size = mpi_size;
    qm_args_catch_stop();
    char err[1024];
    int rc = qm_cal_run(c, &o->run, err, sizeof err);
    if (v.bar)
        fputc('\n', stderr);
    if (rc != 0)
        fprintf(stderr, "qmsim calibrate: %s\n", err);
    else if (!o->quiet)
        rc = print_result(o->run.out);
    return rc;
}

/* Under mpirun: every rank reads the file; rank 0 runs the sampler and
 * hands simulations to the others (docs/clusters.md).  The exit status. */
static int calibrate_mpi(cal_opts *o)
{
    int rank = 0, size = 1;
    qm_cal c;
    qm_runner_mpi_init(&rank, &size);
    int rc = rank == 0 ? load(o->file, &c) : (quiet_load(o->file, &c));
    int worst = qm_runner_mpi_max(rc);
    if (worst != 0) {
        if (rc == 0)
            qm_cal_free(&c);
        if (rank == 0 && rc == 0)
            fprintf(stderr, "qmsim calibrate: another rank could not read %s (is it on a file "
                    "system every node sees?)\n", o->file);
        qm_runner_mpi_finalize();
        return worst;
    }
    if (rank == 0)
        rc = o->dry_run ? print_plan(&c) : run_loaded(o, &c, size);
    else if (!o->dry_run && qm_cal_mpi_worker(&c) != 0) {
        fprintf(stderr, "qmsim calibrate: out of memory\n");
        qm_runner_mpi_abort(1);
    }
    qm_cal_free(&c);
    rc = qm_runner_mpi_share(rc);
    qm_runner_mpi_finalize();
    return rc;
}

static int run_calibration(cal_opts *o)
{
    qm_cal c;
    if (qm_runner_mpi_launched())
        return calibrate_mpi(o);
    int rc = load(o->file, &c);
    if (rc != 0)
        return rc;
    if (o->dry_run) {
        rc = print_plan(&c);
        qm_cal_free(&c);
        return rc;
    }
    rc = run_loaded(o, &c, 1);
    qm_cal_free(&c);
    return rc;
}

/* Writes text to path through qmsim/outfile.h.  0, or an exit status
 * after a message. */
static int write_text(const char *path, const char *text, int force)
{
    char err[1024];
    qm_outfile *of = qm_outfile_begin(path, force, err, sizeof err);
    if (!of) {
        fprintf(stderr, "qmsim calibrate: %s\n", err);
        return 2;
    }
    FILE *f = fopen(qm_outfile_temp(of), "w");
    int bad = !f || fputs(text, f) == EOF;
    bad |= f && fclose(f) != 0;
    if (bad) {
        fprintf(stderr, "qmsim calibrate: cannot write %s: %s\n", path, strerror(errno));
        qm_outfile_discard(of);
        return 1;
    }
    if (qm_outfile_commit(of, err, sizeof err) != 0) {
        fprintf(stderr, "qmsim calibrate: %s\n", err);
        return 1;
    }
    return 0;
}

/* --export-scenario: the scenario at the posterior median or a particle. */
static int export_scenario(const cal_opts *o)
{
    qm_calresult r;
    qm_cal c;
    qm_scenario sc;
    char err[1024];
    qm_errors *e = malloc(sizeof *e);
    int rc = 1;
    if (!e || qm_calresult_read(o->file, &r, err, sizeof err) != 0) {
        fprintf(stderr, "qmsim calibrate: %s\n", e ? err : "out of memory");
        free(e);
        return 1;
    }
    int g = qm_calresult_last(&r);
    const double *theta = r.median;
    if (o->particle >= r.gen_n[g]) {
        fprintf(stderr, "qmsim calibrate: --particle %lld: the last generation has particles 0 "
                "to %d\n", o->particle, r.gen_n[g] - 1);
        rc = 2;
        goto done;
    }
    if (o->particle >= 0)
        theta = &r.theta[g][(size_t)o->particle * (size_t)r.n_params];
    if (qm_cal_load_result(&r, o->file, &c, e) != 0) {
        fprintf(stderr, "qmsim calibrate: %s: the calibration it records cannot be read: %s\n",
                o->file, e->msg[0]);
        goto done;
    }
    if (qm_cal_scenario(&c, theta, &sc, err, sizeof err) == 0) {
        char *text = qm_scenario_resolved_text(&sc);
        rc = text ? write_text(o->export_to, text, o->run.force) : 1;
        if (rc == 0 && !o->quiet)
            fprintf(stderr, "qmsim calibrate: wrote %s (%s)\n", o->export_to,
                    o->particle >= 0 ? "a particle of the posterior" : "the posterior median");
        free(text);
        qm_scenario_free(&sc);
    } else {
        fprintf(stderr, "qmsim calibrate: %s\n", err);
    }
    qm_cal_free(&c);
done:
    qm_calresult_free(&r);
    free(e);
    return rc;
}

int qm_cli_calibrate(int argc, char **argv)
{
    cal_opts o = {0};
    int a = parse_args(argc, argv, &o);
    if (a != 0) {
        if (a > 0)
            qm_args_help(&qm_options_calibrate, stdout);
        return a > 0 ? 0 : 2;
    }
    return o.export_to ? export_scenario(&o) : run_calibration(&o);
}
