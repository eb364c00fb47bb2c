/* request.c: reading and checking the explorer's requests (request.h). */
#include "explore/request.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qmsim/json.h"
#include "qmsim/params.h"

void qm_xlimits_default(qm_xlimits *l)
{
    l->max_sessions = 64;
    l->max_months = 600;
    l->max_contracts = 2000;
    l->max_providers = 1000;
    l->max_state = 256.0 * 1024 * 1024;
    l->max_step = 120;
    l->max_body = 64 * 1024;
    l->idle_seconds = 900.0;
}

int qm_xreq_id_ok(const char *s)
{
    size_t n = 0;
    for (; s && s[n]; n++)
        if (!isdigit((unsigned char)s[n]) && !(s[n] >= 'a' && s[n] <= 'f'))
            return 0;
    return n == QM_X_ID_LEN;
}

int qm_xreq_name_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n >= QM_X_NAME_LEN || s[0] == '/' || s[n - 1] == '/')
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '/' && s[i + 1] == '/')
            return 0;
        if (!isalnum(c) && c != '_' && c != '-' && c != '/')
            return 0;
    }
    return 1;
}

/* Parses body into a JSON object; NULL with a message otherwise. */
static qm_jval *object(const char *body, size_t len, qm_errors *err)
{
    char msg[256];
    qm_jval *v = qm_json_parse(body, len, msg, sizeof msg);
    if (!v) {
        qm_errors_add(err, "%s", msg);
        return NULL;
    }
    if (v->type != QM_J_OBJ) {
        qm_errors_add(err, "the request must be a JSON object, not %s", qm_json_type_name(v));
        qm_json_free(v);
        return NULL;
    }
    return v;
}

/* Reports every member of v not among the NULL-terminated known names. */
static void unknown_fields(const qm_jval *v, const char *where, const char *const *known,
                           qm_errors *err)
{
    char list[256] = "";
    for (int k = 0; known[k]; k++) {
        size_t l = strlen(list);
        snprintf(list + l, sizeof list - l, "%s%s", k ? ", " : "", known[k]);
    }
    for (int i = 0; i < v->n; i++) {
        int ok = 0;
        for (int k = 0; known[k] && !ok; k++)
            ok = !strcmp(v->keys[i], known[k]);
        if (!ok)
            qm_errors_add(err, "unknown field '%.64s' in %s (the fields are: %s)", v->keys[i],
                          where, list);
    }
}

/* The session field: a well-formed id copied into id. */
static void session_field(const qm_jval *req, char id[QM_X_ID_LEN + 1], qm_errors *err)
{
    const qm_jval *s = qm_json_get(req, "session");
    id[0] = '\0';
    if (!s)
        qm_errors_add(err, "the request names no session (reload the page to start one)");
    else if (s->type != QM_J_STR || !qm_xreq_id_ok(s->str))
        qm_errors_add(err, "'session' must be the id the server gave (32 hex digits)");
    else
        memcpy(id, s->str, QM_X_ID_LEN + 1);
}

/* An integer field in [lo, hi] as written (no fraction, no exponent);
 * 0 with *out set, 1 when absent or null, -1 after a message. */
static int integer(const qm_jval *v, const char *what, long long lo, long long hi,
                   long long *out, qm_errors *err)
{
    if (!v || v->type == QM_J_NULL)
        return 1;
    if (v->type != QM_J_NUM || strpbrk(v->str, ".eE")) {
        qm_errors_add(err, "%s must be a whole number, not %s", what,
                      v->type == QM_J_NUM ? v->str : qm_json_type_name(v));
        return -1;
    }
    errno = 0;
    long long x = strtoll(v->str, NULL, 10);
    if (errno == ERANGE || x < lo || x > hi) {
        qm_errors_add(err, "%s must be between %lld and %lld, not %.40s", what, lo, hi, v->str);
        return -1;
    }
    *out = x;
    return 0;
}

/* 1 when c may appear in a scenario key (path.to.key, list[INDEX].key). */
static int key_char(int c)
{
    return isalnum(c) || c == '_' || c == '.' || c == '[' || c == ']';
}

