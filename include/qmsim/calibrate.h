/* calibrate.h: calibrating a scenario by approximate Bayesian computation
 * (src/calibrate, docs/calibration.md): the calibration file, the
 * simulator that turns a particle into target values, the driver that
 * runs the ABC sampler (qmsim/abc.h) on threads with a journal, and the
 * result file (its writer and its reader).
 *
 * A layer above sweep and compare: the parameters use the sweep file's
 * factor syntax and checks, the targets are the comparison's outcomes. */
#ifndef QMSIM_CALIBRATE_H
#define QMSIM_CALIBRATE_H

#include <stddef.h>
#include <stdint.h>

#include "qmsim/abc.h"
#include "qmsim/comparison.h"
#include "qmsim/scenario.h"
#include "qmsim/sweep.h"

/* One parameter to estimate: a scenario path with a prior. */
typedef struct qm_cal_param {
    qm_factor f;             /* name, path, range [min, max], integer; checked as a
                                sweep factor against the base scenario */
    int line;
} qm_cal_param;

/* One target: an outcome of the comparison with its observed value and
 * tolerance, or a band. */
typedef struct qm_cal_target {
    qm_cmp_outcome out;      /* what is measured (out.name is its name) */
    int line;
} qm_cal_target;

/* A calibration file, read and checked. */
typedef struct qm_cal {
    char *file, *text;       /* file name as given, its text */
    char *base;              /* base as written */
    char *base_source;       /* resolved: a path, or "builtin:baseline" */
    char *base_text;
    char *base_resolved;     /* base with `set` applied, every default written */
    int n_sets;
    char **sets;             /* fixed overrides */
    int months;              /* horizon of every simulation */
    int replications;        /* simulations averaged per particle */
    int n_params;
    qm_cal_param *params;    /* the prior of parameter j is abc.prior[j] */
    int n_targets;
    qm_cal_target *targets;  /* target t is abc.target[t] */
    qm_abc_config abc;       /* method, priors, targets, seed, budget */
} qm_cal;

/* Reads and checks a calibration file: every problem goes to err as
 * "FILE:LINE: message" (unknown keys with the nearest valid one).
 * Returns 0 and fills *out (free with qm_cal_free), or the number of
 * problems, leaving *out empty. */
int qm_cal_load(const char *path, qm_cal *out, qm_errors *err);

/* As qm_cal_load from text; dir is where a relative base is looked for;
 * base_text, when not NULL, is the base scenario's text (as stored in a
 * result file), with base_source as its name. */
int qm_cal_load_text(const char *text, const char *name, const char *dir,
                     const char *base_text, const char *base_source, qm_cal *out,
                     qm_errors *err);

/* Releases what c owns.  Safe on a zeroed struct. */
void qm_cal_free(qm_cal *c);

/* The override "path=value" that sets parameter j to x, into buf. */
void qm_cal_override(const qm_cal *c, int j, double x, char *buf, size_t n);

/* Loads the base scenario with the fixed overrides and the parameters at
 * theta (NULL: the base alone).  Returns 0, or -1 with a message. */
int qm_cal_scenario(const qm_cal *c, const double *theta, qm_scenario *sc, char *err,
                    size_t errlen);

/* The simulator of qm_abc_run for a calibration (ctx is the qm_cal):
 * runs the scenario at theta `replications` times, replicate
 * key * replications + r with the calibration's seed, and writes the mean
 * of each target's outcome over them.  0, or -1 for a failed simulation.
 * Thread-safe. */
int qm_cal_simulate(void *ctx, const double *theta, long key, double *values);

/* ---- The driver (src/calibrate/driver.c) ---- */

/* What the driver shows while it runs: called after each batch. */
typedef struct qm_cal_progress {
    int generation;          /* being filled */
    int accepted, particles; /* in it so far, of */
    double tolerance;        /* its tolerance */
    double acceptance;       /* accepted over attempts in it so far */
    long simulations;        /* all generations */
    long budget;             /* 0: none */
    long resumed;            /* simulations replayed from the journal */
    double seconds;          /* since the start */
} qm_cal_progress;

typedef void (*qm_cal_progress_fn)(void *ctx, const qm_cal_progress *p);

/* Options of a calibration run. */
typedef struct qm_cal_opts {
    const char *out;         /* result file; the journal is OUT.journal */
    int threads;
    int resume;              /* go on from the journal */
    int force;               /* replace an existing result or journal */
    qm_cal_progress_fn progress;
    void *ctx;
    int (*interrupted)(void *ctx);  /* polled between batches; NULL: never */
} qm_cal_opts;

/* Runs the calibration to its end and writes the result.  Simulations go
 * to OUT.journal as they finish, so that a killed run resumed with
 * opts->resume gives the same result as one never interrupted.  Returns
 * 0, 1 on a runtime failure or an interruption (the journal kept), 2 on
 * bad input (an existing result without force, a journal of another
 * calibration), with a message in err. */
int qm_cal_run(const qm_cal *c, const qm_cal_opts *o, char *err, size_t errlen);

/* ---- The result file (calresult.c, calread.c; docs/calibration.md) ---- */

/* Writes the sampler's generations and the posterior summary to path
 * (path.partial renamed when whole; an existing path is an error unless
 * force).  Returns 0, or -1 with a message (nothing left behind). */
int qm_calresult_write(const char *path, int force, const qm_cal *c, const qm_abc *a,
                       char *err, size_t errlen);

/* A calibration result read back. */
typedef struct qm_calresult {
    char *version, *cal_file, *cal_text, *base_source, *base_text, *generator, *stop;
    char *algorithm;
    uint64_t seed;
    int n_params, n_targets, n_gens;
    char **param_names, **param_paths, **target_names;
    double *observed, *tolerance, *band_lo, *band_hi;   /* n_targets; NaN when n/a */
    int *is_band;
    double *gen_tolerance, *gen_acceptance, *gen_ess;   /* n_gens */
    long *gen_simulations;
    int *gen_n;                                         /* particles of each */
    double **theta, **weight, **distance, **values;     /* per generation */
    double *mean, *median, *lo, *hi, *sd;               /* posterior, n_params */
    double *corr;                                       /* n_params x n_params */
} qm_calresult;

/* Reads a calibration result.  Returns 0, or -1 with a message (not a
 * calibration result, incomplete, unreadable). */
int qm_calresult_read(const char *path, qm_calresult *r, char *err, size_t errlen);

/* Releases what r owns.  Safe on a zeroed struct. */
void qm_calresult_free(qm_calresult *r);

/* The posterior of r: its last generation, or NULL. */
int qm_calresult_last(const qm_calresult *r);

#endif
