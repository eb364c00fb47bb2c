/* fixture.c: small model states for the unit tests of src/model. */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const fx_tiny =
    "name = \"tiny\"; seed = 11; months = 24;\n"
    "services = (\n"
    "  { name = \"acute\"; demand = 2.0; tariff = 1000.0; cost_min = 0.8; cost_max = 1.0;\n"
    "    parcelability = 0.5; staff_scarcity = 0.0; },\n"
    "  { name = \"community\"; demand = 10.0; tariff = 100.0; cost_min = 0.8; cost_max = 1.0;\n"
    "    parcelability = 0.5; staff_scarcity = 0.0; } );\n"
    "commissioners = ( { prefix = \"C\"; count = 2; names = [\"C1\", \"C2\"];\n"
    "  population = { dist = \"list\"; values = [100000.0, 200000.0]; };\n"
    "  budget_per_capita = 100.0; development_staff = 2.0; contracting_staff = 2.0;\n"
    "  analytic = 0.4; contextual = 0.5; procurement = 0.3; data_infrastructure = 0.5;\n"
    "  market_orientation = 0.2; risk_aversion = 0.5; receptivity = 1.0; } );\n"
    "providers = (\n"
    "  { kind = \"nhs_acute\"; count = 1; names = [\"Acute\"]; capacity = 1000.0; quality = 0.7;\n"
    "    cost_position = 0.5; markup = 0.1; optimism = 0.0; sharing = 0.5; },\n"
    "  { kind = \"nhs_community\"; count = 1; names = [\"Community\"]; capacity = 1000.0; quality = 0.6;\n"
    "    cost_position = 0.5; markup = 0.1; optimism = 0.0; sharing = 0.5; },\n"
    "  { kind = \"independent\"; count = 1; names = [\"Firm\"]; capacity = 1000.0; quality = 0.65;\n"
    "    cost_position = 0.0; markup = 0.2; optimism = 0.1; sharing = 0.3; } );\n"
    "agencies = (\n"
    "  { kind = \"csu\"; count = 1; names = [\"CSU\"]; capacity = 10.0; skill = 0.7; context_fit = 0.8;\n"
    "    fee = 6000.0; transfer = 0.3; turnover = 0.02; push = 0.0; },\n"
    "  { kind = \"commercial\"; count = 1; names = [\"Consult\"]; capacity = 10.0; skill = 0.8;\n"
    "    context_fit = 0.5; fee = 9000.0; transfer = 0.1; turnover = 0.035; push = 0.0; } );\n";

static const char *const small =
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

static fx *open_text(const char *text, const char *name)
{
    static qm_errors err;
    char msg[256];
    fx *f = calloc(1, sizeof *f);
    ck_assert_ptr_nonnull(f);
    int bad = qm_scenario_load_text(text, name, NULL, 0, &f->sc, &err);
    ck_assert_msg(bad == 0, "scenario: %s", bad ? err.msg[0] : "");
    f->sim = qm_sim_create(&f->sc, f->sc.seed, 0, 1, msg, sizeof msg);
    ck_assert_msg(f->sim != NULL, "%s", msg);
    return f;
}

fx *fx_open(const char *extra)
{
    size_t n = strlen(fx_tiny) + (extra ? strlen(extra) : 0) + 2;
    char *text = malloc(n);
    ck_assert_ptr_nonnull(text);
    snprintf(text, n, "%s%s\n", fx_tiny, extra ? extra : "");
    fx *f = open_text(text, "tiny");
    free(text);
    return f;
}

fx *fx_text(const char *text)
{
    return open_text(text, "test");
}

fx *fx_small(const char *cap, const char *skill, const char *extra)
{
    char text[8192];
    snprintf(text, sizeof text, small, cap, skill, extra ? extra : "");
    return open_text(text, "small");
}

void fx_close(fx *f)
{
    qm_sim_free(f->sim);
    qm_scenario_free(&f->sc);
    free(f);
}

void fx_step_to(qm_sim *sim, int month)
{
    while (sim->month < month)
        qm_sim_step(sim);
}

void fx_next_uniforms(gsl_rng *r, int n, const double *lo, const double *hi)
{
    for (unsigned long seed = 1; seed < 1000000; seed++) {
        gsl_rng_set(r, seed);
        int i = 0;
        while (i < n) {
            double u = gsl_rng_uniform(r);
            if (u < lo[i] || u >= hi[i])
                break;
            i++;
        }
        if (i == n) {
            gsl_rng_set(r, seed);
            return;
        }
    }
    ck_abort_msg("no seed gives the %d uniform draws asked for", n);
}

void fx_next_uniform(gsl_rng *r, double lo, double hi)
{
    fx_next_uniforms(r, 1, &lo, &hi);
}

void fx_forget(qm_sim *sim)
{
    for (int c = 0; c < sim->max_commissioners; c++) {
        sim->comm[c].n_rel = 0;
        sim->comm[c].n_events = 0;
    }
}

int fx_run(const char *name, void (*add)(TCase *tc))
{
    Suite *s = suite_create(name);
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, 120);
    add(tc);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
