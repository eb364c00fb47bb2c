/* test_engine.c: whole runs of the engine: invariants, determinism across
 * threads and runs, and the staff-capacity rule of MODEL.md 4.2. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qmsim/check.h"
#include "qmsim/qmsim.h"
#include "core/state.h"

typedef struct run {
    int months, C, P, n_events;
    double *series;   /* months x QM_S_N */
    double *cpanel;   /* months x QM_CP_N x C */
    double *ppanel;   /* months x QM_PP_N x P */
    qm_event *events; /* all events */
} run;

static qm_scenario load(const char *const *sets, int n)
{
    qm_scenario sc;
    static qm_errors err;
    int bad = qm_scenario_load(NULL, sets, n, &sc, &err);
    ck_assert_msg(bad == 0, "baseline does not load: %s", bad ? err.msg[0] : "");
    return sc;
}

/* Runs a scenario and keeps every frame, checking invariants each month. */
static run simulate(const qm_scenario *sc, uint64_t rep, int threads)
{
    char err[256];
    qm_sim *sim = qm_sim_create(sc, sc->seed, rep, threads, err, sizeof err);
    ck_assert_msg(sim != NULL, "%s", err);
    qm_frame *f = qm_frame_alloc(sim);
    ck_assert_ptr_nonnull(f);
    run r = {sc->months, sim->n_commissioners, sim->max_providers, 0, NULL, NULL, NULL, NULL};
    r.series = calloc((size_t)r.months * QM_S_N, sizeof(double));
    r.cpanel = calloc((size_t)r.months * QM_CP_N * r.C, sizeof(double));
    r.ppanel = calloc((size_t)r.months * QM_PP_N * r.P, sizeof(double));
    size_t cap = 1024;
    r.events = malloc(cap * sizeof(qm_event));
    for (int m = 0; m < r.months; m++) {
        qm_sim_step(sim);
        qm_observe(sim, f);
        ck_assert_int_eq(f->month, m);
        memcpy(r.series + (size_t)m * QM_S_N, f->series, sizeof f->series);
        memcpy(r.cpanel + (size_t)m * QM_CP_N * r.C, f->cpanel, (size_t)QM_CP_N * r.C * sizeof(double));
        memcpy(r.ppanel + (size_t)m * QM_PP_N * r.P, f->ppanel, (size_t)QM_PP_N * r.P * sizeof(double));
        while ((size_t)(r.n_events + f->n_events) > cap)
            r.events = realloc(r.events, (cap *= 2) * sizeof(qm_event));
        memcpy(r.events + r.n_events, f->events, (size_t)f->n_events * sizeof(qm_event));
        r.n_events += f->n_events;

        /* Money paid equals money received (MODEL.md 3.2). */
        double received = 0.0;
        for (int p = 0; p < r.P; p++)
            received += f->ppanel[QM_PP_REVENUE * r.P + p];
        ck_assert_double_eq_tol(received, f->series[QM_S_SPEND], 1e-9 * (1.0 + fabs(received)));
        /* Bounds and finiteness everywhere. */
        for (int i = 0; i < QM_S_N; i++)
            ck_assert_msg(isfinite(f->series[i]), "series %s not finite at %d", qm_series_defs[i].name, m);
        for (int i = 0; i < QM_CP_N * r.C; i++)
            ck_assert(isfinite(f->cpanel[i]));
        for (int i = 0; i < QM_PP_N * r.P; i++)
            ck_assert(isfinite(f->ppanel[i]));
        for (int c = 0; c < sim->n_commissioners; c++) {
            const qm_commissioner *cm = &sim->comm[c];
            ck_assert(cm->A >= 0 && cm->A <= 1 && cm->X >= 0 && cm->X <= 1 && cm->R >= 0 && cm->R <= 1);
            ck_assert(cm->info >= 0 && cm->info <= 1);
            for (int i = 0; i < cm->n_rel; i++) {
                double T = qm_state_rel_mean(&cm->rel[i]);
                ck_assert_msg(T >= 0 && T <= 1, "trust %g out of [0,1]", T);
            }
            ck_assert_int_eq(cm->events_dropped, 0);
        }
        for (size_t ps = 0; ps < (size_t)sim->max_providers * sim->n_services; ps++) {
            ck_assert(sim->quality[ps] >= 0 && sim->quality[ps] <= 1);
            ck_assert(sim->held[ps] > -1e-6);
            /* Awards respect capacity: a provider that held nothing at the
             * start only ever holds what it had room for (MODEL.md 4.3). */
            int kind = sim->prov[ps / sim->n_services].kind;
            if (kind == QM_PK_INDEPENDENT || kind == QM_PK_VOLUNTARY)
                ck_assert_msg(sim->held[ps] <= sim->capacity[ps] + 1e-6, "held %g > capacity %g",
                              sim->held[ps], sim->capacity[ps]);
        }
        ck_assert(f->series[QM_S_CONTRACTS_ACTIVE] <= (double)sim->n_commissioners * sim->n_services);
        /* Everything --check checks, the walks' copies of room included. */
        char msg[512];
        ck_assert_msg(qm_check_state(sim, f, msg, sizeof msg) == 0, "%s", msg);
    }
    qm_frame_free(f);
    qm_sim_free(sim);
    return r;
}

