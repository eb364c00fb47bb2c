/* test_timeline.c: MODEL.md 6, timeline events (src/model/timeline.c):
 * what each takes away or changes; and whole runs of a small scenario
 * through each kind. */
#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <string.h>

#include "fixture.h"
#include "model/contracts.h"
#include "model/delivery.h"
#include "model/develop.h"
#include "model/engagements.h"
#include "model/knowledge.h"
#include "model/monitor.h"
#include "model/timeline.h"

enum { ACUTE = 0, COMMUNITY = 1, FIRM = 2, CSU = 0 };
#define MONTH 5

/* The tiny state with one timeline event at MONTH (its fields in text),
 * ready to apply. */
static fx *with_event(const char *event)
{
    char text[512];
    snprintf(text, sizeof text, "timeline = ( { month = %d; %s } );", MONTH, event);
    fx *f = fx_open(text);
    f->sim->month = MONTH;
    return f;
}

/* MODEL.md 4.1, 6 (v2): what a relationship keeps is (1 - staff_loss)
 * (1 - rupture): 0.6 x 0.5 = 0.3; no loss keeps it all, a full one
 * nothing.  Data flows stopped at month 5 and rebuilt over 4 months work
 * at 0, 1/4, 2/4, 3/4 in months 5-8 and wholly from month 9; before month
 * 5, or with no rebuild to do, wholly. */
START_TEST(reorganisation_rules)
{
    ck_assert_double_eq_tol(qm_timeline_history_kept(0.4, 0.5), 0.3, EPS);
    ck_assert_double_eq_tol(qm_timeline_history_kept(0.0, 0.0), 1.0, EPS);
    ck_assert_double_eq_tol(qm_timeline_history_kept(1.0, 0.0), 0.0, EPS);
    ck_assert_double_eq_tol(qm_timeline_history_kept(0.0, 1.0), 0.0, EPS);
    const double flow[] = {1.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0};
    for (int m = 4; m <= 10; m++)
        ck_assert_double_eq_tol(qm_monitor_data_flow(m, 5, 4), flow[m - 4], EPS);
    ck_assert_double_eq_tol(qm_monitor_data_flow(5, 5, 0), 1.0, EPS);
    ck_assert_double_eq_tol(qm_monitor_data_flow(0, 0, 0), 1.0, EPS);
}
END_TEST

/* Staff loss 0.4: 2 FTE of each kind become 1.2; knowledge loss 0.5
 * halves A, X and R; with rupture 0.5 every relationship keeps
 * 0.6 x 0.5 = 0.3 of its evidence (trust falls back toward the prior).
 * (v2) Each development in progress draws whether its provider lead and
 * its owner left (a draw below 0.4): the first (provider-led, 3 FTE-months
 * done) loses both, so the commissioner carries it and it keeps
 * (1 - setback 0.5) of its work, 1.5; the third (provider-led too) loses
 * neither; the running one draws nothing and keeps its work.  Data flows
 * stop this month, to be rebuilt over data_months = 4. */
