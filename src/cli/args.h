/* args.h: the qmsim command's argument parser and help printer, both
 * driven by the table of commands and options (cli/options.h), and the
 * small checks and timing the subcommands share.  Messages name the
 * subcommand CMD, as in "qmsim CMD: --threads expects an integer in
 * [1, 1024], got 'x'". */
#ifndef QMSIM_CLI_ARGS_H
#define QMSIM_CLI_ARGS_H

#include <stddef.h>
#include <stdio.h>

#include "cli/options.h"

/* Called by qm_args_parse for each option and argument, in order: id the
 * option's (QM_OPT_ARG for an argument), opt as typed, val its value (NULL
 * for a flag, or a missing value the table lets through) and num the value
 * of an integer option.  Returns 0, or -1 after printing a message. */
typedef int (*qm_args_fn)(void *ctx, int id, const char *opt, const char *val, long long num);

/* Parses argv[1..argc) by command c's table: each option found is checked
 * (a missing value, an integer out of its range) and handed to fn, each
 * other argument too; an unknown option stops with c's message.  Returns
 * 0, 1 when -h or --help came first of any problem, or -1 after a message
 * on stderr. */
int qm_args_parse(const qm_cmd *c, int argc, char **argv, qm_args_fn fn, void *ctx);

/* Prints command c's help to f: its text, one row per option, its tail. */
void qm_args_help(const qm_cmd *c, FILE *f);

/* Prints one help row: "  LEFT" padded to width + 2, then help, whose
 * further lines are indented to the same column. */
void qm_args_row(FILE *f, int width, const char *left, const char *help);

/* Parses S (an option's value; NULL when missing) as a decimal integer in
 * [LO, HI] into *OUT.  Returns 0, or -1 after printing
 * "qmsim CMD: OPT expects an integer in [LO, HI], got 'S'". */
int qm_args_integer(const char *cmd, const char *opt, const char *s, long long lo,
                    long long hi, long long *out);

/* --set path.to.key=value: appends S to SETS (*N of at most MAX).  Returns 0
 * or -1 (message printed). */
int qm_args_set(const char *cmd, const char *s, const char **sets, int *n, int max);

/* Seconds on the monotonic clock, for elapsed times and ETAs. */
double qm_args_now(void);

/* A graceful stop for long work that keeps a journal (sweep, calibrate):
 * qm_args_catch_stop() makes SIGINT and SIGTERM set a flag, which
 * qm_args_stopped() reads (its ctx unused, to serve as a runner's
 * interrupted hook); the work then ends where its journal can resume. */
void qm_args_catch_stop(void);
int qm_args_stopped(void *ctx);

/* Threads that wait at the end of a parallel region sleep instead of
 * spinning (OMP_WAIT_POLICY=passive), unless the user's environment says
 * otherwise.  A spinning thread takes a core from the writer, from the
 * other thread of the team when it has been preempted, and from every
 * other process: on a busy machine --threads 2 ran up to three times
 * slower than 1 (bench/README.md).  libgomp reads its environment when it
 * is loaded, before any code of the program runs, so the program sets the
 * variable and starts itself again, once, with the command line given to
 * qm_args_keep_argv (a few hundredths of a second of start-up; a command
 * calls it only once it knows it will run a team).  If that fails it
 * carries on as it is. */
void qm_args_keep_argv(char **argv);
void qm_args_wait_passively(void);

#endif
