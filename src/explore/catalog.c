/* catalog.c: the scenarios, controls and registry the explorer offers
 * (catalog.h). */
#define _XOPEN_SOURCE 700   /* realpath */
#include "explore/catalog.h"

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "qmsim/json.h"
#include "qmsim/observe.h"
#include "qmsim/params.h"
#include "qmsim/sim.h"
#include "qmsim/version.h"

/* A control for one of the causes a class is about.  Its range, default
 * and type come from the parameter registry (the source of `qmsim
 * params`); its words are for students who have never seen the model. */
typedef struct xcontrol {
    const char *id;
    const char *label;
    const char *help;
    const char *units;      /* the unit in words */
    const char *path;       /* registry path (for agencies: a field of a group) */
    int agencies;           /* 1: the field of every commercial agency group */
} xcontrol;

static const xcontrol controls[] = {
    {"tender_pressure", "Pressure to tender",
     "How hard national policy pushes commissioners to put a contract out to tender when it "
     "ends, instead of renewing it with the provider they know.",
     "0 = no push, 1 = the strongest push", "policy.tender_pressure", 0},
    {"tender_mandate", "Tender mandate",
     "The share of ending contracts that must go to tender, whatever the commissioner would "
     "prefer.", "share of ending contracts, 0 to 1", "policy.tender_mandate", 0},
    {"open_market", "Open market",
     "Any qualified provider may enter: new independent providers can set up and bid.",
     "on or off", "policy.open_market", 0},
    {"payment_type", "Payment type",
     "How new and renegotiated contracts pay providers: each service keeps its own, a fixed "
     "yearly sum (block), a price for each patient treated (activity), or pay by results "
     "(outcome).", "kind of contract", "policy.payment_type", 0},
    {"transfer_clause", "Knowledge-transfer clause",
     "Every new engagement of a support agency obliges it to train the commissioner's own "
     "staff, so that skills stay when the agency leaves.", "on or off",
     "policy.transfer_clause", 0},
    {"consultant_turnover", "Consultants' staff turnover",
     "The share of a consultancy's staff who leave each month; newcomers know nothing of "
     "the area.", "share of staff leaving each month", "turnover", 1},
    {"alternatives", "Alternative providers looked at",
     "How many providers of a service, nearest first, a commissioner looks at when it weighs "
     "alternatives to its provider or shortlists a tender.", "providers", "market.reach", 0},
};
#define N_CONTROLS (int)(sizeof controls / sizeof controls[0])

/* Words for the reorganisation's fields (their ranges are the timeline
 * registry's). */
static const struct {
    const char *id, *label, *units;
} reorg_fields[] = {
    {"month", "Month it happens", "month of the run (0 = the first)"},
    {"staff_loss", "Staff lost", "share of commissioning staff, 0 to 1"},
    {"knowledge_loss", "Knowledge lost", "share of what commissioners know, 0 to 1"},
    {"merge", "Bodies merged into one", "1 = no merger; 3 = every three bodies become one"},
};

static const char *const type_names[] = {"real", "integer", "bool", "enum", "distribution",
                                         "string"};

/* ---- Limits ---- */

