/* scenario_override.c: --set path=value: an override changes the parsed
 * configuration before it is read, so that it is checked like a key in the
 * file; its problems read "--set: ...". */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/scenario_read.h"

static int eq_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* Whether all of v is a decimal integer; *range is set when it overflows. */
int qm_override_is_int(const char *v, long long *out, int *range)
{
    char *end;
    errno = 0;
    *out = strtoll(v, &end, 10);
    *range = errno == ERANGE;
    return *v && !*end;
}

static int is_real(const char *v, double *out)
{
    char *end;
    *out = strtod(v, &end);
    return *v && !*end;
}

/* Sets key under parent to the text val, replacing any setting there.  The
 * setting's type comes from the value (a number, true/false, or a string,
 * quoted or bare); string and enum fields always take a string.  The new
 * setting is marked so that problems with it read "--set: ...". */
static void set_value(rd *r, config_setting_t *parent, const char *key, const qm_param_def *d,
                      const char *val, const char *path)
{
    size_t n = strlen(val);
    int type, range = 0;
    long long iv = 0;
    double dv = 0;
    char *str = NULL;
    if (n >= 2 && val[0] == '"' && val[n - 1] == '"') {
        /* A quoted string: \" and \\ stand for themselves. */
        str = malloc(n);
        if (str) {
            size_t k = 0;
            for (size_t i = 1; i + 1 < n; i++) {
                if (val[i] == '\\' && i + 2 < n)
                    i++;
                str[k++] = val[i];
            }
            str[k] = '\0';
        }
        type = CONFIG_TYPE_STRING;
    } else if (d->type == QM_T_STRING || d->type == QM_T_ENUM) {
        str = strdup(val);
        type = CONFIG_TYPE_STRING;
    } else if (eq_nocase(val, "true") || eq_nocase(val, "false")) {
        iv = eq_nocase(val, "true");
        type = CONFIG_TYPE_BOOL;
    } else if (qm_override_is_int(val, &iv, &range)) {
        if (range) {
            qm_errors_add(r->err, "--set: %s = %s does not fit in a 64-bit integer", path, val);
            return;
        }
        type = iv >= INT_MIN && iv <= INT_MAX ? CONFIG_TYPE_INT : CONFIG_TYPE_INT64;
    } else if (is_real(val, &dv)) {
        type = CONFIG_TYPE_FLOAT;       /* nan and inf are caught by the reader */
    } else {
        str = strdup(val);
        type = CONFIG_TYPE_STRING;
    }
    if (type == CONFIG_TYPE_STRING && !str) {
        qm_diag_oom(r);
        return;
    }
    if (config_setting_get_member(parent, key))
        config_setting_remove(parent, key);
    config_setting_t *s = config_setting_add(parent, key, type);
    if (!s) {
        qm_errors_add(r->err, "--set: cannot set %s", path);
        free(str);
        return;
    }
    switch (type) {
    case CONFIG_TYPE_STRING: config_setting_set_string(s, str); break;
    case CONFIG_TYPE_BOOL: config_setting_set_bool(s, (int)iv); break;
    case CONFIG_TYPE_INT: config_setting_set_int(s, (int)iv); break;
    case CONFIG_TYPE_INT64: config_setting_set_int64(s, iv); break;
    default: config_setting_set_float(s, dv); break;
    }
    config_setting_set_hook(s, r);
    free(str);
}

/* The group key under parent, made (and marked) when the file has none. */
static config_setting_t *child_group(rd *r, config_setting_t *parent, const char *key,
                                     const char *path)
{
    config_setting_t *g = config_setting_get_member(parent, key);
    if (g && config_setting_is_group(g))
        return g;
    if (g) {
        qm_errors_add(r->err, "--set: cannot set %s: %s in the scenario is %s, not a group",
                      path, key, qm_diag_type(g));
        return NULL;
    }
    g = config_setting_add(parent, key, CONFIG_TYPE_GROUP);
    if (!g)
        qm_errors_add(r->err, "--set: cannot set %s", path);
    else
        config_setting_set_hook(g, r);
    return g;
}

/* The index in the services list l of the service whose name is the nl
 * bytes at name, or -1 after reporting (for path) with the nearest name. */
