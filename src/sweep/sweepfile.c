/* sweepfile.c: reading and checking sweep files (docs/sweeps.md), and
 * building their designs.  Every problem is collected before anything
 * runs, as "FILE:LINE: message". */
#include "qmsim/sweep.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libconfig.h>

#include "io/suggest.h"
#include "qmsim/file.h"
#include "qmsim/observe.h"
#include "qmsim/sim.h"

#define MAX_TEXT (16L << 20)   /* largest sweep or scenario file read */
#define DEFAULT_GRID_LEVELS 3
#define DEFAULT_MORRIS_LEVELS 4
#define ISHIGAMI_PI 3.14159265358979323846

#ifndef QMSIM_SCENARIO_DIR
#define QMSIM_SCENARIO_DIR ""
#endif
#ifndef QMSIM_INSTALL_SCENARIO_DIR
#define QMSIM_INSTALL_SCENARIO_DIR ""
#endif

/* What the reader carries: where messages go and what is being built. */
typedef struct rd {
    const char *file;
    qm_errors *err;
    qm_sweep *sw;
} rd;

static const char *const top_keys[] = {"base", "set", "design", "samples", "levels",
                                       "replications", "seed", "factors", "outcomes",
                                       "series", NULL};
static const char *const factor_keys[] = {"path", "name", "range", "values", "log", "levels",
                                          NULL};
static const char *const outcome_keys[] = {"name", "series", "reduce", "months", NULL};

static int line_of(const config_setting_t *s)
{
    return s ? (int)config_setting_source_line(s) : 0;
}

/* Reports unknown keys of a group against a NULL-terminated list. */
static void check_keys(rd *r, const config_setting_t *g, const char *const *keys, const char *ctx)
{
    int n = config_setting_length(g);
    for (int i = 0; i < n; i++) {
        config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        const char *k = config_setting_name(m);
        int known = 0;
        for (int j = 0; keys[j]; j++)
            known |= !strcmp(keys[j], k);
        if (known)
            continue;
        const char *s = qm_suggest_nearest(k, keys, -1);
        if (s)
            qm_errors_add(r->err, "%s:%d: unknown key '%s%s' (did you mean '%s%s'?)", r->file,
                          line_of(m), ctx, k, ctx, s);
        else
            qm_errors_add(r->err, "%s:%d: unknown key '%s%s'", r->file, line_of(m), ctx, k);
    }
}

static int is_number(const config_setting_t *s)
{
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

static const char *type_word(const config_setting_t *s)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT: case CONFIG_TYPE_INT64: return "an integer";
    case CONFIG_TYPE_FLOAT: return "a number";
    case CONFIG_TYPE_STRING: return "a string";
    case CONFIG_TYPE_BOOL: return "a boolean";
    case CONFIG_TYPE_GROUP: return "a group";
    case CONFIG_TYPE_ARRAY: return "an array";
    case CONFIG_TYPE_LIST: return "a list";
    default: return "a setting";
    }
}

/* An integer key in [lo, hi]; absent leaves *out.  Returns 1 if present. */
static int get_int(rd *r, const config_setting_t *g, const char *key, const char *ctx,
                   long long lo, long long hi, long long *out)
{
    config_setting_t *s = config_setting_get_member(g, key);
    if (!s)
        return 0;
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) {
        qm_errors_add(r->err, "%s:%d: %s%s must be an integer, not %s", r->file, line_of(s), ctx,
                      key, type_word(s));
        return 1;
    }
    long long v = config_setting_get_int64(s);
    if (v < lo || v > hi) {
        qm_errors_add(r->err, "%s:%d: %s%s = %lld is out of range [%lld, %lld]", r->file,
                      line_of(s), ctx, key, v, lo, hi);
        return 1;
    }
    *out = v;
    return 1;
}

/* A string key; NULL when absent (reported when required). */
static const char *get_str(rd *r, const config_setting_t *g, const char *key, const char *ctx,
                           int required)
{
    config_setting_t *s = config_setting_get_member(g, key);
    if (!s) {
        if (required)
            qm_errors_add(r->err, "%s:%d: %s%s is missing", r->file, line_of(g), ctx, key);
        return NULL;
    }
    if (config_setting_type(s) != CONFIG_TYPE_STRING) {
        qm_errors_add(r->err, "%s:%d: %s%s must be a string, not %s", r->file, line_of(s), ctx,
                      key, type_word(s));
        return NULL;
    }
    return config_setting_get_string(s);
}

/* Reads a whole text file (qm_file_read, at most MAX_TEXT bytes); NULL
 * with errno set on failure, EINVAL for a NUL byte inside. */
static char *read_text(const char *path)
{
    size_t len = 0;
    char *buf = qm_file_read(path, (size_t)MAX_TEXT, &len);
    if (buf && strlen(buf) != len) {
        free(buf);
        errno = EINVAL;
        return NULL;
    }
    return buf;
}

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Tries dir/name: on success sets *text and *source and returns 1. */
static int try_file(const char *dir, const char *name, char **text, char **source)
{
    if (!dir || !*dir)
        return 0;
    char *p = join_path(dir, name);
    char *t = p ? read_text(p) : NULL;
    if (!t) {
        free(p);
        return 0;
    }
    *text = t;
    *source = p;
    return 1;
}

