/* calfile.c: reading a calibration file (docs/calibration.md): the base
 * scenario and fixed overrides as in a sweep file, the parameters with
 * their priors (a sweep factor's path and range, checked against the base
 * the same way), the targets (outcomes of the comparison with an observed
 * value and tolerance, or a band, measured on the base or on another
 * scenario, alone or against a third paired by replicate), replications,
 * the algorithm and its budget.  Every problem is collected as
 * "FILE:LINE: message". */
#include "qmsim/calibrate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/cfgtext.h"
#include "io/suggest.h"
#include "sweep/sweepfile_read.h"

/* Defaults of a calibration file (docs/calibration.md). */
#define DEFAULT_PARTICLES 100
#define DEFAULT_SIMULATIONS 50000
#define DEFAULT_GENERATIONS 10
#define DEFAULT_REJECTION_TOLERANCE 1.0
#define MAX_REPLICATIONS 10000
#define MAX_SIMULATIONS 100000000LL

static const char *const top_keys[] = {"base", "set", "seed", "replications", "algorithm",
                                       "particles", "quantile", "budget", "parameters",
                                       "targets", NULL};
static const char *const budget_keys[] = {"simulations", "generations", "tolerance",
                                          "min_acceptance", NULL};
static const char *const param_keys[] = {"path", "name", "prior", "range", "mean", "sd",
                                         "shape", NULL};
static const char *const target_keys[] = {"outcome", "observed", "tolerance", "band",
                                          "scenario", "relative_to", "relation", NULL};
static const char *const prior_words[] = {"uniform", "log_uniform", "normal", "beta", NULL};

const char *const qm_cal_relation_names[QM_CAL_REL_N + 1] = {"", "difference", "ratio",
                                                            "cost_share_of_savings", NULL};

/* The scenario keys of target t as written, kept while the file is read:
 * they are found once the base is loaded. */
typedef struct target_scen {
    const char *scenario, *relative_to;   /* NULL when absent */
    int scenario_line, relative_line;
} target_scen;

void qm_cal_free(qm_cal *c)
{
    if (!c)
        return;
    free(c->file);
    free(c->text);
    free(c->base);
    free(c->base_source);
    free(c->base_text);
    free(c->base_resolved);
    for (int i = 0; i < c->n_sets; i++)
        free(c->sets[i]);
    free(c->sets);
    for (int j = 0; j < c->n_params; j++)
        qm_swf_free_factor(&c->params[j].f);
    free(c->params);
    free(c->targets);
    for (int s = 0; c->scen && s < c->n_scen; s++) {
        free(c->scen[s].name);
        free(c->scen[s].source);
        free(c->scen[s].text);
    }
    free(c->scen);
    memset(c, 0, sizeof *c);
}

/* A number (integer or real) into *x; 0, or -1 when s is not one. */
static int number_of(const config_setting_t *s, double *x)
{
    if (!s || !qm_swf_is_number(s))
        return -1;
    *x = config_setting_type(s) == CONFIG_TYPE_FLOAT ? config_setting_get_float(s)
                                                     : (double)config_setting_get_int64(s);
    return 0;
}

/* The number key g.key into *x; absent leaves *x.  1 when present. */
static int get_num(rd *r, const config_setting_t *g, const char *key, const char *ctx, double *x)
{
    config_setting_t *s = config_setting_get_member(g, key);
    if (!s)
        return 0;
    if (number_of(s, x) || !isfinite(*x))
        qm_errors_add(r->err, "%s:%d: %s%s must be a number, not %s", r->file, qm_swf_line(s),
                      ctx, key, qm_swf_type_word(s));
    return 1;
}

/* A pair [a, b] of numbers into v; -1 (reported) when it is not one. */
static int get_pair(rd *r, const config_setting_t *s, const char *ctx, const char *what,
                    double v[2])
{
    if ((!config_setting_is_array(s) && !config_setting_is_list(s)) || config_setting_length(s) != 2
        || number_of(config_setting_get_elem(s, 0), &v[0])
        || number_of(config_setting_get_elem(s, 1), &v[1])) {
        qm_errors_add(r->err, "%s:%d: %s%s must be [%s], two numbers", r->file, qm_swf_line(s),
                      ctx, config_setting_name(s), what);
        return -1;
    }
    return 0;
}

/* set = ["path=value", ...]: the fixed overrides. */
static void read_sets(rd *r, config_setting_t *root, qm_cal *c)
{
    config_setting_t *s = config_setting_get_member(root, "set");
    if (!s)
        return;
    int n = config_setting_is_array(s) || config_setting_is_list(s) ? config_setting_length(s) : -1;
    if (n < 0) {
        qm_errors_add(r->err, "%s:%d: set must be a list of \"path=value\" strings", r->file,
                      qm_swf_line(s));
        return;
    }
    c->sets = calloc((size_t)n + 1, sizeof *c->sets);
    for (int i = 0; c->sets && i < n; i++) {
        config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING
            || !strchr(config_setting_get_string(e), '=')) {
            qm_errors_add(r->err, "%s:%d: set[%d] must be a \"path=value\" string", r->file,
                          qm_swf_line(s), i);
            continue;
        }
        if ((c->sets[c->n_sets] = strdup(config_setting_get_string(e))))
            c->n_sets++;
    }
}

/* The base scenario: found as a sweep's is (sweepfile_base.c). */
static int resolve_reworded(rd *r, const char *name, const char *dir, const char *key, int line);