/* A whole number with thousands separators ("4,220") into buf. */
static const char *grouped(double v, char *buf, size_t n)
{
    char digits[32];
    size_t k = 0;
    snprintf(digits, sizeof digits, "%.0f", v);
    size_t len = strlen(digits);
    for (size_t i = 0; i < len && k + 2 < n; i++) {
        if (i > 0 && digits[0] != '-' && (len - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = digits[i];
    }
    buf[k] = '\0';
    return buf;
}

int qm_xcatalog_fits(const qm_scenario *sc, const qm_xlimits *lim, char *why, size_t n)
{
    char a[32], b[32];
    double C = qm_sim_commissioner_slots(sc), P = sc->p.market.max_entrants;
    for (int g = 0; g < sc->n_pgroups; g++)
        P += sc->pgroups[g].count;
    double K = C * sc->n_services;
    if (sc->months > lim->max_months)
        snprintf(why, n, "%s runs %d months; the explorer runs at most %d (choose fewer months, "
                 "or use qmsim run)", sc->name, sc->months, lim->max_months);
    else if (K > lim->max_contracts)
        snprintf(why, n, "%s has %s contracts; the explorer draws at most %s (use qmsim run "
                 "for an area this large)", sc->name, grouped(K, a, sizeof a),
                 grouped(lim->max_contracts, b, sizeof b));
    else if (P > lim->max_providers)
        snprintf(why, n, "%s has %s provider places; the explorer draws at most %s (use "
                 "qmsim run for an area this large)", sc->name, grouped(P, a, sizeof a),
                 grouped(lim->max_providers, b, sizeof b));
    else if ((double)qm_sim_footprint(sc) > lim->max_state)
        snprintf(why, n, "%s needs %.0f MiB of memory; the explorer gives a run at most %.0f "
                 "MiB (use qmsim run)", sc->name, (double)qm_sim_footprint(sc) / 1048576.0,
                 lim->max_state / 1048576.0);
    else {
        why[0] = '\0';
        return 0;
    }
    return -1;
}

/* ---- Reading the folder ---- */

static int by_name(const void *a, const void *b)
{
    const qm_xscenario *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank - y->rank;
    return strcmp(x->name, y->name);
}

/* Adds the scenario at path as name when it loads; 0, or -1 when out of
 * memory.  A file that does not load (a sweep file) is skipped. */
static int add(qm_xcatalog *cat, const char *path, const char *name, int rank,
               const qm_xlimits *lim, qm_errors *errs)
{
    static qm_errors none;
    qm_errors local;
    qm_errors *e = errs ? errs : &local;
    *e = none;
    char *real = realpath(path, NULL);
    if (!real)
        return 0;
    qm_xscenario *s = realloc(cat->s, ((size_t)cat->n + 1) * sizeof *s);
    if (!s) {
        free(real);
        return -1;
    }
    cat->s = s;
    s = &cat->s[cat->n];
    memset(s, 0, sizeof *s);
    if (qm_scenario_load(real, NULL, 0, &s->sc, e) != 0) {
        free(real);
        return errs ? 1 : 0;
    }
    s->path = real;
    s->rank = rank;
    snprintf(s->name, sizeof s->name, "%s", name);
    qm_xcatalog_fits(&s->sc, lim, s->why, sizeof s->why);
    cat->n++;
    return 0;
}

/* 1 when name ends in ".cfg" and is a usable scenario name without it. */
static int cfg_name(const char *file, const char *folder, char *name, size_t n)
{
    size_t l = strlen(file);
    if (l <= 4 || strcmp(file + l - 4, ".cfg") != 0)
        return 0;
    if (folder)
        snprintf(name, n, "%s/%.*s", folder, (int)(l - 4), file);
    else
        snprintf(name, n, "%.*s", (int)(l - 4), file);
    return qm_xreq_name_ok(name);
}

/* Adds the scenarios of dir (and, when folder is NULL, of its folders). */
static int scan(qm_xcatalog *cat, const char *dir, const char *folder, const qm_xlimits *lim)
{
    char path[PATH_MAX], name[QM_X_NAME_LEN];
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));) {
        struct stat st;
        if (e->d_name[0] == '.' || snprintf(path, sizeof path, "%s/%s", dir, e->d_name)
                                       >= (int)sizeof path || stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && !folder && qm_xreq_name_ok(e->d_name))
            rc = scan(cat, path, e->d_name, lim);
        else if (S_ISREG(st.st_mode) && cfg_name(e->d_name, folder, name, sizeof name))
            rc = add(cat, path, name, folder && !strcmp(folder, "teaching") ? 1
                                      : folder ? 3 : 2, lim, NULL);
    }
    closedir(d);
    return rc;
}

/* ---- The page's JSON ---- */

static void def_json(qm_jbuf *b, const qm_param_def *d, const char *path)
{
    qm_jbuf_raw(b, "{");
    qm_jbuf_key(b, "path");
    qm_jbuf_str(b, path ? path : d->path);
    qm_jbuf_key(b, "type");
    qm_jbuf_str(b, type_names[d->type]);
    qm_jbuf_key(b, "default");
    if (d->type == QM_T_ENUM && d->names)
        qm_jbuf_str(b, d->names[(int)d->def]);
    else if (d->type == QM_T_STRING)
        qm_jbuf_raw(b, "null");
    else
        qm_jbuf_num(b, d->def);
    qm_jbuf_key(b, "min");
    qm_jbuf_num(b, d->min);
    qm_jbuf_key(b, "max");
    qm_jbuf_num(b, d->max);
    qm_jbuf_key(b, "unit");
    qm_jbuf_str(b, d->unit && strcmp(d->unit, "-") ? d->unit : "");
    qm_jbuf_key(b, "doc");
    qm_jbuf_str(b, d->doc);
    if (d->type == QM_T_ENUM && d->names) {
        qm_jbuf_key(b, "names");
        qm_jbuf_raw(b, "[");
        for (int i = 0; d->names[i]; i++) {
            qm_jbuf_sep(b);
            qm_jbuf_str(b, d->names[i]);
        }
        qm_jbuf_raw(b, "]");
    }
    qm_jbuf_raw(b, "}");
}

