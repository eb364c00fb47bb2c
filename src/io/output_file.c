/* output_file.c: the HDF5 run-file writer's lifecycle (output.h): the
 * checks on PATH and its temporary file (qmsim/outfile.h), the file's
 * layout (output_layout.c), and at the end its /entities
 * (output_entities.c) and the move to PATH, or its removal at abort.  Frames are written by
 * output_writer.c; docs/output.md is the layout. */
#include "qmsim/output.h"
#include "qmsim/outfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "io/h5.h"
#include "io/output_int.h"

/* Allocates the frame buffers after checking that their sizes fit. */
static int alloc_buffers(qm_output *o, char *err, size_t errlen)
{
    for (int b = 0; b < 2; b++) {
        batch *bt = &o->bat[b];
        for (int i = 0; i < o->n_groups; i++) {
            timed_group *g = &o->groups[i];
            size_t w = g->width > 0 ? (size_t)g->width : 1;
            /* w <= MAX_ENTITIES, flush <= MAX_FLUSH and n_var < 100: no overflow */
            bt->buf[i] = malloc((size_t)g->n_var * (size_t)o->flush * w * sizeof(double));
            if (!bt->buf[i]) {
                qm_out_err(err, errlen, "out of memory for the output buffers");
                return -1;
            }
        }
        bt->months = malloc((size_t)o->flush * sizeof *bt->months);
        if (!bt->months) {
            qm_out_err(err, errlen, "out of memory for the output buffers");
            return -1;
        }
    }
    return 0;
}

/* Fills the fields of o that need no HDF5, o->of taken from of; returns
 * -1 on bad sizes. */
static int init_output(qm_output *o, qm_outfile *of, const qm_run_info *info,
                       int n_commissioners, int n_providers, int n_agencies,
                       char *err, size_t errlen)
{
    int i;

    o->file = o->cpanel_ids = o->ppanel_ids = o->apanel_ids = NO_ID;
    o->events = o->event_mtype = o->event_ids = NO_ID;
    for (i = 0; i < N_GROUPS; i++)
        o->groups[i].time = NO_ID;
    for (i = 0; i < QM_S_N; i++)
        o->series_var[i] = NO_ID;
    for (i = 0; i < QM_CP_N; i++)
        o->cpanel_var[i] = NO_ID;
    for (i = 0; i < QM_PP_N; i++)
        o->ppanel_var[i] = NO_ID;
    for (i = 0; i < QM_AP_N; i++)
        o->apanel_var[i] = NO_ID;
    o->of = of;
    o->path = qm_outfile_path(of);
    o->partial = qm_outfile_temp(of);
    o->with_events = info->events;
    o->n_commissioners = n_commissioners;
    o->n_providers = n_providers;
    o->n_agencies = n_agencies;
    o->flush = info->flush_months > 0 ? info->flush_months : DEFAULT_FLUSH;
    if (o->flush > MAX_FLUSH)
        o->flush = MAX_FLUSH;
    if (n_commissioners < 1 || n_commissioners > MAX_ENTITIES
        || n_providers < 1 || n_providers > MAX_ENTITIES
        || n_agencies < 0 || n_agencies > MAX_ENTITIES) {
        qm_out_err(err, errlen, "output: bad sizes (%d commissioners, %d providers, "
                   "%d agencies; commissioners and providers must be 1..%d, agencies "
                   "0..%d)", n_commissioners, n_providers, n_agencies, MAX_ENTITIES,
                   MAX_ENTITIES);
        return -1;
    }
    return 0;
}

/* Closes every HDF5 object of o, the file last.  Returns -1 when closing
 * the file failed (data may not have reached the disk). */