static void run_free(run *r)
{
    free(r->series);
    free(r->cpanel);
    free(r->ppanel);
    free(r->events);
}

static int same(const run *a, const run *b)
{
    return a->n_events == b->n_events &&
           !memcmp(a->series, b->series, (size_t)a->months * QM_S_N * sizeof(double)) &&
           !memcmp(a->cpanel, b->cpanel, (size_t)a->months * QM_CP_N * a->C * sizeof(double)) &&
           !memcmp(a->ppanel, b->ppanel, (size_t)a->months * QM_PP_N * a->P * sizeof(double)) &&
           !memcmp(a->events, b->events, (size_t)a->n_events * sizeof(qm_event));
}

static double total(const run *r, int series)
{
    double t = 0.0;
    for (int m = 0; m < r->months; m++)
        t += r->series[(size_t)m * QM_S_N + series];
    return t;
}

/* The threads a run's passes use (qmsim/sim.h): hand-computed for the
 * national scenario's 211 x 20 = 4,220 slots (x1) and 33,760 (x8) at the
 * 8,000 slots a thread. */
START_TEST(thread_plan)
{
    ck_assert_int_eq(qm_sim_plan_threads(1, 4220, 1), 1);
    ck_assert_int_eq(qm_sim_plan_threads(2, 4220, 0), 1);  /* too small for two */
    ck_assert_int_eq(qm_sim_plan_threads(2, 33760, 0), 2); /* 4.2 threads' worth */
    ck_assert_int_eq(qm_sim_plan_threads(2, 33760, 1), 1); /* the writer takes a core */
    ck_assert_int_eq(qm_sim_plan_threads(8, 33760, 1), 4); /* 7 asked, 4 worth it */
    ck_assert_int_eq(qm_sim_plan_threads(8, 1e9, 1), 7);
    ck_assert_int_eq(qm_sim_plan_threads(3, 16000, 0), 2); /* exactly two */
    ck_assert_int_eq(qm_sim_plan_threads(3, 15999, 0), 1);
    ck_assert_int_eq(qm_sim_plan_threads(0, 1e9, 0), 1);   /* none asked: one */
    ck_assert_int_eq(qm_sim_plan_threads(-4, 1e9, 1), 1);
}
END_TEST

START_TEST(baseline_invariants)
{
    qm_scenario sc = load(NULL, 0);
    run r = simulate(&sc, 0, 1);
    ck_assert_int_eq(r.months, 120);
    ck_assert(total(&r, QM_S_SPEND) > 0);
    ck_assert(total(&r, QM_S_ACTIVITY) > 0);
    run_free(&r);
    qm_scenario_free(&sc);
}
END_TEST

START_TEST(market_reform_invariants)
{
    /* A market-heavy variant exercises tenders, switches, entry and exit. */
    const char *sets[] = {"policy.tender_pressure=1", "policy.tender_mandate=0.5",
                          "policy.open_market=true", "policy.payment_type=activity",
                          "market.entry_rate=0.5", "months=96"};
    qm_scenario sc = load(sets, 6);
    run r = simulate(&sc, 3, 2);
    ck_assert(total(&r, QM_S_TENDERS_COMPLETED) > 0);
    ck_assert(total(&r, QM_S_PROVIDER_ENTRIES) > 0);
    run_free(&r);
    qm_scenario_free(&sc);
}
END_TEST

START_TEST(determinism_across_threads)
{
    const char *sets[] = {"policy.tender_pressure=0.6", "policy.open_market=true", "months=72"};
    qm_scenario sc = load(sets, 3);
    run a = simulate(&sc, 1, 1);
    run b = simulate(&sc, 1, 2);
    run c = simulate(&sc, 1, 2);
    ck_assert_msg(same(&a, &b), "threads 1 and 2 differ");
    ck_assert_msg(same(&b, &c), "two runs with 2 threads differ");
    run d = simulate(&sc, 2, 1);
    ck_assert_msg(!same(&a, &d), "replicates 1 and 2 are identical");
    run_free(&a);
    run_free(&b);
    run_free(&c);
    run_free(&d);
    qm_scenario_free(&sc);
}
END_TEST

