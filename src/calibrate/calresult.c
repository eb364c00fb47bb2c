/* calresult.c: writing a calibration's result file (docs/calibration.md
 * has the layout): the calibration file and the scenarios it ran, its
 * parameters and targets (with what each compares), every generation's particles, weights,
 * distances and target values with its tolerance, acceptance rate and
 * effective sample size, and the posterior summary.  The driver writes
 * it at the temporary name of qmsim/outfile.h and commits it when whole. */
#include "qmsim/calibrate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "io/h5.h"
#include "qmsim/rng.h"
#include "qmsim/version.h"

#define KIND "qmsim calibration"
#define INTERVAL_LO 0.05   /* the posterior's 90 % interval */
#define INTERVAL_HI 0.95

/* A whole dataset of doubles, d0 (x d1 when d1 > 0), closed at once. */
static int put_doubles(hid_t loc, const char *name, hsize_t d0, hsize_t d1, const double *v)
{
    hsize_t dims[2] = {d0, d1};
    hid_t ds = qm_h5_put_dataset(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, d1 > 0 ? 2 : 1,
                                 dims, H5P_DEFAULT, v);
    if (ds < 0)
        return -1;
    qm_h5_release(ds);
    return 0;
}

static int put_strings(hid_t loc, const char *name, int n, const char *const *v)
{
    hid_t t = qm_h5_str_type();
    hsize_t dims[1] = {(hsize_t)n};
    hid_t ds = t < 0 ? QM_H5_NONE
                     : qm_h5_put_dataset(loc, name, t, t, 1, dims, H5P_DEFAULT, v);
    qm_h5_release(t);
    if (ds < 0)
        return -1;
    qm_h5_release(ds);
    return 0;
}

static int attr_long(hid_t loc, const char *name, long long v)
{
    return qm_h5_put_attr(loc, name, H5T_STD_I64LE, H5T_NATIVE_LLONG, &v);
}

static int attr_double(hid_t loc, const char *name, double v)
{
    return qm_h5_put_attr(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &v);
}

static int write_root(hid_t f, const qm_cal *c, const qm_abc *a)
{
    uint64_t seed = c->abc.seed;
    int rc = qm_h5_put_str_attr(f, "kind", KIND);
    rc |= qm_h5_put_str_attr(f, "version", qm_version());
    rc |= qm_h5_put_str_attr(f, "calibration_file", c->file);
    rc |= qm_h5_put_str_attr(f, "calibration_text", c->text);
    rc |= qm_h5_put_str_attr(f, "base", c->base);
    rc |= qm_h5_put_str_attr(f, "base_source", c->base_source);
    rc |= qm_h5_put_str_attr(f, "base_text", c->base_text);
    rc |= qm_h5_put_str_attr(f, "base_resolved", c->base_resolved);
    rc |= qm_h5_put_str_attr(f, "algorithm", qm_abc_method_names[c->abc.method]);
    rc |= qm_h5_put_str_attr(f, "generator", qm_rng_names[QM_RNG_CMRG]);
    rc |= qm_h5_put_str_attr(f, "stop", qm_abc_stop_names[qm_abc_stopped(a)]);
    rc |= qm_h5_put_attr(f, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &seed);
    rc |= attr_long(f, "particles", c->abc.particles);
    rc |= attr_long(f, "replications", c->replications);
    rc |= attr_long(f, "months", c->months);
    rc |= attr_long(f, "simulations", qm_abc_simulations(a));
    rc |= attr_long(f, "budget", c->abc.budget);
    rc |= attr_double(f, "quantile", c->abc.quantile);
    return rc;
}

static int write_params(hid_t f, const qm_cal *c)
{
    int d = c->n_params, rc = 0;
    const char **names = calloc((size_t)d, sizeof *names), **paths = calloc((size_t)d, sizeof *paths);
    const char **priors = calloc((size_t)d, sizeof *priors);
    double *v = malloc((size_t)d * 4 * sizeof *v);
    hid_t g = qm_h5_put_group(f, "parameters");
    if (!names || !paths || !priors || !v || g < 0)
        rc = -1;
    for (int j = 0; rc == 0 && j < d; j++) {
        const qm_prior *p = &c->abc.prior[j];
        names[j] = c->params[j].f.name;
        paths[j] = c->params[j].f.path;
        priors[j] = qm_prior_names[p->kind];
        v[j] = p->lo, v[d + j] = p->hi, v[2 * d + j] = p->a, v[3 * d + j] = p->b;
    }
    if (rc == 0) {
        rc |= put_strings(g, "name", d, names);
        rc |= put_strings(g, "path", d, paths);
        rc |= put_strings(g, "prior", d, priors);
        rc |= put_doubles(g, "min", (hsize_t)d, 0, v);
        rc |= put_doubles(g, "max", (hsize_t)d, 0, v + d);
        rc |= put_doubles(g, "prior_a", (hsize_t)d, 0, v + 2 * d);
        rc |= put_doubles(g, "prior_b", (hsize_t)d, 0, v + 3 * d);
    }
    qm_h5_release(g);
    free(names), free(paths), free(priors), free(v);
    return rc;
}

