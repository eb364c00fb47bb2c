/* main.c: the qmsim command: dispatches to its subcommands (the table in
 * options.c). */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>

#include "cli/args.h"
#include "io/suggest.h"
#include "qmsim/outfile.h"
#include "qmsim/version.h"

/* `qmsim --help`: the commands and options of the table. */
static void usage(FILE *f)
{
    const qm_cmd *m = &qm_options_main;
    fprintf(f, m->help, QMSIM_VERSION);
    for (int i = 0; qm_options_commands[i]; i++)
        qm_args_row(f, m->width, qm_options_commands[i]->synopsis, qm_options_commands[i]->summary);
    fputs("\noptions:\n", f);
    for (const qm_opt *o = m->opts; o->lng; o++) {
        char left[64];
        snprintf(left, sizeof left, "%s, %s", o->shrt, o->lng);
        qm_args_row(f, m->width, left, o->help);
    }
    fputs(m->tail, f);
}

/* Whether the command line asks for more than one thread (--threads N
 * or --threads=N with N other than 1; every command's default is 1). */
static int main_wants_team(char **argv)
{
    for (int i = 1; argv[i]; i++) {
        const char *v = NULL;
        if (!strcmp(argv[i], "--threads"))
            v = argv[i + 1];
        else if (!strncmp(argv[i], "--threads=", 10))
            v = argv[i] + 10;
        if (v && strcmp(v, "1") != 0)
            return 1;
    }
    return 0;
}

/* Teams wait passively (cli/args.h).  `qmsim run` decides once it has
 * read the scenario, since a small state runs its model on one thread
 * whatever is asked (qm_sim_plan_threads). */
static void main_wait_policy(char **argv)
{
    qm_args_keep_argv(argv);
    if (main_wants_team(argv) && !(argv[1] && !strcmp(argv[1], "run")))
        qm_args_wait_passively();
}

int main(int argc, char **argv)
{
    /* Library errors are reported through return codes, never abort(). */
    main_wait_policy(argv);
    gsl_set_error_handler_off();
    /* HDF5 errors are told in one sentence (QMSIM_DEBUG=1 shows the stack). */
    qm_outfile_hdf5_setup();
    /* A closed pipe or a dropped terminal must not kill a run that takes
     * hours: writes to them fail instead (EPIPE, EIO), printing stops and
     * the work finishes and writes its file (docs/reliability.md). */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    /* glibc gives freed memory back to the kernel (madvise, trimming the
     * heap) once more than 128 KiB is free at its top, and then faults it
     * in again at the next allocation; each madvise also interrupts the
     * other cores to flush their TLBs.  A run's buffers are sized once, so
     * keeping freed memory costs nothing: trim only above 256 MiB
     * (bench/README.md counts the madvise calls of a run). */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("qmsim %s\n", QMSIM_VERSION);
        return 0;
    }
    for (int i = 0; qm_options_commands[i]; i++)
        if (!strcmp(cmd, qm_options_commands[i]->name))
            return qm_options_commands[i]->main(argc - 1, argv + 1);
    const char *names[64];
    int n = 0;
    for (int i = 0; qm_options_commands[i] && n < 63; i++)
        names[n++] = qm_options_commands[i]->name;
    names[n] = NULL;
    const char *near = qm_suggest_nearest(cmd, names, n);
    fprintf(stderr, "qmsim: unknown command '%s'", cmd);
    if (near)
        fprintf(stderr, " (did you mean '%s'?)", near);
    fprintf(stderr, "; see 'qmsim --help'\n");
    return 2;
}
