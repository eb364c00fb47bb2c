/* test_tender.c: MODEL.md 4.3, competitive tenders (src/model/tender.c):
 * scores and ranking, the shortlist and bids, the award in id order. */
#include "fixture.h"
#include "model/tender.h"

enum { ACUTE = 0, COMMUNITY = 1, FIRM = 2 };
#define MONTH 30

START_TEST(scoring_and_rank)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
    p.tender.w_quality = 2; p.tender.w_price = 1; p.tender.w_trust = 0.5;
    ck_assert_double_eq_tol(qm_tender_score(&p, 0.7, 900, 1000, 0.6), 0.8, EPS);
    ck_assert_double_eq_tol(qm_tender_credit(0.6, 0.6, 0.8), 0.68, EPS);
    /* Poor information credits a confident claim: at I = 0 the claim counts whole. */
    ck_assert_double_eq_tol(qm_tender_credit(0.0, 0.5, 0.9), 0.9, EPS);
    qm_bid b[4] = {{.provider = 5, .score = 0.3}, {.provider = 2, .score = 0.9},
                   {.provider = 7, .score = 0.9}, {.provider = 1, .score = -1}};
    qm_tender_rank(b, 4);
    ck_assert_int_eq(b[0].provider, 2); /* tie broken by lower id */
    ck_assert_int_eq(b[1].provider, 7);
    ck_assert_int_eq(b[2].provider, 5);
    ck_assert_int_eq(b[3].provider, 1);
}
END_TEST

/* C1's acute contract (Acute, volume 200) ends its tender at MONTH.
 * Unit costs: Acute and Community 900 (cost position 0.5 of 800-1,000),
 * Firm 800.  Bids: Acute and Community 990 (mark-up 0.1), Firm 960 (0.2).
 * No claim noise; information 0.5; no relationships, so trust is the
 * prior: 0.7 for the NHS, 0.5 for Firm. */
static fx *tender_ends(void)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    sim->month = MONTH;
    sim->p.tender.claim_noise_sd = 0.0;
    sim->p.tender.cost_optimism = 0.0; /* prices on true costs (see optimistic_cost) */
    fx_forget(sim);
    qm_commissioner *cm = &sim->comm[0];
    cm->info = 0.5;
    cm->con_free = 2.0;
    qm_contract *k = QM_CON(sim, 0, 0);
    k->tender_end = MONTH;
    k->expiry = MONTH;
    k->qhat = 0.62;
    return f;
}

/* Credited quality: Acute its record 0.62; Community claims 0.6 (no
 * optimism), credited 0.6; Firm claims 0.65 + 0.1, credited
 * 0.5 x 0.65 + 0.5 x 0.75 = 0.70.  Scores 2 q - price / 1,000 + 0.5 T:
 * Firm 1.40 - 0.96 + 0.25 = 0.69, Acute 1.24 - 0.99 + 0.35 = 0.60,
 * Community 1.20 - 0.99 + 0.35 = 0.56. */
START_TEST(bids)
{
    fx *f = tender_ends();
    qm_sim *sim = f->sim;
    qm_tender_collect(sim, 0, QM_CON(sim, 0, 0));
    qm_contract *k = QM_CON(sim, 0, 0);
    const qm_ranked_bid *B = QM_BIDS(sim, 0, 0);
    ck_assert_int_eq(k->n_bids, 3);
    int want[3] = {FIRM, ACUTE, COMMUNITY};
    double price[3] = {960.0, 990.0, 990.0}, qhat[3] = {0.70, 0.62, 0.60};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(B[i].provider, want[i]);
        ck_assert_double_eq_tol(B[i].price, price[i], 1e-9);
        ck_assert_double_eq_tol(B[i].qhat, qhat[i], 1e-12);
    }
    fx_close(f);
}
END_TEST

/* The shortlist: the incumbent always; outsiders only when they find the
 * specialist staff (none when staff are wholly scarce), and no more than
 * max_bidders in all. */
