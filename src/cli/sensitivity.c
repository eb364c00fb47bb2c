/* sensitivity.c: `qmsim sensitivity`: Sobol indices of a sobol sweep and
 * Morris effects of a morris sweep, for every outcome of a result file. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "qmsim/comparison.h"
#include "qmsim/json.h"
#include "qmsim/sweep.h"

typedef struct sens_opts {
    const char *path;
    int json;
    long nboot;
    double level;
} sens_opts;

/* One option or argument (qm_args_fn). */
static int on_option(void *ctx, int id, const char *opt, const char *val, long long num)
{
    sens_opts *o = ctx;
    char *end;
    (void)num;
    switch (id) {
    case QM_O_SENS_FORMAT:
        if (!val || (strcmp(val, "text") && strcmp(val, "json"))) {
            fprintf(stderr, "qmsim sensitivity: --format expects text or json\n");
            return -1;
        }
        o->json = !strcmp(val, "json");
        return 0;
    case QM_O_SENS_BOOTSTRAP:
        errno = 0;
        o->nboot = val ? strtol(val, &end, 10) : -1;
        if (!val || *end || errno || o->nboot < 0 || o->nboot > 1000000) {
            fprintf(stderr, "qmsim sensitivity: --bootstrap expects an integer in [0, 1000000]\n");
            return -1;
        }
        return 0;
    case QM_O_SENS_LEVEL:
        o->level = val ? strtod(val, &end) : -1;
        if (!val || *end || !(o->level > 0 && o->level < 1)) {
            fprintf(stderr, "qmsim sensitivity: --level expects a number in (0, 1)\n");
            return -1;
        }
        return 0;
    default:
        break;
    }
    if (o->path) {
        fprintf(stderr, "qmsim sensitivity: unexpected argument '%s'\n%s", opt,
                qm_options_sensitivity.brief);
        return -1;
    }
    o->path = opt;
    return 0;
}

static int fmt_width(const qm_result *r)
{
    int w = 6;
    for (int i = 0; i < r->n_factors; i++)
        if ((int)strlen(r->factor_names[i]) > w)
            w = (int)strlen(r->factor_names[i]);
    return w;
}

/* The indices of one outcome: Sobol S1 and ST with their intervals, or
 * Morris mu, mu*, its interval and sigma, per factor. */
typedef struct indices {
    double *a, *alo, *ahi, *b, *blo, *bhi;   /* Sobol: S1, its interval, ST, its interval */
} indices;

/* The width a Sobol index's interval should not exceed to be read: an
 * index known to +/- 0.05 (docs/sweeps.md). */
#define SOBOL_TARGET_WIDTH 0.1

/* How far one outcome's Sobol intervals are from the target width. */
typedef struct precision {
    double widest;       /* the widest interval of S1 and ST over the factors; NaN: none */
    long samples;        /* base samples N that would bring it to the target (a power of
                            two, as the design prefers); 0 when it is there already */
} precision;

/* The precision of outcome x from used samples.  A bootstrap interval's
 * width shrinks as 1/sqrt(N), so width w from N samples becomes the
 * target t from about N (w / t)^2; rounded up to a power of two. */
static precision sobol_precision(const indices *x, int k, int used)
{
    precision p = {NAN, 0};
    for (int i = 0; i < k; i++) {
        double w[2] = {x->ahi[i] - x->alo[i], x->bhi[i] - x->blo[i]};
        for (int q = 0; q < 2; q++)
            if (isfinite(w[q]) && !(w[q] <= p.widest))
                p.widest = w[q];
    }
    if (!(p.widest > SOBOL_TARGET_WIDTH) || used <= 0)
        return p;
    double need = ceil(used * (p.widest / SOBOL_TARGET_WIDTH) * (p.widest / SOBOL_TARGET_WIDTH));
    p.samples = 1;
    while (p.samples < need && p.samples < (1L << 40))
        p.samples *= 2;
    return p;
}

