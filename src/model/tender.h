/* tender.h: bids, scores and ranking of a competitive tender (MODEL.md
 * 4.3).  Pure functions; none can fail. */
#ifndef QMSIM_TENDER_H
#define QMSIM_TENDER_H

#include "qmsim/params.h"

/* One bid as the commissioner sees it. */
typedef struct qm_bid {
    int provider;
    double price;     /* u (1 + mark-up) */
    double qhat;      /* quality the commissioner credits the bidder with */
    double trust;
    double score;
} qm_bid;

/* An outsider's credited quality: I q + (1 - I) claim, so that poor
 * information favours confident claims. */
double qm_tender_credit(double info, double q, double claim);

/* Score w_q qhat - w_p price / tariff + w_T T. */
double qm_tender_score(const qm_params *p, double qhat, double price, double tariff, double trust);

/* Sorts bids by score, best first; ties go to the lower provider id so the
 * order never depends on how bids were gathered. */
void qm_tender_rank(qm_bid *bids, int n);

#endif
