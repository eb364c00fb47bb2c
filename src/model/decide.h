/* decide.h: the contract decision at expiry (MODEL.md 4.3): a multinomial
 * logit over renew, renegotiate, tender and decommission, what the choice
 * leads to, and the decommissioning it may settle. */
#ifndef QM_MODEL_DECIDE_H
#define QM_MODEL_DECIDE_H

#include "qmsim/params.h"
#include "qmsim/state.h"

typedef enum {
    QM_DEC_RENEW = 0, QM_DEC_RENEGOTIATE, QM_DEC_TENDER, QM_DEC_DECOMMISSION, QM_DEC_N
} qm_decision;

/* What a commissioner weighs at expiry. */
typedef struct qm_decision_in {
    double trust;          /* T in the incumbent */
    double tenure;         /* months with the incumbent */
    double gap;            /* perceived shortfall, before the positive part */
    double free_capacity;  /* contracting FTE free this month */
    double n_alt;          /* alternative providers able to take it */
    double share;          /* the contract's share of the incumbent's income */
    double market;         /* m_c */
    double risk;           /* r_c */
    double parcel;         /* b_s */
    double pressure;       /* policy pressure to tender */
    int can_decommission;  /* a completed development replaces the service */
} qm_decision_in;

/* Fills V with the utilities of MODEL.md 4.3; decommission gets a utility
 * only when available (its availability is returned in avail). */
void qm_decide_utilities(const qm_params *p, const qm_decision_in *in,
                         double V[QM_DEC_N], int avail[QM_DEC_N]);

/* Logit probabilities over the available options (max-shifted, so large
 * utilities do not overflow). */
void qm_decide_probs(const double V[QM_DEC_N], const int avail[QM_DEC_N], double prob[QM_DEC_N]);

/* The option whose cumulative probability first exceeds u in [0,1). */
int qm_decide_pick(const double prob[QM_DEC_N], double u);

/* Contract k, held by commissioner c, is at expiry: weighs the options, draws
 * one (a mandate may send it to tender regardless), and carries it out:
 * a renewal or renegotiation when its staff time fits (else the work
 * waits a month), a tender when its first month fits (else a rollover),
 * a decommissioning when another provider can take the new pathway (else
 * a renewal).  Draws from c's stream; changes only commissioner c. */
void qm_decide_expiry(qm_sim *sim, int c, qm_contract *k);

/* Settles the decommissioning of contract k that c decided this month: the new
 * pathway moves to the chosen provider when it still has room, and the
 * contract starts a new term.  Serial. */
void qm_decide_settle_decommission(qm_sim *sim, int c, qm_contract *k);

/* MODEL.md 4.3 (v2): savings are uncertain.  Once an outsider that won on
 * an optimistic cost has delivered reveal_months, its true cost shows; if
 * it exceeds the price, the provider hands the contract back with
 * probability handback_prob (the commissioner re-procures, starting a
 * tender and paying cost meanwhile) or else renegotiates the price up to
 * cost plus mark-up (renegotiation time on both sides).  Draws from c's
 * stream; changes only c (a parallel phase). */
void qm_decide_review(qm_sim *sim, int c, qm_contract *k);

#endif
