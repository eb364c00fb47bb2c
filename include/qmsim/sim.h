/* sim.h: a simulation's life (MODEL.md 3 and 5): create the state of one
 * replicate, step it a month at a time, release it.  The state itself is
 * described in qmsim/state.h; the observer (qmsim/observe.h) reads it. */
#ifndef QMSIM_SIM_H
#define QMSIM_SIM_H

#include <stddef.h>
#include <stdint.h>
#include "qmsim/params.h"
#include "qmsim/state.h"

/* Builds the initial state of one replicate (MODEL.md 5).  threads <= 0
 * means OpenMP's default.  Returns NULL and writes a message into err when
 * the scenario needs more than it can have (e.g. no provider offers a
 * service) or memory runs out. */
qm_sim *qm_sim_create(const qm_scenario *sc, uint64_t seed, uint64_t replicate,
                      int threads, char *err, size_t errlen);

/* Contract slots a thread of the model's passes needs before a second
 * thread pays for itself: below it, what a thread saves is less than the
 * cost of waking it and of moving the month's data between the cores'
 * caches (bench/README.md, "How many threads a run uses"). */
#define QM_SIM_SLOTS_PER_THREAD 8000

/* The threads the model's passes of a run should use when `threads` are
 * asked for (at least 1): one fewer when the output writer compresses
 * panels or the event table on a core of its own (writer_core), and no
 * more than one per QM_SIM_SLOTS_PER_THREAD of the `slots` contract slots
 * (commissioner slots x services).  Results never depend on it. */
int qm_sim_plan_threads(int threads, double slots, int writer_core);

/* Runs one month (MODEL.md 3).  Cannot fail; allocates nothing. */
void qm_sim_step(qm_sim *sim);

/* Releases the simulation.  Safe on NULL. */
void qm_sim_free(qm_sim *sim);

/* Commissioner slots a scenario reserves: its commissioners and every body
 * its timeline's splits may add (MODEL.md 6).  In double, so that absurd
 * timelines saturate instead of overflowing; qm_sim_create refuses more
 * than a million.  Reads only; cannot fail. */
double qm_sim_commissioner_slots(const qm_scenario *sc);

/* Memory the state of a scenario would need, in bytes, computed before
 * anything is allocated. */
size_t qm_sim_footprint(const qm_scenario *sc);

#endif
