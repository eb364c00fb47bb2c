/* output.c: the HDF5 writer: buffers frames and appends them to chunked,
 * compressed datasets that grow along time (docs/output.md is the layout). */
#include "qmsim/output.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "io/h5.h"

enum {
    DEFAULT_FLUSH = 12,     /* months buffered when info->flush_months <= 0 */
    MAX_FLUSH = 1200,       /* bounds the buffers and the chunk size */
    MAX_ENTITIES = 1000000, /* sanity bound on commissioners, providers, agencies */
    ENTITY_CHUNK = 256,     /* entities per panel chunk */
    SERIES_CHUNK = 512,     /* months per chunk of a 1-D series: 4 KiB */
    DEFLATE_LEVEL = 1
};

#define NO_ID ((hid_t)-1)

/* The timed groups, in the order of o->groups. */
enum { G_SERIES, G_COMMISSIONER, G_PROVIDER, G_AGENCY, N_GROUPS };

/* One group of time-dependent datasets sharing a `time` scale. */
typedef struct timed_group {
    const char *path;   /* "series", "panels/commissioner"... */
    hid_t time;         /* the group's time scale */
    hid_t *var;         /* its variables, one per definition */
    int n_var;
    const qm_var_def *defs;
    int width;          /* entities per month; 0 for 1-D series */
} timed_group;

/* Frames waiting to be written.  Two batches alternate: the model fills
 * one while a writer thread writes the other, so compression overlaps the
 * simulation (only one thread ever calls HDF5 at a time). */
typedef struct batch {
    int frames;              /* frames in the batch */
    int32_t *months;         /* month of each frame */
    double *buf[N_GROUPS];   /* per group: [var][frame][entity] */
    qm_event *events;        /* the frames' events */
    int32_t *rows;           /* their row numbers, for /event */
    size_t n_events, cap_events;
} batch;

struct qm_output {
    char *path;              /* final name */
    char *partial;           /* PATH.partial, the file being written */
    int force;               /* replace an existing PATH at close */
    int with_events;
    int n_commissioners;
    int n_providers;
    int n_agencies;          /* may be 0: then no /panels/agency */
    int flush;               /* frames buffered between writes */
    int failed;              /* a write failed: the file must not be kept */
    hsize_t seen;            /* frames accepted (the model's thread only) */
    size_t events_seen;      /* events accepted (the model's thread only) */
    hsize_t months;          /* months already in the file */
    hsize_t event_rows;      /* rows already in /events */
    hid_t file;
    hid_t cpanel_ids, ppanel_ids, apanel_ids; /* entity scales of the panels */
    hid_t events, event_mtype;     /* /events and its memory type */
    hid_t event_ids;               /* /event: row numbers, the scale of /events */
    hid_t series_var[QM_S_N];
    hid_t cpanel_var[QM_CP_N];
    hid_t ppanel_var[QM_PP_N];
    hid_t apanel_var[QM_AP_N];
    timed_group groups[N_GROUPS];
    int n_groups;            /* groups in use: 1 (series), 3 or 4 */
    batch bat[2];
    int fill;                /* the batch being filled; the other may be writing */
    pthread_t writer;        /* writes bat[1 - fill] while writing is set */
    int writing;
    int writer_rc;
    char writer_err[512];
};

/* ---- messages ---------------------------------------------------------- */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Keeps the innermost HDF5 error description: the deepest frame says what
 * actually went wrong.  A system error ("..., errno = 28, error message =
 * 'No space left on device', ...") is cut down to its message. */
static herr_t innermost_desc(unsigned n, const H5E_error2_t *e, void *data)
{
    static const char key[] = "error message = '";
    char *out = data;
    const char *m, *end;

    (void)n;
    if (out[0] != '\0' || !e || !e->desc || !e->desc[0])
        return 0;
    m = strstr(e->desc, key);
    if (m && (end = strchr(m + sizeof key - 1, '\'')) != NULL)
        snprintf(out, 256, "%.*s", (int)(end - m - (sizeof key - 1)), m + sizeof key - 1);
    else
        snprintf(out, 256, "%.*s", (int)strcspn(e->desc, "\n"), e->desc);
    return 0;
}

/* Reports an HDF5 failure: "WHAT in FILE: detail".  Call it right after the
 * failing call, before any other HDF5 call clears the error stack. */
static void h5_err(char *err, size_t errlen, const char *file, const char *what)
{
    char detail[256] = "";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_desc, detail);
    set_err(err, errlen, "%s: HDF5 error %s%s%s", file, what,
            detail[0] ? ": " : "", detail);
}

