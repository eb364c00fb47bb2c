/* scenario_timeline.c: reading the timeline of a scenario (MODEL.md's
 * events: reorganisations, policy changes, directives...): each event's
 * type, month and keys, per-type rules, and the order of events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/scenario_read.h"

/* The event types whose bit is set in mask, as "a, b" into buf. */
void qm_tl_mask_names(char *buf, size_t n, unsigned mask)
{
    buf[0] = '\0';
    for (int t = 0; t < QM_TL_N; t++)
        if (mask & (1u << t))
            qm_diag_join(buf, n, qm_timeline_names[t], strlen(qm_timeline_names[t]));
}

/* Whether event type t (which may be invalid) takes field d. */
int qm_tl_takes(const qm_param_def *d, int t)
{
    return d->mask == ~0u || (t >= 0 && t < QM_TL_N && (d->mask & (1u << t)));
}

int qm_tl_is_policy_path(const char *path)
{
    return strncmp(path, "policy.", 7) == 0;
}

/* The policy parameter a policy event's key names, or NULL after
 * reporting (with the nearest policy path, or the list of them). */
static const qm_param_def *policy_param(rd *r, const config_setting_t *set, const char *label,
                                        const char *key)
{
    const qm_param_def *d = qm_params_find(qm_param_table, key);
    if (d && qm_tl_is_policy_path(key))
        return d;
    char valid[QM_ERR_LEN / 2] = "";
    const char *leaf = strrchr(key, '.');
    qm_suggest g, h;                    /* the whole path; the key without its group */
    leaf = leaf ? leaf + 1 : key;
    qm_suggest_init(&g, key, strlen(key));
    qm_suggest_init(&h, leaf, strlen(leaf));
    for (const qm_param_def *p = qm_param_table; p->path; p++)
        if (qm_tl_is_policy_path(p->path)) {
            qm_suggest_try(&g, p->path, strlen(p->path));
            qm_suggest_try(&h, p->path + 7, strlen(p->path + 7));
            qm_diag_join(valid, sizeof valid, p->path, strlen(p->path));
        }
    /* h's candidates are the paths past "policy.". */
    const char *best = g.best ? g.best : h.best ? h.best - 7 : NULL;
    if (d)
        qm_diag_at(r, set, "%s = '%s' is not a policy parameter: a policy event sets one of %s", label,
                   qm_diag_clip(key).s, valid);
    else if (best)
        qm_diag_at(r, set, "%s = '%s' is not a policy parameter (did you mean '%s'?)", label,
                   qm_diag_clip(key).s, best);
    else
        qm_diag_at(r, set, "%s = '%s' is not a policy parameter (valid keys are: %s)", label,
                   qm_diag_clip(key).s, valid);
    return NULL;
}

/* Reads a policy event's value, which takes the type and range of the
 * parameter d it sets: a number for a real, an integer for an integer,
 * true/false for a boolean (1 or 0), a name for an enum (its index).
 * Returns 0, or -1 after reporting. */
static int read_policy_value(rd *r, const config_setting_t *set, const char *label,
                             const qm_param_def *d, double *out)
{
    char expect[QM_ERR_LEN / 2] = "";
    int t = config_setting_type(set);
    int qm_override_is_int = t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
    double x = 0;
    switch (d->type) {
    case QM_T_DOUBLE:
        snprintf(expect, sizeof expect, "a number in [%s, %s]", qm_diag_num(d->min).s, qm_diag_num(d->max).s);
        if (!qm_override_is_int && t != CONFIG_TYPE_FLOAT)
            break;
        if (qm_value_real(r, set, label, &x))
            return -1;
        if (x < d->min || x > d->max) {
            qm_diag_at(r, set, "%s = %s is out of range for %s, which takes %s", label, qm_diag_num(x).s,
                       d->path, expect);
            return -1;
        }
        *out = x;
        return 0;
    case QM_T_INT: {
        snprintf(expect, sizeof expect, "an integer in [%.0f, %.0f]", d->min, d->max);
        if (!qm_override_is_int)
            break;
        if (qm_lex_bad_line(r, set))
            return -1;                  /* the wrapped literal is reported */
        long long iv = config_setting_get_int64(set);
        if (iv < (long long)d->min || iv > (long long)d->max) {
            qm_diag_at(r, set, "%s = %lld is out of range for %s, which takes %s", label, iv, d->path,
                       expect);
            return -1;
        }
        *out = (double)iv;
        return 0;
    }
    case QM_T_BOOL:
        snprintf(expect, sizeof expect, "true or false");
        if (t != CONFIG_TYPE_BOOL)
            break;
        *out = config_setting_get_bool(set) ? 1.0 : 0.0;
        return 0;
    case QM_T_ENUM: {
        qm_diag_join_names(expect, sizeof expect, d->names);
        if (t != CONFIG_TYPE_STRING) {
            qm_diag_at(r, set, "%s: %s takes a string (one of %s), got %s", label, d->path, expect,
                       qm_diag_type(set));
            return -1;
        }
        const char *v = config_setting_get_string(set);
        int i = qm_params_enum_index(d->names, v ? v : "");
        if (i >= 0) {
            *out = i;
            return 0;
        }
        const char *best = qm_suggest_nearest(v ? v : "", d->names, -1);
        if (best)
            qm_diag_at(r, set, "%s = '%s' is not a value of %s (one of %s; did you mean '%s'?)", label,
                       qm_diag_clip(v).s, d->path, expect, best);
        else
            qm_diag_at(r, set, "%s = '%s' is not a value of %s (one of %s)", label, qm_diag_clip(v).s, d->path,
                       expect);
        return -1;
    }
    default:
        qm_diag_at(r, set, "%s: %s cannot be set by a policy event", label, d->path);
        return -1;
    }
    qm_diag_at(r, set, "%s: %s takes %s, got %s", label, d->path, expect, qm_diag_type(set));
    return -1;
}