static void table_json(qm_jbuf *b, const char *key, const qm_param_def *t)
{
    qm_jbuf_key(b, key);
    qm_jbuf_raw(b, "[");
    for (; t->path; t++) {
        qm_jbuf_sep(b);
        def_json(b, t, NULL);
    }
    qm_jbuf_raw(b, "]");
}

static void controls_json(qm_jbuf *b)
{
    qm_jbuf_key(b, "controls");
    qm_jbuf_raw(b, "[");
    for (int i = 0; i < N_CONTROLS; i++) {
        const xcontrol *c = &controls[i];
        const qm_param_def *d = qm_params_find(c->agencies ? qm_agroup_fields : qm_param_table,
                                               c->path);
        qm_jbuf_sep(b);
        qm_jbuf_raw(b, "{");
        qm_jbuf_key(b, "id");
        qm_jbuf_str(b, c->id);
        qm_jbuf_key(b, "label");
        qm_jbuf_str(b, c->label);
        qm_jbuf_key(b, "help");
        qm_jbuf_str(b, c->help);
        qm_jbuf_key(b, "units");
        qm_jbuf_str(b, c->units);
        qm_jbuf_key(b, "param");
        def_json(b, d, c->agencies ? "agencies[i].turnover" : NULL);
        qm_jbuf_raw(b, "}");
    }
    qm_jbuf_raw(b, "]");
    qm_jbuf_key(b, "reorganisation");
    qm_jbuf_raw(b, "[");
    for (size_t i = 0; i < sizeof reorg_fields / sizeof reorg_fields[0]; i++) {
        qm_jbuf_sep(b);
        qm_jbuf_raw(b, "{");
        qm_jbuf_key(b, "id");
        qm_jbuf_str(b, reorg_fields[i].id);
        qm_jbuf_key(b, "label");
        qm_jbuf_str(b, reorg_fields[i].label);
        qm_jbuf_key(b, "units");
        qm_jbuf_str(b, reorg_fields[i].units);
        qm_jbuf_key(b, "param");
        def_json(b, qm_params_find(qm_timeline_fields, reorg_fields[i].id), NULL);
        qm_jbuf_raw(b, "}");
    }
    qm_jbuf_raw(b, "]");
}

/* The value a scenario gives a registry field of qm_params. */
static void param_value(qm_jbuf *b, const qm_params *p, const qm_param_def *d)
{
    const char *at = (const char *)p + d->offset;
    int i;
    switch (d->type) {
    case QM_T_DOUBLE:
        qm_jbuf_num(b, *(const double *)at);
        break;
    case QM_T_BOOL:
        qm_jbuf_raw(b, *(const int *)at ? "true" : "false");
        break;
    case QM_T_ENUM:
        memcpy(&i, at, sizeof i);
        qm_jbuf_str(b, d->names[i]);
        break;
    default:
        memcpy(&i, at, sizeof i);
        qm_jbuf_printf(b, "%d", i);
    }
}

/* The scenario's value of control c and the --set keys it moves. */
static void control_value(qm_jbuf *b, const qm_scenario *sc, const xcontrol *c, qm_jbuf *keys)
{
    qm_jbuf_key(b, c->id);
    qm_jbuf_key(keys, c->id);
    qm_jbuf_raw(keys, "[");
    if (!c->agencies) {
        param_value(b, &sc->p, qm_params_find(qm_param_table, c->path));
        qm_jbuf_str(keys, c->path);
    } else {
        int first = 1;
        for (int g = 0; g < sc->n_agroups; g++) {
            const qm_dist *t = &sc->agroups[g].turnover;
            if (sc->agroups[g].kind != QM_AK_COMMERCIAL)
                continue;
            if (first)
                qm_jbuf_num(b, t->kind == QM_DIST_CONST ? t->a : NAN);
            first = 0;
            qm_jbuf_sep(keys);
            qm_jbuf_printf(keys, "\"agencies[%d].turnover\"", g);
        }
        if (first)
            qm_jbuf_raw(b, "null");
    }
    qm_jbuf_raw(keys, "]");
}

