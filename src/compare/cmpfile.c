/* cmpfile.c: the comparison file (docs/analysis.md): one definition of its
 * layout, the writer `qmsim compare -o` uses and the reader `qmsim report`
 * uses.
 *
 *   /                root attributes: kind, qmsim_version, source, created,
 *                    seed, replications, n_scenarios, months, level, complete
 *   /scenarios/      name, source, description, settings, resolved, months,
 *                    runs [S]
 *   /runs/           scenario, replicate, seed, file [N]; outcomes [N, M];
 *                    events [N, QM_EV_N]
 *   /summary/        mean, ci_low, ci_high, diff, diff_low, diff_high, runs,
 *                    pairs, significant [M, S]; @outcomes, @scenarios, @level
 *   /series/{mean,lo,hi}/<series> [S, T]: across each scenario's runs */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_statistics_double.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include "io/h5.h"
#include "qmsim/comparison.h"
#include "qmsim/version.h"

/* ---- The layout ---- */

#define KIND "qmsim comparison"

enum { F_NAME = 0, F_SOURCE, F_DESCRIPTION, F_SETTINGS, F_RESOLVED, F_N };
static const char *const scen_fields[F_N] = {"name", "source", "description", "settings",
                                            "resolved"};
static const char *const scen_desc[F_N] = {
    "The scenario's label", "Scenario file, run files or sweep it came from",
    "The scenario's description",
    "Overrides applied (--set), or a design point's factor values",
    "The resolved scenario (every key), as in a run file's scenario_resolved"};

enum { ST_MEAN = 0, ST_LO, ST_HI, ST_DIFF, ST_DLO, ST_DHI, ST_N };
static const char *const stat_names[ST_N] = {"mean", "ci_low", "ci_high", "diff", "diff_low",
                                             "diff_high"};
static const char *const stat_desc[ST_N] = {
    "Mean of the outcome over the scenario's runs",
    "Lower end of the mean's interval (t distribution)",
    "Upper end of the mean's interval",
    "Mean difference to the first scenario, paired by seed and replicate (NaN for the first)",
    "Lower end of the difference's interval",
    "Upper end of the difference's interval"};

enum { IS_RUNS = 0, IS_PAIRS, IS_SIG, IS_N };
static const char *const istat_names[IS_N] = {"runs", "pairs", "significant"};
static const char *const istat_desc[IS_N] = {
    "Runs with a value",
    "Pairs of runs in the difference (0: unpaired, Welch's interval)",
    /* one string in two lines (parenthesised, so no compiler takes it for two) */
    ("1 when the difference's interval excludes 0, 0 when it includes 0 (n.s.), "
     "-1 when there is none (the first scenario, too few runs)")};

enum { B_MEAN = 0, B_LO, B_HI, B_N };
static const char *const band_groups[B_N] = {"mean", "lo", "hi"};
static const char *const band_desc[B_N] = {
    "Mean across the scenario's runs, month by month (NaN past its horizon)",
    "2.5th percentile across the scenario's runs, month by month",
    "97.5th percentile across the scenario's runs, month by month"};

/* ---- Writing: datasets with their descriptions and scales ---- */

/* Creates dataset name (rank 1 or 2, dims) of type and writes v, with a
 * "description" attribute; returns the open dataset or -1.  Compressed
 * when it holds more than 1024 values. */
static hid_t put_data(hid_t loc, const char *name, hid_t type, int rank, const hsize_t *dims,
                      const void *v, const char *desc)
{
    hid_t pl = H5Pcreate(H5P_DATASET_CREATE);
    hsize_t n = dims[0] * (rank > 1 ? dims[1] : 1);
    if (pl < 0)
        return -1;
    if (n > 1024 && dims[0] > 0 && (rank == 1 || dims[1] > 0)) {
        hsize_t chunk[2] = {dims[0], rank > 1 ? dims[1] : 1};
        while (chunk[0] * chunk[1] > 65536 && chunk[0] > 1)
            chunk[0] = (chunk[0] + 1) / 2;
        H5Pset_chunk(pl, rank, chunk);
        H5Pset_shuffle(pl);
        H5Pset_deflate(pl, 4);
    }
    hid_t d = qm_h5_put_dataset(loc, name, type, type, rank, dims, pl, v);
    H5Pclose(pl);
    if (d >= 0 && desc && qm_h5_put_str_attr(d, "description", desc) != 0) {
        H5Dclose(d);
        d = -1;
    }
    return d;
}

