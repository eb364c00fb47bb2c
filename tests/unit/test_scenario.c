/* test_scenario.c: the scenario reader, its error messages, overrides and
 * the resolved-text round trip (src/io/scenario.c). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include "qmsim/file.h"
#include "qmsim/scenario.h"

/* The smallest valid scenario: every other key takes its default. */
#define MINIMAL                              \
    "name = \"t\";\n"                        \
    "services = ( { name = \"a\"; } );\n"    \
    "commissioners = ( { count = 2; } );\n"  \
    "providers = ( { count = 1; } );\n"

/* One of almost everything, for values and the round trip. */
static const char rich[] =
    "name = \"rich \\\"quoted\\\" \\\\ name\";\n"
    "description = \"line one\\nline two\\ttab\";\n"
    "seed = 12345678901L;\n"
    "months = 60;\n"
    "start_month = 1;\n"
    "neighbours = \"none\";\n"
    "contract = { term = 24; monitoring = 1; initial_rule = \"random\"; age_min = 0.1; };\n"
    "trust = { forgetting = 0.9; prior_independent = 0.3; };\n"
    "policy = { open_market = true; payment_type = \"activity\"; tender_pressure = 0.25; };\n"
    "output = { panels = false; };\n"
    "services = (\n"
    "  { name = \"diabetes\"; demand = 2.0; tariff = 300.0; cost_min = 0.7; cost_max = 1.0;\n"
    "    parcelability = 0.2; staff_scarcity = 0.3; payment = \"block\"; },\n"
    "  { name = \"stroke\"; tariff = 12000; payment = \"outcome\"; },\n"
    "  { name = \"hips\"; parcelability = 0.9; payment = \"activity\"; }\n"
    ");\n"
    "commissioners = (\n"
    "  { prefix = \"PCT\"; count = 3; names = [\"North\", \"South\", \"East \\\"E\\\"\"];\n"
    "    population = { dist = \"uniform\"; min = 160000.0; max = 525000.0; };\n"
    "    analytic = { dist = \"list\"; values = [0.1, 0.2, 0.30000000000000004]; };\n"
    "    market_orientation = { dist = \"beta\"; a = 2; b = 5; };\n"
    "    contracting_staff = { dist = \"normal\"; mean = 4; sd = 1.5; };\n"
    "    budget_per_capita = { dist = \"lognormal\"; mean = 120; sd = 30; };\n"
    "    receptivity = { dist = \"const\"; value = 0.45; }; },\n"
    "  { prefix = \"CCG\"; count = 2; risk_aversion = 0.1; }\n"
    ");\n"
    "providers = (\n"
    "  { kind = \"nhs_acute\"; count = 2; names = [\"General\", \"Royal\"]; capacity = 5000; },\n"
    "  { kind = \"independent\"; prefix = \"Indie\"; count = 2; services = [\"hips\", \"diabetes\"];\n"
    "    quality = { dist = \"list\"; values = [0.6, 0.8]; }; markup = -0.1; }\n"
    ");\n"
    "entrant = { prefix = \"New\"; quality = { dist = \"normal\"; mean = 0.6; sd = 0.1; }; };\n"
    "agencies = (\n"
    "  { kind = \"csu\"; count = 2; names = [\"North CSU\", \"South CSU\"]; conduit = \"placement\";\n"
    "    capacity = 20.0; skill = { dist = \"beta\"; a = 5; b = 3; }; context_fit = 0.9;\n"
    "    fee = 7000; transfer = 0.2; turnover = 0.02; push = 0.5; },\n"
    "  { kind = \"commercial\"; count = 3; prefix = \"Big\"; conduit = \"product\";\n"
    "    fee = { dist = \"list\"; values = [9000.0, 10000.0, 11000.0]; }; turnover = 0.035; },\n"
    "  { kind = \"freelance\"; conduit = \"advisory\"; }\n"
    ");\n"
    "timeline = (\n"
    "  { month = 36; type = \"reorganisation\"; staff_loss = 0.4; merge = 2; },\n"
    "  { month = 40; type = \"policy\"; key = \"policy.tender_pressure\"; value = 1; },\n"
    "  { month = 12; type = \"directive\"; service = \"stroke\"; share = 1.0; },\n"
    "  { month = 50; type = \"demand_shock\"; service = \"hips\"; factor = 1.3; },\n"
    "  { type = \"externalise_analytics\"; month = 36; share = 0.25; },\n"
    "  { type = \"priority_shift\"; month = 20; clarity_loss = 0.1; },\n"
    "  { month = 12; type = \"policy\"; key = \"policy.payment_type\"; value = \"outcome\"; },\n"
    "  { month = 12; type = \"policy\"; key = \"policy.open_market\"; value = false; },\n"
    "  { month = 0; type = \"reorganisation\"; split_share = 0.5; rupture = 0.1; },\n"
    "  { month = 59; type = \"directive\"; },\n"
    "  { month = 12; type = \"demand_shock\"; }\n"
    ");\n";

/* All stored messages joined, for failure reports. */
static const char *dump(const qm_errors *e)
{
    static char buf[QM_ERR_MAX * (QM_ERR_LEN + 1) + 1];
    buf[0] = '\0';
    for (int i = 0; i < e->n && i < QM_ERR_MAX; i++) {
        strcat(buf, e->msg[i]);
        strcat(buf, "\n");
    }
    return buf;
}

static int has(const qm_errors *e, const char *sub)
{
    for (int i = 0; i < e->n && i < QM_ERR_MAX; i++)
        if (strstr(e->msg[i], sub))
            return 1;
    return 0;
}

#define ck_has(e, sub) \
    ck_assert_msg(has(e, sub), "no problem contains \"%s\"; got %d:\n%s", sub, (e)->n, dump(e))

static int is_zero(const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        if (c[i])
            return 0;
    return 1;
}

/* Loads text that must fail; checks *out was left empty. */
static void bad(const char *text, qm_errors *e)
{
    qm_scenario s;
    memset(&s, 0xab, sizeof s);     /* must be zeroed by the load */
    int rc = qm_scenario_load_text(text, "t.cfg", NULL, 0, &s, e);
    ck_assert_int_gt(rc, 0);
    ck_assert_int_eq(rc, e->n);
    ck_assert_msg(is_zero(&s, sizeof s), "scenario not left empty on failure");
}

static void good(const char *text, qm_scenario *s)
{
    qm_errors e;
    int rc = qm_scenario_load_text(text, "t.cfg", NULL, 0, s, &e);
    ck_assert_msg(rc == 0, "load failed:\n%s", dump(&e));
}

/* Loads MINIMAL with overrides; returns the load's result. */
static int with_sets(const char *text, const char *const *sets, int n, qm_scenario *s,
                     qm_errors *e)
{
    return qm_scenario_load_text(text, "t.cfg", sets, n, s, e);
}

static int dist_eq(const qm_dist *a, const qm_dist *b)
{
    if (a->kind != b->kind || a->a != b->a || a->b != b->b || a->n != b->n)
        return 0;
    return a->n == 0 || memcmp(a->values, b->values, (size_t)a->n * sizeof *a->values) == 0;
}

static void fields_eq(const qm_param_def *table, const void *x, const void *y, const char *what)
{
    for (const qm_param_def *d = table; d->path; d++) {
        const char *a = (const char *)x + d->offset, *b = (const char *)y + d->offset;
        int same;
        switch (d->type) {
        case QM_T_DOUBLE: same = *(const double *)a == *(const double *)b; break;
        case QM_T_STRING: same = strcmp(a, b) == 0; break;
        case QM_T_DIST: same = dist_eq((const qm_dist *)a, (const qm_dist *)b); break;
        default: same = *(const int *)a == *(const int *)b; break;
        }
        ck_assert_msg(same, "%s.%s differs after the round trip", what, d->path);
    }
}

static void pgroup_eq(const qm_provider_group *a, const qm_provider_group *b, const char *what)
{
    fields_eq(qm_pgroup_fields, a, b, what);
    ck_assert_int_eq(a->n_names, b->n_names);
    if (a->n_names)
        ck_assert_mem_eq(a->names, b->names, (size_t)a->n_names * QM_NAME_MAX);
    ck_assert_int_eq(a->n_services, b->n_services);
    if (a->n_services)
        ck_assert_mem_eq(a->services, b->services, (size_t)a->n_services * sizeof(int));
}

/* Everything but the source and the line numbers must match. */
static void scenario_eq(const qm_scenario *a, const qm_scenario *b)
{
    ck_assert_str_eq(a->name, b->name);
    ck_assert_str_eq(a->description, b->description);
    ck_assert_uint_eq(a->seed, b->seed);
    ck_assert_int_eq(a->months, b->months);
    ck_assert_int_eq(a->start_month, b->start_month);
    ck_assert_int_eq(a->neighbours, b->neighbours);
    ck_assert_msg(memcmp(&a->p, &b->p, sizeof a->p) == 0, "parameters differ");
    ck_assert_int_eq(a->n_services, b->n_services);
    for (int i = 0; i < a->n_services; i++)
        fields_eq(qm_service_fields, &a->services[i], &b->services[i], "services");
    ck_assert_int_eq(a->n_cgroups, b->n_cgroups);
    for (int i = 0; i < a->n_cgroups; i++) {
        const qm_commissioner_group *x = &a->cgroups[i], *y = &b->cgroups[i];
        fields_eq(qm_cgroup_fields, x, y, "commissioners");
        ck_assert_int_eq(x->n_names, y->n_names);
        if (x->n_names)
            ck_assert_mem_eq(x->names, y->names, (size_t)x->n_names * QM_NAME_MAX);
    }
    ck_assert_int_eq(a->n_pgroups, b->n_pgroups);
    for (int i = 0; i < a->n_pgroups; i++)
        pgroup_eq(&a->pgroups[i], &b->pgroups[i], "providers");
    pgroup_eq(&a->entrant, &b->entrant, "entrant");
    ck_assert_int_eq(a->n_agroups, b->n_agroups);
    for (int i = 0; i < a->n_agroups; i++) {
        const qm_agency_group *x = &a->agroups[i], *y = &b->agroups[i];
        fields_eq(qm_agroup_fields, x, y, "agencies");
        ck_assert_int_eq(x->n_names, y->n_names);
        if (x->n_names)
            ck_assert_mem_eq(x->names, y->names, (size_t)x->n_names * QM_NAME_MAX);
    }
    ck_assert_int_eq(a->n_timeline, b->n_timeline);
    for (int i = 0; i < a->n_timeline; i++) {
        fields_eq(qm_timeline_fields, &a->timeline[i], &b->timeline[i], "timeline");
        ck_assert_int_eq(a->timeline[i].service, b->timeline[i].service);
    }
}

/* load -> resolved text -> load must give the same scenario, and writing
 * that one again must give the same text. */
