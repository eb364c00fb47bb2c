/* test_init.c: MODEL.md 5, initialisation (src/model/init.c): the
 * entities drawn from the scenario, each commissioner's host CSU, and the
 * initial contracts and relationships. */
#include <math.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

#include "fixture.h"

enum { ACUTE = 0, COMMUNITY = 1, FIRM = 2 };

START_TEST(commissioners_and_agencies)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    ck_assert_int_eq(sim->n_commissioners, 2);
    const qm_commissioner *c2 = &sim->comm[1];
    ck_assert_str_eq(c2->name, "C2");
    ck_assert_double_eq_tol(c2->population, 200000.0, EPS);
    ck_assert_double_eq_tol(c2->budget, 200000.0 * 100.0, 1e-6);
    ck_assert_double_eq_tol(c2->con_staff, 2.0, EPS);
    ck_assert_double_eq_tol(c2->A_eff, 0.4, EPS);
    /* I = d (0.4 + 0.6 A) = 0.5 x 0.64 */
    ck_assert_double_eq_tol(c2->info, 0.32, EPS);
    /* Commissioners stand evenly round the circle: c / n. */
    ck_assert_double_eq_tol(sim->comm[0].position, 0.0, EPS);
    ck_assert_double_eq_tol(c2->position, 0.5, EPS);
    ck_assert_int_eq(c2->active, 1);
    ck_assert_int_eq(c2->request_agency, -1);
    ck_assert_int_eq(c2->split_at, -1);
    /* Agencies: the CSU and the firm; each commissioner's host is the
     * nearest CSU. */
    ck_assert_int_eq(sim->n_agencies, 2);
    ck_assert_int_eq(sim->agency[0].kind, QM_AK_CSU);
    ck_assert_int_eq(sim->agency[1].kind, QM_AK_COMMERCIAL);
    ck_assert_double_eq_tol(sim->agency[1].fee, 9000.0, EPS);
    ck_assert_int_eq(sim->comm[0].host, 0);
    ck_assert_int_eq(c2->host, 0);
    fx_close(f);
}
END_TEST

/* Unit cost = tariff (cost_min + position (cost_max - cost_min)): Acute
 * 1,000 x (0.8 + 0.5 x 0.2) = 900, Firm 800 for acute work. */
START_TEST(providers)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    ck_assert_int_eq(sim->n_providers, 3);
    ck_assert_int_eq(sim->max_providers, 3 + 40);
    ck_assert_int_eq(sim->prov[FIRM].kind, QM_PK_INDEPENDENT);
    ck_assert_int_eq(sim->prov[FIRM].group, 2);
    ck_assert_int_eq(sim->prov[FIRM].entry_month, -1);
    ck_assert_double_eq_tol(sim->prov[FIRM].markup, 0.2, EPS);
    ck_assert_double_eq_tol(sim->unit_cost[QM_PS(sim, ACUTE, 0)], 900.0, 1e-9);
    ck_assert_double_eq_tol(sim->unit_cost[QM_PS(sim, FIRM, 0)], 800.0, 1e-9);
    ck_assert_double_eq_tol(sim->unit_cost[QM_PS(sim, FIRM, 1)], 80.0, 1e-9);
    ck_assert_double_eq_tol(sim->quality0[QM_PS(sim, FIRM, 1)], 0.65, EPS);
    ck_assert_int_eq(sim->offers[QM_PS(sim, COMMUNITY, 1)], 1);
    ck_assert_int_eq(sim->svc_n[0], 3);
    fx_close(f);
}
END_TEST

/* Every contract starts with Acute (the nearest NHS provider, the lowest
 * id on a tie): volume demand x population / 1,000, the tariff as price,
 * monitoring 0.5, the provider's quality as the record, an expiry within
 * the first three years.  Acute's community capacity is raised to 1.15 x
 * the 3,000 units it holds; its acute capacity (1,000 for 600) is enough.
 * The relationship's evidence is that of its age in months at today's
 * quality: alpha + beta = 0.5 (1 - 0.97^age) / 0.03, split by
 * Phi((0.7 - 0.6) / sigma), sigma = 0.15 (1 - 0.5 x 0.32)(1 - 0.5 x 0.5). */
