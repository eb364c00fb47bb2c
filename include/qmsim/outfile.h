/* outfile.h: the one way qmsim writes a result file (docs/reliability.md).
 *
 * Every command that writes a file (run, sweep, merge, compare, report,
 * calibrate, ...) goes through this module, so that each of them:
 *
 *   - checks the destination before any work (qm_outfile_begin, called
 *     before the simulations): the name is not empty, not a directory, an
 *     existing file is replaced only with force, the directory exists and
 *     is writable;
 *   - holds a lock on PATH (the file PATH.lock, locked with fcntl) while it
 *     writes, so that a second qmsim writing the same PATH is told "another
 *     qmsim is writing PATH" at once, whatever HDF5's own file locking
 *     (HDF5_USE_FILE_LOCKING=FALSE on Lustre and NFS) does;
 *   - writes a temporary file unique to the process next to PATH
 *     (DIR/.NAME.PID.RANDOM.partial, created with O_EXCL);
 *   - at qm_outfile_commit, fsyncs it, renames it to PATH in one step
 *     (readers see the old file or the new one) and fsyncs the directory;
 *   - on any failure (qm_outfile_discard) or signal (qm_outfile_remove_all,
 *     async-signal-safe) removes the temporary file and the lock.
 *
 * Use:
 *
 *     qm_outfile *of = qm_outfile_begin(path, force, err, sizeof err);
 *     if (!of) { print err; exit 2; }           // before any work
 *     ... the work ...
 *     write the file at qm_outfile_temp(of)     // H5Fcreate(..., H5F_ACC_TRUNC) is fine
 *     if (failed) { qm_outfile_discard(of); exit 1; }
 *     if (qm_outfile_commit(of, err, sizeof err) != 0) { print err; exit 1; }
 *
 * Messages are one sentence without a program prefix.  Not thread-safe:
 * begin, commit and discard are called from the main thread. */
#ifndef QMSIM_OUTFILE_H
#define QMSIM_OUTFILE_H

#include <stddef.h>

typedef struct qm_outfile qm_outfile;

/* Checks that PATH may be written, without touching anything.  0, or -1
 * with a message in err. */
int qm_outfile_check(const char *path, int force, char *err, size_t errlen);

/* Checks PATH (qm_outfile_check), takes its lock and creates the empty
 * temporary file.  NULL with a message in err when PATH may not be
 * written or another qmsim holds the lock. */
qm_outfile *qm_outfile_begin(const char *path, int force, char *err, size_t errlen);

/* The temporary file to write, and the final name. */
const char *qm_outfile_temp(const qm_outfile *of);
const char *qm_outfile_path(const qm_outfile *of);

/* Syncs the temporary file, moves it to PATH and syncs the directory;
 * releases the lock and frees of.  0, or -1 with a message (the temporary
 * file is then removed, except when PATH appeared meanwhile and force is
 * 0: the finished file is then kept under its temporary name, which the
 * message gives). */
int qm_outfile_commit(qm_outfile *of, char *err, size_t errlen);

/* Removes the temporary file, releases the lock and frees of.  Safe on
 * NULL. */
void qm_outfile_discard(qm_outfile *of);

/* Removes every temporary file and lock of the process that is still
 * live.  Async-signal-safe: for signal handlers. */
void qm_outfile_remove_all(void);

/* Makes SIGINT and SIGTERM remove the live temporary files and locks and
 * then end the process as the signal would (for commands without a
 * graceful stop of their own).  SIGHUP and SIGPIPE are ignored by the
 * qmsim command as a whole (docs/reliability.md). */
void qm_outfile_die_on_signals(void);

/* Turns HDF5's automatic printing of its error stack off, so that users
 * read qmsim's one sentence; with the environment variable QMSIM_DEBUG set
 * to anything but "" or "0" the stack is printed as well.  The one switch
 * for HDF5's printing: no other code calls H5Eset_auto2 or H5E_BEGIN_TRY
 * (which would hide the stack under QMSIM_DEBUG too).  HDF5 keeps the
 * setting per thread: a thread that calls HDF5 calls this first.  Also keeps
 * HDF5 1.10 from crashing at exit after a failed close (disk full), which
 * works only when called before HDF5's first use: the command calls it
 * first thing; writers call it again, harmlessly. */
void qm_outfile_hdf5_setup(void);

#endif
