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

/* How a target measures its scenario against another (docs/calibration.md),
 * replicate by replicate with common random numbers. */
typedef enum {
    QM_CAL_REL_NONE = 0,     /* the outcome of the target's scenario itself */
    QM_CAL_REL_DIFFERENCE,   /* outcome(scenario) - outcome(relative_to) */
    QM_CAL_REL_RATIO,        /* outcome(scenario) / outcome(relative_to); NaN when the
                                reference is 0 */
    QM_CAL_REL_COST_SHARE,   /* (tc_total(scenario) - tc_total(relative_to)) /
                                (spend_year(relative_to) - spend_year(scenario)), each
                                difference paired by replicate and averaged before the
                                share is taken; NaN when the mean saving is not above 0
                                (MODEL.md 1, P7) */
    QM_CAL_REL_N
} qm_cal_relation;

/* The words of a calibration file's relation, by qm_cal_relation ("" for
 * none), NULL-terminated after the last. */
extern const char *const qm_cal_relation_names[QM_CAL_REL_N + 1];

#define QM_CAL_LABEL_MAX 384 /* a target's label, with the NUL */

/* One target: an outcome of the comparison with its observed value and
 * tolerance, or a band, measured on a scenario of the calibration alone or
 * against another. */
typedef struct qm_cal_target {
    qm_cmp_outcome out;      /* what is measured (tc_total for a cost share) */
    qm_cmp_outcome spend;    /* a cost share's spend_year; unused otherwise */
    int scenario;            /* index in qm_cal.scen of the scenario measured (the one
                                that runs) */
    int relative_to;         /* index of the reference, or -1 */
    int scenario_entry;      /* the entries of qm_cal.scen as written (the scenario */
    int relative_entry;      /* as written may run as another); -1 when absent */
    int relation;            /* qm_cal_relation */
    char label[QM_CAL_LABEL_MAX]; /* as shown and stored: the outcome, and for another
                                scenario "OUTCOME [S]", "OUTCOME [S - R]", "OUTCOME [S / R]"
                                or "cost_share_of_savings [S vs R]" */
    int line;
    int scenario_line;       /* of its scenario key (its own line when absent) */
} qm_cal_target;

/* A scenario a calibration runs: scen[0] is the base; the others are
 * those the targets name, each loaded with `set` and the particle's
 * parameters. */
typedef struct qm_cal_scen {
    char *name;              /* as written ("base" for the base) */
    char *source;            /* resolved: a path, or "builtin:baseline" */
    char *text;
    int months;              /* horizon with `set` applied */
    int run_as;              /* the scenario that runs for it: itself, or an earlier one
                                with the same source and text */
    int used;                /* a target measures it (set on the one that runs) */
} qm_cal_scen;

/* Scenario texts recorded in a result file: reading its calibration again
 * uses them instead of looking for the files (which may have moved). */
typedef struct qm_cal_stored {
    const char *base_text, *base_source;
    int n;                   /* further scenarios, by the name written in the file */
    char *const *names, *const *sources, *const *texts;
} qm_cal_stored;

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
    int n_scen;
    qm_cal_scen *scen;       /* scen[0] the base, then the targets' other scenarios */
    qm_abc_config abc;       /* method, priors, targets, seed, budget */
} qm_cal;

/* Reads and checks a calibration file: every problem goes to err as
 * "FILE:LINE: message" (unknown keys with the nearest valid one).
 * Returns 0 and fills *out (free with qm_cal_free), or the number of
 * problems, leaving *out empty. */
int qm_cal_load(const char *path, qm_cal *out, qm_errors *err);

/* As qm_cal_load from text; dir is where a relative scenario is looked
 * for; stored, when not NULL, gives the scenarios' texts (as a result
 * file records them) instead of looking for them. */
int qm_cal_load_text(const char *text, const char *name, const char *dir,
                     const qm_cal_stored *stored, qm_cal *out, qm_errors *err);

/* Releases what c owns.  Safe on a zeroed struct. */
void qm_cal_free(qm_cal *c);

/* The override "path=value" that sets parameter j to x, into buf. */
void qm_cal_override(const qm_cal *c, int j, double x, char *buf, size_t n);

/* Loads the base scenario with the fixed overrides and the parameters at
 * theta (NULL: the base alone).  Returns 0, or -1 with a message. */
int qm_cal_scenario(const qm_cal *c, const double *theta, qm_scenario *sc, char *err,
                    size_t errlen);

/* As qm_cal_scenario for scenario s of c->scen (0 is the base). */
int qm_cal_scenario_of(const qm_cal *c, int s, const double *theta, qm_scenario *sc, char *err,
                       size_t errlen);

