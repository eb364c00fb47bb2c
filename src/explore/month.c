/* month.c: a month of a run as JSON for the explorer's page (month.h). */
#include "explore/month.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qmsim/narrate.h"
#include "qmsim/params.h"

int qm_xseen_alloc(qm_xseen *seen, const qm_sim *sim)
{
    seen->comm = calloc((size_t)sim->max_commissioners, 1);
    seen->prov = calloc((size_t)sim->max_providers, 1);
    if (seen->comm && seen->prov)
        return 0;
    qm_xseen_free(seen);
    return -1;
}

void qm_xseen_free(qm_xseen *seen)
{
    free(seen->comm);
    free(seen->prov);
    seen->comm = seen->prov = NULL;
}

static void names_array(qm_jbuf *b, const char *key, const char *const *names)
{
    qm_jbuf_key(b, key);
    qm_jbuf_raw(b, "[");
    for (int i = 0; names[i]; i++) {
        qm_jbuf_sep(b);
        qm_jbuf_str(b, names[i]);
    }
    qm_jbuf_raw(b, "]");
}

static void contracts_json(qm_jbuf *b, const qm_sim *sim, const qm_frame *f);
static void engagements_json(qm_jbuf *b, const qm_sim *sim);

static const char *provider_kind(const qm_sim *sim, int p)
{
    int k = sim->prov[p].kind;
    return k >= 0 && k < QM_PK_N ? qm_provider_kind_names[k] : "";
}

void qm_xmonth_entities(qm_jbuf *b, const qm_sim *sim, qm_xseen *seen)
{
    qm_jbuf_printf(b, "{\"start_month\":%d,\"months\":%d,\"month\":%d", sim->sc->start_month,
                   sim->months, sim->month);
    qm_jbuf_key(b, "services");
    qm_jbuf_raw(b, "[");
    for (int s = 0; s < sim->n_services; s++) {
        qm_jbuf_sep(b);
        qm_jbuf_str(b, sim->sc->services[s].name);
    }
    qm_jbuf_raw(b, "]");
    names_array(b, "payments", qm_payment_names);
    names_array(b, "provider_kinds", qm_provider_kind_names);
    names_array(b, "agency_kinds", qm_agency_kind_names);
    names_array(b, "purposes", qm_purpose_names);
    names_array(b, "conduits", qm_conduit_names);
    qm_jbuf_key(b, "commissioners");
    qm_jbuf_raw(b, "[");
    for (int c = 0; c < sim->max_commissioners; c++) {
        qm_jbuf_sep(b);
        qm_jbuf_printf(b, "{\"name\":");
        qm_jbuf_str(b, sim->comm[c].name);
        qm_jbuf_printf(b, ",\"active\":%d,\"population\":", sim->comm[c].active);
        qm_jbuf_num(b, sim->comm[c].population);
        qm_jbuf_raw(b, "}");
        seen->comm[c] = (unsigned char)(sim->comm[c].active != 0);
    }
    qm_jbuf_raw(b, "]");
    qm_jbuf_key(b, "providers");
    qm_jbuf_raw(b, "[");
    for (int p = 0; p < sim->max_providers; p++) {
        int used = p < sim->n_providers;
        qm_jbuf_sep(b);
        qm_jbuf_printf(b, "{\"name\":");
        qm_jbuf_str(b, used ? sim->prov[p].name : "");
        qm_jbuf_key(b, "kind");
        qm_jbuf_str(b, used ? provider_kind(sim, p) : "");
        qm_jbuf_printf(b, ",\"active\":%d,\"entrant\":%d}", used && sim->prov[p].active,
                       used && sim->prov[p].entrant);
        seen->prov[p] = (unsigned char)used;
    }
    qm_jbuf_raw(b, "]");
    qm_jbuf_key(b, "agencies");
    qm_jbuf_raw(b, "[");
    for (int a = 0; a < sim->n_agencies; a++) {
        qm_jbuf_sep(b);
        qm_jbuf_printf(b, "{\"name\":");
        qm_jbuf_str(b, sim->agency[a].name);
        qm_jbuf_key(b, "kind");
        qm_jbuf_str(b, qm_agency_kind_names[sim->agency[a].kind]);
        qm_jbuf_key(b, "conduit");
        qm_jbuf_str(b, qm_conduit_names[sim->agency[a].conduit]);
        qm_jbuf_raw(b, "}");
    }
    qm_jbuf_raw(b, "]");
    contracts_json(b, sim, NULL);   /* the market before the first month */
    engagements_json(b, sim);
    qm_jbuf_raw(b, "}");
}

/* The event that marks contract (c, s) this month, most telling first
 * ("" before the first month, f NULL). */