static int write_targets(hid_t f, const qm_cal *c)
{
    int m = c->n_targets, rc = 0;
    const char **names = calloc((size_t)m * 5, sizeof *names);
    double *v = malloc((size_t)m * 5 * sizeof *v);
    hid_t g = qm_h5_put_group(f, "targets");
    if (!names || !v || g < 0)
        rc = -1;
    for (int t = 0; rc == 0 && t < m; t++) {
        const qm_abc_target *T = &c->abc.target[t];
        const qm_cal_target *C = &c->targets[t];
        names[t] = C->label;
        names[m + t] = C->relation == QM_CAL_REL_COST_SHARE ? "" : C->out.name;
        names[2 * m + t] = c->scen[C->scenario_entry].name;
        names[3 * m + t] = C->relative_entry >= 0 ? c->scen[C->relative_entry].name : "";
        names[4 * m + t] = qm_cal_relation_names[C->relation];
        v[t] = T->band ? NAN : T->value;
        v[m + t] = T->tol;
        v[2 * m + t] = T->band ? T->lo : NAN;
        v[3 * m + t] = T->band ? T->hi : NAN;
        v[4 * m + t] = T->band;
    }
    if (rc == 0) {
        rc |= put_strings(g, "name", m, names);
        rc |= put_strings(g, "outcome", m, names + m);
        rc |= put_strings(g, "scenario", m, names + 2 * m);
        rc |= put_strings(g, "relative_to", m, names + 3 * m);
        rc |= put_strings(g, "relation", m, names + 4 * m);
        rc |= put_doubles(g, "observed", (hsize_t)m, 0, v);
        rc |= put_doubles(g, "tolerance", (hsize_t)m, 0, v + m);
        rc |= put_doubles(g, "band_min", (hsize_t)m, 0, v + 2 * m);
        rc |= put_doubles(g, "band_max", (hsize_t)m, 0, v + 3 * m);
        rc |= put_doubles(g, "is_band", (hsize_t)m, 0, v + 4 * m);
    }
    qm_h5_release(g);
    free(names), free(v);
    return rc;
}

/* /scenarios: the scenarios the targets name other than the base, by the
 * name written, with their sources and texts (none when every target is
 * measured on the base). */
static int write_scenarios(hid_t f, const qm_cal *c)
{
    int n = c->n_scen - 1, rc = 0;
    if (n < 1)
        return 0;
    const char **v = calloc((size_t)n * 3, sizeof *v);
    hid_t g = qm_h5_put_group(f, "scenarios");
    if (!v || g < 0)
        rc = -1;
    for (int s = 0; rc == 0 && s < n; s++) {
        v[s] = c->scen[s + 1].name;
        v[n + s] = c->scen[s + 1].source;
        v[2 * n + s] = c->scen[s + 1].text;
    }
    if (rc == 0) {
        rc |= put_strings(g, "name", n, v);
        rc |= put_strings(g, "source", n, v + n);
        rc |= put_strings(g, "text", n, v + 2 * n);
    }
    qm_h5_release(g);
    free(v);
    return rc;
}

/* /generations: one row per generation, and a group per generation with
 * its particles. */
