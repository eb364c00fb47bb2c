/* file.c: reading a whole file (file.h). */
#include "qmsim/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static char *fail(FILE *f, char *buf, int e)
{
    free(buf);
    fclose(f);
    errno = e;
    return NULL;
}

char *qm_file_read(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (n + 1 >= cap) {
            /* Room for one byte beyond max (to tell a file that is too
             * big) and the NUL, and no more. */
            size_t want = cap ? cap * 2 : 8192;
            if (want > max + 2)
                want = max + 2;
            if (want <= cap)
                return fail(f, buf, EFBIG);
            char *nb = realloc(buf, want);
            if (!nb)
                return fail(f, buf, ENOMEM);
            buf = nb;
            cap = want;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        return fail(f, buf, errno ? errno : EIO);
    if (n > max)
        return fail(f, buf, EFBIG);
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}
