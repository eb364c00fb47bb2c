/* download.h: a session's run as the HDF5 file `qmsim run` writes with the
 * same scenario, settings and seed (docs/explore.md). */
#ifndef QMSIM_EXPLORE_DOWNLOAD_H
#define QMSIM_EXPLORE_DOWNLOAD_H

#include <stddef.h>

#include "explore/session.h"

/* Runs arm a's scenario afresh from its text and settings to its horizon
 * on one thread, as `qmsim run` with a's command line does, and writes the
 * file to path (replacing it).  The HDF5 library is used by one thread at
 * a time.  Returns 0, or -1 with a message in err (size n). */
int qm_xdownload_write(const qm_xarm *a, const char *path, char *err, size_t n);

#endif
