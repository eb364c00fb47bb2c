/* sweep.h: parameter sweeps: sweep files, designs, runs, journals, result
 * files and sensitivity analysis (docs/sweeps.md, docs/clusters.md).
 *
 * A sweep is read and checked in one pass (qm_sweep_load), which also
 * builds its design: every design point, in the unit hypercube and in
 * factor values.  Run j of a sweep is design point j / R, replicate j % R
 * (R replications); replicate r uses the same seeds at every point (common
 * random numbers).  A run is a pure function of the sweep and j
 * (qm_sweep_run), so results do not depend on threads, ranks or shards.
 * Completed runs are appended to a journal so that an interrupted sweep can
 * be resumed; the result file is written at the end from the journal. */
#ifndef QMSIM_SWEEP_H
#define QMSIM_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include "qmsim/outfile.h"
#include "qmsim/scenario.h"

#define QM_SWEEP_NAME_MAX 64   /* longest factor or outcome name, with the NUL */
#define QM_SWEEP_PATH_MAX 256  /* longest parameter path, with the NUL */
#define QM_SWEEP_MAX_FACTORS 64
#define QM_SWEEP_MAX_SOBOL_FACTORS 20  /* 2k dimensions of GSL's Sobol sequence */
#define QM_SWEEP_MAX_OUTCOMES 256
#define QM_SWEEP_MAX_POINTS 10000000L
#define QM_SWEEP_MAX_RUNS 100000000L

/* Designs (docs/sweeps.md). */
typedef enum {
    QM_DESIGN_GRID = 0, QM_DESIGN_LHS, QM_DESIGN_SOBOL, QM_DESIGN_MORRIS, QM_DESIGN_N
} qm_design_kind;

/* Reductions of a series to an outcome. */
typedef enum {
    QM_REDUCE_MEAN = 0, QM_REDUCE_SUM, QM_REDUCE_FINAL, QM_REDUCE_MIN, QM_REDUCE_MAX, QM_REDUCE_N
} qm_reduce_kind;

/* The model a sweep runs. */
typedef enum { QM_MODEL_ABM = 0, QM_MODEL_ISHIGAMI } qm_model_kind;

/* Status of a run in /runs/status. */
enum { QM_RUN_MISSING = 0, QM_RUN_OK = 1, QM_RUN_FAILED = 2 };

extern const char *const qm_design_names[];   /* NULL-terminated */
extern const char *const qm_reduce_names[];   /* NULL-terminated */

/* One factor of a sweep. */
typedef struct qm_factor {
    char name[QM_SWEEP_NAME_MAX];  /* column name in /design (default: the path) */
    char path[QM_SWEEP_PATH_MAX];  /* parameter path as for --set; x1..x3 for Ishigami */
    int is_list;                   /* values given as a list rather than a range */
    int log;                       /* range sampled uniformly in log */
    int integer;                   /* the parameter is an integer: values rounded */
    int levels;                    /* grid levels of a range (>= 1) */
    double min, max;               /* range; for a list, the least and largest value */
    int n_values;                  /* list: number of values */
    double *values;                /* list of numbers; NULL for a list of names */
    char **labels;                 /* list of names (enums, booleans); NULL for numbers */
    int line;                      /* line in the sweep file */
} qm_factor;

/* One outcome: a reduction of a series over a month range. */
typedef struct qm_outcome {
    char name[QM_SWEEP_NAME_MAX];
    int series;                    /* index into qm_series_defs; 0 ("y") for Ishigami */
    int reduce;                    /* qm_reduce_kind */
    int from, to;                  /* months, inclusive; to -1: to the end of the run */
    int line;
} qm_outcome;

/* A sweep file, read and checked, with its design. */
typedef struct qm_sweep {
    char *file;                    /* sweep file name as given */
    char *text;                    /* its text */
    char *base;                    /* base as written in the sweep file */
    char *base_source;             /* resolved: a path, or "builtin:..." */
    char *base_text;               /* base scenario text (NULL for Ishigami) */
    char *base_resolved;           /* base with `set` applied, every default written */
    int model;                     /* qm_model_kind */
    int n_sets;
    char **sets;                   /* fixed overrides applied to every run */
    int n_reference;
    char **reference;              /* overrides, after the factors, of each run's
                                      reference; none: outcomes are the run's own */
    int design;                    /* qm_design_kind */
    int samples;                   /* lhs: points; sobol: base samples; morris: trajectories */
    int levels;                    /* morris: grid levels p */
    int replications;
    uint64_t seed;                 /* master seed of every run */
    int n_factors;
    qm_factor *factors;
    int n_outcomes;
    qm_outcome *outcomes;
    int n_series;
    int *series;                   /* series saved whole, indices into qm_series_defs */
    int months;                    /* longest horizon of a run (width of saved series) */
    long n_points;
    long n_runs;                   /* n_points x replications */
    double *unit;                  /* n_points x n_factors, in [0, 1] */
    double *values;                /* n_points x n_factors: factor values (list of
                                      names: the index of the name) */
} qm_sweep;

