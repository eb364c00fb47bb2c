/* compare.c: `qmsim compare`: runs scenarios over replications with common
 * random numbers (or reads run files, or a sweep's design points) and
 * reports each outcome's mean with a confidence interval and the paired
 * difference to the first scenario (docs/analysis.md). */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <omp.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/compare.h"
#include "qmsim/qmsim.h"
#include "qmsim/sweep.h"

void qm_cli_print_errors(const qm_errors *err);

/* ---------------------------------------------------------------------- */
/* Key outcomes                                                            */
/* ---------------------------------------------------------------------- */

const qm_var_def qm_key_outcome_defs[QM_KO_N] = {
    {"tender_share", "1", "Share of expiry decisions that sent the contract to tender"},
    {"switch_rate", "1/year", "Switches of provider a year per contract in force"},
    {"tc_per_spend", "GBP/GBP", "Transaction costs (ex ante and ex post) per GBP paid to providers"},
    {"trust", "1", "Mean trust of commissioners in their incumbent providers, over the months"},
    {"quality", "1", "Quality delivered, weighted by activity over the run"},
    {"unmet_share", "1", "Share of demand not delivered"},
    {"agency_fees", "GBP/year", "Fees paid to support agencies a year"},
    {"dependency", "1", "Mean dependency index: share of analytic capability from outside"},
    {"developments", "developments", "Service developments launched over the run"},
};

const int qm_cmp_main_series[] = {
    QM_S_TRUST_MEAN_PROVIDER, QM_S_DECISIONS_TENDER, QM_S_SWITCHES, QM_S_TC_EX_ANTE,
    QM_S_TC_EX_POST, QM_S_QUALITY_DELIVERED, QM_S_UNMET_DEMAND,
    QM_S_KNOWLEDGE_ANALYTIC_MEAN, QM_S_DEPENDENCY_INDEX, QM_S_AGENCY_FEES,
    QM_S_DEVELOPMENTS_IN_PROGRESS, QM_S_CONTRACTS_ACTIVE, QM_S_HHI_MEAN, QM_S_SPEND,
};
const int qm_cmp_main_series_n = (int)(sizeof qm_cmp_main_series / sizeof qm_cmp_main_series[0]);

static int series_index(const char *name)
{
    for (int k = 0; k < QM_S_N; k++)
        if (!strcmp(qm_series_defs[k].name, name))
            return k;
    return -1;
}

static void set_name(char *dst, const char *src, size_t n)
{
    snprintf(dst, QM_CMP_NAME_MAX, "%.*s", (int)(n < QM_CMP_NAME_MAX - 1 ? n : QM_CMP_NAME_MAX - 1),
             src);
}

/* Parses one entry of an outcome list (len bytes at s).  0 or -1. */
static int parse_one(const char *s, size_t len, qm_cmp_outcome *o)
{
    char buf[QM_CMP_NAME_MAX];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    memset(o, 0, sizeof *o);
    o->key = o->series = o->column = -1;
    set_name(o->name, buf, len);
    for (int k = 0; k < QM_KO_N; k++)
        if (!strcmp(buf, qm_key_outcome_defs[k].name)) {
            o->key = k;
            return 0;
        }
    char *colon = strchr(buf, ':');
    const char *series = buf;
    o->reduce = QM_REDUCE_MEAN;
    if (colon) {
        *colon = '\0';
        o->reduce = -1;
        for (int r = 0; qm_reduce_names[r]; r++)
            if (!strcmp(buf, qm_reduce_names[r]))
                o->reduce = r;
        if (o->reduce < 0)
            return -1;
        series = colon + 1;
    }
    o->series = series_index(series);
    if (o->series < 0)
        return -1;
    if (!colon) {   /* a bare series: print it as what it is */
        char full[QM_CMP_NAME_MAX + 8];
        snprintf(full, sizeof full, "mean:%s", series);
        set_name(o->name, full, strlen(full));
    }
    return 0;
}

int qm_cmp_outcomes_parse(const char *list, qm_cmp_outcome *out, int max, char *err,
                          size_t errlen)
{
    int n = 0;
    if (!list) {
        for (int k = 0; k < QM_KO_N && k < max; k++) {
            memset(&out[k], 0, sizeof out[k]);
            snprintf(out[k].name, sizeof out[k].name, "%s", qm_key_outcome_defs[k].name);
            out[k].key = k;
            out[k].series = out[k].column = -1;
            n++;
        }
        return n;
    }
    const char *s = list;
    for (;;) {
        size_t len = strcspn(s, ",");
        if (n == max) {
            snprintf(err, errlen, "more than %d outcomes", max);
            return -1;
        }
        if (parse_one(s, len, &out[n]) != 0) {
            snprintf(err, errlen,
                     "unknown outcome '%.*s': give a key outcome (tender_share, switch_rate, "
                     "tc_per_spend, trust, quality, unmet_share, agency_fees, dependency, "
                     "developments) or REDUCE:SERIES with REDUCE mean, sum, final, min or max "
                     "and SERIES a series of `qmsim summary`",
                     (int)(len < 200 ? len : 200), s);
            return -1;
        }
        n++;
        if (!s[len])
            break;
        s += len + 1;
    }
    return n;
}

/* Sum of series k over the months. */
static double total(const double *ser, size_t stride, int k, int months)
{
    double x = 0.0;
    for (int t = 0; t < months; t++)
        x += ser[(size_t)k * stride + (size_t)t];
    return x;
}

static double ratio(double a, double b)
{
    return b > 0.0 ? a / b : NAN;
}

double qm_cmp_outcome_eval(const qm_cmp_outcome *o, const double *ser, size_t stride, int months)
{
    if (months <= 0 || !ser)
        return NAN;
    double years = months / 12.0, m = months;
    if (o->key < 0) {
        const double *v = ser + (size_t)o->series * stride;
        double x = v[0];
        switch (o->reduce) {
        case QM_REDUCE_SUM: return total(ser, stride, o->series, months);
        case QM_REDUCE_MEAN: return total(ser, stride, o->series, months) / m;
        case QM_REDUCE_FINAL: return v[months - 1];
        case QM_REDUCE_MIN:
            for (int t = 1; t < months; t++)
                x = v[t] < x ? v[t] : x;
            return x;
        case QM_REDUCE_MAX:
            for (int t = 1; t < months; t++)
                x = v[t] > x ? v[t] : x;
            return x;
        default: return NAN;
        }
    }
#define T(k) total(ser, stride, (k), months)
    switch (o->key) {
    case QM_KO_TENDER_SHARE:
        return ratio(T(QM_S_DECISIONS_TENDER),
                     T(QM_S_DECISIONS_RENEW) + T(QM_S_DECISIONS_RENEGOTIATE)
                     + T(QM_S_DECISIONS_TENDER) + T(QM_S_DECISIONS_DECOMMISSION));
    case QM_KO_SWITCH_RATE:
        return ratio(T(QM_S_SWITCHES) / years, T(QM_S_CONTRACTS_ACTIVE) / m);
    case QM_KO_TC_PER_SPEND:
        return ratio(T(QM_S_TC_EX_ANTE) + T(QM_S_TC_EX_POST), T(QM_S_SPEND));
    case QM_KO_TRUST:
        return T(QM_S_TRUST_MEAN_PROVIDER) / m;
    case QM_KO_QUALITY: {
        double qa = 0.0;
        for (int t = 0; t < months; t++)
            qa += ser[(size_t)QM_S_QUALITY_DELIVERED * stride + (size_t)t]
                  * ser[(size_t)QM_S_ACTIVITY * stride + (size_t)t];
        return ratio(qa, T(QM_S_ACTIVITY));
    }
    case QM_KO_UNMET_SHARE:
        return ratio(T(QM_S_UNMET_DEMAND), T(QM_S_UNMET_DEMAND) + T(QM_S_ACTIVITY));
    case QM_KO_AGENCY_FEES:
        return T(QM_S_AGENCY_FEES) / years;
    case QM_KO_DEPENDENCY:
        return T(QM_S_DEPENDENCY_INDEX) / m;
    case QM_KO_DEVELOPMENTS:
        return T(QM_S_DEVELOPMENTS_COMPLETED);
    default:
        return NAN;
    }
#undef T
}

const char *qm_cmp_outcome_describe(const qm_cmp_outcome *o, char *buf, size_t n)
{
    if (o->key >= 0)
        snprintf(buf, n, "%s", qm_key_outcome_defs[o->key].description);
    else if (o->series >= 0)
        snprintf(buf, n, "%s over the months of: %s (%s)", qm_reduce_names[o->reduce],
                 qm_series_defs[o->series].description, qm_series_defs[o->series].units);
    else
        snprintf(buf, n, "%s", o->desc[0] ? o->desc : "an outcome of the sweep");
    return buf;
}

/* ---------------------------------------------------------------------- */
/* HDF5 readers                                                            */
/* ---------------------------------------------------------------------- */

hid_t qm_h5_open(const char *cmd, const char *path)
{
    struct stat st;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (stat(path, &st) != 0 || access(path, R_OK) != 0) {
        fprintf(stderr, "qmsim %s: cannot open %s: %s\n", cmd, path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode) || H5Fis_hdf5(path) <= 0) {
        fprintf(stderr, "qmsim %s: %s is not an HDF5 file\n", cmd, path);
        return -1;
    }
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        fprintf(stderr, "qmsim %s: cannot open %s as HDF5\n", cmd, path);
    return f;
}

char *qm_h5_str_attr(hid_t loc, const char *name)
{
    hid_t a, ft, mt = -1;
    char *out = NULL;
    if (H5Aexists(loc, name) <= 0 || (a = H5Aopen(loc, name, H5P_DEFAULT)) < 0)
        return NULL;
    ft = H5Aget_type(a);
    /* HDF5 will not convert between character sets: read in the file's. */
    if (ft >= 0 && H5Tget_class(ft) == H5T_STRING && (mt = H5Tcopy(H5T_C_S1)) >= 0
        && H5Tset_cset(mt, H5Tget_cset(ft)) >= 0) {
        if (H5Tis_variable_str(ft) > 0) {
            char *v = NULL;
            if (H5Tset_size(mt, H5T_VARIABLE) >= 0 && H5Aread(a, mt, &v) >= 0 && v) {
                out = strdup(v);
                H5free_memory(v);
            }
        } else {
            size_t n = H5Tget_size(ft);
            out = n > 0 ? calloc(1, n + 1) : NULL;
            if (out && (H5Tset_size(mt, n + 1) < 0 || H5Aread(a, mt, out) < 0)) {
                free(out);
                out = NULL;
            }
        }
    }
    if (mt >= 0)
        H5Tclose(mt);
    if (ft >= 0)
        H5Tclose(ft);
    H5Aclose(a);
    return out;
}