START_TEST(contracts_and_relationships)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    for (int c = 0; c < 2; c++)
        for (int s = 0; s < 2; s++) {
            const qm_contract *k = QM_CON(sim, c, s);
            ck_assert_int_eq(k->active, 1);
            ck_assert_int_eq(k->provider, ACUTE);
            ck_assert_int_ge(k->expiry, 0);
            ck_assert_int_lt(k->expiry, 36);
            ck_assert_int_eq(k->start, k->expiry - 36);
            ck_assert_int_eq(k->tender_end, -1);
            ck_assert_int_eq(k->last_tender, -1);
            ck_assert_int_le(-k->incumbent_since, 120);
            ck_assert_int_ge(-k->incumbent_since, 24);
            ck_assert_double_eq_tol(k->monitoring, 0.5, EPS);
            ck_assert_double_eq_tol(k->qhat, 0.7, EPS);
        }
    const qm_contract *k = QM_CON(sim, 1, 1);
    ck_assert_double_eq_tol(k->volume, 2000.0, EPS);
    ck_assert_double_eq_tol(k->price, 100.0, EPS);
    ck_assert_double_eq_tol(sim->held[QM_PS(sim, ACUTE, 1)], 3000.0, EPS);
    ck_assert_double_eq_tol(sim->capacity[QM_PS(sim, ACUTE, 1)], 3450.0, 1e-9);
    ck_assert_double_eq_tol(sim->capacity[QM_PS(sim, ACUTE, 0)], 1000.0, EPS);
    ck_assert_double_eq_tol(sim->capacity[QM_PS(sim, FIRM, 1)], 1000.0, EPS);
    const qm_rel *r = qm_state_rel(sim, 1, ACUTE, 0);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(sim->comm[1].n_rel, 1);
    double sigma = 0.15 * (1.0 - 0.5 * 0.32) * (1.0 - 0.5 * 0.5);
    double phi = gsl_cdf_ugaussian_P(0.1 / sigma);
    double n = r->alpha + r->beta;
    ck_assert_double_eq_tol(r->alpha / n, phi, 1e-12);
    /* The age is drawn, not a whole number of months: the evidence lies
     * between that of the last two months of the incumbent's tenure.  Both
     * of C2's contracts are with Acute: the relationship is set up again
     * for the second, whose age it keeps. */
    int age = -QM_CON(sim, 1, 1)->incumbent_since;
    ck_assert(n >= 0.5 * (1.0 - pow(0.97, age)) / 0.03 - 1e-12);
    ck_assert(n <= 0.5 * (1.0 - pow(0.97, age + 1)) / 0.03 + 1e-12);
    ck_assert_int_eq(r->last_contact, -1);
    fx_close(f);
}
END_TEST

/* One commissioner at 0 on the circle; two independents at 0.25 and 0.75,
 * an NHS trust at 0.5 offering only the first service. */
static const char *const ring =
    "name = \"ring\"; seed = 3; months = 12;\n"
    "services = ( { name = \"a\"; }, { name = \"b\"; } );\n"
    "commissioners = ( { prefix = \"C\"; count = 1; } );\n"
    "providers = ( { kind = \"independent\"; count = 2; },\n"
    "              { kind = \"nhs_acute\"; count = 1; services = [\"a\"]; } );\n";

/* The nearest NHS provider, however far; where none offers the service,
 * the nearest provider (a tie to the lower id); or, by the random rule,
 * any provider that offers it. */
START_TEST(who_holds_the_first_contracts)
{
    fx *f = fx_text(ring);
    ck_assert_double_eq_tol(f->sim->prov[0].position, 0.25, EPS);
    ck_assert_double_eq_tol(f->sim->prov[2].position, 0.5, EPS);
    ck_assert_int_eq(QM_CON(f->sim, 0, 0)->provider, 2);
    ck_assert_int_eq(QM_CON(f->sim, 0, 1)->provider, 0);
    fx_close(f);
    char text[1024];
    snprintf(text, sizeof text, "%scontract = { initial_rule = \"random\"; };", ring);
    f = fx_text(text);
    ck_assert_int_le(QM_CON(f->sim, 0, 0)->provider, 2);
    ck_assert_int_le(QM_CON(f->sim, 0, 1)->provider, 1);
    fx_close(f);
}
END_TEST

/* A service nobody offers cannot start. */
START_TEST(nobody_offers_a_service)
{
    static qm_errors err;
    qm_scenario sc;
    char msg[256] = "";
    const char *text =
        "name = \"ring\"; seed = 3; months = 12;\n"
        "services = ( { name = \"a\"; }, { name = \"b\"; } );\n"
        "commissioners = ( { prefix = \"C\"; count = 1; } );\n"
        "providers = ( { kind = \"nhs_acute\"; count = 1; services = [\"a\"]; } );\n";
    int bad = qm_scenario_load_text(text, "ring", NULL, 0, &sc, &err);
    ck_assert_msg(bad == 0, "%s", bad ? err.msg[0] : "");
    ck_assert_ptr_null(qm_sim_create(&sc, sc.seed, 0, 1, msg, sizeof msg));
    ck_assert_str_eq(msg, "no provider offers service 'b'");
    qm_scenario_free(&sc);
}
END_TEST

static void add(TCase *tc)
{
    tcase_add_test(tc, commissioners_and_agencies);
    tcase_add_test(tc, providers);
    tcase_add_test(tc, contracts_and_relationships);
    tcase_add_test(tc, who_holds_the_first_contracts);
    tcase_add_test(tc, nobody_offers_a_service);
}

int main(void)
{
    return fx_run("init", add);
}
