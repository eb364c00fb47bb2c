/* abc.c: the ABC sampler (abc.h): batches of proposals, acceptance in
 * attempt order, generations, adaptive tolerances, Beaumont weights and
 * stopping rules.  Simulating is the caller's business. */
#include "qmsim/abc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>

#include "qmsim/rng.h"
#include "qmsim/sweep.h"

const char *const qm_abc_method_names[] = {"smc", "rejection", NULL};
const char *const qm_abc_stop_names[] = {
    "still running", "reached the smallest tolerance asked for", "used its simulation budget",
    "acceptance fell below the smallest rate asked for", "ran its most generations",
    "simulated every sample", NULL};

/* The sampler's own streams: (seed, generation, this kind, attempt). */
#define ABC_STREAM 0x414243u
/* Draws of a perturbed particle that may fall outside the prior's support
 * before the ancestor itself is taken (never reached in practice: a kernel
 * of twice the population's spread keeps most draws inside). */
#define ABC_MAX_REDRAWS 1000

struct qm_abc {
    qm_abc_config c;
    int d, m;               /* parameters, targets */
    int gen;                /* generation being filled */
    int stop;               /* qm_abc_stop */
    long sims;              /* simulations fed, all generations */
    long key;               /* key of the next attempt */
    long issued;            /* attempts issued in this generation */
    long fed;               /* attempts fed in this generation */
    long attempts;          /* attempts up to the last acceptance */
    long gen_sims;
    double eps;             /* this generation's tolerance */
    int cap;                /* room for accepted particles */
    int filled;
    double *theta, *dist, *vals;    /* the generation being filled */
    int pending;            /* attempts issued, not yet fed */
    double *batch;          /* pending proposals, own scale */
    /* the previous generation, on the sampling scale, for proposals */
    int prev_n;
    double *prev_z, *prev_w, *prev_cum;
    double chol[QM_ABC_MAX_PARAMS * QM_ABC_MAX_PARAMS]; /* lower factor of 2 Sigma */
    double *lhs;            /* rejection: the Latin hypercube, samples x d */
    gsl_rng *rng;
    int n_gens, cap_gens;
    qm_abc_gen *gens;
};

void qm_abc_defaults(qm_abc_config *c)
{
    memset(c, 0, sizeof *c);
    c->method = QM_ABC_SMC;
    c->particles = 200;
    c->quantile = 0.5;
    c->min_tolerance = 0.0;
    c->min_acceptance = 0.02;
    c->tolerance = HUGE_VAL;
}

int qm_abc_check(const qm_abc_config *c, char *err, size_t errlen)
{
    char why[160];
    if (c->method < 0 || c->method >= QM_ABC_N)
        return snprintf(err, errlen, "an unknown method (%d)", c->method), -1;
    if (c->n_params < 1 || c->n_params > QM_ABC_MAX_PARAMS)
        return snprintf(err, errlen, "between 1 and %d parameters are needed, got %d",
                        QM_ABC_MAX_PARAMS, c->n_params), -1;
    if (c->n_targets < 1 || c->n_targets > QM_ABC_MAX_TARGETS)
        return snprintf(err, errlen, "between 1 and %d targets are needed, got %d",
                        QM_ABC_MAX_TARGETS, c->n_targets), -1;
    for (int j = 0; j < c->n_params; j++)
        if (qm_prior_check(&c->prior[j], why, sizeof why))
            return snprintf(err, errlen, "parameter %d: %s", j + 1, why), -1;
    for (int t = 0; t < c->n_targets; t++) {
        const qm_abc_target *T = &c->target[t];
        if (T->band && !(isfinite(T->lo) && isfinite(T->hi) && T->lo <= T->hi))
            return snprintf(err, errlen, "target %d: a band needs min <= max, got [%g, %g]",
                            t + 1, T->lo, T->hi), -1;
        if (T->band && T->lo == T->hi && !(T->tol > 0.0))
            return snprintf(err, errlen, "target %d: a band of no width needs a tolerance above 0",
                            t + 1), -1;
        if (!T->band && !(isfinite(T->value) && T->tol > 0.0 && isfinite(T->tol)))
            return snprintf(err, errlen, "target %d: a value needs a finite observed value and a "
                            "tolerance above 0", t + 1), -1;
    }
    if (c->particles < 2 || c->particles > QM_ABC_MAX_PARTICLES)
        return snprintf(err, errlen, "particles must be in [2, %d], got %d", QM_ABC_MAX_PARTICLES,
                        c->particles), -1;
    if (c->batch < 0 || c->batch > QM_ABC_MAX_PARTICLES)
        return snprintf(err, errlen, "batch must be in [1, %d], got %d", QM_ABC_MAX_PARTICLES,
                        c->batch), -1;
    if (!(c->quantile > 0.0 && c->quantile < 1.0))
        return snprintf(err, errlen, "quantile must be in (0, 1), got %g", c->quantile), -1;
    if (!(c->min_tolerance >= 0.0) || !(c->min_acceptance >= 0.0 && c->min_acceptance < 1.0))
        return snprintf(err, errlen, "min_tolerance must be >= 0 and min_acceptance in [0, 1)"),
               -1;
    if (c->budget < 0 || c->max_generations < 0)
        return snprintf(err, errlen, "budget and max_generations must be >= 0"), -1;
    if (!(c->tolerance >= 0.0))
        return snprintf(err, errlen, "tolerance must be >= 0, got %g", c->tolerance), -1;
    return 0;
}

