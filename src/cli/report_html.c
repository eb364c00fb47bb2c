/* report_html.c: the page of `qmsim report`: one self-contained HTML file
 * with the scenario and its key parameters, the key outcomes, the charts
 * (SVG inlined as base64) and the notable events. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/print.h"
#include "cli/report.h"
#include "qmsim/outfile.h"
#include "qmsim/qmsim.h"

static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
}

static void base64(FILE *f, const unsigned char *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0)
                     | (i + 2 < n ? p[i + 2] : 0);
        fputc(tab[v >> 18 & 63], f);
        fputc(tab[v >> 12 & 63], f);
        fputc(i + 1 < n ? tab[v >> 6 & 63] : '=', f);
        fputc(i + 2 < n ? tab[v & 63] : '=', f);
    }
}

/* ---- The scenario ---- */

static const char *const month_names[] = {"", "January", "February", "March", "April", "May",
                                          "June", "July", "August", "September", "October",
                                          "November", "December"};

static const char *const key_params[] = {
    "policy.tender_pressure", "policy.tender_mandate", "policy.open_market", "policy.payment_type",
    "policy.transfer_clause", "policy.ig_strictness", "contract.term", "costs.tender",
    "costs.tender_duration", "engagement.clause_share", NULL};

/* One key parameter of scenario sc as text into buf. */
static const char *param_text(const qm_scenario *sc, const char *path, char *buf, size_t n)
{
    const qm_param_def *d = qm_params_find(qm_param_table, path);
    const char *base = (const char *)&sc->p;
    if (!d) {
        snprintf(buf, n, "?");
        return buf;
    }
    switch (d->type) {
    case QM_T_DOUBLE: snprintf(buf, n, "%g", *(const double *)(base + d->offset)); break;
    case QM_T_INT: snprintf(buf, n, "%d", *(const int *)(base + d->offset)); break;
    case QM_T_BOOL: snprintf(buf, n, "%s", *(const int *)(base + d->offset) ? "true" : "false"); break;
    case QM_T_ENUM: {
        int v = *(const int *)(base + d->offset), i = 0;
        while (d->names && d->names[i] && i < v)
            i++;
        snprintf(buf, n, "%s", d->names && d->names[i] ? d->names[i] : "?");
        break;
    }
    default: snprintf(buf, n, "?");
    }
    return buf;
}

/* The text of one cell of the parameter table: scenario s of r, arg
 * saying which. */
typedef const char *(*cell_fn)(const rep_data *r, int s, const void *arg, char *buf, size_t n);

/* One row of the parameter table: label, then each scenario's text;
 * cells that differ from the first scenario are marked. */
static void param_row(FILE *f, const rep_data *r, const char *label, const char *unit, cell_fn fn,
                      const void *arg)
{
    char first[2048], buf[2048];
    fputs("<tr><th>", f);
    esc(f, label);
    if (unit && *unit && strcmp(unit, "-")) {
        fputs(" <span class=\"unit\">(", f);
        esc(f, unit);
        fputs(")</span>", f);
    }
    fputs("</th>", f);
    for (int s = 0; s < r->cf.n_scen; s++) {
        const char *t = fn(r, s, arg, s ? buf : first, sizeof buf);
        fprintf(f, "<td%s>", s && strcmp(t, first) ? " class=\"differs\"" : "");
        esc(f, t);
        fputs("</td>", f);
    }
    fputs("</tr>\n", f);
}

static const char *cell_param(const rep_data *r, int s, const void *arg, char *buf, size_t n)
{
    return r->loaded[s] ? param_text(&r->sc[s], arg, buf, n) : "?";
}

static const char *cell_text(const rep_data *r, int s, const void *arg, char *buf, size_t n)
{
    const char *which = arg;
    const qm_cmp_scenario *c = &r->cf.scen[s];
    snprintf(buf, n, "%s", !strcmp(which, "description") ? c->description
                           : !strcmp(which, "settings") ? c->settings : c->source ? c->source : "");
    return buf;
}

/* "TOTAL (N1 NAME1, N2 NAME2)" of counts by[0..k) named names, into buf. */
static void counts_by_kind(char *buf, size_t n, int total, const int *by, int k,
                           const char *const *names)
{
    size_t o = (size_t)snprintf(buf, n, "%d (", total);
    for (int i = 0, first = 1; i < k && o < n; i++)
        if (by[i]) {
            o += (size_t)snprintf(buf + o, n - o, "%s%d %s", first ? "" : ", ", by[i], names[i]);
            first = 0;
        }
    if (o < n)
        snprintf(buf + o, n - o, ")");
}