static long service_index(rd *r, config_setting_t *l, const char *path, const char *name,
                          size_t nl)
{
    int n = config_setting_length(l);
    long idx = -1;
    qm_suggest g;
    char want[QM_NAME_MAX + 1];
    snprintf(want, sizeof want, "%.*s", (int)(nl < QM_NAME_MAX ? nl : QM_NAME_MAX), name);
    qm_suggest_init(&g, want, strlen(want));
    for (int i = 0; i < n && idx < 0; i++) {
        const char *s;
        config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
        if (config_setting_is_group(e) && config_setting_lookup_string(e, "name", &s)) {
            if (strlen(s) == nl && strncmp(s, name, nl) == 0)
                idx = i;
            else
                qm_suggest_try(&g, s, strlen(s));
        }
    }
    if (idx < 0) {
        if (g.best)
            qm_errors_add(r->err, "--set: %s: no service is named '%s' (did you mean '%s'?)",
                          path, qm_diag_clip(want).s, g.best);
        else
            qm_errors_add(r->err, "--set: %s: no service is named '%s'", path, qm_diag_clip(want).s);
    }
    return idx;
}

/* Reports field, not one of the entity's fields (ctx is the entity). */
static void unknown_entity_key(rd *r, const char *ctx, const char *field,
                               const qm_param_def *fields, const char *const *extra)
{
    /* The structural keys are not offered: they cannot be set here. */
    char valid[QM_ERR_LEN / 2] = "";
    qm_suggest g;
    qm_keys_valid(&g, valid, sizeof valid, field, fields, NULL, NULL);
    if (extra && qm_params_enum_index(extra, field) >= 0)
        qm_errors_add(r->err, "--set: %s.%s is a list and cannot be set with --set", ctx, field);
    else if (g.best)
        qm_errors_add(r->err, "--set: unknown key '%s.%s' (did you mean '%s.%s'?)", ctx,
                      field, ctx, g.best);
    else
        qm_errors_add(r->err, "--set: unknown key '%s.%s' (valid keys are: %s)", ctx, field,
                      valid);
}

/* An override of an entity field: list[i].field, or services.NAME.field. */
static void set_entity(rd *r, config_setting_t *root, const char *path, const char *val,
                       const char *lname, const qm_param_def *fields, const char *const *extra)
{
    size_t ln = strlen(lname);
    const char *p = path + ln, *field;
    char ctx[KEY_MAX + 40];
    long idx = -1;
    config_setting_t *l = config_setting_get_member(root, lname);
    if (!l || !config_setting_is_list(l)) {
        qm_errors_add(r->err, "--set: cannot set %s: the scenario has no %s list", path, lname);
        return;
    }
    int n = config_setting_length(l);
    if (*p == '[') {
        char *end;
        idx = isdigit((unsigned char)p[1]) ? strtol(p + 1, &end, 10) : -1;
        if (idx < 0 || *end != ']' || end[1] != '.') {
            qm_errors_add(r->err, "--set: '%s' is not of the form %s[INDEX].KEY=VALUE", path, lname);
            return;
        }
        if (idx >= n) {
            qm_errors_add(r->err, "--set: %s[%ld] does not exist (%s has %d entr%s)", lname,
                          idx, lname, n, n == 1 ? "y" : "ies");
            return;
        }
        field = end + 2;
    } else {
        /* services.NAME.field: the name may itself contain dots. */
        field = strrchr(p + 1, '.');
        if (strcmp(lname, "services") != 0 || !field) {
            qm_errors_add(r->err, "--set: '%s' is not of the form %s[INDEX].KEY=VALUE", path, lname);
            return;
        }
        if ((idx = service_index(r, l, path, p + 1, (size_t)(field - p - 1))) < 0)
            return;
        field++;
    }
    config_setting_t *e = config_setting_get_elem(l, (unsigned)idx);
    snprintf(ctx, sizeof ctx, "%s[%ld]", lname, idx);
    if (!config_setting_is_group(e)) {
        qm_errors_add(r->err, "--set: cannot set %s: %s is %s, not a group", path, ctx,
                      qm_diag_type(e));
        return;
    }
    const qm_param_def *d = qm_params_find(fields, field);
    if (!d) {
        unknown_entity_key(r, ctx, field, fields, extra);
        return;
    }
    set_value(r, e, field, d, val, path);
}

/* Splits "path = value" (spaces around either part are dropped) into path
 * and vbuf.  Returns 0, or -1 after reporting a malformed or too long one. */
