/* output_writer.c: writing frames to a run file: buffering each month,
 * appending a batch to the datasets in a writer thread while the model
 * fills the other batch. */
#include "qmsim/output.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "io/h5.h"
#include "io/output_int.h"

/* ---- writing ----------------------------------------------------------- */

/* Writes the buffered frames and empties the buffers. */
int qm_out_flush(qm_output *o, batch *b, char *err, size_t errlen)
{
    hsize_t rows = (hsize_t)b->frames;
    int i, v;

    for (i = 0; i < o->n_groups; i++) {
        timed_group *g = &o->groups[i];
        size_t block = (size_t)o->flush * (size_t)(g->width > 0 ? g->width : 1);
        if (qm_out_append_rows(g->time, H5T_NATIVE_INT32, o->months, rows, 0, b->months) < 0) {
            char what[160];
            snprintf(what, sizeof what, "writing /%s/time", g->path);
            qm_out_h5_err(err, errlen, o->partial, what);
            return -1;
        }
        for (v = 0; v < g->n_var; v++)
            if (qm_out_append_rows(g->var[v], H5T_NATIVE_DOUBLE, o->months, rows, g->width,
                                   b->buf[i] + (size_t)v * block) < 0) {
                char what[160];
                snprintf(what, sizeof what, "writing /%s/%s", g->path, g->defs[v].name);
                qm_out_h5_err(err, errlen, o->partial, what);
                return -1;
            }
    }
    if (o->with_events) {
        size_t k;
        for (k = 0; k < b->n_events; k++)
            b->rows[k] = (int32_t)(o->event_rows + k);
        if (qm_out_append_rows(o->events, o->event_mtype, o->event_rows, b->n_events, 0, b->events) < 0
            || qm_out_append_rows(o->event_ids, H5T_NATIVE_INT32, o->event_rows, b->n_events, 0,
                                  b->rows) < 0) {
            qm_out_h5_err(err, errlen, o->partial, "writing /events");
            return -1;
        }
        o->event_rows += b->n_events;
    }
    b->n_events = 0;
    o->months += rows;
    b->frames = 0;
    return 0;
}

/* ---- the writer thread ---- */

static void *writer_main(void *arg)
{
    qm_output *o = arg;
    /* HDF5 keeps error state per thread: this one must not print stack
     * dumps either, and must leave no error records behind, as HDF5 1.10
     * frees a finished thread's stack but not the records on it. */
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    o->writer_rc = qm_out_flush(o, &o->bat[1 - o->fill], o->writer_err, sizeof o->writer_err);
    H5Eclear2(H5E_DEFAULT);
    return NULL;
}

/* Waits for the batch being written; returns its result. */
int qm_out_writer_wait(qm_output *o, char *err, size_t errlen)
{
    if (!o->writing)
        return 0;
    pthread_join(o->writer, NULL);
    o->writing = 0;
    if (o->writer_rc < 0) {
        qm_out_err(err, errlen, "%s", o->writer_err);
        return -1;
    }
    return 0;
}

/* Hands the full batch to a writer thread and starts filling the other.
 * Without a thread the batch is written here. */
static int writer_start(qm_output *o, char *err, size_t errlen)
{
    if (qm_out_writer_wait(o, err, errlen) < 0)
        return -1;
    o->fill = 1 - o->fill;
    if (pthread_create(&o->writer, NULL, writer_main, o) != 0)
        return qm_out_flush(o, &o->bat[1 - o->fill], err, errlen);
    o->writing = 1;
    return 0;
}