START_TEST(reorganisation_losses)
{
    fx *f = with_event("type = \"reorganisation\"; staff_loss = 0.4; knowledge_loss = 0.5;"
                       " rupture = 0.5; setback = 0.5; data_months = 4;");
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    qm_rel *r = qm_state_rel(sim, 0, ACUTE, 0);
    double alpha = r->alpha, beta = r->beta;
    ck_assert(alpha > 0.0);
    qm_develop_begin(sim, 0, 0, 0);
    qm_develop_begin(sim, 0, 1, 0);
    qm_develop_begin(sim, 0, 0, 0);
    cm->dev[0].done = cm->dev[1].done = cm->dev[2].done = 3.0;
    cm->dev[0].lead = cm->dev[2].lead = 1;
    cm->dev[1].stage = 4;
    cm->dev[2].stage = 1;
    cm->n_events = 0;
    const double lo[] = {0.0, 0.0, 0.5, 0.5}, hi[] = {0.3, 0.3, 1.0, 1.0};
    fx_next_uniforms(cm->rng, 4, lo, hi);
    qm_timeline_apply(sim);
    ck_assert_double_eq_tol(cm->dev_staff, 1.2, EPS);
    ck_assert_double_eq_tol(cm->con_staff, 1.2, EPS);
    ck_assert_double_eq_tol(cm->A, 0.2, EPS);
    ck_assert_double_eq_tol(cm->X, 0.25, EPS);
    ck_assert_double_eq_tol(cm->R, 0.15, EPS);
    ck_assert_double_eq_tol(r->alpha, 0.3 * alpha, EPS);
    ck_assert_double_eq_tol(r->beta, 0.3 * beta, EPS);
    ck_assert_int_eq(cm->dev[0].lead, 0);
    ck_assert_double_eq_tol(cm->dev[0].done, 1.5, EPS);
    ck_assert_double_eq_tol(cm->dev[1].done, 3.0, EPS);
    ck_assert_int_eq(cm->dev[2].lead, 1);
    ck_assert_double_eq_tol(cm->dev[2].done, 3.0, EPS);
    ck_assert_int_eq(cm->rebuild_from, MONTH);
    ck_assert_int_eq(cm->rebuild_months, 4);
    ck_assert_double_eq_tol(qm_monitor_data_flow_of(sim, 0), 0.0, EPS);
    ck_assert_double_eq_tol(qm_monitor_data_flow_of(sim, 1), 0.0, EPS);
    ck_assert_int_eq(cm->events[0].type, QM_EV_REORGANISATION);
    ck_assert_double_eq_tol(cm->events[0].value, 0.4, EPS);
    ck_assert_int_eq(sim->comm[1].events[0].type, QM_EV_REORGANISATION);
    ck_assert_double_eq_tol(sim->month_reorganisations, 1.0, EPS);
    ck_assert_int_eq(sim->next_timeline, 1);
    fx_close(f);
}
END_TEST

/* While data flows are rebuilt (MODEL.md 6 v2) a signal weighs only the
 * share rebuilt.  C1 monitors its acute contract two months into a
 * rebuild of four (flow 0.5), with I = 0.5, M = 0.5 and no record of
 * Acute: the signal's sd is 0.15 x 0.75 x 0.75 = 0.084375; the record
 * moves 0.2 x 0.5 of the way to the signal; the trust evidence is that of
 * contact n = 0.5, alpha = 0.5 Phi(z) 0.5. */
START_TEST(monitoring_while_data_flows_are_rebuilt)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    sim->month = 7;
    fx_forget(sim);
    qm_commissioner *cm = &sim->comm[0];
    cm->rebuild_from = 5;
    cm->rebuild_months = 4;
    cm->info = 0.5;
    cm->con_free = 2.0;
    qm_contract *k = QM_CON(sim, 0, 0);
    k->delivered = 100.0;
    k->quality = 0.72;
    k->qhat = 0.65;
    double sd = 0.084375;
    gsl_rng *same = gsl_rng_clone(cm->rng);
    double y = 0.72 + qm_draw_gaussian(same, sd);
    gsl_rng_free(same);
    qm_monitor_contract(sim, 0, k);
    ck_assert_int_eq(k->monitored, 1);
    ck_assert_double_eq_tol(k->qhat, 0.65 + 0.2 * 0.5 * (y - 0.65), EPS);
    const qm_rel *r = qm_state_rel(sim, 0, ACUTE, 0);
    double phi = gsl_cdf_ugaussian_P((y - 0.6) / sd);
    ck_assert_double_eq_tol(r->alpha, 0.5 * phi * 0.5, EPS);
    ck_assert_double_eq_tol(r->beta, 0.5 * (1.0 - phi) * 0.5, EPS);
    fx_close(f);
}
END_TEST

/* Needs assessment and specification are data work (MODEL.md 6 v2): with
 * data flows at 0.25 a development in needs given 1 FTE advances 0.25
 * FTE-months, one in procurement the whole 1; neither stalls, as staff
 * were there.  Information quality is computed on the share rebuilt:
 * d 0.5 x 0.25 x (0.4 + 0.6 x 0.4) = 0.08. */
