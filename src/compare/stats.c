/* stats.c: the statistics of comparisons and summaries (docs/analysis.md):
 * means with t intervals, differences paired by seed and replicate (or
 * Welch's interval without pairs), means over a sweep's replications, and
 * the total, mean and extremes of a series. */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "qmsim/comparison.h"

void qm_stats_mean_ci(const double *x, int n, double level, int *nn, double *mean, double *lo,
                      double *hi)
{
    double s = 0.0, ss = 0.0;
    int k = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(x[i])) {
            s += x[i];
            k++;
        }
    *nn = k;
    *mean = k ? s / k : NAN;
    *lo = *hi = NAN;
    if (k < 2)
        return;
    for (int i = 0; i < n; i++)
        if (isfinite(x[i]))
            ss += (x[i] - *mean) * (x[i] - *mean);
    double half = gsl_cdf_tdist_Pinv(0.5 + level / 2.0, k - 1) * sqrt(ss / (k - 1) / k);
    *lo = *mean - half;
    *hi = *mean + half;
}

/* Welch's interval of the difference of scenario s to the first in
 * outcome m, for runs that cannot be paired (from unrelated files). */
static void welch(const qm_cmp *d, int m, int s, const qm_cmp_stat *r0, qm_cmp_stat *c,
                  double level)
{
    int M = d->n_out;
    double v0 = 0.0, v1 = 0.0;
    int n0 = 0, n1 = 0;
    for (int j = 0; j < d->n_runs; j++) {
        double v = d->y[(size_t)j * (size_t)M + (size_t)m];
        if (!isfinite(v))
            continue;
        if (d->run_scen[j] == 0)
            v0 += (v - r0->mean) * (v - r0->mean), n0++;
        else if (d->run_scen[j] == s)
            v1 += (v - c->mean) * (v - c->mean), n1++;
    }
    c->pairs = 0;
    c->diff = c->mean - r0->mean;
    if (n0 >= 2 && n1 >= 2) {
        double a = v0 / (n0 - 1) / n0, b = v1 / (n1 - 1) / n1, se = sqrt(a + b);
        double df = se > 0.0 ? (a + b) * (a + b) / (a * a / (n0 - 1) + b * b / (n1 - 1))
                             : n0 + n1 - 2;
        double half = se > 0.0 ? gsl_cdf_tdist_Pinv(0.5 + level / 2.0, df) * se : 0.0;
        c->dlo = c->diff - half;
        c->dhi = c->diff + half;
    } else {
        c->dlo = c->dhi = NAN;
    }
}

/* A t interval of a bounded quantity can leave its range (a share below
 * 0 from a few runs near 0): it is cut to the range, and the cut marked
 * for the tables to say so. */
static void clip(const qm_cmp_outcome *o, qm_cmp_stat *c)
{
    c->clipped = 0;
    if (o->lo < o->hi && isfinite(c->lo) && c->lo < o->lo)
        c->lo = o->lo, c->clipped = 1;
    if (o->lo < o->hi && isfinite(c->hi) && c->hi > o->hi)
        c->hi = o->hi, c->clipped = 1;
}

/* The statistics of outcome m in scenario s, with scratch x and dx (room
 * for every run). */
static void one_stat(const qm_cmp *d, int m, int s, double level, qm_cmp_stat *st, double *x,
                     double *dx)
{
    int S = d->n_scen, M = d->n_out, n = 0, np = 0;
    qm_cmp_stat *c = &st[m * S + s];
    for (int j = 0; j < d->n_runs; j++) {
        if (d->run_scen[j] != s)
            continue;
        double v = d->y[(size_t)j * (size_t)M + (size_t)m];
        x[n++] = v;
        if (s == 0)
            continue;
        /* Its partner: the reference's run with the same seed and replicate. */
        for (int i = 0; i < d->n_runs; i++)
            if (d->run_scen[i] == 0 && d->run_rep[i] == d->run_rep[j]
                && d->run_seed[i] == d->run_seed[j] && d->run_rep[j] >= 0) {
                dx[np++] = v - d->y[(size_t)i * (size_t)M + (size_t)m];
                break;
            }
    }
    qm_stats_mean_ci(x, n, level, &c->n, &c->mean, &c->lo, &c->hi);
    clip(&d->out[m], c);
    c->diff = c->dlo = c->dhi = NAN;
    c->sig = -1;
    if (s == 0)
        return;
    int k;
    qm_stats_mean_ci(dx, np, level, &k, &c->diff, &c->dlo, &c->dhi);
    c->pairs = k;
    c->paired = k >= 2;
    if (k < 2)
        welch(d, m, s, &st[m * S + 0], c, level);
    if (isfinite(c->dlo) && isfinite(c->dhi))
        c->sig = c->dlo > 0.0 || c->dhi < 0.0;
}

qm_cmp_stat *qm_stats_compare(const qm_cmp *d, double level)
{
    int S = d->n_scen, M = d->n_out;
    qm_cmp_stat *st = calloc((size_t)M * (size_t)S + 1, sizeof *st);
    double *x = malloc(((size_t)d->n_runs + 1) * sizeof *x);
    double *dx = malloc(((size_t)d->n_runs + 1) * sizeof *dx);
    if (!st || !x || !dx) {
        free(st);
        st = NULL;
    }
    for (int m = 0; st && m < M; m++)
        for (int s = 0; s < S; s++)
            one_stat(d, m, s, level, st, x, dx);
    free(x);
    free(dx);
    return st;
}

void qm_stats_point_means(const qm_result *r, int m, double *y)
{
    int *count = calloc((size_t)r->n_points, sizeof *count);
    for (long p = 0; p < r->n_points; p++)
        y[p] = 0.0;
    for (long j = 0; j < r->n_runs; j++) {
        double x = r->outcomes[j * r->n_outcomes + m];
        if (r->status[j] == QM_RUN_OK && isfinite(x) && count) {
            y[r->point[j]] += x;
            count[r->point[j]]++;
        }
    }
    for (long p = 0; p < r->n_points; p++)
        y[p] = count && count[p] ? y[p] / count[p] : NAN;
    free(count);
}

void qm_stats_summarise(const double *v, size_t n, qm_stats_summary *s)
{
    s->total = 0;
    s->min = n ? v[0] : NAN;
    s->max = n ? v[0] : NAN;
    for (size_t i = 0; i < n; i++) {
        s->total += v[i];
        s->min = v[i] < s->min ? v[i] : s->min;
        s->max = v[i] > s->max ? v[i] : s->max;
    }
    s->mean = n ? s->total / (double)n : NAN;
    s->final = n ? v[n - 1] : NAN;
}