/* An int32 dimension scale 0..n-1 called name in loc; returns it open or -1. */
static hid_t put_scale(hid_t loc, const char *name, int n, const char *desc)
{
    int *v = malloc(((size_t)n + 1) * sizeof *v);
    hsize_t dim = (hsize_t)n;
    if (!v)
        return -1;
    for (int i = 0; i < n; i++)
        v[i] = i;
    hid_t d = put_data(loc, name, H5T_NATIVE_INT32, 1, &dim, v, desc);
    free(v);
    if (d >= 0 && H5DSset_scale(d, name) < 0) {
        H5Dclose(d);
        return -1;
    }
    return d;
}

static int attach(hid_t d, hid_t s0, hid_t s1)
{
    return H5DSattach_scale(d, s0, 0) < 0 || (s1 >= 0 && H5DSattach_scale(d, s1, 1) < 0) ? -1 : 0;
}

/* put_data, then a "units" attribute (unless units is NULL) and scales s0
 * (and s1 unless -1) attached; closes the dataset.  0 or -1. */
static int put_attached(hid_t loc, const char *name, hid_t type, int rank, const hsize_t *dims,
                        const void *v, const char *desc, const char *units, hid_t s0, hid_t s1)
{
    hid_t ds = put_data(loc, name, type, rank, dims, v, desc);
    if (ds < 0)
        return -1;
    int rc = (units && qm_h5_put_str_attr(ds, "units", units) != 0) || attach(ds, s0, s1) != 0
                 ? -1 : 0;
    H5Dclose(ds);
    return rc;
}

/* ---- Writing: the groups ---- */

/* Writes the summary table: /summary/<stat> [M, S]. */
static int write_summary(hid_t f, const qm_cmp *d, const qm_cmp_stat *st, double level)
{
    int S = d->n_scen, M = d->n_out, rc = -1;
    hid_t g = qm_h5_put_group(f, "summary");
    hid_t so = -1, ss = -1;
    double *v = malloc(((size_t)M * (size_t)S + 1) * sizeof *v);
    int *iv = malloc(((size_t)M * (size_t)S + 1) * sizeof *iv);
    const char **names = calloc((size_t)(M > S ? M : S) + 1, sizeof *names);
    hsize_t dims[2] = {(hsize_t)M, (hsize_t)S};
    if (g < 0 || !v || !iv || !names)
        goto out;
    if ((so = put_scale(g, "outcome", M, "Outcome index (see the outcomes attribute)")) < 0
        || (ss = put_scale(g, "scenario", S, "Scenario index (see the scenarios attribute)")) < 0)
        goto out;
    for (int m = 0; m < M; m++)
        names[m] = d->out[m].name;
    if (qm_h5_put_strs_attr(g, "outcomes", M, names) != 0)
        goto out;
    for (int s = 0; s < S; s++)
        names[s] = d->scen[s].name;
    if (qm_h5_put_strs_attr(g, "scenarios", S, names) != 0
        || qm_h5_put_attr(g, "level", H5T_NATIVE_DOUBLE, H5T_NATIVE_DOUBLE, &level) != 0)
        goto out;
    for (int k = 0; k < ST_N; k++) {
        for (int i = 0; i < M * S; i++) {
            const qm_cmp_stat *x = &st[i];
            double y[ST_N] = {x->mean, x->lo, x->hi, x->diff, x->dlo, x->dhi};
            v[i] = y[k];
        }
        if (put_attached(g, stat_names[k], H5T_NATIVE_DOUBLE, 2, dims, v, stat_desc[k], NULL, so,
                         ss) != 0)
            goto out;
    }
    for (int k = 0; k < IS_N; k++) {
        for (int i = 0; i < M * S; i++)
            iv[i] = k == IS_RUNS ? st[i].n : k == IS_PAIRS ? st[i].pairs : st[i].sig;
        if (put_attached(g, istat_names[k], H5T_NATIVE_INT32, 2, dims, iv, istat_desc[k], NULL,
                         so, ss) != 0)
            goto out;
    }
    rc = 0;
out:
    if (so >= 0)
        H5Dclose(so);
    if (ss >= 0)
        H5Dclose(ss);
    if (g >= 0)
        H5Gclose(g);
    free(v);
    free(iv);
    free(names);
    return rc;
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The bands of kept series i: band[k * S * T + s * T + t] for B_MEAN,
 * B_LO and B_HI, with scratch x (room for every run). */
static void bands_of(const qm_cmp *d, int i, double *band, double *x)
{
    int S = d->n_scen, T = d->T;
    size_t ST = (size_t)S * (size_t)T;
    for (int s = 0; s < S; s++)
        for (int t = 0; t < T; t++) {
            int n = 0;
            double sum = 0.0;
            for (int j = 0; j < d->n_runs; j++) {
                size_t k = ((size_t)j * (size_t)d->n_ser + (size_t)i) * (size_t)T + (size_t)t;
                double v = d->ser[k];
                if (d->run_scen[j] == s && isfinite(v)) {
                    x[n++] = v;
                    sum += v;
                }
            }
            size_t at = (size_t)s * (size_t)T + (size_t)t;
            if (n == 0) {
                band[at] = band[ST + at] = band[2 * ST + at] = NAN;
                continue;
            }
            qsort(x, (size_t)n, sizeof *x, cmp_dbl);
            band[at] = sum / n;
            band[ST + at] = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)n, 0.025);
            band[2 * ST + at] = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)n, 0.975);
        }
}

