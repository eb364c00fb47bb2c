/* test_decide.c: MODEL.md 4.3, the decision at a contract's expiry
 * (src/model/decide.c): the logit utilities and choice, and what each
 * choice leads to, staff time permitting (MODEL.md 4.2). */
#include <math.h>

#include "fixture.h"
#include "core/walk.h"
#include "model/decide.h"

enum { ACUTE = 0, COMMUNITY = 1, FIRM = 2 };
#define MONTH 20

START_TEST(utilities)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
    p.decision.b_trust = 3; p.decision.b_tenure = 1; p.decision.tenure_scale = 60;
    p.decision.b_gap = 4; p.decision.b_reneg0 = 0.5; p.decision.b_reneg_gap = 6;
    p.decision.b_tc = 0.5; p.decision.b_tender0 = -1; p.decision.b_market = 2;
    p.decision.b_policy = 3; p.decision.b_alt = 0.8; p.decision.b_risk = 3;
    p.decision.b_parcel = 2; p.decision.capacity_floor = 0.1;
    p.cost.renegotiation = 1; p.cost.tender = 6;
    qm_decision_in in = {.trust = 0.8, .tenure = 30, .gap = 0.1, .free_capacity = 2,
                         .n_alt = 2, .share = 0.5, .market = 0.2, .risk = 0.5,
                         .parcel = 0.3, .pressure = 0};
    double V[QM_DEC_N];
    int avail[QM_DEC_N];
    qm_decide_utilities(&p, &in, V, avail);
    ck_assert_double_eq_tol(V[QM_DEC_RENEW], 2.4 + 0.5 - 0.4, EPS);
    ck_assert_double_eq_tol(V[QM_DEC_RENEGOTIATE], 0.5 + 0.6 - 0.25, EPS);
    ck_assert_double_eq_tol(V[QM_DEC_TENDER],
                            -1 + 0.4 + 0.4 + 0.8 * log(3.0) - 1.5 - 0.75 - 1.4 - 2.4, EPS);
    ck_assert_int_eq(avail[QM_DEC_DECOMMISSION], 0);
    /* A negative gap counts as no gap; tenure saturates at the scale. */
    in.gap = -0.5;
    in.tenure = 600;
    qm_decide_utilities(&p, &in, V, avail);
    ck_assert_double_eq_tol(V[QM_DEC_RENEW], 2.4 + 1.0, EPS);
    /* Less free staff time makes tendering less attractive. */
    double before = V[QM_DEC_TENDER];
    in.free_capacity = 0.5;
    qm_decide_utilities(&p, &in, V, avail);
    ck_assert(V[QM_DEC_TENDER] < before);
    /* Decommissioning, where a development replaces the service, takes
     * the renewal's utility. */
    in.can_decommission = 1;
    qm_decide_utilities(&p, &in, V, avail);
    ck_assert_int_eq(avail[QM_DEC_DECOMMISSION], 1);
    ck_assert_double_eq_tol(V[QM_DEC_DECOMMISSION], V[QM_DEC_RENEW], EPS);
}
END_TEST

START_TEST(logit)
{
    double V[QM_DEC_N] = {1, 0, -1, 50}, prob[QM_DEC_N];
    int avail[QM_DEC_N] = {1, 1, 1, 0};
    qm_decide_probs(V, avail, prob);
    double z = 1 + exp(-1.0) + exp(-2.0);
    ck_assert_double_eq_tol(prob[0], 1 / z, EPS);
    ck_assert_double_eq_tol(prob[1], exp(-1.0) / z, EPS);
    ck_assert_double_eq_tol(prob[2], exp(-2.0) / z, EPS);
    ck_assert_double_eq_tol(prob[3], 0.0, EPS);
    ck_assert_int_eq(qm_decide_pick(prob, 0.5), 0);
    ck_assert_int_eq(qm_decide_pick(prob, 0.7), 1);
    ck_assert_int_eq(qm_decide_pick(prob, 0.95), 2);
    ck_assert_int_eq(qm_decide_pick(prob, 0.999999999999), 2);
    /* Huge utilities do not overflow. */
    double W[QM_DEC_N] = {800, 799, -800, 0};
    int all[QM_DEC_N] = {1, 1, 1, 1};
    qm_decide_probs(W, all, prob);
    ck_assert_double_eq_tol(prob[0], 1 / (1 + exp(-1.0)), EPS);
    ck_assert(isfinite(prob[2]) && prob[2] >= 0.0);
}
END_TEST

