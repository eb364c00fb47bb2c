/* json.c: the one JSON writer (qmsim/json.h): strings and numbers written
 * one way whether they go to a stream (the commands) or a growing buffer
 * (the explorer's replies). */
#include "qmsim/json.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The escape of byte c inside a JSON string into e (NUL-terminated);
 * returns its length, 0 when c stands for itself. */
static size_t escape(unsigned char c, char e[8])
{
    if (c == '"' || c == '\\')
        return (size_t)snprintf(e, 8, "\\%c", c);
    if (c < 0x20)
        return (size_t)snprintf(e, 8, "\\u%04x", c);
    return 0;
}

/* x as JSON into t: %.17g (reads back as the same double), null when not
 * finite.  Returns t. */
static const char *number(double x, char t[32])
{
    if (!isfinite(x))
        return "null";
    snprintf(t, 32, "%.17g", x);
    return t;
}

void qm_json_str(FILE *f, const char *s)
{
    char e[8];
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (escape(*p, e))
            fputs(e, f);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

void qm_json_num(FILE *f, double x)
{
    char t[32];
    fputs(number(x, t), f);
}

void qm_json_setting(FILE *f, double x)
{
    char buf[40];
    if (!isfinite(x)) {
        fputs("null", f);
        return;
    }
    snprintf(buf, sizeof buf, "%g", x);
    if (strtod(buf, NULL) != x)
        snprintf(buf, sizeof buf, "%.17g", x);
    fputs(buf, f);
}

/* ---- A growing buffer ---- */

void qm_jbuf_init(qm_jbuf *b)
{
    memset(b, 0, sizeof *b);
}

void qm_jbuf_free(qm_jbuf *b)
{
    free(b->s);
    qm_jbuf_init(b);
}

/* Room for extra more bytes and a NUL; 0, or -1 (b marked failed). */
static int reserve(qm_jbuf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (b->n + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + extra + 1) {
        if (cap > SIZE_MAX / 2) {
            b->failed = 1;
            return -1;
        }
        cap *= 2;
    }
    char *s = realloc(b->s, cap);
    if (!s) {
        b->failed = 1;
        return -1;
    }
    b->s = s;
    b->cap = cap;
    return 0;
}

void qm_jbuf_rawn(qm_jbuf *b, const char *s, size_t n)
{
    if (!s || reserve(b, n) != 0)
        return;
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

void qm_jbuf_raw(qm_jbuf *b, const char *s)
{
    if (s)
        qm_jbuf_rawn(b, s, strlen(s));
}

void qm_jbuf_printf(qm_jbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0 || reserve(b, (size_t)k) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

void qm_jbuf_str(qm_jbuf *b, const char *s)
{
    char e[8];
    qm_jbuf_rawn(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        size_t k = escape(*p, e);
        qm_jbuf_rawn(b, k ? e : (const char *)p, k ? k : 1);
    }
    qm_jbuf_rawn(b, "\"", 1);
}

void qm_jbuf_num(qm_jbuf *b, double x)
{
    char t[32];
    qm_jbuf_raw(b, number(x, t));
}

void qm_jbuf_sep(qm_jbuf *b)
{
    if (b->n > 0 && b->s[b->n - 1] != '{' && b->s[b->n - 1] != '[')
        qm_jbuf_rawn(b, ",", 1);
}

void qm_jbuf_key(qm_jbuf *b, const char *key)
{
    qm_jbuf_sep(b);
    qm_jbuf_str(b, key);
    qm_jbuf_rawn(b, ":", 1);
}

char *qm_jbuf_take(qm_jbuf *b, size_t *len)
{
    if (b->failed || !b->s) {
        qm_jbuf_free(b);
        return NULL;
    }
    char *s = b->s;
    if (len)
        *len = b->n;
    qm_jbuf_init(b);
    return s;
}