int qm_h5_int_attr(hid_t loc, const char *name, long long *v)
{
    hid_t a;
    if (H5Aexists(loc, name) <= 0 || (a = H5Aopen(loc, name, H5P_DEFAULT)) < 0)
        return -1;
    int rc = H5Aread(a, H5T_NATIVE_LLONG, v) < 0 ? -1 : 0;
    H5Aclose(a);
    return rc;
}

void qm_h5_strings_free(char **v, int n)
{
    if (!v)
        return;
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

char **qm_h5_strings(hid_t loc, const char *path, int *n)
{
    int attr = path[0] == '@';
    hid_t obj = -1, space = -1, ft = -1, mt = -1;
    char **raw = NULL, **out = NULL;
    hssize_t cnt = 0;
    *n = 0;
    if (attr) {
        if (H5Aexists(loc, path + 1) <= 0 || (obj = H5Aopen(loc, path + 1, H5P_DEFAULT)) < 0)
            return NULL;
        space = H5Aget_space(obj);
        ft = H5Aget_type(obj);
    } else {
        if (H5Lexists(loc, path, H5P_DEFAULT) <= 0
            || (obj = H5Dopen2(loc, path, H5P_DEFAULT)) < 0)
            return NULL;
        space = H5Dget_space(obj);
        ft = H5Dget_type(obj);
    }
    if (space < 0 || ft < 0 || H5Tget_class(ft) != H5T_STRING || H5Tis_variable_str(ft) <= 0
        || (cnt = H5Sget_simple_extent_npoints(space)) < 0)
        goto done;
    mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, H5T_VARIABLE);
    H5Tset_cset(mt, H5Tget_cset(ft));
    raw = calloc((size_t)cnt + 1, sizeof *raw);
    out = calloc((size_t)cnt + 1, sizeof *out);
    if (!raw || !out
        || (cnt > 0 && (attr ? H5Aread(obj, mt, raw)
                             : H5Dread(obj, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw)) < 0)) {
        free(out);
        out = NULL;
        goto done;
    }
    for (hssize_t i = 0; i < cnt; i++) {
        out[i] = strdup(raw[i] ? raw[i] : "");
        if (!out[i]) {
            qm_h5_strings_free(out, (int)i);
            out = NULL;
            break;
        }
    }
    if (cnt > 0)
        H5Dvlen_reclaim(mt, space, H5P_DEFAULT, raw);
    if (out)
        *n = (int)cnt;
done:
    free(raw);
    if (mt >= 0)
        H5Tclose(mt);
    if (ft >= 0)
        H5Tclose(ft);
    if (space >= 0)
        H5Sclose(space);
    if (attr)
        H5Aclose(obj);
    else
        H5Dclose(obj);
    return out;
}

double *qm_h5_doubles(hid_t loc, const char *path, hsize_t dims[2])
{
    hid_t d, space;
    double *v = NULL;
    int rank;
    if (H5Lexists(loc, path, H5P_DEFAULT) <= 0 || (d = H5Dopen2(loc, path, H5P_DEFAULT)) < 0)
        return NULL;
    space = H5Dget_space(d);
    dims[0] = 0;
    dims[1] = 1;
    rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    if ((rank == 1 || rank == 2) && H5Sget_simple_extent_dims(space, dims, NULL) >= 0) {
        size_t n = (size_t)dims[0] * (size_t)dims[1];
        v = malloc((n ? n : 1) * sizeof *v);
        if (v && n && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
            free(v);
            v = NULL;
        }
    }
    if (space >= 0)
        H5Sclose(space);
    H5Dclose(d);
    return v;
}

double *qm_h5_run_series(hid_t f, int *months)
{
    long long mw = 0;
    *months = 0;
    if (H5Lexists(f, "series", H5P_DEFAULT) <= 0)
        return NULL;
    hid_t g = H5Gopen2(f, "series", H5P_DEFAULT);
    if (g < 0)
        return NULL;
    if (qm_h5_int_attr(f, "months_written", &mw) != 0) {
        hsize_t dims[2];
        double *t = qm_h5_doubles(g, "time", dims);
        mw = t ? (long long)dims[0] : 0;
        free(t);
    }
    size_t T = mw > 0 ? (size_t)mw : 0;
    double *ser = malloc(((size_t)QM_S_N * T + 1) * sizeof *ser);
    for (int k = 0; ser && k < QM_S_N; k++) {
        hsize_t dims[2];
        double *v = qm_h5_doubles(g, qm_series_defs[k].name, dims);
        for (size_t t = 0; t < T; t++)
            ser[(size_t)k * T + t] = v && t < dims[0] ? v[t] : NAN;
        free(v);
    }
    H5Gclose(g);
    *months = (int)T;
    return ser;
}

qm_event *qm_h5_run_events(hid_t f, int *n)
{
    *n = 0;
    if (H5Lexists(f, "events", H5P_DEFAULT) <= 0)
        return NULL;
    hid_t d = H5Dopen2(f, "events", H5P_DEFAULT), space = -1, e = -1, c = -1;
    qm_event *ev = NULL;
    if (d < 0)
        return NULL;
    hssize_t cnt;
    space = H5Dget_space(d);
    if (space < 0 || (cnt = H5Sget_simple_extent_npoints(space)) <= 0)
        goto done;
    e = H5Tenum_create(H5T_NATIVE_INT32);
    for (int v = 0; v < QM_EV_N; v++)
        H5Tenum_insert(e, qm_event_names[v], &v);
    c = H5Tcreate(H5T_COMPOUND, sizeof(qm_event));
    H5Tinsert(c, "month", HOFFSET(qm_event, month), H5T_NATIVE_INT32);
    H5Tinsert(c, "type", HOFFSET(qm_event, type), e);
    H5Tinsert(c, "commissioner", HOFFSET(qm_event, commissioner), H5T_NATIVE_INT32);
    H5Tinsert(c, "service", HOFFSET(qm_event, service), H5T_NATIVE_INT32);
    H5Tinsert(c, "provider", HOFFSET(qm_event, provider), H5T_NATIVE_INT32);
    H5Tinsert(c, "other", HOFFSET(qm_event, other), H5T_NATIVE_INT32);
    H5Tinsert(c, "value", HOFFSET(qm_event, value), H5T_NATIVE_DOUBLE);
    ev = malloc((size_t)cnt * sizeof *ev);
    if (ev && H5Dread(d, c, H5S_ALL, H5S_ALL, H5P_DEFAULT, ev) < 0) {
        free(ev);
        ev = NULL;
    }
    if (ev)
        *n = (int)cnt;
done:
    if (c >= 0)
        H5Tclose(c);
    if (e >= 0)
        H5Tclose(e);
    if (space >= 0)
        H5Sclose(space);
    H5Dclose(d);
    return ev;
}

/* ---------------------------------------------------------------------- */
/* The comparison                                                          */
/* ---------------------------------------------------------------------- */

enum { SRC_SCENARIOS = 0, SRC_FILES, SRC_SWEEP };
static const char *const source_names[] = {"scenarios", "files", "sweep"};

#define MAX_SETS 256
#define MAX_ARGS 4096

typedef struct cmp_opts {
    const char *args[MAX_ARGS];   /* scenario files, file groups */
    int n_args;
    const char *sets[MAX_SETS + 1];
    int n_sets;
    char months_set[64];
    const char *from_sweep;
    const char *points;           /* --points */
    int from_files;
    long replications;
    int have_seed;
    uint64_t seed;
    const char *outcomes;
    const char *series;           /* --series */
    const char *format;
    const char *out;
    int force, quiet;
    int threads;
    double level;
} cmp_opts;

/* One scenario (or design point) of a comparison. */
typedef struct cmp_scen {
    char *name;          /* label */
    char *source;        /* scenario file, run files, or the sweep */
    char *description;
    char *settings;      /* overrides or factor values; "" when none */
    char *resolved;      /* resolved scenario text; "" when unknown */
    int months;          /* longest horizon of its runs */
    int runs;
} cmp_scen;

/* Everything compared: scenarios, runs, outcomes and kept series. */
typedef struct cmp_data {
    int source;          /* SRC_* */
    uint64_t seed;       /* master seed (0 from files) */
    int replications;    /* runs per scenario asked for, or the most found */
    int n_scen;
    cmp_scen *scen;
    int n_runs;
    int *run_scen;
    int64_t *run_rep;
    uint64_t *run_seed;
    char **run_file;     /* "" for runs made here */
    int n_out;
    qm_cmp_outcome *out;
    double *y;           /* n_runs x n_out */
    int T;               /* longest horizon: width of the kept series */
    int n_ser;
    char **ser_names;
    char **ser_units, **ser_desc;
    double *ser;         /* n_runs x n_ser x T; NaN past a run's end */
    double *events;      /* n_runs x QM_EV_N counts; NULL when unknown */
} cmp_data;

/* Statistics of one outcome in one scenario. */
typedef struct cmp_stat {
    int n;               /* runs with a value */
    double mean, lo, hi;
    int pairs;           /* differences: pairs used (0 when unpaired) */
    double diff, dlo, dhi;
    int paired;
    int sig;             /* 1 the interval excludes 0, 0 it does not, -1 none */
} cmp_stat;

static void usage(FILE *f)
{
    fputs("usage: qmsim compare A.cfg B.cfg [C.cfg ...] --replications R [options]\n"
          "       qmsim compare --from-files [NAME=]A.h5[,A2.h5...] B.h5 ... [options]\n"
          "       qmsim compare --from-sweep RESULT.h5 [--points P,Q,...] [options]\n"
          "\n"
          "Compares scenarios over replications.  Replicate r of every scenario uses\n"
          "the same master seed and replicate number (common random numbers), so\n"
          "differences are paired run for run.  For every outcome it prints each\n"
          "scenario's mean with a confidence interval (t distribution) and the paired\n"
          "difference to the first scenario with its interval; a difference whose\n"
          "interval includes 0 is marked n.s. (docs/analysis.md).\n"
          "\n"
          "options:\n"
          "  -r, --replications R   runs of each scenario (required with scenario files)\n"
          "  --seed N               master seed of every run (default: the first scenario's)\n"
          "  --months N             horizon of every scenario\n"
          "  --set path.key=value   override a key in every scenario (repeatable)\n"
          "  --outcomes LIST        comma-separated: key outcomes (tender_share, switch_rate,\n"
          "                         tc_per_spend, trust, quality, unmet_share, agency_fees,\n"
          "                         dependency, developments; the default is all of them)\n"
          "                         or REDUCE:SERIES (mean, sum, final, min, max of a series);\n"
          "                         with --from-sweep, the sweep's outcome columns\n"
          "  --from-files           the arguments are run files: NAME=F1,F2,... is one\n"
          "                         scenario of several runs; a plain file joins the runs\n"
          "                         with its scenario_name\n"
          "  --from-sweep R.h5      compare the design points of a sweep result\n"
          "  --points LIST          with --from-sweep: the design points (default all)\n"
          "  --format text|csv|json output format (default text)\n"
          "  --level L              interval coverage in (0, 1) (default 0.95)\n"
          "  -o, --output CMP.h5    also write the comparison (runs, summary, series across\n"
          "                         replications) for `qmsim report`\n"
          "  --series LIST|all      series kept in CMP.h5 (default: the main series)\n"
          "  --force                replace an existing CMP.h5\n"
          "  --threads N            runs at once, one thread each (default 1)\n"
          "  -q, --quiet            no progress bar\n"
          "  -h, --help             this help\n", f);
}