double qm_abc_deviation(const qm_abc_target *t, double x)
{
    if (!isfinite(x))
        return HUGE_VAL;
    if (!t->band)
        return fabs(x - t->value) / t->tol;
    double width = t->tol > 0.0 ? t->tol : t->hi - t->lo;
    if (x < t->lo)
        return (t->lo - x) / width;
    if (x > t->hi)
        return (x - t->hi) / width;
    return 0.0;
}

double qm_abc_distance(const qm_abc_target *t, int n, const double *x)
{
    double s = 0.0;
    for (int i = 0; i < n; i++) {
        double d = qm_abc_deviation(&t[i], x[i]);
        if (!isfinite(d))
            return HUGE_VAL;
        s += d * d;
    }
    return sqrt(s / n);
}

/* ---- creation ---- */

static int grow_gens(qm_abc *a)
{
    if (a->n_gens < a->cap_gens)
        return 0;
    int cap = a->cap_gens ? 2 * a->cap_gens : 8;
    qm_abc_gen *g = realloc(a->gens, (size_t)cap * sizeof *g);
    if (!g)
        return -1;
    a->gens = g;
    a->cap_gens = cap;
    return 0;
}

qm_abc *qm_abc_create(const qm_abc_config *c)
{
    qm_abc *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->c = *c;
    if (a->c.batch <= 0)
        a->c.batch = c->particles;
    a->d = c->n_params;
    a->m = c->n_targets;
    a->cap = c->particles;
    size_t N = (size_t)a->cap, B = (size_t)a->c.batch;
    a->theta = malloc(N * a->d * sizeof(double));
    a->dist = malloc(N * sizeof(double));
    a->vals = malloc(N * a->m * sizeof(double));
    a->batch = malloc(B * a->d * sizeof(double));
    a->prev_z = malloc(N * a->d * sizeof(double));
    a->prev_w = malloc(N * sizeof(double));
    a->prev_cum = malloc(N * sizeof(double));
    a->rng = qm_rng_alloc(QM_RNG_CMRG, c->seed, 0, ABC_STREAM, 0);
    if (c->method == QM_ABC_REJECTION) {
        a->lhs = malloc(N * a->d * sizeof(double));
        if (a->lhs && qm_design_lhs(c->particles, a->d, c->seed, a->lhs))
            free(a->lhs), a->lhs = NULL;
    }
    if (!a->theta || !a->dist || !a->vals || !a->batch || !a->prev_z || !a->prev_w ||
        !a->prev_cum || !a->rng || (c->method == QM_ABC_REJECTION && !a->lhs)) {
        qm_abc_free(a);
        return NULL;
    }
    a->eps = c->tolerance;
    return a;
}

