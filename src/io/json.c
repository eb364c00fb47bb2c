/* json.c: the one JSON writer (qmsim/json.h): strings and numbers written
 * one way for every command that prints JSON. */
#include "qmsim/json.h"

#include <math.h>
#include <stdlib.h>

void qm_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

void qm_json_num(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, "%.17g", x);
    else
        fputs("null", f);
}

void qm_json_setting(FILE *f, double x)
{
    char buf[40];
    if (!isfinite(x)) {
        fputs("null", f);
        return;
    }
    snprintf(buf, sizeof buf, "%g", x);
    if (strtod(buf, NULL) != x)
        snprintf(buf, sizeof buf, "%.17g", x);
    fputs(buf, f);
}