/* Reads event e's type and month (shown as ctx), both required, into ev;
 * their settings into *ts and *ms.  Returns the type, or -1 when it is
 * missing or invalid (reported). */
static int read_type_month(rd *r, const config_setting_t *e, const char *ctx,
                           qm_timeline_event *ev, const config_setting_t **ts,
                           const config_setting_t **ms)
{
    char path[KEY_MAX * 2], all[QM_ERR_LEN / 4] = "";
    int type = -1;
    *ts = config_setting_get_member(e, "type");
    *ms = config_setting_get_member(e, "month");
    qm_diag_join_names(all, sizeof all, qm_timeline_names);
    if (!*ts) {
        qm_diag_at(r, e, "%s: missing required key 'type' (one of %s)", ctx, all);
    } else {
        snprintf(path, sizeof path, "%s.type", ctx);
        if (qm_field_read(r, qm_params_find(qm_timeline_fields, "type"), *ts, ev, path, 0) == 0)
            type = ev->type;
    }
    if (!*ms) {
        qm_diag_at(r, e, "%s: missing required key 'month'", ctx);
    } else {
        snprintf(path, sizeof path, "%s.month", ctx);
        if (qm_field_read(r, qm_params_find(qm_timeline_fields, "month"), *ms, ev, path, 0) == 0 &&
            !r->months_bad && ev->month >= r->s->months && !r->horizon_set)
            qm_diag_at(r, *ms, "%s = %d is not before months = %d (the run's last month is %d)", path,
                       ev->month, r->s->months, r->s->months - 1);
    }
    return type;
}

/* The settings of an event's keys that are read after the others. */
typedef struct evsets {
    const config_setting_t *key, *value, *service;
} evsets;

/* Reads the keys of event e (shown as ctx) of this type (-1: unknown)
 * other than its type (ts) and month (ms) into ev; key, value and service
 * are left in *sets for later. */
static void read_event_keys(rd *r, const config_setting_t *e, const char *ctx, int type,
                            const config_setting_t *ts, const config_setting_t *ms,
                            qm_timeline_event *ev, evsets *sets)
{
    enum { NF = 32 };
    char path[KEY_MAX * 2], applies[QM_ERR_LEN / 4];
    const char *excl[NF];
    int ne = 0;
    /* Unknown keys are matched against the keys this type takes. */
    for (const qm_param_def *d = qm_timeline_fields; type >= 0 && d->path && ne < NF - 1; d++)
        if (!qm_tl_takes(d, type))
            excl[ne++] = d->path;
    excl[ne] = NULL;

    int n = config_setting_length(e);
    for (int j = 0; j < n; j++) {
        const config_setting_t *m = config_setting_get_elem(e, (unsigned)j);
        const char *k = config_setting_name(m);
        const qm_param_def *d = qm_params_find(qm_timeline_fields, k);
        if (m == ts || m == ms)
            continue;
        if (!d) {
            qm_keys_unknown_field(r, m, ctx, k, qm_timeline_fields, NULL, type >= 0 ? excl : NULL);
            continue;
        }
        if (type >= 0 && !qm_tl_takes(d, type)) {
            qm_tl_mask_names(applies, sizeof applies, d->mask);
            qm_diag_at(r, m, "%s: '%s' does not apply to a '%s' event (it applies to: %s)", ctx, k,
                       qm_timeline_names[type], applies);
            continue;
        }
        if (strcmp(k, "value") == 0) {
            sets->value = m;            /* its type depends on key: read below */
            continue;
        }
        snprintf(path, sizeof path, "%s.%s", ctx, k);
        if (qm_field_read(r, d, m, ev, path, 0))
            continue;
        /* "key" and "service" share the key array; a type takes one of them. */
        if (strcmp(k, "key") == 0)
            sets->key = m;
        else if (strcmp(k, "service") == 0)
            sets->service = m;
    }
}

