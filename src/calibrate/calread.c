/* calread.c: reading a calibration result back (the layout calresult.c
 * writes, docs/calibration.md), for --export-scenario, the report and a
 * comparison driven by a posterior. */
#include "qmsim/calibrate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "io/h5.h"

#define KIND "qmsim calibration"

void qm_calresult_free(qm_calresult *r)
{
    if (!r)
        return;
    free(r->version), free(r->cal_file), free(r->cal_text), free(r->base_source);
    free(r->base_text), free(r->generator), free(r->stop), free(r->algorithm);
    qm_h5_free_strings(r->param_names, r->n_params);
    qm_h5_free_strings(r->param_paths, r->n_params);
    qm_h5_free_strings(r->target_names, r->n_targets);
    qm_h5_free_strings(r->target_outcomes, r->n_targets);
    qm_h5_free_strings(r->target_scenarios, r->n_targets);
    qm_h5_free_strings(r->target_relative, r->n_targets);
    qm_h5_free_strings(r->target_relations, r->n_targets);
    qm_h5_free_strings(r->scen_names, r->n_scen);
    qm_h5_free_strings(r->scen_sources, r->n_scen);
    qm_h5_free_strings(r->scen_texts, r->n_scen);
    free(r->prior_min), free(r->prior_max);
    free(r->observed), free(r->tolerance), free(r->band_lo), free(r->band_hi), free(r->is_band);
    free(r->gen_tolerance), free(r->gen_acceptance), free(r->gen_ess);
    free(r->gen_simulations), free(r->gen_n);
    for (int g = 0; g < r->n_gens; g++) {
        if (r->theta)
            free(r->theta[g]);
        if (r->weight)
            free(r->weight[g]);
        if (r->distance)
            free(r->distance[g]);
        if (r->values)
            free(r->values[g]);
    }
    free(r->theta), free(r->weight), free(r->distance), free(r->values);
    free(r->mean), free(r->median), free(r->lo), free(r->hi), free(r->sd), free(r->corr);
    memset(r, 0, sizeof *r);
}

/* A 1-D dataset of exactly n doubles; NULL when missing or of another size. */
static double *vec(hid_t f, const char *path, int n)
{
    hsize_t dims[2];
    double *v = qm_h5_read_doubles(f, path, dims);
    if (v && (dims[0] != (hsize_t)n || dims[1] != 1)) {
        free(v);
        return NULL;
    }
    return v;
}

/* A 2-D dataset of n x k doubles (n may be 0). */
static double *mat(hid_t f, const char *path, int n, int k)
{
    double *v = malloc((size_t)(n ? n : 1) * (size_t)k * sizeof *v);
    if (v && n > 0 && qm_h5_read_into(f, path, H5T_NATIVE_DOUBLE, 2, (hsize_t)n, (hsize_t)k, v)) {
        free(v);
        return NULL;
    }
    return v;
}

static int read_root(hid_t f, qm_calresult *r)
{
    r->version = qm_h5_read_str_attr(f, "version");
    r->cal_file = qm_h5_read_str_attr(f, "calibration_file");
    r->cal_text = qm_h5_read_str_attr(f, "calibration_text");
    r->base_source = qm_h5_read_str_attr(f, "base_source");
    r->base_text = qm_h5_read_str_attr(f, "base_text");
    r->generator = qm_h5_read_str_attr(f, "generator");
    r->stop = qm_h5_read_str_attr(f, "stop");
    r->algorithm = qm_h5_read_str_attr(f, "algorithm");
    if (qm_h5_read_attr(f, "seed", H5T_NATIVE_UINT64, &r->seed))
        return -1;
    return r->cal_text && r->base_text && r->base_source && r->algorithm ? 0 : -1;
}

/* A string dataset of exactly n strings into *out; absent (a result
 * written before it) leaves *out NULL.  0, or -1 when of another size. */
