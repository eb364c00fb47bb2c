/* test_market.c: MODEL.md 4.3 and 2 Provider, the market (src/model/
 * market.c): challenge, quality drift, exit with the fallback provider,
 * entry, margins and concentration. */
#include "fixture.h"
#include "model/contracts.h"
#include "model/market.h"

enum { ACUTE = 0, COMMUNITY = 1, FIRM = 2 };
#define MONTH 40

START_TEST(drift_entry_exit_formulas)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
    p.market.drift_challenge = 0.002; p.market.drift_close = 0.003;
    p.market.reversion = 0.02; p.market.drift_sd = 0.005;
    /* Drift: 0.6 + 0.02 x (0.7 - 0.6) = 0.602; challenge does not enter. */
    ck_assert_double_eq_tol(qm_market_drift(&p, 0.6, 0.7, 0.0), 0.602, EPS);
    ck_assert_double_eq_tol(qm_market_drift(&p, 0.7, 0.7, 2.0), 0.71, EPS);
    ck_assert_double_eq_tol(qm_market_drift(&p, 0.999, 1.0, 1e6), 1.0, EPS);
    ck_assert_double_eq_tol(qm_market_drift(&p, 0.001, 0.0, -1e6), 0.0, EPS);
    /* Lift: 0.002 x 1 - 0.02 x 0.01 = 0.0018 added; too close: -0.003. */
    p.market.challenge_bound = 0.05;
    ck_assert_double_eq_tol(qm_market_lift(&p, 0.01, 1.0, 0), 0.0118, EPS);
    ck_assert_double_eq_tol(qm_market_lift(&p, 0.0, 0.0, 1), -0.003, EPS);
    ck_assert_double_eq_tol(qm_market_lift(&p, 0.0499, 1.0, 0), 0.05, EPS);
    p.market.exit_loss_months = 12;
    ck_assert_int_eq(qm_market_exits(&p, QM_PK_INDEPENDENT, 12), 1);
    ck_assert_int_eq(qm_market_exits(&p, QM_PK_VOLUNTARY, 11), 0);
    ck_assert_int_eq(qm_market_exits(&p, QM_PK_NHS_ACUTE, 1000), 0);
    p.market.entry_rate = 0.05; p.market.entry_margin_scale = 0.2;
    ck_assert_double_eq_tol(qm_market_entry_prob(&p, 0.5, 0.1), 0.0125, EPS);
    ck_assert_double_eq_tol(qm_market_entry_prob(&p, 0.5, 0.9), 0.025, EPS);
    ck_assert_double_eq_tol(qm_market_entry_prob(&p, 0.5, -0.1), 0.0, EPS);
    ck_assert_double_eq_tol(qm_market_entry_prob(&p, 0.0, 0.5), 0.0, EPS);
    double v[6] = {1, -9, 1, -9, 2, -9};
    ck_assert_double_eq_tol(qm_market_hhi(v, 3, 2), 0.375, EPS);
    ck_assert_double_eq_tol(qm_market_hhi_sums(4.0, 6.0), 0.375, EPS);
    ck_assert_double_eq_tol(qm_market_hhi_sums(0.0, 0.0), 0.0, EPS);
}
END_TEST

/* Acute holds all four contracts.  C1's acute contract was tendered at 30
 * (recent: challenge 1); C1's community contract is monitored at 0.4 and
 * C2's at 0.2 (v2: each contract feels its own); C2 trusts Acute
 * (alpha 100: T = 102.8 / 104 > 0.85) and monitors little, which is too
 * close. */
