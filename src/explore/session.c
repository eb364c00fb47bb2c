/* session.c: the explorer's sessions and their runs (session.h). */
#include "explore/session.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qmsim/file.h"
#include "qmsim/params.h"

#define MAX_SCENARIO_FILE (64L << 20)   /* as the scenario loader */

double qm_xnow(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- Runs ---- */

static void arm_free(qm_xarm *a)
{
    if (!a)
        return;
    qm_frame_free(a->f);
    qm_sim_free(a->sim);
    qm_scenario_free(&a->sc);
    qm_xseen_free(&a->seen);
    free(a->text);
    free(a->source);
    free(a->file_name);
    free(a->sets);
    free(a->command);
    free(a);
}

static void session_free(qm_xsession *s)
{
    for (int i = 0; i < QM_X_ARMS; i++)
        arm_free(s->arm[i]);
    free(s);
}

void qm_xsession_quote(qm_jbuf *b, const char *s)
{
    int plain = *s != '\0';
    for (const char *p = s; *p && plain; p++)
        plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:,+-",
                       *p) != NULL && !(p == s && *p == '-');
    if (plain) {
        qm_jbuf_raw(b, s);
        return;
    }
    qm_jbuf_raw(b, "'");
    for (const char *p = s; *p; p++)
        if (*p == '\'')
            qm_jbuf_raw(b, "'\\''");
        else
            qm_jbuf_rawn(b, p, 1);
    qm_jbuf_raw(b, "'");
}

char *qm_xsession_reorg_text(const char *resolved, const qm_xreorg *r)
{
    static const char open[] = "\ntimeline = (\n";
    const qm_param_def *rupture = qm_params_find(qm_timeline_fields, "rupture");
    const qm_param_def *setback = qm_params_find(qm_timeline_fields, "setback");
    const char *at = resolved ? strstr(resolved, open) : NULL;
    for (const char *next = at; next; next = strstr(next + 1, open))
        at = next;                         /* the last one: the top-level list */
    const char *nl = at ? at + sizeof open - 2 : NULL;   /* the newline after '(' */
    const char *close = nl ? strstr(nl, "\n);") : NULL;
    if (!close)
        return NULL;
    int empty = strspn(nl, " \t\n") >= (size_t)(close - nl + 1);
    qm_jbuf b;
    qm_jbuf_init(&b);
    qm_jbuf_rawn(&b, resolved, (size_t)(close - resolved));
    qm_jbuf_printf(&b, "%s  { month = %d; type = \"reorganisation\"; staff_loss = %.17g; "
                   "knowledge_loss = %.17g; rupture = %.17g; setback = %.17g; merge = %d; "
                   "split_share = 0.0; }", empty ? "\n" : ",\n", r->month, r->staff_loss,
                   r->knowledge_loss, rupture->def, setback->def, r->merge);
    qm_jbuf_raw(&b, close);
    return qm_jbuf_take(&b, NULL);
}

/* Copies arm i's settings with the seed and months of the request last,
 * as `qmsim run` appends --seed and --months after the --set list. */
static int arm_sets(qm_xarm *a, const qm_xsetup *req, int i)
{
    const qm_xarm_req *r = &req->arm[i];
    a->sets = calloc((size_t)r->n_sets + 2, sizeof *a->sets);
    if (!a->sets)
        return -1;
    for (int k = 0; k < r->n_sets; k++)
        memcpy(a->sets[a->n_sets++], r->sets[k], QM_X_SET_LEN);
    if (req->seed >= 0)
        snprintf(a->sets[a->n_sets++], QM_X_SET_LEN, "seed=%lld", req->seed);
    if (req->months > 0)
        snprintf(a->sets[a->n_sets++], QM_X_SET_LEN, "months=%d", req->months);
    return 0;
}

/* Loads text as name with the arm's settings; messages get the arm's
 * label when two arms are compared.  Returns 0 or the problems' count. */
