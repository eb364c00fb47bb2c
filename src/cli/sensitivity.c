/* sensitivity.c: `qmsim sensitivity`: Sobol indices of a sobol sweep and
 * Morris effects of a morris sweep, for every outcome of a result file. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "qmsim/sweep.h"

#define USAGE "usage: qmsim sensitivity RESULT.h5 [--format text|json] [--bootstrap N] [--level L]\n"

static void usage(FILE *f)
{
    fputs(USAGE
          "\n"
          "Sensitivity of every outcome of a sweep result to its factors:\n"
          "  sobol sweep:  first-order (S1, Saltelli 2010) and total (ST, Jansen 1999)\n"
          "                Sobol indices with percentile bootstrap intervals;\n"
          "  morris sweep: Morris mu, mu* (mean absolute elementary effect, with a\n"
          "                bootstrap interval) and sigma, per unit of each factor's range.\n"
          "Outcomes are averaged over replications at each design point first.\n"
          "\n"
          "  --format text|json  an aligned table (default) or one JSON object\n"
          "  --bootstrap N       bootstrap resamples (default 1000; 0 for none)\n"
          "  --level L           interval coverage in (0, 1) (default 0.95)\n"
          "  -h, --help          this help\n", f);
}

static void json_num(double x)
{
    if (isfinite(x))
        printf("%.6g", x);
    else
        printf("null");
}

static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            printf("\\u%04x", *s);
        else
            putchar(*s);
    }
    putchar('"');
}

/* Mean outcome m at each design point over its successful runs. */
static void point_means(const qm_result *r, int m, double *y)
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

static int fmt_width(const qm_result *r)
{
    int w = 6;
    for (int i = 0; i < r->n_factors; i++)
        if ((int)strlen(r->factor_names[i]) > w)
            w = (int)strlen(r->factor_names[i]);
    return w;
}

