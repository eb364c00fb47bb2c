/* contracts.h: a contract's term and its holder (MODEL.md 4.3): who can
 * take a contract, a new term, and a change of provider.  Shared by the
 * decisions at expiry, the tenders and the market's exits. */
#ifndef QM_MODEL_CONTRACTS_H
#define QM_MODEL_CONTRACTS_H

#include "qmsim/state.h"
#include "core/walk.h"

/* Whether provider p could take contract k of service s: it is in the
 * market, offers s and has room for eligibility_share of the contract's
 * volume (the volume counts as free when p already holds it).  Reads
 * only. */
int qm_contracts_fits(const qm_sim *sim, int p, int s, const qm_contract *k);

/* qm_contracts_fits for provider p, the one the service walk w returned
 * last, from the room the walk's list keeps (-inf once it has left): the
 * same test without reading the provider's records.  Reads only. */
int qm_contracts_walk_fits(const qm_sim *sim, const qm_walk *w, int p, const qm_contract *k);

/* Starts a new term of commissioner c's contract for s this month,
 * ceil(term) months long, and records an event of the given type with
 * the contract's price.  Changes only c's contract and events. */
void qm_contracts_renew(qm_sim *sim, int c, int s, int type, double term);

/* Moves commissioner c's contract for s to provider p (MODEL.md 4.3
 * switching): the volume held moves, the switch costs staff time and a
 * quality dip, the new relationship starts at the prior, and the loser's
 * record suffers when it lost a tender.  Serial: changes both providers'
 * held volume. */
void qm_contracts_switch(qm_sim *sim, int c, int s, int p, int lost_tender);

#endif
