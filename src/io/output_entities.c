/* output_entities.c: the /entities tables of a run file: names, kinds and
 * entry of commissioners, providers, services and agencies, written at
 * close. */
#include "qmsim/output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "io/h5.h"
#include "io/output_int.h"

/* ---- closing ----------------------------------------------------------- */

/* Writes a 1-D string dataset; NULL entries are written as "". */
static hid_t write_names(hid_t g, const char *name, int n, const char *const *names)
{
    const char **v = malloc((size_t)(n > 0 ? n : 1) * sizeof *v);
    hid_t t, d = NO_ID;
    int i;

    if (!v)
        return NO_ID;
    for (i = 0; i < n; i++)
        v[i] = names[i] ? names[i] : "";
    t = qm_h5_str_type();
    if (t >= 0) {
        d = qm_out_make_fixed(g, name, t, t, (hsize_t)n, v);
        qm_h5_release(t);
    }
    free(v);
    return d;
}

/* Writes a named 1-D dataset with a description; frees nothing of the
 * caller's.  ints: int32 data; else strings. */
static int put_entity_var(hid_t g, const char *name, int n, const char *const *strs,
                          const int *ints, hid_t scale, const char *desc)
{
    hid_t d;
    int rc;

    if (strs) {
        d = write_names(g, name, n, strs);
    } else {
        int32_t *v = malloc((size_t)(n > 0 ? n : 1) * sizeof *v);
        int i;
        if (!v)
            return -1;
        for (i = 0; i < n; i++)
            v[i] = (int32_t)ints[i];
        d = qm_out_make_fixed(g, name, H5T_STD_I32LE, H5T_NATIVE_INT32, (hsize_t)n, v);
        free(v);
    }
    if (d < 0)
        return -1;
    rc = qm_h5_put_str_attr(d, "description", desc) < 0 || H5DSattach_scale(d, scale, 0) < 0 ? -1 : 0;
    qm_h5_release(d);
    return rc;
}

/* Creates /entities/KIND with its id scale KIND (0..n-1).  Returns the
 * group (the scale in *scale) or NO_ID. */
static hid_t make_entity_group(hid_t parent, const char *kind, int n, hid_t *scale)
{
    hid_t g = qm_h5_put_group(parent, kind);
    int32_t *id;
    int i;

    *scale = NO_ID;
    if (g < 0)
        return NO_ID;
    id = malloc((size_t)(n > 0 ? n : 1) * sizeof *id);
    if (id) {
        for (i = 0; i < n; i++)
            id[i] = i;
        *scale = qm_out_make_fixed(g, kind, H5T_STD_I32LE, H5T_NATIVE_INT32, (hsize_t)n, id);
        free(id);
    }
    if (*scale < 0 || qm_out_make_scale(*scale, kind, NULL, "Id: the index used everywhere else "
                                        "in the file (panels, events).") < 0) {
        qm_out_close_id(scale);
        qm_h5_release(g);
        return NO_ID;
    }
    return g;
}

/* Checks that the entity table matches the file and has its arrays. */
static int check_entities(const qm_output *o, const qm_entities *e, char *err, size_t errlen)
{
    if (!e) {
        qm_out_err(err, errlen, "output: no entity table");
        return -1;
    }
    if (e->n_commissioners != o->n_commissioners || e->n_providers != o->n_providers
        || e->n_agencies != o->n_agencies
        || e->n_services < 0 || e->n_services > MAX_ENTITIES) {
        qm_out_err(err, errlen, "output: entity table has %d commissioners, %d providers, "
                   "%d agencies and %d services; the file has %d commissioners, %d "
                   "providers and %d agencies", e->n_commissioners, e->n_providers,
                   e->n_agencies, e->n_services, o->n_commissioners, o->n_providers,
                   o->n_agencies);
        return -1;
    }
    if (!e->commissioner_names || !e->provider_names || !e->provider_kinds
        || !e->provider_entrant || !e->provider_entry_month
        || (e->n_services > 0 && !e->service_names)
        || (e->n_agencies > 0 && (!e->agency_names || !e->agency_kinds))) {
        qm_out_err(err, errlen, "output: entity table is missing an array");
        return -1;
    }
    return 0;
}

/* Writes /entities from the entity table. */
int qm_out_write_entities(qm_output *o, const qm_entities *e, char *err, size_t errlen)
{
    hid_t top, g = NO_ID, sc = NO_ID;
    int rc = -1;

    if (check_entities(o, e, err, errlen) < 0)
        return -1;
    top = qm_h5_put_group(o->file, "entities");
    if (top < 0)
        goto h5fail;
    g = make_entity_group(top, "commissioner", e->n_commissioners, &sc);
    if (g < 0 || put_entity_var(g, "name", e->n_commissioners, e->commissioner_names, NULL,
                                sc, "Name of the commissioner in each slot; empty for a "
                                "slot kept for a split that never happened.") < 0)
        goto h5fail;
    qm_out_close_id(&sc);
    qm_out_close_id(&g);
    g = make_entity_group(top, "provider", e->n_providers, &sc);
    if (g < 0
        || put_entity_var(g, "name", e->n_providers, e->provider_names, NULL, sc,
                          "Name of the provider in each slot; empty for a slot kept "
                          "for an entrant that never came.") < 0
        || put_entity_var(g, "kind", e->n_providers, e->provider_kinds, NULL, sc,
                          "Kind of provider (e.g. nhs_acute, independent, voluntary).") < 0
        || put_entity_var(g, "entrant", e->n_providers, NULL, e->provider_entrant, sc,
                          "1 for a provider that entered the market during the run, else 0.") < 0
        || put_entity_var(g, "entry_month", e->n_providers, NULL, e->provider_entry_month, sc,
                          "Month the provider entered the market; -1 for initial providers "
                          "and slots never filled.") < 0)
        goto h5fail;
    qm_out_close_id(&sc);
    qm_out_close_id(&g);
    g = make_entity_group(top, "service", e->n_services, &sc);
    if (g < 0 || put_entity_var(g, "name", e->n_services, e->service_names, NULL, sc,
                                "Name of the service.") < 0)
        goto h5fail;
    if (e->n_agencies > 0) {
        qm_out_close_id(&sc);
        qm_out_close_id(&g);
        g = make_entity_group(top, "agency", e->n_agencies, &sc);
        if (g < 0
            || put_entity_var(g, "name", e->n_agencies, e->agency_names, NULL, sc,
                              "Name of the support agency.") < 0
            || put_entity_var(g, "kind", e->n_agencies, e->agency_kinds, NULL, sc,
                              "Kind of support agency (e.g. csu, commercial, "
                              "freelance).") < 0)
            goto h5fail;
    }
    rc = 0;
    goto out;
h5fail:
    qm_out_h5_err(err, errlen, o->partial, "writing /entities");
out:
    qm_out_close_id(&sc);
    qm_out_close_id(&g);
    qm_h5_release(top);
    return rc;
}
