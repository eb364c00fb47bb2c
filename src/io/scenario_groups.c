/* scenario_groups.c: the top-level keys and parameter groups, the parts of
 * entity groups (names, offered services), reading one group of any kind,
 * and the service list. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/scenario_read.h"

/* ---- Top level and parameter groups. ---- */

static int is_param_group(const char *key)
{
    size_t n = strlen(key);
    for (const qm_param_def *d = qm_param_table; d->path; d++)
        if (qm_keys_group_len(d->path) == n && strncmp(d->path, key, n) == 0)
            return 1;
    return 0;
}

void qm_groups_top_defaults(qm_scenario *s)
{
    qm_params_defaults(qm_param_table, &s->p);
    for (const qm_param_def *d = qm_keys_top; d->path; d++) {
        void *f = (char *)s + d->offset;
        if (d->offset == offsetof(qm_scenario, seed))
            s->seed = (uint64_t)d->def;
        else if (d->type == QM_T_STRING)
            *(char *)f = '\0';
        else
            *(int *)f = (int)d->def;
    }
}

/* Whether set is a group; if not, reports so as ctx, showing the group
 * expected by the keys it starts with (shape). */
int qm_groups_want(rd *r, const config_setting_t *set, const char *ctx, const char *shape)
{
    if (config_setting_is_group(set))
        return 1;
    qm_diag_at(r, set, "%s: expected a group { %s... }, got %s", ctx, shape, qm_diag_type(set));
    return 0;
}

static void read_param_group(rd *r, const config_setting_t *g)
{
    const char *gname = config_setting_name(g);
    if (!qm_groups_want(r, g, gname, "key = value; "))
        return;
    int n = config_setting_length(g);
    for (int i = 0; i < n; i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        char path[KEY_MAX * 3];
        snprintf(path, sizeof path, "%s.%s", gname, config_setting_name(m));
        const qm_param_def *d = qm_params_find(qm_param_table, path);
        if (d)
            qm_field_read(r, d, m, &r->s->p, path, 0);
        else
            qm_keys_unknown_param(r, m, path, gname);
    }
}

void qm_groups_read_top(rd *r, const config_setting_t *root)
{
    int n = config_setting_length(root);
    for (int i = 0; i < n; i++) {
        const config_setting_t *m = config_setting_get_elem(root, (unsigned)i);
        const char *k = config_setting_name(m);
        const qm_param_def *d = qm_params_find(qm_keys_top, k);
        long long v;
        if (d && d->offset == offsetof(qm_scenario, seed)) {
            if (!qm_value_int_in(r, m, k, 0, LLONG_MAX, &v))
                r->s->seed = (uint64_t)v;
        } else if (d) {
            if (qm_field_read(r, d, m, r->s, k, 0) && d->offset == offsetof(qm_scenario, months))
                r->months_bad = 1;
        } else if (is_param_group(k)) {
            read_param_group(r, m);
        } else if (qm_params_enum_index(qm_keys_lists, k) < 0) {
            qm_keys_unknown_param(r, m, k, NULL);
        }
    }
    if (!config_setting_get_member(root, "name"))
        qm_diag_at(r, root, "missing required key 'name'");
}

/* Finds an entity list of at most max entries.  A required list that is
 * missing or empty is reported; an optional one is simply absent (NULL). */
const config_setting_t *qm_groups_find_list(rd *r, const config_setting_t *root, const char *key,
                                            const char *what, int max, int required)
{
    const config_setting_t *l = config_setting_get_member(root, key);
    if (!l) {
        if (required)
            qm_diag_at(r, root, "missing required key '%s' (a list of %s)", key, what);
        return NULL;
    }
    int t = config_setting_type(l), n = config_setting_length(l);
    if (t != CONFIG_TYPE_LIST && t != CONFIG_TYPE_ARRAY) {
        qm_diag_at(r, l, "%s: expected a list ( { ... }, ... ) of %s, got %s", key, what, qm_diag_type(l));
        return NULL;
    }
    if (n == 0) {
        if (required)
            qm_diag_at(r, l, "%s is empty: at least one entry is required", key);
        return NULL;
    }
    if (n > max) {
        qm_diag_at(r, l, "%s has %d entries; at most %d are allowed", key, n, max);
        return NULL;
    }
    return l;
}

/* Finds a required entity list; NULL (reported) when missing or empty. */
const config_setting_t *qm_groups_get_list(rd *r, const config_setting_t *root, const char *key,
                                           const char *what, int max)
{
    return qm_groups_find_list(r, root, key, what, max, 1);
}

/* ---- Parts of groups: entity names and offered services. ---- */