/* ---- small HDF5 helpers (the shared ones are in h5.c) ------------------ */

static void close_id(hid_t *id)
{
    qm_h5_release(*id);
    *id = NO_ID;
}

static int put_i32(hid_t loc, const char *name, int32_t v)
{
    return qm_h5_put_attr(loc, name, H5T_STD_I32LE, H5T_NATIVE_INT32, &v);
}

static int put_u64(hid_t loc, const char *name, uint64_t v)
{
    return qm_h5_put_attr(loc, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &v);
}

/* Creates LOC/NAME of TYPE, empty, growing along time: 1-D when width is 0,
 * else time x width.  Chunked (chunk_t months x up to ENTITY_CHUNK
 * entities), shuffled and deflated. */
static hid_t make_timed(hid_t loc, const char *name, hid_t type, int width,
                        hsize_t chunk_t)
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
    /* A panel batch fills whole chunks, so they need no cache: without
     * one HDF5 compresses and writes them in the write call (in the writer
     * thread) instead of holding them until the file is closed. */
    if (dcpl >= 0 && dapl >= 0 && H5Pset_chunk(dcpl, rank, chunk) >= 0
        && H5Pset_shuffle(dcpl) >= 0 && H5Pset_deflate(dcpl, DEFLATE_LEVEL) >= 0
        && (width == 0 || H5Pset_chunk_cache(dapl, 0, 0, H5D_CHUNK_CACHE_W0_DEFAULT) >= 0))
        d = H5Dcreate2(loc, name, type, space, H5P_DEFAULT, dcpl, dapl);
    qm_h5_release(dapl);
    qm_h5_release(dcpl);
    qm_h5_release(space);
    return d;
}

/* Creates a fixed 1-D dataset LOC/NAME of n elements and writes DATA. */
static hid_t make_fixed(hid_t loc, const char *name, hid_t ftype, hid_t mtype,
                        hsize_t n, const void *data)
{
    return qm_h5_put_dataset(loc, name, ftype, mtype, 1, &n, H5P_DEFAULT, data);
}

/* Appends ROWS rows (each WIDTH wide, or scalar when width is 0) after
 * OLD rows of D.  Returns 0 or -1. */
static int append_rows(hid_t d, hid_t mtype, hsize_t old, hsize_t rows,
                       int width, const void *data)
{
    int rank = width > 0 ? 2 : 1, rc = -1;
    hsize_t size[2] = {old + rows, (hsize_t)width};
    hsize_t start[2] = {old, 0}, count[2] = {rows, (hsize_t)width};
    hid_t fspace = NO_ID, mspace = NO_ID;

    if (rows == 0)
        return 0;
    if (H5Dset_extent(d, size) < 0 || (fspace = H5Dget_space(d)) < 0)
        return -1;
    mspace = H5Screate_simple(rank, count, NULL);
    if (mspace >= 0
        && H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, NULL, count, NULL) >= 0
        && H5Dwrite(d, mtype, mspace, fspace, H5P_DEFAULT, data) >= 0)
        rc = 0;
    qm_h5_release(mspace);
    qm_h5_release(fspace);
    return rc;
}

/* Makes D the dimension scale NAME, with a description. */
static int make_scale(hid_t d, const char *name, const char *units, const char *desc)
{
    if (H5DSset_scale(d, name) < 0 || qm_h5_put_str_attr(d, "description", desc) < 0)
        return -1;
    return units ? qm_h5_put_str_attr(d, "units", units) : 0;
}

/* ---- opening ----------------------------------------------------------- */

