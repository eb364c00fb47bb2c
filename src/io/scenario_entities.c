/* scenario_entities.c: the entity lists of a scenario: commissioner,
 * provider and agency groups, the entrant template, and the checks of the
 * entities' names across groups. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/scenario_read.h"

/* A group as the name checks see it. */
typedef struct gview {
    const char *prefix;
    int count, n_names;
    char (*names)[QM_NAME_MAX];
    const config_setting_t *set;
} gview;

static const config_setting_t *name_at(const gview *v, int k)
{
    const config_setting_t *m = config_setting_get_member(v->set, "names");
    const config_setting_t *e = m ? config_setting_get_elem(m, (unsigned)k) : NULL;
    return e ? e : v->set;
}

/* Entity names must be unique within a kind.  Explicit names are compared
 * directly; a group without names generates "<prefix> <i>", i = 1..count,
 * so two such groups clash exactly when their prefixes are equal, and an
 * explicit name clashes when it splits at its last space into a generating
 * prefix and a number in that group's range.  No name is ever generated. */
static void check_names(rd *r, const char *what, const gview *v, int n)
{
    size_t ne = 0, ng = 0;
    for (int i = 0; i < n; i++)
        if (v[i].n_names > 0)
            ne += (size_t)v[i].n_names;
        else
            ng++;
    nref *ex = malloc((ne ? ne : 1) * sizeof *ex), *gen = malloc((ng ? ng : 1) * sizeof *gen);
    if (!ex || !gen) {
        free(ex);
        free(gen);
        qm_diag_oom(r);
        return;
    }
    ne = ng = 0;
    for (int i = 0; i < n; i++) {
        if (v[i].n_names == 0) {
            gen[ng++] = (nref){v[i].prefix, i, -1};
            continue;
        }
        for (int k = 0; k < v[i].n_names; k++)
            ex[ne++] = (nref){v[i].names[k], i, k};
    }
    qsort(ex, ne, sizeof *ex, qm_groups_nref_cmp);
    qsort(gen, ng, sizeof *gen, qm_groups_nref_cmp);
    for (size_t j = 1; j < ne; j++)
        if (strcmp(ex[j].name, ex[j - 1].name) == 0)
            qm_diag_at(r, name_at(&v[ex[j].g], ex[j].k), "%s[%d].names[%d] '%s' is also %s[%d].names[%d]",
                       what, ex[j].g, ex[j].k, ex[j].name, what, ex[j - 1].g, ex[j - 1].k);
    for (size_t j = 1; j < ng; j++)
        if (strcmp(gen[j].name, gen[j - 1].name) == 0)
            qm_diag_at(r, v[gen[j].g].set, "%s[%d] and %s[%d] both generate names '%s 1', '%s 2', ...; "
                       "give one a different prefix or explicit names", what, gen[j - 1].g, what,
                       gen[j].g, gen[j].name, gen[j].name);
    for (size_t j = 0; j < ng; j++) {
        const gview *g = &v[gen[j].g];
        int digits = snprintf(NULL, 0, " %d", g->count);
        if (strlen(g->prefix) + (size_t)digits > QM_NAME_MAX - 1)
            qm_diag_at(r, g->set, "%s[%d].prefix '%s' is too long for %d generated names (a name has "
                       "at most %d characters)", what, gen[j].g, g->prefix, g->count, QM_NAME_MAX - 1);
    }
    for (size_t j = 0; j < ne && ng; j++) {
        const char *name = ex[j].name, *sp = strrchr(name, ' ');
        char prefix[QM_NAME_MAX];
        if (!sp || sp == name || sp[1] < '1' || sp[1] > '9' || strlen(sp + 1) > 9 ||
            strspn(sp + 1, "0123456789") != strlen(sp + 1))
            continue;
        long k = strtol(sp + 1, NULL, 10);
        snprintf(prefix, sizeof prefix, "%.*s", (int)(sp - name), name);
        nref key = {prefix, 0, 0};
        const nref *hit = bsearch(&key, gen, ng, sizeof *gen, qm_groups_nref_name_cmp);
        /* Several groups may share the prefix (reported above): try each. */
        while (hit && hit > gen && strcmp(hit[-1].name, prefix) == 0)
            hit--;
        while (hit && hit < gen + ng && strcmp(hit->name, prefix) == 0 && k > v[hit->g].count)
            hit++;
        if (hit && hit < gen + ng && strcmp(hit->name, prefix) == 0)
            qm_diag_at(r, name_at(&v[ex[j].g], ex[j].k), "%s[%d].names[%d] '%s' is also a generated "
                       "name of %s[%d] (prefix '%s')", what, ex[j].g, ex[j].k, name, what, hit->g,
                       prefix);
    }
    free(ex);
    free(gen);
}

