/* test_engagements.c: MODEL.md 4.4, engagements of support agencies
 * (src/model/engagements.c): need and choice of an agency, a month's work
 * and its reviews, docking, renewal and end, bookings, CSUs paying their
 * way; and, over whole runs of a small scenario, the invariants and the
 * overloaded CSU. */
#include <math.h>
#include <gsl/gsl_cdf.h>

#include "fixture.h"
#include "model/engagements.h"

enum { CSU = 0, CONSULT = 1 };
#define MONTH 30

START_TEST(utility_and_docking)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
    p.engage.w_trust = 2; p.engage.w_skill = 2; p.engage.w_fee = 1; p.engage.w_fit = 1.5;
    p.engage.w_host = 1; p.engage.w_push = 1; p.engage.reference_fee = 8000;
    ck_assert_double_eq_tol(qm_engagements_utility(&p, 0.5, 0.7, 8000, 0.6, 1, 0.5), 3.8, EPS);
    ck_assert_double_eq_tol(qm_engagements_utility(&p, 0.5, 0.7, 8000, 0.6, 0, 0.5), 2.8, EPS);
    /* MODEL.md 4.4 (v2): progress 0.4 disappoints (below fail_share 0.45)
     * but is not docked; 0.2, below dock_share 0.25, loses 25 % of the
     * period's fee.  A dock_share above fail_share docks every failure. */
    p.engage.fail_share = 0.45; p.engage.dock = 0.25; p.engage.dock_share = 0.25;
    ck_assert_double_eq_tol(qm_engagements_docking(&p, 0.2, 10000), 2500, EPS);
    ck_assert_double_eq_tol(qm_engagements_docking(&p, 0.4, 10000), 0.0, EPS);
    ck_assert_double_eq_tol(qm_engagements_docking(&p, 0.5, 10000), 0.0, EPS);
    p.engage.dock_share = 0.6;
    ck_assert_double_eq_tol(qm_engagements_docking(&p, 0.4, 10000), 2500, EPS);
    ck_assert_double_eq_tol(qm_engagements_docking(&p, 0.5, 10000), 0.0, EPS);
}
END_TEST

/* C1 has engaged the CSU (skill 0.7, turnover 0.02, fee 6,000) for 1 FTE
 * of analytics since month start, with a clarity of 0.8 and a context of
 * 0.8; nothing else is booked with the CSU. */
static fx *engaged(int start)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    sim->month = MONTH;
    fx_forget(sim);
    qm_commissioner *cm = &sim->comm[0];
    qm_engagement *e = &cm->eng[0];
    *e = (qm_engagement){.active = 1, .agency = CSU, .purpose = QM_PURPOSE_ANALYTICS,
                         .conduit = QM_CONDUIT_PLACEMENT, .first_start = start, .start = start,
                         .expiry = start + 24, .fte = 1.0, .fee = 6000.0, .clarity = 0.8,
                         .context = 0.8};
    cm->n_eng = 1;
    sim->agency[CSU].booked = 1.0;
    sim->agency[CSU].clients = 1;
    return f;
}

/* A month at age 3: 1 FTE delivered; progress 0.7 x 0.8 = 0.56 against a
 * plan failed below 0.45, evidence Phi((0.56 - 0.45) / 0.2) x 0.5; the
 * brief's clarity shifts (every 3 months: x 0.97); consultants learn the
 * context (0.8 + 0.1 x 0.2 = 0.82) and take 2 % of it with them
 * (0.8036); the fee is due. */
