/* server.c: the explorer's web server: GNU libmicrohttpd on a pool of
 * threads, the page's files, the checks every request passes, the idle
 * reaper and the start and stop of `qmsim explore` (explore.h). */
#define _XOPEN_SOURCE 700   /* nftw */
#include "explore/api.h"
#include "explore/reply.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "qmsim/json.h"
#include "qmsim/file.h"

#ifndef QMSIM_SCENARIO_DIR
#define QMSIM_SCENARIO_DIR ""
#endif
#ifndef QMSIM_EXPLORE_DIR
#define QMSIM_EXPLORE_DIR ""
#endif
#define DEBIAN_CHARTJS "/usr/share/javascript/chart.js/chart.min.js"

void qm_xopts_default(qm_xopts *o)
{
    memset(o, 0, sizeof *o);
    o->bind = "127.0.0.1";
    o->port = 8080;
    o->threads = 4;
    o->max_connections = 2000;
    qm_xlimits_default(&o->lim);
}

/* ---- Requests ---- */

/* The host part of a Host or Origin value ("http://" dropped, port and
 * brackets kept apart); into out. */
static void host_of(const char *v, char *out, size_t n)
{
    const char *p = strstr(v, "://");
    p = p ? p + 3 : v;
    size_t k;
    if (*p == '[')
        k = strcspn(p, "]") + 1;
    else
        k = strcspn(p, ":/");
    snprintf(out, n, "%.*s", (int)(k < n ? k : n - 1), p);
}

/* 0 when the request may go on; else a reply was queued (or failed).  A
 * server on loopback answers only to loopback names, so that a web site
 * cannot reach it by rebinding its own name to 127.0.0.1; a POST must come
 * from a page of this server (no cross-site requests). */
static int refused(qm_xserver *sv, struct MHD_Connection *c, const char *method,
                   enum MHD_Result *rc)
{
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    char h[256] = "";
    if (host)
        host_of(host, h, sizeof h);
    if (sv->loopback && strcasecmp(h, "localhost") && strcmp(h, "127.0.0.1")
        && strcmp(h, "[::1]")) {
        *rc = qm_xreply_error(c, MHD_HTTP_FORBIDDEN, "this explorer answers only at "
                               "http://127.0.0.1 or http://localhost (Host was '%.100s')",
                               host ? host : "");
        return 1;
    }
    if (origin && strcmp(method, "GET") != 0) {
        char hp[300] = "", op[300] = "";
        const char *p = strstr(origin, "://");
        snprintf(op, sizeof op, "%s", p ? p + 3 : origin);
        snprintf(hp, sizeof hp, "%s", host ? host : "");
        if (strcmp(op, hp) != 0) {
            *rc = qm_xreply_error(c, MHD_HTTP_FORBIDDEN, "requests must come from the "
                                   "explorer's own page (Origin was '%.100s')", origin);
            return 1;
        }
    }
    return 0;
}

static const qm_xfile *page_file(const qm_xserver *sv, const char *url)
{
    for (int i = 0; i < QM_X_FILES; i++)
        if (sv->files[i].url && !strcmp(sv->files[i].url, url))
            return &sv->files[i];
    return NULL;
}

static enum MHD_Result serve_file(struct MHD_Connection *c, const qm_xfile *f)
{
    struct MHD_Response *res = MHD_create_response_from_buffer(f->len, f->data,
                                                               MHD_RESPMEM_PERSISTENT);
    if (!res)
        return MHD_NO;
    MHD_add_response_header(res, "Content-Type", f->type);
    qm_xreply_headers(res, 0);
    enum MHD_Result rc = MHD_queue_response(c, MHD_HTTP_OK, res);
    MHD_destroy_response(res);
    return rc;
}

/* A Content-Length above the limit is refused before the body is read. */
static int declared_too_big(struct MHD_Connection *c, size_t max)
{
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (!cl)
        return 0;
    errno = 0;
    char *end;
    unsigned long long n = strtoull(cl, &end, 10);
    return errno == ERANGE || n > max;
}