/* The scenario's timeline, "month 24: reorganisation (staff lost 20%)". */
static void timeline_text(const qm_scenario *sc, char *buf, size_t n)
{
    size_t o = 0;
    snprintf(buf, n, "none");
    for (int i = 0; i < sc->n_timeline && o < n; i++) {
        const qm_timeline_event *e = &sc->timeline[i];
        o += (size_t)snprintf(buf + o, n - o, "%smonth %d: %s", i ? "; " : "", e->month,
                              qm_timeline_names[e->type]);
        if (o >= n)
            break;
        if (e->type == QM_TL_POLICY)
            o += (size_t)snprintf(buf + o, n - o, " %s = %g", e->key, e->value);
        else if (e->type == QM_TL_REORGANISATION)
            o += (size_t)snprintf(buf + o, n - o, " (staff lost %.0f%%%s%s)",
                                  100.0 * e->staff_loss, e->merge > 1 ? ", mergers" : "",
                                  e->split_share > 0 ? ", splits" : "");
    }
}

static const char *cell_count(const rep_data *r, int s, const void *arg, char *buf, size_t n)
{
    const char *which = arg;
    const qm_scenario *sc = &r->sc[s];
    int total = 0;
    if (!r->loaded[s])
        return "?";
    if (!strcmp(which, "months"))
        snprintf(buf, n, "%d, from %s", sc->months,
                 sc->start_month >= 1 && sc->start_month <= 12 ? month_names[sc->start_month] : "?");
    else if (!strcmp(which, "seed"))
        snprintf(buf, n, "%llu", (unsigned long long)sc->seed);
    else if (!strcmp(which, "commissioners")) {
        for (int g = 0; g < sc->n_cgroups; g++)
            total += sc->cgroups[g].count;
        snprintf(buf, n, "%d", total);
    } else if (!strcmp(which, "providers")) {
        int by[QM_PK_N] = {0};
        for (int g = 0; g < sc->n_pgroups; g++) {
            total += sc->pgroups[g].count;
            by[sc->pgroups[g].kind] += sc->pgroups[g].count;
        }
        counts_by_kind(buf, n, total, by, QM_PK_N, qm_provider_kind_names);
    } else if (!strcmp(which, "agencies")) {
        int by[QM_AK_N] = {0};
        for (int g = 0; g < sc->n_agroups; g++) {
            total += sc->agroups[g].count;
            by[sc->agroups[g].kind] += sc->agroups[g].count;
        }
        if (!total)
            snprintf(buf, n, "none");
        else
            counts_by_kind(buf, n, total, by, QM_AK_N, qm_agency_kind_names);
    } else if (!strcmp(which, "services")) {
        size_t o = 0;
        buf[0] = '\0';
        for (int v = 0; v < sc->n_services && o < n; v++)
            o += (size_t)snprintf(buf + o, n - o, "%s%s", v ? ", " : "", sc->services[v].name);
    } else if (!strcmp(which, "timeline"))
        timeline_text(sc, buf, n);
    return buf;
}