static void print_json_outcome(const qm_result *r, int m, int used, int sobol, const indices *x,
                               const precision *pr)
{
    printf("%s{\"name\": ", m ? ", " : "");
    qm_json_str(stdout, r->outcome_names[m]);
    printf(", \"series\": ");
    qm_json_str(stdout, r->outcome_series[m]);
    printf(", \"reduce\": \"%s\", \"used\": %d, \"factors\": [", r->outcome_reduce[m], used);
    for (int i = 0; i < r->n_factors; i++) {
        printf("%s{\"name\": ", i ? ", " : "");
        qm_json_str(stdout, r->factor_names[i]);
        /* Morris keeps mu in a, mu* in b, sigma in alo, its interval in blo, bhi. */
        const char *sk[6] = {"S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"};
        const char *mk[5] = {"mu", "mu_star", "mu_star_low", "mu_star_high", "sigma"};
        double sv[6] = {x->a[i], x->alo[i], x->ahi[i], x->b[i], x->blo[i], x->bhi[i]};
        double mv[5] = {x->a[i], x->b[i], x->blo[i], x->bhi[i], x->alo[i]};
        for (int q = 0; q < (sobol ? 6 : 5); q++) {
            printf(", \"%s\": ", sobol ? sk[q] : mk[q]);
            qm_json_num(stdout, sobol ? sv[q] : mv[q]);
        }
        printf("}");
    }
    printf("]");
    if (sobol) {
        printf(", \"widest_interval\": ");
        qm_json_num(stdout, pr->widest);
        printf(", \"samples_for_target_width\": %ld", pr->samples ? pr->samples : (long)used);
    }
    printf("}");
}

static void print_text_outcome(const qm_result *r, int m, int used, int sobol, const indices *x,
                               const precision *pr)
{
    int w = fmt_width(r), k = r->n_factors;
    printf("\noutcome %s (%s of %s): %d %s used\n", r->outcome_names[m], r->outcome_reduce[m],
           r->outcome_series[m], used, sobol ? "samples" : "trajectories");
    if (sobol) {
        printf("  %-*s  %9s  %-21s  %9s  %-21s\n", w, "factor", "S1", "interval", "ST",
               "interval");
        for (int i = 0; i < k; i++)
            printf("  %-*s  %9.4f  [%8.4f, %8.4f]  %9.4f  [%8.4f, %8.4f]\n", w,
                   r->factor_names[i], x->a[i], x->alo[i], x->ahi[i], x->b[i], x->blo[i],
                   x->bhi[i]);
        if (pr->samples)
            printf("  intervals up to %.2f wide: about N = %ld samples would make them %g wide\n",
                   pr->widest, pr->samples, SOBOL_TARGET_WIDTH);
    } else {
        printf("  %-*s  %11s  %11s  %-25s  %11s\n", w, "factor", "mu", "mu*", "interval",
               "sigma");
        for (int i = 0; i < k; i++)
            printf("  %-*s  %11.4g  %11.4g  [%10.4g, %10.4g]  %11.4g\n", w, r->factor_names[i],
                   x->a[i], x->b[i], x->blo[i], x->bhi[i], x->alo[i]);
    }
}

static void print_head(const sens_opts *o, const qm_result *r)
{
    int k = r->n_factors, sobol = r->design == QM_DESIGN_SOBOL;
    if (o->json) {
        printf("{\"file\": ");
        qm_json_str(stdout, o->path);
        printf(", \"design\": \"%s\", \"samples\": %d, \"replications\": %d, \"bootstrap\": %ld, "
               "\"level\": ", qm_design_names[r->design], r->samples, r->replications, o->nboot);
        qm_json_setting(stdout, o->level);
        printf(", \"outcomes\": [");
    } else
        printf("%s: %s sweep, %d factor%s, %d %s x %d replication%s; %ld bootstrap resamples, "
               "%g%% intervals\n", o->path, qm_design_names[r->design], k, k == 1 ? "" : "s",
               r->samples, sobol ? "samples" : "trajectories", r->replications,
               r->replications == 1 ? "" : "s", o->nboot, 100 * o->level);
}