static void gen_release(qm_abc_gen *g)
{
    free(g->theta);
    free(g->weight);
    free(g->distance);
    free(g->values);
}

void qm_abc_free(qm_abc *a)
{
    if (!a)
        return;
    for (int g = 0; g < a->n_gens; g++)
        gen_release(&a->gens[g]);
    free(a->gens);
    free(a->theta);
    free(a->dist);
    free(a->vals);
    free(a->batch);
    free(a->prev_z);
    free(a->prev_w);
    free(a->prev_cum);
    free(a->lhs);
    gsl_rng_free(a->rng);
    free(a);
}

/* ---- proposals ---- */

static double prior_density(const qm_abc *a, const double *z)
{
    double p = 1.0;
    for (int j = 0; j < a->d && p > 0.0; j++)
        p *= qm_prior_density(&a->c.prior[j], z[j]);
    return p;
}

static int pick_ancestor(const qm_abc *a, double u)
{
    int lo = 0, hi = a->prev_n - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (a->prev_cum[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Attempt i of an SMC generation >= 1, on the sampling scale into z. */
static void perturb(qm_abc *a, double *z)
{
    int d = a->d;
    for (int tries = 0; tries < ABC_MAX_REDRAWS; tries++) {
        const double *anc = &a->prev_z[(size_t)pick_ancestor(a, gsl_rng_uniform(a->rng)) * d];
        double e[QM_ABC_MAX_PARAMS];
        for (int j = 0; j < d; j++)
            e[j] = gsl_ran_ugaussian(a->rng);
        for (int j = 0; j < d; j++) {
            double s = 0.0;
            for (int k = 0; k <= j; k++)
                s += a->chol[j * d + k] * e[k];
            z[j] = anc[j] + s;
        }
        if (prior_density(a, z) > 0.0)
            return;
        if (tries == ABC_MAX_REDRAWS - 1)
            memcpy(z, anc, (size_t)d * sizeof *z);
    }
}

static void propose(qm_abc *a, long i, double *theta)
{
    double z[QM_ABC_MAX_PARAMS];
    qm_rng_reseed(a->rng, a->c.seed, (uint64_t)a->gen, ABC_STREAM, (uint64_t)i);
    if (a->c.method == QM_ABC_REJECTION) {
        for (int j = 0; j < a->d; j++)
            theta[j] = qm_prior_quantile(&a->c.prior[j], a->lhs[(size_t)i * a->d + j]);
        return;
    }
    if (a->gen == 0) {
        for (int j = 0; j < a->d; j++)
            theta[j] = qm_prior_quantile(&a->c.prior[j], gsl_rng_uniform(a->rng));
        return;
    }
    perturb(a, z);
    for (int j = 0; j < a->d; j++)
        theta[j] = qm_prior_from_scale(&a->c.prior[j], z[j]);
}

int qm_abc_next(qm_abc *a, double *theta, long *first)
{
    if (a->stop != QM_ABC_RUNNING)
        return 0;
    long n = a->c.batch;
    if (a->c.method == QM_ABC_REJECTION && n > a->c.particles - a->issued)
        n = a->c.particles - a->issued;
    if (a->c.budget > 0 && n > a->c.budget - a->sims)
        n = a->c.budget - a->sims;
    if (n <= 0) {
        a->stop = QM_ABC_STOP_BUDGET;
        return 0;
    }
    for (long i = 0; i < n; i++)
        propose(a, a->issued + i, &theta[i * a->d]);
    memcpy(a->batch, theta, (size_t)n * a->d * sizeof *theta);
    *first = a->key;
    a->key += n;
    a->issued += n;
    a->pending = (int)n;
    return (int)n;
}

/* ---- closing a generation ---- */

/* Weighted covariance of the population on the sampling scale, doubled
 * (Beaumont et al. 2009), factored; a degenerate direction (every particle
 * equal in it) gets a small spread relative to the prior's width. */
static void kernel_factor(qm_abc *a)
{
    int d = a->d, n = a->prev_n;
    double mean[QM_ABC_MAX_PARAMS] = {0}, *L = a->chol;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d; j++)
            mean[j] += a->prev_w[i] * a->prev_z[(size_t)i * d + j];
    for (int j = 0; j < d; j++)
        for (int k = 0; k <= j; k++) {
            double s = 0.0;
            for (int i = 0; i < n; i++)
                s += a->prev_w[i] * (a->prev_z[(size_t)i * d + j] - mean[j]) *
                     (a->prev_z[(size_t)i * d + k] - mean[k]);
            L[j * d + k] = 2.0 * s;
        }
    for (int j = 0; j < d; j++) {
        const qm_prior *p = &a->c.prior[j];
        double w = qm_prior_to_scale(p, p->hi) - qm_prior_to_scale(p, p->lo);
        double floor = 1e-6 * w * w;
        if (L[j * d + j] < floor)
            L[j * d + j] = floor;
    }
    /* Cholesky in place on the lower triangle (Cholesky-Banachiewicz); a
     * pivot that is not positive drops its correlations. */
    for (int j = 0; j < d; j++) {
        for (int k = 0; k <= j; k++) {
            double s = L[j * d + k];
            for (int r = 0; r < k; r++)
                s -= L[j * d + r] * L[k * d + r];
            if (j == k) {
                L[j * d + j] = s > 0.0 ? sqrt(s) : sqrt(L[j * d + j] > 0.0 ? L[j * d + j] : 1e-12);
            } else {
                L[j * d + k] = s / L[k * d + k];
            }
        }
        for (int k = j + 1; k < d; k++)
            L[j * d + k] = 0.0;
    }
}

/* Unnormalised kernel density of moving from y to x: exp(-|L^-1 (x-y)|^2/2). */
static double kernel(const qm_abc *a, const double *x, const double *y)
{
    int d = a->d;
    double v[QM_ABC_MAX_PARAMS], q = 0.0;
    for (int j = 0; j < d; j++) {
        double s = x[j] - y[j];
        for (int k = 0; k < j; k++)
            s -= a->chol[j * d + k] * v[k];
        v[j] = s / a->chol[j * d + j];
        q += v[j] * v[j];
    }
    return exp(-0.5 * q);
}

static void set_weights(qm_abc *a, double *w, const double *z)
{
    int n = a->filled, d = a->d;
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        if (a->gen == 0 || a->c.method == QM_ABC_REJECTION) {
            w[i] = 1.0;
        } else {
            double den = 0.0;
            for (int k = 0; k < a->prev_n; k++)
                den += a->prev_w[k] * kernel(a, &z[(size_t)i * d], &a->prev_z[(size_t)k * d]);
            w[i] = den > 0.0 ? prior_density(a, &z[(size_t)i * d]) / den : 0.0;
        }
        sum += w[i];
    }
    for (int i = 0; i < n; i++)
        w[i] = sum > 0.0 ? w[i] / sum : 1.0 / n;
}

static int record_gen(qm_abc *a)
{
    if (grow_gens(a))
        return -1;
    int n = a->filled, d = a->d, m = a->m;
    qm_abc_gen *g = &a->gens[a->n_gens];
    memset(g, 0, sizeof *g);
    g->theta = malloc((size_t)(n ? n : 1) * d * sizeof(double));
    g->weight = malloc((size_t)(n ? n : 1) * sizeof(double));
    g->distance = malloc((size_t)(n ? n : 1) * sizeof(double));
    g->values = malloc((size_t)(n ? n : 1) * m * sizeof(double));
    if (!g->theta || !g->weight || !g->distance || !g->values) {
        gen_release(g);
        return -1;
    }
    g->n = n;
    memcpy(g->theta, a->theta, (size_t)n * d * sizeof(double));
    memcpy(g->distance, a->dist, (size_t)n * sizeof(double));
    memcpy(g->values, a->vals, (size_t)n * m * sizeof(double));
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d; j++)
            a->prev_z[(size_t)i * d + j] = qm_prior_to_scale(&a->c.prior[j], g->theta[(size_t)i * d + j]);
    set_weights(a, g->weight, a->prev_z);
    double s2 = 0.0;
    for (int i = 0; i < n; i++)
        s2 += g->weight[i] * g->weight[i];
    g->ess = s2 > 0.0 ? 1.0 / s2 : 0.0;
    g->tolerance = a->eps;
    g->attempts = a->c.method == QM_ABC_REJECTION ? a->fed : a->attempts;
    g->simulations = a->gen_sims;
    g->acceptance = g->attempts > 0 ? (double)n / g->attempts : 0.0;
    a->n_gens++;
    return 0;
}

