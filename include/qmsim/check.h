/* check.h: the invariants of a running simulation (`qmsim run --check`).
 *
 * After each month the checker reads the state and the month's frame and
 * confirms what the model promises: money paid equals money received,
 * shares (trust, knowledge, dependency, quality, ...) lie in [0, 1],
 * every state variable and every observed series is a finite number, and
 * the copies the engine keeps for speed (the relationship index, each
 * provider's place and room along its service lists) agree with what
 * they copy.  It
 * names the first entity, variable and month that break one.  It only
 * reads; docs/reliability.md lists what it checks. */
#ifndef QMSIM_CHECK_H
#define QMSIM_CHECK_H

#include <stddef.h>
#include "qmsim/observe.h"
#include "qmsim/sim.h"

/* Checks the state of sim after a step and, when f is not NULL, the frame
 * qm_observe filled from it.  Returns 0 when every invariant holds;
 * otherwise 1, with a message in msg (n bytes, always NUL-terminated when
 * n > 0) such as "month 11: commissioner 'Northshire': analytic knowledge
 * A = nan is not a finite number".  Months are counted from 0, as in the
 * output file.  Reads only; cannot fail. */
int qm_check_state(const qm_sim *sim, const qm_frame *f, char *msg, size_t n);

#endif