static enum MHD_Result too_big(qm_xserver *sv, struct MHD_Connection *c)
{
    return qm_xreply_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "the request is larger than the "
                            "%zu bytes the explorer accepts", sv->o.lim.max_body);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **ctx)
{
    qm_xserver *sv = cls;
    qm_xrequest *r = *ctx;
    enum MHD_Result rc;
    if (!r) {
        if (!(r = calloc(1, sizeof *r)))
            return MHD_NO;
        *ctx = r;
        if (refused(sv, c, method, &rc))
            return rc;
        if (declared_too_big(c, sv->o.lim.max_body)) {
            r->too_big = 1;
            return too_big(sv, c);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->too_big && r->n + *upload_size <= sv->o.lim.max_body) {
            char *b = realloc(r->body, r->n + *upload_size + 1);
            if (!b)
                return MHD_NO;
            memcpy(b + r->n, upload, *upload_size);
            r->body = b;
            r->n += *upload_size;
            r->body[r->n] = '\0';
        } else if (!r->too_big) {
            r->too_big = 1;
            *upload_size = 0;
            return too_big(sv, c);   /* answered now; the connection then closes */
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->too_big)
        return MHD_YES;              /* already answered */
    if (!strncmp(url, "/api/", 5))
        return qm_xapi_handle(sv, c, url, method, r);
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return qm_xreply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "%.16s is not allowed here",
                                method);
    const qm_xfile *f = page_file(sv, url);
    if (!f)
        return qm_xreply_error(c, MHD_HTTP_NOT_FOUND, "there is nothing at %.100s (the "
                                "explorer's page is at /)", url);
    return serve_file(c, f);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **ctx,
                         enum MHD_RequestTerminationCode why)
{
    qm_xrequest *r = *ctx;
    if (r) {
        free(r->body);
        free(r);
    }
    *ctx = NULL;
}

/* MHD's own messages, printed only while the server starts (why it could
 * not listen): afterwards they are about clients (a connection dropped
 * half-way), which a hostile client could use to flood the terminal or
 * block the server on a full pipe. */
static void on_log(void *cls, const char *fmt, va_list ap)
{
    const qm_xserver *sv = cls;
    char line[512];
    if (atomic_load(&sv->started))
        return;
    vsnprintf(line, sizeof line, fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    fprintf(stderr, "qmsim explore: %s\n", line);
}

/* ---- Idle sessions ---- */

static void *reaper(void *arg)
{
    qm_xserver *sv = arg;
    double every = sv->o.lim.idle_seconds / 4.0;
    every = every < 0.05 ? 0.05 : every > 10.0 ? 10.0 : every;
    pthread_mutex_lock(&sv->stop_lock);
    while (!sv->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        double t = (double)until.tv_nsec * 1e-9 + every;
        until.tv_sec += (time_t)t;
        until.tv_nsec = (long)((t - (double)(time_t)t) * 1e9);
        pthread_cond_timedwait(&sv->stop_cond, &sv->stop_lock, &until);
        if (sv->stopping)
            break;
        pthread_mutex_unlock(&sv->stop_lock);
        if (qm_xsessions_reap(&sv->sessions, qm_xnow()) > 0) {
#ifdef __GLIBC__
            malloc_trim(0);   /* give the freed runs' memory back to the system */
#endif
        }
        pthread_mutex_lock(&sv->stop_lock);
    }
    pthread_mutex_unlock(&sv->stop_lock);
    return NULL;
}

/* ---- Start and stop ---- */

/* The folder beside the program (installed: BIN/../share/qmsim/SUB) when
 * it holds want, else the source tree's. */
static const char *find_dir(const char *given, const char *sub, const char *want,
                            const char *source, char *buf, size_t n)
{
    char exe[PATH_MAX], probe[2 * PATH_MAX + 64];
    struct stat st;
    if (given)
        return given;
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            int k1 = snprintf(buf, n, "%.*s/../share/qmsim/%s", PATH_MAX / 2, exe, sub);
            snprintf(probe, sizeof probe, "%s/%s", buf, want);
            if (k1 > 0 && (size_t)k1 < n && stat(probe, &st) == 0)
                return buf;
        }
    }
    return source;
}

static int load_file(qm_xfile *f, const char *url, const char *type, const char *dir,
                     const char *name)
{
    char path[PATH_MAX + 64];
    if (dir)
        snprintf(path, sizeof path, "%s/%s", dir, name);
    else
        snprintf(path, sizeof path, "%s", name);
    f->url = url;
    f->type = type;
    f->data = qm_file_read(path, (size_t)16 << 20, &f->len);
    if (!f->data)
        fprintf(stderr, "qmsim explore: cannot read %s: %s\n", path, strerror(errno));
    return f->data ? 0 : -1;
}