/* One "set" member as "key=value" into out. */
static void set_member(const char *key, const qm_jval *v, int arm, char *out, qm_errors *err)
{
    size_t kl = strlen(key);
    const char *val = NULL;
    out[0] = '\0';
    for (size_t i = 0; i < kl; i++)
        if (!key_char((unsigned char)key[i])) {
            qm_errors_add(err, "setting '%.64s' of arm %d: a scenario key has only letters, "
                          "digits, '_', '.', '[' and ']' (see `qmsim params`)", key, arm + 1);
            return;
        }
    if (kl == 0) {
        qm_errors_add(err, "a setting of arm %d has an empty key", arm + 1);
        return;
    }
    if (v->type == QM_J_NUM || v->type == QM_J_STR)
        val = v->str;
    else if (v->type == QM_J_BOOL)
        val = v->b ? "true" : "false";
    else {
        qm_errors_add(err, "setting %.64s of arm %d must be a number, a name or true/false, "
                      "not %s", key, arm + 1, qm_json_type_name(v));
        return;
    }
    for (const char *p = val; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            qm_errors_add(err, "setting %.64s of arm %d: the value has a control character",
                          key, arm + 1);
            return;
        }
    if (kl + 1 + strlen(val) >= QM_X_SET_LEN) {
        qm_errors_add(err, "setting %.64s of arm %d is too long (at most %d characters)", key,
                      arm + 1, QM_X_SET_LEN - 1);
        return;
    }
    snprintf(out, QM_X_SET_LEN, "%s=%s", key, val);
}

/* A real field of the reorganisation, ranged by the timeline registry. */
static void reorg_real(const qm_jval *o, const char *field, const char *words, double *out,
                       qm_errors *err)
{
    const qm_param_def *d = qm_params_find(qm_timeline_fields, field);
    const qm_jval *v = qm_json_get(o, field);
    *out = d->def;
    if (!v || v->type == QM_J_NULL)
        return;
    if (v->type != QM_J_NUM || !(v->num >= d->min && v->num <= d->max))
        qm_errors_add(err, "Reorganisation: %s must be a number from %g to %g, not %.40s",
                      words, d->min, d->max, v->type == QM_J_NUM ? v->str : qm_json_type_name(v));
    else
        *out = v->num;
}

static void reorg_field(const qm_jval *o, int arm, qm_xreorg *r, qm_errors *err)
{
    static const char *const known[] = {"month", "staff_loss", "knowledge_loss", "merge", NULL};
    char where[64];
    long long x;
    memset(r, 0, sizeof *r);
    if (!o || o->type == QM_J_NULL)
        return;
    snprintf(where, sizeof where, "the reorganisation of arm %d", arm + 1);
    if (o->type != QM_J_OBJ) {
        qm_errors_add(err, "'reorganisation' must be null or an object, not %s",
                      qm_json_type_name(o));
        return;
    }
    unknown_fields(o, where, known, err);
    const qm_param_def *m = qm_params_find(qm_timeline_fields, "month");
    const qm_param_def *g = qm_params_find(qm_timeline_fields, "merge");
    int rc = integer(qm_json_get(o, "month"), "Reorganisation: the month", (long long)m->min,
                     (long long)m->max, &x, err);
    if (rc == 1)
        qm_errors_add(err, "Reorganisation: give the month it happens");
    r->month = rc == 0 ? (int)x : 0;
    reorg_real(o, "staff_loss", "the share of staff lost", &r->staff_loss, err);
    reorg_real(o, "knowledge_loss", "the share of knowledge lost", &r->knowledge_loss, err);
    r->merge = (int)g->def;
    if (integer(qm_json_get(o, "merge"), "Reorganisation: bodies merged into one",
                (long long)g->min, (long long)g->max, &x, err) == 0)
        r->merge = (int)x;
    r->on = 1;
}

