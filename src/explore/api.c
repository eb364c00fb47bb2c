/* api.c: the explorer's API under /api/ (docs/explore.md): scenarios,
 * sessions, setup, streamed steps, downloads and status. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "explore/download.h"
#include "qmsim/json.h"
#include "explore/api.h"
#include "explore/reply.h"

/* Session problems, with the status that says which. */
static enum MHD_Result no_session(struct MHD_Connection *c, int why)
{
    if (why == 2)
        return qm_xreply_error(c, MHD_HTTP_CONFLICT, "this tab's run is busy with another "
                                "request; wait until it has finished");
    return qm_xreply_error(c, MHD_HTTP_GONE, "this tab's session has ended (unused for a "
                            "while, closed, or the server restarted): press Setup to start "
                            "again");
}

static enum MHD_Result reply_jbuf(struct MHD_Connection *c, unsigned status, qm_jbuf *b)
{
    size_t len;
    char *s = qm_jbuf_take(b, &len);
    if (!s)
        return qm_xreply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    return qm_xreply_body(c, status, "application/json", s, len, 1);
}

static enum MHD_Result api_scenarios(qm_xserver *sv, struct MHD_Connection *c)
{
    return qm_xreply_body(c, MHD_HTTP_OK, "application/json", sv->cat.json, sv->cat.json_len,
                            0);
}

static enum MHD_Result api_session(qm_xserver *sv, struct MHD_Connection *c)
{
    char id[QM_X_ID_LEN + 1];
    int rc = qm_xsessions_open(&sv->sessions, id);
    if (rc > 0)
        return qm_xreply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "the explorer already has "
                                "%d sessions open, its limit: close another tab, or wait "
                                "for unused sessions to be freed (after %.0f minutes), then "
                                "reload this page", sv->o.lim.max_sessions,
                                sv->o.lim.idle_seconds / 60.0);
    if (rc < 0)
        return qm_xreply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot open a session");
    qm_jbuf b;
    qm_jbuf_init(&b);
    qm_jbuf_raw(&b, "{\"ok\":true,\"session\":");
    qm_jbuf_str(&b, id);
    qm_jbuf_raw(&b, "}");
    return reply_jbuf(c, MHD_HTTP_OK, &b);
}

static enum MHD_Result api_setup(qm_xserver *sv, struct MHD_Connection *c, qm_xrequest *r)
{
    qm_xsetup *req = malloc(sizeof *req);
    qm_errors *err = calloc(1, sizeof *err);
    enum MHD_Result rc;
    int why;
    if (!req || !err) {
        free(req);
        free(err);
        return qm_xreply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    }
    if (qm_xreq_setup(r->body, r->n, &sv->o.lim, req, err) != 0)
        rc = qm_xreply_errors(c, MHD_HTTP_BAD_REQUEST, err);
    else {
        qm_xsession *s = qm_xsessions_acquire(&sv->sessions, req->session, &why);
        if (!s)
            rc = no_session(c, why);
        else if (qm_xsession_setup(s, req, &sv->cat, &sv->o.lim, err) != 0) {
            qm_xsessions_release(&sv->sessions, s);
            rc = qm_xreply_errors(c, MHD_HTTP_BAD_REQUEST, err);
        } else {
            qm_jbuf b;
            qm_jbuf_init(&b);
            qm_xsession_setup_json(&b, s);
            qm_xsessions_release(&sv->sessions, s);
            rc = reply_jbuf(c, MHD_HTTP_OK, &b);
        }
    }
    free(req);
    free(err);
    return rc;
}

/* ---- Steps, streamed one month a line ---- */

typedef struct stream {
    qm_xserver *sv;
    qm_xsession *s;
    int left;                   /* months still to run */
    qm_jbuf b;                  /* the line being sent */
    size_t off;                 /* bytes of it sent */
    int ended;
} stream;

