/* scenario.c: reads, validates and writes scenario files (libconfig).
 *
 * Everything is driven by the registry in params.c: a key is read, checked,
 * written back and documented from its qm_param_def, so adding a parameter
 * there is all it takes to make it settable, resolvable and documented.
 * Only the structural keys (the entity lists, names, a provider group's
 * services, distribution groups, the seed, and the timeline's per-type
 * rules and policy values) have code of their own.
 *
 * A load never stops at the first problem: every problem is recorded as
 * "FILE:LINE: message" and the scenario is thrown away at the end. */
#include "qmsim/scenario.h"
#include "qmsim/file.h"
#include "qmsim/rng.h"
#include "io/suggest.h"

#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COMMISSIONERS 100000     /* all commissioner groups together */
#define MAX_PROVIDERS 1000000        /* providers plus market.max_entrants */
#define MAX_SERVICES 1000
#define MAX_AGENCIES 100000          /* all agency groups together */
#define MAX_EVENTS 10000             /* timeline events */
#define MAX_PAIRS 10000000LL         /* commissioners x services */
#define MAX_FILE (64L << 20)         /* bytes; a scenario is hand-written */
#define MAX_BAD_LINES 64
#define KEY_MAX QM_SUGGEST_MAX       /* longest key compared for suggestions */

/* ---- Top-level scalar keys: a local table in the registry's format. ---- */

#define T(field) offsetof(qm_scenario, field)
static const qm_param_def top_fields[] = {
    {"name", QM_T_STRING, T(name), 0, 1, QM_NAME_MAX - 1, "-", "Scenario name (required); written to every output.", NULL, 0},
    {"description", QM_T_STRING, T(description), 0, 0, 511, "-", "Free text describing the scenario.", NULL, 0},
    /* The seed is a uint64_t, read with its own code (see read_seed). */
    {"seed", QM_T_INT, T(seed), 1, 0, 9223372036854775807.0, "-", "Master random seed. Values above 2147483647 need an L suffix (12345678901L).", NULL, 0},
    {"months", QM_T_INT, T(months), 120, 1, 6000, "months", "Length of the run.", NULL, 0},
    {"start_month", QM_T_INT, T(start_month), 4, 1, 12, "-", "Calendar month of month 0 (4 = April, the start of the NHS financial year).", NULL, 0},
    {"neighbours", QM_T_ENUM, T(neighbours), QM_NB_RING, 0, 0, "-", "Neighbourhood of commissioners for copying: a ring in list order, or none.", qm_neighbour_names, 0},
    {"generator", QM_T_ENUM, T(generator), QM_RNG_CMRG, 0, 0, "-", "GSL random number generator of every stream: cmrg (L'Ecuyer's combined MRG, period 2^185, 48-byte state), mt19937 (Mersenne Twister, 5 KB state) or taus2 (Tausworthe, fastest). A different generator gives different draws, so a check that results do not depend on it.", qm_rng_names, 0},
    {NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, 0}};
#undef T

/* Keys of a distribution group by kind (indexed by qm_dist_kind). */
static const char *const dist_keys[QM_DIST_N][2] = {
    {"value", NULL}, {"min", "max"}, {"mean", "sd"}, {"mean", "sd"}, {"a", "b"}, {"values", NULL}};

/* Structural keys of the groups, beside their field tables: a commissioner
 * or agency group's, and a provider group's. */
static const char *const names_extra[] = {"names", NULL};
static const char *const pgroup_extra[] = {"names", "services", NULL};
static const char *const list_keys[] = {"services", "commissioners", "providers", "entrant",
                                        "agencies", "timeline", NULL};

/* Provider-group fields the entrant template cannot set (nor its
 * pgroup_extra keys): the file, --set, the resolved text and the reference
 * all leave them out. */
static const char *const entrant_fixed[] = {"kind", "count", NULL};
#define ENTRANT_FIXED_MSG                                                                   \
    "%s cannot be set: entrants are independent providers, their number is limited by "   \
    "market.max_entrants and they choose their own services"

/* State of one load. */
typedef struct rd {
    const char *file;            /* name used in messages */
    qm_errors *err;
    qm_scenario *s;              /* scenario being filled */
    int n_bad;                   /* lines holding a wrapped integer literal */
    int bad_lines[MAX_BAD_LINES];
    int months_bad;              /* months was invalid: no horizon checks */
} rd;

/* ---- Small text helpers. ---- */

/* A number as the shortest text that reads back to the same double.  The
 * struct lets a call sit inside a printf argument list (C11 6.2.4p8). */
typedef struct numtext { char s[40]; } numtext;

static numtext num(double x)
{
    numtext t;
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(t.s, sizeof t.s, "%.*g", prec, x);
        if (strtod(t.s, NULL) == x)
            break;
    }
    return t;
}

/* A user string made safe for a one-line message: control bytes become
 * '?', and long strings are cut. */
typedef struct cliptext { char s[56]; } cliptext;

static cliptext clip(const char *v)
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

static const char *type_name(const config_setting_t *s)
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
static void join(char *buf, size_t n, const char *word, size_t wl)
{
    size_t l = strlen(buf);
    if (l + 1 < n)
        snprintf(buf + l, n - l, "%s%.*s", l ? ", " : "", (int)wl, word);
}

static void join_names(char *buf, size_t n, const char *const *names)
{
    for (int i = 0; names && names[i]; i++)
        join(buf, n, names[i], strlen(names[i]));
}

/* Length of the group part of a registry path ("trust" of "trust.penalty"). */
static size_t group_len(const char *path)
{
    const char *dot = strchr(path, '.');
    return dot ? (size_t)(dot - path) : strlen(path);
}

/* Whether registry entry d, of qm_param_table, is the first of its group
 * (the table keeps each group's entries together). */
static int opens_group(const qm_param_def *d)
{
    size_t gl = group_len(d->path);
    return d == qm_param_table || group_len(d[-1].path) != gl ||
           strncmp(d[-1].path, d->path, gl) != 0;
}

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
static void at(rd *r, const config_setting_t *set, const char *fmt, ...)
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

static void oom(rd *r)
{
    qm_errors_add(r->err, "%s: out of memory", r->file);
}

/* ---- Checks on the raw text, before libconfig sees it. ---- */

static int bad_line(const rd *r, const config_setting_t *s)
{
    unsigned line = config_setting_source_line(s);
    if (config_setting_type(s) != CONFIG_TYPE_INT || line == 0)
        return 0;
    for (int i = 0; i < r->n_bad; i++)
        if ((unsigned)r->bad_lines[i] == line)
            return 1;
    return 0;
}

/* The text is tokenized and its grammar recognized here before libconfig
 * parses it, for three faults of libconfig 1.5:
 *  - integer literals outside 32 bits without an L suffix are silently
 *    wrapped (4294967297 reads as 1), so they are flagged;
 *  - a syntax error whose offending token is a string leaks that string
 *    (its grammar has no %destructor), so that one error is reported here
 *    and the text never reaches libconfig;
 *  - deep nesting overflows its parser stack, so nesting is capped.
 * @include is refused: a scenario must be one self-contained text, since
 * that text is stored with the results.  The token rules follow libconfig's
 * scanner.l and the recognizer its grammar.y (LL(1), no trailing commas),
 * so both stop at the same first bad token.  Every other syntax error is
 * left to libconfig, which reports it in its own words. */
#define MAX_DEPTH 64

typedef enum {
    K_EOF, K_NAME, K_SCALAR, K_STRING, K_EQ, K_COMMA, K_SEMI, K_GSTART, K_GEND,
    K_ASTART, K_AEND, K_LSTART, K_LEND, K_GARBAGE, K_INCLUDE
} tkind;

typedef struct lexer {
    rd *r;
    const unsigned char *p;
    int line;                    /* current line */
    tkind k;                     /* the lookahead token */
    int tline;                   /* line at its end, as libconfig reports */
    int deep;                    /* nesting went past MAX_DEPTH */
} lexer;

/* Length of the exponent part at p, or 0. */
static size_t lex_exp(const unsigned char *p)
{
    size_t m = 1;
    if (*p != 'e' && *p != 'E')
        return 0;
    if (p[m] == '+' || p[m] == '-')
        m++;
    if (!isdigit(p[m]))
        return 0;
    while (isdigit(p[m]))
        m++;
    return m;
}

/* Longest match of libconfig's integer, integer64, hex, hex64 and float
 * rules at p: returns the length (0: none) and flags a wrapped literal. */
static size_t lex_number(lexer *x, const unsigned char *p)
{
    size_t s = (*p == '+' || *p == '-'), i = s, best = 0, j;
    int wrapped = 0;
    while (isdigit(p[i]))
        i++;
    if (i > s) {
        errno = 0;
        long long v = strtoll((const char *)p, NULL, 10);
        wrapped = errno == ERANGE || v > INT_MAX || v < INT_MIN;
        best = i;
        if (p[i] == 'L') {
            best = i + 1 + (p[i + 1] == 'L');
            wrapped = 0;
        }
    }
    if (!s && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit(p[2])) {
        const unsigned char *h = p + 2;
        for (j = 2; isxdigit(p[j]); j++)
            ;
        while (*h == '0' && h + 1 < p + j)
            h++;
        wrapped = (p + j - h > 8 || (p + j - h == 8 && *h > '7')) && p[j] != 'L';
        best = j + (p[j] == 'L') + (p[j] == 'L' && p[j + 1] == 'L');
    }
    if (p[i] == '.') {
        for (j = i + 1; isdigit(p[j]); j++)
            ;
        j += lex_exp(p + j);
        if (j > best)
            best = j, wrapped = 0;
    } else if (i > s && (j = lex_exp(p + i)) > 0 && i + j > best) {
        best = i + j, wrapped = 0;
    }
    if (wrapped) {
        int n = best > 40 ? 40 : (int)best;
        qm_errors_add(x->r->err, "%s:%d: integer %.*s does not fit in 32 bits; write %.*sL for "
                      "a 64-bit integer or add .0 for a real number",
                      x->r->file, x->line, n, (const char *)p, n, (const char *)p);
        if (x->r->n_bad < MAX_BAD_LINES)
            x->r->bad_lines[x->r->n_bad++] = x->line;
    }
    return best;
}

static int ci_word(const unsigned char *p, size_t n, const char *w)
{
    if (strlen(w) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower(p[i]) != w[i])
            return 0;
    return 1;
}

