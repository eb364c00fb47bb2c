/* sweep.c: loading a sweep file (docs/sweeps.md): its top-level keys,
 * the base scenario, the factors and outcomes (sweepfile_*.c), and the
 * design built from them.  Every problem is collected before anything
 * runs, as "FILE:LINE: message". */
#include "qmsim/sweep.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/cfgtext.h"
#include "io/suggest.h"
#include "sweep/sweepfile_read.h"

#define DEFAULT_GRID_LEVELS 3
#define DEFAULT_MORRIS_LEVELS 4
static const char *const top_keys[] = {"base", "set", "design", "samples", "levels",
                                       "replications", "seed", "factors", "outcomes",
                                       "series", "reference", NULL};

/* Reads the list of "path=value" strings under key (`set` or
 * `reference`) into *out and *n_out. */
static void read_overrides(rd *r, config_setting_t *root, const char *key, char ***out,
                           int *n_out)
{
    qm_sweep *sw = r->sw;
    config_setting_t *s = config_setting_get_member(root, key);
    if (!s)
        return;
    int n = config_setting_is_array(s) || config_setting_is_list(s) ? config_setting_length(s) : -1;
    if (n < 0) {
        qm_errors_add(r->err, "%s:%d: %s must be a list of \"path=value\" strings", r->file,
                      qm_swf_line(s), key);
        return;
    }
    if (sw->model == QM_MODEL_ISHIGAMI && n > 0) {
        qm_errors_add(r->err, "%s:%d: builtin:ishigami has no parameters to set", r->file,
                      qm_swf_line(s));
        return;
    }
    *out = calloc((size_t)n + 1, sizeof **out);
    if (!*out)
        return;
    for (int i = 0; i < n; i++) {
        config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING || !strchr(config_setting_get_string(e), '=')) {
            qm_errors_add(r->err, "%s:%d: %s[%d] must be a \"path=value\" string", r->file,
                          qm_swf_line(s), key, i);
            continue;
        }
        (*out)[*n_out] = strdup(config_setting_get_string(e));
        if ((*out)[*n_out])
            (*n_out)++;
    }
}

static void read_sets(rd *r, config_setting_t *root)
{
    read_overrides(r, root, "set", &r->sw->sets, &r->sw->n_sets);
}

/* The reference of every run (docs/sweeps.md): its overrides are checked
 * by loading the base with `set` and them, so that an unknown key or a
 * bad value is reported before anything runs. */
