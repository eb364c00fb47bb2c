/* args.c: option parsing and timing shared by the qmsim subcommands. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/args.h"

int qm_args_integer(const char *cmd, const char *opt, const char *s, long long lo,
                    long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s ? s : "", &end, 10);
    if (!s || !*s || *end || errno || v < lo || v > hi) {
        fprintf(stderr, "qmsim %s: %s expects an integer in [%lld, %lld], got '%s'\n", cmd, opt,
                lo, hi, s ? s : "");
        return -1;
    }
    *out = v;
    return 0;
}

int qm_args_threads(const char *cmd, const char *opt, const char *s, int *threads)
{
    long long v;
    if (qm_args_integer(cmd, opt, s, 1, 1024, &v))
        return -1;
    *threads = (int)v;
    return 0;
}

int qm_args_months(const char *cmd, const char *opt, const char *s, char *buf, size_t n)
{
    long long v;
    if (qm_args_integer(cmd, opt, s, 1, 6000, &v))
        return -1;
    snprintf(buf, n, "months=%lld", v);
    return 0;
}

int qm_args_set(const char *cmd, const char *s, const char **sets, int *n, int max)
{
    if (!s || !strchr(s, '=')) {
        fprintf(stderr, "qmsim %s: --set expects path.to.key=value\n", cmd);
        return -1;
    }
    if (*n == max) {
        fprintf(stderr, "qmsim %s: more than %d --set options\n", cmd, max);
        return -1;
    }
    sets[(*n)++] = s;
    return 0;
}

double qm_args_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}
