/* json_read.c: the strict, bounded JSON reader (qmsim/json.h), for requests
 * that come from outside: RFC 8259 only, with limits on depth and size. */
#include "qmsim/json.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    const char *s;
    size_t n, i;
    char *err;
    size_t errlen;
    int failed;
} reader;

static void fail(reader *r, const char *what)
{
    if (r->failed)
        return;
    r->failed = 1;
    snprintf(r->err, r->errlen, "the request is not valid JSON: %s at byte %zu", what, r->i);
}

static void skip_ws(reader *r)
{
    while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t' || r->s[r->i] == '\n'
                           || r->s[r->i] == '\r'))
        r->i++;
}

static qm_jval *node(reader *r, qm_jtype t)
{
    qm_jval *v = calloc(1, sizeof *v);
    if (!v)
        fail(r, "out of memory");
    else
        v->type = t;
    return v;
}

static int hex4(reader *r, unsigned *out)
{
    unsigned v = 0;
    if (r->n - r->i < 4) {
        fail(r, "a \\u escape needs four hex digits");
        return -1;
    }
    for (int k = 0; k < 4; k++) {
        char c = r->s[r->i++];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else {
            fail(r, "a \\u escape needs four hex digits");
            return -1;
        }
    }
    *out = v;
    return 0;
}