START_TEST(a_month_of_work)
{
    fx *f = engaged(MONTH - 3);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    qm_engagement *e = &cm->eng[0];
    sim->p.engage.clause_share = 0.0;
    cm->receptivity = 0.0; /* no new purchase this month */
    qm_engagements_work(sim, 0);
    ck_assert_double_eq_tol(e->delivered, 1.0, EPS);
    ck_assert_double_eq_tol(e->achieved, 0.56, EPS);
    ck_assert_double_eq_tol(e->clarity, 0.776, EPS);
    ck_assert_double_eq_tol(e->context, 0.8036, EPS);
    ck_assert_double_eq_tol(e->paid, 6000.0, EPS);
    ck_assert_double_eq_tol(cm->t.fees, 6000.0, EPS);
    ck_assert_double_eq_tol(cm->t.fees_kind[QM_AK_CSU], 6000.0, EPS);
    const qm_rel *r = qm_state_rel(sim, 0, qm_state_agency_partner(sim, CSU), 0);
    ck_assert_ptr_nonnull(r);
    double phi = gsl_cdf_ugaussian_P(0.55);
    ck_assert_double_eq_tol(r->alpha, 0.5 * phi, EPS);
    ck_assert_double_eq_tol(r->beta, 0.5 * (1.0 - phi), EPS);
    ck_assert_int_eq(e->decision, 0);
    ck_assert_int_eq(cm->request_agency, -1);
    fx_close(f);
}
END_TEST

/* Consultant turnover lowers the context an engagement builds up:
 * (0.5 + 0.1 x 0.5) x (1 - 0.2) = 0.44 against 0.55 with none. */
START_TEST(turnover_takes_context)
{
    double context[2];
    for (int i = 0; i < 2; i++) {
        fx *f = engaged(MONTH - 1);
        qm_sim *sim = f->sim;
        sim->comm[0].receptivity = 0.0;
        sim->comm[0].eng[0].context = 0.5;
        sim->agency[CSU].turnover = i ? 0.2 : 0.0;
        qm_engagements_work(sim, 0);
        context[i] = sim->comm[0].eng[0].context;
        fx_close(f);
    }
    ck_assert_double_eq_tol(context[0], 0.55, EPS);
    ck_assert_double_eq_tol(context[1], 0.44, EPS);
}
END_TEST

/* An overbooked agency spreads thin: 20 FTE booked on a capacity of 10
 * delivers half of each booking, and half the progress. */
START_TEST(overbooked_agency)
{
    fx *f = engaged(MONTH - 1);
    qm_sim *sim = f->sim;
    sim->comm[0].receptivity = 0.0;
    sim->agency[CSU].booked = 20.0;
    qm_engagements_work(sim, 0);
    ck_assert_double_eq_tol(sim->comm[0].eng[0].delivered, 0.5, EPS);
    ck_assert_double_eq_tol(sim->comm[0].eng[0].achieved, 0.28, EPS);
    fx_close(f);
}
END_TEST

/* At the review (age 6) the period's progress is (0.5 + 0.56) / 6 =
 * 0.177, below dock_share 0.2 (MODEL.md 4.4 v2): a quarter of the period's fee (0.25 x 6,000 x 6 = 9,000)
 * comes off this month's fee, the agency's record takes the penalty 2,
 * and the dispute costs 1 FTE-month (5,000 GBP). */
START_TEST(failed_review_docks_the_fee)
{
    fx *f = engaged(MONTH - 6);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    qm_engagement *e = &cm->eng[0];
    cm->receptivity = 0.0;
    cm->con_free = 2.0;
    e->achieved = 0.5;
    qm_engagements_work(sim, 0);
    ck_assert_double_eq_tol(e->paid, 6000.0 - 9000.0, EPS);
    ck_assert_double_eq_tol(cm->t.fees, -3000.0, EPS);
    ck_assert_double_eq_tol(cm->t.engagements_docked, 1.0, EPS);
    ck_assert_double_eq_tol(e->achieved, 0.0, EPS);
    double phi = gsl_cdf_ugaussian_P(0.55);
    const qm_rel *r = qm_state_rel(sim, 0, qm_state_agency_partner(sim, CSU), 0);
    ck_assert_double_eq_tol(r->beta, 0.5 * (1.0 - phi) + 2.0, EPS);
    ck_assert_double_eq_tol(cm->con_free, 1.0, EPS);
    ck_assert_double_eq_tol(cm->t.tc_dispute, 5000.0, EPS);
    const qm_event *ev = &cm->events[cm->n_events - 1];
    ck_assert_int_eq(ev->type, QM_EV_ENGAGEMENT_DOCKED);
    ck_assert_int_eq(ev->other, CSU);
    ck_assert_double_eq_tol(ev->value, 9000.0, EPS);
    fx_close(f);
}
END_TEST