static void names_json(qm_jbuf *b, const char *key, int n, const char *(*label)(const qm_scenario *, int),
                       const qm_scenario *sc)
{
    qm_jbuf_key(b, key);
    qm_jbuf_raw(b, "[");
    for (int i = 0; i < n; i++) {
        qm_jbuf_sep(b);
        qm_jbuf_str(b, label(sc, i));
    }
    qm_jbuf_raw(b, "]");
}

static const char *svc_label(const qm_scenario *sc, int i) { return sc->services[i].name; }
static const char *cg_label(const qm_scenario *sc, int i)
{
    return sc->cgroups[i].n_names ? sc->cgroups[i].names[0] : sc->cgroups[i].prefix;
}
static const char *pg_label(const qm_scenario *sc, int i)
{
    return sc->pgroups[i].n_names ? sc->pgroups[i].names[0] : sc->pgroups[i].prefix;
}
static const char *ag_label(const qm_scenario *sc, int i)
{
    return sc->agroups[i].n_names ? sc->agroups[i].names[0] : sc->agroups[i].prefix;
}

static void scenario_json(qm_jbuf *b, const qm_xscenario *x)
{
    const qm_scenario *sc = &x->sc;
    qm_jbuf keys;
    int n_c = 0, n_p = 0, n_a = 0;
    for (int g = 0; g < sc->n_cgroups; g++)
        n_c += sc->cgroups[g].count;
    for (int g = 0; g < sc->n_pgroups; g++)
        n_p += sc->pgroups[g].count;
    for (int g = 0; g < sc->n_agroups; g++)
        n_a += sc->agroups[g].count;
    qm_jbuf_printf(b, "{\"name\":");
    qm_jbuf_str(b, x->name);
    qm_jbuf_key(b, "title");
    qm_jbuf_str(b, sc->name);
    qm_jbuf_key(b, "description");
    qm_jbuf_str(b, sc->description);
    qm_jbuf_printf(b, ",\"given\":%s,\"months\":%d,\"seed\":%llu,\"start_month\":%d,"
                   "\"why\":", x->rank == 0 ? "true" : "false", sc->months,
                   (unsigned long long)sc->seed, sc->start_month);
    qm_jbuf_str(b, x->why);
    qm_jbuf_printf(b, ",\"counts\":{\"commissioners\":%d,\"providers\":%d,\"services\":%d,"
                   "\"agencies\":%d},\"reorganisations\":[", n_c, n_p, sc->n_services, n_a);
    for (int i = 0; i < sc->n_timeline; i++)
        if (sc->timeline[i].type == QM_TL_REORGANISATION) {
            qm_jbuf_sep(b);
            qm_jbuf_printf(b, "%d", sc->timeline[i].month);
        }
    qm_jbuf_raw(b, "],\"values\":{");
    qm_jbuf_init(&keys);
    qm_jbuf_raw(&keys, "{");
    for (int i = 0; i < N_CONTROLS; i++)
        control_value(b, sc, &controls[i], &keys);
    qm_jbuf_raw(&keys, "}");
    qm_jbuf_raw(b, "},\"keys\":");
    if (keys.failed)
        b->failed = 1;
    qm_jbuf_raw(b, keys.s);
    qm_jbuf_free(&keys);
    qm_jbuf_raw(b, ",\"groups\":{");
    names_json(b, "services", sc->n_services, svc_label, sc);
    names_json(b, "commissioners", sc->n_cgroups, cg_label, sc);
    names_json(b, "providers", sc->n_pgroups, pg_label, sc);
    names_json(b, "agencies", sc->n_agroups, ag_label, sc);
    qm_jbuf_raw(b, "}}");
}

static void series_json(qm_jbuf *b)
{
    qm_jbuf_key(b, "series");
    qm_jbuf_raw(b, "[");
    for (int i = 0; i < QM_S_N; i++) {
        qm_jbuf_sep(b);
        qm_jbuf_raw(b, "{");
        qm_jbuf_key(b, "name");
        qm_jbuf_str(b, qm_series_defs[i].name);
        qm_jbuf_key(b, "units");
        qm_jbuf_str(b, qm_series_defs[i].units);
        qm_jbuf_key(b, "description");
        qm_jbuf_str(b, qm_series_defs[i].description);
        qm_jbuf_raw(b, "}");
    }
    qm_jbuf_raw(b, "]");
}