int qm_groups_nref_name_cmp(const void *a, const void *b)
{
    return strcmp(((const nref *)a)->name, ((const nref *)b)->name);
}

int qm_groups_nref_cmp(const void *a, const void *b)
{
    const nref *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    if (x->g != y->g)
        return x->g < y->g ? -1 : 1;
    return (x->k > y->k) - (x->k < y->k);
}

/* Reads a group's names: an array of count unique-checked-later strings. */
static void read_names(rd *r, const config_setting_t *set, const char *label, int count,
                       char (**names)[QM_NAME_MAX], int *n_names)
{
    int t = config_setting_type(set), len = config_setting_length(set), bad = 0;
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) {
        qm_diag_at(r, set, "%s: expected an array [ \"...\", ... ] of names, got %s", label, qm_diag_type(set));
        return;
    }
    if (len > QM_LIST_MAX) {
        qm_diag_at(r, set, "%s has %d entries; at most %d are allowed", label, len, QM_LIST_MAX);
        return;
    }
    if (count >= 0 && len != count) {
        qm_diag_at(r, set, "%s has %d entries but count is %d", label, len, count);
        bad = 1;
    }
    if (len == 0)
        return;
    /* Zeroed, so the bytes after each name are defined (names may be
     * compared or written out as fixed-length strings). */
    char (*v)[QM_NAME_MAX] = calloc((size_t)len, sizeof *v);
    if (!v) {
        qm_diag_oom(r);
        return;
    }
    for (int i = 0; i < len; i++) {
        char sub[KEY_MAX * 2 + 16];
        snprintf(sub, sizeof sub, "%s[%d]", label, i);
        bad |= qm_value_text(r, config_setting_get_elem(set, (unsigned)i), sub, 1, QM_NAME_MAX - 1,
                             v[i]) != 0;
    }
    if (bad || count < 0) {
        free(v);
        return;
    }
    *names = v;
    *n_names = len;
}

/* The index of the service called name, or -1 after reporting it (as
 * label = 'name') with the nearest service name.  byname is the service
 * list sorted by name. */
int qm_groups_find_service(rd *r, const config_setting_t *set, const char *label, const char *name,
                           const nref *byname)
{
    int S = r->s->n_services;
    nref key = {name, 0, 0};
    const nref *hit = bsearch(&key, byname, (size_t)S, sizeof *byname, qm_groups_nref_name_cmp);
    if (hit)
        return hit->g;
    qm_suggest g;
    qm_suggest_init(&g, name, strlen(name));
    for (int j = 0; j < S; j++)
        qm_suggest_try(&g, byname[j].name, strlen(byname[j].name));
    if (g.best)
        qm_diag_at(r, set, "%s = '%s' is not a service (did you mean '%s'?)", label, qm_diag_clip(name).s, g.best);
    else
        qm_diag_at(r, set, "%s = '%s' is not a service", label, qm_diag_clip(name).s);
    return -1;
}

/* The service list sorted by name into *out (NULL when there are no
 * services).  Returns -1 when out of memory (reported), else 0. */
int qm_groups_services_by_name(rd *r, nref **out)
{
    int S = r->s->n_services;
    *out = NULL;
    if (S <= 0 || !r->s->services)
        return 0;
    nref *b = malloc((size_t)S * sizeof *b);
    if (!b) {
        qm_diag_oom(r);
        return -1;
    }
    for (int j = 0; j < S; j++)
        b[j] = (nref){r->s->services[j].name, j, 0};
    qsort(b, (size_t)S, sizeof *b, qm_groups_nref_cmp);
    *out = b;
    return 0;
}

/* Reads the services a provider group offers, as indices into the
 * service list.  byname is the service list sorted by name. */
void qm_groups_read_offer(rd *r, const config_setting_t *set, const char *label,
                          const nref *byname, int **out, int *n_out)
{
    int t = config_setting_type(set), len = config_setting_length(set), bad = 0;
    int S = r->s->n_services;
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) {
        qm_diag_at(r, set, "%s: expected an array [ \"...\", ... ] of service names, got %s", label,
                   qm_diag_type(set));
        return;
    }
    if (len == 0) {
        qm_diag_at(r, set, "%s is empty (leave it out to offer every service)", label);
        return;
    }
    if (!byname)
        return;                     /* the service list itself is broken */
    int *v = malloc((size_t)len * sizeof *v);
    char *seen = calloc((size_t)S, 1);
    if (!v || !seen) {
        free(v);
        free(seen);
        qm_diag_oom(r);
        return;
    }
    for (int i = 0; i < len; i++) {
        const config_setting_t *e = config_setting_get_elem(set, (unsigned)i);
        char sub[KEY_MAX * 2 + 16];
        const char *name;
        snprintf(sub, sizeof sub, "%s[%d]", label, i);
        if (qm_value_string(r, e, sub, &name)) {
            bad = 1;
            continue;
        }
        int k = qm_groups_find_service(r, e, sub, name, byname);
        if (k < 0) {
            bad = 1;
        } else if (seen[k]) {
            qm_diag_at(r, e, "%s: service '%s' is listed twice", label, name);
            bad = 1;
        } else {
            seen[k] = 1;
            v[i] = k;
        }
    }
    free(seen);
    if (bad) {
        free(v);
        return;
    }
    *out = v;
    *n_out = len;
}