static int optional_strings(hid_t f, const char *path, int n, char ***out)
{
    int k = 0;
    *out = qm_h5_read_strings(f, path, &k);
    if (*out && k != n) {
        qm_h5_free_strings(*out, k);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* What each target compares, and the scenarios other than the base with
 * their texts: absent from results written before comparison targets. */
static int read_comparisons(hid_t f, qm_calresult *r)
{
    int nt = r->n_targets, n = 0, k = 0, rc = 0;
    rc |= optional_strings(f, "targets/outcome", nt, &r->target_outcomes);
    rc |= optional_strings(f, "targets/scenario", nt, &r->target_scenarios);
    rc |= optional_strings(f, "targets/relative_to", nt, &r->target_relative);
    rc |= optional_strings(f, "targets/relation", nt, &r->target_relations);
    r->scen_names = qm_h5_read_strings(f, "scenarios/name", &n);
    r->n_scen = n;
    if (!r->scen_names)
        return rc;
    r->scen_sources = qm_h5_read_strings(f, "scenarios/source", &k);
    if (k != n) {
        qm_h5_free_strings(r->scen_sources, k);
        r->scen_sources = NULL;
    }
    r->scen_texts = qm_h5_read_strings(f, "scenarios/text", &k);
    if (k != n) {
        qm_h5_free_strings(r->scen_texts, k);
        r->scen_texts = NULL;
    }
    return rc || !r->scen_sources || !r->scen_texts ? -1 : 0;
}

static int read_meta(hid_t f, qm_calresult *r)
{
    int nn = 0, np = 0, nt = 0;
    r->param_names = qm_h5_read_strings(f, "parameters/name", &np);
    r->param_paths = qm_h5_read_strings(f, "parameters/path", &nn);
    r->n_params = np;
    if (!r->param_names || !r->param_paths || nn != np)
        return -1;
    r->prior_min = vec(f, "parameters/min", np);
    r->prior_max = vec(f, "parameters/max", np);
    if (!r->prior_min || !r->prior_max)
        return -1;
    r->target_names = qm_h5_read_strings(f, "targets/name", &nt);
    r->n_targets = nt;
    if (!r->target_names)
        return -1;
    if (read_comparisons(f, r) != 0)
        return -1;
    r->observed = vec(f, "targets/observed", nt);
    r->tolerance = vec(f, "targets/tolerance", nt);
    r->band_lo = vec(f, "targets/band_min", nt);
    r->band_hi = vec(f, "targets/band_max", nt);
    double *b = vec(f, "targets/is_band", nt);
    r->is_band = calloc((size_t)(nt ? nt : 1), sizeof *r->is_band);
    for (int t = 0; b && r->is_band && t < nt; t++)
        r->is_band[t] = b[t] != 0.0;
    free(b);
    return r->observed && r->tolerance && r->band_lo && r->band_hi && r->is_band ? 0 : -1;
}

static int read_gens(hid_t f, qm_calresult *r)
{
    hsize_t dims[2];
    double *tol = qm_h5_read_doubles(f, "generations/tolerance", dims);
    if (!tol)
        return -1;
    int G = r->n_gens = (int)dims[0];
    r->gen_tolerance = tol;
    r->gen_acceptance = vec(f, "generations/acceptance", G);
    r->gen_ess = vec(f, "generations/ess", G);
    double *sims = vec(f, "generations/simulations", G), *np = vec(f, "generations/particles", G);
    r->gen_simulations = calloc((size_t)G + 1, sizeof *r->gen_simulations);
    r->gen_n = calloc((size_t)G + 1, sizeof *r->gen_n);
    r->theta = calloc((size_t)G + 1, sizeof *r->theta);
    r->weight = calloc((size_t)G + 1, sizeof *r->weight);
    r->distance = calloc((size_t)G + 1, sizeof *r->distance);
    r->values = calloc((size_t)G + 1, sizeof *r->values);
    int rc = sims && np && r->gen_acceptance && r->gen_ess && r->gen_simulations && r->gen_n
             && r->theta && r->weight && r->distance && r->values ? 0 : -1;
    for (int g = 0; rc == 0 && g < G; g++) {
        char p[64];
        r->gen_simulations[g] = (long)sims[g];
        int n = r->gen_n[g] = (int)np[g];
        snprintf(p, sizeof p, "generations/%d/theta", g);
        r->theta[g] = mat(f, p, n, r->n_params);
        snprintf(p, sizeof p, "generations/%d/values", g);
        r->values[g] = mat(f, p, n, r->n_targets);
        snprintf(p, sizeof p, "generations/%d/weight", g);
        r->weight[g] = n ? vec(f, p, n) : calloc(1, sizeof(double));
        snprintf(p, sizeof p, "generations/%d/distance", g);
        r->distance[g] = n ? vec(f, p, n) : calloc(1, sizeof(double));
        if (!r->theta[g] || !r->values[g] || !r->weight[g] || !r->distance[g])
            rc = -1;
    }
    free(sims);
    free(np);
    return rc;
}

static int read_posterior(hid_t f, qm_calresult *r)
{
    int d = r->n_params;
    r->mean = vec(f, "posterior/mean", d);
    r->sd = vec(f, "posterior/sd", d);
    r->median = vec(f, "posterior/median", d);
    r->lo = vec(f, "posterior/lo", d);
    r->hi = vec(f, "posterior/hi", d);
    r->corr = mat(f, "posterior/correlation", d, d);
    return r->mean && r->sd && r->median && r->lo && r->hi && r->corr ? 0 : -1;
}

int qm_calresult_read(const char *path, qm_calresult *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    hid_t f = qm_h5_open_read(path, err, errlen);
    if (f < 0)
        return -1;
    char *kind = qm_h5_read_str_attr(f, "kind");
    long long complete = 0;
    int rc = -1;
    if (!kind || strcmp(kind, KIND))
        snprintf(err, errlen, "%s is not a calibration result (kind '%s', not '%s')", path,
                 kind ? kind : "none", KIND);
    else if (qm_h5_read_int_attr(f, "complete", &complete) || complete != 1)
        snprintf(err, errlen, "%s is an incomplete calibration result", path);
    else if (read_root(f, r) || read_meta(f, r) || read_gens(f, r) || read_posterior(f, r))
        snprintf(err, errlen, "cannot read %s (out of memory or a damaged file)", path);
    else
        rc = 0;
    free(kind);
    H5Fclose(f);
    if (rc != 0)
        qm_calresult_free(r);
    return rc;
}

int qm_calresult_last(const qm_calresult *r)
{
    return r->n_gens - 1;
}