static int by_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

/* The next generation's tolerance: the quantile of this one's distances
 * (not below min_tolerance, which then makes it the last). */
static double next_tolerance(const qm_abc *a, const qm_abc_gen *g)
{
    double *x = malloc((size_t)g->n * sizeof *x);
    if (!x)
        return g->tolerance;
    memcpy(x, g->distance, (size_t)g->n * sizeof *x);
    qsort(x, (size_t)g->n, sizeof *x, by_double);
    double pos = a->c.quantile * (g->n - 1);
    int lo = (int)floor(pos);
    double e = lo + 1 < g->n ? x[lo] + (pos - lo) * (x[lo + 1] - x[lo]) : x[lo];
    free(x);
    if (e > g->tolerance)
        e = g->tolerance;
    return e < a->c.min_tolerance ? a->c.min_tolerance : e;
}

static int close_gen(qm_abc *a)
{
    if (record_gen(a))
        return -1;
    const qm_abc_gen *g = &a->gens[a->n_gens - 1];
    if (a->c.method == QM_ABC_REJECTION) {
        a->stop = QM_ABC_STOP_DONE;
        return 0;
    }
    if (g->tolerance <= a->c.min_tolerance)
        a->stop = QM_ABC_STOP_TOLERANCE;
    else if (a->gen > 0 && g->acceptance < a->c.min_acceptance)
        a->stop = QM_ABC_STOP_ACCEPTANCE;
    else if (a->c.max_generations > 0 && a->n_gens >= a->c.max_generations)
        a->stop = QM_ABC_STOP_GENERATIONS;
    if (a->stop != QM_ABC_RUNNING)
        return 0;
    a->prev_n = g->n;
    double cum = 0.0;
    for (int i = 0; i < g->n; i++) {
        a->prev_w[i] = g->weight[i];
        cum += g->weight[i];
        a->prev_cum[i] = cum;
    }
    a->prev_cum[g->n - 1] = 1.0 + 1e-12;   /* a uniform draw always lands */
    kernel_factor(a);
    a->eps = next_tolerance(a, g);
    a->gen++;
    a->issued = a->fed = a->attempts = a->gen_sims = 0;
    a->filled = 0;
    return 0;
}