/* ---- Reading one group: a service, an entity group or the entrant. ---- */

/* Reads a group's count first, since names and list distributions depend
 * on it.  Returns the count, or -1 when it is invalid. */
static int read_count(rd *r, const config_setting_t *e, const char *ctx,
                      const qm_param_def *fields, void *g, int *count)
{
    const config_setting_t *m = config_setting_get_member(e, "count");
    char path[KEY_MAX];
    if (!m)
        return *count;
    snprintf(path, sizeof path, "%s.count", ctx);
    return qm_field_read(r, qm_params_find(fields, "count"), m, g, path, 0) ? -1 : *count;
}

/* Reads group e (shown as ctx) into base, which holds the defaults: its
 * count first when it has one (count not NULL), its names when it has them
 * (names not NULL), the keys k's hook takes, then k's fields.  Returns 0,
 * or -1 (reported) when e is not a group. */
int qm_groups_read(rd *r, const config_setting_t *e, const char *ctx, const gspec *k,
                   void *base, int *count, char (**names)[QM_NAME_MAX], int *n_names,
                   const void *arg)
{
    if (!qm_groups_want(r, e, ctx, k->shape))
        return -1;
    int cnt = count ? read_count(r, e, ctx, k->fields, base, count) : 0;
    int n = config_setting_length(e);
    for (int j = 0; j < n; j++) {
        const config_setting_t *m = config_setting_get_elem(e, (unsigned)j);
        const char *key = config_setting_name(m);
        const qm_param_def *d = qm_params_find(k->fields, key);
        char path[KEY_MAX * 2];
        snprintf(path, sizeof path, "%s.%s", ctx, key);
        if (count && strcmp(key, "count") == 0)
            continue;                   /* read above */
        if (names && strcmp(key, "names") == 0)
            read_names(r, m, path, cnt, names, n_names);
        else if (k->hook && k->hook(r, m, key, path, base, arg))
            continue;                   /* read by the hook */
        else if (d)
            qm_field_read(r, d, m, base, path, cnt);
        else
            qm_keys_unknown_field(r, m, ctx, key, k->fields, k->extra, k->excl);
    }
    return 0;
}

/* A service's checks beyond its fields', once they are read. */
static void check_service(rd *r, const config_setting_t *e, const char *ctx, int i)
{
    const qm_service_spec *sv = &r->s->services[i];
    if (!config_setting_get_member(e, "name"))
        qm_diag_at(r, e, "%s: missing required key 'name'", ctx);
    if (sv->cost_min > sv->cost_max)
        qm_diag_at(r, e, "%s: cost_min (%s) exceeds cost_max (%s)", ctx, qm_diag_num(sv->cost_min).s,
                   qm_diag_num(sv->cost_max).s);
    for (int j = 0; j < i && sv->name[0]; j++)
        if (strcmp(r->s->services[j].name, sv->name) == 0) {
            qm_diag_at(r, config_setting_get_member(e, "name"),
                       "%s.name '%s' is already used by services[%d]", ctx, sv->name, j);
            break;
        }
}

void qm_groups_read_services(rd *r, const config_setting_t *root)
{
    static const gspec spec = {qm_service_fields, "name = ...; ", NULL, NULL, NULL};
    const config_setting_t *l = qm_groups_get_list(r, root, "services", "service lines", MAX_SERVICES);
    if (!l)
        return;
    int n = config_setting_length(l);
    qm_scenario *s = r->s;
    s->services = calloc((size_t)n, sizeof *s->services);
    if (!s->services) {
        qm_diag_oom(r);
        return;
    }
    s->n_services = n;
    for (int i = 0; i < n; i++) {
        qm_service_spec *sv = &s->services[i];
        const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
        char ctx[32];
        snprintf(ctx, sizeof ctx, "services[%d]", i);
        qm_params_defaults(qm_service_fields, sv);
        sv->line = (int)config_setting_source_line(e);
        if (qm_groups_read(r, e, ctx, &spec, sv, NULL, NULL, NULL, NULL) == 0)
            check_service(r, e, ctx, i);
    }
}
