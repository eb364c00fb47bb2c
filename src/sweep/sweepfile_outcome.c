/* sweepfile_outcome.c: the outcomes of a sweep file (a series reduced over
 * a range of months) and the series saved whole for every run. */
#include "qmsim/sweep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/suggest.h"
#include "qmsim/observe.h"
#include "sweep/sweepfile_read.h"

static const char *const outcome_keys[] = {"name", "series", "reduce", "months", NULL};
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
    o->line = qm_swf_line(g);
    o->to = -1;
    if (!config_setting_is_group(g)) {
        qm_errors_add(r->err, "%s:%d: outcomes[%d] must be a group { name = ...; series = ...; "
                      "reduce = ...; }", r->file, o->line, idx);
        return;
    }
    qm_swf_check_keys(r, g, outcome_keys, ctx);
    const char *name = qm_swf_get_str(r, g, "name", ctx, 1);
    const char *series = qm_swf_get_str(r, g, "series", ctx, 1);
    const char *reduce = qm_swf_get_str(r, g, "reduce", ctx, 0);
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
            unknown_series(r, qm_swf_line(config_setting_get_member(g, "series")), c, series);
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
                          "counted from 0", r->file, qm_swf_line(m), ctx);
            return;
        }
        o->from = config_setting_get_int_elem(m, 0);
        o->to = config_setting_get_int_elem(m, 1);
        if (o->from < 0 || o->to < o->from)
            qm_errors_add(r->err, "%s:%d: outcome '%s': months [%d, %d] is empty (0 <= first "
                          "<= last)", r->file, qm_swf_line(m), o->name, o->from, o->to);
    }
}

void qm_swf_read_outcomes(rd *r, config_setting_t *root)
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
                      qm_swf_line(l), QM_SWEEP_MAX_OUTCOMES);
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
void qm_swf_read_series(rd *r, config_setting_t *root)
{
    qm_sweep *sw = r->sw;
    config_setting_t *s = config_setting_get_member(root, "series");
    if (!s)
        return;
    int all = sw->model == QM_MODEL_ISHIGAMI ? 1 : QM_S_N;
    if (config_setting_type(s) == CONFIG_TYPE_STRING) {
        if (strcmp(config_setting_get_string(s), "all")) {
            qm_errors_add(r->err, "%s:%d: series must be \"all\" or a list of series names",
                          r->file, qm_swf_line(s));
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
                      r->file, qm_swf_line(s));
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
                          qm_swf_line(s), i);
        else if (k < 0)
            unknown_series(r, qm_swf_line(s), "series: ", name);
        else {
            int dup = 0;
            for (int j = 0; j < sw->n_series; j++)
                dup |= sw->series[j] == k;
            if (!dup)
                sw->series[sw->n_series++] = k;
        }
    }
}
