/* narrate.c: the story of a run in plain words: one clause per event,
 * names from the simulation or a run file's /entities. */
#include "qmsim/narrate.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "qmsim/params.h"
#include "qmsim/sim.h"

/* Name of id of a kind, or a stand-in ("provider 12") in buf. */
static const char *nm(const qm_story *st, int kind, int id, char *buf, size_t n)
{
    static const char *const what[] = {"commissioner", "provider", "service", "agency",
                                       "a policy"};
    const char *s = id >= 0 && id < st->n[kind] && st->name ? st->name(st->ctx, kind, id) : NULL;
    if (s && *s) {
        snprintf(buf, n, "%s", s);
        if (kind == QM_STORY_SERVICE)   /* "hip_replacement" reads "hip replacement" */
            for (char *p = buf; *p; p++)
                *p = *p == '_' ? ' ' : *p;
    } else if (kind == QM_STORY_POLICY) {
        snprintf(buf, n, "a policy");
    } else {
        snprintf(buf, n, "%s %d", what[kind], id);
    }
    return buf;
}

/* A whole number with thousands separators: "247,704". */
static const char *count(double v, char *buf, size_t n)
{
    char digits[64];
    if (!isfinite(v) || fabs(v) >= 1e18) {
        snprintf(buf, n, "%g", v);
        return buf;
    }
    snprintf(digits, sizeof digits, "%.0f", fabs(v));
    size_t len = strlen(digits), o = 0;
    char tmp[96];
    if (v < 0)
        tmp[o++] = '-';
    for (size_t i = 0; i < len && o < sizeof tmp - 2; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            tmp[o++] = ',';
        tmp[o++] = digits[i];
    }
    tmp[o] = '\0';
    snprintf(buf, n, "%s", tmp);
    return buf;
}

/* GBP with thousands separators: "£5,562"; pence below £10. */
static const char *money(double v, char *buf, size_t n)
{
    char c[96];
    if (!isfinite(v))
        snprintf(buf, n, "an unknown sum");
    else if (fabs(v) < 10.0)
        snprintf(buf, n, "£%.2f", v);
    else
        snprintf(buf, n, "%s£%s", v < 0 ? "-" : "", count(fabs(v), c, sizeof c));
    return buf;
}

/* The new value of a policy event: an enum's name, true/false, or a number. */
static const char *policy_value(const char *key, double v, char *buf, size_t n)
{
    const qm_param_def *d = key ? qm_params_find(qm_param_table, key) : NULL;
    if (d && d->type == QM_T_BOOL)
        snprintf(buf, n, "%s", v != 0.0 ? "true" : "false");
    else if (d && d->type == QM_T_ENUM && d->names && v >= 0.0) {
        int i = 0;
        while (d->names[i] && i < (int)v)
            i++;
        snprintf(buf, n, "%s", d->names[i] ? d->names[i] : "?");
    } else
        snprintf(buf, n, "%g", v);
    return buf;
}

/* Index of the event in ev[0..n) of type t for the same commissioner and
 * service as e, or -1. */
static int partner(const qm_event *ev, int n, const qm_event *e, int t)
{
    for (int i = 0; i < n; i++)
        if (ev[i].type == t && ev[i].commissioner == e->commissioner
            && ev[i].service == e->service)
            return i;
    return -1;
}

