/* reply.c: the explorer's replies: the headers every reply carries, a
 * body queued with its status, and errors as the page reads them
 * ({"ok": false, "errors": [...]}). */
#include "explore/reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "qmsim/json.h"

void qm_xreply_headers(struct MHD_Response *res, int api)
{
    MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(res, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(res, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                            "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
                            "form-action 'self'; base-uri 'none'");
    MHD_add_response_header(res, "Cache-Control", api ? "no-store" : "no-cache");
}

enum MHD_Result qm_xreply_body(struct MHD_Connection *c, unsigned status, const char *type,
                                 char *body, size_t len, int must_free)
{
    struct MHD_Response *res = MHD_create_response_from_buffer(
        len, body, must_free ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!res) {
        if (must_free)
            free(body);
        return MHD_NO;
    }
    MHD_add_response_header(res, "Content-Type", type);
    qm_xreply_headers(res, 1);
    enum MHD_Result rc = MHD_queue_response(c, status, res);
    MHD_destroy_response(res);
    return rc;
}

enum MHD_Result qm_xreply_errors(struct MHD_Connection *c, unsigned status,
                                  const qm_errors *e)
{
    qm_jbuf b;
    size_t len;
    int shown = e->n < QM_ERR_MAX ? e->n : QM_ERR_MAX;
    qm_jbuf_init(&b);
    qm_jbuf_raw(&b, "{\"ok\":false,\"errors\":[");
    for (int i = 0; i < shown; i++) {
        qm_jbuf_sep(&b);
        qm_jbuf_str(&b, e->msg[i]);
    }
    if (e->n > shown) {
        qm_jbuf_sep(&b);
        qm_jbuf_printf(&b, "\"%d more problems not shown\"", e->n - shown);
    }
    qm_jbuf_raw(&b, "]}");
    char *s = qm_jbuf_take(&b, &len);
    if (!s)
        return MHD_NO;
    return qm_xreply_body(c, status, "application/json", s, len, 1);
}

enum MHD_Result qm_xreply_error(struct MHD_Connection *c, unsigned status, const char *fmt,
                                 ...)
{
    qm_errors *e = calloc(1, sizeof *e);
    va_list ap;
    if (!e)
        return MHD_NO;
    e->n = 1;
    va_start(ap, fmt);
    vsnprintf(e->msg[0], sizeof e->msg[0], fmt, ap);
    va_end(ap);
    enum MHD_Result rc = qm_xreply_errors(c, status, e);
    free(e);
    return rc;
}