/* Reads one group of an entity list into g (named ctx in messages) and
 * returns its view for the name checks. */
typedef gview (*group_reader)(rd *r, const config_setting_t *e, const char *ctx, void *g,
                              const void *arg);

/* Reads the entity list l, called key, into a new array of groups of size
 * bytes, one read by elem each, and checks the entities' names.  Returns
 * the array, with its length in *n and the entities' total count in
 * *total, or NULL when out of memory (reported). */
static void *read_groups(rd *r, const config_setting_t *l, const char *key, size_t size,
                         group_reader elem, const void *arg, int *n, long long *total)
{
    int len = config_setting_length(l);
    char *groups = calloc((size_t)len, size);
    gview *v = calloc((size_t)len, sizeof *v);
    *total = 0;
    if (!groups || !v) {
        free(groups);
        free(v);
        qm_diag_oom(r);
        return NULL;
    }
    for (int i = 0; i < len; i++) {
        char ctx[40];
        snprintf(ctx, sizeof ctx, "%s[%d]", key, i);
        v[i] = elem(r, config_setting_get_elem(l, (unsigned)i), ctx, groups + (size_t)i * size,
                    arg);
        *total += v[i].count;
    }
    check_names(r, key, v, len);
    free(v);
    *n = len;
    return groups;
}

/* Each group reader below sets its default prefix only for a group that
 * was read: a bad entry keeps an empty one. */

static gview read_cgroup(rd *r, const config_setting_t *e, const char *ctx, void *base,
                         const void *arg)
{
    static const gspec spec = {qm_cgroup_fields, "count = ...; ", qm_keys_names_extra, NULL, NULL};
    qm_commissioner_group *g = base;
    qm_params_defaults(qm_cgroup_fields, g);
    g->line = (int)config_setting_source_line(e);
    if (qm_groups_read(r, e, ctx, &spec, g, &g->count, &g->names, &g->n_names, arg) == 0 &&
        !g->prefix[0])
        snprintf(g->prefix, sizeof g->prefix, "Commissioner");
    return (gview){g->prefix, g->count, g->n_names, g->names, e};
}

/* total: the commissioners in all groups (0 when the list is bad). */
void qm_entities_read_cgroups(rd *r, const config_setting_t *root, long long *total)
{
    const config_setting_t *l =
        qm_groups_get_list(r, root, "commissioners", "commissioner groups", MAX_COMMISSIONERS);
    qm_scenario *s = r->s;
    *total = 0;
    if (!l)
        return;
    s->cgroups = read_groups(r, l, "commissioners", sizeof *s->cgroups, read_cgroup, NULL,
                             &s->n_cgroups, total);
    if (s->cgroups && *total > MAX_COMMISSIONERS)
        qm_diag_at(r, l, "commissioners: %lld commissioners in total; at most %d are allowed", *total,
                   MAX_COMMISSIONERS);
}

/* A provider group's services key: its offer, read against byname. */
static int offer_key(rd *r, const config_setting_t *m, const char *key, const char *path,
                     void *base, const void *byname)
{
    qm_provider_group *g = base;
    if (strcmp(key, "services") != 0)
        return 0;
    qm_groups_read_offer(r, m, path, byname, &g->services, &g->n_services);
    return 1;
}