START_TEST(challenge)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    sim->month = MONTH;
    QM_CON(sim, 0, 0)->last_tender = 30;
    QM_CON(sim, 0, 1)->monitoring = 0.4;
    QM_CON(sim, 1, 1)->monitoring = 0.2;
    QM_CON(sim, 1, 0)->monitoring = 0.2;
    fx_forget(sim);
    qm_rel *r = qm_state_rel(sim, 1, ACUTE, 1);
    r->alpha = 100.0;
    for (int c = 0; c < 2; c++)
        for (int s = 0; s < 2; s++)
            qm_market_challenge(sim, c, QM_CON(sim, c, s));
    /* v2: each contract's own lift.  C1 acute: a recent tender, 0.002;
     * C1 community: monitoring 0.4, 0.0008; C2's two, monitored at 0.2
     * and too close: 0.0004 - 0.003 = -0.0026. */
    ck_assert_double_eq_tol(QM_CONX(sim, QM_CON(sim, 0, 0))->lift, 0.002, EPS);
    ck_assert_double_eq_tol(QM_CONX(sim, QM_CON(sim, 0, 1))->lift, 0.0008, EPS);
    ck_assert_double_eq_tol(QM_CONX(sim, QM_CON(sim, 1, 0))->lift, -0.0026, EPS);
    ck_assert_double_eq_tol(QM_CONX(sim, QM_CON(sim, 1, 1))->lift, -0.0026, EPS);
    ck_assert_double_eq_tol(QM_CON(sim, 1, 1)->trust, 102.8 / 104.0, EPS);
    ck_assert_double_eq_tol(QM_CON(sim, 0, 1)->trust, 0.7, EPS); /* the prior */
    /* A tender 24 months old is no longer a challenge (monitoring 0.5:
     * 0.002 + 0.001 - 0.02 x 0.002 = 0.00296); a running one is. */
    sim->month = 54;
    qm_market_challenge(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_double_eq_tol(QM_CONX(sim, QM_CON(sim, 0, 0))->lift, 0.00296, EPS);
    QM_CON(sim, 0, 0)->tender_end = 60;
    qm_market_challenge(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_double_eq_tol(QM_CONX(sim, QM_CON(sim, 0, 0))->lift, 0.00296 + 0.002 - 0.02 * 0.00296, EPS);
    fx_close(f);
}
END_TEST

/* Without noise: Acute's base quality 0.7 stays at its base (v2:
 * challenge acts per contract, not on the provider).  A month of losses
 * is counted;
 * a month without resets the count. */
START_TEST(drift_and_losses)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    sim->p.market.drift_sd = 0.0;
    sim->prov[ACUTE].revenue = 100.0;
    sim->prov[ACUTE].delivery_cost = 120.0;
    sim->prov[ACUTE].bid_cost = 30.0;
    sim->prov[FIRM].loss_months = 5;
    qm_market_drift_provider(sim, ACUTE);
    qm_market_drift_provider(sim, FIRM);
    /* v2: the provider's base quality feels no challenge (it acts per
     * contract, challenge_per_contract): at its base it stays put. */
    ck_assert_double_eq_tol(sim->quality[QM_PS(sim, ACUTE, 0)], 0.7, EPS);
    ck_assert_double_eq_tol(sim->quality[QM_PS(sim, ACUTE, 1)], 0.7, EPS);
    ck_assert_double_eq_tol(sim->quality[QM_PS(sim, FIRM, 0)], 0.65, EPS);
    ck_assert_int_eq(sim->prov[ACUTE].loss_months, 1);
    ck_assert_int_eq(sim->prov[FIRM].loss_months, 0);
    fx_close(f);
}
END_TEST

/* Firm holds C1's acute contract and has lost money for 12 months: it
 * leaves, and the contract goes to the nearest provider with room, NHS
 * first (Acute), for a rollover's term, credited with Acute's quality. */
START_TEST(exit_and_fallback)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    sim->month = MONTH;
    qm_contract *k = QM_CON(sim, 0, 0);
    qm_contracts_switch(sim, 0, QM_CON(sim, 0, 0), FIRM, 0);
    k->tender_end = 45;
    sim->comm[0].n_events = 0;
    sim->prov[FIRM].loss_months = 12;
    sim->prov[ACUTE].loss_months = 100; /* the NHS does not leave */
    for (int p = 0; p < sim->n_providers; p++)
        qm_market_exit_decide(sim, p);
    ck_assert_int_eq(sim->exiting[FIRM], 1);
    ck_assert_int_eq(sim->exiting[ACUTE], 0);
    qm_market_exit(sim);
    ck_assert_int_eq(sim->prov[FIRM].active, 0);
    ck_assert_int_eq(sim->prov[ACUTE].active, 1);
    ck_assert_int_eq(sim->exiting[FIRM], 1);
    ck_assert_double_eq_tol(sim->month_exits, 1.0, EPS);
    ck_assert_int_eq(sim->n_market_events, 1);
    ck_assert_int_eq(sim->market_events[0].type, QM_EV_EXIT);
    ck_assert_int_eq(sim->market_events[0].provider, FIRM);
    ck_assert_int_eq(k->provider, ACUTE);
    ck_assert_double_eq_tol(k->qhat, 0.7, EPS);
    ck_assert_int_eq(k->tender_end, -1);
    ck_assert_int_eq(k->expiry, MONTH + 13);
    ck_assert_double_eq_tol(sim->held[QM_PS(sim, FIRM, 0)], 0.0, EPS);
    const qm_commissioner *cm = &sim->comm[0];
    ck_assert_int_eq(cm->events[cm->n_events - 1].type, QM_EV_AWARD);
    fx_close(f);
}
END_TEST

/* When nobody can take a departing provider's contract it lapses and its
 * demand goes unmet. */
START_TEST(exit_without_fallback)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    qm_contract *k = QM_CON(sim, 0, 0);
    qm_contracts_switch(sim, 0, QM_CON(sim, 0, 0), FIRM, 0);
    sim->capacity[QM_PS(sim, ACUTE, 0)] = 0.0;
    sim->capacity[QM_PS(sim, COMMUNITY, 0)] = 0.0;
    qm_walk_refresh(sim, ACUTE, 0);
    qm_walk_refresh(sim, COMMUNITY, 0);
    sim->prov[FIRM].loss_months = 12;
    qm_market_exit_decide(sim, FIRM);
    qm_market_exit(sim);
    ck_assert_int_eq(k->active, 0);
    ck_assert_double_eq_tol(sim->held[QM_PS(sim, FIRM, 0)], 0.0, EPS);
    fx_close(f);
}
END_TEST

