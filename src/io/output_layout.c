/* output_layout.c: the layout of a run file (docs/output.md): root
 * attributes, the timed groups (series and panels) growing along time with
 * their scales, and the event table. */
#include "qmsim/output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "io/h5.h"
#include "io/output_int.h"

/* Creates LOC/NAME of TYPE, empty, growing along time: 1-D when width is 0,
 * else time x width.  Chunked (chunk_t months x up to ENTITY_CHUNK
 * entities), shuffled and deflated.  CACHED keeps chunks in HDF5's chunk
 * cache until they are evicted or the file is closed; without it each
 * write call filters and writes its chunks itself. */
static hid_t make_timed(hid_t loc, const char *name, hid_t type, int width,
                        hsize_t chunk_t, int cached)
{
    int rank = width > 0 ? 2 : 1;
    hsize_t dims[2] = {0, (hsize_t)width};
    hsize_t maxdims[2] = {H5S_UNLIMITED, (hsize_t)width};
    hsize_t chunk[2] = {chunk_t, (hsize_t)(width < ENTITY_CHUNK ? width : ENTITY_CHUNK)};
    hid_t d = NO_ID, dcpl = NO_ID, dapl = NO_ID, space = H5Screate_simple(rank, dims, maxdims);

    if (space < 0)
        return NO_ID;
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    dapl = H5Pcreate(H5P_DATASET_ACCESS);
    /* Chunks of a panel are flush months x up to 256 entities (24 KiB at
     * 12 months): a full batch fills whole chunks, which output_writer.c
     * shuffles, deflates and writes itself (H5Dwrite_chunk) with the same
     * filters declared here, so readers see ordinary filtered chunks.  They
     * need no cache: only a short last batch goes through HDF5's filters,
     * and without a cache it is written in the write call instead of being
     * held until the file is closed.  256 entities keep a chunk small
     * enough to deflate in cache and a reader of one entity's history
     * reads 1/4 of a national panel, not all of it.  The event table has
     * no cache either: its chunks are then deflated by the writer thread
     * as each batch is written, while the model runs, instead of by the
     * main thread when the file is closed (about 3 % of a national run).
     * A series keeps its cache: its one chunk of 512 months would
     * otherwise be read back, inflated and deflated again every batch. */
    if (dcpl >= 0 && dapl >= 0 && H5Pset_chunk(dcpl, rank, chunk) >= 0
        && H5Pset_shuffle(dcpl) >= 0 && H5Pset_deflate(dcpl, DEFLATE_LEVEL) >= 0
        && (cached || H5Pset_chunk_cache(dapl, 0, 0, H5D_CHUNK_CACHE_W0_DEFAULT) >= 0))
        d = H5Dcreate2(loc, name, type, space, H5P_DEFAULT, dcpl, dapl);
    qm_h5_release(dapl);
    qm_h5_release(dcpl);
    qm_h5_release(space);
    return d;
}

/* Writes the root attributes that describe the run. */
int qm_out_write_root(hid_t f, const qm_run_info *info)
{
    char created[32] = "";
    time_t now = time(NULL);
    struct tm tm;

    if (gmtime_r(&now, &tm))
        strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return qm_h5_put_str_attr(f, "qmsim_version", info->version) < 0
        || qm_h5_put_str_attr(f, "scenario_name", info->scenario_name) < 0
        || qm_h5_put_str_attr(f, "scenario_source", info->scenario_source) < 0
        || qm_h5_put_str_attr(f, "scenario_text", info->scenario_text) < 0
        || qm_h5_put_str_attr(f, "scenario_resolved", info->resolved_text) < 0
        || qm_out_put_u64(f, "seed", info->seed) < 0
        || qm_out_put_u64(f, "replicate", info->replicate) < 0
        || qm_h5_put_str_attr(f, "generator", info->generator) < 0
        || qm_out_put_i32(f, "threads", info->threads) < 0
        || qm_out_put_i32(f, "model_threads", qm_output_model_threads(info)) < 0
        || qm_out_put_i32(f, "months", info->months) < 0
        || qm_out_put_i32(f, "start_month", info->start_month) < 0
        || qm_h5_put_str_attr(f, "created", created) < 0 ? -1 : 0;
}

/* Creates one group of timed variables: its time scale, its entity scale
 * ENTITY (ids 0..width-1, unless width is 0) and one dataset per def, each
 * with units, description and the scales attached.  *ids receives the
 * entity scale. */