static int split_override(rd *r, const char *text, char *path, size_t pn, char *vbuf, size_t vn)
{
    const char *eq = text ? strchr(text, '=') : NULL;
    if (!eq || eq == text) {
        qm_errors_add(r->err, "--set: '%s' is not of the form path=value", text ? qm_diag_clip(text).s : "");
        return -1;
    }
    const char *a = text, *b = eq;
    while (a < b && isspace((unsigned char)*a))
        a++;
    while (b > a && isspace((unsigned char)b[-1]))
        b--;
    if ((size_t)(b - a) >= pn || a == b) {
        qm_errors_add(r->err, "--set: '%s' is not of the form path=value", qm_diag_clip(text).s);
        return -1;
    }
    snprintf(path, pn, "%.*s", (int)(b - a), a);
    const char *val = eq + 1;
    while (isspace((unsigned char)*val))
        val++;
    size_t vl = strlen(val);
    while (vl && isspace((unsigned char)val[vl - 1]))
        vl--;
    if (vl >= vn) {
        qm_errors_add(r->err, "--set: the value for %s is too long", path);
        return -1;
    }
    snprintf(vbuf, vn, "%.*s", (int)vl, val);
    return 0;
}

/* Reports path as no key of a scenario, with the nearest registry path. */
static void unknown_override(rd *r, const char *path)
{
    const qm_param_def *d;
    qm_suggest g;
    const char *leaf = strrchr(path, '.');
    qm_suggest_init(&g, path, strlen(leaf ? leaf + 1 : path));
    for (d = qm_param_table; d->path; d++)
        qm_suggest_try(&g, d->path, strlen(d->path));
    for (d = qm_keys_top; d->path; d++)
        qm_suggest_try(&g, d->path, strlen(d->path));
    if (g.best)
        qm_errors_add(r->err, "--set: unknown key '%s' (did you mean '%.*s'?)", path,
                      (int)g.bestl, g.best);
    else
        qm_errors_add(r->err, "--set: unknown key '%s' (see `qmsim params` for the keys)", path);
}

/* Applies one "path=value" override to the parsed file. */
void qm_override_apply(rd *r, config_setting_t *root, const char *text)
{
    static const struct {
        const char *name;
        const qm_param_def *fields;
        const char *const *extra;
    } lists[] = {{"services", qm_service_fields, NULL},
                 {"commissioners", qm_cgroup_fields, qm_keys_names_extra},
                 {"providers", qm_pgroup_fields, qm_keys_pgroup_extra},
                 {"agencies", qm_agroup_fields, qm_keys_names_extra}};
    char path[256], vbuf[1024];
    if (split_override(r, text, path, sizeof path, vbuf, sizeof vbuf))
        return;
    if (strncmp(path, "timeline", 8) == 0 && (!path[8] || path[8] == '[' || path[8] == '.')) {
        qm_errors_add(r->err, "--set: %s: timeline events cannot be set with --set; edit the "
                      "scenario's timeline list", path);
        return;
    }
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        size_t n = strlen(lists[i].name);
        if (strncmp(path, lists[i].name, n) == 0 && (path[n] == '[' || path[n] == '.')) {
            set_entity(r, root, path, vbuf, lists[i].name, lists[i].fields, lists[i].extra);
            return;
        }
    }
    const qm_param_def *d = qm_params_find(qm_param_table, path);
    if (d) {
        char group[KEY_MAX];
        snprintf(group, sizeof group, "%.*s", (int)qm_keys_group_len(path), path);
        config_setting_t *g = child_group(r, root, group, path);
        if (g)
            set_value(r, g, path + qm_keys_group_len(path) + 1, d, vbuf, path);
        return;
    }
    if ((d = qm_params_find(qm_keys_top, path))) {
        set_value(r, root, path, d, vbuf, path);
        return;
    }
    if (strncmp(path, "entrant.", 8) == 0 && qm_entities_entrant_fixed(path + 8)) {
        qm_errors_add(r->err, "--set: " ENTRANT_FIXED_MSG, path);
        return;
    }
    if (strncmp(path, "entrant.", 8) == 0 && (d = qm_params_find(qm_pgroup_fields, path + 8))) {
        config_setting_t *g = child_group(r, root, "entrant", path);
        if (g)
            set_value(r, g, path + 8, d, vbuf, path);
        return;
    }
    unknown_override(r, path);
}
