/* print.c: printing helpers the qmsim subcommands share: numbers in a
 * table, numbers in their units for a reader (qmsim/meta.h), a scenario's
 * problems. */
#include <math.h>
#include <stdio.h>
#include <string.h>

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

/* a >= 0 rounded to decimals places, with a comma between thousands. */
static void grouped(double a, int decimals, char *buf, size_t n)
{
    char digits[64];
    snprintf(digits, sizeof digits, "%.*f", decimals, a);
    const char *dot = strchr(digits, '.');
    int whole = dot ? (int)(dot - digits) : (int)strlen(digits);
    size_t k = 0;
    for (int i = 0; i < whole && k + 2 < n; i++) {
        if (i > 0 && (whole - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = digits[i];
    }
    buf[k] = '\0';
    if (dot)
        snprintf(buf + k, n - k, "%s", dot);
}

/* The sign to print before a magnitude: "-" for a negative x, "+" for a
 * positive one when sign, else nothing. */
static const char *sign_of(double x, int sign)
{
    return x < 0.0 ? "-" : sign && x > 0.0 ? "+" : "";
}

/* A share x (a fraction) as a percentage, or percentage points when sign
 * (a difference). */
static void share(double x, int sign, char *buf, size_t n)
{
    double p = fabs(x) * 100.0;
    const char *u = sign ? " pp" : "%";
    if (p == 0.0) {
        snprintf(buf, n, "0%s", u);
        return;
    }
    /* three significant figures, at least one decimal, never an exponent */
    int dec = 2 - (int)floor(log10(p));
    dec = dec < 1 ? 1 : dec;
    if (dec > 6)   /* below 0.00001%: nothing a reader can use, and no exponent */
        snprintf(buf, n, sign ? "~0%s" : "<0.00001%s", u);
    else
        snprintf(buf, n, "%s%.*f%s", sign_of(x, sign), dec, p, u);
}

/* Pounds: pence below £100, whole pounds with commas below £1m, then
 * £1.06m and £49.5bn. */
static void money(double x, int sign, char *buf, size_t n)
{
    double a = fabs(x);
    char num[64];
    if (a >= 1e9)
        snprintf(num, sizeof num, "%.3gbn", a / 1e9);
    else if (a >= 1e6)
        snprintf(num, sizeof num, "%.3gm", a / 1e6);
    else
        grouped(a, a < 100.0 && a != floor(a) ? 2 : 0, num, sizeof num);
    snprintf(buf, n, "%s£%s", sign_of(x, sign), num);
}

/* A count or an amount: whole numbers with commas, fractions (means of
 * counts) to three significant figures. */
static void amount(double x, int sign, char *buf, size_t n)
{
    double a = fabs(x);
    char num[64];
    if (a >= 1e15 || (a > 0.0 && a < 1e-3))
        snprintf(num, sizeof num, "%.3g", a);
    else if (a >= 1000.0 || a == floor(a))
        grouped(a, 0, num, sizeof num);
    else
        snprintf(num, sizeof num, "%.3g", a);
    snprintf(buf, n, "%s%s", sign_of(x, sign), num);
}

/* An index in [0, 1] to three decimals; a difference (sign) to three
 * significant figures, so that small differences do not print as 0.000. */
static void index_value(double x, int sign, char *buf, size_t n)
{
    double a = fabs(x);
    if (!sign || a >= 0.1 || a == 0.0) {
        snprintf(buf, n, sign ? "%+.3f" : "%.3f", x);
        return;
    }
    int dec = 2 - (int)floor(log10(a));
    snprintf(buf, n, "%+.*f", dec > 8 ? 8 : dec, x);
}

const char *qm_print_value(double x, const qm_meta *m, int flags, char *buf, size_t n)
{
    char num[64];
    int sign = flags & QM_PRINT_SIGN;
    if (!isfinite(x)) {
        snprintf(buf, n, "n/a");
        return buf;
    }
    switch (m ? m->kind : QM_KIND_AMOUNT) {
    case QM_KIND_SHARE: share(x, sign, buf, n); break;
    case QM_KIND_MONEY: money(x, sign, buf, n); break;
    case QM_KIND_INDEX: index_value(x, sign, buf, n); break;
    case QM_KIND_MONTHS:
        snprintf(buf, n, sign ? "%+.1f%s" : "%.1f%s", x, flags & QM_PRINT_BARE ? "" : " months");
        break;
    case QM_KIND_COUNT: amount(x, sign, buf, n); break;
    default:
        amount(x, sign, num, sizeof num);
        if (flags & QM_PRINT_BARE)
            snprintf(buf, n, "%s", num);
        else if (m && !strcmp(m->unit, "1/year"))
            snprintf(buf, n, "%s a year", num);
        else if (m && (!strcmp(m->unit, "FTE") || !strcmp(m->unit, "FTE-months")))
            snprintf(buf, n, "%s %s", num, m->unit);
        else
            snprintf(buf, n, "%s", num);
    }
    return buf;
}

const char *qm_print_unit(const qm_meta *m)
{
    if (!m || !m->unit[0])
        return "";
    switch (m->kind) {
    case QM_KIND_SHARE: return "%";
    case QM_KIND_MONEY: return strstr(m->unit, "year") ? "£ a year" : "£";
    case QM_KIND_INDEX: return "0 to 1";
    case QM_KIND_MONTHS: return "months";
    default: return !strcmp(m->unit, "1/year") ? "a year" : m->unit;
    }
}

void qm_print_errors(const qm_errors *err)
{
    int shown = err->n < QM_ERR_MAX ? err->n : QM_ERR_MAX;
    for (int i = 0; i < shown; i++)
        fprintf(stderr, "%s\n", err->msg[i]);
    if (err->n > shown)
        fprintf(stderr, "%d more problems not shown\n", err->n - shown);
}
