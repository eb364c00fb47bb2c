/* cli.h: the qmsim command's subcommands, one file each.  Each takes the
 * arguments after its own name (argv[0] is the subcommand) and returns the
 * exit status: 0 success, 1 runtime failure (I/O, memory), 2 bad usage or
 * bad input. */
#ifndef QMSIM_CLI_H
#define QMSIM_CLI_H

int qm_cli_run(int argc, char **argv);          /* run.c */
int qm_cli_validate(int argc, char **argv);     /* validate.c */
int qm_cli_summary(int argc, char **argv);      /* summary.c */
int qm_cli_params(int argc, char **argv);       /* params.c */
int qm_cli_sweep(int argc, char **argv);        /* sweep.c */
int qm_cli_merge(int argc, char **argv);        /* merge.c */
int qm_cli_sensitivity(int argc, char **argv);  /* sensitivity.c */
int qm_cli_calibrate(int argc, char **argv);    /* calibrate.c */
int qm_cli_compare(int argc, char **argv);      /* compare.c */
int qm_cli_report(int argc, char **argv);       /* report.c */
int qm_cli_explore(int argc, char **argv);      /* explore.c */

#endif