int qm_abc_feed(qm_abc *a, const double *values, int n)
{
    int d = a->d, m = a->m;
    for (int i = 0; i < n && i < a->pending; i++) {
        const double *v = &values[(size_t)i * m];
        a->fed++;
        if (a->filled >= a->cap)
            continue;   /* the generation filled earlier in this batch */
        double dist = qm_abc_distance(a->c.target, m, v);
        if (!(dist <= a->eps))
            continue;
        memcpy(&a->theta[(size_t)a->filled * d], &a->batch[(size_t)i * d], (size_t)d * sizeof(double));
        memcpy(&a->vals[(size_t)a->filled * m], v, (size_t)m * sizeof(double));
        a->dist[a->filled++] = dist;
        a->attempts = a->fed;
    }
    a->sims += n;
    a->gen_sims += n;
    a->pending = 0;
    int full = a->c.method == QM_ABC_REJECTION ? a->issued >= a->c.particles : a->filled >= a->cap;
    if (full)
        return close_gen(a);
    if (a->c.budget > 0 && a->sims >= a->c.budget)
        a->stop = QM_ABC_STOP_BUDGET;
    return 0;
}

/* ---- state ---- */

int qm_abc_generation(const qm_abc *a) { return a->gen; }
int qm_abc_stopped(const qm_abc *a) { return a->stop; }
long qm_abc_simulations(const qm_abc *a) { return a->sims; }
int qm_abc_n_gens(const qm_abc *a) { return a->n_gens; }

