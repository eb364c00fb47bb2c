/* journal.c: the append-only journal of a sweep's completed runs, from
 * which an interrupted sweep resumes and the result file is written.
 *
 * Layout (native byte order): a 48-byte header (magic, sweep key, runs,
 * values per record, two reserved words), then records of
 * run (u64), status (i32), 0 (i32), wall time (f64), values (f64 x n) and
 * an FNV-1a checksum (u64) of the bytes before it.  Each record is
 * written by one write(2), so a killed process leaves at most one torn
 * record at the end, which the next open cuts off. */
#include "qmsim/sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "QMSWJNL1"
#define HEADER_BYTES 48

struct qm_journal {
    int fd;
    char *path;
    long n_runs;
    size_t nvalues;
    size_t rec_bytes;
    off_t end;             /* where the next record goes */
    off_t *offset;         /* per run: its record, -1 when absent */
    unsigned char *buf;    /* one record */
};

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

#define FNV_BASIS 0xcbf29ce484222325ULL

uint64_t qm_sweep_key(const qm_sweep *sw, int shard_i, int shard_n)
{
    uint64_t h = FNV_BASIS;
    const char *parts[] = {sw->text, sw->base_source, sw->base_resolved};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        h = fnv1a(h, parts[i] ? parts[i] : "", parts[i] ? strlen(parts[i]) + 1 : 1);
    int64_t nums[] = {shard_i, shard_n, sw->n_runs, (int64_t)qm_sweep_record_values(sw)};
    return fnv1a(h, nums, sizeof nums);
}

size_t qm_journal_rec_bytes(size_t nvalues)
{
    return 8 + 4 + 4 + 8 + 8 * nvalues + 8;
}

void qm_journal_rec_pack(const qm_journal_rec *r, size_t nvalues, unsigned char *buf)
{
    uint64_t run = (uint64_t)r->run;
    int32_t status = r->status, zero = 0;
    size_t n = qm_journal_rec_bytes(nvalues);
    memcpy(buf, &run, 8);
    memcpy(buf + 8, &status, 4);
    memcpy(buf + 12, &zero, 4);
    memcpy(buf + 16, &r->wall, 8);
    memcpy(buf + 24, r->values, 8 * nvalues);
    uint64_t h = fnv1a(FNV_BASIS, buf, n - 8);
    memcpy(buf + n - 8, &h, 8);
}

int qm_journal_rec_unpack(const unsigned char *buf, size_t nvalues, qm_journal_rec *r)
{
    size_t n = qm_journal_rec_bytes(nvalues);
    uint64_t h, run;
    int32_t status;
    memcpy(&h, buf + n - 8, 8);
    if (h != fnv1a(FNV_BASIS, buf, n - 8))
        return -1;
    memcpy(&run, buf, 8);
    memcpy(&status, buf + 8, 4);
    r->run = (long)run;
    r->status = status;
    memcpy(&r->wall, buf + 16, 8);
    if (r->values)
        memcpy(r->values, buf + 24, 8 * nvalues);
    return 0;
}

/* Reads exactly n bytes at off; returns 0, or -1 on a short read. */
static int read_at(int fd, void *buf, size_t n, off_t off)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = pread(fd, (char *)buf + got, n - got, off + (off_t)got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        got += (size_t)k;
    }
    return 0;
}

static int write_at(int fd, const void *buf, size_t n, off_t off)
{
    size_t put = 0;
    while (put < n) {
        ssize_t k = pwrite(fd, (const char *)buf + put, n - put, off + (off_t)put);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        put += (size_t)k;
    }
    return 0;
}

static void header(unsigned char *h, uint64_t key, long n_runs, size_t nvalues)
{
    uint64_t w[5] = {key, (uint64_t)n_runs, (uint64_t)nvalues, 0, 0};
    memcpy(h, MAGIC, 8);
    memcpy(h + 8, w, sizeof w);
}

void qm_journal_close(qm_journal *j, int remove)
{
    if (!j)
        return;
    if (j->fd >= 0)
        close(j->fd);
    if (remove && j->path)
        unlink(j->path);
    free(j->path);
    free(j->offset);
    free(j->buf);
    free(j);
}