START_TEST(data_work_waits_for_data_flows)
{
    fx *f = fx_open("development = { absence_mean = 0.0; start_base = 0.0; start_gap = 0.0;"
                    " copy_rate = 0.0; lead_trust = 1.0; };");
    qm_sim *sim = f->sim;
    sim->month = 6;
    qm_commissioner *cm = &sim->comm[0];
    cm->rebuild_from = 5;
    cm->rebuild_months = 4;
    qm_develop_begin(sim, 0, 0, 0);
    qm_develop_begin(sim, 0, 1, 0);
    cm->dev[0].need[0] = cm->dev[1].need[2] = 10.0;
    cm->dev[1].stage = 2;
    qm_develop_step(sim, 0);
    ck_assert_double_eq_tol(cm->dev[0].done, 0.25, EPS);
    ck_assert_double_eq_tol(cm->dev[1].done, 1.0, EPS);
    ck_assert_int_eq(cm->dev[0].stalled_months, 0);
    cm->used_A = 1;
    cm->borrowed = cm->tool = 0.0;
    cm->A = 0.4;
    sim->p.knowledge.decay_used = sim->p.knowledge.staff_turnover = 0.0;
    qm_knowledge_update(sim, 0);
    ck_assert_double_eq_tol(cm->info, 0.5 * 0.25 * (0.4 + 0.6 * 0.4), EPS);
    fx_close(f);
}
END_TEST

/* C2 (200,000 people, A 0.7) is absorbed into C1 (100,000, A 0.4):
 * knowledge is weighted by population, (0.4 + 2 x 0.7) / 3 = 0.6; people,
 * budget and staff add up.  For each service the larger contract survives
 * with both volumes: C2's acute contract with Firm (400) takes C1's 200
 * from Acute, with the capacity to deliver it; community work stays with
 * Acute (1,000 + 2,000).  C2's engagement ends, its development moves,
 * its relationships join C1's where they hold more evidence. */
START_TEST(merger)
{
    fx *f = with_event("type = \"reorganisation\"; staff_loss = 0.0; knowledge_loss = 0.0;"
                       " rupture = 0.0; setback = 0.0; merge = 2;");
    qm_sim *sim = f->sim;
    qm_commissioner *a = &sim->comm[0], *b = &sim->comm[1];
    b->A = 0.7;
    qm_contracts_switch(sim, 1, QM_CON(sim, 1, 0), FIRM, 0);
    qm_state_rel(sim, 1, FIRM, 0)->alpha = 9.0;
    qm_state_rel(sim, 1, ACUTE, 0)->alpha = 0.0;
    qm_state_rel(sim, 1, ACUTE, 0)->beta = 0.0;
    double acute_alpha = qm_state_rel(sim, 0, ACUTE, 0)->alpha;
    qm_engagements_book(sim, 1, CSU, QM_PURPOSE_ANALYTICS, 1.0, 0);
    qm_develop_begin(sim, 1, 1, 0);
    double cap_acute = sim->capacity[QM_PS(sim, ACUTE, 0)], cap_firm = sim->capacity[QM_PS(sim, FIRM, 0)];
    double held[3 * 2];
    for (int i = 0; i < 3 * 2; i++)
        held[i] = sim->held[i];
    qm_timeline_apply(sim);
    ck_assert_int_eq(b->active, 0);
    ck_assert_int_eq(a->active, 1);
    ck_assert_double_eq_tol(a->A, 0.6, EPS);
    ck_assert_double_eq_tol(a->population, 300000.0, EPS);
    ck_assert_double_eq_tol(a->budget, 30000000.0, 1e-6);
    ck_assert_double_eq_tol(a->dev_staff, 4.0, EPS);
    ck_assert_double_eq_tol(a->con_staff, 4.0, EPS);
    /* MODEL.md 6 (v2): every contract is kept, with its provider and
     * volume; the merged body holds C2's slots, each contract the share of
     * its demand that its population brought (1/3 and 2/3); held volumes
     * and capacities, hence concentration, do not move. */
    ck_assert_int_eq(b->holder, 0);
    ck_assert_int_eq(a->chain, 1);
    ck_assert_int_eq(b->chain, -1);
    qm_contract *k = QM_CON(sim, 0, 0), *kb = QM_CON(sim, 1, 0);
    ck_assert_int_eq(k->active, 1);
    ck_assert_int_eq(kb->active, 1);
    ck_assert_int_eq(k->provider, ACUTE);
    ck_assert_int_eq(kb->provider, FIRM);
    ck_assert_double_eq_tol(k->volume, 200.0, EPS);
    ck_assert_double_eq_tol(kb->volume, 400.0, EPS);
    for (int s = 0; s < 2; s++) {
        ck_assert_double_eq_tol(QM_SHARE(sim, QM_CON(sim, 0, s)), 1.0 / 3.0, EPS);
        ck_assert_double_eq_tol(QM_SHARE(sim, QM_CON(sim, 1, s)), 2.0 / 3.0, EPS);
    }
    for (int i = 0; i < 3 * 2; i++)
        ck_assert_double_eq_tol(sim->held[i], held[i], EPS);
    ck_assert_double_eq_tol(sim->capacity[QM_PS(sim, ACUTE, 0)], cap_acute, EPS);
    ck_assert_double_eq_tol(sim->capacity[QM_PS(sim, FIRM, 0)], cap_firm, EPS);
    ck_assert_int_eq(QM_CON(sim, 0, 1)->provider, ACUTE);
    ck_assert_int_eq(QM_CON(sim, 1, 1)->provider, ACUTE);
    ck_assert_double_eq_tol(QM_CON(sim, 0, 1)->volume, 1000.0, EPS);
    ck_assert_double_eq_tol(QM_CON(sim, 1, 1)->volume, 2000.0, EPS);
    ck_assert_ptr_eq(qm_state_main_contract(sim, 0, 0), kb);
    ck_assert_double_eq_tol(qm_state_rel(sim, 0, FIRM, 0)->alpha, 9.0, EPS);
    ck_assert_double_eq_tol(qm_state_rel(sim, 0, ACUTE, 0)->alpha, acute_alpha, EPS);
    ck_assert_int_eq(b->eng[0].active, 0);
    ck_assert_double_eq_tol(sim->agency[CSU].booked, 0.0, EPS);
    ck_assert_int_eq(a->dev[0].active, 1);
    ck_assert_int_eq(a->dev[0].service, 1);
    ck_assert_int_eq(b->dev[0].active, 0);
    const qm_event *e = &a->events[a->n_events - 1];
    ck_assert_int_eq(e->type, QM_EV_MERGE);
    ck_assert_int_eq(e->other, 1);
    ck_assert_double_eq_tol(e->value, 200000.0, EPS);
    fx_close(f);
}
END_TEST

