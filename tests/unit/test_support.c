/* test_support.c: engagements, developments and timeline events in whole
 * runs of small scenarios, against values worked out by hand
 * (MODEL.md 4.4, 4.5, 6). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qmsim/qmsim.h"

#define EPS 1e-9

/* Four commissioners, two services, four providers, a CSU and a firm. */
static const char *BASE =
    "name = \"small\"; seed = 5; months = 48;\n"
    "services = ( { name = \"diabetes\"; demand = 5.0; tariff = 150.0; },\n"
    "             { name = \"dementia\"; demand = 1.0; tariff = 400.0; } );\n"
    "commissioners = ( { prefix = \"C\"; count = 4;\n"
    "   population = { dist = \"list\"; values = [100000.0, 200000.0, 300000.0, 400000.0]; };\n"
    "   development_staff = 3.0; contracting_staff = 3.0; analytic = 0.3; receptivity = 1.0; } );\n"
    "providers = ( { kind = \"nhs_community\"; count = 2; capacity = 100.0; },\n"
    "              { kind = \"independent\"; count = 2; capacity = 5000.0; } );\n"
    "agencies = ( { kind = \"csu\"; count = 1; names = [\"CSU\"]; capacity = %s; skill = %s; fee = 6000.0; },\n"
    "             { kind = \"commercial\"; count = 1; names = [\"Firm\"]; capacity = 0.0; } );\n"
    "%s\n";

static qm_scenario load(const char *cap, const char *skill, const char *extra)
{
    char text[8192];
    static qm_errors err;
    qm_scenario sc;
    snprintf(text, sizeof text, BASE, cap, skill, extra);
    int bad = qm_scenario_load_text(text, "small", NULL, 0, &sc, &err);
    ck_assert_msg(bad == 0, "scenario: %s", bad ? err.msg[0] : "");
    return sc;
}

static qm_sim *create(const qm_scenario *sc)
{
    char err[256];
    qm_sim *sim = qm_sim_create(sc, sc->seed, 0, 1, err, sizeof err);
    ck_assert_msg(sim != NULL, "%s", err);
    return sim;
}

static double total_volume(const qm_sim *sim)
{
    double v = 0.0;
    for (int k = 0; k < sim->n_commissioners * sim->n_services; k++)
        if (sim->con[k].active)
            v += sim->con[k].volume;
    return v;
}

static double total_held(const qm_sim *sim)
{
    double h = 0.0;
    for (int i = 0; i < sim->max_providers * sim->n_services; i++)
        h += sim->held[i];
    return h;
}

static double total_population(const qm_sim *sim)
{
    double p = 0.0;
    for (int c = 0; c < sim->n_commissioners; c++)
        if (sim->comm[c].active)
            p += sim->comm[c].population;
    return p;
}

static void step_to(qm_sim *sim, int month)
{
    while (sim->month < month)
        qm_sim_step(sim);
}

/* Fees paid equal fees received; knowledge and dependency stay in [0,1];
 * no engagement outlives its term without a renewal. */
START_TEST(engagement_invariants)
{
    qm_scenario sc = load("4.0", "0.8", "");
    qm_sim *sim = create(&sc);
    qm_frame *f = qm_frame_alloc(sim);
    double started = 0.0, ended = 0.0;
    while (sim->month < sim->months) {
        qm_sim_step(sim);
        qm_observe(sim, f);
        ck_assert_double_eq_tol(f->series[QM_S_AGENCY_FEES], f->series[QM_S_AGENCY_REVENUE], 1e-6);
        ck_assert(f->series[QM_S_DEPENDENCY_INDEX] >= 0.0 && f->series[QM_S_DEPENDENCY_INDEX] <= 1.0);
        started += f->series[QM_S_ENGAGEMENTS_STARTED];
        ended += f->series[QM_S_ENGAGEMENTS_ENDED];
        for (int c = 0; c < sim->n_commissioners; c++) {
            const qm_commissioner *cm = &sim->comm[c];
            ck_assert(cm->A_eff >= 0.0 && cm->A_eff <= 1.0);
            ck_assert(cm->dependency >= 0.0 && cm->dependency <= 1.0);
            ck_assert(cm->tool >= 0.0 && cm->tool <= 1.0);
            for (int i = 0; i < cm->n_eng; i++) {
                const qm_engagement *e = &cm->eng[i];
                if (!e->active)
                    continue;
                ck_assert_int_gt(e->expiry, f->month);
                ck_assert_int_eq(e->expiry - e->start, sim->p.engage.term);
                ck_assert(e->start == e->first_start || e->renewals > 0);
            }
        }
    }
    ck_assert(started > 0);
    ck_assert_double_eq_tol(started - ended, f->series[QM_S_ENGAGEMENTS_ACTIVE], EPS);
    qm_frame_free(f);
    qm_sim_free(sim);
    qm_scenario_free(&sc);
}
END_TEST