const qm_abc_gen *qm_abc_gen_at(const qm_abc *a, int g)
{
    return g >= 0 && g < a->n_gens ? &a->gens[g] : NULL;
}

int qm_abc_filling(const qm_abc *a, double *tolerance)
{
    if (tolerance)
        *tolerance = a->eps;
    return a->filled;
}

const qm_abc_gen *qm_abc_posterior(const qm_abc *a)
{
    return a->n_gens > 0 ? &a->gens[a->n_gens - 1] : NULL;
}

int qm_abc_run(qm_abc *a, qm_abc_simulate_fn sim, void *ctx, int threads)
{
    size_t B = (size_t)a->c.batch;
    double *theta = malloc(B * a->d * sizeof *theta), *vals = malloc(B * a->m * sizeof *vals);
    int rc = theta && vals ? 0 : -1;
    long first;
    for (int n; rc == 0 && (n = qm_abc_next(a, theta, &first)) > 0;) {
#pragma omp parallel for schedule(dynamic) num_threads(threads > 0 ? threads : 1)
        for (int i = 0; i < n; i++)
            if (sim(ctx, &theta[(size_t)i * a->d], first + i, &vals[(size_t)i * a->m]))
                for (int t = 0; t < a->m; t++)
                    vals[(size_t)i * a->m + t] = NAN;
        rc = qm_abc_feed(a, vals, n);
    }
    free(theta);
    free(vals);
    return rc;
}

/* ---- summaries ---- */

double qm_abc_weighted_quantile(const double *x, const double *w, int n, double q)
{
    size_t *perm = (size_t *)malloc((size_t)n * sizeof *perm);
    if (!perm)
        return NAN;
    gsl_sort_index(perm, x, 1, (size_t)n);
    double cum = 0.0, v = x[perm[n - 1]];
    for (int i = 0; i < n; i++) {
        cum += w[perm[i]];
        if (cum >= q - 1e-12) {
            v = x[perm[i]];
            break;
        }
    }
    free(perm);
    return v;
}

void qm_abc_marginal_of(const qm_abc_gen *g, int n_params, int j, double lo_q, double hi_q,
                        qm_abc_marginal *out)
{
    int n = g->n;
    double *x = malloc((size_t)(n ? n : 1) * sizeof *x);
    if (!x || n == 0) {
        free(x);
        out->mean = out->sd = out->median = out->lo = out->hi = NAN;
        return;
    }
    double mean = 0.0, var = 0.0;
    for (int i = 0; i < n; i++) {
        x[i] = g->theta[(size_t)i * n_params + j];
        mean += g->weight[i] * x[i];
    }
    for (int i = 0; i < n; i++)
        var += g->weight[i] * (x[i] - mean) * (x[i] - mean);
    out->mean = mean;
    out->sd = sqrt(var);
    out->median = qm_abc_weighted_quantile(x, g->weight, n, 0.5);
    out->lo = qm_abc_weighted_quantile(x, g->weight, n, lo_q);
    out->hi = qm_abc_weighted_quantile(x, g->weight, n, hi_q);
    free(x);
}

void qm_abc_correlation(const qm_abc_gen *g, int n_params, double *corr)
{
    int d = n_params, n = g->n;
    double mean[QM_ABC_MAX_PARAMS] = {0};
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d; j++)
            mean[j] += g->weight[i] * g->theta[(size_t)i * d + j];
    for (int j = 0; j < d; j++)
        for (int k = 0; k < d; k++) {
            double s = 0.0;
            for (int i = 0; i < n; i++)
                s += g->weight[i] * (g->theta[(size_t)i * d + j] - mean[j]) *
                     (g->theta[(size_t)i * d + k] - mean[k]);
            corr[j * d + k] = s;
        }
    double sd[QM_ABC_MAX_PARAMS];
    for (int j = 0; j < d; j++)
        sd[j] = sqrt(corr[j * d + j]);
    for (int j = 0; j < d; j++)
        for (int k = 0; k < d; k++)
            corr[j * d + k] = sd[j] > 0.0 && sd[k] > 0.0 ? corr[j * d + k] / (sd[j] * sd[k])
                                                         : (j == k ? 1.0 : NAN);
}