int qm_out_make_timed_group(qm_output *o, timed_group *g, const char *path,
                            const qm_var_def *defs, int n_var, hid_t *var,
                            const char *entity, int width, hid_t *ids,
                            hsize_t chunk_t, char *err, size_t errlen)
{
    /* A 1-D chunk of flush_months doubles would be tiny; longer chunks
     * stay in HDF5's chunk cache while they fill. */
    hsize_t chunk_1d = chunk_t > SERIES_CHUNK ? chunk_t : SERIES_CHUNK;
    hid_t grp;
    int rc = -1, i;
    int32_t *id = NULL;

    g->path = path;
    g->defs = defs;
    g->n_var = n_var;
    g->var = var;
    g->width = width;
    grp = qm_h5_put_group(o->file, path);
    if (grp < 0) {
        char what[160];
        snprintf(what, sizeof what, "creating /%s", path);
        qm_out_h5_err(err, errlen, o->partial, what);
        return -1;
    }
    /* Not "months since start": CF readers (xarray) parse "X since DATE"
     * as a calendar time and refuse to open the group. */
    g->time = make_timed(grp, "time", H5T_STD_I32LE, 0, chunk_1d, 1);
    if (g->time < 0 || qm_out_make_scale(g->time, "time", "months",
                                         "Month of the run: 0 is the first month simulated.") < 0) {
        qm_out_h5_err(err, errlen, o->partial, "creating time scale");
        goto out;
    }
    if (width > 0) {
        char desc[96];
        id = malloc((size_t)width * sizeof *id);
        if (!id) {
            qm_out_err(err, errlen, "out of memory");
            goto out;
        }
        for (i = 0; i < width; i++)
            id[i] = i;
        snprintf(desc, sizeof desc, "Id of the %s: its row in /entities/%s.", entity, entity);
        *ids = qm_out_make_fixed(grp, entity, H5T_STD_I32LE, H5T_NATIVE_INT32, (hsize_t)width, id);
        if (*ids < 0 || qm_out_make_scale(*ids, entity, NULL, desc) < 0) {
            qm_out_h5_err(err, errlen, o->partial, "creating entity scale");
            goto out;
        }
    }
    for (i = 0; i < n_var; i++) {
        var[i] = make_timed(grp, defs[i].name, H5T_IEEE_F64LE, width,
                            width > 0 ? chunk_t : chunk_1d, width == 0);
        if (var[i] < 0 || qm_h5_put_str_attr(var[i], "units", defs[i].units) < 0
            || qm_h5_put_str_attr(var[i], "description", defs[i].description) < 0
            || H5DSattach_scale(var[i], g->time, 0) < 0
            || (width > 0 && H5DSattach_scale(var[i], *ids, 1) < 0)) {
            char what[160];
            snprintf(what, sizeof what, "creating /%s/%s", path, defs[i].name);
            qm_out_h5_err(err, errlen, o->partial, what);
            goto out;
        }
    }
    rc = 0;
out:
    free(id);
    qm_h5_release(grp);
    return rc;
}

/* Builds the memory type of a qm_event: a compound with an enum `type`. */
static hid_t event_mem_type(void)
{
    hid_t e = H5Tenum_create(H5T_NATIVE_INT32), c = NO_ID;
    int32_t v;
    int ok = e >= 0;

    for (v = 0; ok && v < QM_EV_N; v++)
        ok = H5Tenum_insert(e, qm_event_names[v], &v) >= 0;
    if (ok)
        c = H5Tcreate(H5T_COMPOUND, sizeof(qm_event));
    ok = ok && c >= 0
        && H5Tinsert(c, "month", HOFFSET(qm_event, month), H5T_NATIVE_INT32) >= 0
        && H5Tinsert(c, "type", HOFFSET(qm_event, type), e) >= 0
        && H5Tinsert(c, "commissioner", HOFFSET(qm_event, commissioner), H5T_NATIVE_INT32) >= 0
        && H5Tinsert(c, "service", HOFFSET(qm_event, service), H5T_NATIVE_INT32) >= 0
        && H5Tinsert(c, "provider", HOFFSET(qm_event, provider), H5T_NATIVE_INT32) >= 0
        && H5Tinsert(c, "other", HOFFSET(qm_event, other), H5T_NATIVE_INT32) >= 0
        && H5Tinsert(c, "value", HOFFSET(qm_event, value), H5T_NATIVE_DOUBLE) >= 0;
    qm_h5_release(e);
    if (!ok && c >= 0) {
        qm_h5_release(c);
        c = NO_ID;
    }
    return c;
}

/* Creates the empty, growing /events table. */
int qm_out_make_events(qm_output *o, hsize_t chunk, char *err, size_t errlen)
{
    hid_t ftype = NO_ID;

    o->event_mtype = event_mem_type();
    if (o->event_mtype >= 0 && (ftype = H5Tcopy(o->event_mtype)) >= 0 && H5Tpack(ftype) >= 0)
        o->events = make_timed(o->file, "events", ftype, 0, chunk, 0);
    qm_h5_release(ftype);
    /* A row-number scale lets netCDF readers (h5netcdf, xarray) open the
     * root group: they refuse a dataset without dimension scales. */
    if (o->events >= 0)
        o->event_ids = make_timed(o->file, "event", H5T_STD_I32LE, 0, chunk, 0);
    if (o->events < 0 || o->event_ids < 0
        || qm_out_make_scale(o->event_ids, "event", NULL, "Row number of /events.") < 0
        || H5DSattach_scale(o->events, o->event_ids, 0) < 0
        || qm_h5_put_str_attr(o->events, "description",
                   "One row per event.  month: month of the run; type: what happened "
                   "(an enum of the event kinds); commissioner, service, provider: "
                   "ids (rows of /entities), -1 where they do not apply; provider is "
                   "the one concerned (winner, entrant...).  other: the previous "
                   "provider in a switch; the agency (row of /entities/agency) of an "
                   "engagement event, or the host agency of externalise_analytics; "
                   "the absorbed or new commissioner of a merge or split; the "
                   "position of a policy event in the scenario's timeline list; "
                   "else -1.  "
                   "value: the price for awards, renewals, renegotiations, rollovers, "
                   "switches and decommissions; the monthly fee of an engagement "
                   "start or renewal; the fee docked; the months an engagement ran, "
                   "at its end; the months from start to launch or abandonment of a "
                   "development; the staff share lost in a reorganisation; the "
                   "population of the absorbed or new commissioner of a merge or "
                   "split; the FTE moved by externalise_analytics; the new value of "
                   "a policy parameter; 1 for a development_start ordered by a "
                   "directive; the clarity lost in a priority_shift; the demand "
                   "factor of a demand_shock; else 0.") < 0
        || qm_h5_put_str_attr(o->events, "units", "month: months (0 is the first month "
                   "simulated); value: by type (see description): GBP for prices "
                   "and fees, months for durations, people for populations, FTE "
                   "for staff moved, 1 for shares and factors") < 0) {
        qm_out_h5_err(err, errlen, o->partial, "creating /events");
        return -1;
    }
    return 0;
}
