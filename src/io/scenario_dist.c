/* scenario_dist.c: reading a distribution field: a constant, or a group
 * { dist = "uniform" | "normal" | "lognormal" | "beta" | "list"; ... }
 * checked against the field's range (docs/scenarios.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/scenario_read.h"

/* Reports the keys of distribution group set (shown as label) that a
 * distribution of this kind does not take.  Returns 1 when there was one. */
static int unknown_keys(rd *r, const config_setting_t *set, const char *label, int kind)
{
    const char *k1 = qm_keys_dist[kind][0], *k2 = qm_keys_dist[kind][1];
    const char *const keys[] = {"dist", k1, k2, NULL};
    int unknown = 0, n = config_setting_length(set);
    for (int i = 0; i < n; i++) {
        const config_setting_t *m = config_setting_get_elem(set, (unsigned)i);
        const char *key = config_setting_name(m);
        if (qm_params_enum_index(keys, key) >= 0)
            continue;
        const char *best = qm_suggest_nearest(key, keys, -1);
        if (best)
            qm_diag_at(r, m, "unknown key '%s.%s' for a %s distribution (did you mean '%s.%s'?)",
                       label, key, qm_dist_names[kind], label, best);
        else
            qm_diag_at(r, m, "unknown key '%s.%s' (a %s distribution takes %s%s%s)", label, key,
                       qm_dist_names[kind], k1, k2 ? " and " : "", k2 ? k2 : "");
        unknown = 1;
    }
    return unknown;
}

/* The two parameters of a distribution: their settings and labels. */
typedef struct dparams {
    const config_setting_t *s1, *s2;
    char l1[160], l2[160];
} dparams;

/* Uniform: min and max in the field's range, min <= max.  1 when bad. */
static int read_uniform(rd *r, const qm_param_def *d, const config_setting_t *set,
                        const char *label, const dparams *p, qm_dist *q)
{
    int bad = qm_value_real_in(r, p->s1, p->l1, d->min, d->max, &q->a) != 0;
    bad |= qm_value_real_in(r, p->s2, p->l2, d->min, d->max, &q->b) != 0;
    if (!bad && q->a > q->b) {
        qm_diag_at(r, set, "%s: min (%s) exceeds max (%s)", label, qm_diag_num(q->a).s,
                   qm_diag_num(q->b).s);
        bad = 1;
    }
    return bad;
}

/* Normal or lognormal: draws are clipped to the range, so only the mean
 * must lie in it; a lognormal's mean is positive, sd not negative.  1 when
 * bad. */
static int read_normal(rd *r, const qm_param_def *d, const dparams *p, qm_dist *q)
{
    int bad = 0;
    if (qm_value_real_in(r, p->s1, p->l1, d->min, d->max, &q->a)) {
        bad = 1;
    } else if (q->kind == QM_DIST_LOGNORMAL && q->a <= 0) {
        qm_diag_at(r, p->s1, "%s = %s must be positive for a lognormal distribution", p->l1,
                   qm_diag_num(q->a).s);
        bad = 1;
    }
    if (qm_value_real(r, p->s2, p->l2, &q->b)) {
        bad = 1;
    } else if (q->b < 0) {
        qm_diag_at(r, p->s2, "%s = %s must not be negative", p->l2, qm_diag_num(q->b).s);
        bad = 1;
    }
    return bad;
}

/* Beta: draws from [0, 1], which must lie in the field's range; a and b
 * positive.  1 when bad. */
static int read_beta(rd *r, const qm_param_def *d, const config_setting_t *set,
                     const char *label, const dparams *p, qm_dist *q)
{
    int bad = 0;
    if (d->min > 0 || d->max < 1) {
        qm_diag_at(r, set, "%s: a beta distribution draws from [0, 1], which is not inside the "
                   "range [%s, %s]", label, qm_diag_num(d->min).s, qm_diag_num(d->max).s);
        bad = 1;
    }
    for (int j = 0; j < 2; j++) {
        const config_setting_t *sj = j ? p->s2 : p->s1;
        double *v = j ? &q->b : &q->a;
        if (qm_value_real(r, sj, j ? p->l2 : p->l1, v)) {
            bad = 1;
        } else if (*v <= 0) {
            qm_diag_at(r, sj, "%s = %s must be positive", j ? p->l2 : p->l1, qm_diag_num(*v).s);
            bad = 1;
        }
    }
    return bad;
}

/* List: one value a member of the group, count values in the field's
 * range, into a malloc'd q->values.  -1 when nothing was read (reported),
 * 1 when a value is bad (q->values may be set), else 0. */