/* A review passed: (3.0 + 0.56) / 6 = 0.593 is enough; nothing docked. */
START_TEST(passed_review)
{
    fx *f = engaged(MONTH - 6);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    cm->receptivity = 0.0;
    cm->eng[0].achieved = 3.0;
    qm_engagements_work(sim, 0);
    ck_assert_double_eq_tol(cm->eng[0].paid, 6000.0, EPS);
    ck_assert_double_eq_tol(cm->t.engagements_docked, 0.0, EPS);
    ck_assert_double_eq_tol(cm->eng[0].achieved, 0.0, EPS);
    fx_close(f);
}
END_TEST

/* At expiry the engagement is renewed while the need persists (A 0.4
 * below the need 0.5) and the engagement stays within max_months; ended
 * otherwise. */
START_TEST(decision_at_expiry)
{
    for (int k = 0; k < 3; k++) {
        fx *f = engaged(MONTH - 24);
        qm_sim *sim = f->sim;
        qm_commissioner *cm = &sim->comm[0];
        cm->receptivity = 0.0;
        if (k == 1)
            cm->A = 0.6;
        if (k == 2)
            cm->eng[0].first_start = MONTH + 24 - 121;
        qm_engagements_work(sim, 0);
        ck_assert_int_eq(cm->eng[0].decision, k == 0 ? 1 : -1);
        fx_close(f);
    }
    /* Procurement support persists while procurement knowledge is short or
     * contracting work overflows; redesign while development work does. */
    fx *f = engaged(MONTH - 24);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    cm->receptivity = 0.0;
    cm->eng[0].purpose = QM_PURPOSE_PROCUREMENT;
    cm->R = 0.6;
    cm->last_overflow_con = 0.5;
    qm_engagements_work(sim, 0);
    ck_assert_int_eq(cm->eng[0].decision, 1);
    cm->eng[0].purpose = QM_PURPOSE_REDESIGN;
    cm->last_overflow_dev = 0.2;
    qm_engagements_work(sim, 0);
    ck_assert_int_eq(cm->eng[0].decision, -1);
    fx_close(f);
}
END_TEST

/* Settled in id order: fees reach the agency; a renewal restarts the term
 * and the brief; an ending frees the booking. */
START_TEST(settle_renew_and_end)
{
    fx *f = engaged(MONTH - 24);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    qm_engagement *e = &cm->eng[0];
    e->paid = 6000.0;
    e->decision = 1;
    e->clarity = 0.5;
    qm_engagements_settle(sim, 0);
    ck_assert_double_eq_tol(sim->agency[CSU].revenue, 6000.0, EPS);
    ck_assert_double_eq_tol(e->paid, 0.0, EPS);
    ck_assert_int_eq(e->start, MONTH);
    ck_assert_int_eq(e->expiry, MONTH + 24);
    ck_assert_double_eq_tol(e->clarity, 0.8, EPS);
    ck_assert_int_eq(e->renewals, 1);
    ck_assert_int_eq(e->decision, 0);
    ck_assert_int_eq(cm->events[cm->n_events - 1].type, QM_EV_ENGAGEMENT_RENEW);
    e->decision = -1;
    qm_engagements_settle(sim, 0);
    ck_assert_int_eq(e->active, 0);
    ck_assert_double_eq_tol(sim->agency[CSU].booked, 0.0, EPS);
    ck_assert_int_eq(sim->agency[CSU].clients, 0);
    ck_assert_double_eq_tol(cm->t.engagements_ended, 1.0, EPS);
    const qm_event *ev = &cm->events[cm->n_events - 1];
    ck_assert_int_eq(ev->type, QM_EV_ENGAGEMENT_END);
    ck_assert_double_eq_tol(ev->value, 24.0, EPS);
    fx_close(f);
}
END_TEST