/* Resolves the base scenario (see qm_sweep_load). */
static void resolve_base(rd *r, const char *base, const char *dir, int line)
{
    qm_sweep *sw = r->sw;
    if (!strncmp(base, "builtin:", 8)) {
        if (!strcmp(base + 8, "ishigami"))
            sw->model = QM_MODEL_ISHIGAMI;
        else if (!strcmp(base + 8, "baseline"))
            sw->base_text = strdup(qm_builtin_baseline);
        else {
            qm_errors_add(r->err, "%s:%d: unknown built-in model '%s' (builtin:baseline or "
                          "builtin:ishigami)", r->file, line, base);
            return;
        }
        sw->base_source = strdup(base);
        return;
    }
    size_t n = strlen(base);
    int is_path = strchr(base, '/') || (n > 4 && !strcmp(base + n - 4, ".cfg"));
    if (is_path) {
        char *p = base[0] == '/' || !dir ? strdup(base) : join_path(dir, base);
        char *t = p ? read_text(p) : NULL;
        if (!t) {
            qm_errors_add(r->err, "%s:%d: base scenario '%s' cannot be read: %s", r->file, line,
                          p ? p : base, strerror(errno));
            free(p);
            return;
        }
        sw->base_text = t;
        sw->base_source = p;
        return;
    }
    char name[300];
    snprintf(name, sizeof name, "%s.cfg", base);
    if (try_file(dir ? dir : ".", name, &sw->base_text, &sw->base_source))
        return;
    const char *env = getenv("QMSIM_SCENARIO_PATH");
    if (env && *env) {
        char *copy = strdup(env), *save = NULL;
        for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save))
            if (try_file(d, name, &sw->base_text, &sw->base_source)) {
                free(copy);
                return;
            }
        free(copy);
    }
    if (try_file(QMSIM_SCENARIO_DIR, name, &sw->base_text, &sw->base_source)
        || try_file(QMSIM_INSTALL_SCENARIO_DIR, name, &sw->base_text, &sw->base_source))
        return;
    if (!strcmp(base, "baseline")) {
        sw->base_text = strdup(qm_builtin_baseline);
        sw->base_source = strdup("builtin:baseline");
        return;
    }
    qm_errors_add(r->err, "%s:%d: no scenario named '%s' (looked for %s beside the sweep file "
                  "and among the bundled scenarios; give a path ending in .cfg, or "
                  "builtin:baseline or builtin:ishigami)", r->file, line, base, name);
}

/* The parameter definition a path names, for its type; NULL when unknown
 * (the scenario reader then reports it). */
static const qm_param_def *param_of(const char *path)
{
    static const qm_param_def top_int = {"", QM_T_INT, 0, 0, 0, 0, NULL, NULL, NULL, 0};
    static const qm_param_def top_str = {"", QM_T_STRING, 0, 0, 0, 0, NULL, NULL, NULL, 0};
    static const struct {
        const char *list;
        const qm_param_def *fields;
    } lists[] = {{"services", qm_service_fields}, {"commissioners", qm_cgroup_fields},
                 {"providers", qm_pgroup_fields}, {"agencies", qm_agroup_fields},
                 {"entrant", qm_pgroup_fields}};
    if (!strcmp(path, "months") || !strcmp(path, "start_month") || !strcmp(path, "seed"))
        return &top_int;
    if (!strcmp(path, "name") || !strcmp(path, "description") || !strcmp(path, "neighbours"))
        return &top_str;
    const qm_param_def *d = qm_params_find(qm_param_table, path);
    if (d)
        return d;
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        size_t n = strlen(lists[i].list);
        if (!strncmp(path, lists[i].list, n) && (path[n] == '[' || path[n] == '.')) {
            const char *leaf = strrchr(path, '.');
            return leaf ? qm_params_find(lists[i].fields, leaf + 1) : NULL;
        }
    }
    return NULL;
}

/* The override text "path=value" for factor f at value v (a name index
 * for a list of names). */
static void override_text(const qm_factor *f, double v, char *buf, size_t n)
{
    if (f->labels)
        snprintf(buf, n, "%s=%s", f->path, f->labels[(int)v]);
    else if (f->integer)
        snprintf(buf, n, "%s=%.0f", f->path, v);
    else
        snprintf(buf, n, "%s=%.17g", f->path, v);
}

static void add_factor_problems(rd *r, const qm_factor *f, const qm_errors *e)
{
    int shown = e->n < QM_ERR_MAX ? e->n : QM_ERR_MAX;
    for (int i = 0; i < shown; i++) {
        const char *m = e->msg[i];
        if (!strncmp(m, "--set: ", 7))
            m += 7;
        qm_errors_add(r->err, "%s:%d: factor '%s': %s", r->file, f->line, f->name, m);
    }
}

static void free_factor(qm_factor *f)
{
    free(f->values);
    if (f->labels)
        for (int i = 0; i < f->n_values; i++)
            free(f->labels[i]);
    free(f->labels);
}