/* The directory part of PATH ("." when there is none), malloc'd. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 1;
    char *d;
    if (slash && n == 0)
        n = 1; /* "/x.h5": the root directory */
    d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, slash ? path : ".", n);
    d[n] = '\0';
    return d;
}

/* Checks that PATH may be written: not an existing file unless force, not
 * a directory, and in a writable directory. */
static int check_path(const char *path, int force, char *err, size_t errlen)
{
    struct stat st;
    char *dir;
    int rc = 0, e = 0;

    if (path[0] == '\0') {
        set_err(err, errlen, "empty output file name");
        return -1;
    }
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            set_err(err, errlen, "%s is a directory", path);
            return -1;
        }
        if (!force) {
            set_err(err, errlen, "%s exists; use --force to overwrite", path);
            return -1;
        }
    }
    dir = dir_of(path);
    if (!dir) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    if (stat(dir, &st) != 0)
        e = errno;
    else if (!S_ISDIR(st.st_mode))
        e = ENOTDIR;
    else if (access(dir, W_OK | X_OK) != 0)
        e = errno;
    if (e) {
        set_err(err, errlen, "cannot write %s: directory %s: %s", path, dir, strerror(e));
        rc = -1;
    }
    free(dir);
    return rc;
}

/* Writes the root attributes that describe the run. */
static int write_root_attrs(hid_t f, const qm_run_info *info)
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
        || put_u64(f, "seed", info->seed) < 0
        || put_u64(f, "replicate", info->replicate) < 0
        || qm_h5_put_str_attr(f, "generator", info->generator) < 0
        || put_i32(f, "threads", info->threads) < 0
        || put_i32(f, "months", info->months) < 0
        || put_i32(f, "start_month", info->start_month) < 0
        || qm_h5_put_str_attr(f, "created", created) < 0 ? -1 : 0;
}

/* Creates one group of timed variables: its time scale, its entity scale
 * ENTITY (ids 0..width-1, unless width is 0) and one dataset per def, each
 * with units, description and the scales attached.  *ids receives the
 * entity scale. */
static int make_timed_group(qm_output *o, timed_group *g, const char *path,
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
        h5_err(err, errlen, o->partial, what);
        return -1;
    }
    /* Not "months since start": CF readers (xarray) parse "X since DATE"
     * as a calendar time and refuse to open the group. */
    g->time = make_timed(grp, "time", H5T_STD_I32LE, 0, chunk_1d);
    if (g->time < 0 || make_scale(g->time, "time", "months",
                                  "Month of the run: 0 is the first month simulated.") < 0) {
        h5_err(err, errlen, o->partial, "creating time scale");
        goto out;
    }
    if (width > 0) {
        char desc[96];
        id = malloc((size_t)width * sizeof *id);
        if (!id) {
            set_err(err, errlen, "out of memory");
            goto out;
        }
        for (i = 0; i < width; i++)
            id[i] = i;
        snprintf(desc, sizeof desc, "Id of the %s: its row in /entities/%s.", entity, entity);
        *ids = make_fixed(grp, entity, H5T_STD_I32LE, H5T_NATIVE_INT32, (hsize_t)width, id);
        if (*ids < 0 || make_scale(*ids, entity, NULL, desc) < 0) {
            h5_err(err, errlen, o->partial, "creating entity scale");
            goto out;
        }
    }
    for (i = 0; i < n_var; i++) {
        var[i] = make_timed(grp, defs[i].name, H5T_IEEE_F64LE, width,
                            width > 0 ? chunk_t : chunk_1d);
        if (var[i] < 0 || qm_h5_put_str_attr(var[i], "units", defs[i].units) < 0
            || qm_h5_put_str_attr(var[i], "description", defs[i].description) < 0
            || H5DSattach_scale(var[i], g->time, 0) < 0
            || (width > 0 && H5DSattach_scale(var[i], *ids, 1) < 0)) {
            char what[160];
            snprintf(what, sizeof what, "creating /%s/%s", path, defs[i].name);
            h5_err(err, errlen, o->partial, what);
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
static int make_events(qm_output *o, hsize_t chunk, char *err, size_t errlen)
{
    hid_t ftype = NO_ID;

    o->event_mtype = event_mem_type();
    if (o->event_mtype >= 0 && (ftype = H5Tcopy(o->event_mtype)) >= 0 && H5Tpack(ftype) >= 0)
        o->events = make_timed(o->file, "events", ftype, 0, chunk);
    qm_h5_release(ftype);
    /* A row-number scale lets netCDF readers (h5netcdf, xarray) open the
     * root group: they refuse a dataset without dimension scales. */
    if (o->events >= 0)
        o->event_ids = make_timed(o->file, "event", H5T_STD_I32LE, 0, chunk);
    if (o->events < 0 || o->event_ids < 0
        || make_scale(o->event_ids, "event", NULL, "Row number of /events.") < 0
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
        h5_err(err, errlen, o->partial, "creating /events");
        return -1;
    }
    return 0;
}

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
                set_err(err, errlen, "out of memory for the output buffers");
                return -1;
            }
        }
        bt->months = malloc((size_t)o->flush * sizeof *bt->months);
        if (!bt->months) {
            set_err(err, errlen, "out of memory for the output buffers");
            return -1;
        }
    }
    return 0;
}

