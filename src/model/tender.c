/* tender.c: scoring and ranking bids (MODEL.md 4.3). */
#include "model/tender.h"

#include <stdlib.h>

double qm_tender_credit(double info, double q, double claim)
{
    return info * q + (1.0 - info) * claim;
}

double qm_tender_score(const qm_params *p, double qhat, double price, double tariff, double trust)
{
    return p->tender.w_quality * qhat - p->tender.w_price * price / tariff + p->tender.w_trust * trust;
}

static int by_score(const void *a, const void *b)
{
    const qm_bid *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->provider > y->provider) - (x->provider < y->provider);
}

void qm_tender_rank(qm_bid *bids, int n)
{
    qsort(bids, (size_t)n, sizeof *bids, by_score);
}
