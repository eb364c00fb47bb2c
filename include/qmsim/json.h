/* json.h: the one JSON writer (src/io/json.c).  Every command that prints
 * JSON (compare, summary, sensitivity) writes its strings and numbers
 * through it, so escapes and numbers are printed one way everywhere: a
 * number in round-trip form (%.17g: read back, it is the same double),
 * null for NaN and the infinities, which JSON lacks.  The structure (the
 * braces, commas and line breaks of each command's layout) stays with the
 * command. */
#ifndef QMSIM_JSON_H
#define QMSIM_JSON_H

#include <stdio.h>

/* Writes s to f as a JSON string: '"' and '\\' escaped with a backslash,
 * control characters as \u00XX, other bytes (UTF-8 included) as they are;
 * NULL is written as "".  Reads s only; a write error shows in ferror(f). */
void qm_json_str(FILE *f, const char *s);

/* Writes x to f as a JSON number, %.17g, so that it reads back as the same
 * double; null when x is NaN or infinite.  A write error shows in
 * ferror(f). */
void qm_json_num(FILE *f, double x);

/* Writes a setting a person chose (an interval's coverage, say) as a JSON
 * number: %g when that reads back as the same double, as "0.95" does,
 * else %.17g; null when x is not finite.  Round-trip exact as qm_json_num,
 * in the short form the setting was most likely typed in.  A write error
 * shows in ferror(f). */
void qm_json_setting(FILE *f, double x);

#endif