/* Writes /series/{mean,lo,hi}/<name> [S, T]: across each scenario's runs,
 * month by month, the mean and the 2.5 and 97.5 percentiles. */
static int write_bands(hid_t f, const qm_cmp *d)
{
    int S = d->n_scen, T = d->T, rc = -1;
    size_t ST = (size_t)S * (size_t)T;
    double *band = malloc((3 * ST + 1) * sizeof *band);
    double *x = malloc(((size_t)d->n_runs + 1) * sizeof *x);
    int *time = malloc(((size_t)T + 1) * sizeof *time);
    hid_t top = qm_h5_put_group(f, "series");
    hid_t g[B_N] = {-1, -1, -1}, sc[B_N] = {-1, -1, -1}, tm[B_N] = {-1, -1, -1};
    if (!band || !x || !time || top < 0)
        goto out;
    for (int t = 0; t < T; t++)
        time[t] = t;
    for (int k = 0; k < B_N; k++) {
        hsize_t dim = (hsize_t)T;
        g[k] = qm_h5_put_group(top, band_groups[k]);
        if (g[k] < 0 || qm_h5_put_str_attr(g[k], "description", band_desc[k]) != 0
            || (tm[k] = put_data(g[k], "time", H5T_NATIVE_INT32, 1, &dim, time,
                                 "Month of the run")) < 0
            || H5DSset_scale(tm[k], "time") < 0
            || qm_h5_put_str_attr(tm[k], "units", "months") != 0
            || (sc[k] = put_scale(g[k], "scenario", S, "Scenario index (/scenarios)")) < 0)
            goto out;
    }
    for (int i = 0; i < d->n_ser; i++) {
        bands_of(d, i, band, x);
        for (int k = 0; k < B_N; k++) {
            hsize_t dims[2] = {(hsize_t)S, (hsize_t)T};
            if (put_attached(g[k], d->ser_names[i], H5T_NATIVE_DOUBLE, 2, dims, band + k * ST,
                             d->ser_desc[i], d->ser_units[i], sc[k], tm[k]) != 0)
                goto out;
        }
    }
    rc = 0;
out:
    for (int k = 0; k < B_N; k++) {
        if (tm[k] >= 0)
            H5Dclose(tm[k]);
        if (sc[k] >= 0)
            H5Dclose(sc[k]);
        if (g[k] >= 0)
            H5Gclose(g[k]);
    }
    if (top >= 0)
        H5Gclose(top);
    free(band);
    free(x);
    free(time);
    return rc;
}

/* Text field k (F_*) of scenario c. */
static const char *scen_field(const qm_cmp_scenario *c, int k)
{
    return k == F_NAME ? c->name : k == F_SOURCE ? c->source : k == F_DESCRIPTION ? c->description
         : k == F_SETTINGS ? c->settings : c->resolved;
}

