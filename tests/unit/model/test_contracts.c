/* test_contracts.c: MODEL.md 4.3, the contract itself (src/model/
 * contracts.c): who may hold it, a new term, a change of provider. */
#include "fixture.h"
#include "core/walk.h"
#include "model/contracts.h"

enum { ACUTE = 0, COMMUNITY = 1, FIRM = 2 };

/* In the tiny scenario every contract starts with Acute: all providers
 * stand at 0.5 and the nearest NHS one on a tie is the lowest id.  Acute
 * holds 200 + 400 = 600 units of acute work (capacity 1,000). */
START_TEST(eligibility)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    qm_contract *k = QM_CON(sim, 0, 0);
    ck_assert_int_eq(k->provider, ACUTE);
    ck_assert_double_eq_tol(k->volume, 200.0, EPS);
    ck_assert_double_eq_tol(sim->held[QM_PS(sim, ACUTE, 0)], 600.0, EPS);
    /* Firm: room 1,000 for 200 */
    ck_assert_int_eq(qm_contracts_fits(sim, FIRM, 0, k), 1);
    /* room 150 < 200: not eligible (eligibility share 1) */
    sim->capacity[QM_PS(sim, FIRM, 0)] = 150.0;
    ck_assert_int_eq(qm_contracts_fits(sim, FIRM, 0, k), 0);
    /* ... unless 150 is enough of the volume */
    sim->p.tender.eligibility_share = 0.75;
    ck_assert_int_eq(qm_contracts_fits(sim, FIRM, 0, k), 1);
    sim->p.tender.eligibility_share = 1.0;
    /* The incumbent counts its own volume as free: full, it still fits. */
    sim->held[QM_PS(sim, ACUTE, 0)] = 1000.0;
    ck_assert_int_eq(qm_contracts_fits(sim, ACUTE, 0, k), 1);
    sim->held[QM_PS(sim, ACUTE, 0)] = 1000.1;
    ck_assert_int_eq(qm_contracts_fits(sim, ACUTE, 0, k), 0);
    /* A provider that has left, or does not offer the service, never fits. */
    sim->prov[COMMUNITY].active = 0;
    ck_assert_int_eq(qm_contracts_fits(sim, COMMUNITY, 0, k), 0);
    sim->prov[COMMUNITY].active = 1;
    sim->offers[QM_PS(sim, COMMUNITY, 0)] = 0;
    ck_assert_int_eq(qm_contracts_fits(sim, COMMUNITY, 0, k), 0);
    fx_close(f);
}
END_TEST

/* A walk answers from the room its list keeps, which agrees with the
 * records once refreshed. */
START_TEST(eligibility_along_a_walk)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    qm_contract *k = QM_CON(sim, 0, 0);
    sim->capacity[QM_PS(sim, FIRM, 0)] = 150.0;
    qm_walk_refresh(sim, FIRM, 0);
    qm_walk w;
    qm_walk_start(sim, &w, 0, sim->comm[0].position);
    int seen = 0;
    for (int p; (p = qm_walk_next(&w)) >= 0; seen++)
        ck_assert_int_eq(qm_contracts_walk_fits(sim, &w, p, k), qm_contracts_fits(sim, p, 0, k));
    ck_assert_int_eq(seen, 3);
    fx_close(f);
}
END_TEST

START_TEST(new_term)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    sim->month = 5;
    qm_contract *k = QM_CON(sim, 1, 1);
    k->price = 95.0;
    qm_contracts_renew(sim, 1, QM_CON(sim, 1, 1), QM_EV_RENEW, 36.0);
    ck_assert_int_eq(k->start, 5);
    ck_assert_int_eq(k->expiry, 41);
    /* A rollover's term, 36 x 0.334 = 12.024 months, rounds up to 13. */
    qm_contracts_renew(sim, 1, QM_CON(sim, 1, 1), QM_EV_ROLLOVER, 36.0 * sim->p.cost.decision_extension);
    ck_assert_int_eq(k->expiry, 18);
    const qm_commissioner *cm = &sim->comm[1];
    ck_assert_int_eq(cm->n_events, 2);
    ck_assert_int_eq(cm->events[1].type, QM_EV_ROLLOVER);
    ck_assert_int_eq(cm->events[1].month, 5);
    ck_assert_int_eq(cm->events[1].service, 1);
    ck_assert_int_eq(cm->events[1].provider, ACUTE);
    ck_assert_double_eq_tol(cm->events[1].value, 95.0, EPS);
    fx_close(f);
}
END_TEST

