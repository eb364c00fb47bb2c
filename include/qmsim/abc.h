/* abc.h: approximate Bayesian computation: priors, distances, ABC-SMC with
 * adaptive tolerances and rejection ABC over a Latin hypercube
 * (docs/calibration.md).
 *
 * The sampler knows nothing of qmsim's model: it proposes parameter
 * vectors and the caller simulates them, so that the same code runs a toy
 * problem in a unit test, a scenario on threads, or a batch spread over
 * MPI ranks.  Work comes in batches of a fixed size; attempt i of
 * generation g is a pure function of the configuration, the accepted
 * particles of generation g - 1 and (seed, g, i), and a generation accepts
 * the first N acceptable attempts in attempt order.  So the result never
 * depends on how many threads or ranks simulate a batch, and a run
 * resumed from recorded batches replays to the same state.
 *
 * ABC-SMC after Toni et al. (2009), with the weights and the Gaussian
 * perturbation kernel of Beaumont et al. (2009): a particle of generation
 * g >= 1 is an ancestor drawn by weight from generation g - 1, moved by
 * N(0, 2 Sigma) with Sigma the weighted covariance of generation g - 1,
 * and weighted prior(theta) / sum_j w_j K(theta | theta_j).  Generation 0
 * samples the prior; the tolerance of generation g >= 1 is a quantile of
 * generation g - 1's distances.  Parameters with a log-uniform prior are
 * moved on the log scale, where their prior is uniform. */
#ifndef QMSIM_ABC_H
#define QMSIM_ABC_H

#include <stddef.h>
#include <stdint.h>

#define QM_ABC_MAX_PARAMS 32
#define QM_ABC_MAX_TARGETS 64
#define QM_ABC_MAX_PARTICLES 100000

/* ---- Priors ---- */

typedef enum {
    QM_PRIOR_UNIFORM = 0,   /* uniform on [lo, hi] */
    QM_PRIOR_LOGUNIFORM,    /* uniform in log on [lo, hi], 0 < lo */
    QM_PRIOR_NORMAL,        /* normal (mean a, sd b) truncated to [lo, hi] */
    QM_PRIOR_BETA,          /* beta (shapes a, b) stretched over [lo, hi] */
    QM_PRIOR_N
} qm_prior_kind;

/* Names of the prior kinds, indexed by qm_prior_kind, NULL-terminated. */
extern const char *const qm_prior_names[];

typedef struct qm_prior {
    int kind;               /* qm_prior_kind */
    double lo, hi;          /* support; finite, lo < hi */
    double a, b;            /* normal: mean and sd; beta: shapes; else unused */
} qm_prior;

/* Checks a prior; 0, or -1 with a message in err (what is wrong, in words:
 * "an empty range [3, 3]", "a log-uniform range must be above 0", ...). */
int qm_prior_check(const qm_prior *p, char *err, size_t errlen);

/* Inverse CDF at u in (0, 1), on the parameter's own scale.  Pure. */
double qm_prior_quantile(const qm_prior *p, double u);

/* Density on the sampling scale (log for a log-uniform prior, the
 * parameter's own scale otherwise) at z on that scale; 0 outside the
 * support.  Normalised.  Pure. */
double qm_prior_density(const qm_prior *p, double z);

/* The sampling scale: z = log(x) for a log-uniform prior, x otherwise;
 * and back.  Pure. */
double qm_prior_to_scale(const qm_prior *p, double x);
double qm_prior_from_scale(const qm_prior *p, double z);

/* ---- Targets and distances ---- */

/* A target: an observed value with its tolerance (the scale a deviation is
 * measured in), or a band [lo, hi] that counts zero inside and the
 * distance to the nearer end, in band widths, outside. */
typedef struct qm_abc_target {
    int band;               /* 1: a band; 0: a value */
    double value, tol;      /* value target: observed value, tolerance > 0 */
    double lo, hi;          /* band target: lo <= hi; a miss is measured in tol when it
                               is above 0 (needed when lo == hi), else in hi - lo */
} qm_abc_target;

/* Normalised deviation of x from one target (0 inside a band); +inf for a
 * NaN or infinite x.  Pure. */
double qm_abc_deviation(const qm_abc_target *t, double x);

/* Distance of simulated target values x[0..n-1]: the root mean square of
 * the deviations, so that a distance of 1 means "one tolerance off on
 * average".  +inf when any value is NaN or infinite.  Pure. */
double qm_abc_distance(const qm_abc_target *t, int n, const double *x);

/* ---- The sampler ---- */

typedef enum { QM_ABC_SMC = 0, QM_ABC_REJECTION, QM_ABC_N } qm_abc_method;
extern const char *const qm_abc_method_names[];

/* Why a calibration stopped. */
typedef enum {
    QM_ABC_RUNNING = 0,
    QM_ABC_STOP_TOLERANCE,  /* a generation reached min_tolerance */
    QM_ABC_STOP_BUDGET,     /* the simulation budget ran out */
    QM_ABC_STOP_ACCEPTANCE, /* acceptance fell below min_acceptance */
    QM_ABC_STOP_GENERATIONS,/* max_generations done */
    QM_ABC_STOP_DONE,       /* rejection: every sample simulated */
    QM_ABC_STOP_N
} qm_abc_stop;
extern const char *const qm_abc_stop_names[];   /* in words, for messages */