/* The next line: a month, or the closing {"done": ...} line. */
static void next_line(stream *st)
{
    qm_jbuf_free(&st->b);
    st->off = 0;
    if (st->left > 0 && qm_xsession_step(st->s, &st->b) == 0) {
        st->left--;
        return;
    }
    const qm_sim *sim = st->s->arm[0]->sim;
    qm_jbuf_printf(&st->b, "{\"done\":true,\"month\":%d,\"months\":%d}\n", sim->month,
                   sim->months);
    st->ended = 1;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    stream *st = cls;
    if (st->off >= st->b.n) {
        if (st->ended)
            return MHD_CONTENT_READER_END_OF_STREAM;
        next_line(st);
        if (st->b.failed)
            return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    size_t k = st->b.n - st->off < max ? st->b.n - st->off : max;
    memcpy(buf, st->b.s + st->off, k);
    st->off += k;
    return (ssize_t)k;
}

static void stream_free(void *cls)
{
    stream *st = cls;
    qm_xsessions_release(&st->sv->sessions, st->s);
    qm_jbuf_free(&st->b);
    free(st);
}

static enum MHD_Result api_step(qm_xserver *sv, struct MHD_Connection *c, qm_xrequest *r)
{
    char id[QM_X_ID_LEN + 1];
    int months, why;
    qm_errors *err = calloc(1, sizeof *err);
    if (!err)
        return MHD_NO;
    if (qm_xreq_step(r->body, r->n, &sv->o.lim, id, &months, err) != 0) {
        enum MHD_Result rc = qm_xreply_errors(c, MHD_HTTP_BAD_REQUEST, err);
        free(err);
        return rc;
    }
    free(err);
    qm_xsession *s = qm_xsessions_acquire(&sv->sessions, id, &why);
    if (!s)
        return no_session(c, why);
    stream *st = calloc(1, sizeof *st);
    if (!st || !s->n_arms) {
        free(st);
        qm_xsessions_release(&sv->sessions, s);
        return qm_xreply_error(c, MHD_HTTP_CONFLICT, "press Setup first: there is no run "
                                "to step yet");
    }
    *st = (stream){.sv = sv, .s = s, .left = months};
    struct MHD_Response *res = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024,
                                                                 stream_read, st, stream_free);
    if (!res) {
        stream_free(st);
        return MHD_NO;
    }
    MHD_add_response_header(res, "Content-Type", "application/x-ndjson");
    qm_xreply_headers(res, 1);
    enum MHD_Result rc = MHD_queue_response(c, MHD_HTTP_OK, res);
    MHD_destroy_response(res);
    return rc;
}

static enum MHD_Result api_close(qm_xserver *sv, struct MHD_Connection *c, qm_xrequest *r)
{
    char id[QM_X_ID_LEN + 1];
    qm_errors *err = calloc(1, sizeof *err);
    enum MHD_Result rc;
    if (!err)
        return MHD_NO;
    if (qm_xreq_session(r->body, r->n, id, err) != 0)
        rc = qm_xreply_errors(c, MHD_HTTP_BAD_REQUEST, err);
    else if (qm_xsessions_close(&sv->sessions, id) != 0)
        rc = no_session(c, 1);
    else {
#ifdef __GLIBC__
        malloc_trim(0);
#endif
        static char ok[] = "{\"ok\":true}";
        rc = qm_xreply_body(c, MHD_HTTP_OK, "application/json", ok, sizeof ok - 1, 0);
    }
    free(err);
    return rc;
}

/* ---- Downloads ---- */

/* The session and arm a download names (?session=ID&arm=0|1), acquired. */
static qm_xsession *download_arm(qm_xserver *sv, struct MHD_Connection *c, int *arm,
                                 enum MHD_Result *rc)
{
    const char *id = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "session");
    const char *a = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "arm");
    int why;
    if (!id || !qm_xreq_id_ok(id) || (a && strcmp(a, "0") && strcmp(a, "1"))) {
        *rc = qm_xreply_error(c, MHD_HTTP_BAD_REQUEST, "a download names a session "
                               "(?session=ID) and optionally a setting (&arm=0 or 1)");
        return NULL;
    }
    *arm = a ? a[0] - '0' : 0;
    qm_xsession *s = qm_xsessions_acquire(&sv->sessions, id, &why);
    if (!s) {
        *rc = no_session(c, why);
        return NULL;
    }
    if (*arm >= s->n_arms) {
        qm_xsessions_release(&sv->sessions, s);
        *rc = qm_xreply_error(c, MHD_HTTP_CONFLICT, s->n_arms ? "there is no second "
                               "setting to download" : "press Setup first: there is no run "
                               "to download yet");
        return NULL;
    }
    return s;
}

static enum MHD_Result attachment(struct MHD_Connection *c, struct MHD_Response *res,
                                  const char *type, const char *name)
{
    char cd[QM_NAME_MAX + 64];
    snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", name);
    MHD_add_response_header(res, "Content-Type", type);
    MHD_add_response_header(res, "Content-Disposition", cd);
    qm_xreply_headers(res, 1);
    enum MHD_Result rc = MHD_queue_response(c, MHD_HTTP_OK, res);
    MHD_destroy_response(res);
    return rc;
}

/* The run's HDF5 file, written afresh to a private folder, opened, removed
 * from the folder and sent from the open file. */
