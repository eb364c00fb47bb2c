/* comparison.h: the comparison library (src/compare, docs/analysis.md):
 * outcome definitions, the run-file reader, the common-random-numbers
 * runner over scenarios and replications, runs gathered from run files or
 * a sweep result, the statistics of a comparison, and the comparison file
 * (its writer and its reader, one definition of its layout).
 *
 * What gathers runs returns the exit statuses of qmsim: QM_CMP_OK, or
 * QM_CMP_FAILED (a file that cannot be read or written, a run that fails,
 * memory) or QM_CMP_BAD_INPUT (a bad argument), with a message in err that
 * names no command: the caller prefixes its own. */
#ifndef QMSIM_COMPARISON_H
#define QMSIM_COMPARISON_H

#include <stddef.h>
#include <stdint.h>

#include "qmsim/meta.h"
#include "qmsim/observe.h"
#include "qmsim/outfile.h"
#include "qmsim/scenario.h"
#include "qmsim/sweep.h"

enum { QM_CMP_OK = 0, QM_CMP_FAILED = 1, QM_CMP_BAD_INPUT = 2 };

/* ---- Outcomes (src/compare/outcomes.c) -------------------------------- */

/* The key outcomes of a run, each a number per run (docs/analysis.md). */
typedef enum {
    QM_KO_TENDER_SHARE = 0,  /* tenders over expiry decisions */
    QM_KO_SWITCH_RATE,       /* switches a year per contract in force */
    QM_KO_TC_PER_SPEND,      /* transaction costs per GBP paid to providers */
    QM_KO_TRUST,             /* mean trust in incumbent providers */
    QM_KO_QUALITY,           /* quality delivered, weighted by activity */
    QM_KO_UNMET_SHARE,       /* unmet demand over demand */
    QM_KO_AGENCY_FEES,       /* fees to support agencies a year, GBP */
    QM_KO_DEPENDENCY,        /* mean dependency index */
    QM_KO_DEVELOPMENTS,      /* service developments launched */
    QM_KO_SPEND,             /* payments to providers a year, GBP */
    QM_KO_TC_TOTAL,          /* transaction costs of both sides a year, GBP */
    QM_KO_NET_COST,          /* spend plus transaction costs a year, GBP (MODEL.md 4.2) */
    QM_KO_DEFAULT_N,         /* the key outcomes above are the default list */
    QM_KO_LAUNCH_MONTHS = QM_KO_DEFAULT_N, /* median months from start to launch */
    QM_KO_STALLED_SHARE,     /* share of finished developments that stalled */
    QM_KO_N
} qm_key_outcome;

/* Name, unit and meaning of each key outcome. */
extern const qm_var_def qm_outcomes_key_defs[QM_KO_N];

#define QM_CMP_NAME_MAX 96   /* longest outcome name, with the NUL */
#define QM_CMP_MAX_OUTCOMES 128

/* One outcome to measure: a key outcome, a reduction of a series
 * ("mean:spend"), or (from a sweep result) a column of /outcomes. */
typedef struct qm_cmp_outcome {
    char name[QM_CMP_NAME_MAX];  /* as printed and stored */
    int key;                     /* qm_key_outcome, or -1 */
    int reduce;                  /* qm_reduce_kind when key is -1 */
    int series;                  /* qm_series_id when key is -1; -1 for a sweep column */
    int column;                  /* sweep column, else -1 */
    char desc[200];              /* a sweep column's definition; else empty */
    double lo, hi;               /* the range its value cannot leave (qmsim/meta.h);
                                    -/+HUGE_VAL when unbounded */
} qm_cmp_outcome;

/* Fewer replications than this give intervals that the printed tables
 * call unreliable: a t interval from a handful of runs rests on a normal
 * approximation the runs cannot check (docs/analysis.md). */
#define QM_CMP_FEW_REPLICATIONS 10

/* The series a comparison keeps across replications and a report draws,
 * by default, in order (ids into qm_series_defs). */
extern const int qm_outcomes_main_series[];
extern const int qm_outcomes_main_series_n;