static int write_scenarios(hid_t f, const qm_cmp *d)
{
    int S = d->n_scen, rc = -1;
    hid_t g = qm_h5_put_group(f, "scenarios"), sc = -1;
    const char **v = calloc((size_t)S + 1, sizeof *v);
    int *iv = calloc((size_t)S + 1, sizeof *iv);
    hsize_t dim = (hsize_t)S;
    if (g < 0 || !v || !iv || (sc = put_scale(g, "scenario", S, "Scenario index")) < 0)
        goto out;
    for (int k = 0; k < F_N; k++) {
        for (int s = 0; s < S; s++)
            v[s] = scen_field(&d->scen[s], k);
        hid_t t = qm_h5_str_type();
        int bad = put_attached(g, scen_fields[k], t, 1, &dim, v, scen_desc[k], NULL, sc, -1);
        H5Tclose(t);
        if (bad)
            goto out;
    }
    for (int k = 0; k < 2; k++) {
        for (int s = 0; s < S; s++)
            iv[s] = k == 0 ? d->scen[s].months : d->scen[s].runs;
        if (put_attached(g, k ? "runs" : "months", H5T_NATIVE_INT32, 1, &dim, iv,
                         k ? "Runs of the scenario" : "Longest horizon of its runs, months", NULL,
                         sc, -1) != 0)
            goto out;
    }
    rc = 0;
out:
    if (sc >= 0)
        H5Dclose(sc);
    if (g >= 0)
        H5Gclose(g);
    free(v);
    free(iv);
    return rc;
}

/* /runs/outcomes [N, M] with its columns and descriptions.  0 or -1. */
static int write_run_outcomes(hid_t g, const qm_cmp *d, hid_t rs)
{
    int N = d->n_runs, M = d->n_out, rc = -1;
    hid_t cs = -1, ds = -1;
    const char **names = calloc((size_t)M + 1, sizeof *names);
    char (*descs)[400] = calloc((size_t)M + 1, sizeof *descs);
    const char **dp = calloc((size_t)M + 1, sizeof *dp);
    hsize_t dims[2] = {(hsize_t)N, (hsize_t)M};
    if (!names || !descs || !dp
        || (cs = put_scale(g, "outcome", M,
                           "Outcome index (the columns attribute of outcomes)")) < 0)
        goto out;
    ds = put_data(g, "outcomes", H5T_NATIVE_DOUBLE, 2, dims, d->y,
                  "Outcomes of each run (columns attribute)");
    for (int m = 0; m < M; m++) {
        names[m] = d->out[m].name;
        qm_outcomes_describe(&d->out[m], descs[m], sizeof descs[m]);
        dp[m] = descs[m];
    }
    if (ds >= 0 && attach(ds, rs, cs) == 0 && qm_h5_put_strs_attr(ds, "columns", M, names) == 0
        && qm_h5_put_strs_attr(ds, "descriptions", M, dp) == 0)
        rc = 0;
out:
    if (ds >= 0)
        H5Dclose(ds);
    if (cs >= 0)
        H5Dclose(cs);
    free(names);
    free(descs);
    free(dp);
    return rc;
}

/* /runs/events [N, QM_EV_N] with its columns.  0 or -1. */
static int write_run_events(hid_t g, const qm_cmp *d, hid_t rs)
{
    const char *names[QM_EV_N];
    hsize_t edims[2] = {(hsize_t)d->n_runs, QM_EV_N};
    hid_t es, ds = -1;
    int rc = -1;
    for (int e = 0; e < QM_EV_N; e++)
        names[e] = qm_event_names[e];
    es = put_scale(g, "event_type", QM_EV_N, "Event type (the columns attribute of events)");
    if (es < 0)
        return -1;
    ds = put_data(g, "events", H5T_NATIVE_DOUBLE, 2, edims, d->events,
                  "Events of each type in each run (columns attribute)");
    if (ds >= 0 && attach(ds, rs, es) == 0
        && qm_h5_put_strs_attr(ds, "columns", QM_EV_N, names) == 0)
        rc = 0;
    if (ds >= 0)
        H5Dclose(ds);
    H5Dclose(es);
    return rc;
}

static int write_runs(hid_t f, const qm_cmp *d)
{
    int N = d->n_runs, rc = -1;
    hid_t g = qm_h5_put_group(f, "runs"), rs = -1;
    hsize_t dim = (hsize_t)N;
    if (g < 0 || (rs = put_scale(g, "run", N, "Run index")) < 0)
        goto out;
    if (put_attached(g, "scenario", H5T_NATIVE_INT, 1, &dim, d->run_scen,
                     "Scenario of the run (index into /scenarios)", NULL, rs, -1) != 0
        || put_attached(g, "replicate", H5T_NATIVE_INT64, 1, &dim, d->run_rep,
                        "Replicate number (-1 when unknown)", NULL, rs, -1) != 0
        || put_attached(g, "seed", H5T_NATIVE_UINT64, 1, &dim, d->run_seed,
                        "Master seed of the run", NULL, rs, -1) != 0)
        goto out;
    hid_t t = qm_h5_str_type();
    int bad = put_attached(g, "file", t, 1, &dim, d->run_file,
                           "Run file it was read from (empty for runs made by compare)", NULL, rs,
                           -1);
    H5Tclose(t);
    if (bad || write_run_outcomes(g, d, rs) != 0 || (d->events && write_run_events(g, d, rs) != 0))
        goto out;
    rc = 0;
out:
    if (rs >= 0)
        H5Dclose(rs);
    if (g >= 0)
        H5Gclose(g);
    return rc;
}