/* A CSU serves all its clients from one capacity: overload spreads it
 * thin, so each engagement delivers fte x capacity / booked. */
START_TEST(csu_overload_spreads_thin)
{
    qm_scenario sc = load("1.0", "0.8", "engagement = { fte = 1.0; };");
    qm_sim *sim = create(&sc);
    step_to(sim, 24);
    const qm_agency *csu = &sim->agency[0];
    ck_assert_msg(csu->booked > csu->capacity, "CSU not overloaded: %g booked, %g capacity",
                  csu->booked, csu->capacity);
    int seen = 0;
    for (int c = 0; c < sim->n_commissioners; c++)
        for (int i = 0; i < sim->comm[c].n_eng; i++) {
            const qm_engagement *e = &sim->comm[c].eng[i];
            if (!e->active || e->agency != 0 || e->start == sim->month - 1)
                continue;
            ck_assert_double_eq_tol(e->delivered, e->fte * csu->capacity / csu->booked, 1e-9);
            seen++;
        }
    ck_assert_int_gt(seen, 1);
    qm_sim_free(sim);
    qm_scenario_free(&sc);
}
END_TEST

/* A failed review docks the fee: an unskilled CSU fails every review. */
START_TEST(failed_deliverables_are_docked)
{
    qm_scenario sc = load("10.0", "0.1", "");
    qm_sim *sim = create(&sc);
    qm_frame *f = qm_frame_alloc(sim);
    double docked = 0.0, dispute = 0.0;
    while (sim->month < sim->months) {
        qm_sim_step(sim);
        qm_observe(sim, f);
        docked += f->series[QM_S_ENGAGEMENTS_DOCKED];
        dispute += f->series[QM_S_TC_DISPUTE];
        for (int i = 0; i < f->n_events; i++)
            if (f->events[i].type == QM_EV_ENGAGEMENT_DOCKED)
                /* dock x fee x review period: 0.25 x 6000 x 1 FTE x 6 months */
                ck_assert_double_eq_tol(f->events[i].value, 0.25 * 6000.0 * sim->p.engage.fte * 6, 1e-6);
    }
    ck_assert(docked > 0);
    ck_assert_double_eq_tol(dispute, docked * sim->p.cost.dispute * sim->p.cost.salary, 1e-6);
    qm_frame_free(f);
    qm_sim_free(sim);
    qm_scenario_free(&sc);
}
END_TEST

/* With no development staff a development ordered by directive stalls
 * every month and is abandoned after abandon_months. */
START_TEST(development_stalls_and_is_abandoned)
{
    qm_scenario sc = load("0.0", "0.8",
                          "timeline = ( { month = 1; type = \"directive\"; service = \"diabetes\"; share = 1.0; } );"
                          "development = { start_base = 0.0; start_gap = 0.0; copy_rate = 0.0; absence_mean = 0.0; };"
                          "engagement = { overflow_trigger = 1000.0; };");
    for (int g = 0; g < sc.n_cgroups; g++)
        sc.cgroups[g].development_staff.a = 0.0;
    qm_sim *sim = create(&sc);
    step_to(sim, 2);
    ck_assert_int_eq(sim->comm[0].dev[0].active, 1);
    ck_assert_int_eq(sim->comm[0].dev[0].stalled_months, 1);
    step_to(sim, 1 + sim->p.develop.abandon_months);
    ck_assert_int_eq(sim->comm[0].dev[0].active, 0);
    qm_sim_free(sim);
    qm_scenario_free(&sc);
}
END_TEST

/* With ample staff a development moves through its stages at its monthly
 * need (1 FTE), launching after the sum of its stage efforts. */