/* Parses a comma-separated list of outcomes: key outcome names, and
 * REDUCE:SERIES with REDUCE one of mean, sum, final, min, max (a bare
 * series name means mean:SERIES).  list NULL gives the default key
 * outcomes (the first QM_KO_DEFAULT_N; the development outcomes of
 * MODEL.md 1 P3 are asked for by name).
 * Fills out (room for max) and returns how many, or -1 with a message in
 * err naming the first unknown entry (or saying there are more than max).
 * Reads list only. */
int qm_outcomes_parse(const char *list, qm_cmp_outcome *out, int max, char *err,
                      size_t errlen);

/* Value of outcome o for one run whose series are ser[k * stride + t]
 * (k a qm_series_id, t < months).  NaN when it does not exist (a share of
 * nothing, no months, a sweep column).  Reads only; cannot fail. */
double qm_outcomes_eval(const qm_cmp_outcome *o, const double *ser, size_t stride,
                        int months);

/* The metadata of an outcome named name as stored in a comparison file:
 * a key outcome's, or for REDUCE:SERIES the series', else NULL. */
const qm_meta *qm_outcomes_meta(const char *name);

/* Plain-words meaning of o into buf (size n); returns buf.  Cannot fail. */
const char *qm_outcomes_describe(const qm_cmp_outcome *o, char *buf, size_t n);

/* Index in qm_series_defs of the series called name; -1 when there is
 * none.  Cannot fail. */
int qm_outcomes_series_index(const char *name);

/* 1 when name is an entry of list (comma-separated names; NULL lists
 * every name), else 0.  Cannot fail. */
int qm_outcomes_listed(const char *list, const char *name);

/* The model series to keep across replications, from a --series list:
 * NULL the main series, "all" every series, "none" nothing, else a
 * comma-separated list of series names (repeats kept once).  Writes their
 * ids into ids (room for QM_S_N) and returns how many, or -1 with
 * "'NAME' is not a series of the model" in err. */
int qm_outcomes_keep(const char *list, int *ids, char *err, size_t errlen);

/* Outcome column m of sweep result r as an outcome of a comparison, its
 * desc written from the column's definition.  Cannot fail. */
void qm_outcomes_from_sweep(const qm_result *r, int m, qm_cmp_outcome *out);

/* ---- Reading run files (src/compare/runfile.c) ------------------------ */

/* A qmsim HDF5 file open for reading: a run file, or any file of qmsim's
 * whose kind is to be told (its root attribute "kind"). */
typedef struct qm_runfile qm_runfile;

/* Opens path read-only; HDF5's own error printing is turned off for the
 * process (a reader looks for what may be missing).  Returns the file
 * (give it back with qm_runfile_close), or NULL with a message in err:
 * "cannot open PATH: REASON", "PATH is not an HDF5 file" or "cannot open
 * PATH as HDF5". */
qm_runfile *qm_runfile_open(const char *path, char *err, size_t errlen);

/* Closes the file and frees rf.  Safe on NULL. */
void qm_runfile_close(qm_runfile *rf);

/* The string attribute name of the root as a malloc'd string (the caller
 * frees it); NULL when it is missing or memory runs out. */
char *qm_runfile_attr(const qm_runfile *rf, const char *name);

/* Reads the root's scalar integer attribute name into *v, as a signed or
 * an unsigned 64-bit number.  Returns 0, or -1 when it is missing or not
 * a number (*v then unchanged). */
int qm_runfile_int(const qm_runfile *rf, const char *name, long long *v);
int qm_runfile_u64(const qm_runfile *rf, const char *name, uint64_t *v);

/* 1 when the file has a link at path (a group for qm_runfile_has_group),
 * else 0.  Reads only. */
int qm_runfile_has(const qm_runfile *rf, const char *path);
int qm_runfile_has_group(const qm_runfile *rf, const char *path);