/* After a merger the merged body holds two contracts for each service.
 * Demand is drawn for each contract at its share (a share of 0 draws
 * nothing).  A renewal (same terms) of C2's contract for service 1 keeps
 * it; letting it anew with the provider C1's contract has consolidates
 * the two: one contract of 3,000 with the whole demand, the provider's
 * held volume unchanged.  With another provider (service 0) both stay. */
START_TEST(merged_contracts_consolidate_at_expiry)
{
    fx *f = with_event("type = \"reorganisation\"; staff_loss = 0.0; knowledge_loss = 0.0;"
                       " rupture = 0.0; setback = 0.0; merge = 2;");
    qm_sim *sim = f->sim;
    qm_contracts_switch(sim, 1, QM_CON(sim, 1, 0), FIRM, 0);
    qm_timeline_apply(sim);
    QM_SHARE(sim, QM_CON(sim, 0, 0)) = 0.0;
    QM_SHARE(sim, QM_CON(sim, 1, 0)) = 1.0;
    qm_delivery_demand(sim, 0);
    ck_assert_double_eq(QM_CON(sim, 0, 0)->demand, 0.0);
    ck_assert(QM_CON(sim, 1, 0)->demand > 0.0);
    double held = sim->held[QM_PS(sim, ACUTE, 1)];
    /* v2 records: C2's contract plans on 2,100 a month and owes its
     * provider 50; C1's has no plan yet (its volume, 1,000, stands in)
     * and has seen 900 reported. */
    *QM_CONX(sim, QM_CON(sim, 1, 1)) = (qm_contract_x){.plan = 2100.0, .owed = 50.0};
    *QM_CONX(sim, QM_CON(sim, 0, 1)) = (qm_contract_x){.seen = 900.0};
    qm_contracts_renew(sim, 0, QM_CON(sim, 1, 1), QM_EV_RENEW, 36.0);
    ck_assert_int_eq(QM_CON(sim, 1, 1)->active, 1);
    ck_assert_ptr_eq(qm_contracts_consolidate(sim, 0, QM_CON(sim, 1, 1)), QM_CON(sim, 0, 1));
    ck_assert_int_eq(QM_CON(sim, 1, 1)->active, 0);
    ck_assert_int_eq(QM_CON(sim, 0, 1)->active, 1);
    ck_assert_double_eq_tol(QM_CON(sim, 0, 1)->volume, 3000.0, EPS);
    ck_assert_double_eq_tol(QM_SHARE(sim, QM_CON(sim, 0, 1)), 1.0, EPS);
    ck_assert_double_eq_tol(QM_SHARE(sim, QM_CON(sim, 1, 1)), 0.0, EPS);
    ck_assert_double_eq_tol(sim->held[QM_PS(sim, ACUTE, 1)], held, EPS);
    /* Plans and reported demand add (1,000 + 2,100; 900 + 2,100), the
     * cost owed moves, and the ended contract's record is cleared. */
    ck_assert_double_eq_tol(QM_CONX(sim, QM_CON(sim, 0, 1))->plan, 3100.0, EPS);
    ck_assert_double_eq_tol(QM_CONX(sim, QM_CON(sim, 0, 1))->seen, 3000.0, EPS);
    ck_assert_double_eq_tol(QM_CONX(sim, QM_CON(sim, 0, 1))->owed, 50.0, EPS);
    ck_assert_double_eq(QM_CONX(sim, QM_CON(sim, 1, 1))->plan, 0.0);
    ck_assert_double_eq(QM_CONX(sim, QM_CON(sim, 1, 1))->owed, 0.0);
    ck_assert_ptr_eq(qm_contracts_consolidate(sim, 0, QM_CON(sim, 1, 0)), QM_CON(sim, 1, 0));
    ck_assert_int_eq(QM_CON(sim, 1, 0)->active, 1);
    ck_assert_int_eq(QM_CON(sim, 0, 0)->active, 1);
    fx_close(f);
}
END_TEST

