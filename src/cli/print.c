/* print.c: printing helpers the qmsim subcommands share: numbers in a
 * table, a scenario's problems. */
#include <math.h>
#include <stdio.h>

#include "cli/print.h"

const char *qm_print_num(double x, int sign, char *buf, size_t n)
{
    double a = fabs(x);
    if (!isfinite(x))
        snprintf(buf, n, "n/a");
    else if (a >= 1e4 && a < 1e15)
        snprintf(buf, n, sign ? "%+.0f" : "%.0f", x);
    else
        snprintf(buf, n, sign ? "%+.4g" : "%.4g", x);
    return buf;
}

void qm_print_errors(const qm_errors *err)
{
    int shown = err->n < QM_ERR_MAX ? err->n : QM_ERR_MAX;
    for (int i = 0; i < shown; i++)
        fprintf(stderr, "%s\n", err->msg[i]);
    if (err->n > shown)
        fprintf(stderr, "%d more problems not shown\n", err->n - shown);
}