/* Reads one factor group. */
static void read_factor(rd *r, config_setting_t *g, int idx, qm_factor *f)
{
    char ctx[48];
    snprintf(ctx, sizeof ctx, "factors[%d].", idx);
    f->line = line_of(g);
    if (!config_setting_is_group(g)) {
        qm_errors_add(r->err, "%s:%d: factors[%d] must be a group { path = ...; range = [min, "
                      "max]; }", r->file, f->line, idx);
        return;
    }
    check_keys(r, g, factor_keys, ctx);
    const char *path = get_str(r, g, "path", ctx, 1);
    const char *name = get_str(r, g, "name", ctx, 0);
    if (path) {
        if (!*path || strlen(path) >= sizeof f->path || strchr(path, '='))
            qm_errors_add(r->err, "%s:%d: %spath '%s' is not a parameter path", r->file,
                          f->line, ctx, path);
        else
            snprintf(f->path, sizeof f->path, "%s", path);
    }
    if (!name)
        name = path ? path : "";
    if (strlen(name) >= sizeof f->name || !*name || strchr(name, '/'))
        qm_errors_add(r->err, "%s:%d: %sname '%s' must be 1 to %d characters without '/'",
                      r->file, f->line, ctx, name, QM_SWEEP_NAME_MAX - 1);
    else
        snprintf(f->name, sizeof f->name, "%s", name);
    config_setting_t *log = config_setting_get_member(g, "log");
    if (log) {
        if (config_setting_type(log) != CONFIG_TYPE_BOOL)
            qm_errors_add(r->err, "%s:%d: %slog must be true or false", r->file, line_of(log), ctx);
        else
            f->log = config_setting_get_bool(log);
    }
    long long lv = 0;
    if (get_int(r, g, "levels", ctx, 1, 1000000, &lv))
        f->levels = (int)lv;
    config_setting_t *range = config_setting_get_member(g, "range");
    config_setting_t *vals = config_setting_get_member(g, "values");
    if (range && vals) {
        qm_errors_add(r->err, "%s:%d: %s has both range and values; give one", r->file,
                      f->line, f->name);
        return;
    }
    if (!range && !vals) {
        qm_errors_add(r->err, "%s:%d: factor '%s' needs range = [min, max] or values = [...]",
                      r->file, f->line, f->name);
        return;
    }
    if (range) {
        if ((!config_setting_is_array(range) && !config_setting_is_list(range))
            || config_setting_length(range) != 2
            || !is_number(config_setting_get_elem(range, 0))
            || !is_number(config_setting_get_elem(range, 1))) {
            qm_errors_add(r->err, "%s:%d: %srange must be [min, max], two numbers", r->file,
                          line_of(range), ctx);
            return;
        }
        f->min = config_setting_get_float_elem(range, 0);
        f->max = config_setting_get_float_elem(range, 1);
        if (config_setting_type(config_setting_get_elem(range, 0)) != CONFIG_TYPE_FLOAT)
            f->min = (double)config_setting_get_int64_elem(range, 0);
        if (config_setting_type(config_setting_get_elem(range, 1)) != CONFIG_TYPE_FLOAT)
            f->max = (double)config_setting_get_int64_elem(range, 1);
        if (!isfinite(f->min) || !isfinite(f->max) || !(f->min < f->max))
            qm_errors_add(r->err, "%s:%d: factor '%s': range [%g, %g] is empty (min must be "
                          "below max)", r->file, line_of(range), f->name, f->min, f->max);
        else if (f->log && f->min <= 0)
            qm_errors_add(r->err, "%s:%d: factor '%s': a log range needs min > 0, not %g",
                          r->file, line_of(range), f->name, f->min);
        return;
    }
    f->is_list = 1;
    int n = (config_setting_is_array(vals) || config_setting_is_list(vals))
                ? config_setting_length(vals) : -1;
    if (n < 1 || n > 100000) {
        qm_errors_add(r->err, "%s:%d: %svalues must be a list of 1 to 100000 numbers or names",
                      r->file, line_of(vals), ctx);
        f->is_list = 0;
        return;
    }
    if (f->log)
        qm_errors_add(r->err, "%s:%d: factor '%s': log applies to a range, not to values",
                      r->file, line_of(log), f->name);
    config_setting_t *e0 = config_setting_get_elem(vals, 0);
    int names = !is_number(e0);
    f->n_values = n;
    if (names)
        f->labels = calloc((size_t)n, sizeof *f->labels);
    else
        f->values = calloc((size_t)n, sizeof *f->values);
    if (!f->labels && !f->values) {
        qm_errors_add(r->err, "%s: out of memory", r->file);
        f->n_values = 0;
        return;
    }
    for (int i = 0; i < n; i++) {
        config_setting_t *e = config_setting_get_elem(vals, (unsigned)i);
        int t = config_setting_type(e);
        if (!names && is_number(e)) {
            f->values[i] = t == CONFIG_TYPE_FLOAT ? config_setting_get_float(e)
                                                  : (double)config_setting_get_int64(e);
            if (i == 0 || f->values[i] < f->min)
                f->min = f->values[i];
            if (i == 0 || f->values[i] > f->max)
                f->max = f->values[i];
        } else if (names && (t == CONFIG_TYPE_STRING || t == CONFIG_TYPE_BOOL)) {
            const char *s = t == CONFIG_TYPE_STRING ? config_setting_get_string(e)
                                                    : config_setting_get_bool(e) ? "true" : "false";
            f->labels[i] = strdup(s);
            if (!f->labels[i])
                qm_errors_add(r->err, "%s: out of memory", r->file);
        } else {
            qm_errors_add(r->err, "%s:%d: %svalues mixes numbers and names", r->file,
                          line_of(vals), ctx);
            return;
        }
    }
    if (names) {
        f->min = 0;
        f->max = n - 1;
    }
}

/* Checks a factor's path and values against the base scenario by loading
 * it with the factor at each end of its range (every value of a list). */
static void check_factor_abm(rd *r, qm_factor *f, const char *const *sets, int n_sets)
{
    const qm_param_def *d = param_of(f->path);
    if (!strcmp(f->path, "seed")) {
        qm_errors_add(r->err, "%s:%d: factor '%s': the seed is not a factor; every run uses the "
                      "sweep's seed, and replications vary the draws", r->file, f->line, f->name);
        return;
    }
    if (d && !f->is_list && (d->type == QM_T_BOOL || d->type == QM_T_ENUM || d->type == QM_T_STRING)) {
        qm_errors_add(r->err, "%s:%d: factor '%s': %s takes %s, not a range; give values = "
                      "[...]", r->file, f->line, f->name, f->path,
                      d->type == QM_T_BOOL ? "true or false" : "names");
        return;
    }
    if (d && f->is_list && !f->labels && (d->type == QM_T_ENUM || d->type == QM_T_STRING)) {
        qm_errors_add(r->err, "%s:%d: factor '%s': %s takes names, not numbers", r->file,
                      f->line, f->name, f->path);
        return;
    }
    f->integer = d && d->type == QM_T_INT && !f->labels;
    if (f->integer && !f->is_list && (f->min != floor(f->min) || f->max != floor(f->max))) {
        qm_errors_add(r->err, "%s:%d: factor '%s': %s is an integer; its range [%g, %g] must "
                      "have integer ends", r->file, f->line, f->name, f->path, f->min, f->max);
        return;
    }
    for (int i = 0; f->integer && f->is_list && i < f->n_values; i++)
        if (f->values[i] != floor(f->values[i])) {
            qm_errors_add(r->err, "%s:%d: factor '%s': %s is an integer, not %g", r->file,
                          f->line, f->name, f->path, f->values[i]);
            return;
        }
    int nv = f->is_list ? f->n_values : 2;
    const char **ov = malloc(((size_t)n_sets + 1) * sizeof *ov);
    qm_errors *e = malloc(sizeof *e);
    qm_scenario sc;
    char buf[QM_SWEEP_PATH_MAX + 512];
    if (!ov || !e) {
        qm_errors_add(r->err, "%s: out of memory", r->file);
        free(ov);
        free(e);
        return;
    }
    for (int i = 0; i < n_sets; i++)
        ov[i] = sets[i];
    for (int i = 0; i < nv; i++) {
        double v = f->is_list ? (f->values ? f->values[i] : i) : i == 0 ? f->min : f->max;
        override_text(f, v, buf, sizeof buf);
        ov[n_sets] = buf;
        if (qm_scenario_load_text(r->sw->base_text, r->sw->base_source, ov, n_sets + 1, &sc,
                                  e) != 0) {
            add_factor_problems(r, f, e);
            break;
        }
        qm_scenario_free(&sc);
    }
    free(ov);
    free(e);
}