/* Fills the fields of o that need no HDF5; returns -1 on bad sizes. */
static int init_output(qm_output *o, const char *path, int force, const qm_run_info *info,
                       int n_commissioners, int n_providers, int n_agencies,
                       char *err, size_t errlen)
{
    size_t n = strlen(path);
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
    o->force = force;
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
        set_err(err, errlen, "output: bad sizes (%d commissioners, %d providers, "
                "%d agencies; commissioners and providers must be 1..%d, agencies "
                "0..%d)", n_commissioners, n_providers, n_agencies, MAX_ENTITIES,
                MAX_ENTITIES);
        return -1;
    }
    o->path = malloc(n + 1);
    o->partial = malloc(n + sizeof ".partial");
    if (!o->path || !o->partial) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    memcpy(o->path, path, n + 1);
    memcpy(o->partial, path, n);
    memcpy(o->partial + n, ".partial", sizeof ".partial");
    return 0;
}

/* Closes every HDF5 object of o, the file last.  Returns -1 when closing
 * the file failed (data may not have reached the disk). */
static int close_all(qm_output *o)
{
    int i, rc = 0;
    for (i = 0; i < QM_S_N; i++)
        close_id(&o->series_var[i]);
    for (i = 0; i < QM_CP_N; i++)
        close_id(&o->cpanel_var[i]);
    for (i = 0; i < QM_PP_N; i++)
        close_id(&o->ppanel_var[i]);
    for (i = 0; i < QM_AP_N; i++)
        close_id(&o->apanel_var[i]);
    for (i = 0; i < N_GROUPS; i++)
        close_id(&o->groups[i].time);
    close_id(&o->cpanel_ids);
    close_id(&o->ppanel_ids);
    close_id(&o->apanel_ids);
    close_id(&o->events);
    close_id(&o->event_ids);
    close_id(&o->event_mtype);
    if (o->file >= 0 && H5Fclose(o->file) < 0)
        rc = -1;
    o->file = NO_ID;
    return rc;
}

static void free_output(qm_output *o)
{
    for (int b = 0; b < 2; b++) {
        for (int i = 0; i < N_GROUPS; i++)
            free(o->bat[b].buf[i]);
        free(o->bat[b].months);
        free(o->bat[b].events);
        free(o->bat[b].rows);
    }
    free(o->path);
    free(o->partial);
    free(o);
}