/* Everything of the file, in order.  0 or -1. */
static int write_all(hid_t f, const qm_cmp *d, const qm_cmp_stat *st, double level)
{
    char created[32];
    time_t now_t = time(NULL);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now_t));
    int one = 1, S = d->n_scen, rep = d->replications, T = d->T;
    int ok = qm_h5_put_str_attr(f, "kind", KIND) == 0
             && qm_h5_put_str_attr(f, "qmsim_version", QMSIM_VERSION) == 0
             && qm_h5_put_str_attr(f, "source", qm_cmp_source_names[d->source]) == 0
             && qm_h5_put_str_attr(f, "created", created) == 0
             && qm_h5_put_attr(f, "seed", H5T_NATIVE_UINT64, H5T_NATIVE_UINT64, &d->seed) == 0
             && qm_h5_put_attr(f, "replications", H5T_NATIVE_INT, H5T_NATIVE_INT, &rep) == 0
             && qm_h5_put_attr(f, "n_scenarios", H5T_NATIVE_INT, H5T_NATIVE_INT, &S) == 0
             && qm_h5_put_attr(f, "months", H5T_NATIVE_INT, H5T_NATIVE_INT, &T) == 0
             && qm_h5_put_attr(f, "level", H5T_NATIVE_DOUBLE, H5T_NATIVE_DOUBLE, &level) == 0
             && write_scenarios(f, d) == 0 && write_runs(f, d) == 0
             && write_summary(f, d, st, level) == 0
             && (!d->ser || write_bands(f, d) == 0)
             && qm_h5_put_attr(f, "complete", H5T_NATIVE_INT, H5T_NATIVE_INT, &one) == 0;
    return ok ? 0 : -1;
}

int qm_cmpfile_write_to(qm_outfile *of, const qm_cmp *d, const qm_cmp_stat *st, double level,
                        char *err, size_t errlen)
{
    const char *temp = qm_outfile_temp(of);
    char why[256];
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_libver_bounds(fapl, H5F_LIBVER_EARLIEST, H5F_LIBVER_V18);
    H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    hid_t f = H5Fcreate(temp, H5F_ACC_TRUNC, fcpl, fapl);
    H5Pclose(fapl);
    H5Pclose(fcpl);
    if (f < 0) {
        qm_h5_reason(why, sizeof why);
        snprintf(err, errlen, "cannot create %s: %s", temp, why[0] ? why : strerror(errno));
        qm_outfile_discard(of);
        return QM_CMP_FAILED;
    }
    int ok = write_all(f, d, st, level) == 0 && H5Fflush(f, H5F_SCOPE_LOCAL) >= 0;
    if (!ok) {
        qm_h5_reason(why, sizeof why);
        snprintf(err, errlen, "cannot write %s: %s", temp, why[0] ? why : "HDF5 error");
        /* Giving the space back first lets the close succeed on a full disk. */
        if (truncate(temp, 0) != 0)
            errno = 0;
    }
    if (H5Fclose(f) < 0 && ok) {
        qm_h5_reason(why, sizeof why);
        snprintf(err, errlen, "cannot write %s: %s", temp, why[0] ? why : "HDF5 error");
        ok = 0;
    }
    if (!ok) {
        qm_outfile_discard(of);
        return QM_CMP_FAILED;
    }
    return qm_outfile_commit(of, err, errlen) == 0 ? QM_CMP_OK : QM_CMP_FAILED;
}

int qm_cmpfile_write(const char *path, int force, const qm_cmp *d, const qm_cmp_stat *st,
                     double level, char *err, size_t errlen)
{
    qm_outfile *of = qm_outfile_begin(path, force, err, errlen);
    return of ? qm_cmpfile_write_to(of, d, st, level, err, errlen) : QM_CMP_FAILED;
}