static void read_factors(rd *r, config_setting_t *root)
{
    qm_sweep *sw = r->sw;
    config_setting_t *l = config_setting_get_member(root, "factors");
    if (!l) {
        qm_errors_add(r->err, "%s:1: factors is missing (a list of { path = ...; range = "
                      "[min, max]; })", r->file);
        return;
    }
    int n = config_setting_is_list(l) ? config_setting_length(l) : -1;
    if (n < 1 || n > QM_SWEEP_MAX_FACTORS) {
        qm_errors_add(r->err, "%s:%d: factors must be a list of 1 to %d groups ( { ... }, ... )",
                      r->file, line_of(l), QM_SWEEP_MAX_FACTORS);
        return;
    }
    sw->factors = calloc((size_t)n, sizeof *sw->factors);
    if (!sw->factors) {
        qm_errors_add(r->err, "%s: out of memory", r->file);
        return;
    }
    sw->n_factors = n;
    for (int i = 0; i < n; i++) {
        read_factor(r, config_setting_get_elem(l, (unsigned)i), i, &sw->factors[i]);
        for (int j = 0; j < i; j++) {
            if (sw->factors[i].path[0] && !strcmp(sw->factors[i].path, sw->factors[j].path))
                qm_errors_add(r->err, "%s:%d: factor '%s' sets %s, as factor '%s' does", r->file,
                              sw->factors[i].line, sw->factors[i].name, sw->factors[i].path,
                              sw->factors[j].name);
            else if (sw->factors[i].name[0] && !strcmp(sw->factors[i].name, sw->factors[j].name))
                qm_errors_add(r->err, "%s:%d: two factors are named '%s'", r->file,
                              sw->factors[i].line, sw->factors[i].name);
        }
    }
}

/* Series names of the model, or "y" for Ishigami. */
static int series_index(const rd *r, const char *name)
{
    if (r->sw->model == QM_MODEL_ISHIGAMI)
        return strcmp(name, "y") ? -1 : 0;
    for (int s = 0; s < QM_S_N; s++)
        if (!strcmp(qm_series_defs[s].name, name))
            return s;
    return -1;
}

static void unknown_series(rd *r, int line, const char *ctx, const char *name)
{
    if (r->sw->model == QM_MODEL_ISHIGAMI) {
        qm_errors_add(r->err, "%s:%d: %s'%s' is not a series of builtin:ishigami (its only "
                      "series is 'y')", r->file, line, ctx, name);
        return;
    }
    const char *names[QM_S_N];
    for (int s = 0; s < QM_S_N; s++)
        names[s] = qm_series_defs[s].name;
    const char *s = qm_suggest_nearest(name, names, QM_S_N);
    if (s)
        qm_errors_add(r->err, "%s:%d: %s'%s' is not a series of the model (did you mean '%s'?)",
                      r->file, line, ctx, name, s);
    else
        qm_errors_add(r->err, "%s:%d: %s'%s' is not a series of the model (docs/output.md "
                      "lists them)", r->file, line, ctx, name);
}

static void read_outcome(rd *r, config_setting_t *g, int idx, qm_outcome *o)
{
    char ctx[48];
    snprintf(ctx, sizeof ctx, "outcomes[%d].", idx);
    o->line = line_of(g);
    o->to = -1;
    if (!config_setting_is_group(g)) {
        qm_errors_add(r->err, "%s:%d: outcomes[%d] must be a group { name = ...; series = ...; "
                      "reduce = ...; }", r->file, o->line, idx);
        return;
    }
    check_keys(r, g, outcome_keys, ctx);
    const char *name = get_str(r, g, "name", ctx, 1);
    const char *series = get_str(r, g, "series", ctx, 1);
    const char *reduce = get_str(r, g, "reduce", ctx, 0);
    if (name) {
        if (strlen(name) >= sizeof o->name || !*name || strchr(name, '/'))
            qm_errors_add(r->err, "%s:%d: %sname '%s' must be 1 to %d characters without '/'",
                          r->file, o->line, ctx, name, QM_SWEEP_NAME_MAX - 1);
        else
            snprintf(o->name, sizeof o->name, "%s", name);
    }
    if (series) {
        o->series = series_index(r, series);
        if (o->series < 0) {
            char c[QM_SWEEP_NAME_MAX + 32];
            snprintf(c, sizeof c, "outcome '%s': series ", o->name);
            unknown_series(r, line_of(config_setting_get_member(g, "series")), c, series);
        }
    }
    o->reduce = QM_REDUCE_MEAN;
    if (reduce) {
        int k = -1;
        for (int i = 0; qm_reduce_names[i]; i++)
            if (!strcmp(reduce, qm_reduce_names[i]))
                k = i;
        if (k < 0)
            qm_errors_add(r->err, "%s:%d: outcome '%s': reduce '%s' is not one of mean, sum, "
                          "final, min, max", r->file, o->line, o->name, reduce);
        else
            o->reduce = k;
    }
    config_setting_t *m = config_setting_get_member(g, "months");
    if (m) {
        if ((!config_setting_is_array(m) && !config_setting_is_list(m))
            || config_setting_length(m) != 2
            || config_setting_type(config_setting_get_elem(m, 0)) != CONFIG_TYPE_INT
            || config_setting_type(config_setting_get_elem(m, 1)) != CONFIG_TYPE_INT) {
            qm_errors_add(r->err, "%s:%d: %smonths must be [first, last], two month numbers "
                          "counted from 0", r->file, line_of(m), ctx);
            return;
        }
        o->from = config_setting_get_int_elem(m, 0);
        o->to = config_setting_get_int_elem(m, 1);
        if (o->from < 0 || o->to < o->from)
            qm_errors_add(r->err, "%s:%d: outcome '%s': months [%d, %d] is empty (0 <= first "
                          "<= last)", r->file, line_of(m), o->name, o->from, o->to);
    }
}

