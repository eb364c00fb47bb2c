/* output_writer.c: writing frames to a run file: buffering each month,
 * appending a batch to the datasets in a writer thread while the model
 * fills the other batch, or between steps with the run's threads when no
 * core is free for a writer.
 *
 * Panel chunks are compressed here, not by HDF5: gathered from the batch,
 * shuffled as HDF5's shuffle filter does and deflated into the zlib format
 * its deflate filter reads, by one compressor per thread made once, and
 * written with H5Dwrite_chunk.  Through HDF5's filters every chunk set up
 * and tore down zlib (about 300 KB allocated a chunk); the allocator's
 * trimming of those frees cost page faults and TLB shootdowns on the
 * model's cores (bench/README.md).  With libdeflate (when the build finds
 * it) deflating takes about half zlib's time, which is most of the
 * output's cost; the stored bytes then differ from zlib's, the data read
 * back do not. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "qmsim/output.h"

#include <omp.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>
#include <hdf5_hl.h>
#ifdef QMSIM_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

#include "core/team.h"
#include "io/h5.h"
#include "io/output_int.h"
#include "qmsim/outfile.h"

/* ---- compressing panel chunks ------------------------------------------ */

/* The chunk of a panel: flush months x up to ENTITY_CHUNK entities. */
static int chunk_width(const timed_group *g)
{
    return g->width < ENTITY_CHUNK ? g->width : ENTITY_CHUNK;
}

static int chunks_across(const timed_group *g)
{
    return (g->width + chunk_width(g) - 1) / chunk_width(g);
}

/* HDF5's deflate filter fails a chunk whose deflated size exceeds this
 * (H5Z_DEFLATE_SIZE_ADJUST) and then stores it unfiltered by deflate. */
static size_t deflate_limit(size_t n)
{
    return n + (n + 999) / 1000 + 12;
}

