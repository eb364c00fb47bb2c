/* scenario_value.c: reading single values of a scenario (numbers in a
 * range, integers, strings, names from a list); each reader reports what
 * is wrong at the setting it read. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/scenario_read.h"

/* Each reader returns 0, or -1 after reporting. */

int qm_value_real(rd *r, const config_setting_t *set, const char *label, double *out)
{
    switch (config_setting_type(set)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        if (qm_lex_bad_line(r, set))
            return -1;              /* the wrapped literal is reported */
        *out = (double)config_setting_get_int64(set);
        return 0;
    case CONFIG_TYPE_FLOAT:
        *out = config_setting_get_float(set);
        if (!isfinite(*out)) {
            qm_diag_at(r, set, "%s = %s is not a finite number", label, qm_diag_num(*out).s);
            return -1;
        }
        return 0;
    default:
        qm_diag_at(r, set, "%s: expected a number, got %s", label, qm_diag_type(set));
        return -1;
    }
}

int qm_value_real_in(rd *r, const config_setting_t *set, const char *label,
                     double lo, double hi, double *out)
{
    double x;
    if (qm_value_real(r, set, label, &x))
        return -1;
    if (x < lo || x > hi) {
        qm_diag_at(r, set, "%s = %s is out of range [%s, %s]", label, qm_diag_num(x).s, qm_diag_num(lo).s, qm_diag_num(hi).s);
        return -1;
    }
    *out = x;
    return 0;
}

int qm_value_int_in(rd *r, const config_setting_t *set, const char *label,
                    long long lo, long long hi, long long *out)
{
    int t = config_setting_type(set);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) {
        qm_diag_at(r, set, "%s: expected an integer, got %s", label, qm_diag_type(set));
        return -1;
    }
    if (qm_lex_bad_line(r, set))
        return -1;
    long long v = config_setting_get_int64(set);
    if (v < lo || v > hi) {
        qm_diag_at(r, set, "%s = %lld is out of range [%lld, %lld]", label, v, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int qm_value_string(rd *r, const config_setting_t *set, const char *label, const char **out)
{
    if (config_setting_type(set) != CONFIG_TYPE_STRING) {
        qm_diag_at(r, set, "%s: expected a string, got %s", label, qm_diag_type(set));
        return -1;
    }
    *out = config_setting_get_string(set);
    if (!*out)
        *out = "";
    return 0;
}

/* Copies a string of minlen..maxlen bytes into dst (maxlen + 1 bytes). */
int qm_value_text(rd *r, const config_setting_t *set, const char *label,
                  size_t minlen, size_t maxlen, char *dst)
{
    const char *v;
    if (qm_value_string(r, set, label, &v))
        return -1;
    size_t n = strlen(v);
    if (n < minlen) {
        if (minlen == 1)
            qm_diag_at(r, set, "%s must not be empty", label);
        else
            qm_diag_at(r, set, "%s is too short (%zu characters, at least %zu)", label, n, minlen);
        return -1;
    }
    if (n > maxlen) {
        qm_diag_at(r, set, "%s is too long (%zu characters, at most %zu)", label, n, maxlen);
        return -1;
    }
    memcpy(dst, v, n + 1);
    return 0;
}

int qm_value_enum(rd *r, const config_setting_t *set, const char *label,
                  const char *const *names, int *out)
{
    char all[QM_ERR_LEN / 2] = "";
    const char *v;
    qm_diag_join_names(all, sizeof all, names);
    if (config_setting_type(set) != CONFIG_TYPE_STRING) {
        qm_diag_at(r, set, "%s: expected a string (one of %s), got %s", label, all, qm_diag_type(set));
        return -1;
    }
    qm_value_string(r, set, label, &v);
    int i = qm_params_enum_index(names, v);
    if (i >= 0) {
        *out = i;
        return 0;
    }
    const char *best = qm_suggest_nearest(v, names, -1);
    if (best)
        qm_diag_at(r, set, "%s = '%s' is not one of %s (did you mean '%s'?)", label, qm_diag_clip(v).s, all, best);
    else
        qm_diag_at(r, set, "%s = '%s' is not one of %s", label, qm_diag_clip(v).s, all);
    return -1;
}