/* ---- Reading ---- */

void qm_cmpfile_free(qm_cmpfile *cf)
{
    for (int s = 0; s < cf->n_scen && cf->scen; s++) {
        free(cf->scen[s].name);
        free(cf->scen[s].description);
        free(cf->scen[s].settings);
        free(cf->scen[s].resolved);
        free(cf->scen[s].source);
    }
    free(cf->scen);
    free(cf->version);
    free(cf->created);
    free(cf->source);
    qm_h5_free_strings(cf->out_names, cf->n_out);
    qm_h5_free_strings(cf->out_desc, cf->n_out_desc);
    free(cf->mean);
    free(cf->lo);
    free(cf->hi);
    free(cf->diff);
    free(cf->dlo);
    free(cf->dhi);
    free(cf->sig);
    qm_h5_free_strings(cf->band_names, cf->n_band_names);
    qm_h5_free_strings(cf->ser_names, cf->n_ser);
    qm_h5_free_strings(cf->ser_units, cf->n_ser);
    qm_h5_free_strings(cf->ser_desc, cf->n_ser);
    free(cf->smean);
    free(cf->slo);
    free(cf->shi);
    free(cf->ev_mean);
    memset(cf, 0, sizeof *cf);
}

/* The scenarios' text fields and runs.  0, or -1 when unreadable. */
static int read_scenarios(hid_t f, qm_cmpfile *cf)
{
    char **v[F_N], path[64];
    int nv[F_N], ok = 1;
    hsize_t dims[2];
    for (int k = 0; k < F_N; k++) {
        snprintf(path, sizeof path, "scenarios/%s", scen_fields[k]);
        v[k] = qm_h5_read_strings(f, path, &nv[k]);
        ok &= v[k] && nv[k] == nv[F_NAME];
    }
    cf->n_scen = ok ? nv[F_NAME] : 0;
    if (ok && cf->n_scen > 0)
        cf->scen = calloc((size_t)cf->n_scen, sizeof *cf->scen);
    if (!cf->scen) {
        for (int k = 0; k < F_N; k++)
            qm_h5_free_strings(v[k], nv[k]);
        cf->n_scen = 0;
        return -1;
    }
    double *runs = qm_h5_read_doubles(f, "scenarios/runs", dims);
    for (int s = 0; s < cf->n_scen; s++) {
        qm_cmp_scenario *c = &cf->scen[s];
        c->name = v[F_NAME][s];
        c->source = v[F_SOURCE][s];
        c->description = v[F_DESCRIPTION][s];
        c->settings = v[F_SETTINGS][s];
        c->resolved = v[F_RESOLVED][s];
        c->runs = runs && dims[0] == (hsize_t)cf->n_scen ? (int)runs[s] : 0;
    }
    free(runs);
    for (int k = 0; k < F_N; k++)
        free(v[k]);   /* the strings now belong to the scenarios */
    return 0;
}

/* The summary table.  0, -1 when unreadable, -2 out of memory. */
static int read_summary(hid_t f, qm_cmpfile *cf)
{
    hsize_t dims[2];
    char path[64];
    int S = cf->n_scen;
    hid_t sg = H5Lexists(f, "summary", H5P_DEFAULT) > 0 ? H5Gopen2(f, "summary", H5P_DEFAULT) : -1;
    if (sg >= 0) {
        cf->out_names = qm_h5_read_strings(sg, "@outcomes", &cf->n_out);
        H5Gclose(sg);
    }
    hid_t rg = H5Lexists(f, "runs", H5P_DEFAULT) > 0 ? H5Dopen2(f, "runs/outcomes", H5P_DEFAULT)
                                                    : -1;
    if (rg >= 0) {
        cf->out_desc = qm_h5_read_strings(rg, "@descriptions", &cf->n_out_desc);
        H5Dclose(rg);
    }
    double **dst[ST_N] = {&cf->mean, &cf->lo, &cf->hi, &cf->diff, &cf->dlo, &cf->dhi};
    for (int k = 0; k < ST_N; k++) {
        snprintf(path, sizeof path, "summary/%s", stat_names[k]);
        *dst[k] = qm_h5_read_doubles(f, path, dims);
        if (!*dst[k] || dims[0] != (hsize_t)cf->n_out || dims[1] != (hsize_t)S)
            return -1;
    }
    snprintf(path, sizeof path, "summary/%s", istat_names[IS_SIG]);
    double *sig = qm_h5_read_doubles(f, path, dims);
    int sig_ok = sig && dims[0] == (hsize_t)cf->n_out && dims[1] == (hsize_t)S;
    cf->sig = malloc(((size_t)cf->n_out * (size_t)S + 1) * sizeof *cf->sig);
    for (int i = 0; cf->sig && i < cf->n_out * S; i++)
        cf->sig[i] = sig_ok ? (int)sig[i] : -1;
    free(sig);
    if (!cf->sig)
        return -2;
    hid_t a = H5Aexists_by_name(f, "summary", "level", H5P_DEFAULT) > 0
                  ? H5Aopen_by_name(f, "summary", "level", H5P_DEFAULT, H5P_DEFAULT) : -1;
    cf->level = 0.95;
    if (a >= 0) {
        H5Aread(a, H5T_NATIVE_DOUBLE, &cf->level);
        H5Aclose(a);
    }
    return 0;
}