static const char *contract_flag(const qm_frame *f, int c, int s)
{
    if (!f)
        return "";
    static const struct {
        int type;
        const char *flag;
    } order[] = {{QM_EV_SWITCH, "switch"}, {QM_EV_AWARD, "kept"},
                 {QM_EV_TENDER_START, "tender"}, {QM_EV_RENEGOTIATE, "renegotiate"},
                 {QM_EV_RENEW, "renew"}, {QM_EV_ROLLOVER, "rollover"}};
    for (size_t o = 0; o < sizeof order / sizeof order[0]; o++)
        for (int i = 0; i < f->n_events; i++)
            if (f->events[i].type == order[o].type && f->events[i].commissioner == c
                && f->events[i].service == s)
                return order[o].flag;
    return "";
}

static void contracts_json(qm_jbuf *b, const qm_sim *sim, const qm_frame *f)
{
    int S = sim->n_services;
    qm_jbuf_key(b, "k");
    qm_jbuf_raw(b, "[");
    for (int c = 0; c < sim->max_commissioners; c++)
        for (int s = 0; s < S; s++) {
            const qm_contract *k = &sim->con[(size_t)c * S + s];
            if (!k->active)
                continue;
            qm_jbuf_sep(b);
            int h = sim->comm[c].holder; /* a merged body holds its members' contracts */
            qm_jbuf_printf(b, "[%d,%d,%d,%d,", h, s, k->provider, k->payment);
            qm_jbuf_num(b, k->trust);
            qm_jbuf_raw(b, ",");
            qm_jbuf_num(b, k->price);
            qm_jbuf_raw(b, ",");
            qm_jbuf_num(b, k->volume);
            qm_jbuf_raw(b, ",");
            qm_jbuf_num(b, k->qhat);
            qm_jbuf_printf(b, ",%d,%d,%d,%d,", k->start, k->expiry,
                           k->tender_end >= sim->month && k->tender_end >= 0,
                           k->incumbent_since);
            qm_jbuf_str(b, contract_flag(f, h, s));
            qm_jbuf_raw(b, "]");
        }
    qm_jbuf_raw(b, "]");
}

static void engagements_json(qm_jbuf *b, const qm_sim *sim)
{
    qm_jbuf_key(b, "g");
    qm_jbuf_raw(b, "[");
    for (int c = 0; c < sim->max_commissioners; c++) {
        const qm_commissioner *cm = &sim->comm[c];
        for (int i = 0; cm->active && i < cm->n_eng; i++) {
            const qm_engagement *e = &cm->eng[i];
            if (!e->active)
                continue;
            qm_jbuf_sep(b);
            qm_jbuf_printf(b, "[%d,%d,%d,%d,%d,", c, e->agency, e->purpose, e->conduit,
                           e->clause);
            qm_jbuf_num(b, e->fee);
            qm_jbuf_printf(b, ",%d]", e->first_start);
        }
    }
    qm_jbuf_raw(b, "]");
}

/* Developments by stage: needs, specification, procurement,
 * implementation, and running (launched, benefit to come). */
static void developments_json(qm_jbuf *b, const qm_sim *sim)
{
    int n[5] = {0};
    for (int c = 0; c < sim->max_commissioners; c++) {
        const qm_commissioner *cm = &sim->comm[c];
        for (int i = 0; cm->active && i < cm->n_dev; i++)
            if (cm->dev[i].active && cm->dev[i].stage >= 0 && cm->dev[i].stage <= QM_STAGE_RUNNING)
                n[cm->dev[i].stage]++;
    }
    qm_jbuf_printf(b, ",\"dev\":[%d,%d,%d,%d,%d]", n[0], n[1], n[2], n[3], n[4]);
}

/* Active flags of the slots, and the names of slots new since last month. */
static void slots_json(qm_jbuf *b, const qm_sim *sim, qm_xseen *seen)
{
    qm_jbuf_key(b, "ca");
    qm_jbuf_raw(b, "[");
    for (int c = 0; c < sim->max_commissioners; c++)
        qm_jbuf_printf(b, c ? ",%d" : "%d", sim->comm[c].active != 0);
    qm_jbuf_raw(b, "],\"pa\":[");
    for (int p = 0; p < sim->max_providers; p++)
        qm_jbuf_printf(b, p ? ",%d" : "%d", p < sim->n_providers && sim->prov[p].active);
    qm_jbuf_raw(b, "],\"cn\":{");
    for (int c = 0; c < sim->max_commissioners; c++)
        if (sim->comm[c].active && !seen->comm[c]) {
            qm_jbuf_sep(b);
            qm_jbuf_printf(b, "\"%d\":", c);
            qm_jbuf_str(b, sim->comm[c].name);
            seen->comm[c] = 1;
        }
    qm_jbuf_raw(b, "},\"pn\":{");
    for (int p = 0; p < sim->n_providers; p++)
        if (!seen->prov[p]) {
            qm_jbuf_sep(b);
            qm_jbuf_printf(b, "\"%d\":[", p);
            qm_jbuf_str(b, sim->prov[p].name);
            qm_jbuf_raw(b, ",");
            qm_jbuf_str(b, provider_kind(sim, p));
            qm_jbuf_printf(b, ",%d]", sim->prov[p].entrant);
            seen->prov[p] = 1;
        }
    qm_jbuf_raw(b, "}");
}

