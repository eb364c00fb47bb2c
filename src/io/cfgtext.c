/* cfgtext.c: a byte-order mark passed over and libconfig's syntax errors
 * told once, with their line (io/cfgtext.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "io/cfgtext.h"

const char *qm_cfgtext_skip_bom(const char *text)
{
    return text && !strncmp(text, "\xEF\xBB\xBF", 3) ? text + 3 : text;
}

/* The line-th line (from 1) of text, trimmed, into buf (size n): "" when
 * there is none. */
static void line_of(const char *text, int line, char *buf, size_t n)
{
    const char *p = text;
    for (int l = 1; p && l < line; l++) {
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    buf[0] = '\0';
    if (!p)
        return;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t len = strcspn(p, "\r\n");
    while (len > 0 && isspace((unsigned char)p[len - 1]))
        len--;
    if (len > n - 4)   /* cut long lines, and say so */
        snprintf(buf, n, "%.*s...", (int)(n - 4), p);
    else
        snprintf(buf, n, "%.*s", (int)len, p);
}

/* 1 when the line holds the word w (not part of a longer name). */
static int has_word(const char *s, const char *w)
{
    size_t k = strlen(w);
    for (const char *p = strstr(s, w); p; p = strstr(p + 1, w))
        if ((p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))
            && !(isalnum((unsigned char)p[k]) || p[k] == '_'))
            return 1;
    return 0;
}

void qm_cfgtext_syntax(qm_errors *err, const char *name, const char *text, const config_t *cfg)
{
    const char *file = config_error_file(cfg), *what = config_error_text(cfg);
    int line = config_error_line(cfg);
    char src[96], more[160] = "";
    line_of(text, line, src, sizeof src);
    if (what && strcmp(what, "syntax error") != 0)
        snprintf(more, sizeof more, " (%s)", what);
    else if (has_word(src, "nan") || has_word(src, "inf") || has_word(src, "NaN")
             || has_word(src, "Inf"))
        snprintf(more, sizeof more, " (nan and inf are not numbers a file can give: write a "
                                    "finite number)");
    if (src[0])
        qm_errors_add(err, "%s:%d: syntax error in `%s`%s", file ? file : name, line, src, more);
    else
        qm_errors_add(err, "%s:%d: syntax error%s", file ? file : name, line,
                      more[0] ? more : " at the end of the text");
}
