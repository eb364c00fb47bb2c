/* outcomes.c: what a comparison measures (docs/analysis.md): the key
 * outcomes of a run, reductions of a series (mean:spend), outcome lists,
 * their evaluation over a run's series, and the model series a comparison
 * keeps across replications. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io/suggest.h"
#include "qmsim/comparison.h"

const qm_var_def qm_outcomes_key_defs[QM_KO_N] = {
    {"tender_share", "1", "Share of expiry decisions that sent the contract to tender"},
    {"switch_rate", "1/year", "Switches of provider a year per contract in force"},
    {"tc_per_spend", "GBP/GBP", "Transaction costs (ex ante and ex post) per GBP paid to providers"},
    {"trust", "1", "Mean trust of commissioners in their incumbent providers, over the months"},
    {"quality", "1", "Quality delivered, weighted by activity over the run"},
    {"unmet_share", "1", "Share of demand not delivered"},
    {"agency_fees", "GBP/year", "Fees paid to support agencies a year"},
    {"dependency", "1", "Mean dependency index: share of analytic capability from outside"},
    {"developments", "developments", "Service developments launched over the run"},
    {"spend_year", "GBP/year", "Payments to providers a year"},
    {"tc_total", "GBP/year", "Transaction costs a year, commissioners' and providers' (ex ante and ex post)"},
    {"net_cost", "GBP/year", "Spend plus transaction costs of both sides a year; minus its difference to the first scenario is the net benefit (MODEL.md 4.2)"},
    {"launch_months", "months", "Median months from start to launch of the developments launched "
     "(the median of the months' mean times to launch, weighted by launches)"},
    {"stalled_share", "1", "Share of finished developments (launched or abandoned) that stalled "
     "at least once"},
};

const int qm_outcomes_main_series[] = {
    QM_S_TRUST_MEAN_PROVIDER, QM_S_DECISIONS_TENDER, QM_S_SWITCHES, QM_S_TC_EX_ANTE,
    QM_S_TC_EX_POST, QM_S_QUALITY_DELIVERED, QM_S_UNMET_DEMAND,
    QM_S_KNOWLEDGE_ANALYTIC_MEAN, QM_S_DEPENDENCY_INDEX, QM_S_AGENCY_FEES,
    QM_S_DEVELOPMENTS_IN_PROGRESS, QM_S_CONTRACTS_ACTIVE, QM_S_HHI_MEAN, QM_S_SPEND,
};
const int qm_outcomes_main_series_n =
    (int)(sizeof qm_outcomes_main_series / sizeof qm_outcomes_main_series[0]);

int qm_outcomes_series_index(const char *name)
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

/* Sets o's range from the metadata of what it measures. */
static void set_range(qm_cmp_outcome *o, const char *series, const char *reduce)
{
    const qm_meta *m = o->key >= 0 ? qm_meta_outcome(qm_outcomes_key_defs[o->key].name)
                                   : qm_meta_get(series);
    qm_meta_reduce_range(m, o->key >= 0 ? NULL : reduce, &o->lo, &o->hi);
}

