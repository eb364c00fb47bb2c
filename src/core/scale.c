/* scale.c: K copies of a scenario's entities, for scaling studies. */
#include "qmsim/scale.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Names for count * k entities: copy j of name i is "name #j+1". */
static int scale_names(char (**names)[QM_NAME_MAX], int n_names, int count, int k)
{
    if (n_names == 0)
        return 0;
    char (*out)[QM_NAME_MAX] = calloc((size_t)count * k, QM_NAME_MAX);
    if (!out)
        return -1;
    for (int j = 0; j < k; j++)
        for (int i = 0; i < count; i++) {
            char *dst = out[(size_t)j * count + i];
            if (j == 0)
                memcpy(dst, (*names)[i], QM_NAME_MAX);
            else
                snprintf(dst, QM_NAME_MAX, "%.*s #%d", QM_NAME_MAX - 8, (*names)[i], (j + 1) % 10000);
        }
    free(*names);
    *names = out;
    return 0;
}

static int too_big(long count, int k, long limit)
{
    return count > limit / k;
}

int qm_scale_apply(qm_scenario *sc, int k, char *err, size_t errlen)
{
    if (k < 1 || k > QM_SCALE_MAX) {
        snprintf(err, errlen, "scale %d is out of range [1, %d]", k, QM_SCALE_MAX);
        return -1;
    }
    long C = 0, P = sc->p.market.max_entrants, A = 0;
    for (int g = 0; g < sc->n_cgroups; g++)
        C += sc->cgroups[g].count;
    for (int g = 0; g < sc->n_pgroups; g++)
        P += sc->pgroups[g].count;
    for (int g = 0; g < sc->n_agroups; g++)
        A += sc->agroups[g].count;
    if (too_big(C, k, 1000000) || too_big(P, k, 10000000) || too_big(A, k, 1000000)) {
        snprintf(err, errlen, "scale %d would make %ld commissioners, %ld provider slots and "
                 "%ld agencies: too many", k, C * k, P * k, A * k);
        return -1;
    }
    for (int g = 0; g < sc->n_cgroups; g++) {
        qm_commissioner_group *G = &sc->cgroups[g];
        if (scale_names(&G->names, G->n_names, G->count, k) != 0)
            goto oom;
        G->n_names = G->n_names ? G->count * k : 0;
        G->count *= k;
    }
    for (int g = 0; g < sc->n_pgroups; g++) {
        qm_provider_group *G = &sc->pgroups[g];
        if (scale_names(&G->names, G->n_names, G->count, k) != 0)
            goto oom;
        G->n_names = G->n_names ? G->count * k : 0;
        G->count *= k;
    }
    for (int g = 0; g < sc->n_agroups; g++) {
        qm_agency_group *G = &sc->agroups[g];
        if (scale_names(&G->names, G->n_names, G->count, k) != 0)
            goto oom;
        G->n_names = G->n_names ? G->count * k : 0;
        G->count *= k;
    }
    sc->p.market.max_entrants *= k;
    return 0;
oom:
    snprintf(err, errlen, "out of memory scaling the scenario by %d", k);
    return -1;
}