/* The simulator of qm_abc_run for a calibration (ctx is the qm_cal):
 * runs each scenario the targets measure at theta `replications` times,
 * replicate key * replications + r with the calibration's seed (the same
 * replicate for every scenario, so that comparisons are paired), and
 * writes the mean over the replicates of each target's value (its outcome,
 * or its relation between two scenarios' outcomes) where it exists.  Each
 * scenario is loaded once a call.  0, or -1 for a failed simulation.
 * Thread-safe; a pure function of (theta, key). */
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
    int (*interrupted)(void *ctx);  /* polled between simulations; NULL: never */
    int mpi_size;            /* > 1: this is rank 0 of an MPI run of that many ranks,
                                and ranks 1.. simulate (qm_cal_mpi_worker) */
} qm_cal_opts;

/* Runs the calibration to its end and writes the result through
 * qmsim/outfile.h (checked and locked before any simulation, a temporary
 * file fsynced and renamed when whole).  Simulations go to OUT.journal as
 * they finish, so that a killed run resumed with
 * opts->resume gives the same result as one never interrupted.  Returns
 * 0, 1 on a runtime failure or an interruption (the journal kept), 2 on
 * bad input (an existing result without force, a journal of another
 * calibration), with a message in err. */
int qm_cal_run(const qm_cal *c, const qm_cal_opts *o, char *err, size_t errlen);

/* Ranks 1..N-1 of an MPI run (a -DQMSIM_MPI=ON build): simulates what
 * rank 0's qm_cal_run hands out until it says the calibration is over.
 * Returns 0, or -1 when out of memory (or in a build without MPI). */
int qm_cal_mpi_worker(const qm_cal *c);

/* ---- The result file (calresult.c, calread.c; docs/calibration.md) ---- */

/* Writes the sampler's generations and the posterior summary to path, a
 * new file (the temporary name qm_outfile_temp gives; the caller commits
 * it).  Returns 0, or -1 with a message. */
int qm_calresult_write(const char *path, const qm_cal *c, const qm_abc *a, char *err,
                       size_t errlen);

/* A calibration result read back. */
typedef struct qm_calresult {
    char *version, *cal_file, *cal_text, *base_source, *base_text, *generator, *stop;
    char *algorithm;
    uint64_t seed;
    int n_params, n_targets, n_gens;
    char **param_names, **param_paths, **target_names;
    char **target_outcomes, **target_scenarios;         /* n_targets; NULL in a result */
    char **target_relative, **target_relations;         /* written before comparison targets */
    int n_scen;                                         /* scenarios other than the base */
    char **scen_names, **scen_sources, **scen_texts;    /* their names, sources, texts */
    double *prior_min, *prior_max;                      /* n_params: the priors' ranges */
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

/* Reads the calibration that result r records, with the scenario texts r
 * stored; name is the result's name for messages.  As qm_cal_load_text. */
int qm_cal_load_result(const qm_calresult *r, const char *name, qm_cal *out, qm_errors *err);

/* The index of the posterior (last) generation of r; -1 when it has none. */
int qm_calresult_last(const qm_calresult *r);

/* ---- A posterior driving a comparison (posterior.c) ---- */

/* The posterior of a calibration result, ready to give each replication
 * of a comparison a particle. */
typedef struct qm_cal_posterior {
    qm_cal cal;              /* the calibration the result records */
    qm_calresult res;
    uint64_t seed;           /* the comparison's master seed */
    int gen;                 /* the posterior generation */
    double *cum;             /* its cumulative weights */
} qm_cal_posterior;

/* Reads the result at path for a comparison with master seed seed.
 * Returns 0, or -1 with a message. */
int qm_cal_posterior_open(const char *path, uint64_t seed, qm_cal_posterior *p, char *err,
                          size_t errlen);

/* The particle replicate r draws: by weight, from a stream seeded from
 * (seed, r), so that every scenario's replicate r gets the same particle
 * (the comparison stays paired) whatever the threads.  Pure. */
int qm_cal_posterior_particle(const qm_cal_posterior *p, int r);

/* The comparison's per-run hook (qm_crn_scenario_fn; ctx is the
 * qm_cal_posterior): scenario sc with the parameters of replicate r's
 * particle set. */
int qm_cal_posterior_scenario(void *ctx, const qm_scenario *sc, int s, int r, qm_scenario *out,
                              char *err, size_t errlen);

/* Releases what p owns.  Safe on a zeroed struct. */
void qm_cal_posterior_close(qm_cal_posterior *p);

#endif