/* Computes and prints every outcome's indices.  The exit status. */
static int analyse(const sens_opts *o, const qm_result *r)
{
    int k = r->n_factors, sobol = r->design == QM_DESIGN_SOBOL, rc = 0;
    double *y = malloc((size_t)r->n_points * sizeof *y);
    double *v = malloc((size_t)k * 6 * sizeof *v);
    if (!y || !v) {
        free(y);
        free(v);
        fprintf(stderr, "qmsim sensitivity: out of memory\n");
        return 1;
    }
    indices x = {v, v + k, v + 2 * k, v + 3 * k, v + 4 * k, v + 5 * k};
    precision worst = {NAN, 0};
    int worst_m = -1;
    print_head(o, r);
    for (int m = 0; m < r->n_outcomes; m++) {
        qm_stats_point_means(r, m, y);
        uint64_t seed = r->seed + (uint64_t)m;
        int used = sobol ? qm_sobol_indices(r->samples, k, y, (int)o->nboot, o->level, seed, x.a,
                                            x.alo, x.ahi, x.b, x.blo, x.bhi)
                         : qm_morris_effects(r->samples, k, r->design_unit, y, (int)o->nboot,
                                             o->level, seed, x.a, x.b, x.alo, x.blo, x.bhi);
        if (used < 0) {
            fprintf(stderr, "qmsim sensitivity: out of memory\n");
            rc = 1;
            break;
        }
        precision pr = sobol ? sobol_precision(&x, k, used) : (precision){NAN, 0};
        if (pr.samples > worst.samples) {
            worst = pr;
            worst_m = m;
        }
        if (o->json)
            print_json_outcome(r, m, used, sobol, &x, &pr);
        else
            print_text_outcome(r, m, used, sobol, &x, &pr);
    }
    if (o->json && rc == 0) {
        printf("]");
        if (sobol)
            printf(", \"target_width\": %g", SOBOL_TARGET_WIDTH);
        printf("}\n");
    }
    if (rc == 0 && worst_m >= 0) {
        /* In a table, below it; beside JSON, on stderr so that stdout stays JSON. */
        FILE *f = o->json ? stderr : stdout;
        long runs = worst.samples * (long)(k + 2) * (long)r->replications;
        fprintf(f, "%swarning: with N = %d samples the Sobol indices are not known to better "
                   "than +/- %.2f\n(the widest %g%% interval, of outcome %s, is %.2f wide); an "
                   "index below 0 or above 1\nis this noise.  Intervals narrow as 1/sqrt(N): "
                   "about N = %ld samples\n(samples = %ld in the sweep file, %ld runs) would make "
                   "every interval at most %g wide.\n",
                o->json ? "qmsim sensitivity: " : "\n", r->samples, worst.widest / 2.0,
                100 * o->level, r->outcome_names[worst_m], worst.widest, worst.samples,
                worst.samples, runs, SOBOL_TARGET_WIDTH);
    }
    free(y);
    free(v);
    return rc;
}

int qm_cli_sensitivity(int argc, char **argv)
{
    sens_opts o = {NULL, 0, 1000, 0.95};
    int a = qm_args_parse(&qm_options_sensitivity, argc, argv, on_option, &o);
    if (a != 0) {
        if (a > 0)
            qm_args_help(&qm_options_sensitivity, stdout);
        return a > 0 ? 0 : 2;
    }
    if (!o.path) {
        fputs(qm_options_sensitivity.brief, stderr);
        return 2;
    }
    qm_result r;
    char err[512];
    if (qm_result_read(o.path, &r, err, sizeof err) != 0) {
        fprintf(stderr, "qmsim sensitivity: %s\n", err); /* it names the file */
        return 2;
    }
    if (r.design != QM_DESIGN_SOBOL && r.design != QM_DESIGN_MORRIS) {
        fprintf(stderr, "qmsim sensitivity: %s is a %s sweep; sensitivity needs a sobol or a "
                "morris design\n", o.path, qm_design_names[r.design]);
        qm_result_free(&r);
        return 2;
    }
    long missing = 0;
    for (long j = 0; j < r.n_runs; j++)
        missing += r.status[j] != QM_RUN_OK;
    if (missing)
        fprintf(stderr, "qmsim sensitivity: %ld of %ld runs are missing or failed; their "
                "samples are left out\n", missing, r.n_runs);
    int rc = analyse(&o, &r);
    qm_result_free(&r);
    return rc;
}