static void round_trip(const qm_scenario *a)
{
    qm_scenario b, c;
    char *t1 = qm_scenario_resolved_text(a);
    ck_assert_ptr_nonnull(t1);
    qm_errors e;
    int rc = qm_scenario_load_text(t1, "resolved", NULL, 0, &b, &e);
    ck_assert_msg(rc == 0, "resolved text does not load:\n%s\n---\n%s", dump(&e), t1);
    scenario_eq(a, &b);
    char *t2 = qm_scenario_resolved_text(&b);
    ck_assert_int_eq(qm_scenario_load_text(t2, "resolved", NULL, 0, &c, &e), 0);
    char *t3 = qm_scenario_resolved_text(&c);
    ck_assert_str_eq(t2, t3);
    free(t1);
    free(t2);
    free(t3);
    qm_scenario_free(&b);
    qm_scenario_free(&c);
}

/* ---- Loading valid scenarios. ---- */

START_TEST(defaults_applied)
{
    qm_scenario s;
    qm_params p;
    good(MINIMAL, &s);
    memset(&p, 0, sizeof p);
    qm_params_defaults(qm_param_table, &p);
    ck_assert_msg(memcmp(&p, &s.p, sizeof p) == 0, "parameters are not the defaults");
    ck_assert_str_eq(s.name, "t");
    ck_assert_str_eq(s.description, "");
    ck_assert_uint_eq(s.seed, 1);
    ck_assert_int_eq(s.months, 120);
    ck_assert_int_eq(s.start_month, 4);
    ck_assert_int_eq(s.neighbours, QM_NB_RING);

    ck_assert_int_eq(s.n_services, 1);
    qm_service_spec sv;
    memset(&sv, 0, sizeof sv);
    qm_params_defaults(qm_service_fields, &sv);
    strcpy(sv.name, "a");
    sv.line = s.services[0].line;
    ck_assert_int_eq(sv.line, 2);
    ck_assert_msg(memcmp(&sv, &s.services[0], sizeof sv) == 0, "service defaults differ");

    ck_assert_int_eq(s.n_cgroups, 1);
    const qm_commissioner_group *cg = &s.cgroups[0];
    ck_assert_str_eq(cg->prefix, "Commissioner");
    ck_assert_int_eq(cg->count, 2);
    ck_assert_int_eq(cg->n_names, 0);
    ck_assert_ptr_null(cg->names);
    const qm_param_def *d = qm_params_find(qm_cgroup_fields, "population");
    ck_assert_int_eq(cg->population.kind, QM_DIST_CONST);
    ck_assert_double_eq(cg->population.a, d->def);

    const qm_provider_group *pg = &s.pgroups[0];
    ck_assert_str_eq(pg->prefix, "nhs_acute");
    ck_assert_int_eq(pg->kind, QM_PK_NHS_ACUTE);
    ck_assert_int_eq(pg->n_services, 0);
    ck_assert_ptr_null(pg->services);
    ck_assert_double_eq(pg->quality.a, qm_params_find(qm_pgroup_fields, "quality")->def);

    ck_assert_int_eq(s.entrant.kind, QM_PK_INDEPENDENT);
    ck_assert_int_eq(s.entrant.count, 0);
    ck_assert_str_eq(s.entrant.prefix, "Entrant");
    ck_assert_double_eq(s.entrant.capacity.a, qm_params_find(qm_pgroup_fields, "capacity")->def);

    /* agencies and the timeline are optional: none */
    ck_assert_int_eq(s.n_agroups, 0);
    ck_assert_ptr_null(s.agroups);
    ck_assert_int_eq(s.n_timeline, 0);
    ck_assert_ptr_null(s.timeline);

    ck_assert_str_eq(s.source_name, "t.cfg");
    ck_assert_str_eq(s.source_text, MINIMAL);
    qm_scenario_free(&s);
    ck_assert_msg(is_zero(&s, sizeof s), "qm_scenario_free leaves the struct zeroed");
    qm_scenario_free(&s);               /* and is safe twice */
}
END_TEST

START_TEST(values_read)
{
    qm_scenario s;
    good(rich, &s);
    ck_assert_str_eq(s.name, "rich \"quoted\" \\ name");
    ck_assert_str_eq(s.description, "line one\nline two\ttab");
    ck_assert_uint_eq(s.seed, 12345678901ULL);
    ck_assert_int_eq(s.months, 60);
    ck_assert_int_eq(s.start_month, 1);
    ck_assert_int_eq(s.neighbours, QM_NB_NONE);
    ck_assert_int_eq(s.p.contract.term, 24);
    ck_assert_double_eq(s.p.contract.monitoring, 1.0);   /* an integer for a real */
    ck_assert_int_eq(s.p.contract.initial_rule, QM_INIT_RANDOM);
    ck_assert_double_eq(s.p.trust.forgetting, 0.9);
    ck_assert_double_eq(s.p.trust.prior[QM_PK_INDEPENDENT], 0.3);
    ck_assert_int_eq(s.p.policy.open_market, 1);
    ck_assert_int_eq(s.p.policy.payment_type, QM_PAY_ACTIVITY + 1);
    ck_assert_int_eq(s.p.output.panels, 0);

    ck_assert_int_eq(s.n_services, 3);
    ck_assert_str_eq(s.services[1].name, "stroke");
    ck_assert_double_eq(s.services[1].tariff, 12000.0);
    ck_assert_int_eq(s.services[1].payment, QM_PAY_OUTCOME);
    ck_assert_double_eq(s.services[0].scarcity, 0.3);
    ck_assert_int_eq(s.services[0].line, 12);

    const qm_commissioner_group *g = &s.cgroups[0];
    ck_assert_int_eq(g->line, 18);
    ck_assert_str_eq(g->prefix, "PCT");
    ck_assert_int_eq(g->n_names, 3);
    ck_assert_str_eq(g->names[2], "East \"E\"");
    ck_assert_int_eq(g->population.kind, QM_DIST_UNIFORM);
    ck_assert_double_eq(g->population.a, 160000.0);
    ck_assert_double_eq(g->population.b, 525000.0);
    ck_assert_int_eq(g->analytic.kind, QM_DIST_LIST);
    ck_assert_int_eq(g->analytic.n, 3);
    ck_assert_double_eq(g->analytic.values[2], 0.1 + 0.2);
    ck_assert_int_eq(g->market_orientation.kind, QM_DIST_BETA);
    ck_assert_double_eq(g->market_orientation.b, 5.0);
    ck_assert_int_eq(g->contracting_staff.kind, QM_DIST_NORMAL);
    ck_assert_double_eq(g->contracting_staff.b, 1.5);
    ck_assert_int_eq(g->budget_per_capita.kind, QM_DIST_LOGNORMAL);
    ck_assert_double_eq(g->budget_per_capita.a, 120.0);
    ck_assert_int_eq(g->receptivity.kind, QM_DIST_CONST);
    ck_assert_double_eq(g->receptivity.a, 0.45);
    ck_assert_str_eq(s.cgroups[1].prefix, "CCG");

    const qm_provider_group *p = &s.pgroups[1];
    ck_assert_int_eq(p->kind, QM_PK_INDEPENDENT);
    ck_assert_int_eq(p->n_services, 2);
    ck_assert_int_eq(p->services[0], 2);                /* hips */
    ck_assert_int_eq(p->services[1], 0);                /* diabetes */
    ck_assert_double_eq(p->markup.a, -0.1);
    ck_assert_str_eq(s.pgroups[0].names[1], "Royal");
    ck_assert_str_eq(s.entrant.prefix, "New");
    ck_assert_int_eq(s.entrant.quality.kind, QM_DIST_NORMAL);
    qm_scenario_free(&s);
}
END_TEST

START_TEST(builtin_baseline)
{
    qm_scenario s;
    qm_errors e;
    int rc = qm_scenario_load(NULL, NULL, 0, &s, &e);
    ck_assert_msg(rc == 0, "the built-in baseline does not load:\n%s", dump(&e));
    ck_assert_str_eq(s.source_name, "builtin:baseline");
    ck_assert_str_eq(s.source_text, qm_builtin_baseline);
    round_trip(&s);
    qm_scenario_free(&s);
}
END_TEST