/* The page's files; Chart.js from where Debian's libjs-chart.js puts it
 * (never a copy in the repository).  Without it the page says so. */
static int load_page(qm_xserver *sv)
{
    static const char no_charts[] =
        "window.QMSIM_NO_CHARTS = 'The plots need Chart.js: install Debian\\'s libjs-chart.js "
        "(sudo apt-get install libjs-chart.js) and restart qmsim explore.';\n";
    char buf[PATH_MAX];
    const char *dir = find_dir(sv->o.page_dir, "explore", "index.html", QMSIM_EXPLORE_DIR, buf,
                               sizeof buf);
    static const char *const page[][3] = {
        {"/", "text/html; charset=utf-8", "index.html"},
        {"/explore.css", "text/css; charset=utf-8", "explore.css"},
        {"/explore.js", "text/javascript; charset=utf-8", "explore.js"},
        {"/run.js", "text/javascript; charset=utf-8", "run.js"},
        {"/plots.js", "text/javascript; charset=utf-8", "plots.js"},
        {"/market.js", "text/javascript; charset=utf-8", "market.js"}};
    qm_xfile *chartjs = &sv->files[QM_X_FILES - 1];
    for (int i = 0; i < QM_X_FILES - 1; i++)
        if (load_file(&sv->files[i], page[i][0], page[i][1], dir, page[i][2]) != 0)
            return -1;
    const char *chart = sv->o.chartjs ? sv->o.chartjs : getenv("QMSIM_CHARTJS");
    if (!chart || !*chart)
        chart = DEBIAN_CHARTJS;
    if (load_file(chartjs, "/chart.js", "text/javascript; charset=utf-8", NULL, chart)) {
        fprintf(stderr, "qmsim explore: warning: the page will have no plots: install "
                        "Debian's libjs-chart.js (or set QMSIM_CHARTJS to chart.min.js)\n");
        chartjs->data = strdup(no_charts);
        chartjs->len = sizeof no_charts - 1;
        if (!chartjs->data)
            return -1;
    }
    return 0;
}

/* The address to listen on; 0, or -1 with a message printed. */
static int address(const qm_xopts *o, struct sockaddr_storage *ss, int *v6, int *loopback)
{
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_PASSIVE, .ai_socktype = SOCK_STREAM};
    struct addrinfo *ai = NULL;
    if (getaddrinfo(o->bind, NULL, &hints, &ai) != 0 || !ai) {
        fprintf(stderr, "qmsim explore: --bind expects a numeric address such as 127.0.0.1, "
                        "0.0.0.0 or ::1, got '%s'\n", o->bind);
        return -1;
    }
    memset(ss, 0, sizeof *ss);
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *v6 = ai->ai_family == AF_INET6;
    freeaddrinfo(ai);
    if (*v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_port = htons((uint16_t)o->port);
        *loopback = IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)ss;
        a->sin_port = htons((uint16_t)o->port);
        *loopback = (ntohl(a->sin_addr.s_addr) >> 24) == 127;
    }
    return 0;
}

/* Connections the process can hold: the limit asked for, within the
 * descriptors the system allows (raised to its hard limit). */
static unsigned connection_limit(int want)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 200;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    rlim_t room = rl.rlim_cur > 128 ? rl.rlim_cur - 64 : 64;
    return (unsigned)((rlim_t)want < room ? (rlim_t)want : room);
}

static int start_daemon(qm_xserver *sv)
{
    struct sockaddr_storage ss;
    int v6, loopback;
    if (address(&sv->o, &ss, &v6, &loopback) != 0)
        return -1;
    sv->loopback = loopback;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG
                   | (MHD_is_feature_supported(MHD_FEATURE_EPOLL) ? MHD_USE_EPOLL : 0)
                   | (v6 ? MHD_USE_IPv6 : 0);
    sv->daemon = MHD_start_daemon(
        flags, (uint16_t)sv->o.port, NULL, NULL, on_request, sv,
        MHD_OPTION_EXTERNAL_LOGGER, on_log, sv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)sv->o.threads,
        MHD_OPTION_CONNECTION_LIMIT, connection_limit(sv->o.max_connections),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, sv,
        MHD_OPTION_END);
    if (!sv->daemon) {
        fprintf(stderr, "qmsim explore: cannot listen on %s port %d (is it in use? try "
                        "--port with another number)\n", sv->o.bind, sv->o.port);
        return -1;
    }
    return 0;
}