/* The names of /series/mean but its scales, in creation order. */
static void read_band_names(hid_t f, qm_cmpfile *cf)
{
    hid_t g = H5Gopen2(f, "series/mean", H5P_DEFAULT);
    H5G_info_t info;
    if (g >= 0 && H5Gget_info(g, &info) >= 0) {
        cf->band_names = calloc((size_t)info.nlinks + 1, sizeof *cf->band_names);
        for (hsize_t i = 0; cf->band_names && i < info.nlinks; i++) {
            char nm[256];
            if (H5Lget_name_by_idx(g, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, nm, sizeof nm,
                                   H5P_DEFAULT) < 0
                && H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, nm, sizeof nm,
                                      H5P_DEFAULT) < 0)
                continue;
            if (!strcmp(nm, "time") || !strcmp(nm, "scenario"))
                continue;
            cf->band_names[cf->n_band_names++] = strdup(nm);
        }
    }
    if (g >= 0)
        H5Gclose(g);
}

/* The bands of series name, appended when whole and of the shape of the
 * others.  0, or -1 when memory runs out (stop reading bands). */
static int read_band(hid_t f, qm_cmpfile *cf, const char *name)
{
    char path[300];
    hsize_t dims[B_N][2];
    double *v[B_N];
    int S = cf->n_scen, ok = 1;
    for (int k = 0; k < B_N; k++) {
        snprintf(path, sizeof path, "series/%s/%s", band_groups[k], name);
        v[k] = qm_h5_read_doubles(f, path, dims[k]);
        ok &= v[k] != NULL;
    }
    ok = ok && dims[B_MEAN][0] == (hsize_t)S
         && (cf->n_ser == 0 || dims[B_MEAN][1] == (hsize_t)cf->T);
    for (int k = 1; ok && k < B_N; k++)
        ok = dims[k][0] == dims[B_MEAN][0] && dims[k][1] == dims[B_MEAN][1];
    int rc = 0;
    if (ok && cf->n_ser == 0) {
        cf->T = (int)dims[B_MEAN][1];
        size_t cap = (size_t)cf->n_band_names * (size_t)S * (size_t)cf->T + 1;
        cf->smean = malloc(cap * sizeof(double));
        cf->slo = malloc(cap * sizeof(double));
        cf->shi = malloc(cap * sizeof(double));
        if (!cf->smean || !cf->slo || !cf->shi)
            ok = 0, rc = -1;
    }
    if (ok) {
        size_t at = (size_t)cf->n_ser * (size_t)S * (size_t)cf->T, len = (size_t)S * (size_t)cf->T;
        double *dst[B_N] = {cf->smean, cf->slo, cf->shi};
        for (int k = 0; k < B_N; k++)
            memcpy(dst[k] + at, v[k], len * sizeof(double));
        snprintf(path, sizeof path, "series/mean/%s", name);
        hid_t ds = H5Dopen2(f, path, H5P_DEFAULT);
        char *u = ds >= 0 ? qm_h5_read_str_attr(ds, "units") : NULL;
        char *dd = ds >= 0 ? qm_h5_read_str_attr(ds, "description") : NULL;
        if (ds >= 0)
            H5Dclose(ds);
        cf->ser_units[cf->n_ser] = u ? u : strdup("");
        cf->ser_desc[cf->n_ser] = dd ? dd : strdup("");
        cf->ser_names[cf->n_ser++] = strdup(name);
    }
    for (int k = 0; k < B_N; k++)
        free(v[k]);
    return rc;
}

