/* comparison.c: a comparison in memory (qmsim/comparison.h): its scenarios, runs,
 * outcomes and kept series, allocated and freed in one place for the
 * runner (crn.c) and the gatherers (gather.c). */
#include "qmsim/comparison.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare/cmp.h"
#include "io/h5.h"

const char *const qm_cmp_source_names[] = {"scenarios", "files", "sweep"};

char *qm_cmp_strdup(const char *s)
{
    return strdup(s ? s : "");
}

void qm_cmp_free(qm_cmp *d)
{
    for (int s = 0; s < d->n_scen && d->scen; s++) {
        free(d->scen[s].name);
        free(d->scen[s].source);
        free(d->scen[s].description);
        free(d->scen[s].settings);
        free(d->scen[s].resolved);
    }
    free(d->scen);
    free(d->run_scen);
    free(d->run_rep);
    free(d->run_seed);
    qm_h5_free_strings(d->run_file, d->n_runs);
    free(d->out);
    free(d->y);
    qm_h5_free_strings(d->ser_names, d->n_ser);
    qm_h5_free_strings(d->ser_units, d->n_ser);
    qm_h5_free_strings(d->ser_desc, d->n_ser);
    free(d->ser);
    free(d->events);
    memset(d, 0, sizeof *d);
}

int qm_cmp_alloc_runs(qm_cmp *d, int n, int with_events)
{
    d->n_runs = n;
    d->run_scen = calloc((size_t)n + 1, sizeof *d->run_scen);
    d->run_rep = calloc((size_t)n + 1, sizeof *d->run_rep);
    d->run_seed = calloc((size_t)n + 1, sizeof *d->run_seed);
    d->run_file = calloc((size_t)n + 1, sizeof *d->run_file);
    d->y = malloc(((size_t)n * (size_t)d->n_out + 1) * sizeof *d->y);
    if (!d->run_scen || !d->run_rep || !d->run_seed || !d->run_file || !d->y)
        return -1;
    for (size_t i = 0; i < (size_t)n * (size_t)d->n_out; i++)
        d->y[i] = NAN;
    if (d->n_ser > 0 && d->T > 0) {
        size_t m = (size_t)n * (size_t)d->n_ser * (size_t)d->T;
        d->ser = malloc(m * sizeof *d->ser);
        if (!d->ser)
            return -1;
        for (size_t i = 0; i < m; i++)
            d->ser[i] = NAN;
    }
    if (with_events && !(d->events = calloc((size_t)n * QM_EV_N + 1, sizeof *d->events)))
        return -1;
    return 0;
}

int qm_cmp_set_model_series(qm_cmp *d, const int *ids, int n)
{
    d->n_ser = n;
    d->ser_names = calloc((size_t)n + 1, sizeof(char *));
    d->ser_units = calloc((size_t)n + 1, sizeof(char *));
    d->ser_desc = calloc((size_t)n + 1, sizeof(char *));
    if (!d->ser_names || !d->ser_units || !d->ser_desc)
        return -1;
    for (int i = 0; i < n; i++) {
        d->ser_names[i] = qm_cmp_strdup(qm_series_defs[ids[i]].name);
        d->ser_units[i] = qm_cmp_strdup(qm_series_defs[ids[i]].units);
        d->ser_desc[i] = qm_cmp_strdup(qm_series_defs[ids[i]].description);
        if (!d->ser_names[i] || !d->ser_units[i] || !d->ser_desc[i])
            return -1;
    }
    return 0;
}
