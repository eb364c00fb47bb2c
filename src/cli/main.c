/* main.c: the qmsim command: dispatches to its subcommands (the table in
 * options.c). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "cli/args.h"
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

int main(int argc, char **argv)
{
    /* Library errors are reported through return codes, never abort(). */
    gsl_set_error_handler_off();
    /* HDF5 errors are told in one sentence (QMSIM_DEBUG=1 shows the stack). */
    qm_outfile_hdf5_setup();
    /* A closed pipe or a dropped terminal must not kill a run that takes
     * hours: writes to them fail instead (EPIPE, EIO), printing stops and
     * the work finishes and writes its file (docs/reliability.md). */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
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
    fprintf(stderr, "qmsim: ");
    fprintf(stderr, qm_options_main.unknown, cmd);
    fputc('\n', stderr);
    return 2;
}