/* Sets up lane L for chunks of N bytes; 0 or -1. */
static int lane_init(chunk_lane *l, size_t n)
{
#ifdef QMSIM_HAVE_LIBDEFLATE
    l->ld = libdeflate_alloc_compressor(DEFLATE_LEVEL);
    if (!l->ld)
        return -1;
    l->packed_cap = libdeflate_zlib_compress_bound(l->ld, n);
#else
    memset(&l->z, 0, sizeof l->z);
    /* compress2(level) is deflateInit(level): a 32 KiB window, memLevel 8. */
    if (deflateInit2(&l->z, DEFLATE_LEVEL, Z_DEFLATED, MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    l->z_ready = 1;
    l->packed_cap = deflateBound(&l->z, (uLong)n);
#endif
    if (l->packed_cap < deflate_limit(n))
        l->packed_cap = deflate_limit(n);
    l->gather = malloc(n);
    l->shuffled = malloc(n);
    l->packed = malloc(l->packed_cap);
    return l->gather && l->shuffled && l->packed ? 0 : -1;
}

static void lane_free(chunk_lane *l)
{
#ifdef QMSIM_HAVE_LIBDEFLATE
    libdeflate_free_compressor(l->ld);
#else
    if (l->z_ready)
        deflateEnd(&l->z);
#endif
    free(l->gather);
    free(l->shuffled);
    free(l->packed);
}

/* HDF5's shuffle filter for 8-byte elements: byte j of element i goes to
 * j * n + i. */
static void shuffle8(const unsigned char *in, unsigned char *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < 8; j++)
            out[j * n + i] = in[i * 8 + j];
}

/* Gathers chunk C (entities c*cw...) of variable V of G from the batch
 * buffer BUF into the lane, shuffles and deflates it.  Returns the bytes
 * to store in *data and *size, and the filter mask (0: both filters ran). */
static int pack_chunk(const qm_output *o, const timed_group *g, const double *buf, int v, int c,
                      chunk_lane *l, const void **data, size_t *size, unsigned *mask)
{
    size_t cw = (size_t)chunk_width(g), w = (size_t)g->width, t, flush = (size_t)o->flush;
    size_t first = (size_t)c * cw, used = first + cw > w ? w - first : cw;
    size_t n = flush * cw * sizeof(double);
    const double *src = buf + (size_t)v * flush * w + first;

    /* An edge chunk is stored whole; HDF5 fills its outside with zeros. */
    for (t = 0; t < flush; t++) {
        memcpy(l->gather + t * cw, src + t * w, used * sizeof(double));
        if (used < cw)
            memset(l->gather + t * cw + used, 0, (cw - used) * sizeof(double));
    }
    shuffle8((const unsigned char *)l->gather, l->shuffled, flush * cw);
    size_t packed;
#ifdef QMSIM_HAVE_LIBDEFLATE
    /* The buffer holds the compressor's bound, so 0 (no room) means a
     * failure. */
    packed = libdeflate_zlib_compress(l->ld, l->shuffled, n, l->packed, l->packed_cap);
    if (packed == 0)
        return -1;
#else
    if (deflateReset(&l->z) != Z_OK)
        return -1;
    l->z.next_in = l->shuffled;
    l->z.avail_in = (uInt)n;
    l->z.next_out = l->packed;
    l->z.avail_out = (uInt)l->packed_cap;
    if (deflate(&l->z, Z_FINISH) != Z_STREAM_END)
        return -1;
    packed = l->z.total_out;
#endif
    if (packed > deflate_limit(n)) {
        *data = l->shuffled, *size = n, *mask = 1u << 1; /* as HDF5: deflate skipped */
    } else {
        *data = l->packed, *size = packed, *mask = 0;
    }
    return 0;
}

/* The panel chunks of a batch, numbered 0..n-1 across groups, variables
 * and entity blocks. */
static int panel_chunks(const qm_output *o)
{
    int n = 0;
    for (int i = G_COMMISSIONER; i < o->n_groups; i++)
        n += o->groups[i].n_var * chunks_across(&o->groups[i]);
    return n;
}

static void chunk_at(const qm_output *o, int k, int *gi, int *v, int *c)
{
    int i = G_COMMISSIONER;
    while (k >= o->groups[i].n_var * chunks_across(&o->groups[i])) {
        k -= o->groups[i].n_var * chunks_across(&o->groups[i]);
        i++;
    }
    *gi = i;
    *v = k / chunks_across(&o->groups[i]);
    *c = k % chunks_across(&o->groups[i]);
}

/* One chunk packed by a lane, waiting for its turn to be written. */
typedef struct packed_chunk {
    const void *data;
    size_t size;
    unsigned mask;
    hsize_t off[2];
    hid_t dset;
    int rc;
} packed_chunk;

/* Packs chunk K of a full batch B with lane L. */
static packed_chunk pack_at(const qm_output *o, const batch *b, int k, chunk_lane *l)
{
    int gi, v, c;
    packed_chunk p = {0};
    chunk_at(o, k, &gi, &v, &c);
    const timed_group *g = &o->groups[gi];
    p.off[0] = o->months;
    p.off[1] = (hsize_t)c * (hsize_t)chunk_width(g);
    p.dset = g->var[v];
    p.rc = pack_chunk(o, g, b->buf[gi], v, c, l, &p.data, &p.size, &p.mask);
    return p;
}

/* Grows every panel dataset by one batch; 0 or -1 (err set). */
static int extend_panels(qm_output *o, char *err, size_t errlen)
{
    for (int i = G_COMMISSIONER; i < o->n_groups; i++)
        for (int v = 0; v < o->groups[i].n_var; v++) {
            hsize_t size[2] = {o->months + (hsize_t)o->flush, (hsize_t)o->groups[i].width};
            if (H5Dset_extent(o->groups[i].var[v], size) < 0) {
                qm_out_h5_err(err, errlen, o->partial, "extending the panels");
                return -1;
            }
        }
    return 0;
}

/* Writes the panels of a full batch: the datasets grow by a batch, then
 * every chunk is packed and written.  With several lanes the run's
 * threads pack chunks side by side and write them in order, one at a time
 * (HDF5 is never called concurrently).  0 or -1 (err set). */
static int put_panels(qm_output *o, const batch *b, char *err, size_t errlen)
{
    int n = panel_chunks(o), failed = -1;

    if (extend_panels(o, err, errlen) < 0)
        return -1;
    #pragma omp parallel for ordered schedule(static, 1) num_threads(o->n_lanes) \
        if (o->n_lanes > 1)
    for (int k = 0; k < n; k++) {
        chunk_lane *l = &o->lanes[omp_get_thread_num() % o->n_lanes];
        packed_chunk p = pack_at(o, b, k, l);
        #pragma omp ordered
        {
            if (!l->h5_quiet) { /* a thread's first HDF5 call: no stack dumps */
                qm_outfile_hdf5_setup();
                l->h5_quiet = 1;
            }
            if (failed < 0 && (p.rc < 0 || H5Dwrite_chunk(p.dset, H5P_DEFAULT, p.mask, p.off,
                                                          p.size, p.data) < 0))
                failed = k;
        }
    }
    if (failed >= 0) {
        int gi, v, c;
        char what[160];
        chunk_at(o, failed, &gi, &v, &c);
        snprintf(what, sizeof what, "writing /%s/%s", o->groups[gi].path,
                 o->groups[gi].defs[v].name);
        qm_out_h5_err(err, errlen, o->partial, what);
        return -1;
    }
    return 0;
}

/* ---- writing ----------------------------------------------------------- */

/* Writes the buffered frames and empties the buffers.  A full batch's
 * panels are compressed here (put_panels); a shorter last batch goes
 * through HDF5's filters. */
int qm_out_flush(qm_output *o, batch *b, char *err, size_t errlen)
{
    hsize_t rows = (hsize_t)b->frames;
    int i, v, full = b->frames == o->flush && o->n_lanes > 0;

    if (full && o->n_groups > G_COMMISSIONER && put_panels(o, b, err, errlen) < 0)
        return -1;
    for (i = 0; i < o->n_groups; i++) {
        timed_group *g = &o->groups[i];
        size_t block = (size_t)o->flush * (size_t)(g->width > 0 ? g->width : 1);
        if (qm_out_append_rows(g->time, H5T_NATIVE_INT32, o->months, rows, 0, b->months) < 0) {
            char what[160];
            snprintf(what, sizeof what, "writing /%s/time", g->path);
            qm_out_h5_err(err, errlen, o->partial, what);
            return -1;
        }
        for (v = 0; v < g->n_var && !(full && i >= G_COMMISSIONER); v++)
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

/* The writer thread: started at the first full batch, it writes each
 * batch handed to it (job) and waits for the next, until quit. */
static void *writer_main(void *arg)
{
    qm_output *o = arg;
    /* HDF5 keeps error state per thread: this one must not print stack
     * dumps either, and must leave no error records behind, as HDF5 1.10
     * frees a finished thread's stack but not the records on it. */
    qm_outfile_hdf5_setup();
    pthread_mutex_lock(&o->mutex);
    for (;;) {
        while (!o->job && !o->quit)
            pthread_cond_wait(&o->cond, &o->mutex);
        if (!o->job)
            break;
        pthread_mutex_unlock(&o->mutex);
        int rc = qm_out_flush(o, &o->bat[1 - o->fill], o->writer_err, sizeof o->writer_err);
        H5Eclear2(H5E_DEFAULT);
        pthread_mutex_lock(&o->mutex);
        o->writer_rc = rc;
        o->job = 0;
        pthread_cond_broadcast(&o->cond);
    }
    pthread_mutex_unlock(&o->mutex);
    return NULL;
}

/* Waits for the batch being written; returns its result. */
int qm_out_writer_wait(qm_output *o, char *err, size_t errlen)
{
    if (!o->writing)
        return 0;
    pthread_mutex_lock(&o->mutex);
    while (o->job)
        pthread_cond_wait(&o->cond, &o->mutex);
    pthread_mutex_unlock(&o->mutex);
    o->writing = 0;
    if (o->writer_rc < 0) {
        qm_out_err(err, errlen, "%s", o->writer_err);
        return -1;
    }
    return 0;
}

/* Hands the full batch to the writer thread and starts filling the other.
 * Without a writer (no free core, or no thread to be had) the batch is
 * written here, its chunks compressed by the run's threads. */
static int writer_start(qm_output *o, char *err, size_t errlen)
{
    if (qm_out_writer_wait(o, err, errlen) < 0)
        return -1;
    o->fill = 1 - o->fill;
    if (o->async && !o->writer_alive && pthread_create(&o->writer, NULL, writer_main, o) == 0)
        o->writer_alive = 1;
    if (!o->writer_alive)
        return qm_out_flush(o, &o->bat[1 - o->fill], err, errlen);
    pthread_mutex_lock(&o->mutex);
    o->job = 1;
    pthread_cond_broadcast(&o->cond);
    pthread_mutex_unlock(&o->mutex);
    o->writing = 1;
    return 0;
}

/* The processors this process may run on. */
static int usable_cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    return 1;
}

/* See output_int.h. */
int qm_out_writer_init(qm_output *o, char *err, size_t errlen)
{
    int threads = o->threads > 0 ? o->threads : 1;
    size_t n = 0;

    pthread_mutex_init(&o->mutex, NULL);
    pthread_cond_init(&o->cond, NULL);
    /* A writer thread beside threads compute threads that take every core
     * would be preempting them, and each parallel region waits for its
     * slowest thread: then the team compresses between steps instead. */
    o->async = threads < usable_cores();
    if (o->n_groups <= G_COMMISSIONER)
        return 0;
    n = (size_t)o->flush * (size_t)chunk_width(&o->groups[G_COMMISSIONER]);
    for (int i = G_PROVIDER; i < o->n_groups; i++)
        if ((size_t)o->flush * (size_t)chunk_width(&o->groups[i]) > n)
            n = (size_t)o->flush * (size_t)chunk_width(&o->groups[i]);
    o->n_lanes = o->async ? 1 : threads;
    o->lanes = calloc((size_t)o->n_lanes, sizeof *o->lanes);
    for (int i = 0; o->lanes && i < o->n_lanes; i++)
        if (lane_init(&o->lanes[i], n * sizeof(double)) < 0) {
            o->n_lanes = i + 1; /* what lane_free must see */
            qm_out_err(err, errlen, "out of memory for the output's compression buffers");
            return -1;
        }
    if (!o->lanes) {
        o->n_lanes = 0;
        qm_out_err(err, errlen, "out of memory for the output's compression buffers");
        return -1;
    }
    return 0;
}

/* See output_int.h. */
void qm_out_writer_free(qm_output *o)
{
    if (o->writer_alive) {
        pthread_mutex_lock(&o->mutex);
        o->quit = 1;
        pthread_cond_broadcast(&o->cond);
        pthread_mutex_unlock(&o->mutex);
        pthread_join(o->writer, NULL);
        o->writer_alive = 0;
    }
    for (int i = 0; o->lanes && i < o->n_lanes; i++)
        lane_free(&o->lanes[i]);
    free(o->lanes);
    o->lanes = NULL;
    o->n_lanes = 0;
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

/* One month's panel rows on their way into a batch. */
typedef struct row_copy {
    const qm_output *o;
    batch *b;
    int t;                            /* the month's slot in the batch */
    const double *panel[N_GROUPS];
} row_copy;

/* Row r of the month's panels (variables of every group in turn) into
 * slot t of its group's buffer. */
static void copy_row(void *ctx, int r, int rows)
{
    (void)rows;
    const row_copy *c = ctx;
    int i = G_COMMISSIONER, v = r;
    while (v >= c->o->groups[i].n_var)
        v -= c->o->groups[i++].n_var;
    size_t w = (size_t)c->o->groups[i].width;
    memcpy(c->b->buf[i] + ((size_t)v * (size_t)c->o->flush + (size_t)c->t) * w,
           c->panel[i] + (size_t)v * w, w * sizeof(double));
}

/* The month's panels into the batch: each (group, variable) row is one
 * copy, shared among the run's threads when it has more than one (at x8
 * the copies were a fifth of a month's serial time). */
static void buffer_panels(const qm_output *o, batch *b, int t, const qm_frame *f)
{
    row_copy c = {o, b, t, {NULL, f->cpanel, f->ppanel, f->apanel}};
    int rows = 0;
    for (int i = G_COMMISSIONER; i < o->n_groups; i++)
        rows += o->groups[i].n_var;
    qm_team_for(rows, o->threads, copy_row, &c);
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
    if (o->n_groups > G_COMMISSIONER)
        buffer_panels(o, b, t, f);
    b->frames++;
    o->seen++;
    if (b->frames == o->flush && writer_start(o, err, errlen) < 0) {
        o->failed = 1;
        return -1;
    }
    return 0;
}
