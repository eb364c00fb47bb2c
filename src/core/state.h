/* state.h (internal): the plumbing of the model state of qmsim/state.h:
 * where a contract or a provider-service entry lies in its array, the
 * relationships (look-up, creation at the prior, the incumbent's hint)
 * and the recording of events.  Shared by the model's rules, the engine
 * and the observer; installed programs never see it. */
#ifndef QM_CORE_STATE_H
#define QM_CORE_STATE_H

#include <stdint.h>
#include "qmsim/state.h"

/* Contract of commissioner c for service s. */
#define QM_CON(sim, c, s) (&(sim)->con[(size_t)(c) * (sim)->n_services + (s)])
/* The v2 side of contract k (a qm_contract pointer into sim->con). */
#define QM_CONX(sim, k) (&(sim)->conx[(k) - (sim)->con])
/* This month's invoice of commissioner c's contract for s, and of
 * contract k (a pointer into sim->con). */
#define QM_INVOICE(sim, c, s) (&(sim)->invoice[(size_t)(c) * (sim)->n_services + (s)])
#define QM_INVOICE_OF(sim, k) (&(sim)->invoice[(k) - (sim)->con])
/* Index of provider p's entry for service s in the provider-service arrays. */
#define QM_PS(sim, p, s) ((size_t)(p) * (sim)->n_services + (s))
/* Ranked bids waiting for the award of commissioner c's contract for s. */
#define QM_BIDS(sim, c, s) (&(sim)->bids[((size_t)(c) * (sim)->n_services + (s)) * (sim)->bid_slots])
/* The bids and the demand share of contract k (a pointer into sim->con). */
#define QM_BIDS_OF(sim, k) (&(sim)->bids[(size_t)((k) - (sim)->con) * (sim)->bid_slots])
#define QM_SHARE(sim, k) ((sim)->share[(k) - (sim)->con])

/* The service contract k (a pointer into sim->con) is for. */
static inline int qm_state_service(const qm_sim *sim, const qm_contract *k)
{
    return (int)((size_t)(k - sim->con) % (size_t)sim->n_services);
}

/* Walks the slots whose contracts commissioner c holds: its own, then
 * those of the bodies it absorbed (MODEL.md 6, mergers keep contracts):
 * for (int o = c; o >= 0; o = qm_state_next_slot(sim, o)). */
static inline int qm_state_next_slot(const qm_sim *sim, int o)
{
    return sim->comm[o].chain;
}

/* The main contract commissioner c holds for service s: the active one
 * with the largest share, the first in slot order on a tie; NULL when it
 * holds none.  Rules that speak of "the" provider of a service (a
 * development's lead) ask it.  Reads only. */
qm_contract *qm_state_main_contract(const qm_sim *sim, int c, int s);

/* Starts a relationship at the prior: no evidence, a0 = mean * strength,
 * b0 = (1 - mean) * strength.  Cannot fail. */
void qm_state_rel_init(qm_rel *r, int32_t partner, double prior_mean, double strength);

/* Trust of a relationship, T = (alpha + a0) / (alpha + beta + a0 + b0)
 * (MODEL.md 2 Relationship).  Reads only. */
double qm_state_rel_mean(const qm_rel *r);

/* The partner id of agency a in a commissioner's relationships: agencies
 * follow every provider slot. */
static inline int qm_state_agency_partner(const qm_sim *sim, int a)
{
    return sim->max_providers + a;
}

/* Prior mean trust in a partner, by its kind: a provider id, or
 * max_providers + agency id for an agency.  Reads only. */
double qm_state_prior(const qm_sim *sim, int partner);

/* Trust in partner p held by commissioner c: the relationship's mean, or
 * the prior when there is no relationship.  Reads only. */
double qm_state_trust(const qm_sim *sim, int c, int p);

/* Relationship slot for (c, p), created at the prior when absent and
 * create is nonzero (forgetting the least recently active one when full);
 * NULL when absent and not created.  Changes only commissioner c. */
qm_rel *qm_state_rel(qm_sim *sim, int c, int p, int create);

/* qm_state_rel and qm_state_trust for the provider of commissioner c's
 * contract k: the same slot and value, found straight from the contract's
 * hint while it is right, which spares a scan and lets passes over
 * contracts ask the memory for the relationship early.  Both keep the
 * hint up to date. */
qm_rel *qm_state_incumbent_rel(qm_sim *sim, int c, qm_contract *k, int create);
double qm_state_incumbent_trust(const qm_sim *sim, int c, qm_contract *k);

/* Asks the memory for the relationship with the provider of contract k of
 * commissioner c, where its hint says it is; a hint, nothing more.  It
 * reads c's relationship count and k's hint, so it belongs where no other
 * thread is changing them. */
static inline void qm_state_prefetch_rel(const qm_sim *sim, int c, const qm_contract *k)
{
    const qm_commissioner *cm = &sim->comm[c];
    if (k->rel_hint >= 0 && k->rel_hint < cm->n_rel)
        __builtin_prefetch(&cm->rel[k->rel_hint]);
}

/* Records an event of this month for commissioner c (in its own buffer,
 * so threads never share one), or for the market when c < 0.  A full
 * buffer drops the event and counts it (never expected: buffers are
 * sized for the most a month can bring). */
void qm_state_event(qm_sim *sim, int c, int type, int s, int p, int other, double value);

#endif