static int close_all(qm_output *o)
{
    int i, rc = 0;
    for (i = 0; i < QM_S_N; i++)
        qm_out_close_id(&o->series_var[i]);
    for (i = 0; i < QM_CP_N; i++)
        qm_out_close_id(&o->cpanel_var[i]);
    for (i = 0; i < QM_PP_N; i++)
        qm_out_close_id(&o->ppanel_var[i]);
    for (i = 0; i < QM_AP_N; i++)
        qm_out_close_id(&o->apanel_var[i]);
    for (i = 0; i < N_GROUPS; i++)
        qm_out_close_id(&o->groups[i].time);
    qm_out_close_id(&o->cpanel_ids);
    qm_out_close_id(&o->ppanel_ids);
    qm_out_close_id(&o->apanel_ids);
    qm_out_close_id(&o->events);
    qm_out_close_id(&o->event_ids);
    qm_out_close_id(&o->event_mtype);
    if (o->file >= 0 && H5Fclose(o->file) < 0)
        rc = -1;
    o->file = NO_ID;
    return rc;
}

static void free_output(qm_output *o)
{
    qm_out_writer_free(o);
    for (int b = 0; b < 2; b++) {
        for (int i = 0; i < N_GROUPS; i++)
            free(o->bat[b].buf[i]);
        free(o->bat[b].months);
        free(o->bat[b].events);
        free(o->bat[b].rows);
    }
    free(o);
}

/* Creates /panels and its timed groups: commissioners, providers and,
 * when there are any, agencies.  0, or -1 with a message in err. */
static int make_panels(qm_output *o, int n_commissioners, int n_providers, int n_agencies,
                       hsize_t chunk_t, char *err, size_t errlen)
{
    hid_t panels = qm_h5_put_group(o->file, "panels");
    if (panels < 0) {
        qm_out_h5_err(err, errlen, o->partial, "creating /panels");
        return -1;
    }
    qm_h5_release(panels);
    o->n_groups = n_agencies > 0 ? 4 : 3;
    if (qm_out_make_timed_group(o, &o->groups[G_COMMISSIONER], "panels/commissioner",
                                qm_cpanel_defs, QM_CP_N, o->cpanel_var, "commissioner",
                                n_commissioners, &o->cpanel_ids, chunk_t, err, errlen) < 0
        || qm_out_make_timed_group(o, &o->groups[G_PROVIDER], "panels/provider", qm_ppanel_defs,
                                   QM_PP_N, o->ppanel_var, "provider", n_providers,
                                   &o->ppanel_ids, chunk_t, err, errlen) < 0
        || (n_agencies > 0
            && qm_out_make_timed_group(o, &o->groups[G_AGENCY], "panels/agency", qm_apanel_defs,
                                       QM_AP_N, o->apanel_var, "agency", n_agencies,
                                       &o->apanel_ids, chunk_t, err, errlen) < 0))
        return -1;
    return 0;
}

/* See output.h. */
qm_output *qm_output_open(const char *path, int force, const qm_run_info *info,
                          int n_commissioners, int n_providers, int n_agencies,
                          char *err, size_t errlen)
{
    qm_outfile *of;
    if (!path || !info) {
        qm_out_err(err, errlen, "output: no file name or run info");
        return NULL;
    }
    of = qm_outfile_begin(path, force, err, errlen);
    return of ? qm_output_create(of, info, n_commissioners, n_providers, n_agencies, err,
                                 errlen)
              : NULL;
}