/* Reads, checks and designs a sweep file.  A base scenario named by a bare
 * name is looked for beside the sweep file, in $QMSIM_SCENARIO_PATH, in the
 * source tree's and the installed scenarios; "baseline" falls back to the
 * built-in.  Every problem is reported in err as "FILE:LINE: message".
 * Returns 0 and fills *out (free with qm_sweep_free), or the number of
 * problems, leaving *out empty. */
int qm_sweep_load(const char *path, qm_sweep *out, qm_errors *err);

/* As qm_sweep_load from text; dir is where relative base paths are looked
 * for (NULL: the current directory).  base_text, when not NULL, is used as
 * the base scenario's text instead of resolving the base (as stored in a
 * result file), with base_source as its name. */
int qm_sweep_load_text(const char *text, const char *name, const char *dir,
                       const char *base_text, const char *base_source,
                       qm_sweep *out, qm_errors *err);

/* Releases what a sweep owns.  Safe on a zeroed struct. */
void qm_sweep_free(qm_sweep *sw);

/* ---- Designs, in the unit hypercube: rows of k coordinates. ---- */

/* Points of a full factorial grid with levels[i] levels on factor i;
 * 0 when the product exceeds max. */
long qm_design_grid_size(int k, const int *levels, long max);

/* Fills u (n x k, n = qm_design_grid_size) with the grid, the last factor
 * varying fastest; level l of L is l / (L - 1), a single level is 0.5. */
void qm_design_grid(int k, const int *levels, double *u);

/* Latin hypercube of n points: each factor's n strata [i/n, (i+1)/n) hold
 * exactly one point.  Deterministic in seed.  Returns 0, -1 out of memory. */
int qm_design_lhs(int n, int k, uint64_t seed, double *u);

/* Saltelli's scheme on GSL's Sobol sequence: n base samples of 2k
 * dimensions give matrices A (first k) and B (last k).  Rows are grouped
 * by sample j: A_j, AB_j^(1..k) (A_j with coordinate i from B_j), B_j, so
 * u has n (k + 2) rows.  The sequence's first point (all 0.5) is the first
 * sample.  Returns 0, or -1 when k is 0 or above
 * QM_SWEEP_MAX_SOBOL_FACTORS or memory runs out. */
int qm_design_saltelli(int n, int k, double *u);

/* Morris trajectories: r trajectories of k + 1 points on a grid of p
 * levels, each step moving one factor (in random order) by
 * delta = p / (2 (p - 1)).  Deterministic in seed.  p must be even and
 * >= 2.  Returns 0, -1 on bad arguments or out of memory. */
int qm_design_morris(int r, int k, int p, uint64_t seed, double *u);

/* Value of factor f at unit coordinate x in [0, 1]: linear or logarithmic
 * in its range, rounded for integers; for a list, value (or name index)
 * floor(x n), the last for x = 1.  Cannot fail. */
double qm_factor_value(const qm_factor *f, double x);

/* ---- Runs. ---- */

/* Values in one run's record: outcomes, then n_series x months series. */
size_t qm_sweep_record_values(const qm_sweep *sw);

/* Runs run j and fills values (qm_sweep_record_values doubles: outcomes,
 * then saved series, NaN past a run's horizon).  Single-threaded; safe to
 * call from several threads at once.  Returns QM_RUN_OK, or QM_RUN_FAILED
 * with a message in err (values then NaN). */
int qm_sweep_run(const qm_sweep *sw, long j, double *values, char *err, size_t errlen);

/* The Ishigami function with a = 7, b = 0.1. */
double qm_ishigami(double x1, double x2, double x3);

/* ---- Journal: completed runs appended as they finish. ---- */

typedef struct qm_journal qm_journal;

/* One record of the journal. */
typedef struct qm_journal_rec {
    long run;
    int status;
    double wall;                   /* seconds */
    double *values;                /* qm_sweep_record_values doubles */
} qm_journal_rec;

/* Opens PATH for a sweep whose identity is key (qm_sweep_key) with
 * n_runs runs of nvalues values each.  resume 0 starts a new journal
 * (truncating any); resume 1 reads an existing one, keeps its intact
 * records (a torn last record is cut off) and appends after them; a journal
 * of another sweep is an error.  done[j] is set to 1 for every run already
 * in it.  Returns NULL with a message on failure. */
qm_journal *qm_journal_open(const char *path, uint64_t key, long n_runs, size_t nvalues,
                            int resume, unsigned char *done, char *err, size_t errlen);

/* Appends one record in a single write.  Returns 0, -1 with a message. */
int qm_journal_append(qm_journal *j, const qm_journal_rec *r, char *err, size_t errlen);

/* Reads the record of run (which must be in the journal) into r (r->values
 * must have room).  Returns 0, -1 when absent or unreadable. */
int qm_journal_read(qm_journal *j, long run, qm_journal_rec *r);

/* Closes the journal; remove 1 also deletes the file.  Safe on NULL. */
void qm_journal_close(qm_journal *j, int remove);