static enum MHD_Result api_download(qm_xserver *sv, struct MHD_Connection *c)
{
    char path[PATH_MAX + 64], err[512], name[QM_NAME_MAX + 8];
    int arm, fd = -1;
    enum MHD_Result rc;
    struct stat st;
    qm_xsession *s = download_arm(sv, c, &arm, &rc);
    if (!s)
        return rc;
    snprintf(path, sizeof path, "%s/%s-%d.h5", sv->tmpdir, s->id, arm);
    qm_xsession_out_name(s->arm[arm], arm, name, sizeof name);
    int ok = qm_xdownload_write(s->arm[arm], path, err, sizeof err) == 0
             && (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0 && fstat(fd, &st) == 0;
    if (!ok && fd < 0 && !err[0])
        snprintf(err, sizeof err, "cannot open the file written: %s", strerror(errno));
    unlink(path);
    qm_xsessions_release(&sv->sessions, s);
    if (!ok) {
        if (fd >= 0)
            close(fd);
        return qm_xreply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "the run could not be "
                                "written: %s", err);
    }
    struct MHD_Response *res = MHD_create_response_from_fd((size_t)st.st_size, fd);
    if (!res) {
        close(fd);
        return MHD_NO;
    }
    return attachment(c, res, "application/x-hdf5", name);
}

/* The scenario file a reorganisation was written into. */
static enum MHD_Result api_scenario_file(qm_xserver *sv, struct MHD_Connection *c)
{
    int arm;
    enum MHD_Result rc;
    qm_xsession *s = download_arm(sv, c, &arm, &rc);
    if (!s)
        return rc;
    const qm_xarm *a = s->arm[arm];
    char name[QM_NAME_MAX + 40];
    snprintf(name, sizeof name, "%s", a->file_name ? a->file_name : "");
    char *text = a->file_name ? strdup(a->text) : NULL;
    qm_xsessions_release(&sv->sessions, s);
    if (!name[0])
        return qm_xreply_error(c, MHD_HTTP_NOT_FOUND, "this run uses a bundled scenario as "
                                "it is: its command line names the file");
    if (!text)
        return qm_xreply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    struct MHD_Response *res = MHD_create_response_from_buffer(strlen(text), text,
                                                               MHD_RESPMEM_MUST_FREE);
    if (!res) {
        free(text);
        return MHD_NO;
    }
    return attachment(c, res, "text/plain; charset=utf-8", name);
}

/* ---- Status ---- */

/* Resident memory of the process in bytes, 0 when unknown. */
static double resident(void)
{
    long pages = 0, rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
            rss = 0;
        fclose(f);
    }
    return (double)rss * (double)sysconf(_SC_PAGESIZE);
}

static enum MHD_Result api_status(qm_xserver *sv, struct MHD_Connection *c)
{
    qm_jbuf b;
    qm_jbuf_init(&b);
    qm_jbuf_printf(&b, "{\"ok\":true,\"sessions\":%d,\"max_sessions\":%d,\"resident_bytes\":%.0f}",
                   qm_xsessions_count(&sv->sessions), sv->o.lim.max_sessions, resident());
    return reply_jbuf(c, MHD_HTTP_OK, &b);
}

/* ---- Routing ---- */

enum MHD_Result qm_xapi_handle(qm_xserver *sv, struct MHD_Connection *c, const char *url,
                               const char *method, qm_xrequest *r)
{
    static const struct {
        const char *url;
        int post;
    } routes[] = {{"/api/scenarios", 0}, {"/api/status", 0}, {"/api/download", 0},
                  {"/api/scenario-file", 0}, {"/api/session", 1}, {"/api/setup", 1},
                  {"/api/step", 1}, {"/api/close", 1}};
    int post = !strcmp(method, "POST"), get = !strcmp(method, "GET");
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (strcmp(url, routes[i].url) != 0)
            continue;
        if (routes[i].post ? !post : !get)
            return qm_xreply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "%s takes %s requests, "
                                    "not %.16s", url, routes[i].post ? "POST" : "GET", method);
        switch (i) {
        case 0: return api_scenarios(sv, c);
        case 1: return api_status(sv, c);
        case 2: return api_download(sv, c);
        case 3: return api_scenario_file(sv, c);
        case 4: return api_session(sv, c);
        case 5: return api_setup(sv, c, r);
        case 6: return api_step(sv, c, r);
        default: return api_close(sv, c, r);
        }
    }
    return qm_xreply_error(c, MHD_HTTP_NOT_FOUND, "the explorer has no %.100s", url);
}
