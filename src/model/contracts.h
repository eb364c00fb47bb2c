/* contracts.h: a contract's term and its holder (MODEL.md 4.3): who can
 * take a contract, a new term, and a change of provider.  Shared by the
 * decisions at expiry, the tenders and the market's exits. */
#ifndef QM_MODEL_CONTRACTS_H
#define QM_MODEL_CONTRACTS_H

#include "qmsim/state.h"
#include "core/state.h"
#include "core/walk.h"

/* Whether a provider with this much room (capacity less the volume it
 * holds) could take contract k: the contract's own volume counts as free
 * when p already holds it (MODEL.md 4.3 eligibility).  Inline, as the
 * two below: walks ask it of every provider they pass. */
static inline int qm_contracts_room_fits(const qm_sim *sim, double room, int p,
                                         const qm_contract *k)
{
    double spare = p == k->provider ? room + k->volume : room;
    return spare >= sim->p.tender.eligibility_share * k->volume;
}

/* Whether provider p could take contract k of service s: it is in the
 * market, offers s and has room for eligibility_share of the contract's
 * volume (the volume counts as free when p already holds it).  Reads
 * only. */
static inline int qm_contracts_fits(const qm_sim *sim, int p, int s, const qm_contract *k)
{
    size_t ps = QM_PS(sim, p, s);
    return sim->prov[p].active && sim->offers[ps] &&
           qm_contracts_room_fits(sim, sim->capacity[ps] - sim->held[ps], p, k);
}

/* qm_contracts_fits for provider p, the one the service walk w returned
 * last, from the room the walk's list keeps (-inf once it has left): the
 * same test without reading the provider's records.  Reads only. */
static inline int qm_contracts_walk_fits(const qm_sim *sim, const qm_walk *w, int p,
                                         const qm_contract *k)
{
    return qm_contracts_room_fits(sim, qm_walk_room(w), p, k);
}

/* Starts a new term of contract k, held by commissioner c, this month,
 * ceil(term) months long, and records an event of the given type with
 * the contract's price.  Changes only c's contract and events. */
void qm_contracts_renew(qm_sim *sim, int c, qm_contract *k, int type, double term);

/* MODEL.md 6 (v2): consolidation happens by decisions at expiry, never by
 * bookkeeping.  When a decision lets contract k anew (a renegotiation, a
 * tender's award, a decommissioning's move; a renewal or rollover keeps
 * the same terms, so the contract stays as it is), k joins another
 * contract that
 * commissioner c holds for the same service with the same provider (the
 * first in slot order, not in a tender or a decommissioning): that one
 * takes k's volume and share and keeps its own terms, and k ends.  The
 * provider's held volume does not change.  Returns the contract that
 * carries on: the other one, or k when there is none.  Changes only c's
 * contracts. */
qm_contract *qm_contracts_consolidate(qm_sim *sim, int c, qm_contract *k);

/* Moves contract k, held by commissioner c, to provider p (MODEL.md 4.3
 * switching): the volume held moves, the switch costs staff time and a
 * quality dip, the new relationship starts at the prior, and the loser's
 * record suffers when it lost a tender.  Serial: changes both providers'
 * held volume. */
void qm_contracts_switch(qm_sim *sim, int c, qm_contract *k, int p, int lost_tender);

/* MODEL.md 4.3 (v2): what a contract's delivery has revealed of a price
 * built on an optimistic unit cost (bid_cost > 0): 0 nothing yet (or
 * nothing to reveal), 1 revealed and covered by the price, 2 revealed and
 * the true cost exceeds the price.  Pure. */
int qm_contracts_revealed(int months_held, int reveal_months, double bid_cost, double true_cost,
                          double price);

#endif
