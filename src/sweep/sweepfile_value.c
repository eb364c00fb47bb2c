/* sweepfile_value.c: typed keys of a sweep file (integers in a range,
 * strings) and the report of unknown keys with the nearest valid one. */
#include "qmsim/sweep.h"

#include <string.h>

#include "io/suggest.h"
#include "sweep/sweepfile_read.h"

int qm_swf_line(const config_setting_t *s)
{
    return s ? (int)config_setting_source_line(s) : 0;
}

/* Reports unknown keys of a group against a NULL-terminated list. */
void qm_swf_check_keys(rd *r, const config_setting_t *g, const char *const *keys, const char *ctx)
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
                          qm_swf_line(m), ctx, k, ctx, s);
        else
            qm_errors_add(r->err, "%s:%d: unknown key '%s%s'", r->file, qm_swf_line(m), ctx, k);
    }
}

int qm_swf_is_number(const config_setting_t *s)
{
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

const char *qm_swf_type_word(const config_setting_t *s)
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
int qm_swf_get_int(rd *r, const config_setting_t *g, const char *key, const char *ctx,
                   long long lo, long long hi, long long *out)
{
    config_setting_t *s = config_setting_get_member(g, key);
    if (!s)
        return 0;
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) {
        qm_errors_add(r->err, "%s:%d: %s%s must be an integer, not %s", r->file, qm_swf_line(s), ctx,
                      key, qm_swf_type_word(s));
        return 1;
    }
    long long v = config_setting_get_int64(s);
    if (v < lo || v > hi) {
        qm_errors_add(r->err, "%s:%d: %s%s = %lld is out of range [%lld, %lld]", r->file,
                      qm_swf_line(s), ctx, key, v, lo, hi);
        return 1;
    }
    *out = v;
    return 1;
}

/* A string key; NULL when absent (reported when required). */
const char *qm_swf_get_str(rd *r, const config_setting_t *g, const char *key, const char *ctx,
                           int required)
{
    config_setting_t *s = config_setting_get_member(g, key);
    if (!s) {
        if (required)
            qm_errors_add(r->err, "%s:%d: %s%s is missing", r->file, qm_swf_line(g), ctx, key);
        return NULL;
    }
    if (config_setting_type(s) != CONFIG_TYPE_STRING) {
        qm_errors_add(r->err, "%s:%d: %s%s must be a string, not %s", r->file, qm_swf_line(s), ctx,
                      key, qm_swf_type_word(s));
        return NULL;
    }
    return config_setting_get_string(s);
}