/* The monthly series of the model: a malloc'd QM_S_N x months array
 * (series k at [k * months + t]; NaN for a series the file lacks; the
 * caller frees it), months from months_written (else the length of
 * /series/time).  NULL when the file has no /series or memory runs out. */
double *qm_runfile_series(const qm_runfile *rf, int *months);

/* Every row of /events as a malloc'd array of *n events (the caller frees
 * it); NULL with *n 0 when the file has none or they cannot be read. */
qm_event *qm_runfile_events(const qm_runfile *rf, int *n);

/* The 1-D string dataset at path (entity names, say) as a malloc'd array
 * of *n malloc'd strings; NULL with *n 0 when it is missing or memory
 * runs out.  qm_runfile_strings_free gives it back. */
char **qm_runfile_strings(const qm_runfile *rf, const char *path, int *n);

/* Frees what qm_runfile_strings (or a comparison file's reader) returned:
 * n strings and the array.  Safe on NULL. */
void qm_runfile_strings_free(char **v, int n);

/* Calls fn(ctx, name, values, n) for every dataset of /series but its
 * time scale, in the order they were written (in name order for a file
 * that does not record it, or when the first of them could not be read),
 * values NULL for one that is not a readable 1-D table; at most max times
 * with values.  Returns 0; -1 when fn returned nonzero, values were NULL,
 * or there are more than max.  The values are valid during the call only. */
int qm_runfile_each_series(const qm_runfile *rf, int max,
                           int (*fn)(void *ctx, const char *name, const double *v, size_t n),
                           void *ctx);

/* ---- A comparison in memory (src/compare/comparison.c) ----------------------- */

/* Where the runs of a comparison come from. */
enum { QM_CMP_SCENARIOS = 0, QM_CMP_FILES, QM_CMP_SWEEP };
extern const char *const qm_cmp_source_names[];   /* "scenarios", "files", "sweep" */

/* One scenario (or design point) of a comparison. */
typedef struct qm_cmp_scenario {
    char *name;          /* label */
    char *source;        /* scenario file, run files, or the sweep */
    char *description;
    char *settings;      /* overrides or factor values; "" when none */
    char *resolved;      /* resolved scenario text; "" when unknown */
    int months;          /* longest horizon of its runs */
    int runs;
} qm_cmp_scenario;

/* Everything compared: scenarios, runs, outcomes and kept series.  Every
 * pointer is malloc'd and owned by the comparison (qm_cmp_free). */
typedef struct qm_cmp {
    int source;          /* QM_CMP_SCENARIOS, _FILES or _SWEEP */
    uint64_t seed;       /* master seed (0 from files) */
    int replications;    /* runs per scenario asked for, or the most found */
    int n_scen;
    qm_cmp_scenario *scen;
    int n_runs;
    int *run_scen;       /* scenario of each run */
    int64_t *run_rep;    /* replicate (-1 unknown) */
    uint64_t *run_seed;
    char **run_file;     /* "" for runs made here */
    int n_out;
    qm_cmp_outcome *out;
    double *y;           /* n_runs x n_out */
    int T;               /* longest horizon: width of the kept series */
    int n_ser;
    char **ser_names;
    char **ser_units, **ser_desc;
    double *ser;         /* n_runs x n_ser x T; NaN past a run's end */
    double *events;      /* n_runs x QM_EV_N counts; NULL when unknown */
} qm_cmp;

/* Frees everything d owns and zeroes it.  Safe on a zeroed comparison. */
void qm_cmp_free(qm_cmp *d);

/* ---- Gathering runs (src/compare/crn.c, src/compare/gather.c) --------- */

/* Called after each run of qm_crn_run, one call at a time: done of total
 * runs have finished. */
typedef void (*qm_cmp_progress)(void *ctx, int done, int total);

/* A per-run hook of qm_crn_run: gives run (scenario s, replicate r) a
 * scenario of its own built from sc (the calibrated parameters of a
 * posterior particle, say) into *out, which the runner frees after the
 * run (*out is zeroed before the call; left so on failure).  Must be a
 * function of (s, r) alone, and thread-safe.  Returns 0, or -1 with a
 * message (the run fails). */
