/* output_state.c: closing a run file from the state a run ended in: the
 * /entities tables gathered from the simulation, slot by slot as the frames
 * count them (qm_output_close_sim), for every command that writes a run. */
#include "qmsim/output.h"

#include <stdio.h>
#include <stdlib.h>

#include "qmsim/state.h"

typedef struct names {
    const char **comm, **prov, **kind, **svc, **agency, **akind;
    int *entrant, *entry;
} names;

static void names_free(names *n)
{
    free(n->comm);
    free(n->prov);
    free(n->kind);
    free(n->svc);
    free(n->entrant);
    free(n->entry);
    free(n->agency);
    free(n->akind);
}

/* Fills e from the state, with arrays in n (the strings stay the sim's).
 * Returns 0, or -1 when out of memory. */
static int entities_of(const qm_sim *sim, names *n, qm_entities *e)
{
    n->comm = calloc((size_t)sim->max_commissioners, sizeof(char *));
    n->prov = calloc((size_t)sim->max_providers, sizeof(char *));
    n->kind = calloc((size_t)sim->max_providers, sizeof(char *));
    n->svc = calloc((size_t)sim->n_services, sizeof(char *));
    n->entrant = calloc((size_t)sim->max_providers, sizeof(int));
    n->entry = calloc((size_t)sim->max_providers, sizeof(int));
    n->agency = calloc((size_t)sim->n_agencies + 1, sizeof(char *));
    n->akind = calloc((size_t)sim->n_agencies + 1, sizeof(char *));
    if (!n->comm || !n->prov || !n->kind || !n->svc || !n->entrant || !n->entry
        || !n->agency || !n->akind)
        return -1;
    for (int c = 0; c < sim->max_commissioners; c++)
        n->comm[c] = sim->comm[c].name;
    for (int p = 0; p < sim->max_providers; p++) {
        n->prov[p] = sim->prov[p].name;
        n->kind[p] = p < sim->n_providers ? qm_provider_kind_names[sim->prov[p].kind] : "";
        n->entrant[p] = sim->prov[p].entrant;
        n->entry[p] = p < sim->n_providers ? sim->prov[p].entry_month : -1;
    }
    for (int s = 0; s < sim->n_services; s++)
        n->svc[s] = sim->sc->services[s].name;
    for (int a = 0; a < sim->n_agencies; a++) {
        n->agency[a] = sim->agency[a].name;
        n->akind[a] = qm_agency_kind_names[sim->agency[a].kind];
    }
    *e = (qm_entities){sim->max_commissioners, n->comm, sim->max_providers, n->prov, n->kind,
                       n->entrant, n->entry, sim->n_services, n->svc,
                       sim->n_agencies, n->agency, n->akind};
    return 0;
}

int qm_output_close_sim(qm_output *o, const qm_sim *sim, char *err, size_t errlen)
{
    names n = {0};
    qm_entities ent;
    if (entities_of(sim, &n, &ent) != 0) {
        names_free(&n);
        qm_output_abort(o);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = qm_output_close(o, &ent, err, errlen);
    names_free(&n);
    return rc;
}
