/* init.h: initialisation (MODEL.md 5): the initial commissioners,
 * providers (and the set-up entrants share), agencies with each
 * commissioner's host CSU, and the initial contracts with relationships
 * that pre-date the market.  Each entity draws from its own init stream. */
#ifndef QM_MODEL_INIT_H
#define QM_MODEL_INIT_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "qmsim/state.h"

/* Draws every commissioner of every group, in order.  Cannot fail. */
void qm_init_commissioners(qm_sim *sim);

/* Sets up provider slot p from group G (entity index i within it), drawing
 * from r: kind, mark-up, optimism, sharing and, per service offered,
 * capacity, quality and unit cost.  Used at the start and for entrants.
 * Cannot fail. */
void qm_init_provider(qm_sim *sim, int p, const qm_provider_group *G, int i,
                      gsl_rng *r, double position);

/* Draws every provider of every group, in order.  Cannot fail. */
void qm_init_providers(qm_sim *sim);

/* Draws every agency of every group, and gives each commissioner the CSU
 * nearest to it as its host.  Cannot fail. */
void qm_init_agencies(qm_sim *sim);

/* Gives each commissioner one contract per service with the provider the
 * scenario's rule chooses, staggered expiries and trust evidence for the
 * relationship's age; incumbents get capacity for what they hold.  Needs
 * the service lists (qm_walk_build).  Returns -1 with a message in err
 * when no provider offers a service, else 0. */
int qm_init_contracts(qm_sim *sim, char *err, size_t errlen);

#endif