/* Returns 0, 1 for --help, -1 on bad usage (message printed). */
static int parse_args(int argc, char **argv, cmp_opts *o)
{
    long long v;
    o->format = "text";
    o->threads = 1;
    o->level = 0.95;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            return 1;
        if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
            o->quiet = 1;
        else if (!strcmp(a, "--force"))
            o->force = 1;
        else if (!strcmp(a, "--from-files"))
            o->from_files = 1;
        else if (!strcmp(a, "-r") || !strcmp(a, "--replications")) {
            if (qm_args_integer("compare", a, next, 1, 1000000, &v))
                return -1;
            o->replications = (long)v;
            i++;
        } else if (!strcmp(a, "--seed")) {
            if (qm_args_integer("compare", a, next, 0, LLONG_MAX, &v))
                return -1;
            o->seed = (uint64_t)v;
            o->have_seed = 1;
            i++;
        } else if (!strcmp(a, "--months")) {
            if (qm_args_months("compare", a, next, o->months_set, sizeof o->months_set))
                return -1;
            i++;
        } else if (!strcmp(a, "--threads")) {
            if (qm_args_threads("compare", a, next, &o->threads))
                return -1;
            i++;
        } else if (!strcmp(a, "--level")) {
            char *end;
            double l = next ? strtod(next, &end) : 0.0;
            if (!next || *end || !(l > 0.0 && l < 1.0)) {
                fprintf(stderr, "qmsim compare: --level expects a number in (0, 1), got '%s'\n",
                        next ? next : "");
                return -1;
            }
            o->level = l;
            i++;
        } else if (!strcmp(a, "--set")) {
            if (qm_args_set("compare", next, o->sets, &o->n_sets, MAX_SETS))
                return -1;
            i++;
        } else if (!strcmp(a, "--outcomes") || !strcmp(a, "--format") || !strcmp(a, "--series")
                   || !strcmp(a, "--points") || !strcmp(a, "--from-sweep") || !strcmp(a, "-o")
                   || !strcmp(a, "--output")) {
            if (!next) {
                fprintf(stderr, "qmsim compare: %s needs a value\n", a);
                return -1;
            }
            const char **dst = !strcmp(a, "--outcomes") ? &o->outcomes
                               : !strcmp(a, "--format") ? &o->format
                               : !strcmp(a, "--series") ? &o->series
                               : !strcmp(a, "--points") ? &o->points
                               : !strcmp(a, "--from-sweep") ? &o->from_sweep : &o->out;
            *dst = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "qmsim compare: unknown option '%s' (try 'qmsim compare --help')\n", a);
            return -1;
        } else {
            if (o->n_args == MAX_ARGS) {
                fprintf(stderr, "qmsim compare: more than %d arguments\n", MAX_ARGS);
                return -1;
            }
            o->args[o->n_args++] = a;
        }
    }
    if (o->months_set[0])
        o->sets[o->n_sets++] = o->months_set;
    if (strcmp(o->format, "text") && strcmp(o->format, "csv") && strcmp(o->format, "json")) {
        fprintf(stderr, "qmsim compare: --format must be text, csv or json, got '%s'\n", o->format);
        return -1;
    }
    if (o->from_sweep && (o->from_files || o->n_args)) {
        fprintf(stderr, "qmsim compare: --from-sweep takes no other scenarios or files\n");
        return -1;
    }
    if (o->points && !o->from_sweep) {
        fprintf(stderr, "qmsim compare: --points needs --from-sweep\n");
        return -1;
    }
    if (!o->from_sweep && o->n_args == 0) {
        fprintf(stderr, "qmsim compare: no scenarios given (try 'qmsim compare --help')\n");
        return -1;
    }
    if (!o->from_sweep && !o->from_files && o->replications == 0) {
        fprintf(stderr, "qmsim compare: --replications R is required with scenario files\n");
        return -1;
    }
    if ((o->from_sweep || o->from_files)
        && (o->replications || o->have_seed || o->n_sets || o->threads > 1)) {
        fprintf(stderr, "qmsim compare: --replications, --seed, --months, --set and --threads "
                        "apply to scenario files only\n");
        return -1;
    }
    return 0;
}

static char *xstrdup(const char *s)
{
    return strdup(s ? s : "");
}

static void data_free(cmp_data *d)
{
    for (int s = 0; s < d->n_scen && d->scen; s++) {
        free(d->scen[s].name);
        free(d->scen[s].source);
        free(d->scen[s].description);
        free(d->scen[s].settings);
        free(d->scen[s].resolved);
    }
    free(d->scen);
    free(d->run_scen);
    free(d->run_rep);
    free(d->run_seed);
    qm_h5_strings_free(d->run_file, d->n_runs);
    free(d->out);
    free(d->y);
    qm_h5_strings_free(d->ser_names, d->n_ser);
    qm_h5_strings_free(d->ser_units, d->n_ser);
    qm_h5_strings_free(d->ser_desc, d->n_ser);
    free(d->ser);
    free(d->events);
    memset(d, 0, sizeof *d);
}

/* Allocates the per-run arrays for n runs (scenario, replicate, seed,
 * file, outcomes; series when n_ser > 0 and T > 0).  0 or -1. */
static int alloc_runs(cmp_data *d, int n, int with_events)
{
    d->n_runs = n;
    d->run_scen = calloc((size_t)n + 1, sizeof *d->run_scen);
    d->run_rep = calloc((size_t)n + 1, sizeof *d->run_rep);
    d->run_seed = calloc((size_t)n + 1, sizeof *d->run_seed);
    d->run_file = calloc((size_t)n + 1, sizeof *d->run_file);
    d->y = malloc(((size_t)n * (size_t)d->n_out + 1) * sizeof *d->y);
    if (!d->run_scen || !d->run_rep || !d->run_seed || !d->run_file || !d->y)
        return -1;
    for (size_t i = 0; i < (size_t)n * (size_t)d->n_out; i++)
        d->y[i] = NAN;
    if (d->n_ser > 0 && d->T > 0) {
        size_t m = (size_t)n * (size_t)d->n_ser * (size_t)d->T;
        d->ser = malloc(m * sizeof *d->ser);
        if (!d->ser)
            return -1;
        for (size_t i = 0; i < m; i++)
            d->ser[i] = NAN;
    }
    if (with_events && !(d->events = calloc((size_t)n * QM_EV_N + 1, sizeof *d->events)))
        return -1;
    return 0;
}

/* Chooses the model series to keep (--series): ids into qm_series_defs.
 * Returns how many, or -1 with a message. */
static int choose_series(const char *list, int *ids)
{
    int n = 0;
    if (!list) {
        for (int i = 0; i < qm_cmp_main_series_n; i++)
            ids[n++] = qm_cmp_main_series[i];
        return n;
    }
    if (!strcmp(list, "all")) {
        for (int k = 0; k < QM_S_N; k++)
            ids[n++] = k;
        return n;
    }
    if (!strcmp(list, "none"))
        return 0;
    const char *s = list;
    for (;;) {
        size_t len = strcspn(s, ",");
        char buf[128];
        snprintf(buf, sizeof buf, "%.*s", (int)(len < 127 ? len : 127), s);
        int k = series_index(buf);
        if (k < 0) {
            fprintf(stderr, "qmsim compare: --series: '%s' is not a series of the model\n", buf);
            return -1;
        }
        int dup = 0;
        for (int i = 0; i < n; i++)
            dup |= ids[i] == k;
        if (!dup && n < QM_S_N)
            ids[n++] = k;
        if (!s[len])
            break;
        s += len + 1;
    }
    return n;
}

static int set_model_series(cmp_data *d, const int *ids, int n)
{
    d->n_ser = n;
    d->ser_names = calloc((size_t)n + 1, sizeof(char *));
    d->ser_units = calloc((size_t)n + 1, sizeof(char *));
    d->ser_desc = calloc((size_t)n + 1, sizeof(char *));
    if (!d->ser_names || !d->ser_units || !d->ser_desc)
        return -1;
    for (int i = 0; i < n; i++) {
        d->ser_names[i] = xstrdup(qm_series_defs[ids[i]].name);
        d->ser_units[i] = xstrdup(qm_series_defs[ids[i]].units);
        d->ser_desc[i] = xstrdup(qm_series_defs[ids[i]].description);
        if (!d->ser_names[i] || !d->ser_units[i] || !d->ser_desc[i])
            return -1;
    }
    return 0;
}

/* ---- Runs made here ---- */

/* Runs scenario sc with the master seed and replicate rep; fills the
 * outcomes y, the kept series (keep, n_keep ids; ser n_keep x T) and the
 * event counts.  Returns 0, or -1 with a message. */