static int write_gens(hid_t f, const qm_cal *c, const qm_abc *a)
{
    int G = qm_abc_n_gens(a), d = c->n_params, m = c->n_targets, rc = 0;
    double *row = malloc((size_t)(G ? G : 1) * 6 * sizeof *row);
    hid_t g = qm_h5_put_group(f, "generations");
    if (!row || g < 0)
        rc = -1;
    for (int i = 0; rc == 0 && i < G; i++) {
        const qm_abc_gen *x = qm_abc_gen_at(a, i);
        char name[32];
        row[i] = x->tolerance;
        row[G + i] = x->acceptance;
        row[2 * G + i] = x->ess;
        row[3 * G + i] = (double)x->simulations;
        row[4 * G + i] = (double)x->attempts;
        row[5 * G + i] = x->n;
        snprintf(name, sizeof name, "%d", i);
        hid_t p = qm_h5_put_group(g, name);
        if (p < 0) {
            rc = -1;
            break;
        }
        rc |= put_doubles(p, "theta", (hsize_t)x->n, (hsize_t)d, x->theta);
        rc |= put_doubles(p, "weight", (hsize_t)x->n, 0, x->weight);
        rc |= put_doubles(p, "distance", (hsize_t)x->n, 0, x->distance);
        rc |= put_doubles(p, "values", (hsize_t)x->n, (hsize_t)m, x->values);
        qm_h5_release(p);
    }
    if (rc == 0) {
        rc |= put_doubles(g, "tolerance", (hsize_t)G, 0, row);
        rc |= put_doubles(g, "acceptance", (hsize_t)G, 0, row + G);
        rc |= put_doubles(g, "ess", (hsize_t)G, 0, row + 2 * G);
        rc |= put_doubles(g, "simulations", (hsize_t)G, 0, row + 3 * G);
        rc |= put_doubles(g, "attempts", (hsize_t)G, 0, row + 4 * G);
        rc |= put_doubles(g, "particles", (hsize_t)G, 0, row + 5 * G);
    }
    qm_h5_release(g);
    free(row);
    return rc;
}

/* /posterior: the last generation's weighted summary. */
static int write_posterior(hid_t f, const qm_cal *c, const qm_abc *a)
{
    const qm_abc_gen *x = qm_abc_posterior(a);
    int d = c->n_params, rc = 0;
    double *v = malloc((size_t)d * (5 + (size_t)d) * sizeof *v);
    hid_t g = qm_h5_put_group(f, "posterior");
    if (!v || g < 0 || !x) {
        qm_h5_release(g);
        free(v);
        return -1;
    }
    for (int j = 0; j < d; j++) {
        qm_abc_marginal mg;
        qm_abc_marginal_of(x, d, j, INTERVAL_LO, INTERVAL_HI, &mg);
        v[j] = mg.mean, v[d + j] = mg.sd, v[2 * d + j] = mg.median;
        v[3 * d + j] = mg.lo, v[4 * d + j] = mg.hi;
    }
    qm_abc_correlation(x, d, v + 5 * d);
    rc |= put_doubles(g, "mean", (hsize_t)d, 0, v);
    rc |= put_doubles(g, "sd", (hsize_t)d, 0, v + d);
    rc |= put_doubles(g, "median", (hsize_t)d, 0, v + 2 * d);
    rc |= put_doubles(g, "lo", (hsize_t)d, 0, v + 3 * d);
    rc |= put_doubles(g, "hi", (hsize_t)d, 0, v + 4 * d);
    rc |= put_doubles(g, "correlation", (hsize_t)d, (hsize_t)d, v + 5 * d);
    rc |= attr_double(g, "interval_lo", INTERVAL_LO);
    rc |= attr_double(g, "interval_hi", INTERVAL_HI);
    rc |= attr_long(g, "generation", qm_abc_n_gens(a) - 1);
    qm_h5_release(g);
    free(v);
    return rc;
}

int qm_calresult_write(const char *path, const qm_cal *c, const qm_abc *a, char *err,
                       size_t errlen)
{
    char why[256];
    /* HDF5 prints nothing unless QMSIM_DEBUG is set (qm_outfile_hdf5_setup):
     * failures are told in one sentence with HDF5's innermost reason. */
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0) {
        qm_h5_reason(why, sizeof why);
        snprintf(err, errlen, "cannot create %s: %s", path, why[0] ? why : strerror(errno));
        return -1;
    }
    int rc = write_root(f, c, a);
    rc |= write_params(f, c);
    rc |= write_targets(f, c);
    rc |= write_scenarios(f, c);
    rc |= write_gens(f, c, a);
    rc |= write_posterior(f, c, a);
    if (rc == 0)
        rc |= attr_long(f, "complete", 1);
    if (rc != 0) {
        qm_h5_reason(why, sizeof why);
        snprintf(err, errlen, "cannot write %s: %s", path, why[0] ? why : "HDF5 error");
        /* Giving the space back first lets the close below succeed on a
         * full disk (see qm_outfile_hdf5_setup). */
        if (truncate(path, 0) != 0)
            errno = 0;
    }
    if (H5Fclose(f) < 0 && rc == 0) {
        qm_h5_reason(why, sizeof why);
        snprintf(err, errlen, "cannot write %s: %s", path, why[0] ? why : "HDF5 error");
        rc = -1;
    }
    return rc != 0 ? -1 : 0;
}