/* Every generator gives thread-independent runs; different generators give
 * different runs of the same scenario and seed; an unknown generator is
 * refused by qm_sim_create with a message. */
START_TEST(generators)
{
    static const char *const kinds[] = {"generator=cmrg", "generator=mt19937", "generator=taus2",
                                        "generator=xoshiro256pp"};
    run first = {0};
    for (int g = 0; g < 4; g++) {
        const char *sets[] = {kinds[g], "months=36"};
        qm_scenario sc = load(sets, 2);
        ck_assert_int_eq(sc.generator, g);
        run a = simulate(&sc, 0, 1);
        run b = simulate(&sc, 0, 2);
        ck_assert_msg(same(&a, &b), "%s: threads 1 and 2 differ", kinds[g]);
        if (g == 0)
            first = a;
        else {
            ck_assert_msg(!same(&first, &a), "%s gives the run of cmrg", kinds[g]);
            run_free(&a);
        }
        run_free(&b);
        qm_scenario_free(&sc);
    }
    run_free(&first);
    const char *sets[] = {"months=12"};
    qm_scenario sc = load(sets, 1);
    sc.generator = QM_RNG_N;
    char err[256] = "";
    ck_assert_ptr_null(qm_sim_create(&sc, sc.seed, 0, 1, err, sizeof err));
    ck_assert_msg(strstr(err, "generator") != NULL, "message: %s", err);
    qm_scenario_free(&sc);
}
END_TEST

START_TEST(capacity_rule_rolls_over)
{
    /* With a mandate to tender but almost no contracting staff, no tender
     * fits: every chosen tender becomes a rollover (MODEL.md 4.2). */
    const char *sets[] = {"policy.tender_mandate=1", "commissioners[0].contracting_staff=0.3",
                          "months=48"};
    qm_scenario sc = load(sets, 3);
    run r = simulate(&sc, 0, 1);
    ck_assert_double_eq_tol(total(&r, QM_S_TENDERS_STARTED), 0.0, 1e-12);
    ck_assert(total(&r, QM_S_DECISIONS_ROLLOVER) > 0);
    ck_assert(total(&r, QM_S_STAFF_SHORTFALL) > 0);
    run_free(&r);
    qm_scenario_free(&sc);

    /* With ample staff the same mandate does tender. */
    const char *more[] = {"policy.tender_mandate=1", "commissioners[0].contracting_staff=50",
                          "months=48"};
    sc = load(more, 3);
    r = simulate(&sc, 0, 1);
    ck_assert(total(&r, QM_S_TENDERS_STARTED) > 0);
    ck_assert_double_eq_tol(total(&r, QM_S_DECISIONS_ROLLOVER), 0.0, 1e-12);
    run_free(&r);
    qm_scenario_free(&sc);
}
END_TEST

START_TEST(transaction_cost_accounting)
{
    /* Costs are counts times staff time times salary (MODEL.md 4.2). */
    const char *sets[] = {"policy.tender_pressure=1", "policy.tender_mandate=0.3", "months=96"};
    qm_scenario sc = load(sets, 3);
    const qm_params *P = &sc.p;
    run r = simulate(&sc, 0, 1);
    double renew = total(&r, QM_S_DECISIONS_RENEW) - total(&r, QM_S_DECISIONS_ROLLOVER);
    ck_assert_double_eq_tol(total(&r, QM_S_TC_RENEWAL), renew * P->cost.renewal * P->cost.salary, 1e-6);
    /* v2: both sides of each renegotiation, at expiry or upward after an
     * outsider's cost showed. */
    ck_assert_double_eq_tol(total(&r, QM_S_TC_RENEGOTIATION),
                            (total(&r, QM_S_DECISIONS_RENEGOTIATE) + total(&r, QM_S_RENEGOTIATIONS_UPWARD)) *
                            P->cost.renegotiation *
                            (P->cost.salary + P->cost.provider_negotiation * P->cost.provider_salary), 1e-6);
    ck_assert_double_eq_tol(total(&r, QM_S_TC_SWITCHING),
                            total(&r, QM_S_SWITCHES) * P->cost.switching * P->cost.salary, 1e-6);
    /* A tender costs its whole staff time only once it has run its course. */
    double one = P->cost.tender * P->cost.salary;
    ck_assert(total(&r, QM_S_TENDERS_COMPLETED) > 0);
    ck_assert(total(&r, QM_S_TC_TENDER) <= total(&r, QM_S_TENDERS_STARTED) * one + 1e-6);
    ck_assert(total(&r, QM_S_TC_TENDER) >= total(&r, QM_S_TENDERS_COMPLETED) * one - 1e-6);
    /* Every bid costs the same; at least the winner bid in each tender. */
    double bid = P->cost.bid * P->cost.provider_salary;
    double bids = total(&r, QM_S_TC_BID) / bid;
    ck_assert_double_eq_tol(bids, round(bids), 1e-6);
    ck_assert(bids >= total(&r, QM_S_TENDERS_COMPLETED));
    ck_assert(bids <= total(&r, QM_S_TENDERS_COMPLETED) * P->tender.max_bidders);
    /* Categories and bearers add up. */
    ck_assert_double_eq_tol(total(&r, QM_S_TC_EX_ANTE) + total(&r, QM_S_TC_EX_POST),
                            total(&r, QM_S_TC_COMMISSIONER) + total(&r, QM_S_TC_PROVIDER), 1e-3);
    run_free(&r);
    qm_scenario_free(&sc);
}
END_TEST