/* A need and its purchase: C1's analytic knowledge (0.4) is below its need
 * (0.5) and nothing overflows: analytics.  It looks at both agencies:
 * CSU 2 x 0.7 + 2 x 0.7 - 6,000 / 8,000 + 1.5 x 0.8 + 1 (its host) = 4.25;
 * Consult 2 x 0.45 + 2 x 0.8 - 9,000 / 8,000 + 1.5 x 0.5 = 2.125.  The
 * logit gives the CSU 1 / (1 + e^-2.125) = 0.8934: a draw of 0.95 takes
 * Consult, one of 0.5 the CSU.  Booking waits for the settlement. */
START_TEST(need_and_choice)
{
    double lo[2] = {0.0, 0.95}, hi[2] = {1.0, 1.0};
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    sim->month = MONTH;
    fx_forget(sim);
    qm_commissioner *cm = &sim->comm[0];
    ck_assert_int_eq(cm->host, CSU);
    fx_next_uniforms(cm->rng, 2, lo, hi);
    qm_engagements_work(sim, 0);
    ck_assert_int_eq(cm->request_agency, CONSULT);
    ck_assert_int_eq(cm->request_purpose, QM_PURPOSE_ANALYTICS);
    ck_assert_int_eq(cm->request_clause, 0);
    lo[1] = 0.5, hi[1] = 0.85;
    fx_next_uniforms(cm->rng, 2, lo, hi);
    sim->p.policy.transfer_clause = 1;
    qm_engagements_work(sim, 0);
    ck_assert_int_eq(cm->request_agency, CSU);
    ck_assert_int_eq(cm->request_clause, 1);
    ck_assert_int_eq(cm->n_eng, 0);
    /* Settled: booked with the CSU, at its fee and its context fit. */
    qm_engagements_settle(sim, 0);
    ck_assert_int_eq(cm->n_eng, 1);
    const qm_engagement *e = &cm->eng[0];
    ck_assert_int_eq(e->active, 1);
    ck_assert_int_eq(e->agency, CSU);
    ck_assert_int_eq(e->purpose, QM_PURPOSE_ANALYTICS);
    ck_assert_int_eq(e->clause, 1);
    ck_assert_double_eq_tol(e->fee, 6000.0, EPS);
    ck_assert_double_eq_tol(e->context, 0.8, EPS);
    ck_assert_int_eq(e->expiry, MONTH + 24);
    ck_assert_double_eq_tol(sim->agency[CSU].booked, 1.0, EPS);
    ck_assert_int_eq(cm->request_agency, -1);
    fx_close(f);
}
END_TEST

/* What the need is: contracting work that overflowed (and analytic
 * knowledge short) asks for outsourced commissioning; overflow alone for
 * procurement; development overflow for redesign; nothing when an
 * engagement already serves it, or when no slot is free. */
START_TEST(kinds_of_need)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    sim->agency[CONSULT].capacity = 0.0; /* the CSU is the only choice */
    cm->last_overflow_con = 0.5;
    qm_engagements_work(sim, 0);
    ck_assert_int_eq(cm->request_purpose, QM_PURPOSE_OUTSOURCED);
    cm->A = 0.6;
    qm_engagements_work(sim, 0);
    ck_assert_int_eq(cm->request_purpose, QM_PURPOSE_PROCUREMENT);
    cm->last_overflow_con = 0.0;
    cm->last_overflow_dev = 0.5;
    qm_engagements_work(sim, 0);
    ck_assert_int_eq(cm->request_purpose, QM_PURPOSE_REDESIGN);
    ck_assert_int_eq(qm_engagements_book(sim, 0, CSU, QM_PURPOSE_REDESIGN, 1.0, 0), 0);
    cm->eng[0].expiry = 1000;
    qm_engagements_work(sim, 0);
    ck_assert_int_eq(cm->request_agency, -1);
    /* Every slot taken: no purchase whatever the need. */
    cm->A = 0.1;
    for (int i = 1; i < sim->p.engage.max_per_commissioner; i++)
        ck_assert_int_eq(qm_engagements_book(sim, 0, CSU, QM_PURPOSE_REDESIGN, 1.0, 0), i);
    ck_assert_int_eq(qm_engagements_book(sim, 0, CSU, QM_PURPOSE_REDESIGN, 1.0, 0), -1);
    for (int i = 0; i < cm->n_eng; i++)
        cm->eng[i].expiry = 1000;
    qm_engagements_work(sim, 0);
    ck_assert_int_eq(cm->request_agency, -1);
    fx_close(f);
}
END_TEST