static void read_outcomes(rd *r, config_setting_t *root)
{
    qm_sweep *sw = r->sw;
    config_setting_t *l = config_setting_get_member(root, "outcomes");
    if (!l) {
        qm_errors_add(r->err, "%s:1: outcomes is missing (a list of { name = ...; series = "
                      "...; reduce = ...; })", r->file);
        return;
    }
    int n = config_setting_is_list(l) ? config_setting_length(l) : -1;
    if (n < 1 || n > QM_SWEEP_MAX_OUTCOMES) {
        qm_errors_add(r->err, "%s:%d: outcomes must be a list of 1 to %d groups", r->file,
                      line_of(l), QM_SWEEP_MAX_OUTCOMES);
        return;
    }
    sw->outcomes = calloc((size_t)n, sizeof *sw->outcomes);
    if (!sw->outcomes) {
        qm_errors_add(r->err, "%s: out of memory", r->file);
        return;
    }
    sw->n_outcomes = n;
    for (int i = 0; i < n; i++) {
        read_outcome(r, config_setting_get_elem(l, (unsigned)i), i, &sw->outcomes[i]);
        for (int j = 0; j < i; j++)
            if (sw->outcomes[i].name[0] && !strcmp(sw->outcomes[i].name, sw->outcomes[j].name))
                qm_errors_add(r->err, "%s:%d: two outcomes are named '%s'", r->file,
                              sw->outcomes[i].line, sw->outcomes[i].name);
    }
}

/* series = "all" or ["name", ...]: series saved whole for every run. */
static void read_series(rd *r, config_setting_t *root)
{
    qm_sweep *sw = r->sw;
    config_setting_t *s = config_setting_get_member(root, "series");
    if (!s)
        return;
    int all = sw->model == QM_MODEL_ISHIGAMI ? 1 : QM_S_N;
    if (config_setting_type(s) == CONFIG_TYPE_STRING) {
        if (strcmp(config_setting_get_string(s), "all")) {
            qm_errors_add(r->err, "%s:%d: series must be \"all\" or a list of series names",
                          r->file, line_of(s));
            return;
        }
        sw->series = malloc((size_t)all * sizeof *sw->series);
        if (!sw->series)
            return;
        for (int i = 0; i < all; i++)
            sw->series[i] = i;
        sw->n_series = all;
        return;
    }
    int n = config_setting_is_array(s) || config_setting_is_list(s) ? config_setting_length(s) : -1;
    if (n < 0) {
        qm_errors_add(r->err, "%s:%d: series must be \"all\" or a list of series names",
                      r->file, line_of(s));
        return;
    }
    sw->series = calloc((size_t)n + 1, sizeof *sw->series);
    if (!sw->series)
        return;
    for (int i = 0; i < n; i++) {
        config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *name = config_setting_type(e) == CONFIG_TYPE_STRING
                               ? config_setting_get_string(e) : NULL;
        int k = name ? series_index(r, name) : -1;
        if (!name)
            qm_errors_add(r->err, "%s:%d: series[%d] must be a series name", r->file,
                          line_of(s), i);
        else if (k < 0)
            unknown_series(r, line_of(s), "series: ", name);
        else {
            int dup = 0;
            for (int j = 0; j < sw->n_series; j++)
                dup |= sw->series[j] == k;
            if (!dup)
                sw->series[sw->n_series++] = k;
        }
    }
}

static void read_sets(rd *r, config_setting_t *root)
{
    qm_sweep *sw = r->sw;
    config_setting_t *s = config_setting_get_member(root, "set");
    if (!s)
        return;
    int n = config_setting_is_array(s) || config_setting_is_list(s) ? config_setting_length(s) : -1;
    if (n < 0) {
        qm_errors_add(r->err, "%s:%d: set must be a list of \"path=value\" strings", r->file,
                      line_of(s));
        return;
    }
    if (sw->model == QM_MODEL_ISHIGAMI && n > 0) {
        qm_errors_add(r->err, "%s:%d: builtin:ishigami has no parameters to set", r->file,
                      line_of(s));
        return;
    }
    sw->sets = calloc((size_t)n + 1, sizeof *sw->sets);
    if (!sw->sets)
        return;
    for (int i = 0; i < n; i++) {
        config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING || !strchr(config_setting_get_string(e), '=')) {
            qm_errors_add(r->err, "%s:%d: set[%d] must be a \"path=value\" string", r->file,
                          line_of(s), i);
            continue;
        }
        sw->sets[sw->n_sets] = strdup(config_setting_get_string(e));
        if (sw->sets[sw->n_sets])
            sw->n_sets++;
    }
}

/* Loads the base scenario with the fixed overrides: its resolved text,
 * seed and horizon. */