/* Half of the bodies split, the most populous first: C2 becomes two of
 * 100,000 people, each with half its staff, budget and every contract's
 * volume with the same provider and terms, the same knowledge and the
 * same relationships, each body with half of every relationship's
 * evidence (v2: it moves with the staff); the new body is named after
 * it. */
START_TEST(split)
{
    fx *f = with_event("type = \"reorganisation\"; staff_loss = 0.0; knowledge_loss = 0.0;"
                       " rupture = 0.0; setback = 0.0; split_share = 0.5;");
    qm_sim *sim = f->sim;
    ck_assert_int_eq(sim->max_commissioners, 3);
    qm_engagements_book(sim, 1, CSU, QM_PURPOSE_ANALYTICS, 1.0, 0);
    *QM_CONX(sim, QM_CON(sim, 1, 0)) =
        (qm_contract_x){.plan = 380.0, .seen = 390.0, .owed = 7.0, .lift = 0.01};
    double alpha[8], beta[8];
    ck_assert_int_le(sim->comm[1].n_rel, 8);
    for (int i = 0; i < sim->comm[1].n_rel; i++)
        alpha[i] = sim->comm[1].rel[i].alpha, beta[i] = sim->comm[1].rel[i].beta;
    qm_timeline_apply(sim);
    ck_assert_int_eq(sim->n_commissioners, 3);
    /* v2 records: each half plans on half (190) and has seen half (195);
     * the cost owed stays with the parent; challenge on the contract
     * goes with both halves. */
    const qm_contract_x *xa = QM_CONX(sim, QM_CON(sim, 1, 0)), *xb = QM_CONX(sim, QM_CON(sim, 2, 0));
    ck_assert_double_eq_tol(xa->plan, 190.0, EPS);
    ck_assert_double_eq_tol(xb->plan, 190.0, EPS);
    ck_assert_double_eq_tol(xa->seen, 195.0, EPS);
    ck_assert_double_eq_tol(xb->seen, 195.0, EPS);
    ck_assert_double_eq_tol(xa->owed, 7.0, EPS);
    ck_assert_double_eq(xb->owed, 0.0);
    ck_assert_double_eq_tol(xb->lift, 0.01, EPS);
    const qm_commissioner *a = &sim->comm[1], *b = &sim->comm[2];
    ck_assert_str_eq(b->name, "C2 (split)");
    ck_assert_int_eq(b->active, 1);
    ck_assert_double_eq_tol(a->population, 100000.0, EPS);
    ck_assert_double_eq_tol(b->population, 100000.0, EPS);
    ck_assert_double_eq_tol(b->con_staff, 1.0, EPS);
    ck_assert_double_eq_tol(b->budget, 10000000.0, 1e-6);
    ck_assert_double_eq_tol(b->A, a->A, EPS);
    ck_assert_int_eq(b->n_rel, a->n_rel);
    /* (v2) The staff who move take half of every relationship's history. */
    for (int i = 0; i < a->n_rel; i++) {
        ck_assert_double_eq_tol(a->rel[i].alpha, 0.5 * alpha[i], EPS);
        ck_assert_double_eq_tol(b->rel[i].alpha, 0.5 * alpha[i], EPS);
        ck_assert_double_eq_tol(b->rel[i].beta, 0.5 * beta[i], EPS);
        ck_assert_int_eq(b->rel[i].provider, a->rel[i].provider);
    }
    ck_assert(b->rel != a->rel && b->rng != a->rng);
    ck_assert_int_eq(b->n_eng, 0);
    for (int s = 0; s < 2; s++) {
        ck_assert_double_eq_tol(QM_CON(sim, 2, s)->volume, QM_CON(sim, 1, s)->volume, EPS);
        ck_assert_int_eq(QM_CON(sim, 2, s)->provider, QM_CON(sim, 1, s)->provider);
    }
    ck_assert_double_eq_tol(QM_CON(sim, 1, 0)->volume, 200.0, EPS);
    ck_assert_double_eq_tol(sim->comm[0].population, 100000.0, EPS);
    const qm_event *e = &a->events[a->n_events - 1];
    ck_assert_int_eq(e->type, QM_EV_SPLIT);
    ck_assert_int_eq(e->other, 2);
    fx_close(f);
}
END_TEST

