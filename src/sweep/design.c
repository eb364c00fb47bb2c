/* design.c: sweep designs in the unit hypercube (grid, Latin hypercube,
 * Saltelli on Sobol, Morris) and the map from unit coordinates to values. */
#include "qmsim/sweep.h"

#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "qmsim/rng.h"

const char *const qm_design_names[] = {"grid", "lhs", "sobol", "morris", NULL};
const char *const qm_reduce_names[] = {"mean", "sum", "final", "min", "max", NULL};

/* A Mersenne twister seeded from seed and a purpose tag, so designs never
 * share draws with the model's streams. */
static gsl_rng *design_rng(uint64_t seed, uint64_t tag)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r)
        gsl_rng_set(r, (unsigned long)(qm_rng_mix(qm_rng_mix(seed) ^ tag) & 0xffffffffUL));
    return r;
}

/* Product of the levels, or 0 when it exceeds max or a level is < 1. */
long qm_design_grid_size(int k, const int *levels, long max)
{
    long n = 1;
    for (int i = 0; i < k; i++) {
        if (levels[i] < 1 || n > max / levels[i])
            return 0;
        n *= levels[i];
    }
    return n;
}

/* Full factorial, last factor fastest.  Cannot fail. */
void qm_design_grid(int k, const int *levels, double *u)
{
    long n = qm_design_grid_size(k, levels, QM_SWEEP_MAX_POINTS);
    for (long p = 0; p < n; p++) {
        long rest = p;
        for (int i = k - 1; i >= 0; i--) {
            int L = levels[i], l = (int)(rest % L);
            rest /= L;
            u[p * k + i] = L == 1 ? 0.5 : (double)l / (L - 1);
        }
    }
}

/* Latin hypercube: a random permutation of strata per factor, a uniform
 * draw within each stratum. */
int qm_design_lhs(int n, int k, uint64_t seed, double *u)
{
    gsl_rng *r = design_rng(seed, 0x4c4853);
    size_t *perm = malloc((size_t)n * sizeof *perm);
    if (!r || !perm) {
        gsl_rng_free(r);
        free(perm);
        return -1;
    }
    for (int i = 0; i < k; i++) {
        for (int p = 0; p < n; p++)
            perm[p] = (size_t)p;
        gsl_ran_shuffle(r, perm, (size_t)n, sizeof *perm);
        for (int p = 0; p < n; p++) {
            double x = ((double)perm[p] + gsl_rng_uniform(r)) / n;
            u[(long)p * k + i] = x < 1.0 ? x : nextafter(1.0, 0.0);
        }
    }
    free(perm);
    gsl_rng_free(r);
    return 0;
}

/* Saltelli (2010): A and B from one 2k-dimensional Sobol sequence. */
int qm_design_saltelli(int n, int k, double *u)
{
    if (k < 1 || k > QM_SWEEP_MAX_SOBOL_FACTORS || n < 1)
        return -1;
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
    double x[2 * QM_SWEEP_MAX_SOBOL_FACTORS];
    if (!q)
        return -1;
    long rows = k + 2;
    for (long j = 0; j < n; j++) {
        if (gsl_qrng_get(q, x) != 0) {
            gsl_qrng_free(q);
            return -1;
        }
        double *blk = u + j * rows * k;
        for (int i = 0; i < k; i++) {
            blk[i] = x[i];                         /* A_j */
            blk[(k + 1) * k + i] = x[k + i];       /* B_j */
            for (int m = 0; m < k; m++)            /* AB_j^(m) */
                blk[(1 + m) * k + i] = i == m ? x[k + i] : x[i];
        }
    }
    gsl_qrng_free(q);
    return 0;
}

/* Morris (1991) trajectories in the randomised form of Campolongo et al.:
 * a base point on the lower part of the grid, a random direction per
 * factor and a random order of the k one-factor steps. */
int qm_design_morris(int r, int k, int p, uint64_t seed, double *u)
{
    if (r < 1 || k < 1 || p < 2 || p % 2)
        return -1;
    gsl_rng *g = design_rng(seed, 0x4d4f52);
    size_t *order = malloc((size_t)k * sizeof *order);
    int *dir = malloc((size_t)k * sizeof *dir);
    if (!g || !order || !dir) {
        gsl_rng_free(g);
        free(order);
        free(dir);
        return -1;
    }
    double step = 1.0 / (p - 1);
    int half = p / 2;                  /* delta in grid steps */
    for (int t = 0; t < r; t++) {
        double *row = u + (long)t * (k + 1) * k;
        for (int i = 0; i < k; i++) {
            int base = (int)gsl_rng_uniform_int(g, (unsigned long)half);
            dir[i] = gsl_rng_uniform(g) < 0.5 ? 1 : -1;
            row[i] = (dir[i] > 0 ? base : base + half) * step;
            order[i] = (size_t)i;
        }
        gsl_ran_shuffle(g, order, (size_t)k, sizeof *order);
        for (int s = 1; s <= k; s++) {
            double *cur = row + (long)s * k, *prev = cur - k;
            for (int i = 0; i < k; i++)
                cur[i] = prev[i];
            int i = (int)order[s - 1];
            /* Recomputed from levels so that coordinates stay exact. */
            long lv = lround(prev[i] / step) + dir[i] * half;
            cur[i] = lv * step;
        }
    }
    free(order);
    free(dir);
    gsl_rng_free(g);
    return 0;
}

double qm_factor_value(const qm_factor *f, double x)
{
    if (x < 0.0)
        x = 0.0;
    if (x > 1.0)
        x = 1.0;
    if (f->is_list) {
        int i = (int)floor(x * f->n_values);
        if (i >= f->n_values)
            i = f->n_values - 1;
        return f->values ? f->values[i] : (double)i;
    }
    double v;
    if (f->log) {
        double lo = log(f->min), hi = log(f->max + (f->integer ? 1.0 : 0.0));
        v = exp(lo + x * (hi - lo));
        if (f->integer)
            v = floor(v);
    } else if (f->integer)
        v = f->min + floor(x * (f->max - f->min + 1.0));
    else
        v = x >= 1.0 ? f->max : f->min + x * (f->max - f->min);
    if (v > f->max)
        v = f->max;
    if (v < f->min)
        v = f->min;
    return v;
}