START_TEST(agencies_and_timeline_read)
{
    qm_scenario s;
    good(rich, &s);
    ck_assert_int_eq(s.n_agroups, 3);
    const qm_agency_group *a = &s.agroups[0];
    ck_assert_int_eq(a->line, 34);
    ck_assert_int_eq(a->kind, QM_AK_CSU);
    ck_assert_str_eq(a->prefix, "csu");                 /* the kind by default */
    ck_assert_int_eq(a->count, 2);
    ck_assert_int_eq(a->n_names, 2);
    ck_assert_str_eq(a->names[1], "South CSU");
    ck_assert_int_eq(a->conduit, QM_CONDUIT_PLACEMENT);
    ck_assert_double_eq(a->capacity.a, 20.0);
    ck_assert_int_eq(a->skill.kind, QM_DIST_BETA);
    ck_assert_double_eq(a->skill.b, 3.0);
    ck_assert_double_eq(a->context_fit.a, 0.9);
    ck_assert_double_eq(a->fee.a, 7000.0);
    ck_assert_double_eq(a->transfer.a, 0.2);
    ck_assert_double_eq(a->turnover.a, 0.02);
    ck_assert_double_eq(a->push.a, 0.5);
    a = &s.agroups[1];
    ck_assert_int_eq(a->kind, QM_AK_COMMERCIAL);
    ck_assert_str_eq(a->prefix, "Big");
    ck_assert_int_eq(a->conduit, QM_CONDUIT_PRODUCT);
    ck_assert_int_eq(a->fee.kind, QM_DIST_LIST);
    ck_assert_int_eq(a->fee.n, 3);
    ck_assert_double_eq(a->fee.values[2], 11000.0);
    ck_assert_int_eq(a->n_names, 0);
    ck_assert_ptr_null(a->names);
    a = &s.agroups[2];                                  /* defaults from the table */
    ck_assert_int_eq(a->kind, QM_AK_FREELANCE);
    ck_assert_str_eq(a->prefix, "freelance");
    ck_assert_int_eq(a->count, 1);
    ck_assert_int_eq(a->conduit, QM_CONDUIT_ADVISORY);
    ck_assert_double_eq(a->skill.a, qm_params_find(qm_agroup_fields, "skill")->def);
    ck_assert_double_eq(a->fee.a, qm_params_find(qm_agroup_fields, "fee")->def);

    /* Sorted by month; ties keep file order (file index in the comments). */
    static const struct { int month, type, line; } want[] = {
        {0, QM_TL_REORGANISATION, 50},                  /* 8 */
        {12, QM_TL_DIRECTIVE, 44},                      /* 2 */
        {12, QM_TL_POLICY, 48},                         /* 6 */
        {12, QM_TL_POLICY, 49},                         /* 7 */
        {12, QM_TL_DEMAND_SHOCK, 52},                   /* 10 */
        {20, QM_TL_PRIORITY_SHIFT, 47},                 /* 5 */
        {36, QM_TL_REORGANISATION, 42},                 /* 0 */
        {36, QM_TL_EXTERNALISE, 46},                    /* 4 */
        {40, QM_TL_POLICY, 43},                         /* 1 */
        {50, QM_TL_DEMAND_SHOCK, 45},                   /* 3 */
        {59, QM_TL_DIRECTIVE, 51},                      /* 9 */
    };
    ck_assert_int_eq(s.n_timeline, 11);
    for (int i = 0; i < 11; i++) {
        ck_assert_int_eq(s.timeline[i].month, want[i].month);
        ck_assert_int_eq(s.timeline[i].type, want[i].type);
        ck_assert_int_eq(s.timeline[i].line, want[i].line);
    }
    const qm_timeline_event *t = s.timeline;
    /* a split: the rest of the reorganisation from the table */
    ck_assert_double_eq(t[0].split_share, 0.5);
    ck_assert_double_eq(t[0].rupture, 0.1);
    ck_assert_int_eq(t[0].merge, 1);
    ck_assert_double_eq(t[0].staff_loss, 0.33);
    ck_assert_double_eq(t[0].knowledge_loss, qm_params_find(qm_timeline_fields, "knowledge_loss")->def);
    ck_assert_double_eq(t[0].setback, qm_params_find(qm_timeline_fields, "setback")->def);
    ck_assert_int_eq(t[0].service, -1);
    /* a directive for stroke (services[1]) */
    ck_assert_int_eq(t[1].service, 1);
    ck_assert_str_eq(t[1].key, "stroke");
    ck_assert_double_eq(t[1].share, 1.0);
    /* policy values in their own types */
    ck_assert_str_eq(t[2].key, "policy.payment_type");
    ck_assert_double_eq(t[2].value, QM_PAY_OUTCOME + 1);
    ck_assert_int_eq(t[2].service, -1);
    ck_assert_str_eq(t[3].key, "policy.open_market");
    ck_assert_double_eq(t[3].value, 0.0);
    ck_assert_str_eq(t[8].key, "policy.tender_pressure");
    ck_assert_double_eq(t[8].value, 1.0);               /* an integer for a real */
    /* a demand shock for every service, with the default factor */
    ck_assert_int_eq(t[4].service, -1);
    ck_assert_str_eq(t[4].key, "");
    ck_assert_double_eq(t[4].factor, qm_params_find(qm_timeline_fields, "factor")->def);
    ck_assert_double_eq(t[5].clarity_loss, 0.1);
    ck_assert_int_eq(t[6].merge, 2);
    ck_assert_double_eq(t[6].staff_loss, 0.4);
    ck_assert_double_eq(t[6].split_share, 0.0);
    ck_assert_double_eq(t[7].share, 0.25);
    ck_assert_int_eq(t[7].service, -1);
    ck_assert_int_eq(t[9].service, 2);                  /* hips */
    ck_assert_double_eq(t[9].factor, 1.3);
    ck_assert_int_eq(t[10].service, -1);                /* every service */
    ck_assert_double_eq(t[10].share, qm_params_find(qm_timeline_fields, "share")->def);
    qm_scenario_free(&s);

    /* Empty lists are the same as none. */
    good(MINIMAL "agencies = ();\ntimeline = [];\n", &s);
    ck_assert_int_eq(s.n_agroups, 0);
    ck_assert_ptr_null(s.agroups);
    ck_assert_int_eq(s.n_timeline, 0);
    ck_assert_ptr_null(s.timeline);
    round_trip(&s);
    qm_scenario_free(&s);

    /* Every policy parameter can be set by an event, and the last month
     * of the run takes an event. */
    good(MINIMAL "months = 24;\ntimeline = (\n"
         "  { month = 23; type = \"policy\"; key = \"policy.tender_mandate\"; value = 0.5; },\n"
         "  { month = 0; type = \"policy\"; key = \"policy.transfer_clause\"; value = true; },\n"
         "  { month = 1; type = \"policy\"; key = \"policy.ig_strictness\"; value = 0; },\n"
         "  { month = 2; type = \"policy\"; key = \"policy.payment_type\"; value = \"keep\"; } );\n",
         &s);
    ck_assert_int_eq(s.n_timeline, 4);
    ck_assert_double_eq(s.timeline[0].value, 1.0);
    ck_assert_double_eq(s.timeline[1].value, 0.0);
    ck_assert_double_eq(s.timeline[2].value, 0.0);
    ck_assert_int_eq(s.timeline[3].month, 23);
    ck_assert_double_eq(s.timeline[3].value, 0.5);
    round_trip(&s);
    qm_scenario_free(&s);
}
END_TEST

START_TEST(load_file)
{
    char path[] = "/tmp/qmsim_test_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs(MINIMAL "months = 0;\n", f);
    fclose(f);
    qm_scenario s;
    qm_errors e;
    ck_assert_int_eq(qm_scenario_load(path, NULL, 0, &s, &e), 1);
    char want[128];
    snprintf(want, sizeof want, "%s:5: months = 0 is out of range [1, 6000]", path);
    ck_assert_str_eq(e.msg[0], want);
    const char *set[] = {"months=7"};
    ck_assert_int_eq(qm_scenario_load(path, set, 1, &s, &e), 0);
    ck_assert_str_eq(s.source_name, path);
    ck_assert_int_eq(s.months, 7);
    qm_scenario_free(&s);
    remove(path);
}
END_TEST

/* ---- Error classes, each with its line. ---- */

START_TEST(err_missing_file)
{
    qm_scenario s;
    qm_errors e;
    ck_assert_int_eq(qm_scenario_load("/nonexistent/dir/x.cfg", NULL, 0, &s, &e), 1);
    ck_assert_str_eq(e.msg[0], "/nonexistent/dir/x.cfg: cannot read: No such file or directory");
    ck_assert_int_eq(qm_scenario_load("/tmp", NULL, 0, &s, &e), 1);
    ck_has(&e, "/tmp: cannot read: ");
}
END_TEST

START_TEST(err_syntax)
{
    qm_errors e;
    bad("name = \"x\";\nservices = (\n  { name = \"a\" \n);\n", &e);
    ck_assert_int_eq(e.n, 1);
    /* libconfig's "syntax error" is said once, with the line that holds it */
    ck_assert_str_eq(e.msg[0], "t.cfg:4: syntax error in `);`");
    bad("a = 1;\na = 2;\n", &e);
    ck_has(&e, "t.cfg:2: syntax error in `a = 2;` (duplicate setting name)");
    bad("x = [1, 2.5];\n", &e);
    ck_has(&e, "t.cfg:1: syntax error in `x = [1, 2.5];` (mismatched element type in array)");
    bad("name = \"x\";\nmonths = nan;\n", &e);
    ck_has(&e, "t.cfg:2: syntax error in `months = nan;` (nan and inf are not numbers a file "
               "can give: write a finite number)");
    /* A byte-order mark (Windows Notepad's UTF-8) is not part of the text;
     * CRLF line ends are taken as they were. */
    bad("\xEF\xBB\xBFname = \"x\";\r\nmonths = 12 12;\r\n", &e);
    ck_has(&e, "t.cfg:2: syntax error in `months = 12 12;`");
    bad("\xEF\xBB\xBF", &e);
    ck_has(&e, "t.cfg: missing required key 'name'");
    bad("", &e);                        /* empty: parses, lacks everything */
    ck_has(&e, "t.cfg: missing required key 'name'");
    ck_has(&e, "t.cfg: missing required key 'services'");
    ck_has(&e, "t.cfg: missing required key 'commissioners'");
    ck_has(&e, "t.cfg: missing required key 'providers'");
    bad("@include \"other.cfg\"\n" MINIMAL, &e);
    ck_has(&e, "t.cfg:1: @include is not supported");
    /* Strings where libconfig's grammar cannot take one (libconfig 1.5
     * would leak them, so they are caught before it parses). */
    bad(MINIMAL "trust = { \"forgetting\" = 0.5; };\n", &e);
    ck_assert_str_eq(e.msg[0], "t.cfg:5: syntax error: unexpected string");
    bad("a = ( 1\n\"x\" );\n", &e);
    ck_assert_str_eq(e.msg[0], "t.cfg:2: syntax error: unexpected string");
    bad("a = ( { b = 1; } \"x\" );\n", &e);
    ck_assert_str_eq(e.msg[0], "t.cfg:1: syntax error: unexpected string");
    bad("a \"x\";\n", &e);
    ck_assert_str_eq(e.msg[0], "t.cfg:1: syntax error: unexpected string");
    bad("a = (1, 2, );\n", &e);       /* libconfig 1.5: no trailing commas */
    ck_assert_str_eq(e.msg[0], "t.cfg:1: syntax error in `a = (1, 2, );`");
}
END_TEST

START_TEST(err_unknown_keys)
{
    qm_errors e;
    bad(MINIMAL
        "contract = { term = 36;\n"
        "  trm = 36; };\n"
        "trust = { sigma0 = 0.1; xyzzy = 1; };\n"
        "term = 3;\n"
        "seeed = 4;\n"
        "entrant = { qualty = 0.5; kind = \"voluntary\"; };\n"
        "frobnicate = 1;\n", &e);
    ck_has(&e, "t.cfg:6: unknown key 'contract.trm' (did you mean 'contract.term'?)");
    ck_has(&e, "t.cfg:7: unknown key 'trust.sigma0' (did you mean 'monitoring.sigma0'?)");
    ck_has(&e, "t.cfg:7: unknown key 'trust.xyzzy' (valid keys in trust are: evidence_weight, ");
    ck_has(&e, "t.cfg:8: unknown key 'term' (did you mean 'contract.term'?)");
    ck_has(&e, "t.cfg:9: unknown key 'seeed' (did you mean 'seed'?)");
    ck_has(&e, "t.cfg:10: unknown key 'entrant.qualty' (did you mean 'entrant.quality'?)");
    ck_has(&e, "t.cfg:10: entrant.kind cannot be set");
    ck_has(&e, "t.cfg:11: unknown key 'frobnicate' (valid keys are: name, description, seed, ");

    bad("name = \"t\";\n"
        "services = ( { name = \"a\";\n"
        "  tarif = 3; } );\n"
        "commissioners = ( { count = 2; nmes = [\"x\", \"y\"];\n"
        "  population = { dist = \"uniform\"; min = 1000; mx = 2000; }; } );\n"
        "providers = ( { cont = 1; } );\n", &e);
    ck_has(&e, "t.cfg:3: unknown key 'services[0].tarif' (did you mean 'services[0].tariff'?)");
    ck_has(&e, "t.cfg:4: unknown key 'commissioners[0].nmes' (did you mean 'commissioners[0].names'?)");
    ck_has(&e, "t.cfg:5: unknown key 'commissioners[0].population.mx' for a uniform "
               "distribution (did you mean 'commissioners[0].population.max'?)");
    ck_has(&e, "t.cfg:5: commissioners[0].population: a uniform distribution needs min and max");
    ck_has(&e, "t.cfg:6: unknown key 'providers[0].cont' (did you mean 'providers[0].count'?)");
}
END_TEST

