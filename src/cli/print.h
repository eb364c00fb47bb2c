/* print.h: printing helpers the qmsim subcommands share (src/cli/print.c). */
#ifndef QMSIM_CLI_PRINT_H
#define QMSIM_CLI_PRINT_H

#include <stddef.h>

#include "qmsim/meta.h"
#include "qmsim/scenario.h"

/* x in about four significant figures (with a sign when sign), without an
 * exponent for everyday magnitudes; "n/a" when it does not exist.  Writes
 * buf (size n) and returns it. */
const char *qm_print_num(double x, int sign, char *buf, size_t n);

/* x as a reader wants it, by m's kind (qmsim/meta.h): a share as a
 * percentage ("48.7%"; percentage points, "+1.20 pp", when sign), money
 * in pounds with commas and k/m/bn ("£105,996", "£1.06m"), an index to
 * three decimals, months as months, a count with commas.  flags:
 * QM_PRINT_SIGN a sign always (a difference), QM_PRINT_BARE no unit
 * words after the number (the bounds of an interval).  "n/a" when x
 * does not exist; m NULL prints a plain amount.  Writes buf (size n) and
 * returns it. */
enum { QM_PRINT_SIGN = 1, QM_PRINT_BARE = 2 };
const char *qm_print_value(double x, const qm_meta *m, int flags, char *buf, size_t n);

/* The unit of m as a column heading says it: "%", "£", "£ a year",
 * "0 to 1", "months", "contracts"...; "" when m has none. */
const char *qm_print_unit(const qm_meta *m);

/* Prints every problem of a failed load to stderr, one "FILE:LINE: message"
 * a line (and how many more there were beyond QM_ERR_MAX). */
void qm_print_errors(const qm_errors *err);

#endif