/* A firm that is full takes no one; a CSU takes everyone (and spreads
 * thin). */
START_TEST(full_agencies)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    sim->agency[CONSULT].booked = 9.5;
    cm->request_agency = CONSULT;
    cm->request_purpose = QM_PURPOSE_ANALYTICS;
    qm_engagements_settle(sim, 0);
    ck_assert_int_eq(cm->n_eng, 0);
    sim->agency[CSU].booked = 50.0;
    cm->request_agency = CSU;
    qm_engagements_settle(sim, 0);
    ck_assert_int_eq(cm->n_eng, 1);
    ck_assert_double_eq_tol(sim->agency[CSU].booked, 51.0, EPS);
    fx_close(f);
}
END_TEST

/* A CSU whose revenue over 12 months does not cover its staff (10 FTE x
 * 6,000 x 12) shrinks by 3 %, from month 11 on; a firm never does. */
START_TEST(csu_pays_its_way)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    sim->month = 10;
    qm_engagements_csu(sim, CSU);
    ck_assert_double_eq_tol(sim->agency[CSU].capacity, 10.0, EPS);
    sim->month = 11;
    sim->agency[CSU].revenue = 700000.0;
    qm_engagements_csu(sim, CSU);
    qm_engagements_csu(sim, CONSULT);
    ck_assert_double_eq_tol(sim->agency[CSU].revenue_ring[11], 700000.0, EPS);
    ck_assert_double_eq_tol(sim->agency[CSU].capacity, 9.7, EPS);
    ck_assert_double_eq_tol(sim->agency[CONSULT].capacity, 10.0, EPS);
    /* 720,000 over the window is enough for 9.7 FTE (698,400). */
    sim->month = 12;
    sim->agency[CSU].revenue = 20000.0;
    qm_engagements_csu(sim, CSU);
    ck_assert_double_eq_tol(sim->agency[CSU].capacity, 9.7, EPS);
    fx_close(f);
}
END_TEST

/* Whole runs: fees paid equal fees received; knowledge and dependency stay
 * in [0,1]; no engagement outlives its term without a renewal. */
START_TEST(run_invariants)
{
    fx *x = fx_small("4.0", "0.8", "");
    qm_sim *sim = x->sim;
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
    fx_close(x);
}
END_TEST

/* A CSU serves all its clients from one capacity: overload spreads it
 * thin, so each engagement delivers fte x capacity / booked. */
START_TEST(run_csu_overload_spreads_thin)
{
    fx *x = fx_small("1.0", "0.8", "engagement = { fte = 1.0; };");
    qm_sim *sim = x->sim;
    fx_step_to(sim, 24);
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
    fx_close(x);
}
END_TEST

/* A failed review docks the fee: an unskilled CSU fails every review. */
START_TEST(run_failed_deliverables_are_docked)
{
    fx *x = fx_small("10.0", "0.1", "");
    qm_sim *sim = x->sim;
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
    fx_close(x);
}
END_TEST

static void add(TCase *tc)
{
    tcase_add_test(tc, utility_and_docking);
    tcase_add_test(tc, a_month_of_work);
    tcase_add_test(tc, turnover_takes_context);
    tcase_add_test(tc, overbooked_agency);
    tcase_add_test(tc, failed_review_docks_the_fee);
    tcase_add_test(tc, passed_review);
    tcase_add_test(tc, decision_at_expiry);
    tcase_add_test(tc, settle_renew_and_end);
    tcase_add_test(tc, need_and_choice);
    tcase_add_test(tc, kinds_of_need);
    tcase_add_test(tc, full_agencies);
    tcase_add_test(tc, csu_pays_its_way);
    tcase_add_test(tc, run_invariants);
    tcase_add_test(tc, run_csu_overload_spreads_thin);
    tcase_add_test(tc, run_failed_deliverables_are_docked);
}

int main(void)
{
    return fx_run("engagements", add);
}
