/* json.h: the one JSON writer and reader (src/io/json.c, json_read.c).
 * Every command that prints JSON (compare, summary, sensitivity) and the
 * explorer's replies write strings and numbers through it, so escapes and
 * numbers are printed one way everywhere: a number in round-trip form
 * (%.17g: read back, it is the same double), null for NaN and the
 * infinities, which JSON lacks; in a string '"' and '\\' are escaped with a
 * backslash and control characters as \u00XX.  The structure (the braces,
 * commas and line breaks of each layout) stays with its writer.
 *
 * The buffer builder grows one buffer; after the first failed allocation
 * it stops writing and qm_jbuf_take returns NULL, so callers check once at
 * the end.  The reader accepts RFC 8259 JSON only (no comments, no
 * trailing commas, no duplicate keys, no NUL in strings), at most
 * QM_JSON_DEPTH levels and QM_JSON_MEMBERS members in one object or list. */
#ifndef QMSIM_JSON_H
#define QMSIM_JSON_H

#include <stddef.h>
#include <stdio.h>

/* Writes s to f as a JSON string: '"' and '\\' escaped with a backslash,
 * control characters as above, other bytes (UTF-8 included) as they are;
 * NULL is written as "".  Reads s only; a write error shows in ferror(f). */
void qm_json_str(FILE *f, const char *s);

/* Writes x to f as a JSON number, %.17g, so that it reads back as the same
 * double; null when x is NaN or infinite.  A write error shows in
 * ferror(f). */
void qm_json_num(FILE *f, double x);

/* Writes a setting a person chose (an interval's coverage, say) as a JSON
 * number: %g when that reads back as the same double, as "0.95" does,
 * else %.17g; null when x is not finite.  Round-trip exact as qm_json_num,
 * in the short form the setting was most likely typed in.  A write error
 * shows in ferror(f). */
void qm_json_setting(FILE *f, double x);

/* ---- Building in memory ---- */

#define QM_JSON_DEPTH 16     /* deepest nesting the reader accepts */
#define QM_JSON_MEMBERS 1024 /* most members of one object or list */

/* A growing text buffer. */
typedef struct qm_jbuf {
    char *s;                 /* NUL-terminated text, NULL until the first write */
    size_t n;                /* bytes written */
    size_t cap;              /* bytes allocated */
    int failed;              /* an allocation failed: the text is incomplete */
} qm_jbuf;

/* Empties b (nothing allocated).  Cannot fail. */
void qm_jbuf_init(qm_jbuf *b);

/* Releases b's text and empties it.  Safe on an empty buffer. */
void qm_jbuf_free(qm_jbuf *b);

/* Appends n bytes of s verbatim. */
void qm_jbuf_rawn(qm_jbuf *b, const char *s, size_t n);

/* Appends the string s verbatim (NULL appends nothing). */
void qm_jbuf_raw(qm_jbuf *b, const char *s);

/* Appends printf-formatted text. */
void qm_jbuf_printf(qm_jbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends s as a JSON string, escaped as qm_json_str does. */
void qm_jbuf_str(qm_jbuf *b, const char *s);

/* Appends x as a JSON number that reads back to the same double (%.17g),
 * or null when x is NaN or infinite (JSON has neither). */
void qm_jbuf_num(qm_jbuf *b, double x);

/* Appends a comma unless the text so far ends an opening '{' or '[' (or
 * is empty): call before each member or element. */
void qm_jbuf_sep(qm_jbuf *b);

/* Appends a separator and "key": . */
void qm_jbuf_key(qm_jbuf *b, const char *key);

/* Hands the text to the caller (who frees it) and empties b; *len gets its
 * length when len is not NULL.  NULL when an allocation failed (b is then
 * freed) or nothing was written. */
char *qm_jbuf_take(qm_jbuf *b, size_t *len);

/* ---- Reading ---- */

typedef enum { QM_J_NULL = 0, QM_J_BOOL, QM_J_NUM, QM_J_STR, QM_J_ARR, QM_J_OBJ } qm_jtype;

/* A parsed JSON value; owned by the tree qm_json_parse returns. */
typedef struct qm_jval {
    qm_jtype type;
    int b;                   /* BOOL: 0 or 1 */
    double num;              /* NUM: its value */
    char *str;               /* STR: decoded UTF-8; NUM: the number as written */
    size_t len;              /* bytes of str */
    int n;                   /* ARR, OBJ: members */
    char **keys;             /* OBJ: member names (decoded) */
    struct qm_jval **items;  /* ARR, OBJ: members */
} qm_jval;

/* Parses len bytes of text.  Returns the tree (free with qm_json_free), or
 * NULL with a message naming the byte where reading stopped in err (size
 * errlen): malformed JSON, nesting deeper than QM_JSON_DEPTH, a duplicate
 * key, a NUL or a lone surrogate in a string, too many members, or memory
 * exhausted. */
qm_jval *qm_json_parse(const char *text, size_t len, char *err, size_t errlen);

/* Member key of object v, or NULL when v is not an object or has none. */
const qm_jval *qm_json_get(const qm_jval *v, const char *key);

/* Name of a value's type in words ("a number", "an object"...). */
const char *qm_json_type_name(const qm_jval *v);

/* Frees a parsed tree.  Safe on NULL. */
void qm_json_free(qm_jval *v);

#endif
