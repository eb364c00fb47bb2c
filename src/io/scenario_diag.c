/* scenario_diag.c: the scenario reader's messages: the error list, a
 * problem reported at a setting ("FILE:LINE: msg" or "--set: msg"), and the
 * text helpers messages are made with (numbers, user strings, lists). */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/scenario_read.h"

/* ---- Small text helpers. ---- */

numtext qm_diag_num(double x)
{
    numtext t;
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(t.s, sizeof t.s, "%.*g", prec, x);
        if (strtod(t.s, NULL) == x)
            break;
    }
    return t;
}

cliptext qm_diag_clip(const char *v)
{
    cliptext t;
    size_t i = 0;
    for (; v && v[i] && i < 48; i++)
        t.s[i] = ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) ? '?' : v[i];
    if (v && v[i])
        memcpy(t.s + i, "...", 4);
    else
        t.s[i] = '\0';
    return t;
}

const char *qm_diag_type(const config_setting_t *s)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: return "an integer";
    case CONFIG_TYPE_FLOAT: return "a real number";
    case CONFIG_TYPE_STRING: return "a string";
    case CONFIG_TYPE_BOOL: return "a boolean";
    case CONFIG_TYPE_GROUP: return "a group";
    case CONFIG_TYPE_ARRAY: return "an array";
    case CONFIG_TYPE_LIST: return "a list";
    default: return "nothing";
    }
}

/* Appends word (wl bytes) to a ", "-separated list in buf. */
void qm_diag_join(char *buf, size_t n, const char *word, size_t wl)
{
    size_t l = strlen(buf);
    if (l + 1 < n)
        snprintf(buf + l, n - l, "%s%.*s", l ? ", " : "", (int)wl, word);
}

void qm_diag_join_names(char *buf, size_t n, const char *const *names)
{
    for (int i = 0; names && names[i]; i++)
        qm_diag_join(buf, n, names[i], strlen(names[i]));
}

/* Length of the group part of a registry path ("trust" of "trust.penalty"). */
/* ---- Errors. ---- */

/* Records a problem; extra problems past QM_ERR_MAX are counted only. */
void qm_errors_add(qm_errors *e, const char *fmt, ...)
{
    if (!e)
        return;
    if (e->n >= 0 && e->n < QM_ERR_MAX) {
        if (fmt) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(e->msg[e->n], QM_ERR_LEN, fmt, ap);
            va_end(ap);
        } else {
            snprintf(e->msg[e->n], QM_ERR_LEN, "(no message)");
        }
    }
    if (e->n < INT_MAX)
        e->n++;
}

/* Records a problem found at a setting: "FILE:LINE: msg".  A setting made
 * by an override is marked with a hook and reported as "--set: msg"; a
 * setting without a line (a list element or the root) takes its nearest
 * ancestor's. */
__attribute__((format(printf, 3, 4)))
void qm_diag_at(rd *r, const config_setting_t *set, const char *fmt, ...)
{
    char msg[QM_ERR_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (const config_setting_t *x = set; x; x = config_setting_parent(x)) {
        if (config_setting_get_hook(x)) {
            qm_errors_add(r->err, "--set: %s", msg);
            return;
        }
        if (config_setting_source_line(x) > 0) {
            const char *file = config_setting_source_file(x);
            qm_errors_add(r->err, "%s:%u: %s", file ? file : r->file,
                          config_setting_source_line(x), msg);
            return;
        }
    }
    qm_errors_add(r->err, "%s: %s", r->file, msg);
}

void qm_diag_oom(rd *r)
{
    qm_errors_add(r->err, "%s: out of memory", r->file);
}