static void arm_field(const qm_jval *a, int i, qm_xarm_req *arm, qm_errors *err)
{
    static const char *const known[] = {"set", "reorganisation", NULL};
    char where[32];
    snprintf(where, sizeof where, "arm %d", i + 1);
    arm->n_sets = 0;
    if (a->type != QM_J_OBJ) {
        qm_errors_add(err, "arm %d must be an object, not %s", i + 1, qm_json_type_name(a));
        return;
    }
    unknown_fields(a, where, known, err);
    const qm_jval *set = qm_json_get(a, "set");
    if (set && set->type != QM_J_OBJ && set->type != QM_J_NULL)
        qm_errors_add(err, "'set' of arm %d must be an object of settings, not %s", i + 1,
                      qm_json_type_name(set));
    else if (set && set->type == QM_J_OBJ && set->n > QM_X_SETS)
        qm_errors_add(err, "arm %d has %d settings; the explorer takes at most %d", i + 1,
                      set->n, QM_X_SETS);
    else if (set && set->type == QM_J_OBJ)
        for (int k = 0; k < set->n; k++) {
            set_member(set->keys[k], set->items[k], i, arm->sets[arm->n_sets], err);
            if (arm->sets[arm->n_sets][0])
                arm->n_sets++;
        }
    reorg_field(qm_json_get(a, "reorganisation"), i, &arm->reorg, err);
}

static void scenario_field(const qm_jval *req, qm_xsetup *out, qm_errors *err)
{
    const qm_jval *s = qm_json_get(req, "scenario");
    if (!s || s->type != QM_J_STR)
        qm_errors_add(err, "the request must name a scenario ('scenario': a name such as "
                      "teaching/relational)");
    else if (!qm_xreq_name_ok(s->str))
        qm_errors_add(err, "'%.80s' is not the name of a bundled scenario: the explorer runs "
                      "only the scenarios it lists, by name (such as teaching/relational), "
                      "never a file path", s->str);
    else
        snprintf(out->scenario, sizeof out->scenario, "%s", s->str);
}

int qm_xreq_setup(const char *body, size_t len, const qm_xlimits *lim, qm_xsetup *out,
                  qm_errors *err)
{
    static const char *const known[] = {"session", "scenario", "seed", "months", "arms", NULL};
    long long x;
    memset(out, 0, sizeof *out);
    out->seed = -1;
    qm_jval *req = object(body, len, err);
    if (!req)
        return err->n;
    unknown_fields(req, "the request", known, err);
    session_field(req, out->session, err);
    scenario_field(req, out, err);
    if (integer(qm_json_get(req, "seed"), "the seed", 0, LLONG_MAX, &x, err) == 0)
        out->seed = x;
    if (integer(qm_json_get(req, "months"), "the number of months", 1, lim->max_months, &x,
                err) == 0)
        out->months = (int)x;
    const qm_jval *arms = qm_json_get(req, "arms");
    if (!arms || arms->type != QM_J_ARR || arms->n < 1 || arms->n > QM_X_ARMS)
        qm_errors_add(err, "'arms' must be a list of one setting, or two to compare");
    else {
        out->n_arms = arms->n;
        for (int i = 0; i < arms->n; i++)
            arm_field(arms->items[i], i, &out->arm[i], err);
    }
    qm_json_free(req);
    return err->n;
}

int qm_xreq_step(const char *body, size_t len, const qm_xlimits *lim,
                 char session[QM_X_ID_LEN + 1], int *months, qm_errors *err)
{
    static const char *const known[] = {"session", "months", NULL};
    long long x = 1;
    qm_jval *req = object(body, len, err);
    session[0] = '\0';
    *months = 1;
    if (!req)
        return err->n;
    unknown_fields(req, "the request", known, err);
    session_field(req, session, err);
    if (integer(qm_json_get(req, "months"), "the months to step", 1, lim->max_step, &x, err) == 0)
        *months = (int)x;
    qm_json_free(req);
    return err->n;
}

int qm_xreq_session(const char *body, size_t len, char session[QM_X_ID_LEN + 1],
                    qm_errors *err)
{
    static const char *const known[] = {"session", NULL};
    qm_jval *req = object(body, len, err);
    session[0] = '\0';
    if (!req)
        return err->n;
    unknown_fields(req, "the request", known, err);
    session_field(req, session, err);
    qm_json_free(req);
    return err->n;
}