/* See output.h. */
qm_output *qm_output_open(const char *path, int force, const qm_run_info *info,
                          int n_commissioners, int n_providers, int n_agencies,
                          char *err, size_t errlen)
{
    qm_output *o;
    hid_t fcpl = NO_ID;
    hsize_t chunk_t;

    if (!path || !info) {
        set_err(err, errlen, "output: no file name or run info");
        return NULL;
    }
    /* HDF5 1.10 keeps a file whose H5Fclose failed (e.g. disk full) in
     * its table after freeing it, and its exit handler then crashes on it
     * (HDF5 issue #2257, fixed in 1.14.1).  Without the handler the program
     * exits cleanly; every file we open is closed explicitly anyway.  This
     * only works before HDF5's first use, and fails harmlessly after. */
    H5dont_atexit();
    /* We report errors ourselves; HDF5's stack dump would only confuse. */
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (check_path(path, force, err, errlen) < 0)
        return NULL;
    o = calloc(1, sizeof *o);
    if (!o) {
        set_err(err, errlen, "out of memory");
        return NULL;
    }
    if (init_output(o, path, force, info, n_commissioners, n_providers, n_agencies,
                    err, errlen) < 0) {
        close_all(o);
        free_output(o);
        return NULL;
    }
    chunk_t = (hsize_t)o->flush;
    fcpl = H5Pcreate(H5P_FILE_CREATE);
    if (fcpl >= 0 && H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED
                                                | H5P_CRT_ORDER_INDEXED) >= 0)
        o->file = H5Fcreate(o->partial, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    if (o->file < 0) {
        h5_err(err, errlen, o->partial, "creating the file");
        qm_h5_release(fcpl);
        free_output(o);
        return NULL;
    }
    qm_h5_release(fcpl);
    if (write_root_attrs(o->file, info) < 0) {
        h5_err(err, errlen, o->partial, "writing root attributes");
        goto fail;
    }
    o->n_groups = 1;
    if (make_timed_group(o, &o->groups[G_SERIES], "series", qm_series_defs, QM_S_N,
                         o->series_var, NULL, 0, NULL, chunk_t, err, errlen) < 0)
        goto fail;
    if (info->panels) {
        hid_t panels = qm_h5_put_group(o->file, "panels");
        if (panels < 0) {
            h5_err(err, errlen, o->partial, "creating /panels");
            goto fail;
        }
        qm_h5_release(panels);
        o->n_groups = n_agencies > 0 ? 4 : 3;
        if (make_timed_group(o, &o->groups[G_COMMISSIONER], "panels/commissioner",
                             qm_cpanel_defs, QM_CP_N, o->cpanel_var, "commissioner",
                             n_commissioners, &o->cpanel_ids, chunk_t, err, errlen) < 0
            || make_timed_group(o, &o->groups[G_PROVIDER], "panels/provider", qm_ppanel_defs,
                                QM_PP_N, o->ppanel_var, "provider", n_providers,
                                &o->ppanel_ids, chunk_t, err, errlen) < 0
            || (n_agencies > 0
                && make_timed_group(o, &o->groups[G_AGENCY], "panels/agency", qm_apanel_defs,
                                    QM_AP_N, o->apanel_var, "agency", n_agencies,
                                    &o->apanel_ids, chunk_t, err, errlen) < 0))
            goto fail;
    }
    if (info->events && make_events(o, 1024, err, errlen) < 0)
        goto fail;
    if (alloc_buffers(o, err, errlen) < 0)
        goto fail;
    return o;
fail:
    qm_output_abort(o);
    return NULL;
}

/* ---- writing ----------------------------------------------------------- */

