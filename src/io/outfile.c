/* outfile.c: the one way a result file is written (qmsim/outfile.h):
 * checks before the work, a lock per destination, a temporary name unique
 * to the process, fsync and rename, and removal of what is left on any
 * failure or signal.  docs/reliability.md says what this guarantees. */
#define _GNU_SOURCE /* F_OFD_SETLK */
#include "qmsim/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hdf5.h>

enum { MAX_LIVE = 32, MAX_TRIES = 64 };

struct qm_outfile {
    char *path;   /* the destination */
    char *temp;   /* DIR/.NAME.PID.RANDOM.partial */
    char *lock;   /* PATH.lock */
    int lock_fd;  /* -1 when the file system offers no locks */
    int force;
    int slot;     /* in the registry */
};

/* The live temporary files and locks, read by qm_outfile_remove_all in a
 * signal handler: a slot is published only once its strings are whole. */
static char *volatile live_temp[MAX_LIVE];
static char *volatile live_lock[MAX_LIVE];

static void say(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

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

/* PATH followed by SUFFIX, malloc'd. */
static char *with_suffix(const char *path, const char *suffix)
{
    size_t n = strlen(path), m = strlen(suffix);
    char *s = malloc(n + m + 1);
    if (s) {
        memcpy(s, path, n);
        memcpy(s + n, suffix, m + 1);
    }
    return s;
}

int qm_outfile_check(const char *path, int force, char *err, size_t errlen)
{
    struct stat st;
    char *dir;
    int rc = 0, e = 0;

    if (!path || path[0] == '\0') {
        say(err, errlen, "the output file name is empty; give a file name");
        return -1;
    }
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            say(err, errlen, "%s is a directory; give the name of a file to write", path);
            return -1;
        }
        if (!force) {
            say(err, errlen, "%s exists; use --force to overwrite", path);
            return -1;
        }
    }
    dir = dir_of(path);
    if (!dir) {
        say(err, errlen, "out of memory");
        return -1;
    }
    if (stat(dir, &st) != 0)
        e = errno;
    else if (!S_ISDIR(st.st_mode))
        e = ENOTDIR;
    else if (access(dir, W_OK | X_OK) != 0)
        e = errno;
    if (e) {
        say(err, errlen, "cannot write %s: directory %s: %s; choose a directory that exists "
            "and can be written", path, dir, strerror(e));
        rc = -1;
    }
    free(dir);
    return rc;
}

/* Takes the lock PATH.lock; an open-file-description lock, so that two
 * writers in one process exclude each other too.  The lock file is removed
 * by its holder at release; a writer that locked a file someone removed
 * meanwhile tries again with the new one.  0, or -1 with a message. */
static int take_lock(qm_outfile *of, char *err, size_t errlen)
{
#ifdef F_OFD_SETLK
    const int cmd = F_OFD_SETLK;
#else
    const int cmd = F_SETLK;
#endif
    for (int tries = 0; tries < MAX_TRIES; tries++) {
        struct stat a, b;
        struct flock fl;
        int fd = open(of->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            say(err, errlen, "cannot write %s: cannot create its lock %s: %s; choose a "
                "directory that exists and can be written", of->path, of->lock,
                strerror(errno));
            return -1;
        }
        memset(&fl, 0, sizeof fl);
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
        if (fcntl(fd, cmd, &fl) != 0) {
            int e = errno;
            if (e == EAGAIN || e == EACCES) {
                close(fd);
                say(err, errlen, "another qmsim is writing %s (it holds %s); wait for it "
                    "or choose another output name", of->path, of->lock);
                return -1;
            }
            /* A file system without locks (NFS without lockd): go on
             * unlocked; the temporary name is still ours alone. */
            close(fd);
            unlink(of->lock);
            of->lock_fd = -1;
            return 0;
        }
        if (fstat(fd, &a) == 0 && stat(of->lock, &b) == 0 && a.st_dev == b.st_dev
            && a.st_ino == b.st_ino) {
            of->lock_fd = fd;
            return 0;
        }
        close(fd); /* removed by its last holder: take the new one */
    }
    say(err, errlen, "cannot take the lock %s: it keeps being replaced", of->lock);
    return -1;
}

static void release_lock(qm_outfile *of)
{
    if (of->lock_fd >= 0) {
        unlink(of->lock); /* while still holding it: see take_lock */
        close(of->lock_fd);
        of->lock_fd = -1;
    }
}

/* Creates the empty temporary file DIR/.NAME.PID.RANDOM.partial with
 * O_EXCL, so that no other process can share it.  0, or -1. */
static int make_temp(qm_outfile *of, char *err, size_t errlen)
{
    const char *slash = strrchr(of->path, '/');
    const char *base = slash ? slash + 1 : of->path;
    size_t dn = slash ? (size_t)(slash - of->path) + 1 : 0;
    size_t n = strlen(of->path) + 64;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ULL ^ (uint64_t)getpid() << 32;

    of->temp = malloc(n);
    if (!of->temp) {
        say(err, errlen, "out of memory");
        return -1;
    }
    for (int tries = 0; tries < MAX_TRIES; tries++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift: only to vary the name */
        snprintf(of->temp, n, "%.*s.%s.%ld.%06llx.partial", (int)dn, of->path, base,
                 (long)getpid(), (unsigned long long)(x & 0xffffff));
        int fd = open(of->temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            close(fd);
            return 0;
        }
        if (errno != EEXIST) {
            say(err, errlen, "cannot create %s: %s", of->temp, strerror(errno));
            return -1;
        }
    }
    say(err, errlen, "cannot create a temporary file beside %s", of->path);
    return -1;
}