/* Appends code point u as UTF-8 to out (room for 4 bytes). */
static size_t utf8(unsigned u, char *out)
{
    if (u < 0x80) {
        out[0] = (char)u;
        return 1;
    }
    if (u < 0x800) {
        out[0] = (char)(0xc0 | (u >> 6));
        out[1] = (char)(0x80 | (u & 0x3f));
        return 2;
    }
    if (u < 0x10000) {
        out[0] = (char)(0xe0 | (u >> 12));
        out[1] = (char)(0x80 | ((u >> 6) & 0x3f));
        out[2] = (char)(0x80 | (u & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (u >> 18));
    out[1] = (char)(0x80 | ((u >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((u >> 6) & 0x3f));
    out[3] = (char)(0x80 | (u & 0x3f));
    return 4;
}

/* The escape after a backslash, as UTF-8 into out; its length or 0. */
static size_t escape(reader *r, char *out)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    if (r->i >= r->n) {
        fail(r, "the text ends inside a string");
        return 0;
    }
    char c = r->s[r->i++];
    const char *k = strchr(from, c);
    if (c && k) {
        out[0] = to[k - from];
        return 1;
    }
    if (c != 'u') {
        fail(r, "an unknown escape in a string");
        return 0;
    }
    unsigned u, lo;
    if (hex4(r, &u) != 0)
        return 0;
    if (u >= 0xd800 && u < 0xdc00) {
        if (r->n - r->i < 6 || r->s[r->i] != '\\' || r->s[r->i + 1] != 'u') {
            fail(r, "a lone surrogate in a string");
            return 0;
        }
        r->i += 2;
        if (hex4(r, &lo) != 0)
            return 0;
        if (lo < 0xdc00 || lo >= 0xe000) {
            fail(r, "a lone surrogate in a string");
            return 0;
        }
        u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
    } else if (u >= 0xdc00 && u < 0xe000) {
        fail(r, "a lone surrogate in a string");
        return 0;
    }
    if (u == 0) {
        fail(r, "a NUL character in a string");
        return 0;
    }
    return utf8(u, out);
}

/* A string starting at the opening quote, decoded into a malloc'd buffer
 * (never longer than its source); NULL on failure. */
static char *string(reader *r, size_t *len)
{
    size_t start = ++r->i, o = 0;
    size_t end = start;
    while (end < r->n && r->s[end] != '"')
        end += r->s[end] == '\\' ? 2 : 1;
    char *out = malloc(end - start + 1);
    if (!out) {
        fail(r, "out of memory");
        return NULL;
    }
    while (r->i < r->n) {
        unsigned char c = (unsigned char)r->s[r->i];
        if (c == '"') {
            r->i++;
            out[o] = '\0';
            *len = o;
            return out;
        }
        if (c < 0x20) {
            fail(r, "a control character in a string");
            break;
        }
        r->i++;
        if (c != '\\') {
            out[o++] = (char)c;
            continue;
        }
        size_t k = escape(r, out + o);
        if (!k)
            break;
        o += k;
    }
    if (r->i >= r->n)
        fail(r, "the text ends inside a string");
    free(out);
    return NULL;
}

/* A number as RFC 8259 writes it; its source text is kept in str. */
static qm_jval *number(reader *r)
{
    size_t start = r->i;
    const char *s = r->s;
#define DIGITS(min_one) do { size_t d0 = r->i; \
        while (r->i < r->n && s[r->i] >= '0' && s[r->i] <= '9') r->i++; \
        if ((min_one) && r->i == d0) { fail(r, "a malformed number"); return NULL; } } while (0)
    if (r->i < r->n && s[r->i] == '-')
        r->i++;
    if (r->i < r->n && s[r->i] == '0')
        r->i++;
    else
        DIGITS(1);
    if (r->i < r->n && s[r->i] == '.') {
        r->i++;
        DIGITS(1);
    }
    if (r->i < r->n && (s[r->i] == 'e' || s[r->i] == 'E')) {
        r->i++;
        if (r->i < r->n && (s[r->i] == '+' || s[r->i] == '-'))
            r->i++;
        DIGITS(1);
    }
#undef DIGITS
    qm_jval *v = node(r, QM_J_NUM);
    if (!v)
        return NULL;
    v->len = r->i - start;
    v->str = malloc(v->len + 1);
    if (!v->str) {
        free(v);
        fail(r, "out of memory");
        return NULL;
    }
    memcpy(v->str, s + start, v->len);
    v->str[v->len] = '\0';
    v->num = strtod(v->str, NULL);
    return v;
}

static qm_jval *value(reader *r, int depth);

/* Appends item (and key, for objects) to v; -1 when out of memory. */
static int append(reader *r, qm_jval *v, char *key, qm_jval *item)
{
    if (v->n >= QM_JSON_MEMBERS) {
        fail(r, "more than 1024 members in one object or list");
        return -1;
    }
    if ((v->n & (v->n - 1)) == 0) {   /* grow at powers of two */
        size_t cap = v->n ? 2 * (size_t)v->n : 1;
        qm_jval **items = realloc(v->items, cap * sizeof *items);
        if (items)
            v->items = items;
        char **keys = key && items ? realloc(v->keys, cap * sizeof *keys) : NULL;
        if (keys)
            v->keys = keys;
        if (!items || (key && !keys)) {
            fail(r, "out of memory");
            return -1;
        }
    }
    if (key)
        v->keys[v->n] = key;
    v->items[v->n++] = item;
    return 0;
}

static qm_jval *container(reader *r, int depth, int obj)
{
    char close = obj ? '}' : ']';
    qm_jval *v = node(r, obj ? QM_J_OBJ : QM_J_ARR);
    if (!v)
        return NULL;
    if (depth >= QM_JSON_DEPTH) {
        fail(r, "nesting deeper than 16 levels");
        return v;
    }
    r->i++;
    skip_ws(r);
    if (r->i < r->n && r->s[r->i] == close) {
        r->i++;
        return v;
    }
    while (!r->failed) {
        char *key = NULL;
        size_t klen;
        skip_ws(r);
        if (r->i >= r->n) {
            fail(r, "the text ends inside an object or list");
            break;
        }
        if (obj) {
            if (r->i >= r->n || r->s[r->i] != '"') {
                fail(r, "expected a key in quotes");
                break;
            }
            if (!(key = string(r, &klen)))
                break;
            if (qm_json_get(v, key)) {
                fail(r, "a key given twice");
                free(key);
                break;
            }
            skip_ws(r);
            if (r->i >= r->n || r->s[r->i] != ':') {
                fail(r, "expected ':' after a key");
                free(key);
                break;
            }
            r->i++;
        }
        qm_jval *item = value(r, depth + 1);
        if (!item || append(r, v, key, item) != 0) {
            free(key);
            qm_json_free(item);
            break;
        }
        skip_ws(r);
        if (r->i < r->n && r->s[r->i] == ',') {
            r->i++;
            continue;
        }
        if (r->i < r->n && r->s[r->i] == close) {
            r->i++;
            break;
        }
        fail(r, obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
    return v;
}

static qm_jval *literal(reader *r, const char *word, qm_jtype t, int b)
{
    size_t k = strlen(word);
    if (r->n - r->i < k || memcmp(r->s + r->i, word, k) != 0) {
        fail(r, "an unexpected character");
        return NULL;
    }
    r->i += k;
    qm_jval *v = node(r, t);
    if (v)
        v->b = b;
    return v;
}

static qm_jval *value(reader *r, int depth)
{
    skip_ws(r);
    if (r->i >= r->n) {
        fail(r, "the text ends where a value was expected");
        return NULL;
    }
    char c = r->s[r->i];
    if (c == '{' || c == '[')
        return container(r, depth, c == '{');
    if (c == '"') {
        qm_jval *v = node(r, QM_J_STR);
        if (v && !(v->str = string(r, &v->len))) {
            free(v);
            v = NULL;
        }
        return v;
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return number(r);
    if (c == 't')
        return literal(r, "true", QM_J_BOOL, 1);
    if (c == 'f')
        return literal(r, "false", QM_J_BOOL, 0);
    if (c == 'n')
        return literal(r, "null", QM_J_NULL, 0);
    fail(r, "an unexpected character");
    return NULL;
}

qm_jval *qm_json_parse(const char *text, size_t len, char *err, size_t errlen)
{
    char dummy[8];
    reader r = {text ? text : "", text ? len : 0, 0, err ? err : dummy,
                err ? errlen : sizeof dummy, 0};
    if (r.errlen)
        r.err[0] = '\0';
    if (r.n == 0) {
        snprintf(r.err, r.errlen, "the request is empty (a JSON object was expected)");
        return NULL;
    }
    qm_jval *v = value(&r, 0);
    skip_ws(&r);
    if (!r.failed && r.i < r.n)
        fail(&r, "text after the end of the value");
    if (r.failed) {
        qm_json_free(v);
        return NULL;
    }
    return v;
}

const qm_jval *qm_json_get(const qm_jval *v, const char *key)
{
    if (!v || v->type != QM_J_OBJ)
        return NULL;
    for (int i = 0; i < v->n; i++)
        if (!strcmp(v->keys[i], key))
            return v->items[i];
    return NULL;
}

const char *qm_json_type_name(const qm_jval *v)
{
    static const char *const names[] = {"null", "true or false", "a number", "a string",
                                        "a list", "an object"};
    return v ? names[v->type] : "nothing";
}

void qm_json_free(qm_jval *v)
{
    if (!v)
        return;
    for (int i = 0; i < v->n; i++) {
        qm_json_free(v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    free(v);
}