START_TEST(development_progresses_through_stages)
{
    qm_scenario sc = load("0.0", "0.8",
                          "timeline = ( { month = 1; type = \"directive\"; service = \"dementia\"; share = 0.25; } );"
                          "development = { start_base = 0.0; start_gap = 0.0; copy_rate = 0.0; absence_mean = 0.0;"
                          "                lead_trust = 1.0; };"
                          "engagement = { overflow_trigger = 1000.0; };");
    qm_sim *sim = create(&sc);
    step_to(sim, 2);
    const qm_development *d = &sim->comm[0].dev[0];
    ck_assert_int_eq(d->active, 1);
    double need = d->need[0] + d->need[1] + d->need[2] + d->need[3];
    int launch = 1 + (int)ceil(need - 1e-9) - 1; /* one FTE-month of work per month from month 1 */
    step_to(sim, launch);
    ck_assert_int_lt(d->stage, 4);
    step_to(sim, launch + 1);
    ck_assert_int_eq(d->stage, 4);
    ck_assert_int_eq(d->launch, launch);
    /* The benefit arrives after the lag, on that contract only. */
    step_to(sim, launch + sim->p.develop.benefit_lag + 1);
    ck_assert_double_eq_tol(sim->con[1].bonus, sim->p.develop.quality_gain, EPS);
    ck_assert_double_eq_tol(sim->con[0].bonus, 0.0, EPS);
    qm_sim_free(sim);
    qm_scenario_free(&sc);
}
END_TEST

START_TEST(event_reorganisation_losses)
{
    qm_scenario sc = load("4.0", "0.8",
                          "timeline = ( { month = 3; type = \"reorganisation\"; staff_loss = 0.4;"
                          "               knowledge_loss = 0.5; rupture = 1.0; setback = 0.0; } );");
    qm_sim *sim = create(&sc);
    step_to(sim, 3);
    double K = sim->comm[1].con_staff, D = sim->comm[1].dev_staff, X = sim->comm[1].X;
    qm_sim_step(sim);
    ck_assert_double_eq_tol(sim->comm[1].con_staff, 0.6 * K, EPS);
    ck_assert_double_eq_tol(sim->comm[1].dev_staff, 0.6 * D, EPS);
    ck_assert(sim->comm[1].X < 0.5 * X + 0.05); /* halved, then a month's learning */
    /* Full rupture: every relationship is back at its prior before this
     * month's evidence, so no trust exceeds prior plus one month. */
    for (int i = 0; i < sim->comm[1].n_rel; i++)
        ck_assert(sim->comm[1].rel[i].alpha + sim->comm[1].rel[i].beta <= sim->p.trust.evidence_weight * 2 + 1e-9);
    qm_sim_free(sim);
    qm_scenario_free(&sc);
}
END_TEST

START_TEST(event_merge_and_split_conserve)
{
    qm_scenario sc = load("4.0", "0.8",
                          "timeline = ( { month = 2; type = \"reorganisation\"; staff_loss = 0.0; knowledge_loss = 0.0;"
                          "               rupture = 0.0; setback = 0.0; merge = 2; },"
                          "             { month = 4; type = \"reorganisation\"; staff_loss = 0.0; knowledge_loss = 0.0;"
                          "               rupture = 0.0; setback = 0.0; split_share = 0.5; } );");
    qm_sim *sim = create(&sc);
    /* 4 bodies, merged in pairs to 2, then half (1) split: 3; one slot reserved. */
    ck_assert_int_eq(sim->max_commissioners, 5);
    step_to(sim, 2);
    double pop = total_population(sim), vol = total_volume(sim);
    ck_assert_double_eq_tol(total_held(sim), vol, 1e-6);
    qm_sim_step(sim);
    ck_assert_int_eq(sim->comm[0].active + sim->comm[1].active + sim->comm[2].active + sim->comm[3].active, 2);
    ck_assert_int_eq(sim->comm[1].active, 0);
    ck_assert_double_eq_tol(sim->comm[0].population, 300000.0, 1e-6);
    ck_assert_double_eq_tol(total_population(sim), pop, 1e-6);
    ck_assert_double_eq_tol(total_volume(sim), vol, 1e-6);
    ck_assert_double_eq_tol(total_held(sim), vol, 1e-6);
    step_to(sim, 5);
    ck_assert_int_eq(sim->n_commissioners, 5);
    ck_assert_int_eq(sim->comm[4].active, 1);
    ck_assert_double_eq_tol(sim->comm[4].population, 350000.0, 1e-6); /* half of 700,000 */
    ck_assert_double_eq_tol(total_population(sim), pop, 1e-6);
    ck_assert_double_eq_tol(total_volume(sim), vol, 1e-6);
    ck_assert_double_eq_tol(total_held(sim), vol, 1e-6);
    qm_sim_free(sim);
    qm_scenario_free(&sc);
}
END_TEST