static int build_json(qm_xcatalog *cat, const qm_xlimits *lim)
{
    qm_jbuf b;
    qm_jbuf_init(&b);
    qm_jbuf_raw(&b, "{");
    qm_jbuf_key(&b, "version");
    qm_jbuf_str(&b, QMSIM_VERSION);
    qm_jbuf_key(&b, "chosen");
    qm_jbuf_str(&b, cat->chosen);
    qm_jbuf_printf(&b, ",\"limits\":{\"max_months\":%d,\"max_step\":%d,\"max_sessions\":%d,"
                   "\"idle_seconds\":%g}", lim->max_months, lim->max_step, lim->max_sessions,
                   lim->idle_seconds);
    series_json(&b);
    controls_json(&b);
    table_json(&b, "registry", qm_param_table);
    qm_jbuf_raw(&b, ",\"fields\":{");
    table_json(&b, "services", qm_service_fields);
    table_json(&b, "commissioners", qm_cgroup_fields);
    table_json(&b, "providers", qm_pgroup_fields);
    table_json(&b, "agencies", qm_agroup_fields);
    qm_jbuf_raw(&b, "},\"scenarios\":[");
    for (int i = 0; i < cat->n; i++) {
        qm_jbuf_sep(&b);
        scenario_json(&b, &cat->s[i]);
    }
    qm_jbuf_raw(&b, "]}");
    cat->json = qm_jbuf_take(&b, &cat->json_len);
    return cat->json ? 0 : -1;
}

/* ---- The catalogue ---- */

/* A name for the teacher's own scenario: its file name without .cfg, made
 * of name characters, distinct from the bundled ones. */
static void extra_name(const qm_xcatalog *cat, const char *path, char *name, size_t n)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t k = 0, l = strlen(base);
    if (l > 4 && !strcmp(base + l - 4, ".cfg"))
        l -= 4;
    for (size_t i = 0; i < l && k + 1 < n - 6; i++)
        name[k++] = qm_xreq_name_ok((char[]){base[i], 0}) ? base[i] : '_';
    name[k] = '\0';
    if (!k || qm_xcatalog_find(cat, name)) {
        char tmp[QM_X_NAME_LEN];
        snprintf(tmp, sizeof tmp, "yours/%s", k ? name : "scenario");
        snprintf(name, n, "%s", tmp);
    }
}

int qm_xcatalog_build(qm_xcatalog *cat, const char *dir, const char *extra,
                      const qm_xlimits *lim, qm_errors *errs, char *err, size_t errlen)
{
    memset(cat, 0, sizeof *cat);
    if (dir && scan(cat, dir, NULL, lim) != 0) {
        snprintf(err, errlen, "out of memory reading the scenarios");
        return -1;
    }
    if (cat->n > 1)
        qsort(cat->s, (size_t)cat->n, sizeof *cat->s, by_name);
    char *real = extra ? realpath(extra, NULL) : NULL;
    for (int i = 0; real && i < cat->n; i++)
        if (!strcmp(cat->s[i].path, real))
            cat->chosen = cat->s[i].name;   /* a bundled file: choose it */
    free(real);
    if (extra && !cat->chosen) {
        char name[QM_X_NAME_LEN];
        extra_name(cat, extra, name, sizeof name);
        int rc = add(cat, extra, name, 0, lim, errs);
        if (rc != 0 || !cat->n || strcmp(cat->s[cat->n - 1].name, name) != 0) {
            snprintf(err, errlen, rc < 0 ? "out of memory reading %s" : "%s cannot be explored",
                     extra);
            return -1;
        }
        cat->chosen = cat->s[cat->n - 1].name;
        if (cat->s[cat->n - 1].why[0]) {
            snprintf(err, errlen, "%s", cat->s[cat->n - 1].why);
            return -1;
        }
        if (cat->n > 1)
            qsort(cat->s, (size_t)cat->n, sizeof *cat->s, by_name);
        cat->chosen = cat->s[0].name;
    }
    if (cat->n == 0) {
        snprintf(err, errlen, "no scenario could be read from %s", dir ? dir : "(no folder)");
        return -1;
    }
    if (!cat->chosen)
        cat->chosen = qm_xcatalog_find(cat, "teaching/relational") ? "teaching/relational"
                                                                  : cat->s[0].name;
    if (build_json(cat, lim) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

const qm_xscenario *qm_xcatalog_find(const qm_xcatalog *cat, const char *name)
{
    for (int i = 0; name && i < cat->n; i++)
        if (!strcmp(cat->s[i].name, name))
            return &cat->s[i];
    return NULL;
}

void qm_xcatalog_free(qm_xcatalog *cat)
{
    for (int i = 0; i < cat->n; i++) {
        free(cat->s[i].path);
        qm_scenario_free(&cat->s[i].sc);
    }
    free(cat->s);
    free(cat->json);
    memset(cat, 0, sizeof *cat);
}