typedef int (*qm_crn_scenario_fn)(void *ctx, const qm_scenario *sc, int s, int r,
                                  qm_scenario *out, char *err, size_t errlen);

/* What qm_crn_run runs: every scenario R times with common random numbers. */
typedef struct qm_crn_plan {
    const qm_scenario *scenarios;    /* n loaded scenarios */
    const char *const *files;        /* the file each came from (labels of clashing names) */
    int n;
    int replications;                /* R */
    uint64_t seed;                   /* master seed of every run */
    const char *const *sets;         /* overrides they were loaded with, for the record */
    int n_sets;
    const int *keep;                 /* model series kept across replications */
    int n_keep;
    int threads;                     /* runs at once, one thread each */
    qm_cmp_progress progress;        /* NULL: none */
    void *ctx;
    qm_crn_scenario_fn per_run;      /* NULL: every run uses its scenario as it is */
    void *per_run_ctx;
} qm_crn_plan;

/* Runs replicate r of every scenario with the plan's master seed and
 * replicate number r, so that differences pair run for run, on
 * plan->threads threads; results do not depend on the number.  d->out
 * and d->n_out (the outcomes) must be set; everything else of d is
 * filled.  Returns QM_CMP_OK, QM_CMP_BAD_INPUT ("too many runs") or
 * QM_CMP_FAILED ("out of memory", or "N of M runs failed; the first: ...").
 * d is the caller's to free either way. */
int qm_crn_run(const qm_crn_plan *plan, qm_cmp *d, char *err, size_t errlen);

/* Gathers the runs of run files: each argument is NAME=F1,F2,... (one
 * scenario of several runs) or a plain file, which joins the scenario of
 * its scenario_name.  Keeps the model series keep (n_keep ids) when
 * n_keep > 0.  d->out and d->n_out must be set.  Returns QM_CMP_OK,
 * QM_CMP_BAD_INPUT (an argument that is not NAME=FILE[,FILE...]) or
 * QM_CMP_FAILED (a file that cannot be read, is not a finished run, or
 * memory).  d is the caller's to free either way. */
int qm_gather_files(const char *const *args, int n_args, const int *keep, int n_keep,
                    qm_cmp *d, char *err, size_t errlen);

/* Gathers the design points of the sweep result at path: points, a
 * comma-separated list of design points (NULL: all); outcomes, a list of
 * the sweep's outcome columns (NULL: all); with keep_series, the sweep's
 * saved series too.  Fills d (d->out included).  Returns QM_CMP_OK,
 * QM_CMP_BAD_INPUT (a point or outcome the sweep lacks) or QM_CMP_FAILED
 * (the file cannot be read, memory).  d is the caller's to free either
 * way; err needs room for the list of the sweep's outcomes. */
int qm_gather_sweep(const char *path, const char *points, const char *outcomes,
                    int keep_series, qm_cmp *d, char *err, size_t errlen);

/* ---- Statistics (src/compare/stats.c) --------------------------------- */

/* Statistics of one outcome in one scenario. */
typedef struct qm_cmp_stat {
    int n;               /* runs with a value */
    double mean, lo, hi; /* mean and its t interval */
    int pairs;           /* differences: pairs used (0 when unpaired) */
    double diff, dlo, dhi;  /* difference to the first scenario and its interval */
    int paired;
    int sig;             /* 1 the interval excludes 0, 0 it does not, -1 none */
    int clipped;         /* 1 when [lo, hi] was cut to the outcome's range */
} qm_cmp_stat;

/* Mean and t interval at level of the finite values among x[0..n): their
 * number in *nn, NaN mean without any, NaN bounds with fewer than two.
 * Cannot fail. */
void qm_stats_mean_ci(const double *x, int n, double level, int *nn, double *mean, double *lo,
                      double *hi);

/* Statistics of every outcome m in every scenario s of d, at st[m * S + s]:
 * means with t intervals, and differences to the first scenario paired by
 * seed and replicate (Welch's interval when there are no pairs).  Returns
 * a malloc'd array (the caller frees it), NULL when memory runs out. */
