/* suggest.c: the one did-you-mean (suggest.h): optimal-string-alignment
 * distance and the rule of how near a name must be to be suggested. */
#include "io/suggest.h"

#include <stdint.h>
#include <string.h>

/* Optimal-string-alignment distance (Levenshtein plus adjacent swaps);
 * SIZE_MAX when either side is longer than QM_SUGGEST_MAX. */
static size_t osa(const char *a, size_t n, const char *b, size_t m)
{
    unsigned short d[QM_SUGGEST_MAX + 1][QM_SUGGEST_MAX + 1];
    if (n > QM_SUGGEST_MAX || m > QM_SUGGEST_MAX)
        return SIZE_MAX;
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (unsigned short)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (unsigned short)j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            unsigned v = d[i - 1][j] + 1u, w = d[i][j - 1] + 1u;
            unsigned x = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            v = v < w ? v : w;
            v = v < x ? v : x;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1u < v)
                v = d[i - 2][j - 2] + 1u;
            d[i][j] = (unsigned short)v;
        }
    return d[n][m];
}

void qm_suggest_init(qm_suggest *g, const char *typed, size_t keylen)
{
    g->typed = typed;
    g->limit = keylen / 3 > 2 ? keylen / 3 : 2;
    g->best = NULL;
    g->bestd = SIZE_MAX;
    g->bestl = 0;
}

void qm_suggest_try(qm_suggest *g, const char *cand, size_t len)
{
    size_t d = osa(g->typed, strlen(g->typed), cand, len);
    if (d <= g->limit && d < g->bestd) {
        g->best = cand;
        g->bestd = d;
        g->bestl = len;
    }
}

void qm_suggest_names(qm_suggest *g, const char *const *names, int n)
{
    for (int i = 0; names && (n < 0 ? names[i] != NULL : i < n); i++)
        qm_suggest_try(g, names[i], strlen(names[i]));
}

const char *qm_suggest_nearest(const char *typed, const char *const *names, int n)
{
    qm_suggest g;
    qm_suggest_init(&g, typed, strlen(typed));
    qm_suggest_names(&g, names, n);
    return g.best;
}