/* See output.h. */
qm_output *qm_output_create(qm_outfile *of, const qm_run_info *info, int n_commissioners,
                            int n_providers, int n_agencies, char *err, size_t errlen)
{
    qm_output *o;
    hid_t fcpl = NO_ID;
    hsize_t chunk_t;

    if (!of || !info) {
        qm_out_err(err, errlen, "output: no file or run info");
        qm_outfile_discard(of);
        return NULL;
    }
    /* We report errors ourselves; HDF5's stack dump would only confuse. */
    qm_outfile_hdf5_setup();
    o = calloc(1, sizeof *o);
    if (!o) {
        qm_out_err(err, errlen, "out of memory");
        qm_outfile_discard(of);
        return NULL;
    }
    if (init_output(o, of, info, n_commissioners, n_providers, n_agencies, err, errlen) < 0) {
        qm_outfile_discard(o->of);
        free_output(o);
        return NULL;
    }
    chunk_t = (hsize_t)o->flush;
    fcpl = H5Pcreate(H5P_FILE_CREATE);
    if (fcpl >= 0 && H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED
                                                | H5P_CRT_ORDER_INDEXED) >= 0)
        o->file = H5Fcreate(o->partial, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    if (o->file < 0) {
        qm_out_h5_err(err, errlen, o->partial, "creating the file");
        qm_h5_release(fcpl);
        qm_outfile_discard(o->of);
        free_output(o);
        return NULL;
    }
    qm_h5_release(fcpl);
    if (qm_out_write_root(o->file, info) < 0) {
        qm_out_h5_err(err, errlen, o->partial, "writing root attributes");
        goto fail;
    }
    o->n_groups = 1;
    if (qm_out_make_timed_group(o, &o->groups[G_SERIES], "series", qm_series_defs, QM_S_N,
                                o->series_var, NULL, 0, NULL, chunk_t, err, errlen) < 0)
        goto fail;
    if (info->panels && make_panels(o, n_commissioners, n_providers, n_agencies, chunk_t, err,
                                    errlen) < 0)
        goto fail;
    if (info->events && qm_out_make_events(o, 1024, err, errlen) < 0)
        goto fail;
    o->threads = qm_output_model_threads(info);
    if (alloc_buffers(o, err, errlen) < 0 || qm_out_writer_init(o, err, errlen) < 0)
        goto fail;
    return o;
fail:
    qm_output_abort(o);
    return NULL;
}

/* Closes and removes the partial file.  Truncating it first gives back
 * the disk space, so that when the disk is full the writes HDF5 makes on
 * close are more likely to succeed (see qm_output_open on what a failed
 * close does to HDF5 1.10). */
static void discard(qm_output *o)
{
    char ignored[8];
    qm_out_writer_wait(o, ignored, sizeof ignored); /* HDF5 is ours again once it returns */
    /* A failed truncate changes nothing: the close below may still work. */
    if (o->file >= 0 && o->partial && truncate(o->partial, 0) != 0)
        errno = 0;
    close_all(o);
    qm_outfile_discard(o->of);
    free_output(o);
}

/* See output.h. */
int qm_output_close(qm_output *o, const qm_entities *ent, char *err, size_t errlen)
{
    int rc;

    if (!o) {
        qm_out_err(err, errlen, "output: no file");
        return -1;
    }
    if (qm_out_writer_wait(o, err, errlen) < 0)
        goto fail;
    if (o->failed) {
        qm_out_err(err, errlen, "%s: an earlier write failed", o->partial);
        goto fail;
    }
    if (qm_out_flush(o, &o->bat[o->fill], err, errlen) < 0 || qm_out_write_entities(o, ent, err, errlen) < 0)
        goto fail;
    if (qm_out_put_i32(o->file, "months_written", (int32_t)o->months) < 0
        || qm_out_put_i32(o->file, "complete", 1) < 0) {
        qm_out_h5_err(err, errlen, o->partial, "writing completion attributes");
        goto fail;
    }
    /* Flushing while the file is still open finds a full disk at a point
     * where the file can still be closed cleanly (see discard). */
    if (H5Fflush(o->file, H5F_SCOPE_LOCAL) < 0) {
        qm_out_h5_err(err, errlen, o->partial, "writing the file");
        goto fail;
    }
    if (close_all(o) < 0) {
        qm_out_h5_err(err, errlen, o->partial, "closing the file");
        goto fail;
    }
    /* The move to PATH frees o->of whatever happens. */
    rc = qm_outfile_commit(o->of, err, errlen);
    free_output(o);
    return rc;
fail:
    discard(o);
    return -1;
}

/* See output.h. */
void qm_output_abort(qm_output *o)
{
    if (o)
        discard(o);
}
