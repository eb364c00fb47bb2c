/* output.h: the HDF5 writer (docs/output.md describes the file).
 *
 * The writer takes frames from the observer and knows nothing of the model.
 * The file is written as PATH.partial and renamed to PATH by
 * qm_output_close only when the run completed; qm_output_abort removes it. */
#ifndef QMSIM_OUTPUT_H
#define QMSIM_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include "qmsim/observe.h"
#include "qmsim/outfile.h"

/* What the file records about the run (root attributes). */
typedef struct qm_run_info {
    const char *version;         /* qmsim version */
    const char *scenario_name;
    const char *scenario_source; /* file name or "builtin:baseline" */
    const char *scenario_text;   /* as given */
    const char *resolved_text;   /* every default filled in */
    uint64_t seed;
    uint64_t replicate;
    const char *generator;       /* GSL generator name */
    int threads;                 /* threads asked for */
    int model_threads;           /* of which the model's passes use
                                    (qm_sim_plan_threads); 0: all of them
                                    (qm_output_model_threads).  The writer
                                    compresses on a thread of its own when
                                    these leave a core free */
    int months;                  /* horizon */
    int start_month;             /* calendar month of month 0 */
    int panels;                  /* write panels */
    int events;                  /* write the event table */
    int flush_months;            /* frames buffered between writes */
} qm_run_info;

/* The threads the model's passes of the run in info use. */
static inline int qm_output_model_threads(const qm_run_info *info)
{
    return info->model_threads > 0 ? info->model_threads : info->threads;
}

/* Names and kinds of the entities, for /entities. */
typedef struct qm_entities {
    int n_commissioners;
    const char *const *commissioner_names;
    int n_providers;
    const char *const *provider_names;
    const char *const *provider_kinds;
    const int *provider_entrant;     /* 1 for entrants */
    const int *provider_entry_month; /* -1 for initial providers */
    int n_services;
    const char *const *service_names;
    int n_agencies;                  /* may be 0: then no /entities/agency */
    const char *const *agency_names; /* may be NULL when n_agencies is 0 */
    const char *const *agency_kinds;
} qm_entities;

typedef struct qm_output qm_output;

/* Begins PATH (qm_outfile_begin: checked, locked, a temporary file beside
 * it), creates the HDF5 file there and writes the root attributes and the
 * empty datasets.  n_commissioners and n_providers count slots (1..1000000 each);
 * n_agencies may be 0, and /panels/agency is written only when panels are
 * on and n_agencies > 0.  Fails (NULL, with a message in err) on bad sizes,
 * when the file cannot be created, when PATH exists and force is 0, or when
 * PATH's directory is not writable. */
qm_output *qm_output_open(const char *path, int force, const qm_run_info *info,
                          int n_commissioners, int n_providers, int n_agencies,
                          char *err, size_t errlen);

/* qm_output_open on a destination already begun with qm_outfile_begin
 * (the command checks and locks it before its work): creates the file at
 * qm_outfile_temp(of).  Takes of over: it is discarded when this fails and
 * committed or discarded by qm_output_close or qm_output_abort.  NULL with
 * a message when the file cannot be created (a full disk) or on bad
 * sizes. */
qm_output *qm_output_create(qm_outfile *of, const qm_run_info *info, int n_commissioners,
                            int n_providers, int n_agencies, char *err, size_t errlen);

/* Appends one month.  Frames are buffered and written every flush_months.
 * When panels are on, the frame's sizes must be the file's and its panels
 * non-NULL (apanel only when n_agencies > 0).  Returns 0, or -1 with a
 * message in err (frame out of order or of the wrong size, disk full); after
 * a failure the file can only be closed (which fails) or aborted. */
int qm_output_write(qm_output *o, const qm_frame *f, char *err, size_t errlen);

/* Flushes, writes /entities and the completion attributes, closes and
 * renames PATH.partial to PATH.  ent's sizes must be the file's; its arrays
 * are only read.  Frees o.  Returns 0, or -1 with a message
 * (the partial file is then removed, except when PATH appeared during the
 * run and force is 0: the finished file is then left at PATH.partial). */
int qm_output_close(qm_output *o, const qm_entities *ent, char *err, size_t errlen);

struct qm_sim;

/* qm_output_close with the entities of the state a run ended in (names and
 * kinds slot by slot, as the frames count them).  Out of memory aborts the
 * file (-1, "out of memory").  Returns as qm_output_close. */
int qm_output_close_sim(qm_output *o, const struct qm_sim *sim, char *err, size_t errlen);

/* Closes and removes the partial file.  Frees o.  Safe on NULL. */
void qm_output_abort(qm_output *o);

#endif