static int one_run(const qm_scenario *sc, uint64_t seed, uint64_t rep, const cmp_data *d,
                   const int *keep, double *y, double *ser, double *events, char *err,
                   size_t errlen)
{
    qm_sim *sim = qm_sim_create(sc, seed, rep, 1, err, errlen);
    qm_frame *f = sim ? qm_frame_alloc(sim) : NULL;
    size_t T = (size_t)sc->months;
    double *all = f ? malloc((size_t)QM_S_N * T * sizeof *all) : NULL;
    int rc = -1;
    if (!all) {
        if (sim)
            snprintf(err, errlen, "out of memory");
        goto done;
    }
    while (sim->month < sim->months) {
        qm_sim_step(sim);
        qm_observe(sim, f);
        for (int k = 0; k < QM_S_N; k++)
            all[(size_t)k * T + (size_t)f->month] = f->series[k];
        for (int i = 0; events && i < f->n_events; i++)
            if (f->events[i].type >= 0 && f->events[i].type < QM_EV_N)
                events[f->events[i].type] += 1.0;
    }
    for (int m = 0; m < d->n_out; m++)
        y[m] = qm_cmp_outcome_eval(&d->out[m], all, T, (int)T);
    for (int i = 0; ser && i < d->n_ser; i++)
        for (size_t t = 0; t < T && t < (size_t)d->T; t++)
            ser[(size_t)i * (size_t)d->T + t] = all[(size_t)keep[i] * T + t];
    rc = 0;
done:
    free(all);
    qm_frame_free(f);
    qm_sim_free(sim);
    return rc;
}

/* Makes the label of scenario s unique among the first s. */
static char *unique_label(const cmp_data *d, int s, const char *name, const char *file)
{
    char buf[1024];
    int clash = 0;
    for (int i = 0; i < s; i++)
        clash |= !strcmp(d->scen[i].name, name);
    if (!clash)
        return xstrdup(name);
    snprintf(buf, sizeof buf, "%s (%s)", name, file);
    for (int i = 0, k = 2; i < s; i++)
        if (!strcmp(d->scen[i].name, buf)) {
            snprintf(buf, sizeof buf, "%s (%s #%d)", name, file, k++);
            i = -1;
        }
    return xstrdup(buf);
}

static char *join_sets(const cmp_opts *o)
{
    size_t len = 1;
    for (int i = 0; i < o->n_sets; i++)
        len += strlen(o->sets[i]) + 2;
    char *s = calloc(1, len);
    for (int i = 0; s && i < o->n_sets; i++) {
        if (i)
            strcat(s, ", ");
        strcat(s, o->sets[i]);
    }
    return s;
}

static int from_scenarios(const cmp_opts *o, cmp_data *d, const int *keep, int n_keep)
{
    int S = o->n_args, R = (int)o->replications, rc = 2;
    qm_scenario *sc = calloc((size_t)S, sizeof *sc);
    qm_errors *err = calloc(1, sizeof *err);
    if (!sc || !err) {
        fprintf(stderr, "qmsim compare: out of memory\n");
        free(sc);
        free(err);
        return 1;
    }
    int loaded = 0;
    for (int s = 0; s < S; s++) {
        memset(err, 0, sizeof *err);
        if (qm_scenario_load(o->args[s], o->sets, o->n_sets, &sc[s], err) != 0) {
            qm_cli_print_errors(err);
            goto out;
        }
        loaded++;
    }
    if ((long)S * R > INT_MAX / 2) {
        fprintf(stderr, "qmsim compare: too many runs\n");
        goto out;
    }
    rc = 1;
    d->source = SRC_SCENARIOS;
    d->seed = o->have_seed ? o->seed : sc[0].seed;
    d->replications = R;
    d->n_scen = S;
    d->scen = calloc((size_t)S, sizeof *d->scen);
    if (!d->scen)
        goto oom;
    d->T = 0;
    for (int s = 0; s < S; s++)
        d->T = sc[s].months > d->T ? sc[s].months : d->T;
    for (int s = 0; s < S; s++) {
        cmp_scen *c = &d->scen[s];
        c->name = unique_label(d, s, sc[s].name, o->args[s]);
        c->source = xstrdup(sc[s].source_name);
        c->description = xstrdup(sc[s].description);
        c->settings = join_sets(o);
        c->resolved = qm_scenario_resolved_text(&sc[s]);
        c->months = sc[s].months;
        c->runs = R;
        if (!c->name || !c->source || !c->description || !c->settings || !c->resolved)
            goto oom;
    }
    if (n_keep > 0 && o->out && set_model_series(d, keep, n_keep) != 0)
        goto oom;
    if (alloc_runs(d, S * R, 1) != 0)
        goto oom;
    for (int j = 0; j < S * R; j++) {
        d->run_scen[j] = j / R;
        d->run_rep[j] = j % R;
        d->run_seed[j] = d->seed;
        if (!(d->run_file[j] = xstrdup("")))
            goto oom;
    }

    int total = S * R, done = 0, failed = 0;
    char first_err[600] = "";
    int bar = !o->quiet && isatty(STDERR_FILENO);
    double t0 = qm_args_now(), shown = 0.0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(o->threads)
    for (int j = 0; j < total; j++) {
        char msg[512];
        int s = j / R;
        double *ser = d->ser ? d->ser + (size_t)j * (size_t)d->n_ser * (size_t)d->T : NULL;
        int r = one_run(&sc[s], d->seed, (uint64_t)(j % R), d, keep,
                        d->y + (size_t)j * (size_t)d->n_out, ser,
                        d->events + (size_t)j * QM_EV_N, msg, sizeof msg);
#pragma omp critical(qm_compare_progress)
        {
            done++;
            if (r != 0 && !failed++)
                snprintf(first_err, sizeof first_err, "%s, replicate %d: %s", d->scen[s].name,
                         j % R, msg);
            if (bar && (qm_args_now() - shown >= 0.1 || done == total)) {
                double el = qm_args_now() - t0;
                fprintf(stderr, "\rqmsim compare: %d/%d runs, ETA %.0f s ", done, total,
                        done ? el * (total - done) / done : 0.0);
                if (done == total)
                    fputc('\n', stderr);
                shown = qm_args_now();
            }
        }
    }
    if (failed) {
        fprintf(stderr, "qmsim compare: %d of %d runs failed; the first: %s\n", failed, total,
                first_err);
        goto out;
    }
    rc = 0;
    goto out;
oom:
    fprintf(stderr, "qmsim compare: out of memory\n");
out:
    for (int s = 0; s < loaded; s++)
        qm_scenario_free(&sc[s]);
    free(sc);
    free(err);
    return rc;
}

/* ---- Runs read from files ---- */

/* What one run file holds. */
typedef struct file_run {
    const char *path;    /* malloc'd */
    char *name;          /* scenario_name */
    char *resolved;
    long long seed, rep;
    int months;
    double *all;         /* QM_S_N x months */
    double ev[QM_EV_N];
} file_run;

static void file_run_free(file_run *fr)
{
    free((char *)fr->path);
    free(fr->name);
    free(fr->resolved);
    free(fr->all);
    memset(fr, 0, sizeof *fr);
}

/* Reads one run file into fr (path left NULL).  0, or 1 with a message
 * and nothing to free. */
static int read_run_file(const char *path, file_run *fr)
{
    long long complete = 0;
    hid_t f = qm_h5_open("compare", path);
    if (f < 0)
        return 1;
    char *kind = qm_h5_str_attr(f, "kind");
    int rc = 1;
    if (kind) {
        fprintf(stderr, "qmsim compare: %s is a %s file, not a run (use %s)\n", path, kind,
                strstr(kind, "sweep") ? "--from-sweep" : "qmsim report");
        goto done;
    }
    if (H5Lexists(f, "series", H5P_DEFAULT) <= 0) {
        fprintf(stderr, "qmsim compare: %s is not a qmsim output file (no /series)\n", path);
        goto done;
    }
    if (qm_h5_int_attr(f, "complete", &complete) != 0 || complete != 1) {
        fprintf(stderr, "qmsim compare: %s is incomplete (the run did not finish)\n", path);
        goto done;
    }
    fr->name = qm_h5_str_attr(f, "scenario_name");
    fr->resolved = qm_h5_str_attr(f, "scenario_resolved");
    if (qm_h5_int_attr(f, "seed", &fr->seed) != 0)
        fr->seed = -1;
    if (qm_h5_int_attr(f, "replicate", &fr->rep) != 0)
        fr->rep = -1;
    fr->all = qm_h5_run_series(f, &fr->months);
    int n_ev = 0;
    qm_event *ev = qm_h5_run_events(f, &n_ev);
    for (int i = 0; i < n_ev; i++)
        if (ev[i].type >= 0 && ev[i].type < QM_EV_N)
            fr->ev[ev[i].type] += 1.0;
    free(ev);
    if (!fr->name || !fr->all) {
        fprintf(stderr, "qmsim compare: cannot read %s\n", path);
        file_run_free(fr);
        goto done;
    }
    rc = 0;
done:
    free(kind);
    H5Fclose(f);
    return rc;
}

/* The description line of a resolved scenario. */
static char *description_of(const char *resolved)
{
    const char *p = resolved ? strstr(resolved, "\ndescription = \"") : NULL;
    if (!p)
        return xstrdup("");
    p += strlen("\ndescription = \"");
    const char *e = strstr(p, "\";");
    return e ? strndup(p, (size_t)(e - p)) : xstrdup("");
}

