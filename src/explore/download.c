/* download.c: writing a session's run as `qmsim run` does (download.h). */
#include "explore/download.h"

#include <gsl/gsl_rng.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qmsim/output.h"
#include "qmsim/version.h"

/* Debian's HDF5 is not built thread-safe: one writer at a time. */
static pthread_mutex_t hdf5_lock = PTHREAD_MUTEX_INITIALIZER;

/* Steps sim to its horizon writing every month, then closes the file. */
static int simulate(qm_sim *sim, qm_frame *f, qm_output *out, char *err, size_t n)
{
    while (sim->month < sim->months) {
        qm_sim_step(sim);
        qm_observe(sim, f);
        if (qm_output_write(out, f, err, n) != 0) {
            qm_output_abort(out);
            return -1;
        }
    }
    return qm_output_close_sim(out, sim, err, n);
}

static int write_run(const qm_scenario *sc, const char *path, char *err, size_t n)
{
    qm_sim *sim = qm_sim_create(sc, sc->seed, 0, 1, err, n);
    if (!sim)
        return -1;
    char *resolved = qm_scenario_resolved_text(sc);
    qm_run_info info = {
        .version = QMSIM_VERSION, .scenario_name = sc->name,
        .scenario_source = sc->source_name, .scenario_text = sc->source_text,
        .resolved_text = resolved ? resolved : "", .seed = sc->seed, .replicate = 0,
        .generator = gsl_rng_name(sim->comm[0].rng), .threads = 1, .months = sc->months,
        .start_month = sc->start_month, .panels = sc->p.output.panels,
        .events = sc->p.output.events, .flush_months = sc->p.output.flush_months,
    };
    qm_frame *f = qm_frame_alloc(sim);
    int rc = -1;
    if (!resolved || !f)
        snprintf(err, n, "out of memory");
    else {
        pthread_mutex_lock(&hdf5_lock);
        qm_output *out = qm_output_open(path, 1, &info, sim->max_commissioners,
                                        sim->max_providers, sim->n_agencies, err, n);
        rc = out ? simulate(sim, f, out, err, n) : -1;
        pthread_mutex_unlock(&hdf5_lock);
    }
    free(resolved);
    qm_frame_free(f);
    qm_sim_free(sim);
    return rc;
}

int qm_xdownload_write(const qm_xarm *a, const char *path, char *err, size_t n)
{
    static qm_errors none;
    qm_errors *errs = malloc(sizeof *errs);
    const char *setv[QM_X_SETS + 2];
    qm_scenario sc;
    if (!errs) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    *errs = none;
    for (int k = 0; k < a->n_sets; k++)
        setv[k] = a->sets[k];
    if (qm_scenario_load_text(a->text, a->source, setv, a->n_sets, &sc, errs) != 0) {
        snprintf(err, n, "%s", errs->msg[0]);
        free(errs);
        return -1;
    }
    free(errs);
    int rc = write_run(&sc, path, err, n);
    qm_scenario_free(&sc);
    return rc;
}