static gview read_pgroup(rd *r, const config_setting_t *e, const char *ctx, void *base,
                         const void *byname)
{
    static const gspec spec = {qm_pgroup_fields, "kind = ...; count = ...; ", qm_keys_pgroup_extra,
                               NULL, offer_key};
    qm_provider_group *g = base;
    qm_params_defaults(qm_pgroup_fields, g);
    g->line = (int)config_setting_source_line(e);
    if (qm_groups_read(r, e, ctx, &spec, g, &g->count, &g->names, &g->n_names, byname) == 0 &&
        !g->prefix[0])
        snprintf(g->prefix, sizeof g->prefix, "%s", qm_provider_kind_names[g->kind]);
    return (gview){g->prefix, g->count, g->n_names, g->names, e};
}

void qm_entities_read_pgroups(rd *r, const config_setting_t *root)
{
    const config_setting_t *l = qm_groups_get_list(r, root, "providers", "provider groups", MAX_PROVIDERS);
    qm_scenario *s = r->s;
    nref *byname;                       /* for the offers; NULL if the service list is bad */
    long long total;
    if (!l || qm_groups_services_by_name(r, &byname))
        return;
    s->pgroups = read_groups(r, l, "providers", sizeof *s->pgroups, read_pgroup, byname,
                             &s->n_pgroups, &total);
    free(byname);
    if (s->pgroups && total + s->p.market.max_entrants > MAX_PROVIDERS)
        qm_diag_at(r, l, "providers: %lld providers plus market.max_entrants = %d make %lld; at most %d "
                   "are allowed", total, s->p.market.max_entrants, total + s->p.market.max_entrants,
                   MAX_PROVIDERS);
}

int qm_entities_entrant_fixed(const char *key)
{
    return qm_params_enum_index(qm_keys_entrant_fixed, key) >= 0 ||
           qm_params_enum_index(qm_keys_pgroup_extra, key) >= 0;
}

/* The entrant's structural keys: reported, since they cannot be set. */
static int entrant_key(rd *r, const config_setting_t *m, const char *key, const char *path,
                       void *base, const void *arg)
{
    if (!qm_entities_entrant_fixed(key))
        return 0;
    qm_diag_at(r, m, ENTRANT_FIXED_MSG, path);
    return 1;
}

/* The entrant template: provider fields except the structural ones.  It
 * has no count, so a list distribution has nothing to match. */
void qm_entities_read_entrant(rd *r, const config_setting_t *root)
{
    static const gspec spec = {qm_pgroup_fields, "key = value; ", NULL, qm_keys_entrant_fixed,
                               entrant_key};
    qm_provider_group *g = &r->s->entrant;
    const config_setting_t *e = config_setting_get_member(root, "entrant");
    qm_params_defaults(qm_pgroup_fields, g);
    g->kind = QM_PK_INDEPENDENT;
    g->count = 0;
    snprintf(g->prefix, sizeof g->prefix, "Entrant");
    if (!e)
        return;
    g->line = (int)config_setting_source_line(e);
    qm_groups_read(r, e, "entrant", &spec, g, NULL, NULL, NULL, NULL);
}

static gview read_agroup(rd *r, const config_setting_t *e, const char *ctx, void *base,
                         const void *arg)
{
    static const gspec spec = {qm_agroup_fields, "kind = ...; count = ...; ", qm_keys_names_extra,
                               NULL, NULL};
    qm_agency_group *g = base;
    qm_params_defaults(qm_agroup_fields, g);
    g->line = (int)config_setting_source_line(e);
    if (qm_groups_read(r, e, ctx, &spec, g, &g->count, &g->names, &g->n_names, arg) == 0 &&
        !g->prefix[0])
        snprintf(g->prefix, sizeof g->prefix, "%s", qm_agency_kind_names[g->kind]);
    return (gview){g->prefix, g->count, g->n_names, g->names, e};
}

/* The optional agencies list: absent or empty means no agencies. */
void qm_entities_read_agroups(rd *r, const config_setting_t *root)
{
    const config_setting_t *l =
        qm_groups_find_list(r, root, "agencies", "agency groups", MAX_AGENCIES, 0);
    qm_scenario *s = r->s;
    long long total;
    if (!l)
        return;
    s->agroups = read_groups(r, l, "agencies", sizeof *s->agroups, read_agroup, NULL,
                             &s->n_agroups, &total);
    if (s->agroups && total > MAX_AGENCIES)
        qm_diag_at(r, l, "agencies: %lld agencies in total; at most %d are allowed", total, MAX_AGENCIES);
}
