/* scenario_resolved.c: writes a scenario back as libconfig text with
 * every default filled in (the resolved text stored with every output);
 * it loads back to an identical scenario. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/scenario_read.h"

/* A real number in a form libconfig reads back as a float, exactly. */
static void put_real(FILE *f, double x)
{
    numtext t = qm_diag_num(x);
    fputs(t.s, f);
    if (!strpbrk(t.s, ".eEni"))
        fputs(".0", f);
}

static void put_string(FILE *f, const char *v)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\t': fputs("\\t", f); break;
        case '\r': fputs("\\r", f); break;
        case '\f': fputs("\\f", f); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(f, "\\x%02x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

static void put_enum(FILE *f, const char *const *names, int v)
{
    int n = 0;
    while (names[n])
        n++;
    put_string(f, v >= 0 && v < n ? names[v] : "?");
}

static void put_dist(FILE *f, const qm_dist *q)
{
    int kind = q->kind >= 0 && q->kind < QM_DIST_N ? (int)q->kind : QM_DIST_CONST;
    if (kind == QM_DIST_CONST) {
        put_real(f, q->a);
        return;
    }
    fprintf(f, "{ dist = \"%s\"; %s = ", qm_dist_names[kind], qm_keys_dist[kind][0]);
    if (kind == QM_DIST_LIST) {
        fputs("[", f);
        for (int i = 0; i < q->n; i++) {
            fputs(i ? (i % 8 ? ", " : ",\n        ") : " ", f);
            put_real(f, q->values[i]);
        }
        fputs(" ]; }", f);
        return;
    }
    put_real(f, q->a);
    fprintf(f, "; %s = ", qm_keys_dist[kind][1]);
    put_real(f, q->b);
    fputs("; }", f);
}

static void put_value(FILE *f, const qm_param_def *d, const void *base)
{
    const void *v = (const char *)base + d->offset;
    switch (d->type) {
    case QM_T_DOUBLE: put_real(f, *(const double *)v); break;
    case QM_T_INT: fprintf(f, "%d", *(const int *)v); break;
    case QM_T_BOOL: fputs(*(const int *)v ? "true" : "false", f); break;
    case QM_T_ENUM: put_enum(f, d->names, *(const int *)v); break;
    case QM_T_STRING: put_string(f, v); break;
    case QM_T_DIST: put_dist(f, v); break;
    }
}

/* Writes the structural keys of the group at base (names, services). */
typedef void (*put_fn)(FILE *f, const void *base, const qm_scenario *s);

/* Writes the fields of table (scalars first, then distributions, with the
 * structural part between), skipping the names in skip. */
static void put_fields(FILE *f, const qm_param_def *table, const void *base, const char *ind,
                       const char *const *skip, put_fn structural, const qm_scenario *s)
{
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && structural)
            structural(f, base, s);
        for (const qm_param_def *d = table; d->path; d++) {
            if ((d->type == QM_T_DIST) != pass || (skip && qm_params_enum_index(skip, d->path) >= 0))
                continue;
            fprintf(f, "%s%s = ", ind, d->path);
            put_value(f, d, base);
            fputs(";\n", f);
        }
    }
}

static void put_names(FILE *f, int n, char (*names)[QM_NAME_MAX])
{
    if (n <= 0 || !names)
        return;
    fputs("    names = [", f);
    for (int i = 0; i < n; i++) {
        fputs(i ? (i % 6 ? ", " : ",\n      ") : " ", f);
        put_string(f, names[i]);
    }
    fputs(" ];\n", f);
}

static void cgroup_structural(FILE *f, const void *base, const qm_scenario *s)
{
    const qm_commissioner_group *g = base;
    (void)s;
    put_names(f, g->n_names, g->names);
}

static void pgroup_structural(FILE *f, const void *base, const qm_scenario *s)
{
    const qm_provider_group *g = base;
    put_names(f, g->n_names, g->names);
    if (g->n_services <= 0 || !g->services)
        return;
    fputs("    services = [", f);
    for (int i = 0; i < g->n_services; i++) {
        int k = g->services[i];
        fputs(i ? ", " : " ", f);
        put_string(f, k >= 0 && k < s->n_services ? s->services[k].name : "?");
    }
    fputs(" ];\n", f);
}

static void agroup_structural(FILE *f, const void *base, const qm_scenario *s)
{
    const qm_agency_group *g = base;
    (void)s;
    put_names(f, g->n_names, g->names);
}

/* Writes the list key of n groups of size bytes at base (none when base
 * is NULL), each read with table. */