START_TEST(shortlist)
{
    fx *f = tender_ends();
    f->sc.services[0].scarcity = 1.0;
    qm_tender_collect(f->sim, 0, QM_CON(f->sim, 0, 0));
    ck_assert_int_eq(QM_CON(f->sim, 0, 0)->n_bids, 1);
    ck_assert_int_eq(QM_BIDS(f->sim, 0, 0)[0].provider, ACUTE);
    fx_close(f);
    f = tender_ends();
    f->sim->p.tender.max_bidders = 2;
    qm_tender_collect(f->sim, 0, QM_CON(f->sim, 0, 0));
    qm_contract *k = QM_CON(f->sim, 0, 0);
    const qm_ranked_bid *B = QM_BIDS(f->sim, 0, 0);
    ck_assert_int_eq(k->n_bids, 2);
    ck_assert(B[0].provider == ACUTE || B[1].provider == ACUTE);
    ck_assert(B[0].provider != B[1].provider);
    fx_close(f);
    /* An incumbent that can no longer take the contract does not bid. */
    f = tender_ends();
    f->sim->capacity[QM_PS(f->sim, ACUTE, 0)] = 0.0;
    qm_tender_collect(f->sim, 0, QM_CON(f->sim, 0, 0));
    ck_assert_int_eq(QM_CON(f->sim, 0, 0)->n_bids, 2);
    ck_assert_int_eq(QM_BIDS(f->sim, 0, 0)[0].provider, FIRM);
    ck_assert_int_eq(QM_BIDS(f->sim, 0, 0)[1].provider, COMMUNITY);
    fx_close(f);
}
END_TEST

/* Firm wins: each of the three bidders pays 2 FTE-months (10,000 GBP),
 * Firm mobilises the service (v2: 4 FTE-months, 20,000 GBP more),
 * the contract moves at Firm's price with its credited quality, Acute's
 * record takes the lost tender's penalty, the tender counts for entry. */