static int read_base(rd *r, config_setting_t *root, const char *dir, const qm_cal_stored *st,
                     qm_cal *c)
{
    const char *base_text = st ? st->base_text : NULL;
    const char *base_source = st ? st->base_source : NULL;
    const char *base = qm_swf_get_str(r, root, "base", "", 1);
    config_setting_t *bs = config_setting_get_member(root, "base");
    int line = bs ? qm_swf_line(bs) : 1;
    if (!base)
        return -1;
    c->base = strdup(base);
    if (!strcmp(base, "builtin:ishigami")) {
        qm_errors_add(r->err, "%s:%d: a calibration needs a scenario of the model, not "
                      "builtin:ishigami", r->file, line);
        return -1;
    }
    if (base_text) {
        r->sw->base_text = strdup(base_text);
        r->sw->base_source = strdup(base_source ? base_source : base);
    } else {
        resolve_reworded(r, base, dir, "base", line);
    }
    c->base_text = r->sw->base_text;
    c->base_source = r->sw->base_source;
    r->sw->base_text = r->sw->base_source = NULL;
    return c->base_text ? line : -1;
}

/* Loads a scenario's text with the fixed overrides into *sc; each problem
 * is reported at line as "WHAT 'NAME': ..." (an override's as "set: ...").
 * 0, or -1. */
static int load_with_sets(rd *r, const qm_cal *c, const char *text, const char *source,
                          int line, const char *what, const char *name, qm_scenario *sc)
{
    qm_errors *e = malloc(sizeof *e);
    if (!e) {
        qm_errors_add(r->err, "%s: out of memory", r->file);
        return -1;
    }
    int rc = qm_scenario_load_text(text, source, (const char *const *)c->sets, c->n_sets, sc, e);
    for (int i = 0; rc != 0 && i < e->n && i < QM_ERR_MAX; i++) {
        const char *m = e->msg[i];
        int from_set = !strncmp(m, "--set: ", 7);
        qm_errors_add(r->err, "%s:%d: %s '%s': %s%s", r->file, line, what, name,
                      from_set ? "set: " : "", from_set ? m + 7 : m);
    }
    free(e);
    return rc != 0 ? -1 : 0;
}

/* Loads the base with the fixed overrides: its resolved text, seed and
 * horizon (the seed unless the file gives one). */
static void load_base(rd *r, int line, qm_cal *c, int seed_given)
{
    qm_scenario sc;
    if (load_with_sets(r, c, c->base_text, c->base_source, line, "base scenario", c->base, &sc))
        return;
    c->base_resolved = qm_scenario_resolved_text(&sc);
    if (!seed_given)
        c->abc.seed = sc.seed;
    c->months = sc.months;
    qm_scenario_free(&sc);
}