static int from_files(const cmp_opts *o, cmp_data *d, const int *keep, int n_keep)
{
    /* Every file of every argument, with the group it belongs to. */
    int cap = 0, n = 0, rc = 1;
    for (int a = 0; a < o->n_args; a++) {
        cap++;
        for (const char *p = o->args[a]; *p; p++)
            cap += *p == ',';
    }
    file_run *fr = calloc((size_t)cap + 1, sizeof *fr);
    int *group = calloc((size_t)cap + 1, sizeof *group);
    char **gname = calloc((size_t)cap + 1, sizeof *gname);
    char **gsrc = calloc((size_t)cap + 1, sizeof *gsrc);
    char *copy = NULL;
    int n_groups = 0;
    if (!fr || !group || !gname || !gsrc)
        goto oom;
    for (int a = 0; a < o->n_args; a++) {
        const char *eq = strchr(o->args[a], '=');
        int g = -1;
        free(copy);
        copy = xstrdup(eq ? eq + 1 : o->args[a]);
        if (!copy)
            goto oom;
        if (eq) {
            char *nm = strndup(o->args[a], (size_t)(eq - o->args[a]));
            if (!nm)
                goto oom;
            if (!*nm || !*copy) {
                fprintf(stderr, "qmsim compare: '%s': expected NAME=FILE[,FILE...]\n", o->args[a]);
                free(nm);
                rc = 2;
                goto out;
            }
            for (int i = 0; i < n_groups; i++)
                if (!strcmp(gname[i], nm))
                    g = i;
            if (g < 0) {
                g = n_groups++;
                gname[g] = nm;
                gsrc[g] = xstrdup(eq + 1);
            } else {
                free(nm);
            }
        }
        for (char *tok = copy, *next; tok; tok = next) {
            next = strchr(tok, ',');
            if (next)
                *next++ = '\0';
            if (!*tok)
                continue;
            if (read_run_file(tok, &fr[n]) != 0)
                goto out;
            if (!(fr[n].path = xstrdup(tok))) {
                file_run_free(&fr[n]);
                goto oom;
            }
            int gg = g;
            n++;
            if (gg < 0) {
                /* A plain file joins the scenario of its scenario_name. */
                for (int i = 0; i < n_groups; i++)
                    if (!strcmp(gname[i], fr[n - 1].name))
                        gg = i;
                if (gg < 0) {
                    gg = n_groups++;
                    gname[gg] = xstrdup(fr[n - 1].name);
                    gsrc[gg] = xstrdup("");
                    if (!gname[gg] || !gsrc[gg])
                        goto oom;
                }
                size_t len = strlen(gsrc[gg]) + strlen(tok) + 2;
                char *s2 = malloc(len);
                if (!s2)
                    goto oom;
                snprintf(s2, len, "%s%s%s", gsrc[gg], *gsrc[gg] ? "," : "", tok);
                free(gsrc[gg]);
                gsrc[gg] = s2;
            }
            group[n - 1] = gg;
        }
    }
    d->source = SRC_FILES;
    d->seed = 0;
    d->n_scen = n_groups;
    d->scen = calloc((size_t)n_groups + 1, sizeof *d->scen);
    if (!d->scen)
        goto oom;
    d->T = 0;
    for (int i = 0; i < n; i++)
        d->T = fr[i].months > d->T ? fr[i].months : d->T;
    for (int g = 0; g < n_groups; g++) {
        cmp_scen *c = &d->scen[g];
        int first = -1;
        for (int i = 0; i < n; i++)
            if (group[i] == g) {
                if (first < 0)
                    first = i;
                c->runs++;
                c->months = fr[i].months > c->months ? fr[i].months : c->months;
            }
        c->name = xstrdup(gname[g]);
        c->source = xstrdup(gsrc[g]);
        c->resolved = xstrdup(first >= 0 && fr[first].resolved ? fr[first].resolved : "");
        c->description = description_of(c->resolved);
        c->settings = xstrdup("");
        if (!c->name || !c->source || !c->resolved || !c->description || !c->settings)
            goto oom;
        d->replications = c->runs > d->replications ? c->runs : d->replications;
    }
    if (n_keep > 0 && o->out && set_model_series(d, keep, n_keep) != 0)
        goto oom;
    if (alloc_runs(d, n, 1) != 0)
        goto oom;
    /* Runs in scenario order, files in the order given. */
    for (int g = 0, j = 0; g < n_groups; g++)
        for (int i = 0; i < n; i++) {
            if (group[i] != g)
                continue;
            d->run_scen[j] = g;
            d->run_rep[j] = fr[i].rep;
            d->run_seed[j] = (uint64_t)fr[i].seed;
            d->run_file[j] = xstrdup(fr[i].path);
            if (!d->run_file[j])
                goto oom;
            for (int m = 0; m < d->n_out; m++)
                d->y[(size_t)j * (size_t)d->n_out + (size_t)m] =
                    qm_cmp_outcome_eval(&d->out[m], fr[i].all, (size_t)fr[i].months, fr[i].months);
            for (int s = 0; d->ser && s < d->n_ser; s++)
                for (int t = 0; t < fr[i].months; t++)
                    d->ser[((size_t)j * (size_t)d->n_ser + (size_t)s) * (size_t)d->T + (size_t)t] =
                        fr[i].all[(size_t)keep[s] * (size_t)fr[i].months + (size_t)t];
            memcpy(d->events + (size_t)j * QM_EV_N, fr[i].ev, sizeof fr[i].ev);
            j++;
        }
    rc = 0;
    goto out;
oom:
    fprintf(stderr, "qmsim compare: out of memory\n");
    rc = 1;
out:
    for (int i = 0; i < n; i++)
        file_run_free(&fr[i]);
    for (int g = 0; g < n_groups; g++) {
        free(gname[g]);
        free(gsrc[g]);
    }
    free(copy);
    free(fr);
    free(group);
    free(gname);
    free(gsrc);
    return rc;
}

/* ---- A sweep's design points ---- */

/* "name=value" of every factor at point p. */
static char *point_settings(const qm_result *r, long p)
{
    size_t len = 1;
    char buf[512];
    char *s = NULL;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && !(s = calloc(1, len)))
            return NULL;
        for (int i = 0; i < r->n_factors; i++) {
            double v = r->design_values[p * r->n_factors + i];
            const char *lab = r->factor_labels[i];
            if (lab && *lab) {
                /* the index of a name in "a,b,c" */
                const char *q = lab;
                for (int k = 0; k < (int)v && q; k++) {
                    q = strchr(q, ',');
                    q = q ? q + 1 : NULL;
                }
                size_t l = q ? strcspn(q, ",") : 1;
                snprintf(buf, sizeof buf, "%s%s=%.*s", i ? ", " : "", r->factor_names[i],
                         (int)l, q ? q : "?");
            } else {
                snprintf(buf, sizeof buf, "%s%s=%.6g", i ? ", " : "", r->factor_names[i], v);
            }
            if (pass == 0)
                len += strlen(buf);
            else
                strcat(s, buf);
        }
    }
    return s;
}

/* Outcome column m of a sweep result, described from its definition. */
static void sweep_outcome(const qm_result *r, int m, qm_cmp_outcome *x)
{
    char to[32];
    memset(x, 0, sizeof *x);
    snprintf(x->name, sizeof x->name, "%s", r->outcome_names[m]);
    x->key = x->series = -1;
    x->column = m;
    if (r->outcome_to[m] < 0)
        snprintf(to, sizeof to, "the end");
    else
        snprintf(to, sizeof to, "%d", r->outcome_to[m]);
    snprintf(x->desc, sizeof x->desc, "%s of %s over months %d to %s", r->outcome_reduce[m],
             r->outcome_series[m], r->outcome_from[m], to);
}

/* The resolved scenario of design point p: the sweep's base with the
 * point's factor values applied, as `qmsim sweep` runs it.  A malloc'd
 * string; the base's text when the point does not load (or is not a
 * scenario, as Ishigami's). */
static char *point_resolved(const qm_result *r, long p)
{
    int k = r->n_factors;
    char *out = NULL;
    if (r->model != QM_MODEL_ABM || !r->base_resolved || !*r->base_resolved)
        return xstrdup(r->base_resolved);
    char (*buf)[600] = calloc((size_t)k + 1, sizeof *buf);
    const char **ov = calloc((size_t)k + 1, sizeof *ov);
    qm_errors *e = calloc(1, sizeof *e);
    qm_scenario sc;
    if (buf && ov && e) {
        for (int i = 0; i < k; i++) {
            double v = r->design_values[p * k + i];
            const char *lab = r->factor_labels[i];
            if (lab && *lab) {
                const char *q = lab;
                for (int j = 0; j < (int)v && q; j++) {
                    q = strchr(q, ',');
                    q = q ? q + 1 : NULL;
                }
                snprintf(buf[i], sizeof buf[i], "%s=%.*s", r->factor_paths[i],
                         (int)(q ? strcspn(q, ",") : 0), q ? q : "");
            } else if (r->factor_integer[i])
                snprintf(buf[i], sizeof buf[i], "%s=%.0f", r->factor_paths[i], v);
            else
                snprintf(buf[i], sizeof buf[i], "%s=%.17g", r->factor_paths[i], v);
            ov[i] = buf[i];
        }
        if (qm_scenario_load_text(r->base_resolved, "sweep point", ov, k, &sc, e) == 0) {
            out = qm_scenario_resolved_text(&sc);
            qm_scenario_free(&sc);
        }
    }
    free(buf);
    free(ov);
    free(e);
    return out ? out : xstrdup(r->base_resolved);
}