static int arm_load_text(qm_xarm *a, const char *text, const char *name, int use_sets,
                         const char *label, qm_errors *err)
{
    static qm_errors none;
    qm_errors *mine = malloc(sizeof *mine);
    const char *setv[QM_X_SETS + 2];
    int n = use_sets ? a->n_sets : 0;
    if (!mine) {
        qm_errors_add(err, "out of memory");
        return err->n;
    }
    *mine = none;
    for (int k = 0; k < n; k++)
        setv[k] = a->sets[k];
    int rc = qm_scenario_load_text(text, name, setv, n, &a->sc, mine);
    for (int k = 0; rc && k < mine->n && k < QM_ERR_MAX; k++) {
        const char *m = mine->msg[k];
        if (!strncmp(m, "--set: ", 7))
            m += 7;                         /* the page has no --set */
        qm_errors_add(err, "%s%s", label, m);
    }
    free(mine);
    return rc;
}

void qm_xsession_out_name(const qm_xarm *a, int arm, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s.h5", a->sc.name, arm ? "-B" : "");
    for (char *p = buf; *p; p++)
        if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') && !(*p >= '0' && *p <= '9')
            && *p != '_' && *p != '-' && *p != '.')
            *p = '_';
}

/* The `qmsim run` command that writes the same file as the arm. */
static int arm_command(qm_xarm *a, int arm)
{
    qm_jbuf b;
    char out[QM_NAME_MAX + 16];
    qm_jbuf_init(&b);
    qm_jbuf_raw(&b, "qmsim run ");
    qm_xsession_quote(&b, a->source);
    for (int k = 0; k < a->n_sets; k++) {
        const char *s = a->sets[k];
        if (!strncmp(s, "seed=", 5))
            qm_jbuf_printf(&b, " --seed %s", s + 5);
        else if (!strncmp(s, "months=", 7))
            qm_jbuf_printf(&b, " --months %s", s + 7);
        else {
            qm_jbuf_raw(&b, " --set ");
            qm_xsession_quote(&b, s);
        }
    }
    qm_xsession_out_name(a, arm, out, sizeof out);
    qm_jbuf_raw(&b, " -o ");
    qm_xsession_quote(&b, out);
    a->command = qm_jbuf_take(&b, NULL);
    return a->command ? 0 : -1;
}

/* Writes arm i's reorganisation into its scenario's timeline: the
 * resolved text (settings included) with the event added, reloaded. */
static int arm_reorganise(qm_xarm *a, const qm_xreorg *r, const char *label, qm_errors *err)
{
    char name[QM_NAME_MAX + 40];
    if (r->month >= a->sc.months) {
        qm_errors_add(err, "%sReorganisation: month %d is not within the run (months 0 to %d)",
                      label, r->month, a->sc.months - 1);
        return err->n;
    }
    char *resolved = qm_scenario_resolved_text(&a->sc);
    char *text = resolved ? qm_xsession_reorg_text(resolved, r) : NULL;
    free(resolved);
    snprintf(name, sizeof name, "%s-reorganised-%d.cfg", a->sc.name, r->month);
    qm_scenario_free(&a->sc);
    if (!text) {
        qm_errors_add(err, "%scannot write the reorganisation into the scenario", label);
        return err->n;
    }
    free(a->text);
    a->text = text;
    free(a->source);
    a->n_sets = 0;                          /* the settings are in the text now */
    if (!(a->source = strdup(name)) || !(a->file_name = strdup(name))) {
        qm_errors_add(err, "out of memory");
        return err->n;
    }
    return arm_load_text(a, a->text, a->source, 0, label, err);
}

/* Loads arm i of a setup request; 0 or the problems' count (err). */
static int arm_load(qm_xarm *a, const qm_xscenario *x, const qm_xsetup *req, int i,
                    const qm_xlimits *lim, qm_errors *err)
{
    char why[256], label[32] = "";
    size_t len;
    if (req->n_arms > 1)
        snprintf(label, sizeof label, "Setting %c: ", 'A' + i);
    if (arm_sets(a, req, i) != 0 || !(a->source = strdup(x->path))) {
        qm_errors_add(err, "out of memory");
        return err->n;
    }
    if (!(a->text = qm_file_read(x->path, (size_t)MAX_SCENARIO_FILE, &len))) {
        qm_errors_add(err, "%s cannot be read: %s", x->name, strerror(errno));
        return err->n;
    }
    if (arm_load_text(a, a->text, a->source, 1, label, err) != 0)
        return err->n;
    if (req->arm[i].reorg.on && arm_reorganise(a, &req->arm[i].reorg, label, err) != 0)
        return err->n;
    if (qm_xcatalog_fits(&a->sc, lim, why, sizeof why) != 0) {
        qm_errors_add(err, "%s%s", label, why);
        return err->n;
    }
    if (arm_command(a, i) != 0)
        qm_errors_add(err, "out of memory");
    return err->n;
}