/* Half the analysts move into the host CSU: A halves, the CSU gains
 * 0.5 x 2 FTE per commissioner, and serves each under an analytics
 * engagement of that size, with the policy's transfer clause. */
START_TEST(externalise)
{
    fx *f = with_event("type = \"externalise_analytics\"; share = 0.5;");
    qm_sim *sim = f->sim;
    sim->p.policy.transfer_clause = 1;
    qm_timeline_apply(sim);
    ck_assert_double_eq_tol(sim->agency[CSU].capacity, 12.0, EPS);
    for (int c = 0; c < 2; c++) {
        const qm_commissioner *cm = &sim->comm[c];
        ck_assert_double_eq_tol(cm->A, 0.2, EPS);
        ck_assert_int_eq(cm->n_eng, 1);
        ck_assert_int_eq(cm->eng[0].agency, CSU);
        ck_assert_int_eq(cm->eng[0].purpose, QM_PURPOSE_ANALYTICS);
        ck_assert_double_eq_tol(cm->eng[0].fte, 1.0, EPS);
        ck_assert_int_eq(cm->eng[0].clause, 1);
        ck_assert_int_eq(cm->events[0].type, QM_EV_EXTERNALISE);
        ck_assert_int_eq(cm->events[0].other, CSU);
    }
    fx_close(f);
}
END_TEST

/* A policy event sets a policy value for the rest of the run: a number or
 * a switch. */
START_TEST(policy)
{
    char text[512];
    snprintf(text, sizeof text,
             "timeline = ( { month = %d; type = \"policy\"; key = \"policy.tender_pressure\"; value = 0.7; },"
             " { month = %d; type = \"policy\"; key = \"policy.open_market\"; value = true; } );",
             MONTH, MONTH);
    fx *f = fx_open(text);
    qm_sim *sim = f->sim;
    sim->month = MONTH;
    qm_timeline_apply(sim);
    ck_assert_double_eq_tol(sim->p.policy.tender_pressure, 0.7, EPS);
    ck_assert_int_eq(sim->p.policy.open_market, 1);
    ck_assert_double_eq_tol(f->sc.p.policy.tender_pressure, 0.0, EPS); /* the scenario is untouched */
    ck_assert_int_eq(sim->n_market_events, 2);
    ck_assert_int_eq(sim->market_events[1].type, QM_EV_POLICY);
    ck_assert_int_eq(sim->market_events[1].other, 1);
    fx_close(f);
}
END_TEST