/* Scans the next token into x->k. */
static void next(lexer *x)
{
    const unsigned char *p = x->p;
    for (;;) {
        if (*p == '\n')
            x->line++;
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') {
            p++;
        } else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
            while (*p && *p != '\n')
                p++;
        } else if (p[0] == '/' && p[1] == '*') {
            for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
                x->line += *p == '\n';
            if (*p)
                p += 2;
        } else {
            break;
        }
    }
    unsigned char c = *p;
    size_t n;
    x->k = K_GARBAGE;
    if (!c) {
        x->k = K_EOF;
    } else if (c == '"') {
        /* A string; one left open at the end is dropped, as libconfig does. */
        for (p++; *p && *p != '"'; p++) {
            if (*p == '\\' && p[1])
                p++;
            x->line += *p == '\n';
        }
        x->k = *p ? K_STRING : K_EOF;
        if (*p)
            p++;
    } else if (isalpha(c) || c == '*') {
        for (n = 1; isalnum(p[n]) || p[n] == '-' || p[n] == '_' || p[n] == '*'; n++)
            ;
        x->k = ci_word(p, n, "true") || ci_word(p, n, "false") ? K_SCALAR : K_NAME;
        p += n;
    } else if ((isdigit(c) || c == '+' || c == '-' || c == '.') && (n = lex_number(x, p))) {
        x->k = K_SCALAR;
        p += n;
    } else if (c == '@' && strncmp((const char *)p, "@include", 8) == 0) {
        x->k = K_INCLUDE;
        p += 8;
    } else {
        static const char punct[] = "=:,;{}[]()";
        static const tkind kinds[] = {K_EQ, K_EQ, K_COMMA, K_SEMI, K_GSTART, K_GEND,
                                      K_ASTART, K_AEND, K_LSTART, K_LEND};
        const char *q = strchr(punct, c);
        if (q)
            x->k = kinds[q - punct];
        p++;
    }
    x->p = p;
    x->tline = x->line;
}

static int rec_value(lexer *x, int depth);

/* setting* up to the token end. */
static int rec_settings(lexer *x, int depth, tkind end)
{
    while (x->k == K_NAME) {
        next(x);
        if (x->k != K_EQ)
            return -1;
        next(x);
        if (rec_value(x, depth))
            return -1;
        if (x->k == K_SEMI || x->k == K_COMMA)
            next(x);
    }
    return x->k == end ? 0 : -1;
}

static int rec_simple(lexer *x)
{
    if (x->k == K_SCALAR) {
        next(x);
        return 0;
    }
    if (x->k != K_STRING)
        return -1;
    while (x->k == K_STRING)        /* adjacent strings are joined */
        next(x);
    return 0;
}

static int rec_value(lexer *x, int depth)
{
    tkind open = x->k;
    if (open != K_ASTART && open != K_LSTART && open != K_GSTART)
        return rec_simple(x);
    if (depth >= MAX_DEPTH) {
        x->deep = 1;
        return -1;
    }
    next(x);
    if (open == K_GSTART) {
        if (rec_settings(x, depth + 1, K_GEND))
            return -1;
    } else {
        tkind close = open == K_ASTART ? K_AEND : K_LEND;
        if (x->k != close) {
            for (;;) {
                if (open == K_ASTART ? rec_simple(x) : rec_value(x, depth + 1))
                    return -1;
                if (x->k != K_COMMA)
                    break;
                next(x);
            }
        }
        if (x->k != close)
            return -1;
    }
    next(x);
    return 0;
}

/* Returns -1 when the text must not be given to libconfig (the problem is
 * reported), else 0 (wrapped integers may have been reported). */
static int precheck(rd *r, const char *t)
{
    lexer x = {r, (const unsigned char *)t, 1, K_EOF, 1, 0};
    next(&x);
    if (rec_settings(&x, 0, K_EOF) == 0)
        return 0;
    if (x.k == K_INCLUDE)
        qm_errors_add(r->err, "%s:%d: @include is not supported: a scenario is one "
                      "self-contained file", r->file, x.tline);
    else if (x.deep)
        qm_errors_add(r->err, "%s:%d: syntax error: nesting deeper than %d levels", r->file,
                      x.tline, MAX_DEPTH);
    else if (x.k == K_STRING)
        qm_errors_add(r->err, "%s:%d: syntax error: unexpected string", r->file, x.tline);
    else
        return 0;
    return -1;
}

/* ---- Reading single values.  Each returns 0, or -1 after reporting. ---- */

static int get_real(rd *r, const config_setting_t *set, const char *label, double *out)
{
    switch (config_setting_type(set)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        if (bad_line(r, set))
            return -1;              /* the wrapped literal is reported */
        *out = (double)config_setting_get_int64(set);
        return 0;
    case CONFIG_TYPE_FLOAT:
        *out = config_setting_get_float(set);
        if (!isfinite(*out)) {
            at(r, set, "%s = %s is not a finite number", label, num(*out).s);
            return -1;
        }
        return 0;
    default:
        at(r, set, "%s: expected a number, got %s", label, type_name(set));
        return -1;
    }
}

static int get_real_in(rd *r, const config_setting_t *set, const char *label,
                       double lo, double hi, double *out)
{
    double x;
    if (get_real(r, set, label, &x))
        return -1;
    if (x < lo || x > hi) {
        at(r, set, "%s = %s is out of range [%s, %s]", label, num(x).s, num(lo).s, num(hi).s);
        return -1;
    }
    *out = x;
    return 0;
}