/* Builds arm a's state at month 0. */
static int arm_start(qm_xarm *a, const char *label, qm_errors *err)
{
    char msg[512];
    a->sim = qm_sim_create(&a->sc, a->sc.seed, 0, 1, msg, sizeof msg);
    if (!a->sim) {
        qm_errors_add(err, "%s%s", label, msg);
        return err->n;
    }
    a->f = qm_frame_alloc(a->sim);
    if (!a->f || qm_xseen_alloc(&a->seen, a->sim) != 0)
        qm_errors_add(err, "out of memory");
    return err->n;
}

int qm_xsession_setup(qm_xsession *s, const qm_xsetup *req, const qm_xcatalog *cat,
                      const qm_xlimits *lim, qm_errors *err)
{
    qm_xarm *arms[QM_X_ARMS] = {NULL};
    const qm_xscenario *x = qm_xcatalog_find(cat, req->scenario);
    if (!x) {
        qm_errors_add(err, "no scenario called '%s' is offered (choose one from the list)",
                      req->scenario);
        return err->n;
    }
    if (x->why[0]) {
        qm_errors_add(err, "%s", x->why);
        return err->n;
    }
    for (int i = 0; i < req->n_arms; i++)
        if (!(arms[i] = calloc(1, sizeof *arms[i])))
            qm_errors_add(err, "out of memory");
    for (int i = 0; i < req->n_arms && !err->n; i++)
        arm_load(arms[i], x, req, i, lim, err);
    for (int i = 0; i < req->n_arms && !err->n; i++) {
        char label[32] = "";
        if (req->n_arms > 1)
            snprintf(label, sizeof label, "Setting %c: ", 'A' + i);
        arm_start(arms[i], label, err);
    }
    for (int i = 0; i < QM_X_ARMS; i++) {
        qm_xarm *old = err->n ? arms[i] : s->arm[i];
        if (!err->n)
            s->arm[i] = arms[i];
        arm_free(old);
    }
    if (err->n)
        return err->n;
    s->n_arms = req->n_arms;
    snprintf(s->scenario, sizeof s->scenario, "%s", x->name);
    return 0;
}

void qm_xsession_setup_json(qm_jbuf *b, qm_xsession *s)
{
    qm_jbuf_raw(b, "{\"ok\":true");
    qm_jbuf_key(b, "scenario");
    qm_jbuf_str(b, s->scenario);
    qm_jbuf_key(b, "arms");
    qm_jbuf_raw(b, "[");
    for (int i = 0; i < s->n_arms; i++) {
        qm_xarm *a = s->arm[i];
        qm_jbuf_sep(b);
        qm_jbuf_raw(b, "{");
        qm_jbuf_key(b, "name");
        qm_jbuf_str(b, a->sc.name);
        qm_jbuf_key(b, "command");
        qm_jbuf_str(b, a->command);
        qm_jbuf_key(b, "file_name");
        if (a->file_name)
            qm_jbuf_str(b, a->file_name);
        else
            qm_jbuf_raw(b, "null");
        qm_jbuf_printf(b, ",\"seed\":%llu", (unsigned long long)a->sc.seed);
        qm_jbuf_key(b, "entities");
        qm_xmonth_entities(b, a->sim, &a->seen);
        qm_jbuf_raw(b, "}");
    }
    qm_jbuf_raw(b, "]}");
}

int qm_xsession_step(qm_xsession *s, qm_jbuf *b)
{
    int month = -1;
    for (int i = 0; i < s->n_arms; i++)
        if (s->arm[i]->sim->month < s->arm[i]->sim->months
            && (month < 0 || s->arm[i]->sim->month < month))
            month = s->arm[i]->sim->month;
    if (month < 0)
        return 1;
    qm_jbuf_printf(b, "{\"m\":%d,\"arms\":[", month);
    for (int i = 0; i < s->n_arms; i++) {
        qm_xarm *a = s->arm[i];
        qm_jbuf_sep(b);
        if (a->sim->month != month) {
            qm_jbuf_raw(b, "null");
            continue;
        }
        qm_sim_step(a->sim);
        qm_observe(a->sim, a->f);
        qm_xmonth_json(b, a->sim, a->f, &a->seen);
    }
    qm_jbuf_raw(b, "]}\n");
    return 0;
}