/* Publishes of's names for qm_outfile_remove_all.  0, or -1 when too many
 * files are being written at once. */
static int enlist(qm_outfile *of, char *err, size_t errlen)
{
    for (int i = 0; i < MAX_LIVE; i++)
        if (!live_temp[i] && !live_lock[i]) {
            of->slot = i;
            live_lock[i] = of->lock;
            return 0;
        }
    say(err, errlen, "more than %d files being written at once", MAX_LIVE);
    return -1;
}

static void delist(qm_outfile *of)
{
    if (of->slot >= 0) {
        live_temp[of->slot] = NULL;
        live_lock[of->slot] = NULL;
        of->slot = -1;
    }
}

static void free_outfile(qm_outfile *of)
{
    delist(of);
    release_lock(of);
    free(of->path);
    free(of->temp);
    free(of->lock);
    free(of);
}

qm_outfile *qm_outfile_begin(const char *path, int force, char *err, size_t errlen)
{
    qm_outfile *of;
    if (qm_outfile_check(path, force, err, errlen) != 0)
        return NULL;
    of = calloc(1, sizeof *of);
    if (!of) {
        say(err, errlen, "out of memory");
        return NULL;
    }
    of->lock_fd = -1;
    of->slot = -1;
    of->force = force;
    of->path = with_suffix(path, "");
    of->lock = with_suffix(path, ".lock");
    if (!of->path || !of->lock) {
        say(err, errlen, "out of memory");
        free_outfile(of);
        return NULL;
    }
    if (enlist(of, err, errlen) != 0) {
        free_outfile(of);
        return NULL;
    }
    if (take_lock(of, err, errlen) != 0) {
        live_lock[of->slot] = NULL; /* not ours: never remove it */
        free_outfile(of);
        return NULL;
    }
    if (make_temp(of, err, errlen) != 0) {
        free_outfile(of);
        return NULL;
    }
    live_temp[of->slot] = of->temp;
    return of;
}

const char *qm_outfile_temp(const qm_outfile *of)
{
    return of->temp;
}

const char *qm_outfile_path(const qm_outfile *of)
{
    return of->path;
}

/* fsync of the file or directory NAME.  0, or an errno.  A file system
 * that cannot sync a directory (EINVAL) is not an error. */
static int sync_name(const char *name, int dir)
{
    int fd = open(name, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    int e = 0;
    if (fd < 0)
        return errno;
    if (fsync(fd) != 0 && !(dir && (errno == EINVAL || errno == EROFS)))
        e = errno;
    if (close(fd) != 0 && !e && !dir)
        e = errno;
    return e;
}

/* Moves the temporary file to PATH: replacing it with force, else never
 * (link fails when PATH exists; where links are not supported, a check
 * just before the rename).  0, 1 when PATH appeared, or -1 with errno. */
static int move_into_place(qm_outfile *of)
{
    struct stat st;
    if (!of->force) {
        if (link(of->temp, of->path) == 0) {
            unlink(of->temp);
            return 0;
        }
        if (errno == EEXIST)
            return 1;
        if (stat(of->path, &st) == 0)
            return 1;
    }
    return rename(of->temp, of->path) == 0 ? 0 : -1;
}

int qm_outfile_commit(qm_outfile *of, char *err, size_t errlen)
{
    int e, moved;
    char *dir;
    if (!of) {
        say(err, errlen, "no output file");
        return -1;
    }
    if ((e = sync_name(of->temp, 0)) != 0) {
        say(err, errlen, "cannot write %s: %s", of->temp, strerror(e));
        qm_outfile_discard(of);
        return -1;
    }
    moved = move_into_place(of);
    if (moved == 1) {
        say(err, errlen, "%s appeared meanwhile; the finished file is left in %s", of->path,
            of->temp);
        delist(of); /* kept: not to be removed by a signal now */
        free_outfile(of);
        return -1;
    }
    if (moved < 0) {
        say(err, errlen, "cannot rename %s to %s: %s", of->temp, of->path, strerror(errno));
        qm_outfile_discard(of);
        return -1;
    }
    live_temp[of->slot] = NULL;
    dir = dir_of(of->path);
    e = dir ? sync_name(dir, 1) : 0;
    free(dir);
    free_outfile(of);
    if (e) {
        say(err, errlen, "the file is in place but its directory could not be synced: %s",
            strerror(e));
        return -1;
    }
    return 0;
}

void qm_outfile_discard(qm_outfile *of)
{
    if (!of)
        return;
    if (of->temp && of->slot >= 0 && live_temp[of->slot])
        unlink(of->temp);
    free_outfile(of);
}

void qm_outfile_remove_all(void)
{
    for (int i = 0; i < MAX_LIVE; i++) {
        char *t = live_temp[i], *l = live_lock[i];
        if (t)
            unlink(t);
        if (l)
            unlink(l);
    }
}

static void die(int sig)
{
    qm_outfile_remove_all();
    signal(sig, SIG_DFL);
    raise(sig);
}

void qm_outfile_die_on_signals(void)
{
    signal(SIGINT, die);
    signal(SIGTERM, die);
}

void qm_outfile_hdf5_setup(void)
{
    const char *d = getenv("QMSIM_DEBUG");
    /* HDF5 1.10 keeps a file whose H5Fclose failed (disk full) in its
     * table after freeing it, and its exit handler then crashes on it
     * (HDF5 issue #2257, fixed in 1.14.1): without the handler the program
     * exits cleanly.  Works only before HDF5's first use; harmless after. */
    H5dont_atexit();
    if (d && d[0] && strcmp(d, "0") != 0)
        H5Eset_auto2(H5E_DEFAULT, (H5E_auto2_t)H5Eprint2, stderr);
    else
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}