START_TEST(loss_making_providers_exit)
{
    /* Independents that bid below cost win tenders and lose money; after
     * market.exit_loss_months they leave and their contracts move on. */
    const char *sets[] = {"policy.tender_mandate=1", "providers[3].markup=-0.4",
                          "providers[3].capacity=100000", "market.exit_loss_months=6",
                          "months=120"};
    qm_scenario sc = load(sets, 5);
    run r = simulate(&sc, 0, 1);
    ck_assert(total(&r, QM_S_PROVIDER_EXITS) > 0);
    int exits = 0;
    for (int i = 0; i < r.n_events; i++)
        if (r.events[i].type == QM_EV_EXIT) {
            exits++;
            /* The provider holds nothing from the month after it left. */
            int p = r.events[i].provider, m = r.events[i].month;
            ck_assert_int_eq(sc.pgroups[3].kind, QM_PK_INDEPENDENT);
            if (m + 1 < r.months) {
                double held = r.ppanel[((size_t)(m + 1) * QM_PP_N + QM_PP_CONTRACTS_HELD) * r.P + p];
                double active = r.ppanel[((size_t)(m + 1) * QM_PP_N + QM_PP_ACTIVE) * r.P + p];
                ck_assert_double_eq_tol(held, 0.0, 1e-12);
                ck_assert_double_eq_tol(active, 0.0, 1e-12);
            }
        }
    ck_assert_int_eq(exits, (int)total(&r, QM_S_PROVIDER_EXITS));
    run_free(&r);
    qm_scenario_free(&sc);
}
END_TEST

/* The relationship a contract's hint leads to is the one a scan finds,
 * whatever the hint says: right, stale, another partner's or out of range. */
START_TEST(incumbent_hints)
{
    const char *sets[] = {"months=36"};
    qm_scenario sc = load(sets, 1);
    char err[256];
    qm_sim *sim = qm_sim_create(&sc, sc.seed, 0, 1, err, sizeof err);
    ck_assert_msg(sim != NULL, "%s", err);
    for (int m = 0; m < 30; m++)
        qm_sim_step(sim);
    int S = sim->n_services, checked = 0;
    const int bad[] = {-7, -1, 0, 1, 5, 1 << 20};
    for (int c = 0; c < sim->n_commissioners; c++)
        for (int s = 0; s < S; s++) {
            qm_contract *k = &sim->con[(size_t)c * S + s];
            if (!k->active)
                continue;
            qm_rel *want = qm_state_rel(sim, c, k->provider, 0);
            double T = qm_state_trust(sim, c, k->provider);
            for (size_t i = 0; i <= sizeof bad / sizeof *bad; i++) {
                if (i < sizeof bad / sizeof *bad)
                    k->rel_hint = bad[i];
                ck_assert_ptr_eq(qm_state_incumbent_rel(sim, c, k, 0), want);
                ck_assert_double_eq(qm_state_incumbent_trust(sim, c, k), T);
            }
            /* A hint found right is kept. */
            if (want)
                ck_assert_ptr_eq(&sim->comm[c].rel[k->rel_hint], want);
            checked++;
        }
    ck_assert_int_gt(checked, 50);
    qm_sim_free(sim);
    qm_scenario_free(&sc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("runs");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, thread_plan);
    tcase_add_test(tc, baseline_invariants);
    tcase_add_test(tc, market_reform_invariants);
    tcase_add_test(tc, determinism_across_threads);
    tcase_add_test(tc, generators);
    tcase_add_test(tc, capacity_rule_rolls_over);
    tcase_add_test(tc, transaction_cost_accounting);
    tcase_add_test(tc, loss_making_providers_exit);
    tcase_add_test(tc, incumbent_hints);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
