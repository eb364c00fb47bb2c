/* validate.c: `qmsim validate` and `qmsim params`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "qmsim/scenario.h"

/* Prints every problem of a failed load, one "FILE:LINE: message" a line. */
void qm_cli_print_errors(const qm_errors *err)
{
    int shown = err->n < QM_ERR_MAX ? err->n : QM_ERR_MAX;
    for (int i = 0; i < shown; i++)
        fprintf(stderr, "%s\n", err->msg[i]);
    if (err->n > shown)
        fprintf(stderr, "%d more problems not shown\n", err->n - shown);
}

int qm_cli_validate(int argc, char **argv)
{
    const char *path = NULL;
    int resolved = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            printf("usage: qmsim validate SCENARIO.cfg [--resolved]\n\n"
                   "Checks a scenario file.  Exit 0 when valid; otherwise exit 2 and\n"
                   "print one line per problem as FILE:LINE: message.\n\n"
                   "  --resolved   when valid, print the resolved scenario instead of the\n"
                   "               one-line verdict: the same libconfig format with every\n"
                   "               key written out and every default filled in (what a\n"
                   "               run stores as scenario_resolved)\n"
                   "  -h, --help   this help\n");
            return 0;
        }
        if (!strcmp(argv[i], "--resolved")) {
            resolved = 1;
            continue;
        }
        if (argv[i][0] == '-' || path) {
            fprintf(stderr, "qmsim validate: unexpected argument '%s'\n", argv[i]);
            return 2;
        }
        path = argv[i];
    }
    if (!path) {
        fprintf(stderr, "usage: qmsim validate SCENARIO.cfg [--resolved]\n");
        return 2;
    }
    qm_scenario sc;
    static qm_errors err;
    if (qm_scenario_load(path, NULL, 0, &sc, &err) != 0) {
        qm_cli_print_errors(&err);
        return 2;
    }
    if (resolved) {
        char *text = qm_scenario_resolved_text(&sc);
        if (!text) {
            fprintf(stderr, "qmsim validate: out of memory\n");
            qm_scenario_free(&sc);
            return 1;
        }
        int bad = fputs(text, stdout) == EOF || fflush(stdout) != 0;
        free(text);
        qm_scenario_free(&sc);
        if (bad) {
            fprintf(stderr, "qmsim validate: cannot write the resolved scenario\n");
            return 1;
        }
        return 0;
    }
    printf("%s: valid scenario '%s'\n", path, sc.name);
    qm_scenario_free(&sc);
    return 0;
}

int qm_cli_params(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--markdown"))
            continue;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            printf("usage: qmsim params [--markdown]\n\n"
                   "Prints the reference of every scenario key: type, default, range,\n"
                   "unit and meaning (the body of docs/scenarios.md).\n");
            return 0;
        }
        fprintf(stderr, "qmsim params: unexpected argument '%s'\n", argv[i]);
        return 2;
    }
    qm_scenario_write_reference(stdout);
    return 0;
}
