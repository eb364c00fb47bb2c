/* file.h: reading a whole file, for the scenario loader and the commands
 * that read back what a tool wrote.  No model logic. */
#ifndef QMSIM_FILE_H
#define QMSIM_FILE_H

#include <stddef.h>

/* Reads the file at path into a malloc'd buffer with a NUL after its
 * len bytes.  Returns NULL with errno set when it cannot be opened or
 * read (a read error is an error, not a short file), when it is larger
 * than max bytes (EFBIG; max below SIZE_MAX - 1) or when memory runs out
 * (ENOMEM). */
char *qm_file_read(const char *path, size_t max, size_t *len);

#endif