/* Under an open market, with every recent decision on acute work a tender
 * (share 1) and a margin of (1,000 - 900) / 1,000 = 0.1 over a scale of
 * 0.05 (capped at 1), an entrant comes for sure; community work saw no
 * tender, so none comes there. */
START_TEST(entry)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    sim->month = MONTH;
    sim->p.policy.open_market = 1;
    sim->p.market.entry_rate = 1.0;
    sim->p.market.entry_margin_scale = 0.05;
    sim->tender_ring[0] = 1;
    sim->decision_ring[0] = 1;
    qm_market_entry(sim);
    ck_assert_double_eq_tol(sim->svc_margin[0], 0.1, EPS);
    ck_assert_int_eq(sim->n_providers, 4);
    const qm_provider *pr = &sim->prov[3];
    ck_assert_int_eq(pr->active, 1);
    ck_assert_int_eq(pr->entrant, 1);
    ck_assert_int_eq(pr->kind, QM_PK_INDEPENDENT);
    ck_assert_int_eq(pr->group, -1);
    ck_assert_int_eq(pr->entry_month, MONTH);
    ck_assert_int_eq(sim->offers[QM_PS(sim, 3, 0)], 1);
    ck_assert_int_eq(sim->offers[QM_PS(sim, 3, 1)], 0);
    ck_assert_int_eq(sim->svc_n[0], 4);
    ck_assert_int_ge(sim->ps_place[QM_PS(sim, 3, 0)], 0);
    ck_assert_double_eq_tol(sim->month_entries, 1.0, EPS);
    ck_assert_int_eq(sim->market_events[0].type, QM_EV_ENTRY);
    /* A closed market sees no entry. */
    sim->p.policy.open_market = 0;
    qm_market_entry(sim);
    ck_assert_int_eq(sim->n_providers, 4);
    fx_close(f);
}
END_TEST

/* Expiry decisions of the month (renewals, renegotiations, rollovers,
 * tender starts) are counted per service for the entry window. */
START_TEST(decisions_counted)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    sim->month = MONTH;
    fx_forget(sim);
    int types[] = {QM_EV_RENEW, QM_EV_TENDER_START, QM_EV_AWARD, QM_EV_ROLLOVER};
    for (int i = 0; i < 4; i++)
        qm_state_event(sim, 0, types[i], i % 2, ACUTE, -1, 0.0);
    qm_market_count_decisions(sim, 0, 1, sim->n_services);
    int W = sim->p.market.entry_window;
    ck_assert_int_eq(sim->decision_ring[0 * W + MONTH % W], 0);  /* outside the range */
    ck_assert_int_eq(sim->decision_ring[1 * W + MONTH % W], 2);
    qm_market_count_decisions(sim, 0, 0, 1);
    ck_assert_int_eq(sim->decision_ring[0 * W + MONTH % W], 1);
    ck_assert_int_eq(sim->decision_ring[1 * W + MONTH % W], 2);
    fx_close(f);
}
END_TEST

/* MODEL.md 4.3 (v2): challenge lifts one contract, within its bound. */
START_TEST(challenge_per_contract)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
    p.market.drift_challenge = 0.002;
    p.market.drift_close = 0.003;
    p.market.reversion = 0.02;
    p.market.challenge_bound = 0.05;
    /* 0.01 + 0.002 x 1 - 0.02 x 0.01 = 0.0118 */
    ck_assert_double_eq_tol(qm_market_lift(&p, 0.01, 1.0, 0), 0.0118, EPS);
    /* too close: 0.01 + 0.001 - 0.003 - 0.0002 = 0.0078 */
    ck_assert_double_eq_tol(qm_market_lift(&p, 0.01, 0.5, 1), 0.0078, EPS);
    ck_assert_double_eq_tol(qm_market_lift(&p, 0.05, 1.0, 0), 0.05, EPS);
    ck_assert_double_eq_tol(qm_market_lift(&p, -0.05, 0.0, 1), -0.05, EPS);
}
END_TEST

static void add(TCase *tc)
{
    tcase_add_test(tc, drift_entry_exit_formulas);
    tcase_add_test(tc, challenge);
    tcase_add_test(tc, drift_and_losses);
    tcase_add_test(tc, exit_and_fallback);
    tcase_add_test(tc, exit_without_fallback);
    tcase_add_test(tc, entry);
    tcase_add_test(tc, decisions_counted);
    tcase_add_test(tc, challenge_per_contract);
}

int main(void)
{
    return fx_run("market", add);
}
