/* cfgtext.h: what the readers of libconfig text share (src/io/cfgtext.c):
 * a UTF-8 byte-order mark passed over (an editor's mark, not part of the
 * text), and libconfig's syntax errors told once, with the line that holds
 * them.  Used by the scenario, sweep-file and calibration-file readers. */
#ifndef QMSIM_IO_CFGTEXT_H
#define QMSIM_IO_CFGTEXT_H

#include <libconfig.h>

#include "qmsim/scenario.h"

/* text without a leading UTF-8 byte-order mark (EF BB BF).  NULL stays
 * NULL.  Cannot fail. */
const char *qm_cfgtext_skip_bom(const char *text);

/* Adds "NAME:LINE: syntax error in `THE LINE`" for cfg's failed parse of
 * text (libconfig's own words added only when they say more than "syntax
 * error"; a hint when the line holds nan or inf, which are not numbers a
 * file can give) to err.  name stands for text in messages. */
void qm_cfgtext_syntax(qm_errors *err, const char *name, const char *text, const config_t *cfg);

#endif