typedef struct qm_abc_config {
    int method;             /* qm_abc_method */
    int n_params;
    qm_prior prior[QM_ABC_MAX_PARAMS];
    int n_targets;
    qm_abc_target target[QM_ABC_MAX_TARGETS];
    uint64_t seed;
    int particles;          /* SMC: particles a generation; rejection: samples */
    int batch;              /* attempts simulated together (default particles) */
    double quantile;        /* SMC: next tolerance = this quantile of distances */
    double min_tolerance;   /* SMC: stop once a generation's tolerance <= this */
    double min_acceptance;  /* SMC: stop after a generation accepting less */
    long budget;            /* most simulations (0: no limit) */
    int max_generations;    /* SMC (0: no limit) */
    double tolerance;       /* rejection: accept distance <= this; SMC: the
                             * tolerance of generation 0 (+inf: all) */
} qm_abc_config;

/* Sets every field to its default (method SMC, particles 200, quantile
 * 0.5, min_acceptance 0.02, tolerance +inf for SMC). */
void qm_abc_defaults(qm_abc_config *c);

/* Checks a configuration: 0, or -1 with a message in err. */
int qm_abc_check(const qm_abc_config *c, char *err, size_t errlen);

/* A finished generation (or, for rejection, the accepted samples). */
typedef struct qm_abc_gen {
    int n;                  /* particles accepted */
    double *theta;          /* n x n_params, the parameters' own scale */
    double *weight;         /* n, normalised to sum 1 */
    double *distance;       /* n */
    double *values;         /* n x n_targets: simulated target values */
    double tolerance;       /* the generation's tolerance */
    long attempts;          /* attempts up to the n-th acceptance */
    long simulations;       /* simulations run for it (whole batches) */
    double acceptance;      /* n / attempts */
    double ess;             /* effective sample size, (sum w)^2 / sum w^2 */
} qm_abc_gen;

typedef struct qm_abc qm_abc;

/* Makes a sampler for a checked configuration; NULL when out of memory. */
qm_abc *qm_abc_create(const qm_abc_config *c);

/* Releases the sampler and its generations.  Safe on NULL. */
void qm_abc_free(qm_abc *a);

/* The next batch to simulate: fills theta (batch x n_params, own scale)
 * and returns how many attempts it holds (<= config batch), 0 once the
 * calibration has stopped.  Attempt i of the batch has the global key
 * *first + i, which a caller uses to seed its simulation (so that the
 * simulation, too, is a function of the key alone). */
int qm_abc_next(qm_abc *a, double *theta, long *first);

/* Hands back the batch's simulated target values (n x n_targets, in the
 * order of qm_abc_next; NaN for a failed simulation, which is rejected).
 * Accepts in attempt order, closes a generation once full, and decides
 * whether to stop.  Returns 0, -1 when out of memory. */
int qm_abc_feed(qm_abc *a, const double *values, int n);

/* Current state: the generation being filled, why it stopped (RUNNING
 * while it has not), simulations so far, finished generations. */
int qm_abc_generation(const qm_abc *a);
int qm_abc_stopped(const qm_abc *a);
long qm_abc_simulations(const qm_abc *a);
int qm_abc_n_gens(const qm_abc *a);
const qm_abc_gen *qm_abc_gen_at(const qm_abc *a, int g);

/* Accepted so far in the generation being filled, and its tolerance. */
int qm_abc_filling(const qm_abc *a, double *tolerance);

/* The posterior: the last finished generation (NULL before the first). */
const qm_abc_gen *qm_abc_posterior(const qm_abc *a);

/* A simulator for qm_abc_run: writes the n_targets values of parameter
 * vector theta (own scale) simulated with key; returns 0, or -1 for a
 * failed simulation.  Called from several threads at once. */
typedef int (*qm_abc_simulate_fn)(void *ctx, const double *theta, long key, double *values);

/* Runs the whole calibration, each batch on `threads` OpenMP threads.
 * Returns 0, -1 when out of memory. */
int qm_abc_run(qm_abc *a, qm_abc_simulate_fn sim, void *ctx, int threads);

/* ---- Posterior summaries ---- */

/* Weighted mean, median and [lo_q, hi_q] quantiles of parameter j of a
 * generation.  Pure. */
typedef struct qm_abc_marginal {
    double mean, sd, median, lo, hi;
} qm_abc_marginal;
void qm_abc_marginal_of(const qm_abc_gen *g, int n_params, int j, double lo_q, double hi_q,
                        qm_abc_marginal *out);

/* Weighted correlation matrix (n_params x n_params) into corr.  Pure. */
void qm_abc_correlation(const qm_abc_gen *g, int n_params, double *corr);

/* Weighted quantile q of x[0..n-1] with weights w (summing to 1): the
 * smallest x whose cumulative weight reaches q.  NaN when out of memory. */
double qm_abc_weighted_quantile(const double *x, const double *w, int n, double q);

#endif