qm_cmp_stat *qm_stats_compare(const qm_cmp *d, double level);

/* Mean of outcome m of sweep result r at each design point over its
 * successful runs with a finite value, into y (r->n_points values; NaN
 * for a point without any).  Cannot fail (without memory for its counts,
 * every mean is NaN). */
void qm_stats_point_means(const qm_result *r, int m, double *y);

/* Total, mean, least, largest and final value of a series. */
typedef struct qm_stats_summary {
    double total, mean, min, max, final;
} qm_stats_summary;

/* Summarises v[0..n): total 0 and the rest NaN when n is 0; a NaN value
 * is added to the total but passed over by the least and largest unless
 * it comes first.  Cannot fail. */
void qm_stats_summarise(const double *v, size_t n, qm_stats_summary *s);

/* ---- The comparison file (src/compare/cmpfile.c, docs/analysis.md) ---- */

/* Writes d and its statistics st (qm_stats_compare at level) to path
 * through qmsim/outfile.h (a temporary file renamed to path when whole); an
 * existing path is replaced only with force.  The "created" attribute is
 * the time of writing.  Returns QM_CMP_OK, or QM_CMP_FAILED with a message
 * (nothing left behind, but a whole comparison left under its temporary
 * name, which the message gives, when path appeared meanwhile). */
int qm_cmpfile_write(const char *path, int force, const qm_cmp *d, const qm_cmp_stat *st,
                     double level, char *err, size_t errlen);

/* As qm_cmpfile_write, into of's temporary file, then moved into place
 * (qm_outfile_commit): the caller took of before the work.  of is consumed
 * whatever happens. */
int qm_cmpfile_write_to(qm_outfile *of, const qm_cmp *d, const qm_cmp_stat *st, double level,
                        char *err, size_t errlen);

/* What a comparison file holds, as a report reads it back.  Every pointer
 * is malloc'd and owned by the struct (qm_cmpfile_free). */
typedef struct qm_cmpfile {
    char *version, *created, *source;   /* root attributes; NULL when missing */
    long long seed, replications;       /* 0 when missing */
    int n_scen;
    qm_cmp_scenario *scen;              /* name, description, settings, resolved,
                                           source and runs (months 0) */
    int n_out;                          /* outcomes (/summary@outcomes) */
    char **out_names, **out_desc;       /* n_out names; n_out_desc descriptions */
    int n_out_desc;
    double *mean, *lo, *hi, *diff, *dlo, *dhi;  /* n_out x n_scen */
    int *sig;                           /* n_out x n_scen; -1 when unreadable */
    double level;                       /* 0.95 when missing */
    int has_bands;                      /* the file keeps series (/series/mean) */
    char **band_names;                  /* every series of /series/mean, in file order */
    int n_band_names;
    int n_ser, T;                       /* the series read: n_ser of T months */
    char **ser_names, **ser_units, **ser_desc;
    double *smean, *slo, *shi;          /* n_ser x n_scen x T */
    double *ev_mean;                    /* n_scen x QM_EV_N mean events per run; NULL
                                           when the file has none */
} qm_cmpfile;

/* Reads the comparison file at path into cf: its attributes, scenarios,
 * summary table, mean events per run, and the bands of the series named
 * in list (comma-separated; NULL: every series), at most max of them in
 * file order; a series whose bands are missing or of another shape is
 * left out.  Returns QM_CMP_OK, or QM_CMP_FAILED with a message: the file
 * cannot be opened, is incomplete, has no readable /scenarios or
 * /summary, or cannot be read for want of memory ("cannot read PATH (out of
 * memory or a damaged file)").  cf is the caller's to free either way. */
int qm_cmpfile_read(const char *path, const char *list, int max, qm_cmpfile *cf, char *err,
                    size_t errlen);

/* Frees everything cf owns and zeroes it.  Safe on a zeroed struct. */
void qm_cmpfile_free(qm_cmpfile *cf);

#endif
