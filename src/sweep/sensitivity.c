/* sensitivity.c: Sobol indices from a Saltelli design (Saltelli et al.
 * 2010 for first order, Jansen 1999 for total effects) and Morris
 * elementary effects (Morris 1991; mu* of Campolongo et al. 2007), with
 * percentile bootstrap intervals. */
#include "qmsim/sweep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "qmsim/rng.h"

static gsl_rng *boot_rng(uint64_t seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r)
        gsl_rng_set(r, (unsigned long)(qm_rng_mix(seed ^ 0x424f4f54ULL) & 0xffffffffUL));
    return r;
}

/* Percentile interval of n values (sorted in place); NaN when n is 0. */
static void interval(double *v, size_t n, double level, double *lo, double *hi)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            v[m++] = v[i];
    if (m == 0) {
        *lo = *hi = NAN;
        return;
    }
    gsl_sort(v, 1, m);
    *lo = gsl_stats_quantile_from_sorted_data(v, 1, m, (1.0 - level) / 2.0);
    *hi = gsl_stats_quantile_from_sorted_data(v, 1, m, (1.0 + level) / 2.0);
}

/* Sobol estimates over the samples sel[0..m-1] (repeats allowed). */
static void sobol_estimate(int k, const double *y, const int *sel, int m, double *S1, double *ST)
{
    long rows = k + 2;
    double mean = 0.0, var = 0.0;
    for (int t = 0; t < m; t++) {
        const double *b = y + (long)sel[t] * rows;
        mean += b[0] + b[k + 1];
    }
    mean /= 2.0 * m;
    for (int t = 0; t < m; t++) {
        const double *b = y + (long)sel[t] * rows;
        var += (b[0] - mean) * (b[0] - mean) + (b[k + 1] - mean) * (b[k + 1] - mean);
    }
    var /= 2.0 * m;
    for (int i = 0; i < k; i++) {
        double s1 = 0.0, st = 0.0;
        for (int t = 0; t < m; t++) {
            const double *b = y + (long)sel[t] * rows;
            double fa = b[0], fab = b[1 + i], fb = b[k + 1];
            /* Centred: the same estimator in expectation, with far less
             * variance when the output's mean is large beside its spread. */
            s1 += (fb - mean) * (fab - fa);
            st += (fa - fab) * (fa - fab);
        }
        S1[i] = var > 0 ? s1 / m / var : NAN;
        ST[i] = var > 0 ? 0.5 * st / m / var : NAN;
    }
}

int qm_sobol_indices(int n, int k, const double *y, int nboot, double level, uint64_t seed,
                     double *S1, double *S1_lo, double *S1_hi,
                     double *ST, double *ST_lo, double *ST_hi)
{
    long rows = k + 2;
    int *ok = malloc((size_t)n * sizeof *ok), *sel = malloc((size_t)n * sizeof *sel);
    double *b1 = malloc(((size_t)nboot + 1) * (size_t)k * sizeof *b1);
    double *bt = malloc(((size_t)nboot + 1) * (size_t)k * sizeof *bt);
    double *col = malloc(((size_t)nboot + 1) * sizeof *col);
    gsl_rng *g = boot_rng(seed);
    int m = 0, rc = -1;
    if (!ok || !sel || !b1 || !bt || !col || !g)
        goto out;
    for (int j = 0; j < n; j++) {
        int fine = 1;
        for (long r = 0; r < rows; r++)
            fine &= isfinite(y[j * rows + r]) != 0;
        if (fine)
            ok[m++] = j;
    }
    rc = m;
    for (int i = 0; i < k; i++)
        S1[i] = ST[i] = S1_lo[i] = S1_hi[i] = ST_lo[i] = ST_hi[i] = NAN;
    if (m == 0)
        goto out;
    sobol_estimate(k, y, ok, m, S1, ST);
    for (int b = 0; b < nboot; b++) {
        for (int t = 0; t < m; t++)
            sel[t] = ok[gsl_rng_uniform_int(g, (unsigned long)m)];
        sobol_estimate(k, y, sel, m, b1 + (size_t)b * k, bt + (size_t)b * k);
    }
    for (int i = 0; i < k && nboot > 0; i++) {
        for (int b = 0; b < nboot; b++)
            col[b] = b1[(size_t)b * k + i];
        interval(col, (size_t)nboot, level, &S1_lo[i], &S1_hi[i]);
        for (int b = 0; b < nboot; b++)
            col[b] = bt[(size_t)b * k + i];
        interval(col, (size_t)nboot, level, &ST_lo[i], &ST_hi[i]);
    }
out:
    free(ok);
    free(sel);
    free(b1);
    free(bt);
    free(col);
    gsl_rng_free(g);
    return rc;
}