static void write_scenario_section(FILE *f, const rep_data *r)
{
    int S = r->cf.n_scen;
    fputs("<h2 id=\"scenario\">Scenario</h2>\n", f);
    if (S == 1 && r->cf.scen[0].description && *r->cf.scen[0].description) {
        fputs("<p class=\"lead\">", f);
        esc(f, r->cf.scen[0].description);
        fputs("</p>\n", f);
    }
    fputs("<div class=\"wide\"><table class=\"params\">\n<thead><tr><th>parameter</th>", f);
    for (int s = 0; s < S; s++) {
        fputs("<th>", f);
        esc(f, r->cf.scen[s].name);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    if (S > 1) {
        param_row(f, r, "description", NULL, cell_text, "description");
        param_row(f, r, "settings", NULL, cell_text, "settings");
    }
    param_row(f, r, "source", NULL, cell_text, "source");
    param_row(f, r, "months", NULL, cell_count, "months");
    param_row(f, r, "scenario seed", NULL, cell_count, "seed");
    param_row(f, r, "commissioners", NULL, cell_count, "commissioners");
    param_row(f, r, "providers", NULL, cell_count, "providers");
    param_row(f, r, "services", NULL, cell_count, "services");
    param_row(f, r, "support agencies", NULL, cell_count, "agencies");
    for (int i = 0; key_params[i]; i++) {
        const qm_param_def *d = qm_params_find(qm_param_table, key_params[i]);
        if (d)
            param_row(f, r, key_params[i], d->unit, cell_param, key_params[i]);
    }
    param_row(f, r, "timeline", NULL, cell_count, "timeline");
    fputs("</tbody></table></div>\n", f);
    if (S > 1)
        fputs("<p class=\"note\">Shaded cells differ from the first scenario.</p>\n", f);
}

/* ---- The outcomes ---- */

/* The heading of outcome m: its label in words, its name in the files
 * and what it measures. */
static void outcome_heading(FILE *f, const qm_cmpfile *cf, int m)
{
    const qm_meta *mt = qm_outcomes_meta(cf->out_names[m]);
    esc(f, mt && mt->label[0] ? mt->label : cf->out_names[m]);
    const char *colon = strchr(cf->out_names[m], ':');
    if (colon) {   /* REDUCE:SERIES: the reduction in words */
        static const char *const reduce[][2] = {{"mean", "mean over the months"},
                                                {"sum", "total over the run"},
                                                {"final", "in the last month"},
                                                {"min", "lowest month"},
                                                {"max", "highest month"}};
        for (size_t k = 0; k < sizeof reduce / sizeof reduce[0]; k++)
            if ((size_t)(colon - cf->out_names[m]) == strlen(reduce[k][0])
                && !strncmp(cf->out_names[m], reduce[k][0], strlen(reduce[k][0])))
                fprintf(f, ", %s", reduce[k][1]);
    }
    fputs(" <code class=\"unit\">", f);
    esc(f, cf->out_names[m]);
    fputs("</code>", f);
    if (m < cf->n_out_desc) {
        fputs("<div class=\"unit\">", f);
        esc(f, cf->out_desc[m]);
        fputs("</div>", f);
    }
}

/* A run's key outcomes: one value each, in its unit. */
static void write_run_outcomes(FILE *f, const qm_cmpfile *cf)
{
    char a[64];
    fputs("<table class=\"outcomes\">\n<thead><tr><th>outcome</th><th>value</th>"
          "</tr></thead>\n<tbody>\n", f);
    for (int m = 0; m < cf->n_out; m++) {
        fputs("<tr><th>", f);
        outcome_heading(f, cf, m);
        fputs("</th><td class=\"num\">", f);
        esc(f, qm_print_value(cf->mean[m], qm_outcomes_meta(cf->out_names[m]), 0, a, sizeof a));
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

/* One row of the comparison's outcome table: outcome m in scenario s. */
static void outcome_row(FILE *f, const qm_cmpfile *cf, int m, int s)
{
    char a[64], b[64], c[64];
    const qm_meta *mt = qm_outcomes_meta(cf->out_names[m]);
    size_t i = (size_t)m * (size_t)cf->n_scen + (size_t)s;
    fputs(s ? "<tr>" : "<tr class=\"first\">", f);
    if (s == 0) {
        fprintf(f, "<th rowspan=\"%d\">", cf->n_scen);
        outcome_heading(f, cf, m);
        fputs("</th>", f);
    }
    fputs("<td>", f);
    esc(f, cf->scen[s].name);
    fputs("</td><td class=\"num\">", f);
    esc(f, qm_print_value(cf->mean[i], mt, 0, a, sizeof a));
    fputs("</td><td class=\"num\">[", f);
    esc(f, qm_print_value(cf->lo[i], mt, QM_PRINT_BARE, b, sizeof b));
    fputs(", ", f);
    esc(f, qm_print_value(cf->hi[i], mt, QM_PRINT_BARE, c, sizeof c));
    fputs("]</td>", f);
    if (s == 0)
        fputs("<td></td><td></td><td></td>", f);
    else {
        fputs("<td class=\"num\">", f);
        esc(f, qm_print_value(cf->diff[i], mt, QM_PRINT_SIGN, a, sizeof a));
        fputs("</td><td class=\"num\">[", f);
        esc(f, qm_print_value(cf->dlo[i], mt, QM_PRINT_SIGN | QM_PRINT_BARE, b, sizeof b));
        fputs(", ", f);
        esc(f, qm_print_value(cf->dhi[i], mt, QM_PRINT_SIGN | QM_PRINT_BARE, c, sizeof c));
        fprintf(f, "]</td><td>%s</td>",
                cf->sig[i] == 0 ? "<i>n.s.</i>" : cf->sig[i] == 1 ? "" : "n/a");
    }
    fputs("</tr>\n", f);
}

static void write_outcomes_section(FILE *f, const rep_data *r)
{
    const qm_cmpfile *cf = &r->cf;
    fputs("<h2 id=\"outcomes\">Key outcomes</h2>\n", f);
    if (!r->is_cmp) {
        write_run_outcomes(f, cf);
        return;
    }
    fprintf(f, "<p class=\"note\">Means over each scenario's runs with %g%% intervals "
               "(t distribution); differences to <b>", 100.0 * cf->level);
    esc(f, cf->scen[0].name);
    fputs("</b> are paired run for run (common random numbers). <i>n.s.</i>: the difference's "
          "interval includes 0, so the runs cannot tell it from noise.</p>\n", f);
    fprintf(f, "<table class=\"outcomes\">\n<thead><tr><th>outcome</th><th>scenario</th>"
               "<th>mean</th><th>%g%% interval</th><th>difference</th><th>interval</th><th></th>"
               "</tr></thead>\n<tbody>\n", 100.0 * cf->level);
    for (int m = 0; m < cf->n_out; m++)
        for (int s = 0; s < cf->n_scen; s++)
            outcome_row(f, cf, m, s);
    fputs("</tbody></table>\n", f);
}

/* ---- The charts ---- */

static void write_charts_section(FILE *f, const rep_data *r, char **svg, const size_t *len)
{
    if (r->cf.n_ser == 0)
        return;
    fputs("<h2 id=\"charts\">Over time</h2>\n", f);
    if (r->yearly)
        fprintf(f, "<p class=\"note\">Year by year (year 1 is the run's first twelve months; "
                   "whole years only): amounts in a month (tenders, switches, spending) as the "
                   "year's total, levels (contracts in force, trust) as the year's mean%s.</p>\n",
                r->is_cmp ? ", each the mean over the scenario's runs. The file keeps the runs' "
                            "percentiles month by month, not year by year, so these charts have "
                            "no bands" : "");
    else if (r->is_cmp)
        fputs("<p class=\"note\">Lines: the mean over each scenario's runs, month by month; bands: "
              "2.5th to 97.5th percentile of the runs.</p>\n", f);
    if (!r->yearly && r->yearly_asked)
        fputs("<p class=\"note\">The run is shorter than a year: the charts are month by "
              "month.</p>\n", f);
    fputs("<div class=\"charts\">\n", f);
    for (int i = 0; i < r->cf.n_ser; i++) {
        rep_axis ax;
        qm_report_axis(&r->cf, i, r->yearly, &ax);
        fputs("<figure id=\"chart-", f);
        esc(f, r->cf.ser_names[i]);
        fputs("\"><img class=\"chart\" width=\"560\" height=\"330\" alt=\"", f);
        esc(f, ax.title);
        if (ax.ylabel[0]) {
            fputs(" (", f);
            esc(f, ax.ylabel);
            fputs(")", f);
        }
        fputs("\" src=\"data:image/svg+xml;base64,", f);
        base64(f, (const unsigned char *)svg[i], len[i]);
        fputs("\"><figcaption>", f);
        esc(f, r->cf.ser_desc[i]);
        fputs("</figcaption></figure>\n", f);
    }
    fputs("</div>\n", f);
}

/* ---- The events ---- */

static int notable(int type)
{
    switch (type) {
    case QM_EV_RENEW: case QM_EV_RENEGOTIATE: case QM_EV_ROLLOVER: case QM_EV_ENGAGEMENT_RENEW:
    case QM_EV_ENGAGEMENT_DOCKED: case QM_EV_DEVELOPMENT_START:
        return 0;
    default:
        return 1;
    }
}

static const char *file_name(const void *ctx, int kind, int id)
{
    const rep_data *r = ctx;
    if (kind == QM_STORY_POLICY)
        return r->loaded[0] && id < r->sc[0].n_timeline ? r->sc[0].timeline[id].key : NULL;
    return r->names[kind] && id < r->n_names[kind] ? r->names[kind][id] : NULL;
}

/* A comparison's events: the mean number of each type per run. */
static void write_cmp_events(FILE *f, const rep_data *r)
{
    const qm_cmpfile *cf = &r->cf;
    if (!cf->ev_mean) {
        fputs("<p class=\"note\">The comparison file records no events.</p>\n", f);
        return;
    }
    fputs("<div class=\"wide\"><table class=\"events\">\n<thead><tr><th>event</th>", f);
    for (int s = 0; s < cf->n_scen; s++) {
        fputs("<th>", f);
        esc(f, cf->scen[s].name);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (int e = 0; e < QM_EV_N; e++) {
        int any = 0;
        for (int s = 0; s < cf->n_scen; s++)
            any |= cf->ev_mean[s * QM_EV_N + e] > 0.0;
        if (!any)
            continue;
        fprintf(f, "<tr><th>%s</th>", qm_event_names[e]);
        for (int s = 0; s < cf->n_scen; s++)
            fprintf(f, "<td class=\"num\">%.4g</td>", cf->ev_mean[s * QM_EV_N + e]);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n<p class=\"note\">Mean number of events of each type per "
          "run.</p>\n", f);
}

/* A run's notable events, told month by month, at most max_events. */
static void write_story(FILE *f, const rep_data *r, int max_events)
{
    char clause[768];
    qm_story st = {file_name, r, {r->n_names[0], r->n_names[1], r->n_names[2], r->n_names[3],
                                  r->loaded[0] ? r->sc[0].n_timeline : 0}};
    int shown = 0, left = 0;
    fputs("<table class=\"story\">\n<thead><tr><th>month</th><th>what happened</th></tr></thead>\n"
          "<tbody>\n", f);
    for (int i = 0; i < r->n_ev;) {
        int j = i;
        while (j < r->n_ev && r->ev[j].month == r->ev[i].month)
            j++;
        for (int k = i; k < j; k++) {
            if (r->ev[k].type < 0 || r->ev[k].type >= QM_EV_N || !notable(r->ev[k].type)
                || qm_narrate_clause(&st, r->ev + i, j - i, k - i, clause, sizeof clause) == 0)
                continue;
            if (shown == max_events) {
                left++;
                continue;
            }
            fprintf(f, "<tr><td class=\"num\">%d</td><td>", (int)r->ev[k].month);
            esc(f, clause);
            fputs("</td></tr>\n", f);
            shown++;
        }
        i = j;
    }
    fputs("</tbody></table>\n", f);
    if (left)
        fprintf(f, "<p class=\"note\">%d more notable events are in the file's /events table.</p>\n",
                left);
}

static void write_events_section(FILE *f, const rep_data *r, int max_events)
{
    fputs("<h2 id=\"events\">Notable events</h2>\n", f);
    if (r->is_cmp) {
        write_cmp_events(f, r);
        return;
    }
    if (!r->has_events) {
        fputs("<p class=\"note\">The run file has no event table (the scenario's "
              "<code>output.events</code> was off).</p>\n", f);
        return;
    }
    int count[QM_EV_N] = {0};
    for (int i = 0; i < r->n_ev; i++)
        if (r->ev[i].type >= 0 && r->ev[i].type < QM_EV_N)
            count[r->ev[i].type]++;
    fputs("<table class=\"events\">\n<thead><tr><th>event</th><th>count</th></tr></thead>\n<tbody>\n", f);
    for (int e = 0; e < QM_EV_N; e++)
        if (count[e])
            fprintf(f, "<tr><th>%s</th><td class=\"num\">%d</td></tr>\n", qm_event_names[e], count[e]);
    fputs("</tbody></table>\n", f);
    write_story(f, r, max_events);
    fputs("<p class=\"note\">Renewals, renegotiations, rollovers, engagement renewals, docked fees "
          "and development starts are counted above but not listed.</p>\n", f);
}

/* ---- The page ---- */

static const char *css =
    "body{font-family:sans-serif;max-width:1160px;margin:1.5em auto;padding:0 1em;color:#212529;"
    "background:#fff;line-height:1.4}\n"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;border-bottom:1px solid #ccc;"
    "padding-bottom:.2em;margin-top:1.6em}\n"
    ".meta,.note,.unit{color:#666;font-size:.9em}.lead{font-size:1.05em}th .unit{font-weight:normal}\n"
    "table{border-collapse:collapse;margin:.5em 0;font-size:.92em}\n"
    "th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}\n"
    "thead th{background:#f1f3f5}td.num{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "td.differs{background:#fff3bf}tr.first td,tr.first th{border-top:2px solid #aaa}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:12px}.wide{overflow-x:auto}\n"
    "figure{margin:0;width:560px}figure img{display:block;width:560px;height:330px;"
    "border:1px solid #eee}\n"
    "figcaption{font-size:.85em;color:#555;padding:.2em .3em}\n"
    "pre{background:#f8f9fa;padding:.6em;overflow:auto;font-size:.8em;max-height:30em}\n";

/* The page's title: --title, else what the file is about. */
static void page_title(const rep_data *r, const rep_opts *o, char *title, size_t len)
{
    const qm_cmpfile *cf = &r->cf;
    if (o->title)
        snprintf(title, len, "%s", o->title);
    else if (!r->is_cmp)
        snprintf(title, len, "qmsim run: %s", cf->scen[0].name ? cf->scen[0].name : "?");
    else {
        size_t n = (size_t)snprintf(title, len, "qmsim comparison: ");
        for (int s = 0; s < cf->n_scen && n < len; s++)
            n += (size_t)snprintf(title + n, len - n, "%s%s", s ? " vs " : "", cf->scen[s].name);
    }
}

/* The head of the page: title and where it comes from. */
static void write_head(FILE *f, const rep_data *r, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
    esc(f, title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", css);
    esc(f, title);
    fputs("</h1>\n<p class=\"meta\">From <code>", f);
    esc(f, r->path);
    fputs("</code>", f);
    if (r->seed_text) {
        fputs(": ", f);
        esc(f, r->seed_text);
    }
    fputs(". Written by qmsim ", f);
    esc(f, r->cf.version ? r->cf.version : "?");
    if (r->cf.created) {
        fputs(" on ", f);
        esc(f, r->cf.created);
    }
    fputs(".</p>\n", f);
}

int qm_report_html(FILE *f, const rep_data *r, const rep_opts *o, char **svg, const size_t *len)
{
    char title[1024];
    const qm_cmpfile *cf = &r->cf;
    page_title(r, o, title, sizeof title);
    write_head(f, r, title);
    write_scenario_section(f, r);
    write_outcomes_section(f, r);
    write_charts_section(f, r, svg, len);
    write_events_section(f, r, o->max_events);
    for (int s = 0; s < cf->n_scen; s++) {
        if (!cf->scen[s].resolved || !*cf->scen[s].resolved)
            continue;
        fputs("<details><summary>The resolved scenario", f);
        if (cf->n_scen > 1) {
            fputs(": ", f);
            esc(f, cf->scen[s].name);
        }
        fputs(" (every key)</summary>\n<pre>", f);
        esc(f, cf->scen[s].resolved);
        fputs("</pre></details>\n", f);
    }
    fputs("</body>\n</html>\n", f);
    return ferror(f) ? -1 : 0;
}

/* ---- Shared with the calibration page (report_cal.c) ---- */

void qm_report_esc(FILE *f, const char *s)
{
    esc(f, s);
}

void qm_report_base64(FILE *f, const unsigned char *p, size_t n)
{
    base64(f, p, n);
}

const char *qm_report_css(void)
{
    return css;
}

/* See report.h. */
int qm_report_commit(qm_outfile *of, int (*emit)(FILE *, const void *), const void *ctx)
{
    char err[4400];
    const char *temp = qm_outfile_temp(of);
    FILE *out = fopen(temp, "w");
    if (!out) {
        fprintf(stderr, "qmsim report: cannot write %s: %s\n", temp, strerror(errno));
        qm_outfile_discard(of);
        return 1;
    }
    int w = emit(out, ctx);
    if (fflush(out) != 0 || ferror(out) || w != 0) {
        fprintf(stderr, "qmsim report: cannot write %s: %s\n", temp, strerror(errno));
        fclose(out);
        qm_outfile_discard(of);
        return 1;
    }
    if (fclose(out) != 0) {
        fprintf(stderr, "qmsim report: cannot write %s: %s\n", temp, strerror(errno));
        qm_outfile_discard(of);
        return 1;
    }
    if (qm_outfile_commit(of, err, sizeof err) != 0) {
        fprintf(stderr, "qmsim report: %s\n", err);
        return 1;
    }
    return 0;
}
