/* merge.c: joining the shards of a sweep (qmsim/runner.h, docs/clusters.md)
 * into the result an unsharded sweep gives: every run from the shard that
 * did it, the saved series read from the shards as the result is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qmsim/runner.h"

/* The shards being merged. */
typedef struct merge_src {
    int n;
    qm_result *shards;
    qm_result_series **series;
    int *owner;                /* per run: the shard it comes from */
} merge_src;

static int series_from_shards(void *ctx, long j, double *buf)
{
    merge_src *m = ctx;
    return qm_result_series_read(m->series[m->owner[j]], j, buf);
}

static int same_str(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

/* Whether b is a shard of the same sweep as a; else a message. */
static int same_sweep(const qm_result *a, const qm_result *b, char *why, size_t n)
{
    if (!same_str(a->sweep_text, b->sweep_text))
        snprintf(why, n, "its sweep file differs");
    else if (!same_str(a->base_resolved, b->base_resolved) || !same_str(a->base_source, b->base_source))
        snprintf(why, n, "its base scenario differs");
    else if (a->n_runs != b->n_runs || a->n_points != b->n_points
             || a->n_outcomes != b->n_outcomes || a->n_series != b->n_series
             || a->months != b->months || a->seed != b->seed)
        snprintf(why, n, "its design or outcomes differ");
    else {
        for (int s = 0; s < a->n_series; s++)
            if (!same_str(a->series_names[s], b->series_names[s])) {
                snprintf(why, n, "its saved series differ");
                return 0;
            }
        return 1;
    }
    return 0;
}

/* Reads every shard, checking they belong to one sweep.  0, or 2 with a
 * message. */
static int read_shards(const char *const *in, merge_src *m, char *err, size_t errlen)
{
    char why[128], msg[1024];
    for (int i = 0; i < m->n; i++) {
        if (qm_result_read(in[i], &m->shards[i], msg, sizeof msg) != 0) {
            snprintf(err, errlen, "%s", msg); /* it names the file */
            return 2;
        }
        if (i > 0 && !same_sweep(&m->shards[0], &m->shards[i], why, sizeof why)) {
            snprintf(err, errlen, "%s is not a shard of the same sweep as %s: %s", in[i], in[0],
                     why);
            return 2;
        }
    }
    return 0;
}

/* The shard of every run.  0, or 2 with a message when some run is in none. */
static int find_owners(merge_src *m, char *err, size_t errlen)
{
    const qm_result *r0 = &m->shards[0];
    long N = r0->n_runs, missing = 0, first_missing = -1;
    for (long j = 0; j < N; j++) {
        m->owner[j] = -1;
        for (int i = 0; i < m->n && m->owner[j] < 0; i++)
            if (m->shards[i].status[j] != QM_RUN_MISSING)
                m->owner[j] = i;
        if (m->owner[j] < 0 && missing++ == 0)
            first_missing = j;
    }
    if (!missing)
        return 0;
    size_t o = (size_t)snprintf(err, errlen, "%ld of %ld runs are in none of the files (the "
                                "first is run %ld", missing, N, first_missing);
    if (r0->shard_n > 0 && o < errlen)
        o += (size_t)snprintf(err + o, errlen - o, ", of shard %ld/%d",
                              first_missing % r0->shard_n, r0->shard_n);
    if (o < errlen)
        snprintf(err + o, errlen - o, "); give every shard");
    return 2;
}

/* Writes the merged result: the first shard's header, every run's row.
 * 0, or the exit status with a message. */
static int write_merged(const char *const *in, merge_src *m, qm_outfile **of, char *err,
                        size_t errlen)
{
    const qm_result *r0 = &m->shards[0];
    long N = r0->n_runs;
    int rc = 1;
    qm_result merged = *r0;
    merged.shard_i = merged.shard_n = 0;
    merged.status = malloc((size_t)N * sizeof *merged.status);
    merged.wall = malloc((size_t)N * sizeof *merged.wall);
    merged.outcomes = malloc((size_t)N * (size_t)r0->n_outcomes * sizeof *merged.outcomes);
    if (!merged.status || !merged.wall || !merged.outcomes) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (long j = 0; j < N; j++) {
        const qm_result *s = &m->shards[m->owner[j]];
        merged.status[j] = s->status[j];
        merged.wall[j] = s->wall[j];
        memcpy(merged.outcomes + j * r0->n_outcomes, s->outcomes + j * r0->n_outcomes,
               (size_t)r0->n_outcomes * sizeof(double));
    }
    for (int i = 0; i < m->n && r0->n_series > 0; i++)
        if (!(m->series[i] = qm_result_series_open(in[i], &m->shards[i], err, errlen)))
            goto out;
    qm_outfile *f = *of;
    *of = NULL; /* consumed by the writer */
    if (qm_result_write_to(f, &merged, series_from_shards, m, err, errlen) != 0)
        goto out;
    rc = 0;
out:
    free(merged.status);
    free(merged.wall);
    free(merged.outcomes);
    return rc;
}

int qm_merge_shards(const char *const *in, int n, const char *out, int force, long *runs,
                    char *err, size_t errlen)
{
    merge_src m = {.n = n};
    qm_outfile *of = NULL;
    int rc = 2;
    m.shards = calloc((size_t)n, sizeof *m.shards);
    m.series = calloc((size_t)n, sizeof *m.series);
    if (!m.shards || !m.series) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    /* The destination is checked and locked before the shards are read. */
    if (!(of = qm_outfile_begin(out, force, err, errlen)))
        goto out;
    if ((rc = read_shards(in, &m, err, errlen)) != 0)
        goto out;
    *runs = m.shards[0].n_runs;
    m.owner = malloc((size_t)*runs * sizeof *m.owner);
    if (!m.owner) {
        snprintf(err, errlen, "out of memory");
        rc = 2;
        goto out;
    }
    if ((rc = find_owners(&m, err, errlen)) == 0)
        rc = write_merged(in, &m, &of, err, errlen);
out:
    qm_outfile_discard(of);
    for (int i = 0; m.shards && i < n; i++) {
        qm_result_series_close(m.series ? m.series[i] : NULL);
        qm_result_free(&m.shards[i]);
    }
    free(m.shards);
    free(m.series);
    free(m.owner);
    return rc;
}
