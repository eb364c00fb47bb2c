/* args.h: option parsing and timing shared by the qmsim subcommands
 * (run, sweep, compare).  Messages name the subcommand CMD, as in
 * "qmsim CMD: --threads expects an integer in [1, 1024], got 'x'". */
#ifndef QMSIM_CLI_ARGS_H
#define QMSIM_CLI_ARGS_H

#include <stddef.h>

/* Parses S (an option's value; NULL when missing) as a decimal integer in
 * [LO, HI] into *OUT.  Returns 0, or -1 after printing
 * "qmsim CMD: OPT expects an integer in [LO, HI], got 'S'". */
int qm_args_integer(const char *cmd, const char *opt, const char *s, long long lo,
                    long long hi, long long *out);

/* --threads N: an integer in [1, 1024].  Returns 0 or -1 (message printed). */
int qm_args_threads(const char *cmd, const char *opt, const char *s, int *threads);

/* --months N: an integer in [1, 6000], written as the override "months=N"
 * into BUF.  Returns 0 or -1 (message printed). */
int qm_args_months(const char *cmd, const char *opt, const char *s, char *buf, size_t n);

/* --set path.to.key=value: appends S to SETS (*N of at most MAX).  Returns 0
 * or -1 (message printed). */
int qm_args_set(const char *cmd, const char *s, const char **sets, int *n, int max);

/* Seconds on the monotonic clock, for elapsed times and ETAs. */
double qm_args_now(void);

#endif