const qm_meta *qm_outcomes_meta(const char *name)
{
    const char *colon = name ? strchr(name, ':') : NULL;
    return colon ? qm_meta_find(colon + 1) : qm_meta_outcome(name);
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
        if (!strcmp(buf, qm_outcomes_key_defs[k].name)) {
            o->key = k;
            set_range(o, NULL, NULL);
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
    o->series = qm_outcomes_series_index(series);
    if (o->series < 0)
        return -1;
    set_range(o, series, qm_reduce_names[o->reduce]);
    if (!colon) {   /* a bare series: print it as what it is */
        char full[QM_CMP_NAME_MAX + 8];
        snprintf(full, sizeof full, "mean:%s", series);
        set_name(o->name, full, strlen(full));
    }
    return 0;
}

/* The key outcome or series nearest to the entry typed (len bytes at s;
 * after REDUCE: only series), or NULL. */
static const char *nearest(const char *s, size_t len, int series_only)
{
    char typed[QM_SUGGEST_MAX + 1];
    snprintf(typed, sizeof typed, "%.*s", (int)(len < QM_SUGGEST_MAX ? len : QM_SUGGEST_MAX), s);
    const char *colon = strchr(typed, ':');
    const char *name = colon ? colon + 1 : typed;
    qm_suggest g;
    qm_suggest_init(&g, name, strlen(name));
    for (int k = 0; !colon && !series_only && k < QM_KO_N; k++)
        qm_suggest_try(&g, qm_outcomes_key_defs[k].name, strlen(qm_outcomes_key_defs[k].name));
    for (int k = 0; k < QM_S_N; k++)
        qm_suggest_try(&g, qm_series_defs[k].name, strlen(qm_series_defs[k].name));
    return g.best;
}

int qm_outcomes_parse(const char *list, qm_cmp_outcome *out, int max, char *err,
                      size_t errlen)
{
    int n = 0;
    if (!list) {
        for (int k = 0; k < QM_KO_DEFAULT_N && k < max; k++) {
            memset(&out[k], 0, sizeof out[k]);
            snprintf(out[k].name, sizeof out[k].name, "%s", qm_outcomes_key_defs[k].name);
            out[k].key = k;
            out[k].series = out[k].column = -1;
            set_range(&out[k], NULL, NULL);
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
            const char *near = nearest(s, len, 0);
            char hint[128] = "";
            if (near)
                snprintf(hint, sizeof hint, " (did you mean '%s'?)", near);
            snprintf(err, errlen,
                     "unknown outcome '%.*s'%s: give a key outcome (tender_share, switch_rate, "
                     "tc_per_spend, trust, quality, unmet_share, agency_fees, dependency, "
                     "developments, spend_year, tc_total, net_cost, launch_months, stalled_share) or REDUCE:SERIES with REDUCE mean, sum, final, min or max "
                     "and SERIES a series of `qmsim summary --all`",
                     (int)(len < 200 ? len : 200), s, hint);
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

/* REDUCE:SERIES over the months. */
static double reduce(const qm_cmp_outcome *o, const double *ser, size_t stride, int months)
{
    const double *v = ser + (size_t)o->series * stride;
    double x = v[0];
    switch (o->reduce) {
    case QM_REDUCE_SUM: return total(ser, stride, o->series, months);
    case QM_REDUCE_MEAN: return total(ser, stride, o->series, months) / months;
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

/* Median months to launch (MODEL.md 1 P3): the series holds each month's
 * mean over the developments launched that month, so the median is taken
 * over months weighted by their launches; exact when no two developments
 * launch in the same month.  NaN without launches. */
static double launch_median(const double *ser, size_t stride, int months)
{
    const double *n = ser + (size_t)QM_S_DEVELOPMENTS_COMPLETED * stride;
    const double *m = ser + (size_t)QM_S_DEVELOPMENT_MONTHS_TO_LAUNCH * stride;
    double total = 0.0, lo = HUGE_VAL;
    for (int t = 0; t < months; t++)
        total += n[t] > 0.0 ? n[t] : 0.0;
    if (!(total > 0.0))
        return NAN;
    /* the smallest month-mean whose launches at or below it reach half */
    for (int t = 0; t < months; t++) {
        if (!(n[t] > 0.0))
            continue;
        double below = 0.0;
        for (int u = 0; u < months; u++)
            if (n[u] > 0.0 && m[u] <= m[t])
                below += n[u];
        if (below >= 0.5 * total && m[t] < lo)
            lo = m[t];
    }
    return lo;
}

double qm_outcomes_eval(const qm_cmp_outcome *o, const double *ser, size_t stride, int months)
{
    if (months <= 0 || !ser)
        return NAN;
    double years = months / 12.0, m = months;
    if (o->key < 0)
        return o->series >= 0 ? reduce(o, ser, stride, months) : NAN;
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
    case QM_KO_SPEND:
        return T(QM_S_SPEND) / years;
    case QM_KO_TC_TOTAL:
        return (T(QM_S_TC_EX_ANTE) + T(QM_S_TC_EX_POST)) / years;
    case QM_KO_NET_COST:
        return (T(QM_S_SPEND) + T(QM_S_TC_EX_ANTE) + T(QM_S_TC_EX_POST)) / years;
    case QM_KO_LAUNCH_MONTHS:
        return launch_median(ser, stride, months);
    case QM_KO_STALLED_SHARE:   /* as the pattern test of P3 counts it */
        return ratio(T(QM_S_DEVELOPMENTS_LAUNCHED_AFTER_STALL) + T(QM_S_DEVELOPMENTS_ABANDONED),
                     T(QM_S_DEVELOPMENTS_COMPLETED) + T(QM_S_DEVELOPMENTS_ABANDONED));
    default:
        return NAN;
    }
#undef T
}

const char *qm_outcomes_describe(const qm_cmp_outcome *o, char *buf, size_t n)
{
    if (o->key >= 0)
        snprintf(buf, n, "%s", qm_outcomes_key_defs[o->key].description);
    else if (o->series >= 0)
        snprintf(buf, n, "%s over the months of: %s (%s)", qm_reduce_names[o->reduce],
                 qm_series_defs[o->series].description, qm_series_defs[o->series].units);
    else
        snprintf(buf, n, "%s", o->desc[0] ? o->desc : "an outcome of the sweep");
    return buf;
}

int qm_outcomes_listed(const char *list, const char *name)
{
    if (!list)
        return 1;
    size_t n = strlen(name);
    for (const char *s = list; *s;) {
        size_t len = strcspn(s, ",");
        if (len == n && !strncmp(s, name, n))
            return 1;
        s += len;
        s += *s == ',';
    }
    return 0;
}

int qm_outcomes_keep(const char *list, int *ids, char *err, size_t errlen)
{
    int n = 0;
    if (!list) {
        for (int i = 0; i < qm_outcomes_main_series_n; i++)
            ids[n++] = qm_outcomes_main_series[i];
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
        int k = qm_outcomes_series_index(buf);
        if (k < 0) {
            const char *near = nearest(buf, strlen(buf), 1);
            snprintf(err, errlen, "'%s' is not a series of the model%s%s%s", buf,
                     near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
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

void qm_outcomes_from_sweep(const qm_result *r, int m, qm_cmp_outcome *x)
{
    char to[32];
    memset(x, 0, sizeof *x);
    snprintf(x->name, sizeof x->name, "%s", r->outcome_names[m]);
    x->key = x->series = -1;
    x->column = m;
    qm_meta_reduce_range(qm_meta_get(r->outcome_series[m]), r->outcome_reduce[m], &x->lo, &x->hi);
    if (r->outcome_to[m] < 0)
        snprintf(to, sizeof to, "the end");
    else
        snprintf(to, sizeof to, "%d", r->outcome_to[m]);
    snprintf(x->desc, sizeof x->desc, "%s of %s over months %d to %s", r->outcome_reduce[m],
             r->outcome_series[m], r->outcome_from[m], to);
}