/* The tiny state with C1's acute contract (Acute, price 800) at expiry in
 * month MONTH, 2 FTE of contracting time free, and utilities that make
 * the named option all but certain (50 against -50). */
static fx *at_expiry(int favour)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    sim->month = MONTH;
    sim->comm[0].con_free = 2.0;
    qm_contract *k = QM_CON(sim, 0, 0);
    k->expiry = MONTH;
    k->price = 800.0;
    qm_params *P = &sim->p;
    P->decision.b_reneg0 = favour == QM_DEC_RENEGOTIATE ? 50.0 : -50.0;
    P->decision.b_tender0 = favour == QM_DEC_TENDER ? 50.0 : -50.0;
    fx_forget(sim);
    return f;
}

static const qm_event *last_event(const qm_sim *sim, int c)
{
    const qm_commissioner *cm = &sim->comm[c];
    ck_assert_int_gt(cm->n_events, 0);
    return &cm->events[cm->n_events - 1];
}

/* Renewal: 0.2 FTE-month (1,000 GBP), a new term of 36 months. */
START_TEST(renew)
{
    fx *f = at_expiry(QM_DEC_RENEW);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    qm_decide_expiry(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_double_eq_tol(cm->t.decisions[QM_DEC_RENEW], 1.0, EPS);
    ck_assert_double_eq_tol(cm->t.tc_renewal, 1000.0, EPS);
    ck_assert_double_eq_tol(cm->con_free, 1.8, EPS);
    ck_assert_int_eq(QM_CON(sim, 0, 0)->expiry, MONTH + 36);
    ck_assert_int_eq(last_event(sim, 0)->type, QM_EV_RENEW);
    fx_close(f);
}
END_TEST

/* Work that does not fit waits a month: 0.1 FTE free for a renewal of
 * 0.2, for a renegotiation of 1.0. */
START_TEST(work_waits_a_month)
{
    for (int favour = QM_DEC_RENEW; favour <= QM_DEC_RENEGOTIATE; favour++) {
        fx *f = at_expiry(favour);
        qm_sim *sim = f->sim;
        qm_commissioner *cm = &sim->comm[0];
        cm->con_free = 0.1;
        qm_decide_expiry(sim, 0, QM_CON(sim, 0, 0));
        ck_assert_int_eq(QM_CON(sim, 0, 0)->expiry, MONTH + 1);
        ck_assert_double_eq_tol(cm->t.staff_shortfall, favour == QM_DEC_RENEW ? 0.2 : 1.0, EPS);
        ck_assert_double_eq_tol(cm->t.decisions[favour], 0.0, EPS);
        ck_assert_int_eq(cm->n_events, 0);
        fx_close(f);
    }
}
END_TEST

/* Renegotiation: the price moves half way to the tariff (800 -> 900),
 * monitoring rises by 0.1 (0.5 -> 0.6), the policy's payment type is
 * adopted; 1 FTE-month, 5,000 GBP. */
START_TEST(renegotiate)
{
    fx *f = at_expiry(QM_DEC_RENEGOTIATE);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    qm_contract *k = QM_CON(sim, 0, 0);
    sim->p.policy.payment_type = 1 + QM_PAY_ACTIVITY;
    qm_decide_expiry(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_double_eq_tol(cm->t.decisions[QM_DEC_RENEGOTIATE], 1.0, EPS);
    ck_assert_double_eq_tol(k->price, 900.0, EPS);
    ck_assert_double_eq_tol(k->monitoring, 0.6, EPS);
    ck_assert_int_eq(k->payment, QM_PAY_ACTIVITY);
    ck_assert_double_eq_tol(cm->t.tc_renegotiation, 5000.0, EPS);
    ck_assert_int_eq(cm->used_R, 1);
    ck_assert_int_eq(k->expiry, MONTH + 36);
    ck_assert_int_eq(last_event(sim, 0)->type, QM_EV_RENEGOTIATE);
    fx_close(f);
}
END_TEST

/* A tender whose first month (6/9 FTE) fits starts: it ends, and the
 * contract with it, 9 months on. */
START_TEST(tender_starts)
{
    fx *f = at_expiry(QM_DEC_TENDER);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    qm_contract *k = QM_CON(sim, 0, 0);
    qm_decide_expiry(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_double_eq_tol(cm->t.decisions[QM_DEC_TENDER], 1.0, EPS);
    ck_assert_double_eq_tol(cm->t.tenders_started, 1.0, EPS);
    ck_assert_int_eq(k->tender_end, MONTH + 9);
    ck_assert_int_eq(k->expiry, MONTH + 9);
    ck_assert_double_eq_tol(cm->t.tc_tender, 6.0 / 9.0 * 5000.0, 1e-6);
    ck_assert_double_eq_tol(cm->con_free, 2.0 - 6.0 / 9.0, EPS);
    ck_assert_int_eq(last_event(sim, 0)->type, QM_EV_TENDER_START);
    fx_close(f);
}
END_TEST

/* A tender that does not fit the staff's time is rolled over: counted as
 * a renewal and a rollover, for 36 x 0.334 months (13), and the time it
 * lacked is a shortfall. */
START_TEST(tender_rolled_over)
{
    fx *f = at_expiry(QM_DEC_TENDER);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    qm_contract *k = QM_CON(sim, 0, 0);
    cm->con_free = 0.5;
    qm_decide_expiry(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_double_eq_tol(cm->t.decisions[QM_DEC_TENDER], 0.0, EPS);
    ck_assert_double_eq_tol(cm->t.decisions[QM_DEC_RENEW], 1.0, EPS);
    ck_assert_double_eq_tol(cm->t.rollovers, 1.0, EPS);
    ck_assert_double_eq_tol(cm->t.tenders_started, 0.0, EPS);
    ck_assert_double_eq_tol(cm->t.staff_shortfall, 6.0 / 9.0, EPS);
    ck_assert_int_eq(k->tender_end, -1);
    ck_assert_int_eq(k->expiry, MONTH + 13);
    ck_assert_int_eq(last_event(sim, 0)->type, QM_EV_ROLLOVER);
    fx_close(f);
}
END_TEST

/* A mandate sends the contract to tender whatever the utilities say. */
START_TEST(mandate)
{
    fx *f = at_expiry(QM_DEC_RENEW);
    qm_sim *sim = f->sim;
    sim->p.policy.tender_mandate = 1.0;
    qm_decide_expiry(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_double_eq_tol(sim->comm[0].t.decisions[QM_DEC_TENDER], 1.0, EPS);
    ck_assert_int_eq(QM_CON(sim, 0, 0)->tender_end, MONTH + 9);
    fx_close(f);
}
END_TEST

/* Decommissioning takes the renewal's utility, so with the others out of
 * the question each has half the chance; a draw of 0.7 picks it.  The new
 * pathway goes to the best other provider with room: Community (prior
 * trust 0.7 + quality 0.6 = 1.3) before Firm (0.5 + 0.65 = 1.15), at the
 * tariff.  The move waits for the serial settlement. */
START_TEST(decommission)
{
    fx *f = at_expiry(QM_DEC_RENEW);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    qm_contract *k = QM_CON(sim, 0, 0);
    k->replace_ready = 1;
    k->qhat = 0.66;
    fx_next_uniform(cm->rng, 0.7, 0.9);
    qm_decide_expiry(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_double_eq_tol(cm->t.decisions[QM_DEC_DECOMMISSION], 1.0, EPS);
    ck_assert_int_eq(k->replace_ready, 0);
    ck_assert_int_eq(k->decommission, 1);
    ck_assert_int_eq(k->n_bids, 1);
    const qm_ranked_bid *B = QM_BIDS(sim, 0, 0);
    ck_assert_int_eq(B[0].provider, COMMUNITY);
    ck_assert_double_eq_tol(B[0].price, 1000.0, EPS);
    ck_assert_double_eq_tol(B[0].qhat, 0.66, EPS);
    ck_assert_int_eq(k->provider, ACUTE);
    ck_assert_int_eq(cm->n_events, 0);
    /* Settled: Community takes it at the tariff for a full term. */
    qm_decide_settle_decommission(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_int_eq(k->provider, COMMUNITY);
    ck_assert_double_eq_tol(k->price, 1000.0, EPS);
    ck_assert_int_eq(k->decommission, 0);
    ck_assert_int_eq(k->n_bids, 0);
    ck_assert_int_eq(k->expiry, MONTH + 36);
    ck_assert_double_eq_tol(cm->t.switches, 1.0, EPS);
    ck_assert_int_eq(cm->events[cm->n_events - 2].type, QM_EV_DECOMMISSION);
    ck_assert_int_eq(last_event(sim, 0)->type, QM_EV_AWARD);
    fx_close(f);
}
END_TEST

/* With nowhere for the new pathway to go, the contract is renewed. */
START_TEST(decommission_without_room)
{
    fx *f = at_expiry(QM_DEC_RENEW);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    qm_contract *k = QM_CON(sim, 0, 0);
    k->replace_ready = 1;
    for (int p = COMMUNITY; p <= FIRM; p++) {
        sim->capacity[QM_PS(sim, p, 0)] = 0.0;
        qm_walk_refresh(sim, p, 0);
    }
    fx_next_uniform(cm->rng, 0.7, 0.9);
    qm_decide_expiry(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_double_eq_tol(cm->t.decisions[QM_DEC_DECOMMISSION], 0.0, EPS);
    ck_assert_double_eq_tol(cm->t.decisions[QM_DEC_RENEW], 1.0, EPS);
    ck_assert_int_eq(k->replace_ready, 0);
    ck_assert_int_eq(k->decommission, 0);
    ck_assert_int_eq(k->expiry, MONTH + 36);
    ck_assert_int_eq(last_event(sim, 0)->type, QM_EV_RENEW);
    fx_close(f);
}
END_TEST

/* The chosen provider filled up before the settlement: the contract stays
 * where it is, for a new term. */
START_TEST(decommission_settled_without_room)
{
    fx *f = at_expiry(QM_DEC_RENEW);
    qm_sim *sim = f->sim;
    qm_contract *k = QM_CON(sim, 0, 0);
    k->replace_ready = 1;
    fx_next_uniform(sim->comm[0].rng, 0.7, 0.9);
    qm_decide_expiry(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_int_eq(k->decommission, 1);
    sim->capacity[QM_PS(sim, COMMUNITY, 0)] = 0.0;
    qm_decide_settle_decommission(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_int_eq(k->provider, ACUTE);
    ck_assert_double_eq_tol(k->price, 800.0, EPS);
    ck_assert_int_eq(k->expiry, MONTH + 36);
    ck_assert_int_eq(last_event(sim, 0)->type, QM_EV_AWARD);
    fx_close(f);
}
END_TEST

static void add(TCase *tc)
{
    tcase_add_test(tc, utilities);
    tcase_add_test(tc, logit);
    tcase_add_test(tc, renew);
    tcase_add_test(tc, work_waits_a_month);
    tcase_add_test(tc, renegotiate);
    tcase_add_test(tc, tender_starts);
    tcase_add_test(tc, tender_rolled_over);
    tcase_add_test(tc, mandate);
    tcase_add_test(tc, decommission);
    tcase_add_test(tc, decommission_without_room);
    tcase_add_test(tc, decommission_settled_without_room);
}

int main(void)
{
    return fx_run("decide", add);
}