/* The bands of the series in list, at most max.  0, or -1 out of memory. */
static int read_bands(hid_t f, qm_cmpfile *cf, const char *list, int max)
{
    cf->has_bands = H5Lexists(f, "series", H5P_DEFAULT) > 0
                    && H5Lexists(f, "series/mean", H5P_DEFAULT) > 0;
    if (!cf->has_bands)
        return 0;
    read_band_names(f, cf);
    int n = cf->n_band_names;
    cf->ser_names = calloc((size_t)n + 1, sizeof(char *));
    cf->ser_units = calloc((size_t)n + 1, sizeof(char *));
    cf->ser_desc = calloc((size_t)n + 1, sizeof(char *));
    if (!cf->ser_names || !cf->ser_units || !cf->ser_desc)
        return -1;
    for (int i = 0; i < n; i++)
        if (cf->band_names[i] && qm_outcomes_listed(list, cf->band_names[i])
            && cf->n_ser < max && read_band(f, cf, cf->band_names[i]) != 0)
            break;
    return 0;
}

/* Mean events of each type per run in each scenario, when the file has them. */
static void read_events(hid_t f, qm_cmpfile *cf)
{
    hsize_t dims[2], d1[2];
    int S = cf->n_scen;
    double *ev = qm_h5_read_doubles(f, "runs/events", dims);
    double *rs = qm_h5_read_doubles(f, "runs/scenario", d1);
    if (ev && rs && dims[1] == QM_EV_N && d1[0] == dims[0]) {
        cf->ev_mean = calloc((size_t)S * QM_EV_N + 1, sizeof(double));
        int *cnt = calloc((size_t)S + 1, sizeof *cnt);
        for (hsize_t j = 0; cf->ev_mean && cnt && j < dims[0]; j++) {
            int s = (int)rs[j];
            if (s < 0 || s >= S)
                continue;
            cnt[s]++;
            for (int e = 0; e < QM_EV_N; e++)
                cf->ev_mean[s * QM_EV_N + e] += ev[j * QM_EV_N + (hsize_t)e];
        }
        for (int s = 0; cf->ev_mean && cnt && s < S; s++)
            for (int e = 0; e < QM_EV_N; e++)
                cf->ev_mean[s * QM_EV_N + e] = cnt[s] ? cf->ev_mean[s * QM_EV_N + e] / cnt[s] : NAN;
        free(cnt);
    }
    free(ev);
    free(rs);
}

/* Everything but the file's opening; the message in err.  QM_CMP_*. */
static int read_all(hid_t f, const char *path, const char *list, int max, qm_cmpfile *cf,
                    char *err, size_t errlen)
{
    long long complete = 0;
    if (qm_h5_read_int_attr(f, "complete", &complete) != 0 || complete != 1) {
        snprintf(err, errlen, "%s is incomplete", path);
        return QM_CMP_FAILED;
    }
    cf->version = qm_h5_read_str_attr(f, "qmsim_version");
    cf->created = qm_h5_read_str_attr(f, "created");
    cf->source = qm_h5_read_str_attr(f, "source");
    qm_h5_read_int_attr(f, "seed", &cf->seed);
    qm_h5_read_int_attr(f, "replications", &cf->replications);
    if (read_scenarios(f, cf) != 0) {
        snprintf(err, errlen, "%s has no readable /scenarios", path);
        return QM_CMP_FAILED;
    }
    int rc = read_summary(f, cf);
    if (rc != 0) {
        if (rc == -1)
            snprintf(err, errlen, "%s has no readable /summary", path);
        else
            snprintf(err, errlen, "cannot read %s (out of memory or a damaged file)", path);
        return QM_CMP_FAILED;
    }
    read_bands(f, cf, list, max);
    read_events(f, cf);
    return QM_CMP_OK;
}

int qm_cmpfile_read(const char *path, const char *list, int max, qm_cmpfile *cf, char *err,
                    size_t errlen)
{
    memset(cf, 0, sizeof *cf);
    hid_t f = qm_h5_open_read(path, err, errlen);
    if (f < 0)
        return QM_CMP_FAILED;
    if (qm_h5_check_whole(f, path, err, errlen) != 0) {
        H5Fclose(f);
        return QM_CMP_FAILED;
    }
    int rc = read_all(f, path, list, max, cf, err, errlen);
    H5Fclose(f);
    return rc;
}