START_TEST(err_group_shapes)
{
    /* Every kind of group says which keys it expects when it is not a
     * group, and the entrant, which has no count and no structural keys,
     * refuses them in the file and through --set alike. */
    static const char *const sets[] = {"entrant.services=a"};
    qm_errors e;
    bad("name = \"t\";\n"
        "services = ( { name = \"a\"; }, 1 );\n"
        "commissioners = ( { count = 2; }, \"x\" );\n"
        "providers = ( { count = 1; }, [1] );\n"
        "agencies = ( true );\n"
        "entrant = 2;\n"
        "timeline = ( 3 );\n"
        "trust = 4;\n", &e);
    ck_assert_int_eq(e.n, 7);
    ck_has(&e, "t.cfg:2: services[1]: expected a group { name = ...; ... }, got an integer");
    ck_has(&e, "t.cfg:3: commissioners[1]: expected a group { count = ...; ... }, got a string");
    ck_has(&e, "t.cfg:4: providers[1]: expected a group { kind = ...; count = ...; ... }, "
               "got an array");
    ck_has(&e, "t.cfg:5: agencies[0]: expected a group { kind = ...; count = ...; ... }, "
               "got a boolean");
    ck_has(&e, "t.cfg:6: entrant: expected a group { key = value; ... }, got an integer");
    ck_has(&e, "t.cfg:7: timeline[0]: expected a group { month = ...; type = ...; ... }, "
               "got an integer");
    ck_has(&e, "t.cfg:8: trust: expected a group { key = value; ... }, got an integer");

    qm_scenario s;
    ck_assert_int_gt(with_sets(MINIMAL "entrant = { names = [\"x\"];\n"
                               "  capacity = { dist = \"list\"; values = [1.0]; }; cont = 1; };\n",
                               sets, 1, &s, &e), 0);
    ck_assert_int_eq(e.n, 4);
    ck_has(&e, "--set: entrant.services cannot be set: entrants are independent providers, "
               "their number is limited by market.max_entrants and they choose their own "
               "services");
    ck_has(&e, "t.cfg:5: entrant.names cannot be set: entrants are independent providers, "
               "their number is limited by market.max_entrants and they choose their own "
               "services");
    ck_has(&e, "t.cfg:6: entrant.capacity: a list distribution needs the group's count, and "
               "there is none here");
    ck_has(&e, "t.cfg:6: unknown key 'entrant.cont' (valid keys are: prefix, capacity, "
               "quality, cost_position, markup, optimism, sharing)");
}
END_TEST

START_TEST(err_range)
{
    qm_errors e;
    bad(MINIMAL
        "trust = { forgetting = 1.5; };\n"
        "contract = { term = 0; };\n"
        "months = 6001;\n"
        "seed = -1;\n"
        "market = { entry_rate = 1e999; };\n", &e);
    ck_has(&e, "t.cfg:5: trust.forgetting = 1.5 is out of range [0, 1]");
    ck_has(&e, "t.cfg:6: contract.term = 0 is out of range [1, 240]");
    ck_has(&e, "t.cfg:7: months = 6001 is out of range [1, 6000]");
    ck_has(&e, "t.cfg:8: seed = -1 is out of range [0, ");
    ck_has(&e, "t.cfg:9: market.entry_rate = inf is not a finite number");
    bad("name = \"t\";\n"
        "services = ( { name = \"a\"; },\n"
        "  { name = \"b\"; tariff = 0; } );\n"
        "commissioners = ( { count = 2; } );\n"
        "providers = ( { count = 1; },\n"
        "  { prefix = \"P\";\n"
        "    quality = 1.2; } );\n", &e);
    ck_has(&e, "t.cfg:3: services[1].tariff = 0 is out of range [0.01, 1000000000]");
    ck_has(&e, "t.cfg:7: providers[1].quality = 1.2 is out of range [0, 1]");
}
END_TEST

START_TEST(err_type)
{
    qm_errors e;
    bad(MINIMAL
        "contract = { term = \"long\"; monitoring = \"high\"; };\n"
        "contract2 = 1;\n"
        "policy = { open_market = 1; };\n"
        "months = 12.5;\n"
        "trust = 3;\n"
        "name2 = \"x\";\n", &e);
    ck_has(&e, "t.cfg:5: contract.term: expected an integer, got a string");
    ck_has(&e, "t.cfg:5: contract.monitoring: expected a number, got a string");
    ck_has(&e, "t.cfg:7: policy.open_market: expected true or false, got an integer");
    ck_has(&e, "t.cfg:8: months: expected an integer, got a real number");
    ck_has(&e, "t.cfg:9: trust: expected a group { key = value; ... }, got an integer");
    bad("name = 5;\n"
        "services = { name = \"a\"; };\n"
        "commissioners = ( 5 );\n"
        "providers = ( { capacity = \"big\"; services = \"a\"; names = 3; } );\n", &e);
    ck_has(&e, "t.cfg:1: name: expected a string, got an integer");
    ck_has(&e, "t.cfg:2: services: expected a list ( { ... }, ... ) of service lines, got a group");
    ck_has(&e, "t.cfg:3: commissioners[0]: expected a group { count = ...; ... }, got an integer");
    ck_has(&e, "t.cfg:4: providers[0].capacity: expected a number or a distribution group");
    ck_has(&e, "t.cfg:4: providers[0].services: expected an array");
    ck_has(&e, "t.cfg:4: providers[0].names: expected an array");
}
END_TEST

START_TEST(err_enum)
{
    qm_errors e;
    bad("name = \"t\";\n"
        "services = ( { name = \"a\"; },\n"
        "  { name = \"b\"; payment = \"blok\"; } );\n"
        "commissioners = ( { count = 2; } );\n"
        "providers = ( { kind = \"indpendent\"; } );\n"
        "neighbours = \"square\";\n"
        "policy = { payment_type = 3; };\n", &e);
    ck_has(&e, "t.cfg:3: services[1].payment = 'blok' is not one of block, activity, outcome "
               "(did you mean 'block'?)");
    ck_has(&e, "t.cfg:5: providers[0].kind = 'indpendent' is not one of nhs_acute, "
               "nhs_community, nhs_mental, independent, voluntary (did you mean 'independent'?)");
    ck_has(&e, "t.cfg:6: neighbours = 'square' is not one of ring, none");
    ck_has(&e, "t.cfg:7: policy.payment_type: expected a string (one of keep, block, activity, "
               "outcome), got an integer");
}
END_TEST

START_TEST(err_lengths)
{
    qm_errors e;
    bad("name = \"t\";\n"
        "services = ( { name = \"a\"; } );\n"
        "commissioners = ( { count = 10;\n"
        "  names = [\"A\", \"B\", \"C\"];\n"
        "  analytic = { dist = \"list\"; values = [0.1, 0.2]; }; } );\n"
        "providers = ( { count = 2; quality = { dist = \"list\";\n"
        "   values = [0.5, 1.5]; }; } );\n"
        "entrant = { quality = { dist = \"list\"; values = [0.5]; }; };\n", &e);
    ck_has(&e, "t.cfg:4: commissioners[0].names has 3 entries but count is 10");
    ck_has(&e, "t.cfg:5: commissioners[0].analytic.values has 2 entries but count is 10");
    ck_has(&e, "t.cfg:7: providers[0].quality.values[1] = 1.5 is out of range [0, 1]");
    ck_has(&e, "t.cfg:8: entrant.quality: a list distribution needs the group's count");
}
END_TEST

START_TEST(err_dists)
{
    qm_errors e;
    bad("name = \"t\";\n"
        "services = ( { name = \"a\"; } );\n"
        "commissioners = ( { count = 2;\n"
        "  population = { dist = \"uniform\"; min = 600000; max = 500000; };\n"
        "  analytic = { dist = \"normal\"; mean = 0.5; sd = -0.1; };\n"
        "  contextual = { dist = \"lognormal\"; mean = 0; sd = 0.1; };\n"
        "  development_staff = { dist = \"beta\"; a = 2; b = 2; }; },\n"
        "  { prefix = \"B\"; population = { dist = \"beta\"; a = 2; b = 2; };\n"
        "  procurement = { dist = \"beta\"; a = 0; b = 2; };\n"
        "  receptivity = { dist = \"gamma\"; };\n"
        "  risk_aversion = { min = 0; max = 1; };\n"
        "  market_orientation = { dist = \"normal\"; mean = 1.5; sd = 0.1; };\n"
        "} );\n"
        "providers = ( { count = 1; } );\n", &e);
    ck_has(&e, "t.cfg:4: commissioners[0].population: min (600000) exceeds max (500000)");
    ck_has(&e, "t.cfg:5: commissioners[0].analytic.sd = -0.1 must not be negative");
    ck_has(&e, "t.cfg:6: commissioners[0].contextual.mean = 0 must be positive for a lognormal");
    ck_assert_msg(!has(&e, "development_staff"), "beta fits [0, 10000]:\n%s", dump(&e));
    ck_has(&e, "t.cfg:8: commissioners[1].population: a beta distribution draws from "
               "[0, 1], which is not inside the range [1000, 100000000]");
    ck_has(&e, "t.cfg:9: commissioners[1].procurement.a = 0 must be positive");
    ck_has(&e, "t.cfg:10: commissioners[1].receptivity.dist = 'gamma' is not one of const, "
               "uniform, normal, lognormal, beta, list");
    ck_has(&e, "t.cfg:11: commissioners[1].risk_aversion: a distribution group needs dist = ");
    ck_has(&e, "t.cfg:12: commissioners[1].market_orientation.mean = 1.5 is out of range [0, 1]");
}
END_TEST

START_TEST(err_names)
{
    qm_errors e;
    bad("name = \"t\";\n"
        "services = ( { name = \"a\"; },\n"
        "  { name = \"a\"; } );\n"
        "commissioners = ( { prefix = \"PCT\"; count = 3; },\n"
        "  { count = 2; names = [\"North\",\n"
        "    \"PCT 2\"]; },\n"
        "  { count = 1; names = [\"North\"]; },\n"
        "  { prefix = \"PCT\"; count = 1; },\n"
        "  { count = 2; names = [\"PCT 4\", \"PCT 02\"]; } );\n"
        "providers = ( { count = 1; }, { count = 1; } );\n", &e);
    ck_has(&e, "t.cfg:3: services[1].name 'a' is already used by services[0]");
    ck_has(&e, "t.cfg:6: commissioners[1].names[1] 'PCT 2' is also a generated name of "
               "commissioners[0] (prefix 'PCT')");
    ck_has(&e, "t.cfg:7: commissioners[2].names[0] 'North' is also commissioners[1].names[0]");
    ck_has(&e, "t.cfg:8: commissioners[0] and commissioners[3] both generate names 'PCT 1'");
    ck_assert_msg(!has(&e, "PCT 4") && !has(&e, "PCT 02"), "false clash:\n%s", dump(&e));
    ck_has(&e, "t.cfg:10: providers[0] and providers[1] both generate names 'nhs_acute 1'");
    bad("name = \"t\";\n"
        "services = ( { name = \"\"; } );\n"
        "commissioners = ( { prefix = \"abcdefghijklmnopqrstuvwxyzabcdefghijklmn\"; count = 10000000; } );\n"
        "providers = ( { count = 1; names = [\"\"]; } );\n", &e);
    ck_has(&e, "t.cfg:2: services[0].name must not be empty");
    ck_has(&e, "t.cfg:3: commissioners[0].count = 10000000 is out of range [1, 100000]");
    ck_has(&e, "t.cfg:4: providers[0].names[0] must not be empty");
}
END_TEST

