/* reply.h: the explorer's replies (reply.c): headers, bodies and errors.
 * Internal to src/explore. */
#ifndef QMSIM_EXPLORE_REPLY_H
#define QMSIM_EXPLORE_REPLY_H

#include <microhttpd.h>
#include <stddef.h>

#include "qmsim/scenario.h"

/* Adds the headers every reply carries (no sniffing, a strict content
 * policy; no caching for API replies when api). */
void qm_xreply_headers(struct MHD_Response *res, int api);

/* Queues body (len bytes, of type; freed by MHD when must_free) with
 * status.  Returns MHD's verdict; frees body on failure when must_free. */
enum MHD_Result qm_xreply_body(struct MHD_Connection *c, unsigned status, const char *type,
                                 char *body, size_t len, int must_free);

/* Queues {"ok": false, "errors": [...]} with status. */
enum MHD_Result qm_xreply_errors(struct MHD_Connection *c, unsigned status,
                                  const qm_errors *e);

/* Queues one error message, printf-formatted, with status. */
enum MHD_Result qm_xreply_error(struct MHD_Connection *c, unsigned status, const char *fmt,
                                 ...) __attribute__((format(printf, 3, 4)));

#endif