/* A directive to half the commissioners (the first, C1) forces a
 * development of the named service; without a service, of every one. */
START_TEST(directive)
{
    fx *f = with_event("type = \"directive\"; service = \"community\"; share = 0.5;");
    qm_sim *sim = f->sim;
    qm_timeline_apply(sim);
    ck_assert_int_eq(sim->comm[0].n_dev, 1);
    ck_assert_int_eq(sim->comm[0].dev[0].service, 1);
    ck_assert_int_eq(sim->comm[0].dev[0].directive, 1);
    ck_assert_int_eq(sim->comm[1].n_dev, 0);
    ck_assert_int_eq(sim->comm[0].events[sim->comm[0].n_events - 1].type, QM_EV_DIRECTIVE);
    fx_close(f);
    f = with_event("type = \"directive\"; share = 1.0;");
    sim = f->sim;
    qm_timeline_apply(sim);
    ck_assert_int_eq(sim->comm[0].n_dev, 2);
    ck_assert_int_eq(sim->comm[1].n_dev, 2);
    fx_close(f);
}
END_TEST

/* A priority shift blurs every engagement's brief; a demand shock
 * multiplies one service's demand. */
START_TEST(priority_shift_and_demand_shock)
{
    fx *f = with_event("type = \"priority_shift\"; clarity_loss = 0.5;");
    qm_sim *sim = f->sim;
    qm_engagements_book(sim, 1, CSU, QM_PURPOSE_ANALYTICS, 1.0, 0);
    sim->comm[1].eng[0].clarity = 0.8;
    qm_timeline_apply(sim);
    ck_assert_double_eq_tol(sim->comm[1].eng[0].clarity, 0.4, EPS);
    ck_assert_int_eq(sim->market_events[0].type, QM_EV_PRIORITY_SHIFT);
    fx_close(f);
    f = with_event("type = \"demand_shock\"; service = \"community\"; factor = 1.5;");
    sim = f->sim;
    qm_timeline_apply(sim);
    ck_assert_double_eq_tol(sim->demand_factor[0], 1.0, EPS);
    ck_assert_double_eq_tol(sim->demand_factor[1], 1.5, EPS);
    ck_assert_int_eq(sim->market_events[0].type, QM_EV_DEMAND_SHOCK);
    ck_assert_double_eq_tol(sim->market_events[0].value, 1.5, EPS);
    fx_close(f);
}
END_TEST

/* An event whose month has passed is passed over, not applied late. */
START_TEST(past_events_are_passed_over)
{
    fx *f = with_event("type = \"demand_shock\"; factor = 2.0;");
    qm_sim *sim = f->sim;
    sim->month = MONTH + 1;
    qm_timeline_apply(sim);
    ck_assert_int_eq(sim->next_timeline, 1);
    ck_assert_double_eq_tol(sim->demand_factor[0], 1.0, EPS);
    fx_close(f);
}
END_TEST

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

START_TEST(run_reorganisation_losses)
{
    fx *x = fx_small("4.0", "0.8",
                     "timeline = ( { month = 3; type = \"reorganisation\"; staff_loss = 0.4;"
                     "               knowledge_loss = 0.5; rupture = 1.0; setback = 0.0; } );");
    qm_sim *sim = x->sim;
    fx_step_to(sim, 3);
    double K = sim->comm[1].con_staff, D = sim->comm[1].dev_staff, X = sim->comm[1].X;
    qm_sim_step(sim);
    ck_assert_double_eq_tol(sim->comm[1].con_staff, 0.6 * K, EPS);
    ck_assert_double_eq_tol(sim->comm[1].dev_staff, 0.6 * D, EPS);
    ck_assert(sim->comm[1].X < 0.5 * X + 0.05); /* halved, then a month's learning */
    /* Full rupture: every relationship is back at its prior before this
     * month's evidence, so no trust exceeds prior plus one month. */
    for (int i = 0; i < sim->comm[1].n_rel; i++)
        ck_assert(sim->comm[1].rel[i].alpha + sim->comm[1].rel[i].beta <= sim->p.trust.evidence_weight * 2 + 1e-9);
    fx_close(x);
}
END_TEST