/* prior = "..." into *kind; the nearest word when it is none of them. */
static void read_prior_kind(rd *r, config_setting_t *g, const char *ctx, int *kind)
{
    const char *w = qm_swf_get_str(r, g, "prior", ctx, 0);
    *kind = QM_PRIOR_UNIFORM;
    if (!w)
        return;
    for (int i = 0; prior_words[i]; i++)
        if (!strcmp(w, prior_words[i])) {
            *kind = i;
            return;
        }
    const char *s = qm_suggest_nearest(w, prior_words, -1);
    qm_errors_add(r->err, "%s:%d: %sprior '%s' is not one of uniform, log_uniform, normal, "
                  "beta%s%s%s", r->file, qm_swf_line(config_setting_get_member(g, "prior")), ctx,
                  w, s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
    *kind = -1;
}

/* The prior's own numbers: mean and sd of a normal, shape of a beta. */
static void read_prior_shape(rd *r, config_setting_t *g, const char *ctx, const char *name,
                             qm_prior *p)
{
    config_setting_t *shape = config_setting_get_member(g, "shape");
    int has_mean = config_setting_get_member(g, "mean") != NULL;
    int has_sd = config_setting_get_member(g, "sd") != NULL;
    if (p->kind == QM_PRIOR_NORMAL) {
        p->a = 0.5 * (p->lo + p->hi);
        p->b = p->hi - p->lo;
        get_num(r, g, "mean", ctx, &p->a);
        get_num(r, g, "sd", ctx, &p->b);
        if (!has_mean || !has_sd)
            qm_errors_add(r->err, "%s:%d: parameter '%s': a normal prior needs mean and sd",
                          r->file, qm_swf_line(g), name);
    } else if (has_mean || has_sd) {
        qm_errors_add(r->err, "%s:%d: parameter '%s': mean and sd apply to a normal prior only",
                      r->file, qm_swf_line(g), name);
    }
    if (p->kind == QM_PRIOR_BETA) {
        double v[2] = {1, 1};
        if (!shape)
            qm_errors_add(r->err, "%s:%d: parameter '%s': a beta prior needs shape = [a, b]",
                          r->file, qm_swf_line(g), name);
        else if (get_pair(r, shape, ctx, "a, b", v) == 0) {
            p->a = v[0];
            p->b = v[1];
        }
    } else if (shape) {
        qm_errors_add(r->err, "%s:%d: parameter '%s': shape applies to a beta prior only",
                      r->file, qm_swf_line(shape), name);
    }
}

/* One parameter: a factor's path, name and range, and its prior. */
static void read_param(rd *r, config_setting_t *g, int idx, qm_cal *c)
{
    qm_cal_param *P = &c->params[idx];
    qm_prior *p = &c->abc.prior[idx];
    char ctx[48], why[200];
    snprintf(ctx, sizeof ctx, "parameters[%d].", idx);
    P->line = P->f.line = qm_swf_line(g);
    if (!config_setting_is_group(g)) {
        qm_errors_add(r->err, "%s:%d: parameters[%d] must be a group { path = ...; prior = ...; "
                      "range = [min, max]; }", r->file, P->line, idx);
        return;
    }
    qm_swf_check_keys(r, g, param_keys, ctx);
    const char *path = qm_swf_get_str(r, g, "path", ctx, 1);
    const char *name = qm_swf_get_str(r, g, "name", ctx, 0);
    if (path && (!*path || strlen(path) >= sizeof P->f.path || strchr(path, '=')))
        qm_errors_add(r->err, "%s:%d: %spath '%s' is not a parameter path", r->file, P->line, ctx,
                      path);
    else if (path)
        snprintf(P->f.path, sizeof P->f.path, "%s", path);
    name = name ? name : path ? path : "";
    if (!*name || strlen(name) >= sizeof P->f.name || strchr(name, '/'))
        qm_errors_add(r->err, "%s:%d: %sname '%s' must be 1 to %d characters without '/'",
                      r->file, P->line, ctx, name, QM_SWEEP_NAME_MAX - 1);
    else
        snprintf(P->f.name, sizeof P->f.name, "%s", name);
    read_prior_kind(r, g, ctx, &p->kind);
    config_setting_t *range = config_setting_get_member(g, "range");
    double v[2];
    if (!range) {
        qm_errors_add(r->err, "%s:%d: %srange = [min, max] is missing (the prior's support)",
                      r->file, P->line, ctx);
        return;
    }
    if (p->kind < 0 || get_pair(r, range, ctx, "min, max", v))
        return;
    p->lo = P->f.min = v[0];
    p->hi = P->f.max = v[1];
    P->f.log = p->kind == QM_PRIOR_LOGUNIFORM;
    read_prior_shape(r, g, ctx, P->f.name, p);
    if (qm_prior_check(p, why, sizeof why))
        qm_errors_add(r->err, "%s:%d: parameter '%s' (%s prior): %s", r->file,
                      qm_swf_line(range), P->f.name, prior_words[p->kind], why);
}

/* parameters = ( {...}, ... ): paths unique. */
static void read_params(rd *r, config_setting_t *root, qm_cal *c)
{
    config_setting_t *l = config_setting_get_member(root, "parameters");
    int n = l && config_setting_is_list(l) ? config_setting_length(l) : -1;
    if (!l) {
        qm_errors_add(r->err, "%s:1: parameters is missing (a list of { path = ...; prior = "
                      "...; range = [min, max]; })", r->file);
        return;
    }
    if (n < 1 || n > QM_ABC_MAX_PARAMS) {
        qm_errors_add(r->err, "%s:%d: parameters must be a list of 1 to %d groups ( { ... }, "
                      "... )", r->file, qm_swf_line(l), QM_ABC_MAX_PARAMS);
        return;
    }
    if (!(c->params = calloc((size_t)n, sizeof *c->params)))
        return;
    c->n_params = c->abc.n_params = n;
    for (int i = 0; i < n; i++) {
        read_param(r, config_setting_get_elem(l, (unsigned)i), i, c);
        for (int j = 0; j < i; j++)
            if (c->params[i].f.path[0] && !strcmp(c->params[i].f.path, c->params[j].f.path))
                qm_errors_add(r->err, "%s:%d: parameter '%s' sets %s, as parameter '%s' does",
                              r->file, c->params[i].line, c->params[i].f.name,
                              c->params[i].f.path, c->params[j].f.name);
            else if (c->params[i].f.name[0] && !strcmp(c->params[i].f.name, c->params[j].f.name))
                qm_errors_add(r->err, "%s:%d: two parameters are named '%s'", r->file,
                              c->params[i].line, c->params[i].f.name);
    }
}

/* The nearest outcome to a name that is none: a key outcome, or for
 * REDUCE:SERIES the nearest series. */
static void report_outcome(rd *r, int line, const char *ctx, const char *name)
{
    const char *keys[QM_KO_N + 1];
    const char *series[QM_S_N + 1];
    char hint[QM_CMP_NAME_MAX + 64] = "";
    const char *colon = strchr(name, ':');
    for (int k = 0; k < QM_KO_N; k++)
        keys[k] = qm_outcomes_key_defs[k].name;
    keys[QM_KO_N] = NULL;
    for (int k = 0; k < QM_S_N; k++)
        series[k] = qm_series_defs[k].name;
    series[QM_S_N] = NULL;
    const char *s = colon ? qm_suggest_nearest(colon + 1, series, -1)
                          : qm_suggest_nearest(name, keys, -1);
    if (s)
        snprintf(hint, sizeof hint, " (did you mean '%s%.*s%s'?)", colon ? "" : "",
                 colon ? (int)(colon - name + 1) : 0, name, s);
    qm_errors_add(r->err, "%s:%d: %soutcome '%s' is not an outcome of the comparison%s: give a key "
                  "outcome (tender_share, switch_rate, tc_per_spend, trust, quality, unmet_share, "
                  "agency_fees, dependency, developments, spend_year, tc_total, net_cost, "
                  "launch_months, stalled_share) or REDUCE:SERIES (mean, sum, final, min or max "
                  "of a series of `qmsim summary`)", r->file, line, ctx, name, hint);
}

/* relation = "...": which comparison a target measures; the nearest word
 * when it is none of them.  QM_CAL_REL_NONE when absent. */
static int read_relation(rd *r, config_setting_t *g, const char *ctx)
{
    const char *w = qm_swf_get_str(r, g, "relation", ctx, 0);
    if (!w)
        return QM_CAL_REL_NONE;
    for (int i = 1; i < QM_CAL_REL_N; i++)
        if (!strcmp(w, qm_cal_relation_names[i]))
            return i;
    const char *s = qm_suggest_nearest(w, qm_cal_relation_names + 1, -1);
    qm_errors_add(r->err, "%s:%d: %srelation '%s' is not one of difference, ratio, "
                  "cost_share_of_savings%s%s%s", r->file,
                  qm_swf_line(config_setting_get_member(g, "relation")), ctx, w,
                  s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
    return -1;
}

/* A target's scenario and relative_to, kept in *ts, and its relation,
 * each consistent with the others; 0, or -1 (reported). */
static int read_comparison(rd *r, config_setting_t *g, const char *ctx, qm_cal_target *T,
                           target_scen *ts)
{
    config_setting_t *s = config_setting_get_member(g, "scenario");
    config_setting_t *ref = config_setting_get_member(g, "relative_to");
    ts->scenario = qm_swf_get_str(r, g, "scenario", ctx, 0);
    ts->relative_to = qm_swf_get_str(r, g, "relative_to", ctx, 0);
    ts->scenario_line = T->scenario_line = s ? qm_swf_line(s) : T->line;
    ts->relative_line = ref ? qm_swf_line(ref) : T->line;
    T->relation = read_relation(r, g, ctx);
    T->relative_to = -1;
    if ((s && !ts->scenario) || (ref && !ts->relative_to) || T->relation < 0)
        return -1;
    if ((ts->scenario && !*ts->scenario) || (ts->relative_to && !*ts->relative_to)) {
        qm_errors_add(r->err, "%s:%d: %s%s is empty: give a scenario (a path, a bundled name "
                      "or builtin:baseline) or \"base\"", r->file,
                      ts->scenario && !*ts->scenario ? ts->scenario_line : ts->relative_line,
                      ctx, ts->scenario && !*ts->scenario ? "scenario" : "relative_to");
        return -1;
    }
    if (T->relation != QM_CAL_REL_NONE && !ts->relative_to) {
        qm_errors_add(r->err, "%s:%d: %srelation \"%s\" needs relative_to = \"SCENARIO\" (the "
                      "scenario it is measured against, or \"base\")", r->file,
                      qm_swf_line(config_setting_get_member(g, "relation")), ctx,
                      qm_cal_relation_names[T->relation]);
        return -1;
    }
    if (T->relation == QM_CAL_REL_NONE && ts->relative_to) {
        qm_errors_add(r->err, "%s:%d: %srelative_to needs relation = \"difference\", \"ratio\" "
                      "or \"cost_share_of_savings\"", r->file, ts->relative_line, ctx);
        return -1;
    }
    return 0;
}

/* A target's outcome: the one written, or for a cost share tc_total and
 * spend_year (an outcome written there is an error). */
static void read_target_outcome(rd *r, config_setting_t *g, const char *ctx, qm_cal_target *T)
{
    char err[600];
    config_setting_t *o = config_setting_get_member(g, "outcome");
    if (T->relation == QM_CAL_REL_COST_SHARE) {
        if (o)
            qm_errors_add(r->err, "%s:%d: %soutcome: relation \"cost_share_of_savings\" measures "
                          "tc_total and spend_year itself; give no outcome", r->file,
                          qm_swf_line(o), ctx);
        qm_outcomes_parse("tc_total", &T->out, 1, err, sizeof err);
        qm_outcomes_parse("spend_year", &T->spend, 1, err, sizeof err);
        snprintf(T->out.name, sizeof T->out.name, "%s", qm_cal_relation_names[T->relation]);
        return;
    }
    const char *name = qm_swf_get_str(r, g, "outcome", ctx, 1);
    if (name && (strchr(name, ',') || qm_outcomes_parse(name, &T->out, 1, err, sizeof err) != 1))
        report_outcome(r, qm_swf_line(o), ctx, name);
}

/* One target: outcome with observed and tolerance, or a band; the
 * scenario it is measured on and what against, kept in *ts. */
static void read_target(rd *r, config_setting_t *g, int idx, qm_cal *c, target_scen *ts)
{
    qm_cal_target *T = &c->targets[idx];
    qm_abc_target *t = &c->abc.target[idx];
    char ctx[48];
    snprintf(ctx, sizeof ctx, "targets[%d].", idx);
    T->line = T->scenario_line = qm_swf_line(g);
    T->relative_to = T->relative_entry = -1;
    if (!config_setting_is_group(g)) {
        qm_errors_add(r->err, "%s:%d: targets[%d] must be a group { outcome = ...; observed = "
                      "...; tolerance = ...; } or { outcome = ...; band = [min, max]; }", r->file,
                      T->line, idx);
        return;
    }
    qm_swf_check_keys(r, g, target_keys, ctx);
    if (read_comparison(r, g, ctx, T, ts) == 0)
        read_target_outcome(r, g, ctx, T);
    config_setting_t *band = config_setting_get_member(g, "band");
    int has_obs = config_setting_get_member(g, "observed") != NULL;
    int has_tol = config_setting_get_member(g, "tolerance") != NULL;
    double v[2];
    t->tol = NAN;
    if (band) {
        t->band = 1;
        if (has_obs)
            qm_errors_add(r->err, "%s:%d: %sgive observed (with tolerance) or band, not both",
                          r->file, T->line, ctx);
        if (get_pair(r, band, ctx, "min, max", v) == 0) {
            t->lo = v[0];
            t->hi = v[1];
            if (!(t->lo <= t->hi))
                qm_errors_add(r->err, "%s:%d: %sband [%g, %g] has min above max", r->file,
                              qm_swf_line(band), ctx, t->lo, t->hi);
        }
        if (get_num(r, g, "tolerance", ctx, &t->tol) && !(t->tol > 0.0))
            qm_errors_add(r->err, "%s:%d: %stolerance must be above 0, not %g", r->file,
                          qm_swf_line(config_setting_get_member(g, "tolerance")), ctx, t->tol);
        else if (t->lo == t->hi && !(t->tol > 0.0))
            qm_errors_add(r->err, "%s:%d: %sa band of no width needs a tolerance above 0 (the "
                          "scale of a miss)", r->file, qm_swf_line(band), ctx);
        return;
    }
    if (!has_obs || !has_tol) {
        qm_errors_add(r->err, "%s:%d: %sneeds observed = X; tolerance = E; or band = [min, max]",
                      r->file, T->line, ctx);
        return;
    }
    get_num(r, g, "observed", ctx, &t->value);
    if (get_num(r, g, "tolerance", ctx, &t->tol) && !(t->tol > 0.0))
        qm_errors_add(r->err, "%s:%d: %stolerance must be above 0, not %g", r->file,
                      qm_swf_line(config_setting_get_member(g, "tolerance")), ctx, t->tol);
}

static void read_targets(rd *r, config_setting_t *root, qm_cal *c, target_scen *ts)
{
    config_setting_t *l = config_setting_get_member(root, "targets");
    int n = l && config_setting_is_list(l) ? config_setting_length(l) : -1;
    if (!l) {
        qm_errors_add(r->err, "%s:1: targets is missing (a list of { outcome = ...; observed = "
                      "...; tolerance = ...; } or { outcome = ...; band = [min, max]; })", r->file);
        return;
    }
    if (n < 1 || n > QM_ABC_MAX_TARGETS) {
        qm_errors_add(r->err, "%s:%d: targets must be a list of 1 to %d groups ( { ... }, ... )",
                      r->file, qm_swf_line(l), QM_ABC_MAX_TARGETS);
        return;
    }
    if (!(c->targets = calloc((size_t)n, sizeof *c->targets)))
        return;
    c->n_targets = c->abc.n_targets = n;
    for (int i = 0; i < n; i++)
        read_target(r, config_setting_get_elem(l, (unsigned)i), i, c, &ts[i]);
}

/* budget = { simulations; generations; tolerance; min_acceptance; }. */
static void read_budget(rd *r, config_setting_t *root, qm_cal *c)
{
    qm_abc_config *a = &c->abc;
    long long v = 0;
    double tol = a->method == QM_ABC_REJECTION ? DEFAULT_REJECTION_TOLERANCE : 0.0;
    a->budget = DEFAULT_SIMULATIONS;
    a->max_generations = DEFAULT_GENERATIONS;
    config_setting_t *b = config_setting_get_member(root, "budget");
    if (b && !config_setting_is_group(b)) {
        qm_errors_add(r->err, "%s:%d: budget must be a group { simulations = N; ... }", r->file,
                      qm_swf_line(b));
        b = NULL;
    }
    if (b) {
        qm_swf_check_keys(r, b, budget_keys, "budget.");
        config_setting_t *sims = config_setting_get_member(b, "simulations");
        if (sims && qm_swf_is_number(sims) && config_setting_get_float(sims) == 0.0
            && config_setting_get_int64(sims) == 0)
            qm_errors_add(r->err, "%s:%d: budget.simulations is 0: a budget of no simulations "
                          "estimates nothing (give at least %d, the particles of one generation)",
                          r->file, qm_swf_line(sims), a->particles);
        else if (qm_swf_get_int(r, b, "simulations", "budget.", 1, MAX_SIMULATIONS, &v))
            a->budget = (long)v;
        if (qm_swf_get_int(r, b, "generations", "budget.", 1, 1000, &v))
            a->max_generations = (int)v;
        if (get_num(r, b, "tolerance", "budget.", &tol) && !(tol >= 0.0))
            qm_errors_add(r->err, "%s:%d: budget.tolerance must be >= 0, not %g", r->file,
                          qm_swf_line(config_setting_get_member(b, "tolerance")), tol);
        if (get_num(r, b, "min_acceptance", "budget.", &a->min_acceptance)
            && !(a->min_acceptance >= 0.0 && a->min_acceptance < 1.0))
            qm_errors_add(r->err, "%s:%d: budget.min_acceptance must be in [0, 1), not %g",
                          r->file, qm_swf_line(config_setting_get_member(b, "min_acceptance")),
                          a->min_acceptance);
    }
    if (a->method == QM_ABC_REJECTION) {
        a->tolerance = tol;
        a->budget = a->particles;   /* every sample of the hypercube, once */
    } else {
        a->min_tolerance = tol;
    }
}

/* algorithm, particles, quantile, replications and seed. */
static int read_algorithm(rd *r, config_setting_t *root, qm_cal *c)
{
    qm_abc_config *a = &c->abc;
    const char *alg = qm_swf_get_str(r, root, "algorithm", "", 0);
    long long v = 0;
    if (alg) {
        a->method = -1;
        for (int i = 0; qm_abc_method_names[i]; i++)
            if (!strcmp(alg, qm_abc_method_names[i]))
                a->method = i;
        if (a->method < 0) {
            const char *s = qm_suggest_nearest(alg, qm_abc_method_names, -1);
            qm_errors_add(r->err, "%s:%d: algorithm '%s' is not smc or rejection%s%s%s", r->file,
                          qm_swf_line(config_setting_get_member(root, "algorithm")), alg,
                          s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
            a->method = QM_ABC_SMC;
        }
    }
    a->particles = DEFAULT_PARTICLES;
    if (qm_swf_get_int(r, root, "particles", "", 2, QM_ABC_MAX_PARTICLES, &v))
        a->particles = (int)v;
    if (get_num(r, root, "quantile", "", &a->quantile) && !(a->quantile > 0 && a->quantile < 1))
        qm_errors_add(r->err, "%s:%d: quantile must be in (0, 1), not %g", r->file,
                      qm_swf_line(config_setting_get_member(root, "quantile")), a->quantile);
    c->replications = 1;
    if (qm_swf_get_int(r, root, "replications", "", 1, MAX_REPLICATIONS, &v))
        c->replications = (int)v;
    config_setting_t *seed = config_setting_get_member(root, "seed");
    if (!seed)
        return 0;
    int t = config_setting_type(seed);
    if ((t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) || config_setting_get_int64(seed) < 0) {
        qm_errors_add(r->err, "%s:%d: seed must be an integer >= 0", r->file, qm_swf_line(seed));
        return 0;
    }
    a->seed = (uint64_t)config_setting_get_int64(seed);
    return 1;
}

/* The sweep's factor check says "factor 'x'"; here it is a parameter. */
static void name_as_parameter(char *msg)
{
    char *at = strstr(msg, ": factor '");
    if (!at)
        return;
    char rest[QM_ERR_LEN];
    snprintf(rest, sizeof rest, "%s", at + 9);
    snprintf(at, QM_ERR_LEN - (size_t)(at - msg), ": parameter %s", rest);
}

/* The text after "FILE:LINE: " of message m (m itself when it has none). */
static const char *after_place(const char *m, const char *file)
{
    size_t n = strlen(file);
    if (strncmp(m, file, n) || m[n] != ':')
        return m;
    const char *p = strchr(m + n + 1, ':');
    return p && p[1] == ' ' ? p + 2 : m;
}

/* Replaces the first from in msg (n bytes) by to. */
static void replace_words(char *msg, size_t n, const char *from, const char *to)
{
    char *at = strstr(msg, from);
    if (!at)
        return;
    char rest[QM_ERR_LEN];
    snprintf(rest, sizeof rest, "%s", at + strlen(from));
    snprintf(at, n - (size_t)(at - msg), "%s%s", to, rest);
}

/* Finds scenario name as a sweep finds its base (qm_swf_resolve_base),
 * its messages put in a calibration's words and prefixed with key.
 * Returns the number of problems (reported). */
static int resolve_reworded(rd *r, const char *name, const char *dir, const char *key, int line)
{
    qm_errors *e = calloc(1, sizeof *e);
    qm_errors *keep = r->err;
    if (!e) {
        qm_errors_add(r->err, "%s: out of memory", r->file);
        return 1;
    }
    r->err = e;
    qm_swf_resolve_base(r, name, dir, line);
    r->err = keep;
    for (int i = 0; i < e->n && i < QM_ERR_MAX; i++) {
        const char *m = after_place(e->msg[i], r->file);
        if (!strncmp(m, "base scenario ", 14))
            m += 14;
        char msg[QM_ERR_LEN];
        snprintf(msg, sizeof msg, "%s", m);
        replace_words(msg, sizeof msg, "beside the sweep file", "beside the calibration file");
        replace_words(msg, sizeof msg, ", or builtin:baseline or builtin:ishigami",
                      ", or builtin:baseline");
        qm_errors_add(r->err, "%s:%d: %s: %s", r->file, line, key, msg);
    }
    int n = e->n;
    free(e);
    return n;
}

/* The short name of a scenario as written, for a target's label: a path's
 * file name without .cfg, else the name. */
static void short_name(const char *name, char *buf, size_t n)
{
    const char *b = strrchr(name, '/');
    b = b ? b + 1 : name;
    size_t len = strlen(b);
    if (len > 4 && !strcmp(b + len - 4, ".cfg"))
        len -= 4;
    snprintf(buf, n, "%.*s", (int)len, b);
}

/* Finds scenario name (written at line, under key) as the base is found,
 * or among the texts a result stored, into *sc; 0, or -1 (reported). */
static int find_scenario(rd *r, const char *name, const char *dir, const qm_cal_stored *st,
                         const char *key, int line, qm_cal_scen *sc)
{
    for (int i = 0; st && i < st->n; i++)
        if (!strcmp(st->names[i], name)) {
            sc->text = strdup(st->texts[i]);
            sc->source = strdup(st->sources[i]);
            return sc->text && sc->source ? 0 : -1;
        }
    r->sw->model = QM_MODEL_ABM;
    int errors = resolve_reworded(r, name, dir, key, line);
    if (!errors && !r->sw->base_text)
        qm_errors_add(r->err, "%s:%d: %s: a calibration needs a scenario of the model, not %s",
                      r->file, line, key, name);
    int rc = errors || !r->sw->base_text ? -1 : 0;
    sc->text = r->sw->base_text;
    sc->source = r->sw->base_source;
    r->sw->base_text = r->sw->base_source = NULL;
    r->sw->model = QM_MODEL_ABM;
    return rc;
}

/* Checks scenario sc (named by key at line) as the base is checked: it
 * loads with `set`, and with every parameter at each end of its range.
 * Each problem names the key and the parameter's path. */
static void check_scenario(rd *r, qm_cal *c, qm_cal_scen *sc, const char *key, int line)
{
    qm_scenario loaded;
    if (load_with_sets(r, c, sc->text, sc->source, line, key, sc->name, &loaded))
        return;
    qm_errors *e = calloc(1, sizeof *e);
    qm_errors *keep = r->err;
    if (!e) {
        qm_errors_add(r->err, "%s: out of memory", r->file);
        qm_scenario_free(&loaded);
        return;
    }
    sc->months = loaded.months;
    qm_scenario_free(&loaded);
    for (int j = 0; j < c->n_params; j++) {
        memset(e, 0, sizeof *e);
        r->err = e;
        r->sw->base_text = sc->text;
        r->sw->base_source = sc->source;
        qm_swf_check_factor(r, &c->params[j].f, (const char *const *)c->sets, c->n_sets);
        r->sw->base_text = r->sw->base_source = NULL;
        r->err = keep;
        for (int i = 0; i < e->n && i < QM_ERR_MAX; i++) {
            const char *m = after_place(e->msg[i], r->file);
            const char *f = strncmp(m, "factor '", 8) ? NULL : strstr(m, "': ");
            const qm_factor *pf = &c->params[j].f;
            int named = strcmp(pf->name, pf->path) != 0;
            qm_errors_add(r->err, "%s:%d: %s '%s': parameter '%s'%s%s%s: %s", r->file, line, key,
                          sc->name, pf->name, named ? " (path " : "", named ? pf->path : "",
                          named ? ")" : "", f ? f + 3 : m);
        }
    }
    free(e);
}

/* The entry of c->scen for the scenario name (written under key at
 * line), found, checked and added when new.  A scenario found before
 * under another name (the same source and text) runs once: the name gets
 * an entry that runs as that one, so that a result records every name.
 * -1 (reported) when it cannot be used. */
static int scenario_index(rd *r, qm_cal *c, const char *name, const char *dir,
                          const qm_cal_stored *st, const char *key, int line)
{
    if (!name || !strcmp(name, "base"))
        return 0;
    for (int s = 1; s < c->n_scen; s++)
        if (!strcmp(c->scen[s].name, name))
            return s;
    qm_cal_scen sc = {0};
    if (find_scenario(r, name, dir, st, key, line, &sc) != 0) {
        free(sc.text);
        free(sc.source);
        return -1;
    }
    sc.run_as = c->n_scen;
    for (int s = 0; s < c->n_scen && sc.run_as == c->n_scen; s++)
        if (c->scen[s].run_as == s && !strcmp(c->scen[s].source, sc.source)
            && !strcmp(c->scen[s].text, sc.text))
            sc.run_as = s;
    sc.name = strdup(name);
    if (!sc.name) {
        free(sc.text);
        free(sc.source);
        return -1;
    }
    c->scen[c->n_scen] = sc;
    int before = r->err->n;
    if (sc.run_as == c->n_scen)
        check_scenario(r, c, &c->scen[c->n_scen], key, line);
    c->n_scen++;
    return r->err->n > before ? -1 : c->n_scen - 1;
}

/* Target T's label: its outcome, and the scenarios it compares (ts, as
 * written). */
static void label_target(const target_scen *ts, qm_cal_target *T)
{
    char a[128], b[128];   /* with the outcome, within QM_CAL_LABEL_MAX */
    static const char *const sep[QM_CAL_REL_N] = {"", " - ", " / ", " vs "};
    if (!ts->scenario && T->relation == QM_CAL_REL_NONE) {
        snprintf(T->label, sizeof T->label, "%s", T->out.name);
        return;
    }
    short_name(ts->scenario ? ts->scenario : "base", a, sizeof a);
    short_name(ts->relative_to ? ts->relative_to : "", b, sizeof b);
    snprintf(T->label, sizeof T->label, "%.*s [%s%s%s]", QM_CMP_NAME_MAX, T->out.name, a,
             sep[T->relation], T->relation ? b : "");
}

/* The targets' scenarios: the base is c->scen[0]; every other one named
 * is found (or taken from st), loaded with `set` and checked with the
 * parameters; then the targets' labels, each once. */
static void read_target_scenarios(rd *r, qm_cal *c, const char *dir, const qm_cal_stored *st,
                                  const target_scen *ts)
{
    c->scen = calloc((size_t)(2 * c->n_targets + 1), sizeof *c->scen);
    if (!c->scen) {
        qm_errors_add(r->err, "%s: out of memory", r->file);
        return;
    }
    c->scen[0].name = strdup("base");
    c->scen[0].source = strdup(c->base_source);
    c->scen[0].text = strdup(c->base_text);
    c->scen[0].months = c->months;
    c->n_scen = 1;
    if (!c->scen[0].name || !c->scen[0].source || !c->scen[0].text) {
        qm_errors_add(r->err, "%s: out of memory", r->file);
        return;
    }
    for (int t = 0; t < c->n_targets; t++) {
        qm_cal_target *T = &c->targets[t];
        char key[64];
        snprintf(key, sizeof key, "targets[%d].scenario", t);
        T->scenario_entry = scenario_index(r, c, ts[t].scenario, dir, st, key,
                                           ts[t].scenario_line);
        snprintf(key, sizeof key, "targets[%d].relative_to", t);
        T->relative_entry = !ts[t].relative_to ? -1 : scenario_index(r, c, ts[t].relative_to,
                                                                     dir, st, key,
                                                                     ts[t].relative_line);
        if (T->scenario_entry < 0 || (ts[t].relative_to && T->relative_entry < 0))
            continue;
        T->scenario = c->scen[T->scenario_entry].run_as;
        T->relative_to = T->relative_entry >= 0 ? c->scen[T->relative_entry].run_as : -1;
        c->scen[T->scenario].used = 1;
        if (T->relative_to >= 0)
            c->scen[T->relative_to].used = 1;
        label_target(&ts[t], T);
        for (int j = 0; j < t; j++)
            if (!strcmp(T->label, c->targets[j].label))
                qm_errors_add(r->err, "%s:%d: %s '%s' is %s twice", r->file, T->line,
                              T->relation || ts[t].scenario ? "target" : "outcome", T->label,
                              T->relation || ts[t].scenario ? "given" : "a target");
    }
}

/* Every key once the file parses. */
static void read_root(rd *r, config_setting_t *root, const char *dir, const qm_cal_stored *st,
                      qm_cal *c)
{
    target_scen ts[QM_ABC_MAX_TARGETS];
    memset(ts, 0, sizeof ts);
    qm_swf_check_keys(r, root, top_keys, "");
    int seed_given = read_algorithm(r, root, c);
    read_budget(r, root, c);
    read_sets(r, root, c);
    read_params(r, root, c);
    read_targets(r, root, c, ts);
    int line = read_base(r, root, dir, st, c);
    if (line < 0 || r->err->n)
        return;
    load_base(r, line, c, seed_given);
    for (int j = 0; j < c->n_params && !r->err->n; j++) {
        r->sw->base_text = c->base_text;
        r->sw->base_source = c->base_source;
        int before = r->err->n;
        qm_swf_check_factor(r, &c->params[j].f, (const char *const *)c->sets, c->n_sets);
        r->sw->base_text = r->sw->base_source = NULL;
        for (int i = before; i < r->err->n && i < QM_ERR_MAX; i++)
            name_as_parameter(r->err->msg[i]);
    }
    if (!r->err->n)
        read_target_scenarios(r, c, dir, st, ts);
    char why[300];
    if (!r->err->n && qm_abc_check(&c->abc, why, sizeof why))
        qm_errors_add(r->err, "%s:1: %s", r->file, why);
}

int qm_cal_load_text(const char *text, const char *name, const char *dir,
                     const qm_cal_stored *stored, qm_cal *out, qm_errors *err)
{
    qm_sweep tmp;
    memset(&tmp, 0, sizeof tmp);
    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);
    qm_abc_defaults(&out->abc);
    rd r = {name, err, &tmp};
    config_t cfg;
    config_init(&cfg);
    text = qm_cfgtext_skip_bom(text);
    if (!config_read_string(&cfg, text)) {
        qm_cfgtext_syntax(err, name, text, &cfg);
    } else {
        read_root(&r, config_root_setting(&cfg), dir, stored, out);
    }
    config_destroy(&cfg);
    qm_sweep_free(&tmp);
    out->file = strdup(name);
    out->text = strdup(text);
    if (!err->n && (!out->file || !out->text || !out->base_resolved || !out->scen))
        qm_errors_add(err, "%s: out of memory", name);
    if (err->n) {
        qm_cal_free(out);
        return err->n;
    }
    return 0;
}

int qm_cal_load(const char *path, qm_cal *out, qm_errors *err)
{
    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);
    char *text = qm_swf_read_text(path);
    if (!text) {
        qm_errors_add(err, "%s: cannot read the calibration file: %s", path, strerror(errno));
        return 1;
    }
    char *dir = strdup(path), *slash = dir ? strrchr(dir, '/') : NULL;
    if (slash)
        *slash = '\0';
    int rc = qm_cal_load_text(text, path, slash ? dir : NULL, NULL, out, err);
    free(dir);
    free(text);
    return rc;
}

void qm_cal_override(const qm_cal *c, int j, double x, char *buf, size_t n)
{
    qm_swf_override_text(&c->params[j].f, x, buf, n);
}

int qm_cal_load_result(const qm_calresult *r, const char *name, qm_cal *out, qm_errors *err)
{
    qm_cal_stored st = {r->base_text, r->base_source, r->n_scen, r->scen_names,
                        r->scen_sources, r->scen_texts};
    return qm_cal_load_text(r->cal_text, r->cal_file ? r->cal_file : name, NULL, &st, out, err);
}
