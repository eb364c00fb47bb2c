/* tender.h: competitive tenders (MODEL.md 4.3): a tender's start, the
 * shortlist and the bids, their scores and ranking, and the award. */
#ifndef QM_MODEL_TENDER_H
#define QM_MODEL_TENDER_H

#include "qmsim/params.h"
#include "qmsim/state.h"

/* One bid as the commissioner sees it. */
typedef struct qm_bid {
    int provider;
    double price;     /* u (1 + mark-up) */
    double cost;      /* the unit cost u the price is built on (v2) */
    double qhat;      /* quality the commissioner credits the bidder with */
    double trust;
    double score;
} qm_bid;

/* An outsider's credited quality: I q + (1 - I) claim, so that poor
 * information favours confident claims.  Pure. */
double qm_tender_credit(double info, double q, double claim);

/* Score w_q qhat - w_p price / reference + w_T T (v2: the reference price
 * of MODEL.md 2, the tariff where there is one).  Pure. */
double qm_tender_score(const qm_params *p, double qhat, double price, double tariff, double trust);

/* Sorts bids by score, best first; ties go to the lower provider id so the
 * order never depends on how bids were gathered.  Cannot fail. */
/* MODEL.md 4.3 (v2): the unit cost an outsider prices on,
 * u (1 - 2 cost_optimism uniform), uniform in [0,1): on average
 * cost_optimism below the true cost.  Pure. */
double qm_tender_believed_cost(const qm_params *p, double u, double uniform);

void qm_tender_rank(qm_bid *bids, int n);

/* Starts a tender of contract k, held by commissioner c, when its first
 * month's staff time fits (MODEL.md 4.2), and returns 1: the contract runs
 * on until the tender ends.  Returns 0, changing only the shortfall, when
 * it does not fit.  Changes only commissioner c. */
int qm_tender_start(qm_sim *sim, int c, qm_contract *k);

/* The tender of contract k, held by c, completes this month: shortlists the
 * eligible providers within reach (the incumbent always, others by
 * reservoir sampling among those who find the staff to bid), prices and
 * scores their bids and leaves them ranked in the contract's bids for the
 * award.  Draws from c's stream; changes only commissioner c. */
void qm_tender_collect(qm_sim *sim, int c, qm_contract *k);

/* Awards the completed tender of contract k, held by c: every bidder pays its bid, and the
 * best bid that still fits wins (capacity goes in commissioner id order
 * across the market); a new provider means a switch.  With no bid that
 * fits, the contract is rolled over.  Serial. */
void qm_tender_award(qm_sim *sim, int c, qm_contract *k);

#endif