START_TEST(err_offer)
{
    qm_errors e;
    bad("name = \"t\";\n"
        "services = ( { name = \"stroke\"; }, { name = \"diabetes\"; } );\n"
        "commissioners = ( { count = 2; } );\n"
        "providers = ( { count = 1;\n"
        "  services = [\"strok\", \"diabetes\", \"diabetes\", \"renal\"]; },\n"
        "  { prefix = \"X\"; services = []; } );\n", &e);
    ck_has(&e, "t.cfg:5: providers[0].services[0] = 'strok' is not a service (did you mean 'stroke'?)");
    ck_has(&e, "t.cfg:5: providers[0].services: service 'diabetes' is listed twice");
    ck_has(&e, "t.cfg:5: providers[0].services[3] = 'renal' is not a service");
    ck_has(&e, "t.cfg:6: providers[1].services is empty");
}
END_TEST

START_TEST(err_cross)
{
    qm_errors e;
    bad("name = \"t\";\n"
        "services = ( { name = \"a\";\n"
        "  cost_min = 1.2; cost_max = 1.0; } );\n"
        "commissioners = ( { count = 2; } );\n"
        "providers = ( { count = 1; } );\n"
        "monitoring = {\n"
        "  info_base = 0.6; info_analytic = 0.6; };\n", &e);
    ck_has(&e, "t.cfg:2: services[0]: cost_min (1.2) exceeds cost_max (1)");
    ck_has(&e, "t.cfg:7: monitoring.info_base + monitoring.info_analytic must not exceed 1");
}
END_TEST

START_TEST(err_agencies)
{
    qm_errors e;
    bad(MINIMAL
        "agencies = (\n"
        "  { kind = \"csuu\"; count = 2; names = [\"North\"]; },\n"
        "  { kind = \"commercial\"; conduit = \"placment\"; fe = 3; },\n"
        "  { kind = \"freelance\"; count = 2; names = [\"A\", \"B\"]; conduit = 2;\n"
        "    skill = 1.5; fee = { dist = \"list\"; values = [1.0]; }; },\n"
        "  { kind = \"public_health\"; count = 1; names = [\"A\"]; },\n"
        "  { prefix = \"commercial\"; count = 2; },\n"
        "  7\n"
        ");\n", &e);
    ck_has(&e, "t.cfg:6: agencies[0].kind = 'csuu' is not one of csu, commercial, "
               "not_for_profit, freelance, public_health (did you mean 'csu'?)");
    ck_has(&e, "t.cfg:6: agencies[0].names has 1 entries but count is 2");
    ck_has(&e, "t.cfg:7: agencies[1].conduit = 'placment' is not one of placement, product, "
               "advisory (did you mean 'placement'?)");
    ck_has(&e, "t.cfg:7: unknown key 'agencies[1].fe' (did you mean 'agencies[1].fee'?)");
    ck_has(&e, "t.cfg:8: agencies[2].conduit: expected a string (one of placement, product, "
               "advisory), got an integer");
    ck_has(&e, "t.cfg:9: agencies[2].skill = 1.5 is out of range [0, 1]");
    ck_has(&e, "t.cfg:9: agencies[2].fee.values has 1 entries but count is 2");
    ck_has(&e, "t.cfg:10: agencies[3].names[0] 'A' is also agencies[2].names[0]");
    ck_has(&e, "t.cfg:11: agencies[1] and agencies[4] both generate names 'commercial 1'");
    ck_has(&e, "t.cfg:12: agencies[5]: expected a group { kind = ...; count = ...; ... }, got "
               "an integer");

    /* Agencies are checked among themselves only, and sizes before allocating. */
    bad(MINIMAL
        "agencies = ( { count = 60000; }, { prefix = \"B\"; count = 60000; } );\n", &e);
    ck_assert_int_eq(e.n, 1);
    ck_has(&e, "t.cfg:5: agencies: 120000 agencies in total; at most 100000 are allowed");
    bad(MINIMAL "agencies = ( { count = 100001; } );\n", &e);
    ck_has(&e, "t.cfg:5: agencies[0].count = 100001 is out of range [1, 100000]");
    bad(MINIMAL "agencies = { kind = \"csu\"; };\n", &e);
    ck_has(&e, "t.cfg:5: agencies: expected a list ( { ... }, ... ) of agency groups, got a group");
    bad(MINIMAL "agencys = ();\n", &e);
    ck_has(&e, "t.cfg:5: unknown key 'agencys' (did you mean 'agencies'?)");
}
END_TEST

START_TEST(err_timeline)
{
    qm_errors e;
    bad("name = \"t\";\n"
        "months = 60;\n"
        "services = ( { name = \"diabetes\"; }, { name = \"dementia\"; } );\n"
        "commissioners = ( { count = 2; } );\n"
        "providers = ( { count = 1; } );\n"
        "timeline = (\n"
        "  { month = 36; type = \"reorganisation\"; merge = 2; split_share = 0.4; },\n"
        "  { month = 40; type = \"policy\"; key = \"policy.tender_pressure\"; value = 0.8; },\n"
        "  { month = 40; type = \"policy\"; key = \"policy.open_market\"; value = true;\n"
        "    merge = 2; service = \"diabetes\"; },\n"
        "  { month = 60; type = \"directive\"; service = \"diabets\"; },\n"
        "  { month = 50; type = \"demand_shock\"; service = \"renal\"; factr = 1.3; },\n"
        "  { month = 5; type = \"priority_shift\"; share = 0.5; clarity = 0.2; },\n"
        "  { type = \"externalize_analytics\"; month = 36; },\n"
        "  { month = 20; clarity_loss = 0.3; },\n"
        "  { type = \"priority_shift\"; },\n"
        "  { month = -1; type = \"reorganisation\"; merge = 0; split_share = 1.5; staff_loss = \"x\"; },\n"
        "  { month = 1; type = \"directive\"; service = \"\"; },\n"
        "  \"reorganisation\"\n"
        ");\n", &e);
    ck_has(&e, "t.cfg:7: timeline[0]: merge = 2 and split_share = 0.4 in one event: a "
               "reorganisation either merges or splits (use two events)");
    ck_assert_msg(!has(&e, "timeline[1]"), "a valid event reported:\n%s", dump(&e));
    ck_has(&e, "t.cfg:10: timeline[2]: 'merge' does not apply to a 'policy' event (it applies "
               "to: reorganisation)");
    ck_has(&e, "t.cfg:10: timeline[2]: 'service' does not apply to a 'policy' event (it "
               "applies to: directive, demand_shock)");
    ck_has(&e, "t.cfg:11: timeline[3].month = 60 is not before months = 60 (the run's last "
               "month is 59)");
    ck_has(&e, "t.cfg:11: timeline[3].service = 'diabets' is not a service (did you mean "
               "'diabetes'?)");
    ck_has(&e, "t.cfg:12: timeline[4].service = 'renal' is not a service");
    ck_has(&e, "t.cfg:12: unknown key 'timeline[4].factr' (did you mean 'timeline[4].factor'?)");
    ck_has(&e, "t.cfg:13: timeline[5]: 'share' does not apply to a 'priority_shift' event (it "
               "applies to: externalise_analytics, directive)");
    ck_has(&e, "t.cfg:13: unknown key 'timeline[5].clarity' (valid keys are: month, type, "
               "clarity_loss)");
    ck_has(&e, "t.cfg:14: timeline[6].type = 'externalize_analytics' is not one of "
               "reorganisation, externalise_analytics, policy, directive, priority_shift, "
               "demand_shock (did you mean 'externalise_analytics'?)");
    ck_has(&e, "t.cfg:15: timeline[7]: missing required key 'type' (one of reorganisation, ");
    ck_has(&e, "t.cfg:16: timeline[8]: missing required key 'month'");
    ck_has(&e, "t.cfg:17: timeline[9].month = -1 is out of range [0, 6000]");
    ck_has(&e, "t.cfg:17: timeline[9].merge = 0 is out of range [1, 1000]");
    ck_has(&e, "t.cfg:17: timeline[9].split_share = 1.5 is out of range [0, 1]");
    ck_has(&e, "t.cfg:17: timeline[9].staff_loss: expected a number, got a string");
    ck_has(&e, "t.cfg:18: timeline[10].service = '' is not a service");
    ck_has(&e, ": timeline[11]: expected a group { month = ...; type = ...; ... }, got a string");

    /* The horizon is the one after overrides: one shortened by --set drops
     * the later events (the caller warns); in the file they are an error.
     * An invalid months hides it. */
    static const char text[] =
        MINIMAL "timeline = ( { month = 30; type = \"priority_shift\"; } );\n";
    static const char in_file[] =
        MINIMAL "months = 30;\ntimeline = ( { month = 30; type = \"priority_shift\"; } );\n";
    const char *sets[] = {"months=30"};
    qm_scenario s;
    ck_assert_int_eq(qm_scenario_load_text(text, "t.cfg", sets, 1, &s, &e), 0);
    ck_assert_int_eq(s.n_timeline, 0);
    ck_assert_int_eq(s.n_dropped, 1);
    ck_assert_int_eq(s.first_dropped, 30);
    qm_scenario_free(&s);
    ck_assert_int_gt(qm_scenario_load_text(in_file, "t.cfg", NULL, 0, &s, &e), 0);
    ck_assert_int_eq(e.n, 1);
    ck_has(&e, "t.cfg:6: timeline[0].month = 30 is not before months = 30 (the run's last "
               "month is 29)");
    sets[0] = "months=31";
    ck_assert_int_eq(qm_scenario_load_text(text, "t.cfg", sets, 1, &s, &e), 0);
    qm_scenario_free(&s);
    sets[0] = "months=0";
    ck_assert_int_gt(qm_scenario_load_text(text, "t.cfg", sets, 1, &s, &e), 0);
    ck_assert_int_eq(e.n, 1);
    ck_has(&e, "--set: months = 0 is out of range [1, 6000]");

    /* An unknown key with nothing close lists the keys the type takes. */
    bad(MINIMAL "timeline = ( { month = 1; type = \"demand_shock\"; zzzzzz = 1; } );\n", &e);
    ck_has(&e, "t.cfg:5: unknown key 'timeline[0].zzzzzz' (valid keys are: month, type, "
               "service, factor)");
    /* Services are looked up only when the service list is sound. */
    bad("name = \"t\";\nservices = 3;\ncommissioners = ( { count = 1; } );\n"
        "providers = ( { count = 1; } );\n"
        "timeline = ( { month = 1; type = \"directive\"; service = \"a\"; } );\n", &e);
    ck_assert_int_eq(e.n, 1);
    ck_has(&e, "t.cfg:2: services: expected a list");
}
END_TEST