/* Writes the buffered frames and empties the buffers. */
static int flush_frames(qm_output *o, batch *b, char *err, size_t errlen)
{
    hsize_t rows = (hsize_t)b->frames;
    int i, v;

    for (i = 0; i < o->n_groups; i++) {
        timed_group *g = &o->groups[i];
        size_t block = (size_t)o->flush * (size_t)(g->width > 0 ? g->width : 1);
        if (append_rows(g->time, H5T_NATIVE_INT32, o->months, rows, 0, b->months) < 0) {
            char what[160];
            snprintf(what, sizeof what, "writing /%s/time", g->path);
            h5_err(err, errlen, o->partial, what);
            return -1;
        }
        for (v = 0; v < g->n_var; v++)
            if (append_rows(g->var[v], H5T_NATIVE_DOUBLE, o->months, rows, g->width,
                            b->buf[i] + (size_t)v * block) < 0) {
                char what[160];
                snprintf(what, sizeof what, "writing /%s/%s", g->path, g->defs[v].name);
                h5_err(err, errlen, o->partial, what);
                return -1;
            }
    }
    if (o->with_events) {
        size_t k;
        for (k = 0; k < b->n_events; k++)
            b->rows[k] = (int32_t)(o->event_rows + k);
        if (append_rows(o->events, o->event_mtype, o->event_rows, b->n_events, 0, b->events) < 0
            || append_rows(o->event_ids, H5T_NATIVE_INT32, o->event_rows, b->n_events, 0,
                           b->rows) < 0) {
            h5_err(err, errlen, o->partial, "writing /events");
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
    o->writer_rc = flush_frames(o, &o->bat[1 - o->fill], o->writer_err, sizeof o->writer_err);
    H5Eclear2(H5E_DEFAULT);
    return NULL;
}

/* Waits for the batch being written; returns its result. */
static int writer_wait(qm_output *o, char *err, size_t errlen)
{
    if (!o->writing)
        return 0;
    pthread_join(o->writer, NULL);
    o->writing = 0;
    if (o->writer_rc < 0) {
        set_err(err, errlen, "%s", o->writer_err);
        return -1;
    }
    return 0;
}

/* Hands the full batch to a writer thread and starts filling the other.
 * Without a thread the batch is written here. */
static int writer_start(qm_output *o, char *err, size_t errlen)
{
    if (writer_wait(o, err, errlen) < 0)
        return -1;
    o->fill = 1 - o->fill;
    if (pthread_create(&o->writer, NULL, writer_main, o) != 0)
        return flush_frames(o, &o->bat[1 - o->fill], err, errlen);
    o->writing = 1;
    return 0;
}

/* Checks that a frame fits the file before anything is copied. */
static int check_frame(const qm_output *o, const qm_frame *f, char *err, size_t errlen)
{
    int i;
    hsize_t expect = o->seen;

    if (f->month < 0 || (hsize_t)f->month != expect) {
        set_err(err, errlen, "output: frame for month %d out of order (expected %llu)",
                f->month, (unsigned long long)expect);
        return -1;
    }
    if (o->n_groups > 1) {
        if (f->n_commissioners != o->n_commissioners || f->n_providers != o->n_providers
            || f->n_agencies != o->n_agencies) {
            set_err(err, errlen, "output: frame has %d commissioners, %d providers and "
                    "%d agencies; the file has %d, %d and %d", f->n_commissioners,
                    f->n_providers, f->n_agencies, o->n_commissioners, o->n_providers,
                    o->n_agencies);
            return -1;
        }
        if (!f->cpanel || !f->ppanel || (o->n_agencies > 0 && !f->apanel)) {
            set_err(err, errlen, "output: frame has no panels");
            return -1;
        }
    }
    if (o->with_events) {
        if (f->n_events < 0 || (f->n_events > 0 && !f->events)) {
            set_err(err, errlen, "output: frame has a bad event list");
            return -1;
        }
        for (i = 0; i < f->n_events; i++)
            if (f->events[i].type < 0 || f->events[i].type >= QM_EV_N) {
                set_err(err, errlen, "output: event of unknown type %d", f->events[i].type);
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
        set_err(err, errlen, "output: too many events for /events");
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
            set_err(err, errlen, "out of memory for %zu events", need);
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
        set_err(err, errlen, "output: no file or no frame");
        return -1;
    }
    if (o->failed) {
        set_err(err, errlen, "%s: an earlier write failed", o->partial);
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
        d = make_fixed(g, name, t, t, (hsize_t)n, v);
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
        d = make_fixed(g, name, H5T_STD_I32LE, H5T_NATIVE_INT32, (hsize_t)n, v);
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
        *scale = make_fixed(g, kind, H5T_STD_I32LE, H5T_NATIVE_INT32, (hsize_t)n, id);
        free(id);
    }
    if (*scale < 0 || make_scale(*scale, kind, NULL, "Id: the index used everywhere else "
                                 "in the file (panels, events).") < 0) {
        close_id(scale);
        qm_h5_release(g);
        return NO_ID;
    }
    return g;
}

/* Checks that the entity table matches the file and has its arrays. */
static int check_entities(const qm_output *o, const qm_entities *e, char *err, size_t errlen)
{
    if (!e) {
        set_err(err, errlen, "output: no entity table");
        return -1;
    }
    if (e->n_commissioners != o->n_commissioners || e->n_providers != o->n_providers
        || e->n_agencies != o->n_agencies
        || e->n_services < 0 || e->n_services > MAX_ENTITIES) {
        set_err(err, errlen, "output: entity table has %d commissioners, %d providers, "
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
        set_err(err, errlen, "output: entity table is missing an array");
        return -1;
    }
    return 0;
}

/* Writes /entities from the entity table. */
static int write_entities(qm_output *o, const qm_entities *e, char *err, size_t errlen)
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
    close_id(&sc);
    close_id(&g);
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
    close_id(&sc);
    close_id(&g);
    g = make_entity_group(top, "service", e->n_services, &sc);
    if (g < 0 || put_entity_var(g, "name", e->n_services, e->service_names, NULL, sc,
                                "Name of the service.") < 0)
        goto h5fail;
    if (e->n_agencies > 0) {
        close_id(&sc);
        close_id(&g);
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
    h5_err(err, errlen, o->partial, "writing /entities");
out:
    close_id(&sc);
    close_id(&g);
    qm_h5_release(top);
    return rc;
}

/* Moves the finished file to PATH.  Without force, a PATH that appeared
 * during the run is left alone and so is the finished partial file. */
static int publish(qm_output *o, int *keep_partial, char *err, size_t errlen)
{
    struct stat st;
    if (!o->force && stat(o->path, &st) == 0) {
        set_err(err, errlen, "%s appeared during the run; the output is left in %s",
                o->path, o->partial);
        *keep_partial = 1;
        return -1;
    }
    /* rename() replaces an existing PATH atomically: readers see the old
     * file or the new one, never neither. */
    if (rename(o->partial, o->path) != 0) {
        set_err(err, errlen, "cannot rename %s to %s: %s", o->partial, o->path,
                strerror(errno));
        return -1;
    }
    return 0;
}

/* Closes and removes the partial file.  Truncating it first gives back
 * the disk space, so that when the disk is full the writes HDF5 makes on
 * close are more likely to succeed (see qm_output_open on what a failed
 * close does to HDF5 1.10). */
static void discard(qm_output *o)
{
    char ignored[8];
    writer_wait(o, ignored, sizeof ignored); /* HDF5 is ours again once it returns */
    /* A failed truncate changes nothing: the close below may still work. */
    if (o->file >= 0 && o->partial && truncate(o->partial, 0) != 0)
        errno = 0;
    close_all(o);
    if (o->partial)
        unlink(o->partial);
    free_output(o);
}

/* See output.h. */
int qm_output_close(qm_output *o, const qm_entities *ent, char *err, size_t errlen)
{
    int keep = 0;

    if (!o) {
        set_err(err, errlen, "output: no file");
        return -1;
    }
    if (writer_wait(o, err, errlen) < 0)
        goto fail;
    if (o->failed) {
        set_err(err, errlen, "%s: an earlier write failed", o->partial);
        goto fail;
    }
    if (flush_frames(o, &o->bat[o->fill], err, errlen) < 0 || write_entities(o, ent, err, errlen) < 0)
        goto fail;
    if (put_i32(o->file, "months_written", (int32_t)o->months) < 0
        || put_i32(o->file, "complete", 1) < 0) {
        h5_err(err, errlen, o->partial, "writing completion attributes");
        goto fail;
    }
    /* Flushing while the file is still open finds a full disk at a point
     * where the file can still be closed cleanly (see discard). */
    if (H5Fflush(o->file, H5F_SCOPE_LOCAL) < 0) {
        h5_err(err, errlen, o->partial, "writing the file");
        goto fail;
    }
    if (close_all(o) < 0) {
        h5_err(err, errlen, o->partial, "closing the file");
        goto fail;
    }
    if (publish(o, &keep, err, errlen) < 0)
        goto fail;
    free_output(o);
    return 0;
fail:
    if (keep) {
        free_output(o);
        return -1;
    }
    discard(o);
    return -1;
}

/* See output.h. */
void qm_output_abort(qm_output *o)
{
    if (o)
        discard(o);
}