/* Bytes of a serialised record (for passing records between processes). */
size_t qm_journal_rec_bytes(size_t nvalues);
/* Serialises r into buf (qm_journal_rec_bytes bytes).  Cannot fail. */
void qm_journal_rec_pack(const qm_journal_rec *r, size_t nvalues, unsigned char *buf);
/* Reads a record from buf; returns 0, -1 when its checksum is wrong. */
int qm_journal_rec_unpack(const unsigned char *buf, size_t nvalues, qm_journal_rec *r);

/* 64-bit identity of a sweep and shard: its text, base, and record layout. */
uint64_t qm_sweep_key(const qm_sweep *sw, int shard_i, int shard_n);

/* ---- Result files (docs/sweeps.md has the layout). ---- */

/* Everything in a result file except the saved series. */
typedef struct qm_result {
    char *version;                 /* qmsim that wrote it */
    char *sweep_file, *sweep_text;
    char *base, *base_source, *base_text, *base_resolved;
    int design;                    /* qm_design_kind */
    int model;
    int samples, levels, replications, months;
    uint64_t seed;
    int shard_i, shard_n;          /* shard_n 0: a whole sweep */
    int n_factors;
    char **factor_names, **factor_paths, **factor_labels; /* labels "" or "a,b,c" */
    double *factor_min, *factor_max;
    int *factor_log, *factor_integer;
    long n_points;
    double *design_values, *design_unit;   /* n_points x n_factors */
    int n_outcomes;
    char **outcome_names, **outcome_series, **outcome_reduce;
    int *outcome_from, *outcome_to;
    int n_series;
    char **series_names;
    long n_runs;
    int64_t *point, *replicate;
    uint64_t *seeds;
    int32_t *status;               /* QM_RUN_* */
    double *wall;
    double *outcomes;              /* n_runs x n_outcomes */
} qm_result;

/* Fills res's header and design from a sweep, with every run missing.
 * Returns 0, -1 out of memory (free with qm_result_free either way). */
int qm_result_from_sweep(const qm_sweep *sw, qm_result *res);

/* Called by qm_result_write for each run j in order, to fill buf with its
 * saved series (n_series x months).  Returns 0, -1 on failure. */
typedef int (*qm_series_source)(void *ctx, long j, double *buf);

/* Writes the result through qm_outfile_begin(path, force) and
 * qm_result_write_to; an existing PATH is an error unless force.  series
 * may be NULL when res->n_series is 0.  Returns 0, or -1 with a message
 * (nothing is left behind). */
int qm_result_write(const char *path, int force, const qm_result *res,
                    qm_series_source series, void *ctx, char *err, size_t errlen);

/* Writes the result into of's temporary file and moves it into place
 * (qm_outfile_commit).  of is consumed whatever happens.  Returns 0, or -1
 * with a message (nothing is left behind). */
int qm_result_write_to(qm_outfile *of, const qm_result *res, qm_series_source series,
                       void *ctx, char *err, size_t errlen);

/* Reads a complete result file (not its series).  Returns 0, or -1 with a
 * message. */
int qm_result_read(const char *path, qm_result *res, char *err, size_t errlen);

/* Opens PATH's saved series for qm_result_series_read; NULL with a message
 * when it cannot. */
typedef struct qm_result_series qm_result_series;
qm_result_series *qm_result_series_open(const char *path, const qm_result *res,
                                        char *err, size_t errlen);
/* Reads run j's saved series (n_series x months) into buf; 0 or -1. */
int qm_result_series_read(qm_result_series *s, long j, double *buf);
void qm_result_series_close(qm_result_series *s);

/* Releases what res owns.  Safe on a zeroed struct. */
void qm_result_free(qm_result *res);

/* ---- Sensitivity (Saltelli 2010, Jansen 1999; Morris 1991). ---- */

/* Sobol indices of one output from a Saltelli design: y has n (k + 2)
 * values in the row order of qm_design_saltelli.  Samples j with a
 * non-finite value in their block are left out.  S1 uses Saltelli's 2010
 * estimator (centred on the mean output), ST Jansen's, both over the
 * variance of f(A) and f(B).
 * Percentile bootstrap intervals at level over nboot resamples of the
 * samples, drawn from seed.  Arrays have k entries.  Returns the samples
 * used (0: none, indices NaN), or -1 out of memory. */
int qm_sobol_indices(int n, int k, const double *y, int nboot, double level, uint64_t seed,
                     double *S1, double *S1_lo, double *S1_hi,
                     double *ST, double *ST_lo, double *ST_hi);

/* Morris elementary effects from trajectories (u and y in the row order of
 * qm_design_morris, r (k + 1) rows): mu, mu_star (mean |EE|) and sigma
 * (standard deviation of EE) per factor, in units of the outcome per unit
 * of the factor's range, with a bootstrap interval of mu_star over
 * trajectories.  Steps with a non-finite value are left out.  Returns the
 * trajectories used, or -1 out of memory. */
int qm_morris_effects(int r, int k, const double *u, const double *y, int nboot,
                      double level, uint64_t seed, double *mu, double *mu_star,
                      double *sigma, double *mu_star_lo, double *mu_star_hi);

#endif