START_TEST(event_externalise_policy_shift_shock)
{
    qm_scenario sc = load("4.0", "0.8",
                          "timeline = ( { month = 2; type = \"externalise_analytics\"; share = 0.5; },"
                          "             { month = 2; type = \"policy\"; key = \"policy.tender_pressure\"; value = 0.7; },"
                          "             { month = 2; type = \"policy\"; key = \"policy.payment_type\"; value = \"outcome\"; },"
                          "             { month = 3; type = \"priority_shift\"; clarity_loss = 0.5; },"
                          "             { month = 3; type = \"demand_shock\"; service = \"dementia\"; factor = 1.5; } );"
                          "engagement = { max_per_commissioner = 8; };");
    qm_sim *sim = create(&sc);
    step_to(sim, 2);
    double A = sim->comm[2].A, cap = sim->agency[0].capacity;
    int before = 0;
    for (int i = 0; i < sim->comm[2].n_eng; i++)
        before += sim->comm[2].eng[i].active;
    qm_sim_step(sim);
    ck_assert(sim->comm[2].A < 0.5 * A + 0.01);
    ck_assert_double_eq_tol(sim->agency[0].capacity, cap + 4 * 0.5 * sim->p.engage.coverage_fte, 1e-9);
    int after = 0, analytics = 0;
    for (int i = 0; i < sim->comm[2].n_eng; i++) {
        after += sim->comm[2].eng[i].active;
        analytics += sim->comm[2].eng[i].active && sim->comm[2].eng[i].agency == 0 &&
                     sim->comm[2].eng[i].purpose == QM_PURPOSE_ANALYTICS;
    }
    ck_assert_int_gt(after, before);
    ck_assert_int_ge(analytics, 1);
    ck_assert_double_eq_tol(sim->p.policy.tender_pressure, 0.7, EPS);
    ck_assert_int_eq(sim->p.policy.payment_type, 1 + QM_PAY_OUTCOME);
    double clarity[8];
    for (int i = 0; i < 8; i++)
        clarity[i] = sim->comm[2].eng[i].clarity;
    qm_sim_step(sim);
    /* Halved by the shift, and by the routine shift when one falls due. */
    for (int i = 0; i < sim->comm[2].n_eng; i++) {
        const qm_engagement *e = &sim->comm[2].eng[i];
        if (!e->active || e->start >= 3)
            continue;
        int routine = (3 - e->start) % sim->p.engage.shift_months == 0;
        ck_assert_double_eq_tol(e->clarity, 0.5 * clarity[i] * (routine ? 1.0 - sim->p.engage.shift_loss : 1.0), EPS);
    }
    ck_assert_double_eq_tol(sim->demand_factor[1], 1.5, EPS);
    ck_assert_double_eq_tol(sim->demand_factor[0], 1.0, EPS);
    qm_sim_free(sim);
    qm_scenario_free(&sc);
}
END_TEST

START_TEST(event_directive_starts_developments)
{
    qm_scenario sc = load("4.0", "0.8",
                          "timeline = ( { month = 5; type = \"directive\"; share = 0.5; } );"
                          "development = { start_base = 0.0; start_gap = 0.0; copy_rate = 0.0; };");
    qm_sim *sim = create(&sc);
    step_to(sim, 5);
    for (int c = 0; c < 4; c++)
        ck_assert_int_eq(sim->comm[c].n_dev, 0);
    qm_sim_step(sim);
    /* Half of four commissioners, lowest ids first, for every service. */
    for (int c = 0; c < 4; c++) {
        int n = 0;
        for (int i = 0; i < sim->comm[c].n_dev; i++)
            n += sim->comm[c].dev[i].active && sim->comm[c].dev[i].directive;
        ck_assert_int_eq(n, c < 2 ? 2 : 0);
    }
    qm_sim_free(sim);
    qm_scenario_free(&sc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("support");
    TCase *tc = tcase_create("conduits");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, engagement_invariants);
    tcase_add_test(tc, csu_overload_spreads_thin);
    tcase_add_test(tc, failed_deliverables_are_docked);
    tcase_add_test(tc, development_stalls_and_is_abandoned);
    tcase_add_test(tc, development_progresses_through_stages);
    tcase_add_test(tc, event_reorganisation_losses);
    tcase_add_test(tc, event_merge_and_split_conserve);
    tcase_add_test(tc, event_externalise_policy_shift_shock);
    tcase_add_test(tc, event_directive_starts_developments);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
