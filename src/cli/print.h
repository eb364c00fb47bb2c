/* print.h: printing helpers the qmsim subcommands share (src/cli/print.c). */
#ifndef QMSIM_CLI_PRINT_H
#define QMSIM_CLI_PRINT_H

#include <stddef.h>

#include "qmsim/scenario.h"

/* x in about four significant figures (with a sign when sign), without an
 * exponent for everyday magnitudes; "n/a" when it does not exist.  Writes
 * buf (size n) and returns it. */
const char *qm_print_num(double x, int sign, char *buf, size_t n);

/* Prints every problem of a failed load to stderr, one "FILE:LINE: message"
 * a line (and how many more there were beyond QM_ERR_MAX). */
void qm_print_errors(const qm_errors *err);

#endif
