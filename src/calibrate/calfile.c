/* calfile.c: reading a calibration file (docs/calibration.md): the base
 * scenario and fixed overrides as in a sweep file, the parameters with
 * their priors (a sweep factor's path and range, checked against the base
 * the same way), the targets (outcomes of the comparison with an observed
 * value and tolerance, or a band), replications, the algorithm and its
 * budget.  Every problem is collected as "FILE:LINE: message". */
#include "qmsim/calibrate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static const char *const target_keys[] = {"outcome", "observed", "tolerance", "band", NULL};
static const char *const prior_words[] = {"uniform", "log_uniform", "normal", "beta", NULL};

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
static int read_base(rd *r, config_setting_t *root, const char *dir, const char *base_text,
                     const char *base_source, qm_cal *c)
{
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
        qm_swf_resolve_base(r, base, dir, line);
    }
    c->base_text = r->sw->base_text;
    c->base_source = r->sw->base_source;
    r->sw->base_text = r->sw->base_source = NULL;
    return c->base_text ? line : -1;
}

/* Loads the base with the fixed overrides: its resolved text, seed and
 * horizon (the seed unless the file gives one). */
static void load_base(rd *r, int line, qm_cal *c, int seed_given)
{
    qm_errors *e = malloc(sizeof *e);
    qm_scenario sc;
    if (!e) {
        qm_errors_add(r->err, "%s: out of memory", r->file);
        return;
    }
    if (qm_scenario_load_text(c->base_text, c->base_source, (const char *const *)c->sets,
                              c->n_sets, &sc, e) != 0) {
        for (int i = 0; i < e->n && i < QM_ERR_MAX; i++) {
            const char *m = e->msg[i];
            int from_set = !strncmp(m, "--set: ", 7);
            qm_errors_add(r->err, "%s:%d: base scenario '%s': %s%s", r->file, line, c->base,
                          from_set ? "set: " : "", from_set ? m + 7 : m);
        }
        free(e);
        return;
    }
    free(e);
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
static void read_prior_shape(rd *r, config_setting_t *g, const char *ctx, qm_prior *p)
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
            qm_errors_add(r->err, "%s:%d: %sa normal prior needs mean and sd", r->file,
                          qm_swf_line(g), ctx);
    } else if (has_mean || has_sd) {
        qm_errors_add(r->err, "%s:%d: %smean and sd apply to a normal prior only", r->file,
                      qm_swf_line(g), ctx);
    }
    if (p->kind == QM_PRIOR_BETA) {
        double v[2] = {1, 1};
        if (!shape)
            qm_errors_add(r->err, "%s:%d: %sa beta prior needs shape = [a, b]", r->file,
                          qm_swf_line(g), ctx);
        else if (get_pair(r, shape, ctx, "a, b", v) == 0) {
            p->a = v[0];
            p->b = v[1];
        }
    } else if (shape) {
        qm_errors_add(r->err, "%s:%d: %sshape applies to a beta prior only", r->file,
                      qm_swf_line(shape), ctx);
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
    read_prior_shape(r, g, ctx, p);
    if (qm_prior_check(p, why, sizeof why))
        qm_errors_add(r->err, "%s:%d: parameter '%s': the %s prior has %s", r->file,
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
                  "agency_fees, dependency, developments, launch_months, stalled_share) or "
                  "REDUCE:SERIES (mean, sum, final, min or max of a series of `qmsim summary`)",
                  r->file, line, ctx, name, hint);
}

/* One target: outcome with observed and tolerance, or a band. */
static void read_target(rd *r, config_setting_t *g, int idx, qm_cal *c)
{
    qm_cal_target *T = &c->targets[idx];
    qm_abc_target *t = &c->abc.target[idx];
    char ctx[48], err[600];
    snprintf(ctx, sizeof ctx, "targets[%d].", idx);
    T->line = qm_swf_line(g);
    if (!config_setting_is_group(g)) {
        qm_errors_add(r->err, "%s:%d: targets[%d] must be a group { outcome = ...; observed = "
                      "...; tolerance = ...; } or { outcome = ...; band = [min, max]; }", r->file,
                      T->line, idx);
        return;
    }
    qm_swf_check_keys(r, g, target_keys, ctx);
    const char *name = qm_swf_get_str(r, g, "outcome", ctx, 1);
    if (name && (strchr(name, ',') || qm_outcomes_parse(name, &T->out, 1, err, sizeof err) != 1))
        report_outcome(r, qm_swf_line(config_setting_get_member(g, "outcome")), ctx, name);
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
        get_num(r, g, "tolerance", ctx, &t->tol);
        if (t->lo == t->hi && !(t->tol > 0.0))
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

static void read_targets(rd *r, config_setting_t *root, qm_cal *c)
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
    for (int i = 0; i < n; i++) {
        read_target(r, config_setting_get_elem(l, (unsigned)i), i, c);
        for (int j = 0; j < i; j++)
            if (c->targets[i].out.name[0] && !strcmp(c->targets[i].out.name, c->targets[j].out.name))
                qm_errors_add(r->err, "%s:%d: outcome '%s' is a target twice", r->file,
                              c->targets[i].line, c->targets[i].out.name);
    }
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
        if (qm_swf_get_int(r, b, "simulations", "budget.", 1, MAX_SIMULATIONS, &v))
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

/* Every key once the file parses. */
static void read_root(rd *r, config_setting_t *root, const char *dir, const char *base_text,
                      const char *base_source, qm_cal *c)
{
    qm_swf_check_keys(r, root, top_keys, "");
    int seed_given = read_algorithm(r, root, c);
    read_budget(r, root, c);
    read_sets(r, root, c);
    read_params(r, root, c);
    read_targets(r, root, c);
    int line = read_base(r, root, dir, base_text, base_source, c);
    if (line < 0 || r->err->n)
        return;
    load_base(r, line, c, seed_given);
    for (int j = 0; j < c->n_params && !r->err->n; j++) {
        r->sw->base_text = c->base_text;
        r->sw->base_source = c->base_source;
        qm_swf_check_factor(r, &c->params[j].f, (const char *const *)c->sets, c->n_sets);
        r->sw->base_text = r->sw->base_source = NULL;
    }
    char why[300];
    if (!r->err->n && qm_abc_check(&c->abc, why, sizeof why))
        qm_errors_add(r->err, "%s:1: %s", r->file, why);
}

int qm_cal_load_text(const char *text, const char *name, const char *dir,
                     const char *base_text, const char *base_source, qm_cal *out,
                     qm_errors *err)
{
    qm_sweep tmp;
    memset(&tmp, 0, sizeof tmp);
    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);
    qm_abc_defaults(&out->abc);
    rd r = {name, err, &tmp};
    config_t cfg;
    config_init(&cfg);
    if (!config_read_string(&cfg, text)) {
        qm_errors_add(err, "%s:%d: %s", name, config_error_line(&cfg), config_error_text(&cfg));
    } else {
        read_root(&r, config_root_setting(&cfg), dir, base_text, base_source, out);
    }
    config_destroy(&cfg);
    qm_sweep_free(&tmp);
    out->file = strdup(name);
    out->text = strdup(text);
    if (!err->n && (!out->file || !out->text || !out->base_resolved))
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
    int rc = qm_cal_load_text(text, path, slash ? dir : NULL, NULL, NULL, out, err);
    free(dir);
    free(text);
    return rc;
}

void qm_cal_override(const qm_cal *c, int j, double x, char *buf, size_t n)
{
    qm_swf_override_text(&c->params[j].f, x, buf, n);
}