static void read_reference(rd *r, config_setting_t *root)
{
    qm_sweep *sw = r->sw;
    read_overrides(r, root, "reference", &sw->reference, &sw->n_reference);
    if (!sw->n_reference || r->err->n || sw->model != QM_MODEL_ABM)
        return;
    config_setting_t *s = config_setting_get_member(root, "reference");
    int n = sw->n_sets + sw->n_reference;
    const char **ov = malloc((size_t)n * sizeof *ov);
    qm_errors *e = malloc(sizeof *e);
    qm_scenario sc;
    if (!ov || !e) {
        qm_errors_add(r->err, "%s: out of memory", r->file);
        free(ov);
        free(e);
        return;
    }
    for (int i = 0; i < sw->n_sets; i++)
        ov[i] = sw->sets[i];
    for (int i = 0; i < sw->n_reference; i++)
        ov[sw->n_sets + i] = sw->reference[i];
    if (qm_scenario_load_text(sw->base_text, sw->base_source, ov, n, &sc, e) != 0) {
        int shown = e->n < QM_ERR_MAX ? e->n : QM_ERR_MAX;
        for (int i = 0; i < shown; i++) {
            const char *m = e->msg[i];
            qm_errors_add(r->err, "%s:%d: reference: %s", r->file, qm_swf_line(s),
                          !strncmp(m, "--set: ", 7) ? m + 7 : m);
        }
    } else {
        qm_scenario_free(&sc);
    }
    free(ov);
    free(e);
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

/* The base key: the model (builtin:ishigami) or the base scenario's text,
 * given by the caller (base_text, base_source) or found from dir.
 * Returns the line of the base key, or -1 when it is missing or cannot be
 * read, or a problem was found before (reported). */
static int read_base(rd *r, config_setting_t *root, const char *dir, const char *base_text,
                     const char *base_source)
{
    qm_sweep *sw = r->sw;
    const char *base = qm_swf_get_str(r, root, "base", "", 1);
    config_setting_t *bs = config_setting_get_member(root, "base");
    int base_line = bs ? qm_swf_line(bs) : 1;
    if (!base)
        return -1;
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
        qm_swf_resolve_base(r, base, dir, base_line);
    return r->err->n ? -1 : base_line;
}

/* The design, replications, samples, levels and seed.  Returns whether
 * the seed was given. */
static int read_design_keys(rd *r, config_setting_t *root)
{
    qm_sweep *sw = r->sw;
    const char *design = qm_swf_get_str(r, root, "design", "", 1);
    sw->design = -1;
    if (design) {
        for (int i = 0; qm_design_names[i]; i++)
            if (!strcmp(design, qm_design_names[i]))
                sw->design = i;
        if (sw->design < 0) {
            const char *s = qm_suggest_nearest(design, qm_design_names, -1);
            qm_errors_add(r->err, "%s:%d: design '%s' is not one of grid, lhs, sobol, morris%s%s%s",
                          r->file, qm_swf_line(config_setting_get_member(root, "design")), design,
                          s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
        }
    }
    long long v = 0;
    sw->replications = 1;
    if (qm_swf_get_int(r, root, "replications", "", 1, 1000000, &v))
        sw->replications = (int)v;
    int have_samples = qm_swf_get_int(r, root, "samples", "", 1, QM_SWEEP_MAX_POINTS, &v);
    sw->samples = have_samples ? (int)v : 0;
    if (!have_samples && sw->design >= QM_DESIGN_LHS)
        qm_errors_add(r->err, "%s:1: samples is missing (the %s design needs it)", r->file,
                      qm_design_names[sw->design]);
    if (have_samples && sw->design == QM_DESIGN_GRID)
        qm_errors_add(r->err, "%s:%d: samples does not apply to a grid (give levels)", r->file,
                      qm_swf_line(config_setting_get_member(root, "samples")));
    sw->levels = sw->design == QM_DESIGN_MORRIS ? DEFAULT_MORRIS_LEVELS : DEFAULT_GRID_LEVELS;
    if (qm_swf_get_int(r, root, "levels", "", 1, 1000000, &v)) {
        sw->levels = (int)v;
        if (sw->design == QM_DESIGN_LHS || sw->design == QM_DESIGN_SOBOL)
            qm_errors_add(r->err, "%s:%d: levels applies to grid and morris designs only",
                          r->file, qm_swf_line(config_setting_get_member(root, "levels")));
        if (sw->design == QM_DESIGN_MORRIS && (v < 2 || v % 2))
            qm_errors_add(r->err, "%s:%d: a morris design needs an even number of levels >= 2, "
                          "not %lld", r->file, qm_swf_line(config_setting_get_member(root, "levels")),
                          v);
    }
    int seed_given = 0;
    config_setting_t *seed = config_setting_get_member(root, "seed");
    if (seed) {
        int t = config_setting_type(seed);
        if ((t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) || config_setting_get_int64(seed) < 0)
            qm_errors_add(r->err, "%s:%d: seed must be an integer >= 0", r->file, qm_swf_line(seed));
        else {
            sw->seed = (uint64_t)config_setting_get_int64(seed);
            seed_given = 1;
        }
    }
    return seed_given;
}

/* Each factor's levels: its own (grid ranges only), its number of values,
 * or the sweep's. */
static void factor_levels(rd *r)
{
    qm_sweep *sw = r->sw;
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
}

/* The factors against the model, once everything else is sound, and the
 * outcomes' months against the shortest horizon.  Returns the longest
 * horizon. */
static int check_model(rd *r)
{
    qm_sweep *sw = r->sw;
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
            qm_swf_check_factor(r, f, (const char *const *)sw->sets, sw->n_sets);
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
    return horizon;
}

/* 1 (with one message saying what the file is and which command takes
 * it) when root is a scenario or a calibration file rather than a sweep. */
static int other_kind(rd *r, config_setting_t *root)
{
    const char *f = r->file;
    if (config_setting_get_member(root, "targets") && config_setting_get_member(root, "parameters"))
        qm_errors_add(r->err, "%s is a calibration file (it has parameters and targets), not a "
                              "sweep: run it with `qmsim calibrate %s -o CAL.h5`", f, f);
    else if (!config_setting_get_member(root, "base")
             && (config_setting_get_member(root, "services")
                 || config_setting_get_member(root, "commissioners")))
        qm_errors_add(r->err, "%s is a scenario file, not a sweep: run it with `qmsim run %s`; a "
                              "sweep file names it as base = \"%s\" and adds factors "
                              "(docs/sweeps.md)", f, f, f);
    else
        return 0;
    return 1;
}

static void read_sweep(rd *r, config_setting_t *root, const char *dir, const char *base_text,
                       const char *base_source)
{
    qm_sweep *sw = r->sw;
    if (other_kind(r, root))
        return;
    qm_swf_check_keys(r, root, top_keys, "");
    int base_line = read_base(r, root, dir, base_text, base_source);
    if (base_line < 0)
        return;
    int seed_given = read_design_keys(r, root);
    read_sets(r, root);
    if (sw->model == QM_MODEL_ABM && r->err->n == 0)
        load_base(r, base_line, seed_given);
    read_reference(r, root);
    if (sw->model == QM_MODEL_ISHIGAMI)
        sw->months = 1;
    qm_swf_read_factors(r, root);
    qm_swf_read_outcomes(r, root);
    qm_swf_read_series(r, root);
    factor_levels(r);
    if (r->err->n)
        return;
    int horizon = check_model(r);
    if (r->err->n)
        return;
    sw->months = horizon;
    build_design(r, config_setting_get_member(root, "design")
                        ? qm_swf_line(config_setting_get_member(root, "design")) : 1);
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
    text = qm_cfgtext_skip_bom(text);
    if (!config_read_string(&cfg, text)) {
        qm_cfgtext_syntax(err, name, text, &cfg);
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
    char *text = path ? qm_swf_read_text(path) : NULL;
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
    for (int i = 0; i < sw->n_reference; i++)
        free(sw->reference[i]);
    free(sw->reference);
    for (int i = 0; i < sw->n_factors; i++)
        qm_swf_free_factor(&sw->factors[i]);
    free(sw->factors);
    free(sw->outcomes);
    free(sw->series);
    free(sw->unit);
    free(sw->values);
    memset(sw, 0, sizeof *sw);
}