/* Checks that a frame fits the file before anything is copied. */
static int check_frame(const qm_output *o, const qm_frame *f, char *err, size_t errlen)
{
    int i;
    hsize_t expect = o->seen;

    if (f->month < 0 || (hsize_t)f->month != expect) {
        qm_out_err(err, errlen, "output: frame for month %d out of order (expected %llu)",
                   f->month, (unsigned long long)expect);
        return -1;
    }
    if (o->n_groups > 1) {
        if (f->n_commissioners != o->n_commissioners || f->n_providers != o->n_providers
            || f->n_agencies != o->n_agencies) {
            qm_out_err(err, errlen, "output: frame has %d commissioners, %d providers and "
                       "%d agencies; the file has %d, %d and %d", f->n_commissioners,
                       f->n_providers, f->n_agencies, o->n_commissioners, o->n_providers,
                       o->n_agencies);
            return -1;
        }
        if (!f->cpanel || !f->ppanel || (o->n_agencies > 0 && !f->apanel)) {
            qm_out_err(err, errlen, "output: frame has no panels");
            return -1;
        }
    }
    if (o->with_events) {
        if (f->n_events < 0 || (f->n_events > 0 && !f->events)) {
            qm_out_err(err, errlen, "output: frame has a bad event list");
            return -1;
        }
        for (i = 0; i < f->n_events; i++)
            if (f->events[i].type < 0 || f->events[i].type >= QM_EV_N) {
                qm_out_err(err, errlen, "output: event of unknown type %d", f->events[i].type);
                return -1;
            }
    }
    return 0;
}

/* Copies the frame's events into the event buffer, growing it (the buffer
 * holds one flush's events, so it stays bounded by the busiest flush). */
static int buffer_events(qm_output *o, const qm_frame *f, char *err, size_t errlen)
{
    batch *b = &o->bat[o->fill];
    size_t need = b->n_events + (size_t)f->n_events;
    if (o->events_seen + (size_t)f->n_events > INT32_MAX) {
        qm_out_err(err, errlen, "output: too many events for /events");
        return -1;
    }
    if (need > b->cap_events) {
        size_t cap = b->cap_events ? b->cap_events : 256;
        qm_event *p;
        int32_t *r;
        while (cap < need)
            cap *= 2;
        p = realloc(b->events, cap * sizeof *p);
        if (p)
            b->events = p;
        r = p ? realloc(b->rows, cap * sizeof *r) : NULL;
        if (!r) {
            qm_out_err(err, errlen, "out of memory for %zu events", need);
            return -1;
        }
        b->rows = r;
        b->cap_events = cap;
    }
    if (f->n_events > 0)
        memcpy(b->events + b->n_events, f->events, (size_t)f->n_events * sizeof *f->events);
    b->n_events = need;
    o->events_seen += (size_t)f->n_events;
    return 0;
}

/* Copies one variable-major panel (var * width) into slot t of G's buffer. */
static void buffer_panel(const timed_group *g, double *buf, int flush, int t, const double *panel)
{
    size_t w = (size_t)g->width;
    int v;
    for (v = 0; v < g->n_var; v++)
        memcpy(buf + ((size_t)v * (size_t)flush + (size_t)t) * w,
               panel + (size_t)v * w, w * sizeof(double));
}

/* See output.h. */
int qm_output_write(qm_output *o, const qm_frame *f, char *err, size_t errlen)
{
    int t, s;

    if (!o || !f) {
        qm_out_err(err, errlen, "output: no file or no frame");
        return -1;
    }
    if (o->failed) {
        qm_out_err(err, errlen, "%s: an earlier write failed", o->partial);
        return -1;
    }
    if (check_frame(o, f, err, errlen) < 0
        || (o->with_events && buffer_events(o, f, err, errlen) < 0)) {
        o->failed = 1;
        return -1;
    }
    batch *b = &o->bat[o->fill];
    t = b->frames;
    b->months[t] = f->month;
    for (s = 0; s < QM_S_N; s++)
        b->buf[G_SERIES][(size_t)s * (size_t)o->flush + (size_t)t] = f->series[s];
    if (o->n_groups > G_COMMISSIONER) {
        buffer_panel(&o->groups[G_COMMISSIONER], b->buf[G_COMMISSIONER], o->flush, t, f->cpanel);
        buffer_panel(&o->groups[G_PROVIDER], b->buf[G_PROVIDER], o->flush, t, f->ppanel);
    }
    if (o->n_groups > G_AGENCY)
        buffer_panel(&o->groups[G_AGENCY], b->buf[G_AGENCY], o->flush, t, f->apanel);
    b->frames++;
    o->seen++;
    if (b->frames == o->flush && writer_start(o, err, errlen) < 0) {
        o->failed = 1;
        return -1;
    }
    return 0;
}