/* A policy event's value takes the type and range of the key it sets. */
START_TEST(err_policy_values)
{
    qm_errors e;
    bad(MINIMAL
        "timeline = (\n"
        "  { month = 1; type = \"policy\"; key = \"policy.tender_presure\"; value = 0.8; },\n"
        "  { month = 1; type = \"policy\"; key = \"tender_mandate\"; value = 0.8; },\n"
        "  { month = 1; type = \"policy\"; key = \"trust.forgetting\"; value = 0.8; },\n"
        "  { month = 1; type = \"policy\"; key = \"zzz\"; value = 0.8; },\n"
        "  { month = 1; type = \"policy\"; key = \"policy.open_market\"; value = 1; },\n"
        "  { month = 1; type = \"policy\"; key = \"policy.transfer_clause\"; value = \"true\"; },\n"
        "  { month = 1; type = \"policy\"; key = \"policy.payment_type\"; value = \"blok\"; },\n"
        "  { month = 1; type = \"policy\"; key = \"policy.payment_type\"; value = 2; },\n"
        "  { month = 1; type = \"policy\"; key = \"policy.tender_pressure\"; value = 1.5; },\n"
        "  { month = 1; type = \"policy\"; key = \"policy.tender_pressure\"; value = \"high\"; },\n"
        "  { month = 1; type = \"policy\"; key = \"policy.ig_strictness\"; value = -1; },\n"
        "  { month = 1; type = \"policy\"; key = \"policy.ig_strictness\"; value = 1e999; },\n"
        "  { month = 1; type = \"policy\"; key = \"policy.ig_strictness\"; },\n"
        "  { month = 1; type = \"policy\"; value = 0.5; },\n"
        "  { month = 1; type = \"policy\"; key = \"\"; value = 0.5; },\n"
        "  { month = 1; type = \"policy\"; key = \"policy.ig_strictness\"; value = 4294967297; }\n"
        ");\n", &e);
    ck_has(&e, "t.cfg:6: timeline[0].key = 'policy.tender_presure' is not a policy parameter "
               "(did you mean 'policy.tender_pressure'?)");
    ck_has(&e, "t.cfg:7: timeline[1].key = 'tender_mandate' is not a policy parameter (did you "
               "mean 'policy.tender_mandate'?)");
    ck_has(&e, "t.cfg:8: timeline[2].key = 'trust.forgetting' is not a policy parameter: a "
               "policy event sets one of policy.tender_pressure, policy.tender_mandate, ");
    ck_has(&e, "t.cfg:9: timeline[3].key = 'zzz' is not a policy parameter (valid keys are: "
               "policy.tender_pressure, ");
    ck_has(&e, "t.cfg:10: timeline[4].value: policy.open_market takes true or false, got an "
               "integer");
    ck_has(&e, "t.cfg:11: timeline[5].value: policy.transfer_clause takes true or false, got a "
               "string");
    ck_has(&e, "t.cfg:12: timeline[6].value = 'blok' is not a value of policy.payment_type (one "
               "of keep, block, activity, outcome; did you mean 'block'?)");
    ck_has(&e, "t.cfg:13: timeline[7].value: policy.payment_type takes a string (one of keep, "
               "block, activity, outcome), got an integer");
    ck_has(&e, "t.cfg:14: timeline[8].value = 1.5 is out of range for policy.tender_pressure, "
               "which takes a number in [0, 1]");
    ck_has(&e, "t.cfg:15: timeline[9].value: policy.tender_pressure takes a number in [0, 1], "
               "got a string");
    ck_has(&e, "t.cfg:16: timeline[10].value = -1 is out of range for policy.ig_strictness");
    ck_has(&e, "t.cfg:17: timeline[11].value = inf is not a finite number");
    ck_has(&e, "t.cfg:18: timeline[12]: a policy event needs value (the new value of its key)");
    ck_has(&e, "t.cfg:19: timeline[13]: a policy event needs key (the policy.* parameter it "
               "sets)");
    ck_has(&e, "t.cfg:20: timeline[14].key must not be empty");
    ck_has(&e, "t.cfg:21: integer 4294967297 does not fit in 32 bits");
    ck_assert_msg(!has(&e, "timeline[15]"), "a wrapped integer reported twice:\n%s", dump(&e));
    /* Without a valid key the value is not checked, so no second message. */
    ck_assert_msg(!has(&e, "timeline[0].value") && !has(&e, "timeline[3].value"),
                  "value checked against no key:\n%s", dump(&e));

    /* An integer policy parameter takes an integer in its range.  The
     * registry has none today; this runs for the first one added. */
    for (const qm_param_def *d = qm_param_table; d->path; d++) {
        if (strncmp(d->path, "policy.", 7) != 0 || d->type != QM_T_INT)
            continue;
        char t[1024], want[256];
        snprintf(t, sizeof t, MINIMAL "timeline = (\n"
                 "  { month = 1; type = \"policy\"; key = \"%s\"; value = 1.5; },\n"
                 "  { month = 1; type = \"policy\"; key = \"%s\"; value = %.0fL; } );\n",
                 d->path, d->path, d->max + 1);
        bad(t, &e);
        snprintf(want, sizeof want, "t.cfg:6: timeline[0].value: %s takes an integer in "
                 "[%.0f, %.0f], got a real number", d->path, d->min, d->max);
        ck_has(&e, want);
        snprintf(want, sizeof want, "t.cfg:7: timeline[1].value = %.0f is out of range for %s",
                 d->max + 1, d->path);
        ck_has(&e, want);
        break;
    }
}
END_TEST

/* The timeline's length is checked before anything is allocated. */
START_TEST(err_timeline_size)
{
    qm_errors e;
    size_t cap = 512 * 1024;
    char *t = malloc(cap);
    int n = snprintf(t, cap, MINIMAL "timeline = (");
    for (int i = 0; i < 10001; i++)
        n += snprintf(t + (size_t)n, cap - (size_t)n, "%s{month=%d;type=\"priority_shift\";}",
                      i ? "," : "", i % 100);
    snprintf(t + (size_t)n, cap - (size_t)n, ");\n");
    bad(t, &e);
    ck_assert_int_eq(e.n, 1);
    ck_has(&e, "t.cfg:5: timeline has 10001 entries; at most 10000 are allowed");
    /* 10000 events load, sorted stably. */
    char *last = strrchr(t, '{');
    strcpy(last - 1, ");\n");
    qm_scenario s;
    good(t, &s);
    ck_assert_int_eq(s.n_timeline, 10000);
    for (int i = 1; i < s.n_timeline; i++)
        ck_assert_int_le(s.timeline[i - 1].month, s.timeline[i].month);
    qm_scenario_free(&s);
    free(t);
}
END_TEST

/* Sizes are checked against the limits, never by allocating. */
START_TEST(err_sizes)
{
    qm_errors e;
    bad("name = \"t\";\n"
        "services = ( { name = \"a\"; } );\n"
        "commissioners = ( { count = 60000; }, { prefix = \"B\"; count = 60000; } );\n"
        "providers = ( { count = 999990; } );\n", &e);
    ck_has(&e, "t.cfg:3: commissioners: 120000 commissioners in total; at most 100000 are allowed");
    ck_has(&e, "t.cfg:4: providers: 999990 providers plus market.max_entrants = 40 make "
               "1000030; at most 1000000 are allowed");
    bad("name = \"t\";\n"
        "services = ( { name = \"a\"; } );\n"
        "commissioners = ( { count = 5000000000L; },\n"
        "  { count = 4294967297; } );\n"
        "providers = ( { count = 1; } );\n", &e);
    ck_has(&e, "t.cfg:3: commissioners[0].count = 5000000000 is out of range [1, 100000]");
    ck_has(&e, "t.cfg:4: integer 4294967297 does not fit in 32 bits; write 4294967297L");

    /* 1001 services; then 101 services x 100000 commissioners. */
    size_t cap = 64 * 1024;
    char *t = malloc(cap);
    int n = snprintf(t, cap, "name = \"t\";\ncommissioners = ( { count = 100000; } );\n"
                     "providers = ( { count = 1; } );\nservices = (");
    for (int i = 0; i < 1001; i++)
        n += snprintf(t + n, cap - (size_t)n, "%s{ name = \"s%d\"; }", i ? "," : "", i);
    snprintf(t + n, cap - (size_t)n, ");\n");
    bad(t, &e);
    ck_has(&e, "t.cfg:4: services has 1001 entries; at most 1000 are allowed");
    char *end = strstr(t, ",{ name = \"s101\"");
    strcpy(end, ");\n");
    bad(t, &e);
    ck_assert_int_eq(e.n, 1);
    ck_has(&e, "t.cfg:2: 100000 commissioners x 101 services = 10100000 commissioner-service "
               "pairs; at most 10000000 are allowed");
    free(t);
}
END_TEST

/* Every problem is collected; those past QM_ERR_MAX are counted. */
START_TEST(err_many)
{
    qm_errors e;
    size_t cap = 16 * 1024;
    char *t = malloc(cap);
    int n = snprintf(t, cap, MINIMAL "contract = {\n");
    for (int i = 0; i < 100; i++)
        n += snprintf(t + n, cap - (size_t)n, "  bogus%d = 1;\n", i);
    snprintf(t + n, cap - (size_t)n, "};\n");
    bad(t, &e);
    ck_assert_int_eq(e.n, 100);
    ck_has(&e, "t.cfg:6: unknown key 'contract.bogus0'");
    ck_assert_ptr_nonnull(strstr(e.msg[QM_ERR_MAX - 1], "t.cfg:69: unknown key 'contract.bogus63'"));
    free(t);
}
END_TEST

/* ---- Overrides. ---- */