static void announce(const qm_xserver *sv)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(sv->daemon,
                                                           MHD_DAEMON_INFO_BIND_PORT);
    int port = info ? info->port : sv->o.port;
    int v6 = strchr(sv->o.bind, ':') != NULL;
    const char *host = sv->o.bind;
    if (!strcmp(host, "0.0.0.0") || !strcmp(host, "::"))
        host = "THIS-COMPUTER'S-ADDRESS";
    printf("qmsim explore: serving %d scenarios at http://%s%s%s:%d/\n", sv->cat.n,
           v6 ? "[" : "", host, v6 ? "]" : "", port);
    printf("Open that address in a web browser; Ctrl-C stops the server.\n");
    if (!sv->loopback)
        printf("qmsim explore: warning: listening on %s, not the loopback address: anyone "
               "on that network who can reach port %d of this computer can use the explorer "
               "(and its computer time). Use it on a classroom network you trust and stop "
               "it after the class.\n", sv->o.bind, port);
    fflush(stdout);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void server_free(qm_xserver *sv)
{
    if (sv->daemon)
        MHD_stop_daemon(sv->daemon);
    qm_xsessions_free(&sv->sessions);
    qm_xcatalog_free(&sv->cat);
    for (int i = 0; i < QM_X_FILES; i++)
        free(sv->files[i].data);
    if (sv->tmpdir[0])
        nftw(sv->tmpdir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    pthread_mutex_destroy(&sv->stop_lock);
    pthread_cond_destroy(&sv->stop_cond);
}

/* Reads the scenarios and the page, makes the download folder. */
static int prepare(qm_xserver *sv)
{
    char buf[PATH_MAX], err[512];
    const char *tmp = getenv("TMPDIR");
    const char *dir = find_dir(sv->o.scenario_dir, "scenarios", "baseline.cfg",
                               QMSIM_SCENARIO_DIR, buf, sizeof buf);
    qm_errors *errs = calloc(1, sizeof *errs);
    if (!errs)
        return 1;
    if (qm_xcatalog_build(&sv->cat, dir, sv->o.scenario, &sv->o.lim, errs, err,
                          sizeof err) != 0) {
        for (int i = 0; i < errs->n && i < QM_ERR_MAX; i++)
            fprintf(stderr, "%s\n", errs->msg[i]);
        fprintf(stderr, "qmsim explore: %s\n", err);
        free(errs);
        return 2;
    }
    free(errs);
    snprintf(sv->tmpdir, sizeof sv->tmpdir, "%s/qmsim-explore-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(sv->tmpdir)) {
        fprintf(stderr, "qmsim explore: cannot make a folder for downloads in %s: %s\n",
                tmp && *tmp ? tmp : "/tmp", strerror(errno));
        sv->tmpdir[0] = '\0';
        return 1;
    }
    if (load_page(sv) != 0 || qm_xsessions_init(&sv->sessions, &sv->o.lim) != 0)
        return 1;
    return 0;
}

int qm_explore_serve(const qm_xopts *o)
{
    static qm_xserver sv;
    sigset_t stop;
    int sig = 0, rc;
    memset(&sv, 0, sizeof sv);
    sv.o = *o;
    pthread_mutex_init(&sv.stop_lock, NULL);
    pthread_cond_init(&sv.stop_cond, NULL);
    /* Every thread leaves SIGINT and SIGTERM to the main thread's sigwait. */
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    if ((rc = prepare(&sv)) != 0 || (rc = start_daemon(&sv) ? 1 : 0) != 0) {
        server_free(&sv);
        return rc;
    }
    atomic_store(&sv.started, 1);
    if (pthread_create(&sv.reaper, NULL, reaper, &sv) != 0) {
        server_free(&sv);
        return 1;
    }
    announce(&sv);
    sigwait(&stop, &sig);
    fprintf(stderr, "\nqmsim explore: stopping (%d session%s open)\n",
            qm_xsessions_count(&sv.sessions), qm_xsessions_count(&sv.sessions) == 1 ? "" : "s");
    pthread_mutex_lock(&sv.stop_lock);
    sv.stopping = 1;
    pthread_cond_signal(&sv.stop_cond);
    pthread_mutex_unlock(&sv.stop_lock);
    pthread_join(sv.reaper, NULL);
    server_free(&sv);
    return 0;
}