/* mu* of factor i over trajectories sel[0..m-1]; NaN when none has it. */
static double mu_star_of(const double *ee, int k, int i, const int *sel, int m)
{
    double s = 0.0;
    int c = 0;
    for (int t = 0; t < m; t++) {
        double e = ee[(size_t)sel[t] * k + i];
        if (isfinite(e)) {
            s += fabs(e);
            c++;
        }
    }
    return c ? s / c : NAN;
}

int qm_morris_effects(int r, int k, const double *u, const double *y, int nboot,
                      double level, uint64_t seed, double *mu, double *mu_star,
                      double *sigma, double *mu_star_lo, double *mu_star_hi)
{
    double *ee = malloc((size_t)r * (size_t)k * sizeof *ee);
    double *col = malloc(((size_t)nboot + 1) * sizeof *col);
    int *all = malloc((size_t)r * sizeof *all), *sel = malloc((size_t)r * sizeof *sel);
    gsl_rng *g = boot_rng(seed);
    int used = -1;
    if (!ee || !col || !all || !sel || !g)
        goto out;
    used = 0;
    for (int t = 0; t < r; t++) {
        int any = 0;
        all[t] = t;
        for (int i = 0; i < k; i++)
            ee[(size_t)t * k + i] = NAN;
        for (int s = 1; s <= k; s++) {
            long a = (long)t * (k + 1) + s - 1, b = a + 1;
            int moved = -1, n_moved = 0;
            for (int i = 0; i < k; i++)
                if (fabs(u[b * k + i] - u[a * k + i]) > 1e-12) {
                    moved = i;
                    n_moved++;
                }
            if (n_moved != 1)
                continue;
            double e = (y[b] - y[a]) / (u[b * k + moved] - u[a * k + moved]);
            if (isfinite(e)) {
                ee[(size_t)t * k + moved] = e;
                any = 1;
            }
        }
        used += any;
    }
    for (int i = 0; i < k; i++) {
        double s = 0.0, ss = 0.0;
        int c = 0;
        for (int t = 0; t < r; t++) {
            double e = ee[(size_t)t * k + i];
            if (isfinite(e)) {
                s += e;
                c++;
            }
        }
        mu[i] = c ? s / c : NAN;
        for (int t = 0; t < r; t++) {
            double e = ee[(size_t)t * k + i];
            if (isfinite(e))
                ss += (e - mu[i]) * (e - mu[i]);
        }
        sigma[i] = c > 1 ? sqrt(ss / (c - 1)) : NAN;
        mu_star[i] = mu_star_of(ee, k, i, all, r);
        for (int b = 0; b < nboot; b++) {
            for (int t = 0; t < r; t++)
                sel[t] = (int)gsl_rng_uniform_int(g, (unsigned long)r);
            col[b] = mu_star_of(ee, k, i, sel, r);
        }
        if (nboot > 0)
            interval(col, (size_t)nboot, level, &mu_star_lo[i], &mu_star_hi[i]);
        else
            mu_star_lo[i] = mu_star_hi[i] = NAN;
    }
out:
    free(ee);
    free(col);
    free(all);
    free(sel);
    gsl_rng_free(g);
    return used;
}