START_TEST(overrides_valid)
{
    static const char text[] =
        "name = \"t\";\n"
        "services = ( { name = \"diabetes\"; tariff = 300; }, { name = \"x.y\"; } );\n"
        "commissioners = ( { count = 2; population = { dist = \"uniform\"; min = 2000; max = 3000; }; } );\n"
        "providers = ( { count = 1; }, { prefix = \"B\"; count = 1; } );\n"
        "trust = { forgetting = 0.5; };\n";
    const char *sets[] = {
        "trust.forgetting=0.9", "policy.open_market=true", "policy.payment_type=activity",
        "seed=42", " months = 24 ", "name=\"over ride\"", "services.diabetes.tariff=350",
        "services[0].payment=outcome", "services.x.y.demand=3", "commissioners[0].count=5",
        "commissioners[0].population=100000", "providers[1].quality=0.8",
        "entrant.quality=0.6", "neighbours=none", "knowledge.hire_level=0.3",
        "monitoring.sigma0=1", "seed=12345678901", "description=a=b"};
    int n = (int)(sizeof sets / sizeof sets[0]);
    qm_scenario s;
    qm_errors e;
    int rc = with_sets(text, sets, n, &s, &e);
    ck_assert_msg(rc == 0, "overrides failed:\n%s", dump(&e));
    ck_assert_double_eq(s.p.trust.forgetting, 0.9);
    ck_assert_int_eq(s.p.policy.open_market, 1);
    ck_assert_int_eq(s.p.policy.payment_type, QM_PAY_ACTIVITY + 1);
    ck_assert_uint_eq(s.seed, 12345678901ULL);          /* the later one wins */
    ck_assert_int_eq(s.months, 24);
    ck_assert_str_eq(s.name, "over ride");
    ck_assert_str_eq(s.description, "a=b");
    ck_assert_double_eq(s.services[0].tariff, 350.0);
    ck_assert_int_eq(s.services[0].payment, QM_PAY_OUTCOME);
    ck_assert_double_eq(s.services[1].demand, 3.0);
    ck_assert_int_eq(s.cgroups[0].count, 5);
    ck_assert_int_eq(s.cgroups[0].population.kind, QM_DIST_CONST);
    ck_assert_double_eq(s.cgroups[0].population.a, 100000.0);
    ck_assert_double_eq(s.pgroups[1].quality.a, 0.8);
    ck_assert_double_eq(s.entrant.quality.a, 0.6);
    ck_assert_int_eq(s.neighbours, QM_NB_NONE);
    ck_assert_double_eq(s.p.knowledge.hire_level, 0.3);
    ck_assert_double_eq(s.p.monitor.sigma0, 1.0);
    ck_assert_str_eq(s.source_text, text);      /* the text as given, not as overridden */
    round_trip(&s);
    qm_scenario_free(&s);
}
END_TEST

START_TEST(overrides_bad)
{
    const char *sets[] = {
        "trust.forgeting=0.9", "trust.forgetting=1.5", "costs.tender_duration=abc", "contract.term=2.5",
        "policy.open_market=1", "policy.payment_type=blok", "commissioners[3].count=1",
        "nonsense", "=5", "services.zzz.tariff=1", "providers[0].qualty=1",
        "commissioners[0].names=x", "contract.term=99999999999999999999", "trust.penalty=nan",
        "commissioners.PCT.count=1", "providers[x].count=1", NULL, "months=",
        "entrant.kind=voluntary"};
    int n = (int)(sizeof sets / sizeof sets[0]);
    qm_scenario s;
    qm_errors e;
    ck_assert_int_gt(with_sets(MINIMAL, sets, n, &s, &e), 0);
    ck_assert_msg(is_zero(&s, sizeof s), "scenario not left empty");
    ck_has(&e, "--set: unknown key 'trust.forgeting' (did you mean 'trust.forgetting'?)");
    ck_has(&e, "--set: trust.forgetting = 1.5 is out of range [0, 1]");
    ck_has(&e, "--set: costs.tender_duration: expected an integer, got a string");
    ck_has(&e, "--set: contract.term: expected an integer, got a real number");
    ck_has(&e, "--set: policy.open_market: expected true or false, got an integer");
    ck_has(&e, "--set: policy.payment_type = 'blok' is not one of keep, block, activity, "
               "outcome (did you mean 'block'?)");
    ck_has(&e, "--set: commissioners[3] does not exist (commissioners has 1 entry)");
    ck_has(&e, "--set: 'nonsense' is not of the form path=value");
    ck_has(&e, "--set: '=5' is not of the form path=value");
    ck_has(&e, "--set: services.zzz.tariff: no service is named 'zzz'");
    ck_has(&e, "--set: unknown key 'providers[0].qualty' (did you mean 'providers[0].quality'?)");
    ck_has(&e, "--set: commissioners[0].names is a list and cannot be set with --set");
    ck_has(&e, "--set: contract.term = 99999999999999999999 does not fit in a 64-bit integer");
    ck_has(&e, "--set: trust.penalty = nan is not a finite number");
    ck_has(&e, "--set: 'commissioners.PCT.count' is not of the form commissioners[INDEX].KEY=VALUE");
    ck_has(&e, "--set: 'providers[x].count' is not of the form providers[INDEX].KEY=VALUE");
    ck_has(&e, "--set: '' is not of the form path=value");
    ck_has(&e, "--set: months: expected an integer, got a string");
    ck_has(&e, "--set: entrant.kind cannot be set");

    /* An override meeting a problem in the file: both are reported. */
    static const char text[] =
        "name = \"t\";\n"
        "services = ( { name = \"a\"; } );\n"
        "commissioners = ( { count = 3;\n"
        "  names = [\"A\", \"B\", \"C\"]; } );\n"
        "providers = ( { count = 1; } );\n"
        "trust = 5;\n";
    const char *more[] = {"commissioners[0].count=2", "trust.penalty=1", "seed=-3"};
    ck_assert_int_gt(with_sets(text, more, 3, &s, &e), 0);
    ck_has(&e, "t.cfg:4: commissioners[0].names has 3 entries but count is 2");
    ck_has(&e, "--set: cannot set trust.penalty: trust in the scenario is an integer, not a group");
    ck_has(&e, "t.cfg:6: trust: expected a group");
    ck_has(&e, "--set: seed = -3 is out of range [0, ");
    ck_assert_int_gt(with_sets(MINIMAL, NULL, 2, &s, &e), 0);
    ck_has(&e, "--set: 2 overrides given without their text");
}
END_TEST

START_TEST(overrides_agencies)
{
    static const char text[] =
        MINIMAL
        "agencies = ( { kind = \"csu\"; count = 2; }, { kind = \"commercial\"; } );\n"
        "timeline = ( { month = 1; type = \"priority_shift\"; } );\n";
    const char *sets[] = {"agencies[1].fee=9500", "agencies[0].kind=freelance",
                          "agencies[0].prefix=Free", "agencies[1].conduit=\"advisory\"",
                          "agencies[0].skill=0.9"};
    qm_scenario s;
    qm_errors e;
    int rc = with_sets(text, sets, 5, &s, &e);
    ck_assert_msg(rc == 0, "overrides failed:\n%s", dump(&e));
    ck_assert_double_eq(s.agroups[1].fee.a, 9500.0);
    ck_assert_int_eq(s.agroups[0].kind, QM_AK_FREELANCE);
    ck_assert_str_eq(s.agroups[0].prefix, "Free");
    ck_assert_int_eq(s.agroups[1].conduit, QM_CONDUIT_ADVISORY);
    ck_assert_double_eq(s.agroups[0].skill.a, 0.9);
    round_trip(&s);
    qm_scenario_free(&s);

    const char *bads[] = {"agencies[2].fee=1", "agencies[0].fe=1", "agencies[0].names=x",
                          "agencies.csu.fee=3", "agencies[0].kind=csuu", "agencies[0].fee=-1",
                          "timeline[0].month=3", "timeline=x", "timeline.month=2"};
    ck_assert_int_gt(with_sets(text, bads, 9, &s, &e), 0);
    ck_has(&e, "--set: agencies[2] does not exist (agencies has 2 entries)");
    ck_has(&e, "--set: unknown key 'agencies[0].fe' (did you mean 'agencies[0].fee'?)");
    ck_has(&e, "--set: agencies[0].names is a list and cannot be set with --set");
    ck_has(&e, "--set: 'agencies.csu.fee' is not of the form agencies[INDEX].KEY=VALUE");
    ck_has(&e, "--set: agencies[0].kind = 'csuu' is not one of csu, commercial, not_for_profit, "
               "freelance, public_health (did you mean 'csu'?)");
    ck_has(&e, "--set: agencies[0].fee = -1 is out of range [0, 10000000]");
    ck_has(&e, "--set: timeline[0].month: timeline events cannot be set with --set");
    ck_has(&e, "--set: timeline: timeline events cannot be set with --set");
    ck_has(&e, "--set: timeline.month: timeline events cannot be set with --set");
    const char *none[] = {"agencies[0].fee=1"};
    ck_assert_int_gt(with_sets(MINIMAL, none, 1, &s, &e), 0);
    ck_has(&e, "--set: cannot set agencies[0].fee: the scenario has no agencies list");
}
END_TEST

/* ---- Round trip and the reference. ---- */

START_TEST(resolved_round_trip)
{
    qm_scenario s;
    good(rich, &s);
    round_trip(&s);
    char *t = qm_scenario_resolved_text(&s);
    ck_assert_ptr_nonnull(strstr(t, "seed = 12345678901L;"));
    ck_assert_ptr_nonnull(strstr(t, "name = \"rich \\\"quoted\\\" \\\\ name\";"));
    ck_assert_ptr_nonnull(strstr(t, "services = [ \"hips\", \"diabetes\" ];"));
    ck_assert_ptr_nonnull(strstr(t, "population = { dist = \"uniform\"; min = 160000.0; max = 525000.0; };"));
    ck_assert_ptr_nonnull(strstr(t, "analytic = { dist = \"list\"; values = [ 0.1, 0.2, 0.30000000000000004 ]; };"));
    /* agencies, and events with only the keys their type takes */
    ck_assert_ptr_nonnull(strstr(t, "names = [ \"North CSU\", \"South CSU\" ];"));
    ck_assert_ptr_nonnull(strstr(t, "    prefix = \"freelance\";\n    kind = \"freelance\";\n"));
    ck_assert_ptr_nonnull(strstr(t, "fee = { dist = \"list\"; values = [ 9000.0, 10000.0, 11000.0 ]; };"));
    ck_assert_ptr_nonnull(strstr(t, "  { month = 0; type = \"reorganisation\"; staff_loss = 0.33; "
                                    "knowledge_loss = 0.3; rupture = 0.1; setback = 0.5; data_months = 9; merge = 1; "
                                    "split_share = 0.5; },\n"));
    ck_assert_ptr_nonnull(strstr(t, "  { month = 12; type = \"directive\"; share = 1.0; "
                                    "service = \"stroke\"; },\n"));
    ck_assert_ptr_nonnull(strstr(t, "  { month = 12; type = \"policy\"; key = \"policy.payment_type\"; "
                                    "value = \"outcome\"; },\n"));
    ck_assert_ptr_nonnull(strstr(t, "  { month = 12; type = \"policy\"; key = \"policy.open_market\"; "
                                    "value = false; },\n"));
    ck_assert_ptr_nonnull(strstr(t, "  { month = 12; type = \"demand_shock\"; factor = 1.2; },\n"));
    ck_assert_ptr_nonnull(strstr(t, "  { month = 20; type = \"priority_shift\"; clarity_loss = 0.1; },\n"));
    ck_assert_ptr_nonnull(strstr(t, "  { month = 36; type = \"externalise_analytics\"; share = 0.25; },\n"));
    ck_assert_ptr_nonnull(strstr(t, "  { month = 40; type = \"policy\"; key = \"policy.tender_pressure\"; "
                                    "value = 1.0; },\n"));
    ck_assert_ptr_nonnull(strstr(t, "  { month = 59; type = \"directive\"; share = 0.5; }\n);\n"));
    /* every registry path appears */
    for (const qm_param_def *d = qm_param_table; d->path; d++) {
        char key[128];
        snprintf(key, sizeof key, "  %s = ", strchr(d->path, '.') + 1);
        ck_assert_msg(strstr(t, key), "%s missing from the resolved text", d->path);
    }
    free(t);
    qm_scenario_free(&s);

    /* Doubles whose shortest form is long, negative zero, and control bytes. */
    good("name = \"\\x01 odd\";\n"
         "services = ( { name = \"a\"; demand = 0.1234567890123456789; tariff = 1e9; } );\n"
         "commissioners = ( { count = 1; population = 12345678.25; } );\n"
         "providers = ( { count = 1; markup = -0.0; optimism = 1e-300; } );\n", &s);
    round_trip(&s);
    qm_scenario_free(&s);
    good(MINIMAL, &s);
    round_trip(&s);
    qm_scenario_free(&s);
}
END_TEST