/* C1's acute contract (200 units) moves from Acute to Firm after a lost
 * tender at month 7: the volume moves, the lists' room follows, the switch
 * takes 3 FTE-months (2 free, 1 short) and 15,000 GBP, quality dips until
 * month 13, Firm starts at its prior 0.5 and Acute's record takes the
 * penalty 2. */
START_TEST(switching_after_a_lost_tender)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    sim->month = 7;
    qm_commissioner *cm = &sim->comm[0];
    qm_contract *k = QM_CON(sim, 0, 0);
    cm->con_free = 2.0;
    qm_rel *old = qm_state_rel(sim, 0, ACUTE, 0);
    ck_assert_ptr_nonnull(old);
    double beta = old->beta;
    /* Earlier dealings with Firm are forgotten: the record starts anew. */
    qm_rel *firm = qm_state_rel(sim, 0, FIRM, 1);
    firm->alpha = 5.0;
    qm_contracts_switch(sim, 0, QM_CON(sim, 0, 0), FIRM, 1);
    ck_assert_int_eq(k->provider, FIRM);
    ck_assert_int_eq(k->incumbent_since, 7);
    ck_assert_int_eq(k->dip_until, 13);
    ck_assert_double_eq_tol(sim->held[QM_PS(sim, ACUTE, 0)], 400.0, EPS);
    ck_assert_double_eq_tol(sim->held[QM_PS(sim, FIRM, 0)], 200.0, EPS);
    size_t place = (size_t)sim->ps_place[QM_PS(sim, FIRM, 0)];
    ck_assert_double_eq_tol(sim->svc_room[place], 800.0, EPS);
    ck_assert_double_eq_tol(cm->con_free, 0.0, EPS);
    ck_assert_double_eq_tol(cm->t.staff_shortfall, 1.0, EPS);
    ck_assert_double_eq_tol(cm->t.tc_switching, 15000.0, EPS);
    ck_assert_double_eq_tol(cm->t.switches, 1.0, EPS);
    firm = qm_state_rel(sim, 0, FIRM, 0);
    ck_assert_double_eq_tol(firm->alpha + firm->beta, 0.0, EPS);
    ck_assert_double_eq_tol(qm_state_rel_mean(firm), 0.5, EPS);
    ck_assert_int_eq(firm->last_contact, 7);
    ck_assert_double_eq_tol(qm_state_rel(sim, 0, ACUTE, 0)->beta, beta + 2.0, EPS);
    const qm_event *e = &cm->events[cm->n_events - 1];
    ck_assert_int_eq(e->type, QM_EV_SWITCH);
    ck_assert_int_eq(e->provider, FIRM);
    ck_assert_int_eq(e->other, ACUTE);
    /* Moving on without a lost tender (an exit, a decommissioning) costs
     * the old provider nothing. */
    beta = qm_state_rel(sim, 0, FIRM, 0)->beta;
    qm_contracts_switch(sim, 0, QM_CON(sim, 0, 0), COMMUNITY, 0);
    ck_assert_double_eq_tol(qm_state_rel(sim, 0, FIRM, 0)->beta, beta, EPS);
    ck_assert_double_eq_tol(sim->held[QM_PS(sim, FIRM, 0)], 0.0, EPS);
    ck_assert_double_eq_tol(sim->held[QM_PS(sim, COMMUNITY, 0)], 200.0, EPS);
    fx_close(f);
}
END_TEST

/* MODEL.md 4.3 (v2): what delivery reveals of an optimistic price. */
START_TEST(cost_revealed)
{
    ck_assert_int_eq(qm_contracts_revealed(3, 6, 900, 1000, 950), 0);
    ck_assert_int_eq(qm_contracts_revealed(6, 6, 0, 1000, 950), 0);
    ck_assert_int_eq(qm_contracts_revealed(6, 6, 900, 1000, 950), 2);
    ck_assert_int_eq(qm_contracts_revealed(7, 6, 900, 1000, 1050), 1);
}
END_TEST

static void add(TCase *tc)
{
    tcase_add_test(tc, eligibility);
    tcase_add_test(tc, eligibility_along_a_walk);
    tcase_add_test(tc, new_term);
    tcase_add_test(tc, switching_after_a_lost_tender);
    tcase_add_test(tc, cost_revealed);
}

int main(void)
{
    return fx_run("contracts", add);
}