int qm_cli_sensitivity(int argc, char **argv)
{
    const char *path = NULL;
    int json = 0;
    long nboot = 1000;
    double level = 0.95;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        char *end;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(a, "--format")) {
            if (!next || (strcmp(next, "text") && strcmp(next, "json"))) {
                fprintf(stderr, "qmsim sensitivity: --format expects text or json\n");
                return 2;
            }
            json = !strcmp(next, "json");
            i++;
        } else if (!strcmp(a, "--bootstrap")) {
            errno = 0;
            nboot = next ? strtol(next, &end, 10) : -1;
            if (!next || *end || errno || nboot < 0 || nboot > 1000000) {
                fprintf(stderr, "qmsim sensitivity: --bootstrap expects an integer in [0, "
                        "1000000]\n");
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--level")) {
            level = next ? strtod(next, &end) : -1;
            if (!next || *end || !(level > 0 && level < 1)) {
                fprintf(stderr, "qmsim sensitivity: --level expects a number in (0, 1)\n");
                return 2;
            }
            i++;
        } else if (a[0] == '-' || path) {
            fprintf(stderr, "qmsim sensitivity: unexpected argument '%s'\n" USAGE, a);
            return 2;
        } else
            path = a;
    }
    if (!path) {
        fputs(USAGE, stderr);
        return 2;
    }
    qm_result r;
    char err[512];
    if (qm_result_read(path, &r, err, sizeof err) != 0) {
        fprintf(stderr, "qmsim sensitivity: %s: %s\n", path, err);
        return 2;
    }
    if (r.design != QM_DESIGN_SOBOL && r.design != QM_DESIGN_MORRIS) {
        fprintf(stderr, "qmsim sensitivity: %s is a %s sweep; sensitivity needs a sobol or a "
                "morris design\n", path, qm_design_names[r.design]);
        qm_result_free(&r);
        return 2;
    }
    long missing = 0;
    for (long j = 0; j < r.n_runs; j++)
        missing += r.status[j] != QM_RUN_OK;
    if (missing)
        fprintf(stderr, "qmsim sensitivity: %ld of %ld runs are missing or failed; their "
                "samples are left out\n", missing, r.n_runs);
    int k = r.n_factors, sobol = r.design == QM_DESIGN_SOBOL;
    double *y = malloc((size_t)r.n_points * sizeof *y);
    double *v = malloc((size_t)k * 6 * sizeof *v);
    if (!y || !v) {
        free(y);
        free(v);
        qm_result_free(&r);
        fprintf(stderr, "qmsim sensitivity: out of memory\n");
        return 1;
    }
    /* Sobol: S1 and its interval, ST and its interval. */
    double *a = v, *alo = v + k, *ahi = v + 2 * k, *b = v + 3 * k, *blo = v + 4 * k, *bhi = v + 5 * k;
    /* Morris: the same storage under its own names. */
    double *mu = a, *mstar = b, *sigma = alo, *mlo = blo, *mhi = bhi;
    int w = fmt_width(&r), rc = 0;
    if (json) {
        printf("{\"file\": ");
        json_str(path);
        printf(", \"design\": \"%s\", \"samples\": %d, \"replications\": %d, \"bootstrap\": %ld, "
               "\"level\": %g, \"outcomes\": [", qm_design_names[r.design], r.samples,
               r.replications, nboot, level);
    } else
        printf("%s: %s sweep, %d factor%s, %d %s x %d replication%s; %ld bootstrap resamples, "
               "%g%% intervals\n", path, qm_design_names[r.design], k, k == 1 ? "" : "s",
               r.samples, sobol ? "samples" : "trajectories", r.replications,
               r.replications == 1 ? "" : "s", nboot, 100 * level);
    for (int m = 0; m < r.n_outcomes; m++) {
        point_means(&r, m, y);
        int used = sobol ? qm_sobol_indices(r.samples, k, y, (int)nboot, level, r.seed + (uint64_t)m,
                                            a, alo, ahi, b, blo, bhi)
                         : qm_morris_effects(r.samples, k, r.design_unit, y, (int)nboot, level,
                                             r.seed + (uint64_t)m, mu, mstar, sigma, mlo, mhi);
        if (used < 0) {
            fprintf(stderr, "qmsim sensitivity: out of memory\n");
            rc = 1;
            break;
        }
        if (json) {
            printf("%s{\"name\": ", m ? ", " : "");
            json_str(r.outcome_names[m]);
            printf(", \"series\": ");
            json_str(r.outcome_series[m]);
            printf(", \"reduce\": \"%s\", \"used\": %d, \"factors\": [", r.outcome_reduce[m], used);
            for (int i = 0; i < k; i++) {
                printf("%s{\"name\": ", i ? ", " : "");
                json_str(r.factor_names[i]);
                const char *keys[6] = {"S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"};
                double vals[6] = {a[i], alo[i], ahi[i], b[i], blo[i], bhi[i]};
                if (!sobol) {
                    const char *mk[5] = {"mu", "mu_star", "mu_star_low", "mu_star_high", "sigma"};
                    double mv[5] = {mu[i], mstar[i], mlo[i], mhi[i], sigma[i]};
                    for (int q = 0; q < 5; q++) {
                        printf(", \"%s\": ", mk[q]);
                        json_num(mv[q]);
                    }
                } else
                    for (int q = 0; q < 6; q++) {
                        printf(", \"%s\": ", keys[q]);
                        json_num(vals[q]);
                    }
                printf("}");
            }
            printf("]}");
            continue;
        }
        printf("\noutcome %s (%s of %s): %d %s used\n", r.outcome_names[m], r.outcome_reduce[m],
               r.outcome_series[m], used, sobol ? "samples" : "trajectories");
        if (sobol) {
            printf("  %-*s  %9s  %-21s  %9s  %-21s\n", w, "factor", "S1", "interval", "ST",
                   "interval");
            for (int i = 0; i < k; i++)
                printf("  %-*s  %9.4f  [%8.4f, %8.4f]  %9.4f  [%8.4f, %8.4f]\n", w,
                       r.factor_names[i], a[i], alo[i], ahi[i], b[i], blo[i], bhi[i]);
        } else {
            printf("  %-*s  %11s  %11s  %-25s  %11s\n", w, "factor", "mu", "mu*", "interval",
                   "sigma");
            for (int i = 0; i < k; i++)
                printf("  %-*s  %11.4g  %11.4g  [%10.4g, %10.4g]  %11.4g\n", w, r.factor_names[i],
                       mu[i], mstar[i], mlo[i], mhi[i], sigma[i]);
        }
    }
    if (json && rc == 0)
        printf("]}\n");
    free(y);
    free(v);
    qm_result_free(&r);
    return rc;
}