static void load_base(rd *r, int line, int seed_given)
{
    qm_sweep *sw = r->sw;
    qm_errors *e = malloc(sizeof *e);
    qm_scenario sc;
    if (!e) {
        qm_errors_add(r->err, "%s: out of memory", r->file);
        return;
    }
    if (qm_scenario_load_text(sw->base_text, sw->base_source, (const char *const *)sw->sets,
                              sw->n_sets, &sc, e) != 0) {
        int shown = e->n < QM_ERR_MAX ? e->n : QM_ERR_MAX;
        for (int i = 0; i < shown; i++) {
            const char *m = e->msg[i];
            int from_set = !strncmp(m, "--set: ", 7);
            qm_errors_add(r->err, "%s:%d: base scenario '%s': %s%s", r->file, line, sw->base,
                          from_set ? "set: " : "", from_set ? m + 7 : m);
        }
        free(e);
        return;
    }
    free(e);
    sw->base_resolved = qm_scenario_resolved_text(&sc);
    if (!seed_given)
        sw->seed = sc.seed;
    sw->months = sc.months;
    qm_scenario_free(&sc);
}

/* Builds the design: unit coordinates and factor values. */
static void build_design(rd *r, int line)
{
    qm_sweep *sw = r->sw;
    int k = sw->n_factors;
    long n = 0;
    int *levels = NULL;
    switch (sw->design) {
    case QM_DESIGN_GRID:
        levels = malloc((size_t)k * sizeof *levels);
        if (!levels)
            break;
        for (int i = 0; i < k; i++) {
            const qm_factor *f = &sw->factors[i];
            levels[i] = f->is_list ? f->n_values : f->levels;
        }
        n = qm_design_grid_size(k, levels, QM_SWEEP_MAX_POINTS);
        break;
    case QM_DESIGN_LHS: n = sw->samples; break;
    case QM_DESIGN_SOBOL:
        if (k > QM_SWEEP_MAX_SOBOL_FACTORS) {
            qm_errors_add(r->err, "%s:%d: a sobol design takes at most %d factors, not %d",
                          r->file, line, QM_SWEEP_MAX_SOBOL_FACTORS, k);
            return;
        }
        n = (long)sw->samples * (k + 2);
        break;
    case QM_DESIGN_MORRIS: n = (long)sw->samples * (k + 1); break;
    default: return;
    }
    if (n < 1 || n > QM_SWEEP_MAX_POINTS || n > QM_SWEEP_MAX_RUNS / sw->replications) {
        qm_errors_add(r->err, "%s:%d: the design has too many runs (at most %ld points and "
                      "%ld runs)", r->file, line, QM_SWEEP_MAX_POINTS, QM_SWEEP_MAX_RUNS);
        free(levels);
        return;
    }
    sw->n_points = n;
    sw->n_runs = n * sw->replications;
    sw->unit = malloc((size_t)n * (size_t)k * sizeof(double));
    sw->values = malloc((size_t)n * (size_t)k * sizeof(double));
    int rc = sw->unit && sw->values ? 0 : -1;
    if (rc == 0) {
        switch (sw->design) {
        case QM_DESIGN_GRID: qm_design_grid(k, levels, sw->unit); break;
        case QM_DESIGN_LHS: rc = qm_design_lhs(sw->samples, k, sw->seed, sw->unit); break;
        case QM_DESIGN_SOBOL: rc = qm_design_saltelli(sw->samples, k, sw->unit); break;
        default: rc = qm_design_morris(sw->samples, k, sw->levels, sw->seed, sw->unit); break;
        }
    }
    free(levels);
    if (rc != 0) {
        qm_errors_add(r->err, "%s: out of memory building the design", r->file);
        return;
    }
    for (long p = 0; p < n; p++)
        for (int i = 0; i < k; i++)
            sw->values[p * k + i] = qm_factor_value(&sw->factors[i], sw->unit[p * k + i]);
}

