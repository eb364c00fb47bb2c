/* fixture.h: small model states for the unit tests of src/model.
 *
 * fx_open builds the state of the tiny scenario below (plus any text the
 * test appends, which may override a key) at month 0, with one thread;
 * a test then sets the fields a rule reads by hand, calls the rule and
 * checks what it wrote against values worked out in a comment.  fx_small
 * builds the small scenario the whole-run tests of engagements,
 * developments and timeline events use. */
#ifndef QM_TEST_FIXTURE_H
#define QM_TEST_FIXTURE_H

#include <check.h>
#include <gsl/gsl_rng.h>

#include "qmsim/qmsim.h"
#include "core/state.h"

#define EPS 1e-9

/* Two commissioners (C1: 100,000 people, C2: 200,000; 2 FTE of contracting
 * and development staff each), two services ("acute": 2 units per 1,000 a
 * month at a tariff of 1,000; "community": 10 at 100; no staff scarcity),
 * three providers offering both (0 "Acute", NHS, quality 0.7; 1
 * "Community", NHS, quality 0.6; 2 "Firm", independent, quality 0.65, the
 * cheapest), two agencies (0 a CSU, 1 a commercial firm).  Every other
 * number is the default of src/core/params.c. */
extern const char *const fx_tiny;

typedef struct fx {
    qm_scenario sc;
    qm_sim *sim;
} fx;

/* The tiny scenario with extra appended (NULL for none), at month 0. */
fx *fx_open(const char *extra);

/* The small scenario of the whole-run tests: four commissioners, two
 * services, four providers, a CSU of capacity cap and skill skill, and a
 * commercial firm, with extra appended. */
fx *fx_small(const char *cap, const char *skill, const char *extra);

/* Any scenario text, at month 0. */
fx *fx_text(const char *text);

void fx_close(fx *f);

/* Steps the simulation until it has completed month months. */
void fx_step_to(qm_sim *sim, int month);

/* Reseeds r so that its next uniform draw lies in [lo, hi): a test that
 * needs a random choice to go one way says so, and the stream it uses is
 * still the generator's own. */
void fx_next_uniform(gsl_rng *r, double lo, double hi);

/* Reseeds r so that each of its next n uniform draws lies in its range
 * [lo[i], hi[i]). */
void fx_next_uniforms(gsl_rng *r, int n, const double *lo, const double *hi);

/* Empties every commissioner's list of relationships and events. */
void fx_forget(qm_sim *sim);

/* Runs a suite of one test case; the exit status of a test program. */
int fx_run(const char *name, void (*add)(TCase *tc));

#endif