START_TEST(run_merge_and_split_conserve)
{
    fx *x = fx_small("4.0", "0.8",
                     "timeline = ( { month = 2; type = \"reorganisation\"; staff_loss = 0.0; knowledge_loss = 0.0;"
                     "               rupture = 0.0; setback = 0.0; merge = 2; },"
                     "             { month = 4; type = \"reorganisation\"; staff_loss = 0.0; knowledge_loss = 0.0;"
                     "               rupture = 0.0; setback = 0.0; split_share = 0.5; } );");
    qm_sim *sim = x->sim;
    /* 4 bodies, merged in pairs to 2, then half (1) split: 3; one slot reserved. */
    ck_assert_int_eq(sim->max_commissioners, 5);
    fx_step_to(sim, 2);
    double pop = total_population(sim), vol = total_volume(sim);
    ck_assert_double_eq_tol(total_held(sim), vol, 1e-6);
    qm_sim_step(sim);
    ck_assert_int_eq(sim->comm[0].active + sim->comm[1].active + sim->comm[2].active + sim->comm[3].active, 2);
    ck_assert_int_eq(sim->comm[1].active, 0);
    ck_assert_double_eq_tol(sim->comm[0].population, 300000.0, 1e-6);
    ck_assert_double_eq_tol(total_population(sim), pop, 1e-6);
    ck_assert_double_eq_tol(total_volume(sim), vol, 1e-6);
    ck_assert_double_eq_tol(total_held(sim), vol, 1e-6);
    fx_step_to(sim, 5);
    ck_assert_int_eq(sim->n_commissioners, 5);
    ck_assert_int_eq(sim->comm[4].active, 1);
    ck_assert_double_eq_tol(sim->comm[4].population, 350000.0, 1e-6); /* half of 700,000 */
    ck_assert_double_eq_tol(total_population(sim), pop, 1e-6);
    ck_assert_double_eq_tol(total_volume(sim), vol, 1e-6);
    ck_assert_double_eq_tol(total_held(sim), vol, 1e-6);
    fx_close(x);
}
END_TEST

START_TEST(run_externalise_policy_shift_shock)
{
    fx *x = fx_small("4.0", "0.8",
                     "timeline = ( { month = 2; type = \"externalise_analytics\"; share = 0.5; },"
                     "             { month = 2; type = \"policy\"; key = \"policy.tender_pressure\"; value = 0.7; },"
                     "             { month = 2; type = \"policy\"; key = \"policy.payment_type\"; value = \"outcome\"; },"
                     "             { month = 3; type = \"priority_shift\"; clarity_loss = 0.5; },"
                     "             { month = 3; type = \"demand_shock\"; service = \"dementia\"; factor = 1.5; } );"
                     "engagement = { max_per_commissioner = 8; };");
    qm_sim *sim = x->sim;
    fx_step_to(sim, 2);
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
    fx_close(x);
}
END_TEST

START_TEST(run_directive_starts_developments)
{
    fx *x = fx_small("4.0", "0.8",
                     "timeline = ( { month = 5; type = \"directive\"; share = 0.5; } );"
                     "development = { start_base = 0.0; start_gap = 0.0; copy_rate = 0.0; };");
    qm_sim *sim = x->sim;
    fx_step_to(sim, 5);
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
    fx_close(x);
}
END_TEST

static void add(TCase *tc)
{
    tcase_add_test(tc, reorganisation_rules);
    tcase_add_test(tc, reorganisation_losses);
    tcase_add_test(tc, monitoring_while_data_flows_are_rebuilt);
    tcase_add_test(tc, data_work_waits_for_data_flows);
    tcase_add_test(tc, merger);
    tcase_add_test(tc, merged_contracts_consolidate_at_expiry);
    tcase_add_test(tc, split);
    tcase_add_test(tc, externalise);
    tcase_add_test(tc, policy);
    tcase_add_test(tc, directive);
    tcase_add_test(tc, priority_shift_and_demand_shock);
    tcase_add_test(tc, past_events_are_passed_over);
    tcase_add_test(tc, run_reorganisation_losses);
    tcase_add_test(tc, run_merge_and_split_conserve);
    tcase_add_test(tc, run_externalise_policy_shift_shock);
    tcase_add_test(tc, run_directive_starts_developments);
}

int main(void)
{
    return fx_run("timeline", add);
}