/* A policy event's key (a policy parameter) and value (of its type). */
static void read_policy_event(rd *r, const config_setting_t *e, const char *ctx,
                              qm_timeline_event *ev, const evsets *sets)
{
    char path[KEY_MAX * 2];
    const qm_param_def *pd = NULL;
    snprintf(path, sizeof path, "%s.key", ctx);
    if (!config_setting_get_member(e, "key"))
        qm_diag_at(r, e, "%s: a policy event needs key (the policy.* parameter it sets)", ctx);
    else if (sets->key)
        pd = policy_param(r, sets->key, path, ev->key);
    snprintf(path, sizeof path, "%s.value", ctx);
    if (!sets->value)
        qm_diag_at(r, e, "%s: a policy event needs value (the new value of its key)", ctx);
    else if (pd)
        read_policy_value(r, sets->value, path, pd, &ev->value);
}

/* Reads timeline[i] into ev.  byname is the service list sorted by name
 * (NULL when that list is broken). */
static void read_event(rd *r, const config_setting_t *e, int i, qm_timeline_event *ev,
                       const nref *byname)
{
    char ctx[32], path[KEY_MAX * 2];
    const config_setting_t *ts, *ms;
    evsets sets = {NULL, NULL, NULL};
    snprintf(ctx, sizeof ctx, "timeline[%d]", i);
    qm_params_defaults(qm_timeline_fields, ev);
    ev->service = -1;
    ev->line = (int)config_setting_source_line(e);
    if (!qm_groups_want(r, e, ctx, "month = ...; type = ...; "))
        return;
    int type = read_type_month(r, e, ctx, ev, &ts, &ms);
    read_event_keys(r, e, ctx, type, ts, ms, ev, &sets);
    if (type == QM_TL_POLICY)
        read_policy_event(r, e, ctx, ev, &sets);
    if (sets.service && byname) {
        snprintf(path, sizeof path, "%s.service", ctx);
        ev->service = qm_groups_find_service(r, sets.service, path, ev->key, byname);
    }
    if (type == QM_TL_REORGANISATION && ev->merge > 1 && ev->split_share > 0)
        qm_diag_at(r, e, "%s: merge = %d and split_share = %s in one event: a reorganisation either "
                   "merges or splits (use two events)", ctx, ev->merge, qm_diag_num(ev->split_share).s);
}

/* An event's month and place in the file, for a stable sort. */
typedef struct evkey {
    int month, i;
} evkey;

static int evkey_cmp(const void *a, const void *b)
{
    const evkey *x = a, *y = b;
    if (x->month != y->month)
        return x->month < y->month ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* The optional timeline: read in file order, then sorted by month with
 * ties kept in file order. */
void qm_tl_read(rd *r, const config_setting_t *root)
{
    const config_setting_t *l =
        qm_groups_find_list(r, root, "timeline", "timeline events", MAX_EVENTS, 0);
    qm_scenario *s = r->s;
    nref *byname;
    if (!l)
        return;
    int n = config_setting_length(l);
    const config_setting_t *mset = config_setting_get_member(root, "months");
    /* A horizon shortened on the command line drops the later events (the
     * caller warns, from s->n_dropped); in the file itself they are errors. */
    r->horizon_set = mset && config_setting_get_hook(mset) != NULL;
    if (qm_groups_services_by_name(r, &byname))
        return;
    qm_timeline_event *ev = calloc((size_t)n, sizeof *ev);
    evkey *order = calloc((size_t)n, sizeof *order);
    if (!ev || !order) {
        free(ev);
        free(order);
        free(byname);
        qm_diag_oom(r);
        return;
    }
    for (int i = 0; i < n; i++) {
        read_event(r, config_setting_get_elem(l, (unsigned)i), i, &ev[i], byname);
        order[i] = (evkey){ev[i].month, i};
    }
    free(byname);
    qsort(order, (size_t)n, sizeof *order, evkey_cmp);
    s->timeline = malloc((size_t)n * sizeof *s->timeline);
    if (!s->timeline) {
        free(ev);
        free(order);
        qm_diag_oom(r);
        return;
    }
    s->n_timeline = 0;
    for (int i = 0; i < n; i++) {
        const qm_timeline_event *e = &ev[order[i].i];
        if (r->horizon_set && e->month >= s->months) {
            if (s->n_dropped++ == 0)
                s->first_dropped = e->month;
            continue;
        }
        s->timeline[s->n_timeline++] = *e;
    }
    free(ev);
    free(order);
}

/* Cross-field checks of the registry, reported at the first setting the
 * message names (or at the file when that key was left at its default). */