/* ---- The table ---- */

int qm_xsessions_init(qm_xsessions *t, const qm_xlimits *lim)
{
    memset(t, 0, sizeof *t);
    t->lim = lim;
    t->cap = lim->max_sessions > 0 ? lim->max_sessions : 1;
    t->s = calloc((size_t)t->cap, sizeof *t->s);
    if (!t->s || pthread_mutex_init(&t->lock, NULL) != 0) {
        free(t->s);
        return -1;
    }
    return 0;
}

void qm_xsessions_free(qm_xsessions *t)
{
    for (int i = 0; i < t->n; i++)
        session_free(t->s[i]);
    free(t->s);
    pthread_mutex_destroy(&t->lock);
    memset(t, 0, sizeof *t);
}

/* 32 hex digits from the system's random source. */
static int random_id(char id[QM_X_ID_LEN + 1])
{
    unsigned char r[QM_X_ID_LEN / 2];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, r, sizeof r) : -1;
    if (fd >= 0)
        close(fd);
    if (got != (ssize_t)sizeof r)
        return -1;
    for (size_t i = 0; i < sizeof r; i++)
        snprintf(id + 2 * i, 3, "%02x", r[i]);
    return 0;
}

/* Removes entry i (lock held) and frees it. */
static void drop(qm_xsessions *t, int i)
{
    qm_xsession *s = t->s[i];
    t->s[i] = t->s[--t->n];
    session_free(s);
}

static int reap_locked(qm_xsessions *t, double now)
{
    int freed = 0;
    for (int i = t->n - 1; i >= 0; i--)
        if (!t->s[i]->busy && now - t->s[i]->last >= t->lim->idle_seconds) {
            drop(t, i);
            freed++;
        }
    return freed;
}

int qm_xsessions_open(qm_xsessions *t, char id[QM_X_ID_LEN + 1])
{
    qm_xsession *s = calloc(1, sizeof *s);
    if (!s || random_id(s->id) != 0) {
        free(s);
        return -1;
    }
    s->last = qm_xnow();
    pthread_mutex_lock(&t->lock);
    reap_locked(t, s->last);
    if (t->n >= t->lim->max_sessions || t->n >= t->cap) {
        pthread_mutex_unlock(&t->lock);
        free(s);
        return 1;
    }
    t->s[t->n++] = s;
    memcpy(id, s->id, QM_X_ID_LEN + 1);
    pthread_mutex_unlock(&t->lock);
    return 0;
}

qm_xsession *qm_xsessions_acquire(qm_xsessions *t, const char *id, int *why)
{
    qm_xsession *found = NULL;
    *why = 1;
    pthread_mutex_lock(&t->lock);
    for (int i = 0; i < t->n && !found; i++)
        if (!strcmp(t->s[i]->id, id) && !t->s[i]->closing) {
            found = t->s[i];
            if (found->busy) {
                *why = 2;
                found = NULL;
                break;
            }
            found->busy = 1;
            *why = 0;
        }
    pthread_mutex_unlock(&t->lock);
    return found;
}

void qm_xsessions_release(qm_xsessions *t, qm_xsession *s)
{
    pthread_mutex_lock(&t->lock);
    s->busy = 0;
    s->last = qm_xnow();
    for (int i = 0; s->closing && i < t->n; i++)
        if (t->s[i] == s) {
            drop(t, i);
            break;
        }
    pthread_mutex_unlock(&t->lock);
}

int qm_xsessions_close(qm_xsessions *t, const char *id)
{
    int rc = 1;
    pthread_mutex_lock(&t->lock);
    for (int i = 0; i < t->n; i++)
        if (!strcmp(t->s[i]->id, id) && !t->s[i]->closing) {
            if (t->s[i]->busy)
                t->s[i]->closing = 1;
            else
                drop(t, i);
            rc = 0;
            break;
        }
    pthread_mutex_unlock(&t->lock);
    return rc;
}

int qm_xsessions_reap(qm_xsessions *t, double now)
{
    pthread_mutex_lock(&t->lock);
    int freed = reap_locked(t, now);
    pthread_mutex_unlock(&t->lock);
    return freed;
}

int qm_xsessions_count(qm_xsessions *t)
{
    pthread_mutex_lock(&t->lock);
    int n = t->n;
    pthread_mutex_unlock(&t->lock);
    return n;
}