static int get_int_in(rd *r, const config_setting_t *set, const char *label,
                      long long lo, long long hi, long long *out)
{
    int t = config_setting_type(set);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) {
        at(r, set, "%s: expected an integer, got %s", label, type_name(set));
        return -1;
    }
    if (bad_line(r, set))
        return -1;
    long long v = config_setting_get_int64(set);
    if (v < lo || v > hi) {
        at(r, set, "%s = %lld is out of range [%lld, %lld]", label, v, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

static int get_string(rd *r, const config_setting_t *set, const char *label, const char **out)
{
    if (config_setting_type(set) != CONFIG_TYPE_STRING) {
        at(r, set, "%s: expected a string, got %s", label, type_name(set));
        return -1;
    }
    *out = config_setting_get_string(set);
    if (!*out)
        *out = "";
    return 0;
}

/* Copies a string of minlen..maxlen bytes into dst (maxlen + 1 bytes). */
static int get_text(rd *r, const config_setting_t *set, const char *label,
                    size_t minlen, size_t maxlen, char *dst)
{
    const char *v;
    if (get_string(r, set, label, &v))
        return -1;
    size_t n = strlen(v);
    if (n < minlen) {
        if (minlen == 1)
            at(r, set, "%s must not be empty", label);
        else
            at(r, set, "%s is too short (%zu characters, at least %zu)", label, n, minlen);
        return -1;
    }
    if (n > maxlen) {
        at(r, set, "%s is too long (%zu characters, at most %zu)", label, n, maxlen);
        return -1;
    }
    memcpy(dst, v, n + 1);
    return 0;
}

static int get_enum(rd *r, const config_setting_t *set, const char *label,
                    const char *const *names, int *out)
{
    char all[QM_ERR_LEN / 2] = "";
    const char *v;
    join_names(all, sizeof all, names);
    if (config_setting_type(set) != CONFIG_TYPE_STRING) {
        at(r, set, "%s: expected a string (one of %s), got %s", label, all, type_name(set));
        return -1;
    }
    get_string(r, set, label, &v);
    int i = qm_params_enum_index(names, v);
    if (i >= 0) {
        *out = i;
        return 0;
    }
    const char *best = qm_suggest_nearest(v, names, -1);
    if (best)
        at(r, set, "%s = '%s' is not one of %s (did you mean '%s'?)", label, clip(v).s, all, best);
    else
        at(r, set, "%s = '%s' is not one of %s", label, clip(v).s, all);
    return -1;
}

/* ---- Unknown keys. ---- */

/* The keys valid in a group (table entries plus extra, minus excl): joined
 * into valid (n bytes), for listing, and the nearest to key into g, for
 * suggesting. */
static void valid_keys(qm_suggest *g, char *valid, size_t n, const char *key,
                       const qm_param_def *table, const char *const *extra,
                       const char *const *excl)
{
    qm_suggest_init(g, key, strlen(key));
    for (const qm_param_def *d = table; d && d->path; d++) {
        if (excl && qm_params_enum_index(excl, d->path) >= 0)
            continue;
        qm_suggest_try(g, d->path, strlen(d->path));
        join(valid, n, d->path, strlen(d->path));
    }
    qm_suggest_names(g, extra, -1);
    join_names(valid, n, extra);
}

/* Reports key (shown as ctx.key) as unknown, suggesting the nearest of the
 * keys valid there, or listing them. */
static void unknown_field(rd *r, const config_setting_t *set, const char *ctx, const char *key,
                          const qm_param_def *table, const char *const *extra,
                          const char *const *excl)
{
    char valid[QM_ERR_LEN / 2] = "";
    qm_suggest g;
    valid_keys(&g, valid, sizeof valid, key, table, extra, excl);
    if (g.best)
        at(r, set, "unknown key '%s.%s' (did you mean '%s.%.*s'?)", ctx, key, ctx,
           (int)g.bestl, g.best);
    else
        at(r, set, "unknown key '%s.%s' (valid keys are: %s)", ctx, key, valid);
}

/* An unknown key in a parameter group (path "group.key") or at the top
 * (path "key").  Candidates are full registry paths, so a key put in the
 * wrong group is found too. */
static void unknown_param(rd *r, const config_setting_t *set, const char *path, const char *group)
{
    const char *leaf = strrchr(path, '.');
    leaf = leaf ? leaf + 1 : path;
    char valid[QM_ERR_LEN / 2] = "";
    qm_suggest g;
    qm_suggest_init(&g, path, strlen(leaf));
    if (group) {
        size_t gl = strlen(group);
        for (const qm_param_def *d = qm_param_table; d->path; d++) {
            qm_suggest_try(&g, d->path, strlen(d->path));
            if (group_len(d->path) == gl && strncmp(d->path, group, gl) == 0)
                join(valid, sizeof valid, d->path + gl + 1, strlen(d->path + gl + 1));
        }
    } else {
        for (const qm_param_def *d = top_fields; d->path; d++) {
            qm_suggest_try(&g, d->path, strlen(d->path));
            join(valid, sizeof valid, d->path, strlen(d->path));
        }
        for (const qm_param_def *d = qm_param_table; d->path; d++)
            if (opens_group(d)) {
                qm_suggest_try(&g, d->path, group_len(d->path));
                join(valid, sizeof valid, d->path, group_len(d->path));
            }
        qm_suggest_names(&g, list_keys, -1);
        join_names(valid, sizeof valid, list_keys);
    }
    /* Nothing close: perhaps the key exists in another group. */
    for (const qm_param_def *d = qm_param_table; !g.best && d->path; d++)
        if (strcmp(d->path + group_len(d->path) + 1, leaf) == 0) {
            g.best = d->path;
            g.bestl = strlen(d->path);
        }
    if (g.best)
        at(r, set, "unknown key '%s' (did you mean '%.*s'?)", path, (int)g.bestl, g.best);
    else if (group)
        at(r, set, "unknown key '%s' (valid keys in %s are: %s)", path, group, valid);
    else
        at(r, set, "unknown key '%s' (valid keys are: %s)", path, valid);
}

/* ---- Distributions and fields. ---- */

/* Reads a DIST field: a number (constant) or a distribution group.
 * count is the owning group's size for a list (0: no group, so no list;
 * -1: the count was invalid).  *out changes only on success. */
static int read_dist(rd *r, const qm_param_def *d, const config_setting_t *set,
                     const char *label, int count, qm_dist *out)
{
    char sub[200];
    qm_dist q = {QM_DIST_CONST, 0, 0, 0, NULL};
    if (config_setting_is_number(set)) {
        if (get_real_in(r, set, label, d->min, d->max, &q.a))
            return -1;
        *out = q;
        return 0;
    }
    if (!config_setting_is_group(set)) {
        at(r, set, "%s: expected a number or a distribution group { dist = ...; }, got %s",
           label, type_name(set));
        return -1;
    }
    const config_setting_t *ks = config_setting_get_member(set, "dist");
    if (!ks) {
        char all[128] = "";
        join_names(all, sizeof all, qm_dist_names);
        at(r, set, "%s: a distribution group needs dist = one of %s", label, all);
        return -1;
    }
    snprintf(sub, sizeof sub, "%s.dist", label);
    int kind;
    if (get_enum(r, ks, sub, qm_dist_names, &kind))
        return -1;
    q.kind = (qm_dist_kind)kind;
    const char *k1 = dist_keys[kind][0], *k2 = dist_keys[kind][1];
    const char *const keys[] = {"dist", k1, k2, NULL};
    int bad = 0, unknown = 0, n = config_setting_length(set);
    for (int i = 0; i < n; i++) {
        const config_setting_t *m = config_setting_get_elem(set, (unsigned)i);
        const char *key = config_setting_name(m);
        if (qm_params_enum_index(keys, key) >= 0)
            continue;
        const char *best = qm_suggest_nearest(key, keys, -1);
        if (best)
            at(r, m, "unknown key '%s.%s' for a %s distribution (did you mean '%s.%s'?)",
               label, key, qm_dist_names[kind], label, best);
        else
            at(r, m, "unknown key '%s.%s' (a %s distribution takes %s%s%s)", label, key,
               qm_dist_names[kind], k1, k2 ? " and " : "", k2 ? k2 : "");
        unknown = 1;        /* still check the known keys */
    }
    const config_setting_t *s1 = config_setting_get_member(set, k1);
    const config_setting_t *s2 = k2 ? config_setting_get_member(set, k2) : NULL;
    if (!s1 || (k2 && !s2)) {
        at(r, set, "%s: a %s distribution needs %s%s%s", label, qm_dist_names[kind], k1,
           k2 ? " and " : "", k2 ? k2 : "");
        return -1;
    }
    char l1[160], l2[160];
    snprintf(l1, sizeof l1, "%s.%s", label, k1);
    snprintf(l2, sizeof l2, "%s.%s", label, k2 ? k2 : "");
    switch (q.kind) {
    case QM_DIST_CONST:
        bad |= get_real_in(r, s1, l1, d->min, d->max, &q.a) != 0;
        break;
    case QM_DIST_UNIFORM:
        bad |= get_real_in(r, s1, l1, d->min, d->max, &q.a) != 0;
        bad |= get_real_in(r, s2, l2, d->min, d->max, &q.b) != 0;
        if (!bad && q.a > q.b) {
            at(r, set, "%s: min (%s) exceeds max (%s)", label, num(q.a).s, num(q.b).s);
            bad = 1;
        }
        break;
    case QM_DIST_NORMAL:
    case QM_DIST_LOGNORMAL:
        /* Draws are clipped to the range, so only the mean must lie in it. */
        if (get_real_in(r, s1, l1, d->min, d->max, &q.a)) {
            bad = 1;
        } else if (q.kind == QM_DIST_LOGNORMAL && q.a <= 0) {
            at(r, s1, "%s = %s must be positive for a lognormal distribution", l1, num(q.a).s);
            bad = 1;
        }
        if (get_real(r, s2, l2, &q.b)) {
            bad = 1;
        } else if (q.b < 0) {
            at(r, s2, "%s = %s must not be negative", l2, num(q.b).s);
            bad = 1;
        }
        break;
    case QM_DIST_BETA:
        if (d->min > 0 || d->max < 1) {
            at(r, set, "%s: a beta distribution draws from [0, 1], which is not inside the "
               "range [%s, %s]", label, num(d->min).s, num(d->max).s);
            bad = 1;
        }
        for (int j = 0; j < 2; j++) {
            const config_setting_t *sj = j ? s2 : s1;
            double *v = j ? &q.b : &q.a;
            if (get_real(r, sj, j ? l2 : l1, v)) {
                bad = 1;
            } else if (*v <= 0) {
                at(r, sj, "%s = %s must be positive", j ? l2 : l1, num(*v).s);
                bad = 1;
            }
        }
        break;
    case QM_DIST_LIST: {
        int t = config_setting_type(s1), len = config_setting_length(s1);
        if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) {
            at(r, s1, "%s: expected an array [ ... ] of numbers, got %s", l1, type_name(s1));
            return -1;
        }
        if (count == 0) {
            at(r, set, "%s: a list distribution needs the group's count, and there is none "
               "here", label);
            return -1;
        }
        if (len > QM_LIST_MAX) {
            at(r, s1, "%s has %d entries; at most %d are allowed", l1, len, QM_LIST_MAX);
            return -1;
        }
        if (count > 0 && len != count) {
            at(r, s1, "%s has %d entries but count is %d", l1, len, count);
            bad = 1;
        }
        if (bad || len == 0)
            return -1;
        q.values = malloc((size_t)len * sizeof *q.values);
        if (!q.values) {
            oom(r);
            return -1;
        }
        q.n = len;
        for (int i = 0; i < len; i++) {
            snprintf(sub, sizeof sub, "%s[%d]", l1, i);
            bad |= get_real_in(r, config_setting_get_elem(s1, (unsigned)i), sub, d->min,
                               d->max, &q.values[i]) != 0;
        }
        q.a = q.values[0];
        break;
    }
    default:
        break;
    }
    if (bad || unknown) {
        free(q.values);
        return -1;
    }
    *out = q;
    return 0;
}

/* Reads one registry field of the struct at base from set.  Returns 0, or
 * -1 after reporting (the field keeps its default). */
static int read_field(rd *r, const qm_param_def *d, const config_setting_t *set, void *base,
                      const char *label, int count)
{
    void *f = (char *)base + d->offset;
    switch (d->type) {
    case QM_T_DOUBLE:
        return get_real_in(r, set, label, d->min, d->max, f);
    case QM_T_INT: {
        long long v;
        if (get_int_in(r, set, label, (long long)d->min, (long long)d->max, &v))
            return -1;
        *(int *)f = (int)v;
        return 0;
    }
    case QM_T_BOOL:
        if (config_setting_type(set) != CONFIG_TYPE_BOOL) {
            at(r, set, "%s: expected true or false, got %s", label, type_name(set));
            return -1;
        }
        *(int *)f = config_setting_get_bool(set) != 0;
        return 0;
    case QM_T_ENUM:
        return get_enum(r, set, label, d->names, f);
    case QM_T_STRING:
        /* The table's max is one less than the field's size. */
        return get_text(r, set, label, (size_t)d->min, (size_t)d->max, f);
    case QM_T_DIST:
        return read_dist(r, d, set, label, count, f);
    }
    return -1;
}

/* Frees what a group read with table owns: its list distributions and
 * its arrays (names, and a provider group's services; either may be NULL). */
static void free_group(const qm_param_def *table, void *base, void *names, void *services)
{
    for (const qm_param_def *d = table; d->path; d++)
        if (d->type == QM_T_DIST) {
            qm_dist *q = (qm_dist *)((char *)base + d->offset);
            free(q->values);
            q->values = NULL;
            q->n = 0;
        }
    free(names);
    free(services);
}

/* ---- Top level and parameter groups. ---- */

static int is_param_group(const char *key)
{
    size_t n = strlen(key);
    for (const qm_param_def *d = qm_param_table; d->path; d++)
        if (group_len(d->path) == n && strncmp(d->path, key, n) == 0)
            return 1;
    return 0;
}

static void top_defaults(qm_scenario *s)
{
    qm_params_defaults(qm_param_table, &s->p);
    for (const qm_param_def *d = top_fields; d->path; d++) {
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
static int want_group(rd *r, const config_setting_t *set, const char *ctx, const char *shape)
{
    if (config_setting_is_group(set))
        return 1;
    at(r, set, "%s: expected a group { %s... }, got %s", ctx, shape, type_name(set));
    return 0;
}

static void read_param_group(rd *r, const config_setting_t *g)
{
    const char *gname = config_setting_name(g);
    if (!want_group(r, g, gname, "key = value; "))
        return;
    int n = config_setting_length(g);
    for (int i = 0; i < n; i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        char path[KEY_MAX * 3];
        snprintf(path, sizeof path, "%s.%s", gname, config_setting_name(m));
        const qm_param_def *d = qm_params_find(qm_param_table, path);
        if (d)
            read_field(r, d, m, &r->s->p, path, 0);
        else
            unknown_param(r, m, path, gname);
    }
}

static void read_top(rd *r, const config_setting_t *root)
{
    int n = config_setting_length(root);
    for (int i = 0; i < n; i++) {
        const config_setting_t *m = config_setting_get_elem(root, (unsigned)i);
        const char *k = config_setting_name(m);
        const qm_param_def *d = qm_params_find(top_fields, k);
        long long v;
        if (d && d->offset == offsetof(qm_scenario, seed)) {
            if (!get_int_in(r, m, k, 0, LLONG_MAX, &v))
                r->s->seed = (uint64_t)v;
        } else if (d) {
            if (read_field(r, d, m, r->s, k, 0) && d->offset == offsetof(qm_scenario, months))
                r->months_bad = 1;
        } else if (is_param_group(k)) {
            read_param_group(r, m);
        } else if (qm_params_enum_index(list_keys, k) < 0) {
            unknown_param(r, m, k, NULL);
        }
    }
    if (!config_setting_get_member(root, "name"))
        at(r, root, "missing required key 'name'");
}

/* Finds an entity list of at most max entries.  A required list that is
 * missing or empty is reported; an optional one is simply absent (NULL). */
static const config_setting_t *find_list(rd *r, const config_setting_t *root, const char *key,
                                         const char *what, int max, int required)
{
    const config_setting_t *l = config_setting_get_member(root, key);
    if (!l) {
        if (required)
            at(r, root, "missing required key '%s' (a list of %s)", key, what);
        return NULL;
    }
    int t = config_setting_type(l), n = config_setting_length(l);
    if (t != CONFIG_TYPE_LIST && t != CONFIG_TYPE_ARRAY) {
        at(r, l, "%s: expected a list ( { ... }, ... ) of %s, got %s", key, what, type_name(l));
        return NULL;
    }
    if (n == 0) {
        if (required)
            at(r, l, "%s is empty: at least one entry is required", key);
        return NULL;
    }
    if (n > max) {
        at(r, l, "%s has %d entries; at most %d are allowed", key, n, max);
        return NULL;
    }
    return l;
}

/* Finds a required entity list; NULL (reported) when missing or empty. */
static const config_setting_t *get_list(rd *r, const config_setting_t *root, const char *key,
                                        const char *what, int max)
{
    return find_list(r, root, key, what, max, 1);
}

/* ---- Parts of groups: entity names and offered services. ---- */

/* A name with where it came from, for sorting and searching. */
typedef struct nref {
    const char *name;
    int g, k;                    /* group and index within its names */
} nref;

static int nref_name_cmp(const void *a, const void *b)
{
    return strcmp(((const nref *)a)->name, ((const nref *)b)->name);
}

static int nref_cmp(const void *a, const void *b)
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
        at(r, set, "%s: expected an array [ \"...\", ... ] of names, got %s", label, type_name(set));
        return;
    }
    if (len > QM_LIST_MAX) {
        at(r, set, "%s has %d entries; at most %d are allowed", label, len, QM_LIST_MAX);
        return;
    }
    if (count >= 0 && len != count) {
        at(r, set, "%s has %d entries but count is %d", label, len, count);
        bad = 1;
    }
    if (len == 0)
        return;
    /* Zeroed, so the bytes after each name are defined (names may be
     * compared or written out as fixed-length strings). */
    char (*v)[QM_NAME_MAX] = calloc((size_t)len, sizeof *v);
    if (!v) {
        oom(r);
        return;
    }
    for (int i = 0; i < len; i++) {
        char sub[KEY_MAX * 2 + 16];
        snprintf(sub, sizeof sub, "%s[%d]", label, i);
        bad |= get_text(r, config_setting_get_elem(set, (unsigned)i), sub, 1, QM_NAME_MAX - 1,
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
static int find_service(rd *r, const config_setting_t *set, const char *label, const char *name,
                        const nref *byname)
{
    int S = r->s->n_services;
    nref key = {name, 0, 0};
    const nref *hit = bsearch(&key, byname, (size_t)S, sizeof *byname, nref_name_cmp);
    if (hit)
        return hit->g;
    qm_suggest g;
    qm_suggest_init(&g, name, strlen(name));
    for (int j = 0; j < S; j++)
        qm_suggest_try(&g, byname[j].name, strlen(byname[j].name));
    if (g.best)
        at(r, set, "%s = '%s' is not a service (did you mean '%s'?)", label, clip(name).s, g.best);
    else
        at(r, set, "%s = '%s' is not a service", label, clip(name).s);
    return -1;
}

/* The service list sorted by name into *out (NULL when there are no
 * services).  Returns -1 when out of memory (reported), else 0. */
static int services_by_name(rd *r, nref **out)
{
    int S = r->s->n_services;
    *out = NULL;
    if (S <= 0 || !r->s->services)
        return 0;
    nref *b = malloc((size_t)S * sizeof *b);
    if (!b) {
        oom(r);
        return -1;
    }
    for (int j = 0; j < S; j++)
        b[j] = (nref){r->s->services[j].name, j, 0};
    qsort(b, (size_t)S, sizeof *b, nref_cmp);
    *out = b;
    return 0;
}

/* Reads the services a provider group offers, as indices into the
 * service list.  byname is the service list sorted by name. */
static void read_offer(rd *r, const config_setting_t *set, const char *label,
                       const nref *byname, int **out, int *n_out)
{
    int t = config_setting_type(set), len = config_setting_length(set), bad = 0;
    int S = r->s->n_services;
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) {
        at(r, set, "%s: expected an array [ \"...\", ... ] of service names, got %s", label,
           type_name(set));
        return;
    }
    if (len == 0) {
        at(r, set, "%s is empty (leave it out to offer every service)", label);
        return;
    }
    if (!byname)
        return;                     /* the service list itself is broken */
    int *v = malloc((size_t)len * sizeof *v);
    char *seen = calloc((size_t)S, 1);
    if (!v || !seen) {
        free(v);
        free(seen);
        oom(r);
        return;
    }
    for (int i = 0; i < len; i++) {
        const config_setting_t *e = config_setting_get_elem(set, (unsigned)i);
        char sub[KEY_MAX * 2 + 16];
        const char *name;
        snprintf(sub, sizeof sub, "%s[%d]", label, i);
        if (get_string(r, e, sub, &name)) {
            bad = 1;
            continue;
        }
        int k = find_service(r, e, sub, name, byname);
        if (k < 0) {
            bad = 1;
        } else if (seen[k]) {
            at(r, e, "%s: service '%s' is listed twice", label, name);
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
    return read_field(r, qm_params_find(fields, "count"), m, g, path, 0) ? -1 : *count;
}

/* Reads a structural key that only one kind of group has (a provider
 * group's services, the entrant's fixed keys) into the group at base; key
 * is shown as path, and arg is what read_group was given.  Returns 1 when
 * key was one, else 0: the key is then read as a field. */
typedef int (*key_hook)(rd *r, const config_setting_t *m, const char *key, const char *path,
                        void *base, const void *arg);

/* How one kind of group is read, beside the struct it fills. */
typedef struct gspec {
    const qm_param_def *fields;
    const char *shape;             /* keys shown in "expected a group { ... }" */
    const char *const *extra;      /* structural keys, offered for typos */
    const char *const *excl;       /* fields it cannot set, never offered */
    key_hook hook;                 /* its own structural keys, or NULL */
} gspec;

/* Reads group e (shown as ctx) into base, which holds the defaults: its
 * count first when it has one (count not NULL), its names when it has them
 * (names not NULL), the keys k's hook takes, then k's fields.  Returns 0,
 * or -1 (reported) when e is not a group. */
static int read_group(rd *r, const config_setting_t *e, const char *ctx, const gspec *k,
                      void *base, int *count, char (**names)[QM_NAME_MAX], int *n_names,
                      const void *arg)
{
    if (!want_group(r, e, ctx, k->shape))
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
            read_field(r, d, m, base, path, cnt);
        else
            unknown_field(r, m, ctx, key, k->fields, k->extra, k->excl);
    }
    return 0;
}

/* A service's checks beyond its fields', once they are read. */
static void check_service(rd *r, const config_setting_t *e, const char *ctx, int i)
{
    const qm_service_spec *sv = &r->s->services[i];
    if (!config_setting_get_member(e, "name"))
        at(r, e, "%s: missing required key 'name'", ctx);
    if (sv->cost_min > sv->cost_max)
        at(r, e, "%s: cost_min (%s) exceeds cost_max (%s)", ctx, num(sv->cost_min).s,
           num(sv->cost_max).s);
    for (int j = 0; j < i && sv->name[0]; j++)
        if (strcmp(r->s->services[j].name, sv->name) == 0) {
            at(r, config_setting_get_member(e, "name"),
               "%s.name '%s' is already used by services[%d]", ctx, sv->name, j);
            break;
        }
}

static void read_services(rd *r, const config_setting_t *root)
{
    static const gspec spec = {qm_service_fields, "name = ...; ", NULL, NULL, NULL};
    const config_setting_t *l = get_list(r, root, "services", "service lines", MAX_SERVICES);
    if (!l)
        return;
    int n = config_setting_length(l);
    qm_scenario *s = r->s;
    s->services = calloc((size_t)n, sizeof *s->services);
    if (!s->services) {
        oom(r);
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
        if (read_group(r, e, ctx, &spec, sv, NULL, NULL, NULL, NULL) == 0)
            check_service(r, e, ctx, i);
    }
}

/* ---- Entity lists: commissioners, providers and agencies. ---- */

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
        oom(r);
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
    qsort(ex, ne, sizeof *ex, nref_cmp);
    qsort(gen, ng, sizeof *gen, nref_cmp);
    for (size_t j = 1; j < ne; j++)
        if (strcmp(ex[j].name, ex[j - 1].name) == 0)
            at(r, name_at(&v[ex[j].g], ex[j].k), "%s[%d].names[%d] '%s' is also %s[%d].names[%d]",
               what, ex[j].g, ex[j].k, ex[j].name, what, ex[j - 1].g, ex[j - 1].k);
    for (size_t j = 1; j < ng; j++)
        if (strcmp(gen[j].name, gen[j - 1].name) == 0)
            at(r, v[gen[j].g].set, "%s[%d] and %s[%d] both generate names '%s 1', '%s 2', ...; "
               "give one a different prefix or explicit names", what, gen[j - 1].g, what,
               gen[j].g, gen[j].name, gen[j].name);
    for (size_t j = 0; j < ng; j++) {
        const gview *g = &v[gen[j].g];
        int digits = snprintf(NULL, 0, " %d", g->count);
        if (strlen(g->prefix) + (size_t)digits > QM_NAME_MAX - 1)
            at(r, g->set, "%s[%d].prefix '%s' is too long for %d generated names (a name has "
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
        const nref *hit = bsearch(&key, gen, ng, sizeof *gen, nref_name_cmp);
        /* Several groups may share the prefix (reported above): try each. */
        while (hit && hit > gen && strcmp(hit[-1].name, prefix) == 0)
            hit--;
        while (hit && hit < gen + ng && strcmp(hit->name, prefix) == 0 && k > v[hit->g].count)
            hit++;
        if (hit && hit < gen + ng && strcmp(hit->name, prefix) == 0)
            at(r, name_at(&v[ex[j].g], ex[j].k), "%s[%d].names[%d] '%s' is also a generated "
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
        oom(r);
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
    static const gspec spec = {qm_cgroup_fields, "count = ...; ", names_extra, NULL, NULL};
    qm_commissioner_group *g = base;
    qm_params_defaults(qm_cgroup_fields, g);
    g->line = (int)config_setting_source_line(e);
    if (read_group(r, e, ctx, &spec, g, &g->count, &g->names, &g->n_names, arg) == 0 &&
        !g->prefix[0])
        snprintf(g->prefix, sizeof g->prefix, "Commissioner");
    return (gview){g->prefix, g->count, g->n_names, g->names, e};
}

/* total: the commissioners in all groups (0 when the list is bad). */
static void read_cgroups(rd *r, const config_setting_t *root, long long *total)
{
    const config_setting_t *l =
        get_list(r, root, "commissioners", "commissioner groups", MAX_COMMISSIONERS);
    qm_scenario *s = r->s;
    *total = 0;
    if (!l)
        return;
    s->cgroups = read_groups(r, l, "commissioners", sizeof *s->cgroups, read_cgroup, NULL,
                             &s->n_cgroups, total);
    if (s->cgroups && *total > MAX_COMMISSIONERS)
        at(r, l, "commissioners: %lld commissioners in total; at most %d are allowed", *total,
           MAX_COMMISSIONERS);
}

/* A provider group's services key: its offer, read against byname. */
static int offer_key(rd *r, const config_setting_t *m, const char *key, const char *path,
                     void *base, const void *byname)
{
    qm_provider_group *g = base;
    if (strcmp(key, "services") != 0)
        return 0;
    read_offer(r, m, path, byname, &g->services, &g->n_services);
    return 1;
}

static gview read_pgroup(rd *r, const config_setting_t *e, const char *ctx, void *base,
                         const void *byname)
{
    static const gspec spec = {qm_pgroup_fields, "kind = ...; count = ...; ", pgroup_extra,
                               NULL, offer_key};
    qm_provider_group *g = base;
    qm_params_defaults(qm_pgroup_fields, g);
    g->line = (int)config_setting_source_line(e);
    if (read_group(r, e, ctx, &spec, g, &g->count, &g->names, &g->n_names, byname) == 0 &&
        !g->prefix[0])
        snprintf(g->prefix, sizeof g->prefix, "%s", qm_provider_kind_names[g->kind]);
    return (gview){g->prefix, g->count, g->n_names, g->names, e};
}

static void read_pgroups(rd *r, const config_setting_t *root)
{
    const config_setting_t *l = get_list(r, root, "providers", "provider groups", MAX_PROVIDERS);
    qm_scenario *s = r->s;
    nref *byname;                       /* for the offers; NULL if the service list is bad */
    long long total;
    if (!l || services_by_name(r, &byname))
        return;
    s->pgroups = read_groups(r, l, "providers", sizeof *s->pgroups, read_pgroup, byname,
                             &s->n_pgroups, &total);
    free(byname);
    if (s->pgroups && total + s->p.market.max_entrants > MAX_PROVIDERS)
        at(r, l, "providers: %lld providers plus market.max_entrants = %d make %lld; at most %d "
           "are allowed", total, s->p.market.max_entrants, total + s->p.market.max_entrants,
           MAX_PROVIDERS);
}

static int is_entrant_fixed(const char *key)
{
    return qm_params_enum_index(entrant_fixed, key) >= 0 ||
           qm_params_enum_index(pgroup_extra, key) >= 0;
}

/* The entrant's structural keys: reported, since they cannot be set. */
static int entrant_key(rd *r, const config_setting_t *m, const char *key, const char *path,
                       void *base, const void *arg)
{
    if (!is_entrant_fixed(key))
        return 0;
    at(r, m, ENTRANT_FIXED_MSG, path);
    return 1;
}

/* The entrant template: provider fields except the structural ones.  It
 * has no count, so a list distribution has nothing to match. */
static void read_entrant(rd *r, const config_setting_t *root)
{
    static const gspec spec = {qm_pgroup_fields, "key = value; ", NULL, entrant_fixed,
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
    read_group(r, e, "entrant", &spec, g, NULL, NULL, NULL, NULL);
}

static gview read_agroup(rd *r, const config_setting_t *e, const char *ctx, void *base,
                         const void *arg)
{
    static const gspec spec = {qm_agroup_fields, "kind = ...; count = ...; ", names_extra,
                               NULL, NULL};
    qm_agency_group *g = base;
    qm_params_defaults(qm_agroup_fields, g);
    g->line = (int)config_setting_source_line(e);
    if (read_group(r, e, ctx, &spec, g, &g->count, &g->names, &g->n_names, arg) == 0 &&
        !g->prefix[0])
        snprintf(g->prefix, sizeof g->prefix, "%s", qm_agency_kind_names[g->kind]);
    return (gview){g->prefix, g->count, g->n_names, g->names, e};
}

/* The optional agencies list: absent or empty means no agencies. */
static void read_agroups(rd *r, const config_setting_t *root)
{
    const config_setting_t *l =
        find_list(r, root, "agencies", "agency groups", MAX_AGENCIES, 0);
    qm_scenario *s = r->s;
    long long total;
    if (!l)
        return;
    s->agroups = read_groups(r, l, "agencies", sizeof *s->agroups, read_agroup, NULL,
                             &s->n_agroups, &total);
    if (s->agroups && total > MAX_AGENCIES)
        at(r, l, "agencies: %lld agencies in total; at most %d are allowed", total, MAX_AGENCIES);
}

/* ---- The timeline. ---- */

/* The event types whose bit is set in mask, as "a, b" into buf. */
static void mask_names(char *buf, size_t n, unsigned mask)
{
    buf[0] = '\0';
    for (int t = 0; t < QM_TL_N; t++)
        if (mask & (1u << t))
            join(buf, n, qm_timeline_names[t], strlen(qm_timeline_names[t]));
}

/* Whether event type t (which may be invalid) takes field d. */
static int takes(const qm_param_def *d, int t)
{
    return d->mask == ~0u || (t >= 0 && t < QM_TL_N && (d->mask & (1u << t)));
}

static int is_policy_path(const char *path)
{
    return strncmp(path, "policy.", 7) == 0;
}

/* The policy parameter a policy event's key names, or NULL after
 * reporting (with the nearest policy path, or the list of them). */
static const qm_param_def *policy_param(rd *r, const config_setting_t *set, const char *label,
                                        const char *key)
{
    const qm_param_def *d = qm_params_find(qm_param_table, key);
    if (d && is_policy_path(key))
        return d;
    char valid[QM_ERR_LEN / 2] = "";
    const char *leaf = strrchr(key, '.');
    qm_suggest g, h;                    /* the whole path; the key without its group */
    leaf = leaf ? leaf + 1 : key;
    qm_suggest_init(&g, key, strlen(key));
    qm_suggest_init(&h, leaf, strlen(leaf));
    for (const qm_param_def *p = qm_param_table; p->path; p++)
        if (is_policy_path(p->path)) {
            qm_suggest_try(&g, p->path, strlen(p->path));
            qm_suggest_try(&h, p->path + 7, strlen(p->path + 7));
            join(valid, sizeof valid, p->path, strlen(p->path));
        }
    /* h's candidates are the paths past "policy.". */
    const char *best = g.best ? g.best : h.best ? h.best - 7 : NULL;
    if (d)
        at(r, set, "%s = '%s' is not a policy parameter: a policy event sets one of %s", label,
           clip(key).s, valid);
    else if (best)
        at(r, set, "%s = '%s' is not a policy parameter (did you mean '%s'?)", label,
           clip(key).s, best);
    else
        at(r, set, "%s = '%s' is not a policy parameter (valid keys are: %s)", label,
           clip(key).s, valid);
    return NULL;
}

/* Reads a policy event's value, which takes the type and range of the
 * parameter d it sets: a number for a real, an integer for an integer,
 * true/false for a boolean (1 or 0), a name for an enum (its index).
 * Returns 0, or -1 after reporting. */
static int read_policy_value(rd *r, const config_setting_t *set, const char *label,
                             const qm_param_def *d, double *out)
{
    char expect[QM_ERR_LEN / 2] = "";
    int t = config_setting_type(set);
    int is_int = t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
    double x = 0;
    switch (d->type) {
    case QM_T_DOUBLE:
        snprintf(expect, sizeof expect, "a number in [%s, %s]", num(d->min).s, num(d->max).s);
        if (!is_int && t != CONFIG_TYPE_FLOAT)
            break;
        if (get_real(r, set, label, &x))
            return -1;
        if (x < d->min || x > d->max) {
            at(r, set, "%s = %s is out of range for %s, which takes %s", label, num(x).s,
               d->path, expect);
            return -1;
        }
        *out = x;
        return 0;
    case QM_T_INT: {
        snprintf(expect, sizeof expect, "an integer in [%.0f, %.0f]", d->min, d->max);
        if (!is_int)
            break;
        if (bad_line(r, set))
            return -1;                  /* the wrapped literal is reported */
        long long iv = config_setting_get_int64(set);
        if (iv < (long long)d->min || iv > (long long)d->max) {
            at(r, set, "%s = %lld is out of range for %s, which takes %s", label, iv, d->path,
               expect);
            return -1;
        }
        *out = (double)iv;
        return 0;
    }
    case QM_T_BOOL:
        snprintf(expect, sizeof expect, "true or false");
        if (t != CONFIG_TYPE_BOOL)
            break;
        *out = config_setting_get_bool(set) ? 1.0 : 0.0;
        return 0;
    case QM_T_ENUM: {
        join_names(expect, sizeof expect, d->names);
        if (t != CONFIG_TYPE_STRING) {
            at(r, set, "%s: %s takes a string (one of %s), got %s", label, d->path, expect,
               type_name(set));
            return -1;
        }
        const char *v = config_setting_get_string(set);
        int i = qm_params_enum_index(d->names, v ? v : "");
        if (i >= 0) {
            *out = i;
            return 0;
        }
        const char *best = qm_suggest_nearest(v ? v : "", d->names, -1);
        if (best)
            at(r, set, "%s = '%s' is not a value of %s (one of %s; did you mean '%s'?)", label,
               clip(v).s, d->path, expect, best);
        else
            at(r, set, "%s = '%s' is not a value of %s (one of %s)", label, clip(v).s, d->path,
               expect);
        return -1;
    }
    default:
        at(r, set, "%s: %s cannot be set by a policy event", label, d->path);
        return -1;
    }
    at(r, set, "%s: %s takes %s, got %s", label, d->path, expect, type_name(set));
    return -1;
}

/* Reads timeline[i] into ev.  byname is the service list sorted by name
 * (NULL when that list is broken). */
static void read_event(rd *r, const config_setting_t *e, int i, qm_timeline_event *ev,
                       const nref *byname)
{
    enum { NF = 32 };
    char ctx[32], path[KEY_MAX * 2], applies[QM_ERR_LEN / 4], all[QM_ERR_LEN / 4] = "";
    const char *excl[NF];
    const config_setting_t *keyset = NULL, *valset = NULL, *svcset = NULL;
    int type = -1, ne = 0;
    snprintf(ctx, sizeof ctx, "timeline[%d]", i);
    qm_params_defaults(qm_timeline_fields, ev);
    ev->service = -1;
    ev->line = (int)config_setting_source_line(e);
    if (!want_group(r, e, ctx, "month = ...; type = ...; "))
        return;
    const config_setting_t *ts = config_setting_get_member(e, "type");
    const config_setting_t *ms = config_setting_get_member(e, "month");
    join_names(all, sizeof all, qm_timeline_names);
    if (!ts) {
        at(r, e, "%s: missing required key 'type' (one of %s)", ctx, all);
    } else {
        snprintf(path, sizeof path, "%s.type", ctx);
        if (read_field(r, qm_params_find(qm_timeline_fields, "type"), ts, ev, path, 0) == 0)
            type = ev->type;
    }
    if (!ms) {
        at(r, e, "%s: missing required key 'month'", ctx);
    } else {
        snprintf(path, sizeof path, "%s.month", ctx);
        if (read_field(r, qm_params_find(qm_timeline_fields, "month"), ms, ev, path, 0) == 0 &&
            !r->months_bad && ev->month >= r->s->months)
            at(r, ms, "%s = %d is not before months = %d (the run's last month is %d)", path,
               ev->month, r->s->months, r->s->months - 1);
    }
    /* Unknown keys are matched against the keys this type takes. */
    for (const qm_param_def *d = qm_timeline_fields; type >= 0 && d->path && ne < NF - 1; d++)
        if (!takes(d, type))
            excl[ne++] = d->path;
    excl[ne] = NULL;

    int n = config_setting_length(e);
    for (int j = 0; j < n; j++) {
        const config_setting_t *m = config_setting_get_elem(e, (unsigned)j);
        const char *k = config_setting_name(m);
        const qm_param_def *d = qm_params_find(qm_timeline_fields, k);
        if (m == ts || m == ms)
            continue;
        if (!d) {
            unknown_field(r, m, ctx, k, qm_timeline_fields, NULL, type >= 0 ? excl : NULL);
            continue;
        }
        if (type >= 0 && !takes(d, type)) {
            mask_names(applies, sizeof applies, d->mask);
            at(r, m, "%s: '%s' does not apply to a '%s' event (it applies to: %s)", ctx, k,
               qm_timeline_names[type], applies);
            continue;
        }
        if (strcmp(k, "value") == 0) {
            valset = m;                 /* its type depends on key: read below */
            continue;
        }
        snprintf(path, sizeof path, "%s.%s", ctx, k);
        if (read_field(r, d, m, ev, path, 0))
            continue;
        /* "key" and "service" share the key array; a type takes one of them. */
        if (strcmp(k, "key") == 0)
            keyset = m;
        else if (strcmp(k, "service") == 0)
            svcset = m;
    }

    if (type == QM_TL_POLICY) {
        const qm_param_def *pd = NULL;
        snprintf(path, sizeof path, "%s.key", ctx);
        if (!config_setting_get_member(e, "key"))
            at(r, e, "%s: a policy event needs key (the policy.* parameter it sets)", ctx);
        else if (keyset)
            pd = policy_param(r, keyset, path, ev->key);
        snprintf(path, sizeof path, "%s.value", ctx);
        if (!valset)
            at(r, e, "%s: a policy event needs value (the new value of its key)", ctx);
        else if (pd)
            read_policy_value(r, valset, path, pd, &ev->value);
    }
    if (svcset && byname) {
        snprintf(path, sizeof path, "%s.service", ctx);
        ev->service = find_service(r, svcset, path, ev->key, byname);
    }
    if (type == QM_TL_REORGANISATION && ev->merge > 1 && ev->split_share > 0)
        at(r, e, "%s: merge = %d and split_share = %s in one event: a reorganisation either "
           "merges or splits (use two events)", ctx, ev->merge, num(ev->split_share).s);
}

/* An event's month and place in the file, for a stable sort. */
typedef struct evkey {
    int month, i;
} evkey;

static int evkey_cmp(const void *a, const void *b)
{
    const evkey *x = a, *y = b;
    if (x->month != y->month)
        return x->month < y->month ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* The optional timeline: read in file order, then sorted by month with
 * ties kept in file order. */
static void read_timeline(rd *r, const config_setting_t *root)
{
    const config_setting_t *l =
        find_list(r, root, "timeline", "timeline events", MAX_EVENTS, 0);
    qm_scenario *s = r->s;
    nref *byname;
    if (!l)
        return;
    int n = config_setting_length(l);
    if (services_by_name(r, &byname))
        return;
    qm_timeline_event *ev = calloc((size_t)n, sizeof *ev);
    evkey *order = calloc((size_t)n, sizeof *order);
    if (!ev || !order) {
        free(ev);
        free(order);
        free(byname);
        oom(r);
        return;
    }
    for (int i = 0; i < n; i++) {
        read_event(r, config_setting_get_elem(l, (unsigned)i), i, &ev[i], byname);
        order[i] = (evkey){ev[i].month, i};
    }
    free(byname);
    qsort(order, (size_t)n, sizeof *order, evkey_cmp);
    s->timeline = malloc((size_t)n * sizeof *s->timeline);
    if (!s->timeline) {
        free(ev);
        free(order);
        oom(r);
        return;
    }
    for (int i = 0; i < n; i++)
        s->timeline[i] = ev[order[i].i];
    s->n_timeline = n;
    free(ev);
    free(order);
}

/* Cross-field checks of the registry, reported at the first setting the
 * message names (or at the file when that key was left at its default). */
static void cross_checks(rd *r, config_setting_t *root, long long ncomm)
{
    char msg[QM_ERR_LEN - 64], path[KEY_MAX];
    int bad = qm_params_check(&r->s->p, msg, sizeof msg);
    if (bad > 0) {
        size_t n = strspn(msg, "abcdefghijklmnopqrstuvwxyz0123456789_.");
        snprintf(path, sizeof path, "%.*s", (int)(n < sizeof path ? n : sizeof path - 1), msg);
        const config_setting_t *s = n ? config_setting_lookup(root, path) : NULL;
        if (bad > 1)
            at(r, s ? s : root, "%s (and %d more cross-field problem%s)", msg, bad - 1,
               bad > 2 ? "s" : "");
        else
            at(r, s ? s : root, "%s", msg);
    }
    long long pairs = ncomm * r->s->n_services;
    if (pairs > MAX_PAIRS)
        at(r, config_setting_get_member(root, "commissioners"),
           "%lld commissioners x %d services = %lld commissioner-service pairs; at most %lld "
           "are allowed", ncomm, r->s->n_services, pairs, MAX_PAIRS);
}

static void read_scenario(rd *r, config_setting_t *root)
{
    long long ncomm;
    top_defaults(r->s);
    read_top(r, root);
    read_services(r, root);
    read_cgroups(r, root, &ncomm);
    read_pgroups(r, root);
    read_entrant(r, root);
    read_agroups(r, root);
    read_timeline(r, root);
    cross_checks(r, root, ncomm);
}

/* ---- Overrides (--set path=value). ---- */

static int eq_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* Whether all of v is a decimal integer; *range is set when it overflows. */
static int is_int(const char *v, long long *out, int *range)
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
    } else if (is_int(val, &iv, &range)) {
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
        oom(r);
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
                      path, key, type_name(g));
        return NULL;
    }
    g = config_setting_add(parent, key, CONFIG_TYPE_GROUP);
    if (!g)
        qm_errors_add(r->err, "--set: cannot set %s", path);
    else
        config_setting_set_hook(g, r);
    return g;
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
        size_t nl = (size_t)(field - p - 1);
        qm_suggest g;
        char want[QM_NAME_MAX + 1];
        snprintf(want, sizeof want, "%.*s", (int)(nl < QM_NAME_MAX ? nl : QM_NAME_MAX), p + 1);
        qm_suggest_init(&g, want, strlen(want));
        for (int i = 0; i < n && idx < 0; i++) {
            const char *name;
            config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
            if (config_setting_is_group(e) && config_setting_lookup_string(e, "name", &name)) {
                if (strlen(name) == nl && strncmp(name, p + 1, nl) == 0)
                    idx = i;
                else
                    qm_suggest_try(&g, name, strlen(name));
            }
        }
        if (idx < 0) {
            if (g.best)
                qm_errors_add(r->err, "--set: %s: no service is named '%s' (did you mean '%s'?)",
                              path, clip(want).s, g.best);
            else
                qm_errors_add(r->err, "--set: %s: no service is named '%s'", path, clip(want).s);
            return;
        }
        field++;
    }
    config_setting_t *e = config_setting_get_elem(l, (unsigned)idx);
    snprintf(ctx, sizeof ctx, "%s[%ld]", lname, idx);
    if (!config_setting_is_group(e)) {
        qm_errors_add(r->err, "--set: cannot set %s: %s is %s, not a group", path, ctx,
                      type_name(e));
        return;
    }
    const qm_param_def *d = qm_params_find(fields, field);
    if (!d) {
        /* The structural keys are not offered: they cannot be set here. */
        char valid[QM_ERR_LEN / 2] = "";
        qm_suggest g;
        valid_keys(&g, valid, sizeof valid, field, fields, NULL, NULL);
        if (extra && qm_params_enum_index(extra, field) >= 0)
            qm_errors_add(r->err, "--set: %s.%s is a list and cannot be set with --set", ctx, field);
        else if (g.best)
            qm_errors_add(r->err, "--set: unknown key '%s.%s' (did you mean '%s.%s'?)", ctx,
                          field, ctx, g.best);
        else
            qm_errors_add(r->err, "--set: unknown key '%s.%s' (valid keys are: %s)", ctx, field,
                          valid);
        return;
    }
    set_value(r, e, field, d, val, path);
}

/* Applies one "path=value" override to the parsed file. */
static void apply_override(rd *r, config_setting_t *root, const char *text)
{
    static const struct {
        const char *name;
        const qm_param_def *fields;
        const char *const *extra;
    } lists[] = {{"services", qm_service_fields, NULL},
                 {"commissioners", qm_cgroup_fields, names_extra},
                 {"providers", qm_pgroup_fields, pgroup_extra},
                 {"agencies", qm_agroup_fields, names_extra}};
    const char *eq = text ? strchr(text, '=') : NULL;
    char path[256];
    if (!eq || eq == text) {
        qm_errors_add(r->err, "--set: '%s' is not of the form path=value", text ? clip(text).s : "");
        return;
    }
    const char *a = text, *b = eq;
    while (a < b && isspace((unsigned char)*a))
        a++;
    while (b > a && isspace((unsigned char)b[-1]))
        b--;
    if ((size_t)(b - a) >= sizeof path || a == b) {
        qm_errors_add(r->err, "--set: '%s' is not of the form path=value", clip(text).s);
        return;
    }
    snprintf(path, sizeof path, "%.*s", (int)(b - a), a);
    const char *val = eq + 1;
    while (isspace((unsigned char)*val))
        val++;
    char vbuf[1024];
    size_t vl = strlen(val);
    while (vl && isspace((unsigned char)val[vl - 1]))
        vl--;
    if (vl >= sizeof vbuf) {
        qm_errors_add(r->err, "--set: the value for %s is too long", path);
        return;
    }
    snprintf(vbuf, sizeof vbuf, "%.*s", (int)vl, val);

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
        snprintf(group, sizeof group, "%.*s", (int)group_len(path), path);
        config_setting_t *g = child_group(r, root, group, path);
        if (g)
            set_value(r, g, path + group_len(path) + 1, d, vbuf, path);
        return;
    }
    if ((d = qm_params_find(top_fields, path))) {
        set_value(r, root, path, d, vbuf, path);
        return;
    }
    if (strncmp(path, "entrant.", 8) == 0 && is_entrant_fixed(path + 8)) {
        qm_errors_add(r->err, "--set: " ENTRANT_FIXED_MSG, path);
        return;
    }
    if (strncmp(path, "entrant.", 8) == 0 && (d = qm_params_find(qm_pgroup_fields, path + 8))) {
        config_setting_t *g = child_group(r, root, "entrant", path);
        if (g)
            set_value(r, g, path + 8, d, vbuf, path);
        return;
    }
    qm_suggest g;
    const char *leaf = strrchr(path, '.');
    qm_suggest_init(&g, path, strlen(leaf ? leaf + 1 : path));
    for (d = qm_param_table; d->path; d++)
        qm_suggest_try(&g, d->path, strlen(d->path));
    for (d = top_fields; d->path; d++)
        qm_suggest_try(&g, d->path, strlen(d->path));
    if (g.best)
        qm_errors_add(r->err, "--set: unknown key '%s' (did you mean '%.*s'?)", path,
                      (int)g.bestl, g.best);
    else
        qm_errors_add(r->err, "--set: unknown key '%s' (see `qmsim params` for the keys)", path);
}

/* ---- Loading. ---- */

/* Parses text, applies overrides and reads the scenario into a local
 * struct that reaches *out only when no problem was found. */
static int load(const char *text, const char *name, const char *const *ov, int n,
                qm_scenario *out, qm_errors *err)
{
    rd r = {.file = name, .err = err};
    qm_scenario s;
    config_t cfg;
    if (precheck(&r, text))
        return err->n;
    config_init(&cfg);
    if (!config_read_string(&cfg, text)) {
        const char *file = config_error_file(&cfg);
        qm_errors_add(err, "%s:%d: syntax error: %s", file ? file : name, config_error_line(&cfg),
                      config_error_text(&cfg) ? config_error_text(&cfg) : "unknown");
        config_destroy(&cfg);
        return err->n;
    }
    if (n > 0 && !ov)
        qm_errors_add(err, "--set: %d overrides given without their text", n);
    for (int i = 0; ov && i < n; i++)
        apply_override(&r, config_root_setting(&cfg), ov[i]);
    memset(&s, 0, sizeof s);
    r.s = &s;
    read_scenario(&r, config_root_setting(&cfg));
    config_destroy(&cfg);
    if (err->n == 0) {
        s.source_name = strdup(name);
        s.source_text = strdup(text);
        if (!s.source_name || !s.source_text)
            oom(&r);
    }
    if (err->n) {
        qm_scenario_free(&s);
        return err->n;
    }
    memcpy(out, &s, sizeof s);
    return 0;
}

/* The start of a public load: the error list to fill (local when the
 * caller gives none), emptied, and *out zeroed so a failed load leaves
 * nothing to free. */
static qm_errors *start_load(qm_errors *err, qm_errors *local, qm_scenario *out)
{
    static const qm_errors none;
    if (!err)
        err = local;
    *err = none;
    if (out)
        memset(out, 0, sizeof *out);
    return err;
}

/* Loads a scenario from text; see scenario.h.  NULL text, name, err or out
 * are tolerated (reported, or a local error list is used). */
int qm_scenario_load_text(const char *text, const char *name, const char *const *overrides,
                          int n, qm_scenario *out, qm_errors *err)
{
    qm_errors local;
    err = start_load(err, &local, out);
    if (!name)
        name = "<text>";
    if (!out)
        qm_errors_add(err, "%s: no scenario to fill", name);
    else if (!text)
        qm_errors_add(err, "%s: no scenario text", name);
    else
        return load(text, name, overrides, n, out, err);
    return err->n;
}

int qm_scenario_load(const char *path, const char *const *overrides, int n, qm_scenario *out,
                     qm_errors *err)
{
    qm_errors local;
    size_t len = 0;
    if (!path)
        return qm_scenario_load_text(qm_builtin_baseline, "builtin:baseline", overrides, n, out,
                                     err);
    err = start_load(err, &local, out);
    char *text = qm_file_read(path, (size_t)MAX_FILE, &len);
    if (!text) {
        qm_errors_add(err, "%s: cannot read: %s", path, strerror(errno));
        return err->n;
    }
    if (strlen(text) != len) {
        qm_errors_add(err, "%s: cannot read: a NUL byte at offset %zu (not a text file)", path,
                      strlen(text));
        free(text);
        return err->n;
    }
    int rc = qm_scenario_load_text(text, path, overrides, n, out, err);
    free(text);
    return rc;
}

/* Frees what a loaded scenario owns and zeroes it; safe on a zeroed or
 * partly filled struct, and on NULL. */
void qm_scenario_free(qm_scenario *s)
{
    if (!s)
        return;
    free(s->services);
    for (int i = 0; s->cgroups && i < s->n_cgroups; i++)
        free_group(qm_cgroup_fields, &s->cgroups[i], s->cgroups[i].names, NULL);
    free(s->cgroups);
    for (int i = 0; s->pgroups && i < s->n_pgroups; i++)
        free_group(qm_pgroup_fields, &s->pgroups[i], s->pgroups[i].names,
                   s->pgroups[i].services);
    free(s->pgroups);
    free_group(qm_pgroup_fields, &s->entrant, s->entrant.names, s->entrant.services);
    for (int i = 0; s->agroups && i < s->n_agroups; i++)
        free_group(qm_agroup_fields, &s->agroups[i], s->agroups[i].names, NULL);
    free(s->agroups);
    free(s->timeline);
    free(s->source_name);
    free(s->source_text);
    memset(s, 0, sizeof *s);
}

/* ---- Writing the resolved scenario. ---- */

/* A real number in a form libconfig reads back as a float, exactly. */
static void put_real(FILE *f, double x)
{
    numtext t = num(x);
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
    fprintf(f, "{ dist = \"%s\"; %s = ", qm_dist_names[kind], dist_keys[kind][0]);
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
    fprintf(f, "; %s = ", dist_keys[kind][1]);
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
    const qm_param_def *d = is_policy_path(ev->key) ? qm_params_find(qm_param_table, ev->key)
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
        if (!takes(d, ev->type) || (is_svc && (ev->service < 0 || ev->service >= s->n_services ||
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
        fprintf(f, "# Read from %s.\n", clip(s->source_name).s);
    for (const qm_param_def *d = top_fields; d->path; d++) {
        fprintf(f, "%s = ", d->path);
        if (d->offset == offsetof(qm_scenario, seed))
            fprintf(f, "%llu%s", (unsigned long long)s->seed, s->seed > INT_MAX ? "L" : "");
        else
            put_value(f, d, s);
        fputs(";\n", f);
    }
    for (const qm_param_def *d = qm_param_table; d->path; d++) {
        size_t gl = group_len(d->path);
        if (opens_group(d))
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
    put_fields(f, qm_pgroup_fields, &s->entrant, "  ", entrant_fixed, NULL, s);
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

/* ---- The Markdown reference. ---- */

/* The row of an entity group's names key. */
static void md_names_row(FILE *f)
{
    fprintf(f, "| `names` | array of strings | generated | exactly `count` entries, "
            "each 1 to %d characters, at most %d | | Explicit names, in order. |\n",
            QM_NAME_MAX - 1, QM_LIST_MAX);
}

static void md_text(FILE *f, const char *t)
{
    for (; t && *t; t++) {
        if (*t == '|')
            fputc('\\', f);
        fputc(*t == '\n' ? ' ' : *t, f);
    }
}

static void md_type(FILE *f, const qm_param_def *d)
{
    switch (d->type) {
    case QM_T_DOUBLE: fputs("real", f); break;
    case QM_T_INT: fputs("integer", f); break;
    case QM_T_BOOL: fputs("boolean", f); break;
    case QM_T_ENUM:
        fputs("one of ", f);
        for (int i = 0; d->names[i]; i++)
            fprintf(f, "%s`%s`", i ? ", " : "", d->names[i]);
        break;
    case QM_T_STRING: fputs("string", f); break;
    case QM_T_DIST: fputs("distribution", f); break;
    }
}

/* A string field's default is the caller's to say (see md_cells). */
static void md_default(FILE *f, const qm_param_def *d)
{
    switch (d->type) {
    case QM_T_DOUBLE:
    case QM_T_DIST: fputs(num(d->def).s, f); break;
    case QM_T_INT: fprintf(f, "%.0f", d->def); break;
    case QM_T_BOOL: fputs(d->def != 0 ? "true" : "false", f); break;
    case QM_T_ENUM: fprintf(f, "`%s`", d->names[(int)d->def]); break;
    case QM_T_STRING: break;
    }
}

static void md_range(FILE *f, const qm_param_def *d)
{
    switch (d->type) {
    case QM_T_DOUBLE:
    case QM_T_DIST: fprintf(f, "[%s, %s]", num(d->min).s, num(d->max).s); break;
    case QM_T_INT:
        if (d->max > 9e18)
            fprintf(f, "%.0f to 2^63 - 1", d->min);   /* the seed */
        else
            fprintf(f, "%.0f to %.0f", d->min, d->max);
        break;
    case QM_T_STRING: fprintf(f, "%.0f to %.0f characters", d->min, d->max); break;
    default: break;
    }
}

/* What a row says in place of its registry entry's own type, default and
 * range (NULL: the entry's), and its "applies to" column (NULL: the table
 * has none; only the timeline's has). */
typedef struct md_cells {
    const char *type, *def, *range, *applies;
} md_cells;

/* One cell: text if given, else what own makes of d (own may be NULL when
 * text is always given). */
static void md_cell(FILE *f, const char *text, void (*own)(FILE *, const qm_param_def *),
                    const qm_param_def *d)
{
    if (text)
        md_text(f, text);
    else
        own(f, d);
    fputs(" | ", f);
}

static void md_row_as(FILE *f, const qm_param_def *d, const char *key, const md_cells *c)
{
    fprintf(f, "| `%s` | ", key);
    md_cell(f, c->type, md_type, d);
    md_cell(f, c->def, md_default, d);
    md_cell(f, c->range, md_range, d);
    md_cell(f, d->unit && strcmp(d->unit, "-") ? d->unit : "", NULL, d);
    if (c->applies)
        md_cell(f, c->applies, NULL, d);
    md_text(f, d->doc);
    fputs(" |\n", f);
}

/* A row of a plain table; strdef is the default shown for a string. */
static void md_row(FILE *f, const qm_param_def *d, const char *key, const char *strdef)
{
    md_cells c = {NULL, d->type == QM_T_STRING ? strdef : NULL, NULL, NULL};
    md_row_as(f, d, key, &c);
}

static void md_head(FILE *f)
{
    fputs("| key | type | default | range | unit | meaning |\n"
          "|---|---|---|---|---|---|\n", f);
}

/* Writes a table of fields, leaving out the names in skip; strdef gives
 * the default shown for string fields. */
static void md_table(FILE *f, const qm_param_def *table, const char *const *skip,
                     const char *strdef)
{
    md_head(f);
    for (const qm_param_def *d = table; d->path; d++)
        if (!skip || qm_params_enum_index(skip, d->path) < 0)
            md_row(f, d, d->path, strdef);
}

/* What each event type does (MODEL.md 6), in qm_timeline_type order. */
static const char *const event_docs[] = {
    "commissioners lose a share `staff_loss` of their staff, `knowledge_loss` of their "
    "knowledge and `rupture` of their relationship evidence, and developments are set back "
    "by `setback` of a stage; optionally commissioners merge in groups of `merge` (the lowest id absorbs the others: "
    "populations and staff add, knowledge is population-weighted, for each service the "
    "largest member's contract survives with the summed volume, relationships keep the most "
    "evidence) or a share `split_share` of them split in two (largest populations first; "
    "each half keeps the contracts with half the volume, the knowledge and the "
    "relationships). One event either merges or splits: `merge` > 1 with `split_share` > 0 "
    "is an error.",
    "a share `share` of each commissioner's analytic knowledge and analysts moves into its "
    "host CSU (the nearest CSU), which then serves it under an analytics engagement.",
    "sets the `policy.*` parameter `key` to `value` from that month on.",
    "a share `share` of commissioners (lowest ids first) must start a development of the "
    "service (or of every service when `service` is left out).",
    "every running engagement loses a share `clarity_loss` of its brief clarity.",
    "the service's demand (or every service's, when `service` is left out) is multiplied by "
    "`factor` from that month on.",
};
_Static_assert(sizeof event_docs / sizeof event_docs[0] == QM_TL_N,
               "one description per timeline event type");

/* The timeline's keys whose type, default or range the table cannot say. */
static const struct {
    const char *key, *type, *def, *range;
} event_key_docs[] = {
    {"month", NULL, "(required)", "0 to `months` - 1"},
    {"type", NULL, "(required)", NULL},
    {"service", NULL, "all services", "a service name"},
    {"key", NULL, "(required)", "a `policy.*` key"},
    {"value", "the key's type", "(required)", "the key's range"},
};

static void md_timeline(FILE *f)
{
    char applies[QM_ERR_LEN / 4];
    fprintf(f, "\n## Timeline events\n\n`timeline = ( { month = 36; type = "
            "\"reorganisation\"; ... }, ... );` (optional) lists events that change the run "
            "from a given month; at most %d. Each event needs `month`, which must be before "
            "`months`, and `type`. The other keys depend on the type (a key given to a type "
            "that does not take it is an error), and each key left out takes its default. "
            "Events are applied in order of month; events of the same month keep their order "
            "in the file. Timeline events cannot be changed with `--set`.\n\n", MAX_EVENTS);
    fputs("| key | type | default | range | unit | applies to | meaning |\n"
          "|---|---|---|---|---|---|---|\n", f);
    for (const qm_param_def *d = qm_timeline_fields; d->path; d++) {
        md_cells c = {NULL, NULL, NULL, "all"};
        for (size_t i = 0; i < sizeof event_key_docs / sizeof event_key_docs[0]; i++)
            if (strcmp(event_key_docs[i].key, d->path) == 0) {
                c.type = event_key_docs[i].type;
                c.def = event_key_docs[i].def;
                c.range = event_key_docs[i].range;
            }
        if (d->mask != ~0u) {
            mask_names(applies, sizeof applies, d->mask);
            c.applies = applies;
        }
        md_row_as(f, d, d->path, &c);
    }
    fputs("\nWhat each type does, and the keys it takes besides `month` and `type`:\n\n", f);
    for (int t = 0; t < QM_TL_N; t++) {
        int k = 0;
        fprintf(f, "* `%s`: ", qm_timeline_names[t]);
        md_text(f, event_docs[t]);
        fputs(" Keys: ", f);
        for (const qm_param_def *d = qm_timeline_fields; d->path; d++)
            if (d->mask != ~0u && (d->mask & (1u << t)))
                fprintf(f, "%s`%s`", k++ ? ", " : "", d->path);
        fputs(k ? ".\n" : "none.\n", f);
    }
    fputs("\nA `policy` event's `value` takes the type and range of the parameter its `key` "
          "names:\n\n| key | value |\n|---|---|\n", f);
    for (const qm_param_def *d = qm_param_table; d->path; d++) {
        if (!is_policy_path(d->path))
            continue;
        fprintf(f, "| `%s` | ", d->path);
        md_type(f, d);
        if (d->type == QM_T_DOUBLE || d->type == QM_T_INT) {
            fputs(" in ", f);
            md_range(f, d);
        }
        fputs(" |\n", f);
    }
}

/* Writes the Markdown reference of every scenario key to f (the generated
 * part of docs/scenarios.md).  Write errors are the caller's to check with
 * ferror(f). */
void qm_scenario_write_reference(FILE *f)
{
    if (!f)
        return;
    fputs("## Top-level keys\n\n", f);
    md_head(f);
    for (const qm_param_def *d = top_fields; d->path; d++)
        md_row(f, d, d->path, d->offset == offsetof(qm_scenario, name) ? "(required)" : "\"\"");
    fputs("\n`services`, `commissioners` and `providers` are required lists, described "
          "below; `entrant` is an optional group, and `agencies` and `timeline` are optional "
          "lists.\n", f);

    fputs("\n## Parameter groups\n\nEach group is written `group = { key = value; ... };` "
          "and may be left out; every key left out keeps its default. A real may be "
          "written as an integer (`2` for `2.0`).\n", f);
    for (const qm_param_def *d = qm_param_table; d->path; d++) {
        size_t gl = group_len(d->path);
        if (opens_group(d)) {
            fprintf(f, "\n### `%.*s`\n\n", (int)gl, d->path);
            md_head(f);
        }
        md_row(f, d, d->path + gl + 1, "");
    }

    fprintf(f, "\n## Services\n\n`services = ( { name = \"...\"; ... }, ... );` lists the "
            "service lines: at least one, at most %d, names unique. A provider's unit cost "
            "lies in [cost_min, cost_max] x tariff, so cost_min must not exceed cost_max.\n\n",
            MAX_SERVICES);
    md_table(f, qm_service_fields, NULL, "(required)");

    fprintf(f, "\n## Commissioner groups\n\n`commissioners = ( { ... }, ... );` lists groups "
            "of commissioners sharing attribute distributions; at least one group and at most "
            "%d commissioners in all. Commissioners without explicit names are called "
            "`<prefix> 1`, `<prefix> 2`, ... within their group; every name must be unique.\n\n",
            MAX_COMMISSIONERS);
    md_table(f, qm_cgroup_fields, NULL, "\"Commissioner\"");
    md_names_row(f);

    fprintf(f, "\n## Provider groups\n\n`providers = ( { ... }, ... );` lists groups of "
            "providers of one kind offering the same services; at least one group, and at "
            "most %d providers in all counting `market.max_entrants`. Names work as for "
            "commissioners; the default prefix is the kind.\n\n", MAX_PROVIDERS);
    md_table(f, qm_pgroup_fields, NULL, "the kind");
    md_names_row(f);
    fputs("| `services` | array of strings | all services | service names, each at most "
          "once | | Services the group offers. |\n", f);

    fputs("\n## Entrant\n\n`entrant = { ... };` (optional) is the template for providers "
          "that enter the market during a run. Entrants are always `independent`; their "
          "number is limited by `market.max_entrants` and they are named `<prefix> 1`, "
          "`<prefix> 2`, ... It takes the provider-group fields below; `kind`, `count`, "
          "`names` and `services` cannot be set.\n\n", f);
    md_table(f, qm_pgroup_fields, entrant_fixed, "\"Entrant\"");

    fprintf(f, "\n## Agency groups\n\n`agencies = ( { kind = \"csu\"; count = 2; ... }, ... );` "
            "(optional) lists groups of support agencies of one kind sharing attribute "
            "distributions; left out, there are none. At most %d agencies in all. Names work "
            "as for commissioners; the default prefix is the kind.\n\n", MAX_AGENCIES);
    md_table(f, qm_agroup_fields, NULL, "the kind");
    md_names_row(f);

    md_timeline(f);

    fprintf(f, "\n## Distributions\n\nA field of type *distribution* is either a number "
            "(every entity in the group gets that value) or a group naming a "
            "distribution:\n\n"
            "| `dist` | keys | checks |\n|---|---|---|\n"
            "| `const` | `value` | value in the field's range (same as a plain number) |\n"
            "| `uniform` | `min`, `max` | both in range, min <= max |\n"
            "| `normal` | `mean`, `sd` | mean in range, sd >= 0; draws are clipped to the "
            "range |\n"
            "| `lognormal` | `mean`, `sd` (of the variable itself, not of its log) | mean > 0 "
            "and in range, sd >= 0; draws are clipped to the range |\n"
            "| `beta` | `a`, `b` | a > 0, b > 0; the field's range must contain [0, 1] |\n"
            "| `list` | `values` | exactly `count` numbers (at most %d), each in range; entity "
            "i of the group gets values[i] |\n", QM_LIST_MAX);
}
