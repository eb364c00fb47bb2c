/* fuzz_scenario.c: the libFuzzer target (tests/fuzz/README.md).
 *
 * Arbitrary bytes go to the scenario reader and validator; lines "#set
 * path=value" at the top (comments to libconfig) become overrides, as
 * --set would give them.  A scenario that loads must write a resolved text
 * that loads back, and, when it is small enough, run for a few months with
 * every invariant of qm_check_state holding.  Anything else is a crash:
 * abort() with a message.  The same function replays the corpus and the
 * regressions in the normal test suite (replay.c). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "qmsim/check.h"
#include "qmsim/qmsim.h"

#define MAX_INPUT (256 * 1024)      /* bytes; a scenario is hand-written */
#define MAX_SETS 8
#define RUN_MONTHS 4                 /* months a fuzzed scenario runs */
#define RUN_FOOTPRINT (8u << 20)     /* bytes of state beyond which it does not run */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the last input did, for replay.c: 0 refused by the reader, 1 loaded,
 * 2 loaded and ran. */
int qm_fuzz_outcome;

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_scenario: %s: %s\n", what, detail);
    abort();
}

/* Collects "#set path=value" lines at the top of text (NUL-terminated in
 * place) into sets; returns how many. */
static int overrides(char *text, const char **sets)
{
    int n = 0;
    char *line = text;
    while (n < MAX_SETS && strncmp(line, "#set ", 5) == 0) {
        char *end = strchr(line, '\n');
        sets[n++] = line + 5;
        if (!end)
            break;
        *end = '\0';
        line = end + 1;
    }
    return n;
}

/* Runs a few months of a loaded scenario, checking every month. */
static void run(qm_scenario *sc)
{
    char err[512];
    if (qm_sim_footprint(sc) > RUN_FOOTPRINT)
        return;
    if (sc->months > RUN_MONTHS)
        sc->months = RUN_MONTHS;     /* later timeline events never fire */
    qm_sim *sim = qm_sim_create(sc, sc->seed, 0, 1, err, sizeof err);
    if (!sim)
        return;                      /* a clear refusal (e.g. no provider for a service) */
    qm_frame *f = qm_frame_alloc(sim);
    if (!f)
        fail("qm_frame_alloc", "out of memory");
    while (sim->month < sim->months) {
        qm_sim_step(sim);
        qm_observe(sim, f);
        if (qm_check_state(sim, f, err, sizeof err))
            fail("invariant broken", err);
    }
    qm_frame_free(f);
    qm_sim_free(sim);
    qm_fuzz_outcome = 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static qm_errors err;
    static int init;
    if (!init) {
        gsl_set_error_handler_off();  /* as the qmsim command does */
        init = 1;
    }
    if (size > MAX_INPUT)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *sets[MAX_SETS];
    int n = overrides(text, sets);
    /* The reader sees the whole text, "#set" lines and all (they are
     * comments); the NULs put in their place end it early, so give it a
     * copy with the newlines back. */
    char *body = malloc(size + 1);
    if (!body) {
        free(text);
        return 0;
    }
    memcpy(body, data, size);
    body[size] = '\0';

    qm_scenario sc;
    qm_fuzz_outcome = 0;
    if (qm_scenario_load_text(body, "fuzz.cfg", sets, n, &sc, &err) == 0) {
        qm_fuzz_outcome = 1;
        char *resolved = qm_scenario_resolved_text(&sc);
        if (resolved) {
            qm_scenario back;
            if (qm_scenario_load_text(resolved, "resolved.cfg", NULL, 0, &back, &err) != 0)
                fail("the resolved text does not load back", err.msg[0]);
            qm_scenario_free(&back);
            free(resolved);
        }
        run(&sc);
        qm_scenario_free(&sc);
    } else if (err.n <= 0) {
        fail("refused without a message", "qm_scenario_load_text returned nonzero, err.n <= 0");
    }
    free(body);
    free(text);
    return 0;
}