START_TEST(award_and_switch)
{
    fx *f = tender_ends();
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    qm_contract *k = QM_CON(sim, 0, 0);
    qm_rel *acute = qm_state_rel(sim, 0, ACUTE, 1);
    qm_tender_collect(sim, 0, QM_CON(sim, 0, 0));
    qm_tender_award(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_double_eq_tol(cm->t.tc_bid, 30000.0, EPS);
    for (int p = 0; p < 3; p++)
        ck_assert_double_eq_tol(sim->prov[p].bid_cost, p == FIRM ? 30000.0 : 10000.0, EPS);
    ck_assert_double_eq_tol(cm->t.tc_mobilisation, 20000.0, EPS);
    ck_assert_double_eq_tol(cm->t.tenders_completed, 1.0, EPS);
    ck_assert_int_eq(k->tender_end, -1);
    ck_assert_int_eq(k->last_tender, MONTH);
    int W = sim->p.market.entry_window;
    ck_assert_int_eq(sim->tender_ring[MONTH % W], 1);
    ck_assert_int_eq(k->provider, FIRM);
    ck_assert_double_eq_tol(k->price, 960.0, 1e-9);
    ck_assert_double_eq_tol(k->qhat, 0.70, 1e-12);
    ck_assert_double_eq_tol(acute->beta, 2.0, EPS);
    ck_assert_double_eq_tol(qm_state_trust(sim, 0, FIRM), 0.5, EPS);
    ck_assert_double_eq_tol(cm->t.switches, 1.0, EPS);
    ck_assert_int_eq(k->expiry, MONTH + 36);
    ck_assert_int_eq(cm->events[cm->n_events - 1].type, QM_EV_AWARD);
    fx_close(f);
}
END_TEST

/* Capacity goes to the best bid that still fits: Firm filled up after
 * the bids (room 100 for 200), so Acute keeps it at its new price. */
START_TEST(award_to_the_best_that_fits)
{
    fx *f = tender_ends();
    qm_sim *sim = f->sim;
    qm_contract *k = QM_CON(sim, 0, 0);
    sim->p.policy.payment_type = 1 + QM_PAY_OUTCOME;
    qm_tender_collect(sim, 0, QM_CON(sim, 0, 0));
    sim->held[QM_PS(sim, FIRM, 0)] = 900.0;
    qm_tender_award(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_int_eq(k->provider, ACUTE);
    ck_assert_double_eq_tol(k->price, 990.0, 1e-9);
    ck_assert_double_eq_tol(k->qhat, 0.62, EPS);
    ck_assert_int_eq(k->payment, QM_PAY_OUTCOME);
    ck_assert_double_eq_tol(sim->comm[0].t.switches, 0.0, EPS);
    fx_close(f);
}
END_TEST

/* When no bid fits any more, the contract is rolled over for 13 months at
 * its old price; the bids were still paid for. */
START_TEST(award_rolls_over)
{
    fx *f = tender_ends();
    qm_sim *sim = f->sim;
    qm_contract *k = QM_CON(sim, 0, 0);
    k->price = 850.0;
    qm_tender_collect(sim, 0, QM_CON(sim, 0, 0));
    for (int p = 0; p < 3; p++)
        sim->capacity[QM_PS(sim, p, 0)] = 0.0;
    qm_tender_award(sim, 0, QM_CON(sim, 0, 0));
    ck_assert_int_eq(k->provider, ACUTE);
    ck_assert_double_eq_tol(k->price, 850.0, EPS);
    ck_assert_int_eq(k->expiry, MONTH + 13);
    ck_assert_double_eq_tol(sim->comm[0].t.tc_bid, 30000.0, EPS);
    const qm_commissioner *cm = &sim->comm[0];
    ck_assert_int_eq(cm->events[cm->n_events - 1].type, QM_EV_ROLLOVER);
    fx_close(f);
}
END_TEST

/* MODEL.md 4.3 (v2): an outsider prices on a believed unit cost. */
START_TEST(optimistic_cost)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
    p.tender.cost_optimism = 0.06;
    ck_assert_double_eq_tol(qm_tender_believed_cost(&p, 1000, 0.0), 1000, EPS);
    ck_assert_double_eq_tol(qm_tender_believed_cost(&p, 1000, 0.5), 940, EPS);
    ck_assert_double_eq_tol(qm_tender_believed_cost(&p, 1000, 1.0), 880, EPS);
}
END_TEST

/* Each contract keeps room for as many bids as the run can shortlist,
 * the scenario's max_bidders (2 here); a shortlist never exceeds that
 * room, even when max_bidders is raised after the state was made. */
START_TEST(room_for_bids)
{
    fx *f = fx_open("tender = { max_bidders = 2; };");
    ck_assert_int_eq(f->sim->bid_slots, 2);
    fx_close(f);
    f = tender_ends();
    ck_assert_int_eq(f->sim->bid_slots, 6);
    f->sim->p.tender.max_bidders = 16;
    f->sim->bid_slots = 1;
    qm_tender_collect(f->sim, 0, QM_CON(f->sim, 0, 0));
    ck_assert_int_eq(QM_CON(f->sim, 0, 0)->n_bids, 1);
    f->sim->bid_slots = 6;
    fx_close(f);
}
END_TEST

static void add(TCase *tc)
{
    tcase_add_test(tc, scoring_and_rank);
    tcase_add_test(tc, bids);
    tcase_add_test(tc, shortlist);
    tcase_add_test(tc, award_and_switch);
    tcase_add_test(tc, award_to_the_best_that_fits);
    tcase_add_test(tc, award_rolls_over);
    tcase_add_test(tc, optimistic_cost);
    tcase_add_test(tc, room_for_bids);
}

int main(void)
{
    return fx_run("tender", add);
}