static void read_sweep(rd *r, config_setting_t *root, const char *dir, const char *base_text,
                       const char *base_source)
{
    qm_sweep *sw = r->sw;
    check_keys(r, root, top_keys, "");
    const char *base = get_str(r, root, "base", "", 1);
    config_setting_t *bs = config_setting_get_member(root, "base");
    int base_line = bs ? line_of(bs) : 1;
    if (!base)
        return;
    sw->base = strdup(base);
    if (base_text || !strcmp(base, "builtin:ishigami")) {
        if (!strcmp(base, "builtin:ishigami")) {
            sw->model = QM_MODEL_ISHIGAMI;
            sw->base_source = strdup(base);
        } else {
            sw->base_text = strdup(base_text);
            sw->base_source = strdup(base_source ? base_source : base);
        }
    } else
        resolve_base(r, base, dir, base_line);
    if (r->err->n)
        return;

    const char *design = get_str(r, root, "design", "", 1);
    sw->design = -1;
    if (design) {
        for (int i = 0; qm_design_names[i]; i++)
            if (!strcmp(design, qm_design_names[i]))
                sw->design = i;
        if (sw->design < 0) {
            const char *s = qm_suggest_nearest(design, qm_design_names, -1);
            qm_errors_add(r->err, "%s:%d: design '%s' is not one of grid, lhs, sobol, morris%s%s%s",
                          r->file, line_of(config_setting_get_member(root, "design")), design,
                          s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
        }
    }
    long long v = 0;
    sw->replications = 1;
    if (get_int(r, root, "replications", "", 1, 1000000, &v))
        sw->replications = (int)v;
    int have_samples = get_int(r, root, "samples", "", 1, QM_SWEEP_MAX_POINTS, &v);
    sw->samples = have_samples ? (int)v : 0;
    if (!have_samples && sw->design >= QM_DESIGN_LHS)
        qm_errors_add(r->err, "%s:1: samples is missing (the %s design needs it)", r->file,
                      qm_design_names[sw->design]);
    if (have_samples && sw->design == QM_DESIGN_GRID)
        qm_errors_add(r->err, "%s:%d: samples does not apply to a grid (give levels)", r->file,
                      line_of(config_setting_get_member(root, "samples")));
    sw->levels = sw->design == QM_DESIGN_MORRIS ? DEFAULT_MORRIS_LEVELS : DEFAULT_GRID_LEVELS;
    if (get_int(r, root, "levels", "", 1, 1000000, &v)) {
        sw->levels = (int)v;
        if (sw->design == QM_DESIGN_LHS || sw->design == QM_DESIGN_SOBOL)
            qm_errors_add(r->err, "%s:%d: levels applies to grid and morris designs only",
                          r->file, line_of(config_setting_get_member(root, "levels")));
        if (sw->design == QM_DESIGN_MORRIS && (v < 2 || v % 2))
            qm_errors_add(r->err, "%s:%d: a morris design needs an even number of levels >= 2, "
                          "not %lld", r->file, line_of(config_setting_get_member(root, "levels")),
                          v);
    }
    int seed_given = 0;
    config_setting_t *seed = config_setting_get_member(root, "seed");
    if (seed) {
        int t = config_setting_type(seed);
        if ((t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) || config_setting_get_int64(seed) < 0)
            qm_errors_add(r->err, "%s:%d: seed must be an integer >= 0", r->file, line_of(seed));
        else {
            sw->seed = (uint64_t)config_setting_get_int64(seed);
            seed_given = 1;
        }
    }
    read_sets(r, root);
    if (sw->model == QM_MODEL_ABM && r->err->n == 0)
        load_base(r, base_line, seed_given);
    if (sw->model == QM_MODEL_ISHIGAMI)
        sw->months = 1;
    read_factors(r, root);
    read_outcomes(r, root);
    read_series(r, root);
    for (int i = 0; i < sw->n_factors; i++) {
        qm_factor *f = &sw->factors[i];
        if (!f->levels)
            f->levels = f->is_list ? f->n_values : sw->levels;
        else if (sw->design != QM_DESIGN_GRID)
            qm_errors_add(r->err, "%s:%d: factor '%s': levels applies to a grid design only",
                          r->file, f->line, f->name);
        else if (f->is_list)
            qm_errors_add(r->err, "%s:%d: factor '%s': levels applies to a range; a list has "
                          "one level per value", r->file, f->line, f->name);
    }
    if (r->err->n)
        return;
    /* The factors against the model, once everything else is sound. */
    int horizon = sw->months;
    for (int i = 0; i < sw->n_factors; i++) {
        qm_factor *f = &sw->factors[i];
        if (sw->model == QM_MODEL_ISHIGAMI) {
            if (strcmp(f->path, "x1") && strcmp(f->path, "x2") && strcmp(f->path, "x3"))
                qm_errors_add(r->err, "%s:%d: factor '%s': builtin:ishigami has the factors "
                              "x1, x2 and x3, not '%s'", r->file, f->line, f->name, f->path);
            else if (f->labels)
                qm_errors_add(r->err, "%s:%d: factor '%s': takes numbers, not names", r->file,
                              f->line, f->name);
        } else {
            check_factor_abm(r, f, (const char *const *)sw->sets, sw->n_sets);
            if (!strcmp(f->path, "months")) {
                sw->months = (int)f->min;   /* the shortest horizon, for outcome ranges */
                horizon = (int)f->max;
            }
        }
    }
    for (int i = 0; i < sw->n_outcomes; i++) {
        const qm_outcome *o = &sw->outcomes[i];
        if (o->to >= sw->months)
            qm_errors_add(r->err, "%s:%d: outcome '%s': months [%d, %d] runs past the last "
                          "month of a run (%d)", r->file, o->line, o->name, o->from, o->to,
                          sw->months - 1);
    }
    if (r->err->n)
        return;
    sw->months = horizon;
    build_design(r, config_setting_get_member(root, "design")
                        ? line_of(config_setting_get_member(root, "design")) : 1);
}

int qm_sweep_load_text(const char *text, const char *name, const char *dir,
                       const char *base_text, const char *base_source,
                       qm_sweep *out, qm_errors *err)
{
    static const qm_errors none;
    qm_errors local;
    qm_sweep sw;
    if (!err)
        err = &local;
    *err = none;
    memset(&sw, 0, sizeof sw);
    if (out)
        memset(out, 0, sizeof *out);
    if (!name)
        name = "<sweep>";
    if (!text || !out) {
        qm_errors_add(err, "%s: no sweep text", name);
        return err->n;
    }
    rd r = {.file = name, .err = err, .sw = &sw};
    config_t cfg;
    config_init(&cfg);
    if (!config_read_string(&cfg, text)) {
        qm_errors_add(err, "%s:%d: syntax error: %s", name, config_error_line(&cfg),
                      config_error_text(&cfg) ? config_error_text(&cfg) : "unknown");
        config_destroy(&cfg);
        return err->n;
    }
    sw.file = strdup(name);
    sw.text = strdup(text);
    if (!sw.file || !sw.text)
        qm_errors_add(err, "%s: out of memory", name);
    else
        read_sweep(&r, config_root_setting(&cfg), dir, base_text, base_source);
    config_destroy(&cfg);
    if (err->n == 0 && sw.model == QM_MODEL_ABM && !sw.base_resolved)
        qm_errors_add(err, "%s: out of memory", name);
    if (err->n) {
        qm_sweep_free(&sw);
        return err->n;
    }
    *out = sw;
    return 0;
}

int qm_sweep_load(const char *path, qm_sweep *out, qm_errors *err)
{
    static const qm_errors none;
    qm_errors local;
    if (!err)
        err = &local;
    *err = none;
    if (out)
        memset(out, 0, sizeof *out);
    char *text = path ? read_text(path) : NULL;
    if (!text) {
        qm_errors_add(err, "%s: cannot read: %s", path ? path : "(null)",
                      errno == EINVAL ? "a NUL byte (not a text file)" : strerror(errno));
        return err->n;
    }
    char *dir = strdup(path);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    const char *d = ".";
    if (slash) {
        *slash = '\0';
        d = slash == dir ? "/" : dir;
    }
    int rc = qm_sweep_load_text(text, path, d, NULL, NULL, out, err);
    free(dir);
    free(text);
    return rc;
}

void qm_sweep_free(qm_sweep *sw)
{
    if (!sw)
        return;
    free(sw->file);
    free(sw->text);
    free(sw->base);
    free(sw->base_source);
    free(sw->base_text);
    free(sw->base_resolved);
    for (int i = 0; i < sw->n_sets; i++)
        free(sw->sets[i]);
    free(sw->sets);
    for (int i = 0; i < sw->n_factors; i++)
        free_factor(&sw->factors[i]);
    free(sw->factors);
    free(sw->outcomes);
    free(sw->series);
    free(sw->unit);
    free(sw->values);
    memset(sw, 0, sizeof *sw);
}

/* ---- Runs. ---- */

size_t qm_sweep_record_values(const qm_sweep *sw)
{
    return (size_t)sw->n_outcomes + (size_t)sw->n_series * (size_t)sw->months;
}

double qm_ishigami(double x1, double x2, double x3)
{
    double s2 = sin(x2);
    return sin(x1) + 7.0 * s2 * s2 + 0.1 * x3 * x3 * x3 * x3 * sin(x1);
}

/* Running reductions of the outcomes over one run. */
static void reduce_month(const qm_sweep *sw, int month, const double *series, double *acc,
                         int *count)
{
    for (int i = 0; i < sw->n_outcomes; i++) {
        const qm_outcome *o = &sw->outcomes[i];
        if (month < o->from || (o->to >= 0 && month > o->to))
            continue;
        double x = series[o->series];
        switch (o->reduce) {
        case QM_REDUCE_MEAN:
        case QM_REDUCE_SUM: acc[i] = count[i] ? acc[i] + x : x; break;
        case QM_REDUCE_FINAL: acc[i] = x; break;
        case QM_REDUCE_MIN: acc[i] = count[i] && !(x < acc[i]) ? acc[i] : x; break;
        default: acc[i] = count[i] && !(x > acc[i]) ? acc[i] : x; break;
        }
        count[i]++;
    }
}

static void finish_reduce(const qm_sweep *sw, double *acc, const int *count)
{
    for (int i = 0; i < sw->n_outcomes; i++) {
        if (!count[i])
            acc[i] = NAN;
        else if (sw->outcomes[i].reduce == QM_REDUCE_MEAN)
            acc[i] /= count[i];
    }
}

static int run_ishigami(const qm_sweep *sw, long p, double *values)
{
    double x[3] = {0, 0, 0};
    for (int i = 0; i < sw->n_factors; i++)
        x[sw->factors[i].path[1] - '1'] = sw->values[p * sw->n_factors + i];
    double y = qm_ishigami(x[0], x[1], x[2]);
    int count[QM_SWEEP_MAX_OUTCOMES] = {0};
    reduce_month(sw, 0, &y, values, count);
    finish_reduce(sw, values, count);
    for (int s = 0; s < sw->n_series; s++)
        values[sw->n_outcomes + s] = y;
    return QM_RUN_OK;
}

int qm_sweep_run(const qm_sweep *sw, long j, double *values, char *err, size_t errlen)
{
    size_t nv = qm_sweep_record_values(sw);
    for (size_t i = 0; i < nv; i++)
        values[i] = NAN;
    if (j < 0 || j >= sw->n_runs) {
        snprintf(err, errlen, "run %ld does not exist", j);
        return QM_RUN_FAILED;
    }
    long p = j / sw->replications, rep = j % sw->replications;
    if (sw->model == QM_MODEL_ISHIGAMI)
        return run_ishigami(sw, p, values);

    int k = sw->n_factors, no = sw->n_outcomes, rc = QM_RUN_FAILED;
    const char **ov = malloc(((size_t)sw->n_sets + (size_t)k) * sizeof *ov);
    char *buf = malloc((size_t)k * (QM_SWEEP_PATH_MAX + 512));
    qm_errors *e = malloc(sizeof *e);
    int *count = calloc((size_t)no, sizeof *count);
    qm_scenario sc;
    qm_sim *sim = NULL;
    qm_frame *f = NULL;
    memset(&sc, 0, sizeof sc);
    if (!ov || !buf || !e || !count) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    for (int i = 0; i < sw->n_sets; i++)
        ov[i] = sw->sets[i];
    for (int i = 0; i < k; i++) {
        char *b = buf + (size_t)i * (QM_SWEEP_PATH_MAX + 512);
        override_text(&sw->factors[i], sw->values[p * k + i], b, QM_SWEEP_PATH_MAX + 512);
        ov[sw->n_sets + i] = b;
    }
    if (qm_scenario_load_text(sw->base_text, sw->base_source, ov, sw->n_sets + k, &sc, e) != 0) {
        const char *m = e->n ? e->msg[0] : "scenario not loaded";
        snprintf(err, errlen, "point %ld: %s", p, strncmp(m, "--set: ", 7) ? m : m + 7);
        goto done;
    }
    char msg[512];
    sim = qm_sim_create(&sc, sw->seed, (uint64_t)rep, 1, msg, sizeof msg);
    f = sim ? qm_frame_alloc(sim) : NULL;
    if (!f) {
        snprintf(err, errlen, "point %ld: %s", p, sim ? "out of memory" : msg);
        goto done;
    }
    double *series = values + no;
    while (sim->month < sim->months) {
        qm_sim_step(sim);
        qm_observe(sim, f);
        reduce_month(sw, f->month, f->series, values, count);
        if (f->month < sw->months)
            for (int s = 0; s < sw->n_series; s++)
                series[(size_t)s * (size_t)sw->months + (size_t)f->month] = f->series[sw->series[s]];
    }
    finish_reduce(sw, values, count);
    rc = QM_RUN_OK;
done:
    if (rc != QM_RUN_OK)
        for (size_t i = 0; i < nv; i++)
            values[i] = NAN;
    qm_frame_free(f);
    qm_sim_free(sim);
    qm_scenario_free(&sc);
    free(ov);
    free(buf);
    free(e);
    free(count);
    return rc;
}