/* ---- The story ---- */

/* What --narrate (filter NULL) or --narrate-filter prints for the month,
 * as a malloc'd string ("" when nothing; NULL when out of memory).  With
 * common set, only the changes every filter shows. */
static char *told(const qm_sim *sim, const qm_frame *f, const char *filter, int common)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return NULL;
    if (common) {
        qm_story st;
        qm_narrate_story(sim, &st);
        qm_narrate_events(&st, f->events, f->n_events, "\x01", m);
    } else {
        qm_narrate_month(sim, f, filter, m);
    }
    if (fclose(m) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* Adds name (of a slot in use) to the candidates when new. */
static void candidate(const char **cand, int *n, int cap, const char *name)
{
    if (!name || !*name)
        return;
    for (int i = 0; i < *n; i++)
        if (!strcmp(cand[i], name))
            return;
    if (*n < cap)
        cand[(*n)++] = name;
}

/* The names whose filtered story may differ from the common one: those
 * the month's events concern, and every commissioner at the end of a year
 * (its yearly line). */
static int candidates(const qm_sim *sim, const qm_frame *f, const char **cand, int cap)
{
    int n = 0;
    for (int i = 0; i < f->n_events; i++) {
        const qm_event *e = &f->events[i];
        if (e->commissioner >= 0 && e->commissioner < sim->max_commissioners)
            candidate(cand, &n, cap, sim->comm[e->commissioner].name);
        if (e->provider >= 0 && e->provider < sim->n_providers)
            candidate(cand, &n, cap, sim->prov[e->provider].name);
        if (e->service >= 0 && e->service < sim->n_services)
            candidate(cand, &n, cap, sim->sc->services[e->service].name);
        if (e->other >= 0 && e->other < sim->n_providers)
            candidate(cand, &n, cap, sim->prov[e->other].name);
        if (e->other >= 0 && e->other < sim->max_commissioners)
            candidate(cand, &n, cap, sim->comm[e->other].name);
        if (e->other >= 0 && e->other < sim->n_agencies)
            candidate(cand, &n, cap, sim->agency[e->other].name);
    }
    if ((f->month + 1) % 12 == 0)
        for (int c = 0; c < sim->max_commissioners; c++)
            if (sim->comm[c].active)
                candidate(cand, &n, cap, sim->comm[c].name);
    return n;
}

static void story_json(qm_jbuf *b, const qm_sim *sim, const qm_frame *f)
{
    int cap = 4 * f->n_events + sim->max_commissioners + 1, n;
    const char **cand = malloc((size_t)cap * sizeof *cand);
    char *all = told(sim, f, NULL, 0), *common = told(sim, f, NULL, 1);
    if (!cand || !all || !common) {
        b->failed = 1;
        goto done;
    }
    qm_jbuf_key(b, "story");
    qm_jbuf_str(b, all);
    qm_jbuf_key(b, "common");
    qm_jbuf_str(b, common);
    qm_jbuf_key(b, "by");
    qm_jbuf_raw(b, "{");
    n = candidates(sim, f, cand, cap);
    for (int i = 0; i < n; i++) {
        char *mine = told(sim, f, cand[i], 0);
        if (!mine)
            b->failed = 1;
        else if (strcmp(mine, common) != 0) {
            qm_jbuf_key(b, cand[i]);
            qm_jbuf_str(b, mine);
        }
        free(mine);
    }
    qm_jbuf_raw(b, "}");
done:
    free(cand);
    free(all);
    free(common);
}

void qm_xmonth_json(qm_jbuf *b, const qm_sim *sim, const qm_frame *f, qm_xseen *seen)
{
    qm_jbuf_printf(b, "{\"m\":%d,\"s\":[", f->month);
    for (int i = 0; i < QM_S_N; i++) {
        qm_jbuf_sep(b);
        qm_jbuf_num(b, f->series[i]);
    }
    qm_jbuf_raw(b, "]");
    developments_json(b, sim);
    contracts_json(b, sim, f);
    engagements_json(b, sim);
    slots_json(b, sim, seen);
    story_json(b, sim, f);
    qm_jbuf_raw(b, "}");
}
