/* test_knowledge.c: MODEL.md 4.4, knowledge stocks (src/model/
 * knowledge.c): decay used and idle, turnover, relational learning, and
 * the month's effective capability, dependency and information. */
#include "fixture.h"
#include "model/knowledge.h"

START_TEST(decay_and_learning)
{
    qm_params p;
    qm_params_defaults(qm_param_table, &p);
    p.knowledge.decay_used = 0.002; p.knowledge.decay_idle = 0.01;
    p.knowledge.staff_turnover = 0.01; p.knowledge.hire_level = 0.4;
    p.knowledge.eta_relationship = 0.01;
    ck_assert_double_eq_tol(qm_knowledge_decay(&p, 0.5, 1), 0.49801, EPS);
    ck_assert_double_eq_tol(qm_knowledge_decay(&p, 0.5, 0), 0.5 * 0.99 + 0.01 * (0.4 - 0.495), EPS);
    ck_assert(qm_knowledge_decay(&p, 0.5, 0) < qm_knowledge_decay(&p, 0.5, 1));
    /* MODEL.md 4.4 (v2): a quarter of the work outsourced, delta = 0.25 x
     * 0.01 + 0.75 x 0.002 = 0.004: 0.5 x 0.996 = 0.498, then turnover
     * 0.01 (0.4 - 0.498): 0.49702.  The ends are the switch's two cases. */
    ck_assert_double_eq_tol(qm_knowledge_decay_share(&p, 0.5, 0.25), 0.49702, EPS);
    ck_assert_double_eq(qm_knowledge_decay_share(&p, 0.5, 0.0), qm_knowledge_decay(&p, 0.5, 1));
    ck_assert_double_eq(qm_knowledge_decay_share(&p, 0.5, 1.0), qm_knowledge_decay(&p, 0.5, 0));
    double last = 1.0;
    for (double idle = 0.0; idle <= 1.0; idle += 0.125) {
        double k = qm_knowledge_decay_share(&p, 0.5, idle);
        ck_assert(k < last);
        last = k;
    }
    ck_assert_double_eq_tol(qm_knowledge_interpersonal(&p, 0.5, 0.8, 0.5), 0.502, EPS);
}
END_TEST

/* C1 (A 0.4, data 0.5) used its analysts and borrows 0.3: its own
 * knowledge counts as used, 0.4 x 0.998 + 0.01 (0.4 - 0.3992) = 0.399208;
 * the effective capability is its own, nothing depends on outside, and
 * I = 0.5 (0.4 + 0.6 x 0.399208). */
START_TEST(own_knowledge_in_use)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    cm->used_A = 1;
    cm->borrowed = 0.3;
    cm->tool = 0.0;
    qm_knowledge_update(sim, 0);
    ck_assert_double_eq_tol(cm->A, 0.399208, EPS);
    ck_assert_double_eq_tol(cm->A_eff, 0.399208, EPS);
    ck_assert_double_eq_tol(cm->dependency, 0.0, EPS);
    ck_assert_double_eq_tol(cm->info, 0.5 * (0.4 + 0.6 * 0.399208), EPS);
    fx_close(f);
}
END_TEST

/* With all its analytic work done by outside staff, C1's analysts idle
 * (MODEL.md 4.4 v2, P6): 0.4 x 0.99 + 0.01 (0.4 - 0.396) = 0.39604; with
 * half of it, delta = 0.006: 0.4 x 0.994 + 0.01 (0.4 - 0.3976) = 0.397624.
 * What the outsiders lend does not enter: borrowing 0.6 or 0.1 decays
 * alike.  Effective capability
 * is the borrowed 0.6, of which (0.6 - 0.39604) / 0.6 comes from
 * outside.  Under strict information governance (1, effect 0.5) the data
 * count for half: I = 0.25 (0.4 + 0.36). */
START_TEST(borrowed_capability_idles_analysts)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    sim->p.policy.ig_strictness = 1.0;
    cm->used_A = 1;
    cm->borrowed = 0.1;
    cm->outsourced = 0.5;
    qm_knowledge_update(sim, 0);
    ck_assert_double_eq_tol(cm->A, 0.397624, EPS);
    cm->A = 0.4;
    cm->used_A = 1;
    cm->borrowed = 0.6;
    cm->outsourced = 1.0;
    qm_knowledge_update(sim, 0);
    ck_assert_double_eq_tol(cm->A, 0.39604, EPS);
    ck_assert_double_eq_tol(cm->A_eff, 0.6, EPS);
    ck_assert_double_eq_tol(cm->dependency, (0.6 - 0.39604) / 0.6, EPS);
    ck_assert_double_eq_tol(cm->info, 0.25 * 0.76, EPS);
    fx_close(f);
}
END_TEST

/* A product's tool is forgotten fast when nobody asks for its output
 * (0.15 a month) and slowly when analysts use it (0.02); while it is the
 * best capability at hand it is the effective one.  Procurement knowledge
 * unused decays at the idle rate; the flag is cleared for next month. */
START_TEST(tools_and_procurement)
{
    fx *f = fx_open(NULL);
    qm_sim *sim = f->sim;
    qm_commissioner *cm = &sim->comm[0];
    cm->used_A = 0;
    cm->used_R = 0;
    cm->borrowed = 0.0;
    cm->tool = 0.8;
    qm_knowledge_update(sim, 0);
    ck_assert_double_eq_tol(cm->tool, 0.68, EPS);
    ck_assert_double_eq_tol(cm->A_eff, 0.68, EPS);
    /* R 0.3: 0.3 x 0.99 + 0.01 (0.4 - 0.297) */
    ck_assert_double_eq_tol(cm->R, 0.297 + 0.00103, EPS);
    cm->used_A = 1;
    cm->used_R = 1;
    qm_knowledge_update(sim, 0);
    ck_assert_double_eq_tol(cm->tool, 0.68 * 0.98, EPS);
    ck_assert_int_eq(cm->used_R, 0);
    fx_close(f);
}
END_TEST

static void add(TCase *tc)
{
    tcase_add_test(tc, decay_and_learning);
    tcase_add_test(tc, own_knowledge_in_use);
    tcase_add_test(tc, borrowed_capability_idles_analysts);
    tcase_add_test(tc, tools_and_procurement);
}

int main(void)
{
    return fx_run("knowledge", add);
}