START_TEST(reference_lists_every_key)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    qm_scenario_write_reference(f);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "## Top-level keys"));
    ck_assert_ptr_nonnull(strstr(buf, "## Distributions"));
    ck_assert_ptr_nonnull(strstr(buf, "## Entrant"));
    ck_assert_ptr_nonnull(strstr(buf, "| `seed` | integer | 1 | 0 to 2^63 - 1 |"));
    for (const qm_param_def *d = qm_param_table; d->path; d++) {
        char head[64], row[96];
        const char *dot = strchr(d->path, '.');
        snprintf(head, sizeof head, "### `%.*s`", (int)(dot - d->path), d->path);
        snprintf(row, sizeof row, "| `%s` |", dot + 1);
        ck_assert_msg(strstr(buf, head), "no section %s", head);
        ck_assert_msg(strstr(strstr(buf, head), row), "no row for %s", d->path);
    }
    const qm_param_def *tables[] = {qm_service_fields, qm_cgroup_fields, qm_pgroup_fields,
                                    qm_agroup_fields, qm_timeline_fields};
    const char *heads[] = {"## Services", "## Commissioner groups", "## Provider groups",
                           "## Agency groups", "## Timeline events"};
    for (int i = 0; i < 5; i++) {
        const char *sec = strstr(buf, heads[i]);
        ck_assert_msg(sec, "no section %s", heads[i]);
        for (const qm_param_def *d = tables[i]; d->path; d++) {
            char row[96];
            snprintf(row, sizeof row, "| `%s` |", d->path);
            ck_assert_msg(strstr(sec, row), "no row for %s in %s", d->path, heads[i]);
        }
    }
    /* the timeline table says which types take each key */
    const char *tl = strstr(buf, "## Timeline events");
    ck_assert_ptr_nonnull(strstr(tl, "| key | type | default | range | unit | applies to | meaning |"));
    ck_assert_ptr_nonnull(strstr(tl, "| `merge` | integer | 1 | 1 to 1000 |  | reorganisation | "));
    ck_assert_ptr_nonnull(strstr(tl, "| `month` | integer | (required) | 0 to `months` - 1 | month | all | "));
    ck_assert_ptr_nonnull(strstr(tl, " | directive, demand_shock | Service concerned"));
    ck_assert_ptr_nonnull(strstr(tl, "| `value` | the key's type | (required) | the key's range |  | policy | "));
    for (int t = 0; t < QM_TL_N; t++) {
        char item[64];
        snprintf(item, sizeof item, "* `%s`: ", qm_timeline_names[t]);
        ck_assert_msg(strstr(tl, item), "no paragraph for %s", qm_timeline_names[t]);
    }
    ck_assert_ptr_nonnull(strstr(tl, "| `policy.payment_type` | one of `keep`, `block`, "
                                     "`activity`, `outcome` |"));
    ck_assert_ptr_nonnull(strstr(tl, "| `policy.tender_pressure` | real in [0, 1] |"));
    free(buf);
}
END_TEST

/* ---- Robustness. ---- */

START_TEST(null_and_empty_inputs)
{
    qm_scenario s;
    qm_errors e;
    ck_assert_int_eq(qm_scenario_load_text(NULL, NULL, NULL, 0, &s, &e), 1);
    ck_assert_str_eq(e.msg[0], "<text>: no scenario text");
    ck_assert_int_eq(qm_scenario_load_text(MINIMAL, "x", NULL, 0, NULL, &e), 1);
    ck_assert_int_gt(qm_scenario_load_text("name = ;", "x", NULL, 0, &s, NULL), 0);
    ck_assert_int_eq(qm_scenario_load_text(MINIMAL, "x", NULL, 0, &s, NULL), 0);
    qm_scenario_free(&s);
    bad("name = \"t\";\nservices = ();\ncommissioners = [];\nproviders = ( );\n", &e);
    ck_has(&e, "t.cfg:2: services is empty: at least one entry is required");
    ck_has(&e, "t.cfg:3: commissioners is empty");
    ck_has(&e, "t.cfg:4: providers is empty");
    qm_scenario_free(NULL);
    qm_errors_add(NULL, "ignored %d", 1);
    qm_errors_add(&e, NULL);
    ck_assert_ptr_null(qm_scenario_resolved_text(NULL));
    qm_scenario_write_reference(NULL);
    /* deep nesting is refused before libconfig's parser stack overflows */
    size_t depth = 20000;
    char *t = malloc(depth * 2 + 16);
    strcpy(t, "x = ");
    memset(t + 4, '(', depth);
    memset(t + 4 + depth, ')', depth);
    strcpy(t + 4 + 2 * depth, ";");
    bad(t, &e);
    ck_assert_str_eq(e.msg[0], "t.cfg:1: syntax error: nesting deeper than 64 levels");
    free(t);
    bad("a = ( ( ( ( ( ( ( ( ( ( ( ( ( ( 1 ) ) ) ) ) ) ) ) ) ) ) ) ) );\n", &e);
    ck_has(&e, "t.cfg:1: unknown key 'a'");
}
END_TEST

/* Truncations and byte mutations of a valid scenario must never crash,
 * leak (under ASan) or leave a half-filled scenario behind. */
START_TEST(mutations_never_crash)
{
    static const char alphabet[] = "{}()[];=,\"0123456789.-+eLx#/*@ \n\\abnqsz";
    size_t n = strlen(rich);
    char *t = malloc(n + 1);
    qm_scenario s;
    qm_errors e;
    uint64_t x = 88172645463325252ULL;
    for (size_t cut = 0; cut <= n; cut++) {
        memcpy(t, rich, cut);
        t[cut] = '\0';
        if (qm_scenario_load_text(t, "cut", NULL, 0, &s, &e) == 0)
            qm_scenario_free(&s);
        else
            ck_assert(is_zero(&s, sizeof s));
    }
    for (int i = 0; i < 4000; i++) {
        memcpy(t, rich, n + 1);
        for (int k = 0; k < 1 + i % 3; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            t[x % n] = alphabet[(x >> 32) % (sizeof alphabet - 1)];
        }
        if (qm_scenario_load_text(t, "mut", NULL, 0, &s, &e) == 0) {
            round_trip(&s);
            qm_scenario_free(&s);
        } else {
            ck_assert(is_zero(&s, sizeof s));
        }
    }
    free(t);
}
END_TEST

/* The whole-file reader: every byte up to the limit, a NUL after them;
 * one byte over, a missing file or a read error is an error. */
START_TEST(file_read_limits)
{
    char path[] = "/tmp/qmsim-file-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "wb");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 20000; i++)
        fputc('a' + i % 26, f);
    fputc('\0', f); /* a NUL inside is data, not the end */
    fputs("end", f);
    fclose(f);
    size_t len = 0, n = 20004;
    char *t = qm_file_read(path, n, &len);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(len, n);
    ck_assert_int_eq(t[20000], '\0');
    ck_assert_str_eq(t + 20001, "end");
    ck_assert_int_eq(t[9999], 'a' + 9999 % 26);
    free(t);
    errno = 0;
    ck_assert_ptr_null(qm_file_read(path, n - 1, &len));
    ck_assert_int_eq(errno, EFBIG);
    ck_assert_ptr_null(qm_file_read(path, 100, &len));
    ck_assert_int_eq(errno, EFBIG);
    remove(path);
    ck_assert_ptr_null(qm_file_read(path, n, &len));
    ck_assert_int_eq(errno, ENOENT);
    /* A directory opens but cannot be read. */
    errno = 0;
    ck_assert_ptr_null(qm_file_read("/tmp", n, &len));
    ck_assert_int_ne(errno, 0);
}
END_TEST

static Suite *scenario_suite(void)
{
    Suite *s = suite_create("scenario");
    TCase *load = tcase_create("load");
    tcase_add_test(load, defaults_applied);
    tcase_add_test(load, values_read);
    tcase_add_test(load, builtin_baseline);
    tcase_add_test(load, agencies_and_timeline_read);
    tcase_add_test(load, load_file);
    suite_add_tcase(s, load);
    TCase *errs = tcase_create("errors");
    tcase_add_test(errs, err_missing_file);
    tcase_add_test(errs, err_syntax);
    tcase_add_test(errs, err_unknown_keys);
    tcase_add_test(errs, err_group_shapes);
    tcase_add_test(errs, err_range);
    tcase_add_test(errs, err_type);
    tcase_add_test(errs, err_enum);
    tcase_add_test(errs, err_lengths);
    tcase_add_test(errs, err_dists);
    tcase_add_test(errs, err_names);
    tcase_add_test(errs, err_offer);
    tcase_add_test(errs, err_cross);
    tcase_add_test(errs, err_agencies);
    tcase_add_test(errs, err_timeline);
    tcase_add_test(errs, err_policy_values);
    tcase_add_test(errs, err_timeline_size);
    tcase_add_test(errs, err_sizes);
    tcase_add_test(errs, err_many);
    suite_add_tcase(s, errs);
    TCase *sets = tcase_create("overrides");
    tcase_add_test(sets, overrides_valid);
    tcase_add_test(sets, overrides_bad);
    tcase_add_test(sets, overrides_agencies);
    suite_add_tcase(s, sets);
    TCase *out = tcase_create("output");
    tcase_add_test(out, resolved_round_trip);
    tcase_add_test(out, reference_lists_every_key);
    suite_add_tcase(s, out);
    TCase *rob = tcase_create("robustness");
    tcase_set_timeout(rob, 300);
    tcase_add_test(rob, null_and_empty_inputs);
    tcase_add_test(rob, file_read_limits);
    tcase_add_test(rob, mutations_never_crash);
    suite_add_tcase(s, rob);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(scenario_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
