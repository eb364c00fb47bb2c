/* prior.c: prior distributions of calibrated parameters (docs/calibration.md):
 * their checks, inverse CDFs (for draws and Latin hypercubes) and densities
 * on the sampling scale the ABC-SMC kernel moves particles on. */
#include "qmsim/abc.h"

#include <math.h>
#include <stdio.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

const char *const qm_prior_names[] = {"uniform", "log-uniform", "normal", "beta", NULL};

int qm_prior_check(const qm_prior *p, char *err, size_t errlen)
{
    if (p->kind < 0 || p->kind >= QM_PRIOR_N) {
        snprintf(err, errlen, "an unknown prior (kind %d)", p->kind);
        return -1;
    }
    if (!isfinite(p->lo) || !isfinite(p->hi)) {
        snprintf(err, errlen, "a range that is not finite");
        return -1;
    }
    if (!(p->lo < p->hi)) {
        snprintf(err, errlen, "an empty range [%g, %g]: the first value must be below the second",
                 p->lo, p->hi);
        return -1;
    }
    if (p->kind == QM_PRIOR_LOGUNIFORM && !(p->lo > 0.0)) {
        snprintf(err, errlen, "a log-uniform range must be above 0, got [%g, %g]", p->lo, p->hi);
        return -1;
    }
    if (p->kind == QM_PRIOR_NORMAL && (!isfinite(p->a) || !(p->b > 0.0) || !isfinite(p->b))) {
        snprintf(err, errlen, "a normal prior needs a finite mean and an sd above 0");
        return -1;
    }
    if (p->kind == QM_PRIOR_BETA &&
        (!(p->a > 0.0) || !(p->b > 0.0) || !isfinite(p->a) || !isfinite(p->b))) {
        snprintf(err, errlen, "a beta prior needs shapes a and b above 0");
        return -1;
    }
    if (p->kind == QM_PRIOR_NORMAL) {
        /* The truncation must keep some mass, or draws are meaningless. */
        double za = (p->lo - p->a) / p->b, zb = (p->hi - p->a) / p->b;
        if (za > 37.0 || zb < -37.0) {
            snprintf(err, errlen, "a normal prior with mean %g and sd %g puts no mass on [%g, %g]",
                     p->a, p->b, p->lo, p->hi);
            return -1;
        }
    }
    return 0;
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* Truncated normal inverse CDF, computed in the tail the range lies in so
 * that a range far above the mean keeps its precision. */
static double normal_quantile(const qm_prior *p, double u)
{
    double m = p->a, s = p->b, za = (p->lo - m) / s, zb = (p->hi - m) / s;
    double z;
    if (za > 0.0) {
        double qa = gsl_cdf_ugaussian_Q(za), qb = gsl_cdf_ugaussian_Q(zb);
        z = gsl_cdf_ugaussian_Qinv(qa - u * (qa - qb));
    } else {
        double pa = gsl_cdf_ugaussian_P(za), pb = gsl_cdf_ugaussian_P(zb);
        z = gsl_cdf_ugaussian_Pinv(pa + u * (pb - pa));
    }
    return clamp(m + s * z, p->lo, p->hi);
}

double qm_prior_quantile(const qm_prior *p, double u)
{
    u = clamp(u, 0.0, 1.0);
    switch (p->kind) {
    case QM_PRIOR_LOGUNIFORM:
        return clamp(exp(log(p->lo) + u * (log(p->hi) - log(p->lo))), p->lo, p->hi);
    case QM_PRIOR_NORMAL:
        return normal_quantile(p, u);
    case QM_PRIOR_BETA:
        return p->lo + (p->hi - p->lo) * gsl_cdf_beta_Pinv(u, p->a, p->b);
    default:
        return p->lo + u * (p->hi - p->lo);
    }
}

double qm_prior_to_scale(const qm_prior *p, double x)
{
    return p->kind == QM_PRIOR_LOGUNIFORM ? log(x) : x;
}

double qm_prior_from_scale(const qm_prior *p, double z)
{
    return p->kind == QM_PRIOR_LOGUNIFORM ? exp(z) : z;
}

/* Mass of the normal on [lo, hi], for the truncated density. */
static double normal_mass(const qm_prior *p)
{
    double za = (p->lo - p->a) / p->b, zb = (p->hi - p->a) / p->b;
    if (za > 0.0)
        return gsl_cdf_ugaussian_Q(za) - gsl_cdf_ugaussian_Q(zb);
    return gsl_cdf_ugaussian_P(zb) - gsl_cdf_ugaussian_P(za);
}

double qm_prior_density(const qm_prior *p, double z)
{
    if (p->kind == QM_PRIOR_LOGUNIFORM) {
        double a = log(p->lo), b = log(p->hi);
        return z >= a && z <= b ? 1.0 / (b - a) : 0.0;
    }
    if (!(z >= p->lo && z <= p->hi))
        return 0.0;
    switch (p->kind) {
    case QM_PRIOR_NORMAL:
        return gsl_ran_gaussian_pdf(z - p->a, p->b) / normal_mass(p);
    case QM_PRIOR_BETA:
        return gsl_ran_beta_pdf((z - p->lo) / (p->hi - p->lo), p->a, p->b) / (p->hi - p->lo);
    default:
        return 1.0 / (p->hi - p->lo);
    }
}
