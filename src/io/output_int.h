/* output_int.h: what the parts of the HDF5 run-file writer share
 * (src/io/output*.c): the writer's state and the functions one part calls
 * in another.  Internal to the library (hidden from its exported
 * symbols); the interface is qmsim/output.h.
 *
 *   output_file.c      the file's lifecycle (open, close, abort)
 *   output.c           messages and the small HDF5 steps every part uses
 *   output_layout.c    root attributes, timed groups and scales, the event table
 *   output_writer.c    buffering frames, the writer thread, appending batches
 *   output_entities.c  the /entities tables */
#ifndef QMSIM_IO_OUTPUT_INT_H
#define QMSIM_IO_OUTPUT_INT_H

#include <pthread.h>
#include <stdint.h>

#include <hdf5.h>
#include <zlib.h>

#include "qmsim/outfile.h"
#include "qmsim/output.h"

#define QM_OUT_HIDDEN __attribute__((visibility("hidden")))

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

/* What one thread needs to compress panel chunks itself (output_writer.c):
 * a chunk gathered from the batch, shuffled, and deflated by one
 * compressor (libdeflate's, or a z_stream that is reset, never set up
 * again) for every chunk. Sized once. */
typedef struct chunk_lane {
#ifdef QMSIM_HAVE_LIBDEFLATE
    struct libdeflate_compressor *ld;
#else
    z_stream z;
    int z_ready;
#endif
    double *gather;          /* one chunk: flush x chunk width */
    unsigned char *shuffled;
    unsigned char *packed;   /* deflate's output */
    size_t packed_cap;
    int h5_quiet;            /* this thread's HDF5 error printing is off */
} chunk_lane;

struct qm_output {
    qm_outfile *of;          /* the destination, its lock and temporary file */
    const char *path;        /* final name (of's) */
    const char *partial;     /* the temporary file being written (of's) */
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
    /* The writer thread lives from the first batch to the close: it waits
     * on cond for a batch (job) and signals it back when done. */
    int threads;             /* the run's compute threads */
    int async;               /* a writer thread (threads < cores), else the team */
    int writer_alive, job, quit;
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    chunk_lane *lanes;       /* one per thread that compresses */
    int n_lanes;
};

/* ---- output.c ------------------------------------------------------- */

/* Formats a message into err (errlen bytes); nothing when err is NULL. */
QM_OUT_HIDDEN void qm_out_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports an HDF5 failure as "FILE: HDF5 error WHAT: detail" with the
 * innermost description on HDF5's error stack.  Call it right after the
 * failing call, before any other HDF5 call clears the stack. */
QM_OUT_HIDDEN void qm_out_h5_err(char *err, size_t errlen, const char *file, const char *what);

/* Releases *id (qm_h5_release) and sets it to NO_ID.  Cannot fail. */
QM_OUT_HIDDEN void qm_out_close_id(hid_t *id);

/* Scalar attributes: a little-endian int32 and uint64.  0 or -1. */
QM_OUT_HIDDEN int qm_out_put_i32(hid_t loc, const char *name, int32_t v);
QM_OUT_HIDDEN int qm_out_put_u64(hid_t loc, const char *name, uint64_t v);

/* Creates the fixed 1-D dataset LOC/NAME of n elements and writes DATA;
 * returns it open, or NO_ID. */
QM_OUT_HIDDEN hid_t qm_out_make_fixed(hid_t loc, const char *name, hid_t ftype, hid_t mtype,
                                      hsize_t n, const void *data);

/* Appends ROWS rows (each WIDTH wide, or scalar when width is 0) after
 * OLD rows of the growing dataset D.  0 or -1. */
QM_OUT_HIDDEN int qm_out_append_rows(hid_t d, hid_t mtype, hsize_t old, hsize_t rows,
                                     int width, const void *data);

/* Makes D the dimension scale NAME, with a description and units (when
 * not NULL).  0 or -1. */
QM_OUT_HIDDEN int qm_out_make_scale(hid_t d, const char *name, const char *units,
                                    const char *desc);

/* ---- output_layout.c ------------------------------------------------ */

/* Writes the root attributes that describe the run.  0 or -1. */
QM_OUT_HIDDEN int qm_out_write_root(hid_t f, const qm_run_info *info);

/* Creates the timed group g at path: its time scale (chunks of chunk_t
 * months), for a panel (width > 0) its entity scale entity with ids
 * 0..width-1 into *ids, and one growing dataset for each of the n_var defs in
 * var, with units, description and scales.  0, or -1 with a message in
 * err. */
QM_OUT_HIDDEN int qm_out_make_timed_group(qm_output *o, timed_group *g, const char *path,
                                          const qm_var_def *defs, int n_var, hid_t *var,
                                          const char *entity, int width, hid_t *ids,
                                          hsize_t chunk_t, char *err, size_t errlen);

/* Creates /events and its scale /event, growing in chunks of chunk rows.
 * 0, or -1 with a message in err. */
QM_OUT_HIDDEN int qm_out_make_events(qm_output *o, hsize_t chunk, char *err, size_t errlen);

/* ---- output_writer.c ------------------------------------------------ */

/* Appends the frames of batch b to the file and empties it.  0, or -1
 * with a message in err. */
QM_OUT_HIDDEN int qm_out_flush(qm_output *o, batch *b, char *err, size_t errlen);

/* Sizes the writer's compression buffers and decides where batches are
 * compressed: on a writer thread when the run leaves a core free, else by
 * the run's threads between steps.  0, or -1 with a message in err. */
QM_OUT_HIDDEN int qm_out_writer_init(qm_output *o, char *err, size_t errlen);

/* Stops the writer thread and frees what qm_out_writer_init made.  Safe on
 * a partly initialised writer. */
QM_OUT_HIDDEN void qm_out_writer_free(qm_output *o);

/* Waits for the writer thread, if one is writing, and takes its result.
 * 0, or -1 with its message in err. */
QM_OUT_HIDDEN int qm_out_writer_wait(qm_output *o, char *err, size_t errlen);

/* ---- output_entities.c ---------------------------------------------- */

/* Writes /entities from e, whose sizes must be the file's.  0, or -1 with
 * a message in err. */
QM_OUT_HIDDEN int qm_out_write_entities(qm_output *o, const qm_entities *e, char *err,
                                        size_t errlen);

#endif