static int read_list(rd *r, const qm_param_def *d, const config_setting_t *set,
                     const char *label, int count, const dparams *p, qm_dist *q)
{
    const config_setting_t *s1 = p->s1;
    int t = config_setting_type(s1), len = config_setting_length(s1), bad = 0;
    char sub[200];
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) {
        qm_diag_at(r, s1, "%s: expected an array [ ... ] of numbers, got %s", p->l1,
                   qm_diag_type(s1));
        return -1;
    }
    if (count == 0) {
        qm_diag_at(r, set, "%s: a list distribution needs the group's count, and there is none "
                   "here", label);
        return -1;
    }
    if (len > QM_LIST_MAX) {
        qm_diag_at(r, s1, "%s has %d entries; at most %d are allowed", p->l1, len, QM_LIST_MAX);
        return -1;
    }
    if (count > 0 && len != count) {
        qm_diag_at(r, s1, "%s has %d entries but count is %d", p->l1, len, count);
        bad = 1;
    }
    if (bad || len == 0)
        return -1;
    q->values = malloc((size_t)len * sizeof *q->values);
    if (!q->values) {
        qm_diag_oom(r);
        return -1;
    }
    q->n = len;
    for (int i = 0; i < len; i++) {
        snprintf(sub, sizeof sub, "%s[%d]", p->l1, i);
        bad |= qm_value_real_in(r, config_setting_get_elem(s1, (unsigned)i), sub, d->min,
                                d->max, &q->values[i]) != 0;
    }
    q->a = q->values[0];
    return bad;
}

/* The kind named by group set's dist key, or -1 (reported). */
static int read_kind(rd *r, const config_setting_t *set, const char *label)
{
    char sub[200];
    int kind;
    const config_setting_t *ks = config_setting_get_member(set, "dist");
    if (!ks) {
        char all[128] = "";
        qm_diag_join_names(all, sizeof all, qm_dist_names);
        qm_diag_at(r, set, "%s: a distribution group needs dist = one of %s", label, all);
        return -1;
    }
    snprintf(sub, sizeof sub, "%s.dist", label);
    return qm_value_enum(r, ks, sub, qm_dist_names, &kind) ? -1 : kind;
}

int qm_dist_read(rd *r, const qm_param_def *d, const config_setting_t *set,
                 const char *label, int count, qm_dist *out)
{
    qm_dist q = {QM_DIST_CONST, 0, 0, 0, NULL};
    if (config_setting_is_number(set)) {
        if (qm_value_real_in(r, set, label, d->min, d->max, &q.a))
            return -1;
        *out = q;
        return 0;
    }
    if (!config_setting_is_group(set)) {
        qm_diag_at(r, set, "%s: expected a number or a distribution group { dist = ...; }, got %s",
                   label, qm_diag_type(set));
        return -1;
    }
    int kind = read_kind(r, set, label);
    if (kind < 0)
        return -1;
    q.kind = (qm_dist_kind)kind;
    const char *k1 = qm_keys_dist[kind][0], *k2 = qm_keys_dist[kind][1];
    int bad = 0, unknown = unknown_keys(r, set, label, kind); /* still check the known keys */
    dparams p = {config_setting_get_member(set, k1), k2 ? config_setting_get_member(set, k2) : NULL,
                 "", ""};
    if (!p.s1 || (k2 && !p.s2)) {
        qm_diag_at(r, set, "%s: a %s distribution needs %s%s%s", label, qm_dist_names[kind], k1,
                   k2 ? " and " : "", k2 ? k2 : "");
        return -1;
    }
    snprintf(p.l1, sizeof p.l1, "%s.%s", label, k1);
    snprintf(p.l2, sizeof p.l2, "%s.%s", label, k2 ? k2 : "");
    switch (q.kind) {
    case QM_DIST_CONST:
        bad = qm_value_real_in(r, p.s1, p.l1, d->min, d->max, &q.a) != 0;
        break;
    case QM_DIST_UNIFORM:
        bad = read_uniform(r, d, set, label, &p, &q);
        break;
    case QM_DIST_NORMAL:
    case QM_DIST_LOGNORMAL:
        bad = read_normal(r, d, &p, &q);
        break;
    case QM_DIST_BETA:
        bad = read_beta(r, d, set, label, &p, &q);
        break;
    case QM_DIST_LIST:
        bad = read_list(r, d, set, label, count, &p, &q);
        if (bad < 0)
            return -1;
        break;
    default:
        break;
    }
    if (bad || unknown) {
        free(q.values);
        return -1;
    }
    *out = q;
    return 0;
}