static size_t put(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static size_t put(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    if (r < 0) {
        buf[0] = '\0';
        return 0;
    }
    return (size_t)r < len ? (size_t)r : len - 1;
}

/* The names an event's clause starts from: its commissioner, service and
 * provider. */
typedef struct clause_names {
    char c[128], s[128], p[128];
} clause_names;

/* The clause of a contract or market event (renewal to exit); -1 for
 * another event.  Writes buf as qm_narrate_clause. */
static long contract_clause(const qm_story *st, const qm_event *ev, int n, const qm_event *e,
                            const clause_names *w, char *buf, size_t len)
{
    char o[128], m[64];
    const char *c = w->c, *s = w->s, *p = w->p;
    int k;
    switch (e->type) {
    case QM_EV_RENEW:
        return put(buf, len, "%s renewed its %s contract with %s", c, s, p);
    case QM_EV_RENEGOTIATE:
        return put(buf, len, "%s renegotiated its %s contract with %s (now %s a unit)", c, s, p,
                   money(e->value, m, sizeof m));
    case QM_EV_ROLLOVER:
        return put(buf, len, "%s rolled over its %s contract with %s, short of staff to tender it",
                   c, s, p);
    case QM_EV_TENDER_START:
        if (e->provider >= 0)
            return put(buf, len, "%s tendered its %s contract (held by %s)", c, s, p);
        return put(buf, len, "%s tendered its %s contract", c, s);
    case QM_EV_AWARD:
        if (partner(ev, n, e, QM_EV_SWITCH) >= 0)
            return 0;   /* told with the switch */
        return put(buf, len, "%s kept %s's %s contract after the tender (%s a unit)", p, c, s,
                   money(e->value, m, sizeof m));
    case QM_EV_SWITCH:
        nm(st, QM_STORY_PROVIDER, e->other, o, sizeof o);
        if ((k = partner(ev, n, e, QM_EV_AWARD)) >= 0)
            return put(buf, len, "%s lost %s's %s contract to %s (%s a unit)", o, c, s, p,
                       money(ev[k].value, m, sizeof m));
        return put(buf, len, "%s moved its %s contract from %s to %s", c, s, o, p);
    case QM_EV_DECOMMISSION:
        return put(buf, len, "%s decommissioned its %s contract with %s", c, s, p);
    case QM_EV_ENTRY:
        return put(buf, len, "%s entered the market for %s", p, s);
    case QM_EV_EXIT:
        return put(buf, len, "%s left the market", p);
    default:
        return -1;
    }
}

/* The clause of an engagement, development or externalisation event; -1
 * for another event.  Writes buf as qm_narrate_clause. */
static long support_clause(const qm_story *st, const qm_event *e, const clause_names *w,
                           char *buf, size_t len)
{
    char a[128], m[64];
    const char *c = w->c, *s = w->s, *p = w->p;
    switch (e->type) {
    case QM_EV_ENGAGEMENT_START:
        nm(st, QM_STORY_AGENCY, e->other, a, sizeof a);
        return put(buf, len, "%s engaged %s (%s a month)", c, a, money(e->value, m, sizeof m));
    case QM_EV_ENGAGEMENT_RENEW:
        nm(st, QM_STORY_AGENCY, e->other, a, sizeof a);
        return put(buf, len, "%s renewed its engagement of %s", c, a);
    case QM_EV_ENGAGEMENT_END:
        nm(st, QM_STORY_AGENCY, e->other, a, sizeof a);
        return put(buf, len, "%s's engagement of %s ended after %.0f months", c, a, e->value);
    case QM_EV_ENGAGEMENT_DOCKED:
        nm(st, QM_STORY_AGENCY, e->other, a, sizeof a);
        return put(buf, len, "%s docked %s from %s's fee for a missed deliverable", c,
                   money(e->value, m, sizeof m), a);
    case QM_EV_DEVELOPMENT_START:
        return put(buf, len, "%s started redesigning its %s service%s%s%s", c, s,
                   e->provider >= 0 ? ", led by " : "", e->provider >= 0 ? p : "",
                   e->value != 0.0 ? " (ordered by a directive)" : "");
    case QM_EV_DEVELOPMENT_LAUNCH:
        return put(buf, len, "%s launched its redesigned %s service after %.0f months", c, s,
                   e->value);
    case QM_EV_DEVELOPMENT_ABANDON:
        if (e->value == 0.0)
            return put(buf, len, "%s abandoned its %s redesign: a merger left no room for it", c, s);
        return put(buf, len, "%s abandoned its %s redesign after %.0f months", c, s, e->value);
    case QM_EV_EXTERNALISE:
        if (e->other < 0)
            return put(buf, len, "%s lost %.1f FTE of analysts, with no CSU to host them", c, e->value);
        nm(st, QM_STORY_AGENCY, e->other, a, sizeof a);
        return put(buf, len, "%s moved %.1f FTE of analysts to %s", c, e->value, a);
    default:
        return -1;
    }
}

/* The clause of a timeline event (reorganisations, policy, directives,
 * shocks) or of an unknown one.  Writes buf as qm_narrate_clause. */
static size_t timeline_clause(const qm_story *st, const qm_event *e, const clause_names *w,
                              char *buf, size_t len)
{
    char o[128], m[64], v[64];
    const char *c = w->c, *s = w->s;
    switch (e->type) {
    case QM_EV_REORGANISATION:
        return put(buf, len, "%s was reorganised and lost %.0f%% of its staff", c, 100.0 * e->value);
    case QM_EV_MERGE:
        nm(st, QM_STORY_COMMISSIONER, e->other, o, sizeof o);
        return put(buf, len, "%s absorbed %s and its %s people", c, o, count(e->value, m, sizeof m));
    case QM_EV_SPLIT:
        nm(st, QM_STORY_COMMISSIONER, e->other, o, sizeof o);
        return put(buf, len, "%s was split in two: %s now serves %s people", c, o,
                   count(e->value, m, sizeof m));
    case QM_EV_POLICY: {
        const char *key = e->other >= 0 && e->other < st->n[QM_STORY_POLICY] && st->name
                              ? st->name(st->ctx, QM_STORY_POLICY, e->other) : NULL;
        if (!key || !*key)
            return put(buf, len, "Policy changed (to %g)", e->value);
        return put(buf, len, "Policy changed: %s is now %s", key,
                   policy_value(key, e->value, v, sizeof v));
    }
    case QM_EV_DIRECTIVE:
        if (e->service < 0)
            return put(buf, len, "%s was directed to redesign its services", c);
        return put(buf, len, "%s was directed to redesign its %s service", c, s);
    case QM_EV_PRIORITY_SHIFT:
        return put(buf, len, "National priorities shifted: engagements lost %.0f%% of their briefs' clarity",
                   100.0 * e->value);
    case QM_EV_DEMAND_SHOCK:
        return put(buf, len, "Demand for %s changed by a factor of %.2f",
                   e->service < 0 ? "every service" : s, e->value);
    default:
        return put(buf, len, "an event of type %d", e->type);
    }
}

size_t qm_narrate_clause(const qm_story *st, const qm_event *ev, int n, int i, char *buf,
                         size_t len)
{
    const qm_event *e = &ev[i];
    clause_names w;
    long r;
    buf[0] = '\0';
    nm(st, QM_STORY_COMMISSIONER, e->commissioner, w.c, sizeof w.c);
    nm(st, QM_STORY_SERVICE, e->service, w.s, sizeof w.s);
    nm(st, QM_STORY_PROVIDER, e->provider, w.p, sizeof w.p);
    if ((r = contract_clause(st, ev, n, e, &w, buf, len)) >= 0
        || (r = support_clause(st, e, &w, buf, len)) >= 0)
        return (size_t)r;
    return timeline_clause(st, e, &w, buf, len);
}

/* Names equal, ignoring case, with '_' and ' ' alike. */
static int same_name(const char *a, const char *b)
{
    if (!a || !b || !*a)
        return 0;
    for (; *a && *b; a++, b++) {
        int x = *a == '_' ? ' ' : tolower((unsigned char)*a);
        int y = *b == '_' ? ' ' : tolower((unsigned char)*b);
        if (x != y)
            return 0;
    }
    return *a == *b;
}

static int is(const qm_story *st, int kind, int id, const char *filter)
{
    return id >= 0 && id < st->n[kind] && st->name && same_name(st->name(st->ctx, kind, id), filter);
}

int qm_narrate_match(const qm_story *st, const qm_event *e, const char *filter)
{
    if (!filter)
        return 1;
    switch (e->type) {
    case QM_EV_POLICY:
    case QM_EV_PRIORITY_SHIFT:
        return 1;
    case QM_EV_DEMAND_SHOCK:
        return e->service < 0 || is(st, QM_STORY_SERVICE, e->service, filter);
    case QM_EV_SWITCH:
        if (is(st, QM_STORY_PROVIDER, e->other, filter))
            return 1;
        break;
    case QM_EV_MERGE:
    case QM_EV_SPLIT:
        if (is(st, QM_STORY_COMMISSIONER, e->other, filter))
            return 1;
        break;
    case QM_EV_ENGAGEMENT_START:
    case QM_EV_ENGAGEMENT_RENEW:
    case QM_EV_ENGAGEMENT_END:
    case QM_EV_ENGAGEMENT_DOCKED:
    case QM_EV_EXTERNALISE:
        if (is(st, QM_STORY_AGENCY, e->other, filter))
            return 1;
        break;
    default:
        break;
    }
    return is(st, QM_STORY_COMMISSIONER, e->commissioner, filter)
           || is(st, QM_STORY_SERVICE, e->service, filter)
           || is(st, QM_STORY_PROVIDER, e->provider, filter);
}

int qm_narrate_known(const qm_story *st, const char *filter)
{
    for (int k = 0; k < QM_STORY_POLICY; k++)
        for (int id = 0; id < st->n[k]; id++)
            if (is(st, k, id, filter))
                return 1;
    return 0;
}

/* 1 when the clause of event i begins with its commissioner as subject
 * ("Northshire tendered ..."), not a provider ("X lost Northshire's ..."). */
static int subject_first(const qm_event *ev, int n, int i)
{
    switch (ev[i].type) {
    case QM_EV_AWARD: case QM_EV_ENTRY: case QM_EV_EXIT: case QM_EV_POLICY:
    case QM_EV_PRIORITY_SHIFT: case QM_EV_DEMAND_SHOCK:
        return 0;
    case QM_EV_SWITCH:
        return partner(ev, n, &ev[i], QM_EV_AWARD) < 0;
    default:
        return 1;
    }
}

void qm_narrate_events(const qm_story *st, const qm_event *ev, int n, const char *filter,
                       FILE *out)
{
    char clause[768];
    int open = 0, who = -2;
    for (int i = 0; i < n; i++) {
        if (!qm_narrate_match(st, &ev[i], filter)
            || qm_narrate_clause(st, ev, n, i, clause, sizeof clause) == 0)
            continue;
        if (open && ev[i].commissioner == who && who >= 0) {
            /* "Northshire renewed ...; Northshire tendered ..." reads
             * "Northshire renewed ...; tendered ...". */
            char c[128];
            size_t k = strlen(nm(st, QM_STORY_COMMISSIONER, who, c, sizeof c));
            int same = subject_first(ev, n, i) && !strncmp(clause, c, k) && clause[k] == ' ';
            fprintf(out, "; %s", same ? clause + k + 1 : clause);
        } else {
            if (open)
                fputs(".\n", out);
            fprintf(out, "Month %d: %s", (int)ev[i].month, clause);
            open = 1;
        }
        who = ev[i].commissioner;
    }
    if (open)
        fputs(".\n", out);
}

/* Names from a running simulation. */
static const char *sim_name(const void *ctx, int kind, int id)
{
    const qm_sim *sim = ctx;
    switch (kind) {
    case QM_STORY_COMMISSIONER: return sim->comm[id].name;
    case QM_STORY_PROVIDER: return sim->prov[id].name;
    case QM_STORY_SERVICE: return sim->sc->services[id].name;
    case QM_STORY_AGENCY: return sim->agency[id].name;
    case QM_STORY_POLICY: return sim->sc->timeline[id].key;
    default: return NULL;
    }
}

void qm_narrate_story(const qm_sim *sim, qm_story *st)
{
    *st = (qm_story){sim_name, sim, {sim->max_commissioners, sim->max_providers,
                                     sim->n_services, sim->n_agencies, sim->sc->n_timeline}};
}

int qm_narrate_month(const qm_sim *sim, const qm_frame *f, const char *filter, FILE *out)
{
    qm_story st;
    qm_narrate_story(sim, &st);
    if (filter && !qm_narrate_known(&st, filter)) {
        fprintf(stderr, "qmsim run: --narrate-filter: no commissioner, provider, service or "
                        "agency is called '%s'\n", filter);
        return -1;
    }
    qm_narrate_events(&st, f->events, f->n_events, filter, out);
    if ((f->month + 1) % 12 != 0)
        return 0;
    int year = (f->month + 1) / 12, c = -1;
    for (int i = 0; filter && i < sim->max_commissioners; i++)
        if (is(&st, QM_STORY_COMMISSIONER, i, filter))
            c = i;
    if (!filter)
        fprintf(out, "End of year %d: %.0f contracts in force; mean trust in providers %.2f; "
                     "analytic knowledge %.2f; %.0f providers in the market.\n",
                year, f->series[QM_S_CONTRACTS_ACTIVE], f->series[QM_S_TRUST_MEAN_PROVIDER],
                f->series[QM_S_KNOWLEDGE_ANALYTIC_MEAN], f->series[QM_S_PROVIDERS_ACTIVE]);
    else if (c >= 0 && f->cpanel && f->cpanel[QM_CP_ACTIVE * f->n_commissioners + c] > 0.0)
        fprintf(out, "End of year %d: %s's mean trust in its providers %.2f; analytic "
                     "knowledge %.2f.\n", year, sim->comm[c].name,
                f->cpanel[QM_CP_TRUST_MEAN * f->n_commissioners + c],
                f->cpanel[QM_CP_KNOWLEDGE_ANALYTIC * f->n_commissioners + c]);
    fflush(out);
    return 0;
}