static void put_list(FILE *f, const char *key, const qm_param_def *table, const void *base,
                     size_t size, int n, put_fn structural, const qm_scenario *s)
{
    fprintf(f, "\n%s = (\n", key);
    for (int i = 0; base && i < n; i++) {
        fputs("  {\n", f);
        put_fields(f, table, (const char *)base + (size_t)i * size, "    ", NULL, structural, s);
        fputs(i + 1 < n ? "  },\n" : "  }\n", f);
    }
    fputs(");\n", f);
}

/* A policy event's value in the type of the parameter it sets (a real when
 * the key names none, as in a scenario built in code). */
static void put_policy_value(FILE *f, const qm_timeline_event *ev)
{
    const qm_param_def *d = qm_tl_is_policy_path(ev->key) ? qm_params_find(qm_param_table, ev->key)
                                                    : NULL;
    double v = ev->value;
    int fits = v >= INT_MIN && v <= INT_MAX;
    if (d && d->type == QM_T_INT && fits)
        fprintf(f, "%d", (int)v);
    else if (d && d->type == QM_T_BOOL)
        fputs(v != 0 ? "true" : "false", f);
    else if (d && d->type == QM_T_ENUM && fits)
        put_enum(f, d->names, (int)v);
    else
        put_real(f, v);
}

/* One timeline event on one line, with only the keys its type takes. */
static void put_event(FILE *f, const qm_timeline_event *ev, const qm_scenario *s)
{
    fputs("  {", f);
    for (const qm_param_def *d = qm_timeline_fields; d->path; d++) {
        int is_svc = strcmp(d->path, "service") == 0;
        if (!qm_tl_takes(d, ev->type) || (is_svc && (ev->service < 0 || ev->service >= s->n_services ||
                                                     !s->services)))
            continue;
        fprintf(f, " %s = ", d->path);
        if (is_svc)
            put_string(f, s->services[ev->service].name);
        else if (strcmp(d->path, "value") == 0)
            put_policy_value(f, ev);
        else
            put_value(f, d, ev);
        fputc(';', f);
    }
    fputs(" }", f);
}

/* Writes s as libconfig text with every key; the caller frees the result.
 * NULL when out of memory or s is NULL. */
char *qm_scenario_resolved_text(const qm_scenario *s)
{
    char *buf = NULL;
    size_t len = 0;
    if (!s)
        return NULL;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fprintf(f, "# Resolved scenario: every key, with defaults filled in.\n");
    if (s->source_name)
        fprintf(f, "# Read from %s.\n", qm_diag_clip(s->source_name).s);
    for (const qm_param_def *d = qm_keys_top; d->path; d++) {
        fprintf(f, "%s = ", d->path);
        if (d->offset == offsetof(qm_scenario, seed))
            fprintf(f, "%llu%s", (unsigned long long)s->seed, s->seed > INT_MAX ? "L" : "");
        else
            put_value(f, d, s);
        fputs(";\n", f);
    }
    for (const qm_param_def *d = qm_param_table; d->path; d++) {
        size_t gl = qm_keys_group_len(d->path);
        if (qm_keys_opens_group(d))
            fprintf(f, "%s%.*s = {\n", d == qm_param_table ? "\n" : "};\n\n", (int)gl, d->path);
        fprintf(f, "  %s = ", d->path + gl + 1);
        put_value(f, d, &s->p);
        fputs(";\n", f);
    }
    fputs("};\n", f);
    put_list(f, "services", qm_service_fields, s->services, sizeof *s->services, s->n_services,
             NULL, s);
    put_list(f, "commissioners", qm_cgroup_fields, s->cgroups, sizeof *s->cgroups, s->n_cgroups,
             cgroup_structural, s);
    put_list(f, "providers", qm_pgroup_fields, s->pgroups, sizeof *s->pgroups, s->n_pgroups,
             pgroup_structural, s);
    fputs("\nentrant = {\n", f);
    put_fields(f, qm_pgroup_fields, &s->entrant, "  ", qm_keys_entrant_fixed, NULL, s);
    fputs("};\n", f);
    put_list(f, "agencies", qm_agroup_fields, s->agroups, sizeof *s->agroups, s->n_agroups,
             agroup_structural, s);
    fputs("\ntimeline = (\n", f);
    for (int i = 0; s->timeline && i < s->n_timeline; i++) {
        put_event(f, &s->timeline[i], s);
        fputs(i + 1 < s->n_timeline ? ",\n" : "\n", f);
    }
    fputs(");\n", f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}
