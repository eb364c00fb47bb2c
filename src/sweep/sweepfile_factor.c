/* sweepfile_factor.c: the factors of a sweep file (a parameter path with
 * a range or a list of values), checked against the base scenario by
 * loading it at each end of every factor's range. */
#include "qmsim/sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep/sweepfile_read.h"

static const char *const factor_keys[] = {"path", "name", "range", "values", "log", "levels",
                                          NULL};
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
void qm_swf_override_text(const qm_factor *f, double v, char *buf, size_t n)
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

void qm_swf_free_factor(qm_factor *f)
{
    free(f->values);
    if (f->labels)
        for (int i = 0; i < f->n_values; i++)
            free(f->labels[i]);
    free(f->labels);
}

/* A factor's path, name, log and levels. */
static void read_head(rd *r, config_setting_t *g, const char *ctx, qm_factor *f)
{
    qm_swf_check_keys(r, g, factor_keys, ctx);
    const char *path = qm_swf_get_str(r, g, "path", ctx, 1);
    const char *name = qm_swf_get_str(r, g, "name", ctx, 0);
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
            qm_errors_add(r->err, "%s:%d: %slog must be true or false", r->file, qm_swf_line(log), ctx);
        else
            f->log = config_setting_get_bool(log);
    }
    long long lv = 0;
    if (qm_swf_get_int(r, g, "levels", ctx, 1, 1000000, &lv))
        f->levels = (int)lv;
}

/* A factor's range = [min, max]: two numbers, min below max, min > 0
 * for a log range. */
static void read_range(rd *r, config_setting_t *range, const char *ctx, qm_factor *f)
{
    if ((!config_setting_is_array(range) && !config_setting_is_list(range))
        || config_setting_length(range) != 2
        || !qm_swf_is_number(config_setting_get_elem(range, 0))
        || !qm_swf_is_number(config_setting_get_elem(range, 1))) {
        qm_errors_add(r->err, "%s:%d: %srange must be [min, max], two numbers", r->file,
                      qm_swf_line(range), ctx);
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
                      "below max)", r->file, qm_swf_line(range), f->name, f->min, f->max);
    else if (f->log && f->min <= 0)
        qm_errors_add(r->err, "%s:%d: factor '%s': a log range needs min > 0, not %g",
                      r->file, qm_swf_line(range), f->name, f->min);
}

/* A factor's values = [...]: 1 to 100000 numbers, or names (strings or
 * booleans), not mixed; log (the setting, or NULL) does not apply. */
static void read_values(rd *r, config_setting_t *vals, const config_setting_t *log,
                        const char *ctx, qm_factor *f)
{
    f->is_list = 1;
    int n = (config_setting_is_array(vals) || config_setting_is_list(vals))
                ? config_setting_length(vals) : -1;
    if (n < 1 || n > 100000) {
        qm_errors_add(r->err, "%s:%d: %svalues must be a list of 1 to 100000 numbers or names",
                      r->file, qm_swf_line(vals), ctx);
        f->is_list = 0;
        return;
    }
    if (f->log)
        qm_errors_add(r->err, "%s:%d: factor '%s': log applies to a range, not to values",
                      r->file, qm_swf_line(log), f->name);
    config_setting_t *e0 = config_setting_get_elem(vals, 0);
    int names = !qm_swf_is_number(e0);
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
        if (!names && qm_swf_is_number(e)) {
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
                          qm_swf_line(vals), ctx);
            return;
        }
    }
    if (names) {
        f->min = 0;
        f->max = n - 1;
    }
}

/* Reads one factor group. */
static void read_factor(rd *r, config_setting_t *g, int idx, qm_factor *f)
{
    char ctx[48];
    snprintf(ctx, sizeof ctx, "factors[%d].", idx);
    f->line = qm_swf_line(g);
    if (!config_setting_is_group(g)) {
        qm_errors_add(r->err, "%s:%d: factors[%d] must be a group { path = ...; range = [min, "
                      "max]; }", r->file, f->line, idx);
        return;
    }
    read_head(r, g, ctx, f);
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
    if (range)
        read_range(r, range, ctx, f);
    else
        read_values(r, vals, config_setting_get_member(g, "log"), ctx, f);
}

/* Checks a factor's path and values against the base scenario by loading
 * it with the factor at each end of its range (every value of a list). */
void qm_swf_check_factor(rd *r, qm_factor *f, const char *const *sets, int n_sets)
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
        qm_swf_override_text(f, v, buf, sizeof buf);
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

void qm_swf_read_factors(rd *r, config_setting_t *root)
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
                      r->file, qm_swf_line(l), QM_SWEEP_MAX_FACTORS);
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