qm_journal *qm_journal_open(const char *path, uint64_t key, long n_runs, size_t nvalues,
                            int resume, unsigned char *done, char *err, size_t errlen)
{
    qm_journal *j = calloc(1, sizeof *j);
    if (!j) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    j->fd = -1;
    j->n_runs = n_runs;
    j->nvalues = nvalues;
    j->rec_bytes = qm_journal_rec_bytes(nvalues);
    j->path = strdup(path);
    j->offset = malloc((size_t)n_runs * sizeof *j->offset);
    j->buf = malloc(j->rec_bytes);
    if (!j->path || !j->offset || !j->buf) {
        snprintf(err, errlen, "out of memory");
        qm_journal_close(j, 0);
        return NULL;
    }
    for (long i = 0; i < n_runs; i++)
        j->offset[i] = -1;
    unsigned char h[HEADER_BYTES], want[HEADER_BYTES];
    header(want, key, n_runs, nvalues);
    j->fd = open(path, O_RDWR | O_CREAT | (resume ? 0 : O_TRUNC), 0644);
    if (j->fd < 0) {
        snprintf(err, errlen, "cannot open journal %s: %s", path, strerror(errno));
        qm_journal_close(j, 0);
        return NULL;
    }
    struct stat st;
    if (fstat(j->fd, &st) != 0 || st.st_size < HEADER_BYTES) {
        /* New (or never got past its header): start it. */
        if (ftruncate(j->fd, 0) != 0 || write_at(j->fd, want, HEADER_BYTES, 0) != 0) {
            snprintf(err, errlen, "cannot write the journal %s: %s", path, strerror(errno));
            /* It holds no run: leave nothing behind (a full disk). */
            qm_journal_close(j, 1);
            return NULL;
        }
        j->end = HEADER_BYTES;
        return j;
    }
    if (read_at(j->fd, h, HEADER_BYTES, 0) != 0 || memcmp(h, want, HEADER_BYTES) != 0) {
        snprintf(err, errlen, "%s is the journal of a different sweep (the sweep file, its "
                 "base scenario or --shard changed since it was written); use --force to "
                 "start the sweep again", path);
        qm_journal_close(j, 0);
        return NULL;
    }
    off_t off = HEADER_BYTES;
    qm_journal_rec r = {0};
    while (off + (off_t)j->rec_bytes <= st.st_size) {
        if (read_at(j->fd, j->buf, j->rec_bytes, off) != 0
            || qm_journal_rec_unpack(j->buf, nvalues, &r) != 0 || r.run < 0 || r.run >= n_runs)
            break;
        if (j->offset[r.run] < 0) {
            j->offset[r.run] = off;
            if (done)
                done[r.run] = 1;
        }
        off += (off_t)j->rec_bytes;
    }
    /* Anything after the last intact record is a torn write: cut it off. */
    if (off != st.st_size && ftruncate(j->fd, off) != 0) {
        snprintf(err, errlen, "cannot repair journal %s: %s", path, strerror(errno));
        qm_journal_close(j, 0);
        return NULL;
    }
    j->end = off;
    return j;
}

int qm_journal_append(qm_journal *j, const qm_journal_rec *r, char *err, size_t errlen)
{
    if (r->run < 0 || r->run >= j->n_runs) {
        snprintf(err, errlen, "run %ld out of range", r->run);
        return -1;
    }
    qm_journal_rec_pack(r, j->nvalues, j->buf);
    if (write_at(j->fd, j->buf, j->rec_bytes, j->end) != 0) {
        snprintf(err, errlen, "cannot write the journal %s: %s; what was done so far is kept "
                 "in it: make room and finish with --resume", j->path, strerror(errno));
        /* Leave no partial record behind for the next resume to trust. */
        if (ftruncate(j->fd, j->end) != 0) {
            /* nothing more to do: the checksum rejects it */
        }
        return -1;
    }
    if (j->offset[r->run] < 0)
        j->offset[r->run] = j->end;
    j->end += (off_t)j->rec_bytes;
    return 0;
}

int qm_journal_read(qm_journal *j, long run, qm_journal_rec *r)
{
    if (run < 0 || run >= j->n_runs || j->offset[run] < 0)
        return -1;
    if (read_at(j->fd, j->buf, j->rec_bytes, j->offset[run]) != 0)
        return -1;
    return qm_journal_rec_unpack(j->buf, j->nvalues, r);
}
