/* scenario_lex.c: checks of a scenario's raw text before libconfig parses
 * it: a tokenizer and recognizer of libconfig's grammar that flags wrapped
 * integer literals, @include, deep nesting and a syntax error at a string. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "io/scenario_read.h"

int qm_lex_bad_line(const rd *r, const config_setting_t *s)
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
int qm_lex_check(rd *r, const char *t)
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