static int from_sweep(const cmp_opts *o, cmp_data *d)
{
    char err[600];
    qm_result r;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (qm_result_read(o->from_sweep, &r, err, sizeof err) != 0) {
        if (strstr(err, o->from_sweep))
            fprintf(stderr, "qmsim compare: %s\n", err);
        else
            fprintf(stderr, "qmsim compare: %s: %s\n", o->from_sweep, err);
        return 1;
    }
    int rc = 2, P = 0;
    long *pts = calloc((size_t)r.n_points + 1, sizeof *pts);
    qm_result_series *rs = NULL;
    double *buf = NULL;
    if (!pts)
        goto oom;
    if (o->points) {
        for (const char *s = o->points; *s;) {
            char *end;
            errno = 0;
            long p = strtol(s, &end, 10);
            if (end == s || errno || p < 0 || p >= r.n_points || (*end && *end != ',')) {
                fprintf(stderr, "qmsim compare: --points: expected design points in [0, %ld], "
                                "got '%s'\n", r.n_points - 1, o->points);
                goto out;
            }
            if (P < r.n_points)
                pts[P++] = p;
            s = *end ? end + 1 : end;
        }
    } else {
        for (long p = 0; p < r.n_points; p++)
            pts[P++] = p;
    }
    /* Outcomes: the sweep's columns, all or those named. */
    d->out = calloc((size_t)r.n_outcomes + 1, sizeof *d->out);
    if (!d->out)
        goto oom;
    if (o->outcomes) {
        for (const char *s = o->outcomes;;) {
            size_t len = strcspn(s, ",");
            int col = -1;
            for (int m = 0; m < r.n_outcomes; m++)
                if (strlen(r.outcome_names[m]) == len && !strncmp(r.outcome_names[m], s, len))
                    col = m;
            if (col < 0 || d->n_out == r.n_outcomes) {
                fprintf(stderr, "qmsim compare: '%.*s' is not an outcome of %s (it has:", (int)len, s,
                        o->from_sweep);
                for (int m = 0; m < r.n_outcomes; m++)
                    fprintf(stderr, " %s", r.outcome_names[m]);
                fprintf(stderr, ")\n");
                goto out;
            }
            sweep_outcome(&r, col, &d->out[d->n_out++]);
            if (!s[len])
                break;
            s += len + 1;
        }
    } else {
        for (int m = 0; m < r.n_outcomes; m++) {
            sweep_outcome(&r, m, &d->out[d->n_out++]);
        }
    }
    rc = 1;
    d->source = SRC_SWEEP;
    d->seed = r.seed;
    d->replications = r.replications;
    d->n_scen = P;
    d->scen = calloc((size_t)P + 1, sizeof *d->scen);
    if (!d->scen)
        goto oom;
    for (int i = 0; i < P; i++) {
        cmp_scen *c = &d->scen[i];
        char nm[96];
        snprintf(nm, sizeof nm, "point %ld", pts[i]);
        c->name = xstrdup(nm);
        c->source = xstrdup(o->from_sweep);
        c->settings = point_settings(&r, pts[i]);
        snprintf(nm, sizeof nm, "design point %ld of the sweep", pts[i]);
        c->description = xstrdup(nm);
        c->resolved = point_resolved(&r, pts[i]);
        c->months = r.months;
        c->runs = r.replications;
        if (!c->name || !c->source || !c->settings || !c->description || !c->resolved)
            goto oom;
    }
    if (o->out && r.n_series > 0 && !(o->series && !strcmp(o->series, "none"))) {
        d->n_ser = r.n_series;
        d->T = r.months;
        d->ser_names = calloc((size_t)r.n_series + 1, sizeof(char *));
        d->ser_units = calloc((size_t)r.n_series + 1, sizeof(char *));
        d->ser_desc = calloc((size_t)r.n_series + 1, sizeof(char *));
        if (!d->ser_names || !d->ser_units || !d->ser_desc)
            goto oom;
        for (int i = 0; i < r.n_series; i++) {
            int k = series_index(r.series_names[i]);
            d->ser_names[i] = xstrdup(r.series_names[i]);
            d->ser_units[i] = xstrdup(k >= 0 ? qm_series_defs[k].units : "");
            d->ser_desc[i] = xstrdup(k >= 0 ? qm_series_defs[k].description : "");
            if (!d->ser_names[i] || !d->ser_units[i] || !d->ser_desc[i])
                goto oom;
        }
    }
    if (alloc_runs(d, P * r.replications, 0) != 0)
        goto oom;
    if (d->ser) {
        rs = qm_result_series_open(o->from_sweep, &r, err, sizeof err);
        buf = malloc(((size_t)r.n_series * (size_t)r.months + 1) * sizeof *buf);
        if (!rs || !buf) {
            fprintf(stderr, "qmsim compare: %s\n", rs ? "out of memory" : err);
            goto out;
        }
    }
    int j = 0;
    for (int i = 0; i < P; i++)
        for (long run = 0; run < r.n_runs; run++) {
            if (r.point[run] != pts[i] || j == d->n_runs)
                continue;
            d->run_scen[j] = i;
            d->run_rep[j] = r.replicate[run];
            d->run_seed[j] = r.seeds[run];
            if (!(d->run_file[j] = xstrdup("")))
                goto oom;
            for (int m = 0; m < d->n_out; m++)
                d->y[(size_t)j * (size_t)d->n_out + (size_t)m] =
                    r.status[run] == QM_RUN_OK ? r.outcomes[run * r.n_outcomes + d->out[m].column]
                                               : NAN;
            if (d->ser && r.status[run] == QM_RUN_OK) {
                if (qm_result_series_read(rs, run, buf) != 0) {
                    fprintf(stderr, "qmsim compare: cannot read the series of run %ld of %s\n",
                            run, o->from_sweep);
                    goto out;
                }
                memcpy(d->ser + (size_t)j * (size_t)d->n_ser * (size_t)d->T, buf,
                       (size_t)d->n_ser * (size_t)d->T * sizeof *buf);
            }
            j++;
        }
    d->n_runs = j;
    rc = 0;
    goto out;
oom:
    fprintf(stderr, "qmsim compare: out of memory\n");
    rc = 1;
out:
    qm_result_series_close(rs);
    free(buf);
    free(pts);
    qm_result_free(&r);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* Statistics                                                              */
/* ---------------------------------------------------------------------- */

/* Mean and t interval of the finite values of x; fills n, mean, lo, hi. */
static void mean_ci(const double *x, int n, double level, int *nn, double *mean, double *lo,
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

/* Statistics of every outcome (m) in every scenario (s): st[m * S + s]. */
static cmp_stat *compute_stats(const cmp_data *d, double level)
{
    int S = d->n_scen, M = d->n_out;
    cmp_stat *st = calloc((size_t)M * (size_t)S + 1, sizeof *st);
    double *x = malloc(((size_t)d->n_runs + 1) * sizeof *x);
    double *dx = malloc(((size_t)d->n_runs + 1) * sizeof *dx);
    if (!st || !x || !dx) {
        free(st);
        st = NULL;
        goto out;
    }
    for (int m = 0; m < M; m++)
        for (int s = 0; s < S; s++) {
            cmp_stat *c = &st[m * S + s];
            int n = 0, np = 0;
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
            mean_ci(x, n, level, &c->n, &c->mean, &c->lo, &c->hi);
            c->diff = c->dlo = c->dhi = NAN;
            c->sig = -1;
            if (s == 0)
                continue;
            int k;
            mean_ci(dx, np, level, &k, &c->diff, &c->dlo, &c->dhi);
            c->pairs = k;
            c->paired = k >= 2;
            if (k < 2) {
                /* No pairs (runs from unrelated files): Welch's interval. */
                const cmp_stat *r0 = &st[m * S + 0];
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
                    double df = se > 0.0 ? (a + b) * (a + b)
                                               / (a * a / (n0 - 1) + b * b / (n1 - 1))
                                         : n0 + n1 - 2;
                    double half = se > 0.0 ? gsl_cdf_tdist_Pinv(0.5 + level / 2.0, df) * se : 0.0;
                    c->dlo = c->diff - half;
                    c->dhi = c->diff + half;
                } else {
                    c->dlo = c->dhi = NAN;
                }
            }
            if (isfinite(c->dlo) && isfinite(c->dhi))
                c->sig = c->dlo > 0.0 || c->dhi < 0.0;
        }
out:
    free(x);
    free(dx);
    return st;
}

/* ---------------------------------------------------------------------- */
/* Printing                                                                */
/* ---------------------------------------------------------------------- */

/* A number in about four significant figures, without an exponent for
 * everyday magnitudes; "n/a" when it does not exist. */
const char *qm_cli_num(double x, int sign, char *buf, size_t n)
{
    double a = fabs(x);
    if (!isfinite(x))
        snprintf(buf, n, "n/a");
    else if (a >= 1e4 && a < 1e15)
        snprintf(buf, n, sign ? "%+.0f" : "%.0f", x);
    else
        snprintf(buf, n, sign ? "%+.4g" : "%.4g", x);
    return buf;
}

static void print_text(const cmp_data *d, const cmp_stat *st, double level)
{
    int S = d->n_scen, w = 8;
    char a[40], b[40], desc[400];
    /* Per scenario: mean, "[lo, hi]", diff, "[dlo, dhi]". */
    char (*cell)[4][96] = calloc((size_t)S + 1, sizeof *cell);
    if (!cell)
        return;
    for (int s = 0; s < S; s++)
        w = (int)strlen(d->scen[s].name) > w ? (int)strlen(d->scen[s].name) : w;
    w = w > 48 ? 48 : w;
    if (d->source == SRC_SCENARIOS)
        printf("%d scenarios x %d replications, common random numbers (master seed %llu)\n", S,
               d->replications, (unsigned long long)d->seed);
    else if (d->source == SRC_SWEEP)
        printf("%d design points x %d replications of a sweep, common random numbers (master "
               "seed %llu)\n", S, d->replications, (unsigned long long)d->seed);
    else
        printf("%d scenarios from %d run files\n", S, d->n_runs);
    for (int s = 0; d->source == SRC_SWEEP && s < S; s++)
        printf("  %-*.*s %s\n", w, w, d->scen[s].name, d->scen[s].settings);
    printf("Means with %g%% intervals (t distribution); differences to '%s', paired by seed\n"
           "and replicate; n.s.: the difference's interval includes 0.\n",
           100.0 * level, S ? d->scen[0].name : "");
    for (int m = 0; m < d->n_out; m++) {
        int wd[4] = {0, 0, 0, 0};
        for (int s = 0; s < S; s++) {
            const cmp_stat *x = &st[m * S + s];
            qm_cli_num(x->mean, 0, cell[s][0], sizeof cell[s][0]);
            snprintf(cell[s][1], sizeof cell[s][1], "[%s, %s]", qm_cli_num(x->lo, 0, a, sizeof a),
                     qm_cli_num(x->hi, 0, b, sizeof b));
            qm_cli_num(x->diff, 1, cell[s][2], sizeof cell[s][2]);
            snprintf(cell[s][3], sizeof cell[s][3], "[%s, %s]", qm_cli_num(x->dlo, 1, a, sizeof a),
                     qm_cli_num(x->dhi, 1, b, sizeof b));
            for (int k = 0; k < 4; k++)
                if (s > 0 || k < 2)
                    wd[k] = (int)strlen(cell[s][k]) > wd[k] ? (int)strlen(cell[s][k]) : wd[k];
        }
        printf("\n%s: %s\n", d->out[m].name, qm_cmp_outcome_describe(&d->out[m], desc, sizeof desc));
        for (int s = 0; s < S; s++) {
            const cmp_stat *x = &st[m * S + s];
            printf("  %-*.*s %*s %-*s", w, w, d->scen[s].name, wd[0], cell[s][0],
                   s > 0 ? wd[1] : 0, cell[s][1]);
            if (s > 0)
                printf("  diff %*s %-*s%s%s", wd[2], cell[s][2], wd[3], cell[s][3],
                       x->sig == 0 ? "  n.s." : "",
                       x->pairs == 0 && isfinite(x->dlo) ? "  (unpaired)" : "");
            printf("\n");
        }
    }
    free(cell);
}

static void csv_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static void csv_num(double x)
{
    if (isfinite(x))
        printf("%.10g", x);
}

static void print_csv(const cmp_data *d, const cmp_stat *st)
{
    int S = d->n_scen;
    puts("outcome,scenario,runs,mean,ci_low,ci_high,diff,diff_low,diff_high,pairs,significant");
    for (int m = 0; m < d->n_out; m++)
        for (int s = 0; s < S; s++) {
            const cmp_stat *x = &st[m * S + s];
            csv_str(d->out[m].name);
            putchar(',');
            csv_str(d->scen[s].name);
            printf(",%d,", x->n);
            csv_num(x->mean);
            putchar(',');
            csv_num(x->lo);
            putchar(',');
            csv_num(x->hi);
            putchar(',');
            csv_num(x->diff);
            putchar(',');
            csv_num(x->dlo);
            putchar(',');
            csv_num(x->dhi);
            printf(",%d,%s\n", x->pairs, x->sig < 0 ? "" : x->sig ? "yes" : "no");
        }
}

/* Prints s as a JSON string (NULL as ""). */
void qm_cli_json_str(const char *s)
{
    putchar('"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

/* Prints a JSON number, or null for NaN and infinities (JSON has neither). */
void qm_cli_json_num(double x)
{
    if (isfinite(x))
        printf("%.17g", x);
    else
        fputs("null", stdout);
}

static void print_json(const cmp_data *d, const cmp_stat *st, double level)
{
    int S = d->n_scen;
    char desc[400];
    printf("{\"kind\": \"qmsim comparison\", \"source\": \"%s\", \"seed\": %llu, "
           "\"replications\": %d, \"level\": %g, \"reference\": ",
           source_names[d->source], (unsigned long long)d->seed, d->replications, level);
    qm_cli_json_str(S ? d->scen[0].name : "");
    fputs(",\n \"scenarios\": [", stdout);
    for (int s = 0; s < S; s++) {
        fputs(s ? ",\n  {\"name\": " : "\n  {\"name\": ", stdout);
        qm_cli_json_str(d->scen[s].name);
        fputs(", \"source\": ", stdout);
        qm_cli_json_str(d->scen[s].source);
        fputs(", \"settings\": ", stdout);
        qm_cli_json_str(d->scen[s].settings);
        printf(", \"runs\": %d, \"months\": %d}", d->scen[s].runs, d->scen[s].months);
    }
    fputs("],\n \"outcomes\": [", stdout);
    for (int m = 0; m < d->n_out; m++) {
        fputs(m ? ",\n  {\"name\": " : "\n  {\"name\": ", stdout);
        qm_cli_json_str(d->out[m].name);
        fputs(", \"description\": ", stdout);
        qm_cli_json_str(qm_cmp_outcome_describe(&d->out[m], desc, sizeof desc));
        fputs(", \"results\": [", stdout);
        for (int s = 0; s < S; s++) {
            const cmp_stat *x = &st[m * S + s];
            fputs(s ? ",\n    {\"scenario\": " : "\n    {\"scenario\": ", stdout);
            qm_cli_json_str(d->scen[s].name);
            printf(", \"runs\": %d, \"mean\": ", x->n);
            qm_cli_json_num(x->mean);
            fputs(", \"ci\": [", stdout);
            qm_cli_json_num(x->lo);
            fputs(", ", stdout);
            qm_cli_json_num(x->hi);
            fputs("], \"diff\": ", stdout);
            qm_cli_json_num(x->diff);
            fputs(", \"diff_ci\": [", stdout);
            qm_cli_json_num(x->dlo);
            fputs(", ", stdout);
            qm_cli_json_num(x->dhi);
            printf("], \"pairs\": %d, \"significant\": %s}", x->pairs,
                   x->sig < 0 ? "null" : x->sig ? "true" : "false");
        }
        fputs("]}", stdout);
    }
    fputs("]}\n", stdout);
}

/* ---------------------------------------------------------------------- */
/* The comparison file                                                     */
/* ---------------------------------------------------------------------- */

/* A group that keeps its links in creation order, as run files do. */
static hid_t new_group(hid_t loc, const char *name)
{
    hid_t pl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_link_creation_order(pl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, pl, H5P_DEFAULT);
    H5Pclose(pl);
    return g;
}

static hid_t str_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

static int put_str_attr(hid_t loc, const char *name, const char *v)
{
    hid_t t = str_type(), sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    int rc = a >= 0 && H5Awrite(a, t, &v) >= 0 ? 0 : -1;
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return rc;
}

static int put_num_attr(hid_t loc, const char *name, hid_t type, const void *v)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, type, sp, H5P_DEFAULT, H5P_DEFAULT);
    int rc = a >= 0 && H5Awrite(a, type, v) >= 0 ? 0 : -1;
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(sp);
    return rc;
}

static int put_strs_attr(hid_t loc, const char *name, const char *const *v, int n)
{
    hsize_t dim = (hsize_t)n;
    hid_t t = str_type(), sp = H5Screate_simple(1, &dim, NULL);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    int rc = a >= 0 && (n == 0 || H5Awrite(a, t, v) >= 0) ? 0 : -1;
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return rc;
}

/* Creates dataset name (rank 1 or 2, dims) of type and writes v; returns
 * the open dataset or -1.  Compressed when it holds more than 1024 values. */
static hid_t put_data(hid_t loc, const char *name, hid_t type, int rank, const hsize_t *dims,
                      const void *v, const char *desc)
{
    hid_t sp = H5Screate_simple(rank, dims, NULL), pl = H5Pcreate(H5P_DATASET_CREATE);
    hsize_t n = dims[0] * (rank > 1 ? dims[1] : 1);
    if (n > 1024 && dims[0] > 0 && (rank == 1 || dims[1] > 0)) {
        hsize_t chunk[2] = {dims[0], rank > 1 ? dims[1] : 1};
        while (chunk[0] * chunk[1] > 65536 && chunk[0] > 1)
            chunk[0] = (chunk[0] + 1) / 2;
        H5Pset_chunk(pl, rank, chunk);
        H5Pset_shuffle(pl);
        H5Pset_deflate(pl, 4);
    }
    hid_t d = H5Dcreate2(loc, name, type, sp, H5P_DEFAULT, pl, H5P_DEFAULT);
    int ok = d >= 0 && (n == 0 || H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    if (ok && desc)
        ok = put_str_attr(d, "description", desc) == 0;
    H5Pclose(pl);
    H5Sclose(sp);
    if (!ok && d >= 0) {
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
    int rc = (units && put_str_attr(ds, "units", units) != 0) || attach(ds, s0, s1) != 0 ? -1 : 0;
    H5Dclose(ds);
    return rc;
}

/* Writes the summary table: /summary/<stat> [M, S]. */
static int write_summary(hid_t f, const cmp_data *d, const cmp_stat *st, double level)
{
    int S = d->n_scen, M = d->n_out, rc = -1;
    hid_t g = new_group(f, "summary");
    hid_t so = -1, ss = -1;
    double *v = malloc(((size_t)M * (size_t)S + 1) * sizeof *v);
    int *iv = malloc(((size_t)M * (size_t)S + 1) * sizeof *iv);
    const char **names = calloc((size_t)(M > S ? M : S) + 1, sizeof *names);
    static const char *const stat_names[] = {"mean", "ci_low", "ci_high", "diff", "diff_low",
                                             "diff_high"};
    static const char *const stat_desc[] = {
        "Mean of the outcome over the scenario's runs",
        "Lower end of the mean's interval (t distribution)",
        "Upper end of the mean's interval",
        "Mean difference to the first scenario, paired by seed and replicate (NaN for the first)",
        "Lower end of the difference's interval",
        "Upper end of the difference's interval"};
    hsize_t dims[2] = {(hsize_t)M, (hsize_t)S};
    if (g < 0 || !v || !iv || !names)
        goto out;
    if ((so = put_scale(g, "outcome", M, "Outcome index (see the outcomes attribute)")) < 0
        || (ss = put_scale(g, "scenario", S, "Scenario index (see the scenarios attribute)")) < 0)
        goto out;
    for (int m = 0; m < M; m++)
        names[m] = d->out[m].name;
    if (put_strs_attr(g, "outcomes", names, M) != 0)
        goto out;
    for (int s = 0; s < S; s++)
        names[s] = d->scen[s].name;
    if (put_strs_attr(g, "scenarios", names, S) != 0 || put_num_attr(g, "level", H5T_NATIVE_DOUBLE, &level) != 0)
        goto out;
    for (int k = 0; k < 6; k++) {
        for (int i = 0; i < M * S; i++) {
            const cmp_stat *x = &st[i];
            double y[6] = {x->mean, x->lo, x->hi, x->diff, x->dlo, x->dhi};
            v[i] = y[k];
        }
        if (put_attached(g, stat_names[k], H5T_NATIVE_DOUBLE, 2, dims, v, stat_desc[k], NULL, so, ss) != 0)
            goto out;
    }
    for (int k = 0; k < 3; k++) {
        static const char *const in[] = {"runs", "pairs", "significant"};
        static const char *const idesc[] = {
            "Runs with a value",
            "Pairs of runs in the difference (0: unpaired, Welch's interval)",
            "1 when the difference's interval excludes 0, 0 when it includes 0 (n.s.), "
            "-1 when there is none (the first scenario, too few runs)"};
        for (int i = 0; i < M * S; i++)
            iv[i] = k == 0 ? st[i].n : k == 1 ? st[i].pairs : st[i].sig;
        if (put_attached(g, in[k], H5T_NATIVE_INT32, 2, dims, iv, idesc[k], NULL, so, ss) != 0)
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

/* Writes /series/{mean,lo,hi}/<name> [S, T]: across each scenario's runs,
 * month by month, the mean and the 2.5 and 97.5 percentiles. */
static int write_bands(hid_t f, const cmp_data *d)
{
    static const char *const gn[] = {"mean", "lo", "hi"};
    static const char *const gd[] = {
        "Mean across the scenario's runs, month by month (NaN past its horizon)",
        "2.5th percentile across the scenario's runs, month by month",
        "97.5th percentile across the scenario's runs, month by month"};
    int S = d->n_scen, T = d->T, rc = -1;
    size_t ST = (size_t)S * (size_t)T;
    double *band = malloc((3 * ST + 1) * sizeof *band);
    double *x = malloc(((size_t)d->n_runs + 1) * sizeof *x);
    int *time = malloc(((size_t)T + 1) * sizeof *time);
    hid_t top = new_group(f, "series");
    hid_t g[3] = {-1, -1, -1}, sc[3] = {-1, -1, -1}, tm[3] = {-1, -1, -1};
    if (!band || !x || !time || top < 0)
        goto out;
    for (int t = 0; t < T; t++)
        time[t] = t;
    for (int k = 0; k < 3; k++) {
        hsize_t dim = (hsize_t)T;
        g[k] = new_group(top, gn[k]);
        if (g[k] < 0 || put_str_attr(g[k], "description", gd[k]) != 0
            || (tm[k] = put_data(g[k], "time", H5T_NATIVE_INT32, 1, &dim, time, "Month of the run")) < 0
            || H5DSset_scale(tm[k], "time") < 0 || put_str_attr(tm[k], "units", "months") != 0
            || (sc[k] = put_scale(g[k], "scenario", S, "Scenario index (/scenarios)")) < 0)
            goto out;
    }
    for (int i = 0; i < d->n_ser; i++) {
        for (int s = 0; s < S; s++)
            for (int t = 0; t < T; t++) {
                int n = 0;
                double sum = 0.0;
                for (int j = 0; j < d->n_runs; j++) {
                    double v = d->ser[((size_t)j * (size_t)d->n_ser + (size_t)i) * (size_t)T + (size_t)t];
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
        for (int k = 0; k < 3; k++) {
            hsize_t dims[2] = {(hsize_t)S, (hsize_t)T};
            if (put_attached(g[k], d->ser_names[i], H5T_NATIVE_DOUBLE, 2, dims, band + k * ST,
                             d->ser_desc[i], d->ser_units[i], sc[k], tm[k]) != 0)
                goto out;
        }
    }
    rc = 0;
out:
    for (int k = 0; k < 3; k++) {
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

static int write_scenarios(hid_t f, const cmp_data *d)
{
    int S = d->n_scen, rc = -1;
    hid_t g = new_group(f, "scenarios"), sc = -1;
    const char **v = calloc((size_t)S + 1, sizeof *v);
    int *iv = calloc((size_t)S + 1, sizeof *iv);
    hsize_t dim = (hsize_t)S;
    if (g < 0 || !v || !iv || (sc = put_scale(g, "scenario", S, "Scenario index")) < 0)
        goto out;
    static const char *const fields[] = {"name", "source", "description", "settings", "resolved"};
    static const char *const desc[] = {
        "The scenario's label", "Scenario file, run files or sweep it came from",
        "The scenario's description",
        "Overrides applied (--set), or a design point's factor values",
        "The resolved scenario (every key), as in a run file's scenario_resolved"};
    for (int k = 0; k < 5; k++) {
        for (int s = 0; s < S; s++) {
            const cmp_scen *c = &d->scen[s];
            v[s] = k == 0 ? c->name : k == 1 ? c->source : k == 2 ? c->description
                 : k == 3 ? c->settings : c->resolved;
        }
        hid_t t = str_type();
        int bad = put_attached(g, fields[k], t, 1, &dim, v, desc[k], NULL, sc, -1);
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

static int write_runs(hid_t f, const cmp_data *d)
{
    int N = d->n_runs, M = d->n_out, rc = -1;
    hid_t g = new_group(f, "runs"), rs = -1, ds = -1;
    hid_t cs = -1, es = -1;
    hsize_t dim = (hsize_t)N;
    const char **names = calloc((size_t)(M > QM_EV_N ? M : QM_EV_N) + 1, sizeof *names);
    char (*descs)[400] = calloc((size_t)M + 1, sizeof *descs);
    const char **dp = calloc((size_t)M + 1, sizeof *dp);
    if (g < 0 || !names || !descs || !dp || (rs = put_scale(g, "run", N, "Run index")) < 0)
        goto out;
    if (put_attached(g, "scenario", H5T_NATIVE_INT, 1, &dim, d->run_scen,
                     "Scenario of the run (index into /scenarios)", NULL, rs, -1) != 0
        || put_attached(g, "replicate", H5T_NATIVE_INT64, 1, &dim, d->run_rep,
                        "Replicate number (-1 when unknown)", NULL, rs, -1) != 0
        || put_attached(g, "seed", H5T_NATIVE_UINT64, 1, &dim, d->run_seed, "Master seed of the run",
                        NULL, rs, -1) != 0)
        goto out;
    {
        hid_t t = str_type();
        int bad = put_attached(g, "file", t, 1, &dim, d->run_file,
                               "Run file it was read from (empty for runs made by compare)", NULL, rs, -1);
        H5Tclose(t);
        if (bad)
            goto out;
    }
    hsize_t dims[2] = {(hsize_t)N, (hsize_t)M};
    if ((cs = put_scale(g, "outcome", M, "Outcome index (the columns attribute of outcomes)")) < 0)
        goto out;
    ds = put_data(g, "outcomes", H5T_NATIVE_DOUBLE, 2, dims, d->y, "Outcomes of each run (columns attribute)");
    for (int m = 0; m < M; m++) {
        names[m] = d->out[m].name;
        qm_cmp_outcome_describe(&d->out[m], descs[m], sizeof descs[m]);
        dp[m] = descs[m];
    }
    if (ds < 0 || attach(ds, rs, cs) != 0 || put_strs_attr(ds, "columns", names, M) != 0
        || put_strs_attr(ds, "descriptions", dp, M) != 0)
        goto out;
    H5Dclose(ds);
    ds = -1;
    if (d->events) {
        hsize_t edims[2] = {(hsize_t)N, QM_EV_N};
        for (int e = 0; e < QM_EV_N; e++)
            names[e] = qm_event_names[e];
        if ((es = put_scale(g, "event_type", QM_EV_N, "Event type (the columns attribute of events)")) < 0)
            goto out;
        ds = put_data(g, "events", H5T_NATIVE_DOUBLE, 2, edims, d->events,
                      "Events of each type in each run (columns attribute)");
        if (ds < 0 || attach(ds, rs, es) != 0 || put_strs_attr(ds, "columns", names, QM_EV_N) != 0)
            goto out;
        H5Dclose(ds);
        ds = -1;
    }
    rc = 0;
out:
    if (ds >= 0)
        H5Dclose(ds);
    if (rs >= 0)
        H5Dclose(rs);
    if (cs >= 0)
        H5Dclose(cs);
    if (es >= 0)
        H5Dclose(es);
    if (g >= 0)
        H5Gclose(g);
    free(names);
    free(descs);
    free(dp);
    return rc;
}

/* Writes CMP.h5 (as CMP.h5.partial, renamed when whole).  0 or 1. */
static int write_file(const char *path, int force, const cmp_data *d, const cmp_stat *st,
                      double level)
{
    char partial[4096];
    if (snprintf(partial, sizeof partial, "%s.partial", path) >= (int)sizeof partial) {
        fprintf(stderr, "qmsim compare: output name too long\n");
        return 1;
    }
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_libver_bounds(fapl, H5F_LIBVER_EARLIEST, H5F_LIBVER_V18);
    H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    hid_t f = H5Fcreate(partial, H5F_ACC_TRUNC, fcpl, fapl);
    H5Pclose(fapl);
    H5Pclose(fcpl);
    if (f < 0) {
        fprintf(stderr, "qmsim compare: cannot create %s: %s\n", partial, strerror(errno));
        return 1;
    }
    char created[32];
    time_t now_t = time(NULL);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now_t));
    int one = 1, S = d->n_scen, rep = d->replications, T = d->T;
    int ok = put_str_attr(f, "kind", "qmsim comparison") == 0
             && put_str_attr(f, "qmsim_version", QMSIM_VERSION) == 0
             && put_str_attr(f, "source", source_names[d->source]) == 0
             && put_str_attr(f, "created", created) == 0
             && put_num_attr(f, "seed", H5T_NATIVE_UINT64, &d->seed) == 0
             && put_num_attr(f, "replications", H5T_NATIVE_INT, &rep) == 0
             && put_num_attr(f, "n_scenarios", H5T_NATIVE_INT, &S) == 0
             && put_num_attr(f, "months", H5T_NATIVE_INT, &T) == 0
             && put_num_attr(f, "level", H5T_NATIVE_DOUBLE, &level) == 0
             && write_scenarios(f, d) == 0 && write_runs(f, d) == 0
             && write_summary(f, d, st, level) == 0
             && (!d->ser || write_bands(f, d) == 0)
             && put_num_attr(f, "complete", H5T_NATIVE_INT, &one) == 0;
    if (H5Fclose(f) < 0)
        ok = 0;
    if (!ok) {
        fprintf(stderr, "qmsim compare: cannot write %s\n", partial);
        unlink(partial);
        return 1;
    }
    if (!force && access(path, F_OK) == 0) {
        fprintf(stderr, "qmsim compare: %s appeared meanwhile; the comparison is in %s\n", path,
                partial);
        return 1;
    }
    if (rename(partial, path) != 0) {
        fprintf(stderr, "qmsim compare: cannot rename %s to %s: %s\n", partial, path,
                strerror(errno));
        unlink(partial);
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------------- */

/* See cli.h.  `qmsim compare ...`. */
int qm_cli_compare(int argc, char **argv)
{
    static cmp_opts o;
    cmp_data d;
    int keep[QM_S_N], n_keep = 0, rc;
    char err[1024];
    memset(&o, 0, sizeof o);
    memset(&d, 0, sizeof d);
    int a = parse_args(argc, argv, &o);
    if (a != 0) {
        if (a > 0)
            usage(stdout);
        else
            fputs("usage: qmsim compare A.cfg B.cfg ... --replications R [options]\n", stderr);
        return a > 0 ? 0 : 2;
    }
    if (o.out && !o.force && access(o.out, F_OK) == 0) {
        fprintf(stderr, "qmsim compare: %s exists (use --force to replace it)\n", o.out);
        return 2;
    }
    if (!o.from_sweep) {
        d.out = calloc(QM_CMP_MAX_OUTCOMES, sizeof *d.out);
        if (!d.out) {
            fprintf(stderr, "qmsim compare: out of memory\n");
            return 1;
        }
        d.n_out = qm_cmp_outcomes_parse(o.outcomes, d.out, QM_CMP_MAX_OUTCOMES, err, sizeof err);
        if (d.n_out < 0) {
            fprintf(stderr, "qmsim compare: %s\n", err);
            data_free(&d);
            return 2;
        }
        if ((n_keep = choose_series(o.series, keep)) < 0) {
            data_free(&d);
            return 2;
        }
    } else if (o.series && strcmp(o.series, "none") && strcmp(o.series, "all")) {
        fprintf(stderr, "qmsim compare: with --from-sweep, --series is all (the sweep's saved "
                        "series) or none\n");
        return 2;
    }
    rc = o.from_sweep ? from_sweep(&o, &d) : o.from_files ? from_files(&o, &d, keep, n_keep)
                                                          : from_scenarios(&o, &d, keep, n_keep);
    if (rc != 0) {
        data_free(&d);
        return rc;
    }
    cmp_stat *st = compute_stats(&d, o.level);
    if (!st) {
        fprintf(stderr, "qmsim compare: out of memory\n");
        data_free(&d);
        return 1;
    }
    if (!strcmp(o.format, "json"))
        print_json(&d, st, o.level);
    else if (!strcmp(o.format, "csv"))
        print_csv(&d, st);
    else
        print_text(&d, st, o.level);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "qmsim compare: cannot write the table: %s\n", strerror(errno));
        rc = 1;
    }
    if (rc == 0 && o.out) {
        rc = write_file(o.out, o.force, &d, st, o.level);
        if (rc == 0 && !o.quiet)
            fprintf(stderr, "qmsim: wrote %s (%d scenarios, %d runs)\n", o.out, d.n_scen, d.n_runs);
    }
    free(st);
    data_free(&d);
    return rc;
}
